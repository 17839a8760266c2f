//! Request extractors that answer bad input in the API's error shape, for every route:
//! - malformed JSON is a 400; a JSON document of the wrong shape a 422 naming the field
//!   (the path comes from serde_path_to_error, not from a framework's English message);
//! - a field the endpoint does not know is a 422 naming it (serde_ignored sees every key
//!   the target type skipped), so `{"build_ids": [...]}` sent to a route expecting `slots`
//!   is an error, not a silently empty team;
//! - every string (JSON values and keys, query and form parameters, path segments) passes
//!   the one text policy of [`crate::text`] first;
//! - a missing or wrong content type is a 415, an oversized body a 413.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};
use crate::text;

/// A JSON body checked by [`decode_json`]; as a response, `application/json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match crate::json_body::JsonBody::of(&self.0) {
            Ok(body) => body.into_response(),
            Err(err) => err.into_response(),
        }
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !has_content_type(req.headers(), is_json_mime) {
            return Err(ApiError::UnsupportedMediaType(
                "expected a request with `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        decode_json(&bytes).map(Json)
    }
}

/// A query string checked by the text policy, then deserialized (422 naming the parameter).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        decode_urlencoded(query.as_bytes(), "query").map(Query)
    }
}

/// An `application/x-www-form-urlencoded` body checked like a query string.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !has_content_type(req.headers(), |m| {
            m.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        }) {
            return Err(ApiError::UnsupportedMediaType(
                "expected `Content-Type: application/x-www-form-urlencoded`".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        decode_urlencoded(&bytes, "body").map(Form)
    }
}

/// `axum::extract::Path` whose raw segments pass the text policy first.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Ok(raw) = RawPathParams::from_request_parts(parts, state).await {
            for (name, value) in &raw {
                text::check(name, value)?;
            }
            // Most routes take one parameter (`{id}`): read it as `T` straight from its text,
            // without axum's path deserializer (which collects the parameters again and goes
            // through serde's map machinery, ~400 instructions a request). Whatever `T` does
            // not take from a lone string (a tuple, a struct, a number) goes the usual way,
            // which also gives the usual error.
            let mut params = raw.iter();
            if let (Some((_, value)), None) = (params.next(), params.next()) {
                let text =
                    serde::de::value::BorrowedStrDeserializer::<serde::de::value::Error>::new(
                        value,
                    );
                if let Ok(value) = T::deserialize(text) {
                    return Ok(Path(value));
                }
            }
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(path_error)
    }
}

/// For partial updates: tells a field sent as `null` (`Some(None)`: clear it) from a field
/// not sent (`None` via `#[serde(default)]`: keep it).
pub fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Parses a JSON body: syntax errors are 400, then the text policy, unknown fields and the
/// target type's shape are 422 naming the field.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON body: {e}")))?;
    from_value(value)
}

/// Turns an already parsed JSON document into `T` under the same rules as [`Json`] (for
/// handlers that look at the document before choosing its type).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> ApiResult<T> {
    text::check_json(&value)?;
    let mut unknown: Option<String> = None;
    let mut note_unknown = |path: serde_ignored::Path<'_>| {
        if unknown.is_none() {
            unknown = Some(render_ignored(&path));
        }
    };
    let result: Result<T, _> = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        value,
        &mut note_unknown,
    ));
    let decoded = result.map_err(|e| field_error(&e.path().to_string(), &e.inner().to_string()))?;
    if let Some(field) = unknown {
        return Err(ApiError::validation(
            field.clone(),
            format!(
                "unknown field `{}`: this endpoint does not accept it",
                last_segment(&field)
            ),
        ));
    }
    Ok(decoded)
}

pub(crate) fn decode_urlencoded<T: DeserializeOwned>(bytes: &[u8], root: &str) -> ApiResult<T> {
    let pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = form_urlencoded::parse(bytes).collect();
    text::check_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de).map_err(|e| {
        match field_error(&e.path().to_string(), &e.inner().to_string()) {
            ApiError::Validation { field, message } if field == "body" => ApiError::Validation {
                field: root.to_owned(),
                message,
            },
            other => other,
        }
    })
}

/// A serde error at `path` as a 422: a missing field is named by its own path.
fn field_error(path: &str, message: &str) -> ApiError {
    let at_root = path.is_empty() || path == ".";
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if at_root {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return ApiError::validation(field, format!("missing field `{name}`"));
    }
    ApiError::validation(if at_root { "body" } else { path }, message)
}

/// serde_ignored's path in serde_path_to_error's notation (`slots[0].build_ids`).
fn render_ignored(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", render_ignored(parent)),
        P::Map { parent, key } => {
            let parent = render_ignored(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            render_ignored(parent)
        }
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn has_content_type(headers: &HeaderMap, accept: impl Fn(&str) -> bool) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim())
        .is_some_and(accept)
}

