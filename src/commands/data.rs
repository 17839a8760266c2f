//! `gw2opt data import --from DIR`: rebuilds the game-data snapshot from API-shaped JSON
//! (the layout of `../shared/data`: `gw2-api/*.json` plus discretize's specializations).

use std::path::Path;

use anyhow::Context;

pub fn import(from: &Path, out: &Path) -> anyhow::Result<()> {
    let inputs = gw2::import::ImportInputs::load(|rel| {
        std::fs::read_to_string(from.join(rel))
            .with_context(|| format!("reading {}", from.join(rel).display()))
    })?;
    let snapshot = gw2::import::build_snapshot(inputs)?;
    let json = gw2::import::snapshot_to_json(&snapshot)?;
    std::fs::write(out, &json).with_context(|| format!("writing {}", out.display()))?;
    let data = gw2::data::GameData::from_json(&json)?;
    println!(
        "wrote {}: {} professions, {} specializations, {} pets, {} legends, {} stat prefixes, {} buffs (game build {})",
        out.display(),
        data.professions().len(),
        data.specializations().len(),
        data.pets().len(),
        data.legends().len(),
        data.itemstats().len(),
        data.buffs().len(),
        data.game_build()
    );
    Ok(())
}
