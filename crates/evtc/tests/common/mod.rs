//! Shared synthetic fixture: a 10-second WvW skirmish with hand-computable numbers.
//! Generated into `tests/fixtures/` by `cargo run -p evtc --example gen_fixtures`.
#![allow(dead_code)]

use evtc::event::{activation, iff, result, skill, StateChange};
use evtc::write::LogBuilder;
use evtc::Log;

pub const QUICKNESS: u32 = 1187;
pub const MIGHT: u32 = 740;
pub const STABILITY: u32 = 1122;
pub const PROTECTION: u32 = 717;
pub const BLEEDING: u32 = 736;
pub const BURNING: u32 = 737;
pub const VULNERABILITY: u32 = 738;

/// Fight: log start t=1000, log end t=11000 (10 s).
/// Squad (team 100): Alpha (grp 1, Firebrand, commander, POV), Bravo (grp 1,
/// Scourge, owns minion), Charlie (grp 2, Spellbreaker). Ally: Delta (team 100,
/// no subgroup). Enemies: Enemy One (team 200), Enemy Two (team 300).
pub fn skirmish() -> Log {
    let mut b = LogBuilder::new(1).build_date("20240612");
    let a = b.player("Alpha", "alpha.1234", 1, 1, 62);
    let bb = b.player("Bravo", "bravo.5678", 1, 8, 60);
    let c = b.player("Charlie", "charlie.9012", 2, 2, 61);
    let d = b.player("Delta", "delta.3456", 0, 4, 55);
    let e1 = b.enemy_player("Enemy One", 5, 58);
    let e2 = b.enemy_player("Enemy Two", 6, 56);
    let m = b.npc("Bone Minion", 6569);
    b.skill(QUICKNESS as i32, "Quickness")
        .skill(MIGHT as i32, "Might")
        .skill(9999, "Strike");

    b.log_start(1000, 1_700_000_000);
    b.pov(1000, a);
    b.map_id(1000, 38).gw_build(1000, 150_000);
    for (ag, t) in [
        (a, 100),
        (bb, 100),
        (c, 100),
        (d, 100),
        (e1, 200),
        (e2, 300),
    ] {
        b.team(1000, ag, t);
    }
    b.commander_tag(1000, a);
    // positions: Alpha at origin, Bravo 500 away, Charlie 1000 away then 100 away from t=6000
    b.position(1000, a, 0.0, 0.0, 0.0);
    b.position(1000, bb, 300.0, 400.0, 0.0);
    b.position(1000, c, 600.0, 800.0, 0.0);
    b.position(6000, c, 0.0, 100.0, 0.0);

    // boons
    b.buff_apply(1000, a, a, QUICKNESS, 5000, 1);
    b.buff_apply(1000, a, bb, QUICKNESS, 5000, 2);
    b.buff_apply(1000, a, c, QUICKNESS, 5000, 3);
    b.buff_apply(6000, a, a, QUICKNESS, 2000, 4);
    for id in [10, 11, 12] {
        b.buff_apply(1000, c, c, MIGHT, 10_000, id);
    }
    b.buff_apply(6000, c, a, MIGHT, 5000, 13);
    b.buff_apply(6000, c, a, MIGHT, 5000, 14);
    b.buff_apply(2000, a, bb, STABILITY, 4000, 20);
    b.buff_remove_all(4000, bb, e1, STABILITY, 2000, iff::FOE);

    // damage
    b.strike(2000, a, e1, 9999, 1000, result::NORMAL);
    b.strike(2100, a, e1, 9999, 1500, result::CRIT);
    if let Some(e) = b.log_mut().events.last_mut() {
        e.is_flanking = 1;
    }
    b.strike(2500, d, e1, 9999, 100, result::NORMAL);
    b.condi(3000, bb, e1, BURNING, 300);
    b.condi(3100, bb, e2, BURNING, 200);
    b.minion_strike(3200, m, bb, e1, 9999, 500);
    b.strike_shielded(4000, c, e2, 9999, 2000, 400);
    b.strike(4001, c, e2, 9999, 0, result::DOWNED);
    b.state(4001, e2, StateChange::ChangeDown);
    b.buff_remove_all(4500, e2, c, MIGHT, 3000, iff::FOE);
    b.buff_remove_all(4600, e2, c, PROTECTION, 2000, iff::FOE);
    b.buff_remove_single(4600, e2, c, PROTECTION, 2000, 77, iff::FOE);
    b.strike(5000, c, e2, 9999, 0, result::KILLING_BLOW);
    b.state(5000, e2, StateChange::ChangeDead);
    b.strike(5500, a, e1, 9999, 0, result::DOWNED);
    b.state(5500, e1, StateChange::ChangeDown);
    b.strike(6000, e1, bb, 9999, 800, result::NORMAL);
    b.strike(6001, e1, bb, 9999, 0, result::BLOCK);
    b.strike(6002, e2, a, 9999, 0, result::EVADE);
    b.condi(6500, e1, c, BLEEDING, 250);

    // support
    b.buff_remove_all(6600, bb, a, BLEEDING, 1500, iff::FRIEND);
    b.buff_remove_all(6700, a, a, BURNING, 700, iff::FRIEND);
    b.buff_remove_all(6750, a, c, MIGHT, 900, iff::FRIEND); // friendly boon removal: not a strip
    b.buff_remove_single(6800, bb, c, VULNERABILITY, 300, 55, iff::FRIEND); // single: not a cleanse
    b.heal(6800, a, bb, 9999, 2000, false);
    b.heal(6850, a, a, 9999, 500, false);
    b.heal(6900, a, c, 9999, 1200, true);

    // Bravo goes down and dies
    b.state(7000, bb, StateChange::ChangeDown);
    b.state(8000, bb, StateChange::ChangeDead);
    b.activation(8100, c, skill::RESURRECT, activation::START, 0);
    b.activation(10_600, c, skill::RESURRECT, activation::CANCEL_FIRE, 2500);
    b.state(9000, e1, StateChange::ChangeDead);

    b.log_end(11_000, 1_700_000_010);
    b.build()
}

