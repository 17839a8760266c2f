use serde::{Deserialize, Serialize};

/// `/v2/itemstats`: a stat combination (prefix) and how it scales on gear.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ItemStat {
    pub id: u32,
    /// Localized prefix name; empty for some internal combinations.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub attributes: Vec<ItemStatAttribute>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ItemStatAttribute {
    /// "Power", "Precision", "CritDamage", "ConditionDamage", "BoonDuration", ...
    pub attribute: String,
    /// Factor applied to the item's attribute adjustment.
    #[serde(default)]
    pub multiplier: f64,
    /// Flat amount added.
    #[serde(default)]
    pub value: f64,
}
