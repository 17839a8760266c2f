//! Trainer, evaluator and selector: every kind of a task is cross-validated on the same
//! folds, fitted once more on all the samples, and the best by mean score is selected, but
//! only when it clearly beats the baseline. The results are registry entries: what the
//! server stores (`learning_models`) and lists.
//!
//! The folds are the same for every kind of a run: stratified by class for `fight_outcome`,
//! whole fights for `player_contribution` (`Task::groups_by_fight`), plain otherwise.
//!
//! **Selection rule.** With `d_i` = model score − baseline score on fold `i`, a kind beats
//! the baseline when the mean gain `d̄ ≥ MIN_GAIN` and `d̄ > 2·sd(d)/√k` (the gain is more
//! than two standard errors above zero). The selected model is the best mean score among
//! the kinds that beat the baseline; when none does, nothing is selected, and whoever
//! uses the task keeps its defaults: a model that cannot beat "always predict the usual
//! outcome" has nothing to teach.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::evaluate::{correlations, cross_validate, mean_sd, Metric};
use crate::folds::{group_count, group_folds, k_folds};
use crate::model::{ModelKind, TrainedModel};
use crate::{LearnError, Sample, Snapshot, Task};

/// Fewest samples a task is trained on.
pub const MIN_SAMPLES: usize = 10;
/// Fewest fights the samples of a task grouped by fight come from (one per fold at least,
/// and a fold of one fight is judged on one squad only: three gives each fold's model two
/// fights to learn from).
pub const MIN_FIGHTS: usize = 3;
/// Smallest mean gain over the baseline that counts (accuracy or R², absolute).
pub const MIN_GAIN: f64 = 0.02;

/// How to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Folds of the cross-validation (2..=20; fewer when the data is small).
    pub folds: usize,
    /// Seed of the fold split and of the importance shuffles.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            folds: 5,
            seed: 0x6c65_6172_6e21,
        }
    }
}

/// A kind's cross-validated scores against the baseline, and what it relies on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub metric: Metric,
    /// Score on each test fold.
    pub fold_scores: Vec<f64>,
    pub mean: f64,
    pub sd: f64,
    /// The baseline's score on the same folds.
    pub baseline_fold_scores: Vec<f64>,
    pub baseline_mean: f64,
    pub baseline_sd: f64,
    /// `mean − baseline_mean`.
    pub gain: f64,
    /// Standard error of the per-fold gains.
    pub gain_se: f64,
    /// The selection rule's verdict (see the module).
    pub beats_baseline: bool,
    pub samples: usize,
    /// Permutation importance per feature, on held-out folds.
    pub importance: BTreeMap<String, f64>,
    /// Correlation of each feature with the label over the snapshot (its direction).
    pub correlation: BTreeMap<String, f64>,
}

/// One kind, judged and fitted on every sample.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub kind: ModelKind,
    pub metrics: Metrics,
    pub model: TrainedModel,
}

/// Everything one training of a task produced.
#[derive(Debug, Clone)]
pub struct TrainingRun {
    pub task: Task,
    /// The registry's version of this run (all its kinds share it).
    pub version: i64,
    pub snapshot: Snapshot,
    pub trained_at: DateTime<Utc>,
    pub candidates: Vec<Candidate>,
    /// Index into `candidates` of the selected model, if any beats the baseline.
    pub selected: Option<usize>,
    /// Kinds that could not be fitted, and why.
    pub failures: Vec<(ModelKind, String)>,
}

/// A model as the registry keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub task: Task,
    pub kind: ModelKind,
    /// The training run's number for this task (all kinds of one run share it).
    pub version: i64,
    pub metrics: Metrics,
    pub snapshot: Snapshot,
    pub trained_at: DateTime<Utc>,
    pub selected: bool,
    /// The serialized [`TrainedModel`] (JSON).
    pub model: String,
}

impl TrainingRun {
    pub fn selected_candidate(&self) -> Option<&Candidate> {
        self.selected.and_then(|i| self.candidates.get(i))
    }

    /// One registry entry per candidate.
    pub fn entries(&self) -> Result<Vec<RegistryEntry>, LearnError> {
        self.candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(RegistryEntry {
                    task: self.task,
                    kind: c.kind,
                    version: self.version,
                    metrics: c.metrics.clone(),
                    snapshot: self.snapshot.clone(),
                    trained_at: self.trained_at,
                    selected: self.selected == Some(i),
                    model: c.model.to_json()?,
                })
            })
            .collect()
    }
}

/// Which run this is: the registry's version for the task, the version of the samples'
/// snapshot, and when (the caller's clock: this crate has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunInfo {
    pub model_version: i64,
    pub snapshot_version: i64,
    pub trained_at: DateTime<Utc>,
}

