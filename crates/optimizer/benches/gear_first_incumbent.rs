//! Time to the first complete gear set (the first best-so-far a cancel can keep) and to the
//! proven optimum, with every stat prefix the game data knows as a candidate, on the power and
//! condition presets: the searches a user cancels after a few seconds.
//!
//! `cargo bench -p optimizer --bench gear_first_incumbent` (plain timing, one run per preset,
//! printed; each search is cut at `GW2OPT_MAX_SECONDS`, default 300, and then reported as not
//! proven).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use optimizer::gear::{self, GearInput};

fn preset(name: &str) -> GearInput {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../presets/gear/{name}.json"));
    let text = std::fs::read_to_string(path).expect("preset file");
    GearInput::from_json(&text).expect("preset parses")
}

fn main() {
    let limit = Duration::from_secs(
        std::env::var("GW2OPT_MAX_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
    );
    let every: Vec<String> = gw2::GameData::embedded()
        .itemstats()
        .iter()
        .map(|s| s.key.clone())
        .collect();
    for name in ["condi-firebrand", "power-berserker"] {
        let mut input = preset(name);
        input.affixes.clone_from(&every);
        let cancel = AtomicBool::new(false);
        let first: Mutex<Option<(Duration, f64)>> = Mutex::new(None);
        let last: Mutex<Option<(Duration, f64)>> = Mutex::new(None);
        let start = Instant::now();
        let out = std::thread::scope(|s| {
            let search = s.spawn(|| {
                gear::run_with(&input, &cancel, &|p| {
                    if let Some(b) = &p.best {
                        let now = (start.elapsed(), b.score);
                        let mut f = first.lock().expect("lock");
                        if f.is_none() {
                            *f = Some(now);
                        }
                        *last.lock().expect("lock") = Some(now);
                    }
                })
            });
            while !search.is_finished() && start.elapsed() < limit {
                std::thread::sleep(Duration::from_millis(20));
            }
            cancel.store(true, Ordering::Relaxed);
            search.join().expect("search thread")
        });
        let total = start.elapsed();
        let out = out.expect("search runs");
        let first = first.into_inner().expect("lock");
        let last = last.into_inner().expect("lock");
        eprintln!(
            "{name:<16} {} prefixes: first best-so-far {} ; last improvement {} ; total {:.2}s, proven {}, optimum {:.1}, {} nodes, {} evaluated",
            every.len(),
            first.map_or("none".into(), |(t, s)| format!("{:.3}s ({s:.1})", t.as_secs_f64())),
            last.map_or("none".into(), |(t, s)| format!("{:.3}s ({s:.1})", t.as_secs_f64())),
            total.as_secs_f64(),
            out.search.proven_optimal,
            out.results.first().map_or(f64::NAN, |r| r.score),
            out.search.nodes,
            out.search.evaluated,
        );
    }
}
