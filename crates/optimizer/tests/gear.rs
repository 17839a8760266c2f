//! Integration tests of the gear optimizer on the presets in `presets/gear/`.

use std::path::PathBuf;
use std::time::Instant;

use optimizer::gear::{self, GearInput};

fn preset(name: &str) -> GearInput {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../presets/gear/{name}.json"));
    let text = std::fs::read_to_string(&path).expect("preset file");
    GearInput::from_json(&text).expect("preset parses")
}

#[test]
fn smoke_presets() {
    for name in [
        "power-berserker",
        "condi-firebrand",
        "wvw-support-firebrand",
    ] {
        let input = preset(name);
        let t = Instant::now();
        let out = gear::run(&input).expect("runs");
        eprintln!("{name}: {:?}", t.elapsed());
        eprintln!("{}", gear::render_table(&out));
    }
}
