//! The optimizer's input format: [`GearInput`] and its parts, deserialized from JSON and the
//! preset files (`presets/gear/*.json`; the format is documented in `README.md`, "Input JSON"),
//! the limits an input is held to, and [`finite`], the range check every number goes through.
//!
//! Only the wire format lives here, so the types the CLI, the server and `optimizer::benchmark`
//! share read on their own; turning an input into the search problem is `problem.rs`.

use std::collections::BTreeMap;

use gw2::model::{Attribute, GameMode, GearSlot};
use serde::{Deserialize, Serialize};

use super::error::GearError;
use super::model::GOLEM_ARMOR;
use super::modifiers::{ModifierSpec, Stat};
use super::slots::CustomAffix;
use super::target::Target;

/// Largest accepted `top`.
pub const MAX_TOP: usize = 1000;
/// Largest accepted number of candidate prefixes.
pub const MAX_AFFIXES: usize = 64;
/// Largest accepted number of extras combinations (runes × sigils × … × infusion settings).
pub const MAX_EXTRAS_COMBINATIONS: usize = 8192;
/// Largest accepted number of modifiers.
pub const MAX_MODIFIERS: usize = 4096;
/// Infusion slots of a full ascended set.
pub const MAX_INFUSIONS: u32 = 18;
/// Attribute points of one stat infusion.
pub const INFUSION_BONUS: f64 = 5.0;

/// Weapon loadout: a two-handed weapon (13 slots) or main hand + off hand (14 slots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaponType {
    #[default]
    #[serde(alias = "two-handed", alias = "Two-handed")]
    TwoHanded,
    #[serde(alias = "dual-wield", alias = "Dual wield")]
    DualWield,
}

impl WeaponType {
    pub fn as_str(self) -> &'static str {
        match self {
            WeaponType::TwoHanded => "two_handed",
            WeaponType::DualWield => "dual_wield",
        }
    }

    /// The gear slots of this loadout, in display order.
    pub fn slots(self) -> Vec<GearSlot> {
        let mut v = GearSlot::DUAL_WIELD[..12].to_vec();
        match self {
            WeaponType::TwoHanded => v.push(GearSlot::TwoHanded),
            WeaponType::DualWield => v.extend([GearSlot::MainHand, GearSlot::OffHand]),
        }
        v
    }
}

/// What to maximise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Total DPS (strike + conditions): power, condition and hybrid builds alike.
    #[default]
    #[serde(alias = "dps")]
    Damage,
    /// Effective health ÷ 1967 (discretize's survivability).
    #[serde(alias = "effective_health")]
    Survivability,
    /// Heal of a representative skill: `(0.3 × Healing Power + 390) × (1 + outgoing healing)`.
    #[serde(alias = "healing_power")]
    Healing,
    /// `weights.damage × damage + weights.survivability × survivability + weights.healing ×
    /// healing`: damage with survivability or healing beside it.
    Weighted,
}

/// The weights of [`Objective::Weighted`] (each ≥ 0).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    #[serde(default)]
    pub damage: f64,
    #[serde(default)]
    pub survivability: f64,
    #[serde(default)]
    pub healing: f64,
}

/// The build's damage split, gear-independent: power is `weapon strength × coefficient` per
/// second, each condition is `stacks × base duration` applied per second (discretize's
/// "skill coefficients", `docs/Coefficients.md`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    #[serde(default)]
    pub power: f64,
    /// Alternative (shroud) or phantasm strikes (discretize "Power2"): weapon strength ×
    /// coefficient per second, with the alternative or phantasm attributes.
    #[serde(default, alias = "Power2")]
    pub power2: f64,
    #[serde(default)]
    pub bleeding: f64,
    #[serde(default)]
    pub burning: f64,
    #[serde(default)]
    pub confusion: f64,
    #[serde(default, alias = "poisoned")]
    pub poison: f64,
    #[serde(default)]
    pub torment: f64,
    /// Damage per second unaffected by attributes.
    #[serde(default)]
    pub flat_dps: f64,
}

/// Stat infusions: `max` +5 infusions split between `primary` (≤ `primary_max`) and
/// `secondary` (≤ `secondary_max`); every split is searched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infusions {
    pub primary: Attribute,
    #[serde(default)]
    pub secondary: Option<Attribute>,
    #[serde(default = "eighteen")]
    pub max: u32,
    #[serde(default = "eighteen")]
    pub primary_max: u32,
    #[serde(default = "eighteen")]
    pub secondary_max: u32,
}

fn eighteen() -> u32 {
    MAX_INFUSIONS
}

/// Candidates searched together with the gear: per category the items one result may use (one
/// of each non-empty category; an empty category applies nothing). Every combination is
/// searched, exactly: the results are the best gear and extras together, as if each
/// combination had been optimized on its own (`README.md`, "Extras"). Items are modifier specs
/// (library ids such as `"rune:scholar"`, or objects with an amount or inline effects); the
/// library's `*:no-item-*` entries stand for "nothing in this slot". `infusions` lists
/// alternative infusion settings (the input's own `infusions` must then be null).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extras {
    #[serde(default, alias = "rune")]
    pub runes: Vec<ModifierSpec>,
    #[serde(default)]
    pub sigil1: Vec<ModifierSpec>,
    #[serde(default)]
    pub sigil2: Vec<ModifierSpec>,
    #[serde(default, alias = "relics")]
    pub relic: Vec<ModifierSpec>,
    #[serde(default, alias = "nourishment")]
    pub food: Vec<ModifierSpec>,
    #[serde(default, alias = "enhancement")]
    pub utility: Vec<ModifierSpec>,
    #[serde(default)]
    pub infusions: Vec<Infusions>,
}

