//! `/api/v1/optimize/gear` (+ jobs), `/api/v1/ws/optimize` and `/api/v1/teams/optimize|synergy`:
//! the optimizers, run off the async executor (they are CPU-bound).
//!
//! Every optimizer run takes an engine slot (`services::engines`: a share per caller and for
//! the service, 429/503 with `Retry-After` beyond). Anonymous callers get bounded runs only:
//! a gear search of `anonymous_search_budget` answered at once, and squad searches of at most
//! [`ANONYMOUS_SQUAD_MOVES`]; jobs, the `/ws/optimize` stream and longer squad searches need
//! an account (401 without one).

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;

use crate::auth::extract::{Client, CurrentUser, MaybeSession, MaybeUser};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::services::engines::Caller;
use crate::services::gear_jobs::JobState;
use crate::state::AppState;

/// How long `POST /optimize/gear` waits before answering with a job instead of the result.
const SYNC_BUDGET: Duration = Duration::from_secs(2);

/// Annealing moves (chains × iterations per chain) an anonymous squad search may ask for:
/// 2.5 times the default search of a 50-player squad (4 chains × 100,000 moves, ~0.2 s on
/// two cores, see `optimizer::squad::solve`).
pub const ANONYMOUS_SQUAD_MOVES: u64 = 1_000_000;
/// Annealing moves an account's squad search may ask for (about half a minute on two cores).
pub const SQUAD_MOVES: u64 = 60_000_000;

/// Find the best gear for a build (same input as `gw2opt optimize`). Signed in: small
/// searches answer 200 with `{results, search}`, longer ones 202 with a job to poll at
/// `/optimize/gear/jobs/{id}` (searching up to `max_search`; or use the `/ws/optimize`
/// WebSocket to stream progress). Anonymous: the best result found within
/// `anonymous_search_budget` (2 s), at once (`search.cancelled: true` when the time ran out).
#[utoipa::path(post, path = "/api/v1/optimize/gear", tag = "optimize", security((), ("bearer" = [])),
    request_body(content = Object, description = "gear optimizer input (see presets/gear/ and crates/optimizer/src/gear/README.md)"),
    responses((status = 200, description = "`{results: [...], search: {...}}`, best first"),
              (status = 202, description = "`{job_id, status_url}`: still searching (signed-in callers)"),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, description = "the caller's optimizations are all running (`Retry-After`)", body = ErrorBody),
              (status = 503, description = "the service's optimizer slots are all taken (`Retry-After`)", body = ErrorBody)))]
pub async fn gear(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(input): Json<optimizer::gear::GearInput>,
) -> ApiResult<Response> {
    let slot = state
        .engines
        .acquire(Caller::new(user.as_ref().map(|u| u.id), client.ip))?;
    let budget = match user {
        Some(_) => state.settings.max_search,
        None => state.settings.anonymous_search_budget,
    };
    let job = state
        .gear_jobs
        .start(input, slot, budget, user.as_ref().map(|u| u.id))
        .map_err(|e| ApiError::Unavailable(e.into()))?;
    let mut rx = job.subscribe();
    let finished = rx.wait_for(|s| !matches!(s, JobState::Running { .. }));
    let finished = if user.is_some() {
        tokio::time::timeout(SYNC_BUDGET, finished).await
    } else {
        // The search stops by itself at the anonymous budget: wait for its answer.
        Ok(finished.await)
    };
    match finished {
        Ok(Ok(_)) => match job.state() {
            JobState::Done { output } => Ok(Json(output).into_response()),
            JobState::Failed { detail } => Err(ApiError::validation("input", detail)),
            JobState::Running { .. } => Err(ApiError::internal("job reported finished while running")),
        },
        _ => Ok((
            StatusCode::ACCEPTED,
            Json(json!({"job_id": job.id, "status_url": format!("/api/v1/optimize/gear/jobs/{}", job.id)})),
        )
            .into_response()),
    }
}

/// The ready-made gear inputs (`presets/gear/`: raid power and condition DPS, WvW support),
/// starting points for `/optimize/gear`: `{"presets": [{id, name, description, profession,
/// game_mode, input}]}`.
#[utoipa::path(get, path = "/api/v1/optimize/gear/presets", tag = "optimize",
    responses((status = 200, description = "`{presets: [{id, name, description, profession, game_mode, input}]}`")))]
pub async fn gear_presets() -> ApiResult<Response> {
    let presets = optimizer::gear::presets::presets().map_err(ApiError::internal)?;
    let presets: Vec<_> = presets
        .into_iter()
        .map(|p| {
            json!({
                "id": p.id,
                "name": p.input.name,
                "description": p.input.description,
                "profession": p.input.profession,
                "game_mode": p.input.game_mode,
                "input": p.input,
            })
        })
        .collect();
    Ok(Json(json!({ "presets": presets })).into_response())
}

