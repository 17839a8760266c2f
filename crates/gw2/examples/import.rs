//! Regenerates `crates/gw2/data/snapshot.json` from the reference data.
//!
//! ```text
//! cargo run -p gw2 --example import -- --from ../shared/data [--out crates/gw2/data/snapshot.json] [--check]
//! ```
//! `--check` compares instead of writing and exits 1 when the committed file is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut from: Option<PathBuf> = None;
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/snapshot.json"));
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--from" => from = args.next().map(PathBuf::from),
            "--out" => {
                if let Some(o) = args.next() {
                    out = PathBuf::from(o);
                }
            }
            "--check" => check = true,
            _ => {
                eprintln!("usage: import --from DIR [--out FILE] [--check]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = from else {
        eprintln!("usage: import --from DIR [--out FILE] [--check]");
        return ExitCode::from(2);
    };
    let inputs = match gw2::import::ImportInputs::load(|rel| {
        std::fs::read_to_string(dir.join(rel))
            .map_err(|e| format!("{}: {e}", dir.join(rel).display()))
    }) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json =
        match gw2::import::build_snapshot(inputs).and_then(|s| gw2::import::snapshot_to_json(&s)) {
            Ok(j) => j,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
    if check {
        let current = std::fs::read_to_string(&out).unwrap_or_default();
        if current == json {
            println!("{} is up to date", out.display());
            return ExitCode::SUCCESS;
        }
        eprintln!("{} is stale; rerun without --check", out.display());
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(&out, json) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {}", out.display());
    ExitCode::SUCCESS
}
