//! The headers every response carries, written in one pass: the security headers
//! (`security_headers`), and the `Vary` lines of the CORS and compression layers when they let
//! a request pass without looking at it (`cors`, `compression`).
//!
//! Which of these a response gets depends only on the settings and on two facts about its
//! request (whether it accepts an encoding, whether it is cross-origin), so the four possible
//! lists are made once, at start, and the outermost layer (`envelope`) writes a response's
//! list when the response is ready. When the layers each wrote their own, a response went
//! through three more futures and each security header scanned the response's headers for the
//! handler's own: ~600 instructions a request of the ~5,300 the middleware cost over a bare
//! endpoint.
//!
//! The handler's own headers win, as they did when the layers only added what was missing:
//! a page's own `Content-Security-Policy` replaces the API's, and a `Vary` line it wrote is not
//! repeated. HSTS is the exception: ours is the policy of the whole origin.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request};

use super::cors::CorsGateLayer;

/// The lists, made at start; each request takes its own ([`CommonHeaders::for_request`]).
#[derive(Clone)]
pub struct CommonHeaders {
    shared: Arc<Shared>,
}

/// How one header is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Rule {
    /// Unless the handler set this header.
    UnlessSet,
    /// Unless the handler wrote this very value (a `Vary` line).
    UnlessSameValue,
    /// In place of the handler's (HSTS).
    Replace,
}

struct Shared {
    /// Indexed by [`variant`]: the CORS layer's `Vary` (bit 1), the compression layer's
    /// (bit 0), then the security headers.
    lists: [Vec<(HeaderName, HeaderValue, Rule)>; 4],
    /// The names a handler's response is looked at for: only a response that has one of them
    /// needs each header checked before it is written.
    watched: Vec<HeaderName>,
    cors: CorsGateLayer,
}

/// Which list a request's response gets.
fn variant<B>(request: &Request<B>, cors: &CorsGateLayer) -> usize {
    usize::from(super::compression::passes(request))
        | usize::from(cors.passes_same_origin(request)) << 1
}

impl CommonHeaders {
    /// `security`: the security headers and how each is written (`security_headers::list`);
    /// `cors`: the CORS layer the requests then go through (its `Vary` is written here).
    pub fn new(security: &[(HeaderName, HeaderValue, Rule)], cors: CorsGateLayer) -> Self {
        let lists = std::array::from_fn(|variant| {
            // CORS's `Vary` first: in the order tower-http's CORS layer (inside this one)
            // leaves them when a request goes through it.
            let mut list = Vec::new();
            if variant & 2 != 0 {
                list.push((header::VARY, super::cors::VARY, Rule::UnlessSameValue));
            }
            if variant & 1 != 0 {
                let vary = super::compression::VARY;
                list.push((header::VARY, vary, Rule::UnlessSameValue));
            }
            list.extend_from_slice(security);
            list
        });
        // Every name a handler's own header can stand in for (the fullest list has them all).
        let mut watched: Vec<HeaderName> = Vec::new();
        for (name, _, rule) in &lists[3] {
            if *rule != Rule::Replace && !watched.contains(name) {
                watched.push(name.clone());
            }
        }
        CommonHeaders {
            shared: Arc::new(Shared {
                lists,
                watched,
                cors,
            }),
        }
    }

    /// What `request`'s response gets.
    pub fn for_request<B>(&self, request: &Request<B>) -> Write {
        Write {
            variant: variant(request, &self.shared.cors),
            shared: self.shared.clone(),
        }
    }
}

/// One response's list, to write on it.
pub struct Write {
    shared: Arc<Shared>,
    variant: usize,
}

