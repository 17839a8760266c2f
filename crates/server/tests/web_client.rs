//! The web client served by the service: files with their type, cache policy, ETag and
//! precompressed siblings, the client's routes answered with index.html, the API's JSON
//! errors kept, no way out of the directory, the pages' own CSP, and one OpenAPI document
//! for the server and `gw2opt openapi`. Served from a temporary directory of fixture files
//! (the `web_dir` setting), so nothing depends on the real client build; one test checks the
//! embedded build is what `web/dist` holds.

mod common;

use std::io::Read;
use std::path::Path;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use server::http::web::{IMMUTABLE, REVALIDATE, WEB_CSP};

const INDEX: &str =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>GW2Optimizer</title>\
    <script type=\"module\" crossorigin src=\"/assets/app-3f2a1b.js\"></script>\
    <link rel=\"stylesheet\" crossorigin href=\"/assets/app-9c8d7e.css\"></head>\
    <body><div id=\"app\"></div></body></html>";
/// Repeated so it is well above the compression layer's 32-byte floor.
const SCRIPT: &str = "export const answer = 42; // the web client\n\
    export const answer = 42; // the web client\n\
    export const answer = 42; // the web client\n\
    export const answer = 42; // the web client\n";
/// `SCRIPT` compressed by Node's `zlib.brotliCompressSync` (what Vite's compression plugin
/// uses); the service sends these bytes as they are.
const SCRIPT_BR: &[u8] = &[
    27, 175, 0, 248, 5, 100, 115, 221, 146, 22, 154, 32, 54, 177, 21, 143, 240, 244, 135, 11, 239,
    66, 104, 97, 40, 49, 189, 67, 42, 253, 152, 132, 79, 16, 235, 158, 55, 49, 116, 226, 22, 168,
    50, 187, 249, 93, 136, 189, 0,
];
const STYLE: &str = "body { font-family: system-ui, sans-serif; margin: 0; color: #222; }\n";
const SECRET: &str = "TOP SECRET: outside the web directory";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// `root/dist` holds a built client: index.html, a favicon, a script with `.br` and `.gz`
/// siblings, a stylesheet without; `root/secret.txt` lies outside it, and
/// `root/dist/escape.txt` is a symbolic link to it.
fn fixture(root: &Path) -> std::path::PathBuf {
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(
        dist.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(dist.join("assets/app-3f2a1b.js"), SCRIPT).unwrap();
    std::fs::write(dist.join("assets/app-3f2a1b.js.br"), SCRIPT_BR).unwrap();
    std::fs::write(
        dist.join("assets/app-3f2a1b.js.gz"),
        gzip(SCRIPT.as_bytes()),
    )
    .unwrap();
    std::fs::write(dist.join("assets/app-9c8d7e.css"), STYLE).unwrap();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), dist.join("escape.txt")).unwrap();
    dist
}

/// An app serving the fixture, and the directory (kept alive with it).
async fn app() -> (TestApp, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let dist = fixture(root.path());
    let app = TestApp::sqlite_with(|s| s.web_dir = Some(dist.clone())).await;
    (app, root)
}

