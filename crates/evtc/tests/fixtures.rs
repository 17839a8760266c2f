//! Hand-computed expectations on the committed synthetic fixtures.
//!
//! Fight window: log start 1000 .. log end 11000 => 10 000 ms.

mod common;

use evtc::analyze::{FightReport, Outcome};

const EVTC: &[u8] = include_bytes!("fixtures/skirmish.evtc");
const ZEVTC: &[u8] = include_bytes!("fixtures/skirmish.zevtc");
const EVTC_REV0: &[u8] = include_bytes!("fixtures/skirmish_rev0.evtc");

fn report() -> FightReport {
    evtc::analyze(&evtc::parse(EVTC).expect("fixture parses"))
}

fn boon<'a>(r: &'a FightReport, player: &str, id: u32) -> &'a evtc::analyze::BoonStats {
    r.player(player)
        .unwrap()
        .boons
        .iter()
        .find(|b| b.id == id)
        .unwrap()
}

#[test]
fn committed_fixtures_match_the_writer() {
    let log = common::skirmish();
    assert_eq!(evtc::parse(EVTC).unwrap(), log);
    assert_eq!(evtc::parse(ZEVTC).unwrap(), log);
    assert_eq!(evtc::write::write_evtc(&log), EVTC);
}

#[test]
fn header_and_roles() {
    let r = report();
    assert_eq!(r.arc_build, "20240612");
    assert!(r.is_wvw);
    assert_eq!(r.duration_ms, 10_000);
    assert_eq!(r.map_id, Some(38));
    assert_eq!(r.gw2_build, Some(150_000));
    assert_eq!(r.recorded_by.as_deref(), Some("Alpha"));
    assert_eq!(r.recorded_by_account.as_deref(), Some("alpha.1234"));
    assert_eq!(r.commander.as_deref(), Some("Alpha"));
    assert_eq!(r.squad_size, 3);
    assert_eq!(r.ally_count, 1);
    assert_eq!(r.enemy_count, 2);
    let teams: Vec<(u64, u32)> = r
        .enemies_by_team
        .iter()
        .map(|t| (t.team_id, t.count))
        .collect();
    assert_eq!(teams, vec![(200, 1), (300, 1)]);
    let names: Vec<&str> = r.players.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Alpha", "Bravo", "Charlie", "Delta"]);
    assert_eq!(r.player("Alpha").unwrap().profession_name, "Firebrand");
    assert!(!r.player("Delta").unwrap().in_squad);
    assert!(r.healing_extension);
}

#[test]
fn damage_downs_kills() {
    let r = report();
    let a = &r.player("Alpha").unwrap().damage;
    // 1000 normal + 1500 crit (flanking) on Enemy One
    assert_eq!(
        (a.total, a.strike, a.condi, a.to_enemies),
        (2500, 2500, 0, 2500)
    );
    assert_eq!((a.hits, a.crits, a.flanking), (2, 1, 1));
    assert_eq!(a.dps, 250);
    assert_eq!((a.downs, a.kills), (1, 0));
    let b = &r.player("Bravo").unwrap().damage;
    // burning 300 + 200, minion strike 500 credited to master
    assert_eq!((b.total, b.strike, b.condi), (1000, 500, 500));
    let c = &r.player("Charlie").unwrap().damage;
    assert_eq!(
        (c.total, c.barrier_damage, c.downs, c.kills),
        (2000, 400, 1, 1)
    );
    assert_eq!(r.player("Delta").unwrap().damage.total, 100);
    assert_eq!(r.outcome.squad_damage, 5500);
    assert_eq!(r.outcome.squad_kills, 1);
    assert_eq!(r.outcome.squad_downs_inflicted, 2);
}

#[test]
fn defenses_and_outcome() {
    let r = report();
    let b = &r.player("Bravo").unwrap().defense;
    assert_eq!((b.damage_taken, b.blocked), (800, 1));
    // down 7000..8000, dead 8000..11000
    assert_eq!(
        (b.downs, b.down_duration_ms, b.deaths, b.dead_duration_ms),
        (1, 1000, 1, 3000)
    );
    assert_eq!(b.boons_lost, 1);
    assert_eq!(r.player("Bravo").unwrap().active_ms, 7000);
    assert_eq!(r.player("Alpha").unwrap().defense.evaded, 1);
    assert_eq!(r.player("Charlie").unwrap().defense.condi_taken, 250);
    assert_eq!((r.outcome.enemy_downs, r.outcome.enemy_deaths), (2, 2));
    assert_eq!((r.outcome.squad_downs, r.outcome.squad_deaths), (1, 1));
    assert_eq!(r.outcome.result, Outcome::Victory);
    assert_eq!(r.outcome.kill_death_ratio, 2.0);
}

