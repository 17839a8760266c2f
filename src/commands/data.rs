//! `gw2opt data import --from DIR`: rebuilds the game-data snapshot from API-shaped JSON
//! (the layout of `../shared/data`: `gw2-api/*.json` plus discretize's specializations).

use std::path::Path;

use anyhow::Context;

pub fn import(from: &Path, out: &Path) -> anyhow::Result<()> {
    let mut inputs = gw2::import::ImportInputs::load(|rel| {
        std::fs::read_to_string(from.join(rel))
            .with_context(|| format!("reading {}", from.join(rel).display()))
    })?;
    inputs.skills = read_optional(&from.join(gw2::import::OPTIONAL_INPUT_FILE_SKILLS))?;
    inputs.traits = read_optional(&from.join(gw2::import::OPTIONAL_INPUT_FILE_TRAITS))?;
    let snapshot = gw2::import::build_snapshot(inputs)?;
    let json = gw2::import::snapshot_to_json(&snapshot)?;
    std::fs::write(out, &json).with_context(|| format!("writing {}", out.display()))?;
    let data = gw2::data::GameData::from_json(&json)?;
    println!(
        "wrote {}: {} professions, {} specializations, {} traits, {} skills, {} pets, {} legends, {} stat prefixes, {} buffs (game build {})",
        out.display(),
        data.professions().len(),
        data.specializations().len(),
        data.traits().len(),
        data.skills().len(),
        data.pets().len(),
        data.legends().len(),
        data.itemstats().len(),
        data.buffs().len(),
        data.game_build()
    );
    Ok(())
}

/// A file's text, or `None` when it does not exist.
fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
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
    let mut trait_ids: Vec<u32> = Vec::new();
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
        if endpoint == "specializations" {
            trait_ids = specialization_trait_ids(&fetched.value);
        }
        std::fs::write(
            save_to.join(file),
            serde_json::to_vec_pretty(&fetched.value)?,
        )
        .with_context(|| format!("writing {}", save_to.join(file).display()))?;
    }
    // The heal, utility and elite skills the professions list (names, slots and
    // specializations), and the specializations' traits (names, tiers).
    for (endpoint, ids, file) in [
        (
            "skills",
            bar_skills,
            gw2::import::OPTIONAL_INPUT_FILE_SKILLS,
        ),
        ("traits", trait_ids, gw2::import::OPTIONAL_INPUT_FILE_TRAITS),
    ] {
        fetch_optional(&client, endpoint, ids, &save_to.join(file)).await?;
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
        .filter_map(|k| k.get("id").and_then(serde_json::Value::as_u64))
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Fetches `ids` of `endpoint` into `file`; with no ids, or when none answers (or the fetch
/// fails), removes the file so that the import keeps the snapshot's facts instead.
async fn fetch_optional(
    client: &gw2api::Gw2Client,
    endpoint: &str,
    ids: Vec<u32>,
    file: &Path,
) -> anyhow::Result<()> {
    let records = if ids.is_empty() {
        Vec::new()
    } else {
        match client.get_ids::<serde_json::Value>(endpoint, ids).await {
            Ok(fetched) => {
                eprintln!(
                    "{endpoint}: {} records ({:?}, {} missing)",
                    fetched.value.len(),
                    fetched.source,
                    fetched.missing.len()
                );
                fetched.value
            }
            Err(e) => {
                eprintln!("{endpoint}: fetching failed ({e})");
                Vec::new()
            }
        }
    };
    if records.is_empty() {
        eprintln!("{endpoint}: none fetched; the snapshot keeps its facts");
        match std::fs::remove_file(file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", file.display())),
        }
        return Ok(());
    }
    std::fs::write(file, serde_json::to_vec_pretty(&records)?)
        .with_context(|| format!("writing {}", file.display()))
}

/// The minor and major trait ids of `/v2/specializations` records.
fn specialization_trait_ids(specializations: &[serde_json::Value]) -> Vec<u32> {
    let mut ids: Vec<u32> = specializations
        .iter()
        .flat_map(|s| ["minor_traits", "major_traits"].map(|k| s.get(k)))
        .flatten()
        .filter_map(|v| v.as_array())
        .flatten()
        .filter_map(serde_json::Value::as_u64)
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
