//! The web client (Preact, built by Vite into `web/dist`), served by the service itself so
//! one binary is the whole product: `cargo run --release -- serve` needs no Node.
//!
//! # Where the files come from
//! `web/dist` is compiled into the binary (rust-embed; a debug build reads the same folder
//! from disk at run time). The `web_dir` setting (`GW2OPT_WEB_DIR`, `serve --web-dir`) serves
//! another directory instead, for working on the client without rebuilding the service.
//!
//! # What is answered
//! This is the router's fallback: it only sees requests no API route matched.
//! - Not `GET`/`HEAD`, or a path under `/api/`: the API's JSON 404, as before the client
//!   existed (a wrong method on an existing route is still the router's JSON 405).
//! - A path naming a file: its bytes, `Content-Type` from the extension, a strong `ETag`
//!   (SHA-256 of the bytes sent) and `If-None-Match` → 304 (RFC 9110 §13.1.2, weak
//!   comparison). When `Accept-Encoding` allows `br` (preferred) or `gzip` (RFC 9110
//!   §12.5.3, `q=0` refuses) and Vite's build wrote a `.br` / `.gz` sibling, that sibling is
//!   sent with `Content-Encoding`; every answer carries `Vary: Accept-Encoding` and is marked
//!   [`WebAsset`] so the compression layer leaves it alone (each encoding has its own bytes
//!   and its own `ETag`).
//! - Caching: Vite names everything under `/assets/` after its content hash, so those are
//!   `public, max-age=31536000, immutable` (a new build has new names); everything else
//!   (`index.html`, the favicon...) is `no-cache`: always revalidated, so a deployment is
//!   seen at the next load.
//! - Any other path is a deep link into the client (`/builds/123`, `/fr/teams`):
//!   `index.html`, 200, and the client's router shows the page. A missing file under
//!   `/assets/` is a 404 instead: it is a stale bundle name, and HTML sent in its place would
//!   fail as a script or stylesheet (nosniff) with a misleading error.
//! - The path is percent-decoded once, then refused (404) if it holds a NUL, a backslash, a
//!   control character or a `.`/`..` segment, so no spelling (`%2e%2e`, `..%2f`, `..\`)
//!   leaves the directory; from disk, the file's canonical path must also lie inside the
//!   directory's (no symbolic link out). OWASP ASVS 4.0.3 V12.3.1, OWASP "Path Traversal".
//!
//! # Content-Security-Policy of the client's pages
//! HTML answers carry their own policy ([`WEB_CSP`]; the security-headers layer leaves a
//! response's own policy alone and gives every other answer the API's `default-src 'none'`):
//! - scripts and styles only from this origin, no `'unsafe-inline'`, no `'unsafe-eval'`:
//!   Vite's production build emits only `<script type="module" src>` and `<link
//!   rel="stylesheet">` under `/assets/`, so an injected `<script>`, event handler attribute
//!   or `<style>` cannot run (ASVS V14.4.3, OWASP XSS Prevention and CSP cheat sheets).
//!   Styles the client sets through the DOM (`element.style`) are not inline markup and are
//!   allowed; a `style="..."` attribute in HTML markup is not;
//! - images from this origin, `data:` URLs and the game's icon server
//!   (`https://render.guildwars2.com`, where the official API's icons live); fonts from here;
//! - `connect-src 'self'`: the API and its WebSockets (CSP Level 3 §6.7.2.7: `'self'` matches
//!   `ws:`/`wss:` on the same host and port);
//! - `object-src 'none'`, `base-uri 'none'` (no `<base>` redirecting relative URLs),
//!   `form-action 'self'`, `frame-ancestors 'none'` (clickjacking; `X-Frame-Options: DENY`
//!   is added by the headers layer too).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode, Uri, Version};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The policy of the client's HTML pages (see the module documentation).
pub const WEB_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https://render.guildwars2.com; font-src 'self'; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `Cache-Control` of Vite's content-hashed files (`/assets/...`).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other file: revalidate before each use.
pub const REVALIDATE: &str = "no-cache";

/// The built client compiled into the binary.
#[derive(rust_embed::Embed)]
// Relative to this crate's manifest directory: the repository's web/dist.
#[folder = "../../web/dist"]
struct Dist;

