//! Boons: each player's [`BoonStats`] and the squad's average uptimes ([`SquadBoon`]).
//!
//! Applications (and extensions) and removals of the tracked boons on squad members and
//! allies are collected in log order and replayed by the stack simulation of [`super::buffs`],
//! which also gives the definitions of uptime, presence and generation (EI `buffUptimes`,
//! `selfBuffs`/`groupBuffs`/`offGroupBuffs`/`squadBuffs`). A stack's source is the applying
//! player, or a minion's master; stacks from anyone else count for uptime only.

use super::buffs::{self, BuffEvent, BuffOp, Stacking, TargetInfo, BOONS, NO_SOURCE};
use super::context::{Context, Role};
use super::{round, FightReport, PlayerStats, Tracker};
use crate::event::buffremove;
use crate::model::Event;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One boon's numbers for one player.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoonStats {
    pub id: u32,
    pub name: String,
    /// True for intensity-stacking boons (Might, Stability): values are stacks.
    pub intensity: bool,
    /// % of fight present (duration boons) or average stacks (intensity).
    pub uptime: f64,
    /// % of fight with at least one stack.
    pub presence: f64,
    pub generation_self: f64,
    pub generation_group: f64,
    pub generation_off_group: f64,
    pub generation_squad: f64,
}

/// Squad-average boon uptime.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SquadBoon {
    pub id: u32,
    pub name: String,
    pub intensity: bool,
    pub uptime: f64,
}

/// Collects the boon events of tracked players for the simulation.
pub struct Boons {
    events: Vec<BuffEvent>,
}

impl Boons {
    pub fn new() -> Boons {
        Boons { events: Vec::new() }
    }

    fn push(&mut self, e: &Event, boon: usize, target: u32, op: BuffOp) {
        self.events.push(BuffEvent {
            time: e.time,
            target,
            boon: boon as u8,
            op,
        });
    }
}

impl Tracker for Boons {
    #[inline]
    fn buff_apply(&mut self, e: &Event, ctx: &Context) {
        let Some(bi) = buffs::boon_index(e.skill_id) else {
            return;
        };
        let Some(target) = ctx.target_of(e.dst_agent) else {
            return;
        };
        // `is_offcycle` marks an extension of stack `pad` to `overstack_value` ms.
        let op = if e.is_offcycle != 0 {
            BuffOp::Extend {
                stack: e.pad,
                new_duration: i64::from(e.overstack_value),
            }
        } else {
            let src = match ctx.credit_of(e.src_agent, e.src_master_instid) {
                Role::Tracked(s) => s,
                _ => NO_SOURCE,
            };
            BuffOp::Apply {
                src,
                duration: i64::from(e.value),
                stack: e.pad,
            }
        };
        self.push(e, bi, target, op);
    }

    #[inline]
    fn buff_remove(&mut self, e: &Event, kind: u8, ctx: &Context) {
        let Some(bi) = buffs::boon_index(e.skill_id) else {
            return;
        };
        // src_agent: the agent that had the buff removed.
        let Some(target) = ctx.target_of(e.src_agent) else {
            return;
        };
        let op = if kind == buffremove::ALL {
            BuffOp::RemoveAll
        } else {
            BuffOp::RemoveSingle { stack: e.pad }
        };
        self.push(e, bi, target, op);
    }

    /// Uptime and presence per fight duration; generation per fight duration and per target
    /// of the category (self, the rest of the subgroup, the other subgroups, the rest of the
    /// squad), in % for duration boons or stacks for intensity boons. Allies generate for
    /// themselves only.
    fn finalize(self, ctx: &Context, report: &mut FightReport) {
        let infos: Vec<TargetInfo> = ctx
            .tracked
            .iter()
            .map(|t| TargetInfo {
                in_squad: t.in_squad,
                subgroup: t.subgroup,
            })
            .collect();
        let totals = buffs::simulate(self.events, &infos, ctx.start, ctx.end);
        let squad_size = ctx.squad_size() as i64;
        let mut group_sizes: BTreeMap<u8, i64> = BTreeMap::new();
        for t in ctx.tracked.iter().filter(|t| t.in_squad) {
            *group_sizes.entry(t.subgroup).or_insert(0) += 1;
        }
        let dur = ctx.duration.max(1) as f64;
        for (i, (p, t)) in report.players.iter_mut().zip(&ctx.tracked).enumerate() {
            let group_n = group_sizes.get(&t.subgroup).copied().unwrap_or(1);
            p.boons = BOONS
                .iter()
                .enumerate()
                .map(|(bi, bd)| {
                    let intensity = bd.stacking == Stacking::Intensity;
                    let scale = if intensity { 1.0 } else { 100.0 };
                    let up = cell(&totals.uptime, i, bi).unwrap_or(0) as f64;
                    let pres = cell(&totals.presence, i, bi).unwrap_or(0) as f64;
                    let g = cell(&totals.generated, i, bi).unwrap_or([0; 4]);
                    let gen = |v: i64, targets: i64| -> f64 {
                        if targets <= 0 || !t.in_squad && targets > 1 {
                            0.0
                        } else {
                            round(v as f64 / (dur * targets as f64) * scale, 3)
                        }
                    };
                    BoonStats {
                        id: bd.id,
                        name: bd.name.to_string(),
                        intensity,
                        uptime: round(up / dur * scale, 3),
                        presence: round(pres / dur * 100.0, 3),
                        generation_self: gen(g[buffs::CAT_SELF], 1),
                        generation_group: gen(g[buffs::CAT_GROUP], group_n - 1),
                        generation_off_group: gen(g[buffs::CAT_OFFGROUP], squad_size - group_n),
                        generation_squad: gen(g[buffs::CAT_SQUAD], squad_size - 1),
                    }
                })
                .collect();
        }
    }
}

/// The squad's mean uptime of each boon, over `players` in report order.
pub fn squad_boons(players: &[PlayerStats]) -> Vec<SquadBoon> {
    let squad: Vec<&PlayerStats> = players.iter().filter(|p| p.in_squad).collect();
    BOONS
        .iter()
        .enumerate()
        .map(|(bi, bd)| SquadBoon {
            id: bd.id,
            name: bd.name.to_string(),
            intensity: bd.stacking == Stacking::Intensity,
            uptime: if squad.is_empty() {
                0.0
            } else {
                round(
                    squad
                        .iter()
                        .map(|p| p.boons.get(bi).map(|b| b.uptime).unwrap_or(0.0))
                        .sum::<f64>()
                        / squad.len() as f64,
                    3,
                )
            },
        })
        .collect()
}

/// Per-player, per-boon table cell (`None` past the end: a player or boon without data).
fn cell<T: Copy, const N: usize>(table: &[[T; N]], player: usize, boon: usize) -> Option<T> {
    table.get(player).and_then(|row| row.get(boon)).copied()
}
