//! The adviser's workflows: agents chained by ordinary code, each step recorded.
//!
//! - `build-optimization`: a stored build's gear optimized; without a build, the
//!   recommender picks the best stored build for the profession, mode and role first.
//! - `team-analysis`: a stored team's coverage and optimized placement, then the meta of its
//!   game mode beside it (what others field).
//! - `meta-analysis`: the meta of a mode, then the best stored builds of its leading
//!   specialization.
//! - `learning`: what the guild's fights taught the service (the selected models, trained
//!   first when a superuser asks), then a Team Commander squad planned with the format's own
//!   weights and again with the learned ones, and what the learned weights changed.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::agent::{Agent, AgentError, Recorder, RunContext};
use super::agents::build_optimization::BuildOptimization;
use super::agents::build_optimization::BuildOptimizationInput;
use super::agents::learning::{LearningAgent, LearningInput};
use super::agents::meta_analysis::MetaAnalysis;
use super::agents::meta_analysis::MetaAnalysisInput;
use super::agents::recommender::RecommendInput;
use super::agents::recommender::Recommender;
use super::agents::squad_planner::{SquadPlanInput, SquadPlanner};
use super::agents::team_analysis::TeamAnalysis;
use super::agents::team_analysis::TeamAnalysisInput;
use super::Agents;
use crate::error::ApiError;
use store::users::User;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workflow {
    BuildOptimization,
    TeamAnalysis,
    MetaAnalysis,
    Learning,
}

/// A workflow as `GET /ai/workflows` lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkflowInfo {
    pub name: &'static str,
    pub agents: Vec<&'static str>,
    pub description: &'static str,
    /// An example input.
    #[schema(value_type = Object)]
    pub example: Value,
}

