//! A parsed WvW fight (`evtc::FightReport`) → one `player_contribution` sample per squad
//! member who was there long enough.
//!
//! **Label: the contribution index.** A squad member's output in each of five families,
//! each divided by the mean of that family over the fight's counted squad members, then
//! averaged over the families:
//!
//! `index(p) = mean over families F of  v_F(p) / mean_q v_F(q)`
//!
//! | family | `v_F(p)` (from the report) |
//! | --- | --- |
//! | `damage` | damage to enemy players (`damage.to_enemies`) |
//! | `strips` | boons removed from enemies (`support.boon_strips`) |
//! | `cleanses` | conditions removed from others (`support.cleanses`) |
//! | `healing_barrier` | healing and barrier given to others (`healing_others + barrier_others`) |
//! | `boon_generation` | `Σ_b g_b(p) / mean_q g_b(q)` over the 13 boons, `g_b` = generation to the rest of the squad (`generation_squad`) |
//!
//! Why this label:
//! - **1.0 is the fight's average squad member**, whatever the fight: a 10-player skirmish
//!   and a 50-player blob, a long and a short fight, a fight with much or little healing
//!   all give indexes around 1, so fights of any size compare and no family's unit
//!   (damage in hundreds of thousands, strips in tens) outweighs another;
//! - **every job counts alike**: a strip-focused Spellbreaker, a healing Druid and a damage
//!   Scourge each score in their own family; averaging the families rather than summing
//!   raw numbers keeps damage from deciding alone. A family nobody in the fight produced
//!   (no healing extension in the log: no healing numbers) says nothing and is left out of
//!   that fight's mean;
//! - **boons weigh alike** inside their family: each boon's generation is divided by its
//!   own squad mean first, so might stacks and stability stacks do not drown the duration
//!   boons, and the family's squad mean is then the number of boons anyone gave;
//! - **dying costs what it costs**: outputs are totals over the fight, not per second
//!   alive, so time spent dead shows as output missing. Deaths and downs are not a family
//!   of their own: a count to minimize does not fit a ratio to the squad's mean, and its
//!   cost is already the output lost.
//!
//! **Who is counted.** Squad members alive (`active_ms`: the fight time not spent dead) for
//! at least [`MIN_ACTIVE_SHARE`] of the fight. Someone dead for most of the fight says
//! more about how the fight went for them than about what their build brings, and would
//! pull the squad's means down for everyone; they are skipped ([`PlayerSkip`]) and left out
//! of the means. A fight with fewer than [`MIN_PLAYERS`] counted members has no squad to
//! compare with and gives no samples.
//!
//! **Features** (the player and the squad around them):
//! - `profession_<name>` and `spec_<name>` (one-hot; `spec_core` without an elite
//!   specialization), slugs as `build_rating`'s features;
//! - `boon_<name>` for the 13 boons: the player's own uptime, in the optimizer's units as
//!   [`super::fight`]'s squad uptimes (a fraction of the fight for duration boons, stacks
//!   for might and stability);
//! - `squad_size`, `enemy_ratio` and `share_<profession>`: the squad, as in
//!   [`super::fight`].
//!
//! The samples carry no name: their source is `fight:<id>/player:<n>`, `n` the player's
//! position in the stored report (which is what [`crate::Sample::group`] keeps whole in
//! the folds).

use std::collections::BTreeMap;

use evtc::analyze::profession_name;
use evtc::{FightReport, PlayerStats};

use super::fight::{boon_feature, finite, squad_features, uptime_units, FightSkip, BOONS};
use super::slug;
use crate::Sample;

/// Smallest share of the fight a squad member must have been alive to be counted.
pub const MIN_ACTIVE_SHARE: f64 = 0.5;
/// Fewest counted squad members a fight needs to give samples.
pub const MIN_PLAYERS: usize = 2;

/// The output families of the contribution index, in the order of the module's table.
pub const FAMILIES: [&str; 5] = [
    "damage",
    "strips",
    "cleanses",
    "healing_barrier",
    "boon_generation",
];

