//! The game data the web client caches: one JSON document per language, built once (at
//! first use) from the embedded snapshot ([`gw2::GameData::embedded`], `crates/gw2/data/`) and
//! served as bytes with an `ETag`.
//!
//! Names: English as the game data spells them. In French, professions and elite
//! specializations take the French game client's names ([`gw2::names_fr`]); core
//! specializations, traits, skills, legends, pets and stat prefixes have no French names
//! yet and stay English. The document says so: `name_languages` gives each collection's
//! language (`mixed` for the specializations in French), and professions and
//! specializations carry their own `name_lang` and their English `name_en` (the API takes
//! English names).

use std::sync::LazyLock;

use bytes::Bytes;
use gw2::data::{GameData, TraitSlot};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use crate::services::lang::Lang;

/// The language a collection's names are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NameLang {
    En,
    Fr,
    /// Some entries in each language: see each entry's `name_lang`.
    Mixed,
}

/// The language of each collection's names.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NameLanguages {
    pub professions: NameLang,
    pub specializations: NameLang,
    pub traits: NameLang,
    pub skills: NameLang,
    pub legends: NameLang,
    pub pets: NameLang,
    pub itemstats: NameLang,
}

/// A weapon a profession can wield.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeaponOut {
    /// English weapon type (`"Greatsword"`).
    pub name: String,
    /// `mainhand`, `offhand`, `two_hand`, `aquatic`.
    pub hands: Vec<String>,
    /// The specialization that unlocks it (`null`: core).
    pub specialization: Option<u16>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfessionOut {
    /// API id, the English name (`"Guardian"`).
    pub id: String,
    /// In the document's language where known (`name_lang`).
    pub name: String,
    pub name_en: String,
    pub name_lang: NameLang,
    /// Build chat code number (1 Guardian … 9 Revenant).
    pub code: u8,
    /// `light`, `medium`, `heavy`.
    pub armor_weight: String,
    /// Specialization ids, core first.
    pub specializations: Vec<u16>,
    pub weapons: Vec<WeaponOut>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SpecializationOut {
    pub id: u16,
    /// In the document's language where known (`name_lang`).
    pub name: String,
    pub name_en: String,
    pub name_lang: NameLang,
    /// Profession id.
    pub profession: String,
    pub elite: bool,
    /// Minor trait ids, adept → grandmaster.
    pub minor_traits: Vec<u32>,
    /// Major trait ids: adept top/middle/bottom, master …, grandmaster ….
    pub major_traits: Vec<u32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TraitOut {
    pub id: u32,
    pub name: String,
    pub specialization: u16,
    /// 1 adept, 2 master, 3 grandmaster.
    pub tier: u8,
    /// `minor` or `major`.
    pub slot: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SkillOut {
    pub id: u32,
    /// `null` where the sources had no name.
    pub name: Option<String>,
    pub profession: String,
    /// `heal`, `utility`, `elite`.
    pub slot: String,
    /// The elite specialization that unlocks it (`null`: core).
    pub specialization: Option<u16>,
}

/// A revenant legend.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LegendOut {
    /// API id (`"Legend1"`).
    pub id: String,
    /// Build chat code number.
    pub code: u8,
    /// The legend's swap skill (`"Legendary Dragon Stance"`).
    pub name: String,
    /// The legend it channels (`"Glint"`).
    pub legend: String,
    pub swap: u32,
    pub heal: u32,
    pub utilities: Vec<u32>,
    pub elite: u32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PetOut {
    pub id: u16,
    pub name: String,
}

/// A stat prefix.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemStatOut {
    /// Stable key (`"berserker"`), what the API's gear fields take.
    pub key: String,
    /// `"Berserker's"`.
    pub name: String,
    /// discretize's category (`"Power DPS"`).
    pub category: String,
    /// Attribute names (`power`, `precision`, ...).
    pub major: Vec<String>,
    pub minor: Vec<String>,
}

/// Everything the web client needs to show and edit builds, in one language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GameDataOut {
    /// The language asked for.
    pub lang: Lang,
    /// The embedded snapshot's version label and game build.
    pub version: String,
    pub game_build: u32,
    pub name_languages: NameLanguages,
    pub professions: Vec<ProfessionOut>,
    pub specializations: Vec<SpecializationOut>,
    pub traits: Vec<TraitOut>,
    pub skills: Vec<SkillOut>,
    pub legends: Vec<LegendOut>,
    pub pets: Vec<PetOut>,
    pub itemstats: Vec<ItemStatOut>,
}

/// A document ready to send.
#[derive(Debug)]
pub struct Document {
    pub json: Bytes,
    pub sha256: [u8; 32],
}

/// The document in `lang`, built at its first use.
pub fn document(lang: Lang) -> Result<&'static Document, String> {
    static EN: LazyLock<Result<Document, String>> =
        LazyLock::new(|| encode(&build(GameData::embedded(), Lang::En)));
    static FR: LazyLock<Result<Document, String>> =
        LazyLock::new(|| encode(&build(GameData::embedded(), Lang::Fr)));
    match lang {
        Lang::En => EN.as_ref(),
        Lang::Fr => FR.as_ref(),
    }
    .map_err(Clone::clone)
}

