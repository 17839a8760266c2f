//! Runs one gear input file and prints the optimum, the time and the tree size (release
//! builds, for experiments): `cargo run --release -p optimizer --example gear_run -- FILE`.

use std::time::Instant;

use optimizer::gear::{self, GearInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let input = GearInput::from_json(&std::fs::read_to_string(&path)?)?;
        let start = Instant::now();
        let out = gear::run(&input)?;
        let best = out.results.first();
        println!(
            "{path}: {:.4} in {:.3}s, proven {}, {} extras combinations, {} nodes, {} evaluated",
            best.map_or(f64::NAN, |r| r.score),
            start.elapsed().as_secs_f64(),
            out.search.proven_optimal,
            out.search.extras_combinations,
            out.search.nodes,
            out.search.evaluated
        );
    }
    Ok(())
}
