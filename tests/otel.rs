//! Traces over OTLP (issue #22): `gw2opt serve` with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at
//! a collector in this test that speaks the real protocol (`POST /v1/traces`,
//! `application/x-protobuf`, decoded with `opentelemetry-proto`). A request's span reaches it
//! named by method and route, with the request id; the request's log lines carry the span's
//! trace id; spans still buffered are sent when the service stops; a collector that is down
//! fails no request and causes no error storm; without the variable no trace id is written.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use prost::Message;
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

const SECRET: &str = "otel-test-signing-key-0123456789abcdef";

/// One exported span, flattened.
#[derive(Debug, Clone)]
struct Exported {
    service: String,
    name: String,
    trace_id: String,
    attributes: Vec<(String, String)>,
}

impl Exported {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

type Spans = Arc<Mutex<Vec<Exported>>>;

fn text(value: Option<&opentelemetry_proto::tonic::common::v1::AnyValue>) -> String {
    match value.and_then(|v| v.value.as_ref()) {
        Some(AnyValue::StringValue(s)) => s.clone(),
        Some(AnyValue::IntValue(i)) => i.to_string(),
        Some(AnyValue::BoolValue(b)) => b.to_string(),
        Some(AnyValue::DoubleValue(d)) => d.to_string(),
        other => format!("{other:?}"),
    }
}

/// The collector's `POST /v1/traces`: decodes the protobuf request and keeps its spans.
async fn receive(
    State(spans): State<Spans>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], Vec<u8>) {
    assert_eq!(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/x-protobuf")
    );
    let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf request");
    let mut kept = spans.lock().unwrap();
    for resource in request.resource_spans {
        let service = resource
            .resource
            .iter()
            .flat_map(|r| r.attributes.iter())
            .find(|kv| kv.key == "service.name")
            .map(|kv| text(kv.value.as_ref()))
            .unwrap_or_default();
        for scope in resource.scope_spans {
            for span in scope.spans {
                kept.push(Exported {
                    service: service.clone(),
                    name: span.name,
                    trace_id: span.trace_id.iter().map(|b| format!("{b:02x}")).collect(),
                    attributes: span
                        .attributes
                        .iter()
                        .map(|kv| (kv.key.clone(), text(kv.value.as_ref())))
                        .collect(),
                });
            }
        }
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        ExportTraceServiceResponse::default().encode_to_vec(),
    )
}

