//! Damage dealt: [`DamageStats`] and its EI gameplay counters ([`GameplayCounts`]).
//!
//! Every number here is a sum or count over the health damage events of [`super::damage`],
//! credited to the player or, for a minion's events, its master: EI
//! `EIData/Statistics/DamageStatistics.cs` (`dpsAll`, `dpsTargets`) for the damage and
//! `EIData/Statistics/OffensiveStatistics.cs` (`statsAll`, `statsTargets`) for the counters.
//! `strike` is EI `strikeDamage`, `condi` EI `condiDamage`, `power` EI `powerDamage`. Downs
//! and kills contributed are the result DOWNED (9) / KILLING_BLOW (8) markers of the player or
//! its minions (EI `statsAll.downed/killed`, `HasDowned`/`HasKilled`); they carry no damage.

use super::context::{Context, Role};
use super::damage::{DamageRow, Marker, Row};
use super::{FightReport, Hit, Tracker};
use crate::event::iff;
use crate::model::Event;
use serde::{Deserialize, Serialize};

/// EI's gameplay counters (`JsonGameplayStats`, computed by EI
/// `EIData/Statistics/OffensiveStatistics.cs` over the player's health damage events, see
/// [`damage`](super::damage)). Following EI, the event and hit counters count the player's own events only;
/// interrupts, downs, kills and applied crowd control also count its minions' (EI counts them
/// outside its `dl.From == actor` block). Events against friends (`iff == FRIEND`) never count
/// (EI `SingleActor.InitDamageEvents`: `!x.ToFriendly`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GameplayCounts {
    /// EI `totalDamageCount`: damage events, markers (interrupt/down/kill) excluded.
    pub damage_events: u32,
    /// EI `directDamageCount`: direct (strike) damage events.
    pub direct_damage_events: u32,
    /// EI `connectedDamageCount`: hits (`HasHit`), strikes and condition ticks.
    pub connected_hits: u32,
    /// EI `connectedDirectDamageCount`: strike hits.
    pub connected_direct_hits: u32,
    /// EI `criticalRate` (a count): critical strike hits. EI also leaves out a short table of
    /// skills that cannot crit (`SkillItem.CanCrit`); that table is not applied here.
    pub crits: u32,
    /// EI `glanceRate` (a count): glancing hits.
    pub glances: u32,
    /// EI `flankingRate` (a count): hits with `is_flanking`.
    pub flanking: u32,
    /// EI `missed`: result BLIND.
    pub missed: u32,
    /// EI `evaded`: result EVADE.
    pub evaded: u32,
    /// EI `blocked`: result BLOCK.
    pub blocked: u32,
    /// EI `invulned`: result ABSORB / INVERT, and invulnerable condition ticks.
    pub invulned: u32,
    /// EI `interrupts`: result INTERRUPT markers.
    pub interrupts: u32,
    /// EI `killed`: result KILLING_BLOW markers.
    pub killed: u32,
    /// EI `downed`: result DOWNED markers.
    pub downed: u32,
    /// EI `appliedCrowdControl`: result CROWD_CONTROL events.
    pub applied_crowd_control: u32,
}

/// Offensive numbers for one player.
///
/// Damage follows EI `EIData/Statistics/DamageStatistics.cs` (`dpsAll`/`dpsTargets`): the sum
/// of `HealthDamage` over the health damage events of the player and its minions, friends
/// excluded, as classified in [`damage`](super::damage). Killing and downing blows (results 8/9) and
/// interrupts (5) are markers there with no damage (`NoDamageHealthDamageEvent`); blocked,
/// evaded, missed and absorbed events add their recorded value (normally 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DamageStats {
    /// All outgoing damage (EI `dpsAll.damage`): strike + condition + other buff damage.
    pub total: i64,
    /// Direct damage (EI `strikeDamage`).
    pub strike: i64,
    /// Damage of condition buffs (EI `condiDamage`, `ConditionDamageBased`).
    pub condi: i64,
    /// Damage to enemy players only (EI `dpsTargets` against "Enemy Players").
    pub to_enemies: i64,
    pub strike_to_enemies: i64,
    pub condi_to_enemies: i64,
    /// `total * 1000 / duration_ms`.
    pub dps: i64,
    /// `to_enemies * 1000 / duration_ms`.
    pub dps_to_enemies: i64,
    /// Damage absorbed by the targets' barrier (EI `barrierDamage`: `ShieldDamage` summed).
    pub barrier_damage: i64,
    /// Connected strike hits, all targets (EI `statsAll.connectedDirectDamageCount`).
    pub hits: u32,
    /// Critical strike hits, all targets.
    pub crits: u32,
    pub glances: u32,
    pub flanking: u32,
    /// Interrupts (result INTERRUPT), all targets.
    pub interrupts: u32,
    /// Enemy players downed by this player's or its minions' hits (result DOWNED).
    pub downs: u32,
    /// Enemy players killed by this player's or its minions' hits (result KILLING_BLOW).
    pub kills: u32,
    /// Crowd control applied to enemy players (result CROWD_CONTROL).
    pub crowd_control: u32,
    /// Strike damage plus non-condition buff damage such as life leech (EI `powerDamage`).
    pub power: i64,
    pub power_to_enemies: i64,
    /// Life-leech buff damage (EI `lifeLeechDamage`), part of `power`.
    pub life_leech: i64,
    /// Counters against all targets (EI `statsAll`).
    pub stats_all: GameplayCounts,
    /// Counters against enemy players (EI `statsTargets` of the "Enemy Players" target).
    pub stats_enemies: GameplayCounts,
}