#[test]
fn strips_cleanses_heals_resurrects() {
    let r = report();
    let c = &r.player("Charlie").unwrap().support;
    // might + protection stripped from Enemy One; single-stack removal not counted
    assert_eq!((c.boon_strips, c.boon_strip_time_ms), (2, 5000));
    assert_eq!((c.resurrects, c.resurrect_time_ms), (1, 2500));
    assert_eq!(c.cleanses, 0, "single-stack removals are not cleanses");
    let a = &r.player("Alpha").unwrap().support;
    assert_eq!((a.cleanses, a.cleanse_time_ms), (1, 1500));
    assert_eq!((a.cleanses_self, a.cleanse_self_time_ms), (1, 700));
    assert_eq!(a.boon_strips, 0);
    assert_eq!((a.healing, a.healing_others, a.barrier), (2500, 2000, 1200));
    assert_eq!(r.player("Bravo").unwrap().support.healing_received, 2000);
}

#[test]
fn boon_uptime_and_generation() {
    let r = report();
    // Quickness: Alpha 1000..6000 + 6000..8000 = 70 %, Bravo and Charlie 50 %.
    assert_eq!(boon(&r, "Alpha", common::QUICKNESS).uptime, 70.0);
    assert_eq!(boon(&r, "Bravo", common::QUICKNESS).uptime, 50.0);
    assert_eq!(boon(&r, "Charlie", common::QUICKNESS).uptime, 50.0);
    let q = boon(&r, "Alpha", common::QUICKNESS);
    assert_eq!(q.generation_self, 70.0);
    assert_eq!(q.generation_group, 50.0); // Bravo only: 5000 / 10000
    assert_eq!(q.generation_off_group, 50.0); // Charlie only
    assert_eq!(q.generation_squad, 50.0); // 10000 / (2 * 10000)
                                          // Might: Charlie 3 stacks all fight; Alpha 2 stacks 6000..6750 (removed) = 1500 stack-ms.
    let cm = boon(&r, "Charlie", common::MIGHT);
    assert!(cm.intensity);
    assert_eq!(
        (cm.uptime, cm.presence, cm.generation_self),
        (3.0, 100.0, 3.0)
    );
    assert_eq!(cm.generation_off_group, 0.075);
    assert_eq!(cm.generation_squad, 0.075);
    let am = boon(&r, "Alpha", common::MIGHT);
    assert_eq!((am.uptime, am.presence), (0.15, 7.5));
    // Stability on Bravo 2000..4000 (stripped) = 0.2 stacks, generated by Alpha.
    assert_eq!(boon(&r, "Bravo", common::STABILITY).uptime, 0.2);
    let s = boon(&r, "Alpha", common::STABILITY);
    assert_eq!((s.generation_group, s.generation_squad), (0.2, 0.1));
}

#[test]
fn distance_to_commander() {
    let r = report();
    // samples every 150 ms at 1000..10900 (67 samples); Charlie 1000 away for
    // the 34 samples before 6000, then 100 away for 33 samples.
    assert_eq!(r.player("Alpha").unwrap().distance_to_commander, Some(0.0));
    assert_eq!(
        r.player("Bravo").unwrap().distance_to_commander,
        Some(500.0)
    );
    assert_eq!(
        r.player("Charlie").unwrap().distance_to_commander,
        Some(556.72)
    );
    assert_eq!(r.player("Delta").unwrap().distance_to_commander, None);
}

#[test]
fn zevtc_and_rev0_give_the_same_damage() {
    let z = evtc::analyze(&evtc::parse(ZEVTC).unwrap());
    assert_eq!(z, report());
    let old = evtc::parse(EVTC_REV0).unwrap();
    assert_eq!(old.header.revision, 0);
    let r0 = evtc::analyze(&old);
    assert_eq!(r0.outcome.squad_damage, 5500);
    assert_eq!(r0.player("Charlie").unwrap().support.boon_strips, 2);
}

