//! Structured logging: pretty text for people, JSON for log collectors. Lines are written
//! by a background thread (non-blocking), so logging never stalls request handling.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. Keep the guard alive for the life of the process: it
/// flushes buffered lines on drop. The filter comes from `RUST_LOG` (default `info`).
pub fn init(format: LogFormat) -> WorkerGuard {
    init_with(
        format,
        tracing_appender::non_blocking(std::io::stdout()),
        "info,sqlx=warn,tower_http=info,hyper=warn",
    )
}

/// Logging for commands whose standard output is their result (`gw2opt meta --json`):
/// warnings and errors (by default) on standard error.
pub fn init_stderr(format: LogFormat) -> WorkerGuard {
    init_with(
        format,
        tracing_appender::non_blocking(std::io::stderr()),
        "warn",
    )
}

fn init_with(
    format: LogFormat,
    (writer, guard): (tracing_appender::non_blocking::NonBlocking, WorkerGuard),
    default_filter: &str,
) -> WorkerGuard {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let registry = tracing_subscriber::registry().with(filter);
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
    guard
}
