//! The headers every response carries, written in one pass: the security headers
//! (`security_headers`), the `Vary` lines of the CORS and compression layers when they let
//! a request pass without looking at it (`cors`, `compression`), and the request id
//! (`request_id`).
//!
//! Which of these a response gets depends only on the settings and on two facts about its
//! request (whether it accepts an encoding, whether it is cross-origin), noted when the request
//! comes in; the outermost layer (`envelope`) writes them when the response is ready. When the
//! layers each wrote their own, a response went through three more futures and each security
//! header scanned the response's headers for the handler's own: ~600 instructions a request of
//! the ~5,300 the middleware cost over a bare endpoint.
//!
//! The values are constants (HSTS apart, which the settings make): each response gets copies
//! made at compile time. Written from lists made at start, each value was cloned through its
//! buffer's function table, one indirect call per header.
//!
//! The handler's own headers win, as they did when the layers only added what was missing:
//! a page's own `Content-Security-Policy` replaces the API's, a `Vary` line it wrote is not
//! repeated, and its own request id (none set one today) is kept. HSTS is the exception: ours
//! is the policy of the whole origin.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request};

use super::cors::CorsGateLayer;
use super::request_id::REQUEST_ID;

/// Made at start; each request takes what its response gets ([`CommonHeaders::for_request`]).
#[derive(Clone)]
pub struct CommonHeaders {
    /// `Strict-Transport-Security` when served over TLS (`security_headers::hsts`).
    hsts: Option<HeaderValue>,
    cors: CorsGateLayer,
}

/// The most headers [`Write::apply`] adds: the security headers, two `Vary` lines, the request
/// id and HSTS. Handlers size their answers' header maps for them (`json_body`).
pub const MOST_ADDED: usize = super::security_headers::COUNT + 4;

/// Bits of [`Write::passed`]: the layers a request went past without looking at it.
const PASSED_COMPRESSION: u8 = 1;
const PASSED_CORS: u8 = 2;

impl CommonHeaders {
    /// `hsts`: the HSTS value when served over TLS; `cors`: the CORS layer the requests then
    /// go through (its `Vary` is written here for the requests it lets pass).
    pub fn new(hsts: Option<HeaderValue>, cors: CorsGateLayer) -> Self {
        CommonHeaders { hsts, cors }
    }

    /// What `request`'s response gets.
    pub fn for_request<B>(&self, request: &Request<B>) -> Write {
        let mut passed = 0;
        if super::compression::passes(request) {
            passed |= PASSED_COMPRESSION;
        }
        if self.cors.passes_same_origin(request) {
            passed |= PASSED_CORS;
        }
        Write {
            passed,
            hsts: self.hsts.clone(),
        }
    }
}

/// What one response gets.
pub struct Write {
    passed: u8,
    hsts: Option<HeaderValue>,
}

/// Whether a handler's header `name` can stand in for one of ours.
fn ours(name: &HeaderName) -> bool {
    *name == header::VARY || *name == REQUEST_ID || super::security_headers::NAMES.contains(name)
}

impl Write {
    /// Writes the headers and the request's `id` on a response's `headers`.
    pub fn apply(self, headers: &mut HeaderMap, id: HeaderValue) {
        // One pass over the handler's few headers (a JSON answer has its type and length):
        // when none is one of ours, nothing needs to be looked up before it is written.
        let check = headers.keys().any(ours);
        headers.reserve(MOST_ADDED);
        // CORS's `Vary` first: in the order tower-http's CORS layer (inside this one) leaves
        // them when a request goes through it.
        for (bit, vary) in [
            (PASSED_CORS, super::cors::VARY),
            (PASSED_COMPRESSION, super::compression::VARY),
        ] {
            if self.passed & bit != 0
                && !(check && headers.get_all(header::VARY).iter().any(|v| *v == vary))
            {
                headers.append(header::VARY, vary);
            }
        }
        let mut unless_set = |name: HeaderName, value: HeaderValue| {
            if !(check && headers.contains_key(&name)) {
                headers.append(name, value);
            }
        };
        super::security_headers::each(&mut unless_set);
        unless_set(REQUEST_ID, id);
        if let Some(hsts) = self.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
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
            super::super::security_headers::hsts(&settings),
            super::super::cors::cors_layer(&origins, false),
        )
    }

    fn merged(common: &CommonHeaders, request: Request<()>, handler: HeaderMap) -> HeaderMap {
        let mut headers = handler;
        common
            .for_request(&request)
            .apply(&mut headers, HeaderValue::from_static("raid-night-42"));
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
        assert_eq!(values(&headers, "x-request-id"), ["raid-night-42"]);
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
        handler.insert(&REQUEST_ID, HeaderValue::from_static("handler-own-id"));
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
        assert_eq!(values(&headers, "x-request-id"), ["handler-own-id"]);
    }
}
