//! Quick throughput check without criterion:
//! `cargo run --release -p evtc --example parse_speed`

use std::time::Instant;

fn main() -> Result<(), evtc::ParseError> {
    let log = evtc::write::synthetic::wvw_fight(&evtc::write::synthetic::Config::default());
    let bytes = evtc::write::write_evtc(&log);
    let n = log.events.len();
    drop(log);
    let mb = bytes.len() as f64 / 1e6;
    for _ in 0..3 {
        let t = Instant::now();
        let l = evtc::parse(&bytes)?;
        let p = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let r = evtc::analyze(&l);
        let a = t.elapsed().as_secs_f64();
        println!(
            "{n} events, {mb:.1} MB: parse {:.0} MB/s {:.1} Mev/s | analyze {:.0} ms | parse+analyze {:.0} MB/s {:.1} Mev/s ({} players)",
            mb / p,
            n as f64 / p / 1e6,
            a * 1e3,
            mb / (p + a),
            n as f64 / (p + a) / 1e6,
            r.players.len()
        );
    }
    Ok(())
}
