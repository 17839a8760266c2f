//! The `gw2opt` binary's maintenance commands, run as a user would.

use std::process::Command;

fn gw2opt(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gw2opt"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GW2OPT_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .current_dir(data_dir);
    cmd
}

#[test]
fn migrate_creates_then_finds_the_database_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let first = gw2opt(dir.path()).arg("migrate").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        out.contains("migration(s) applied") && !out.starts_with("0 "),
        "{out}"
    );
    assert!(dir.path().join("gw2opt.db").exists());
    let second = gw2opt(dir.path()).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).starts_with("0 migration(s) applied"));
}

#[test]
fn create_superuser_from_flags_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let ok = gw2opt(dir.path())
        .args([
            "user",
            "create-superuser",
            "--email",
            "boss@example.com",
            "--username",
            "boss",
        ])
        .env("GW2OPT_SUPERUSER_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("superuser boss <boss@example.com> created")
    );
    // The same account again is a clear error, not a crash.
    let again = gw2opt(dir.path())
        .args([
            "user",
            "create-superuser",
            "--email",
            "BOSS@example.com",
            "--username",
            "boss2",
            "--password",
            "a long enough password",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // A weak password is refused with the rule.
    let weak = gw2opt(dir.path())
        .args([
            "user",
            "create-superuser",
            "--email",
            "x@example.com",
            "--username",
            "xavier",
            "--password",
            "short",
        ])
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 12 characters"));
    // Long enough but among the most used passwords: refused with zxcvbn's reason.
    let common = gw2opt(dir.path())
        .args([
            "user",
            "create-superuser",
            "--email",
            "x@example.com",
            "--username",
            "xavier",
            "--password",
            "password1234",
        ])
        .output()
        .unwrap();
    assert!(!common.status.success());
    let stderr = String::from_utf8_lossy(&common.stderr);
    assert!(
        stderr.contains("too easy to guess") && stderr.contains("common"),
        "{stderr}"
    );
}

#[test]
fn production_without_a_secret_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = gw2opt(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("GW2OPT_ENV", "production")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SECRET_KEY is required"));
}

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gw2opt(dir.path());
    cmd.args(args)
        .current_dir(repo())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A build code from the gw2 crate's cited public test vectors.
fn published_code() -> String {
    let vectors = std::fs::read_to_string(repo().join("crates/gw2/tests/chatcode.rs")).unwrap();
    vectors
        .split('"')
        .find(|s| s.starts_with("[&DQ"))
        .unwrap()
        .to_owned()
}

#[test]
fn code_decode_encode_round_trips_raw_and_resolved() {
    let code = published_code();
    let (ok, json, err) = run(&["code", "decode", &code], None);
    assert!(ok, "{err}");
    let build: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(build["profession"]["name"].is_string() && build["specializations"].is_array());
    let (ok, again, err) = run(&["code", "encode"], Some(&json));
    assert!(ok, "{err}");
    assert_eq!(again.trim(), code);

    let (ok, raw, _) = run(&["code", "decode", "--raw", &format!("  {code}\n")], None);
    assert!(ok, "surrounding whitespace is tolerated");
    let (ok, again, _) = run(&["code", "encode", "--raw"], Some(&raw));
    assert!(ok);
    assert_eq!(again.trim(), code);

    for bad in ["[&DQ==]", "[&Zm9v]", "hello", "[&DQ!!]"] {
        let (ok, _, err) = run(&["code", "decode", bad], None);
        assert!(!ok, "{bad} must fail");
        assert!(err.contains("invalid build code"), "{err}");
    }
    let (ok, _, err) = run(&["code", "encode"], Some("{\"profession\": 3}"));
    assert!(!ok && err.contains("invalid build JSON"), "{err}");
}

#[test]
fn squad_json_places_every_player_exactly_once() {
    let (ok, json, err) = run(
        &[
            "squad",
            "--input",
            "presets/squad/wvw25.json",
            "--format",
            "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let input: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("presets/squad/wvw25.json")).unwrap(),
    )
    .unwrap();
    let mut placed: Vec<String> = plan["parties"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["player"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut expected: Vec<String> = input["players"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    placed.sort();
    expected.sort();
    assert_eq!(placed, expected);
    assert!(plan["parties"][0]["coverage"].is_array() && plan["parties"][0]["gaps"].is_array());
    let (ok, table, _) = run(&["squad", "--input", "presets/squad/raid10.json"], None);
    assert!(ok && table.contains("Party 1"));
}

#[test]
fn optimize_json_ranks_results_with_dps_gear_and_attributes() {
    let (ok, json, err) = run(
        &[
            "optimize",
            "--input",
            "presets/gear/power-berserker.json",
            "--top",
            "3",
            "--format",
            "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let out: serde_json::Value = serde_json::from_str(&json).unwrap();
    let results = out["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 3);
    let dps: Vec<f64> = results.iter().map(|r| r["dps"].as_f64().unwrap()).collect();
    assert!(dps.windows(2).all(|w| w[0] >= w[1]), "best first: {dps:?}");
    assert!(
        results[0]["gear"].as_object().unwrap().len() >= 13,
        "one entry per gear slot"
    );
    assert!(results[0]["attributes"].is_object());
    let (ok, _, err) = run(&["optimize", "--input", "presets/gear/missing.json"], None);
    assert!(!ok && err.contains("missing.json"));
}

/// An input with extras candidates: each result names the rune and sigils it uses.
#[test]
fn optimize_searches_extras_with_the_gear() {
    let dir = tempfile::tempdir().unwrap();
    let mut input: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("presets/gear/power-berserker.json")).unwrap(),
    )
    .unwrap();
    input["extras"] = serde_json::json!({
        "runes": ["rune:scholar", "rune:eagle"],
        "sigil1": ["sigil:force", "sigil:accuracy"],
        "sigil2": ["sigil:impact/night/slaying-both"]
    });
    let path = dir.path().join("extras.json");
    std::fs::write(&path, input.to_string()).unwrap();
    let path = path.to_string_lossy().into_owned();
    let (ok, json, err) = run(
        &[
            "optimize", "--input", &path, "--top", "3", "--format", "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let out: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(out["search"]["extras_combinations"], 4);
    let extras = &out["results"][0]["extras"];
    assert!(
        extras["runes"].as_str().unwrap().starts_with("rune:"),
        "{extras}"
    );
    assert_eq!(extras["sigil2"], "sigil:impact/night/slaying-both");
    let (ok, table, err) = run(&["optimize", "--input", &path, "--top", "2"], None);
    assert!(
        ok && table.contains("4 extras combinations"),
        "{table}{err}"
    );
}

/// discretize's templates: listed, printed as gear inputs, and run with their default
/// candidates (extras included); the printed input gives the same optimum through `--input`.
#[test]
fn optimize_runs_discretize_templates() {
    let (ok, list, err) = run(&["optimize", "--list-templates", "--format", "json"], None);
    assert!(ok, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    assert!(list.len() >= 160, "{}", list.len());
    assert!(list.iter().any(|t| t["id"] == "pbers"));
    let (ok, json, err) = run(
        &[
            "optimize",
            "--template",
            "pbers",
            "--top",
            "2",
            "--format",
            "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let out: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(out["search"]["proven_optimal"], true);
    assert!(out["search"]["extras_combinations"].as_u64().unwrap() > 1);
    assert!(out["results"][0]["extras"]["runes"].is_string());
    let (ok, input, err) = run(
        &[
            "optimize",
            "--template",
            "pbers",
            "--template-mode",
            "raids",
            "--print-input",
        ],
        None,
    );
    assert!(ok, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pbers.json");
    std::fs::write(&path, &input).unwrap();
    let path = path.to_string_lossy().into_owned();
    let (ok, again, err) = run(
        &[
            "optimize", "--input", &path, "--top", "2", "--format", "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    let (ok, raids, err) = run(
        &[
            "optimize",
            "--template",
            "pbers",
            "--template-mode",
            "raids",
            "--top",
            "2",
            "--format",
            "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    let raids: serde_json::Value = serde_json::from_str(&raids).unwrap();
    assert_eq!(again["results"][0]["score"], raids["results"][0]["score"]);
    let (ok, _, err) = run(&["optimize", "--template", "no-such-template"], None);
    assert!(!ok && err.contains("unknown template"), "{err}");
}

#[test]
fn parse_log_prints_reports_and_refuses_garbage() {
    let (ok, json, err) = run(
        &[
            "parse-log",
            "crates/evtc/tests/fixtures/skirmish.zevtc",
            "--format",
            "json",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    let (ok, ei, _) = run(
        &[
            "parse-log",
            "crates/evtc/tests/fixtures/skirmish.evtc",
            "--format",
            "ei-json",
        ],
        None,
    );
    assert!(ok);
    let ei: serde_json::Value = serde_json::from_str(&ei).unwrap();
    assert!(ei["players"].is_array());
    let (ok, table, _) = run(
        &["parse-log", "crates/evtc/tests/fixtures/skirmish.evtc"],
        None,
    );
    assert!(ok && table.contains("Commander"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.zevtc");
    std::fs::write(&bad, b"PK\x03\x04 not really a zip").unwrap();
    let (ok, _, err) = run(&["parse-log", bad.to_str().unwrap()], None);
    assert!(!ok && err.contains("not a readable arcdps log"), "{err}");
}

#[test]
fn openapi_prints_the_services_document_without_starting_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = gw2opt(dir.path()).arg("openapi").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n  \"paths\""), "pretty-printed");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc, serde_json::to_value(server::app::openapi()).unwrap());
    assert!(doc["paths"]["/api/v1/auth/session"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/game/data"]["get"].is_object());
    // Nothing was created: no database, no key.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn production_refuses_unsafe_settings_in_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = gw2opt(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("GW2OPT_ENV", "production")
        .env("GW2OPT_INSTANCES", "2")
        .env("GW2OPT_CORS_ORIGINS", "*")
        .env("GW2OPT_CORS_CREDENTIALS", "true")
        .env("GW2OPT_PUBLIC_URL", "http://gw2.example.org")
        .output()
        .unwrap();
    assert!(!out.status.success(), "it must not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("GW2OPT_ENV=production refuses to start with 5 unsafe setting(s):"),
        "{err}"
    );
    for problem in [
        "SECRET_KEY is required",
        "GW2OPT_INSTANCES=2 with SQLite",
        "GW2OPT_INSTANCES=2 without REDIS_URL",
        "GW2OPT_CORS_ORIGINS=* with GW2OPT_CORS_CREDENTIALS=true",
        "GW2OPT_PUBLIC_URL=http://gw2.example.org is public but not https://",
    ] {
        assert!(err.contains(problem), "{problem} in {err}");
    }
    assert!(
        !dir.path().join("gw2opt.db").exists(),
        "refused before touching the database"
    );
}

/// `gw2opt healthcheck` (the container image's HEALTHCHECK): exit 1 while nothing answers,
/// 0 once the service listening on every interface is ready (asked on loopback), and 1
/// with `draining` once it has been told to stop (GW2OPT_SHUTDOWN_DELAY keeps it answering).
#[test]
fn healthcheck_follows_the_services_readiness() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("0.0.0.0:{port}");
    let check = || {
        let out = gw2opt(dir.path())
            .args(["healthcheck", "--timeout", "2"])
            .env("GW2OPT_BIND", &bind)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = check();
    assert!(!ok && err.contains("no answer from"), "{err}");

    let mut service = gw2opt(dir.path())
        .arg("serve")
        .env("GW2OPT_BIND", &bind)
        .env("SECRET_KEY", "healthcheck-test-signing-key-0123456789abc")
        .env("GW2OPT_SHUTDOWN_DELAY", "5")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let said = loop {
        let (ok, out, _) = check();
        if ok {
            break out;
        }
        assert!(std::time::Instant::now() < deadline, "never ready");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(
        said.contains(&format!(
            "http://127.0.0.1:{port}/health/ready answered 200"
        )),
        "{said}"
    );

    let term = Command::new("kill")
        .args(["-TERM", &service.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(4);
    let err = loop {
        let (ok, _, err) = check();
        if !ok {
            break err;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still ready after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(err.contains("503") && err.contains("(draining)"), "{err}");
    assert!(
        service.wait().unwrap().success(),
        "a clean exit after the delay"
    );
}