/// Accumulates each tracked player's [`DamageStats`] (index: [`Role::Tracked`]).
pub struct Offense {
    stats: Vec<DamageStats>,
}

impl Offense {
    pub fn new(ctx: &Context) -> Offense {
        Offense {
            stats: vec![DamageStats::default(); ctx.tracked.len()],
        }
    }
}

impl Tracker for Offense {
    #[inline]
    fn damage(&mut self, e: &Event, hit: &Hit, _ctx: &Context) {
        // EI `SingleActor.InitDamageEvents`: a player's damage events leave out those against
        // friends (`ToFriendly`, iff == FRIEND).
        let Role::Tracked(s) = hit.src else {
            return;
        };
        if e.iff == iff::FRIEND {
            return;
        }
        let Some(d) = self.stats.get_mut(s as usize) else {
            return;
        };
        let to_enemy = hit.dst == Role::Enemy;
        match hit.row {
            Row::Damage(r) => {
                // EI DamageStatistics.ComputeDamageFrom: every event's HealthDamage.
                d.total += r.damage;
                d.barrier_damage += r.shield;
                if r.direct {
                    d.strike += r.damage;
                } else if hit.condi {
                    d.condi += r.damage;
                } else if r.life_leech {
                    d.life_leech += r.damage;
                }
                if !hit.condi {
                    d.power += r.damage;
                }
                if to_enemy {
                    d.to_enemies += r.damage;
                    if r.direct {
                        d.strike_to_enemies += r.damage;
                    } else if hit.condi {
                        d.condi_to_enemies += r.damage;
                    }
                    if !hit.condi {
                        d.power_to_enemies += r.damage;
                    }
                }
                if hit.own {
                    count_row(&mut d.stats_all, e, &r);
                    if to_enemy {
                        count_row(&mut d.stats_enemies, e, &r);
                    }
                }
            }
            Row::Marker(m) => {
                for c in [
                    Some(&mut d.stats_all),
                    to_enemy.then_some(&mut d.stats_enemies),
                ]
                .into_iter()
                .flatten()
                {
                    match m {
                        Marker::Interrupt => c.interrupts += 1,
                        Marker::KillingBlow => c.killed += 1,
                        Marker::Downed => c.downed += 1,
                    }
                }
            }
            Row::CrowdControl => {
                d.stats_all.applied_crowd_control += 1;
                if to_enemy {
                    d.stats_enemies.applied_crowd_control += 1;
                }
            }
        }
    }

    /// The summary fields are copies of counters: hits, crits, glances, flanking and
    /// interrupts against all targets, downs, kills and crowd control against enemy players;
    /// the rates divide by the fight duration.
    fn finalize(self, ctx: &Context, report: &mut FightReport) {
        let duration = ctx.duration.max(1);
        for (p, mut d) in report.players.iter_mut().zip(self.stats) {
            d.hits = d.stats_all.connected_direct_hits;
            d.crits = d.stats_all.crits;
            d.glances = d.stats_all.glances;
            d.flanking = d.stats_all.flanking;
            d.interrupts = d.stats_all.interrupts;
            d.downs = d.stats_enemies.downed;
            d.kills = d.stats_enemies.killed;
            d.crowd_control = d.stats_enemies.applied_crowd_control;
            d.dps = d.total.saturating_mul(1000) / duration;
            d.dps_to_enemies = d.to_enemies.saturating_mul(1000) / duration;
            p.damage = d;
        }
    }
}

/// EI OffensiveStatistics for one of the player's own damage events.
fn count_row(c: &mut GameplayCounts, e: &Event, r: &DamageRow) {
    c.damage_events += 1;
    if r.direct {
        c.direct_damage_events += 1;
    }
    if r.hit {
        c.connected_hits += 1;
        if r.direct {
            c.connected_direct_hits += 1;
            c.crits += u32::from(r.crit);
        }
        c.flanking += u32::from(e.is_flanking != 0);
        c.glances += u32::from(r.glance);
    }
    c.invulned += u32::from(r.absorbed);
    c.missed += u32::from(r.blind);
    c.evaded += u32::from(r.evaded);
    c.blocked += u32::from(r.blocked);
}
