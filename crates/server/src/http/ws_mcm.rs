//! `/api/v1/ws/mcm`: the live WvW stream. A client authenticates (a `token` query parameter
//! or a first message `{"type": "auth", "token": ...}` within 10 s), then subscribes to
//! sessions (parse progress, new fights and the updated aggregate as logs are uploaded)
//! and/or live matches (scores, kills, deaths, victory points and objective flips as diffs).
//!
//! Client messages: `auth`, `subscribe` / `unsubscribe` with `session_id` or `match_id` /
//! `world_id`, `run_id` (an AI adviser workflow run of the user's) or `job_id` (a durable job
//! of the user's), `ping`. Server messages:
//! `ready`, `subscribed`, `unsubscribed`, `pong`, `heartbeat`, `error`, and the events
//! themselves (`parse_progress`, `fight_added`, `session_stats`, `match_snapshot`,
//! `match_diff`, `workflow_run` (the run so far), `workflow_step`, `workflow_done`, `job` (the
//! job so far), `job_running`, `job_progress`, `job_done`).
//!
//! Close codes: 1000 normal, 1001 server going away, 4400 too many malformed messages,
//! 4401 not authenticated, or no longer (see below), 4408 no sign of life for three
//! heartbeats, 4429 too slow: the client fell too far behind its events (it is dropped so
//! nobody else waits for it).
//!
//! The token is not only checked when the socket opens: the socket closes with 4401 when
//! its token expires (a timer at its `exp`), and when the token stops standing — logged out,
//! its login revoked, the password changed, the account disabled or deleted. Those changes
//! are pushed to the user's sockets on every instance at once (event-bus topic
//! `account:<user id>`, through Redis between instances), and each socket also checks again
//! every `ws_auth_recheck` (5 s) in case a push was lost (Redis down).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::extract::Query;
use crate::services::mcm;
use crate::state::AppState;

/// Messages waiting to be written to one client before it counts as too slow.
const OUTBOX: usize = 64;
/// A write that takes longer than this means the client is not reading.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_SUBSCRIPTIONS: usize = 32;
/// How long a closing connection waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(3);
const MAX_BAD_MESSAGES: u32 = 10;

pub const CLOSE_BAD_MESSAGES: u16 = 4400;
pub const CLOSE_UNAUTHORIZED: u16 = 4401;
pub const CLOSE_HEARTBEAT: u16 = 4408;
pub const CLOSE_TOO_SLOW: u16 = 4429;
/// The service is shutting down (RFC 6455 "going away"): reconnect.
pub const CLOSE_GOING_AWAY: u16 = 1001;

#[derive(Debug, Deserialize, IntoParams)]
pub struct WsQuery {
    /// Access token (or send `{"type": "auth", "token": ...}` as the first message).
    pub token: Option<String>,
}

/// The live WvW stream (WebSocket). See the module documentation for the protocol.
#[utoipa::path(get, path = "/api/v1/ws/mcm", tag = "mcm", params(WsQuery),
    responses((status = 101, description = "switching to the WebSocket protocol")))]
pub async fn ws_mcm(
    State(state): State<AppState>,
    Query(query): Query<WsQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| connection(state, socket, query.token))
}

/// What the writer task sends: a message, or a close frame after which it stops.
enum Outgoing {
    Text(std::sync::Arc<str>),
    Ping,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    Auth { token: String },
    Subscribe(Target),
    Unsubscribe(Target),
    Ping,
}

#[derive(Deserialize)]
struct Target {
    session_id: Option<Uuid>,
    match_id: Option<String>,
    world_id: Option<u32>,
    /// An AI adviser workflow run of the socket's user (its steps as they happen).
    run_id: Option<Uuid>,
    /// A durable job of the socket's user (`/jobs`: its progress and end, whichever
    /// instance runs it).
    job_id: Option<Uuid>,
}

