//! Gear for a slot, chosen and measured by the gear engine (`optimizer::gear`, discretize's
//! damage model with WvW modifiers).
//!
//! Every armor, trinket and weapon slot gets one stat prefix (the answer's `stats`), chosen
//! with a rune, two sigils and a relic from a short list per kind of slot. The lists name
//! entries of the engine's modifier library (runes, sigils and relics as discretize models
//! them) and the game's stat prefixes; the engine computes each candidate's attribute sheet,
//! and the candidate with the best score for the mode and the players' experience wins:
//!
//! | kind | score |
//! |---|---|
//! | damage (power or condition) | effective power^a × effective health^(1−a) |
//! | support and boons | effective health^0.6 × (1 + boon duration)^0.4 |
//! | heal | effective health^0.4 × healing^0.6 |
//!
//! `a` (how much a damage slot values damage over staying alive) is 0.6 in a zerg or guild
//! raid (the frontline takes pressure), 0.5 outnumbered, 0.8 roaming (burst wins small
//! fights); beginners take 0.15 less (more forgiving stats), experts 0.1 more.
//!
//! The choice is made coordinate by coordinate (prefix, then rune, sigils, relic): a dozen
//! engine runs instead of every combination, and each (profession, kind, mode, experience)
//! is computed once per process.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use optimizer::gear::{self, GearError, GearInput, GearResult};
use serde_json::json;

use super::answer::{Equipment, Performance};
use crate::request::{Experience, WvwMode};

/// What a slot is equipped for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Power,
    Condition,
    Support,
    Boons,
    Heal,
}

impl Kind {
    /// From the build's role in the support table (`dps`, `strip`, `support`, `heal`,
    /// `quickness`, `alacrity`); `condition` asks for condition damage gear.
    pub fn of(role: &str, condition: bool) -> Kind {
        match role {
            "heal" => Kind::Heal,
            "support" => Kind::Support,
            "quickness" | "alacrity" => Kind::Boons,
            _ if condition => Kind::Condition,
            _ => Kind::Power,
        }
    }
}

struct Candidates {
    prefixes: &'static [&'static str],
    runes: &'static [&'static str],
    sigils: &'static [[&'static str; 2]],
    relics: &'static [&'static str],
}

fn candidates(kind: Kind) -> Candidates {
    match kind {
        Kind::Power => Candidates {
            prefixes: &[
                "Berserker's",
                "Marauder's",
                "Dragon's",
                "Assassin's",
                "Soldier's",
            ],
            runes: &["rune:scholar", "rune:strength", "rune:durability"],
            sigils: &[
                ["sigil:force", "sigil:accuracy"],
                ["sigil:force", "sigil:concentration"],
            ],
            relics: &[
                "relic:thief-relic",
                "relic:fireworks-relic",
                "relic:monk-relic",
            ],
        },
        Kind::Condition => Candidates {
            prefixes: &["Viper's", "Grieving", "Carrion", "Dire", "Trailblazer's"],
            runes: &["rune:tormenting", "rune:afflicted", "rune:durability"],
            sigils: &[
                ["sigil:bursting", "sigil:malice"],
                ["sigil:bursting", "sigil:concentration"],
            ],
            relics: &[
                "relic:aristocracy-relic",
                "relic:thorns-relic",
                "relic:monk-relic",
            ],
        },
        Kind::Support | Kind::Boons => Candidates {
            prefixes: &[
                "Minstrel's",
                "Harrier's",
                "Commander's",
                "Diviner's",
                "Soldier's",
            ],
            runes: &["rune:durability", "rune:herald", "rune:monk", "rune:water"],
            sigils: &[["sigil:concentration", "sigil:transference"]],
            relics: &["relic:firebrand-relic", "relic:monk-relic"],
        },
        Kind::Heal => Candidates {
            prefixes: &["Minstrel's", "Harrier's", "Cleric's", "Magi's"],
            runes: &["rune:monk", "rune:water", "rune:durability"],
            sigils: &[["sigil:transference", "sigil:concentration"]],
            relics: &["relic:monk-relic", "relic:firebrand-relic"],
        },
    }
}

/// How much a damage slot values damage (the table's `a`).
fn damage_weight(mode: WvwMode, experience: Experience) -> f64 {
    let base: f64 = match mode {
        WvwMode::Zerg | WvwMode::GuildRaid => 0.6,
        WvwMode::Outnumbered => 0.5,
        WvwMode::Roaming => 0.8,
    };
    let shift = match experience {
        Experience::Beginner => -0.15,
        Experience::Intermediate => 0.0,
        Experience::Expert => 0.1,
    };
    (base + shift).clamp(0.0, 1.0)
}

