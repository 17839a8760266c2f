//! The optimizers' limits: anonymous callers get bounded runs only (long jobs, the stream and
//! large squad searches need an account), runs are capped per caller (429) and for the whole
//! service (503), both with `Retry-After`, and `/health` and logins keep answering while every
//! optimizer slot is busy. On each database.

mod common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

/// Starts a long gear job for `token`; returns its status URL.
async fn start_job(app: &TestApp, token: &str) -> String {
    let job = app
        .post(
            "/api/v1/optimize/gear",
            common::big_gear_search(),
            Some(token),
        )
        .await
        .expect(StatusCode::ACCEPTED);
    job["status_url"].as_str().unwrap().to_owned()
}

/// Cancels a job and waits until it has ended (and given its slot back).
async fn stop_job(app: &TestApp, url: &str, token: &str) {
    app.request(Method::DELETE, url, None, Some(token))
        .await
        .expect(StatusCode::ACCEPTED);
    for _ in 0..300 {
        let job = app.get(url, Some(token)).await.expect(StatusCode::OK);
        if job["status"] != "running" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {url} did not stop");
}

#[tokio::test]
async fn anonymous_gear_searches_get_the_short_budget_and_never_a_job() {
    for app in TestApp::all_with(|s| s.anonymous_search_budget = Duration::from_millis(400)).await {
        let started = Instant::now();
        let out = app
            .post("/api/v1/optimize/gear", common::big_gear_search(), None)
            .await
            .expect(StatusCode::OK);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "answered after {took:?}");
        assert_eq!(out["search"]["cancelled"], true, "{}", out["search"]);
        assert_eq!(out["search"]["proven_optimal"], false);

        // The same search by an account becomes a job that runs past the anonymous budget.
        let (_, token, _) = app.user("planner").await;
        let url = start_job(&app, &token).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        let job = app.get(&url, Some(&token)).await.expect(StatusCode::OK);
        assert_eq!(job["status"], "running", "{:?}: {job}", app.backend());
        stop_job(&app, &url, &token).await;
    }
}

#[tokio::test]
async fn large_squad_searches_need_an_account() {
    for app in TestApp::all().await {
        let mut input = common::repo_json("presets/squad/wvw50.json");
        input["solver"] = json!({"chains": 8, "iterations": 1_000_000});
        let (detail, code) = app
            .post("/api/v1/teams/optimize", input.clone(), None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert_eq!(code, "unauthorized");
        assert!(detail.contains("needs an account"), "{detail}");

        let (_, token, _) = app.user("squadlead").await;
        input["solver"] = json!({"chains": 64, "iterations": 50_000_000});
        let (detail, _) = app
            .post("/api/v1/teams/optimize", input.clone(), Some(&token))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(detail.contains("at most"), "{detail}");

        // The default search stays open to everyone.
        input["solver"] = json!({"chains": 2, "iterations": 20_000});
        app.post("/api/v1/teams/optimize", input, None)
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn optimizer_runs_are_capped_per_caller_and_for_the_service() {
    for app in TestApp::all_with(|s| {
        s.optimizer_jobs = 3;
        s.optimizer_jobs_per_user = 2;
    })
    .await
    {
        let (_, ann, _) = app.user("ann").await;
        let (_, bob, _) = app.user("bob").await;
        let (_, cy, _) = app.user("cyd").await;
        let a1 = start_job(&app, &ann).await;
        let a2 = start_job(&app, &ann).await;

        // Ann's third run: her own share is used up → 429.
        let reply = app
            .post(
                "/api/v1/optimize/gear",
                common::big_gear_search(),
                Some(&ann),
            )
            .await;
        let retry = reply.headers.get("retry-after").cloned();
        let (detail, code) = reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(code, "rate_limited");
        assert!(detail.contains("2 optimizations running"), "{detail}");
        assert!(retry.is_some(), "Retry-After on 429");

        // Bob takes the last slot; then Cyd (and anonymous callers) find the service full → 503.
        let b1 = start_job(&app, &bob).await;
        let reply = app
            .post(
                "/api/v1/optimize/gear",
                common::big_gear_search(),
                Some(&cy),
            )
            .await;
        let retry = reply.headers.get("retry-after").cloned();
        let (detail, code) = reply.expect_error(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(code, "service_unavailable");
        assert!(detail.contains("optimizers are busy"), "{detail}");
        assert!(retry.is_some(), "Retry-After on 503");
        let squad = common::repo_json("presets/squad/wvw50.json");
        app.post("/api/v1/teams/optimize", squad.clone(), None)
            .await
            .expect_error(StatusCode::SERVICE_UNAVAILABLE);

        // A finished run gives its slot back at once.
        stop_job(&app, &a1, &ann).await;
        let c1 = start_job(&app, &cy).await;
        for (url, token) in [(a2, &ann), (b1, &bob), (c1, &cy)] {
            stop_job(&app, &url, token).await;
        }
        app.post("/api/v1/teams/optimize", squad, None)
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_login_answer_while_every_optimizer_slot_is_busy() {
    for app in TestApp::all_with(|s| {
        s.optimizer_jobs = 2;
        s.optimizer_jobs_per_user = 2;
    })
    .await
    {
        let (_, token, _) = app.user("busy").await;
        let jobs = [start_job(&app, &token).await, start_job(&app, &token).await];
        // Saturated: a further run is refused...
        app.post(
            "/api/v1/optimize/gear",
            common::big_gear_search(),
            Some(&token),
        )
        .await
        .expect_error(StatusCode::TOO_MANY_REQUESTS);
        // ...while the service itself keeps answering, promptly.
        for _ in 0..5 {
            let started = Instant::now();
            app.get("/health", None).await.expect(StatusCode::OK);
            let took = started.elapsed();
            assert!(took < Duration::from_millis(500), "/health took {took:?}");
        }
        let started = Instant::now();
        app.login("busy", common::PASSWORD)
            .await
            .expect(StatusCode::OK);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(3), "login took {took:?}");
        for url in &jobs {
            let job = app.get(url, Some(&token)).await.expect(StatusCode::OK);
            assert_eq!(job["status"], "running", "the jobs were still running");
        }
        for url in &jobs {
            stop_job(&app, url, &token).await;
        }
    }
}
