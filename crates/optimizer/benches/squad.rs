//! 50 players × 4 build options, WvW zerg template: the latency budget is
//! 1 s on 2 cores for the whole `optimize` call (annealing + LP bound).

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use optimizer::squad::{analyze, optimize, Requirements, SquadInput, Team};

fn preset() -> SquadInput {
    let path = format!(
        "{}/../../presets/squad/wvw50.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bench(c: &mut Criterion) {
    let input = preset();
    assert!(input.players.iter().all(|p| p.options.len() == 4));
    let plan = optimize(&input).expect("preset solves");
    eprintln!(
        "wvw50 (50 players x 4 options): objective {:.3}, bound {:.3} ({:?}), optimality_gap {:.4}%, coverage {:.2}/{:.2}",
        plan.objective,
        plan.upper_bound,
        plan.bound_kind,
        plan.optimality_gap * 100.0,
        plan.coverage_score,
        plan.coverage_max
    );
    let mut group = c.benchmark_group("squad");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("optimize_wvw50x4", |b| b.iter(|| optimize(&input)));

    // analyzer on the optimized plan (suggestion search is O(n^2))
    let team = Team::from_plan(&plan, &input);
    let reqs = Requirements::template("wvw_zerg").expect("template");
    group.bench_function("analyze_wvw50x4", |b| b.iter(|| analyze(&team, &reqs)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
