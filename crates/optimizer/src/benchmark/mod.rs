//! Build DPS estimates: a build's own gear, traits, runes, sigils and infusions evaluated by the
//! gear engine under the damage distribution measured for the closest community benchmark.
//!
//! Why benchmarks: a build record says which gear and traits a player runs, not how they play.
//! The damage a rotation deals per second with given attributes is what discretize's templates
//! measure on the golem (power coefficient and condition stacks per second, with the traits,
//! skills and extras the rotation was recorded with). Pairing the build's own choices with
//! that measured rotation gives a DPS in the game's formulas, comparable across builds, and
//! honest about what it assumed (`assumed`).
//!
//! How a benchmark is chosen: the templates of the build's specialization (the profession's
//! core templates for a core build), narrowed to the build's role (`dps`; `boon_dps`;
//! `healer`/`support` → heal, then boon templates; `tank`/`utility` → boon, then dps), each
//! evaluated with the build's gear; the highest DPS wins (ties: current over outdated). A
//! build whose specialization has no template gets [`BenchmarkError::NoBenchmark`].
//!
//! What comes from the build and what from the benchmark:
//! - gear: the build's prefix per slot; empty slots get the best of the benchmark's prefixes
//!   (searched exactly, listed in `filled_slots`);
//! - traits: when the build has trait lines, only the benchmark's trait modifiers whose game
//!   trait id the build takes are kept, and the build's other traits add their always-on
//!   modifiers; without trait lines, the benchmark's traits;
//! - runes, sigils, relic, food, utility: the build's when they name a modelled item, else the
//!   benchmark's (said in `assumed`);
//! - infusions: the build's (`"+5 Power"`, `"power"` … one +5 each), else the benchmark's
//!   split searched;
//! - boons: discretize's "Realistic" set (might, fury, protection, vulnerability …), as the
//!   benchmarks were recorded; skills: the benchmark's.

mod data;
mod templates;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use gw2::build::{Build, Equipment, TraitLine};
use gw2::data::GameData;
use gw2::model::{Attribute, GameMode, GearSlot, Role};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::gear::{
    self, AttributeEffect, DamageBreakdown, Effects, GearError, GearInput, Infusions,
    ModifierEntry, ModifierSpec, Objective, PointMode, Stat, WeaponType,
};
pub use data::BenchmarkRef;
use data::{Template, TraitModifier};
pub use templates::{template_input, templates, TemplateMode, TemplateRef};

/// Why a build's DPS could not be estimated.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum BenchmarkError {
    #[error("unknown profession {0:?}")]
    UnknownProfession(String),
    /// No community benchmark exists for this specialization.
    #[error("no benchmark rotation for {0}")]
    NoBenchmark(String),
    /// The build's gear or extras could not be evaluated.
    #[error("{0}")]
    Gear(#[from] GearError),
    /// The embedded benchmark data is unreadable (build defect, guarded by a test).
    #[error("benchmark data: {0}")]
    Data(String),
    /// No discretize template has this id (or the mode is not fractals / raids).
    #[error("unknown template {0}")]
    UnknownTemplate(String),
}

/// What the estimate reads of a build: its class, role and mode, trait lines and equipment
/// (the [`Build`] fields that change its damage), so benchmarks and tests can score a build
/// without a name or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildSpec {
    pub profession: String,
    /// Elite specialization; `None` for a core build.
    #[serde(default)]
    pub specialization: Option<String>,
    pub role: Role,
    pub game_mode: GameMode,
    #[serde(default)]
    pub trait_lines: Vec<TraitLine>,
    /// Stat prefix per slot (`"Berserker's"`, `"viper"`), runes, sigils, relic, food,
    /// utility and infusions.
    #[serde(default)]
    pub equipment: Equipment,
}

impl BuildSpec {
    /// A build with nothing but its class, role and mode (no traits, gear or extras yet).
    pub fn new(
        profession: &str,
        specialization: Option<&str>,
        role: Role,
        game_mode: GameMode,
    ) -> Self {
        BuildSpec {
            profession: profession.to_owned(),
            specialization: specialization.map(str::to_owned),
            role,
            game_mode,
            trait_lines: Vec::new(),
            equipment: Equipment::default(),
        }
    }

    /// What the estimate reads of `build`, played in `role` (a team slot's role override)
    /// or in its own.
    pub fn of(build: &Build, role: Option<Role>) -> Self {
        BuildSpec {
            profession: build.profession.clone(),
            specialization: build.specialization.clone(),
            role: role.unwrap_or(build.role),
            game_mode: build.game_mode,
            trait_lines: build.trait_lines.clone(),
            equipment: build.equipment.clone(),
        }
    }
}

