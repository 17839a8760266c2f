//! Modifiers: the damage, attribute and conversion effects of traits, runes, sigils, relics, food,
//! utility and buffs, with discretize's stacking semantics (see `README.md`).
//!
//! The library (`data/gear_modifiers.json`) is derived from discretize-gear-optimizer's
//! `modifierdata/*.yaml` by `data/gear_import.py`; inputs may also give modifiers inline.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::error::GearError;

/// Every quantity a modifier can touch, and the derived values of an attribute sheet.
///
/// Units in inputs: points for the attributes (`power` … `agony_resistance`, and the
/// alternative (shroud) points), percent for the percentage stats (`critical_chance: 25` is
/// +25%), raw numbers for the coefficients.
///
/// The alternative attributes are a necromancer shroud's (discretize "Alternative Power" …,
/// used with `power2_coefficient` by every profession but the Mesmer: the player's attributes
/// plus these); the phantasm and clone ones a Mesmer's illusions' (used with
/// `power2_coefficient` by the Mesmer: their own critical chance and damage instead of the
/// player's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    Power,
    Precision,
    Toughness,
    Vitality,
    Ferocity,
    ConditionDamage,
    Expertise,
    Concentration,
    HealingPower,
    Armor,
    AgonyResistance,
    AlternativePower,
    AlternativePrecision,
    AlternativeFerocity,
    Health,
    CriticalChance,
    CriticalDamage,
    BoonDuration,
    ConditionDuration,
    BleedingDuration,
    BurningDuration,
    ConfusionDuration,
    PoisonDuration,
    TormentDuration,
    MaximumHealth,
    OutgoingHealing,
    MightDuration,
    FuryDuration,
    QuicknessDuration,
    AlacrityDuration,
    ProtectionDuration,
    RegenerationDuration,
    VigorDuration,
    AegisDuration,
    StabilityDuration,
    SwiftnessDuration,
    ResistanceDuration,
    ResolutionDuration,
    /// Added to the condition duration multiplier after the 100% cap (discretize "Condition
    /// Duration Uncapped", its pull request 677).
    ConditionDurationUncapped,
    AlternativeCriticalChance,
    PhantasmCriticalChance,
    CloneCriticalChance,
    /// Derived (shroud): player critical damage + Alternative Ferocity / 15 %.
    AlternativeCriticalDamage,
    /// Derived (Mesmer illusions): 150% + Ferocity / 15 %.
    PhantasmCriticalDamage,
    PowerCoefficient,
    /// Strikes that never critically hit (Sigil of Air / Fire procs).
    NonCritPowerCoefficient,
    /// Strikes with the alternative (shroud) or phantasm attributes.
    Power2Coefficient,
    BleedingCoefficient,
    BurningCoefficient,
    ConfusionCoefficient,
    PoisonCoefficient,
    TormentCoefficient,
    /// Life-stealing damage per point of Power (per second).
    SiphonCoefficient,
    /// Life-stealing damage unaffected by Power (per second).
    SiphonBaseCoefficient,
    FlatDps,
}

/// Number of [`Stat`] variants (size of an attribute sheet).
pub const STAT_COUNT: usize = Stat::FlatDps as usize + 1;

impl Stat {
    /// Index in a sheet.
    pub const fn idx(self) -> usize {
        self as usize
    }

    /// Attribute points (rounded when produced by a conversion, as discretize does; its
    /// `allAttributePointKeys` and the alternative points).
    pub fn is_point(self) -> bool {
        (self as usize) <= Stat::AlternativeFerocity as usize
    }

    /// Percentage stats: given in percent in inputs, stored as fractions (critical damage
    /// values too, see [`Stat::in_percent`]).
    pub fn is_percent(self) -> bool {
        (Stat::CriticalChance as usize..=Stat::PhantasmCriticalDamage as usize)
            .contains(&(self as usize))
    }

    /// Coefficients (the damage distribution and flat DPS).
    pub fn is_coefficient(self) -> bool {
        (self as usize) >= Stat::PowerCoefficient as usize
    }

