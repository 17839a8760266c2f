//! Samples as a matrix: one row per sample, one column per feature name (the union of the
//! samples' names, sorted; a name a sample lacks is 0), and the standardization the linear
//! models need.

use std::collections::BTreeSet;

use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::{LearnError, Sample, Task};

/// Features and labels, with the column names.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub names: Vec<String>,
    pub x: Array2<f64>,
    pub y: Array1<f64>,
}

impl Dataset {
    /// The matrix of `samples`, columns named by every feature any sample has.
    pub fn from_samples(task: Task, samples: &[Sample]) -> Result<Dataset, LearnError> {
        let names: Vec<String> = samples
            .iter()
            .flat_map(|s| s.features.keys().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if names.is_empty() {
            return Err(LearnError::NoFeatures { task });
        }
        let x = matrix(&names, samples);
        if let Some(bad) = samples
            .iter()
            .find(|s| !s.label.is_finite() || s.features.values().any(|v| !v.is_finite()))
        {
            return Err(LearnError::NotFinite {
                task,
                what: bad.source.clone(),
            });
        }
        let y = samples.iter().map(|s| s.label).collect();
        Ok(Dataset { names, x, y })
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The rows at `rows`, in that order.
    pub fn rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            names: self.names.clone(),
            x: self.x.select(Axis(0), rows),
            y: self.y.select(Axis(0), rows),
        }
    }
}

/// The rows of `samples` over the columns `names` (a missing feature is 0, an unknown one
/// is ignored): what a trained model is fed.
pub fn matrix(names: &[String], samples: &[Sample]) -> Array2<f64> {
    let mut x = Array2::zeros((samples.len(), names.len()));
    for (i, s) in samples.iter().enumerate() {
        for (j, name) in names.iter().enumerate() {
            if let Some(v) = s.features.get(name) {
                x[(i, j)] = *v;
            }
        }
    }
    x
}

/// Centres each column on its mean and divides by its standard deviation (a constant column
/// is only centred), so penalties and coefficients treat every feature alike: a
/// coefficient is the effect of one standard deviation of its feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Scaler {
    pub fn fit(x: &Array2<f64>) -> Scaler {
        let n = x.nrows().max(1) as f64;
        let mut mean = Vec::with_capacity(x.ncols());
        let mut scale = Vec::with_capacity(x.ncols());
        for column in x.columns() {
            let m = column.sum() / n;
            let var = column.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
            mean.push(m);
            scale.push(if var > 1e-24 { var.sqrt() } else { 1.0 });
        }
        Scaler { mean, scale }
    }

    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for (j, mut column) in out.columns_mut().into_iter().enumerate() {
            let (m, s) = (
                self.mean.get(j).copied().unwrap_or(0.0),
                self.scale.get(j).copied().unwrap_or(1.0),
            );
            column.mapv_inplace(|v| (v - m) / s);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn sample(pairs: &[(&str, f64)], label: f64) -> Sample {
        Sample {
            features: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect::<BTreeMap<_, _>>(),
            label,
            source: "s".into(),
        }
    }

    #[test]
    fn columns_are_the_union_of_names_and_missing_is_zero() {
        let d = Dataset::from_samples(
            Task::BuildRating,
            &[sample(&[("b", 2.0)], 1.0), sample(&[("a", 3.0)], 0.5)],
        )
        .unwrap();
        assert_eq!(d.names, ["a", "b"]);
        assert_eq!(d.x.row(0).to_vec(), [0.0, 2.0]);
        assert_eq!(d.x.row(1).to_vec(), [3.0, 0.0]);
        assert_eq!(d.y.to_vec(), [1.0, 0.5]);
        assert_eq!(d.rows(&[1]).y.to_vec(), [0.5]);
    }

    #[test]
    fn empty_or_non_finite_samples_are_refused() {
        assert!(matches!(
            Dataset::from_samples(Task::BuildRating, &[sample(&[], 1.0)]),
            Err(LearnError::NoFeatures { .. })
        ));
        assert!(matches!(
            Dataset::from_samples(Task::BuildRating, &[sample(&[("a", f64::NAN)], 1.0)]),
            Err(LearnError::NotFinite { .. })
        ));
    }

    #[test]
    fn the_scaler_standardizes_and_leaves_constants_centred() {
        let x = ndarray::array![[1.0, 5.0], [3.0, 5.0]];
        let s = Scaler::fit(&x);
        let t = s.transform(&x);
        assert_eq!(t.column(0).to_vec(), [-1.0, 1.0]);
        assert_eq!(t.column(1).to_vec(), [0.0, 0.0]);
    }
}
