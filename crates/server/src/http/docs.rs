//! The OpenAPI document and a self-contained page that renders it for people. The page has
//! no external scripts or stylesheets, so it works offline and behind strict firewalls.

use axum::http::header;
use axum::response::{Html, IntoResponse};

pub async fn docs_page() -> Html<&'static str> {
    Html(include_str!("docs.html"))
}

/// Serves the pre-serialized document (built once at start-up).
pub fn openapi_json(
    document: bytes::Bytes,
) -> impl Fn() -> std::future::Ready<axum::response::Response> + Clone {
    move || {
        std::future::ready(
            (
                [(header::CONTENT_TYPE, "application/json")],
                document.clone(),
            )
                .into_response(),
        )
    }
}
