//! A parsed WvW fight (`evtc::FightReport`) → one `fight_outcome` sample.
//!
//! Label: 1 for a victory, 0 for a defeat, as `evtc`'s outcome tracker decides them (more
//! enemies than squad members died, or fewer). Draws say nothing either way and are skipped.
//!
//! Features (all from the report, all per squad so fights of any size compare):
//! - `squad_size`: squad members in the log;
//! - `enemy_ratio`: enemy players / squad members;
//! - `boon_<name>` for the 13 boons arcdps tracks: the squad's mean uptime, as a fraction
//!   of the fight (0..1) for duration boons and in stacks for might and stability (the
//!   optimizer's units, see `optimizer::squad::Resource`);
//! - `strips_per_player_min`, `cleanses_per_player_min`: boons removed from enemies and
//!   conditions removed from allies, per squad member per minute;
//! - `healing_per_player_s`, `barrier_per_player_s`: outgoing healing and barrier per squad
//!   member per second;
//! - `share_<profession>`: the share of the squad playing each of the nine professions.

use std::collections::BTreeMap;

use evtc::analyze::{profession_name, Outcome};
use evtc::{FightReport, PlayerStats};
use optimizer::squad::Resource;

use super::slug;
use crate::Sample;

/// The boons arcdps tracks, by the name `evtc` reports, with the optimizer's resource.
pub const BOONS: [(&str, Resource); 13] = [
    ("Might", Resource::Might),
    ("Fury", Resource::Fury),
    ("Quickness", Resource::Quickness),
    ("Alacrity", Resource::Alacrity),
    ("Protection", Resource::Protection),
    ("Regeneration", Resource::Regeneration),
    ("Vigor", Resource::Vigor),
    ("Aegis", Resource::Aegis),
    ("Stability", Resource::Stability),
    ("Swiftness", Resource::Swiftness),
    ("Resistance", Resource::Resistance),
    ("Resolution", Resource::Resolution),
    ("Superspeed", Resource::Superspeed),
];

/// The support rates, by feature name, with the optimizer's resource.
pub const RATES: [(&str, Resource); 4] = [
    ("strips_per_player_min", Resource::Strip),
    ("cleanses_per_player_min", Resource::Cleanse),
    ("healing_per_player_s", Resource::Healing),
    ("barrier_per_player_s", Resource::Barrier),
];

/// The feature name of a boon (`boon_stability`).
pub fn boon_feature(name: &str) -> String {
    format!("boon_{}", slug(name))
}

/// The optimizer's resource a feature measures, if any (boons and support rates; size,
/// enemy ratio and profession shares measure none).
pub fn resource_of(feature: &str) -> Option<Resource> {
    BOONS
        .iter()
        .find(|(name, _)| boon_feature(name) == feature)
        .or_else(|| RATES.iter().find(|(name, _)| *name == feature))
        .map(|(_, resource)| *resource)
}

/// Why a fight gives no sample (`fight_outcome`) or no player samples
/// (`player_contribution`, [`super::player`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FightSkip {
    /// Not a WvW log.
    NotWvw,
    /// Neither side lost more players: no label (`fight_outcome`).
    Draw,
    /// No squad member in the log.
    NoSquad,
    /// A fight of no length: no rates.
    NoDuration,
    /// Fewer squad members than [`super::player::MIN_PLAYERS`] were alive long enough to
    /// be compared (`player_contribution`).
    TooFewPlayers,
    /// Nobody counted dealt damage to enemy players, stripped, cleansed, healed, gave
    /// barrier or boons: no contribution to share out (`player_contribution`).
    NoOutput,
}

impl FightSkip {
    pub fn as_str(self) -> &'static str {
        match self {
            FightSkip::NotWvw => "not_wvw",
            FightSkip::Draw => "draw",
            FightSkip::NoSquad => "no_squad",
            FightSkip::NoDuration => "no_duration",
            FightSkip::TooFewPlayers => "too_few_players",
            FightSkip::NoOutput => "no_output",
        }
    }
}

/// The sample of one fight, or why it has none.
pub fn sample(report: &FightReport, source: &str) -> Result<Sample, FightSkip> {
    if !report.is_wvw {
        return Err(FightSkip::NotWvw);
    }
    let label = match report.outcome.result {
        Outcome::Victory => 1.0,
        Outcome::Defeat => 0.0,
        Outcome::Draw => return Err(FightSkip::Draw),
    };
    let squad: Vec<_> = report.squad().collect();
    if squad.is_empty() {
        return Err(FightSkip::NoSquad);
    }
    if report.duration_ms <= 0 {
        return Err(FightSkip::NoDuration);
    }
    let n = squad.len() as f64;
    let seconds = report.duration_ms as f64 / 1000.0;
    let minutes = seconds / 60.0;
    let mut features = squad_features(report, &squad);
    for (name, _) in BOONS {
        let uptime = report
            .squad_boons
            .iter()
            .find(|b| b.name.eq_ignore_ascii_case(name))
            .map_or(0.0, |b| uptime_units(b.intensity, b.uptime));
        features.insert(boon_feature(name), finite(uptime));
    }
    let total = |f: &dyn Fn(&evtc::PlayerStats) -> f64| squad.iter().map(|p| f(p)).sum::<f64>();
    let strips = total(&|p| f64::from(p.support.boon_strips));
    let cleanses = total(&|p| f64::from(p.support.cleanses));
    let healing = total(&|p| p.support.healing_others as f64);
    let barrier = total(&|p| p.support.barrier_others as f64);
    features.insert(RATES[0].0.to_owned(), finite(strips / n / minutes));
    features.insert(RATES[1].0.to_owned(), finite(cleanses / n / minutes));
    features.insert(RATES[2].0.to_owned(), finite(healing / n / seconds));
    features.insert(RATES[3].0.to_owned(), finite(barrier / n / seconds));
    Ok(Sample {
        features,
        label,
        source: source.to_owned(),
    })
}

