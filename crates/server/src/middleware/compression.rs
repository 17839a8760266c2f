//! Response compression, by tower-http, for clients that accept an encoding.
//!
//! A request without `Accept-Encoding` (curl, scripts, health checks, load generators) can
//! only get the identity encoding, yet tower-http's layer still parses the absent header,
//! runs its predicates on the response and wraps the body. [`CompressionGate`] sends such
//! requests past it; the one thing tower-http would have added, `Vary: accept-encoding`, is
//! written with the other common headers (`common_headers`), on every such response: a shared
//! cache must not serve a stored identity answer in place of a compressed one or the reverse.

use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{
    header, Extensions, HeaderMap, HeaderValue, Request, Response, StatusCode, Version,
};
use futures_util::future::{Either, MapOk};
use futures_util::TryFutureExt;
use tower::{Layer, Service};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{Compression, CompressionBody, CompressionLayer};

/// The web client's rule (`http::web::compressible`) as a predicate.
type WebRule = fn(StatusCode, Version, &HeaderMap, &Extensions) -> bool;
type Compressible = tower_http::compression::predicate::And<DefaultPredicate, WebRule>;

pub(super) const VARY: HeaderValue = HeaderValue::from_static("accept-encoding");

#[derive(Clone)]
pub struct CompressionGateLayer {
    layer: CompressionLayer<Compressible>,
}

/// gzip (the only encoding built in) for responses tower-http's default predicate accepts
/// and the web client's own rule allows (`http::web::compressible`).
pub fn compression_layer() -> CompressionGateLayer {
    let web: WebRule = crate::http::web::compressible;
    CompressionGateLayer {
        layer: CompressionLayer::new().compress_when(DefaultPredicate::new().and(web)),
    }
}

impl<S> Layer<S> for CompressionGateLayer {
    type Service = CompressionGate<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CompressionGate {
            compressing: self.layer.layer(inner),
        }
    }
}

#[derive(Clone)]
pub struct CompressionGate<S> {
    compressing: Compression<S, Compressible>,
}

impl<S, B> Service<Request<B>> for CompressionGate<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Either<
        S::Future,
        MapOk<
            <Compression<S, Compressible> as Service<Request<B>>>::Future,
            fn(Response<CompressionBody<Body>>) -> Response<Body>,
        >,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.compressing.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if passes(&request) {
            Either::Left(self.compressing.get_mut().call(request))
        } else {
            let boxed: fn(_) -> _ = boxed;
            Either::Right(self.compressing.call(request).map_ok(boxed))
        }
    }
}

/// Whether `request` passes the compression layer untouched (it accepts no encoding): its
/// response then needs the layer's `Vary` ([`VARY`]) all the same.
pub(super) fn passes<B>(request: &Request<B>) -> bool {
    !request.headers().contains_key(header::ACCEPT_ENCODING)
}

/// A compressed (or not) answer as the rest of the stack's body type.
fn boxed(response: Response<CompressionBody<Body>>) -> Response<Body> {
    response.map(Body::new)
}