/// Why a squad member of a fight that gives samples has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlayerSkip {
    /// Alive for less than [`MIN_ACTIVE_SHARE`] of the fight.
    TooLittleTime,
}

impl PlayerSkip {
    pub fn as_str(self) -> &'static str {
        match self {
            PlayerSkip::TooLittleTime => "player_too_little_time",
        }
    }
}

/// What one fight gives: a sample per counted squad member, and why the others have none.
#[derive(Debug, Clone, PartialEq)]
pub struct FightPlayers {
    pub samples: Vec<Sample>,
    pub skipped: Vec<PlayerSkip>,
}

/// The feature name of a profession (`profession_guardian`).
pub fn profession_feature(name: &str) -> String {
    format!("profession_{}", slug(name))
}

/// The feature name of an elite specialization (`spec_firebrand`), `spec_core` for none.
pub fn spec_feature(name: Option<&str>) -> String {
    format!("spec_{}", name.map_or_else(|| "core".to_owned(), slug))
}

/// The samples of one fight's squad members, or why the fight gives none. `source` is the
/// fight's (`fight:<id>`).
pub fn samples(report: &FightReport, source: &str) -> Result<FightPlayers, FightSkip> {
    if !report.is_wvw {
        return Err(FightSkip::NotWvw);
    }
    let squad: Vec<&PlayerStats> = report.squad().collect();
    if squad.is_empty() {
        return Err(FightSkip::NoSquad);
    }
    if report.duration_ms <= 0 {
        return Err(FightSkip::NoDuration);
    }
    let mut counted = Vec::new();
    let mut skipped = Vec::new();
    for (index, player) in report.players.iter().enumerate() {
        if !player.in_squad {
            continue;
        }
        if (player.active_ms as f64) < MIN_ACTIVE_SHARE * report.duration_ms as f64 {
            skipped.push(PlayerSkip::TooLittleTime);
        } else {
            counted.push((index, player));
        }
    }
    if counted.len() < MIN_PLAYERS {
        return Err(FightSkip::TooFewPlayers);
    }
    let players: Vec<&PlayerStats> = counted.iter().map(|(_, p)| *p).collect();
    let labels = contribution_indexes(&players).ok_or(FightSkip::NoOutput)?;
    let squad_context = squad_features(report, &squad);
    let samples = counted
        .iter()
        .zip(labels)
        .map(|((index, player), label)| {
            let mut features = squad_context.clone();
            features.extend(own_features(player));
            Sample {
                features,
                label,
                source: format!("{source}/player:{index}"),
            }
        })
        .collect();
    Ok(FightPlayers { samples, skipped })
}

/// The contribution index of each of `players` against the others (see the module), or
/// `None` when none of them produced anything in any family.
pub fn contribution_indexes(players: &[&PlayerStats]) -> Option<Vec<f64>> {
    let families: Vec<Vec<f64>> = vec![
        players
            .iter()
            .map(|p| p.damage.to_enemies.max(0) as f64)
            .collect(),
        players
            .iter()
            .map(|p| f64::from(p.support.boon_strips))
            .collect(),
        players
            .iter()
            .map(|p| f64::from(p.support.cleanses))
            .collect(),
        players
            .iter()
            .map(|p| (p.support.healing_others.max(0) + p.support.barrier_others.max(0)) as f64)
            .collect(),
        boon_generation(players),
    ];
    let mut sums = vec![0.0; players.len()];
    let mut used = 0usize;
    for values in &families {
        let Some(ratios) = relative(values) else {
            continue;
        };
        used += 1;
        sums.iter_mut().zip(ratios).for_each(|(s, r)| *s += r);
    }
    (used > 0).then(|| sums.into_iter().map(|s| finite(s / used as f64)).collect())
}

/// Each value divided by their mean; `None` when the mean is not above zero.
fn relative(values: &[f64]) -> Option<Vec<f64>> {
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    (mean > 1e-12 && mean.is_finite()).then(|| values.iter().map(|v| v / mean).collect())
}