/// Where the trait modifiers came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraitSource {
    /// The build's own trait choices.
    Build,
    /// The build has no trait lines: the benchmark's traits.
    Benchmark,
}

/// A build's estimated DPS and how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DpsEstimate {
    /// Damage per second on the target (strike + conditions): the benchmark golem, or for
    /// WvW and PvP builds the typical enemy player (`gear::PlayerTarget::typical`).
    pub dps: f64,
    /// What the damage is dealt to (`"golem (armor 2597)"`, `"player (mixed armor, armor
    /// 2119)"`).
    #[serde(default)]
    pub target: String,
    pub damage: DamageBreakdown,
    /// The benchmark whose rotation was used.
    pub benchmark: BenchmarkRef,
    /// Benchmarks of the specialization and role that were compared.
    pub compared: usize,
    pub traits_from: TraitSource,
    /// With the build's own traits: how many of the benchmark's major traits it does not
    /// take (0 = the benchmark's trait choices exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits_differing: Option<usize>,
    /// The gear evaluated, slot by slot.
    pub gear: BTreeMap<GearSlot, String>,
    /// Slots the build left empty, filled with the best of the benchmark's prefixes.
    pub filled_slots: Vec<GearSlot>,
    pub infusions: BTreeMap<String, u32>,
    /// What was taken from the benchmark rather than the build.
    pub assumed: Vec<String>,
}

/// Every benchmark, in data order.
pub fn benchmarks() -> Result<Vec<BenchmarkRef>, BenchmarkError> {
    Ok(data::data()?
        .templates
        .iter()
        .map(BenchmarkRef::from)
        .collect())
}

/// The role groups a build role is benchmarked with, in order of preference.
fn role_preference(role: Role) -> &'static [Role] {
    match role {
        Role::Dps => &[Role::Dps],
        Role::BoonDps => &[Role::BoonDps, Role::Dps],
        Role::Healer | Role::Support => &[Role::Healer, Role::BoonDps],
        Role::Tank | Role::Utility => &[Role::BoonDps, Role::Dps],
    }
}

/// Estimates the DPS of `build` (see the module documentation for the rules).
pub fn estimate(build: &BuildSpec) -> Result<DpsEstimate, BenchmarkError> {
    estimate_with_input(build).map(|(estimate, _)| estimate)
}

/// The estimate and the gear engine input it was computed with (the chosen benchmark's
/// rotation, the build's traits, extras and fixed slots): the starting point of a gear
/// optimization of that build.
pub fn estimate_with_input(build: &BuildSpec) -> Result<(DpsEstimate, GearInput), BenchmarkError> {
    let game = GameData::embedded();
    let data = data::data()?;
    let profession = game
        .profession(&build.profession)
        .ok_or_else(|| BenchmarkError::UnknownProfession(build.profession.clone()))?;
    let spec = build
        .specialization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(&profession.name);
    let of_spec: Vec<&Template> = data
        .templates
        .iter()
        .filter(|t| t.specialization.eq_ignore_ascii_case(spec))
        .collect();
    let group: Vec<&Template> = role_preference(build.role)
        .iter()
        .map(|r| {
            of_spec
                .iter()
                .copied()
                .filter(|t| t.role == *r)
                .collect::<Vec<_>>()
        })
        .find(|g| !g.is_empty())
        .unwrap_or(of_spec);
    if group.is_empty() {
        return Err(BenchmarkError::NoBenchmark(spec.to_owned()));
    }
    let build_traits = trait_ids(build, game);
    let own = own_extras(build)?;
    let mut best: Option<(DpsEstimate, GearInput, bool)> = None;
    let mut last_error = None;
    for t in &group {
        match evaluate(
            build,
            &own,
            t,
            build_traits.as_ref(),
            data,
            &profession.name,
        ) {
            Ok((e, input)) => {
                let better = match &best {
                    None => true,
                    Some((b, _, b_outdated)) => {
                        e.dps > b.dps + 1e-9
                            || ((e.dps - b.dps).abs() <= 1e-9 && *b_outdated && !t.outdated)
                    }
                };
                if better {
                    best = Some((e, input, t.outdated));
                }
            }
            Err(e) => last_error = Some(e),
        }
    }
    match (best, last_error) {
        (Some((mut e, input, _)), _) => {
            e.compared = group.len();
            Ok((e, input))
        }
        (None, Some(err)) => Err(err),
        (None, None) => Err(BenchmarkError::NoBenchmark(spec.to_owned())),
    }
}

