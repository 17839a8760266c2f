//! The engine commands: each reads its input, calls a pure crate, and prints. Errors become
//! a message and a non-zero exit in `main`.

pub mod backup;
pub mod bench;
pub mod code;
pub mod data;
pub mod engines;
pub mod healthcheck;
pub mod learn;
pub mod meta;
pub mod scrape;

use std::path::Path;

use anyhow::Context;

/// Output format shared by the engine commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Reads a JSON input file into `T`, naming the file and the field on failure.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de)
        .with_context(|| format!("invalid input in {}", path.display()))
}

pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    out(&text)
}

/// Writes to standard output; a closed pipe (`gw2opt ... | head`) ends quietly.
pub fn out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let newline: &[u8] = if text.ends_with('\n') { b"" } else { b"\n" };
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.write_all(newline))
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
