//! The planner on hand-built requests: counts honoured exactly, the squad optimizer's fills,
//! the gear engine's figures recomputed independently, and refusals that name the problem.

use commander::plan::{self, gear, Overrides, PlanError};
use commander::request::{Demand, Duty, Experience, Span, SquadRequest, Wanted, WvwMode};
use optimizer::gear::{library, GearInput};

fn span() -> Span {
    Span {
        start: 0,
        end: 0,
        text: String::new(),
    }
}

fn spec(profession: &str, specialization: &str) -> Wanted {
    Wanted::Specialization {
        profession: profession.into(),
        specialization: specialization.into(),
    }
}

fn demand(wanted: Wanted, count: u32, per_group: bool) -> Demand {
    Demand {
        wanted,
        count,
        per_group,
        span: span(),
    }
}

fn request(
    groups: Option<u32>,
    size: Option<u32>,
    players: Option<u32>,
    demands: Vec<Demand>,
) -> SquadRequest {
    SquadRequest {
        mode: Some(WvwMode::Zerg),
        experience: None,
        groups,
        group_size: size,
        players,
        demands,
        fill: None,
        understood: Vec::new(),
        not_understood: Vec::new(),
        unknown_names: Vec::new(),
    }
}

fn the_issue_example() -> SquadRequest {
    let each = [
        ("Guardian", "Firebrand"),
        ("Ranger", "Druid"),
        ("Necromancer", "Harbinger"),
        ("Warrior", "Spellbreaker"),
        ("Engineer", "Scrapper"),
    ];
    request(
        Some(2),
        Some(5),
        None,
        each.iter()
            .map(|(p, s)| demand(spec(p, s), 1, true))
            .collect(),
    )
}

#[test]
fn two_groups_of_five_get_exactly_the_five_asked_for() {
    let answer = plan::plan(&the_issue_example(), Overrides::default()).unwrap();
    assert!(answer.success);
    assert_eq!(answer.team_size, 10);
    assert_eq!(answer.groups.len(), 2);
    for group in &answer.groups {
        let mut specs: Vec<&str> = group
            .slots
            .iter()
            .map(|s| s.specialization.as_str())
            .collect();
        specs.sort_unstable();
        assert_eq!(
            specs,
            [
                "Druid",
                "Firebrand",
                "Harbinger",
                "Scrapper",
                "Spellbreaker"
            ]
        );
        assert!(group.slots.iter().all(|s| s.requested));
        assert!(!group.coverage.is_empty());
        for slot in &group.slots {
            assert!(!slot.equipment.stats.is_empty() && !slot.equipment.rune.is_empty());
            assert_eq!(slot.equipment.sigils.len(), 2);
            assert!(
                (0.8..6.0).contains(&slot.performance.survivability),
                "{slot:?}"
            );
            assert!(
                slot.advisor_reason.starts_with("Requested"),
                "{}",
                slot.advisor_reason
            );
        }
    }
    assert!(["S", "A", "B", "C"].contains(&answer.synergy.score.as_str()));
    assert!((0.0..=1.0).contains(&answer.synergy.coverage));
}

#[test]
fn squad_totals_are_spread_and_free_slots_filled() {
    let req = request(
        Some(2),
        Some(5),
        None,
        vec![demand(spec("Guardian", "Firebrand"), 3, false)],
    );
    let answer = plan::plan(&req, Overrides::default()).unwrap();
    let fb: Vec<usize> = answer
        .groups
        .iter()
        .map(|g| {
            g.slots
                .iter()
                .filter(|s| s.requested && s.specialization == "Firebrand")
                .count()
        })
        .collect();
    assert_eq!(fb, [2, 1]);
    for group in &answer.groups {
        assert_eq!(group.slots.len(), 5);
        // The filled slots cover stability where the group lacks a second source: every
        // group ends with stability fully covered.
        let stab = group
            .coverage
            .iter()
            .find(|c| c.resource == optimizer::squad::Resource::Stability)
            .unwrap();
        assert!(stab.coverage >= 0.999, "{:?}", group.coverage);
    }
}

