//! From a selected player-contribution model to "in your fights, X contributes most": the
//! elite specializations the model saw, ranked by the contribution index it predicts for a
//! player of each at given boon uptimes.
//!
//! Every specialization is predicted in the same setting, so only the specialization (and
//! its profession) differs between them:
//! - the boon uptimes asked (the optimizer's units: a fraction of the fight for duration
//!   boons, stacks for might and stability, as the samples have them);
//! - every other feature (boons not asked, squad size, enemy ratio, the squad's
//!   composition) at its mean over the samples the model was trained on (the model's own
//!   [`Scaler`](crate::dataset::Scaler) keeps them): the guild's average fight;
//! - the specialization's `spec_` and `profession_` columns 1, every other such column 0.
//!
//! Only elite specializations the model has a column for are ranked (a specialization
//! nobody played in the guild's fights teaches the model nothing), and only those the
//! embedded game data knows (it gives their profession); core builds are not an elite
//! specialization and are left out. A linear model predicts a sum of effects, so the
//! ranking is the specializations' own effects on the index at those uptimes: what the
//! model learned from the guild's fights, not a judgement of the specializations in general.

use std::collections::BTreeMap;

use gw2::data::GameData;
use ndarray::Array2;
use optimizer::squad::Resource;
use serde::{Deserialize, Serialize};

use crate::features::fight::{boon_feature, BOONS};
use crate::features::player::{profession_feature, spec_feature};
use crate::features::slug;
use crate::model::TrainedModel;
use crate::{LearnError, Task};

/// One elite specialization's predicted contribution index (1.0: the squad's average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecContribution {
    /// As the game names it (`Firebrand`).
    pub specialization: String,
    pub profession: String,
    pub predicted: f64,
}