/// A gear optimization job: `running` (with progress and the best so far), `done` (with
/// the output) or `failed`. Only the account that started it sees it (404 for others).
#[utoipa::path(get, path = "/api/v1/optimize/gear/jobs/{id}", tag = "optimize", security(("bearer" = [])), params(("id" = Uuid, Path, description = "job id")),
    responses((status = 200, body = JobState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn gear_job(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<JobState>> {
    let job = state
        .gear_jobs
        .get_owned(id, user.id)
        .ok_or_else(|| ApiError::not_found("job"))?;
    Ok(Json(job.state()))
}

/// Stop a job; it ends with the best result found so far (`search.cancelled: true`). Only
/// the account that started it may (404 for others).
#[utoipa::path(delete, path = "/api/v1/optimize/gear/jobs/{id}", tag = "optimize", security(("bearer" = [])), params(("id" = Uuid, Path, description = "job id")),
    responses((status = 202), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_gear_job(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let job = state
        .gear_jobs
        .get_owned(id, user.id)
        .ok_or_else(|| ApiError::not_found("job"))?;
    job.cancel();
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct WsOptimizeQuery {
    /// Access token (browsers cannot set `Authorization` on a WebSocket).
    pub token: Option<String>,
}

/// WebSocket (signed-in callers: `Authorization: Bearer` or the `token` query parameter):
/// send the gear input as the first text message; receive `{"type": "progress", ...}`
/// messages (at most every 100 ms) and then `{"type": "result", "results": [...],
/// "search": {...}}`, or `{"type": "error", "detail", "code"}`. Send `"cancel"` (or
/// `{"type": "cancel"}`) to stop early and get the best result so far. The engine slot is
/// taken before the upgrade: a caller at its limit gets the 429/503 as the handshake's answer.
#[utoipa::path(get, path = "/api/v1/ws/optimize", tag = "optimize", params(WsOptimizeQuery), security(("bearer" = [])),
    responses((status = 101, description = "WebSocket upgrade"), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn ws_optimize(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(query): Query<WsOptimizeQuery>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    let (user, claims) = match (session, query.token) {
        (Some(session), _) => (session.user, session.claims),
        (None, Some(token)) => {
            state.accounts.authenticate_claims(&token).await?
        }
        (None, None) => {
            return Err(ApiError::Unauthorized(
                "the optimization stream needs an account: send an access token (`Authorization: Bearer` or the `token` query parameter); without one, POST /api/v1/optimize/gear runs a short search".into(),
            ))
        }
    };
    let slot = state.engines.acquire(Caller::User(user.id))?;
    Ok(ws
        .max_message_size(1024 * 1024)
        .on_upgrade(move |socket| stream_optimization(state, socket, slot, claims, user.id)))
}

/// Close code of a stream whose session ended (token expired or revoked, password changed,
/// account disabled), as on `/ws/mcm`.
const CLOSE_UNAUTHORIZED: u16 = 4401;

async fn stream_optimization(
    state: AppState,
    mut socket: WebSocket,
    slot: crate::services::engines::EngineSlot,
    claims: crate::auth::jwt::Claims,
    owner: Uuid,
) {
    let _open = crate::monitoring::OpenSocket::new("optimize");
    // The search may run for minutes: it stops, and the socket closes, when the session ends.
    let mut auth_watch = crate::services::session_watch::SessionWatch::new(
        &state.accounts,
        state.settings.ws_auth_recheck,
        claims,
    );
    let first = tokio::select! {
        first = tokio::time::timeout(Duration::from_secs(30), socket.recv()) => first,
        why = auth_watch.ended() => return session_ended(&mut socket, &why).await,
    };
    let Ok(Some(Ok(Message::Text(text)))) = first else {
        let _ = send_error(
            &mut socket,
            "expected the gear input as a JSON text message",
            "bad_request",
        )
        .await;
        return;
    };
    let input: optimizer::gear::GearInput = match serde_json::from_str(text.as_str()) {
        Ok(input) => input,
        Err(e) => {
            let _ = send_error(
                &mut socket,
                &format!("invalid gear input: {e}"),
                "validation_error",
            )
            .await;
            return;
        }
    };
    let job = match state
        .gear_jobs
        .start(input, slot, state.settings.max_search, Some(owner))
    {
        Ok(job) => job,
        Err(e) => {
            let _ = send_error(&mut socket, e, "service_unavailable").await;
            return;
        }
    };
    let _ = socket
        .send(Message::Text(
            json!({"type": "started", "job_id": job.id})
                .to_string()
                .into(),
        ))
        .await;
    let mut rx = job.subscribe();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            changed = rx.changed() => {
                if changed.is_err() { break; }
                let state = rx.borrow_and_update().clone();
                match state {
                    JobState::Running { .. } => continue,
                    JobState::Done { output } => {
                        let mut value = serde_json::to_value(&output).unwrap_or_default();
                        value["type"] = json!("result");
                        let _ = socket.send(Message::Text(value.to_string().into())).await;
                        break;
                    }
                    JobState::Failed { detail } => {
                        let _ = send_error(&mut socket, &detail, "validation_error").await;
                        break;
                    }
                }
            }
            _ = tick.tick() => {
                if let JobState::Running { subtrees_done, subtrees_total, evaluated, best } = job.state() {
                    let message = json!({"type": "progress", "subtrees_done": subtrees_done, "subtrees_total": subtrees_total,
                        "evaluated": evaluated, "best": best});
                    if socket.send(Message::Text(message.to_string().into())).await.is_err() {
                        // The client left: stop the search instead of burning CPU for nobody.
                        job.cancel();
                        return;
                    }
                }
            }
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(Message::Text(t))) if t.as_str().contains("cancel") => job.cancel(),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => { job.cancel(); return; }
                    _ => {}
                }
            }
            why = auth_watch.ended() => {
                job.cancel();
                return session_ended(&mut socket, &why).await;
            }
            _ = state.shutting_down.cancelled() => {
                // The search dies with this instance: the client reconnects elsewhere.
                job.cancel();
                let _ = socket
                    .send(Message::Close(Some(axum::extract::ws::CloseFrame {
                        code: crate::http::ws_mcm::CLOSE_GOING_AWAY,
                        reason: "going away".into(),
                    })))
                    .await;
                return;
            }
        }
    }
    let _ = socket
        .send(Message::Close(Some(axum::extract::ws::CloseFrame {
            code: 1000,
            reason: "done".into(),
        })))
        .await;
}

/// Says why and closes with [`CLOSE_UNAUTHORIZED`].
async fn session_ended(socket: &mut WebSocket, why: &str) {
    let message = json!({"type": "error", "detail": why, "code": "unauthorized"});
    let _ = socket.send(Message::Text(message.to_string().into())).await;
    let _ = socket
        .send(Message::Close(Some(axum::extract::ws::CloseFrame {
            code: CLOSE_UNAUTHORIZED,
            reason: "session ended".into(),
        })))
        .await;
}

async fn send_error(socket: &mut WebSocket, detail: &str, code: &str) -> Result<(), axum::Error> {
    socket
        .send(Message::Text(
            json!({"type": "error", "detail": detail, "code": code})
                .to_string()
                .into(),
        ))
        .await?;
    socket
        .send(Message::Close(Some(axum::extract::ws::CloseFrame {
            code: 1008,
            reason: "invalid input".into(),
        })))
        .await
}

/// Assign players to builds and parties so every party's requirements are covered first
/// and damage is maximised second (same input as `gw2opt squad`). The search may ask for at
/// most [`ANONYMOUS_SQUAD_MOVES`] annealing moves (`solver.chains` × `solver.iterations`)
/// without an account (401 beyond), [`SQUAD_MOVES`] with one (422 beyond).
///
/// `learned_weights: true` weights the requirements with the selected fight-outcome model
/// (`gw2opt learn run`): each resource's weight is multiplied by a factor learned from the
/// stored WvW fights (`weight_factors`, see `learning::advice`), and the answer says so in
/// `weighted_by: {model, version, id, task, snapshot, trained_at, factors}`. Without a
/// selected model the template's weights are used and `warnings` says why.
#[utoipa::path(post, path = "/api/v1/teams/optimize", tag = "teams", security((), ("bearer" = [])),
    request_body(content = Object, description = "`{players: [{name, options: [...]}], requirements?, weight_factors?, learned_weights?}` (see presets/squad/)",
        example = json!({"players": [{"name": "Ann", "options": [{"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}]}], "requirements": "wvw_zerg", "learned_weights": true})),
    responses((status = 200, description = "`{parties: [{members, coverage, gaps}], optimality_gap, ..., weighted_by?}`"),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn squad(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(mut body): Json<serde_json::Value>,
) -> ApiResult<Json<serde_json::Value>> {
    let learned = take_learned_weights(&mut body)?;
    let mut input: optimizer::squad::SquadInput = crate::extract::from_value(body)?;
    let moves = squad_moves(&input.solver);
    match user {
        None if moves > ANONYMOUS_SQUAD_MOVES => {
            return Err(ApiError::Unauthorized(format!(
                "a squad search of {moves} annealing moves (solver.chains × solver.iterations) needs an account; without one at most {ANONYMOUS_SQUAD_MOVES}"
            )))
        }
        Some(_) if moves > SQUAD_MOVES => {
            return Err(ApiError::validation(
                "solver",
                format!("a squad search may ask for at most {SQUAD_MOVES} annealing moves (solver.chains × solver.iterations), not {moves}"),
            ))
        }
        _ => {}
    }
    let weighted_by = if learned {
        if input.weight_factors.is_some() {
            return Err(ApiError::validation(
                "weight_factors",
                "give weight_factors or learned_weights, not both",
            ));
        }
        let weights = state.learning.squad_weights().await?;
        input.weight_factors = weights.as_ref().map(|w| w.factors.clone());
        weights
    } else {
        None
    };
    let slot = state
        .engines
        .acquire(Caller::new(user.as_ref().map(|u| u.id), client.ip))?;
    let plan = slot
        .run(crate::services::engines::Search::Squad, move || {
            optimizer::squad::optimize(&input)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::validation("players", e.to_string()))?;
    let mut answer = serde_json::to_value(plan).map_err(ApiError::internal)?;
    match weighted_by {
        Some(by) => {
            answer["weighted_by"] = serde_json::to_value(by).map_err(ApiError::internal)?;
        }
        None if learned => {
            if let Some(warnings) = answer["warnings"].as_array_mut() {
                warnings.push(json!(crate::services::learning::no_model_warning(
                    crate::services::lang::Lang::En
                )));
            }
        }
        None => {}
    }
    Ok(Json(answer))
}

/// Removes the `learned_weights` switch from a squad request (the optimizer's input does not
/// know it): absent is false, anything but a boolean a 422 naming it.
fn take_learned_weights(body: &mut serde_json::Value) -> ApiResult<bool> {
    let Some(object) = body.as_object_mut() else {
        return Ok(false);
    };
    match object.remove("learned_weights") {
        None | Some(serde_json::Value::Null) => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(b),
        Some(_) => Err(ApiError::validation(
            "learned_weights",
            "must be true or false",
        )),
    }
}

/// The annealing moves a squad search may make: chains × iterations per chain, as the solver
/// clamps them (`optimizer::squad::solve::anneal`: 1..=64 chains, default 4; at most 50 M
/// iterations, by default at most 100,000 that scale with the squad).
fn squad_moves(solver: &optimizer::squad::SolverOptions) -> u64 {
    let chains = solver.chains.unwrap_or(4).clamp(1, 64) as u64;
    let iterations = solver.iterations.unwrap_or(100_000).min(50_000_000) as u64;
    chains.saturating_mul(iterations)
}

/// A team posted for analysis: parties of members with their build (and alternatives they
/// could play), and the requirement template or a custom one.
#[derive(Debug, serde::Deserialize)]
pub struct PostedTeam {
    pub parties: Vec<optimizer::squad::TeamParty>,
    /// Template name (`wvw_zerg`, `raid`, `strike`, `fractal`) or a full requirements
    /// object (your own template); default `wvw_zerg`.
    #[serde(default)]
    pub requirements: optimizer::squad::RequirementsSpec,
}

/// Analyze a posted team: per-party coverage, gaps, overlaps and swap suggestions.
#[utoipa::path(post, path = "/api/v1/teams/synergy", tag = "teams",
    request_body(content = Object, description = "`{parties: [{members: [{player, build: {build, profession, specialization, role}, alternatives?}]}], requirements?}`",
        example = json!({"requirements": "wvw_zerg", "parties": [{"members": [
            {"player": "Ann", "build": {"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}},
            {"player": "Bo", "build": {"build": "scourge", "profession": "Necromancer", "specialization": "Scourge", "role": "dps"},
             "alternatives": [{"build": "scrapper", "profession": "Engineer", "specialization": "Scrapper", "role": "support"}]}]}]})),
    responses((status = 200, description = "`{parties: [{coverage, gaps, overlaps}], suggestions, ...}`"), (status = 422, body = ErrorBody)))]
pub async fn synergy(
    Json(input): Json<PostedTeam>,
) -> ApiResult<Json<optimizer::squad::SynergyReport>> {
    let requirements = input
        .requirements
        .resolve()
        .map_err(|e| ApiError::validation("requirements", e.to_string()))?;
    if input.parties.len() > 10 || input.parties.iter().map(|p| p.members.len()).sum::<usize>() > 50
    {
        return Err(ApiError::validation(
            "parties",
            "a squad has at most 10 parties and 50 members",
        ));
    }
    let team = optimizer::squad::Team {
        parties: input.parties,
    };
    let report =
        tokio::task::spawn_blocking(move || optimizer::squad::analyze(&team, &requirements))
            .await
            .map_err(ApiError::internal)?;
    Ok(Json(report))
}