#[test]
fn a_duty_is_answered_by_a_build_that_does_it() {
    let req = request(
        Some(1),
        Some(5),
        None,
        vec![
            demand(
                Wanted::Duty {
                    duty: Duty::Healing,
                },
                1,
                true,
            ),
            demand(Wanted::Duty { duty: Duty::Strip }, 2, true),
        ],
    );
    let answer = plan::plan(&req, Overrides::default()).unwrap();
    let asked: Vec<&str> = answer.groups[0]
        .slots
        .iter()
        .filter(|s| s.requested)
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(asked.len(), 3);
    assert!(
        asked.iter().any(|r| *r == "heal" || *r == "support"),
        "{asked:?}"
    );
    assert_eq!(
        asked
            .iter()
            .filter(|r| **r == "strip" || **r == "dps")
            .count(),
        2,
        "{asked:?}"
    );
}

fn refused(req: &SquadRequest) -> PlanError {
    plan::plan(req, Overrides::default()).unwrap_err()
}

#[test]
fn impossible_requests_are_refused_naming_why() {
    let e = refused(&request(None, None, Some(60), vec![]));
    assert_eq!(e.field, "players");
    assert!(e.message.contains("50") && e.message.contains("60"), "{e}");

    let e = refused(&request(Some(2), Some(7), None, vec![]));
    assert_eq!(e.field, "group_size");
    assert!(e.message.contains('7'), "{e}");

    let e = refused(&request(
        Some(1),
        Some(5),
        None,
        vec![demand(spec("Guardian", "Firebrand"), 6, true)],
    ));
    assert!(
        e.message.contains("6 requested") && e.message.contains("Firebrand"),
        "{e}"
    );

    let e = refused(&request(
        Some(2),
        Some(5),
        None,
        vec![demand(spec("Guardian", "Firebrand"), 11, false)],
    ));
    assert!(e.message.contains("11"), "{e}");

    let mut roam = request(None, None, Some(10), vec![]);
    roam.mode = Some(WvwMode::Roaming);
    assert_eq!(refused(&roam).field, "mode");

    let mut unknown = request(Some(1), None, None, vec![]);
    unknown.unknown_names.push(Span {
        start: 2,
        end: 8,
        text: "Blorps".into(),
    });
    let e = refused(&unknown);
    assert!(e.message.contains("Blorps"), "{e}");
}

/// The library id of a modifier shown by its display name.
fn id_of(name: &str, prefix: &str) -> String {
    library()
        .unwrap()
        .iter()
        .find(|m| m.name == name && m.id.starts_with(prefix))
        .unwrap_or_else(|| panic!("{name} is in the library"))
        .id
        .clone()
}

