//! The accept loop. Every connection lives under three limits that `axum::serve` does not
//! offer (issue #17, "Resource exhaustion"):
//!
//! - **Header-read timeout**: a request's head must arrive whole within
//!   [`Limits::header_read_timeout`] of connecting, or of the first byte of a later request on a
//!   kept-alive connection. A client trickling one header byte a second (slowloris) is cut off.
//! - **Idle timeout**: a kept-alive connection with no request in flight is closed after
//!   [`Limits::idle_timeout`]. Upgraded connections (WebSockets) are exempt: they have their own
//!   heartbeat.
//! - **Connection cap**: at most [`Limits::max_connections`] connections are open at once
//!   (upgraded ones included: the slot is held by the socket itself, so a WebSocket keeps it until
//!   it closes). One more is answered `503 {"detail", "code": "service_unavailable"}` with
//!   `Connection: close` and closed.
//!
//! hyper's own `header_read_timeout` cannot give the two timeouts separately: in hyper 1.x it
//! also runs between kept-alive requests (from the end of one response), so it is both the
//! header timeout and the idle timeout. Here a small state machine per connection, fed by the
//! socket (first byte read) and by the service (request started, response body finished or
//! upgraded), says which wait the connection is in; a watchdog beside the connection drops it
//! when that wait runs out. Shutdown is graceful: no new connections, idle ones close, in-flight
//! requests finish. HTTP/1.1 only, as `axum::serve` with axum's default features served.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

use crate::error::ErrorBody;
use crate::middleware::App;

/// The limits every connection is served under (from the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// How long shutdown waits for open connections (WebSockets included) to finish.
    pub drain_timeout: Duration,
}

impl Limits {
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        Limits {
            header_read_timeout: settings.header_read_timeout,
            idle_timeout: settings.idle_timeout,
            max_connections: settings.max_connections,
            drain_timeout: settings.drain_timeout,
        }
    }
}

/// Connections over the cap that are answered 503 at once; past this many, an extra
/// connection is closed without an answer (answering must not itself hold unbounded sockets).
const REJECTING_AT_ONCE: usize = 64;
/// A rejected connection gets this long to send its request head...
const REJECT_HEADER_TIMEOUT: Duration = Duration::from_secs(2);
/// ...and is closed after this long whatever happens.
const REJECT_DEADLINE: Duration = Duration::from_secs(5);

/// Serves `router` on `listener` under `limits` until `shutdown` resolves; then stops
/// accepting, closes idle connections and waits for in-flight requests and open WebSockets
/// to finish, for [`Limits::drain_timeout`] at most (what is still open then is left to
/// end with the process, and counted in a warning).
/// Handlers see the peer address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: App,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Dropped at shutdown: every connection then shuts down gracefully.
    let (stop_tx, stop_rx) = watch::channel(());
    // Each connection holds a receiver; shutdown waits until all of them are gone.
    let (done_tx, done_rx) = watch::channel(());
    let slots = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let rejecting = Arc::new(Semaphore::new(REJECTING_AT_ONCE));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_error(err).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                let connection = Connection {
                    router: router.clone(),
                    limits,
                    remote,
                    stop: stop_rx.clone(),
                    done: done_rx.clone(),
                };
                tokio::spawn(connection.serve(stream, slot));
            }
            Err(_) => reject(stream, remote, &rejecting, limits.max_connections),
        }
    }
    drop(listener);
    drop(stop_rx);
    drop(stop_tx);
    drop(done_rx);
    if tokio::time::timeout(limits.drain_timeout, done_tx.closed())
        .await
        .is_err()
    {
        tracing::warn!(
            open = done_tx.receiver_count(),
            drain_timeout_s = limits.drain_timeout.as_secs_f64(),
            "connections still open after the drain timeout; stopping anyway"
        );
    }
    Ok(())
}

/// One accepted connection and what it needs to be served.
struct Connection {
    router: App,
    limits: Limits,
    remote: SocketAddr,
    stop: watch::Receiver<()>,
    done: watch::Receiver<()>,
}

