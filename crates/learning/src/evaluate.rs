//! Judging a model kind: k-fold cross-validation, each fold scored for the model and for a
//! trivial baseline trained on the same rows, and which features the model relies on.
//!
//! - **Scores** (higher is better): accuracy for classes; R² for values,
//!   `1 − Σ(y − ŷ)² / Σ(y − ȳ)²` over the test fold (0 when the fold's labels are all equal).
//! - **Baselines**: the training rows' majority class (a tie predicts a win); the training
//!   rows' mean. A model that does not beat these has learned nothing usable.
//! - **Permutation importance** (Breiman 2001, as in scikit-learn's
//!   `permutation_importance`): in each test fold, one feature's column is shuffled and the
//!   score drop recorded; averaged over the folds. It is measured on rows the model did not
//!   see, for any kind of model, so a tree's and a regression's importances compare.

use ndarray::{Array1, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::folds::training_rows;
use crate::model::{ModelKind, TrainedModel};
use crate::{LearnError, Task};

/// How predictions are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Accuracy,
    R2,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::R2 => "r2",
        }
    }

    pub fn score(self, truth: &Array1<f64>, predicted: &Array1<f64>) -> f64 {
        let n = truth.len();
        if n == 0 {
            return 0.0;
        }
        match self {
            Metric::Accuracy => {
                let right = truth
                    .iter()
                    .zip(predicted)
                    .filter(|(t, p)| (**t >= 0.5) == (**p >= 0.5))
                    .count();
                right as f64 / n as f64
            }
            Metric::R2 => {
                let mean = truth.sum() / n as f64;
                let total: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
                let residual: f64 = truth
                    .iter()
                    .zip(predicted)
                    .map(|(t, p)| (t - p) * (t - p))
                    .sum();
                if total > 1e-12 {
                    1.0 - residual / total
                } else {
                    0.0
                }
            }
        }
    }
}

/// The baseline's prediction, learned from training labels.
pub fn baseline(task: Task, training_labels: &Array1<f64>) -> f64 {
    let n = training_labels.len().max(1) as f64;
    if task.is_classification() {
        let wins = training_labels.iter().filter(|v| **v >= 0.5).count() as f64;
        if wins * 2.0 >= n {
            1.0
        } else {
            0.0
        }
    } else {
        training_labels.sum() / n
    }
}

/// One kind's cross-validation.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    pub kind: ModelKind,
    /// The model's score on each test fold.
    pub scores: Vec<f64>,
    /// The baseline's score on the same folds.
    pub baseline: Vec<f64>,
    /// Mean permutation importance of each feature (the dataset's column order).
    pub importance: Vec<f64>,
}

/// Fits `kind` on all but each fold, scores it and the baseline on that fold, and measures
/// permutation importances there.
pub fn cross_validate(
    task: Task,
    kind: ModelKind,
    data: &Dataset,
    folds: &[Vec<usize>],
    seed: u64,
) -> Result<CrossValidation, LearnError> {
    let metric = task.metric();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut scores = Vec::with_capacity(folds.len());
    let mut baselines = Vec::with_capacity(folds.len());
    let mut importance = vec![0.0; data.names.len()];
    for test_rows in folds {
        let train = data.rows(&training_rows(data.len(), test_rows));
        let test = data.rows(test_rows);
        let model = TrainedModel::fit(task, kind, &train)?;
        let score = metric.score(&test.y, &model.predict(&test.x));
        let constant = baseline(task, &train.y);
        scores.push(score);
        baselines.push(metric.score(&test.y, &Array1::from_elem(test.len(), constant)));
        for (j, total) in importance.iter_mut().enumerate() {
            let mut shuffled = test.x.clone();
            let mut column: Vec<f64> = shuffled.column(j).to_vec();
            column.shuffle(&mut rng);
            shuffled
                .index_axis_mut(Axis(1), j)
                .assign(&Array1::from(column));
            *total += score - metric.score(&test.y, &model.predict(&shuffled));
        }
    }
    let k = folds.len().max(1) as f64;
    importance.iter_mut().for_each(|v| *v /= k);
    Ok(CrossValidation {
        kind,
        scores,
        baseline: baselines,
        importance,
    })
}

/// Mean and (sample) standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    (mean, var.sqrt())
}

/// Pearson correlation of each column with the labels (0 for a constant column): the
/// direction in which a feature goes with the label, which importances do not tell.
pub fn correlations(data: &Dataset) -> Vec<f64> {
    let n = data.len() as f64;
    if n < 2.0 {
        return vec![0.0; data.names.len()];
    }
    let y_mean = data.y.sum() / n;
    let y_dev: Vec<f64> = data.y.iter().map(|v| v - y_mean).collect();
    let y_ss: f64 = y_dev.iter().map(|d| d * d).sum();
    data.x
        .columns()
        .into_iter()
        .map(|column| {
            let m = column.sum() / n;
            let (mut cross, mut ss) = (0.0, 0.0);
            for (x, dy) in column.iter().zip(&y_dev) {
                cross += (x - m) * dy;
                ss += (x - m) * (x - m);
            }
            if ss > 1e-24 && y_ss > 1e-24 {
                cross / (ss * y_ss).sqrt()
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn scores_and_baselines() {
        let truth = array![1.0, 0.0, 1.0, 1.0];
        assert_eq!(
            Metric::Accuracy.score(&truth, &array![1.0, 1.0, 1.0, 0.0]),
            0.5
        );
        assert_eq!(baseline(Task::FightOutcome, &truth), 1.0);
        assert_eq!(baseline(Task::FightOutcome, &array![0.0, 0.0, 1.0]), 0.0);
        let values = array![1.0, 2.0, 3.0];
        assert_eq!(Metric::R2.score(&values, &values), 1.0);
        assert_eq!(Metric::R2.score(&values, &array![2.0, 2.0, 2.0]), 0.0);
        assert!(Metric::R2.score(&values, &array![3.0, 2.0, 1.0]) < 0.0);
        assert_eq!(Metric::R2.score(&array![2.0, 2.0], &array![1.0, 3.0]), 0.0);
        assert_eq!(baseline(Task::BuildRating, &values), 2.0);
        let (m, sd) = mean_sd(&[1.0, 2.0, 3.0]);
        assert_eq!((m, sd), (2.0, 1.0));
    }

    #[test]
    fn correlation_says_the_direction() {
        let data = Dataset {
            names: vec!["up".into(), "down".into(), "flat".into()],
            x: array![[1.0, 3.0, 5.0], [2.0, 2.0, 5.0], [3.0, 1.0, 5.0]],
            y: array![0.0, 0.5, 1.0],
        };
        let c = correlations(&data);
        assert!((c[0] - 1.0).abs() < 1e-12 && (c[1] + 1.0).abs() < 1e-12 && c[2] == 0.0);
    }
}
