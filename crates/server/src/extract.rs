//! Request extractors that answer bad input in the API's error shape: malformed JSON is a
//! 400, a JSON document of the wrong shape a 422 naming the field, a missing or wrong
//! content type a 415, an oversized body a 413.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// `axum::Json` with our rejections.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with our rejections.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with our rejections.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `axum::Form` with our rejections.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Form), rejection(ApiError))]
pub struct Form<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let text = rejection.body_text();
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(
                "request body is larger than this endpoint accepts".into(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(
                "expected a request with `Content-Type: application/json`".into(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY => {
                let inner = text
                    .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                    .unwrap_or(&text);
                let (field, message) = split_serde_path(inner);
                ApiError::Validation { field, message }
            }
            _ => ApiError::BadRequest(format!("malformed JSON body: {}", strip_axum_prefix(&text))),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        let text = rejection.body_text();
        let inner = text
            .strip_prefix("Failed to deserialize query string: ")
            .unwrap_or(&text);
        let (field, message) = split_serde_path(inner);
        ApiError::Validation {
            field: if field == "body" {
                "query".into()
            } else {
                field
            },
            message,
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        match rejection.status() {
            StatusCode::INTERNAL_SERVER_ERROR => ApiError::Internal(rejection.body_text()),
            _ => ApiError::validation("path", strip_axum_prefix(&rejection.body_text())),
        }
    }
}

impl From<FormRejection> for ApiError {
    fn from(rejection: FormRejection) -> Self {
        let text = rejection.body_text();
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(
                "request body is larger than this endpoint accepts".into(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(
                "expected `Content-Type: application/x-www-form-urlencoded`".into(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
                let inner = text
                    .strip_prefix("Failed to deserialize form body: ")
                    .unwrap_or(&text);
                let (field, message) = split_serde_path(inner);
                ApiError::Validation { field, message }
            }
            _ => ApiError::BadRequest(text),
        }
    }
}

fn strip_axum_prefix(text: &str) -> String {
    text.split_once(": ")
        .map(|(_, rest)| rest)
        .unwrap_or(text)
        .to_owned()
}

/// serde_path_to_error renders `path.to.field: message`; a missing field at the root is
/// rendered as "missing field `name`". Returns (field, message), field `body` when unknown.
fn split_serde_path(text: &str) -> (String, String) {
    if let Some(rest) = text.find("missing field `").map(|i| &text[i + 15..]) {
        if let Some(end) = rest.find('`') {
            let prefix = text
                .split_once(": missing field")
                .map(|(p, _)| p)
                .filter(|p| !p.contains(' '));
            let name = &rest[..end];
            let field = match prefix {
                Some(p) => format!("{p}.{name}"),
                None => name.to_owned(),
            };
            return (field, format!("missing field `{name}`"));
        }
    }
    match text.split_once(": ") {
        Some((path, message)) if !path.contains(' ') && !path.is_empty() => {
            (path.to_owned(), message.to_owned())
        }
        _ => ("body".to_owned(), text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::split_serde_path;

    #[test]
    fn field_paths_are_extracted() {
        assert_eq!(
            split_serde_path("missing field `email` at line 1 column 2"),
            ("email".into(), "missing field `email`".into())
        );
        assert_eq!(
            split_serde_path(
                "skills.heal: invalid type: string \"x\", expected u32 at line 1 column 20"
            ),
            (
                "skills.heal".into(),
                "invalid type: string \"x\", expected u32 at line 1 column 20".into()
            )
        );
        assert_eq!(
            split_serde_path("trailing characters"),
            ("body".into(), "trailing characters".into())
        );
    }
}
