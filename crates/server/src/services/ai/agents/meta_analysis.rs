//! The meta of a game mode as stored data shows it (the meta overview's counts): which
//! professions and specializations players build, save and field, and what leads.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::services::ai::agent::{Agent, AgentError, Lang, RunContext};
use crate::services::meta::{Meta, MetaOverview};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MetaAnalysisInput {
    pub game_mode: String,
    /// Days counted back from now (1..=3650, default 30).
    #[serde(default)]
    pub days: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MetaAdvice {
    pub game_mode: String,
    #[schema(value_type = Object)]
    pub overview: MetaOverview,
    /// The leading specializations, most counted first.
    pub leaders: Vec<String>,
    pub summary: String,
}

pub struct MetaAnalysis {
    pub meta: Meta,
}

impl Agent for MetaAnalysis {
    type Input = MetaAnalysisInput;
    type Output = MetaAdvice;
    const NAME: &'static str = "meta_analysis";

    async fn run(
        &self,
        input: MetaAnalysisInput,
        cx: &RunContext,
    ) -> Result<MetaAdvice, AgentError> {
        let overview = self
            .meta
            .overview(&input.game_mode, input.days, None)
            .await?;
        let leaders: Vec<String> = overview
            .archetypes
            .iter()
            .take(3)
            .filter_map(|a| {
                let name = a.specialization.as_deref().or(a.profession.as_deref())?;
                Some(format!("{name} ({:.0} %)", a.frequency * 100.0))
            })
            .collect();
        let total = overview.raw_meta.entries;
        let summary = match (leaders.is_empty(), cx.lang) {
            (true, lang) => lang
                .pick(
                    "Nothing is stored for this mode in this period yet.",
                    "Rien n’est encore enregistré pour ce mode sur cette période.",
                )
                .to_owned(),
            (false, Lang::En) => format!(
                "{} entries counted in {}; leading: {}.",
                total,
                input.game_mode,
                leaders.join(", ")
            ),
            (false, Lang::Fr) => format!(
                "{} entrées comptées en {} ; en tête : {}.",
                total,
                input.game_mode,
                leaders.join(", ")
            ),
        };
        Ok(MetaAdvice {
            game_mode: input.game_mode,
            overview,
            leaders,
            summary,
        })
    }
}