/// A boon's uptime in the optimizer's units: evtc reports duration boons in % of the fight
/// (→ a fraction, 0..1) and intensity boons (might, stability) in stacks (kept).
pub fn uptime_units(intensity: bool, uptime: f64) -> f64 {
    if intensity {
        uptime
    } else {
        uptime / 100.0
    }
}

/// The squad around a fight, the same for a fight's sample and its players' samples:
/// `squad_size` (squad members in the log), `enemy_ratio` (enemy players per squad member)
/// and `share_<profession>` (the share of the squad playing each of the nine professions).
/// `squad` is not empty.
pub(crate) fn squad_features(
    report: &FightReport,
    squad: &[&PlayerStats],
) -> BTreeMap<String, f64> {
    let n = squad.len().max(1) as f64;
    let mut features = BTreeMap::new();
    features.insert("squad_size".to_owned(), n);
    features.insert(
        "enemy_ratio".to_owned(),
        finite(f64::from(report.enemy_count) / n),
    );
    for profession in 1..=9 {
        let count = squad.iter().filter(|p| p.profession == profession).count() as f64;
        features.insert(
            format!("share_{}", slug(&profession_name(profession, 0))),
            count / n,
        );
    }
    features
}

pub(crate) fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use evtc::analyze::{OutcomeStats, SquadBoon};

    fn report(result: Outcome) -> FightReport {
        let player = |profession: u32, strips: u32| {
            let mut p = PlayerStats {
                in_squad: true,
                profession,
                ..PlayerStats::default()
            };
            p.support.boon_strips = strips;
            p.support.cleanses = 30;
            p.support.healing_others = 60_000;
            p
        };
        FightReport {
            is_wvw: true,
            duration_ms: 120_000,
            enemy_count: 8,
            outcome: OutcomeStats {
                result,
                ..OutcomeStats::default()
            },
            squad_boons: vec![
                SquadBoon {
                    id: 1122,
                    name: "Stability".into(),
                    intensity: true,
                    uptime: 2.5,
                },
                SquadBoon {
                    id: 1187,
                    name: "Quickness".into(),
                    intensity: false,
                    uptime: 40.0,
                },
            ],
            players: vec![player(1, 12), player(1, 0), player(8, 20), player(9, 4)],
            ..FightReport::default()
        }
    }

    #[test]
    fn a_victory_becomes_a_positive_sample_with_per_player_rates() {
        let s = sample(&report(Outcome::Victory), "fight:1").unwrap();
        assert_eq!(s.label, 1.0);
        assert_eq!(s.source, "fight:1");
        let f = |name: &str| s.features[name];
        assert_eq!(f("squad_size"), 4.0);
        assert_eq!(f("enemy_ratio"), 2.0);
        assert_eq!(f("boon_stability"), 2.5);
        assert_eq!(f("boon_quickness"), 0.4);
        assert_eq!(f("boon_might"), 0.0);
        // 36 strips by 4 players in 2 minutes
        assert_eq!(f("strips_per_player_min"), 4.5);
        assert_eq!(f("cleanses_per_player_min"), 15.0);
        assert_eq!(f("healing_per_player_s"), 500.0);
        assert_eq!(f("share_guardian"), 0.5);
        assert_eq!(f("share_necromancer"), 0.25);
        assert_eq!(f("share_warrior"), 0.0);
        assert_eq!(s.features.len(), 2 + 13 + 4 + 9);
    }

    #[test]
    fn defeats_are_negative_and_draws_or_other_logs_give_nothing() {
        assert_eq!(
            sample(&report(Outcome::Defeat), "f").map(|s| s.label),
            Ok(0.0)
        );
        assert_eq!(
            sample(&report(Outcome::Draw), "f").map(|s| s.label),
            Err(FightSkip::Draw)
        );
        let mut pve = report(Outcome::Victory);
        pve.is_wvw = false;
        assert_eq!(sample(&pve, "f").map(|s| s.label), Err(FightSkip::NotWvw));
        let mut empty = report(Outcome::Victory);
        empty.players.clear();
        assert_eq!(
            sample(&empty, "f").map(|s| s.label),
            Err(FightSkip::NoSquad)
        );
    }

    #[test]
    fn features_map_to_the_optimizers_resources() {
        assert_eq!(resource_of("boon_stability"), Some(Resource::Stability));
        assert_eq!(resource_of("strips_per_player_min"), Some(Resource::Strip));
        assert_eq!(resource_of("share_guardian"), None);
        assert_eq!(resource_of("squad_size"), None);
    }
}
