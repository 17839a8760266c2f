//! Positioning: each squad member's mean 2D distance to the commander tag
//! (`distance_to_commander`) and to the squad's centre (`stack_distance`).
//!
//! Sampled every [`POLL_MS`] on the last known positions (`CBTS_POSITION`, x/y only), from the
//! first position event to the fight end (EI `FinalGameplayStatsAll.GetDistanceToTarget`,
//! `distToCom`, at EI's combat replay polling rate); a sample counts a member once it has a
//! position (and, for the commander distance, once the commander has one). Fights longer than
//! [`MAX_SAMPLES`] samples are sampled more coarsely.

use super::context::{Context, Tracked};
use super::{round, FightReport, Tracker, POLL_MS};
use crate::event::StateChange;
use crate::model::Event;

/// Most distance samples per fight: one hour at [`POLL_MS`]; longer fights are sampled
/// more coarsely. Each sample visits every tracked agent, so this bounds what a hostile log
/// spanning days can cost (found by fuzzing: 200,000 made such inputs cost milliseconds each).
const MAX_SAMPLES: i64 = 24_000;

/// Collects the positions of squad members and allies.
pub struct Distance {
    /// (time, tracked index, x, y), in log order.
    positions: Vec<(i64, u32, f32, f32)>,
}

impl Distance {
    pub fn new() -> Distance {
        Distance {
            positions: Vec::new(),
        }
    }
}

impl Tracker for Distance {
    #[inline]
    fn state_change(&mut self, e: &Event, sc: StateChange, ctx: &Context) {
        if !matches!(sc, StateChange::Position) {
            return;
        }
        if let Some(t) = ctx.target_of(e.src_agent) {
            let [x, y, _] = e.xyz();
            if x.is_finite() && y.is_finite() {
                self.positions.push((e.time, t, x, y));
            }
        }
    }

    fn finalize(mut self, ctx: &Context, report: &mut FightReport) {
        let (dist_com, dist_stack) = distances(
            &mut self.positions,
            &ctx.tracked,
            ctx.commander,
            ctx.start,
            ctx.end,
        );
        for (i, p) in report.players.iter_mut().enumerate() {
            p.distance_to_commander = dist_com.get(i).copied().flatten().map(|v| round(v, 2));
            p.stack_distance = dist_stack.get(i).copied().flatten().map(|v| round(v, 2));
        }
    }
}

type Distances = (Vec<Option<f64>>, Vec<Option<f64>>);

fn distances(
    positions: &mut [(i64, u32, f32, f32)],
    tracked: &[Tracked<'_>],
    commander: Option<usize>,
    start: i64,
    end: i64,
) -> Distances {
    let n = tracked.len();
    let mut com_sum = vec![(0f64, 0u64); n];
    let mut stack_sum = vec![(0f64, 0u64); n];
    if positions.is_empty() || end <= start {
        return (vec![None; n], vec![None; n]);
    }
    positions.sort_by_key(|p| p.0);
    // Nobody has a position before the first position event: start sampling there.
    let start = start.max(positions[0].0);
    if end < start {
        return (vec![None; n], vec![None; n]);
    }
    let mut last: Vec<Option<(f32, f32)>> = vec![None; n];
    let mut idx = 0;
    let step = POLL_MS.max((end - start) / MAX_SAMPLES + 1);
    let mut t = start;
    while t <= end {
        while let Some(&(pt, who, x, y)) = positions.get(idx) {
            if pt > t {
                break;
            }
            if let Some(l) = last.get_mut(who as usize) {
                *l = Some((x, y));
            }
            idx += 1;
        }
        let com = commander.and_then(|c| last.get(c).copied().flatten());
        let (mut cx, mut cy, mut cn) = (0f64, 0f64, 0u32);
        for (i, p) in last.iter().enumerate() {
            if let (Some((x, y)), Some(tr)) = (p, tracked.get(i)) {
                if tr.in_squad {
                    cx += f64::from(*x);
                    cy += f64::from(*y);
                    cn += 1;
                }
            }
        }
        for (i, p) in last.iter().enumerate() {
            let Some((x, y)) = p else { continue };
            let Some(tr) = tracked.get(i) else { continue };
            if !tr.in_squad {
                continue;
            }
            if let (Some((kx, ky)), Some(acc)) = (com, com_sum.get_mut(i)) {
                let d = (f64::from(*x) - f64::from(kx)).hypot(f64::from(*y) - f64::from(ky));
                acc.0 += d;
                acc.1 += 1;
            }
            if cn > 0 {
                if let Some(acc) = stack_sum.get_mut(i) {
                    let d = (f64::from(*x) - cx / f64::from(cn))
                        .hypot(f64::from(*y) - cy / f64::from(cn));
                    acc.0 += d;
                    acc.1 += 1;
                }
            }
        }
        t = match t.checked_add(step) {
            Some(v) => v,
            None => break,
        };
    }
    let avg = |v: &(f64, u64)| {
        if v.1 > 0 {
            Some(v.0 / v.1 as f64)
        } else {
            None
        }
    };
    (
        com_sum.iter().map(avg).collect(),
        stack_sum.iter().map(avg).collect(),
    )
}
