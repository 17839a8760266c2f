//! Support: [`SupportStats`].
//!
//! * Boon strips / cleanses: `is_buffremove == ALL` events credited to the remover
//!   (`dst_agent`, or its master), boons on foes (`iff != FRIEND`) / conditions on friends
//!   (`iff == FRIEND`), count and removed ms (EI `FinalSupport`/`FinalToPlayersSupport`:
//!   `boonStrips`, `condiCleanse`, `condiCleanseSelf`).
//! * Resurrects: casts of skill 1066 (EI `ResurrectCount`): activation starts count, the
//!   `value` of a finished or cancelled cast is its time; likewise its `AnimationStart` /
//!   `AnimationStop` statechanges (how casts arrive from arcdps 20260501 on).
//! * Healing / barrier: healing stats extension events (EI
//!   `HealingStatsExtensionHandler.IsHealingEvent/IsBarrierEvent`).

use super::buffs;
use super::context::{Context, Role};
use super::{FightReport, Tracker};
use crate::event::{activation, buffremove, iff, skill, StateChange, HEALING_EXTENSION_SIGNATURE};
use crate::model::Event;
use serde::{Deserialize, Serialize};

/// Support numbers for one player.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SupportStats {
    pub boon_strips: u32,
    pub boon_strip_time_ms: i64,
    /// Conditions removed from others.
    pub cleanses: u32,
    pub cleanse_time_ms: i64,
    pub cleanses_self: u32,
    pub cleanse_self_time_ms: i64,
    pub resurrects: u32,
    pub resurrect_time_ms: i64,
    /// Healing done (healing extension), all targets including self.
    pub healing: i64,
    /// Healing done to others.
    pub healing_others: i64,
    /// Barrier applied (healing extension), all targets.
    pub barrier: i64,
    pub barrier_others: i64,
    pub healing_received: i64,
}

/// Accumulates each tracked player's [`SupportStats`].
pub struct Support {
    stats: Vec<SupportStats>,
}

impl Support {
    pub fn new(ctx: &Context) -> Support {
        Support {
            stats: vec![SupportStats::default(); ctx.tracked.len()],
        }
    }

    /// A strip or cleanse (src_agent: the agent that had the buff removed; dst_agent: the
    /// remover).
    fn removal(&mut self, e: &Event, ctx: &Context) {
        let remover = ctx.credit_of(e.dst_agent, e.dst_master_instid);
        let Role::Tracked(r) = remover else {
            return;
        };
        let Some(s) = self.stats.get_mut(r as usize) else {
            return;
        };
        let removed = i64::from(e.value.max(0));
        if e.iff != iff::FRIEND && buffs::is_boon(e.skill_id) {
            s.boon_strips += 1;
            s.boon_strip_time_ms += removed;
        } else if e.iff == iff::FRIEND && buffs::is_condition(e.skill_id) {
            if e.src_agent == e.dst_agent || ctx.role_of(e.src_agent) == remover {
                s.cleanses_self += 1;
                s.cleanse_self_time_ms += removed;
            } else {
                s.cleanses += 1;
                s.cleanse_time_ms += removed;
            }
        }
    }

    fn heal(&mut self, e: &Event, ctx: &Context) {
        // EI HealingStatsExtensionHandler: healing when is_shields == 0, barrier otherwise;
        // direct: buff == 0 && value < 0 (amount -value); over time: buff != 0 && value == 0 && buff_dmg < 0.
        let amount = if e.buff == 0 && e.value < 0 {
            -i64::from(e.value)
        } else if e.buff != 0 && e.value == 0 && e.buff_dmg < 0 {
            -i64::from(e.buff_dmg)
        } else {
            return;
        };
        let barrier = e.is_shields != 0;
        // EI prefers instance id resolution for healing events.
        let src = ctx.tracked_by_instid(e.src_instid, e.src_agent);
        let dst = ctx.tracked_by_instid(e.dst_instid, e.dst_agent);
        if let Some(s) = src.and_then(|s| self.stats.get_mut(s as usize)) {
            let others = src != dst;
            if barrier {
                s.barrier += amount;
                if others {
                    s.barrier_others += amount;
                }
            } else {
                s.healing += amount;
                if others {
                    s.healing_others += amount;
                }
            }
        }
        if !barrier {
            if let Some(d) = dst.and_then(|d| self.stats.get_mut(d as usize)) {
                d.healing_received += amount;
            }
        }
    }
}

impl Tracker for Support {
    #[inline]
    fn buff_remove(&mut self, e: &Event, kind: u8, ctx: &Context) {
        if kind == buffremove::ALL {
            self.removal(e, ctx);
        }
    }

    #[inline]
    fn activation(&mut self, e: &Event, kind: u8, ctx: &Context) {
        if e.skill_id != skill::RESURRECT {
            return;
        }
        if let Some(x) = ctx
            .target_of(e.src_agent)
            .and_then(|s| self.stats.get_mut(s as usize))
        {
            if kind == activation::START {
                x.resurrects += 1;
            } else if kind == activation::CANCEL_FIRE || kind == activation::CANCEL_CANCEL {
                x.resurrect_time_ms += i64::from(e.value.max(0));
            }
        }
    }

    #[inline]
    fn state_change(&mut self, e: &Event, sc: StateChange, ctx: &Context) {
        match sc {
            StateChange::AnimationStart | StateChange::AnimationStop
                if e.skill_id == skill::RESURRECT =>
            {
                if let Some(x) = ctx
                    .target_of(e.src_agent)
                    .and_then(|s| self.stats.get_mut(s as usize))
                {
                    if sc == StateChange::AnimationStart {
                        x.resurrects += 1;
                    } else {
                        x.resurrect_time_ms += i64::from(e.value.max(0));
                    }
                }
            }
            StateChange::Extension | StateChange::ExtensionCombat
                if e.pad == HEALING_EXTENSION_SIGNATURE =>
            {
                self.heal(e, ctx);
            }
            _ => {}
        }
    }

    fn finalize(self, _ctx: &Context, report: &mut FightReport) {
        for (p, s) in report.players.iter_mut().zip(self.stats) {
            p.support = s;
        }
    }
}
