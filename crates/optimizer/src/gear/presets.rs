//! The ready-made gear inputs of `presets/gear/` (derived from discretize's preset data, see
//! each file's `source`), embedded so the service can offer them as starting points without
//! reading the repository at run time.

use super::{GearError, GearInput};

/// One preset: its file stem as id, and the input it holds.
#[derive(Debug, Clone)]
pub struct Preset {
    pub id: &'static str,
    pub input: GearInput,
}

const FILES: [(&str, &str); 3] = [
    (
        "power-berserker",
        include_str!("../../../../presets/gear/power-berserker.json"),
    ),
    (
        "condi-firebrand",
        include_str!("../../../../presets/gear/condi-firebrand.json"),
    ),
    (
        "wvw-support-firebrand",
        include_str!("../../../../presets/gear/wvw-support-firebrand.json"),
    ),
];

/// Every preset, parsed (in the order above: raid power, raid condition, WvW support).
pub fn presets() -> Result<Vec<Preset>, GearError> {
    FILES
        .iter()
        .map(|(id, text)| {
            Ok(Preset {
                id,
                input: GearInput::from_json(text)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_file_is_embedded_and_parses() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets/gear"))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix(".json").map(str::to_owned)
            })
            .count();
        let presets = presets().unwrap();
        assert_eq!(presets.len(), on_disk, "a preset file is not embedded");
        assert!(presets.iter().all(|p| !p.input.affixes.is_empty()));
        assert_eq!(presets[0].input.profession, "Warrior");
    }
}
