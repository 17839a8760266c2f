//! A build, once: the one typed description of a character's build that the service stores,
//! the optimizer scores and every format converts to and from.
//!
//! - [`BuildDraft`] is a build as a person or a client writes it (names as typed, enums as
//!   text). [`BuildDraft::validate`] checks it against the game data once and returns a
//!   [`Build`], or a [`BuildError`] naming the field (`trait_lines.2.specialization`).
//! - [`Build`] is canonical: names as the game spells them, [`GameMode`] and [`Role`] typed,
//!   tags lowercase and unique. Its JSON is the API's build shape.
//! - Formats: [`Build::to_chat_code`] / [`BuildDraft::from_chat_code`] (the in-game build
//!   template link, which carries the profession, trait lines, skill bar, legends and pets)
//!   and [`Build::to_markdown`] / [`BuildDraft::from_markdown`] (a Snowcrows-style guide page).
//!
//! Why a draft and a build rather than one type: a request must be answered with every
//! mistake named by field and in the words of the game ("Firebrand is a Guardian
//! specialization, not Warrior"), which a deserializer that fails on the first unknown enum
//! cannot do; everything past validation reads typed values only.

mod chat_code;
mod markdown;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::GameData;
use crate::model::{Attribute, GameMode, GearSlot, Role};

pub use markdown::PageInfo;

/// One specialization line: its name and the three major trait choices (adept, master,
/// grandmaster), each 0 = none, 1 = top, 2 = middle, 3 = bottom (the game's own encoding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraitLine {
    pub specialization: String,
    pub traits: [u8; 3],
}

/// Skill bar as skill palette ids (the numbers build chat codes carry), plus profession
/// mechanics: revenant legends and ranger pets by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skills {
    #[serde(default)]
    pub heal: Option<u16>,
    #[serde(default)]
    pub utilities: [Option<u16>; 3],
    #[serde(default)]
    pub elite: Option<u16>,
    /// Revenant: up to two legends (e.g. "Legendary Dragon Stance").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legends: Vec<String>,
    /// Ranger: up to two pets by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pets: Vec<String>,
}

/// Gear: a stat prefix per slot (any of the 14 slots, `two_handed` instead of main/off hand),
/// and the rest of the equipment by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equipment {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub gear: BTreeMap<GearSlot, String>,
    #[serde(default)]
    pub runes: Option<String>,
    #[serde(default)]
    pub sigils: Vec<String>,
    #[serde(default)]
    pub relic: Option<String>,
    #[serde(default)]
    pub infusions: Vec<String>,
    #[serde(default)]
    pub food: Option<String>,
    #[serde(default)]
    pub utility: Option<String>,
}

fn default_true() -> bool {
    true
}

/// A build as sent by clients (create, replace, import).
// Named `BuildCreate` in the API's OpenAPI document, where it has always been the request body
// of `POST /builds` (this doc comment is that schema's description).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = BuildCreate))]
pub struct BuildDraft {
    pub name: String,
    pub profession: String,
    #[serde(default)]
    pub specialization: Option<String>,
    /// pve | raid | fractals | strikes | wvw | pvp, or a WvW format: wvw_zerg | wvw_guild_raid
    /// | wvw_outnumbered | wvw_roaming
    pub game_mode: String,
    /// dps | boon_dps | support | healer | tank | utility
    pub role: String,
    #[serde(default)]
    pub trait_lines: Vec<TraitLine>,
    #[serde(default)]
    pub skills: Skills,
    #[serde(default)]
    pub equipment: Equipment,
    #[serde(default)]
    pub synergies: Vec<String>,
    #[serde(default)]
    pub counters: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default = "default_true")]
    pub is_public: bool,
}

/// A validated build (see [`BuildDraft::validate`]): every name as the game spells it, the
/// mode and role typed. Serialized, it has exactly the [`BuildDraft`] shape, so a stored or
/// exported build reads back as a draft that validates to itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Build {
    pub name: String,
    /// The profession's name (`"Guardian"`).
    pub profession: String,
    /// The elite specialization's name; `None` for a core build.
    pub specialization: Option<String>,
    pub game_mode: GameMode,
    pub role: Role,
    /// Up to three lines; an elite specialization only in the third.
    pub trait_lines: Vec<TraitLine>,
    pub skills: Skills,
    pub equipment: Equipment,
    pub synergies: Vec<String>,
    pub counters: Vec<String>,
    pub description: Option<String>,
    /// Lowercase, unique, in the order first given.
    pub tags: Vec<String>,
    pub is_public: bool,
}

impl Build {
    /// The build in its input shape (enums back to their text), e.g. to merge a partial edit
    /// into it and validate the result again.
    pub fn to_draft(&self) -> BuildDraft {
        BuildDraft {
            name: self.name.clone(),
            profession: self.profession.clone(),
            specialization: self.specialization.clone(),
            game_mode: self.game_mode.as_str().to_owned(),
            role: self.role.as_str().to_owned(),
            trait_lines: self.trait_lines.clone(),
            skills: self.skills.clone(),
            equipment: self.equipment.clone(),
            synergies: self.synergies.clone(),
            counters: self.counters.clone(),
            description: self.description.clone(),
            tags: self.tags.clone(),
            is_public: self.is_public,
        }
    }
}

/// Why a draft is not a valid build: the field at fault, as a dotted path into the JSON
/// shape (`equipment.gear.helm`), and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct BuildError {
    pub field: String,
    pub message: String,
}

impl BuildError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        BuildError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Equipment {
    /// Attribute totals of the gear at level 80: base 1000 in Power, Precision, Toughness
    /// and Vitality plus the ascended per-slot values of each slot's prefix.
    pub fn attributes(&self, data: &GameData) -> BTreeMap<Attribute, u32> {
        let mut totals: BTreeMap<Attribute, u32> = BTreeMap::new();
        for base in [
            Attribute::Power,
            Attribute::Precision,
            Attribute::Toughness,
            Attribute::Vitality,
        ] {
            totals.insert(base, 1000);
        }
        for (slot, prefix) in &self.gear {
            if let Some(values) = data
                .itemstat_by_name(prefix)
                .and_then(|s| s.ascended.get(slot))
            {
                for (attribute, value) in values {
                    *totals.entry(*attribute).or_default() += value;
                }
            }
        }
        totals
    }
}
