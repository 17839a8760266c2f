//! Team Commander: a squad from one sentence (`commander` crate: parse, plan, equip, grade),
//! run on the optimizer engines' threads under the caller's engine slot.

use commander::plan::{self, answer::SquadAnswer, Overrides};
use commander::request::{Experience, Span, SquadRequest, Understood, WvwMode};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::services::engines::{Caller, Engines};
use crate::services::lang::Lang;
use crate::services::learning::WeightedBy;

/// Longest request accepted (a sentence or a short paragraph).
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// What the request was read as: the parts understood (with the spans of the message they
/// came from) and those that were not.
#[derive(Debug, Clone, Serialize)]
pub struct ParseOut {
    pub understood: Vec<Understood>,
    pub not_understood: Vec<Span>,
    pub request: SquadRequest,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommandOut {
    #[serde(flatten)]
    pub answer: SquadAnswer,
    pub parse: ParseOut,
    /// Parts of the message that were not understood, said in words.
    pub warnings: Vec<String>,
    /// The learned model that weighted the format's needs (`learned_weights: true` and a
    /// selected fight-outcome model), with its factors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_by: Option<WeightedBy>,
}

/// The API's `mode` field: `wvw_zerg`, `wvw_outnumber`, `wvw_roam` (the original client's
/// values) and `wvw_guild_raid`; the `wvw_` prefix is optional.
pub fn parse_mode(value: &str) -> ApiResult<WvwMode> {
    use gw2::model::GameMode;
    // One table of names for the formats: the game mode's (with a commander's words).
    let format = match value.parse::<GameMode>() {
        Ok(GameMode::WvwZerg) => Some(WvwMode::Zerg),
        Ok(GameMode::WvwOutnumbered) => Some(WvwMode::Outnumbered),
        Ok(GameMode::WvwRoaming) => Some(WvwMode::Roaming),
        Ok(GameMode::WvwGuildRaid) => Some(WvwMode::GuildRaid),
        _ => None,
    };
    format.ok_or_else(|| {
        ApiError::validation(
            "mode",
            format!(
                "unknown mode {value:?} (wvw_zerg | wvw_outnumber | wvw_roam | wvw_guild_raid)"
            ),
        )
    })
}

pub fn parse_experience(value: &str) -> ApiResult<Experience> {
    match value.trim().to_ascii_lowercase().as_str() {
        "beginner" => Ok(Experience::Beginner),
        "intermediate" => Ok(Experience::Intermediate),
        "expert" => Ok(Experience::Expert),
        _ => Err(ApiError::validation(
            "experience",
            format!("unknown experience {value:?} (beginner | intermediate | expert)"),
        )),
    }
}

/// Runs `work` on the optimizer engines' threads under `caller`'s slot (429/503 when none is
/// free), as the other optimizers do.
async fn on_engines<T, F>(engines: &Engines, caller: Caller, work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> ApiResult<T> + Send + 'static,
{
    engines
        .acquire(caller)?
        .run(crate::services::engines::Search::Commander, work)
        .await
        .map_err(|e| ApiError::internal(format!("engine task failed: {e}")))?
}

impl From<plan::PlanError> for ApiError {
    fn from(e: plan::PlanError) -> Self {
        if e.field == "engine" {
            ApiError::internal(e.message)
        } else {
            ApiError::validation(e.field, e.message)
        }
    }
}

/// Reads and plans `message` for `caller`. Bad requests are 422 naming what could not be
/// honoured; a busy engine is 429/503 like the other optimizers.
pub async fn command(
    engines: &Engines,
    caller: Caller,
    message: String,
    overrides: Overrides,
) -> ApiResult<CommandOut> {
    let text = message.trim();
    if text.is_empty() {
        return Err(ApiError::validation("message", "must not be empty"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::validation(
            "message",
            format!("must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let message = text.to_owned();
    on_engines(engines, caller, move || {
        let request = commander::parse::parse(&message);
        let lang = overrides.lang;
        let answer = plan::plan(&request, overrides)?;
        let warnings = request
            .not_understood
            .iter()
            .map(|s| match lang {
                Lang::En => format!("not understood: {:?}", s.text),
                Lang::Fr => format!("non compris : « {} »", s.text),
            })
            .collect();
        Ok(CommandOut {
            answer,
            parse: ParseOut {
                understood: request.understood.clone(),
                not_understood: request.not_understood.clone(),
                request,
            },
            warnings,
            weighted_by: None,
        })
    })
    .await
}

/// Analyzes one build (`POST /ai/analyze/build-full`) on the engines' threads.
pub async fn analyze_build(
    engines: &Engines,
    caller: Caller,
    specialization_id: Option<u16>,
    trait_ids: Vec<u32>,
    skill_ids: Vec<u32>,
    context: String,
) -> ApiResult<commander::analyze::BuildAnalysis> {
    check_context(&context)?;
    if trait_ids.len() > 64 || skill_ids.len() > 64 {
        return Err(ApiError::validation(
            "trait_ids",
            "at most 64 trait and 64 skill ids",
        ));
    }
    on_engines(engines, caller, move || {
        commander::analyze::analyze_build(specialization_id, &trait_ids, &skill_ids, &context)
            .map_err(ApiError::from)
    })
    .await
}

/// Analyzes one skill (`POST /ai/analyze/skill`) on the engines' threads.
pub async fn analyze_skill(
    engines: &Engines,
    caller: Caller,
    skill_id: u32,
    context: String,
) -> ApiResult<commander::analyze::SkillAnalysis> {
    check_context(&context)?;
    on_engines(engines, caller, move || {
        commander::analyze::analyze_skill(skill_id, &context).map_err(ApiError::from)
    })
    .await
}

fn check_context(context: &str) -> ApiResult<()> {
    if context.chars().count() > 200 {
        return Err(ApiError::validation(
            "context",
            "must be at most 200 characters",
        ));
    }
    Ok(())
}

/// What `/ai/analyze/url` read on the page.
#[derive(Debug, Clone, Serialize)]
pub struct UrlSource {
    pub url: String,
    pub name: Option<String>,
    pub context: Option<String>,
    pub chat_code: Option<String>,
    pub stats_text: Option<String>,
    pub runes_text: Option<String>,
}

/// The page's chat code, decoded to ids.
#[derive(Debug, Clone, Serialize)]
pub struct UrlDecoded {
    pub profession: String,
    pub specialization_id: Option<u16>,
    pub trait_ids: Vec<u32>,
    pub skill_ids: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlAnalysis {
    pub source: UrlSource,
    pub decoded: UrlDecoded,
    pub analysis: commander::analyze::BuildAnalysis,
}

/// Fetches a build page politely, finds its chat code and gear text, decodes and analyzes it.
pub async fn analyze_url(
    engines: &Engines,
    pages: &crate::services::web_pages::WebPages,
    caller: Caller,
    url: String,
    context: String,
) -> ApiResult<UrlAnalysis> {
    check_context(&context)?;
    if url.chars().count() > 2_000 {
        return Err(ApiError::validation(
            "url",
            "must be at most 2000 characters",
        ));
    }
    let page = pages.fetch(&url).await?;
    on_engines(engines, caller, move || {
        let facts = commander::page::extract(&page);
        let code = facts.chat_code.clone().ok_or_else(|| {
            ApiError::validation("url", "no build chat code ([&DQ...]) on the page")
        })?;
        let data = gw2::GameData::embedded();
        let template = gw2::chatcode::decode(&code, data)
            .map_err(|e| ApiError::validation("url", format!("the page's chat code: {e}")))?;
        let lines: Vec<_> = template.specializations.iter().flatten().collect();
        let specialization_id = lines
            .iter()
            .find(|s| s.elite)
            .or(lines.last())
            .map(|s| s.id);
        let trait_ids = lines
            .iter()
            .flat_map(|s| s.traits.iter().flatten().map(|t| t.id))
            .collect::<Vec<u32>>();
        let bar = &template.skills.land;
        let skill_ids = std::iter::once(&bar.heal)
            .chain(bar.utilities.iter())
            .chain(std::iter::once(&bar.elite))
            .flatten()
            .filter_map(|p| p.skill_id)
            .collect::<Vec<u32>>();
        let analysis =
            commander::analyze::analyze_build(specialization_id, &trait_ids, &skill_ids, &context)?;
        Ok(UrlAnalysis {
            source: UrlSource {
                url,
                name: facts.name,
                context: facts.context,
                chat_code: Some(code),
                stats_text: facts.stats_text,
                runes_text: facts.runes_text,
            },
            decoded: UrlDecoded {
                profession: template.profession.name.clone(),
                specialization_id,
                trait_ids,
                skill_ids,
            },
            analysis,
        })
    })
    .await
}
