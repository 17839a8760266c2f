//! Saved builds: each player's private bookmarks of builds they analysed or imported (the
//! original client's "My Builds", `savedBuilds.service.ts`), in that client's shape. Only
//! the owner ever sees or deletes one; another user's id answers as if it did not exist.

use chrono::{DateTime, Utc};
use gw2::chatcode;
use gw2::data::GameData;
use gw2::model::GameMode;
use serde::{Deserialize, Serialize};
use store::saved_builds::{self as repo, SavedBuildData, SavedBuildRow};
use store::users::User;
use store::Db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};

/// The most saved builds one account keeps (so a list is one short answer, never paged).
pub const MAX_SAVED_BUILDS: i64 = 500;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_NOTES_CHARS: usize = 5_000;
pub const MAX_URL_CHARS: usize = 2_000;
/// The grades the synergy analysis gives (S best, C worst).
pub const SYNERGY_SCORES: [&str; 4] = ["S", "A", "B", "C"];

/// `SavedBuildCreatePayload` of the original client. Optional fields may be absent, `null`
/// or blank (all three mean "not given").
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SavedBuildCreate {
    /// 1 to 100 characters.
    pub name: String,
    /// A build template link (`[&DQ...]`); it must decode, and it fills `profession` and
    /// `specialization` when they are not given.
    #[serde(default)]
    pub chat_code: Option<String>,
    /// A profession name (`Guardian`).
    #[serde(default)]
    pub profession: Option<String>,
    /// A specialization of that profession (`Firebrand`).
    #[serde(default)]
    pub specialization: Option<String>,
    /// A game mode (`wvw`, `raid`, `fractals`...).
    #[serde(default)]
    pub game_mode: Option<String>,
    /// S, A, B or C.
    #[serde(default)]
    pub synergy_score: Option<String>,
    /// Where the build came from: an http or https URL.
    #[serde(default)]
    pub source_url: Option<String>,
    /// Up to 5,000 characters.
    #[serde(default)]
    pub notes: Option<String>,
}

/// `SavedBuild` of the original client.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SavedBuildOut {
    pub id: i64,
    pub user_id: Uuid,
    pub name: String,
    pub chat_code: Option<String>,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<String>,
    pub synergy_score: Option<String>,
    pub source_url: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<SavedBuildRow> for SavedBuildOut {
    fn from(row: SavedBuildRow) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            name: row.name,
            chat_code: row.chat_code,
            profession: row.profession,
            specialization: row.specialization,
            game_mode: row.game_mode,
            synergy_score: row.synergy_score,
            source_url: row.source_url,
            notes: row.notes,
            created_at: row.created_at,
        }
    }
}

/// The saved-builds service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct SavedBuilds {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
}

impl SavedBuilds {
    /// Validates and stores a saved build of `user` (409 past [`MAX_SAVED_BUILDS`]).
    pub async fn create(&self, user: &User, input: SavedBuildCreate) -> ApiResult<SavedBuildOut> {
        let data = validate(input, GameData::embedded())?;
        repo::create(&self.db, user.id, &data, MAX_SAVED_BUILDS, self.clock.now())
            .await?
            .map(SavedBuildOut::from)
            .ok_or_else(|| {
                ApiError::Conflict(format!(
                    "you already have {MAX_SAVED_BUILDS} saved builds, the most one account keeps; \
                     delete some before saving more"
                ))
            })
    }

    /// Every saved build of `user`, newest first.
    pub async fn list(&self, user: &User) -> ApiResult<Vec<SavedBuildOut>> {
        Ok(repo::list_of(&self.db, user.id)
            .await?
            .into_iter()
            .map(SavedBuildOut::from)
            .collect())
    }

    /// Deletes one of `user`'s saved builds; any other id (someone else's included) is 404.
    pub async fn delete(&self, user: &User, id: i64) -> ApiResult<()> {
        if repo::delete_owned(&self.db, id, user.id).await? {
            Ok(())
        } else {
            Err(ApiError::not_found("saved build"))
        }
    }
}

