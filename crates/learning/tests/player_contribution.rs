//! Honest evaluation of the player-contribution task: squad members whose contribution
//! index depends on their own quickness uptime (or on being a Firebrand), plus noise and
//! time spent dead, every other feature random. The regressions must find the cause, beat
//! the mean baseline on fights they never saw, and the ranking of specializations must
//! follow; with no cause at all, nothing may be selected.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use learning::features::player;
use learning::synthetic::contribution::{fights, Signal};
use learning::{
    rank_specializations, train, LearnError, Metric, RunInfo, Sample, Task, TrainOptions,
    TrainingRun,
};
use ndarray::Array1;
use optimizer::squad::Resource;

/// The samples of `count` generated fights, and how many members were skipped.
fn samples(signal: Signal, count: usize, seed: u64) -> (Vec<Sample>, usize) {
    let mut all = Vec::new();
    let mut skipped = 0;
    for (i, report) in fights(count, signal, seed).iter().enumerate() {
        let out = player::samples(report, &format!("fight:{i}")).unwrap();
        skipped += out.skipped.len();
        all.extend(out.samples);
    }
    (all, skipped)
}

fn run(samples: &[Sample]) -> TrainingRun {
    let info = RunInfo {
        model_version: 1,
        snapshot_version: 1,
        trained_at: Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap(),
    };
    train(
        Task::PlayerContribution,
        samples,
        info,
        TrainOptions::default(),
    )
    .unwrap()
}

fn top_feature(importance: &BTreeMap<String, f64>) -> &str {
    importance
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(name, _)| name.as_str())
        .unwrap()
}

/// R² of `predicted` and of the training labels' mean on held-out samples.
fn held_out(train: &[Sample], test: &[Sample], predicted: Vec<f64>) -> (f64, f64) {
    let truth = Array1::from_iter(test.iter().map(|s| s.label));
    let mean = train.iter().map(|s| s.label).sum::<f64>() / train.len() as f64;
    (
        Metric::R2.score(&truth, &Array1::from(predicted)),
        Metric::R2.score(&truth, &Array1::from_elem(test.len(), mean)),
    )
}

fn rounded(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .map(|v| (v * 1000.0).round() / 1000.0)
        .collect()
}

