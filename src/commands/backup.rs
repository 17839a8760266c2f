//! `gw2opt backup` / `gw2opt restore`: the work is `store::backup`; this says what was done.

use store::backup::Report;

/// One line for the operator: what, where, how, and what the check found.
pub fn describe(done: &str, url: &str, report: &Report) -> String {
    let checked = match &report.integrity {
        Some(integrity) => format!(
            "integrity ok: {} tables, {} rows, {} migrations",
            integrity.tables.len(),
            integrity.rows(),
            integrity.migrations
        ),
        None => "archive checked".to_owned(),
    };
    format!(
        "{done} {} database {} {} {} ({} bytes; {}; {checked})",
        report.backend,
        store::redact_url(url),
        if done == "restored" { "from" } else { "to" },
        report.file.display(),
        report.bytes,
        report.method,
    )
}
