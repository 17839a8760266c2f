//! `/api/v1/game/data`: the game data the web client caches (see
//! [`crate::services::game_data`]).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::web::{etag, none_match};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Query;
use crate::services::game_data::{self, GameDataOut, Lang};

/// How long a client may use its copy before asking again (then usually answered 304).
pub const CACHE_CONTROL: &str = "public, max-age=3600";

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GameDataQuery {
    /// `en` (default) or `fr`.
    #[serde(default)]
    #[param(inline)]
    pub lang: Lang,
}

/// Professions, specializations, traits, skills, legends, pets and stat prefixes of the
/// embedded game data in one document, for the web client to cache. With `lang=fr`,
/// profession and elite specialization names are the French game client's; other names stay
/// English (`name_languages` says which). `Cache-Control: public, max-age=3600` and an `ETag`
/// (`If-None-Match` → 304).
#[utoipa::path(get, path = "/api/v1/game/data", tag = "game", params(GameDataQuery),
    responses(
        (status = 200, body = GameDataOut, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "the copy named by `If-None-Match` is current"),
        (status = 422, body = ErrorBody)))]
pub async fn data(Query(query): Query<GameDataQuery>, headers: HeaderMap) -> ApiResult<Response> {
    let document = game_data::document(query.lang).map_err(ApiError::internal)?;
    // Weak: the compression layer may encode the bytes, which leaves their meaning alone.
    let tag = etag(&document.sha256, true);
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
        (header::ETAG, tag.clone()),
    ];
    if none_match(&headers, &tag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        document.json.clone(),
    )
        .into_response())
}
