//! From a selected fight-outcome model to the squad optimizer's weights.
//!
//! Each resource the optimizer covers that a fight feature measures (13 boons, strips,
//! cleanses, healing, barrier: `features::fight::resource_of`) gets an importance: the
//! model's permutation importance of that feature on held-out folds, counted only when the
//! feature goes with winning (positive correlation with the label over the snapshot) —
//! a boon that is merely common in lost fights is no reason to bring less of it.
//!
//! The factor of resource `r` is `importance_r / mean importance` over those resources,
//! clamped to `[MIN_FACTOR, MAX_FACTOR]`: a resource as important as the average keeps its
//! template weight, the one that decides fights gets up to four times it, the ones that
//! made no difference a quarter (never zero: the model saw only what the guild's fights
//! varied). The optimizer multiplies its requirement weights by these factors
//! (`SquadInput::weight_factors`); it never calls a model.

use std::collections::BTreeMap;

use optimizer::squad::Resource;
use serde::{Deserialize, Serialize};

use crate::features::fight::resource_of;
use crate::registry::Metrics;

pub const MIN_FACTOR: f64 = 0.25;
pub const MAX_FACTOR: f64 = 4.0;

/// Weights learned from fights, ready for `SquadInput::weight_factors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedWeights {
    /// Factor per resource (every resource a fight feature measures).
    pub factors: BTreeMap<Resource, f64>,
    /// The importance each factor came from.
    pub importance: BTreeMap<Resource, f64>,
}

/// The weight factors of a fight-outcome model's metrics, or `None` when no resource
/// feature mattered (then the optimizer's defaults stand).
pub fn squad_weights(metrics: &Metrics) -> Option<LearnedWeights> {
    let mut importance = BTreeMap::new();
    for (feature, value) in &metrics.importance {
        let Some(resource) = resource_of(feature) else {
            continue;
        };
        let direction = metrics.correlation.get(feature).copied().unwrap_or(0.0);
        let counted = if direction > 0.0 && value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        };
        importance.insert(resource, counted);
    }
    if importance.is_empty() {
        return None;
    }
    let mean = importance.values().sum::<f64>() / importance.len() as f64;
    if mean <= 1e-12 {
        return None;
    }
    let factors = importance
        .iter()
        .map(|(r, v)| (*r, (v / mean).clamp(MIN_FACTOR, MAX_FACTOR)))
        .collect();
    Some(LearnedWeights {
        factors,
        importance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::Metric;

    fn metrics(pairs: &[(&str, f64, f64)]) -> Metrics {
        Metrics {
            metric: Metric::Accuracy,
            fold_scores: vec![],
            mean: 0.0,
            sd: 0.0,
            baseline_fold_scores: vec![],
            baseline_mean: 0.0,
            baseline_sd: 0.0,
            gain: 0.0,
            gain_se: 0.0,
            beats_baseline: true,
            samples: 0,
            importance: pairs
                .iter()
                .map(|(f, i, _)| ((*f).to_owned(), *i))
                .collect(),
            correlation: pairs
                .iter()
                .map(|(f, _, c)| ((*f).to_owned(), *c))
                .collect(),
        }
    }

    #[test]
    fn the_feature_that_wins_fights_weighs_most() {
        let w = squad_weights(&metrics(&[
            ("boon_stability", 0.20, 0.6),
            ("boon_might", 0.02, 0.1),
            ("boon_quickness", 0.05, -0.3),
            ("strips_per_player_min", 0.02, 0.2),
            ("share_guardian", 0.5, 0.9),
        ]))
        .unwrap();
        // mean over the 4 resources: (0.20 + 0.02 + 0 + 0.02) / 4 = 0.06
        assert!((w.factors[&Resource::Stability] - 0.20 / 0.06).abs() < 1e-12);
        assert!((w.factors[&Resource::Might] - 0.02 / 0.06).abs() < 1e-12);
        assert_eq!(
            w.factors[&Resource::Quickness],
            MIN_FACTOR,
            "goes with losing"
        );
        assert_eq!(w.importance[&Resource::Quickness], 0.0);
        assert_eq!(w.factors.len(), 4, "professions are no resource");
    }

    #[test]
    fn factors_are_clamped() {
        let mut pairs = vec![("boon_stability", 1.0, 0.8)];
        pairs.extend(
            ["boon_might", "boon_fury", "boon_aegis", "boon_vigor"].map(|b| (b, 0.001, 0.1)),
        );
        let w = squad_weights(&metrics(&pairs)).unwrap();
        assert_eq!(w.factors[&Resource::Stability], MAX_FACTOR);
        assert_eq!(w.factors[&Resource::Might], MIN_FACTOR);
    }

    #[test]
    fn nothing_learned_means_no_weights() {
        assert_eq!(
            squad_weights(&metrics(&[("boon_stability", 0.0, 0.5)])),
            None
        );
        assert_eq!(
            squad_weights(&metrics(&[("share_guardian", 0.3, 0.5)])),
            None
        );
        assert_eq!(squad_weights(&metrics(&[("boon_might", -0.01, 0.5)])), None);
    }
}
