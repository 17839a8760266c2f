//! discretize's templates as gear inputs (`optimizer::benchmark::template_input`): every one
//! imports in both game modes and runs with its default candidates (extras included) to a
//! proven optimum; and fixed evaluations of every template agree with the independent Python
//! port of discretize's model (`data/gear_reference.py --templates`, fixture
//! `tests/fixtures/gear_reference_templates.json`).

use std::collections::BTreeMap;

use gw2::model::GearSlot;
use optimizer::benchmark::{template_input, templates, TemplateMode};
use optimizer::gear::{self, GearError, ModifierSpec};

/// The one template discretize's own data cannot satisfy: its 78% quickness duration minimum
/// is out of reach of its candidates (at most 63.3% with Celestial's, the concentration sigil
/// and food, and magnanimous oil; its extras preset lists no rune), so discretize finds no
/// result either (checked with `gear_reference.py`).
const INFEASIBLE: [&str; 1] = ["hycfb-honor"];

#[test]
fn every_template_imports_in_both_modes() {
    let list = templates().unwrap();
    assert!(list.len() >= 160, "{}", list.len());
    for t in &list {
        for mode in [TemplateMode::Fractals, TemplateMode::Raids] {
            let input = template_input(&t.id, mode).unwrap();
            assert!(!input.affixes.is_empty(), "{}", t.id);
            assert_eq!(input.profession, t.profession);
            let text = serde_json::to_string(&input).unwrap();
            assert_eq!(
                gear::GearInput::from_json(&text).unwrap(),
                input,
                "{}",
                t.id
            );
        }
    }
    assert!(matches!(
        template_input("nope", TemplateMode::Fractals),
        Err(optimizer::benchmark::BenchmarkError::UnknownTemplate(_))
    ));
}

/// Every template's default search (fractals, discretize's default mode) ends proven optimal;
/// debug builds (10–30× slower) run every fifth.
#[test]
fn every_template_runs_to_a_proven_optimum() {
    let stride = if cfg!(debug_assertions) { 5 } else { 1 };
    for (i, t) in templates().unwrap().iter().enumerate() {
        if i % stride != 0 {
            continue;
        }
        let input = template_input(&t.id, TemplateMode::Fractals).unwrap();
        match gear::run(&input) {
            Ok(out) => {
                assert!(out.search.proven_optimal, "{}", t.id);
                assert!(!out.results.is_empty(), "{}", t.id);
                let combos = out.search.extras_combinations;
                assert!(
                    combos == 1 || !out.results[0].extras.is_empty(),
                    "{}: {combos} combinations but no extras shown",
                    t.id
                );
            }
            Err(GearError::Infeasible { .. }) if INFEASIBLE.contains(&t.id.as_str()) => {}
            Err(e) => panic!("{}: {e}", t.id),
        }
    }
}

#[derive(serde::Deserialize)]
struct Fixture {
    generator: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    template: String,
    mode: String,
    forced_slots: BTreeMap<GearSlot, String>,
    extras: BTreeMap<String, usize>,
    infusions: Option<[u32; 2]>,
    score: f64,
}

fn pick(list: &mut Vec<ModifierSpec>, i: Option<&usize>) {
    match i {
        Some(&i) => *list = vec![list[i].clone()],
        None => list.clear(),
    }
}

#[test]
fn every_template_equals_the_python_reference() {
    let text = include_str!("fixtures/gear_reference_templates.json");
    let fixture: Fixture = serde_json::from_str(text).unwrap();
    let ids: std::collections::BTreeSet<&str> =
        fixture.cases.iter().map(|c| c.template.as_str()).collect();
    assert_eq!(
        ids.len(),
        templates().unwrap().len(),
        "{}",
        fixture.generator
    );
    for case in &fixture.cases {
        let mode: TemplateMode = case.mode.parse().unwrap();
        let mut input = template_input(&case.template, mode).unwrap();
        input.forced_slots = case.forced_slots.clone();
        input.constraints = Default::default();
        input.top = 1;
        if let Some(x) = &mut input.extras {
            pick(&mut x.runes, case.extras.get("runes"));
            pick(&mut x.relic, case.extras.get("relic"));
            pick(&mut x.sigil1, case.extras.get("sigil1"));
            pick(&mut x.sigil2, case.extras.get("sigil2"));
            pick(&mut x.utility, case.extras.get("utility"));
            pick(&mut x.food, case.extras.get("food"));
        }
        if let (Some(inf), Some([p, s])) = (&mut input.infusions, case.infusions) {
            inf.max = p + s;
            inf.primary_max = p;
            inf.secondary_max = s;
        }
        let out = gear::run(&input).unwrap_or_else(|e| panic!("{}: {e}", case.template));
        let got = out.results[0].score;
        assert!(
            (got - case.score).abs() <= 1e-9 * case.score.abs().max(1.0),
            "{} ({}): {got} vs the reference's {}",
            case.template,
            case.mode,
            case.score
        );
    }
}