impl Connection {
    async fn serve(self, stream: TcpStream, slot: OwnedSemaphorePermit) {
        let Connection {
            router,
            limits,
            remote,
            mut stop,
            done,
        } = self;
        let activity = Arc::new(Activity::new(limits));
        let io = TokioIo::new(Tracked {
            stream,
            activity: activity.clone(),
            _slot: slot,
            _done: done.clone(),
        });
        // The connection's own copy of the application, called for each of its requests in
        // turn (HTTP/1 answers one at a time) rather than cloned per request: a clone of the
        // stack touches reference counts every core shares.
        let router = std::cell::RefCell::new(router);
        let service = hyper::service::service_fn({
            let activity = activity.clone();
            move |request| handle(call(&router, request, remote), activity.clone())
        });
        let mut builder = http1::Builder::new();
        // Our watchdog keeps the time; hyper's own header timer would also close kept-alive
        // connections after `header_read_timeout`.
        builder.header_read_timeout(None);
        let connection = builder.serve_connection(io, service).with_upgrades();
        let mut connection = std::pin::pin!(connection);
        let mut stopping = false;
        loop {
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!(peer = %remote, error = %err, "connection ended with an error");
                    }
                    break;
                }
                wait = activity.expired() => {
                    tracing::debug!(peer = %remote, wait = wait.describe(), "closing the connection: timed out");
                    break;
                }
                _ = stop.changed(), if !stopping => {
                    // Shutdown: finish the request in flight, if any, then close.
                    stopping = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
        drop(done);
    }
}

/// Starts one request on the connection's application: the peer address goes in as
/// `ConnectInfo`. The application is always ready (nothing in it applies back-pressure), so it
/// is called in place; a clone takes the call if it ever were not. The borrow lasts only this
/// call, which hyper makes from the connection's task, one request at a time.
fn call(
    app: &std::cell::RefCell<App>,
    mut request: Request<Incoming>,
    remote: SocketAddr,
) -> <App as tower::Service<Request<Body>>>::Future {
    use tower::Service;
    request.extensions_mut().insert(ConnectInfo(remote));
    let request = request.map(Body::new);
    let mut app = app.borrow_mut();
    let mut context = Context::from_waker(std::task::Waker::noop());
    match app.poll_ready(&mut context) {
        Poll::Ready(_) => app.call(request),
        Poll::Pending => Box::pin(app.clone().oneshot(request)),
    }
}

/// One request: the connection's state follows it until its response body is finished (or
/// the connection is upgraded).
async fn handle(
    response: <App as tower::Service<Request<Body>>>::Future,
    activity: Arc<Activity>,
) -> Result<Response<TrackedBody>, Infallible> {
    // Created before the response is awaited and moved into the body: a request dropped
    // half-way (client gone, stream reset) still ends.
    let in_flight = InFlight::start(activity);
    let response = match response.await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if response.status() == StatusCode::SWITCHING_PROTOCOLS {
        in_flight.activity.upgraded();
    }
    Ok(response.map(|body| TrackedBody {
        inner: body,
        _in_flight: in_flight,
    }))
}

