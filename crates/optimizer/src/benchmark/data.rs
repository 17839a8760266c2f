//! The embedded benchmark data (`data/benchmarks.json`, derived from discretize's presetdata and
//! modifierdata by `data/gear_import.py`): trait and skill modifiers per profession, keyed by
//! the game's ids, and one benchmark per community build template.

use std::collections::HashMap;
use std::sync::LazyLock;

use gw2::model::Role;
use serde::{Deserialize, Serialize};

use crate::gear::{AmountData, Distribution, Effects, WeaponType};

use super::BenchmarkError;

static BENCHMARKS_JSON: &str = include_str!("../../data/benchmarks.json");

/// A trait or skill modifier of a profession (discretize's modifier item).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TraitModifier {
    /// `trait:<discretize id>`.
    pub id: String,
    pub name: String,
    /// discretize's sub-text: a condition (`"active"`, `"on crit"`) under which it applies.
    #[serde(default)]
    pub note: Option<String>,
    /// Uptime / stacks the effects are scaled by.
    #[serde(default)]
    pub amount: Option<AmountData>,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub wvw_effects: Option<Effects>,
    /// `trait` or `skill`.
    pub kind: String,
    /// The game's trait id (for traits) or skill id (for skills).
    #[serde(default)]
    pub gw2id: Option<u32>,
    #[serde(default)]
    pub minor: bool,
    #[serde(default)]
    pub default_enabled: bool,
}

impl TraitModifier {
    pub fn is_trait(&self) -> bool {
        self.kind == "trait"
    }

    /// On whenever the trait is taken: what discretize enables by default when a line is
    /// chosen, and minor-trait effects with no condition or uptime ("assumed always-on").
    pub fn always_on(&self) -> bool {
        self.default_enabled || (self.minor && self.note.is_none() && self.amount.is_none())
    }
}

/// A modifier reference with an optional amount (uptime, stacks).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Ref {
    pub id: String,
    #[serde(default)]
    pub amount: Option<f64>,
}

/// The infusion pair a template searches.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TemplateInfusions {
    pub primary: String,
    #[serde(default)]
    pub secondary: Option<String>,
}

/// One community benchmark: a specialization's rotation measured on the golem.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Template {
    pub id: String,
    pub name: String,
    pub profession: String,
    pub specialization: String,
    /// `power` or `condi`.
    pub boon_type: String,
    pub role: Role,
    pub weapon_type: WeaponType,
    /// discretize marks templates whose rotation predates the current balance.
    pub outdated: bool,
    pub distribution: Distribution,
    /// The game's trait ids chosen, per line (adept, master, grandmaster).
    pub selected_traits: Vec<Vec<u32>>,
    pub modifiers: Vec<Ref>,
    pub extras: Vec<Ref>,
    pub affixes: Vec<String>,
    #[serde(default)]
    pub infusions: Option<TemplateInfusions>,
}

/// A discretize template in one game mode, as its gear input needs it (`data/gear_import.py`
/// `template_mode`: the template's keys overridden by the mode's, discretize's
/// `templateTransform`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct GearTemplateMode {
    /// discretize's preset names, for provenance.
    pub traits: String,
    pub distribution_preset: String,
    pub boons: String,
    pub priority: String,
    #[serde(default)]
    pub extras_preset: Option<String>,
    /// Trait and skill modifiers (skills first, discretize's order), by id in the profession's
    /// table.
    pub modifiers: Vec<Ref>,
    pub distribution: Distribution,
    /// Boons and effects by library id.
    pub buffs: Vec<String>,
    /// Entries of the boons preset discretize's data no longer defines (ignored there too).
    #[serde(default)]
    pub buffs_not_modelled: Vec<String>,
    pub affixes: Vec<String>,
    pub optimize_for: crate::gear::Objective,
    pub min_boon_duration: f64,
    pub min_quickness_duration: f64,
    #[serde(default)]
    pub infusions: Option<TemplateInfusions>,
    /// Category (`runes`, `relic`, `sigil1`, `sigil2`, `utility`, `food`) → candidates.
    pub extras: std::collections::BTreeMap<String, Vec<Ref>>,
}

