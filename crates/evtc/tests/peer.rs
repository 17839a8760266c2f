//! Peer check: damage per player computed from another reader's view of the same bytes.
//!
//! evtclib (belst/evtclib, gitlab dunj3/evtclib, crates.io `evtclib` 0.7.3) is an independent
//! arcdps reader. From its raw events this test sums, with Elite Insights' rules written out
//! here a second time, each player's damage (EI `dpsAll.damage`), strike and condition damage,
//! damage to enemy players (EI `dpsTargets`) and damage taken (EI `defenses.damageTaken`), and
//! asserts that our report has the same numbers:
//!
//! * a strike (`buff == 0`) adds `value` for results NORMAL, CRIT, GLANCE, BLOCK, EVADE, ABSORB,
//!   BLIND; INTERRUPT, KILLING_BLOW and DOWNED add nothing (EI `NoDamageHealthDamageEvent`),
//!   BREAKBAR and the rest are not health damage (EI `CombatEventFactory.AddDirectDamageEvent`);
//! * a buff damage event (`buff != 0 && value == 0`) adds `buff_dmg` for condition results 0-4
//!   (EI `NonDirectHealthDamageEvent`, `ConditionResult`), a condition's damage when its buff id
//!   is one of EI's conditions;
//! * casts and buff removals are neither (EI `CombatItem.IsDirectDamageEvent`);
//! * a player's damage leaves out events against friends (EI `SingleActor.InitDamageEvents`,
//!   `!ToFriendly`) and includes its minions' (`src_master_instid`);
//! * damage taken counts hits only: strikes with NORMAL/CRIT/GLANCE, buff damage with result 0
//!   (EI `DefensePerTargetStatistics`, `HasHit`).
//!
//! evtclib 0.7.3 predates arcdps' 2026 result rework (it reads results above 10 as "none"), so
//! the peer covers logs of the classic layout; the reworked layout is checked against
//! hand-computed numbers in tests/fixtures.rs (`busy_2026_damage_follows_ei_after_the_result_rework`).

mod common;

use evtclib::raw::{CbtActivation, CbtBuffRemove, CbtResult, CbtStateChange, IFF};
use std::collections::HashMap;

/// EI `CommonBuffs.Conditions` ids (bleeding, burning, confusion, poison, torment, blind,
/// chilled, crippled, fear, immobile, slow, weakness, taunt, vulnerability).
const CONDITIONS: [u32; 14] = [
    736, 737, 861, 723, 19426, 720, 722, 721, 791, 727, 26766, 742, 27705, 738,
];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sums {
    total: i64,
    strike: i64,
    condi: i64,
    to_enemies: i64,
    taken: i64,
}