/// Trimmed; blank is `None`.
fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// What a chat code says about its build: the profession and the specialization lines.
struct CodeFacts {
    profession: String,
    /// The three lines' names, in order (empty lines left out).
    lines: Vec<String>,
    /// The elite line's name, if the build has one.
    elite: Option<String>,
}

fn read_code(code: &str, data: &GameData) -> ApiResult<CodeFacts> {
    let template = chatcode::decode(code, data)
        .map_err(|e| ApiError::validation("chat_code", format!("not a usable build code: {e}")))?;
    let profession = data
        .profession_by_code(template.profession.code)
        .map(|p| p.name.clone())
        .ok_or_else(|| ApiError::validation("chat_code", "the code's profession is unknown"))?;
    let mut lines = Vec::new();
    let mut elite = None;
    for line in template.specializations.iter().flatten() {
        let known = data.specialization_by_id(line.id).ok_or_else(|| {
            ApiError::validation("chat_code", "the code names an unknown specialization")
        })?;
        if known.elite {
            elite = Some(known.name.clone());
        }
        lines.push(known.name.clone());
    }
    Ok(CodeFacts {
        profession,
        lines,
        elite,
    })
}

/// The payload checked field by field (each refusal a 422 naming its field), with names
/// made canonical so the meta overview counts `firebrand` and `Firebrand` as one.
fn validate(input: SavedBuildCreate, data: &GameData) -> ApiResult<SavedBuildData> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::validation(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }

    let chat_code = given(input.chat_code);
    let code = chat_code
        .as_deref()
        .map(|c| read_code(c, data))
        .transpose()?;

    let mut profession = match given(input.profession) {
        None => None,
        Some(p) => Some(data.profession(&p).ok_or_else(|| {
            ApiError::validation("profession", format!("unknown profession {p:?}"))
        })?),
    };
    let specialization = match given(input.specialization) {
        None => None,
        Some(s) => {
            let spec = data.specialization_by_name(&s).ok_or_else(|| {
                ApiError::validation("specialization", format!("unknown specialization {s:?}"))
            })?;
            match &profession {
                Some(p) if p.id != spec.profession => {
                    return Err(ApiError::validation(
                        "specialization",
                        format!(
                            "{} is a {} specialization, not {}",
                            spec.name, spec.profession, p.name
                        ),
                    ));
                }
                Some(_) => {}
                // The specialization says whose it is.
                None => profession = data.profession(&spec.profession),
            }
            Some(spec.name.clone())
        }
    };
    let mut profession = profession.map(|p| p.name.clone());
    let mut specialization = specialization;
    if let Some(code) = code {
        match &profession {
            Some(p) if *p != code.profession => {
                return Err(ApiError::validation(
                    "profession",
                    format!("the chat code is a {} build, not {p}", code.profession),
                ));
            }
            _ => profession = Some(code.profession),
        }
        match &specialization {
            Some(s) if !code.lines.contains(s) => {
                return Err(ApiError::validation(
                    "specialization",
                    format!(
                        "the chat code's lines are {}, not {s}",
                        code.lines.join(", ")
                    ),
                ));
            }
            Some(_) => {}
            None => specialization = code.elite,
        }
    }

    let game_mode = given(input.game_mode)
        .map(|m| game_mode_of(&m))
        .transpose()?
        .map(|m| m.as_str().to_owned());

    let synergy_score = match given(input.synergy_score) {
        None => None,
        Some(s) => {
            let upper = s.to_ascii_uppercase();
            if !SYNERGY_SCORES.contains(&upper.as_str()) {
                return Err(ApiError::validation(
                    "synergy_score",
                    format!("must be one of {} (got {s:?})", SYNERGY_SCORES.join(", ")),
                ));
            }
            Some(upper)
        }
    };

    let source_url = given(input.source_url).map(|u| http_url(&u)).transpose()?;

    let notes = given(input.notes);
    if notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTES_CHARS)
    {
        return Err(ApiError::validation(
            "notes",
            format!("must be at most {MAX_NOTES_CHARS} characters"),
        ));
    }

    Ok(SavedBuildData {
        name: name.to_owned(),
        chat_code,
        profession,
        specialization,
        game_mode,
        synergy_score,
        source_url,
        notes,
    })
}

