use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `/v2/skills`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Skill {
    pub id: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub chat_link: Option<String>,
    /// "Weapon", "Heal", "Utility", "Elite", "Profession", "Bundle", ...
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub weapon_type: Option<String>,
    #[serde(default)]
    pub professions: Vec<String>,
    #[serde(default)]
    pub slot: Option<String>,
    /// Elite specialization the skill needs, if any.
    #[serde(default)]
    pub specialization: Option<u32>,
    #[serde(default)]
    pub facts: Vec<Value>,
    #[serde(default)]
    pub traited_facts: Vec<Value>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub attunement: Option<String>,
    /// Revenant energy cost.
    #[serde(default)]
    pub cost: Option<u32>,
    #[serde(default)]
    pub dual_wield: Option<String>,
    #[serde(default)]
    pub flip_skill: Option<u32>,
    /// Thief initiative cost.
    #[serde(default)]
    pub initiative: Option<u32>,
    #[serde(default)]
    pub next_chain: Option<u32>,
    #[serde(default)]
    pub prev_chain: Option<u32>,
    #[serde(default)]
    pub transform_skills: Vec<u32>,
    #[serde(default)]
    pub bundle_skills: Vec<u32>,
    #[serde(default)]
    pub toolbelt_skill: Option<u32>,
    #[serde(default)]
    pub flags: Vec<String>,
}
