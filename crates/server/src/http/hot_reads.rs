//! The reads every page load makes (a build, a team, the caller's account, a page of builds,
//! `/health`), dispatched to their handlers without going through axum's router.
//!
//! Why: for a route with a parameter, axum's router costs more than the cached read behind
//! it. It matches the path, then percent-decodes each parameter into a shared string, copies
//! its name into another, collects them into a vector and stores that in the request's
//! extensions (~1,600 instructions for `/api/v1/builds/{id}`, callgrind), and the body-limit
//! layer stores its own extension. Our `Path` extractor then clones the parameters back out.
//! Here a GET whose path is one of these routes, its id a plain UUID, is recognised by
//! comparing strings, and the handler is called with the same extractors it has under the
//! router.
//!
//! What stays the same: each read calls the very handler function the router registers
//! (`builds::get`, `teams::get`, `auth::me`, `builds::list`, `health::health`), with the same
//! extractors, inside the same middleware (this layer sits just outside the router: metrics,
//! request ids, CORS, compression, the time limit and the panic guard all apply). Anything
//! else, a `HEAD`, an id with percent-escapes or in another spelling than the UUID's hex
//! digits and hyphens, a trailing slash, goes to the router, which answers it as before. The
//! test `hot_reads_answer_as_the_router_does` sends the same requests both ways and compares
//! status, headers and bodies.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, Request};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use tower::{Layer, Service};
use uuid::Uuid;

use crate::extract::Path;
use crate::http::{auth, builds, health, teams};
use crate::state::AppState;

/// A read this layer answers itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HotRead {
    Health,
    Me,
    BuildList,
    Build(Uuid),
    Team(Uuid),
}

impl HotRead {
    /// The read `request` asks for, when it is one of these and plainly spelled.
    fn of(method: &Method, path: &str) -> Option<HotRead> {
        if method != Method::GET {
            return None;
        }
        match path {
            "/health" | "/api/v1/health" => Some(HotRead::Health),
            "/api/v1/auth/me" => Some(HotRead::Me),
            "/api/v1/builds" => Some(HotRead::BuildList),
            _ => {
                if let Some(id) = path.strip_prefix("/api/v1/builds/") {
                    plain_uuid(id).map(HotRead::Build)
                } else if let Some(id) = path.strip_prefix("/api/v1/teams/") {
                    plain_uuid(id).map(HotRead::Team)
                } else {
                    None
                }
            }
        }
    }
}

/// `segment` as a UUID when it is nothing but hex digits and hyphens that parse as one: what
/// the router's `Path<Uuid>` makes of the same text (no escapes to decode, nothing the text
/// policy refuses). Other spellings go to the router.
fn plain_uuid(segment: &str) -> Option<Uuid> {
    if !segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return None;
    }
    Uuid::try_parse(segment).ok()
}

/// Answers the hot reads in front of the router (`inner`).
#[derive(Clone)]
pub struct HotReadsLayer {
    /// `None`: every request goes to the router.
    state: Option<AppState>,
}

impl HotReadsLayer {
    pub fn new(state: AppState) -> Self {
        HotReadsLayer { state: Some(state) }
    }

    /// A layer that sends every request to the router, to compare answers with (tests).
    pub fn off() -> Self {
        HotReadsLayer { state: None }
    }
}

impl<S> Layer<S> for HotReadsLayer {
    type Service = HotReads<S>;
    fn layer(&self, inner: S) -> HotReads<S> {
        HotReads {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Clone)]
pub struct HotReads<S> {
    inner: S,
    state: Option<AppState>,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request<Body>> for HotReads<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, Answer>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let read = HotRead::of(request.method(), request.uri().path());
        match self.state.as_ref().zip(read) {
            Some((state, read)) => {
                let (parts, _) = request.into_parts();
                Either::Right(Box::pin(answer(read, parts, state.clone())))
            }
            None => Either::Left(self.inner.call(request)),
        }
    }
}

