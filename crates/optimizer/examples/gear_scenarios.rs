//! The gear bench's scenarios (`benches/gear.rs`: the three presets with the first 6, 9 and 12
//! candidate prefixes) run once each, for instruction counts that do not depend on the
//! machine's load: `RAYON_NUM_THREADS=1 valgrind --tool=callgrind
//! target/release/examples/gear_scenarios` (one thread makes the search order, and so the
//! count, deterministic). Prints each scenario's optimum and tree size.

use std::path::PathBuf;

use optimizer::gear::{self, GearInput};

const DAMAGE: [&str; 12] = [
    "berserker",
    "assassin",
    "dragon",
    "marauder",
    "valkyrie",
    "viper",
    "sinister",
    "grieving",
    "rampager",
    "diviner",
    "celestial",
    "knight",
];
const SUPPORT: [&str; 12] = [
    "minstrel",
    "harrier",
    "magi",
    "cleric",
    "knight",
    "soldier",
    "giver",
    "nomad",
    "sentinel",
    "celestial",
    "trailblazer",
    "dire",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for name in [
        "power-berserker",
        "condi-firebrand",
        "wvw-support-firebrand",
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../presets/gear/{name}.json"));
        let base = GearInput::from_json(&std::fs::read_to_string(path)?)?;
        let list = if name.starts_with("wvw") {
            SUPPORT
        } else {
            DAMAGE
        };
        for k in [6, 9, 12] {
            let mut input = base.clone();
            input.affixes = list[..k].iter().map(|s| (*s).to_string()).collect();
            let out = gear::run(&input)?;
            println!(
                "{name} k={k}: best {:.6} proven {} nodes {} evaluated {}",
                out.results.first().map_or(f64::NAN, |r| r.score),
                out.search.proven_optimal,
                out.search.nodes,
                out.search.evaluated
            );
        }
    }
    Ok(())
}