fn score(kind: Kind, r: &GearResult, a: f64) -> f64 {
    let eh = r.effective_health.max(1.0);
    match kind {
        Kind::Power | Kind::Condition => r.dps.max(1.0).powf(a) * eh.powf(1.0 - a),
        Kind::Support | Kind::Boons => {
            eh.powf(0.6) * (1.0 + r.attributes.boon_duration / 100.0).powf(0.4)
        }
        Kind::Heal => eh.powf(0.4) * r.healing.max(1.0).powf(0.6),
    }
}

/// The burst every slot is measured with: 2.0 skill coefficient per second at weapon strength
/// 1,100 (a strike every half second of a 1.0-coefficient skill), for 4 seconds.
const BURST_POWER_PER_SECOND: f64 = 2.0 * 1100.0;
const BURST_SECONDS: f64 = 4.0;

fn input(
    profession: &str,
    kind: Kind,
    prefix: &str,
    modifiers: &[serde_json::Value],
) -> Result<GearInput, GearError> {
    let distribution = match kind {
        Kind::Condition => {
            json!({"power": BURST_POWER_PER_SECOND / 4.0, "bleeding": 3.0, "burning": 1.0, "torment": 1.5})
        }
        _ => json!({"power": BURST_POWER_PER_SECOND}),
    };
    let value = json!({
        "profession": profession,
        "game_mode": "wvw",
        "weapon_type": "two_handed",
        "affixes": [prefix],
        "distribution": distribution,
        "modifiers": modifiers,
        "top": 1,
    });
    serde_json::from_value(value).map_err(|e| GearError::Json(e.to_string()))
}

fn run(
    profession: &str,
    kind: Kind,
    prefix: &str,
    modifiers: &[serde_json::Value],
) -> Result<GearResult, GearError> {
    let out = gear::run(&input(profession, kind, prefix, modifiers)?)?;
    out.results
        .into_iter()
        .next()
        .ok_or_else(|| GearError::Json(format!("no result for {prefix}")))
}

fn kit_modifiers(rune: &str, sigils: &[&str; 2], relic: &str) -> Vec<serde_json::Value> {
    vec![
        json!({"id": rune}),
        json!({"id": sigils[0]}),
        json!({"id": sigils[1]}),
        json!({"id": relic}),
    ]
}

/// The chosen kit and its engine figures (without `dps_increase`, which depends on the build's
/// boons, not its gear).
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub equipment: Equipment,
    pub burst_damage: f64,
    pub survivability: f64,
    /// The kit's score on the slot kind's scale (see the table above).
    pub score: f64,
    /// Damage per second of the reference rotation (2.0 coefficient per second at weapon
    /// strength 1,100) with this kit.
    pub dps: f64,
    /// The engine's representative heal with this kit: (0.3 × Healing Power + 390) ×
    /// (1 + outgoing healing).
    pub healing: f64,
    /// The other stat prefixes with the same rune, sigils and relic, best first.
    pub alternatives: Vec<Alternative>,
}

/// Another stat prefix for the same slot, measured the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub stats: String,
    pub burst_damage: f64,
    pub survivability: f64,
    pub score: f64,
}