/// The game trait ids a build takes: every minor trait of its lines and the chosen majors.
/// `None` when the build gives no trait lines.
fn trait_ids(build: &BuildSpec, game: &GameData) -> Option<HashSet<u32>> {
    if build.trait_lines.is_empty() {
        return None;
    }
    let mut ids = HashSet::new();
    for line in &build.trait_lines {
        let Some(spec) = game.specialization_by_name(&line.specialization) else {
            continue;
        };
        ids.extend(spec.minor_traits.iter().copied());
        for (tier, &choice) in line.traits.iter().enumerate() {
            if (1..=3).contains(&choice) {
                if let Some(&id) = spec.major_traits.get(tier * 3 + usize::from(choice) - 1) {
                    ids.insert(id);
                }
            }
        }
    }
    Some(ids)
}

fn inline(m: &TraitModifier, amount: Option<f64>) -> ModifierSpec {
    ModifierSpec::Full(Box::new(ModifierEntry {
        id: m.id.clone(),
        name: Some(m.name.clone()),
        amount,
        effects: Some(m.effects.clone()),
        wvw_effects: m.wvw_effects.clone(),
        amount_data: m.amount.clone(),
    }))
}

/// The trait and skill modifiers of `t`, filtered by the build's traits when it has some.
fn trait_modifiers(
    t: &Template,
    build_traits: Option<&HashSet<u32>>,
    data: &data::Data,
    profession: &str,
) -> Vec<ModifierSpec> {
    let mut out = Vec::new();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut covered: HashSet<u32> = HashSet::new();
    for r in &t.modifiers {
        let Some(m) = data.modifier(profession, &r.id) else {
            continue;
        };
        if let (Some(ids), Some(gid), true) = (build_traits, m.gw2id, m.is_trait()) {
            if !ids.contains(&gid) {
                continue;
            }
        }
        if let Some(gid) = m.gw2id {
            covered.insert(gid);
        }
        used.insert(&m.id);
        out.push(inline(m, r.amount));
    }
    if let Some(ids) = build_traits {
        for m in data.table(profession) {
            let Some(gid) = m.gw2id else { continue };
            if m.is_trait()
                && ids.contains(&gid)
                && !covered.contains(&gid)
                && !used.contains(m.id.as_str())
                && m.always_on()
            {
                out.push(inline(m, None));
            }
        }
    }
    out
}

/// Lowercase letters and digits of an item name without the words every name of its kind
/// carries (`"Superior Rune of the Scholar"` → `"scholar"`).
fn item_key(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    *w,
                    "superior" | "major" | "minor" | "rune" | "sigil" | "relic" | "of" | "the"
                )
        })
        .collect()
}

/// The library modifier of `kind` (`rune`, `sigil` …) the build's item name denotes.
fn library_item(kind: &str, name: &str) -> Result<Option<String>, GearError> {
    let key = item_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    let prefix = format!("{kind}:");
    for m in gear::modifiers::library()? {
        let Some(slug) = m.id.strip_prefix(&prefix) else {
            continue;
        };
        if item_key(slug) == key || item_key(&m.name) == key {
            return Ok(Some(m.id.clone()));
        }
    }
    Ok(None)
}

/// The build's own runes, relic, food, utility, sigils and infusions, read once: they do not
/// depend on the benchmark.
struct OwnExtras<'a> {
    /// (kind, the build's name for it, the library id that name denotes).
    singles: Vec<(&'static str, Option<&'a str>, Option<String>)>,
    sigils: Vec<String>,
    /// Some of the build's sigils name nothing the library models.
    sigils_unmodelled: bool,
    /// The build's infusions as one modifier, and their counts (see [`own_infusions`]).
    infusions: (Option<ModifierSpec>, BTreeMap<String, u32>),
}

fn own_extras(build: &BuildSpec) -> Result<OwnExtras<'_>, GearError> {
    let mut singles = Vec::with_capacity(4);
    for (kind, own) in [
        ("rune", build.equipment.runes.as_deref()),
        ("relic", build.equipment.relic.as_deref()),
        ("food", build.equipment.food.as_deref()),
        ("utility", build.equipment.utility.as_deref()),
    ] {
        let id = own.map(|n| library_item(kind, n)).transpose()?.flatten();
        singles.push((kind, own, id));
    }
    let mut sigils = Vec::new();
    for name in &build.equipment.sigils {
        if let Some(id) = library_item("sigil", name)? {
            sigils.push(id);
        }
    }
    let sigils_unmodelled = !sigils.is_empty() && sigils.len() < build.equipment.sigils.len();
    Ok(OwnExtras {
        singles,
        sigils,
        sigils_unmodelled,
        infusions: own_infusions(build),
    })
}