/// A collector on a loopback port: its base URL and the spans it received.
async fn collector() -> (String, Spans) {
    let spans: Spans = Arc::default();
    let app = axum::Router::new()
        .route("/v1/traces", axum::routing::post(receive))
        .with_state(spans.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, spans)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Service {
    child: Child,
    base: String,
    /// Every line the service wrote (standard output and error).
    lines: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Service {
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Stops the service as an orchestrator would (SIGTERM) and waits for it to exit.
    async fn stop(mut self) {
        let pid = self.child.id().unwrap();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the service stops")
            .unwrap();
        assert!(exit.success(), "{exit}");
    }
}

/// `gw2opt serve` with `env` (JSON logs, captured).
async fn start(env: &[(&str, String)]) -> Service {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gw2opt"));
    cmd.arg("serve")
        .env("GW2OPT_BIND", format!("127.0.0.1:{port}"))
        .env("GW2OPT_DATA_DIR", dir.path())
        .env("SECRET_KEY", SECRET)
        .env("GW2OPT_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let mut child = cmd.spawn().expect("gw2opt serve starts");
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    for reader in [
        Box::new(stdout) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
        Box::new(stderr),
    ] {
        let lines = lines.clone();
        tokio::spawn(async move {
            let mut reader = tokio::io::BufReader::new(reader).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                lines.lock().unwrap().push(line);
            }
        });
    }
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/health/ready")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the service did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Service {
        child,
        base,
        lines,
        _dir: dir,
    }
}

async fn get(base: &str, path: &str, request_id: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("x-request-id", request_id)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The first span with request id `id`, waiting up to `within` for the collector to get it.
async fn span_of(spans: &Spans, id: &str, within: Duration) -> Option<Exported> {
    let deadline = Instant::now() + within;
    loop {
        let found = spans
            .lock()
            .unwrap()
            .iter()
            .find(|s| s.attribute("request_id") == Some(id))
            .cloned();
        if found.is_some() || Instant::now() >= deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn request_spans_reach_the_collector_and_the_logs_carry_their_trace_id() {
    let (endpoint, spans) = collector().await;
    let service = start(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.clone()),
        ("OTEL_BSP_SCHEDULE_DELAY", "100".into()),
    ])
    .await;
    assert_eq!(get(&service.base, "/health", "otel-health-1").await, 200);
    let unknown = "/api/v1/builds/00000000-0000-0000-0000-000000000000";
    assert_eq!(get(&service.base, unknown, "otel-build-2").await, 404);

    let health = span_of(&spans, "otel-health-1", Duration::from_secs(20))
        .await
        .expect("the request's span was exported");
    assert_eq!(health.service, "gw2opt");
    assert_eq!(health.name, "GET /health", "{health:?}");
    assert_eq!(health.attribute("route"), Some("/health"));
    let build = span_of(&spans, "otel-build-2", Duration::from_secs(20))
        .await
        .expect("the second request's span");
    assert_eq!(
        build.name, "GET /api/v1/builds/{id}",
        "the route template, not the path"
    );
    assert_eq!(build.attribute("route"), Some("/api/v1/builds/{id}"));
    assert_ne!(health.trace_id, build.trace_id, "one trace per request");
    assert_eq!(health.trace_id.len(), 32);

    // The request's log lines carry its request id and its span's trace id.
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        let found = service
            .lines()
            .into_iter()
            .find(|l| l.contains("otel-health-1") && l.contains("trace_id"));
        if let Some(line) = found {
            break line;
        }
        assert!(
            Instant::now() < deadline,
            "no log line of the request: {:?}",
            service.lines()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let json: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(json["span"]["request_id"], "otel-health-1", "{line}");
    assert_eq!(json["span"]["trace_id"], health.trace_id.as_str(), "{line}");
    service.stop().await;
}

#[tokio::test]
async fn spans_still_buffered_are_sent_when_the_service_stops() {
    let (endpoint, spans) = collector().await;
    // Batches every minute: only the shutdown flush can send the span in time.
    let service = start(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint),
        ("OTEL_BSP_SCHEDULE_DELAY", "60000".into()),
    ])
    .await;
    assert_eq!(get(&service.base, "/health", "otel-flush-1").await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        span_of(&spans, "otel-flush-1", Duration::ZERO)
            .await
            .is_none(),
        "not sent before the stop"
    );
    service.stop().await;
    assert!(
        span_of(&spans, "otel-flush-1", Duration::from_secs(5))
            .await
            .is_some(),
        "flushed at shutdown"
    );
}

#[tokio::test]
async fn a_collector_that_is_down_fails_no_request_and_causes_no_error_storm() {
    // Nothing listens on this port.
    let down = format!("http://127.0.0.1:{}", free_port());
    let service = start(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", down),
        ("OTEL_BSP_SCHEDULE_DELAY", "200".into()),
    ])
    .await;
    let started = Instant::now();
    let requests = 300;
    for n in 0..requests {
        assert_eq!(
            get(&service.base, "/health", &format!("down-{n}")).await,
            200
        );
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let complaints = service
        .lines()
        .into_iter()
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            (l.contains("error") || l.contains("warn")) && !l.contains("\"level\":\"info\"")
        })
        .count();
    // At most one complaint per batch attempt (every 200 ms), never one per request.
    let attempts = (elapsed + Duration::from_millis(600)).as_millis() / 200 + 2;
    eprintln!(
        "collector down: {requests} requests in {:.2} s, all 200; {complaints} warning/error lines",
        elapsed.as_secs_f64()
    );
    assert!(
        (complaints as u128) <= attempts && complaints < requests / 4,
        "{complaints} complaints for {requests} requests: {:?}",
        service.lines()
    );
    service.stop().await;
}

#[tokio::test]
async fn without_an_endpoint_no_trace_id_is_written() {
    let service = start(&[]).await;
    assert_eq!(get(&service.base, "/health", "plain-1").await, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        if let Some(line) = service.lines().into_iter().find(|l| l.contains("plain-1")) {
            break line;
        }
        assert!(Instant::now() < deadline, "no log line of the request");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(!line.contains("trace_id"), "{line}");
    service.stop().await;
}
