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
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("migration(s) applied") && !out.starts_with("0 "), "{out}");
    assert!(dir.path().join("gw2opt.db").exists());
    let second = gw2opt(dir.path()).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).starts_with("0 migration(s) applied"));
}

#[test]
fn create_superuser_from_flags_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let ok = gw2opt(dir.path())
        .args(["user", "create-superuser", "--email", "boss@example.com", "--username", "boss"])
        .env("GW2OPT_SUPERUSER_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("superuser boss <boss@example.com> created"));
    // The same account again is a clear error, not a crash.
    let again = gw2opt(dir.path())
        .args(["user", "create-superuser", "--email", "BOSS@example.com", "--username", "boss2", "--password", "a long enough password"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // A weak password is refused with the rule.
    let weak = gw2opt(dir.path())
        .args(["user", "create-superuser", "--email", "x@example.com", "--username", "xavier", "--password", "short"])
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));
}

#[test]
fn production_without_a_secret_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = gw2opt(dir.path()).args(["serve", "--bind", "127.0.0.1:0"]).env("GW2OPT_ENV", "production").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SECRET_KEY is required"));
}