impl Extras {
    /// True when no category lists a candidate.
    pub fn is_empty(&self) -> bool {
        self.runes.is_empty()
            && self.sigil1.is_empty()
            && self.sigil2.is_empty()
            && self.relic.is_empty()
            && self.food.is_empty()
            && self.utility.is_empty()
            && self.infusions.is_empty()
    }
}

/// Requirements every result must meet. Percentages in percent (`min_boon_duration: 50`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default)]
    pub min_boon_duration: Option<f64>,
    /// Boon duration + quickness duration.
    #[serde(default)]
    pub min_quickness_duration: Option<f64>,
    #[serde(default)]
    pub min_crit_chance: Option<f64>,
    #[serde(default)]
    pub min_toughness: Option<f64>,
    #[serde(default)]
    pub max_toughness: Option<f64>,
    #[serde(default)]
    pub min_vitality: Option<f64>,
    #[serde(default)]
    pub min_health: Option<f64>,
    #[serde(default)]
    pub min_healing_power: Option<f64>,
    #[serde(default)]
    pub min_outgoing_healing: Option<f64>,
    #[serde(default)]
    pub min_damage: Option<f64>,
    #[serde(default)]
    pub min_healing: Option<f64>,
    #[serde(default)]
    pub min_survivability: Option<f64>,
    /// Any other sheet value, in input units (points, percent).
    #[serde(default)]
    pub min_attributes: BTreeMap<Stat, f64>,
    #[serde(default)]
    pub max_attributes: BTreeMap<Stat, f64>,
}

/// The optimizer input (see `README.md` for the JSON format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GearInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Provenance (free-form).
    #[serde(default)]
    pub source: Option<serde_json::Value>,
    /// Profession name or chat-code number (`"Warrior"`, `"2"`).
    pub profession: String,
    /// `pve` (default; also raid, fractals, strikes) or `wvw`/`pvp` (WvW modifiers and ticks).
    #[serde(default)]
    pub game_mode: Option<GameMode>,
    #[serde(default)]
    pub weapon_type: WeaponType,
    /// Candidate stat prefixes for the open slots (`"berserker"`, `"Assassin's"`).
    #[serde(default)]
    pub affixes: Vec<String>,
    /// Slots fixed to one prefix.
    #[serde(default)]
    pub forced_slots: BTreeMap<GearSlot, String>,
    /// A slot's own candidate prefixes, instead of `affixes` (discretize's per-slot
    /// exclusions): `{"ring1": ["berserker"], "back": ["assassin", "berserker"]}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slot_affixes: BTreeMap<GearSlot, Vec<String>>,
    /// Prefixes that are exotic (not ascended) in a slot: their exotic values there
    /// (discretize's per-slot rarity): `{"amulet": ["berserker"]}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exotic: BTreeMap<GearSlot, Vec<String>>,
    /// Stat tables of one's own, usable by name wherever a prefix is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_affixes: Vec<CustomAffix>,
    #[serde(default)]
    pub optimize_for: Objective,
    /// The weights of `optimize_for: "weighted"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
    #[serde(default)]
    pub distribution: Distribution,
    #[serde(default)]
    pub modifiers: Vec<ModifierSpec>,
    #[serde(default)]
    pub infusions: Option<Infusions>,
    /// Runes, sigils, relic, food, utility and infusion candidates searched with the gear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
    #[serde(default)]
    pub constraints: Constraints,
    /// Target armor (default: the golem's 2597); the golem's when `target` is a player.
    #[serde(default = "golem")]
    pub target_armor: f64,
    /// What the damage is dealt to: `{"kind": "golem"}` (default, armor `target_armor`) or
    /// `{"kind": "player", "armor_class": "mixed", "toughness": 1000, "protection_uptime": 0,
    /// "resolution_uptime": 0, …}` (`target.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Skills per second of the target (confusion's on-use part).
    #[serde(default)]
    pub attack_rate: f64,
    /// Percent of time the target moves (torment's moving part).
    #[serde(default)]
    pub movement_uptime: f64,
    /// Lifesteal procs per 10 s of a food that steals life (discretize's "lifesteal" box, 4.3 in
    /// its templates): each adds 32.5 siphon damage per second. Unset: lifesteal is not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifesteal: Option<f64>,
    /// Number of results to return (default 10).
    #[serde(default = "ten")]
    pub top: usize,
    /// Stop after this many evaluated combinations (result then not proven optimal).
    #[serde(default)]
    pub max_evaluations: Option<u64>,
}

fn golem() -> f64 {
    GOLEM_ARMOR
}

fn ten() -> usize {
    10
}

impl GearInput {
    /// Parses the JSON format.
    pub fn from_json(text: &str) -> Result<GearInput, GearError> {
        serde_json::from_str(text).map_err(|e| GearError::Json(e.to_string()))
    }
}

/// `v` when it is finite and within `min..=max`; otherwise the error naming `field`.
pub(super) fn finite(field: &str, v: f64, min: f64, max: f64) -> Result<f64, GearError> {
    if v.is_finite() && v >= min && v <= max {
        Ok(v)
    } else {
        Err(GearError::InvalidNumber {
            field: field.to_string(),
            expected: if min == 0.0 {
                "a finite number ≥ 0 within range"
            } else {
                "a finite number within range"
            },
            value: v,
        })
    }
}
