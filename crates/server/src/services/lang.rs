//! The product's two languages: [`gw2::lang::Lang`], with the game model so the engines that
//! write words take the same type the API and the chat read.

pub use gw2::lang::Lang;

/// The language an `Accept-Language` header asks for first (fr or en; English otherwise).
pub fn of_headers(headers: &axum::http::HeaderMap) -> Lang {
    Lang::parse(
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next()),
    )
}
