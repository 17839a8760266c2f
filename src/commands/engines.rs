//! `gw2opt optimize`, `gw2opt squad`, `gw2opt parse-log`: the optimizers and the log parser
//! on files, with the same engines the service uses.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{print_json, read_json, Format};

/// A discretize template's game mode (`--template-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateModeArg {
    Fractals,
    Raids,
}

impl From<TemplateModeArg> for optimizer::benchmark::TemplateMode {
    fn from(m: TemplateModeArg) -> Self {
        match m {
            TemplateModeArg::Fractals => optimizer::benchmark::TemplateMode::Fractals,
            TemplateModeArg::Raids => optimizer::benchmark::TemplateMode::Raids,
        }
    }
}

/// Where `gw2opt optimize` takes its gear input from.
pub enum GearSource {
    File(PathBuf),
    Template(String, TemplateModeArg),
    /// Print the template's input instead of optimizing.
    PrintTemplate(String, TemplateModeArg),
    /// List the templates.
    List,
}

pub fn optimize(source: GearSource, top: Option<usize>, format: Format) -> anyhow::Result<()> {
    let mut input: optimizer::gear::GearInput = match source {
        GearSource::File(path) => read_json(&path)?,
        GearSource::Template(id, mode) => optimizer::benchmark::template_input(&id, mode.into())?,
        GearSource::PrintTemplate(id, mode) => {
            return print_json(&optimizer::benchmark::template_input(&id, mode.into())?);
        }
        GearSource::List => {
            let list = optimizer::benchmark::templates()?;
            return match format {
                Format::Json => print_json(&list),
                Format::Table => {
                    let mut text = String::new();
                    for t in &list {
                        text.push_str(&format!(
                            "{:<34} {:<13} {:<14} {}{}\n",
                            t.id,
                            t.profession,
                            t.specialization,
                            t.name,
                            if t.outdated { " (outdated)" } else { "" }
                        ));
                    }
                    super::out(&text)
                }
            };
        }
    };
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
    if let Some(at) = log.truncated_at {
        eprintln!("{}", truncation_warning(file, at, log.events.len()));
    }
    let report = evtc::analyze(&log);
    match format {
        LogFormat::Json => print_json(&report),
        LogFormat::EiJson => print_json(&report.to_ei_json()),
        LogFormat::Table => super::out(&report.render_table()),
    }
}

/// What `parse-log` says on stderr about a log cut inside an event (the report still covers
/// the complete events, and the command succeeds).
fn truncation_warning(file: &Path, at: u64, events: usize) -> String {
    format!(
        "warning: {} is cut off inside a combat event at byte {at} of the log (was the recording \
         client closed or crashed?); the report covers only the {events} complete events before it",
        file.display()
    )
}
