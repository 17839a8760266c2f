//! `gw2opt bench ...`: the pieces of the load benchmark (`bench/load.sh`) that need more
//! than wrk: the ceiling server, seeding a running service, and the mixed read/write
//! scenario with its after-the-fact check that every accepted write was stored.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

/// A bare axum endpoint returning a small JSON: no middleware, database or auth. What it
/// serves under load is the most this machine and load tool allow. `/bytes/{n}` serves a JSON
/// body of exactly `n` bytes (at most [`MAX_CEILING_BODY`]): the ceiling for a response of that
/// size, since moving a large body through the kernel costs what no middleware can save (a
/// team of 50 players is 65 KB).
pub async fn ceiling(bind: SocketAddr) -> anyhow::Result<()> {
    let bodies: Arc<std::sync::RwLock<HashMap<usize, axum::body::Bytes>>> = Arc::default();
    let app = axum::Router::new()
        .route(
            "/",
            axum::routing::get(|| async { axum::Json(json!({"status": "ok"})) }),
        )
        .route(
            "/bytes/{n}",
            axum::routing::get(move |axum::extract::Path(n): axum::extract::Path<usize>| {
                let bodies = bodies.clone();
                async move { sized_body(&bodies, n) }
            }),
        );
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    eprintln!("ceiling server on http://{bind}/");
    axum::serve(listener, app)
        .with_graceful_shutdown(server::shutdown_signal())
        .await?;
    Ok(())
}

/// The largest body `/bytes/{n}` of the ceiling server serves.
pub const MAX_CEILING_BODY: usize = 16 << 20;

