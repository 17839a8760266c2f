//! A stored team read by the squad engine: its boon coverage per party and grade, and what
//! the squad optimizer makes of the same players (who should move to which party).

use std::collections::BTreeMap;

use optimizer::squad::{self, Player, RequirementsSpec, SquadInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::services::ai::agent::{Agent, AgentError, Lang, RunContext};
use crate::services::engines::Engines;
use crate::services::teams::{self, Teams};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamAnalysisInput {
    pub team_id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamAdvice {
    pub team_id: Uuid,
    pub name: String,
    pub game_mode: String,
    pub players: usize,
    /// Weighted boon coverage of the team as it is, 0..=1, and its grade (S ≥ 0.95, A ≥ 0.85,
    /// B ≥ 0.70, else C).
    pub coverage: f64,
    pub grade: String,
    /// The same after the squad optimizer's placement of the same players and builds.
    pub optimized_coverage: f64,
    pub optimized_grade: String,
    /// Players the optimizer moves: `player: party a → party b`.
    pub moves: Vec<String>,
    /// The analyzer's best suggestions (build changes, swaps), as it gives them.
    #[schema(value_type = Vec<Object>)]
    pub suggestions: Vec<Value>,
    pub summary: String,
}

pub struct TeamAnalysis {
    pub teams: Teams,
    pub engines: Engines,
}

/// Most suggestions passed on.
const SUGGESTIONS: usize = 5;

impl Agent for TeamAnalysis {
    type Input = TeamAnalysisInput;
    type Output = TeamAdvice;
    const NAME: &'static str = "team_analysis";

    async fn run(
        &self,
        input: TeamAnalysisInput,
        cx: &RunContext,
    ) -> Result<TeamAdvice, AgentError> {
        let team = self.teams.get(input.team_id, cx.user.as_ref()).await?;
        let report = teams::synergy(&team)?.report;
        let coverage = ratio(report.coverage_score, report.coverage_max);

        // The same players with the same builds, placed by the optimizer.
        let mut players = Vec::new();
        let mut party_of: BTreeMap<String, i32> = BTreeMap::new();
        let mut parties = 0;
        for slot in &team.slots {
            let Some(member) = teams::member_of(slot) else {
                continue;
            };
            party_of.insert(member.player.clone(), slot.party);
            parties = parties.max(slot.party);
            players.push(Player {
                name: member.player,
                options: vec![member.build],
                preference_weight: 0.0,
            });
        }
        if players.is_empty() {
            return Err(ApiError::validation(
                "team_id",
                "the team has no player with a build to analyze",
            )
            .into());
        }
        let mut squad_input = SquadInput::new(players.clone(), "wvw_zerg");
        squad_input.requirements =
            RequirementsSpec::Custom(teams::requirements_for(&team.game_mode)?);
        squad_input.party_count = usize::try_from(parties).ok().filter(|n| *n > 0);
        let slot = self.engines.acquire(cx.caller)?;
        let plan = slot
            .run(crate::services::engines::Search::Squad, move || {
                squad::optimize(&squad_input)
            })
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::validation("team_id", e.to_string()))?;
        let optimized = ratio(plan.coverage_score, plan.coverage_max);
        let mut moves = Vec::new();
        for party in &plan.parties {
            for member in &party.members {
                let before = party_of.get(&member.player).copied().unwrap_or_default();
                if usize::try_from(before).ok() != Some(party.party) {
                    moves.push(format!(
                        "{}: party {} → party {}",
                        member.player, before, party.party
                    ));
                }
            }
        }
        let suggestions: Vec<Value> = report
            .suggestions
            .iter()
            .take(SUGGESTIONS)
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect();
        let grade = commander::plan::grade::letter(coverage).to_owned();
        let optimized_grade = commander::plan::grade::letter(optimized).to_owned();
        let summary = match cx.lang {
            Lang::En => format!(
                "\u{201c}{}\u{201d} ({} players, {}): boon coverage {:.0} % (grade {}); placed by the squad optimizer {:.0} % (grade {}) with {} move(s).",
                team.name, players.len(), team.game_mode, coverage * 100.0, grade, optimized * 100.0, optimized_grade, moves.len()
            ),
            Lang::Fr => format!(
                "« {} » ({} joueurs, {}) : couverture d’avantages {:.0} % (note {}) ; placée par l’optimiseur d’escouade {:.0} % (note {}) avec {} déplacement(s).",
                team.name, players.len(), team.game_mode, coverage * 100.0, grade, optimized * 100.0, optimized_grade, moves.len()
            ),
        };
        Ok(TeamAdvice {
            team_id: team.id,
            name: team.name.clone(),
            game_mode: team.game_mode.clone(),
            players: players.len(),
            coverage,
            grade,
            optimized_coverage: optimized,
            optimized_grade,
            moves,
            suggestions,
            summary,
        })
    }
}

fn ratio(score: f64, max: f64) -> f64 {
    if max > 0.0 {
        (score / max).clamp(0.0, 1.0)
    } else {
        0.0
    }
}
