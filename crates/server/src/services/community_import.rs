//! Builds imported from community guide pages (Snowcrows, MetaBattle, Hardstuck style):
//! `gw2opt scrape URL...` and `POST /admin/import/builds`.
//!
//! Each page is fetched with the URL analysis' polite client ([`WebPages`]: robots.txt, one
//! request per second per host, its user agent, public addresses only, 2 MiB at most, a
//! ten-minute cache), read with a real HTML parser into a build ([`commander::guide`]:
//! the chat code decoded into traits and skills, the rest from the page's words), validated
//! like any build and stored with its page as `source_url`. A page imported again by the same
//! account updates its build (or leaves it when nothing changed) instead of adding another.
//!
//! Every URL gets its own answer — `imported` (created or updated), `skipped` (unchanged, or
//! listed twice) or `failed` with the reason (not a URL, refused by robots.txt, 404, too
//! large, no build on the page, a build the game data refuses...): one bad page never fails
//! the others, and never answers a 5xx.

use serde::{Deserialize, Serialize};
use store::users::User;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::services::builds::{BuildOut, Builds, ImportAction};
use crate::services::web_pages::WebPages;

/// Most URLs in one import: a host's pages are fetched a second apart, so ten prompt pages
/// stay well within the 30-second request timeout (the command line imports in batches).
pub const MAX_URLS: usize = 10;
/// Longest URL accepted.
const MAX_URL_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// A build was created or updated from the page.
    Imported,
    /// Nothing to do: the page gave the build already stored, or was listed twice.
    Skipped,
    /// The page gave no build; `detail` says why.
    Failed,
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// The URL as given.
    pub url: String,
    pub status: ImportStatus,
    /// The build made, updated or left as it was (absent when failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_id: Option<Uuid>,
    pub detail: String,
}

/// The import service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct CommunityImport {
    pub(crate) pages: WebPages,
    pub(crate) builds: Builds,
    /// Each import run is audited (an administrative action).
    pub(crate) audit: crate::services::audit::Audit,
}

impl CommunityImport {
    /// Imports the build of each page in `urls` for `owner`, in order. An empty list or more
    /// than [`MAX_URLS`] is a 422 on `urls`; everything else is answered per URL.
    pub async fn import(
        &self,
        owner: &User,
        urls: &[String],
        is_public: bool,
    ) -> ApiResult<Vec<ImportResult>> {
        if urls.is_empty() {
            return Err(ApiError::validation("urls", "give at least one URL"));
        }
        if urls.len() > MAX_URLS {
            return Err(ApiError::validation(
                "urls",
                format!("at most {MAX_URLS} URLs at once"),
            ));
        }
        let mut results: Vec<ImportResult> = Vec::with_capacity(urls.len());
        let mut seen: Vec<(String, Option<Uuid>)> = Vec::new();
        for url in urls {
            let result = match normalized(url) {
                Err(detail) => failed(url, detail),
                Ok(key) => match seen.iter().find(|(k, _)| *k == key) {
                    Some((_, build_id)) => ImportResult {
                        url: url.clone(),
                        status: ImportStatus::Skipped,
                        build_id: *build_id,
                        detail: "listed twice: imported once above".to_owned(),
                    },
                    None => {
                        let result = self.import_one(owner, url, &key, is_public).await;
                        seen.push((key, result.build_id));
                        result
                    }
                },
            };
            results.push(result);
        }
        let count = |status: ImportStatus| results.iter().filter(|r| r.status == status).count();
        self.audit
            .record(
                crate::services::audit::Event::new(crate::services::audit::Action::BuildsImported)
                    .by(owner)
                    .detail(serde_json::json!({
                        "urls": urls,
                        "is_public": is_public,
                        "imported": count(ImportStatus::Imported),
                        "skipped": count(ImportStatus::Skipped),
                        "failed": count(ImportStatus::Failed),
                    })),
            )
            .await;
        Ok(results)
    }