async fn connection(state: AppState, socket: WebSocket, token: Option<String>) {
    let _open = crate::monitoring::OpenSocket::new("mcm");
    let (mut sink, mut stream) = socket.split();
    let Some((user, claims)) = authenticate(&state, &mut stream, token).await else {
        let _ = sink
            .send(text(&json!({"type": "error", "code": "unauthorized",
                "detail": "send a valid access token (query `token` or a first `auth` message)"})))
            .await;
        let _ = sink.send(close(CLOSE_UNAUTHORIZED, "unauthorized")).await;
        return;
    };

    // The writer owns the socket's sink; everything else queues into a bounded outbox. When
    // the outbox is full or a write stalls, the client is too slow and is closed.
    let (out_tx, out_rx) = mpsc::channel::<Outgoing>(OUTBOX);
    let (kill_tx, kill_rx) = watch::channel::<CloseReason>(None);
    let writer = tokio::spawn(write_loop(sink, out_rx, kill_rx));

    let mut session = Connection {
        state: state.clone(),
        user,
        out: out_tx,
        kill: kill_tx,
        subscriptions: HashMap::new(),
        bad_messages: 0,
    };
    let ready = json!({"type": "ready", "user": session.user.username, "heartbeat_ms": state.settings.ws_heartbeat.as_millis()});
    session.send(&ready);

    let heartbeat = state.settings.ws_heartbeat;
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
    let mut last_seen = tokio::time::Instant::now();
    let mut killed = session.kill.subscribe();
    // The token keeps being checked: at its expiry, when told that the account changed, and
    // every `ws_auth_recheck` in case such a message was lost.
    let mut auth_watch = crate::services::session_watch::SessionWatch::new(
        &state.accounts,
        state.settings.ws_auth_recheck,
        claims,
    );
    loop {
        tokio::select! {
            why = auth_watch.ended() => {
                session.error("unauthorized", why);
                session.close(CLOSE_UNAUTHORIZED, "session ended");
            }
            incoming = stream.next() => {
                last_seen = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(t))) => session.handle(t.as_str()).await,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {} // pings are answered by axum; pongs only prove liveness
                }
            }
            _ = tick.tick() => {
                if last_seen.elapsed() > heartbeat * 3 {
                    session.close(CLOSE_HEARTBEAT, "no heartbeat");
                } else {
                    session.queue(Outgoing::Ping);
                    session.send(&json!({"type": "heartbeat"}));
                }
            }
            _ = killed.changed() => break,
            _ = state.shutting_down.cancelled() => {
                session.close(CLOSE_GOING_AWAY, "going away");
            }
        }
        if session.kill.borrow().is_some() {
            break;
        }
    }
    for (_, task) in session.subscriptions.drain() {
        task.abort();
    }
    // Dropping the outbox lets the writer finish what is queued; a kill already told it to
    // close with a code.
    let Connection { out, kill, .. } = session;
    drop(out);
    let killed = kill.borrow().is_some();
    if let Ok(mut sink) = writer.await {
        if !killed {
            send_close(&mut sink, 1000, "bye").await;
        }
        // Finish the closing handshake: wait briefly for the client's close frame, so the
        // socket is not reset while the client still has our last messages to read.
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            while let Some(Ok(frame)) = stream.next().await {
                if matches!(frame, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
        let _ = sink.close().await;
    }
}

/// The user and token claims from the query's token, or from the first message within
/// [`AUTH_TIMEOUT`].
async fn authenticate(
    state: &AppState,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
    token: Option<String>,
) -> Option<(store::users::User, crate::auth::jwt::Claims)> {
    let token = match token {
        Some(token) => token,
        None => {
            let first = tokio::time::timeout(AUTH_TIMEOUT, stream.next())
                .await
                .ok()??
                .ok()?;
            let Message::Text(t) = first else { return None };
            match serde_json::from_str::<ClientMessage>(t.as_str()).ok()? {
                ClientMessage::Auth { token } => token,
                _ => return None,
            }
        }
    };
    state.accounts.authenticate_claims(&token).await.ok()
}

struct Connection {
    state: AppState,
    user: store::users::User,
    out: mpsc::Sender<Outgoing>,
    kill: watch::Sender<CloseReason>,
    subscriptions: HashMap<String, JoinHandle<()>>,
    bad_messages: u32,
}

impl Connection {
    fn queue(&self, message: Outgoing) {
        if self.out.try_send(message).is_err() {
            self.close(CLOSE_TOO_SLOW, "too slow");
        }
    }

    fn send(&self, message: &Value) {
        self.queue(Outgoing::Text(message.to_string().into()));
    }

    fn close(&self, code: u16, reason: &'static str) {
        close_once(&self.kill, code, reason);
    }

    fn error(&self, code: &str, detail: impl Into<String>) {
        self.send(&json!({"type": "error", "code": code, "detail": detail.into()}));
    }

    async fn handle(&mut self, text: &str) {
        let message = match serde_json::from_str::<ClientMessage>(text) {
            Ok(message) => message,
            Err(err) => {
                self.bad_messages += 1;
                if self.bad_messages >= MAX_BAD_MESSAGES {
                    self.close(CLOSE_BAD_MESSAGES, "too many malformed messages");
                } else {
                    self.error("bad_message", format!("cannot read this message: {err}"));
                }
                return;
            }
        };
        match message {
            ClientMessage::Ping => self.send(&json!({"type": "pong"})),
            ClientMessage::Auth { .. } => self.error("bad_message", "already authenticated"),
            ClientMessage::Subscribe(target) => self.subscribe(target).await,
            ClientMessage::Unsubscribe(target) => match self.topic_of(&target).await {
                Ok(topic) => {
                    if let Some(task) = self.subscriptions.remove(&topic) {
                        task.abort();
                    }
                    self.send(&json!({"type": "unsubscribed", "topic": topic}));
                }
                Err((code, detail)) => self.error(code, detail),
            },
        }
    }

    /// The topic a target names, after checking the caller may follow it.
    async fn topic_of(&self, target: &Target) -> Result<String, (&'static str, String)> {
        if let Some(job) = target.job_id {
            if target.run_id.is_some()
                || target.session_id.is_some()
                || target.match_id.is_some()
                || target.world_id.is_some()
            {
                return Err((
                    "bad_message",
                    "name exactly one of session_id, match_id, world_id, run_id or job_id".into(),
                ));
            }
            // Only the job's owner follows it (404 for anyone else, as over HTTP).
            self.state
                .jobs
                .get(&self.user, job)
                .await
                .map_err(|e| (e.code(), e.to_string()))?;
            return Ok(crate::services::jobs::job_topic(job));
        }
        if let Some(run) = target.run_id {
            if target.session_id.is_some() || target.match_id.is_some() || target.world_id.is_some()
            {
                return Err((
                    "bad_message",
                    "name exactly one of session_id, match_id, world_id or run_id".into(),
                ));
            }
            // Only the run's owner follows it (404 for anyone else, as over HTTP).
            self.state
                .adviser
                .run_of(&self.user, run)
                .await
                .map_err(|e| (e.code(), e.to_string()))?;
            return Ok(crate::services::ai::agent::run_topic(run));
        }
        match (target.session_id, &target.match_id, target.world_id) {
            (Some(session), None, None) => {
                self.state
                    .mcm
                    .check_session_readable(&self.user, session)
                    .await
                    .map_err(|e| (e.code(), e.to_string()))?;
                Ok(mcm::session_topic(session))
            }
            (None, Some(_), None) | (None, None, Some(_)) => self
                .state
                .matches
                .resolve(target.match_id.as_deref(), target.world_id)
                .await
                .map(|id| crate::services::live_match::match_topic(&id))
                .map_err(|e| ("match_unavailable", e)),
            _ => Err((
                "bad_message",
                "name exactly one of session_id, match_id or world_id".into(),
            )),
        }
    }

    async fn subscribe(&mut self, target: Target) {
        let topic = match self.topic_of(&target).await {
            Ok(topic) => topic,
            Err((code, detail)) => return self.error(code, detail),
        };
        if self.subscriptions.contains_key(&topic) {
            return self.send(&json!({"type": "subscribed", "topic": topic}));
        }
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            return self.error(
                "too_many_subscriptions",
                format!("at most {MAX_SUBSCRIPTIONS} per connection"),
            );
        }
        // Subscribe before taking the snapshot, so nothing published in between is missed.
        let receiver = self.state.events.subscribe(&topic);
        self.send(&json!({"type": "subscribed", "topic": topic}));
        let snapshot = match (target.job_id, target.run_id, target.session_id) {
            (Some(job), _, _) => self
                .state
                .jobs
                .get(&self.user, job)
                .await
                .ok()
                .map(|job| json!({"type": "job", "job": job})),
            (None, Some(run), _) => self
                .state
                .adviser
                .run_of(&self.user, run)
                .await
                .ok()
                .map(|run| json!({"type": "workflow_run", "run": run})),
            (None, None, Some(session)) => self.state.mcm.session_stats(session).await.ok().map(
                |stats| json!({"type": "session_stats", "session_id": session, "stats": stats}),
            ),
            (None, None, None) => {
                let watched = self.state.matches.watch(&topic).await;
                watched
            }
        };
        if let Some(snapshot) = snapshot {
            self.send(&snapshot);
        }
        let task = tokio::spawn(forward(receiver, self.out.clone(), self.kill.clone()));
        self.subscriptions.insert(topic, task);
    }
}

