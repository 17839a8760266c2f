//! Every discretize template's default search (its affix candidates, infusions and every
//! extras candidate), one after the other: optimum, time, extras combinations, tree size.
//!
//! `cargo run --release -p optimizer --example gear_templates [-- fractals|raids] [--only ID]`;
//! `-- --write-inputs DIR [fractals|raids]` writes each template's gear input to
//! `DIR/<id>.<mode>.json` instead (what `gear_reference.py --templates DIR` reads).

use std::time::Instant;

use optimizer::benchmark::{template_input, templates, TemplateMode};
use optimizer::gear;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args.iter().position(|a| a == "--write-inputs");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let mode: TemplateMode = args
        .iter()
        .find(|a| {
            !a.starts_with("--")
                && Some(*a) != write.and_then(|i| args.get(i + 1))
                && Some(*a) != only
        })
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or_default();
    if let Some(i) = write {
        let dir = args.get(i + 1).ok_or("--write-inputs DIR")?;
        std::fs::create_dir_all(dir)?;
        for t in templates()? {
            let input = template_input(&t.id, mode)?;
            let path = format!("{dir}/{}.{}.json", t.id, mode.as_str());
            std::fs::write(path, serde_json::to_string_pretty(&input)?)?;
        }
        return Ok(());
    }
    let mut total = 0.0;
    for t in templates()? {
        if only.is_some_and(|o| *o != t.id) {
            continue;
        }
        let input = template_input(&t.id, mode)?;
        let start = Instant::now();
        let out = gear::run(&input);
        let secs = start.elapsed().as_secs_f64();
        total += secs;
        match out {
            Ok(out) => {
                let best = out.results.first();
                println!(
                    "{:<10} {:<34} {:>9.1} {:>7.3}s proven={} combos={:>5} nodes={:>9} {}",
                    t.profession,
                    t.id,
                    best.map_or(f64::NAN, |r| r.score),
                    secs,
                    out.search.proven_optimal,
                    out.search.extras_combinations,
                    out.search.nodes,
                    best.map(|r| r.extras.values().cloned().collect::<Vec<_>>().join(","))
                        .unwrap_or_default()
                );
            }
            Err(e) => println!("{:<10} {:<34} error: {e} ({secs:.3}s)", t.profession, t.id),
        }
    }
    println!("total {total:.2}s");
    Ok(())
}