#[test]
fn performance_numbers_are_the_gear_engines() {
    let answer = plan::plan(&the_issue_example(), Overrides::default()).unwrap();
    for slot in &answer.groups[0].slots {
        let e = &slot.equipment;
        let mut modifiers = vec![serde_json::json!({"id": id_of(&e.rune, "rune:")})];
        for s in &e.sigils {
            modifiers.push(serde_json::json!({"id": id_of(s, "sigil:")}));
        }
        modifiers.push(serde_json::json!({"id": id_of(e.relic.as_deref().unwrap(), "relic:")}));
        let input: GearInput = serde_json::from_value(serde_json::json!({
            "profession": slot.profession, "game_mode": "wvw", "weapon_type": "two_handed",
            "affixes": [e.stats], "distribution": {"power": 2200.0}, "modifiers": modifiers, "top": 1
        }))
        .unwrap();
        let result = &optimizer::gear::run(&input).unwrap().results[0];
        assert_eq!(
            slot.performance.effective_health,
            result.effective_health.round(),
            "{slot:?}"
        );
        // Relative to an Elementalist in full Berserker's, measured here independently.
        let squishy: GearInput = serde_json::from_value(serde_json::json!({
            "profession": "Elementalist", "game_mode": "wvw", "weapon_type": "two_handed",
            "affixes": ["Berserker's"], "distribution": {"power": 2200.0}, "top": 1
        }))
        .unwrap();
        let reference = optimizer::gear::run(&squishy).unwrap().results[0].effective_health;
        let relative = (result.effective_health.round() / reference * 100.0).round() / 100.0;
        assert_eq!(slot.performance.survivability, relative, "{slot:?}");
        assert_eq!(
            slot.performance.burst_damage,
            (result.dps * 4.0).round(),
            "{slot:?}"
        );
    }
    // A Firebrand's might and fury make a Berserker group member hit harder; a Harbinger's
    // quickness adds no attribute, so its increase is 0.
    let fb = answer.groups[0]
        .slots
        .iter()
        .find(|s| s.specialization == "Firebrand")
        .unwrap();
    assert!(fb.performance.dps_increase > 0.0, "{fb:?}");
    let book = optimizer::squad::ProfileBook::builtin().unwrap();
    let profile = book.resolve("Guardian", "Firebrand", &fb.role).unwrap();
    let expected = gear::dps_increase(
        profile.amount(optimizer::squad::Resource::Might),
        profile.amount(optimizer::squad::Resource::Fury),
    )
    .unwrap();
    assert_eq!(fb.performance.dps_increase, expected);
}

#[test]
fn beginners_get_more_forgiving_damage_gear_and_builds() {
    use commander::plan::gear::{fit, Kind};
    // The same profession and slot kind: the beginner's kit trades damage for health.
    let beginner = fit(
        "Warrior",
        Kind::Power,
        WvwMode::Roaming,
        Experience::Beginner,
    )
    .unwrap();
    let expert = fit("Warrior", Kind::Power, WvwMode::Roaming, Experience::Expert).unwrap();
    assert!(
        beginner.survivability > expert.survivability,
        "{beginner:?} vs {expert:?}"
    );
    assert!(
        beginner.burst_damage < expert.burst_damage,
        "{beginner:?} vs {expert:?}"
    );
    assert_ne!(beginner.equipment.stats, expert.equipment.stats);

    // And the planner prefers forgiving specializations for a beginner's damage slot.
    let req = request(
        Some(1),
        Some(5),
        None,
        vec![demand(
            Wanted::Duty {
                duty: Duty::PowerDamage,
            },
            1,
            true,
        )],
    );
    let over = |experience| Overrides {
        mode: Some(WvwMode::Roaming),
        experience: Some(experience),
        ..Overrides::default()
    };
    let answer = plan::plan(&req, over(Experience::Beginner)).unwrap();
    let slot = answer.groups[0].slots.iter().find(|s| s.requested).unwrap();
    assert_eq!(slot.role, "dps");
    let forgiving = [
        "Berserker",
        "Dragonhunter",
        "Soulbeast",
        "Reaper",
        "Spellbreaker",
        "Scourge",
    ];
    assert!(
        forgiving.contains(&slot.specialization.as_str()),
        "{slot:?}"
    );
}

#[test]
fn a_size_alone_is_one_group_of_that_size() {
    let mut req = request(
        None,
        Some(3),
        None,
        vec![
            demand(spec("Ranger", "Druid"), 1, true),
            demand(Wanted::Duty { duty: Duty::Damage }, 2, true),
        ],
    );
    req.mode = Some(WvwMode::Roaming);
    let answer = plan::plan(&req, Overrides::default()).unwrap();
    assert_eq!(answer.team_size, 3);
    assert_eq!(answer.groups.len(), 1);
    assert!(answer.groups[0].slots.iter().all(|s| s.requested));
}

