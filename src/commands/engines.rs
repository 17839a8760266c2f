//! `gw2opt optimize`, `gw2opt squad`, `gw2opt parse-log`: the optimizers and the log parser
//! on files, with the same engines the service uses.

use std::path::Path;

use anyhow::Context;

use super::{print_json, read_json, Format};

pub fn optimize(input: &Path, top: Option<usize>, format: Format) -> anyhow::Result<()> {
    let mut input: optimizer::gear::GearInput = read_json(input)?;
    if let Some(top) = top {
        input.top = top;
    }
    let output = optimizer::gear::run(&input)?;
    match format {
        Format::Json => print_json(&output),
        Format::Table => super::out(&optimizer::gear::render_table(&output)),
    }
}

pub fn squad(input: &Path, format: Format) -> anyhow::Result<()> {
    let input: optimizer::squad::SquadInput = read_json(input)?;
    let plan = optimizer::squad::optimize(&input)?;
    match format {
        Format::Json => print_json(&plan),
        Format::Table => super::out(&optimizer::squad::render_table(&plan)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Json,
    EiJson,
    Table,
}

/// Largest log file read (arcdps logs of a long WvW evening stay far below).
const MAX_LOG_BYTES: u64 = 512 * 1024 * 1024;

pub fn parse_log(file: &Path, format: LogFormat) -> anyhow::Result<()> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    anyhow::ensure!(
        size <= MAX_LOG_BYTES,
        "{} is {size} bytes; logs over {MAX_LOG_BYTES} bytes are refused",
        file.display()
    );
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let log = evtc::parse(&bytes)
        .with_context(|| format!("{} is not a readable arcdps log", file.display()))?;
    let report = evtc::analyze(&log);
    match format {
        LogFormat::Json => print_json(&report),
        LogFormat::EiJson => print_json(&report.to_ei_json()),
        LogFormat::Table => super::out(&report.render_table()),
    }
}