async fn fetch(app: &TestApp, method: Method, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

async fn get(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> Reply {
    fetch(app, Method::GET, uri, headers).await
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_page_and_every_client_route_are_index_html_with_its_own_csp() {
    let (app, _dir) = app().await;
    let mut etags = Vec::new();
    for path in [
        "/",
        "/index.html",
        "/builds/123",
        "/fr/teams",
        "/fr/",
        "/a/b/c?x=1",
    ] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.raw, INDEX.as_bytes(), "{path}");
        assert_eq!(
            header(&reply, "content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(header(&reply, "content-security-policy"), Some(WEB_CSP));
        assert_eq!(header(&reply, "cache-control"), Some(REVALIDATE));
        // The security headers layer still adds the rest.
        assert_eq!(header(&reply, "x-frame-options"), Some("DENY"));
        assert_eq!(header(&reply, "x-content-type-options"), Some("nosniff"));
        etags.push(header(&reply, "etag").unwrap().to_owned());
    }
    etags.dedup();
    assert_eq!(etags.len(), 1, "one file, one tag");
    assert!(!WEB_CSP.contains("unsafe"), "{WEB_CSP}");
    assert!(WEB_CSP.contains("img-src 'self' data: https://render.guildwars2.com"));
}

#[tokio::test]
async fn files_have_their_type_and_cache_policy() {
    let (app, _dir) = app().await;
    let script = get(&app, "/assets/app-3f2a1b.js", &[]).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.raw, SCRIPT.as_bytes());
    assert!(header(&script, "content-type")
        .unwrap()
        .ends_with("javascript; charset=utf-8"));
    assert_eq!(header(&script, "cache-control"), Some(IMMUTABLE));
    assert_eq!(header(&script, "content-encoding"), None);
    assert_eq!(header(&script, "vary"), Some("accept-encoding"));
    // Not a page: the API's data-only policy, not the client's.
    assert_ne!(header(&script, "content-security-policy"), Some(WEB_CSP));

    let style = get(&app, "/assets/app-9c8d7e.css", &[]).await;
    assert_eq!(style.raw, STYLE.as_bytes());
    assert_eq!(
        header(&style, "content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(header(&style, "cache-control"), Some(IMMUTABLE));

    let icon = get(&app, "/favicon.svg", &[]).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(header(&icon, "content-type"), Some("image/svg+xml"));
    assert_eq!(header(&icon, "cache-control"), Some(REVALIDATE));

    // HEAD: the same headers, no body.
    let head = fetch(&app, Method::HEAD, "/assets/app-3f2a1b.js", &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.raw.is_empty());
    assert_eq!(
        header(&head, "content-length"),
        Some(SCRIPT.len().to_string().as_str())
    );
    assert_eq!(header(&head, "etag"), header(&script, "etag"));
}

#[tokio::test]
async fn precompressed_siblings_are_chosen_by_accept_encoding() {
    let (app, _dir) = app().await;
    let uri = "/assets/app-3f2a1b.js";
    let identity = get(&app, uri, &[]).await;

    let br = get(&app, uri, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(header(&br, "content-encoding"), Some("br"));
    assert_eq!(br.raw, SCRIPT_BR);
    assert_eq!(header(&br, "vary"), Some("accept-encoding"));
    assert_eq!(header(&br, "cache-control"), Some(IMMUTABLE));
    assert!(header(&br, "content-type").unwrap().contains("javascript"));

    for accept in ["gzip", "br;q=0, gzip", "x-gzip"] {
        let gz = get(&app, uri, &[("accept-encoding", accept)]).await;
        assert_eq!(header(&gz, "content-encoding"), Some("gzip"), "{accept}");
        // The sibling as it is on disk, compressed once (not again by the compression layer).
        assert_eq!(gunzip(&gz.raw), SCRIPT, "{accept}");
    }
    let refused = get(&app, uri, &[("accept-encoding", "br;q=0, gzip;q=0")]).await;
    assert_eq!(header(&refused, "content-encoding"), None);
    assert_eq!(refused.raw, SCRIPT.as_bytes());

    // Each encoding is its own representation with its own tag.
    let gz = get(&app, uri, &[("accept-encoding", "gzip")]).await;
    let tags = [
        header(&identity, "etag").unwrap(),
        header(&br, "etag").unwrap(),
        header(&gz, "etag").unwrap(),
    ];
    assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2]);

    // A file without siblings is sent as it is, even to a client accepting gzip: the
    // compression layer leaves the client's files alone.
    let style = get(
        &app,
        "/assets/app-9c8d7e.css",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(header(&style, "content-encoding"), None);
    assert_eq!(style.raw, STYLE.as_bytes());
    // An API answer is still compressed on the fly.
    let api = get(&app, "/api/v1/openapi.json", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&api, "content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn a_current_copy_is_answered_304() {
    let (app, _dir) = app().await;
    for (uri, accept) in [
        ("/", ""),
        ("/builds/7", ""),
        ("/assets/app-3f2a1b.js", ""),
        ("/assets/app-3f2a1b.js", "br"),
        ("/assets/app-3f2a1b.js", "gzip"),
    ] {
        let first = get(&app, uri, &[("accept-encoding", accept)]).await;
        let tag = header(&first, "etag").unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.len() == 34, "{tag}");
        for sent in [
            tag.clone(),
            format!("W/{tag}"),
            format!("\"x\", {tag}"),
            "*".into(),
        ] {
            let again = get(
                &app,
                uri,
                &[("accept-encoding", accept), ("if-none-match", &sent)],
            )
            .await;
            assert_eq!(
                again.status,
                StatusCode::NOT_MODIFIED,
                "{uri} {accept} {sent}"
            );
            assert!(again.raw.is_empty());
            assert_eq!(header(&again, "etag"), Some(tag.as_str()));
            assert_eq!(
                header(&again, "cache-control"),
                header(&first, "cache-control")
            );
            // The browser takes the 304's headers for the stored page: the page's policy,
            // not the API's `default-src 'none'`, or the cached page could run nothing.
            assert_eq!(
                header(&again, "content-security-policy"),
                header(&first, "content-security-policy"),
                "{uri}"
            );
        }
        let changed = get(
            &app,
            uri,
            &[("accept-encoding", accept), ("if-none-match", "\"stale\"")],
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK);
        assert_eq!(changed.raw, first.raw);
    }
}

#[tokio::test]
async fn the_api_keeps_its_json_errors_and_its_own_pages() {
    let (app, _dir) = app().await;
    for (method, uri, status) in [
        (Method::GET, "/api/v1/no-such-route", StatusCode::NOT_FOUND),
        (Method::GET, "/api/nothing", StatusCode::NOT_FOUND),
        (Method::GET, "/api", StatusCode::NOT_FOUND),
        (Method::HEAD, "/api/v1/no-such-route", StatusCode::NOT_FOUND),
        (Method::POST, "/builds/123", StatusCode::NOT_FOUND),
        (Method::DELETE, "/", StatusCode::NOT_FOUND),
        (Method::PUT, "/index.html", StatusCode::NOT_FOUND),
        (Method::GET, "/assets/app-000000.js", StatusCode::NOT_FOUND),
        (
            Method::PUT,
            "/api/v1/auth/login",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (Method::POST, "/health", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let reply = fetch(&app, method.clone(), uri, &[]).await;
        assert_eq!(reply.status, status, "{method} {uri}");
        assert!(
            header(&reply, "content-type")
                .unwrap()
                .starts_with("application/json"),
            "{method} {uri}"
        );
        if method != Method::HEAD {
            let (_, code) = reply.expect_error(status);
            assert!(code == "not_found" || code == "method_not_allowed");
        }
    }
    let docs = get(&app, "/docs", &[]).await;
    assert_eq!(docs.status, StatusCode::OK);
    assert_ne!(docs.raw, INDEX.as_bytes());
    assert_ne!(header(&docs, "content-security-policy"), Some(WEB_CSP));
    for uri in ["/health", "/api/v1/health", "/api/v1/openapi.json"] {
        let reply = get(&app, uri, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(reply.body.is_object(), "{uri}: JSON, not the page");
    }
}

#[tokio::test]
async fn no_path_leaves_the_web_directory() {
    let (app, _dir) = app().await;
    for uri in [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/assets%5c..%5c..%5csecret.txt",
        "/.%2e/secret.txt",
        "/secret.txt%00.js",
        "/%00",
    ] {
        let reply = get(&app, uri, &[]).await;
        assert!(
            !String::from_utf8_lossy(&reply.raw).contains("TOP SECRET"),
            "{uri} escaped"
        );
        let (_, code) = reply.expect_error(StatusCode::NOT_FOUND);
        assert_eq!(code, "not_found", "{uri}");
    }
    // Decoded once: `%252e%252e` names a file called `%2e%2e`, which does not exist.
    let double = get(&app, "/%252e%252e/secret.txt", &[]).await;
    assert!(!String::from_utf8_lossy(&double.raw).contains("TOP SECRET"));
    assert_eq!(double.raw, INDEX.as_bytes());
    // A symbolic link out of the directory is not followed: the name is a client route.
    #[cfg(unix)]
    {
        let link = get(&app, "/escape.txt", &[]).await;
        assert!(!String::from_utf8_lossy(&link.raw).contains("TOP SECRET"));
        assert_eq!(link.raw, INDEX.as_bytes());
    }
}

#[tokio::test]
async fn the_embedded_client_is_the_repository_build() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let index = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/dist/index.html"
    ))
    .expect("web/dist/index.html (the built client) is in the repository");
    for path in ["/", "/teams/42"] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.raw, index.as_slice());
        assert_eq!(header(&reply, "content-security-policy"), Some(WEB_CSP));
    }
}

#[tokio::test]
async fn one_openapi_document_for_the_server_and_the_command_line() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let served = get(&app, "/api/v1/openapi.json", &[])
        .await
        .expect(StatusCode::OK);
    let printed: serde_json::Value =
        serde_json::from_str(&server::app::openapi_pretty_json().unwrap()).unwrap();
    assert_eq!(served, printed);
    for path in [
        "/api/v1/auth/session",
        "/api/v1/auth/session/refresh",
        "/api/v1/game/data",
    ] {
        assert!(printed["paths"][path].is_object(), "{path} documented");
    }
    assert_eq!(
        printed["paths"]["/api/v1/auth/session"]["post"]["tags"][0],
        "auth"
    );
    assert!(printed["paths"]["/api/v1/auth/session"]["delete"].is_object());
    assert_eq!(
        printed["paths"]["/api/v1/game/data"]["get"]["tags"][0],
        "game"
    );
    // Every operation id is unique (code generators key operations by it).
    let mut ids = std::collections::HashMap::new();
    for (path, item) in printed["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str() {
                if let Some(other) = ids.insert(id.to_owned(), format!("{method} {path}")) {
                    panic!("operation id {id} on {method} {path} and {other}");
                }
            }
        }
    }
    // `builds_create` would still be shared with the saved builds' create (same tag).
    assert_eq!(
        printed["paths"]["/api/v1/builds"]["post"]["operationId"],
        "post_api_v1_builds"
    );
    assert_eq!(
        printed["paths"]["/api/v1/teams"]["post"]["operationId"],
        "teams_create"
    );
    // Names that were already unique are kept.
    assert_eq!(
        printed["paths"]["/api/v1/auth/register"]["post"]["operationId"],
        "register"
    );
}
