//! `gw2opt data import --from DIR`: rebuilds the game-data snapshot from API-shaped JSON
//! (the layout of `../shared/data`: `gw2-api/*.json` plus discretize's specializations).

use std::path::Path;

use anyhow::Context;

pub fn import(from: &Path, out: &Path) -> anyhow::Result<()> {
    let mut inputs = gw2::import::ImportInputs::load(|rel| {
        std::fs::read_to_string(from.join(rel))
            .with_context(|| format!("reading {}", from.join(rel).display()))
    })?;
    let skills = from.join(gw2::import::OPTIONAL_INPUT_FILE_SKILLS);
    inputs.skills = match std::fs::read_to_string(&skills) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", skills.display())),
    };
    let snapshot = gw2::import::build_snapshot(inputs)?;
    let json = gw2::import::snapshot_to_json(&snapshot)?;
    std::fs::write(out, &json).with_context(|| format!("writing {}", out.display()))?;
    let data = gw2::data::GameData::from_json(&json)?;
    println!(
        "wrote {}: {} professions, {} specializations, {} skills, {} pets, {} legends, {} stat prefixes, {} buffs (game build {})",
        out.display(),
        data.professions().len(),
        data.specializations().len(),
        data.skills().len(),
        data.pets().len(),
        data.legends().len(),
        data.itemstats().len(),
        data.buffs().len(),
        data.game_build()
    );
    Ok(())
}

/// The API endpoints the snapshot is built from, and the file each is saved as.
const SYNC_ENDPOINTS: [(&str, &str); 4] = [
    ("professions", "gw2-api/professions.json"),
    ("specializations", "gw2-api/specializations.json"),
    ("itemstats", "gw2-api/itemstats.json"),
    ("pets", "gw2-api/pets.json"),
];

/// `gw2opt data sync`: fetches the endpoints `data import` reads from the live API (with
/// the service's client: batching, retries, rate limit), saves the responses under
/// `save_to/gw2-api/`, and rebuilds the snapshot from them plus discretize's files.
pub async fn sync(
    base_url: &str,
    lang: &str,
    discretize: &Path,
    save_to: &Path,
    out: &Path,
) -> anyhow::Result<()> {
    let lang: gw2api::Lang = lang.parse().map_err(|e| anyhow::anyhow!("--lang: {e}"))?;
    let config = gw2api::ClientConfig {
        base_url: base_url.to_owned(),
        lang,
        ..gw2api::ClientConfig::default()
    };
    let client = gw2api::Gw2Client::new(config, std::sync::Arc::new(gw2api::MemoryCache::new(64)))?;
    std::fs::create_dir_all(save_to.join("gw2-api"))
        .with_context(|| format!("creating {}", save_to.join("gw2-api").display()))?;
    let build = client
        .get_document::<serde_json::Value>("build")
        .await
        .context("fetching /v2/build")?;
    std::fs::write(
        save_to.join("gw2-api/build.json"),
        serde_json::to_vec_pretty(&build.value)?,
    )?;
    let mut bar_skills: Vec<u32> = Vec::new();
    for (endpoint, file) in SYNC_ENDPOINTS {
        let fetched = client
            .get_all::<serde_json::Value>(endpoint)
            .await
            .with_context(|| format!("fetching /v2/{endpoint}"))?;
        eprintln!(
            "{endpoint}: {} records ({:?})",
            fetched.value.len(),
            fetched.source
        );
        if endpoint == "professions" {
            bar_skills = bar_skill_ids(&fetched.value);
        }
        std::fs::write(
            save_to.join(file),
            serde_json::to_vec_pretty(&fetched.value)?,
        )
        .with_context(|| format!("writing {}", save_to.join(file).display()))?;
    }
    // The heal, utility and elite skills the professions list: their names, slots and
    // specializations.
    let skills_file = save_to.join(gw2::import::OPTIONAL_INPUT_FILE_SKILLS);
    if bar_skills.is_empty() {
        eprintln!("skills: the professions list none; the snapshot keeps its skill facts");
        let _ = std::fs::remove_file(&skills_file);
    } else {
        let fetched = client
            .get_ids::<serde_json::Value>("skills", bar_skills)
            .await
            .context("fetching /v2/skills")?;
        eprintln!(
            "skills: {} records ({:?}, {} missing)",
            fetched.value.len(),
            fetched.source,
            fetched.missing.len()
        );
        if fetched.value.is_empty() {
            // No skill answered: keep the snapshot's skill facts rather than none.
            let _ = std::fs::remove_file(&skills_file);
        } else {
            std::fs::write(&skills_file, serde_json::to_vec_pretty(&fetched.value)?)
                .with_context(|| format!("writing {}", skills_file.display()))?;
        }
    }
    for file in ["specializations.json", "gw2-data.ts"] {
        std::fs::create_dir_all(save_to.join("discretize"))?;
        std::fs::copy(discretize.join(file), save_to.join("discretize").join(file))
            .with_context(|| format!("copying {}", discretize.join(file).display()))?;
    }
    import(save_to, out)
}

/// The ids of the heal, utility and elite skills in `/v2/professions` records' `skills` lists.
fn bar_skill_ids(professions: &[serde_json::Value]) -> Vec<u32> {
    let mut ids: Vec<u32> = professions
        .iter()
        .filter_map(|p| p.get("skills").and_then(|s| s.as_array()))
        .flatten()
        .filter(|k| {
            matches!(
                k.get("slot").and_then(|s| s.as_str()),
                Some("Heal" | "Utility" | "Elite")
            )
        })
        .filter_map(|k| k.get("id").and_then(|i| i.as_u64()))
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