/// Marks a response of this module: the compression layer must not encode it again (see
/// [`compressible`]).
#[derive(Debug, Clone, Copy)]
pub struct WebAsset;

/// The compression layer's extra condition: not a [`WebAsset`], which is already in the
/// encoding chosen for it.
pub fn compressible(_: StatusCode, _: Version, _: &HeaderMap, extensions: &Extensions) -> bool {
    extensions.get::<WebAsset>().is_none()
}

/// One file's bytes and their SHA-256.
struct File {
    bytes: Bytes,
    sha256: [u8; 32],
}

/// Where the client's files are read from.
#[derive(Debug, Clone)]
enum Source {
    Embedded,
    /// The directory, canonicalized once.
    Dir(PathBuf),
}

/// The web client's files and how they are answered.
#[derive(Debug, Clone)]
pub struct WebFiles {
    source: Source,
}

/// The content codings we may have precompressed siblings for, by preference, with their
/// file suffix and the names `Accept-Encoding` may give them (RFC 9110 §8.4.1.3: `x-gzip` is
/// `gzip`).
const CODINGS: [(&str, &str, &[&str]); 2] =
    [("br", ".br", &["br"]), ("gzip", ".gz", &["gzip", "x-gzip"])];

impl WebFiles {
    /// The files of `web_dir`, or the embedded build when `None`.
    pub fn new(web_dir: Option<&Path>) -> Self {
        let source = match web_dir {
            Some(dir) => Source::Dir(dir.canonicalize().unwrap_or_else(|_| dir.to_owned())),
            None => Source::Embedded,
        };
        Self { source }
    }

    /// The answer to a request no API route matched.
    pub async fn respond(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
        let path = uri.path();
        if (method != Method::GET && method != Method::HEAD)
            || path == "/api"
            || path.starts_with("/api/")
        {
            return ApiError::NotFound("no such route".into()).into_response();
        }
        let Some(relative) = clean_path(path) else {
            return ApiError::NotFound("no such file".into()).into_response();
        };
        if !relative.is_empty() {
            if let Some(response) = self.file_response(&relative, headers).await {
                return response;
            }
            if relative.starts_with("assets/") {
                return ApiError::NotFound("no such file".into()).into_response();
            }
        }
        match self.file_response("index.html", headers).await {
            Some(response) => response,
            None => ApiError::NotFound("no such route (the web client is not built)".into())
                .into_response(),
        }
    }

    /// `relative`'s answer (in the best encoding the client accepts), or `None` when there is
    /// no such file.
    async fn file_response(&self, relative: &str, headers: &HeaderMap) -> Option<Response> {
        let identity = self.read(relative).await?;
        let mut chosen = (identity, None);
        for (coding, suffix, names) in CODINGS {
            if !accepts(headers, names) {
                continue;
            }
            if let Some(file) = self.read(&format!("{relative}{suffix}")).await {
                chosen = (file, Some(coding));
                break;
            }
        }
        let (file, coding) = chosen;
        let etag = etag(&file.sha256, false);
        let cache = if relative.starts_with("assets/") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let mime = content_type(relative);
        let mut response = if none_match(headers, &etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(file.bytes));
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&mime) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Some(coding) = coding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            response
        };
        let headers = response.headers_mut();
        // On a 304 too: the browser replaces the stored response's headers with the 304's,
        // so a 304 without the page's policy would leave it the API's `default-src 'none'`
        // (and the next load of the cached page could run nothing).
        if mime.starts_with("text/html") {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(WEB_CSP),
            );
        }
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response.extensions_mut().insert(WebAsset);
        Some(response)
    }

    /// A file by its cleaned relative path ([`clean_path`]); `None` when absent, a
    /// directory, unreadable, or (from disk) outside the directory.
    async fn read(&self, relative: &str) -> Option<File> {
        match &self.source {
            Source::Embedded => Dist::get(relative).map(|file| File {
                sha256: file.metadata.sha256_hash(),
                bytes: match file.data {
                    Cow::Borrowed(bytes) => Bytes::from_static(bytes),
                    Cow::Owned(bytes) => Bytes::from(bytes),
                },
            }),
            Source::Dir(root) => {
                let path = tokio::fs::canonicalize(root.join(relative)).await.ok()?;
                if !path.starts_with(root) || !tokio::fs::metadata(&path).await.ok()?.is_file() {
                    return None;
                }
                let bytes = tokio::fs::read(&path).await.ok()?;
                Some(File {
                    sha256: Sha256::digest(&bytes).into(),
                    bytes: Bytes::from(bytes),
                })
            }
        }
    }
}