#[test]
fn ei_json_field_names() {
    let v = report().to_ei_json();
    assert_eq!(v["durationMS"], 10_000);
    assert_eq!(v["recordedBy"], "Alpha");
    let players = v["players"].as_array().unwrap();
    let c = players.iter().find(|p| p["name"] == "Charlie").unwrap();
    assert_eq!(c["group"], 2);
    assert_eq!(c["account"], ":charlie.9012");
    assert_eq!(c["support"][0]["boonStrips"], 2);
    assert_eq!(c["support"][0]["resurrects"], 1);
    assert_eq!(c["dpsTargets"][0][0]["damage"], 2000);
    assert_eq!(c["statsTargets"][0][0]["killed"], 1);
    assert_eq!(c["statsAll"][0]["distToCom"], 556.72);
    let a = players.iter().find(|p| p["name"] == "Alpha").unwrap();
    assert_eq!(a["hasCommanderTag"], true);
    assert_eq!(a["dpsAll"][0]["powerDamage"], 2500);
    assert_eq!(a["support"][0]["condiCleanse"], 1);
    assert_eq!(a["support"][0]["condiCleanseSelf"], 1);
    assert_eq!(a["extHealingStats"]["outgoingHealing"][0]["healing"], 2500);
    assert_eq!(a["extBarrierStats"]["outgoingBarrier"][0]["barrier"], 1200);
    let q = a["buffUptimes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == 1187)
        .unwrap();
    assert_eq!(q["buffData"][0]["uptime"], 70.0);
    let g = a["groupBuffs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == 1187)
        .unwrap();
    assert_eq!(g["buffData"][0]["generation"], 50.0);
    let b = players.iter().find(|p| p["name"] == "Bravo").unwrap();
    assert_eq!(b["defenses"][0]["deadCount"], 1);
    assert_eq!(b["defenses"][0]["downDuration"], 1000);
    assert_eq!(
        players.iter().find(|p| p["name"] == "Delta").unwrap()["notInSquad"],
        true
    );
}

#[test]
fn report_serde_roundtrip_and_table() {
    let r = report();
    let json = serde_json::to_string(&r).unwrap();
    let back: FightReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    let t = r.render_table();
    assert!(t.contains("Alpha*"), "{t}");
    assert!(t.contains("Charlie"));
    assert!(t.contains("Victory"));
}

#[test]
fn session_aggregate() {
    let r = report();
    let s = evtc::session::aggregate(&[r.clone(), r]);
    assert_eq!(s.fights, 2);
    assert_eq!(s.total_duration_ms, 20_000);
    assert_eq!(s.victories, 2);
    assert_eq!(s.players.len(), 3, "allies are not part of session stats");
    let alpha = s
        .players
        .iter()
        .find(|p| p.account == "alpha.1234")
        .unwrap();
    assert_eq!(alpha.damage, 5000);
    assert_eq!(alpha.healing, 5000);
    assert_eq!(alpha.cleanses, 4);
    assert_eq!(s.rankings.damage[0].account, "alpha.1234");
    assert_eq!(s.rankings.strips[0].account, "charlie.9012");
    assert_eq!(s.rankings.strips[0].value, 4.0);
    assert_eq!(s.rankings.stability[0].account, "alpha.1234");
    assert_eq!(s.rankings.stability[0].value, 0.1);
    // Commander is excluded from distance; Bravo (500) ranks before Charlie (556.72).
    let d: Vec<&str> = s
        .rankings
        .distance_to_tag
        .iter()
        .map(|e| e.account.as_str())
        .collect();
    assert_eq!(d, vec!["bravo.5678", "charlie.9012"]);
}

#[test]
fn squadless_log_uses_friendly_accounts() {
    let mut b = evtc::write::LogBuilder::new(1);
    let a = b.player("Solo", "solo.1111", 0, 3, 0);
    let f = b.player("Friend", "friend.2222", 0, 4, 0);
    let e = b.enemy_player("Foe", 5, 0);
    b.log_start(0, 0)
        .pov(0, a)
        .team(0, a, 7)
        .team(0, f, 7)
        .team(0, e, 8);
    b.strike(500, a, e, 1, 1234, evtc::event::result::NORMAL);
    b.log_end(1000, 0);
    let r = evtc::analyze(&b.build());
    assert_eq!(r.squad_size, 2);
    assert_eq!(r.enemy_count, 1);
    assert_eq!(r.player("Solo").unwrap().damage.to_enemies, 1234);
}

const BUSY: &[u8] = include_bytes!("fixtures/busy.evtc");
const BUSY_2026: &[u8] = include_bytes!("fixtures/busy_2026.evtc");

#[test]
fn busy_fixtures_match_the_writer() {
    assert_eq!(evtc::parse(BUSY).unwrap(), common::busy(false));
    assert_eq!(evtc::parse(BUSY_2026).unwrap(), common::busy(true));
}

/// EI's numbers for `common::busy`, computed by hand from its events with EI's rules
/// (src/analyze/damage.rs): killing/downing blows and interrupts are markers without damage,
/// blocked/evaded/missed/absorbed strikes are events without hits, an invulnerable condition
/// tick adds its value to the attacker's damage (EI DamageStatistics sums every event) but not
/// to the target's damage taken (EI DefensePerTargetStatistics sums hits), hits on friends are
/// not the attacker's damage, defiance damage and skill-cast signals are nothing.
fn assert_busy(r: &FightReport, reworked: bool) {
    let a = &r.player("Alpha").unwrap().damage;
    assert_eq!(
        (a.total, a.strike, a.condi, a.power, a.to_enemies),
        (3500, 3500, 0, 3500, 3500)
    );
    let s = &a.stats_all;
    assert_eq!(
        (
            s.damage_events,
            s.direct_damage_events,
            s.connected_hits,
            s.connected_direct_hits
        ),
        (7, 7, 3, 3)
    );
    assert_eq!((s.crits, s.glances, s.flanking), (1, 1, 1));
    assert_eq!((s.missed, s.evaded, s.blocked, s.invulned), (1, 1, 1, 1));
    assert_eq!((s.interrupts, s.killed, s.downed), (1, 1, 1));
    assert_eq!(a.stats_enemies, a.stats_all);
    assert_eq!(
        (a.hits, a.crits, a.downs, a.kills, a.interrupts),
        (3, 1, 1, 1, 1)
    );

    let b = &r.player("Bravo").unwrap().damage;
    // burning 400 + invulnerable bleeding 200 + minion strike 600; the minion's killing blow
    // (value 800) is a marker, credited to Bravo.
    assert_eq!(
        (b.total, b.strike, b.condi, b.to_enemies),
        (1200, 600, 600, 1200)
    );
    assert_eq!(
        (
            b.stats_all.damage_events,
            b.stats_all.connected_hits,
            b.stats_all.invulned
        ),
        (2, 1, 1),
        "Bravo's own events only: the minion's do not count"
    );
    assert_eq!((b.kills, b.hits), (1, 0));

    let c = &r.player("Charlie").unwrap().damage;
    // crit 1500 + 250 of a buff that is not a condition (a life leech after the rework)
    assert_eq!((c.total, c.strike, c.condi, c.power), (1750, 1500, 0, 1750));
    assert_eq!(c.life_leech, if reworked { 250 } else { 0 });
    assert_eq!((c.crowd_control, c.stats_all.applied_crowd_control), (1, 1));
    assert_eq!(
        (
            c.stats_all.damage_events,
            c.stats_all.connected_hits,
            c.hits
        ),
        (2, 2, 1)
    );
    assert_eq!(r.player("Delta").unwrap().damage.total, 300);

    let ad = &r.player("Alpha").unwrap().defense;
    assert_eq!(
        (ad.damage_taken, ad.strike_taken, ad.interrupted),
        (800, 800, 1)
    );
    let bd = &r.player("Bravo").unwrap().defense;
    assert_eq!(
        (bd.damage_taken, bd.condi_taken, bd.invulned),
        (300, 300, 1)
    );
    let cd = &r.player("Charlie").unwrap().defense;
    assert_eq!(
        (
            cd.damage_taken,
            cd.barrier_absorbed,
            cd.missed,
            cd.crowd_controlled
        ),
        (600, 200, 1, 1)
    );
    assert_eq!(r.player("Delta").unwrap().defense.damage_taken, 50);

    assert_eq!(r.outcome.squad_damage, 6450);
    assert_eq!(r.outcome.squad_damage_taken, 1700);
    assert_eq!(
        (r.outcome.squad_kills, r.outcome.squad_downs_inflicted),
        (2, 1)
    );
    let ei = r.to_ei_json();
    let alpha = ei["players"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Alpha")
        .unwrap();
    assert_eq!(alpha["dpsAll"][0]["damage"], 3500);
    assert_eq!(alpha["statsAll"][0]["killed"], 1);
    assert_eq!(alpha["statsAll"][0]["blocked"], 1);
    assert_eq!(alpha["statsAll"][0]["connectedDamageCount"], 3);
    assert_eq!(alpha["defenses"][0]["damageTaken"], 800);
}

#[test]
fn busy_damage_follows_ei() {
    assert_busy(&evtc::analyze(&evtc::parse(BUSY).unwrap()), false);
}

#[test]
fn busy_2026_damage_follows_ei_after_the_result_rework() {
    let log = evtc::parse(BUSY_2026).unwrap();
    assert_eq!(log.header.build_number(), Some(20_260_601));
    assert_busy(&evtc::analyze(&log), true);
}