/// A second fixture with every direct and buff damage outcome EI distinguishes: hits, crits,
/// glances, blocks, evades, misses, absorbed strikes, interrupts, downing and killing blows that
/// carry a value, defiance damage, skill-cast signals, crowd control, invulnerable condition
/// ticks, non-condition buff damage and a hit on a friend. `reworked` writes it as arcdps
/// 20260601 does (EI `ResultEnumRework`: buff damage results 14-18, 6 for absorbed; result 16 for
/// the non-condition buff damage, a life leech); otherwise as arcdps 20240612.
/// Hand-computed expectations: tests/fixtures.rs `busy_*`.
pub fn busy(reworked: bool) -> Log {
    let (hit, invuln, leech) = if reworked { (14, 6, 16) } else { (0, 1, 0) };
    let mut b = LogBuilder::new(1).build_date(if reworked { "20260601" } else { "20240612" });
    let a = b.player("Alpha", "alpha.1234", 1, 1, 62);
    let bb = b.player("Bravo", "bravo.5678", 1, 8, 60);
    let c = b.player("Charlie", "charlie.9012", 2, 2, 61);
    let d = b.player("Delta", "delta.3456", 0, 4, 55);
    let e1 = b.enemy_player("Enemy One", 5, 58);
    let e2 = b.enemy_player("Enemy Two", 6, 56);
    let m = b.npc("Bone Minion", 6569);
    b.log_start(1000, 1_700_000_000);
    b.pov(1000, a);
    for (ag, t) in [
        (a, 100),
        (bb, 100),
        (c, 100),
        (d, 100),
        (e1, 200),
        (e2, 300),
    ] {
        b.team(1000, ag, t);
    }
    let with = |b: &mut LogBuilder, f: &dyn Fn(&mut evtc::Event)| {
        if let Some(e) = b.log_mut().events.last_mut() {
            f(e);
        }
    };
    // Alpha: three hits, four misses of each kind, three markers carrying a value.
    b.strike(2000, a, e1, 9999, 1000, result::NORMAL);
    b.strike(2010, a, e1, 9999, 2000, result::CRIT);
    with(&mut b, &|e| e.is_flanking = 1);
    b.strike(2020, a, e1, 9999, 500, result::GLANCE);
    for (t, r) in [
        (2030, result::BLOCK),
        (2040, result::EVADE),
        (2050, result::BLIND),
        (2060, result::ABSORB),
    ] {
        b.strike(t, a, e1, 9999, 0, r);
    }
    b.strike(2070, a, e1, 9999, 300, result::INTERRUPT);
    b.strike(5000, a, e1, 9999, 700, result::DOWNED);
    b.state(5000, e1, StateChange::ChangeDown);
    b.strike(6000, a, e1, 9999, 900, result::KILLING_BLOW);
    b.state(6000, e1, StateChange::ChangeDead);
    // a hit on a friend: not Alpha's damage, but Delta's damage taken
    b.strike(2080, a, d, 9999, 50, result::NORMAL);
    with(&mut b, &|e| e.iff = iff::FRIEND);
    // Bravo: a burning tick, an invulnerable bleeding tick, its minion's hit and killing blow.
    b.condi(3000, bb, e2, BURNING, 400);
    with(&mut b, &|e| e.result = hit);
    b.condi(3010, bb, e2, BLEEDING, 200);
    with(&mut b, &|e| e.result = invuln);
    b.minion_strike(3020, m, bb, e2, 9999, 600);
    b.minion_strike(7000, m, bb, e2, 9999, 800);
    with(&mut b, &|e| e.result = result::KILLING_BLOW);
    b.state(7000, e2, StateChange::ChangeDead);
    // Charlie: a crit, crowd control (value = ms), defiance damage, a skill-cast signal and
    // damage of a buff that is not a condition.
    b.strike(4000, c, e2, 9999, 1500, result::CRIT);
    b.strike(4010, c, e1, 9999, 2000, result::CROWD_CONTROL);
    b.strike(4020, c, e1, 9999, 5000, result::DEFIANCE);
    b.strike(4030, c, e1, 9999, 100, result::SKILLCAST);
    b.condi(4040, c, e1, 9998, 250);
    with(&mut b, &|e| e.result = leech);
    // Enemies hit the squad.
    b.strike(8000, e1, a, 9999, 800, result::NORMAL);
    b.strike(8010, e1, a, 9999, 1200, result::KILLING_BLOW);
    b.strike(8020, e1, a, 9999, 400, result::INTERRUPT);
    b.condi(8030, e2, bb, BLEEDING, 300);
    with(&mut b, &|e| e.result = hit);
    b.condi(8040, e2, bb, BLEEDING, 150);
    with(&mut b, &|e| e.result = if reworked { 6 } else { 2 });
    b.strike_shielded(8050, e2, c, 9999, 600, 200);
    b.strike(8060, e1, c, 9999, 0, result::BLIND);
    b.strike(8070, e1, c, 9999, 1500, result::CROWD_CONTROL);
    // Delta, an ally outside the squad.
    b.strike(2500, d, e1, 9999, 300, result::NORMAL);
    b.log_end(11_000, 1_700_000_010);
    b.build()
}