/// An absolute http or https URL with a host, in its normalized form (the client renders it
/// as a link, so no `javascript:` or `data:` URL is ever stored).
fn http_url(text: &str) -> ApiResult<String> {
    let refuse = |why: &str| ApiError::validation("source_url", why.to_owned());
    if text.chars().count() > MAX_URL_CHARS {
        return Err(refuse(&format!(
            "must be at most {MAX_URL_CHARS} characters"
        )));
    }
    let url = reqwest::Url::parse(text)
        .map_err(|e| refuse(&format!("must be an http:// or https:// URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("must be an http:// or https:// URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("must not carry a user name or password"));
    }
    Ok(url.to_string())
}

/// A saved build's game mode. The original client saves its analysis context there ("WvW Zerg
/// Firebrand support heal"), so besides a mode's name the text may be words: the WvW format the
/// Team Commander parser reads in them, else the first word naming a mode; else a 422.
fn game_mode_of(text: &str) -> ApiResult<GameMode> {
    if let Ok(mode) = text.parse::<GameMode>() {
        return Ok(mode);
    }
    if let Some(format) = commander::parse::parse(text).mode {
        return Ok(format.game_mode());
    }
    text.split(|c: char| !c.is_alphanumeric())
        .find_map(|word| word.parse::<GameMode>().ok())
        .map_or_else(|| crate::error::parse_named("game_mode", text), Ok)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_context_in_words_gives_its_game_mode() {
        assert_eq!(
            game_mode_of("WvW Zerg Firebrand support heal quickness stability").unwrap(),
            GameMode::WvwZerg
        );
        assert_eq!(game_mode_of("McM roaming").unwrap(), GameMode::WvwRoaming);
        assert_eq!(game_mode_of("raids, weekly").unwrap(), GameMode::Raid);
        assert_eq!(game_mode_of("wvw").unwrap(), GameMode::Wvw);
        let refused = game_mode_of("gardening").unwrap_err();
        assert!(refused.to_string().contains("game mode"), "{refused}");
    }

    use super::*;

    fn payload(name: &str) -> SavedBuildCreate {
        SavedBuildCreate {
            name: name.into(),
            chat_code: None,
            profession: None,
            specialization: None,
            game_mode: None,
            synergy_score: None,
            source_url: None,
            notes: None,
        }
    }

    #[test]
    fn urls_are_http_or_https_with_a_host() {
        assert_eq!(
            http_url("https://snowcrows.com/builds/x").unwrap(),
            "https://snowcrows.com/builds/x"
        );
        assert_eq!(
            http_url("HTTP://Example.com").unwrap(),
            "http://example.com/"
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://example.com/",
            "https://",
            "/relative/path",
            "https://user:pw@example.com/",
        ] {
            assert!(http_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn names_are_made_canonical() {
        let data = GameData::embedded();
        let mut input = payload("  Mine  ");
        input.specialization = Some("firebrand".into());
        input.synergy_score = Some("a".into());
        input.game_mode = Some("WvW".into());
        input.notes = Some("   ".into());
        let out = validate(input, data).unwrap();
        assert_eq!(out.name, "Mine");
        assert_eq!(out.profession.as_deref(), Some("Guardian"));
        assert_eq!(out.specialization.as_deref(), Some("Firebrand"));
        assert_eq!(out.synergy_score.as_deref(), Some("A"));
        assert_eq!(out.game_mode.as_deref(), Some("wvw"));
        assert_eq!(out.notes, None);
    }
}
