//! Honest evaluation: fights where stability coverage decides the outcome (plus chance),
//! every other feature random. The models must find stability, beat the baseline on fights
//! they never saw, and the squad optimizer's advice must change with the learned weights.
//! With no signal at all, nothing may beat the baseline meaningfully.

use chrono::{TimeZone, Utc};
use learning::features::fight;
use learning::synthetic::{fights, Signal};
use learning::{squad_weights, train, Metric, RunInfo, Sample, Task, TrainOptions};
use ndarray::Array1;
use optimizer::squad::{self, BuildOption, Player, ProfileBook, Resource, SquadInput};

fn samples(signal: Signal, count: usize, seed: u64) -> Vec<Sample> {
    fights(count, signal, seed)
        .iter()
        .enumerate()
        .map(|(i, report)| fight::sample(report, &format!("fight:{i}")).unwrap())
        .collect()
}

fn when() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 20, 0, 0).unwrap()
}

fn info(trained_at: chrono::DateTime<Utc>) -> RunInfo {
    RunInfo {
        model_version: 1,
        snapshot_version: 1,
        trained_at,
    }
}

/// Accuracy of `predicted` and of the training set's majority class on held-out samples.
fn held_out(train: &[Sample], test: &[Sample], predicted: &[f64]) -> (f64, f64) {
    let truth = Array1::from_iter(test.iter().map(|s| s.label));
    let wins = train.iter().filter(|s| s.label == 1.0).count();
    let majority = if wins * 2 >= train.len() { 1.0 } else { 0.0 };
    (
        Metric::Accuracy.score(&truth, &Array1::from(predicted.to_vec())),
        Metric::Accuracy.score(&truth, &Array1::from_elem(test.len(), majority)),
    )
}

fn top_feature(importance: &std::collections::BTreeMap<String, f64>) -> &str {
    importance
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(name, _)| name.as_str())
        .unwrap()
}

