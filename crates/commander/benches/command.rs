//! Team Commander per request: parse + plan (squad optimizer, gear engine, grade) for every
//! request of the language corpus and every template, with the median and p99 over requests,
//! next to a ceiling measured in the same run: the squad optimizer alone placing the 50-player
//! WvW preset (`presets/squad/wvw50.json`).
//!
//! Targets (issue #19): median ≤ 50 ms and p99 ≤ 200 ms for squads up to 50 players on a
//! 2-core machine. Run: `cargo bench -p commander --bench command`.
//!
//! The corpus is read from `tests/parse_corpus.rs` (every `case("...")`), so the benchmark and
//! the language tests use the same requests.

use std::time::{Duration, Instant};

use commander::plan::{self, Overrides};

const WARM_RUNS: usize = 10;

fn corpus() -> Vec<String> {
    let source = include_str!("../tests/parse_corpus.rs");
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("case(\"") {
        rest = &rest[at + 6..];
        let mut message = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        message.push(next);
                    }
                }
                '"' => {
                    rest = &rest[i + 1..];
                    break;
                }
                c => message.push(c),
            }
        }
        out.push(message);
    }
    out.extend(
        commander::templates::TEMPLATES
            .iter()
            .map(|t| t.command.to_owned()),
    );
    out
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort_unstable();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let requests = corpus();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut planned = 0usize;
    let mut biggest = 0u32;
    let mut slowest = (Duration::ZERO, String::new());
    for message in &requests {
        let run = || {
            let request = commander::parse::parse(message);
            plan::plan(&request, Overrides::default())
        };
        let start = Instant::now();
        let first = run();
        cold.push(start.elapsed());
        if let Ok(answer) = &first {
            planned += 1;
            biggest = biggest.max(answer.team_size);
        }
        let mut times: Vec<Duration> = (0..WARM_RUNS)
            .map(|_| {
                let start = Instant::now();
                let _ = std::hint::black_box(run());
                start.elapsed()
            })
            .collect();
        let m = median(&mut times);
        if m > slowest.0 {
            slowest = (m, message.clone());
        }
        warm.push(m);
    }

    let preset = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../presets/squad/wvw50.json"
    ))
    .expect("the 50-player preset");
    let input: optimizer::squad::SquadInput = serde_json::from_str(&preset).expect("preset");
    let mut ceiling: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let _ = std::hint::black_box(optimizer::squad::optimize(&input));
            start.elapsed()
        })
        .collect();

    println!(
        "Team Commander, {} requests ({planned} planned, the others refused with a 422 reason), squads up to {biggest} players",
        requests.len()
    );
    println!(
        "| measure | median ms | p99 ms | max ms |\n|---|---|---|---|\n| parse + plan, warm (median of {WARM_RUNS} runs per request) | {:.2} | {:.2} | {:.2} |\n| parse + plan, first run of each request | {:.2} | {:.2} | {:.2} |\n| ceiling: squad optimizer alone, wvw50 preset (5 runs) | {:.2} | {:.2} | {:.2} |",
        ms(median(&mut warm.clone())),
        ms(percentile(&mut warm.clone(), 99.0)),
        ms(*warm.iter().max().unwrap_or(&Duration::ZERO)),
        ms(median(&mut cold.clone())),
        ms(percentile(&mut cold.clone(), 99.0)),
        ms(*cold.iter().max().unwrap_or(&Duration::ZERO)),
        ms(median(&mut ceiling.clone())),
        ms(percentile(&mut ceiling, 99.0)),
        ms(*ceiling.iter().max().unwrap_or(&Duration::ZERO)),
    );
    println!("slowest request ({:.2} ms): {}", ms(slowest.0), slowest.1);
}
