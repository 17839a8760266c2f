//! Builds for a profession, game mode and role: the stored builds players vote for, with
//! the DPS the benchmark engine estimates for each, and the community benchmark rotations of
//! the specialization when nothing stored matches.

use std::cmp::Ordering;

use gw2::data::GameData;
use gw2::model::{GameMode, Role};
use optimizer::benchmark::{self, BenchmarkRef};
use serde::{Deserialize, Serialize};
use store::builds::{ListFilter, Sort};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{parse_named, ApiError};
use crate::services::ai::agent::{Agent, AgentError, Lang, RunContext};
use crate::services::builds::Builds;
use crate::services::team_scores::TeamScores;

/// Stored builds read per recommendation (the best-voted first).
const POOL: i64 = 50;
pub const DEFAULT_LIMIT: usize = 5;
pub const MAX_LIMIT: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecommendInput {
    /// Any of the game modes of the API (`wvw_zerg`, `raid`...).
    pub game_mode: String,
    #[serde(default)]
    pub profession: Option<String>,
    #[serde(default)]
    pub specialization: Option<String>,
    /// dps | boon_dps | support | healer | tank | utility
    #[serde(default)]
    pub role: Option<String>,
    /// 1..=20, default 5.
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Candidate {
    pub build_id: Uuid,
    pub name: String,
    pub author: String,
    pub profession: String,
    pub specialization: Option<String>,
    pub role: String,
    /// Upvotes − downvotes.
    pub score: i32,
    pub views: i64,
    /// Estimated DPS on the golem (benchmark engine), when a benchmark exists.
    pub dps: Option<f64>,
    /// Why it is recommended, in the asked language.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Recommendation {
    pub game_mode: String,
    pub candidates: Vec<Candidate>,
    /// Community benchmark rotations of the profession/specialization and role (discretize).
    #[schema(value_type = Vec<Object>)]
    pub benchmarks: Vec<BenchmarkRef>,
    /// The answer in a sentence or two (the asked language).
    pub summary: String,
}

pub struct Recommender {
    pub builds: Builds,
    pub scores: TeamScores,
}

impl Agent for Recommender {
    type Input = RecommendInput;
    type Output = Recommendation;
    const NAME: &'static str = "recommender";

    async fn run(
        &self,
        input: RecommendInput,
        cx: &RunContext,
    ) -> Result<Recommendation, AgentError> {
        let mode: GameMode = parse_named("game_mode", &input.game_mode)?;
        let role: Option<Role> = input
            .role
            .as_deref()
            .map(|r| parse_named("role", r))
            .transpose()?;
        let limit = input.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::validation("limit", format!("must be 1 to {MAX_LIMIT}")).into());
        }
        let game = GameData::embedded();
        let profession = match input
            .profession
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => None,
            Some(p) => Some(
                game.profession(p)
                    .ok_or_else(|| {
                        ApiError::validation("profession", format!("unknown profession {p:?}"))
                    })?
                    .name
                    .clone(),
            ),
        };
        let specialization = match input
            .specialization
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(
                game.specialization_by_name(s)
                    .ok_or_else(|| {
                        ApiError::validation(
                            "specialization",
                            format!("unknown specialization {s:?}"),
                        )
                    })?
                    .name
                    .clone(),
            ),
        };
        let filter = ListFilter {
            viewer: cx.user.as_ref().map(|u| u.id),
            profession: profession.clone(),
            specialization: specialization.clone(),
            game_mode: Some(mode.as_str().to_owned()),
            role: role.map(|r| r.as_str().to_owned()),
            sort: Sort::Top,
            limit: POOL,
            ..ListFilter::default()
        };
        let (builds, _) = self.builds.list(&filter).await?;
        let scores = self.scores.clone();
        let lang = cx.lang;
        // DPS estimates run the gear engine: off the async threads.
        let mut candidates = tokio::task::spawn_blocking(move || {
            builds
                .into_iter()
                .map(|b| {
                    let estimate = scores
                        .score(b.id, b.updated_at.timestamp_micros(), &b.build, None)
                        .ok();
                    let dps = estimate.as_ref().map(|e| e.dps).filter(|d| *d > 0.0);
                    let mut reasons = Vec::new();
                    if b.score != 0 {
                        reasons.push(match lang {
                            Lang::En => format!("{:+} from players' votes ({} views)", b.score, b.views),
                            Lang::Fr => format!("{:+} aux votes des joueurs ({} vues)", b.score, b.views),
                        });
                    }
                    if let (Some(dps), Some(e)) = (dps, &estimate) {
                        reasons.push(match lang {
                            Lang::En => format!("{dps:.0} DPS on the golem with its own gear ({} rotation)", e.benchmark.name),
                            Lang::Fr => format!("{dps:.0} DPS sur le golem avec son propre équipement (rotation {})", e.benchmark.name),
                        });
                    }
                    Candidate {
                        build_id: b.id,
                        name: b.build.name.clone(),
                        author: b.author.clone(),
                        profession: b.build.profession.clone(),
                        specialization: b.build.specialization.clone(),
                        role: b.build.role.as_str().to_owned(),
                        score: b.score,
                        views: b.views,
                        dps,
                        reasons,
                    }
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(ApiError::internal)?;
        candidates.sort_by(|a, b| rank(a, b, role));
        candidates.truncate(limit);

        let benchmarks: Vec<BenchmarkRef> = benchmark::benchmarks()
            .map_err(ApiError::internal)?
            .into_iter()
            .filter(|t| {
                profession
                    .as_deref()
                    .is_none_or(|p| t.profession.eq_ignore_ascii_case(p))
            })
            .filter(|t| {
                specialization
                    .as_deref()
                    .is_none_or(|s| t.specialization.eq_ignore_ascii_case(s))
            })
            .filter(|t| role.is_none_or(|r| t.role == r))
            .filter(|t| !t.outdated)
            .take(limit)
            .collect();
        let summary = summary(lang, mode, &candidates, &benchmarks);
        Ok(Recommendation {
            game_mode: mode.as_str().to_owned(),
            candidates,
            benchmarks,
            summary,
        })
    }
}

/// Players' votes first; among equal votes, for damage roles the higher DPS, then views.
fn rank(a: &Candidate, b: &Candidate, role: Option<Role>) -> Ordering {
    let damage = matches!(role, None | Some(Role::Dps) | Some(Role::BoonDps));
    b.score
        .cmp(&a.score)
        .then_with(|| {
            if damage {
                b.dps.unwrap_or(0.0).total_cmp(&a.dps.unwrap_or(0.0))
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| b.views.cmp(&a.views))
        .then_with(|| a.name.cmp(&b.name))
}

fn summary(
    lang: Lang,
    mode: GameMode,
    candidates: &[Candidate],
    benchmarks: &[BenchmarkRef],
) -> String {
    match (candidates.first(), benchmarks.first(), lang) {
        (Some(best), _, Lang::En) => format!(
            "{} stored build(s) fit {}; the best is \u{201c}{}\u{201d} by {} ({}).",
            candidates.len(),
            mode.as_str(),
            best.name,
            best.author,
            best.reasons.first().cloned().unwrap_or_else(|| "no votes yet".into())
        ),
        (Some(best), _, Lang::Fr) => format!(
            "{} build(s) enregistré(s) conviennent à {} ; le meilleur est « {} » de {} ({}).",
            candidates.len(),
            mode.as_str(),
            best.name,
            best.author,
            best.reasons.first().cloned().unwrap_or_else(|| "pas encore de votes".into())
        ),
        (None, Some(t), Lang::En) => format!(
            "No stored build fits yet; the community benchmark \u{201c}{}\u{201d} ({} {}) is a starting point.",
            t.name, t.specialization, t.role.as_str()
        ),
        (None, Some(t), Lang::Fr) => format!(
            "Aucun build enregistré ne convient encore ; le benchmark communautaire « {} » ({} {}) est un point de départ.",
            t.name, t.specialization, t.role.as_str()
        ),
        (None, None, lang) => lang
            .pick(
                "No stored build or benchmark fits these criteria.",
                "Aucun build enregistré ni benchmark ne correspond à ces critères.",
            )
            .to_owned(),
    }
}