#[test]
fn stability_decides_and_every_model_finds_it() {
    // 300 fights to learn from, 1,000 never seen to check on
    let all = samples(Signal::Stability, 1300, 11);
    let (train_set, test_set) = all.split_at(300);
    let run = train(
        Task::FightOutcome,
        train_set,
        info(when()),
        TrainOptions::default(),
    )
    .unwrap();
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    assert_eq!(run.candidates.len(), 2);
    for c in &run.candidates {
        let m = &c.metrics;
        eprintln!(
            "known signal, {}: CV accuracy {:.3} ± {:.3} (folds {:?}) vs baseline {:.3} ± {:.3}; top feature {}",
            c.kind,
            m.mean,
            m.sd,
            m.fold_scores.iter().map(|v| (v * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
            m.baseline_mean,
            m.baseline_sd,
            top_feature(&m.importance)
        );
        assert!(m.beats_baseline, "{}: {m:?}", c.kind);
        assert!(m.mean >= m.baseline_mean + 0.2, "{}: {m:?}", c.kind);
        assert_eq!(m.fold_scores.len(), 5);
        assert_eq!(top_feature(&m.importance), "boon_stability", "{}", c.kind);
        assert!(m.correlation["boon_stability"] > 0.5);
        // the model's own view agrees: the largest coefficient (logistic regression)
        if let Some(coefficients) = c.model.coefficients() {
            let (name, value) = coefficients
                .iter()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
                .unwrap();
            assert_eq!(name, "boon_stability");
            assert!(*value > 0.0, "more stability, more wins");
        }
        // fights the model never saw
        let (accuracy, baseline) =
            held_out(train_set, test_set, &c.model.predict_samples(test_set));
        eprintln!(
            "known signal, {}: held-out accuracy {accuracy:.3} vs baseline {baseline:.3}",
            c.kind
        );
        assert!(
            accuracy >= baseline + 0.2,
            "{}: {accuracy} vs {baseline}",
            c.kind
        );
    }
    let selected = run
        .selected_candidate()
        .expect("a model beats the baseline");
    let entries = run.entries().unwrap();
    assert_eq!(entries.iter().filter(|e| e.selected).count(), 1);
    assert_eq!(entries[0].snapshot.size, 300);
    assert_eq!(entries[0].snapshot.id, "fight_outcome@1");
    // the stored model reads back and predicts the same
    let stored = entries.iter().find(|e| e.selected).unwrap();
    let back = learning::TrainedModel::from_json(&stored.model).unwrap();
    assert_eq!(
        back.predict_samples(test_set),
        selected.model.predict_samples(test_set)
    );

    let weights = squad_weights(&selected.metrics).expect("weights");
    let stability = weights.factors[&Resource::Stability];
    eprintln!("learned factors: {:?}", weights.factors);
    assert_eq!(stability, learning::advice::MAX_FACTOR);
    for (resource, factor) in &weights.factors {
        if *resource != Resource::Stability {
            assert!(*factor < stability, "{resource}: {factor}");
        }
    }
}

#[test]
fn without_a_signal_nothing_beats_the_baseline() {
    let all = samples(Signal::None, 1300, 12);
    let (train_set, test_set) = all.split_at(300);
    let run = train(
        Task::FightOutcome,
        train_set,
        info(when()),
        TrainOptions::default(),
    )
    .unwrap();
    for c in &run.candidates {
        let m = &c.metrics;
        eprintln!(
            "no signal, {}: CV accuracy {:.3} ± {:.3} vs baseline {:.3} ± {:.3} (gain {:.3}, se {:.3})",
            c.kind, m.mean, m.sd, m.baseline_mean, m.baseline_sd, m.gain, m.gain_se
        );
        assert!(!m.beats_baseline, "{}: {m:?}", c.kind);
        assert!(m.gain < 0.05, "{}: {m:?}", c.kind);
        let (accuracy, baseline) =
            held_out(train_set, test_set, &c.model.predict_samples(test_set));
        eprintln!(
            "no signal, {}: held-out accuracy {accuracy:.3} vs baseline {baseline:.3}",
            c.kind
        );
        assert!(
            accuracy < baseline + 0.05,
            "{}: {accuracy} vs {baseline}",
            c.kind
        );
    }
    assert!(run.selected.is_none(), "nothing to select");
    assert!(run.entries().unwrap().iter().all(|e| !e.selected));
}

fn option(profession: &str, specialization: &str, role: &str) -> BuildOption {
    BuildOption {
        build: format!("{specialization}-{role}"),
        profession: profession.into(),
        specialization: specialization.into(),
        role: role.into(),
        profile: None,
        preference: 0.0,
    }
}

/// Ten players in two parties of the WvW zerg template: four can play Scrapper support
/// (stability, cleanses, superspeed) or Druid support (might, fury, protection, alacrity,
/// more healing), the others are DPS. Which support each party gets is the trade-off.
pub fn trade_off_squad() -> SquadInput {
    let players = (0..10)
        .map(|i| Player {
            name: format!("p{i}"),
            options: if i < 4 {
                vec![
                    option("Engineer", "Scrapper", "support"),
                    option("Ranger", "Druid", "support"),
                ]
            } else {
                vec![option("Elementalist", "Weaver", "dps")]
            },
            preference_weight: 1.0,
        })
        .collect();
    SquadInput::new(players, "wvw_zerg")
}

/// Members of the plan whose build gives stability, and the mean stability per party.
fn stability_in(plan: &squad::SquadPlan) -> (usize, f64) {
    let book = ProfileBook::builtin().unwrap();
    let providers = plan
        .parties
        .iter()
        .flat_map(|p| &p.members)
        .filter(|m| {
            book.find(&m.profession, &m.specialization, &m.role)
                .is_some_and(|rule| rule.profile.amount(Resource::Stability) > 0.0)
        })
        .count();
    let provided: f64 = plan
        .parties
        .iter()
        .flat_map(|p| &p.coverage)
        .filter(|c| c.resource == Resource::Stability)
        .map(|c| c.provided)
        .sum::<f64>()
        / plan.parties.len() as f64;
    (providers, provided)
}

#[test]
fn learned_weights_put_more_stability_in_the_parties() {
    let samples = samples(Signal::Stability, 300, 11);
    let run = train(
        Task::FightOutcome,
        &samples,
        info(when()),
        TrainOptions::default(),
    )
    .unwrap();
    let weights = squad_weights(&run.selected_candidate().unwrap().metrics).unwrap();

    let plain = squad::optimize(&trade_off_squad()).unwrap();
    let mut input = trade_off_squad();
    input.weight_factors = Some(weights.factors.clone());
    let learned = squad::optimize(&input).unwrap();

    let (before, before_cover) = stability_in(&plain);
    let (after, after_cover) = stability_in(&learned);
    eprintln!(
        "stability providers: {before} without learned weights, {after} with; mean party stability {before_cover:.2} → {after_cover:.2}"
    );
    assert!(after > before, "{before} → {after}");
    assert!(after_cover > before_cover);
    // the same players and parties: only the choice of support changed
    assert_eq!(plain.player_count, learned.player_count);
    assert_eq!(plain.parties.len(), learned.parties.len());
}

#[test]
fn unseen_samples_predict_with_the_training_columns() {
    // a sample missing a feature, or carrying one the model never saw, still predicts
    let samples = samples(Signal::Stability, 120, 5);
    let run = train(
        Task::FightOutcome,
        &samples,
        info(when()),
        TrainOptions::default(),
    )
    .unwrap();
    let model = &run.candidates[0].model;
    let mut odd = samples[0].clone();
    odd.features.remove("boon_might");
    odd.features.insert("something_new".into(), 3.0);
    assert_eq!(model.predict_samples(&[odd]).len(), 1);
}