/// A candidate kit: prefix, rune, sigils, relic.
type Choice = (&'static str, &'static str, [&'static str; 2], &'static str);

/// The best-scoring candidate and its engine result.
fn best_of(
    profession: &str,
    kind: Kind,
    a: f64,
    choices: Vec<Choice>,
) -> Result<(Choice, GearResult), GearError> {
    let mut top: Option<(f64, Choice, GearResult)> = None;
    for choice in choices {
        let (p, r, s, l) = choice;
        let result = run(profession, kind, p, &kit_modifiers(r, &s, l))?;
        let value = score(kind, &result, a);
        if top.as_ref().is_none_or(|(v, _, _)| value > *v) {
            top = Some((value, choice, result));
        }
    }
    top.map(|(_, c, r)| (c, r))
        .ok_or_else(|| GearError::Json("no candidate kit".into()))
}

type Key = (String, Kind, WvwMode, Experience);
static FITTED: LazyLock<Mutex<HashMap<Key, Fitted>>> = LazyLock::new(Mutex::default);

/// The best kit of `kind` for a `profession` in `mode` for players of `experience`.
pub fn fit(
    profession: &str,
    kind: Kind,
    mode: WvwMode,
    experience: Experience,
) -> Result<Fitted, GearError> {
    let key = (profession.to_owned(), kind, mode, experience);
    if let Some(found) = FITTED.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(found);
    }
    let c = candidates(kind);
    let a = damage_weight(mode, experience);
    let best = |choices: Vec<Choice>| best_of(profession, kind, a, choices);
    let start = (c.prefixes[0], c.runes[0], c.sigils[0], c.relics[0]);
    let (prefix, ..) = best(
        c.prefixes
            .iter()
            .map(|p| (*p, start.1, start.2, start.3))
            .collect(),
    )?
    .0;
    let (_, rune, ..) = best(
        c.runes
            .iter()
            .map(|r| (prefix, *r, start.2, start.3))
            .collect(),
    )?
    .0;
    let (_, _, sigils, _) = best(
        c.sigils
            .iter()
            .map(|s| (prefix, rune, *s, start.3))
            .collect(),
    )?
    .0;
    let ((_, _, _, relic), result) = best(
        c.relics
            .iter()
            .map(|l| (prefix, rune, sigils, *l))
            .collect(),
    )?;
    let kit = kit_modifiers(rune, &sigils, relic);
    let mut alternatives = Vec::new();
    for other in c.prefixes.iter().filter(|p| **p != prefix) {
        let r = run(profession, kind, other, &kit)?;
        alternatives.push(Alternative {
            stats: (*other).to_owned(),
            burst_damage: (r.dps * BURST_SECONDS).round(),
            survivability: r.effective_health.round(),
            score: score(kind, &r, a),
        });
    }
    alternatives.sort_by(|x, y| y.score.total_cmp(&x.score));
    let fitted = Fitted {
        score: score(kind, &result, a),
        dps: result.dps,
        healing: result.healing,
        alternatives,
        equipment: Equipment {
            stats: prefix.to_owned(),
            rune: display_name(rune),
            sigils: sigils.iter().map(|s| display_name(s)).collect(),
            relic: Some(display_name(relic)),
        },
        burst_damage: (result.dps * BURST_SECONDS).round(),
        survivability: result.effective_health.round(),
    };
    if let Ok(mut m) = FITTED.lock() {
        m.insert(key, fitted.clone());
    }
    Ok(fitted)
}

/// The library's display name of a modifier id (`"rune:scholar"` → "Superior Rune of the
/// Scholar").
fn display_name(id: &str) -> String {
    gear::library_modifier(id)
        .ok()
        .flatten()
        .map_or_else(|| id.to_owned(), |m| m.name.clone())
}

/// Percent more damage a Berserker's group member (power burst, WvW) deals with `might`
/// stacks and `fury` uptime from this slot than without.
pub fn dps_increase(might: f64, fury: f64) -> Result<f64, GearError> {
    if might <= 0.0 && fury <= 0.0 {
        return Ok(0.0);
    }
    let key = (
        (might * 100.0).round() as i64,
        (fury * 100.0).round() as i64,
    );
    static DONE: LazyLock<Mutex<HashMap<(i64, i64), f64>>> = LazyLock::new(Mutex::default);
    if let Some(v) = DONE.lock().ok().and_then(|m| m.get(&key).copied()) {
        return Ok(v);
    }
    let base = run("Warrior", Kind::Power, "Berserker's", &[])?;
    let boons = vec![
        json!({"id": "buff:might", "amount": might.clamp(0.0, 25.0)}),
        // Fury's WvW value (+20% critical chance, the library's `wvw_effects`) times uptime.
        json!({"id": "buff:fury-share", "effects": {"attributes": [{"stat": "critical_chance", "value": 20.0 * fury.clamp(0.0, 1.0)}]}}),
    ];
    let with = run("Warrior", Kind::Power, "Berserker's", &boons)?;
    let pct = ((with.dps / base.dps.max(1.0)) - 1.0) * 100.0;
    let pct = (pct * 10.0).round() / 10.0;
    if let Ok(mut m) = DONE.lock() {
        m.insert(key, pct);
    }
    Ok(pct)
}

/// The answer's performance block.
pub fn performance(fitted: &Fitted, dps_increase: f64) -> Result<Performance, GearError> {
    Ok(Performance {
        burst_damage: fitted.burst_damage,
        survivability: relative_survivability(fitted.survivability)?,
        effective_health: fitted.survivability,
        dps_increase,
    })
}

/// Effective health as a multiple of the squishiest common build's: an Elementalist (light
/// armor, lowest health) in full Berserker's, measured by the same engine with no rune,
/// sigils or relic. 1.0 is that build; a heavy frontline support is about 3 to 4.
pub fn relative_survivability(effective_health: f64) -> Result<f64, GearError> {
    static REFERENCE: LazyLock<Mutex<Option<f64>>> = LazyLock::new(Mutex::default);
    let cached = REFERENCE.lock().ok().and_then(|r| *r);
    let reference = match cached {
        Some(r) => r,
        None => {
            let r = run("Elementalist", Kind::Power, "Berserker's", &[])?.effective_health;
            if let Ok(mut slot) = REFERENCE.lock() {
                *slot = Some(r);
            }
            r
        }
    };
    Ok((effective_health / reference.max(1.0) * 100.0).round() / 100.0)
}
