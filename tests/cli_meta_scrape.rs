//! `gw2opt scrape` and `gw2opt meta`, run as an operator would, on a SQLite database in a
//! temporary data directory, importing from a local web server.

use std::path::Path;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

fn gw2opt(data_dir: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GW2OPT_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .current_dir(data_dir);
    cmd
}

async fn run(cmd: &mut tokio::process::Command) -> (bool, String, String) {
    let out = cmd.output().await.unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A guide page with gear text and no chat code, and a page without a build.
async fn site() -> String {
    let guide = "<html><head><title>Scourge WvW Zerg DPS</title></head><body><h1>Zerg Scourge</h1>\
                 <ul><li>Armor: Viper's</li><li>Trinkets: Viper's</li><li>Weapons: Sinister</li></ul>\
                 </body></html>";
    let app =
        axum::Router::new()
            .route("/robots.txt", get(|| async { "User-agent: *\nAllow: /\n" }))
            .route(
                "/scourge",
                get(move || async move {
                    ([(header::CONTENT_TYPE, "text/html")], guide).into_response()
                }),
            )
            .route(
                "/empty",
                get(|| async {
                    ([(header::CONTENT_TYPE, "text/html")], "<p>nothing</p>").into_response()
                }),
            );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn scrape_imports_pages_and_meta_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let base = site().await;
    let page = format!("{base}/scourge");

    // No account to own the builds: a clear error.
    let (ok, _, err) = run(gw2opt(dir.path()).args(["scrape", &page])).await;
    assert!(!ok);
    assert!(err.contains("no superuser"), "{err}");

    let (ok, _, err) = run(gw2opt(dir.path())
        .args([
            "user",
            "create-superuser",
            "--email",
            "ops@example.com",
            "--username",
            "ops",
        ])
        .env("GW2OPT_SUPERUSER_PASSWORD", "a long enough password"))
    .await;
    assert!(ok, "{err}");

    // Loopback is refused unless allowed (the polite client's public-address rule).
    let (ok, out, _) = run(gw2opt(dir.path()).args(["scrape", &page])).await;
    assert!(!ok);
    assert!(
        out.contains("failed") && out.contains("internal address"),
        "{out}"
    );

    let scrape = |extra: &[&str]| {
        let mut cmd = gw2opt(dir.path());
        cmd.args(["scrape", "--public", "--fetch-private-addresses", "true"])
            .args(extra);
        cmd
    };
    let (ok, out, err) = run(&mut scrape(&["--json", &page])).await;
    assert!(ok, "{out}\n{err}");
    let results: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(results[0]["status"], "imported", "{results}");
    assert!(results[0]["detail"]
        .as_str()
        .unwrap()
        .contains("Necromancer Scourge, wvw_zerg, dps"));

    // Again, with a page without a build: one line each, exit 1 for the failure.
    let empty = format!("{base}/empty");
    let (ok, out, err) = run(&mut scrape(&["--as", "ops", &page, &empty])).await;
    assert!(!ok);
    assert!(
        out.contains(&format!("skipped  {page}"))
            && out.contains("unchanged since the last import"),
        "{out}"
    );
    assert!(out.contains(&format!("failed   {empty}")) && out.contains("no build on the page"));
    assert!(err.contains("1 of 2 page(s) failed"), "{err}");

    // The meta sees the imported build.
    let (ok, out, err) =
        run(gw2opt(dir.path()).args(["meta", "--json", "--game-mode", "wvw"])).await;
    assert!(ok, "{err}");
    let meta: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(meta["totals"]["current"]["builds"], 1);
    assert_eq!(meta["specializations"][0]["name"], "Scourge");
    assert_eq!(meta["stat_prefixes"][0]["name"], "Viper's");
    assert_eq!(meta["stat_prefixes"][0]["trend"], "new");

    let (ok, out, err) = run(gw2opt(dir.path()).args(["meta", "--period", "4w"])).await;
    assert!(ok, "{err}");
    assert!(
        out.starts_with("Meta of every game mode: the last 28 days"),
        "{out}"
    );
    assert!(
        out.contains("Specializations") && out.contains("Scourge"),
        "{out}"
    );
    assert!(
        out.contains("Stat prefixes") && out.contains("Viper's"),
        "{out}"
    );
    assert!(out.contains("+100.0pp"), "{out}");

    let (ok, _, err) = run(gw2opt(dir.path()).args(["meta", "--period", "0d"])).await;
    assert!(!ok);
    assert!(err.contains("period"), "{err}");
}