/// `read` answered by its handler, its arguments extracted as the router would, in the
/// handler's order (a token is checked before the client address is read).
async fn answer(read: HotRead, parts: Parts, state: AppState) -> Result<Response, Infallible> {
    Ok(respond(read, parts, state)
        .await
        .unwrap_or_else(|rejection| rejection))
}

/// The handler's answer, or an extractor's rejection.
async fn respond(read: HotRead, mut parts: Parts, state: AppState) -> Result<Response, Response> {
    let parts = &mut parts;
    Ok(match read {
        HotRead::Health => health::health().await.into_response(),
        HotRead::Me => auth::me(extract(parts, &state).await?)
            .await
            .into_response(),
        HotRead::BuildList => {
            let user = extract(parts, &state).await?;
            let query = extract(parts, &state).await?;
            builds::list(State(state), user, query)
                .await
                .into_response()
        }
        HotRead::Build(id) => {
            let user = extract(parts, &state).await?;
            let ip = extract(parts, &state).await?;
            builds::get(State(state), user, ip, Path(id))
                .await
                .into_response()
        }
        HotRead::Team(id) => {
            let user = extract(parts, &state).await?;
            teams::get(State(state), user, Path(id))
                .await
                .into_response()
        }
    })
}

/// An extractor run on the request's parts; its rejection as the response.
async fn extract<E>(parts: &mut Parts, state: &AppState) -> Result<E, Response>
where
    E: FromRequestParts<AppState>,
{
    E::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn recognises_the_hot_reads_and_nothing_else() {
        let id: Uuid = ID.parse().unwrap();
        let get = Method::GET;
        assert_eq!(HotRead::of(&get, "/health"), Some(HotRead::Health));
        assert_eq!(HotRead::of(&get, "/api/v1/health"), Some(HotRead::Health));
        assert_eq!(HotRead::of(&get, "/api/v1/auth/me"), Some(HotRead::Me));
        assert_eq!(
            HotRead::of(&get, "/api/v1/builds"),
            Some(HotRead::BuildList)
        );
        assert_eq!(
            HotRead::of(&get, &format!("/api/v1/builds/{ID}")),
            Some(HotRead::Build(id))
        );
        assert_eq!(
            HotRead::of(&get, &format!("/api/v1/teams/{}", ID.to_uppercase())),
            Some(HotRead::Team(id))
        );
        // The UUID's other spellings, escapes, sub-paths, trailing slashes, other methods.
        for path in [
            format!("/api/v1/builds/{}", ID.replace('-', "%2D")),
            format!("/api/v1/builds/{{{ID}}}"),
            format!("/api/v1/builds/urn:uuid:{ID}"),
            format!("/api/v1/builds/{ID}/"),
            format!("/api/v1/builds/{ID}/export"),
            format!("/api/v1/teams/{ID}/synergy"),
            "/api/v1/builds/import".into(),
            "/api/v1/builds/".into(),
            "/api/v1/builds/-".into(),
            "/api/v1/auth/me/".into(),
            "/health/ready".into(),
        ] {
            assert_eq!(HotRead::of(&get, &path), None, "{path}");
        }
        for method in [Method::HEAD, Method::POST, Method::PUT, Method::DELETE] {
            assert_eq!(HotRead::of(&method, "/health"), None);
            assert_eq!(HotRead::of(&method, &format!("/api/v1/builds/{ID}")), None);
        }
    }

    #[test]
    fn a_plain_uuid_reads_as_the_path_extractor_reads_it() {
        // Simple (32 digits) and hyphenated forms both parse, as `Path<Uuid>` takes them.
        let id: Uuid = ID.parse().unwrap();
        assert_eq!(plain_uuid(&ID.replace('-', "")), Some(id));
        assert_eq!(plain_uuid(ID), Some(id));
        assert_eq!(plain_uuid(&ID[..35]), None);
        assert_eq!(plain_uuid(&format!("{ID}0")), None);
        assert_eq!(plain_uuid("not-a-uuid"), None);
    }
}
