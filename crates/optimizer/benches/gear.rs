//! Gear optimizer speed: time to the proven optimum with 6, 9 and 12 candidate prefixes on the
//! power and condition presets, and the search's throughput (tree nodes bounded and complete
//! combinations evaluated per second, printed once per scenario).
//!
//! `cargo bench -p optimizer --bench gear` (short measurement time).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use optimizer::gear::{self, GearInput};

const PREFIXES: [&str; 12] = [
    "berserker",
    "assassin",
    "dragon",
    "marauder",
    "valkyrie",
    "viper",
    "sinister",
    "grieving",
    "rampager",
    "diviner",
    "celestial",
    "knight",
];

fn preset(name: &str) -> GearInput {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../presets/gear/{name}.json"));
    let text = std::fs::read_to_string(path).expect("preset file");
    GearInput::from_json(&text).expect("preset parses")
}

fn scenario(name: &str, k: usize) -> GearInput {
    let mut input = preset(name);
    input.affixes = PREFIXES[..k]
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    input
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("gear_proven_optimum");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for name in [
        "power-berserker",
        "condi-firebrand",
        "wvw-support-firebrand",
    ] {
        for k in [6, 9, 12] {
            let input = if name == "wvw-support-firebrand" {
                let mut i = preset(name);
                let extra = [
                    "minstrel",
                    "harrier",
                    "magi",
                    "cleric",
                    "knight",
                    "soldier",
                    "giver",
                    "nomad",
                    "sentinel",
                    "celestial",
                    "trailblazer",
                    "dire",
                ];
                i.affixes = extra[..k]
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect();
                i
            } else {
                scenario(name, k)
            };
            // throughput figures, once
            let t = Instant::now();
            let out = gear::run(&input).expect("runs");
            let secs = t.elapsed().as_secs_f64();
            assert!(out.search.proven_optimal);
            eprintln!(
                "{name} k={k}: {:.3}s to proven optimum; {:.2e} raw combinations; {} nodes ({:.2e}/s); {} complete combinations evaluated ({:.2e}/s); threads {}",
                secs,
                out.search.raw_combinations,
                out.search.nodes,
                out.search.nodes as f64 / secs,
                out.search.evaluated,
                out.search.evaluated as f64 / secs,
                rayon::current_num_threads(),
            );
            group.bench_function(format!("{name}/{k}"), |b| {
                b.iter(|| gear::run(&input).expect("runs"));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