#[test]
fn quickness_raises_contribution_and_every_model_finds_it() {
    // 60 fights to learn from (about 800 players), 200 never seen to check on
    let (train_set, skipped) = samples(Signal::Quickness, 60, 31);
    let (test_set, _) = samples(Signal::Quickness, 200, 32);
    assert!(skipped > 0, "members dead most of the fight are skipped");
    let run = run(&train_set);
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    assert_eq!(run.candidates.len(), 2);
    for c in &run.candidates {
        let m = &c.metrics;
        eprintln!(
            "player contribution, quickness, {} ({} players of 60 fights): CV R² {:.3} ± {:.3} \
             (folds {:?}) vs baseline {:.3} ± {:.3} (folds {:?}); top feature {}",
            c.kind,
            m.samples,
            m.mean,
            m.sd,
            rounded(&m.fold_scores),
            m.baseline_mean,
            m.baseline_sd,
            rounded(&m.baseline_fold_scores),
            top_feature(&m.importance)
        );
        assert_eq!(m.metric, Metric::R2);
        assert_eq!(m.fold_scores.len(), 5);
        assert!(m.beats_baseline, "{}: {m:?}", c.kind);
        assert!(m.mean >= m.baseline_mean + 0.3, "{}: {m:?}", c.kind);
        assert_eq!(top_feature(&m.importance), "boon_quickness", "{}", c.kind);
        assert!(m.correlation["boon_quickness"] > 0.5);
        let coefficients = c.model.coefficients().unwrap();
        let (name, value) = coefficients
            .iter()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .unwrap();
        assert_eq!(name, "boon_quickness", "{}", c.kind);
        assert!(*value > 0.0, "more quickness, more contribution");
        // players of fights the model never saw
        let (r2, baseline) = held_out(&train_set, &test_set, c.model.predict_samples(&test_set));
        eprintln!(
            "player contribution, quickness, {}: held-out R² {r2:.3} vs baseline {baseline:.3} \
             ({} players of 200 fights)",
            c.kind,
            test_set.len()
        );
        assert!(r2 >= baseline + 0.3, "{}: {r2} vs {baseline}", c.kind);
    }
    let selected = run
        .selected_candidate()
        .expect("a model beats the baseline");
    let entries = run.entries().unwrap();
    assert_eq!(entries.iter().filter(|e| e.selected).count(), 1);
    assert_eq!(entries[0].snapshot.id, "player_contribution@1");
    let stored = entries.iter().find(|e| e.selected).unwrap();
    let back = learning::TrainedModel::from_json(&stored.model).unwrap();
    // JSON keeps the coefficients to the last digit or so: the same predictions, within 1e-9
    for (a, b) in back
        .predict_samples(&test_set)
        .iter()
        .zip(selected.model.predict_samples(&test_set))
    {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
}

#[test]
fn firebrands_contribute_more_and_the_ranking_says_so() {
    let (train_set, _) = samples(Signal::Firebrand, 80, 41);
    let run = run(&train_set);
    let selected = run
        .selected_candidate()
        .expect("a model beats the baseline");
    let m = &selected.metrics;
    eprintln!(
        "player contribution, firebrand, {}: CV R² {:.3} ± {:.3} (folds {:?}) vs baseline {:.3}; top feature {}",
        selected.kind,
        m.mean,
        m.sd,
        rounded(&m.fold_scores),
        m.baseline_mean,
        top_feature(&m.importance)
    );
    assert_eq!(top_feature(&m.importance), "spec_firebrand");
    let ranked = rank_specializations(&selected.model, &BTreeMap::new()).unwrap();
    eprintln!(
        "ranking: {:?}",
        ranked
            .iter()
            .take(4)
            .map(|r| format!("{} {:.2}", r.specialization, r.predicted))
            .collect::<Vec<_>>()
    );
    assert_eq!(ranked[0].specialization, "Firebrand");
    assert_eq!(ranked[0].profession, "Guardian");
    assert_eq!(
        ranked.len(),
        16,
        "every elite specialization played (core Guardians are no elite)"
    );
    // Firebrands are 1.8 / (the squad's mean multiplier, about 1.05) ≈ 1.7 of the average
    assert!(ranked[0].predicted > 1.4, "{ranked:?}");
    assert!(ranked[1].predicted < 1.15, "{ranked:?}");
    // the uptimes asked are the same for everyone: the order does not change
    let asked = BTreeMap::from([(Resource::Stability, 2.0), (Resource::Quickness, 0.8)]);
    let at = rank_specializations(&selected.model, &asked).unwrap();
    assert_eq!(at[0].specialization, "Firebrand");
}

#[test]
fn without_a_signal_nothing_is_selected() {
    let (train_set, _) = samples(Signal::None, 60, 51);
    let (test_set, _) = samples(Signal::None, 200, 52);
    let run = run(&train_set);
    for c in &run.candidates {
        let m = &c.metrics;
        eprintln!(
            "player contribution, no signal, {}: CV R² {:.3} ± {:.3} (folds {:?}) vs baseline {:.3} (gain {:.3}, se {:.3})",
            c.kind,
            m.mean,
            m.sd,
            rounded(&m.fold_scores),
            m.baseline_mean,
            m.gain,
            m.gain_se
        );
        assert!(!m.beats_baseline, "{}: {m:?}", c.kind);
        let (r2, baseline) = held_out(&train_set, &test_set, c.model.predict_samples(&test_set));
        eprintln!(
            "player contribution, no signal, {}: held-out R² {r2:.3} vs baseline {baseline:.3}",
            c.kind
        );
        assert!(r2 < baseline + 0.05, "{}: {r2} vs {baseline}", c.kind);
    }
    assert!(run.selected.is_none(), "nothing to select");
}

#[test]
fn players_of_too_few_fights_are_a_clear_error() {
    let (two, _) = samples(Signal::Quickness, 2, 61);
    assert!(two.len() >= 10, "enough players, too few fights");
    let err = train(
        Task::PlayerContribution,
        &two,
        RunInfo {
            model_version: 1,
            snapshot_version: 1,
            trained_at: Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap(),
        },
        TrainOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            LearnError::TooFewFights {
                have: 2,
                need: 3,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "player_contribution: the samples come from 2 fights, at least 3 are needed to \
         cross-validate (a fight's players stay in one fold)"
    );
    assert_eq!(
        "PLAYER_CONTRIBUTION".parse::<Task>(),
        Ok(Task::PlayerContribution)
    );
    assert_eq!(
        "chess".parse::<Task>().unwrap_err().to_string(),
        "unknown task \"chess\" (known: fight_outcome, build_rating, player_contribution)"
    );
}
