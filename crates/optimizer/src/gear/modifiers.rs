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
/// Units in inputs: points for the attributes (`power` … `agony_resistance`), percent for the
/// percentage stats (`critical_chance: 25` is +25%), raw numbers for the coefficients.
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
    PowerCoefficient,
    BleedingCoefficient,
    BurningCoefficient,
    ConfusionCoefficient,
    PoisonCoefficient,
    TormentCoefficient,
    FlatDps,
}

/// Number of [`Stat`] variants (size of an attribute sheet).
pub const STAT_COUNT: usize = Stat::FlatDps as usize + 1;

impl Stat {
    /// Index in a sheet.
    pub const fn idx(self) -> usize {
        self as usize
    }

    /// Attribute points (rounded when produced by a conversion, as discretize does).
    pub fn is_point(self) -> bool {
        (self as usize) <= Stat::AgonyResistance as usize
    }

    /// Percentage stats: given in percent in inputs, stored as fractions.
    pub fn is_percent(self) -> bool {
        (Stat::CriticalChance as usize..=Stat::ResolutionDuration as usize)
            .contains(&(self as usize))
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
    /// Conversions from attributes before buffs (sharpening stones, most traits).
    #[serde(default)]
    pub conversion: Vec<ConversionEffect>,
    /// Conversions computed after buffs; the source may be `critical_chance` (on-crit effects).
    #[serde(default)]
    pub conversion_after_buffs: Vec<ConversionEffect>,
}

/// Scaling of a modifier by an amount (stacks, % uptime): `value × amount ÷ quantity_entered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountData {
    #[serde(default)]
    pub label: String,
    pub default: f64,
    pub quantity_entered: f64,
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
    /// discretize keys this project does not model (phantasm, siphon …), dropped on import.
    #[serde(default)]
    pub unsupported: Vec<String>,
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
    let (id, amount, effects, wvw_effects, amount_data) = match spec {
        ModifierSpec::Id(id) => {
            let m = library_modifier(id)?.ok_or_else(|| GearError::UnknownModifier(id.clone()))?;
            (
                m.id.clone(),
                None,
                m.effects.clone(),
                m.wvw_effects.clone(),
                m.amount.clone(),
            )
        }
        ModifierSpec::Full(e) => match &e.effects {
            Some(eff) => (
                e.id.clone(),
                e.amount,
                eff.clone(),
                e.wvw_effects.clone(),
                e.amount_data.clone(),
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
    for c in effects
        .conversion
        .iter()
        .chain(&effects.conversion_after_buffs)
    {
        check_finite(format!("modifier {id} conversion percent"), c.percent)?;
        if c.percent < 0.0 {
            return Err(GearError::UnsupportedModifier {
                id,
                reason: "negative conversions make the exact search's bounds unsound".into(),
            });
        }
    }
    for c in &effects.conversion_after_buffs {
        if !(c.from.is_point() || c.from == Stat::CriticalChance) {
            return Err(GearError::UnsupportedModifier {
                id,
                reason: format!("conversion_after_buffs source {:?}", c.from),
            });
        }
    }
    for c in &effects.conversion {
        if !c.from.is_point() {
            return Err(GearError::UnsupportedModifier {
                id,
                reason: format!("conversion source {:?} is not an attribute", c.from),
            });
        }
    }
    Ok(Resolved { id, effects, scale })
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
/// `target` effects sum, `mult` effects multiply, and the three groups multiply.
pub(crate) fn multipliers(mods: &[Resolved]) -> Multipliers {
    let mut strike = Groups::ONE;
    let mut condition = Groups::ONE;
    let mut critical = Groups::ONE;
    let mut taken = Groups::ONE;
    let mut per = [Groups::ONE; 5];
    for m in mods {
        for d in &m.effects.damage {
            let x = d.percent / 100.0 * m.scale;
            match d.target {
                DamageTarget::Strike => strike.push(x, d.mode),
                DamageTarget::Condition => condition.push(x, d.mode),
                DamageTarget::All => {
                    strike.push(x, d.mode);
                    condition.push(x, d.mode);
                }
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
    }
}
