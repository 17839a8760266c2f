//! Results: [`GearOutput`] (serialized as `{"results": [...], "search": {...}}`) and the text
//! table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use gw2::model::GearSlot;
use serde::{Deserialize, Serialize};

use super::input::Objective;
use super::model::Sheet;
use super::modifiers::Stat;
use super::problem::Space;
use super::search::Entry;

/// The attribute sheet of a result. Percentages in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeSheet {
    pub power: f64,
    pub precision: f64,
    pub toughness: f64,
    pub vitality: f64,
    pub ferocity: f64,
    pub condition_damage: f64,
    pub expertise: f64,
    pub concentration: f64,
    pub healing_power: f64,
    /// Capped at 100 in damage, shown uncapped.
    pub critical_chance: f64,
    pub critical_damage: f64,
    /// Uncapped (the game caps boon duration at 100%).
    pub boon_duration: f64,
    /// Uncapped (damage uses at most +100%).
    pub condition_duration: f64,
    pub health: f64,
    /// Defense + toughness.
    pub armor: f64,
    pub outgoing_healing: f64,
}

/// DPS per source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DamageBreakdown {
    /// Strikes with the player's attributes (critical and non-critical).
    pub power: f64,
    /// Alternative (shroud) or phantasm strikes (`distribution.power2`).
    #[serde(default)]
    pub power2: f64,
    /// Life-stealing damage.
    #[serde(default)]
    pub siphon: f64,
    pub bleeding: f64,
    pub burning: f64,
    pub confusion: f64,
    pub poison: f64,
    pub torment: f64,
    pub flat: f64,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GearResult {
    /// 1 = best.
    pub rank: usize,
    /// Value of the optimized objective.
    pub score: f64,
    /// Total damage per second (strike + conditions + flat).
    pub dps: f64,
    /// Slot → stat prefix name (`"helm": "Berserker's"`).
    pub gear: BTreeMap<GearSlot, String>,
    /// Infusion attribute → count of +5 infusions.
    pub infusions: BTreeMap<String, u32>,
    /// The extras this result uses, when the input lists extras candidates: category
    /// (`runes`, `relic`, `sigil1`, `sigil2`, `utility`, `food`, `infusions`) → item id
    /// (`"rune:scholar"`) or infusion setting (`"power+precision"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extras: BTreeMap<String, String>,
    pub attributes: AttributeSheet,
    pub damage: DamageBreakdown,
    pub effective_power: f64,
    pub effective_health: f64,
    pub survivability: f64,
    pub healing: f64,
}

/// How the search went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSummary {
    pub objective: Objective,
    /// Every subtree explored or pruned by a proven bound: the results are the exact top N.
    pub proven_optimal: bool,
    pub cancelled: bool,
    /// Candidate prefixes for the open slots.
    pub candidate_prefixes: usize,
    /// Slot-by-slot combinations (× infusion splits) the problem represents.
    pub raw_combinations: f64,
    /// Search levels (slot classes + infusions).
    pub classes: usize,
    /// Tree nodes whose bound was computed.
    pub nodes: u64,
    /// Complete gear combinations evaluated.
    pub evaluated: u64,
    /// Modifiers applied (ids): the input's own (each result's extras come on top).
    pub modifiers: Vec<String>,
    /// Extras combinations searched (1 without extras candidates).
    #[serde(default = "one")]
    pub extras_combinations: usize,
}

fn one() -> usize {
    1
}

/// The optimizer's answer, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GearOutput {
    pub results: Vec<GearResult>,
    pub search: SearchSummary,
}

/// Progress of a running optimization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub subtrees_done: usize,
    pub subtrees_total: usize,
    pub nodes: u64,
    pub evaluated: u64,
    /// The best result so far, when it changed since the previous report.
    pub best: Option<GearResult>,
}