/// The build's extras where modelled, the benchmark's where the build is silent or names an
/// item the library does not model.
fn extras(own: &OwnExtras<'_>, t: &Template, assumed: &mut Vec<String>) -> Vec<ModifierSpec> {
    let mut out = Vec::new();
    let of_kind = |kind: &'static str| {
        t.extras
            .iter()
            .filter(move |r| r.id.split(':').next() == Some(kind))
    };
    for (kind, name, id) in &own.singles {
        match id {
            Some(id) => out.push(ModifierSpec::Id(id.clone())),
            None => {
                for r in of_kind(kind) {
                    assumed.push(match name {
                        Some(n) => {
                            format!("{kind} {n:?} is not modelled: the benchmark's {}", r.id)
                        }
                        None => format!("{kind}: the benchmark's {}", r.id),
                    });
                    out.push(with_amount(&r.id, r.amount));
                }
            }
        }
    }
    if own.sigils.is_empty() {
        for r in of_kind("sigil") {
            assumed.push(format!("sigil: the benchmark's {}", r.id));
            out.push(with_amount(&r.id, r.amount));
        }
    } else {
        if own.sigils_unmodelled {
            assumed.push("some sigils are not modelled and count for nothing".to_owned());
        }
        out.extend(own.sigils.iter().cloned().map(ModifierSpec::Id));
    }
    out
}

fn with_amount(id: &str, amount: Option<f64>) -> ModifierSpec {
    match amount {
        None => ModifierSpec::Id(id.to_owned()),
        Some(a) => ModifierSpec::Full(Box::new(ModifierEntry {
            id: id.to_owned(),
            name: None,
            amount: Some(a),
            effects: None,
            wvw_effects: None,
            amount_data: None,
        })),
    }
}

/// The attribute an infusion name gives (`"+5 Power Infusion"`, `"Mighty WvW Infusion"`).
fn infusion_attribute(name: &str) -> Option<Attribute> {
    let n: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    [
        ("healingpower", Attribute::HealingPower),
        ("healing", Attribute::HealingPower),
        ("conditiondamage", Attribute::ConditionDamage),
        ("malign", Attribute::ConditionDamage),
        ("mighty", Attribute::Power),
        ("power", Attribute::Power),
        ("precise", Attribute::Precision),
        ("precision", Attribute::Precision),
        ("ferocity", Attribute::Ferocity),
        ("expertise", Attribute::Expertise),
        ("concentration", Attribute::Concentration),
        ("toughness", Attribute::Toughness),
        ("resilient", Attribute::Toughness),
        ("vitality", Attribute::Vitality),
        ("vital", Attribute::Vitality),
    ]
    .into_iter()
    .find(|(k, _)| n.contains(k))
    .map(|(_, a)| a)
}

