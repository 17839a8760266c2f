//! Regenerate `tests/fixtures/` from the synthetic fixture builders:
//! `cargo run -p evtc --example gen_fixtures`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::create_dir_all(&dir)?;
    let log = common::skirmish();
    std::fs::write(dir.join("skirmish.evtc"), evtc::write::write_evtc(&log))?;
    std::fs::write(dir.join("skirmish.zevtc"), evtc::write::write_zevtc(&log))?;
    let mut rev0 = log.clone();
    rev0.header.revision = 0;
    for e in &mut rev0.events {
        e.dst_master_instid = 0;
        e.pad = 0;
    }
    std::fs::write(
        dir.join("skirmish_rev0.evtc"),
        evtc::write::write_evtc(&rev0),
    )?;
    std::fs::write(
        dir.join("busy.evtc"),
        evtc::write::write_evtc(&common::busy(false)),
    )?;
    std::fs::write(
        dir.join("busy_2026.evtc"),
        evtc::write::write_evtc(&common::busy(true)),
    )?;
    println!("wrote fixtures to {}", dir.display());
    Ok(())
}
