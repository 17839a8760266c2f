//! The game data snapshot and its look-ups.
//!
//! [`Snapshot`] is the serialized form (`crates/gw2/data/snapshot.json`, written by
//! [`crate::import::build_snapshot`]); [`GameData`] is a snapshot plus indexes. Everything is
//! owned data keyed by ids the game uses, and every list is open: a later sync may add
//! specializations (new elites), pets, legends or stat prefixes without code changes, which is
//! why specializations are looked up rather than enumerated in Rust.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use crate::model::{ArmorWeight, Attribute, BuffKind, GearSlot, WeaponHand};

/// Snapshot schema version this crate reads and writes.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Where a part of the snapshot came from (path, repository, commit), kept in the file itself
/// so the derived data always cites its origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// What this source provided.
    pub provides: String,
    /// Path of the input (relative to the reference data directory) or a description.
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub repository: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub license: String,
}

/// A weapon a profession can wield.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfessionWeapon {
    /// English weapon type name as in the API (`"Greatsword"`).
    pub name: String,
    pub hands: Vec<WeaponHand>,
    /// Specialization that unlocks it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialization: Option<u16>,
}

/// One of the nine professions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profession {
    /// API id, which is also the English name (`"Guardian"`).
    pub id: String,
    /// English display name.
    pub name: String,
    /// Build-chat-code profession code (1 Guardian … 9 Revenant).
    pub code: u8,
    pub armor_weight: ArmorWeight,
    /// Health at level 80 with 0 Vitality bonus (health = base + 10 × Vitality).
    pub base_health: u32,
    /// Armor defense of a full ascended set of this weight (armor = defense + Toughness).
    pub armor_defense: u32,
    /// Specialization ids in API order (core first).
    pub specializations: Vec<u16>,
    pub weapons: Vec<ProfessionWeapon>,
    /// `[palette id, skill id]` pairs from the API's `skills_by_palette` when the source had
    /// them (API schema 2019-12-19 or later); empty otherwise — never guessed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills_by_palette: Vec<[u32; 2]>,
}

impl Profession {
    /// Whether the build code's profession block holds ranger pets.
    pub fn has_pets(&self) -> bool {
        self.id == "Ranger"
    }

    /// Whether the build code's profession block holds revenant legends.
    pub fn has_legends(&self) -> bool {
        self.id == "Revenant"
    }
}

/// A specialization (trait line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Specialization {
    pub id: u16,
    /// English name (`"Death Magic"`).
    pub name: String,
    /// Profession API id (`"Necromancer"`).
    pub profession: String,
    pub elite: bool,
    /// Minor trait ids, adept → grandmaster.
    pub minor_traits: Vec<u32>,
    /// Major trait ids: adept top/middle/bottom, master …, grandmaster … (9 entries).
    pub major_traits: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weapon_trait: Option<u32>,
}

/// A ranger pet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pet {
    pub id: u16,
    pub name: String,
}

/// A revenant legend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Legend {
    /// API id (`"Legend1"`).
    pub id: String,
    /// Build-chat-code legend code.
    pub code: u8,
    /// English name of the legend's swap skill (`"Legendary Dragon Stance"`).
    pub name: String,
    /// The legend it channels (`"Glint"`).
    pub legend: String,
    pub swap: u32,
    pub heal: u32,
    pub utilities: Vec<u32>,
    pub elite: u32,
}

/// Whether a trait is always on in its line (minor) or one of three choices (major).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraitSlot {
    Minor,
    Major,
}

/// A trait (`/v2/traits`): its name and place. The position of a major trait within its tier
/// is its index in the specialization's `major_traits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trait {
    pub id: u32,
    pub name: String,
    pub specialization: u16,
    /// 1 adept, 2 master, 3 grandmaster.
    pub tier: u8,
    pub slot: TraitSlot,
}

/// Which skill bar slot a skill goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillSlot {
    Heal,
    Utility,
    Elite,
}

impl SkillSlot {
    pub fn as_str(self) -> &'static str {
        match self {
            SkillSlot::Heal => "heal",
            SkillSlot::Utility => "utility",
            SkillSlot::Elite => "elite",
        }
    }
}