    /// The nine gear attributes, in sheet order.
    pub const ALL_GEAR: [Stat; 9] = [
        Stat::Power,
        Stat::Precision,
        Stat::Toughness,
        Stat::Vitality,
        Stat::Ferocity,
        Stat::ConditionDamage,
        Stat::Expertise,
        Stat::Concentration,
        Stat::HealingPower,
    ];

    /// One of the nine gear attributes (index 0..9 in a sheet).
    pub fn from_attribute(a: gw2::model::Attribute) -> Stat {
        use gw2::model::Attribute as A;
        match a {
            A::Power => Stat::Power,
            A::Precision => Stat::Precision,
            A::Toughness => Stat::Toughness,
            A::Vitality => Stat::Vitality,
            A::Ferocity => Stat::Ferocity,
            A::ConditionDamage => Stat::ConditionDamage,
            A::Expertise => Stat::Expertise,
            A::Concentration => Stat::Concentration,
            A::HealingPower => Stat::HealingPower,
        }
    }
}

/// How damage modifiers of one kind combine (discretize's stacking modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DamageMode {
    /// Summed within the group: `1 + Σ x`.
    Add,
    /// Multiplied: `Π (1 + x)`.
    Mult,
    /// Effects on the target (vulnerability, exposed): summed in their own group.
    Target,
    /// Unknown stacking: treated as `mult` (discretize's default).
    Unknown,
}

/// Which damage a damage modifier changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DamageTarget {
    Strike,
    Condition,
    /// Strike and condition.
    All,
    /// Critical damage multiplier (always multiplicative).
    Critical,
    Bleeding,
    Burning,
    Confusion,
    Poison,
    Torment,
    /// Incoming damage reduction (protection …), lowers damage taken.
    DamageReduction,
    /// Life-stealing damage (siphon coefficients); `all` includes it, as in discretize.
    Siphon,
    /// Strikes with the alternative (shroud) attributes (`power2_coefficient`, not Mesmer).
    Alternative,
    /// Critical damage of those strikes (always multiplicative).
    AlternativeCritical,
    /// Mesmer phantasm strikes (`power2_coefficient`); the strike multiplier does not apply.
    Phantasm,
    /// Critical damage of phantasm strikes (always multiplicative).
    PhantasmCritical,
}

/// discretize's `calculationTweaks`: damage formulas a trait replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tweak {
    /// Inferno (elementalist): burning scales with Power (`131 + 0.0825 × Power` per tick in
    /// PvE, `0.06` in WvW) instead of Condition Damage.
    InfernoBurningDamage,
    /// Sharpshooter (engineer): bleeding scales with Power (`22 + 0.04 × Power`).
    SharpshooterBleedingDamage,
}

/// `target` damage changed by `percent` % with stacking `mode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DamageEffect {
    pub target: DamageTarget,
    pub percent: f64,
    pub mode: DamageMode,
}

/// Whether flat attribute points feed "gain X based on Y" conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointMode {
    /// Counted before conversions (runes, food, most traits).
    Converted,
    /// Added after conversions (boons, signets…).
    #[default]
    Buff,
}

/// A flat bonus: points for attributes, percent for percentage stats, raw for coefficients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeEffect {
    pub stat: Stat,
    pub value: f64,
    /// Only meaningful for attribute points; percentage stats and coefficients ignore it.
    #[serde(default)]
    pub mode: PointMode,
}

/// "Gain `percent` % of `from` as `to`".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionEffect {
    pub to: Stat,
    pub from: Stat,
    pub percent: f64,
}

