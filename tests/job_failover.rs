//! Durable jobs survive the death of the instance running them: two real `gw2opt serve`
//! processes on one PostgreSQL database (and Redis when configured). Gear optimizations are
//! submitted to instance A; once A is running them it is killed with SIGKILL (no shutdown
//! code runs); instance B takes each job over when its lease expires and finishes it with
//! the same result as a direct run of the engine, and no job is completed twice. The same for
//! a `log_parse` job (an uploaded log kept in the database): A is killed in the middle of the
//! parse, B parses it again from the database and the fight is stored once. Skipped (with a
//! note) without `GW2OPT_TEST_POSTGRES_URL`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::process::{Child, Command};

const SECRET: &str = "failover-test-signing-key-0123456789abcdef";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Instance {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

async fn start(name: &str, database_url: &str) -> Instance {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gw2opt"));
    cmd.arg("serve")
        .env("GW2OPT_BIND", format!("127.0.0.1:{port}"))
        .env("GW2OPT_DATA_DIR", dir.path())
        .env("DATABASE_URL", database_url)
        .env("SECRET_KEY", SECRET)
        .env("GW2OPT_INSTANCE_NAME", name)
        .env("GW2OPT_JOB_WORKERS", "2")
        .env("GW2OPT_JOB_LEASE_SECONDS", "3")
        .env("GW2OPT_JOB_POLL_MS", "100")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if let Ok(redis) = std::env::var("GW2OPT_TEST_REDIS_URL") {
        cmd.env("REDIS_URL", redis);
    } else {
        cmd.env_remove("REDIS_URL");
    }
    let child = cmd.spawn().expect("gw2opt serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/health/ready")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(Instant::now() < deadline, "{name} did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Instance {
        child,
        base,
        _dir: dir,
    }
}

/// A gear search of a few seconds in a debug build (about 2.5 s on a 2-core machine): the
/// discretize quickness condi Catalyst template with its every extras candidate, long enough
/// that A is still in the middle of it when killed.
fn search() -> Value {
    let input = optimizer::benchmark::template_input(
        "condi-cat-quick-pw",
        optimizer::benchmark::TemplateMode::Fractals,
    )
    .unwrap();
    serde_json::to_value(input).unwrap()
}

async fn register(client: &reqwest::Client, base: &str, username: &str) -> String {
    let register = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": format!("{username}@example.com"), "username": username, "password": "Correct-Horse-9-Battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 201, "{}", register.text().await.unwrap());
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": "Correct-Horse-9-Battery"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

async fn job(client: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    client
        .get(format!("{base}/api/v1/jobs/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn jobs_of_a_killed_instance_finish_on_the_other_once() {
    let Some(test) = store::testing::TestDb::postgres().await.unwrap() else {
        eprintln!("note: GW2OPT_TEST_POSTGRES_URL not set: the job failover test is skipped");
        return;
    };
    let url = test.url.clone();
    let mut a = start("instance-a", &url).await;
    let client = reqwest::Client::new();
    let token = register(&client, &a.base, "failover").await;

    // The engine's own answer, for comparison.
    let input = search();
    let expected = optimizer::gear::run(&serde_json::from_value(input.clone()).unwrap()).unwrap();
    let expected_score = expected.results[0].score;

    let mut ids = Vec::new();
    for _ in 0..3 {
        let reply = client
            .post(format!("{}/api/v1/jobs", a.base))
            .bearer_auth(&token)
            .json(&json!({"kind": "gear_optimization", "input": {"input": input}}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 202);
        let body: Value = reply.json().await.unwrap();
        assert_eq!(body["status"], "queued");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    // Kill A as soon as it runs a job (two workers: two run, one waits).
    let deadline = Instant::now() + Duration::from_secs(30);
    let running_on_a = loop {
        let mut running = Vec::new();
        for id in &ids {
            if job(&client, &a.base, &token, id).await["status"] == "running" {
                running.push(id.clone());
            }
        }
        if !running.is_empty() {
            break running;
        }
        assert!(Instant::now() < deadline, "A never ran a job");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    a.child.start_kill().unwrap();
    a.child.wait().await.unwrap();
    let killed_at = Instant::now();

    let b = start("instance-b", &url).await;
    // A job seen running may still have finished on A between that look and the kill: only
    // the ones not finished now were cut short by the kill.
    let mut running_on_a_at_kill = Vec::new();
    for id in running_on_a {
        let j = job(&client, &b.base, &token, &id).await;
        if j["status"] == "done" {
            assert!(
                j["completed_by"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("instance-a#"),
                "{j}"
            );
        } else {
            running_on_a_at_kill.push(id);
        }
    }
    let running_on_a = running_on_a_at_kill;
    assert!(
        !running_on_a.is_empty(),
        "A finished every job it was running before the kill: the search is too short"
    );
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut finished = Vec::new();
    for id in &ids {
        loop {
            let j = job(&client, &b.base, &token, id).await;
            if j["status"] != "queued" && j["status"] != "running" {
                finished.push(j);
                break;
            }
            assert!(Instant::now() < deadline, "job {id} did not finish: {j}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    eprintln!(
        "failover: {} job(s) were running on A when it was killed; all {} finished {:.1} s after the kill",
        running_on_a.len(),
        ids.len(),
        killed_at.elapsed().as_secs_f64()
    );
    for j in &finished {
        let id = j["id"].as_str().unwrap();
        assert_eq!(j["status"], "done", "{j}");
        let score = j["result"]["results"][0]["score"].as_f64().unwrap();
        assert!(
            (score - expected_score).abs() <= 1e-9 * expected_score.abs().max(1.0),
            "{id}: {score} vs the engine's {expected_score}"
        );
        if running_on_a.iter().any(|r| r == id) {
            let by = j["completed_by"].as_str().unwrap_or_default();
            assert!(by.starts_with("instance-b#"), "{id}: completed by {by}");
            assert_eq!(
                j["attempts"], 2,
                "{id}: taken over once after A's lease expired"
            );
        }
        eprintln!(
            "job {id}: attempts {}, completed by {}, score {score}",
            j["attempts"], j["completed_by"]
        );
    }
}

/// A log whose parse takes long enough in a debug build to kill its instance in the middle:
/// a synthetic 30-vs-30 fight of a few minutes.
fn big_log() -> Vec<u8> {
    let config = evtc::write::synthetic::Config {
        squad: 30,
        enemies: 30,
        duration_ms: 240_000,
        ..Default::default()
    };
    evtc::write::write_evtc(&evtc::write::synthetic::wvw_fight(&config))
}

#[tokio::test]
async fn a_log_parse_of_a_killed_instance_finishes_on_the_other_stored_once() {
    let Some(test) = store::testing::TestDb::postgres().await.unwrap() else {
        eprintln!("note: GW2OPT_TEST_POSTGRES_URL not set: the log job failover test is skipped");
        return;
    };
    let url = test.url.clone();
    let mut a = start("instance-a", &url).await;
    let client = reqwest::Client::new();
    let token = register(&client, &a.base, "parser").await;
    let bytes = big_log();
    let expected = serde_json::to_value(evtc::analyze(&evtc::parse(&bytes).unwrap())).unwrap();

    const BOUNDARY: &str = "failover-log-boundary";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.evtc\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let reply = client
        .post(format!("{}/api/v1/mcm/logs?async=true", a.base))
        .bearer_auth(&token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 202, "{}", reply.text().await.unwrap());
    let id = reply.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Kill A as soon as it parses.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let j = job(&client, &a.base, &token, &id).await;
        if j["status"] == "running" {
            break;
        }
        assert_eq!(
            j["status"], "queued",
            "A finished the parse before it could be killed: {j}"
        );
        assert!(Instant::now() < deadline, "A never ran the parse");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.child.start_kill().unwrap();
    a.child.wait().await.unwrap();
    let killed_at = Instant::now();

    let b = start("instance-b", &url).await;
    let deadline = Instant::now() + Duration::from_secs(180);
    let done = loop {
        let j = job(&client, &b.base, &token, &id).await;
        if j["status"] != "queued" && j["status"] != "running" {
            break j;
        }
        assert!(Instant::now() < deadline, "the parse did not finish: {j}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!(
        "log failover: {} byte log, finished {:.1} s after A was killed: attempts {}, completed by {}",
        bytes.len(),
        killed_at.elapsed().as_secs_f64(),
        done["attempts"],
        done["completed_by"]
    );
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        done["attempts"], 2,
        "taken over once after A's lease expired"
    );
    assert!(
        done["completed_by"]
            .as_str()
            .unwrap()
            .starts_with("instance-b#"),
        "{done}"
    );
    assert_eq!(done["result"]["id"], id.as_str(), "{done}");
    assert_eq!(done["result"]["duplicate"], false);
    let mine: Value = client
        .get(format!("{}/api/v1/mcm/fights?mine=true", b.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1, "stored once: {mine}");
    let fight: Value = client
        .get(format!("{}/api/v1/mcm/fights/{id}", b.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fight["report"], expected, "the parser's report");
}
