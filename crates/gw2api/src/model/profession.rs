use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// `/v2/professions`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Profession {
    /// English name used as id ("Guardian"), whatever `lang`.
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Build-chat-code number (1 Guardian … 9 Revenant); schema 2019-12-19 or later.
    #[serde(default)]
    pub code: Option<u32>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub icon_big: Option<String>,
    /// Specialization ids, core and elite.
    #[serde(default)]
    pub specializations: Vec<u32>,
    /// Weapon name ("Greatsword") → what the profession can do with it.
    #[serde(default)]
    pub weapons: BTreeMap<String, ProfessionWeapon>,
    #[serde(default)]
    pub flags: Vec<String>,
    /// Profession mechanics, heal, utility and elite skills.
    #[serde(default)]
    pub skills: Vec<ProfessionSkill>,
    #[serde(default)]
    pub training: Option<Vec<Training>>,
    /// `[palette id, skill id]` pairs: build chat codes store palette ids, this maps them to
    /// skills. Schema 2019-12-19 or later. Pairs that are not two numbers are skipped.
    #[serde(default, deserialize_with = "palette_pairs")]
    pub skills_by_palette: Option<Vec<[u32; 2]>>,
}

impl Profession {
    /// The skill id behind a build-code palette id, when the API gave the palette table.
    pub fn skill_for_palette(&self, palette: u32) -> Option<u32> {
        self.skills_by_palette
            .as_ref()?
            .iter()
            .find(|[p, _]| *p == palette)
            .map(|[_, skill]| *skill)
    }
}

fn palette_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<[u32; 2]>>, D::Error> {
    let raw: Option<Vec<serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw.map(|pairs| {
        pairs
            .into_iter()
            .filter_map(|pair| serde_json::from_value::<[u32; 2]>(pair).ok())
            .collect()
    }))
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ProfessionWeapon {
    /// Elite specialization required to wield it, if any.
    #[serde(default)]
    pub specialization: Option<u32>,
    /// "Mainhand", "Offhand", "TwoHand", "Aquatic".
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub skills: Vec<WeaponSkill>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WeaponSkill {
    pub id: u32,
    /// "Weapon_1" … "Weapon_5".
    #[serde(default)]
    pub slot: String,
    /// Thief dual-wield skills: the offhand they need.
    #[serde(default)]
    pub offhand: Option<String>,
    /// Elementalist: the attunement the skill belongs to.
    #[serde(default)]
    pub attunement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ProfessionSkill {
    pub id: u32,
    /// "Profession_1", "Heal", "Utility", "Elite", ...
    #[serde(default)]
    pub slot: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub attunement: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Training {
    pub id: u32,
    /// "Skills", "Specializations", "EliteSpecializations".
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub track: Vec<TrainingStep>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TrainingStep {
    #[serde(default)]
    pub cost: u32,
    /// "Skill" or "Trait".
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub skill_id: Option<u32>,
    #[serde(default)]
    pub trait_id: Option<u32>,
}