impl Workflow {
    pub const ALL: [Workflow; 4] = [
        Workflow::BuildOptimization,
        Workflow::TeamAnalysis,
        Workflow::MetaAnalysis,
        Workflow::Learning,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workflow::BuildOptimization => "build-optimization",
            Workflow::TeamAnalysis => "team-analysis",
            Workflow::MetaAnalysis => "meta-analysis",
            Workflow::Learning => "learning",
        }
    }

    /// By name (`build-optimization`, or with an underscore).
    pub fn named(name: &str) -> Option<Workflow> {
        let name = name.trim().replace('_', "-").to_ascii_lowercase();
        Workflow::ALL.into_iter().find(|w| w.name() == name)
    }

    pub fn info(self) -> WorkflowInfo {
        match self {
            Workflow::BuildOptimization => WorkflowInfo {
                name: self.name(),
                agents: vec![Recommender::NAME, BuildOptimization::NAME],
                description: "Optimize a stored build's gear (build_id), or first pick the best stored build for a game mode, profession and role.",
                example: json!({"game_mode": "raid", "profession": "Warrior", "role": "dps"}),
            },
            Workflow::TeamAnalysis => WorkflowInfo {
                name: self.name(),
                agents: vec![TeamAnalysis::NAME, MetaAnalysis::NAME],
                description: "A stored team's boon coverage and grade, its optimized placement, and the meta of its game mode.",
                example: json!({"team_id": "00000000-0000-0000-0000-000000000000"}),
            },
            Workflow::MetaAnalysis => WorkflowInfo {
                name: self.name(),
                agents: vec![MetaAnalysis::NAME, Recommender::NAME],
                description: "The meta of a game mode, then the best stored builds of its leading specialization.",
                example: json!({"game_mode": "wvw", "days": 30}),
            },
            Workflow::Learning => WorkflowInfo {
                name: self.name(),
                agents: vec![LearningAgent::NAME, SquadPlanner::NAME],
                description: "What the uploaded fights taught the service (selected models against their baselines; train: true retrains, superusers), then a Team Commander squad with the format's weights and with the learned ones, and what changed.",
                example: json!({"message": "2 groupes de 5 pour du zerg", "train": false}),
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildOptimizationRequest {
    #[serde(default)]
    build_id: Option<Uuid>,
    #[serde(default)]
    game_mode: Option<String>,
    #[serde(default)]
    profession: Option<String>,
    #[serde(default)]
    specialization: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LearningRequest {
    #[serde(default)]
    train: bool,
    #[serde(default)]
    task: Option<String>,
    #[serde(default)]
    folds: Option<usize>,
    #[serde(default)]
    seed: Option<u64>,
    /// The squad to plan both ways (default: two groups of five for a zerg).
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

/// The request planned when the `learning` workflow is given none.
const DEFAULT_SQUAD: &str = "2 groups of 5 for a WvW zerg";

/// The input of `workflow`, checked before the run starts (a 422 naming `input`; a 403 when
/// `user` may not ask for it).
pub fn check_input(workflow: Workflow, input: &Value, user: &User) -> Result<(), ApiError> {
    let bad = |e: serde_json::Error| ApiError::validation("input", e.to_string());
    match workflow {
        Workflow::BuildOptimization => {
            let r: BuildOptimizationRequest = serde_json::from_value(input.clone()).map_err(bad)?;
            if r.build_id.is_none() && r.game_mode.is_none() {
                return Err(ApiError::validation(
                    "input",
                    "give build_id, or game_mode (with profession and role) to pick one",
                ));
            }
        }
        Workflow::TeamAnalysis => {
            serde_json::from_value::<TeamAnalysisInput>(input.clone()).map_err(bad)?;
        }
        Workflow::MetaAnalysis => {
            serde_json::from_value::<MetaAnalysisInput>(input.clone()).map_err(bad)?;
        }
        Workflow::Learning => {
            let r: LearningRequest = serde_json::from_value(input.clone()).map_err(bad)?;
            if r.train && !user.is_superuser {
                return Err(ApiError::Forbidden(
                    "train: true retrains the models, which is for superusers".into(),
                ));
            }
        }
    }
    Ok(())
}

/// Runs `workflow` step by step; its output is every step's result by name.
pub async fn run(
    workflow: Workflow,
    agents: &Agents,
    input: Value,
    rec: &mut Recorder,
    cx: &RunContext,
) -> Result<Value, AgentError> {
    let bad = |e: serde_json::Error| AgentError::Api(ApiError::validation("input", e.to_string()));
    match workflow {
        Workflow::BuildOptimization => {
            let r: BuildOptimizationRequest = serde_json::from_value(input).map_err(bad)?;
            let (recommendation, build_id) = match r.build_id {
                Some(id) => (None, id),
                None => {
                    let found = rec
                        .step(
                            agents.recommender.as_ref(),
                            RecommendInput {
                                game_mode: r.game_mode.clone().unwrap_or_default(),
                                profession: r.profession.clone(),
                                specialization: r.specialization.clone(),
                                role: r.role.clone(),
                                limit: Some(3),
                            },
                            cx,
                        )
                        .await?;
                    let Some(best) = found.candidates.first() else {
                        return Err(ApiError::NotFound(format!(
                            "no stored build fits ({}); {}",
                            r.game_mode.unwrap_or_default(),
                            found.summary
                        ))
                        .into());
                    };
                    let id = best.build_id;
                    (Some(found), id)
                }
            };
            let gear = rec
                .step(
                    &agents.build_optimization,
                    BuildOptimizationInput {
                        build_id,
                        role: r.role,
                    },
                    cx,
                )
                .await?;
            Ok(json!({"recommendation": recommendation, "gear": gear}))
        }
        Workflow::TeamAnalysis => {
            let i: TeamAnalysisInput = serde_json::from_value(input).map_err(bad)?;
            let team = rec.step(&agents.team_analysis, i, cx).await?;
            let meta = rec
                .step(
                    &agents.meta_analysis,
                    MetaAnalysisInput {
                        game_mode: team.game_mode.clone(),
                        days: None,
                    },
                    cx,
                )
                .await?;
            Ok(json!({"team": team, "meta": meta}))
        }
        Workflow::MetaAnalysis => {
            let i: MetaAnalysisInput = serde_json::from_value(input).map_err(bad)?;
            let mode = i.game_mode.clone();
            let meta = rec.step(&agents.meta_analysis, i, cx).await?;
            let leader = meta
                .overview
                .archetypes
                .first()
                .and_then(|a| a.specialization.clone());
            let recommendation = match leader {
                Some(specialization) => Some(
                    rec.step(
                        agents.recommender.as_ref(),
                        RecommendInput {
                            game_mode: mode,
                            profession: None,
                            specialization: Some(specialization),
                            role: None,
                            limit: Some(3),
                        },
                        cx,
                    )
                    .await?,
                ),
                None => None,
            };
            Ok(json!({"meta": meta, "recommendation": recommendation}))
        }
        Workflow::Learning => {
            let r: LearningRequest = serde_json::from_value(input).map_err(bad)?;
            let learned = rec
                .step(
                    &agents.learning,
                    LearningInput {
                        train: r.train,
                        task: r.task,
                        folds: r.folds,
                        seed: r.seed,
                    },
                    cx,
                )
                .await?;
            let message = r.message.unwrap_or_else(|| DEFAULT_SQUAD.to_owned());
            let plan = rec
                .step(
                    &agents.squad_planner,
                    SquadPlanInput {
                        message: message.clone(),
                        mode: r.mode.clone(),
                        learned_weights: false,
                    },
                    cx,
                )
                .await?;
            let weighted = match learned.squad_weights {
                Some(_) => Some(
                    rec.step(
                        &agents.squad_planner,
                        SquadPlanInput {
                            message,
                            mode: r.mode,
                            learned_weights: true,
                        },
                        cx,
                    )
                    .await?,
                ),
                None => None,
            };
            let changes = weighted
                .as_ref()
                .map(|w| super::agents::squad_planner::changes(&plan, w));
            Ok(json!({
                "learning": learned,
                "plan": plan,
                "weighted_plan": weighted,
                "changes": changes,
            }))
        }
    }
}
