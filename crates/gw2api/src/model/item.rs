use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `/v2/items`. `details` depends on `type` (weapon, armor, upgrade component, ...) and stays JSON;
/// the helpers read the parts the optimizer needs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Item {
    pub id: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub level: u32,
    #[serde(default)]
    pub rarity: String,
    #[serde(default)]
    pub vendor_value: u64,
    #[serde(default)]
    pub default_skin: Option<u32>,
    #[serde(default)]
    pub game_types: Vec<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub restrictions: Vec<String>,
    #[serde(default)]
    pub chat_link: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub details: Option<Value>,
}

impl Item {
    /// `details.type`: weapon type, armor slot, "Rune", "Sigil", ...
    pub fn detail_type(&self) -> Option<&str> {
        self.details.as_ref()?.get("type")?.as_str()
    }

    /// Itemstats ids the player may choose from (selectable-stat gear).
    pub fn stat_choices(&self) -> Vec<u32> {
        self.details
            .as_ref()
            .and_then(|d| d.get("stat_choices"))
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(Value::as_u64)
                    .filter_map(|id| u32::try_from(id).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Itemstats id of fixed-stat gear (`details.infix_upgrade.id`).
    pub fn infix_stat_id(&self) -> Option<u32> {
        let id = self
            .details
            .as_ref()?
            .get("infix_upgrade")?
            .get("id")?
            .as_u64()?;
        u32::try_from(id).ok()
    }
}
