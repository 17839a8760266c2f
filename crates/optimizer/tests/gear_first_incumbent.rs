//! A search over every stat prefix the game data knows (a search of minutes) has a complete
//! gear set meeting the constraints to report, and to keep when cancelled, before its exact
//! search has finished a single subtree: the first incumbent (`src/gear/incumbent.rs`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use optimizer::gear::{self, GearInput, Progress, Stat};

fn preset(name: &str) -> GearInput {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../presets/gear/{name}.json"));
    let text = std::fs::read_to_string(&path).expect("preset file");
    GearInput::from_json(&text).expect("preset parses")
}

#[test]
fn every_prefix_search_cancelled_at_its_first_report_keeps_a_complete_feasible_best() {
    let every: Vec<String> = gw2::GameData::embedded()
        .itemstats()
        .iter()
        .map(|s| s.key.clone())
        .collect();
    assert!(every.len() >= 40);
    for name in ["condi-firebrand", "power-berserker"] {
        let mut input = preset(name);
        input.affixes.clone_from(&every);
        input.top = 5;
        input.constraints.min_boon_duration = Some(15.0);
        input
            .constraints
            .max_attributes
            .insert(Stat::Toughness, 1300.0);
        let cancel = AtomicBool::new(false);
        let first: Mutex<Option<Progress>> = Mutex::new(None);
        let out = std::thread::scope(|s| {
            let search = s.spawn(|| {
                gear::run_with(&input, &cancel, &|p| {
                    let mut first = first.lock().unwrap();
                    if first.is_none() && p.best.is_some() {
                        *first = Some(p.clone());
                        cancel.store(true, Ordering::Relaxed);
                    }
                })
            });
            // Only so that the test ends when nothing is reported (without a first incumbent,
            // the first report comes after a subtree of minutes): the search is cancelled at
            // its first report, and a cancel before it still lets the first incumbent finish.
            let start = Instant::now();
            while !search.is_finished() && start.elapsed() < Duration::from_secs(120) {
                std::thread::sleep(Duration::from_millis(50));
            }
            cancel.store(true, Ordering::Relaxed);
            search.join().unwrap()
        })
        .unwrap();
        let first = first
            .into_inner()
            .unwrap()
            .unwrap_or_else(|| panic!("{name}: no best so far reported"));
        assert_eq!(
            first.subtrees_done, 0,
            "{name}: reported before any subtree"
        );
        // ... and after little work: the search's own count of bounds and evaluations (the
        // exact search alone bounds millions of nodes before its first complete set).
        assert!(
            first.nodes + first.evaluated <= 200_000,
            "{name}: first best after {} nodes and {} evaluations",
            first.nodes,
            first.evaluated
        );
        assert!(!out.search.proven_optimal, "{name}");
        let best = first.best.unwrap();
        let kept = &out.results[0];
        assert!(kept.score >= best.score, "{name}");
        for r in [&best, kept] {
            assert_eq!(r.gear.len(), input.weapon_type.slots().len(), "{name}");
            assert!(r.attributes.boon_duration >= 15.0 - 1e-9, "{name}");
            assert!(r.attributes.toughness <= 1300.0 + 1e-9, "{name}");
            // The engine scores that set (its infusions searched again) the same, feasibly.
            let eval = gear::evaluate(&input, &r.gear).unwrap();
            assert!(eval.search.proven_optimal, "{name}");
            assert!(eval.results[0].score >= r.score - 1e-9 * r.score, "{name}");
        }
    }
}
