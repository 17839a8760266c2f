//! Decode/encode throughput of build codes. Reports codes/s (criterion "elements/s").
//! Short measurement so `cargo bench -p gw2` stays quick.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gw2::chatcode::{decode, decode_raw, encode_raw};
use gw2::GameData;

const CODES: [&str; 4] = [
    "[&DQg1KTIlIjbBEgAAgQB1AUABgQB1AUABlQCVAAAAAAAAAAAAAAAAAAAAAAA=]",
    "[&DQQZGggqHiYlD3kAvQAAALkAAAC8AAAAlwEAABYAAAAAAAAAAAAAAAAAAAACMwAjAARn9wAA3fYAAJv2AADo9gAA]",
    "[&DQkMKwMZRRncEQAABhIAACsSAADUEQAAyhEAAAcBAAAGEisS1BEAAAAAAAA=]",
    "[&DQMGFyY7SwAoAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADNQBXAFUAAA==]",
];

fn bench(c: &mut Criterion) {
    let data = GameData::embedded();
    let raws: Vec<_> = CODES.iter().filter_map(|s| decode_raw(s).ok()).collect();
    let mut g = c.benchmark_group("build_code");
    g.throughput(Throughput::Elements(CODES.len() as u64));
    g.bench_function("decode_raw", |b| {
        b.iter(|| {
            for s in CODES {
                let _ = std::hint::black_box(decode_raw(std::hint::black_box(s)));
            }
        });
    });
    g.bench_function("decode_resolved", |b| {
        b.iter(|| {
            for s in CODES {
                let _ = std::hint::black_box(decode(std::hint::black_box(s), data));
            }
        });
    });
    g.bench_function("encode_raw", |b| {
        b.iter(|| {
            for r in &raws {
                let _ = std::hint::black_box(encode_raw(std::hint::black_box(r)));
            }
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);