/// What a modifier does.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    #[serde(default)]
    pub damage: Vec<DamageEffect>,
    #[serde(default)]
    pub attributes: Vec<AttributeEffect>,
    /// Conversions before buffs (sharpening stones, most traits): from the value before any
    /// conversion (attributes: base + gear + infusions + `converted` points; other stats: their
    /// base and modifier values). Negative percentages are allowed.
    #[serde(default)]
    pub conversion: Vec<ConversionEffect>,
    /// Conversions computed after buffs and derived attributes; any sheet value may be the
    /// source (critical chances clamped to 0–100%, for on-crit effects).
    #[serde(default)]
    pub conversion_after_buffs: Vec<ConversionEffect>,
    /// Alternative damage formulas (discretize `calculationTweaks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calculation_tweaks: Vec<Tweak>,
}

/// Scaling of a modifier by an amount (stacks, % uptime): `value × amount ÷ quantity_entered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountData {
    #[serde(default)]
    pub label: String,
    pub default: f64,
    pub quantity_entered: f64,
    /// Not scaled but simulated (discretize's `advancedUptimeSimulation`): the modifier is
    /// fully on in part of the time (`amount ÷ quantity_entered`, at most 1) and off in the
    /// rest, and the damage is the time-weighted average of the scenarios (see "Scenarios" in
    /// `README.md`). Effects that hit a cap (critical chance, condition duration) average
    /// correctly this way where scaling them would not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_uptime: Option<AdvancedUptime>,
}

/// How an advanced-uptime modifier's scenarios combine with others': uncorrelated (no
/// category: independent of every other), or in a `category` where modifiers of the same
/// `group` are on together and different groups never overlap.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedUptime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A library modifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryModifier {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub amount: Option<AmountData>,
    pub effects: Effects,
    #[serde(default)]
    pub wvw_effects: Option<Effects>,
    /// discretize keys this project does not model, dropped on import (none at present).
    #[serde(default)]
    pub unsupported: Vec<String>,
    /// A food that steals life (discretize `hasLifesteal`): with the input's `lifesteal` set,
    /// each proc per 10 s adds 32.5 siphon base damage per second.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lifesteal: bool,
}

/// The library file.
#[derive(Debug, Clone, Deserialize)]
struct LibraryFile {
    format: u32,
    #[allow(dead_code)]
    source: serde_json::Value,
    modifiers: Vec<LibraryModifier>,
}

static LIBRARY_JSON: &str = include_str!("../../data/gear_modifiers.json");

struct Library {
    list: Vec<LibraryModifier>,
    by_id: HashMap<String, usize>,
}

fn parse_library() -> Result<Library, GearError> {
    let file: LibraryFile =
        serde_json::from_str(LIBRARY_JSON).map_err(|e| GearError::Library(e.to_string()))?;
    if file.format != 1 {
        return Err(GearError::Library(format!("format {}", file.format)));
    }
    let mut by_id = HashMap::new();
    for (i, m) in file.modifiers.iter().enumerate() {
        by_id.insert(m.id.to_ascii_lowercase(), i);
    }
    Ok(Library {
        list: file.modifiers,
        by_id,
    })
}

static LIBRARY: LazyLock<Result<Library, GearError>> = LazyLock::new(parse_library);

/// Every library modifier (runes, sigils, relics, food, utility, buffs).
pub fn library() -> Result<&'static [LibraryModifier], GearError> {
    match &*LIBRARY {
        Ok(l) => Ok(&l.list),
        Err(e) => Err(e.clone()),
    }
}

/// A library modifier by id (`"rune:scholar"`, `"buff:might"`), case-insensitive.
pub fn library_modifier(id: &str) -> Result<Option<&'static LibraryModifier>, GearError> {
    match &*LIBRARY {
        Ok(l) => Ok(l
            .by_id
            .get(&id.trim().to_ascii_lowercase())
            .map(|&i| &l.list[i])),
        Err(e) => Err(e.clone()),
    }
}

/// A modifier as given in an input: a library id, optionally with an amount, or inline effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ModifierSpec {
    /// `"buff:might"`
    Id(String),
    /// `{"id": "buff:might", "amount": 20}` or `{"id": "trait:x", "effects": {...}}`.
    Full(Box<ModifierEntry>),
}