/// Trains every kind of `task` on `samples`, cross-validates each against the baseline and
/// selects the best (see the module for the rule).
pub fn train(
    task: Task,
    samples: &[Sample],
    run: RunInfo,
    options: TrainOptions,
) -> Result<TrainingRun, LearnError> {
    if !(2..=20).contains(&options.folds) {
        return Err(LearnError::Options(format!(
            "folds must be 2 to 20, not {}",
            options.folds
        )));
    }
    if samples.len() < MIN_SAMPLES {
        return Err(LearnError::NotEnoughSamples {
            task,
            have: samples.len(),
            need: MIN_SAMPLES,
        });
    }
    let data = Dataset::from_samples(task, samples)?;
    let folds = fold_count(task, &data, options.folds)?;
    let split = if task.groups_by_fight() {
        let groups: Vec<&str> = samples.iter().map(Sample::group).collect();
        let fights = group_count(&groups);
        if fights < MIN_FIGHTS {
            return Err(LearnError::TooFewFights {
                task,
                have: fights,
                need: MIN_FIGHTS,
            });
        }
        group_folds(&groups, folds.min(fights), options.seed)
    } else {
        k_folds(
            &data.y.to_vec(),
            folds,
            task.is_classification(),
            options.seed,
        )
    };
    let correlation: BTreeMap<String, f64> = data
        .names
        .iter()
        .cloned()
        .zip(correlations(&data))
        .collect();
    let mut candidates = Vec::new();
    let mut failures = Vec::new();
    for &kind in task.kinds() {
        let judged = cross_validate(task, kind, &data, &split, options.seed)
            .and_then(|cv| Ok((cv, TrainedModel::fit(task, kind, &data)?)));
        match judged {
            Ok((cv, model)) => {
                let metrics = metrics(task, &data, &cv, correlation.clone());
                candidates.push(Candidate {
                    kind,
                    metrics,
                    model,
                });
            }
            Err(e) => failures.push((kind, e.to_string())),
        }
    }
    let selected = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.metrics.beats_baseline)
        .fold(None::<(usize, f64)>, |best, (i, c)| match best {
            Some((_, mean)) if mean >= c.metrics.mean => best,
            _ => Some((i, c.metrics.mean)),
        })
        .map(|(i, _)| i);
    Ok(TrainingRun {
        task,
        version: run.model_version,
        snapshot: Snapshot::new(task, run.snapshot_version, samples),
        trained_at: run.trained_at,
        candidates,
        selected,
        failures,
    })
}

/// Folds for this data: as asked, but no more than each class (or half the rows) can fill.
fn fold_count(task: Task, data: &Dataset, asked: usize) -> Result<usize, LearnError> {
    if task.is_classification() {
        let wins = data.y.iter().filter(|v| **v >= 0.5).count();
        let losses = data.len() - wins;
        let smallest = wins.min(losses);
        if smallest < 2 {
            return Err(LearnError::OneClass {
                task,
                need: 2,
                counts: format!("{wins} won, {losses} lost"),
            });
        }
        Ok(asked.min(smallest))
    } else {
        let first = data.y.first().copied().unwrap_or(0.0);
        if data.y.iter().all(|v| (v - first).abs() < 1e-12) {
            return Err(LearnError::OneClass {
                task,
                need: 2,
                counts: format!("all {} equal to {first}", data.len()),
            });
        }
        Ok(asked.min(data.len() / 2))
    }
}

fn metrics(
    task: Task,
    data: &Dataset,
    cv: &crate::evaluate::CrossValidation,
    correlation: BTreeMap<String, f64>,
) -> Metrics {
    let (mean, sd) = mean_sd(&cv.scores);
    let (baseline_mean, baseline_sd) = mean_sd(&cv.baseline);
    let gains: Vec<f64> = cv
        .scores
        .iter()
        .zip(&cv.baseline)
        .map(|(m, b)| m - b)
        .collect();
    let (gain, gain_sd) = mean_sd(&gains);
    let gain_se = gain_sd / (gains.len().max(1) as f64).sqrt();
    Metrics {
        metric: task.metric(),
        fold_scores: cv.scores.clone(),
        mean,
        sd,
        baseline_fold_scores: cv.baseline.clone(),
        baseline_mean,
        baseline_sd,
        gain,
        gain_se,
        beats_baseline: gain >= MIN_GAIN && gain > 2.0 * gain_se,
        samples: data.len(),
        importance: data
            .names
            .iter()
            .cloned()
            .zip(cv.importance.clone())
            .collect(),
        correlation,
    }
}