fn encode(document: &GameDataOut) -> Result<Document, String> {
    let json = serde_json::to_vec(document).map_err(|e| e.to_string())?;
    Ok(Document {
        sha256: Sha256::digest(&json).into(),
        json: Bytes::from(json),
    })
}

/// `english` in `lang` where a name is known, with the language it is in.
fn localized(english: &str, lang: Lang) -> (String, NameLang) {
    match lang {
        Lang::Fr => match gw2::names_fr::french_name(english) {
            Some(french) => (french.to_owned(), NameLang::Fr),
            None => (english.to_owned(), NameLang::En),
        },
        Lang::En => (english.to_owned(), NameLang::En),
    }
}

/// The language of a collection from its entries'.
fn summary(langs: impl IntoIterator<Item = NameLang>) -> NameLang {
    let mut all = langs.into_iter();
    let Some(first) = all.next() else {
        return NameLang::En;
    };
    if all.all(|l| l == first) {
        first
    } else {
        NameLang::Mixed
    }
}

/// The document of `data` in `lang`.
pub fn build(data: &GameData, lang: Lang) -> GameDataOut {
    let professions: Vec<ProfessionOut> = data
        .professions()
        .iter()
        .map(|p| {
            let (name, name_lang) = localized(&p.name, lang);
            ProfessionOut {
                id: p.id.clone(),
                name,
                name_en: p.name.clone(),
                name_lang,
                code: p.code,
                armor_weight: p.armor_weight.as_str().to_owned(),
                specializations: p.specializations.clone(),
                weapons: p
                    .weapons
                    .iter()
                    .map(|w| WeaponOut {
                        name: w.name.clone(),
                        hands: w.hands.iter().map(|h| h.as_str().to_owned()).collect(),
                        specialization: w.specialization,
                    })
                    .collect(),
            }
        })
        .collect();
    let specializations: Vec<SpecializationOut> = data
        .specializations()
        .iter()
        .map(|s| {
            let (name, name_lang) = localized(&s.name, lang);
            SpecializationOut {
                id: s.id,
                name,
                name_en: s.name.clone(),
                name_lang,
                profession: s.profession.clone(),
                elite: s.elite,
                minor_traits: s.minor_traits.clone(),
                major_traits: s.major_traits.clone(),
            }
        })
        .collect();
    let snapshot = data.snapshot();
    GameDataOut {
        lang,
        version: data.version().to_owned(),
        game_build: data.game_build(),
        name_languages: NameLanguages {
            professions: summary(professions.iter().map(|p| p.name_lang)),
            specializations: summary(specializations.iter().map(|s| s.name_lang)),
            traits: NameLang::En,
            skills: NameLang::En,
            legends: NameLang::En,
            pets: NameLang::En,
            itemstats: NameLang::En,
        },
        professions,
        specializations,
        traits: snapshot
            .traits
            .iter()
            .map(|t| TraitOut {
                id: t.id,
                name: t.name.clone(),
                specialization: t.specialization,
                tier: t.tier,
                slot: match t.slot {
                    TraitSlot::Minor => "minor",
                    TraitSlot::Major => "major",
                }
                .to_owned(),
            })
            .collect(),
        skills: snapshot
            .skills
            .iter()
            .map(|k| SkillOut {
                id: k.id,
                name: k.name.clone(),
                profession: k.profession.clone(),
                slot: k.slot.as_str().to_owned(),
                specialization: k.specialization,
            })
            .collect(),
        legends: data
            .legends()
            .iter()
            .map(|l| LegendOut {
                id: l.id.clone(),
                code: l.code,
                name: l.name.clone(),
                legend: l.legend.clone(),
                swap: l.swap,
                heal: l.heal,
                utilities: l.utilities.clone(),
                elite: l.elite,
            })
            .collect(),
        pets: data
            .pets()
            .iter()
            .map(|p| PetOut {
                id: p.id,
                name: p.name.clone(),
            })
            .collect(),
        itemstats: data
            .itemstats()
            .iter()
            .map(|s| ItemStatOut {
                key: s.key.clone(),
                name: s.name.clone(),
                category: s.category.clone(),
                major: s.major.iter().map(|a| a.as_str().to_owned()).collect(),
                minor: s.minor.iter().map(|a| a.as_str().to_owned()).collect(),
            })
            .collect(),
    }
}
