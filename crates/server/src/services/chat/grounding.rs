//! What a chat answer is grounded in: the engines' results for the user's message, as facts
//! the language model must use (and only use for numbers), and the same results rendered as a
//! text that is the answer when no model is available.
//!
//! [`Grounding`] is the seam the chat service depends on. [`EngineGrounding`] tells the
//! questions apart: a build question goes to the adviser's recommender (stored builds, votes,
//! engine DPS, benchmark rotations), a squad request to Team Commander, anything else gets a
//! short help answer listing what the adviser can do.

use async_trait::async_trait;
use commander::plan::Overrides;
use commander::request::SquadRequest;
use serde::Serialize;
use store::users::User;
use utoipa::ToSchema;

use super::lang::Lang;
use super::render;
use crate::error::ApiError;
use crate::services::ai::agent::{run_agent, RunContext};
use crate::services::ai::agents::recommender::{RecommendInput, Recommender};
use crate::services::commander::{self as team_commander, MAX_MESSAGE_CHARS};
use crate::services::engines::{Caller, Engines};
use commander::request::{Wanted, WvwMode};
use std::sync::Arc;

/// One thing the engines established, with where it comes from (`team_commander`,
/// `adviser`...). The model may rephrase it but must keep its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Fact {
    pub source: String,
    pub text: String,
}

impl Fact {
    pub fn new(source: &str, text: impl Into<String>) -> Self {
        Self {
            source: source.to_owned(),
            text: text.into(),
        }
    }
}

/// The facts for the model's system prompt, and the answer to give without a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grounded {
    pub facts: Vec<Fact>,
    pub fallback_answer: String,
}

#[async_trait]
pub trait Grounding: Send + Sync {
    async fn ground(&self, user: &User, message: &str, lang: Lang) -> Grounded;
}

/// Team Commander for squad requests, the adviser's recommender for a build question, a
/// help answer otherwise.
pub struct EngineGrounding {
    engines: Engines,
    recommender: Option<Arc<Recommender>>,
}

impl EngineGrounding {
    pub fn new(engines: Engines) -> Self {
        Self {
            engines,
            recommender: None,
        }
    }

    /// Answers build questions ("best Firebrand build for zerg?") from the recommender.
    pub fn with_recommender(mut self, recommender: Arc<Recommender>) -> Self {
        self.recommender = Some(recommender);
        self
    }
}

/// Words that make a message a build question (with one class named in it).
const BUILD_WORDS: [&str; 6] = [
    "build",
    "builds",
    "stuff",
    "equipment",
    "équipement",
    "gear",
];

/// A build question: a build word and exactly one specialization or profession named
/// ("what is the best Firebrand build for zerg?", « quel build pour un gardien en McM ? »);
/// the class, and the WvW format when the message names one.
pub fn build_question(message: &str) -> Option<(Wanted, Option<WvwMode>)> {
    let lower = message.to_lowercase();
    let asks_build = lower
        .split(|c: char| !c.is_alphanumeric() && c != 'é')
        .any(|w| BUILD_WORDS.contains(&w));
    if !asks_build || message.chars().count() > MAX_MESSAGE_CHARS {
        return None;
    }
    let request = commander::parse::parse(message);
    let mut classes = request.demands.iter().filter_map(|d| match &d.wanted {
        w @ (Wanted::Specialization { .. } | Wanted::Profession { .. }) => Some(w.clone()),
        Wanted::Duty { .. } => None,
    });
    let first = classes.next()?;
    classes.next().is_none().then_some((first, request.mode))
}

/// How Team Commander's reader sees a message.
pub enum Reading {
    /// A squad request with every part understood.
    Squad(SquadRequest),
    /// Not a squad request, or one with parts the reader could not place (listed).
    Other { not_understood: Vec<String> },
}

/// A message is a squad request when Team Commander's reader finds something to plan (a
/// count of classes or duties, groups, players or a WvW format) and nothing it could not read:
/// "2 groupes de 5 avec Firebrand et Scrapper" is one; "what is the best Firebrand build?"
/// is not ("what", "best" mean nothing to it).
pub fn read(message: &str) -> Reading {
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Reading::Other {
            not_understood: Vec::new(),
        };
    }
    let request = commander::parse::parse(message);
    let asks = !request.demands.is_empty()
        || request.groups.is_some()
        || request.players.is_some()
        || request.mode.is_some();
    let unread: Vec<String> = request
        .not_understood
        .iter()
        .chain(&request.unknown_names)
        .map(|s| s.text.clone())
        .collect();
    if asks && unread.is_empty() {
        Reading::Squad(request)
    } else {
        Reading::Other {
            not_understood: if asks { unread } else { Vec::new() },
        }
    }
}

#[async_trait]
impl Grounding for EngineGrounding {
    async fn ground(&self, user: &User, message: &str, lang: Lang) -> Grounded {
        if let (Some(recommender), Some((wanted, mode))) =
            (&self.recommender, build_question(message))
        {
            let (profession, specialization) = match wanted {
                Wanted::Specialization {
                    profession,
                    specialization,
                } => (Some(profession), Some(specialization)),
                Wanted::Profession { profession } => (Some(profession), None),
                Wanted::Duty { .. } => (None, None),
            };
            let input = RecommendInput {
                game_mode: mode.map_or("wvw", |m| m.game_mode().as_str()).to_owned(),
                profession,
                specialization,
                role: None,
                limit: Some(3),
            };
            let cx = RunContext::new(Some(user.clone()), Caller::User(user.id), lang);
            match run_agent(recommender.as_ref(), input, &cx).await {
                Ok(answer) => return render::recommendation(&answer, lang),
                Err(error) => {
                    tracing::warn!(error = %error, "chat: the recommender did not answer");
                }
            }
        }
        match read(message) {
            Reading::Other { not_understood } => render::help(lang, &not_understood),
            Reading::Squad(_) => {
                let planned = team_commander::command(
                    &self.engines,
                    Caller::User(user.id),
                    message.to_owned(),
                    Overrides {
                        lang,
                        ..Overrides::default()
                    },
                )
                .await;
                match planned {
                    Ok(out) => render::squad(&out.answer, lang),
                    Err(ApiError::Validation { message, .. }) => render::refused(&message, lang),
                    Err(error) => {
                        tracing::warn!(error = %error, "chat: Team Commander did not run");
                        render::engines_busy(lang)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squad_requests_are_told_from_other_messages() {
        for squad in [
            "Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg",
            "2 groups of 5 with a Firebrand and a Scrapper",
            "roaming à 3",
        ] {
            assert!(matches!(read(squad), Reading::Squad(_)), "{squad}");
        }
        for other in ["hello", "bonjour", "What is the best Firebrand build?"] {
            assert!(matches!(read(other), Reading::Other { .. }), "{other}");
        }
        match read("2 Blorps et 3 Firebrands") {
            Reading::Other { not_understood } => assert_eq!(not_understood, ["Blorps"]),
            Reading::Squad(_) => panic!("an unknown class is not a plannable request"),
        }
    }
}