pub(crate) fn result(space: &Space, entry: &Entry, rank: usize) -> GearResult {
    let v = entry.variant as usize;
    let problem = &space.variants[v];
    let extras: BTreeMap<String, String> = space
        .choices
        .get(v)
        .map(|c| {
            c.labels
                .iter()
                .map(|(k, l)| ((*k).to_string(), l.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut gear_pts = [0.0; 9];
    let mut gear = BTreeMap::new();
    let mut infusions = BTreeMap::new();
    for (class, &ci) in problem.classes.iter().zip(&entry.path) {
        let ci = usize::from(ci);
        let (Some(v), Some(counts)) = (class.vecs.get(ci), class.counts.get(ci)) else {
            continue;
        };
        for (g, x) in gear_pts.iter_mut().zip(v) {
            *g += x;
        }
        if class.slots.is_empty() {
            if let Some((pa, sa)) = problem.infusion_attrs {
                let p = counts.first().copied().unwrap_or(0);
                let s = counts.get(1).copied().unwrap_or(0);
                if p > 0 {
                    infusions.insert(pa.to_string(), u32::from(p));
                }
                if let (Some(sa), true) = (sa, s > 0) {
                    infusions.insert(sa.to_string(), u32::from(s));
                }
            }
            continue;
        }
        let mut slot_iter = class.slots.iter();
        for (&n, &pi) in counts.iter().zip(&class.affixes) {
            for _ in 0..n {
                if let (Some(slot), Some(pref)) = (slot_iter.next(), problem.prefixes.get(pi)) {
                    gear.insert(*slot, pref.name.clone());
                }
            }
        }
    }
    let (a, ind): (Sheet, _) = problem.evaluate(&gear_pts);
    let at = |s: Stat| a[s.idx()];
    GearResult {
        rank,
        score: entry.score,
        dps: ind.damage,
        gear,
        infusions,
        extras,
        attributes: AttributeSheet {
            power: at(Stat::Power),
            precision: at(Stat::Precision),
            toughness: at(Stat::Toughness),
            vitality: at(Stat::Vitality),
            ferocity: at(Stat::Ferocity),
            condition_damage: at(Stat::ConditionDamage),
            expertise: at(Stat::Expertise),
            concentration: at(Stat::Concentration),
            healing_power: at(Stat::HealingPower),
            critical_chance: at(Stat::CriticalChance) * 100.0,
            critical_damage: at(Stat::CriticalDamage) * problem.engine.mult.critical * 100.0,
            boon_duration: at(Stat::BoonDuration) * 100.0,
            condition_duration: at(Stat::ConditionDuration) * 100.0,
            health: at(Stat::Health),
            armor: at(Stat::Armor),
            outgoing_healing: at(Stat::OutgoingHealing) * 100.0,
        },
        damage: DamageBreakdown {
            power: ind.power_dps,
            power2: ind.power2_dps,
            siphon: ind.siphon_dps,
            bleeding: ind.condition_dps[0],
            burning: ind.condition_dps[1],
            confusion: ind.condition_dps[2],
            poison: ind.condition_dps[3],
            torment: ind.condition_dps[4],
            flat: ind.flat_dps,
        },
        effective_power: ind.effective_power,
        effective_health: ind.effective_health,
        survivability: ind.survivability,
        healing: ind.healing,
    }
}

fn short(name: &str) -> String {
    name.trim_end_matches("'s").chars().take(4).collect()
}

/// A fixed-width text table of the results (the CLI's `--format table`).
pub fn render_table(out: &GearOutput) -> String {
    let mut s = String::new();
    let slots: Vec<GearSlot> = {
        let mut v: Vec<GearSlot> = Vec::new();
        for r in &out.results {
            for k in r.gear.keys() {
                if !v.contains(k) {
                    v.push(*k);
                }
            }
        }
        v.sort();
        v
    };
    let abbrev = |slot: GearSlot| -> &'static str {
        match slot {
            GearSlot::Helm => "helm",
            GearSlot::Shoulders => "shld",
            GearSlot::Coat => "coat",
            GearSlot::Gloves => "glov",
            GearSlot::Leggings => "legs",
            GearSlot::Boots => "boot",
            GearSlot::Amulet => "amul",
            GearSlot::Ring1 => "rng1",
            GearSlot::Ring2 => "rng2",
            GearSlot::Accessory1 => "acc1",
            GearSlot::Accessory2 => "acc2",
            GearSlot::Back => "back",
            GearSlot::MainHand => "wep1",
            GearSlot::OffHand => "wep2",
            GearSlot::TwoHanded => "wep",
        }
    };
    let score_name = match out.search.objective {
        Objective::Damage => "dps",
        Objective::Survivability => "surv",
        Objective::Healing => "heal",
        Objective::Weighted => "score",
    };
    let _ = write!(s, "{:>4} {:>10} {:>9}", "#", score_name, "dps");
    for sl in &slots {
        let _ = write!(s, " {:>4}", abbrev(*sl));
    }
    let with_extras = out.results.iter().any(|r| !r.extras.is_empty());
    let _ = writeln!(
        s,
        " {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} infusions{}",
        "pow",
        "prec",
        "fero",
        "cdmg",
        "crit%",
        "cdur%",
        "boon%",
        "tough",
        "health",
        if with_extras { " | extras" } else { "" }
    );
    for r in &out.results {
        let _ = write!(s, "{:>4} {:>10.2} {:>9.2}", r.rank, r.score, r.dps);
        for sl in &slots {
            let p = r.gear.get(sl).map(|n| short(n)).unwrap_or_default();
            let _ = write!(s, " {p:>4}");
        }
        let a = &r.attributes;
        let inf: Vec<String> = r
            .infusions
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let extras = if with_extras {
            let v: Vec<&str> = r.extras.values().map(String::as_str).collect();
            format!(" | {}", v.join(", "))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            " {:>6.0} {:>6.0} {:>6.0} {:>6.0} {:>6.1} {:>6.1} {:>6.1} {:>6.0} {:>7.0} {}{}",
            a.power,
            a.precision,
            a.ferocity,
            a.condition_damage,
            a.critical_chance,
            a.condition_duration,
            a.boon_duration,
            a.toughness,
            a.health,
            inf.join(", "),
            extras
        );
    }
    let st = &out.search;
    let _ = writeln!(
        s,
        "{} result(s); {}; {} prefixes, {:.3e} raw combinations{}, {} evaluated, {} nodes",
        out.results.len(),
        if st.proven_optimal {
            "proven optimal"
        } else if st.cancelled {
            "cancelled (best so far)"
        } else {
            "stopped at the evaluation limit (best so far)"
        },
        st.candidate_prefixes,
        st.raw_combinations,
        if st.extras_combinations > 1 {
            format!(" × {} extras combinations", st.extras_combinations)
        } else {
            String::new()
        },
        st.evaluated,
        st.nodes
    );
    s
}