/// The build's infusions as one modifier (+5 points each, before conversions), and their
/// counts; empty when the build lists none that name an attribute.
fn own_infusions(build: &BuildSpec) -> (Option<ModifierSpec>, BTreeMap<String, u32>) {
    let mut counts: BTreeMap<Attribute, u32> = BTreeMap::new();
    for name in build
        .equipment
        .infusions
        .iter()
        .take(gear::MAX_INFUSIONS as usize)
    {
        if let Some(a) = infusion_attribute(name) {
            *counts.entry(a).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return (None, BTreeMap::new());
    }
    let effects = Effects {
        attributes: counts
            .iter()
            .map(|(a, n)| AttributeEffect {
                stat: Stat::from_attribute(*a),
                value: f64::from(*n) * gear::INFUSION_BONUS,
                mode: PointMode::Converted,
            })
            .collect(),
        ..Effects::default()
    };
    let spec = ModifierSpec::Full(Box::new(ModifierEntry {
        id: "build:infusions".to_owned(),
        name: Some("the build's infusions".to_owned()),
        amount: None,
        effects: Some(effects),
        wvw_effects: None,
        amount_data: None,
    }));
    let named = counts
        .into_iter()
        .map(|(a, n)| (a.as_str().to_owned(), n))
        .collect();
    (Some(spec), named)
}

/// The loadout the build's weapon slots imply, if any.
fn build_weapon_type(build: &BuildSpec) -> Option<WeaponType> {
    if build.equipment.gear.contains_key(&GearSlot::TwoHanded) {
        Some(WeaponType::TwoHanded)
    } else if build.equipment.gear.contains_key(&GearSlot::MainHand)
        || build.equipment.gear.contains_key(&GearSlot::OffHand)
    {
        Some(WeaponType::DualWield)
    } else {
        None
    }
}

fn evaluate(
    build: &BuildSpec,
    own: &OwnExtras<'_>,
    t: &Template,
    build_traits: Option<&HashSet<u32>>,
    data: &data::Data,
    profession: &str,
) -> Result<(DpsEstimate, GearInput), BenchmarkError> {
    let mut assumed = Vec::new();
    let weapon_type = build_weapon_type(build).unwrap_or(t.weapon_type);
    // WvW and PvP builds are scored against an enemy player, PvE ones against the golem
    let target =
        (build.game_mode.is_wvw() || build.game_mode == GameMode::Pvp).then(gear::Target::wvw);
    let slots = weapon_type.slots();
    let forced: BTreeMap<GearSlot, String> = build
        .equipment
        .gear
        .iter()
        .filter(|(s, _)| slots.contains(s))
        .map(|(s, p)| (*s, p.clone()))
        .collect();
    let mut modifiers: Vec<ModifierSpec> =
        data.buffs.iter().cloned().map(ModifierSpec::Id).collect();
    modifiers.extend(trait_modifiers(t, build_traits, data, profession));
    modifiers.extend(extras(own, t, &mut assumed));
    let (own_inf, own_counts) = own.infusions.clone();
    // Heal benchmarks record no damage: whatever fills the open slots the DPS is 0, so they
    // are not searched (an all-zero objective gives the search nothing to prune with).
    let no_damage = t.distribution == gear::Distribution::default();
    let infusions = match (own_inf, &t.infusions) {
        (None, _) if no_damage => None,
        (Some(m), _) => {
            modifiers.push(m);
            None
        }
        (None, Some(ti)) => {
            assumed.push("infusions: the benchmark's split".to_owned());
            Some(Infusions {
                primary: ti.primary.parse().map_err(|_| {
                    BenchmarkError::Data(format!("infusion attribute {:?}", ti.primary))
                })?,
                secondary: ti.secondary.as_deref().and_then(|s| s.parse().ok()),
                max: gear::MAX_INFUSIONS,
                primary_max: gear::MAX_INFUSIONS,
                secondary_max: gear::MAX_INFUSIONS,
            })
        }
        (None, None) => None,
    };
    let filled: Vec<GearSlot> = slots
        .iter()
        .filter(|s| !forced.contains_key(s))
        .copied()
        .collect();
    if !filled.is_empty() {
        assumed.push(if no_damage {
            format!(
                "{} empty slot(s): the benchmark's first prefix (it records no damage)",
                filled.len()
            )
        } else {
            format!(
                "{} empty slot(s): the best of the benchmark's prefixes",
                filled.len()
            )
        });
    }
    let affixes = if no_damage {
        t.affixes.iter().take(1).cloned().collect()
    } else {
        t.affixes.clone()
    };
    let input = GearInput {
        name: Some(t.name.clone()),
        description: None,
        source: None,
        profession: profession.to_owned(),
        game_mode: Some(build.game_mode),
        weapon_type,
        affixes,
        forced_slots: forced,
        slot_affixes: BTreeMap::new(),
        exotic: BTreeMap::new(),
        custom_affixes: Vec::new(),
        optimize_for: Objective::Damage,
        distribution: t.distribution.clone(),
        modifiers,
        infusions,
        extras: None,
        lifesteal: None,
        constraints: gear::Constraints::default(),
        weights: None,
        target: target.clone(),
        target_armor: crate::gear::model::GOLEM_ARMOR,
        attack_rate: 0.0,
        movement_uptime: 0.0,
        top: 1,
        max_evaluations: None,
    };
    let out = gear::run(&input)?;
    let best = out
        .results
        .into_iter()
        .next()
        .ok_or_else(|| BenchmarkError::Data("the gear engine returned no result".into()))?;
    let estimate = DpsEstimate {
        dps: best.dps,
        target: target
            .as_ref()
            .unwrap_or(&gear::Target::Golem)
            .describe(crate::gear::model::GOLEM_ARMOR),
        damage: best.damage,
        benchmark: BenchmarkRef::from(t),
        compared: 0,
        traits_differing: build_traits.map(|ids| {
            t.selected_traits
                .iter()
                .flatten()
                .filter(|id| **id != 0 && !ids.contains(id))
                .count()
        }),
        traits_from: if build_traits.is_some() {
            TraitSource::Build
        } else {
            TraitSource::Benchmark
        },
        gear: best.gear,
        filled_slots: filled,
        infusions: if own_counts.is_empty() {
            best.infusions
        } else {
            own_counts
        },
        assumed,
    };
    Ok((estimate, input))
}
