//! The build-rating task on builds whose reception depends on their role only (plus noise),
//! and on builds whose reception depends on nothing: the regressions must find the first
//! and not invent the second.

use chrono::{TimeZone, Utc};
use learning::features::build::{sample, BuildFacts, BuildSignals};
use learning::{train, RunInfo, Sample, Task, TrainOptions};
use rand::{Rng, SeedableRng};

const PROFESSIONS: [(&str, &str); 4] = [
    ("Guardian", "Firebrand"),
    ("Engineer", "Scrapper"),
    ("Necromancer", "Scourge"),
    ("Warrior", "Spellbreaker"),
];
const ROLES: [&str; 3] = ["support", "dps", "strip"];
const STATS: [&str; 4] = ["Minstrel's", "Berserker's", "Marauder's", "Viper's"];

/// Builds with random profession, role and stats; upvotes rise with `support_effect` when
/// the role is support.
fn builds(count: usize, support_effect: i64, seed: u64) -> Vec<Sample> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let (profession, specialization) = PROFESSIONS[rng.gen_range(0..PROFESSIONS.len())];
            let role = ROLES[rng.gen_range(0..ROLES.len())];
            let facts = BuildFacts {
                profession: profession.into(),
                specialization: Some(specialization.into()),
                role: role.into(),
                game_mode: "wvw".into(),
                stat_prefixes: (0..6)
                    .map(|_| STATS[rng.gen_range(0..STATS.len())].into())
                    .collect(),
            };
            let boost = if role == "support" { support_effect } else { 0 };
            let signals = BuildSignals {
                upvotes: rng.gen_range(0..4) + boost,
                downvotes: rng.gen_range(0..3),
                views: rng.gen_range(0..50),
                ..BuildSignals::default()
            };
            sample(&facts, &signals, &format!("build:{i}"))
        })
        .collect()
}

fn info(trained_at: chrono::DateTime<Utc>) -> RunInfo {
    RunInfo {
        model_version: 1,
        snapshot_version: 1,
        trained_at,
    }
}

fn run(samples: &[Sample]) -> learning::TrainingRun {
    let when = Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap();
    train(
        Task::BuildRating,
        samples,
        info(when),
        TrainOptions::default(),
    )
    .unwrap()
}

#[test]
fn the_role_that_is_liked_is_found() {
    let run = run(&builds(240, 20, 3));
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    for c in &run.candidates {
        let m = &c.metrics;
        let top = m
            .importance
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(name, _)| name.as_str())
            .unwrap();
        eprintln!(
            "build rating, {}: CV R² {:.3} ± {:.3} vs baseline {:.3} ± {:.3}; top feature {top}",
            c.kind, m.mean, m.sd, m.baseline_mean, m.baseline_sd
        );
        assert!(m.beats_baseline, "{}: {m:?}", c.kind);
        assert!(m.mean > m.baseline_mean + 0.3, "{}: {m:?}", c.kind);
        assert_eq!(top, "role_support", "{}", c.kind);
    }
    assert!(run.selected.is_some());
}

#[test]
fn builds_rated_at_random_teach_nothing() {
    let run = run(&builds(240, 0, 4));
    for c in &run.candidates {
        let m = &c.metrics;
        eprintln!(
            "build rating, no signal, {}: CV R² {:.3} ± {:.3} vs baseline {:.3}",
            c.kind, m.mean, m.sd, m.baseline_mean
        );
        assert!(!m.beats_baseline, "{}: {m:?}", c.kind);
    }
    assert!(run.selected.is_none());
}

#[test]
fn too_few_or_uniform_samples_are_clear_errors() {
    let when = Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap();
    let few = builds(5, 0, 1);
    let err = train(Task::BuildRating, &few, info(when), TrainOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "build_rating: 5 samples, at least 10 are needed to cross-validate"
    );
    let mut same = builds(20, 0, 1);
    for s in &mut same {
        s.label = 1.0;
    }
    let err = train(
        Task::BuildRating,
        &same,
        info(when),
        TrainOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nothing to learn"), "{err}");
    let mut wins = builds(20, 0, 1);
    for s in &mut wins {
        s.label = 1.0;
    }
    let err = train(
        Task::FightOutcome,
        &wins,
        info(when),
        TrainOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("20 won, 0 lost"), "{err}");
    let bad = TrainOptions {
        folds: 1,
        ..TrainOptions::default()
    };
    assert!(train(Task::BuildRating, &builds(20, 1, 1), info(when), bad).is_err());
}
