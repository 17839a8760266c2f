//! Damage taken and survival: [`DefenseStats`] (EI `defenses`), and the fight time a player
//! was not dead (`active_ms`).
//!
//! * Damage taken and incoming outcomes: the health damage events of [`super::damage`]
//!   against the player, by EI `EIData/Statistics/DefensePerTargetStatistics.cs`.
//! * Dodges: activation starts of the arcdps custom dodge skill (readme `cbtcustomskill`,
//!   [`skill::DODGE`]).
//! * Boons lost: the strips of [`super::support`] seen from the other side: a boon removed
//!   from the player (`is_buffremove == ALL`, `iff != FRIEND`).
//! * Downs and deaths: `ChangeDown` / `ChangeDead` statechanges; a downed or dead state lasts
//!   until the player's next `ChangeUp` / `ChangeDown` / `ChangeDead` / `Spawn`, or the fight
//!   end, clamped to the fight window (EI `downCount`/`downDuration`/`deadCount`/
//!   `deadDuration`).

use super::buffs;
use super::context::{Context, Role};
use super::damage::{Marker, Row};
use super::{FightReport, Hit, Tracker};
use crate::event::{activation, buffremove, iff, skill, StateChange};
use crate::model::Event;
use serde::{Deserialize, Serialize};

/// Defensive numbers for one player, after EI `EIData/Statistics/DefensePerTargetStatistics.cs`
/// (`defenses`): damage taken counts hits only (`HasHit`), so blocked, evaded, missed and
/// absorbed events and the interrupt/down/kill markers add no damage; the outcome counters count
/// every incoming event of their kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DefenseStats {
    /// EI `damageTaken`.
    pub damage_taken: i64,
    /// EI `strikeDamageTaken`.
    pub strike_taken: i64,
    /// EI `conditionDamageTaken`.
    pub condi_taken: i64,
    /// Incoming damage absorbed by own barrier (EI `damageBarrier`).
    pub barrier_absorbed: i64,
    pub blocked: u32,
    pub evaded: u32,
    /// EI `missedCount`: incoming result BLIND.
    pub missed: u32,
    /// EI `invulnedCount`: incoming result ABSORB / INVERT / invulnerable condition ticks.
    pub invulned: u32,
    /// EI `interruptedCount`: incoming result INTERRUPT markers.
    pub interrupted: u32,
    pub dodges: u32,
    pub downs: u32,
    pub down_duration_ms: i64,
    pub deaths: u32,
    pub dead_duration_ms: i64,
    /// EI `receivedCrowdControl`.
    pub crowd_controlled: u32,
    /// Boons stripped from this player by enemies.
    pub boons_lost: u32,
    /// EI `powerDamageTaken`: strike plus non-condition buff damage taken.
    pub power_taken: i64,
}

#[derive(Clone, Copy)]
enum Status {
    Down,
    Dead,
    Up,
}

/// Accumulates each tracked player's [`DefenseStats`] and their down/dead/up timeline.
pub struct Defense {
    stats: Vec<DefenseStats>,
    /// (time, tracked index, new status), in log order.
    status: Vec<(i64, u32, Status)>,
}

impl Defense {
    pub fn new(ctx: &Context) -> Defense {
        Defense {
            stats: vec![DefenseStats::default(); ctx.tracked.len()],
            status: Vec::new(),
        }
    }
}

impl Tracker for Defense {
    #[inline]
    fn damage(&mut self, _e: &Event, hit: &Hit, _ctx: &Context) {
        let Role::Tracked(t) = hit.dst else {
            return;
        };
        let Some(d) = self.stats.get_mut(t as usize) else {
            return;
        };
        match hit.row {
            Row::Damage(r) => {
                // EI DefensePerTargetStatistics: damage taken only for hits.
                if r.hit {
                    d.damage_taken += r.damage;
                    if hit.condi {
                        d.condi_taken += r.damage;
                    } else {
                        d.power_taken += r.damage;
                        if r.direct {
                            d.strike_taken += r.damage;
                        }
                    }
                    d.barrier_absorbed += r.shield.max(0);
                }
                d.blocked += u32::from(r.blocked);
                d.missed += u32::from(r.blind);
                d.invulned += u32::from(r.absorbed);
                d.evaded += u32::from(r.evaded);
            }
            Row::Marker(Marker::Interrupt) => d.interrupted += 1,
            Row::Marker(_) => {}
            Row::CrowdControl => d.crowd_controlled += 1,
        }
    }

    #[inline]
    fn buff_remove(&mut self, e: &Event, kind: u8, ctx: &Context) {
        // src_agent: the agent that had the buff removed.
        if kind == buffremove::ALL && e.iff != iff::FRIEND && buffs::is_boon(e.skill_id) {
            if let Some(d) = ctx
                .target_of(e.src_agent)
                .and_then(|t| self.stats.get_mut(t as usize))
            {
                d.boons_lost += 1;
            }
        }
    }

    #[inline]
    fn activation(&mut self, e: &Event, kind: u8, ctx: &Context) {
        if kind == activation::START && e.skill_id == skill::DODGE {
            if let Some(d) = ctx
                .target_of(e.src_agent)
                .and_then(|t| self.stats.get_mut(t as usize))
            {
                d.dodges += 1;
            }
        }
    }

    #[inline]
    fn state_change(&mut self, e: &Event, sc: StateChange, ctx: &Context) {
        let st = match sc {
            StateChange::ChangeDown => Status::Down,
            StateChange::ChangeDead => Status::Dead,
            StateChange::ChangeUp | StateChange::Spawn => Status::Up,
            _ => return,
        };
        if let Some(t) = ctx.target_of(e.src_agent) {
            self.status.push((e.time, t, st));
        }
    }

    fn finalize(mut self, ctx: &Context, report: &mut FightReport) {
        let (start, end) = (ctx.start, ctx.end);
        self.status.sort_by_key(|s| s.0);
        let mut cur: Vec<Option<(Status, i64)>> = vec![None; self.stats.len()];
        let close = |d: &mut DefenseStats, st: Status, since: i64, now: i64| {
            let span = now
                .clamp(start, end)
                .saturating_sub(since.clamp(start, end))
                .max(0);
            match st {
                Status::Down => d.down_duration_ms += span,
                Status::Dead => d.dead_duration_ms += span,
                Status::Up => {}
            }
        };
        for &(time, t, st) in &self.status {
            let (Some(d), Some(c)) = (self.stats.get_mut(t as usize), cur.get_mut(t as usize))
            else {
                continue;
            };
            if let Some((prev, since)) = c.take() {
                close(d, prev, since, time);
            }
            match st {
                Status::Down => d.downs += 1,
                Status::Dead => d.deaths += 1,
                Status::Up => {}
            }
            *c = Some((st, time));
        }
        for (t, c) in cur.iter().enumerate() {
            if let (Some((st, since)), Some(d)) = (c, self.stats.get_mut(t)) {
                close(d, *st, *since, end);
            }
        }
        for (p, d) in report.players.iter_mut().zip(self.stats) {
            p.active_ms = ctx.duration.saturating_sub(d.dead_duration_ms).max(0);
            p.defense = d;
        }
    }
}
