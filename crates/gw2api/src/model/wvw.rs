//! `/v2/wvw/matches` and `/v2/wvw/objectives`. Times stay ISO-8601 strings (the caller parses what
//! it needs); team-keyed objects are [`PerTeam`].

use serde::{Deserialize, Serialize};

/// A value per WvW team colour (`{"red": …, "blue": …, "green": …}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct PerTeam<T> {
    #[serde(default)]
    pub red: T,
    #[serde(default)]
    pub blue: T,
    #[serde(default)]
    pub green: T,
}

/// One match-up. Ids are "region-tier": "1-2" is NA tier 2, "2-1" EU tier 1.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WvwMatch {
    pub id: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub scores: PerTeam<u64>,
    /// Host world per team.
    #[serde(default)]
    pub worlds: PerTeam<u32>,
    /// Host and linked worlds per team.
    #[serde(default)]
    pub all_worlds: PerTeam<Vec<u32>>,
    #[serde(default)]
    pub deaths: PerTeam<u64>,
    #[serde(default)]
    pub kills: PerTeam<u64>,
    #[serde(default)]
    pub victory_points: PerTeam<u64>,
    #[serde(default)]
    pub skirmishes: Vec<Skirmish>,
    #[serde(default)]
    pub maps: Vec<WvwMap>,
}

impl WvwMatch {
    /// The map of a type ("Center", "RedHome", "BlueHome", "GreenHome").
    pub fn map(&self, kind: &str) -> Option<&WvwMap> {
        self.maps.iter().find(|m| m.kind == kind)
    }
}

/// A two-hour scoring period. Ids are 1-based.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Skirmish {
    pub id: u32,
    #[serde(default)]
    pub scores: PerTeam<u64>,
    #[serde(default)]
    pub map_scores: Vec<MapScore>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapScore {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub scores: PerTeam<u64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WvwMap {
    /// Map id (resolvable with `/v2/maps`).
    pub id: u32,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub scores: PerTeam<u64>,
    #[serde(default)]
    pub bonuses: Vec<MapBonus>,
    #[serde(default)]
    pub objectives: Vec<MapObjective>,
    #[serde(default)]
    pub deaths: PerTeam<u64>,
    #[serde(default)]
    pub kills: PerTeam<u64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapBonus {
    /// "Bloodlust".
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub owner: String,
}

/// Live state of an objective within a match.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapObjective {
    /// "mapId-objectiveId", resolvable with `/v2/wvw/objectives`.
    pub id: String,
    /// "Camp", "Tower", "Keep", "Castle", "Spawn", "Mercenary", "Ruins", ...
    #[serde(rename = "type", default)]
    pub kind: String,
    /// "Red", "Blue", "Green" or "Neutral".
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub last_flipped: Option<String>,
    /// Guild id of the claiming guild.
    #[serde(default)]
    pub claimed_by: Option<String>,
    #[serde(default)]
    pub claimed_at: Option<String>,
    #[serde(default)]
    pub points_tick: Option<u32>,
    #[serde(default)]
    pub points_capture: Option<u32>,
    /// Supply shipments delivered in total (not only in the current tier).
    #[serde(default)]
    pub yaks_delivered: Option<u32>,
    /// Guild upgrade ids slotted (`/v2/guild/upgrades`).
    #[serde(default)]
    pub guild_upgrades: Vec<u32>,
}

/// `/v2/wvw/objectives`: static data about an objective.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WvwObjective {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    /// "Center", "RedHome", "BlueHome", "GreenHome", "EdgeOfTheMists", ...
    #[serde(default)]
    pub map_type: String,
    #[serde(default)]
    pub map_id: u32,
    #[serde(default)]
    pub sector_id: Option<u32>,
    /// Capture point position (2 or 3 numbers), absent on some objectives.
    #[serde(default)]
    pub coord: Option<Vec<f64>>,
    #[serde(default)]
    pub label_coord: Option<Vec<f64>>,
    #[serde(default)]
    pub marker: Option<String>,
    #[serde(default)]
    pub chat_link: Option<String>,
    #[serde(default)]
    pub upgrade_id: Option<u32>,
}
