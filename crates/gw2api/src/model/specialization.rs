use serde::{Deserialize, Serialize};

/// `/v2/specializations`. The list is not closed: new expansions add elite specializations.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Specialization {
    pub id: u32,
    #[serde(default)]
    pub name: String,
    /// Profession id ("Guardian").
    #[serde(default)]
    pub profession: String,
    #[serde(default)]
    pub elite: bool,
    /// Trait ids in tier order.
    #[serde(default)]
    pub minor_traits: Vec<u32>,
    /// Trait ids, three per tier, in tier order.
    #[serde(default)]
    pub major_traits: Vec<u32>,
    /// Elite specializations: the trait that unlocks their weapon.
    #[serde(default)]
    pub weapon_trait: Option<u32>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub background: Option<String>,
    #[serde(default)]
    pub profession_icon: Option<String>,
    #[serde(default)]
    pub profession_icon_big: Option<String>,
}