/// A heal, utility or elite skill of a profession (`/v2/skills`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    pub id: u32,
    /// English name; `None` where the sources had none (a few of the newest skills).
    pub name: Option<String>,
    /// Profession id (`"Guardian"`).
    pub profession: String,
    pub slot: SkillSlot,
    /// The elite specialization that unlocks it; `None` for core skills.
    pub specialization: Option<u16>,
}

/// Where a revenant legend keeps a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LegendSlot {
    Heal,
    Utility(usize),
    Elite,
}

impl Legend {
    fn slot_of(&self, skill: u32) -> Option<LegendSlot> {
        if self.heal == skill {
            Some(LegendSlot::Heal)
        } else if self.elite == skill {
            Some(LegendSlot::Elite)
        } else {
            self.utilities
                .iter()
                .position(|&u| u == skill)
                .map(LegendSlot::Utility)
        }
    }

    fn skill_at(&self, slot: LegendSlot) -> Option<u32> {
        match slot {
            LegendSlot::Heal => Some(self.heal),
            LegendSlot::Elite => Some(self.elite),
            LegendSlot::Utility(i) => self.utilities.get(i).copied(),
        }
    }
}

/// A weapon type id as used in the build code extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeaponType {
    pub id: u16,
    pub name: String,
}

/// How a stat prefix spreads its attributes (discretize's affix types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffixKind {
    /// One major, two minor attributes.
    Triple,
    /// Two major, two minor attributes.
    Quadruple,
    /// All nine attributes (Celestial).
    Celestial,
    /// Ascended trinket whose jewel has another prefix (e.g. Berserker's and Valkyrie).
    MismatchedTrinket,
    /// Triple prefix available on trinkets and back items only (Captain's).
    TrinketsAndBack,
}

/// An attribute of an `/v2/itemstats` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatAttribute {
    pub attribute: Attribute,
    /// Multiplier applied to the item's attribute budget.
    pub multiplier: f64,
    /// Flat value (trinket jewels).
    pub value: u32,
}

/// A stat prefix ("Berserker's") with its API ids and per-slot values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStat {
    /// Stable key (`"berserker"`).
    pub key: String,
    /// English prefix (`"Berserker's"`).
    pub name: String,
    pub kind: AffixKind,
    /// discretize's category (`"Power DPS"`).
    pub category: String,
    /// Every `/v2/itemstats` id with this attribute spread (armor, weapons, trinkets … each
    /// have their own id). Empty if the API snapshot predates the prefix.
    pub ids: Vec<u32>,
    pub major: Vec<Attribute>,
    pub minor: Vec<Attribute>,
    /// Attributes of the representative API entry (lowest id with multipliers).
    pub attributes: Vec<StatAttribute>,
    /// Ascended item values per slot (slots where the prefix does not exist are absent).
    pub ascended: BTreeMap<GearSlot, BTreeMap<Attribute, u32>>,
    /// Exotic item values per slot.
    pub exotic: BTreeMap<GearSlot, BTreeMap<Attribute, u32>>,
}

/// A boon or condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Buff {
    /// Buff (effect) id as used by arcdps logs and the API.
    pub id: u32,
    pub name: String,
    pub kind: BuffKind,
    /// Stacks in intensity (Might, Bleeding …) rather than duration.
    pub intensity: bool,
    pub max_stacks: u32,
    /// One-line effect summary (PvE values).
    pub summary: String,
}

/// The serialized snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Schema version ([`SNAPSHOT_FORMAT`]).
    pub format: u32,
    /// Data version label, bumped on every regeneration that changes content.
    pub version: String,
    /// Game build the API data was taken at.
    pub game_build: u32,
    pub sources: Vec<Source>,
    pub professions: Vec<Profession>,
    pub specializations: Vec<Specialization>,
    pub pets: Vec<Pet>,
    pub legends: Vec<Legend>,
    pub weapon_types: Vec<WeaponType>,
    pub itemstats: Vec<ItemStat>,
    pub buffs: Vec<Buff>,
    /// Heal, utility and elite skills of every profession.
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// Every minor and major trait of every specialization, by specialization then id.
    #[serde(default)]
    pub traits: Vec<Trait>,
}

