//! Builds a [`Snapshot`] from the official API responses, discretize's English game data and
//! the curated facts file, all passed in as strings (this crate does no I/O; the `import`
//! example and the CLI read the files).
//!
//! Merge rules, so that a later sync with newer inputs needs no code change:
//! - Professions: ids, weapons and (when present) `code`/`skills_by_palette` from the API;
//!   chat-code number, armor weight and base health from `curated.json`; armor defense from
//!   discretize's `defenseValues` for the weight. A disagreement between sources is an error.
//! - Specializations: the union of the API and discretize lists (discretize is newer and holds
//!   the later elites). English name from discretize's key (display spacing from the curated
//!   table, else capitalized); traits from discretize when both have them (newer balance);
//!   elite flag and weapon trait from the API, and a specialization the API does not know yet
//!   is elite (every specialization added after launch is).
//! - Pets: API ids plus curated ones, English names from the curated list.
//! - Stat prefixes: discretize's affixes, each matched to every `/v2/itemstats` entry with the
//!   same attribute set and major attributes; per-slot values from discretize's tables.
//! - Legends, weapon type ids, boons and conditions: from the curated file.

mod ts;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use thiserror::Error;

use crate::data::{
    AffixKind, Attribute, Buff, DataError, GameData, GearSlot, ItemStat, Legend, Pet, Profession,
    ProfessionWeapon, Skill, SkillSlot, Snapshot, Source, Specialization, StatAttribute, Trait,
    TraitSlot, WeaponHand, WeaponType, SNAPSHOT_FORMAT,
};
use crate::model::ArmorWeight;

/// The curated facts file compiled into the crate (`crates/gw2/data/curated.json`).
pub const CURATED_JSON: &str = include_str!("../../data/curated.json");

/// The skill facts file compiled into the crate (`crates/gw2/data/skills.json`): each
/// profession's palette ↔ skill pairs and the heal, utility and elite skills, for API inputs
/// that predate them.
pub const SKILLS_JSON: &str = include_str!("../../data/skills.json");

/// The trait facts file compiled into the crate (`crates/gw2/data/traits.json`): names, tiers
/// and slots of every trait, for API inputs without `/v2/traits`.
pub const TRAITS_JSON: &str = include_str!("../../data/traits.json");

/// The importer's inputs, each the full text of one file.
#[derive(Debug, Clone, Default)]
pub struct ImportInputs {
    /// `/v2/build` (`{"id": 115267}`).
    pub build: String,
    /// `/v2/professions?ids=all`.
    pub professions: String,
    /// `/v2/specializations?ids=all`.
    pub specializations: String,
    /// `/v2/itemstats?ids=all`.
    pub itemstats: String,
    /// `/v2/pets?ids=all`.
    pub pets: String,
    /// discretize `specializations.json` (English keys, newer trait lists).
    pub discretize_specializations: String,
    /// discretize `gw2-data.ts` (affixes, per-slot values, health and defense tiers).
    pub discretize_gw2_data: String,
    /// `curated.json` (usually [`CURATED_JSON`]).
    pub curated: String,
    /// `/v2/skills?ids=…` for the professions' heal, utility and elite skills, when fetched
    /// (`gw2-api/skills.json`, optional).
    pub skills: Option<String>,
    /// `skills.json` facts (usually [`SKILLS_JSON`]): used where the API inputs carry no
    /// `skills_by_palette` or no skills.
    pub skill_facts: String,
    /// `/v2/traits?ids=…` for the specializations' traits, when fetched
    /// (`gw2-api/traits.json`, optional).
    pub traits: Option<String>,
    /// `traits.json` facts (usually [`TRAITS_JSON`]): used when `traits` is absent.
    pub trait_facts: String,
}

/// The optional API input of traits: read when present.
pub const OPTIONAL_INPUT_FILE_TRAITS: &str = "gw2-api/traits.json";

/// The optional API input: read when present.
pub const OPTIONAL_INPUT_FILE_SKILLS: &str = "gw2-api/skills.json";

/// Which file each input is, relative to the reference data directory
/// (`shared/data` in the project).
pub const INPUT_FILES: [(&str, &str); 7] = [
    ("build", "gw2-api/build.json"),
    ("professions", "gw2-api/professions.json"),
    ("specializations", "gw2-api/specializations.json"),
    ("itemstats", "gw2-api/itemstats.json"),
    ("pets", "gw2-api/pets.json"),
    (
        "discretize_specializations",
        "discretize/specializations.json",
    ),
    ("discretize_gw2_data", "discretize/gw2-data.ts"),
];

