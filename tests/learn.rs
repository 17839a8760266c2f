//! `gw2opt learn run`, run as an operator would: on fights stored in the SQLite database
//! of a data dir, and on an empty one.

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

/// Stores `count` fights where stability decides the outcome, uploaded by one account.
fn seed_fights(data_dir: &std::path::Path, count: usize) {
    let reports = learning::synthetic::fights(count, learning::synthetic::Signal::Stability, 7);
    store_reports(data_dir, &reports);
}

/// Stores `reports` as fights uploaded by one account.
fn store_reports(data_dir: &std::path::Path, reports: &[evtc::FightReport]) {
    let url = format!("sqlite://{}", data_dir.join("gw2opt.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = store::Db::connect(&url, &store::DbOptions::default())
            .await
            .unwrap();
        let user = store::users::create(
            &db,
            &store::users::NewUser {
                email: "ann@example.com".into(),
                username: "ann".into(),
                hashed_password: "$argon2id$placeholder-not-a-real-hash".into(),
                full_name: None,
                is_superuser: false,
                is_verified: false,
            },
            store::now(),
        )
        .await
        .unwrap();
        for (i, report) in reports.iter().enumerate() {
            let fight = store::fights::NewFight {
                id: uuid::Uuid::new_v4(),
                user_id: user.id,
                file_name: format!("{i}.zevtc"),
                file_size: 1,
                file_sha256: format!("{:064x}", i + 1),
                fight_name: report.fight_name.clone(),
                map_id: None,
                is_wvw: true,
                started_at: None,
                duration_ms: report.duration_ms,
                squad_size: report.squad_size as i32,
                enemy_count: report.enemy_count as i32,
                outcome: format!("{:?}", report.outcome.result).to_lowercase(),
                squad_damage: 0,
                commander: None,
                report: serde_json::to_string(report).unwrap(),
                raw_path: None,
                is_public: false,
                truncated_at: None,
            };
            store::fights::insert(&db, &fight, None, store::now())
                .await
                .unwrap();
        }
        db.close().await;
    });
}

#[test]
fn learn_run_trains_on_stored_fights_and_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = gw2opt(dir.path()).arg("migrate").output().unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    seed_fights(dir.path(), 150);

    let out = gw2opt(dir.path())
        .args(["learn", "run", "--task", "fight_outcome"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
    let mut lines = stdout.lines();
    let header = lines.next().unwrap();
    for column in [
        "task",
        "kind",
        "metric",
        "CV mean ± sd",
        "baseline",
        "selected",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(stdout.contains("# fight_outcome: 150 samples, snapshot fight_outcome@1 (new)"));
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("fight_outcome "))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(rows.iter().any(|r| r.contains("logistic_regression")));
    assert!(rows.iter().any(|r| r.contains("decision_tree")));
    assert_eq!(
        rows.iter().filter(|r| r.ends_with(" yes")).count(),
        1,
        "{stdout}"
    );
    assert!(!stdout.contains("build_rating"), "only the asked task");

    // again, as JSON: the same samples keep their snapshot, the models get version 2
    let out = gw2opt(dir.path())
        .args([
            "learn",
            "run",
            "--task",
            "fight_outcome",
            "--format",
            "json",
            "--folds",
            "4",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let task = &json["tasks"][0];
    assert_eq!(task["version"], 2);
    assert_eq!(task["snapshot"]["new"], false);
    assert_eq!(
        task["models"][0]["metrics"]["fold_scores"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn learn_run_ranks_specializations_by_player_contribution() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = gw2opt(dir.path()).arg("migrate").output().unwrap();
    assert!(migrated.status.success());
    let reports = learning::synthetic::contribution::fights(
        60,
        learning::synthetic::contribution::Signal::Firebrand,
        41,
    );
    store_reports(dir.path(), &reports);

    let out = gw2opt(dir.path())
        .args(["learn", "run", "--task", "player_contribution"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
    assert!(
        stdout.contains("snapshot player_contribution@1 (new)"),
        "{stdout}"
    );
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("player_contribution "))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(rows.iter().all(|r| r.contains(" r2 ")), "{stdout}");
    assert_eq!(rows.iter().filter(|r| r.ends_with(" yes")).count(), 1);
    let ranking = stdout
        .lines()
        .find(|l| {
            l.starts_with("# player_contribution: predicted contribution by elite specialization")
        })
        .unwrap_or_else(|| panic!("no ranking in {stdout}"));
    let first = ranking.split(": ").nth(2).unwrap();
    assert!(first.starts_with("Firebrand "), "{ranking}");
    assert_eq!(first.split(", ").count(), 5, "{ranking}");
}

#[test]
fn learn_run_on_an_empty_database_says_why_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = gw2opt(dir.path()).args(["learn", "run"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        stdout.contains("fight_outcome        not trained: fight_outcome: 0 samples, at least 10"),
        "{stdout}"
    );
    assert!(
        stdout.contains("build_rating         not trained"),
        "{stdout}"
    );
    assert!(
        stdout.contains("player_contribution  not trained"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no task could be trained"));
    let bad = gw2opt(dir.path())
        .args(["learn", "run", "--task", "chess"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid value 'chess'"));
}
