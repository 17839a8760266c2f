//! The learning agent: what the guild's own data has taught the service. It reads the model
//! registry (the selected model of each task, its cross-validated score against the
//! baseline, the features it relies on) and turns the selected fight-outcome model into the
//! squad weights Team Commander and the squad optimizer use; a superuser may ask it to
//! collect and train first (what `gw2opt learn run` does).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::services::ai::agent::{Agent, AgentError, Lang, RunContext};
use crate::services::learning::{
    Learning, ModelOut, RunOut, RunRequest, SpecializationOut, WeightedBy,
};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LearningInput {
    /// Collect samples and train before answering (superusers only; default false).
    #[serde(default)]
    pub train: bool,
    /// With `train`: `fight_outcome`, `build_rating`, ... or `all` (default).
    #[serde(default)]
    pub task: Option<String>,
    /// With `train`: cross-validation folds, 2 to 20.
    #[serde(default)]
    pub folds: Option<usize>,
    /// With `train`: the seed of folds and shuffles.
    #[serde(default)]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LearningAdvice {
    /// The training run, when one was asked for.
    #[schema(value_type = Option<Object>)]
    pub trained: Option<RunOut>,
    /// The selected model of each task that has one.
    pub selected: Vec<ModelOut>,
    /// The squad weights of the selected fight-outcome model (`learned_weights: true`).
    pub squad_weights: Option<WeightedBy>,
    /// Elite specializations by the selected player-contribution model's predicted
    /// contribution (1.0: a squad's average member), best first.
    pub specializations: Option<Vec<SpecializationOut>>,
    pub summary: String,
}

pub struct LearningAgent {
    pub learning: Learning,
}

impl Agent for LearningAgent {
    type Input = LearningInput;
    type Output = LearningAdvice;
    const NAME: &'static str = "learning";

    async fn run(
        &self,
        input: LearningInput,
        cx: &RunContext,
    ) -> Result<LearningAdvice, AgentError> {
        let trained = if input.train {
            if !cx.user.as_ref().is_some_and(|u| u.is_superuser) {
                return Err(ApiError::Forbidden(
                    "training the models is for superusers (train: false reads the registry)"
                        .into(),
                )
                .into());
            }
            Some(
                self.learning
                    .run(RunRequest {
                        task: input.task,
                        folds: input.folds,
                        seed: input.seed,
                    })
                    .await?,
            )
        } else {
            None
        };
        let selected = self.learning.selected_models().await?;
        let squad_weights = self.learning.squad_weights().await?;
        let specializations = self.learning.specialization_ranking().await?;
        let summary = summary(
            &selected,
            squad_weights.as_ref(),
            specializations.as_deref(),
            cx.lang,
        );
        Ok(LearningAdvice {
            trained,
            selected,
            squad_weights,
            specializations,
            summary,
        })
    }
}

/// One sentence per selected model (its score against the baseline's) and the resources
/// that weigh most in the learned squad weights.
fn summary(
    selected: &[ModelOut],
    weights: Option<&WeightedBy>,
    ranking: Option<&[SpecializationOut]>,
    lang: Lang,
) -> String {
    if selected.is_empty() {
        return lang
            .pick(
                "No model is selected yet: none has been trained, or none beat the baseline clearly. Upload won and lost WvW fights, then train (gw2opt learn run).",
                "Aucun modèle n'est encore sélectionné : aucun n'a été entraîné, ou aucun ne bat clairement la référence. Envoyez des combats McM gagnés et perdus, puis entraînez (gw2opt learn run).",
            )
            .to_owned();
    }
    let mut parts: Vec<String> = selected
        .iter()
        .map(|m| {
            let x = &m.metrics;
            let metric = serde_json::to_value(x.metric)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            match lang {
                Lang::En => format!(
                    "{}: {} v{}, {metric} {:.3} ± {:.3} against {:.3} for the baseline ({} samples)",
                    m.task, m.kind, m.version, x.mean, x.sd, x.baseline_mean, x.samples
                ),
                Lang::Fr => format!(
                    "{} : {} v{}, {metric} {:.3} ± {:.3} contre {:.3} pour la référence ({} échantillons)",
                    m.task, m.kind, m.version, x.mean, x.sd, x.baseline_mean, x.samples
                ),
            }
        })
        .collect();
    if let Some(w) = weights {
        let mut top: Vec<_> = w.factors.iter().filter(|(_, f)| **f > 1.0).collect();
        top.sort_by(|a, b| b.1.total_cmp(a.1));
        let list = top
            .iter()
            .take(3)
            .map(|(r, f)| format!("{} ×{f:.2}", commander::words::resource(**r, lang)))
            .collect::<Vec<_>>()
            .join(", ");
        if !list.is_empty() {
            parts.push(match lang {
                Lang::En => format!("in your fights, what decides the outcome most: {list}"),
                Lang::Fr => format!("dans vos combats, ce qui décide le plus de l'issue : {list}"),
            });
        }
    }
    if let Some(ranking) = ranking.filter(|r| !r.is_empty()) {
        let list = ranking
            .iter()
            .take(3)
            .map(|s| {
                format!(
                    "{} {:.2}",
                    commander::words::game_name(&s.specialization, lang),
                    s.predicted
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(match lang {
            Lang::En => format!(
                "who contributes most in your fights (1.00 is a squad's average member): {list}"
            ),
            Lang::Fr => format!(
                "qui contribue le plus dans vos combats (1,00 = le membre moyen d'une escouade) : {list}"
            ),
        });
    }
    format!("{}.", parts.join("; "))
}