/// The object form of [`ModifierSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModifierEntry {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Stacks / uptime; scales the effects by `amount ÷ quantity_entered`.
    #[serde(default)]
    pub amount: Option<f64>,
    /// Inline effects; when absent, `id` is looked up in the library.
    #[serde(default)]
    pub effects: Option<Effects>,
    #[serde(default)]
    pub wvw_effects: Option<Effects>,
    #[serde(default)]
    pub amount_data: Option<AmountData>,
}

impl ModifierSpec {
    pub fn id(&self) -> &str {
        match self {
            ModifierSpec::Id(s) => s,
            ModifierSpec::Full(e) => &e.id,
        }
    }
}

/// A modifier resolved to the effects that apply and the scale factor.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub id: String,
    pub effects: Effects,
    pub scale: f64,
    /// A library food with lifesteal.
    pub lifesteal: bool,
    /// An advanced-uptime modifier: its uptime (0–1) and correlation; `scale` is then 1.
    pub uptime: Option<(f64, AdvancedUptime)>,
}

fn check_finite(field: String, v: f64) -> Result<f64, GearError> {
    if v.is_finite() && v.abs() <= 1e9 {
        Ok(v)
    } else {
        Err(GearError::InvalidNumber {
            field,
            expected: "a finite number of magnitude at most 1e9",
            value: v,
        })
    }
}

/// Resolves a spec against the library, picking WvW effects when asked.
pub(crate) fn resolve(spec: &ModifierSpec, wvw: bool) -> Result<Resolved, GearError> {
    let (id, amount, effects, wvw_effects, amount_data, lifesteal) = match spec {
        ModifierSpec::Id(id) => {
            let m = library_modifier(id)?.ok_or_else(|| GearError::UnknownModifier(id.clone()))?;
            (
                m.id.clone(),
                None,
                m.effects.clone(),
                m.wvw_effects.clone(),
                m.amount.clone(),
                m.lifesteal,
            )
        }
        ModifierSpec::Full(e) => match &e.effects {
            Some(eff) => (
                e.id.clone(),
                e.amount,
                eff.clone(),
                e.wvw_effects.clone(),
                e.amount_data.clone(),
                false,
            ),
            None => {
                let m = library_modifier(&e.id)?
                    .ok_or_else(|| GearError::UnknownModifier(e.id.clone()))?;
                (
                    m.id.clone(),
                    e.amount,
                    m.effects.clone(),
                    m.wvw_effects.clone(),
                    e.amount_data.clone().or_else(|| m.amount.clone()),
                    m.lifesteal,
                )
            }
        },
    };
    let scale = match (&amount_data, amount) {
        (Some(ad), a) => {
            let q = check_finite(
                format!("modifier {id} quantity_entered"),
                ad.quantity_entered,
            )?;
            if q <= 0.0 {
                return Err(GearError::InvalidNumber {
                    field: format!("modifier {id} quantity_entered"),
                    expected: "greater than 0",
                    value: q,
                });
            }
            let a = check_finite(format!("modifier {id} amount"), a.unwrap_or(ad.default))?;
            if a < 0.0 {
                return Err(GearError::InvalidNumber {
                    field: format!("modifier {id} amount"),
                    expected: "at least 0",
                    value: a,
                });
            }
            a / q
        }
        (None, Some(_)) => return Err(GearError::UnexpectedAmount(id)),
        (None, None) => 1.0,
    };
    let effects = if wvw {
        wvw_effects.unwrap_or(effects)
    } else {
        effects
    };
    for d in &effects.damage {
        check_finite(format!("modifier {id} damage percent"), d.percent)?;
    }
    for a in &effects.attributes {
        check_finite(format!("modifier {id} attribute value"), a.value)?;
    }
    // Any source and sign: the bounds propagate intervals when a conversion is negative
    // (`Engine::sheet_bounds`).
    for c in effects
        .conversion
        .iter()
        .chain(&effects.conversion_after_buffs)
    {
        check_finite(format!("modifier {id} conversion percent"), c.percent)?;
    }
    let (scale, uptime) = match amount_data.as_ref().and_then(|a| a.advanced_uptime.clone()) {
        Some(corr) => (1.0, Some((scale.clamp(0.0, 1.0), corr))),
        None => (scale, None),
    };
    Ok(Resolved {
        id,
        effects,
        scale,
        lifesteal,
        uptime,
    })
}

