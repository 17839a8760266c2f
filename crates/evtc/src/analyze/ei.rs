//! Elite Insights-shaped JSON.
//!
//! Field names follow EI's `GW2EIJSON` classes serialised in camelCase:
//! `JsonLog` (fightName, arcVersion, gW2Build, recordedBy, durationMS, players,
//! targets, phases), `JsonActor`/`JsonPlayer` (name, account, group,
//! hasCommanderTag, profession, teamID, notInSquad, dpsAll, dpsTargets,
//! statsAll, statsTargets, defenses, support, buffUptimes, selfBuffs,
//! groupBuffs, offGroupBuffs, squadBuffs, activeTimes, extHealingStats,
//! extBarrierStats), `JsonStatistics` (JsonDPS, JsonGameplayStats(All),
//! JsonDefensesAll, JsonPlayerSupport), `JsonBuffsUptime`,
//! `JsonPlayerBuffsGeneration`, `EXTJsonHealingStatistics`,
//! `EXTJsonBarrierStatistics`. One phase (the whole fight) and one fake target
//! ("Enemy Players") are emitted, as EI does for non-detailed WvW logs, so
//! per-phase arrays have length 1 and per-target arrays `[[..]]`.

use super::{FightReport, GameplayCounts, PlayerStats};
use serde_json::{json, Value};

fn duration_string(ms: i64) -> String {
    let m = ms / 60_000;
    let s = (ms % 60_000) / 1000;
    let r = ms % 1000;
    format!("{m:02}m {s:02}s {r:03}ms")
}

/// EI `JsonDPS` from [`super::DamageStats`]-shaped sums (EI `DamageStatistics`).
fn dps_json(total: i64, power: i64, condi: i64, strike: i64, dur_ms: i64) -> Value {
    let per = |v: i64| v.saturating_mul(1000) / dur_ms.max(1);
    json!({
        "dps": per(total), "damage": total,
        "condiDps": per(condi), "condiDamage": condi,
        "powerDps": per(power), "powerDamage": power,
        "strikeDps": per(strike), "strikeDamage": strike,
        "breakbarDamage": 0.0,
        "actorDps": per(total), "actorDamage": total,
        "actorCondiDps": per(condi), "actorCondiDamage": condi,
        "actorPowerDps": per(power), "actorPowerDamage": power,
        "actorBreakbarDamage": 0.0,
    })
}

/// EI `JsonGameplayStats` (`JsonStatisticsBuilder.FillJsonGamePlayStats`).
fn gameplay_json(c: &GameplayCounts) -> Value {
    json!({
        "totalDamageCount": c.damage_events,
        "directDamageCount": c.direct_damage_events,
        "connectedDamageCount": c.connected_hits,
        "connectedDirectDamageCount": c.connected_direct_hits,
        "critableDirectDamageCount": c.connected_direct_hits,
        "criticalRate": c.crits,
        "flankingRate": c.flanking,
        "glanceRate": c.glances,
        "missed": c.missed,
        "evaded": c.evaded,
        "blocked": c.blocked,
        "interrupts": c.interrupts,
        "invulned": c.invulned,
        "killed": c.killed,
        "downed": c.downed,
        "appliedCrowdControl": c.applied_crowd_control,
    })
}

