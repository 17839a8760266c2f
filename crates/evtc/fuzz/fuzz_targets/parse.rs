//! `cargo +nightly fuzz run parse` (from crates/evtc): parsing and analysing
//! arbitrary bytes must never panic; zip detection is exercised by inputs
//! starting with "PK".
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = evtc::Limits { max_decompressed_size: 16 << 20, ..evtc::Limits::default() };
    if let Ok(log) = evtc::parse_with_limits(data, limits) {
        let report = evtc::analyze(&log);
        let _ = report.to_ei_json();
        let _ = report.render_table();
        let _ = evtc::write::write_evtc(&log);
    }
});