/// A discretize template (every one, current or outdated) for the gear optimizer.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct GearTemplate {
    pub id: String,
    pub name: String,
    pub profession: String,
    pub specialization: String,
    pub weapon_type: WeaponType,
    pub outdated: bool,
    pub fractals: GearTemplateMode,
    pub raids: GearTemplateMode,
}

#[derive(Debug, Deserialize)]
struct RawGearTemplate {
    id: String,
    name: String,
    profession: String,
    specialization: String,
    weapon_type: WeaponType,
    outdated: bool,
    modes: RawModes,
}

#[derive(Debug, Deserialize)]
struct RawModes {
    fractals: GearTemplateMode,
    raids: GearTemplateMode,
}

#[derive(Debug, Deserialize)]
struct File {
    format: u32,
    source: serde_json::Value,
    buffs: Vec<String>,
    professions: HashMap<String, Vec<TraitModifier>>,
    templates: Vec<Template>,
    gear_templates: Vec<RawGearTemplate>,
}

/// The parsed data with its indexes.
pub(crate) struct Data {
    /// Where the data comes from (repository, commit, paths, generator).
    pub source: serde_json::Value,
    pub buffs: Vec<String>,
    pub templates: Vec<Template>,
    pub gear_templates: Vec<GearTemplate>,
    tables: HashMap<String, Vec<TraitModifier>>,
    by_id: HashMap<(String, String), usize>,
}

impl Data {
    /// The modifier table of a profession (by its English name, case-insensitive).
    pub fn table(&self, profession: &str) -> &[TraitModifier] {
        self.tables
            .get(&profession.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A profession's modifier by id.
    pub fn modifier(&self, profession: &str, id: &str) -> Option<&TraitModifier> {
        let p = profession.to_ascii_lowercase();
        let i = *self.by_id.get(&(p.clone(), id.to_owned()))?;
        self.tables.get(&p).map(|t| &t[i])
    }
}

fn parse() -> Result<Data, BenchmarkError> {
    let file: File =
        serde_json::from_str(BENCHMARKS_JSON).map_err(|e| BenchmarkError::Data(e.to_string()))?;
    if file.format != 1 {
        return Err(BenchmarkError::Data(format!("format {}", file.format)));
    }
    let mut tables = HashMap::new();
    let mut by_id = HashMap::new();
    for (prof, list) in file.professions {
        let key = prof.to_ascii_lowercase();
        for (i, m) in list.iter().enumerate() {
            by_id.insert((key.clone(), m.id.clone()), i);
        }
        tables.insert(key, list);
    }
    let gear_templates = file
        .gear_templates
        .into_iter()
        .map(|t| GearTemplate {
            id: t.id,
            name: t.name,
            profession: t.profession,
            specialization: t.specialization,
            weapon_type: t.weapon_type,
            outdated: t.outdated,
            fractals: t.modes.fractals,
            raids: t.modes.raids,
        })
        .collect();
    Ok(Data {
        source: file.source,
        buffs: file.buffs,
        templates: file.templates,
        gear_templates,
        tables,
        by_id,
    })
}

static DATA: LazyLock<Result<Data, BenchmarkError>> = LazyLock::new(parse);

/// The embedded data, parsed once.
pub(crate) fn data() -> Result<&'static Data, BenchmarkError> {
    match &*DATA {
        Ok(d) => Ok(d),
        Err(e) => Err(e.clone()),
    }
}

/// A benchmark as listed to users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkRef {
    /// discretize's template id (`pbers`).
    pub id: String,
    pub name: String,
    pub profession: String,
    pub specialization: String,
    pub role: Role,
    /// `power` or `condi`.
    pub boon_type: String,
    pub weapon_type: WeaponType,
    pub outdated: bool,
}

impl From<&Template> for BenchmarkRef {
    fn from(t: &Template) -> Self {
        BenchmarkRef {
            id: t.id.clone(),
            name: t.name.clone(),
            profession: t.profession.clone(),
            specialization: t.specialization.clone(),
            role: t.role,
            boon_type: t.boon_type.clone(),
            weapon_type: t.weapon_type,
            outdated: t.outdated,
        }
    }
}