/// The elite specializations of `model` (a `player_contribution` model), best predicted
/// contribution first (equal predictions by name), at `uptimes` (boons only, the optimizer's
/// units; boons not given stay at the training mean).
pub fn rank_specializations(
    model: &TrainedModel,
    uptimes: &BTreeMap<Resource, f64>,
) -> Result<Vec<SpecContribution>, LearnError> {
    if model.task != Task::PlayerContribution {
        return Err(LearnError::Options(format!(
            "a {} model does not predict a player's contribution; only a {} model ranks specializations",
            model.task,
            Task::PlayerContribution
        )));
    }
    let column = |name: &str| model.features.iter().position(|f| f == name);
    let mut base: Vec<f64> = (0..model.features.len())
        .map(|j| model.scaler.mean.get(j).copied().unwrap_or(0.0))
        .collect();
    for (resource, value) in uptimes {
        let Some((name, _)) = BOONS.iter().find(|(_, r)| r == resource) else {
            return Err(LearnError::Options(format!(
                "{resource} is not a boon: the ranking takes boon uptimes"
            )));
        };
        if !value.is_finite() || *value < 0.0 {
            return Err(LearnError::Options(format!(
                "the uptime of {resource} must be a number ≥ 0, not {value}"
            )));
        }
        if let Some(j) = column(&boon_feature(name)) {
            base[j] = *value;
        }
    }
    for (j, name) in model.features.iter().enumerate() {
        if name.starts_with("spec_") || name.starts_with("profession_") {
            base[j] = 0.0;
        }
    }
    let data = GameData::embedded();
    let mut ranked: Vec<SpecContribution> = Vec::new();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for spec in data.specializations().iter().filter(|s| s.elite) {
        let Some(spec_column) = column(&spec_feature(Some(&spec.name))) else {
            continue;
        };
        let mut row = base.clone();
        row[spec_column] = 1.0;
        if let Some(j) = column(&profession_feature(&spec.profession)) {
            row[j] = 1.0;
        }
        rows.push(row);
        ranked.push(SpecContribution {
            specialization: spec.name.clone(),
            profession: spec.profession.clone(),
            predicted: 0.0,
        });
    }
    if ranked.is_empty() {
        return Ok(ranked);
    }
    let x = Array2::from_shape_vec(
        (rows.len(), model.features.len()),
        rows.into_iter().flatten().collect(),
    )
    .map_err(|e| LearnError::Corrupt(e.to_string()))?;
    for (entry, predicted) in ranked.iter_mut().zip(model.predict(&x)) {
        entry.predicted = predicted;
    }
    ranked.sort_by(|a, b| {
        b.predicted
            .total_cmp(&a.predicted)
            .then_with(|| slug(&a.specialization).cmp(&slug(&b.specialization)))
    });
    Ok(ranked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use crate::model::ModelKind;
    use crate::Sample;

    /// Players of four specializations; Firebrands contribute 1.6, Scourges 1.2, the others
    /// 0.8, and quickness uptime adds up to 0.4 for everyone.
    fn model(kind: ModelKind) -> TrainedModel {
        let specs = [
            ("Guardian", "Firebrand"),
            ("Necromancer", "Scourge"),
            ("Warrior", "Spellbreaker"),
            ("Guardian", "Willbender"),
        ];
        let samples: Vec<Sample> = (0..80)
            .map(|i| {
                let (profession, spec) = specs[i % 4];
                let quickness = (i % 5) as f64 / 4.0;
                let own = match spec {
                    "Firebrand" => 1.6,
                    "Scourge" => 1.2,
                    _ => 0.8,
                };
                Sample {
                    features: BTreeMap::from([
                        (profession_feature(profession), 1.0),
                        (spec_feature(Some(spec)), 1.0),
                        (boon_feature("Quickness"), quickness),
                        ("squad_size".to_owned(), 10.0 + (i % 7) as f64),
                    ]),
                    label: own + 0.4 * quickness,
                    source: format!("fight:{}/player:{i}", i / 10),
                }
            })
            .collect();
        let data = Dataset::from_samples(Task::PlayerContribution, &samples).unwrap();
        TrainedModel::fit(Task::PlayerContribution, kind, &data).unwrap()
    }

    #[test]
    fn specializations_are_ranked_by_what_the_model_learned() {
        let model = model(ModelKind::Ridge);
        let ranked = rank_specializations(&model, &BTreeMap::new()).unwrap();
        let names: Vec<&str> = ranked.iter().map(|r| r.specialization.as_str()).collect();
        assert_eq!(names[..2], ["Firebrand", "Scourge"], "{ranked:?}");
        assert_eq!(names.len(), 4, "only the specializations seen");
        assert_eq!(ranked[0].profession, "Guardian");
        assert_eq!(ranked[1].profession, "Necromancer");
        // at the training mean of quickness (0.5): 1.6 + 0.2, within the ridge's shrinkage
        assert!((ranked[0].predicted - 1.8).abs() < 0.1, "{ranked:?}");
        assert!(ranked[2].predicted < ranked[1].predicted);

        // more quickness raises every prediction alike; the order stays
        let high =
            rank_specializations(&model, &BTreeMap::from([(Resource::Quickness, 1.0)])).unwrap();
        assert_eq!(high[0].specialization, "Firebrand");
        assert!(high[0].predicted > ranked[0].predicted + 0.1, "{high:?}");
    }

    #[test]
    fn only_boons_and_contribution_models_are_accepted() {
        let model = model(ModelKind::Lasso);
        let err = rank_specializations(&model, &BTreeMap::from([(Resource::Strip, 1.0)]));
        assert!(
            matches!(&err, Err(LearnError::Options(m)) if m.contains("strip is not a boon")),
            "{err:?}"
        );
        let err = rank_specializations(&model, &BTreeMap::from([(Resource::Might, f64::NAN)]));
        assert!(matches!(err, Err(LearnError::Options(_))), "{err:?}");
        let mut other = model.clone();
        other.task = Task::BuildRating;
        assert!(matches!(
            rank_specializations(&other, &BTreeMap::new()),
            Err(LearnError::Options(_))
        ));
    }
}