/// Errors of `accept` that concern one connection only are skipped; others (out of file
/// descriptors, ...) are logged and the loop waits a moment, as `axum::serve` does.
async fn accept_error(err: io::Error) {
    if matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "accept failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Answers a connection over the cap with 503 and closes it. The request head is read first
/// (briefly), so that an HTTP client sees the answer to its request rather than a reset.
fn reject(stream: TcpStream, remote: SocketAddr, rejecting: &Arc<Semaphore>, limit: usize) {
    let Ok(permit) = rejecting.clone().try_acquire_owned() else {
        tracing::debug!(peer = %remote, "connection limit reached; closing without an answer");
        return;
    };
    tracing::warn!(peer = %remote, limit, "connection limit reached; answering 503");
    tokio::spawn(async move {
        let _permit = permit;
        let service = hyper::service::service_fn(move |_request: Request<Incoming>| async move {
            Ok::<_, Infallible>(over_capacity(limit))
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(REJECT_HEADER_TIMEOUT)
            .keep_alive(false);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let _ = tokio::time::timeout(REJECT_DEADLINE, connection).await;
    });
}

/// `503` in the API's error shape, closing the connection.
fn over_capacity(limit: usize) -> Response<Body> {
    let body = ErrorBody {
        detail: format!("the service is at its limit of {limit} open connections; retry shortly"),
        code: "service_unavailable".into(),
        field: None,
    };
    let mut response = Response::new(Body::from(serde_json::to_vec(&body).unwrap_or_default()));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// What a connection is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// The first request's head, since the connection was accepted.
    FirstHead,
    /// A next request on a kept-alive connection (nothing received yet).
    Idle,
    /// The rest of a request head whose first byte arrived.
    Head,
}

impl Wait {
    fn describe(self) -> &'static str {
        match self {
            Wait::FirstHead | Wait::Head => {
                "request head not complete within the header-read timeout"
            }
            Wait::Idle => "no request within the idle timeout",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Waiting {
        wait: Wait,
        deadline: Instant,
    },
    /// Requests in flight: their own timeouts apply (the request timeout layer).
    Busy,
    /// Handed over to a WebSocket (or another upgraded protocol): no timeout here.
    Upgraded,
}

struct State {
    in_flight: usize,
    phase: Phase,
}

/// The state of one connection, shared by its socket, its service and its watchdog.
///
/// Changing state costs a lock and nothing else: the watchdog is not woken, it wakes by itself
/// often enough. Every deadline a change can set is at least `min(header_read_timeout,
/// idle_timeout)` after the change (a request head gets the header timeout from its first byte,
/// an idle connection the idle timeout from its last response), so a watchdog that never
/// sleeps longer than that, nor past the current deadline, wakes no later than any deadline it
/// has to enforce. A busy connection's watchdog thus wakes once per 10 s (by default) instead of
/// twice per request, which on a kept-alive connection under load was two timer
/// registrations and two task wake-ups per request.
struct Activity {
    limits: Limits,
    state: Mutex<State>,
}

impl Activity {
    fn new(limits: Limits) -> Self {
        Activity {
            limits,
            state: Mutex::new(State {
                in_flight: 0,
                phase: Phase::Waiting {
                    wait: Wait::FirstHead,
                    deadline: Instant::now() + limits.header_read_timeout,
                },
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Bytes arrived: on an idle connection they start a request head, which now has the
    /// header-read timeout to complete.
    fn bytes_read(&self) {
        let mut state = self.lock();
        if let Phase::Waiting {
            wait: Wait::Idle, ..
        } = state.phase
        {
            state.phase = Phase::Waiting {
                wait: Wait::Head,
                deadline: Instant::now() + self.limits.header_read_timeout,
            };
        }
    }

    fn request_started(&self) {
        let mut state = self.lock();
        state.in_flight += 1;
        if !matches!(state.phase, Phase::Upgraded) {
            state.phase = Phase::Busy;
        }
    }

    fn request_finished(&self) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if state.in_flight == 0 && matches!(state.phase, Phase::Busy) {
            state.phase = Phase::Waiting {
                wait: Wait::Idle,
                deadline: Instant::now() + self.limits.idle_timeout,
            };
        }
    }

    fn upgraded(&self) {
        self.lock().phase = Phase::Upgraded;
    }

    /// The longest the watchdog sleeps without looking (see [`Activity`]).
    fn step(&self) -> std::time::Duration {
        self.limits
            .header_read_timeout
            .min(self.limits.idle_timeout)
    }

    /// Resolves when the connection has waited longer than its current wait allows.
    async fn expired(&self) -> Wait {
        loop {
            let now = Instant::now();
            let phase = self.lock().phase;
            let wake = match phase {
                Phase::Waiting { wait, deadline } if deadline <= now => return wait,
                Phase::Waiting { deadline, .. } => deadline.min(now + self.step()),
                Phase::Busy => now + self.step(),
                // The connection future ends with the upgrade; nothing to watch.
                Phase::Upgraded => std::future::pending().await,
            };
            tokio::time::sleep_until(wake).await;
        }
    }
}

/// A request in flight on its connection, until dropped (with the response body).
struct InFlight {
    activity: Arc<Activity>,
}

impl InFlight {
    fn start(activity: Arc<Activity>) -> Self {
        activity.request_started();
        InFlight { activity }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.activity.request_finished();
    }
}

/// A response body that ends its request when it is done (dropped by hyper once written).
pub struct TrackedBody {
    inner: Body,
    _in_flight: InFlight,
}

impl hyper::body::Body for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The accepted socket: reports received bytes to the connection's state and holds its slot
/// under the cap, and shutdown's drain, until it is closed (also after an upgrade, which
/// takes the socket along).
struct Tracked {
    stream: TcpStream,
    activity: Arc<Activity>,
    _slot: OwnedSemaphorePermit,
    /// Shutdown's drain waits for it: an upgraded socket (a WebSocket) takes it along.
    _done: watch::Receiver<()>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.bytes_read();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Raises the soft limit of open file descriptors towards what `max_connections` needs (plus
/// room for the database, log files and outbound clients), as far as the hard limit allows.
/// Returns the connection cap that fits: `max_connections`, or less (with a warning) when the
/// process may not open that many descriptors.
pub fn fit_descriptor_limit(max_connections: usize) -> usize {
    const RESERVE: u64 = 256;
    #[cfg(unix)]
    {
        let wanted = (max_connections as u64).saturating_add(RESERVE);
        match rlimit::increase_nofile_limit(wanted) {
            Ok(limit) if limit < wanted => {
                let fits = usize::try_from(limit.saturating_sub(RESERVE).max(1)).unwrap_or(1);
                tracing::warn!(
                    descriptors = limit,
                    configured = max_connections,
                    cap = fits,
                    "the process may open only {limit} file descriptors: serving at most {fits} connections"
                );
                fits
            }
            Ok(_) => max_connections,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read the file descriptor limit");
                max_connections
            }
        }
    }
    #[cfg(not(unix))]
    {
        max_connections
    }
}