/// Moves one topic's events into the client's outbox; a client that lags behind the topic
/// or fills its outbox is closed as too slow.
async fn forward(
    mut receiver: broadcast::Receiver<crate::events::Message>,
    out: mpsc::Sender<Outgoing>,
    kill: watch::Sender<CloseReason>,
) {
    loop {
        match receiver.recv().await {
            Ok(message) => {
                if out.try_send(Outgoing::Text(message)).is_err() {
                    break;
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => break,
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
    close_once(&kill, CLOSE_TOO_SLOW, "too slow");
}

/// Why the server closes a connection; the first reason given wins.
type CloseReason = Option<(u16, &'static str)>;
type Sink = futures_util::stream::SplitSink<WebSocket, Message>;

fn close_once(kill: &watch::Sender<CloseReason>, code: u16, reason: &'static str) {
    kill.send_if_modified(|current| {
        let first = current.is_none();
        if first {
            *current = Some((code, reason));
            if code == CLOSE_TOO_SLOW {
                crate::monitoring::slow_client_dropped();
            }
        }
        first
    });
}

/// Owns the socket's sink: writes queued messages until the outbox closes or a close is
/// asked for (then sends that close frame). A write that stalls for [`SEND_TIMEOUT`] means
/// the client stopped reading: it is closed as too slow.
async fn write_loop(
    mut sink: Sink,
    mut outbox: mpsc::Receiver<Outgoing>,
    mut kill: watch::Receiver<CloseReason>,
) -> Sink {
    loop {
        let frame = tokio::select! {
            next = outbox.recv() => match next {
                Some(Outgoing::Text(t)) => Message::Text(t.as_ref().into()),
                Some(Outgoing::Ping) => Message::Ping(Default::default()),
                None => break,
            },
            _ = kill.changed() => break,
        };
        match tokio::time::timeout(SEND_TIMEOUT, sink.send(frame)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return sink,
            Err(_) => {
                if kill.borrow().is_none() {
                    crate::monitoring::slow_client_dropped();
                }
                send_close(&mut sink, CLOSE_TOO_SLOW, "too slow").await;
                return sink;
            }
        }
    }
    let reason = *kill.borrow();
    if let Some((code, reason)) = reason {
        send_close(&mut sink, code, reason).await;
    }
    sink
}

/// Sends a close frame, giving up after a second (the peer may be gone).
async fn send_close(sink: &mut Sink, code: u16, reason: &'static str) {
    let _ = tokio::time::timeout(Duration::from_secs(1), sink.send(close(code, reason))).await;
}

fn text(value: &Value) -> Message {
    Message::Text(value.to_string().into())
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
