//! `.zevtc` throughput, all measured in one run on the same synthetic 10-minute 50-vs-50 fight:
//! inflating alone (flate2's streaming decoder into a growing buffer, the floor), our zip
//! extraction, `.zevtc` parse and `.evtc` parse.
//! `cargo run --release -p evtc --example zevtc_speed`
//!
//! Times are the best of several runs, in CPU time of this thread where Linux tells it
//! (`/proc/thread-self/schedstat`), so that other load on the machine does not count; wall
//! time otherwise.

use std::io::Read;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU, when the kernel says.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let (t, c) = (Instant::now(), cpu_ns());
            f();
            match (c, cpu_ns()) {
                (Some(a), Some(b)) => (b - a) as f64 / 1e9,
                _ => t.elapsed().as_secs_f64(),
            }
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let log = evtc::write::synthetic::wvw_fight(&evtc::write::synthetic::Config::default());
    let evtc_bytes = evtc::write::write_evtc(&log);
    let zevtc = evtc::write::write_zevtc(&log);
    drop(log);
    let mb = evtc_bytes.len() as f64 / 1e6;
    // The deflate payload of the single entry: local header (30 bytes) + name "log.evtc".
    let payload = zevtc
        .get(30 + "log.evtc".len()..)
        .ok_or("archive too short")?;
    println!(
        "evtc {:.1} MB, zevtc {:.1} MB (MB/s below are of decompressed log)",
        mb,
        zevtc.len() as f64 / 1e6
    );
    let runs = 9;
    let inflate = best_of(runs, || {
        let mut out = Vec::new();
        let _ = flate2::read::DeflateDecoder::new(payload).read_to_end(&mut out);
        assert_eq!(out.len(), evtc_bytes.len());
    });
    let extract = best_of(runs, || {
        let out = evtc::zip::extract_single(&zevtc, u64::MAX).map(|v| v.len());
        assert_eq!(out, Ok(evtc_bytes.len()));
    });
    let zparse = best_of(runs, || {
        assert!(evtc::parse(&zevtc).is_ok());
    });
    let parse = best_of(runs, || {
        assert!(evtc::parse(&evtc_bytes).is_ok());
    });
    println!(
        "inflate alone (flate2 read_to_end): {:.0} MB/s",
        mb / inflate
    );
    println!(
        "zip extract (evtc::zip):            {:.0} MB/s",
        mb / extract
    );
    println!(
        ".zevtc parse:                       {:.0} MB/s",
        mb / zparse
    );
    println!(".evtc parse:                        {:.0} MB/s", mb / parse);
    Ok(())
}