/// EI's sums per player name, from evtclib's reading of `bytes`.
fn peer(bytes: &[u8]) -> HashMap<String, Sums> {
    let evtc = evtclib::raw::parse_file(std::io::Cursor::new(bytes)).expect("evtclib reads it");
    let name_of = |a: &evtclib::raw::Agent| {
        let end = a.name.iter().position(|b| *b == 0).unwrap_or(a.name.len());
        String::from_utf8_lossy(&a.name[..end]).into_owned()
    };
    let players: HashMap<u64, &evtclib::raw::Agent> = evtc
        .agents
        .iter()
        .filter(|a| a.is_elite != 0xffff_ffff)
        .map(|a| (a.addr, a))
        .collect();
    let mut instid: HashMap<u16, u64> = HashMap::new();
    let mut team: HashMap<u64, u64> = HashMap::new();
    let mut pov = None;
    for e in &evtc.events {
        match e.is_statechange {
            CbtStateChange::None if e.src_instid != 0 => {
                instid.entry(e.src_instid).or_insert(e.src_agent);
            }
            CbtStateChange::TeamChange => {
                team.insert(e.src_agent, e.dst_agent);
            }
            CbtStateChange::PointOfView => pov = Some(e.src_agent),
            _ => {}
        }
    }
    let pov_team = pov.and_then(|p| team.get(&p).copied());
    let enemy = |addr: u64| players.contains_key(&addr) && team.get(&addr).copied() != pov_team;
    let mut sums: HashMap<String, Sums> = HashMap::new();
    for e in &evtc.events {
        if e.is_statechange != CbtStateChange::None
            || e.is_activation != CbtActivation::None
            || e.is_buffremove != CbtBuffRemove::None
        {
            continue;
        }
        use CbtResult::*;
        let (damage, strike, hit) = if e.buff == 0 {
            match e.result {
                Normal | Crit | Glance => (i64::from(e.value), true, true),
                Block | Evade | Absorb | Blind => (i64::from(e.value), true, false),
                _ => continue,
            }
        } else if e.value == 0 {
            match e.result {
                Normal => (i64::from(e.buff_dmg), false, true),
                Crit | Glance | Block | Evade => (i64::from(e.buff_dmg), false, false),
                _ => continue,
            }
        } else {
            continue; // a buff application
        };
        let condi = !strike && CONDITIONS.contains(&e.skillid);
        let source = match instid.get(&e.src_master_instid) {
            Some(master) if e.src_master_instid != 0 => *master,
            _ => e.src_agent,
        };
        if let Some(p) = players.get(&source) {
            if e.iff != IFF::Friend {
                let s = sums.entry(name_of(p)).or_default();
                s.total += damage;
                if strike {
                    s.strike += damage;
                } else if condi {
                    s.condi += damage;
                }
                if enemy(e.dst_agent) {
                    s.to_enemies += damage;
                }
            }
        }
        if let (Some(p), true) = (players.get(&e.dst_agent), hit) {
            sums.entry(name_of(p)).or_default().taken += damage;
        }
    }
    sums
}

/// Our report's numbers for every friendly player, against the peer's.
fn assert_same(bytes: &[u8], what: &str) -> usize {
    let report = evtc::analyze(&evtc::parse(bytes).unwrap());
    let peer = peer(bytes);
    assert!(!report.players.is_empty(), "{what}: no players");
    for p in &report.players {
        let ours = Sums {
            total: p.damage.total,
            strike: p.damage.strike,
            condi: p.damage.condi,
            to_enemies: p.damage.to_enemies,
            taken: p.defense.damage_taken,
        };
        let theirs = peer.get(&p.name).copied().unwrap_or_default();
        assert_eq!(ours, theirs, "{what}: {}", p.name);
    }
    report.players.len()
}

#[test]
fn committed_fixtures_agree_with_evtclib() {
    for (name, bytes) in [
        (
            "skirmish.evtc",
            &include_bytes!("fixtures/skirmish.evtc")[..],
        ),
        (
            "skirmish_rev0.evtc",
            &include_bytes!("fixtures/skirmish_rev0.evtc")[..],
        ),
        ("busy.evtc", &include_bytes!("fixtures/busy.evtc")[..]),
    ] {
        assert_same(bytes, name);
    }
}

#[test]
fn a_busy_fight_with_killing_and_downing_blows_agrees_with_evtclib() {
    let cfg = evtc::write::synthetic::Config {
        squad: 15,
        enemies: 15,
        duration_ms: 120_000,
        outcomes: true,
        ..Default::default()
    };
    let log = evtc::write::synthetic::wvw_fight(&cfg);
    let markers = log
        .events
        .iter()
        .filter(|e| {
            e.is_statechange == 0 && e.buff == 0 && e.value > 0 && matches!(e.result, 5 | 8 | 9)
        })
        .count();
    assert!(
        markers > 100,
        "{markers} interrupts/downing/killing blows with a value"
    );
    let bytes = evtc::write::write_evtc(&log);
    assert_eq!(assert_same(&bytes, "synthetic busy fight"), 15);
    // and the same log read from a .zevtc, decoded while inflating in pieces that split events
    let z = evtc::write::write_zevtc(&log);
    assert!(
        bytes.len() > 4 << 20,
        "{} bytes: many inflate pieces",
        bytes.len()
    );
    assert_eq!(evtc::parse(&z).unwrap(), log);
}