/// Damage multipliers per group, after combining add / mult / target modes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Multipliers {
    pub strike: f64,
    pub condition: f64,
    pub critical: f64,
    pub damage_taken: f64,
    /// Bleeding, burning, confusion, poison, torment.
    pub per_condition: [f64; 5],
    pub siphon: f64,
    pub alternative: f64,
    pub alternative_critical: f64,
    pub phantasm: f64,
    pub phantasm_critical: f64,
}

#[derive(Clone, Copy)]
struct Groups {
    mult: f64,
    add: f64,
    target: f64,
}

impl Groups {
    const ONE: Groups = Groups {
        mult: 1.0,
        add: 1.0,
        target: 1.0,
    };
    fn push(&mut self, x: f64, mode: DamageMode) {
        match mode {
            DamageMode::Add => self.add += x,
            DamageMode::Target => self.target += x,
            DamageMode::Mult | DamageMode::Unknown => self.mult *= 1.0 + x,
        }
    }
    fn value(self) -> f64 {
        self.mult * self.add * self.target
    }
}

/// Combines damage effects as discretize's `optimizerSetup` does: within a group `add` and
/// `target` effects sum, `mult` effects multiply, and the three groups multiply; `all` is
/// strike, condition and siphon damage; critical-damage kinds are always multiplicative.
pub(crate) fn multipliers(mods: &[&Resolved]) -> Multipliers {
    let mut strike = Groups::ONE;
    let mut condition = Groups::ONE;
    let mut critical = Groups::ONE;
    let mut taken = Groups::ONE;
    let mut per = [Groups::ONE; 5];
    let mut siphon = Groups::ONE;
    let mut alternative = Groups::ONE;
    let mut alternative_critical = Groups::ONE;
    let mut phantasm = Groups::ONE;
    let mut phantasm_critical = Groups::ONE;
    for m in mods {
        for d in &m.effects.damage {
            let x = d.percent / 100.0 * m.scale;
            match d.target {
                DamageTarget::Strike => strike.push(x, d.mode),
                DamageTarget::Condition => condition.push(x, d.mode),
                DamageTarget::All => {
                    strike.push(x, d.mode);
                    condition.push(x, d.mode);
                    siphon.push(x, d.mode);
                }
                DamageTarget::Siphon => siphon.push(x, d.mode),
                DamageTarget::Alternative => alternative.push(x, d.mode),
                DamageTarget::AlternativeCritical => {
                    alternative_critical.push(x, DamageMode::Mult);
                }
                DamageTarget::Phantasm => phantasm.push(x, d.mode),
                DamageTarget::PhantasmCritical => phantasm_critical.push(x, DamageMode::Mult),
                DamageTarget::Critical => critical.push(x, DamageMode::Mult),
                DamageTarget::DamageReduction => taken.push(-x, d.mode),
                DamageTarget::Bleeding => per[0].push(x, d.mode),
                DamageTarget::Burning => per[1].push(x, d.mode),
                DamageTarget::Confusion => per[2].push(x, d.mode),
                DamageTarget::Poison => per[3].push(x, d.mode),
                DamageTarget::Torment => per[4].push(x, d.mode),
            }
        }
    }
    Multipliers {
        strike: strike.value(),
        condition: condition.value(),
        critical: critical.value(),
        damage_taken: taken.value(),
        per_condition: per.map(Groups::value),
        siphon: siphon.value(),
        alternative: alternative.value(),
        alternative_critical: alternative_critical.value(),
        phantasm: phantasm.value(),
        phantasm_critical: phantasm_critical.value(),
    }
}