/// The request path as a relative file path (`""` for `/`), or `None` when it could name
/// something outside the directory: percent-decoded once (so `%2e%2e` and `%2f` are seen),
/// then refused if not UTF-8 or holding a NUL, a backslash, another control character or a
/// `.`/`..` segment. Empty segments (`//`, a trailing `/`) are dropped.
pub fn clean_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.chars().any(|c| c == '\\' || c.is_control()) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            segment => segments.push(segment),
        }
    }
    Some(segments.join("/"))
}

/// The `Content-Type` of a file by its extension; text types say UTF-8.
fn content_type(relative: &str) -> String {
    let mime = mime_guess::from_path(relative).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/manifest+json"
        );
    if textual && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.to_string()
    }
}

/// `"…"` (or `W/"…"`): the first 128 bits of a SHA-256 in hex.
pub fn etag(sha256: &[u8; 32], weak: bool) -> HeaderValue {
    let hex = hex::encode(&sha256[..16]);
    let text = if weak {
        format!("W/\"{hex}\"")
    } else {
        format!("\"{hex}\"")
    };
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// Whether the request's `If-None-Match` matches `etag` (RFC 9110 §13.1.2: `*`, or any
/// listed tag equal under the weak comparison, i.e. ignoring `W/`).
pub fn none_match(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque(etag.as_bytes());
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || opaque(tag.as_bytes()) == ours)
}

fn opaque(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// Whether `Accept-Encoding` allows the coding known by `names` (RFC 9110 §12.5.3): listed
/// with a non-zero weight, or not listed and `*` has one. A weight that does not parse
/// counts as zero.
pub fn accepts(headers: &HeaderMap, names: &[&str]) -> bool {
    let mut any = None;
    for item in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
    {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        if name.is_empty() {
            continue;
        }
        let weight = parts
            .filter_map(|param| param.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return weight > 0.0;
        }
        if name == "*" {
            any = Some(weight > 0.0);
        }
    }
    any.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_or_refused() {
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(
            clean_path("/assets/index-abc.js").as_deref(),
            Some("assets/index-abc.js")
        );
        assert_eq!(clean_path("//fr//teams/").as_deref(), Some("fr/teams"));
        assert_eq!(clean_path("/caf%C3%A9").as_deref(), Some("café"));
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/assets/..%2f..%2fsecret",
            "/./index.html",
            "/..\\secret",
            "/%5c..%5csecret",
            "/index.html%00.js",
            "/%ff",
            "/a%0Ab",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        // Decoded once: a double-encoded dot pair is a file named `%2e%2e`, not a way up.
        assert_eq!(clean_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn accept_encoding_weights() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
            headers
        };
        assert!(accepts(&with("gzip, deflate, br"), &["br"]));
        assert!(!accepts(&with("gzip, br;q=0"), &["br"]));
        assert!(accepts(&with("br;q=0.5"), &["br"]));
        assert!(accepts(&with("x-gzip"), &["gzip", "x-gzip"]));
        assert!(accepts(&with("*"), &["br"]));
        assert!(!accepts(&with("*, br;q=0"), &["br"]));
        assert!(!accepts(&with("br;q=zero"), &["br"]));
        assert!(!accepts(&with("identity"), &["gzip"]));
        assert!(!accepts(&HeaderMap::new(), &["gzip"]));
    }

    #[test]
    fn if_none_match_uses_the_weak_comparison() {
        let tag = etag(&[7; 32], false);
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            headers
        };
        let text = tag.to_str().unwrap().to_owned();
        assert!(none_match(&with(&text), &tag));
        assert!(none_match(&with(&format!("W/{text}")), &tag));
        assert!(none_match(&with(&format!("\"other\", {text}")), &tag));
        assert!(none_match(&with("*"), &tag));
        assert!(!none_match(&with("\"other\""), &tag));
        assert!(!none_match(&HeaderMap::new(), &tag));
    }

    #[test]
    fn text_types_say_utf8() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert!(content_type("assets/a.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(content_type("assets/a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.png"), "image/png");
        assert_eq!(content_type("noextension"), "application/octet-stream");
    }
}
