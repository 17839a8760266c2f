//! `gw2opt data sync` against a local server speaking the GW2 API's protocol (ids=all,
//! 206/404 handled by the client), serving the recorded responses of `../shared/data`: the
//! snapshot it builds must equal the committed one (the same facts through the live path).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, Query};
use axum::response::IntoResponse;

fn reference() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    p.join("gw2-api/professions.json").exists().then_some(p)
}

async fn serve(dir: PathBuf) -> String {
    let api = dir.clone();
    let app = axum::Router::new().route(
        "/v2/{endpoint}",
        axum::routing::get(
            move |UrlPath(endpoint): UrlPath<String>, Query(q): Query<HashMap<String, String>>| {
                let api = api.clone();
                async move {
                    let file = api.join("gw2-api").join(format!("{endpoint}.json"));
                    match std::fs::read(&file) {
                        // The API answers bulk endpoints with `ids=all` and the build as is.
                        Ok(body)
                            if endpoint == "build"
                                || q.get("ids").map(String::as_str) == Some("all") =>
                        {
                            (
                                [
                                    ("content-type", "application/json"),
                                    ("cache-control", "public, max-age=300"),
                                ],
                                body,
                            )
                                .into_response()
                        }
                        Ok(_) => (
                            axum::http::StatusCode::BAD_REQUEST,
                            "{\"text\":\"ids required\"}",
                        )
                            .into_response(),
                        Err(_) => (
                            axum::http::StatusCode::NOT_FOUND,
                            "{\"text\":\"not found\"}",
                        )
                            .into_response(),
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn sync_rebuilds_the_committed_snapshot_from_the_api() {
    let Some(data) = reference() else {
        eprintln!("skipped: ../shared/data not found");
        return;
    };
    let url = serve(data.clone()).await;
    let out = tempfile::tempdir().unwrap();
    let snapshot = out.path().join("snapshot.json");
    let status = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(["data", "sync", "--base-url", &url, "--discretize"])
        .arg(data.join("discretize"))
        .arg("--save-to")
        .arg(out.path().join("sync"))
        .arg("--out")
        .arg(&snapshot)
        .env("RUST_LOG", "warn")
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/gw2/data/snapshot.json"))
            .unwrap();
    assert!(
        std::fs::read(&snapshot).unwrap() == committed,
        "the synced snapshot differs from the committed one"
    );
    // The responses were saved in the import layout.
    for file in [
        "build",
        "professions",
        "specializations",
        "itemstats",
        "pets",
    ] {
        assert!(
            out.path()
                .join(format!("sync/gw2-api/{file}.json"))
                .exists(),
            "{file}"
        );
    }
}

#[tokio::test]
async fn sync_reports_an_unreachable_api() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(["data", "sync", "--base-url", &url, "--save-to"])
        .arg(out.path())
        .arg("--out")
        .arg(out.path().join("snapshot.json"))
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/v2/build"), "{stderr}");
    assert!(
        !out.path().join("snapshot.json").exists(),
        "no snapshot from nothing"
    );
}
