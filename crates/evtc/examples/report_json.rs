//! Print the analysed report of one log as pretty JSON (what `gw2opt parse-log --format json`
//! prints), without building the service: `cargo run -p evtc --example report_json -- FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .ok_or("usage: report_json FILE.evtc|FILE.zevtc")?;
    let bytes = std::fs::read(&path)?;
    let log = evtc::parse(&bytes)?;
    let report = evtc::analyze(&log);
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
