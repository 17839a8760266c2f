//! Integration tests: presets, exhaustive-vs-local-search comparison, bound
//! validity, input validation, analyzer behaviour and the JSON contract.

use std::collections::BTreeMap;

use optimizer::squad::exhaustive;
use optimizer::squad::{
    analyze, local_search, optimize, render_table, BoundKind, BuildOption, Contribution, Player,
    Reach, Requirement, Requirements, RequirementsSpec, Resource, SolveMethod, SquadError,
    SquadInput, SquadPlan, SuggestionKind, SupportProfile, Team, TeamMember, TeamParty, UsedMethod,
};

fn preset_dir() -> String {
    format!("{}/../../presets/squad", env!("CARGO_MANIFEST_DIR"))
}

fn load_preset(name: &str) -> SquadInput {
    let path = format!("{}/{name}", preset_dir());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn opt(build: &str, prof: &str, spec: &str, role: &str) -> BuildOption {
    BuildOption {
        build: build.into(),
        profession: prof.into(),
        specialization: spec.into(),
        role: role.into(),
        profile: None,
        preference: 0.0,
    }
}

fn player(name: &str, options: Vec<BuildOption>) -> Player {
    Player {
        name: name.into(),
        options,
        preference_weight: 1.0,
    }
}

/// Every input player appears exactly once, on one of their options, and
/// party sizes are within the cap and balanced.
fn check_plan(input: &SquadInput, plan: &SquadPlan) {
    let mut seen = BTreeMap::new();
    for party in &plan.parties {
        assert!(party.members.len() <= plan.party_size, "party too big");
        for m in &party.members {
            *seen.entry(m.player.clone()).or_insert(0) += 1;
            let p = input
                .players
                .iter()
                .find(|p| p.name.trim() == m.player)
                .expect("unknown player in plan");
            assert!(
                p.options.iter().any(|o| o.build == m.build),
                "{} placed on a build they did not offer",
                m.player
            );
        }
    }
    assert_eq!(seen.len(), input.players.len());
    assert!(seen.values().all(|&c| c == 1), "player placed twice");
    let sizes: Vec<usize> = plan.parties.iter().map(|p| p.members.len()).collect();
    let (mn, mx) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    assert!(mx - mn <= 1, "unbalanced parties {sizes:?}");
    assert!(plan.upper_bound + 1e-9 >= plan.objective);
    assert!((0.0..=1.0).contains(&plan.optimality_gap));
}

// ---------------------------------------------------------------- presets

#[test]
fn presets_are_valid_inputs_and_solve() {
    for (file, players, parties) in [
        ("raid10.json", 10, 2),
        ("wvw25.json", 25, 5),
        ("wvw50.json", 50, 10),
    ] {
        let input = load_preset(file);
        assert_eq!(input.players.len(), players, "{file}");
        let plan = optimize(&input).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(plan.parties.len(), parties, "{file}");
        check_plan(&input, &plan);
        let table = render_table(&plan);
        for p in &input.players {
            assert!(table.contains(&p.name), "{file}: table misses {}", p.name);
        }
    }
}

#[test]
fn wvw50_preset_is_close_to_its_bound() {
    let input = load_preset("wvw50.json");
    let plan = optimize(&input).unwrap();
    assert_eq!(plan.method, UsedMethod::LocalSearch);
    assert_eq!(plan.bound_kind, BoundKind::LpRelaxation);
    assert!(
        plan.optimality_gap < 0.005,
        "gap {} (objective {}, bound {})",
        plan.optimality_gap,
        plan.objective,
        plan.upper_bound
    );
    // every party of a 50-player zerg with 10 firebrand-capable players
    // should get stability
    let stab_parties = plan
        .parties
        .iter()
        .filter(|p| p.gaps.iter().all(|g| g.resource != Resource::Stability))
        .count();
    assert!(
        stab_parties >= 9,
        "only {stab_parties} parties with stability"
    );
}

#[test]
fn raid_preset_local_search_matches_exhaustive() {
    let input = load_preset("raid10.json");
    let exact = exhaustive::solve(&input).unwrap();
    let heur = local_search(&input).unwrap();
    assert!(
        heur.objective >= exact.objective - 1e-6,
        "local {} < exact {}",
        heur.objective,
        exact.objective
    );
    assert!(
        heur.upper_bound + 1e-6 >= exact.objective,
        "bound below optimum"
    );
    check_plan(&input, &exact);
}

// ----------------------------------------------- random small instances

struct TestRng(u64);
impl TestRng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const RES: [Resource; 6] = [
    Resource::Quickness,
    Resource::Alacrity,
    Resource::Might,
    Resource::Stability,
    Resource::Healing,
    Resource::Strip,
];

fn random_profile(rng: &mut TestRng) -> SupportProfile {
    let mut p = SupportProfile {
        damage: (rng.unit() * 100.0).round(),
        provides: BTreeMap::new(),
    };
    for &res in &RES {
        if rng.below(3) == 0 {
            let reach = match rng.below(4) {
                0 => Reach::Own,
                1 => Reach::Squad,
                _ => Reach::Party,
            };
            let scale = match res {
                Resource::Might => 25.0,
                Resource::Healing => 800.0,
                _ => 1.0,
            };
            p.provides.insert(
                res,
                Contribution {
                    amount: (rng.unit() * scale * 100.0).round() / 100.0,
                    reach,
                },
            );
        }
    }
    p
}

fn random_instance(rng: &mut TestRng, max_players: usize) -> SquadInput {
    let n = 2 + rng.below(max_players - 1);
    let party_size = 2 + rng.below(4);
    let mut per_party: Vec<Requirement> = Vec::new();
    for &res in &RES {
        if rng.below(4) == 0 {
            continue;
        }
        per_party.push(Requirement {
            resource: res,
            target: match res {
                Resource::Might => 25.0,
                Resource::Healing => 600.0,
                _ => 1.0,
            },
            weight: 0.5 + rng.below(3) as f64,
        });
    }
    let reqs = Requirements {
        name: "random".into(),
        description: String::new(),
        party_size,
        max_players: 50,
        per_party,
    };
    let max_opts = if n > 7 { 2 } else { 3 };
    let players = (0..n)
        .map(|i| Player {
            name: format!("p{i}"),
            options: (0..1 + rng.below(max_opts))
                .map(|k| BuildOption {
                    build: format!("b{i}-{k}"),
                    profession: "X".into(),
                    specialization: "Y".into(),
                    role: "custom".into(),
                    profile: Some(random_profile(rng)),
                    preference: if rng.below(3) == 0 { rng.unit() } else { 0.0 },
                })
                .collect(),
            preference_weight: rng.unit() * 2.0,
        })
        .collect();
    let mut input = SquadInput::new(players, "raid");
    input.requirements = RequirementsSpec::Custom(reqs);
    input.objective.coverage_weight = [1000.0, 10.0, 1.0][rng.below(3)];
    input.solver.seed = rng.next();
    input
}

#[test]
fn local_search_matches_exhaustive_on_random_small_instances() {
    let mut rng = TestRng(0x5EED_1234_ABCD_0001);
    let mut checked = 0;
    for case in 0..120 {
        let input = random_instance(&mut rng, 9);
        let exact = match exhaustive::solve(&input) {
            Ok(p) => p,
            Err(SquadError::SearchSpaceTooLarge { .. }) => continue,
            Err(e) => panic!("case {case}: {e}"),
        };
        let heur = local_search(&input).unwrap();
        check_plan(&input, &exact);
        check_plan(&input, &heur);
        assert!(
            heur.objective >= exact.objective - 1e-6 * exact.objective.abs().max(1.0),
            "case {case}: local search {} < exhaustive {}\n{input:?}",
            heur.objective,
            exact.objective
        );
        assert!(
            heur.objective <= exact.objective + 1e-6 * exact.objective.abs().max(1.0),
            "case {case}: local search beat the exhaustive optimum"
        );
        // the LP bound must never cut off the true optimum
        assert!(
            heur.upper_bound >= exact.objective - 1e-6 * exact.objective.abs().max(1.0),
            "case {case}: bound {} < optimum {}",
            heur.upper_bound,
            exact.objective
        );
        // and Auto mode is exact on these sizes
        let auto = optimize(&input).unwrap();
        assert!((auto.objective - exact.objective).abs() <= 1e-6 * exact.objective.abs().max(1.0));
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} instances checked");
}

#[test]
fn exhaustive_refuses_huge_search_spaces() {
    let input = load_preset("wvw50.json");
    assert!(matches!(
        exhaustive::solve(&input),
        Err(SquadError::SearchSpaceTooLarge { .. })
    ));
    let mut forced = input.clone();
    forced.solver.method = SolveMethod::Exhaustive;
    assert!(optimize(&forced).is_err());
}

// --------------------------------------------------------- validation

fn dps(name: &str) -> Player {
    player(name, vec![opt("weaver", "Elementalist", "Weaver", "dps")])
}

#[test]
fn zero_players_is_an_error() {
    let input = SquadInput::new(vec![], "wvw_zerg");
    assert_eq!(optimize(&input), Err(SquadError::NoPlayers));
}

#[test]
fn fifty_one_players_is_an_error() {
    let players = (0..51).map(|i| dps(&format!("p{i}"))).collect();
    let input = SquadInput::new(players, "wvw_zerg");
    assert!(matches!(
        optimize(&input),
        Err(SquadError::TooManyPlayers {
            count: 51,
            max: 50,
            ..
        })
    ));
    // raid template caps at 10
    let players = (0..11).map(|i| dps(&format!("p{i}"))).collect();
    let input = SquadInput::new(players, "raid");
    assert!(matches!(
        optimize(&input),
        Err(SquadError::TooManyPlayers {
            count: 11,
            max: 10,
            ..
        })
    ));
}

#[test]
fn empty_options_duplicates_and_names_are_errors() {
    let input = SquadInput::new(vec![dps("a"), player("b", vec![])], "raid");
    assert_eq!(optimize(&input), Err(SquadError::NoOptions("b".into())));
    let input = SquadInput::new(vec![dps("a"), dps("A ")], "raid");
    assert_eq!(
        optimize(&input),
        Err(SquadError::DuplicatePlayer("A".into()))
    );
    let input = SquadInput::new(vec![dps("a"), dps("  ")], "raid");
    assert_eq!(optimize(&input), Err(SquadError::EmptyName { index: 1 }));
}

#[test]
fn bad_settings_are_errors() {
    let base = SquadInput::new(vec![dps("a"), dps("b"), dps("c")], "raid");
    let mut i = base.clone();
    i.requirements = RequirementsSpec::Template("pvp".into());
    assert!(matches!(optimize(&i), Err(SquadError::UnknownTemplate(_))));
    let mut i = base.clone();
    i.party_size = Some(0);
    assert!(matches!(
        optimize(&i),
        Err(SquadError::InvalidPartySize { .. })
    ));
    let mut i = base.clone();
    i.party_count = Some(0);
    assert!(matches!(
        optimize(&i),
        Err(SquadError::InvalidPartyCount(0))
    ));
    let mut i = base.clone();
    i.party_count = Some(1);
    i.party_size = Some(2);
    assert!(matches!(
        optimize(&i),
        Err(SquadError::TooManyPlayers { .. })
    ));
    let mut i = base.clone();
    i.objective.damage_weight = f64::NAN;
    assert!(matches!(
        optimize(&i),
        Err(SquadError::InvalidNumber { .. })
    ));
    let mut i = base.clone();
    i.players[0].options[0].preference = f64::INFINITY;
    assert!(matches!(
        optimize(&i),
        Err(SquadError::InvalidNumber { .. })
    ));
    let mut i = base;
    i.players[0].options[0].role = "bard".into();
    assert!(matches!(optimize(&i), Err(SquadError::NoProfile { .. })));
}

#[test]
fn explicit_profile_overrides_rules() {
    // a Weaver "dps" that (per measured logs) gives perfect quickness and
    // alacrity: the plan must cover both in a fractal
    let mut p = SupportProfile::default();
    p.provides.insert(
        Resource::Quickness,
        Contribution {
            amount: 1.0,
            reach: Reach::Party,
        },
    );
    p.provides.insert(
        Resource::Alacrity,
        Contribution {
            amount: 1.0,
            reach: Reach::Party,
        },
    );
    let mut special = opt("weaver-measured", "Elementalist", "Weaver", "dps");
    special.profile = Some(p);
    let input = SquadInput::new(
        vec![
            player(
                "a",
                vec![opt("weaver", "Elementalist", "Weaver", "dps"), special],
            ),
            dps("b"),
            dps("c"),
        ],
        "fractal",
    );
    let plan = optimize(&input).unwrap();
    assert_eq!(plan.method, UsedMethod::Exhaustive);
    let a = &plan.parties[0]
        .members
        .iter()
        .find(|m| m.player == "a")
        .unwrap()
        .build;
    assert_eq!(a, "weaver-measured");
    assert!(plan.parties[0]
        .gaps
        .iter()
        .all(|g| g.resource != Resource::Quickness && g.resource != Resource::Alacrity));
}

#[test]
fn coverage_first_then_damage() {
    // Two players, fractal: one must take the quickness build even though
    // it deals less damage; the other stays on DPS.
    let input = SquadInput::new(
        vec![
            player(
                "a",
                vec![
                    opt("weaver", "Elementalist", "Weaver", "dps"),
                    opt("cata", "Elementalist", "Catalyst", "quickness"),
                ],
            ),
            player(
                "b",
                vec![
                    opt("weaver", "Elementalist", "Weaver", "dps"),
                    opt("cata", "Elementalist", "Catalyst", "quickness"),
                ],
            ),
        ],
        "fractal",
    );
    let mut input = input;
    input.requirements = RequirementsSpec::Custom(Requirements {
        name: "quickness only".into(),
        description: String::new(),
        party_size: 5,
        max_players: 5,
        per_party: vec![Requirement {
            resource: Resource::Quickness,
            target: 1.0,
            weight: 1.0,
        }],
    });
    let plan = optimize(&input).unwrap();
    let builds: Vec<&str> = plan.parties[0]
        .members
        .iter()
        .map(|m| m.build.as_str())
        .collect();
    assert_eq!(
        builds.iter().filter(|b| **b == "cata").count(),
        1,
        "{builds:?}"
    );
}

#[test]
fn plan_json_shape_matches_cli_contract() {
    let input = load_preset("raid10.json");
    let plan = optimize(&input).unwrap();
    let v = serde_json::to_value(&plan).unwrap();
    let parties = v["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 2);
    for p in parties {
        assert!(p["coverage"].is_array());
        assert!(p["gaps"].is_array());
        for m in p["members"].as_array().unwrap() {
            assert!(m["player"].is_string());
            assert!(m["build"].is_string());
        }
    }
    assert!(v["optimality_gap"].is_number());
    assert!(v["upper_bound"].is_number());
    // round trip
    let back: SquadPlan = serde_json::from_value(v).unwrap();
    assert_eq!(back.parties.len(), 2);
}

#[test]
fn minimal_json_input_uses_defaults() {
    let text = r#"{"players": [
        {"name": "a", "options": [{"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}]},
        {"name": "b", "options": [{"id": "scourge", "profession": "Necromancer", "spec": "Scourge", "role": "strip"}]}
    ]}"#;
    let input: SquadInput = serde_json::from_str(text).unwrap();
    let plan = optimize(&input).unwrap();
    assert_eq!(plan.requirements, "wvw_zerg");
    assert_eq!(plan.parties.len(), 1);
    check_plan(&input, &plan);
}

// ------------------------------------------------------------ analyzer

fn member(name: &str, build: BuildOption, alts: Vec<BuildOption>) -> TeamMember {
    TeamMember {
        player: name.into(),
        build,
        alternatives: alts,
    }
}

fn fb() -> BuildOption {
    opt("fb", "Guardian", "Firebrand", "support")
}
fn weaver() -> BuildOption {
    opt("weaver", "Elementalist", "Weaver", "dps")
}
fn scrapper() -> BuildOption {
    opt("scrapper", "Engineer", "Scrapper", "support")
}

#[test]
fn analyzer_finds_overlap_gap_and_suggests_a_move() {
    // party 1 has two firebrands, party 2 none: move/exchange one over.
    let team = Team {
        parties: vec![
            TeamParty {
                members: vec![
                    member("Ann", fb(), vec![]),
                    member("Ben", fb(), vec![]),
                    member("Cid", weaver(), vec![]),
                    member("Dee", weaver(), vec![]),
                ],
            },
            TeamParty {
                members: vec![
                    member("Eve", weaver(), vec![]),
                    member("Fay", weaver(), vec![]),
                    member("Gus", weaver(), vec![]),
                    member("Hal", weaver(), vec![]),
                ],
            },
        ],
    };
    let reqs = Requirements::template("wvw_zerg").unwrap();
    let rep = analyze(&team, &reqs);
    assert_eq!(rep.parties.len(), 2);
    let p1 = &rep.parties[0];
    assert!(p1.overlaps.iter().any(|o| o.resource == Resource::Stability
        && o.redundant.len() == 2
        && o.providers.len() == 2));
    let p2 = &rep.parties[1];
    assert!(p2.gaps.iter().any(|g| g.resource == Resource::Stability));
    let best = &rep.suggestions[0];
    assert!(
        matches!(best.kind, SuggestionKind::Move | SuggestionKind::Exchange),
        "{best:?}"
    );
    assert!(best.gains.contains(&Resource::Stability));
    assert!(best.text.contains("party 2"), "{}", best.text);
    assert!(best.score_gain > 0.0);
}

#[test]
fn analyzer_suggests_build_swap_and_recruit() {
    let team = Team {
        parties: vec![TeamParty {
            members: vec![
                member("Ann", weaver(), vec![fb()]),
                member("Bo", weaver(), vec![]),
                member("Cy", weaver(), vec![]),
            ],
        }],
    };
    let reqs = Requirements::template("wvw_zerg").unwrap();
    let rep = analyze(&team, &reqs);
    let swap = rep
        .suggestions
        .iter()
        .find(|s| s.kind == SuggestionKind::ChangeBuild)
        .expect("no build swap suggested");
    assert_eq!(swap.players, vec!["Ann".to_string()]);
    assert!(swap.text.starts_with("swap Ann to fb"), "{}", swap.text);
    assert!(swap.gains.contains(&Resource::Stability));
    // superspeed is not available from anyone: recruit hint names Scrapper
    let recruit = rep
        .suggestions
        .iter()
        .find(|s| s.kind == SuggestionKind::Recruit && s.gains == vec![Resource::Superspeed])
        .expect("no recruit hint for superspeed");
    assert!(recruit.text.contains("Scrapper"), "{}", recruit.text);
}

#[test]
fn analyzer_survives_odd_teams() {
    let reqs = Requirements::template("wvw_zerg").unwrap();
    // empty
    let rep = analyze(&Team::default(), &reqs);
    assert!(rep.parties.is_empty());
    // empty parties, unknown builds, duplicates, nameless, NaN numbers
    let mut nan = scrapper();
    nan.profile = Some(SupportProfile {
        damage: f64::NAN,
        provides: BTreeMap::new(),
    });
    nan.preference = f64::NAN;
    let team = Team {
        parties: vec![
            TeamParty { members: vec![] },
            TeamParty {
                members: vec![
                    member("x", opt("?", "Bard", "Skald", "song"), vec![]),
                    member("x", nan, vec![weaver(); 40]),
                    member("", weaver(), vec![]),
                ],
            },
        ],
    };
    let mut bad_reqs = reqs.clone();
    bad_reqs.per_party[0].target = f64::NAN;
    bad_reqs.party_size = 0;
    let rep = analyze(&team, &bad_reqs);
    assert_eq!(rep.parties.len(), 2);
    assert_eq!(rep.parties[1].members.len(), 3);
    assert!(!rep.warnings.is_empty());
    assert!(rep.objective.is_finite());
    let json = serde_json::to_string(&rep).unwrap();
    assert!(json.contains("\"parties\""));
    // absurdly large party: refused with a warning, no panic
    let huge = Team {
        parties: vec![TeamParty {
            members: (0..300)
                .map(|i| member(&format!("m{i}"), weaver(), vec![]))
                .collect(),
        }],
    };
    let rep = analyze(&huge, &reqs);
    assert!(rep.parties.is_empty());
    assert!(rep.warnings[0].contains("too large"));
}

#[test]
fn analyzer_agrees_with_optimizer_coverage() {
    let input = load_preset("wvw25.json");
    let plan = optimize(&input).unwrap();
    // rebuild the plan as a team (with alternatives) and analyze it
    let team = Team::from_plan(&plan, &input);
    assert!(team
        .parties
        .iter()
        .flat_map(|p| &p.members)
        .all(|m| m.alternatives.len() == 3));
    let reqs = Requirements::template("wvw_zerg").unwrap();
    let rep = analyze(&team, &reqs);
    assert!((rep.coverage_score - plan.coverage_score).abs() < 1e-6);
    for (a, b) in rep.parties.iter().zip(&plan.parties) {
        assert_eq!(a.gaps.len(), b.gaps.len());
    }
    // no single move/exchange should improve an optimized plan by much
    let best_gain = rep
        .suggestions
        .iter()
        .filter(|s| s.kind != SuggestionKind::Recruit)
        .map(|s| s.score_gain)
        .fold(0.0, f64::max);
    assert!(best_gain < 1e-3 * plan.objective, "gain {best_gain}");
}

#[test]
fn documented_input_example_parses_and_solves() {
    let text = r#"{ "players": [
        { "name": "Ann", "preference_weight": 1.0,
          "options": [
            { "build": "fb-support", "profession": "Guardian",
              "specialization": "Firebrand", "role": "support",
              "preference": 1.0 },
            { "build": "measured-scrapper", "profession": "Engineer",
              "specialization": "Scrapper", "role": "support",
              "profile": { "damage": 20, "provides": {
                "superspeed": { "amount": 0.9, "reach": "party" } } } } ] },
        { "name": "Bob", "options": [ { "build": "scourge", "profession": "Necromancer",
              "specialization": "Scourge", "role": "strip" } ] } ],
      "requirements": "wvw_zerg",
      "party_size": 5, "party_count": 1,
      "objective": { "coverage_weight": 1000, "damage_weight": 1, "preference_weight": 1 },
      "solver": { "method": "auto", "seed": 1, "iterations": 100000, "chains": 4 } }"#;
    let input: SquadInput = serde_json::from_str(text).unwrap();
    let plan = optimize(&input).unwrap();
    check_plan(&input, &plan);
    assert_eq!(plan.method, UsedMethod::Exhaustive);
    assert_eq!(plan.optimality_gap, 0.0);
}
