//! Parse / analyze throughput on a synthetic 10-minute 50-vs-50 WvW fight.
//! `cargo bench -p evtc --bench parse`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let log = evtc::write::synthetic::wvw_fight(&evtc::write::synthetic::Config::default());
    let bytes = evtc::write::write_evtc(&log);
    let zbytes = evtc::write::write_zevtc(&log);
    let events = log.events.len() as u64;
    println!(
        "synthetic fight: {} events, evtc {:.1} MB, zevtc {:.1} MB",
        events,
        bytes.len() as f64 / 1e6,
        zbytes.len() as f64 / 1e6
    );
    // The analysis alone, on the parsed log (what the per-statistic trackers cost).
    let parsed = evtc::parse(&bytes).expect("synthetic fight parses");
    drop(log);

    for (label, tp) in [
        ("bytes", Throughput::Bytes(bytes.len() as u64)),
        ("events", Throughput::Elements(events)),
    ] {
        let mut g = c.benchmark_group(format!("evtc_{label}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        g.throughput(tp);
        g.bench_function("parse", |b| {
            b.iter(|| evtc::parse(black_box(&bytes)).map(|l| l.events.len()));
        });
        g.bench_function("parse_analyze", |b| {
            b.iter(|| evtc::parse(black_box(&bytes)).map(|l| evtc::analyze(&l).players.len()));
        });
        g.bench_function("analyze", |b| {
            b.iter(|| evtc::analyze(black_box(&parsed)).players.len());
        });
        g.bench_function("parse_zevtc", |b| {
            b.iter(|| evtc::parse(black_box(&zbytes)).map(|l| l.events.len()));
        });
        // The inflate floor of parse_zevtc: extracting the member alone.
        g.bench_function("inflate_zevtc", |b| {
            b.iter(|| evtc::zip::extract_single(black_box(&zbytes), u64::MAX).map(|v| v.len()));
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
