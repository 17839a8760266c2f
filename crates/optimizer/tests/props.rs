//! Property tests: on arbitrary (often invalid) inputs the optimizer never
//! panics, fails exactly when the input is invalid, and otherwise places
//! every player exactly once within party-size limits.

use std::collections::BTreeMap;

use optimizer::squad::{optimize, BuildOption, Player, RequirementsSpec, SquadInput};
use proptest::prelude::*;

const BUILDS: [(&str, &str, &str); 7] = [
    ("Guardian", "Firebrand", "support"),
    ("Engineer", "Scrapper", "support"),
    ("Necromancer", "Scourge", "strip"),
    ("Revenant", "Herald", "quickness"),
    ("Ranger", "Druid", "heal"),
    ("Elementalist", "Weaver", "dps"),
    ("Bard", "Skald", "song"), // unknown role: no profile
];

fn arb_player() -> impl Strategy<Value = Player> {
    (
        prop_oneof![
            Just(String::new()),
            "[a-h]{1,2}".prop_map(|s| s),
            "[a-z]{3,8}".prop_map(|s| s)
        ],
        prop::collection::vec(0usize..BUILDS.len(), 0..=4),
        0.0f64..2.0,
    )
        .prop_map(|(name, opts, w)| Player {
            name,
            options: opts
                .into_iter()
                .enumerate()
                .map(|(k, b)| BuildOption {
                    build: format!("build{k}"),
                    profession: BUILDS[b].0.into(),
                    specialization: BUILDS[b].1.into(),
                    role: BUILDS[b].2.into(),
                    profile: None,
                    preference: (k % 2) as f64,
                })
                .collect(),
            preference_weight: w,
        })
}

fn expected_ok(input: &SquadInput, template_max: Option<usize>) -> bool {
    let Some(max) = template_max else {
        return false;
    };
    let n = input.players.len();
    let size = input.party_size.unwrap_or(5);
    if n == 0 || n > max || size == 0 || size > 10 {
        return false;
    }
    let count = input.party_count.unwrap_or(n.div_ceil(size));
    if count == 0 || count > n || count * size < n {
        return false;
    }
    let mut names = std::collections::HashSet::new();
    input.players.iter().all(|p| {
        let name = p.name.trim().to_lowercase();
        !name.is_empty()
            && names.insert(name)
            && !p.options.is_empty()
            && p.options.iter().all(|o| o.role != "song")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_places_everyone_once(
        players in prop::collection::vec(arb_player(), 0..=55),
        template in prop::sample::select(vec!["wvw_zerg", "raid", "fractal", "nope"]),
        party_size in prop::option::of(0usize..=11),
        party_count in prop::option::of(0usize..=12),
        seed in any::<u64>(),
    ) {
        let mut input = SquadInput::new(players, template);
        input.requirements = RequirementsSpec::Template(template.to_string());
        input.party_size = party_size;
        input.party_count = party_count;
        input.solver.seed = seed;
        input.solver.iterations = Some(300);
        input.solver.chains = Some(2);
        let template_max = match template {
            "wvw_zerg" => Some(50),
            "raid" => Some(10),
            "fractal" => Some(5),
            _ => None,
        };
        let result = optimize(&input);
        prop_assert_eq!(result.is_ok(), expected_ok(&input, template_max), "{:?}", result.as_ref().err());
        if let Ok(plan) = result {
            let size = input.party_size.unwrap_or(5);
            let mut seen = BTreeMap::new();
            for party in &plan.parties {
                prop_assert!(!party.members.is_empty());
                prop_assert!(party.members.len() <= size);
                for m in &party.members {
                    *seen.entry(m.player.clone()).or_insert(0usize) += 1;
                }
            }
            prop_assert_eq!(seen.len(), input.players.len());
            prop_assert!(seen.values().all(|&c| c == 1));
            prop_assert!(plan.objective.is_finite());
            prop_assert!(plan.upper_bound + 1e-9 >= plan.objective);
            if let Some(c) = input.party_count {
                prop_assert_eq!(plan.parties.len(), c);
            }
        }
    }
}

fn arb_valid_players() -> impl Strategy<Value = Vec<Player>> {
    prop::collection::vec(
        (
            prop::collection::vec(0usize..BUILDS.len() - 1, 1..=4),
            0.0f64..2.0,
        ),
        1..=50,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .enumerate()
            .map(|(i, (opts, w))| Player {
                name: format!("player{i}"),
                options: opts
                    .into_iter()
                    .enumerate()
                    .map(|(k, b)| BuildOption {
                        build: format!("b{k}"),
                        profession: BUILDS[b].0.into(),
                        specialization: BUILDS[b].1.into(),
                        role: BUILDS[b].2.into(),
                        profile: None,
                        preference: (k == 0) as u8 as f64,
                    })
                    .collect(),
                preference_weight: w,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Valid squads of any size up to 50 always solve, with everyone placed
    /// once, balanced parties of at most 5, and a bound above the objective.
    #[test]
    fn valid_squads_always_solve(players in arb_valid_players(), seed in any::<u64>()) {
        let mut input = SquadInput::new(players, "wvw_zerg");
        input.solver.seed = seed;
        input.solver.iterations = Some(2_000);
        input.solver.chains = Some(2);
        let plan = optimize(&input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let n = input.players.len();
        prop_assert_eq!(plan.parties.len(), n.div_ceil(5));
        let mut seen = BTreeMap::new();
        let sizes: Vec<usize> = plan.parties.iter().map(|p| p.members.len()).collect();
        prop_assert!(sizes.iter().all(|&s| (1..=5).contains(&s)));
        prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
        for party in &plan.parties {
            for m in &party.members {
                *seen.entry(m.player.clone()).or_insert(0usize) += 1;
            }
        }
        prop_assert_eq!(seen.len(), n);
        prop_assert!(seen.values().all(|&c| c == 1));
        prop_assert!(plan.upper_bound + 1e-9 >= plan.objective);
        prop_assert!((0.0..=1.0).contains(&plan.optimality_gap));
    }
}