/// A JSON body of exactly `n` bytes (`{"pad":"xx…"}`, or spaces below its minimum), made once
/// per size.
fn sized_body(
    bodies: &std::sync::RwLock<HashMap<usize, axum::body::Bytes>>,
    n: usize,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if n > MAX_CEILING_BODY {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let known = bodies
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&n)
        .cloned();
    let body = known.unwrap_or_else(|| {
        let text = if n >= 10 {
            format!("{{\"pad\":\"{}\"}}", "x".repeat(n - 10))
        } else {
            " ".repeat(n)
        };
        let body = axum::body::Bytes::from(text);
        bodies
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(n, body.clone());
        body
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// What `bench seed` created, for the load scenarios and the mixed check.
#[derive(Debug, Serialize, Deserialize)]
pub struct Seed {
    pub users: Vec<SeedUser>,
    /// Builds created through the API (the "50 builds" set).
    pub builds: Vec<SeedBuild>,
    /// How many builds the database holds in all.
    pub total_builds: usize,
    /// A public build (build-by-id scenario).
    pub hot_build: Uuid,
    /// A public team of 50 slots.
    pub team: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedUser {
    pub id: Uuid,
    pub username: String,
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedBuild {
    pub id: Uuid,
    /// Index into `users`.
    pub owner: usize,
    pub is_public: bool,
}

const PASSWORD: &str = "load-test password 1234";

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .timeout(Duration::from_secs(30))
        .build()?)
}

async fn expect_json(response: reqwest::Response, what: &str) -> anyhow::Result<Value> {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("{what}: HTTP {status}: {body}");
    }
    Ok(serde_json::from_str(&body)?)
}

fn build_body(i: usize, public: bool) -> Value {
    const MODES: [&str; 6] = ["pve", "raid", "fractals", "strikes", "wvw", "pvp"];
    const ROLES: [&str; 3] = ["support", "healer", "boon_dps"];
    json!({
        "name": format!("Load build {i}"),
        "profession": "guardian",
        "specialization": "Firebrand",
        "game_mode": MODES[i % MODES.len()],
        "role": ROLES[i % ROLES.len()],
        "trait_lines": [
            {"specialization": "Radiance", "traits": [2, 2, 1]},
            {"specialization": "Honor", "traits": [1, 3, 2]},
            {"specialization": "Firebrand", "traits": [3, 1, 2]}
        ],
        "skills": {"heal": 5963, "utilities": [5754, 310, 255], "elite": 5656},
        "equipment": {
            "gear": {"helm": "Minstrel's", "coat": "Minstrel's", "amulet": "Minstrel's", "main_hand": "Harrier's"},
            "runes": "Superior Rune of the Monk", "sigils": ["Sigil of Transference"], "relic": "Relic of the Flock",
            "food": "Bowl of Fruit Salad with Mint Garnish", "utility": "Toxic Maintenance Oil"
        },
        "synergies": ["Scourge", "Tempest"],
        "description": format!("Stability and aegis for the zerg ({i})."),
        "tags": ["zerg", format!("tag{}", i % 7)],
        "is_public": public
    })
}

/// Seeds a running service: users (registered and logged in through the API), 50 builds
/// through the API, optionally more builds copied in bulk into its database, and a team of
/// 50 slots. Writes the seed as JSON to `out`.
pub async fn seed(
    url: &str,
    database_url: Option<&str>,
    users: usize,
    builds: usize,
    out: &Path,
) -> anyhow::Result<()> {
    let http = client()?;
    let started = Instant::now();
    let mut seeded_users = Vec::new();
    for i in 0..users.max(2) {
        let username = format!("bench{i}");
        let body = json!({"email": format!("{username}@example.com"), "username": username, "password": PASSWORD});
        let user = expect_json(
            http.post(format!("{url}/api/v1/auth/register"))
                .json(&body)
                .send()
                .await?,
            "register",
        )
        .await?;
        let tokens = expect_json(
            http.post(format!("{url}/api/v1/auth/login"))
                .json(&json!({"username": username, "password": PASSWORD}))
                .send()
                .await?,
            "login",
        )
        .await?;
        seeded_users.push(SeedUser {
            id: user["id"].as_str().context("user id")?.parse()?,
            username,
            token: tokens["access_token"].as_str().context("token")?.to_owned(),
        });
    }
    let api_builds = builds.clamp(1, 50);
    let mut seeded_builds = Vec::new();
    for i in 0..api_builds {
        let owner = i % seeded_users.len();
        let public = i % 5 != 4;
        let created = expect_json(
            http.post(format!("{url}/api/v1/builds"))
                .bearer_auth(&seeded_users[owner].token)
                .json(&build_body(i, public))
                .send()
                .await?,
            "create build",
        )
        .await?;
        seeded_builds.push(SeedBuild {
            id: created["id"].as_str().context("build id")?.parse()?,
            owner,
            is_public: public,
        });
    }
    let hot_build = seeded_builds
        .iter()
        .find(|b| b.is_public)
        .context("a public build")?
        .id;
    if builds > api_builds {
        let database_url =
            database_url.context("--database-url is needed to seed more than 50 builds")?;
        let db = store::Db::connect(database_url, &store::DbOptions::default()).await?;
        let authors: Vec<Uuid> = seeded_users.iter().map(|u| u.id).collect();
        store::bulk::clone_builds(&db, hot_build, &authors, builds - api_builds).await?;
        db.close().await;
    }
    // A full squad: 10 parties of 5, on the public builds.
    let public: Vec<Uuid> = seeded_builds
        .iter()
        .filter(|b| b.is_public)
        .map(|b| b.id)
        .collect();
    let slots: Vec<Value> = (0..50)
        .map(|i| {
            json!({"build_id": public[i % public.len()], "party": i / 5 + 1, "position": i % 5 + 1,
            "player_name": format!("Player {i}")})
        })
        .collect();
    let team = expect_json(
        http.post(format!("{url}/api/v1/teams"))
            .bearer_auth(&seeded_users[0].token)
            .json(&json!({"name": "Raid night", "game_mode": "wvw", "is_public": true, "slots": slots}))
            .send()
            .await?,
        "create team",
    )
    .await?;
    let seed = Seed {
        users: seeded_users,
        builds: seeded_builds,
        total_builds: builds.max(api_builds),
        hot_build,
        team: team["id"].as_str().context("team id")?.parse()?,
    };
    std::fs::write(out, serde_json::to_vec_pretty(&seed)?)
        .with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "seeded {} users, {} builds, 1 team of 50 in {:.1} s",
        seed.users.len(),
        seed.total_builds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What one worker of the mixed scenario saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    /// Successful anonymous views per build (each from an address of its own, so each counts).
    views: HashMap<Uuid, i64>,
    /// Accepted votes: (user index, build) → value.
    votes: HashMap<(usize, Uuid), i32>,
    /// Last accepted description per edited build.
    edits: HashMap<Uuid, String>,
    reads: u64,
    writes: u64,
}

/// The mixed scenario: `concurrency` workers for `duration`, 90% build reads and 10%
/// writes (votes and edits). Then checks in the database that every accepted write is
/// there: view counts, each vote and the vote totals, and the last accepted edit.
/// A viewer counts once per build per window, so each read comes from an address of its own
/// (`X-Forwarded-For`; the service must run with `GW2OPT_TRUST_FORWARDED_FOR=true`) and
/// every one is a view to find.
pub async fn mixed(
    url: &str,
    seed_file: &Path,
    database_url: &str,
    duration: Duration,
    concurrency: usize,
) -> anyhow::Result<()> {
    let seed: Seed = serde_json::from_slice(&std::fs::read(seed_file)?)?;
    let db = store::Db::connect(database_url, &store::DbOptions::default()).await?;
    let public: Vec<SeedBuild> = seed
        .builds
        .iter()
        .filter(|b| b.is_public)
        .cloned()
        .collect();
    let mut before_views = HashMap::new();
    let mut before_votes = HashMap::new();
    for b in &public {
        let row = store::builds::by_id(&db, b.id)
            .await?
            .context("seeded build")?;
        before_views.insert(b.id, row.views);
        before_votes.insert(b.id, (row.upvotes, row.downvotes));
    }
    // Every (voter, build) pair at most once, so each accepted vote is one row to find.
    let mut pairs: Vec<(usize, Uuid)> = (0..seed.users.len())
        .flat_map(|u| {
            public
                .iter()
                .filter(move |b| b.owner != u)
                .map(move |b| (u, b.id))
        })
        .collect();
    pairs.shuffle(&mut rand::rngs::StdRng::seed_from_u64(7));
    let per_worker = pairs.len() / concurrency.max(1);
    let http = client()?;
    let stop = Arc::new(AtomicBool::new(false));
    let seed = Arc::new(seed);
    let public = Arc::new(public);
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let my_pairs: Vec<(usize, Uuid)> = pairs[w * per_worker..(w + 1) * per_worker].to_vec();
        // Each worker edits only builds of "its" users, so edits to one build are ordered.
        let my_builds: Vec<SeedBuild> = seed
            .builds
            .iter()
            .filter(|b| b.owner % concurrency == w)
            .cloned()
            .collect();
        let (http, url, stop, seed, public) = (
            http.clone(),
            url.to_owned(),
            stop.clone(),
            seed.clone(),
            public.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(w as u64 + 1);
            let mut tally = Tally::default();
            let mut next_pair = 0;
            let mut edit_seq = 0u64;
            let mut view_seq = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let roll: f64 = rng.gen();
                let started = Instant::now();
                let ok = if roll < 0.9 || (next_pair >= my_pairs.len() && my_builds.is_empty()) {
                    let build = &public[rng.gen_range(0..public.len())];
                    // A /64 of its own per worker and request (viewers are told apart by /64).
                    view_seq += 1;
                    let viewer = std::net::Ipv6Addr::new(0xfd00, w as u16, (view_seq >> 16) as u16, view_seq as u16, 0, 0, 0, 1);
                    let ok = matches!(http.get(format!("{url}/api/v1/builds/{}", build.id))
                        .header("x-forwarded-for", viewer.to_string()).send().await,
                        Ok(r) if r.status().is_success());
                    if ok {
                        *tally.views.entry(build.id).or_default() += 1;
                        tally.reads += 1;
                    }
                    ok
                } else if (roll < 0.95 && next_pair < my_pairs.len()) || my_builds.is_empty() {
                    let (user, build) = my_pairs[next_pair];
                    next_pair += 1;
                    let value = if rng.gen_bool(0.7) { 1 } else { -1 };
                    let ok = matches!(http.post(format!("{url}/api/v1/builds/{build}/vote"))
                        .bearer_auth(&seed.users[user].token).json(&json!({"value": value})).send().await,
                        Ok(r) if r.status().is_success());
                    if ok {
                        tally.votes.insert((user, build), value);
                        tally.writes += 1;
                    }
                    ok
                } else {
                    let build = &my_builds[rng.gen_range(0..my_builds.len())];
                    edit_seq += 1;
                    let description = format!("edited by worker {w}, edit {edit_seq}");
                    let ok = matches!(http.patch(format!("{url}/api/v1/builds/{}", build.id))
                        .bearer_auth(&seed.users[build.owner].token).json(&json!({"description": description})).send().await,
                        Ok(r) if r.status().is_success());
                    if ok {
                        tally.edits.insert(build.id, description);
                        tally.writes += 1;
                    }
                    ok
                };
                tally.latencies_us.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
                if !ok {
                    tally.errors += 1;
                }
            }
            tally
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for worker in workers {
        let t = worker.await?;
        total.latencies_us.extend(t.latencies_us);
        total.errors += t.errors;
        total.reads += t.reads;
        total.writes += t.writes;
        for (k, v) in t.views {
            *total.views.entry(k).or_default() += v;
        }
        total.votes.extend(t.votes);
        total.edits.extend(t.edits);
    }
    let elapsed = started.elapsed().as_secs_f64();
    total.latencies_us.sort_unstable();
    let pct = |p: f64| {
        let n = total.latencies_us.len();
        if n == 0 {
            0.0
        } else {
            f64::from(total.latencies_us[((n as f64 * p) as usize).min(n - 1)]) / 1000.0
        }
    };
    let requests = total.latencies_us.len();
    println!(
        "mixed: {requests} requests in {elapsed:.1} s = {:.0} req/s (reads {}, writes {}), p50 {:.2} ms, p99 {:.2} ms, errors {}",
        requests as f64 / elapsed,
        total.reads,
        total.writes,
        pct(0.5),
        pct(0.99),
        total.errors
    );

    // Views are written in batches: give the service two flush periods.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut problems = Vec::new();
    for b in public.iter() {
        let row = store::builds::by_id(&db, b.id).await?.context("build")?;
        let expected_views = before_views[&b.id] + total.views.get(&b.id).copied().unwrap_or(0);
        if row.views != expected_views {
            problems.push(format!(
                "build {}: {} views stored, {expected_views} expected",
                b.id, row.views
            ));
        }
        let (up0, down0) = before_votes[&b.id];
        let up = total
            .votes
            .iter()
            .filter(|((_, id), v)| *id == b.id && **v == 1)
            .count();
        let down = total
            .votes
            .iter()
            .filter(|((_, id), v)| *id == b.id && **v == -1)
            .count();
        if i64::from(row.upvotes) != i64::from(up0) + up as i64
            || i64::from(row.downvotes) != i64::from(down0) + down as i64
        {
            problems.push(format!(
                "build {}: votes {}/{} stored, {}/{} expected",
                b.id,
                row.upvotes,
                row.downvotes,
                i64::from(up0) + up as i64,
                i64::from(down0) + down as i64
            ));
        }
    }
    for ((user, build), value) in &total.votes {
        let stored = store::builds::vote_of(&db, *build, seed.users[*user].id).await?;
        if stored != *value {
            problems.push(format!(
                "vote of {} on {build}: {stored} stored, {value} accepted",
                seed.users[*user].username
            ));
        }
    }
    for (build, description) in &total.edits {
        let row = store::builds::by_id(&db, *build).await?.context("build")?;
        if row.description.as_deref() != Some(description.as_str()) {
            problems.push(format!(
                "build {build}: last accepted edit {description:?} not stored"
            ));
        }
    }
    db.close().await;
    println!(
        "mixed check: {} views, {} votes, {} edited builds verified in the database; {} problem(s)",
        total.views.values().sum::<i64>(),
        total.votes.len(),
        total.edits.len(),
        problems.len()
    );
    for p in problems.iter().take(20) {
        println!("  {p}");
    }
    if !problems.is_empty() || total.errors > 0 {
        bail!(
            "mixed scenario: {} errors, {} lost writes",
            total.errors,
            problems.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same-size ceiling serves exactly the asked number of bytes, valid JSON from 10 on,
    /// and refuses sizes past its cap instead of allocating them.
    #[tokio::test]
    async fn sized_bodies_have_exactly_their_size() {
        let bodies = std::sync::RwLock::new(HashMap::new());
        for n in [0, 3, 10, 11, 1037, 65_093] {
            for _ in 0..2 {
                let response = sized_body(&bodies, n);
                assert_eq!(response.status(), 200);
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                assert_eq!(body.len(), n);
                if n >= 10 {
                    serde_json::from_slice::<Value>(&body).unwrap();
                }
            }
        }
        assert_eq!(bodies.read().unwrap().len(), 6);
        assert_eq!(sized_body(&bodies, MAX_CEILING_BODY + 1).status(), 413);
    }
}