impl Write {
    pub fn apply(self, headers: &mut HeaderMap) {
        let shared = &self.shared;
        let list = &shared.lists[self.variant];
        // One pass over the handler's few headers (a JSON answer has its type and length).
        let checked = headers.keys().any(|name| shared.watched.contains(name));
        headers.reserve(list.len());
        for (name, value, rule) in list {
            match rule {
                Rule::UnlessSet if checked && headers.contains_key(name) => {}
                Rule::UnlessSameValue
                    if checked && headers.get_all(name).iter().any(|set| set == value) => {}
                Rule::Replace => {
                    headers.insert(name.clone(), value.clone());
                }
                _ => {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn common(origins: &[&str], public_url: &str) -> CommonHeaders {
        let settings = Settings {
            public_url: public_url.into(),
            ..Settings::default()
        };
        let origins: Vec<String> = origins.iter().map(ToString::to_string).collect();
        CommonHeaders::new(
            &super::super::security_headers::list(&settings),
            super::super::cors::cors_layer(&origins, false),
        )
    }

    fn merged(common: &CommonHeaders, request: Request<()>, handler: HeaderMap) -> HeaderMap {
        let mut headers = handler;
        common.for_request(&request).apply(&mut headers);
        headers
    }

    fn values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    }

    #[test]
    fn handler_headers_are_kept_and_the_common_ones_added() {
        let common = common(&["https://squad.example"], "http://localhost");
        let mut handler = HeaderMap::new();
        handler.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        handler.append(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        handler.append(header::SET_COOKIE, HeaderValue::from_static("b=2"));
        let plain = Request::get("/").body(()).unwrap();
        let headers = merged(&common, plain, handler);
        assert_eq!(values(&headers, "content-type"), ["application/json"]);
        assert_eq!(values(&headers, "set-cookie"), ["a=1", "b=2"]);
        assert_eq!(
            values(&headers, "vary"),
            [
                "origin, access-control-request-method, access-control-request-headers",
                "accept-encoding"
            ]
        );
        assert_eq!(values(&headers, "x-content-type-options"), ["nosniff"]);
        assert_eq!(values(&headers, "x-frame-options"), ["DENY"]);
        assert_eq!(values(&headers, "referrer-policy"), ["no-referrer"]);
        assert_eq!(
            values(&headers, "content-security-policy"),
            [super::super::API_CSP]
        );
        assert!(
            headers.get("strict-transport-security").is_none(),
            "not TLS"
        );
    }

    #[test]
    fn vary_follows_what_the_request_goes_through() {
        let configured = common(&["https://squad.example"], "http://localhost");
        let request = |headers: &[(&str, &str)]| {
            let mut request = Request::get("/").body(()).unwrap();
            for (name, value) in headers {
                request.headers_mut().insert(
                    HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_str(value).unwrap(),
                );
            }
            request
        };
        // Compressed by tower-http and answered by its CORS layer: both write their own.
        let both = merged(
            &configured,
            request(&[
                ("accept-encoding", "gzip"),
                ("origin", "https://squad.example"),
            ]),
            HeaderMap::new(),
        );
        assert!(both.get("vary").is_none());
        let cross = merged(
            &configured,
            request(&[("origin", "https://squad.example")]),
            HeaderMap::new(),
        );
        assert_eq!(values(&cross, "vary"), ["accept-encoding"]);
        // No origin configured: nothing varies by origin.
        let same_origin_only = common(&[], "http://localhost");
        let plain = merged(&same_origin_only, request(&[]), HeaderMap::new());
        assert_eq!(values(&plain, "vary"), ["accept-encoding"]);
        // A handler's own identical `Vary` is not repeated.
        let mut handler = HeaderMap::new();
        handler.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let page = merged(&same_origin_only, request(&[]), handler);
        assert_eq!(values(&page, "vary"), ["accept-encoding"]);
    }

    #[test]
    fn a_handler_policy_wins_except_hsts() {
        let common = common(&[], "https://gw2opt.example");
        let mut handler = HeaderMap::new();
        handler.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        );
        handler.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=0"),
        );
        let headers = merged(&common, Request::get("/").body(()).unwrap(), handler);
        assert_eq!(
            values(&headers, "content-security-policy"),
            ["default-src 'self'"]
        );
        assert_eq!(
            values(&headers, "strict-transport-security"),
            ["max-age=31536000; includeSubDomains"]
        );
        assert_eq!(values(&headers, "x-frame-options"), ["DENY"]);
    }
}