fn is_json_mime(mime: &str) -> bool {
    let mime = mime.to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn body_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("request body is larger than this endpoint accepts".into())
    } else {
        ApiError::BadRequest(format!(
            "could not read the request body: {}",
            rejection.body_text()
        ))
    }
}

fn path_error(rejection: PathRejection) -> ApiError {
    match rejection.status() {
        StatusCode::INTERNAL_SERVER_ERROR => ApiError::Internal(rejection.body_text()),
        _ => {
            let text = rejection.body_text();
            let detail = text.split_once(": ").map(|(_, rest)| rest).unwrap_or(&text);
            ApiError::validation("path", detail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[tokio::test]
    async fn path_parameters_are_read_alone_or_together_with_the_usual_errors() {
        use axum::routing::get;
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route(
                "/one/{id}",
                get(|Path(id): Path<uuid::Uuid>| async move { id.to_string() }),
            )
            .route(
                "/num/{n}",
                get(|Path(n): Path<u32>| async move { (n + 1).to_string() }),
            )
            .route(
                "/two/{a}/{b}",
                get(|Path((a, b)): Path<(String, u32)>| async move { format!("{a}+{b}") }),
            );
        let call = |uri: &str| {
            let request = Request::get(uri).body(axum::body::Body::empty()).unwrap();
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await.unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), 1 << 16)
                    .await
                    .unwrap();
                (status, String::from_utf8(body.to_vec()).unwrap())
            }
        };
        let id = "3f1e9c4a-5b7d-4e2f-9a1b-0c2d3e4f5a6b";
        assert_eq!(
            call(&format!("/one/{id}")).await,
            (StatusCode::OK, id.into())
        );
        assert_eq!(call("/num/41").await, (StatusCode::OK, "42".into()));
        assert_eq!(call("/two/sb/7").await, (StatusCode::OK, "sb+7".into()));
        let (status, body) = call("/one/not-a-uuid").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("UUID parsing failed"), "{body}");
        let (status, body) = call("/one/%01").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("control character"), "{body}");
        let (status, _) = call("/num/x").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Slot {
        party: u32,
        player_name: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Team {
        name: String,
        #[serde(default)]
        slots: Vec<Slot>,
    }

    fn validation(err: ApiError) -> (String, String) {
        match err {
            ApiError::Validation { field, message } => (field, message),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_named_at_any_depth() {
        let err =
            decode_json::<Team>(br#"{"name": "a", "build_ids": [1], "team_size": 5}"#).unwrap_err();
        let (field, message) = validation(err);
        assert_eq!(field, "build_ids");
        assert!(message.contains("unknown field `build_ids`"), "{message}");
        let err = decode_json::<Team>(
            br#"{"name": "a", "slots": [{"party": 1}, {"party": 2, "role": "x"}]}"#,
        )
        .unwrap_err();
        assert_eq!(validation(err).0, "slots[1].role");
    }

    #[test]
    fn shape_errors_name_the_field_and_syntax_errors_are_400() {
        let (field, message) = validation(decode_json::<Team>(br#"{"slots": []}"#).unwrap_err());
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("name", "missing field `name`")
        );
        let (field, _) = validation(
            decode_json::<Team>(br#"{"name": "a", "slots": [{"party": "one"}]}"#).unwrap_err(),
        );
        assert_eq!(field, "slots[0].party");
        let (field, _) =
            validation(decode_json::<Team>(br#"{"name": "a", "slots": [{}]}"#).unwrap_err());
        assert_eq!(field, "slots[0].party");
        assert!(matches!(
            decode_json::<Team>(b"{\"name\": "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(decode_json::<Team>(
            br#"{"name": "a", "slots": [{"party": 1, "player_name": null}]}"#
        )
        .is_ok());
    }

    #[test]
    fn text_policy_runs_before_the_type() {
        let (field, message) =
            validation(decode_json::<Team>(b"{\"name\": \"a\\u0000b\"}").unwrap_err());
        assert_eq!(field, "name");
        assert!(message.contains("U+0000"), "{message}");
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct ListQuery {
        tag: Option<String>,
        limit: Option<u32>,
    }

    #[test]
    fn query_strings_pass_the_text_policy_and_name_the_parameter() {
        let q: ListQuery = decode_urlencoded(b"tag=zerg&limit=5", "query").unwrap();
        assert_eq!((q.tag.as_deref(), q.limit), (Some("zerg"), Some(5)));
        let (field, _) =
            validation(decode_urlencoded::<ListQuery>(b"tag=a%00b", "query").unwrap_err());
        assert_eq!(field, "tag");
        let (field, _) =
            validation(decode_urlencoded::<ListQuery>(b"limit=many", "query").unwrap_err());
        assert_eq!(field, "limit");
        // Unknown query parameters stay allowed (cache busters, tracking parameters).
        assert!(decode_urlencoded::<ListQuery>(b"_=123", "query").is_ok());
    }
}
