//! Build DPS estimates (`optimizer::benchmark::estimate`): the cost a team save pays per
//! distinct build. A fully geared build is evaluated once per compared benchmark; a build with
//! empty slots also searches them over the benchmark's prefixes.
//!
//! `cargo bench -p optimizer --bench build_dps`

use std::collections::BTreeMap;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use gw2::model::{GameMode, GearSlot, Role};
use optimizer::benchmark::{estimate, BuildSpec};
use optimizer::gear::WeaponType;

fn build(spec: &str, prof: &str, role: Role, prefix: Option<&str>) -> BuildSpec {
    let gear: BTreeMap<GearSlot, String> = match prefix {
        Some(p) => WeaponType::DualWield
            .slots()
            .into_iter()
            .map(|s| (s, p.to_owned()))
            .collect(),
        None => BTreeMap::new(),
    };
    let mut build = BuildSpec::new(prof, Some(spec), role, GameMode::Raid);
    build.equipment.gear = gear;
    build
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_dps");
    g.measurement_time(Duration::from_secs(4));
    g.sample_size(20);
    let cases = [
        // Evoker has the most dps benchmarks (6 compared).
        (
            "evoker_full_gear",
            build("Evoker", "Elementalist", Role::Dps, Some("Viper's")),
        ),
        (
            "evoker_empty_gear",
            build("Evoker", "Elementalist", Role::Dps, None),
        ),
        (
            "firebrand_full_gear",
            build("Firebrand", "Guardian", Role::Dps, Some("Viper's")),
        ),
        (
            "firebrand_empty_gear",
            build("Firebrand", "Guardian", Role::Dps, None),
        ),
        // Heal benchmarks record no damage: no search.
        (
            "firebrand_healer_empty_gear",
            build("Firebrand", "Guardian", Role::Healer, None),
        ),
    ];
    for (name, spec) in &cases {
        let e = estimate(spec).expect("estimate");
        println!(
            "{name}: {:.0} DPS with {} ({} compared)",
            e.dps, e.benchmark.name, e.compared
        );
        g.bench_function(*name, |b| b.iter(|| estimate(spec).expect("estimate")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