    async fn import_one(
        &self,
        owner: &User,
        url: &str,
        key: &str,
        is_public: bool,
    ) -> ImportResult {
        let page = match self.pages.fetch(key).await {
            Ok(page) => page,
            Err(e) => return failed(url, reason(e)),
        };
        let fallback_name = format!(
            "Build from {}",
            reqwest::Url::parse(key)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default()
        );
        // Parsing up to 2 MiB of HTML is CPU work: off the async executor.
        let parsed = tokio::task::spawn_blocking(move || {
            let guide = commander::guide::read(&page);
            guide
                .draft(&fallback_name, gw2::GameData::embedded())
                .map(|d| (guide, d))
        })
        .await;
        let (guide, drafted) = match parsed {
            Ok(Ok(parsed)) => parsed,
            Ok(Err(e)) => return failed(url, e.to_string()),
            Err(e) => {
                tracing::error!(error = %e, "reading a guide page failed");
                return failed(url, "the page could not be read".to_owned());
            }
        };
        let mut draft = drafted.draft;
        draft.is_public = is_public;
        match self.builds.upsert_from_source(owner, draft, key).await {
            Ok((build, action)) => {
                let (status, verb) = match action {
                    ImportAction::Created => (ImportStatus::Imported, "created"),
                    ImportAction::Updated => (ImportStatus::Imported, "updated"),
                    ImportAction::Unchanged => {
                        (ImportStatus::Skipped, "unchanged since the last import")
                    }
                };
                let mut detail = format!("{verb}: {}", summary(&build, &guide));
                for note in drafted.notes {
                    detail.push_str("; ");
                    detail.push_str(&note);
                }
                ImportResult {
                    url: url.to_owned(),
                    status,
                    build_id: Some(build.id),
                    detail,
                }
            }
            Err(ApiError::Validation { field, message }) => failed(
                url,
                format!("the page's build is not valid: {field}: {message}"),
            ),
            Err(e) => {
                tracing::error!(error = %e, "storing an imported build failed");
                failed(url, "the build could not be stored".to_owned())
            }
        }
    }
}

fn failed(url: &str, detail: String) -> ImportResult {
    ImportResult {
        url: url.to_owned(),
        status: ImportStatus::Failed,
        build_id: None,
        detail,
    }
}

/// Why a page could not be fetched, in the client's words (its 422s name the URL's fault;
/// anything else is ours and is logged, not shown).
fn reason(e: ApiError) -> String {
    match e {
        ApiError::Validation { message, .. } => message,
        other => {
            tracing::error!(error = %other, "fetching a guide page failed");
            "the page could not be fetched".to_owned()
        }
    }
}

/// The URL a page is known by: parsed, without its fragment (`#gear` is the same page).
fn normalized(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    if trimmed.chars().count() > MAX_URL_CHARS {
        return Err(format!("the URL is longer than {MAX_URL_CHARS} characters"));
    }
    let mut parsed = reqwest::Url::parse(trimmed).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("only http and https pages can be imported".to_owned());
    }
    parsed.set_fragment(None);
    Ok(parsed.to_string())
}

/// "Guardian Firebrand, wvw_zerg, support; traits and skills from the chat code; gear: 14
/// slots, Superior Rune of the Monk, 2 sigils"
fn summary(build: &BuildOut, guide: &commander::guide::Guide) -> String {
    let b = &build.build;
    let class = match &b.specialization {
        Some(spec) => format!("{} {spec}", b.profession),
        None => format!("core {}", b.profession),
    };
    let mut text = format!("{class}, {}, {}", b.game_mode.as_str(), b.role.as_str());
    if guide.chat_code.is_some() {
        text.push_str("; traits and skills from the chat code");
    }
    let e = &b.equipment;
    let mut gear = Vec::new();
    if !e.gear.is_empty() {
        gear.push(format!("{} slots", e.gear.len()));
    }
    if let Some(runes) = &e.runes {
        gear.push(runes.clone());
    }
    if !e.sigils.is_empty() {
        gear.push(format!("{} sigils", e.sigils.len()));
    }
    if let Some(relic) = &e.relic {
        gear.push(relic.clone());
    }
    if gear.is_empty() {
        text.push_str("; no gear stated");
    } else {
        text.push_str(&format!("; gear: {}", gear.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_known_without_its_fragment() {
        assert_eq!(
            normalized(" https://Example.com/guides/fb#gear ").as_deref(),
            Ok("https://example.com/guides/fb")
        );
        assert!(normalized("ftp://example.com/x").is_err());
        assert!(normalized("not a url")
            .unwrap_err()
            .starts_with("not a URL"));
        assert!(normalized(&format!("https://e.com/{}", "a".repeat(2_000))).is_err());
    }
}