/// Per player, `Σ_b g_b(p) / mean_q g_b(q)` over the boons anyone generated for the squad.
fn boon_generation(players: &[&PlayerStats]) -> Vec<f64> {
    let mut totals = vec![0.0; players.len()];
    for (name, _) in BOONS {
        let generated: Vec<f64> = players
            .iter()
            .map(|p| {
                p.boons
                    .iter()
                    .find(|b| b.name.eq_ignore_ascii_case(name))
                    .map_or(0.0, |b| b.generation_squad.max(0.0))
            })
            .collect();
        if let Some(ratios) = relative(&generated) {
            totals.iter_mut().zip(ratios).for_each(|(t, r)| *t += r);
        }
    }
    totals
}

/// The player's own features: profession, elite specialization and boon uptimes.
fn own_features(player: &PlayerStats) -> BTreeMap<String, f64> {
    let mut features = BTreeMap::new();
    let core = profession_name(player.profession, 0);
    let named = profession_name(player.profession, player.elite);
    features.insert(profession_feature(&core), 1.0);
    features.insert(spec_feature((named != core).then_some(named.as_str())), 1.0);
    for (name, _) in BOONS {
        let uptime = player
            .boons
            .iter()
            .find(|b| b.name.eq_ignore_ascii_case(name))
            .map_or(0.0, |b| uptime_units(b.intensity, b.uptime));
        features.insert(boon_feature(name), finite(uptime));
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;
    use evtc::analyze::BoonStats;

    fn boon(name: &str, intensity: bool, uptime: f64, generation_squad: f64) -> BoonStats {
        BoonStats {
            name: name.into(),
            intensity,
            uptime,
            generation_squad,
            ..BoonStats::default()
        }
    }

    /// A squad member alive for `active_ms` of a 100 s fight.
    fn member(profession: u32, elite: u32, active_ms: i64) -> PlayerStats {
        PlayerStats {
            in_squad: true,
            profession,
            elite,
            active_ms,
            ..PlayerStats::default()
        }
    }

    /// Four squad members with hand-computable outputs, an ally, and a member who died early.
    fn report() -> FightReport {
        // Firebrand: stability for the squad, some healing
        let mut firebrand = member(1, 62, 100_000);
        firebrand.damage.to_enemies = 100_000;
        firebrand.support.healing_others = 30_000;
        firebrand.support.barrier_others = 10_000;
        firebrand.boons = vec![
            boon("Stability", true, 3.0, 2.0),
            boon("Quickness", false, 80.0, 0.0),
        ];
        // Spellbreaker: strips and damage
        let mut spellbreaker = member(2, 61, 90_000);
        spellbreaker.damage.to_enemies = 300_000;
        spellbreaker.support.boon_strips = 30;
        spellbreaker.boons = vec![boon("Stability", true, 2.0, 0.0)];
        // Scourge: damage, strips, no boons
        let mut scourge = member(8, 60, 60_000);
        scourge.damage.to_enemies = 400_000;
        scourge.support.boon_strips = 30;
        // core Guardian: cleanses and quickness
        let mut core = member(1, 0, 100_000);
        core.damage.to_enemies = 0;
        core.support.cleanses = 40;
        core.boons = vec![boon("Quickness", false, 50.0, 30.0)];
        let dead = member(3, 43, 20_000);
        let ally = PlayerStats {
            in_squad: false,
            profession: 4,
            active_ms: 100_000,
            ..PlayerStats::default()
        };
        FightReport {
            is_wvw: true,
            duration_ms: 100_000,
            enemy_count: 10,
            players: vec![firebrand, spellbreaker, scourge, core, dead, ally],
            ..FightReport::default()
        }
    }

    #[test]
    fn each_family_is_measured_against_the_squads_mean() {
        let out = samples(&report(), "fight:9").unwrap();
        assert_eq!(out.skipped, [PlayerSkip::TooLittleTime]);
        let sources: Vec<&str> = out.samples.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "fight:9/player:0",
                "fight:9/player:1",
                "fight:9/player:2",
                "fight:9/player:3"
            ],
            "the member who died early and the ally give none"
        );
        // means over the 4 counted members: damage 200k, strips 15, cleanses 10,
        // healing+barrier 10k; stability generated by the Firebrand only (mean 0.5),
        // quickness by the core Guardian only (mean 7.5): 4 + 0 over the 2 boons given
        let expected = [
            (0.5 + 0.0 + 0.0 + 4.0 + 2.0) / 5.0,
            (1.5 + 2.0 + 0.0 + 0.0 + 0.0) / 5.0,
            (2.0 + 2.0 + 0.0 + 0.0 + 0.0) / 5.0,
            (0.0 + 0.0 + 4.0 + 0.0 + 2.0) / 5.0,
        ];
        for (sample, expected) in out.samples.iter().zip(expected) {
            assert!(
                (sample.label - expected).abs() < 1e-12,
                "{}: {} vs {expected}",
                sample.source,
                sample.label
            );
        }
        let mean = out.samples.iter().map(|s| s.label).sum::<f64>() / 4.0;
        assert!((mean - 1.0).abs() < 1e-12, "1.0 is the average member");
    }

    #[test]
    fn features_are_the_player_and_the_squad() {
        let out = samples(&report(), "fight:9").unwrap();
        let firebrand = &out.samples[0].features;
        assert_eq!(firebrand["profession_guardian"], 1.0);
        assert_eq!(firebrand["spec_firebrand"], 1.0);
        assert_eq!(firebrand["boon_stability"], 3.0, "stacks");
        assert_eq!(firebrand["boon_quickness"], 0.8, "a fraction");
        assert_eq!(firebrand["boon_might"], 0.0);
        // the squad: 5 members (the one who died early is still in it), 10 enemies
        assert_eq!(firebrand["squad_size"], 5.0);
        assert_eq!(firebrand["enemy_ratio"], 2.0);
        assert_eq!(firebrand["share_guardian"], 0.4);
        assert_eq!(firebrand["share_engineer"], 0.2);
        assert_eq!(firebrand.len(), 2 + 9 + 13 + 2);
        let core = &out.samples[3].features;
        assert_eq!(core["spec_core"], 1.0);
        assert_eq!(core["profession_guardian"], 1.0);
        assert!(!core.contains_key("spec_firebrand"));
        assert_eq!(out.samples[2].features["spec_scourge"], 1.0);
    }

    #[test]
    fn fights_without_a_squad_to_compare_give_nothing() {
        let mut pve = report();
        pve.is_wvw = false;
        assert_eq!(samples(&pve, "f"), Err(FightSkip::NotWvw));
        let mut alone = report();
        alone.players.drain(1..5);
        assert_eq!(samples(&alone, "f"), Err(FightSkip::TooFewPlayers));
        let mut idle = report();
        for p in &mut idle.players {
            let active_ms = p.active_ms;
            *p = member(p.profession, p.elite, active_ms);
        }
        assert_eq!(samples(&idle, "f"), Err(FightSkip::NoOutput));
        let mut empty = report();
        empty.players.retain(|p| !p.in_squad);
        assert_eq!(samples(&empty, "f"), Err(FightSkip::NoSquad));
        let mut instant = report();
        instant.duration_ms = 0;
        assert_eq!(samples(&instant, "f"), Err(FightSkip::NoDuration));
    }

    #[test]
    fn a_family_nobody_produced_is_left_out() {
        let mut a = member(1, 62, 1);
        let mut b = member(2, 61, 1);
        a.damage.to_enemies = 300;
        b.damage.to_enemies = 100;
        a.support.boon_strips = 1;
        b.support.boon_strips = 3;
        // damage 1.5 / 0.5, strips 0.5 / 1.5; nothing else: the mean of two families
        assert_eq!(contribution_indexes(&[&a, &b]), Some(vec![1.0, 1.0]));
        b.support.boon_strips = 1;
        assert_eq!(contribution_indexes(&[&a, &b]), Some(vec![1.25, 0.75]));
    }
}