#[test]
fn the_default_squad_grows_by_groups_to_hold_what_is_asked() {
    // 2 per group and 7 in all: the zerg's usual 10 players cannot hold 2 + 2 + 7, so the
    // squad grows by whole groups (15: 2 × 3 + 7 = 13 slots asked).
    let req = request(
        None,
        None,
        None,
        vec![
            demand(spec("Guardian", "Firebrand"), 2, true),
            demand(spec("Necromancer", "Scourge"), 7, false),
        ],
    );
    let answer = plan::plan(&req, Overrides::default()).unwrap();
    assert_eq!(answer.team_size, 15);
    let scourges = answer
        .groups
        .iter()
        .flat_map(|g| &g.slots)
        .filter(|s| s.requested && s.specialization == "Scourge")
        .count();
    assert_eq!(scourges, 7);
    assert!(answer.groups.iter().all(|g| g
        .slots
        .iter()
        .filter(|s| s.requested && s.specialization == "Firebrand")
        .count()
        == 2));
}

#[test]
fn factors_on_the_needs_change_the_fill_and_say_so() {
    use optimizer::squad::Resource;
    // Three free slots: the format's needs compete for them, and superspeed (weight 0.5 of
    // the zerg template's 19.5) is left uncovered by default.
    let req = request(Some(1), Some(3), None, vec![]);
    let plain = plan::plan(&req, Overrides::default()).unwrap();
    let mut factors = std::collections::BTreeMap::new();
    for r in &Resource::ALL {
        factors.insert(*r, 0.25);
    }
    factors.insert(Resource::Superspeed, 4.0);
    let weighted = plan::plan(
        &req,
        Overrides {
            weight_factors: Some(factors),
            ..Overrides::default()
        },
    )
    .unwrap();
    let superspeed = |a: &plan::answer::SquadAnswer| -> f64 {
        a.groups
            .iter()
            .flat_map(|g| &g.coverage)
            .filter(|e| e.resource == Resource::Superspeed)
            .map(|e| e.provided)
            .sum()
    };
    let (before, after) = (superspeed(&plain), superspeed(&weighted));
    assert_eq!(before, 0.0, "{:?}", plain.groups[0].coverage);
    assert!(after >= 0.4 - 1e-9, "superspeed {before} → {after}");
    let note = weighted.notes.last().unwrap();
    assert!(
        note.starts_with(
            "The format's needs were weighted by the learned fight-outcome model: superspeed ×4.00, "
        ),
        "{note}"
    );
    assert!(!plain.notes.iter().any(|n| n.contains("weighted")));
    // the grade stays on the format's own weights: the plain plan, optimal for them, grades
    // at least as well
    assert!(plain.synergy.coverage >= weighted.synergy.coverage);
}

#[test]
fn the_planner_writes_french_when_asked() {
    let french = Overrides {
        lang: gw2::Lang::Fr,
        ..Overrides::default()
    };
    let mut req = the_issue_example();
    req.mode = None;
    let en = plan::plan(&req, Overrides::default()).unwrap();
    let fr = plan::plan(&req, french.clone()).unwrap();
    // the same squad, in other words
    let specs = |a: &plan::answer::SquadAnswer| {
        a.groups
            .iter()
            .flat_map(|g| g.slots.iter().map(|s| s.specialization.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(specs(&en), specs(&fr));
    assert_eq!(en.synergy.score, fr.synergy.score);
    assert_eq!(
        fr.notes[0],
        "Aucun format McM indiqué : escouade prévue pour un zerg."
    );
    let reason = &fr.groups[0].slots[0].advisor_reason;
    assert!(
        reason.starts_with("Demandé : Incendiaire (soutien) apporte stabilité"),
        "{reason}"
    );
    assert!(reason.contains("pour un zerg McM"), "{reason}");
    assert!(fr
        .synergy
        .details
        .stability
        .contains("% couvert ; entièrement dans"));
    assert!(fr.synergy.details.damage.contains("infligent des dégâts"));
    // refusals too
    let mut too_many = the_issue_example();
    too_many.groups = Some(12);
    let err = plan::plan(&too_many, french).unwrap_err();
    assert_eq!(err.field, "players");
    assert_eq!(
        err.message,
        "une escouade McM compte au plus 50 joueurs (demandé : 60)"
    );
}