fn player_json(p: &PlayerStats, r: &FightReport) -> Value {
    let dur = r.duration_ms;
    let d = &p.damage;
    let df = &p.defense;
    let s = &p.support;
    let mut stats_all = gameplay_json(&d.stats_all);
    if let Some(obj) = stats_all.as_object_mut() {
        obj.insert("wasted".into(), json!(0));
        obj.insert("timeWasted".into(), json!(0.0));
        obj.insert("saved".into(), json!(0));
        obj.insert("timeSaved".into(), json!(0.0));
        obj.insert("stackDist".into(), json!(p.stack_distance.unwrap_or(-1.0)));
        obj.insert(
            "distToCom".into(),
            json!(p.distance_to_commander.unwrap_or(-1.0)),
        );
        obj.insert("swapCount".into(), json!(0));
    }
    let buff_uptimes: Vec<Value> = p
        .boons
        .iter()
        .map(|b| json!({ "id": b.id, "buffData": [ { "uptime": b.uptime, "presence": if b.intensity { b.presence } else { 0.0 } } ] }))
        .collect();
    let gen = |f: fn(&super::BoonStats) -> f64| -> Vec<Value> {
        p.boons
            .iter()
            .map(|b| json!({ "id": b.id, "buffData": [ { "generation": f(b), "overstack": f(b), "wasted": 0.0, "unknownExtended": 0.0, "byExtension": 0.0, "extended": 0.0 } ] }))
            .collect()
    };
    let per = |v: i64| v.saturating_mul(1000) / dur.max(1);
    let mut v = json!({
        "name": p.name,
        "totalHealth": -1,
        "condition": 0, "concentration": 0, "healing": 0, "toughness": 0,
        "hitboxHeight": 0, "hitboxWidth": 0,
        "instanceID": p.instid,
        "teamID": p.team_id.unwrap_or(0),
        "isFake": false,
        "account": p.account.as_deref().map(|a| format!(":{a}")).unwrap_or_default(),
        "group": p.subgroup,
        "hasCommanderTag": p.is_commander,
        "profession": p.profession_name,
        "friendlyNPC": false,
        "notInSquad": !p.in_squad,
        "dpsAll": [ dps_json(d.total, d.power, d.condi, d.strike, dur) ],
        "dpsTargets": [ [ dps_json(d.to_enemies, d.power_to_enemies, d.condi_to_enemies, d.strike_to_enemies, dur) ] ],
        "statsAll": [ stats_all ],
        "statsTargets": [ [ gameplay_json(&d.stats_enemies) ] ],
        "defenses": [ {
            "damageTaken": df.damage_taken,
            "conditionDamageTaken": df.condi_taken,
            "powerDamageTaken": df.power_taken,
            "strikeDamageTaken": df.strike_taken,
            "breakbarDamageTaken": 0.0,
            "blockedCount": df.blocked,
            "evadedCount": df.evaded,
            "missedCount": df.missed,
            "dodgeCount": df.dodges,
            "invulnedCount": df.invulned,
            "damageBarrier": df.barrier_absorbed,
            "interruptedCount": df.interrupted,
            "downCount": df.downs,
            "downDuration": df.down_duration_ms,
            "deadCount": df.deaths,
            "deadDuration": df.dead_duration_ms,
            "dcCount": 0,
            "dcDuration": 0,
            "boonStrips": df.boons_lost,
            "receivedCrowdControl": df.crowd_controlled,
        } ],
        "support": [ {
            "resurrects": s.resurrects,
            "resurrectTime": s.resurrect_time_ms as f64 / 1000.0,
            "condiCleanse": s.cleanses,
            "condiCleanseTime": s.cleanse_time_ms as f64 / 1000.0,
            "condiCleanseSelf": s.cleanses_self,
            "condiCleanseTimeSelf": s.cleanse_self_time_ms as f64 / 1000.0,
            "boonStrips": s.boon_strips,
            "boonStripsTime": s.boon_strip_time_ms as f64 / 1000.0,
        } ],
        "buffUptimes": buff_uptimes,
        "selfBuffs": gen(|b| b.generation_self),
        "groupBuffs": gen(|b| b.generation_group),
        "offGroupBuffs": gen(|b| b.generation_off_group),
        "squadBuffs": gen(|b| b.generation_squad),
        "activeTimes": [ p.active_ms ],
    });
    if r.healing_extension {
        if let Some(obj) = v.as_object_mut() {
            let heal = json!({
                "hps": per(s.healing), "healing": s.healing,
                "healingPowerHps": per(s.healing), "healingPowerHealing": s.healing,
                "conversionHps": 0, "conversionHealing": 0,
                "actorHps": per(s.healing), "actorHealing": s.healing,
                "actorHealingPowerHps": per(s.healing), "actorHealingPowerHealing": s.healing,
                "actorConversionHps": 0, "actorConversionHealing": 0,
            });
            obj.insert(
                "extHealingStats".into(),
                json!({
                    "outgoingHealing": [ heal ],
                    "incomingHealing": [ { "healed": s.healing_received, "healingPowerHealed": s.healing_received, "conversionHealed": 0 } ],
                }),
            );
            obj.insert(
                "extBarrierStats".into(),
                json!({
                    "outgoingBarrier": [ { "bps": per(s.barrier), "barrier": s.barrier, "actorBps": per(s.barrier), "actorBarrier": s.barrier } ],
                }),
            );
        }
    }
    v
}

pub(super) fn to_ei_json(r: &FightReport) -> Value {
    let players: Vec<Value> = r.players.iter().map(|p| player_json(p, r)).collect();
    let enemy_damage_taken: i64 = r.players.iter().map(|p| p.damage.to_enemies).sum();
    json!({
        "eliteInsightsVersion": concat!("gw2opt-evtc ", env!("CARGO_PKG_VERSION")),
        "triggerID": r.species_id,
        "fightName": r.fight_name,
        "arcVersion": format!("EVTC{}", r.arc_build),
        "gW2Build": r.gw2_build.unwrap_or(0),
        "recordedBy": r.recorded_by.clone().unwrap_or_default(),
        "recordedAccountBy": r.recorded_by_account.clone().unwrap_or_default(),
        "duration": duration_string(r.duration_ms),
        "durationMS": r.duration_ms,
        "success": r.outcome.result == super::Outcome::Victory,
        "isCM": false,
        "targets": [ {
            "name": "Enemy Players",
            "isFake": true,
            "enemyPlayer": true,
            "totalHealth": -1,
            "defenses": [ { "damageTaken": enemy_damage_taken, "downCount": r.outcome.enemy_downs, "deadCount": r.outcome.enemy_deaths } ],
        } ],
        "players": players,
        "phases": [ { "start": 0, "end": r.duration_ms, "name": "Full Fight", "targets": [0], "breakbarPhase": false } ],
        "wvwTeams": r.enemies_by_team.iter().map(|t| json!({"teamID": t.team_id, "count": t.count})).collect::<Vec<_>>(),
    })
}
