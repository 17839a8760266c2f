//! Display names: professions and elite specializations, and WvW maps.

/// GW2 profession / elite specialization name (GW2 API specialization ids).
pub fn profession_name(profession: u32, elite: u32) -> String {
    let base = match profession {
        1 => "Guardian",
        2 => "Warrior",
        3 => "Engineer",
        4 => "Ranger",
        5 => "Thief",
        6 => "Elementalist",
        7 => "Mesmer",
        8 => "Necromancer",
        9 => "Revenant",
        _ => "Unknown",
    };
    // Pre-2017 logs: elite == 1 means the HoT elite spec (EI GetAgentProfString).
    if elite == 1 {
        let hot = match profession {
            1 => "Dragonhunter",
            2 => "Berserker",
            3 => "Scrapper",
            4 => "Druid",
            5 => "Daredevil",
            6 => "Tempest",
            7 => "Chronomancer",
            8 => "Reaper",
            9 => "Herald",
            _ => base,
        };
        return hot.to_string();
    }
    let spec = match elite {
        5 => "Druid",
        7 => "Daredevil",
        18 => "Berserker",
        27 => "Dragonhunter",
        34 => "Reaper",
        40 => "Chronomancer",
        43 => "Scrapper",
        48 => "Tempest",
        52 => "Herald",
        55 => "Soulbeast",
        56 => "Weaver",
        57 => "Holosmith",
        58 => "Deadeye",
        59 => "Mirage",
        60 => "Scourge",
        61 => "Spellbreaker",
        62 => "Firebrand",
        63 => "Renegade",
        64 => "Harbinger",
        65 => "Willbender",
        66 => "Virtuoso",
        67 => "Catalyst",
        68 => "Bladesworn",
        69 => "Vindicator",
        70 => "Mechanist",
        71 => "Specter",
        72 => "Untamed",
        _ => base,
    };
    spec.to_string()
}

/// The fight's name, from the log species (1 WvW, 2 map log, else an encounter) and, for the
/// WvW maps, the map (GW2 API map ids).
pub(super) fn fight_name(species: u16, map: Option<u64>) -> String {
    let base = match species {
        1 => "World vs World",
        2 => "Map",
        _ => "Encounter",
    };
    match (species, map) {
        (1, Some(38)) => "World vs World - Eternal Battlegrounds".into(),
        (1, Some(95)) => "World vs World - Green Alpine Borderlands".into(),
        (1, Some(96)) => "World vs World - Blue Alpine Borderlands".into(),
        (1, Some(1099)) => "World vs World - Red Desert Borderlands".into(),
        (1, Some(968)) => "World vs World - Edge of the Mists".into(),
        (1, Some(899)) => "World vs World - Obsidian Sanctum".into(),
        _ => base.into(),
    }
}
