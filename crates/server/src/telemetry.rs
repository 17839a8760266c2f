//! Structured logging: pretty text for people, JSON for log collectors. Lines are written
//! by a background thread (non-blocking), so logging never stalls request handling.
//!
//! Traces (optional): when an OTLP endpoint is configured by the standard
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), `gw2opt serve`
//! also exports its spans over OTLP/HTTP (protobuf), batched on a background thread, as the
//! service `gw2opt` (`OTEL_SERVICE_NAME` overrides). Each request's span carries its request
//! id and route, and its trace id is written on the request's log lines (`trace_id`), so a
//! log line leads to its trace and back. Unset, no exporter, layer or per-request work
//! exists. A collector that is down costs the service nothing but one failed export per
//! batch (the exporter's own warning), never a failed request; the spans still buffered are
//! sent when the service stops ([`Telemetry`] flushes when dropped).

use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::LogFormat;

/// The service name traces are exported under (unless `OTEL_SERVICE_NAME` says otherwise).
pub const SERVICE_NAME: &str = "gw2opt";

/// Whether this process exports traces (read per request, so it must be cheap).
static TRACES: AtomicBool = AtomicBool::new(false);

/// Whether spans are exported (an OTLP endpoint was configured at start).
pub fn traces_exported() -> bool {
    TRACES.load(Ordering::Relaxed)
}

/// The endpoint traces go to, from the standard variables; `None` (no traces) when unset.
pub fn otlp_endpoint() -> Option<String> {
    [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    ]
    .iter()
    .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
}

/// Keep alive for the life of the process: flushes buffered log lines and exports the
/// spans not sent yet when dropped.
pub struct Telemetry {
    _log: WorkerGuard,
    traces: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.traces.take() {
            // Waits for the batch in hand to be sent (bounded by the exporter's timeout).
            if let Err(err) = provider.shutdown() {
                eprintln!("warning: traces not all exported at shutdown: {err}");
            }
        }
    }
}

/// Installs the global subscriber. Keep the guard alive for the life of the process: it
/// flushes buffered lines on drop. The filter comes from `RUST_LOG` (default `info`).
pub fn init(format: LogFormat) -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stdout());
    install(format, writer, DEFAULT_FILTER, None);
    guard
}

/// [`init`] for the service: also exports traces when an OTLP endpoint is configured.
pub fn init_service(format: LogFormat) -> Telemetry {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stdout());
    let traces = otlp_endpoint().and_then(|endpoint| match tracer_provider() {
        Ok(provider) => Some((provider, endpoint)),
        Err(err) => {
            eprintln!("warning: traces are not exported ({endpoint}): {err}");
            None
        }
    });
    let provider = traces.as_ref().map(|(p, _)| p.clone());
    install(format, writer, DEFAULT_FILTER, provider.as_ref());
    if let Some((_, endpoint)) = &traces {
        TRACES.store(true, Ordering::Relaxed);
        tracing::info!(endpoint = %endpoint, service = %service_name(), "exporting traces over OTLP/HTTP");
    }
    Telemetry {
        _log: guard,
        traces: provider,
    }
}

/// Logging for commands whose standard output is their result (`gw2opt meta --json`):
/// warnings and errors (by default) on standard error.
pub fn init_stderr(format: LogFormat) -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    install(format, writer, "warn", None);
    guard
}

const DEFAULT_FILTER: &str = "info,sqlx=warn,tower_http=info,hyper=warn";

fn service_name() -> String {
    std::env::var("OTEL_SERVICE_NAME")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| SERVICE_NAME.to_owned())
}

/// The OTLP/HTTP (protobuf) exporter behind a batching processor. The endpoint, headers and
/// timeout come from the standard `OTEL_EXPORTER_OTLP_*` variables, the batching from
/// `OTEL_BSP_*`.
fn tracer_provider() -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    use opentelemetry_otlp::WithExportConfig;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .build()?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service_name())
        .with_attribute(opentelemetry::KeyValue::new(
            "service.version",
            env!("CARGO_PKG_VERSION"),
        ))
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// Spans of the exporter's own machinery (its HTTP client, the SDK) are never exported:
/// exporting them would make more of them, a loop.
fn exported(metadata: &tracing::Metadata<'_>) -> bool {
    let target = metadata.target();
    !["opentelemetry", "hyper", "reqwest", "h2", "tower", "rustls"]
        .iter()
        .any(|own| target.starts_with(own))
}

fn install(
    format: LogFormat,
    writer: tracing_appender::non_blocking::NonBlocking,
    default_filter: &str,
    traces: Option<&SdkTracerProvider>,
) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let otel = traces.map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("gw2opt"))
            .with_filter(tracing_subscriber::filter::filter_fn(exported))
    });
    let registry = tracing_subscriber::registry().with(filter).with(otel);
    let result = match format {
        LogFormat::Pretty => registry
            .with(tracing_subscriber::fmt::layer().with_writer(writer))
            .try_init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
    };
    if result.is_err() {
        eprintln!("a global tracing subscriber was already installed; keeping it");
    }
}

/// Names a request's span for traces (`GET /api/v1/builds/{id}`) and writes its trace id in
/// its `trace_id` field, so every log line of the request carries it. Nothing to do when no
/// traces are exported.
pub fn link_request_span(span: &tracing::Span, method: &str, route: &str) {
    if !traces_exported() {
        return;
    }
    // Named and kinded before its trace context is read: reading it starts the span.
    // A request no route matched is named by its method alone (its raw path stays in `path`).
    if route == "-" {
        span.record("otel.name", method);
    } else {
        span.record("otel.name", format!("{method} {route}"));
    }
    span.record("otel.kind", "server");
    let context = span.context();
    let trace = context.span().span_context().trace_id();
    if trace != opentelemetry::trace::TraceId::INVALID {
        span.record("trace_id", tracing::field::display(trace));
    }
}
