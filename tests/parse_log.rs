//! `gw2opt parse-log` on logs cut inside an event and on logs that are not fights.

use std::process::Command;

fn parse_log(file: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .args(["parse-log", file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/evtc/tests/fixtures/skirmish.evtc"
    ))
    .unwrap()
}

#[test]
fn a_log_cut_inside_an_event_is_reported_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let full = fixture();
    let cut_at = full.len() - 64 - 64 + 10; // ten bytes into the second-to-last event
    let path = dir.path().join("crashed.evtc");
    std::fs::write(&path, &full[..cut_at]).unwrap();
    let (ok, json, err) = parse_log(&path);
    assert!(ok, "a truncated log still parses: {err}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let at = cut_at as u64 - 10;
    assert_eq!(report["truncated_at"], at);
    assert!(
        err.contains("warning") && err.contains(&format!("byte {at}")),
        "{err}"
    );

    // A complete log: no warning, no field.
    let path = dir.path().join("whole.evtc");
    std::fs::write(&path, &full).unwrap();
    let (ok, json, err) = parse_log(&path);
    assert!(ok && !err.contains("warning"), "{err}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(report.get("truncated_at").is_none());
}

#[test]
fn a_log_without_events_is_not_a_fight() {
    let dir = tempfile::tempdir().unwrap();
    let full = fixture();
    let log = evtc::parse(&full).unwrap();
    let events_at = full.len() - log.events.len() * 64;
    let path = dir.path().join("empty.evtc");
    std::fs::write(&path, &full[..events_at]).unwrap();
    let (ok, _, err) = parse_log(&path);
    assert!(!ok && err.contains("no combat events"), "{err}");
}