/// A snapshot that cannot be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DataError {
    #[error("snapshot is not valid JSON for this schema: {0}")]
    Json(#[from] serde_json::Error),
    #[error("snapshot format {found} is not supported (expected {expected})")]
    Format { found: u32, expected: u32 },
    #[error("duplicate {kind} {key}")]
    Duplicate { kind: &'static str, key: String },
    #[error("{kind} {key} refers to unknown {target} {reference}")]
    Dangling {
        kind: &'static str,
        key: String,
        target: &'static str,
        reference: String,
    },
}

/// Lower-cases and keeps letters and digits only, after dropping possessive `'s`, so that
/// "Berserker's", "berserker" and "BERSERKER" meet, as do "Death Magic" and "deathmagic".
pub fn normalize_name(s: &str) -> String {
    s.to_lowercase()
        .replace("'s", "")
        .replace("’s", "")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A snapshot with indexes for the look-ups the service, CLI and chat codes need.
#[derive(Debug, Clone)]
pub struct GameData {
    snapshot: Snapshot,
    prof_by_code: HashMap<u8, usize>,
    prof_by_name: HashMap<String, usize>,
    spec_by_id: HashMap<u16, usize>,
    spec_by_name: HashMap<String, usize>,
    pet_by_id: HashMap<u16, usize>,
    pet_by_name: HashMap<String, usize>,
    legend_by_code: HashMap<u8, usize>,
    legend_by_name: HashMap<String, usize>,
    weapon_by_id: HashMap<u16, usize>,
    itemstat_by_id: HashMap<u32, usize>,
    itemstat_by_name: HashMap<String, usize>,
    buff_by_id: HashMap<u32, usize>,
    buff_by_name: HashMap<String, usize>,
    palette: HashMap<(usize, u16), u32>,
    /// (profession index, skill id) → palette id: the reverse of `palette`.
    palette_of: HashMap<(usize, u32), u16>,
    skill_by_id: HashMap<u32, usize>,
    /// (profession index, normalized name) → skill.
    skill_by_name: HashMap<(usize, String), usize>,
    trait_by_id: HashMap<u32, usize>,
    /// (specialization id, normalized name) → trait.
    trait_by_name: HashMap<(u16, String), usize>,
}

static EMBEDDED_JSON: &str = include_str!("../data/snapshot.json");

#[allow(
    clippy::expect_used,
    reason = "compiled-in data checked by a test: a failure is a build defect, not bad input"
)]
static EMBEDDED: LazyLock<GameData> = LazyLock::new(|| {
    // The file is compiled in and checked by `tests::embedded_snapshot_is_valid`; a failure here
    // is a build defect, not an input error.
    GameData::from_json(EMBEDDED_JSON).expect("embedded snapshot.json is valid (guarded by test)")
});

fn insert_unique<K: std::hash::Hash + Eq + std::fmt::Display>(
    map: &mut HashMap<K, usize>,
    key: K,
    idx: usize,
    kind: &'static str,
) -> Result<(), DataError> {
    let shown = key.to_string();
    if map.insert(key, idx).is_some() {
        return Err(DataError::Duplicate { kind, key: shown });
    }
    Ok(())
}

