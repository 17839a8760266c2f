//! discretize's build templates as gear inputs: every template of its presetdata (traits and
//! skills, damage distribution, boons, affix candidates and boon constraints, infusions, and
//! every extras candidate), in either of its game modes, turned into a [`GearInput`] that
//! `gw2opt optimize --template <id>` runs with the template's default candidates.
//!
//! The data is derived, not copied: `data/gear_import.py` reads discretize's
//! `presetdata/*.yaml` and `modifierdata/*.yaml` (the commit is in `data/benchmarks.json`'s
//! `source`) into `gear_templates`, whose trait references resolve against the same
//! profession tables the build benchmarks use. A template loads as discretize's
//! `templateTransform` loads it: the template's keys, overridden by the other mode's and then
//! by the chosen mode's, with the boons preset of its boon type for the mode (fractals: "Power
//! (spotter)" or "Condi"; raids: "Benchmark"; entries discretize's modifier data no longer has,
//! such as banners and spotter, count for nothing there too and are listed in the input's
//! description). Lifesteal foods count 4.3 procs per 10 s, discretize's default.

use std::str::FromStr;

use gw2::model::{Attribute, GameMode};
use serde::{Deserialize, Serialize};

use super::data::{self, GearTemplate, GearTemplateMode, Ref};
use super::{inline, with_amount, BenchmarkError};
use crate::gear::{Constraints, Extras, GearInput, Infusions, ModifierSpec, MAX_INFUSIONS};

/// discretize's default lifesteal procs per 10 s (extras.ts `lifestealData.amountData.default`).
const LIFESTEAL_PROCS: f64 = 4.3;

/// The game mode a template is loaded for (discretize's fractals / raids switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateMode {
    /// discretize's default.
    #[default]
    #[serde(alias = "fractal")]
    Fractals,
    #[serde(alias = "raid")]
    Raids,
}

impl FromStr for TemplateMode {
    type Err = BenchmarkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fractals" | "fractal" => Ok(TemplateMode::Fractals),
            "raids" | "raid" => Ok(TemplateMode::Raids),
            other => Err(BenchmarkError::UnknownTemplate(format!(
                "mode {other:?} (fractals or raids)"
            ))),
        }
    }
}

impl TemplateMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateMode::Fractals => "fractals",
            TemplateMode::Raids => "raids",
        }
    }
}

/// A template as listed to users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateRef {
    /// discretize's template id (`pbers`).
    pub id: String,
    pub name: String,
    pub profession: String,
    pub specialization: String,
    /// discretize marks templates whose rotation predates the current balance.
    pub outdated: bool,
}

/// Every discretize template, in its order (by profession).
pub fn templates() -> Result<Vec<TemplateRef>, BenchmarkError> {
    Ok(data::data()?
        .gear_templates
        .iter()
        .map(|t| TemplateRef {
            id: t.id.clone(),
            name: t.name.clone(),
            profession: t.profession.clone(),
            specialization: t.specialization.clone(),
            outdated: t.outdated,
        })
        .collect())
}

fn mode_of(t: &GearTemplate, mode: TemplateMode) -> &GearTemplateMode {
    match mode {
        TemplateMode::Fractals => &t.fractals,
        TemplateMode::Raids => &t.raids,
    }
}

fn candidates(list: Option<&Vec<Ref>>) -> Vec<ModifierSpec> {
    list.map(|l| l.iter().map(|r| with_amount(&r.id, r.amount)).collect())
        .unwrap_or_default()
}

fn attribute(name: &str) -> Result<Attribute, BenchmarkError> {
    name.parse()
        .map_err(|_| BenchmarkError::Data(format!("infusion attribute {name:?}")))
}

/// The gear input of template `id` in `mode`: its boons, skills and traits as modifiers, its
/// distribution, affix candidates, boon constraints and infusions, and every extras candidate
/// of its extras preset searched with the gear.
pub fn template_input(id: &str, mode: TemplateMode) -> Result<GearInput, BenchmarkError> {
    let data = data::data()?;
    let t = data
        .gear_templates
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(id.trim()))
        .ok_or_else(|| BenchmarkError::UnknownTemplate(id.to_string()))?;
    let m = mode_of(t, mode);
    let mut modifiers: Vec<ModifierSpec> = m.buffs.iter().cloned().map(ModifierSpec::Id).collect();
    for r in &m.modifiers {
        let tm = data
            .modifier(&t.profession, &r.id)
            .ok_or_else(|| BenchmarkError::Data(format!("{}: no modifier {}", t.id, r.id)))?;
        modifiers.push(inline(tm, r.amount));
    }
    let extras = Extras {
        runes: candidates(m.extras.get("runes")),
        sigil1: candidates(m.extras.get("sigil1")),
        sigil2: candidates(m.extras.get("sigil2")),
        relic: candidates(m.extras.get("relic")),
        food: candidates(m.extras.get("food")),
        utility: candidates(m.extras.get("utility")),
        infusions: Vec::new(),
    };
    let infusions = match &m.infusions {
        Some(i) => Some(Infusions {
            primary: attribute(&i.primary)?,
            secondary: i.secondary.as_deref().map(attribute).transpose()?,
            max: MAX_INFUSIONS,
            primary_max: MAX_INFUSIONS,
            secondary_max: MAX_INFUSIONS,
        }),
        None => None,
    };
    let positive = |v: f64| (v > 0.0).then_some(v);
    let constraints = Constraints {
        min_boon_duration: positive(m.min_boon_duration),
        min_quickness_duration: positive(m.min_quickness_duration),
        ..Constraints::default()
    };
    let mut description = format!(
        "discretize template {:?} ({}), {}: traits {:?}, distribution {:?}, boons {:?}, \
         affixes {:?}, extras {:?}.",
        t.name,
        t.specialization,
        mode.as_str(),
        m.traits,
        m.distribution_preset,
        m.boons,
        m.priority,
        m.extras_preset.as_deref().unwrap_or("none"),
    );
    if !m.buffs_not_modelled.is_empty() {
        description.push_str(&format!(
            " Boons preset entries discretize's modifier data no longer defines (ignored): {}.",
            m.buffs_not_modelled.join(", ")
        ));
    }
    if t.outdated {
        description.push_str(" discretize marks this template outdated.");
    }
    let mut source = data.source.clone();
    if let Some(o) = source.as_object_mut() {
        o.insert("template".into(), serde_json::json!(t.id));
        o.insert("mode".into(), serde_json::json!(mode.as_str()));
    }
    let game_mode = match mode {
        TemplateMode::Fractals => GameMode::Fractals,
        TemplateMode::Raids => GameMode::Raid,
    };
    Ok(GearInput {
        name: Some(format!("{} ({})", t.name, mode.as_str())),
        description: Some(description),
        source: Some(source),
        profession: t.profession.clone(),
        game_mode: Some(game_mode),
        weapon_type: t.weapon_type,
        affixes: m.affixes.clone(),
        forced_slots: Default::default(),
        slot_affixes: Default::default(),
        exotic: Default::default(),
        custom_affixes: Vec::new(),
        optimize_for: m.optimize_for,
        distribution: m.distribution.clone(),
        modifiers,
        infusions,
        extras: (!extras.is_empty()).then_some(extras),
        constraints,
        weights: None,
        target: None,
        target_armor: crate::gear::model::GOLEM_ARMOR,
        attack_rate: 0.0,
        movement_uptime: 0.0,
        lifesteal: Some(LIFESTEAL_PROCS),
        top: 10,
        max_evaluations: None,
    })
}