impl ImportInputs {
    /// Fills the inputs through `read(relative_path)` (see [`INPUT_FILES`]) and uses the
    /// embedded curated file. The caller owns the I/O.
    pub fn load<E>(mut read: impl FnMut(&str) -> Result<String, E>) -> Result<Self, E> {
        let mut i = ImportInputs {
            curated: CURATED_JSON.to_string(),
            skill_facts: SKILLS_JSON.to_string(),
            trait_facts: TRAITS_JSON.to_string(),
            ..Default::default()
        };
        for (field, path) in INPUT_FILES {
            let text = read(path)?;
            match field {
                "build" => i.build = text,
                "professions" => i.professions = text,
                "specializations" => i.specializations = text,
                "itemstats" => i.itemstats = text,
                "pets" => i.pets = text,
                "discretize_specializations" => i.discretize_specializations = text,
                _ => i.discretize_gw2_data = text,
            }
        }
        Ok(i)
    }
}

/// Why an import failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("input `{input}` is not the expected JSON: {source}")]
    Json {
        input: &'static str,
        source: serde_json::Error,
    },
    #[error("gw2-data.ts: cannot read `{table}`: {message}")]
    Ts {
        table: &'static str,
        message: String,
    },
    #[error("missing {kind} for {key}")]
    Missing { kind: &'static str, key: String },
    #[error("sources disagree on {what}: {detail}")]
    Conflict { what: String, detail: String },
    #[error("unexpected {what}: {value}")]
    Unexpected { what: &'static str, value: String },
    #[error("the built snapshot is inconsistent: {0}")]
    Data(#[from] DataError),
}

fn json<T: for<'de> Deserialize<'de>>(input: &'static str, text: &str) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|source| ImportError::Json { input, source })
}

#[derive(Deserialize)]
struct ApiBuild {
    id: u32,
}

#[derive(Deserialize)]
struct ApiWeapon {
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    specialization: Option<u16>,
}

#[derive(Deserialize)]
struct ApiProfession {
    id: String,
    #[serde(default)]
    code: Option<u8>,
    #[serde(default)]
    weapons: BTreeMap<String, ApiWeapon>,
    #[serde(default)]
    skills_by_palette: Vec<[u32; 2]>,
}

#[derive(Deserialize)]
struct ApiSkill {
    id: u32,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    slot: Option<String>,
    #[serde(default)]
    professions: Vec<String>,
    #[serde(default)]
    specialization: Option<u16>,
}

#[derive(Deserialize)]
struct ApiTrait {
    id: u32,
    name: String,
    specialization: u16,
    tier: u8,
    slot: String,
}

#[derive(Deserialize)]
struct TraitFacts {
    sources: Vec<Source>,
    traits: Vec<Trait>,
}

#[derive(Deserialize)]
struct SkillFacts {
    sources: Vec<Source>,
    palettes: BTreeMap<String, Vec<[u32; 2]>>,
    skills: Vec<Skill>,
}

#[derive(Deserialize)]
struct ApiSpecialization {
    id: u16,
    profession: String,
    elite: bool,
    #[serde(default)]
    weapon_trait: Option<u32>,
}

#[derive(Deserialize)]
struct ApiAttribute {
    attribute: String,
    multiplier: f64,
    value: f64,
}

#[derive(Deserialize)]
struct ApiItemStat {
    id: u32,
    #[serde(default)]
    attributes: Vec<ApiAttribute>,
}

#[derive(Deserialize)]
struct ApiPet {
    id: u16,
}

#[derive(Deserialize)]
struct DiscSpecialization {
    id: u16,
    name: String,
    profession: String,
    minor_traits: Vec<u32>,
    major_traits: Vec<u32>,
}

#[derive(Deserialize)]
struct CuratedProfession {
    id: String,
    code: u8,
    armor_weight: ArmorWeight,
    base_health: u32,
}

#[derive(Deserialize)]
struct Curated {
    revision: u32,
    sources: Vec<Source>,
    professions: Vec<CuratedProfession>,
    specialization_display_names: BTreeMap<String, String>,
    pets: Vec<Pet>,
    legends: Vec<Legend>,
    weapon_types: Vec<WeaponType>,
    itemstat_names: BTreeMap<String, String>,
    buffs: Vec<Buff>,
}

fn ts_table(src: &str, table: &'static str) -> Result<ts::Value, ImportError> {
    ts::parse_const(src, table).map_err(|message| ImportError::Ts { table, message })
}

fn ts_bad(table: &'static str, message: impl Into<String>) -> ImportError {
    ImportError::Ts {
        table,
        message: message.into(),
    }
}

/// Builds the snapshot. Pure: same inputs, same snapshot.
pub fn build_snapshot(inputs: ImportInputs) -> Result<Snapshot, ImportError> {
    let build: ApiBuild = json("build", &inputs.build)?;
    let api_profs: Vec<ApiProfession> = json("professions", &inputs.professions)?;
    let api_specs: Vec<ApiSpecialization> = json("specializations", &inputs.specializations)?;
    let api_stats: Vec<ApiItemStat> = json("itemstats", &inputs.itemstats)?;
    let api_pets: Vec<ApiPet> = json("pets", &inputs.pets)?;
    let disc_specs: Vec<DiscSpecialization> = json(
        "discretize_specializations",
        &inputs.discretize_specializations,
    )?;
    let curated: Curated = json("curated", &inputs.curated)?;
    let facts: SkillFacts = json("skill_facts", &inputs.skill_facts)?;
    let api_skills: Option<Vec<ApiSkill>> = match &inputs.skills {
        Some(text) => Some(json("skills", text)?),
        None => None,
    };
    let trait_facts: TraitFacts = json("trait_facts", &inputs.trait_facts)?;
    let api_traits: Option<Vec<ApiTrait>> = match &inputs.traits {
        Some(text) => Some(json("traits", text)?),
        None => None,
    };
    let mut facts_used = false;
    let tsrc = &inputs.discretize_gw2_data;

    // ---- professions ----
    let defense = ts_table(tsrc, "defenseValues")?;
    let health = ts_table(tsrc, "healthValues")?;
    let health_tiers: BTreeSet<u32> = health
        .as_object()
        .ok_or_else(|| ts_bad("healthValues", "not an object"))?
        .values()
        .filter_map(ts::Value::as_num)
        .map(|n| n as u32)
        .collect();
    let mut professions = Vec::new();
    for cp in &curated.professions {
        let api = api_profs
            .iter()
            .find(|p| p.id == cp.id)
            .ok_or_else(|| ImportError::Missing {
                kind: "API profession",
                key: cp.id.clone(),
            })?;
        if let Some(code) = api.code {
            if code != cp.code {
                return Err(ImportError::Conflict {
                    what: format!("{} chat-code number", cp.id),
                    detail: format!("API says {code}, curated says {}", cp.code),
                });
            }
        }
        if !health_tiers.contains(&cp.base_health) {
            return Err(ImportError::Conflict {
                what: format!("{} base health", cp.id),
                detail: format!(
                    "{} is not one of discretize's tiers {health_tiers:?}",
                    cp.base_health
                ),
            });
        }
        let weight_key = cp.armor_weight.as_str().to_ascii_uppercase();
        let armor_defense = defense
            .get(&weight_key)
            .and_then(ts::Value::as_num)
            .ok_or_else(|| ts_bad("defenseValues", format!("no {weight_key}")))?
            as u32;
        let mut weapons = Vec::new();
        for (name, w) in &api.weapons {
            let mut hands = Vec::new();
            for f in &w.flags {
                hands.push(
                    f.parse::<WeaponHand>()
                        .map_err(|_| ImportError::Unexpected {
                            what: "weapon flag",
                            value: f.clone(),
                        })?,
                );
            }
            weapons.push(ProfessionWeapon {
                name: name.clone(),
                hands,
                specialization: w.specialization,
            });
        }
        professions.push(Profession {
            id: cp.id.clone(),
            name: cp.id.clone(),
            code: cp.code,
            armor_weight: cp.armor_weight,
            base_health: cp.base_health,
            armor_defense,
            specializations: Vec::new(),
            weapons,
            skills_by_palette: if api.skills_by_palette.is_empty() {
                let pairs = facts.palettes.get(&cp.id).cloned().unwrap_or_default();
                facts_used |= !pairs.is_empty();
                pairs
            } else {
                api.skills_by_palette.clone()
            },
        });
    }
    if let Some(extra) = api_profs
        .iter()
        .find(|p| !professions.iter().any(|q| q.id == p.id))
    {
        return Err(ImportError::Missing {
            kind: "curated profession facts",
            key: extra.id.clone(),
        });
    }
    professions.sort_by_key(|p| p.code);
    let prof_id = |name: &str| -> Result<String, ImportError> {
        professions
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(name))
            .map(|p| p.id.clone())
            .ok_or_else(|| ImportError::Unexpected {
                what: "profession name",
                value: name.to_string(),
            })
    };

    // ---- specializations ----
    let ids: BTreeSet<u16> = api_specs
        .iter()
        .map(|s| s.id)
        .chain(disc_specs.iter().map(|s| s.id))
        .collect();
    let mut specializations = Vec::new();
    for id in ids {
        let api = api_specs.iter().find(|s| s.id == id);
        let disc = disc_specs.iter().find(|s| s.id == id);
        let Some(disc) = disc else {
            return Err(ImportError::Missing {
                kind: "English specialization name (discretize specializations.json)",
                key: id.to_string(),
            });
        };
        let profession = prof_id(&disc.profession)?;
        if let Some(api) = api {
            if prof_id(&api.profession)? != profession {
                return Err(ImportError::Conflict {
                    what: format!("profession of specialization {id}"),
                    detail: format!("API {}, discretize {}", api.profession, disc.profession),
                });
            }
        }
        let name = curated
            .specialization_display_names
            .get(&disc.name)
            .cloned()
            .unwrap_or_else(|| capitalize(&disc.name));
        specializations.push(Specialization {
            id,
            name,
            profession,
            elite: api.is_none_or(|a| a.elite),
            minor_traits: disc.minor_traits.clone(),
            major_traits: disc.major_traits.clone(),
            weapon_trait: api.and_then(|a| a.weapon_trait),
        });
    }
    for p in &mut professions {
        p.specializations = specializations
            .iter()
            .filter(|s| s.profession == p.id)
            .map(|s| s.id)
            .collect();
    }

    // ---- pets ----
    let mut pet_ids: BTreeSet<u16> = api_pets.iter().map(|p| p.id).collect();
    pet_ids.extend(curated.pets.iter().map(|p| p.id));
    let mut pets = Vec::new();
    for id in pet_ids {
        let p = curated
            .pets
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ImportError::Missing {
                kind: "English pet name",
                key: id.to_string(),
            })?;
        pets.push(p.clone());
    }

    // ---- stat prefixes ----
    let itemstats = build_itemstats(tsrc, &api_stats, &curated.itemstat_names)?;

    // ---- skills ----
    let mut skills = match api_skills {
        Some(list) => skills_from_api(list, &professions)?,
        None => {
            facts_used = true;
            facts.skills
        }
    };
    // A skill of an elite specialization this import does not have cannot be slotted.
    skills.retain(|k| {
        k.specialization
            .is_none_or(|s| specializations.iter().any(|sp| sp.id == s))
    });
    let code_of = |prof: &str| professions.iter().find(|p| p.id == prof).map(|p| p.code);
    skills.sort_by_key(|k| (code_of(&k.profession), k.id));
    let mut sources = curated.sources;
    if facts_used {
        sources.extend(facts.sources);
    }

    // ---- traits ----
    let mut traits = match api_traits {
        Some(list) => list
            .into_iter()
            .map(|t| {
                let slot = match t.slot.as_str() {
                    "Minor" => TraitSlot::Minor,
                    "Major" => TraitSlot::Major,
                    other => {
                        return Err(ImportError::Unexpected {
                            what: "trait slot",
                            value: other.to_owned(),
                        })
                    }
                };
                Ok(Trait {
                    id: t.id,
                    name: t.name,
                    specialization: t.specialization,
                    tier: t.tier,
                    slot,
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => {
            sources.extend(trait_facts.sources);
            trait_facts.traits
        }
    };
    // Only the traits the imported specializations list (the API also serves retired ones).
    traits.retain(|t| {
        specializations.iter().any(|s| {
            s.id == t.specialization
                && (s.minor_traits.contains(&t.id) || s.major_traits.contains(&t.id))
        })
    });
    traits.sort_by_key(|t| (t.specialization, t.id));

    let snapshot = Snapshot {
        format: SNAPSHOT_FORMAT,
        version: format!("{}.{}", build.id, curated.revision),
        game_build: build.id,
        sources,
        professions,
        specializations,
        pets,
        legends: curated.legends,
        weapon_types: curated.weapon_types,
        itemstats,
        buffs: curated.buffs,
        skills,
        traits,
    };
    GameData::from_snapshot(snapshot.clone())?;
    Ok(snapshot)
}

/// The heal, utility and elite skills of `/v2/skills` records (other slots — weapon,
/// profession mechanics, racial skills without a profession — are not bar skills the
/// snapshot needs).
fn skills_from_api(
    list: Vec<ApiSkill>,
    professions: &[Profession],
) -> Result<Vec<Skill>, ImportError> {
    let mut out = Vec::new();
    for k in list {
        let slot = match k.slot.as_deref() {
            Some("Heal") => SkillSlot::Heal,
            Some("Utility") => SkillSlot::Utility,
            Some("Elite") => SkillSlot::Elite,
            _ => continue,
        };
        let Some(profession) = k
            .professions
            .iter()
            .find_map(|n| professions.iter().find(|p| p.id.eq_ignore_ascii_case(n)))
        else {
            continue;
        };
        out.push(Skill {
            id: k.id,
            name: k.name.filter(|n| !n.trim().is_empty()),
            profession: profession.id.clone(),
            slot,
            specialization: k.specialization.filter(|&s| s != 0),
        });
    }
    Ok(out)
}

/// Pretty JSON with a trailing newline: the committed file's exact form.
pub fn snapshot_to_json(snapshot: &Snapshot) -> Result<String, ImportError> {
    let mut s = serde_json::to_string_pretty(snapshot).map_err(|source| ImportError::Json {
        input: "snapshot",
        source,
    })?;
    s.push('\n');
    Ok(s)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const SLOT_TABLE: [(GearSlot, &str); 15] = [
    (GearSlot::Helm, "HELM"),
    (GearSlot::Shoulders, "SHOULDERS"),
    (GearSlot::Coat, "CHEST"),
    (GearSlot::Gloves, "GLOVES"),
    (GearSlot::Leggings, "LEGGINGS"),
    (GearSlot::Boots, "BOOTS"),
    (GearSlot::Amulet, "AMULET"),
    (GearSlot::Ring1, "RING"),
    (GearSlot::Ring2, "RING"),
    (GearSlot::Accessory1, "ACCESSORY"),
    (GearSlot::Accessory2, "ACCESSORY"),
    (GearSlot::Back, "BACK_ITEM"),
    (GearSlot::MainHand, "ONEHANDED_WEAPON"),
    (GearSlot::OffHand, "ONEHANDED_WEAPON"),
    (GearSlot::TwoHanded, "TWOHANDED_WEAPON"),
];

fn attr_list(v: Option<&ts::Value>, table: &'static str) -> Result<Vec<Attribute>, ImportError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let arr = v
        .as_array()
        .ok_or_else(|| ts_bad(table, "attribute list is not an array"))?;
    arr.iter()
        .map(|a| {
            a.as_str()
                .and_then(Attribute::from_any_name)
                .ok_or_else(|| ts_bad(table, format!("unknown attribute {a:?}")))
        })
        .collect()
}

/// Per-slot values of one affix from one of discretize's tables.
fn slot_values(
    table: &ts::Value,
    table_name: &'static str,
    kind_key: &str,
    bonuses: &ts::Value,
) -> Result<BTreeMap<GearSlot, BTreeMap<Attribute, u32>>, ImportError> {
    let mut out = BTreeMap::new();
    for (slot, key) in SLOT_TABLE {
        let row = table
            .get(key)
            .and_then(|r| r.get(kind_key))
            .ok_or_else(|| ts_bad(table_name, format!("no {key}.{kind_key}")))?;
        let mut vals: BTreeMap<Attribute, u32> = BTreeMap::new();
        if let Some(m) = bonuses.as_object() {
            for (part, attrs) in m {
                let amount = row.get(part).and_then(ts::Value::as_num).unwrap_or(0.0);
                if amount <= 0.0 {
                    continue;
                }
                for a in attr_list(Some(attrs), table_name)? {
                    *vals.entry(a).or_insert(0) += amount.round() as u32;
                }
            }
        }
        if !vals.is_empty() {
            out.insert(slot, vals);
        }
    }
    Ok(out)
}

fn build_itemstats(
    tsrc: &str,
    api_stats: &[ApiItemStat],
    names: &BTreeMap<String, String>,
) -> Result<Vec<ItemStat>, ImportError> {
    let affixes = ts_table(tsrc, "Affix")?;
    let ascended = ts_table(tsrc, "ascendedStats")?;
    let exotic = ts_table(tsrc, "exoticStats")?;

    // API entries as (id, attributes, majors).
    struct Entry {
        id: u32,
        attrs: Vec<StatAttribute>,
        set: BTreeSet<Attribute>,
        majors: BTreeSet<Attribute>,
    }
    let mut entries = Vec::new();
    'entries: for s in api_stats {
        if s.attributes.is_empty() {
            continue;
        }
        let mut attrs = Vec::new();
        for a in &s.attributes {
            let Some(attribute) = Attribute::from_any_name(&a.attribute) else {
                continue 'entries;
            };
            attrs.push(StatAttribute {
                attribute,
                multiplier: a.multiplier,
                value: a.value.max(0.0).round() as u32,
            });
        }
        let by_mult = attrs.iter().any(|a| a.multiplier > 0.0);
        let key = |a: &StatAttribute| {
            if by_mult {
                a.multiplier
            } else {
                f64::from(a.value)
            }
        };
        let max = attrs.iter().map(key).fold(f64::MIN, f64::max);
        let majors = attrs
            .iter()
            .filter(|a| (key(a) - max).abs() < 1e-9)
            .map(|a| a.attribute)
            .collect();
        let set = attrs.iter().map(|a| a.attribute).collect();
        entries.push(Entry {
            id: s.id,
            attrs,
            set,
            majors,
        });
    }

    let map = affixes
        .as_object()
        .ok_or_else(|| ts_bad("Affix", "not an object"))?;
    let mut out = Vec::new();
    let mut claimed: BTreeMap<u32, String> = BTreeMap::new();
    for (key, affix) in map {
        if key == "Custom" {
            continue;
        }
        let ty = affix
            .get("type")
            .and_then(|t| t.as_str())
            .ok_or_else(|| ts_bad("Affix", format!("{key} has no type")))?;
        let kind = match ty {
            "triple" => AffixKind::Triple,
            "quadruple" => AffixKind::Quadruple,
            "celestial" => AffixKind::Celestial,
            "ascendedMismatchedTrinket" => AffixKind::MismatchedTrinket,
            "trinketsBackOnly" => AffixKind::TrinketsAndBack,
            other => {
                return Err(ImportError::Unexpected {
                    what: "affix type",
                    value: other.to_string(),
                })
            }
        };
        let bonuses = affix
            .get("bonuses")
            .ok_or_else(|| ts_bad("Affix", format!("{key} has no bonuses")))?;
        let major = attr_list(bonuses.get("major"), "Affix")?;
        let minor = attr_list(bonuses.get("minor"), "Affix")?;
        let mut set: BTreeSet<Attribute> = major.iter().chain(minor.iter()).copied().collect();
        set.extend(attr_list(bonuses.get("jewelMajor"), "Affix")?);
        set.extend(attr_list(bonuses.get("jewelMinor"), "Affix")?);
        let majors: BTreeSet<Attribute> = if kind == AffixKind::Celestial {
            set.clone()
        } else {
            major.iter().copied().collect()
        };
        let matched: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.set == set && e.majors == majors)
            .collect();
        for e in &matched {
            if let Some(prev) = claimed.insert(e.id, key.clone()) {
                return Err(ImportError::Conflict {
                    what: format!("itemstat {}", e.id),
                    detail: format!("matches both {prev} and {key}"),
                });
            }
        }
        let representative = matched
            .iter()
            .max_by_key(|e| {
                (
                    e.attrs.iter().filter(|a| a.multiplier > 0.0).count(),
                    std::cmp::Reverse(e.id),
                )
            })
            .map(|e| e.attrs.clone())
            .unwrap_or_default();
        out.push(ItemStat {
            key: key.to_ascii_lowercase(),
            name: names.get(key).cloned().unwrap_or_else(|| key.clone()),
            kind,
            category: affix
                .get("category")
                .and_then(|c| c.as_str())
                .unwrap_or_default()
                .to_string(),
            ids: matched.iter().map(|e| e.id).collect(),
            major,
            minor,
            attributes: representative,
            ascended: slot_values(&ascended, "ascendedStats", ty, bonuses)?,
            exotic: slot_values(&exotic, "exoticStats", ty, bonuses)?,
        });
    }
    Ok(out)
}