impl GameData {
    /// The snapshot compiled into this crate.
    pub fn embedded() -> &'static GameData {
        &EMBEDDED
    }

    /// The embedded snapshot's JSON text (for `gw2opt data export` and the like).
    pub fn embedded_json() -> &'static str {
        EMBEDDED_JSON
    }

    /// Parses and indexes a snapshot file's text.
    pub fn from_json(json: &str) -> Result<GameData, DataError> {
        Self::from_snapshot(serde_json::from_str(json)?)
    }

    /// Indexes a snapshot, rejecting duplicate ids and dangling references.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<GameData, DataError> {
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(DataError::Format {
                found: snapshot.format,
                expected: SNAPSHOT_FORMAT,
            });
        }
        let mut d = GameData {
            snapshot: Snapshot {
                format: snapshot.format,
                version: String::new(),
                game_build: 0,
                sources: Vec::new(),
                professions: Vec::new(),
                specializations: Vec::new(),
                pets: Vec::new(),
                legends: Vec::new(),
                weapon_types: Vec::new(),
                itemstats: Vec::new(),
                buffs: Vec::new(),
                skills: Vec::new(),
                traits: Vec::new(),
            },
            prof_by_code: HashMap::new(),
            prof_by_name: HashMap::new(),
            spec_by_id: HashMap::new(),
            spec_by_name: HashMap::new(),
            pet_by_id: HashMap::new(),
            pet_by_name: HashMap::new(),
            legend_by_code: HashMap::new(),
            legend_by_name: HashMap::new(),
            weapon_by_id: HashMap::new(),
            itemstat_by_id: HashMap::new(),
            itemstat_by_name: HashMap::new(),
            buff_by_id: HashMap::new(),
            buff_by_name: HashMap::new(),
            palette: HashMap::new(),
            palette_of: HashMap::new(),
            skill_by_id: HashMap::new(),
            skill_by_name: HashMap::new(),
            trait_by_id: HashMap::new(),
            trait_by_name: HashMap::new(),
        };
        for (i, p) in snapshot.professions.iter().enumerate() {
            insert_unique(&mut d.prof_by_code, p.code, i, "profession code")?;
            insert_unique(&mut d.prof_by_name, normalize_name(&p.id), i, "profession")?;
            for &[pal, skill] in &p.skills_by_palette {
                if let Ok(pal) = u16::try_from(pal) {
                    d.palette.insert((i, pal), skill);
                    d.palette_of.entry((i, skill)).or_insert(pal);
                }
            }
        }
        for (i, s) in snapshot.specializations.iter().enumerate() {
            insert_unique(&mut d.spec_by_id, s.id, i, "specialization id")?;
            // Names are unique within a profession; across professions the first one wins
            // (none collide today).
            d.spec_by_name.entry(normalize_name(&s.name)).or_insert(i);
            if !d.prof_by_name.contains_key(&normalize_name(&s.profession)) {
                return Err(DataError::Dangling {
                    kind: "specialization",
                    key: s.id.to_string(),
                    target: "profession",
                    reference: s.profession.clone(),
                });
            }
        }
        for p in &snapshot.professions {
            for sid in &p.specializations {
                if !d.spec_by_id.contains_key(sid) {
                    return Err(DataError::Dangling {
                        kind: "profession",
                        key: p.id.clone(),
                        target: "specialization",
                        reference: sid.to_string(),
                    });
                }
            }
        }
        for (i, p) in snapshot.pets.iter().enumerate() {
            insert_unique(&mut d.pet_by_id, p.id, i, "pet id")?;
            d.pet_by_name.entry(normalize_name(&p.name)).or_insert(i);
        }
        for (i, l) in snapshot.legends.iter().enumerate() {
            insert_unique(&mut d.legend_by_code, l.code, i, "legend code")?;
            for n in [&l.id, &l.name, &l.legend] {
                d.legend_by_name.entry(normalize_name(n)).or_insert(i);
            }
        }
        for (i, w) in snapshot.weapon_types.iter().enumerate() {
            insert_unique(&mut d.weapon_by_id, w.id, i, "weapon type id")?;
        }
        for (i, s) in snapshot.itemstats.iter().enumerate() {
            for &id in &s.ids {
                insert_unique(&mut d.itemstat_by_id, id, i, "itemstat id")?;
            }
            insert_unique(
                &mut d.itemstat_by_name,
                normalize_name(&s.key),
                i,
                "itemstat key",
            )?;
            d.itemstat_by_name
                .entry(normalize_name(&s.name))
                .or_insert(i);
        }
        for (i, b) in snapshot.buffs.iter().enumerate() {
            insert_unique(&mut d.buff_by_id, b.id, i, "buff id")?;
            insert_unique(&mut d.buff_by_name, normalize_name(&b.name), i, "buff name")?;
        }
        for (i, k) in snapshot.skills.iter().enumerate() {
            insert_unique(&mut d.skill_by_id, k.id, i, "skill id")?;
            let prof = *d
                .prof_by_name
                .get(&normalize_name(&k.profession))
                .ok_or_else(|| DataError::Dangling {
                    kind: "skill",
                    key: k.id.to_string(),
                    target: "profession",
                    reference: k.profession.clone(),
                })?;
            if let Some(spec) = k.specialization {
                if !d.spec_by_id.contains_key(&spec) {
                    return Err(DataError::Dangling {
                        kind: "skill",
                        key: k.id.to_string(),
                        target: "specialization",
                        reference: spec.to_string(),
                    });
                }
            }
            if let Some(name) = &k.name {
                d.skill_by_name
                    .entry((prof, normalize_name(name)))
                    .or_insert(i);
            }
        }
        for (i, t) in snapshot.traits.iter().enumerate() {
            insert_unique(&mut d.trait_by_id, t.id, i, "trait id")?;
            let listed = d
                .spec_by_id
                .get(&t.specialization)
                .and_then(|&s| snapshot.specializations.get(s))
                .is_some_and(|s| s.minor_traits.contains(&t.id) || s.major_traits.contains(&t.id));
            if !listed {
                return Err(DataError::Dangling {
                    kind: "trait",
                    key: t.id.to_string(),
                    target: "specialization listing it",
                    reference: t.specialization.to_string(),
                });
            }
            d.trait_by_name
                .entry((t.specialization, normalize_name(&t.name)))
                .or_insert(i);
        }
        d.snapshot = snapshot;
        Ok(d)
    }

    /// The underlying snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Data version label.
    pub fn version(&self) -> &str {
        &self.snapshot.version
    }

    /// Game build the data was taken at.
    pub fn game_build(&self) -> u32 {
        self.snapshot.game_build
    }

    pub fn professions(&self) -> &[Profession] {
        &self.snapshot.professions
    }

    pub fn specializations(&self) -> &[Specialization] {
        &self.snapshot.specializations
    }

    pub fn pets(&self) -> &[Pet] {
        &self.snapshot.pets
    }

    pub fn legends(&self) -> &[Legend] {
        &self.snapshot.legends
    }

    pub fn weapon_types(&self) -> &[WeaponType] {
        &self.snapshot.weapon_types
    }

    pub fn itemstats(&self) -> &[ItemStat] {
        &self.snapshot.itemstats
    }

    pub fn buffs(&self) -> &[Buff] {
        &self.snapshot.buffs
    }

    /// Boons only.
    pub fn boons(&self) -> impl Iterator<Item = &Buff> {
        self.buffs().iter().filter(|b| b.kind == BuffKind::Boon)
    }

    /// Conditions only.
    pub fn conditions(&self) -> impl Iterator<Item = &Buff> {
        self.buffs()
            .iter()
            .filter(|b| b.kind == BuffKind::Condition)
    }

    /// A profession by English name/API id (case-insensitive) or by its chat-code number
    /// written as text (`"1"` = Guardian).
    pub fn profession(&self, name_or_code: &str) -> Option<&Profession> {
        let t = name_or_code.trim();
        if let Ok(code) = t.parse::<u8>() {
            return self.profession_by_code(code);
        }
        self.prof_by_name
            .get(&normalize_name(t))
            .map(|&i| &self.snapshot.professions[i])
    }

    /// A profession by chat-code number.
    pub fn profession_by_code(&self, code: u8) -> Option<&Profession> {
        self.prof_by_code
            .get(&code)
            .map(|&i| &self.snapshot.professions[i])
    }

    pub fn specialization_by_id(&self, id: u16) -> Option<&Specialization> {
        self.spec_by_id
            .get(&id)
            .map(|&i| &self.snapshot.specializations[i])
    }

    /// Case-insensitive, spaces ignored (`"death magic"`, `"DeathMagic"`).
    pub fn specialization_by_name(&self, name: &str) -> Option<&Specialization> {
        self.spec_by_name
            .get(&normalize_name(name))
            .map(|&i| &self.snapshot.specializations[i])
    }

    /// All specializations of a profession (name or code), core first, in API order.
    pub fn specializations_of(&self, profession: &str) -> Vec<&Specialization> {
        let Some(p) = self.profession(profession) else {
            return Vec::new();
        };
        self.snapshot
            .specializations
            .iter()
            .filter(|s| s.profession == p.id)
            .collect()
    }

    /// The specialization a major trait belongs to, with its tier (0 adept … 2 grandmaster)
    /// and choice.
    pub fn trait_location(
        &self,
        trait_id: u32,
    ) -> Option<(&Specialization, usize, crate::chatcode::TraitChoice)> {
        self.snapshot.specializations.iter().find_map(|s| {
            s.major_traits.iter().position(|&t| t == trait_id).map(|p| {
                (
                    s,
                    p / 3,
                    crate::chatcode::TraitChoice::from_bits((p % 3) as u8 + 1),
                )
            })
        })
    }

    pub fn pet(&self, id: u16) -> Option<&Pet> {
        self.pet_by_id.get(&id).map(|&i| &self.snapshot.pets[i])
    }

    /// Case-insensitive; "Juvenile " may be omitted.
    pub fn pet_by_name(&self, name: &str) -> Option<&Pet> {
        let n = normalize_name(name);
        self.pet_by_name
            .get(&n)
            .or_else(|| self.pet_by_name.get(&format!("juvenile{n}")))
            .map(|&i| &self.snapshot.pets[i])
    }

    /// A legend by chat-code number, API id (`"Legend1"`), stance name or legend name
    /// (`"Glint"`), case-insensitive.
    pub fn legend(&self, key: &str) -> Option<&Legend> {
        let t = key.trim();
        if let Ok(code) = t.parse::<u8>() {
            return self.legend_by_code(code);
        }
        self.legend_by_name
            .get(&normalize_name(t))
            .map(|&i| &self.snapshot.legends[i])
    }

    pub fn legend_by_code(&self, code: u8) -> Option<&Legend> {
        self.legend_by_code
            .get(&code)
            .map(|&i| &self.snapshot.legends[i])
    }

    pub fn weapon_type(&self, id: u16) -> Option<&WeaponType> {
        self.weapon_by_id
            .get(&id)
            .map(|&i| &self.snapshot.weapon_types[i])
    }

    /// A weapon type by English name, case-insensitive (`"short bow"`, `"Shortbow"`).
    pub fn weapon_type_by_name(&self, name: &str) -> Option<&WeaponType> {
        let n = normalize_name(name);
        self.snapshot
            .weapon_types
            .iter()
            .find(|w| normalize_name(&w.name) == n)
    }

    /// A stat prefix by English name or key, case-insensitive, possessive optional
    /// (`"berserker"`, `"Berserker's"`).
    pub fn itemstat_by_name(&self, name: &str) -> Option<&ItemStat> {
        self.itemstat_by_name
            .get(&normalize_name(name))
            .map(|&i| &self.snapshot.itemstats[i])
    }

    /// A stat prefix by any of its `/v2/itemstats` ids.
    pub fn itemstat_by_id(&self, id: u32) -> Option<&ItemStat> {
        self.itemstat_by_id
            .get(&id)
            .map(|&i| &self.snapshot.itemstats[i])
    }

    /// A boon or condition by name, case-insensitive.
    pub fn buff(&self, name: &str) -> Option<&Buff> {
        self.buff_by_name
            .get(&normalize_name(name))
            .map(|&i| &self.snapshot.buffs[i])
    }

    /// A boon (not a condition) by name.
    pub fn boon(&self, name: &str) -> Option<&Buff> {
        self.buff(name).filter(|b| b.kind == BuffKind::Boon)
    }

    /// A condition by name.
    pub fn condition(&self, name: &str) -> Option<&Buff> {
        self.buff(name).filter(|b| b.kind == BuffKind::Condition)
    }

    pub fn buff_by_id(&self, id: u32) -> Option<&Buff> {
        self.buff_by_id.get(&id).map(|&i| &self.snapshot.buffs[i])
    }

    /// The skill id behind a palette id, if the data has `skills_by_palette` for the
    /// profession (name or code).
    pub fn skill_for_palette(&self, profession: &str, palette: u16) -> Option<u32> {
        if self.palette.is_empty() {
            return None;
        }
        let idx = *self.prof_by_name.get(&normalize_name(profession))?;
        self.palette.get(&(idx, palette)).copied()
    }

    /// [`GameData::skill_for_palette`] by chat-code profession number (no string work: this is
    /// on the build decoding hot path).
    pub fn skill_for_palette_code(&self, profession_code: u8, palette: u16) -> Option<u32> {
        if self.palette.is_empty() {
            return None;
        }
        let idx = *self.prof_by_code.get(&profession_code)?;
        self.palette.get(&(idx, palette)).copied()
    }

    /// Whether the data maps this profession's palette ids to skills.
    pub fn has_palette(&self, profession_code: u8) -> bool {
        self.prof_by_code
            .get(&profession_code)
            .and_then(|&i| self.snapshot.professions.get(i))
            .is_some_and(|p| !p.skills_by_palette.is_empty())
    }

    /// The skill a palette id stands for on a bar, as the game reads it. A revenant's heal,
    /// utility and elite palettes are shared by every legend (the API maps each to one
    /// legend's skill); with `legend`, the skill in the same slot of that legend is returned.
    pub fn palette_skill(
        &self,
        profession_code: u8,
        palette: u16,
        legend: Option<&Legend>,
    ) -> Option<u32> {
        let skill = self.skill_for_palette_code(profession_code, palette)?;
        let Some(legend) = legend else {
            return Some(skill);
        };
        let slot = self.snapshot.legends.iter().find_map(|l| l.slot_of(skill));
        match slot {
            Some(slot) => legend.skill_at(slot).or(Some(skill)),
            None => Some(skill),
        }
    }

    /// The palette id of a profession's skill (the reverse of [`GameData::palette_skill`];
    /// a revenant legend skill gives its slot's shared palette).
    pub fn palette_for_skill(&self, profession_code: u8, skill: u32) -> Option<u16> {
        let idx = *self.prof_by_code.get(&profession_code)?;
        if let Some(&p) = self.palette_of.get(&(idx, skill)) {
            return Some(p);
        }
        let slot = self
            .snapshot
            .legends
            .iter()
            .find_map(|l| l.slot_of(skill))?;
        self.snapshot
            .legends
            .iter()
            .filter_map(|l| l.skill_at(slot))
            .find_map(|other| self.palette_of.get(&(idx, other)).copied())
    }

    /// Every minor and major trait.
    pub fn traits(&self) -> &[Trait] {
        &self.snapshot.traits
    }

    /// A trait by id.
    pub fn trait_by_id(&self, id: u32) -> Option<&Trait> {
        self.trait_by_id
            .get(&id)
            .and_then(|&i| self.snapshot.traits.get(i))
    }

    /// A trait of a specialization (name or id as text) by name, case- and
    /// punctuation-insensitive.
    pub fn trait_by_name(&self, specialization: &str, name: &str) -> Option<&Trait> {
        let spec = self.specialization_by_name(specialization).map(|s| s.id)?;
        self.trait_by_name
            .get(&(spec, normalize_name(name)))
            .and_then(|&i| self.snapshot.traits.get(i))
    }

    /// Every heal, utility and elite skill.
    pub fn skills(&self) -> &[Skill] {
        &self.snapshot.skills
    }

    /// A skill by id.
    pub fn skill(&self, id: u32) -> Option<&Skill> {
        self.skill_by_id
            .get(&id)
            .and_then(|&i| self.snapshot.skills.get(i))
    }

    /// A profession's skill by name (case-, space- and punctuation-insensitive).
    pub fn skill_by_name(&self, profession: &str, name: &str) -> Option<&Skill> {
        let p = *self.prof_by_name.get(&normalize_name(profession))?;
        self.skill_by_name
            .get(&(p, normalize_name(name)))
            .and_then(|&i| self.snapshot.skills.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_snapshot_is_valid() {
        let d = GameData::from_json(EMBEDDED_JSON).expect("embedded snapshot parses");
        assert_eq!(d.snapshot().format, SNAPSHOT_FORMAT);
        assert!(d.game_build() > 0);
    }

    #[test]
    fn normalize() {
        assert_eq!(normalize_name("Berserker's"), "berserker");
        assert_eq!(normalize_name("Death Magic"), "deathmagic");
        assert_eq!(normalize_name("  BERSERKER "), "berserker");
    }
}
