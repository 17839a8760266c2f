//! Boon stack simulation for uptime and generation.
//!
//! Boon definitions (id, stacking type, capacity) follow Elite Insights
//! `GW2EIEvtcParser/EIData/Buffs/CommonBuffs.cs` (`Boons`, `Conditions`,
//! Superspeed in `Commons`) and ids from EI `SkillIDs.cs`.
//!
//! Model: every target/boon pair keeps its live stacks. Duration-stacking
//! ("Queue"/"Regeneration") boons consume one stack at a time (front of the
//! queue), so coverage is the sum of queued durations; intensity-stacking
//! ("Stacking") boons tick all stacks at once, capped at the capacity. When a
//! stack arrives at capacity it replaces the shortest stack if it is longer,
//! otherwise it is dropped (overstack). Removal events (`is_buffremove`
//! all/single/manual) and extensions (`is_offcycle` applies) act on stacks by
//! their instance id (`pad61..64`).
//!
//! Uptime (EI `buffUptimes[].buffData[].uptime`): % of the fight a duration
//! boon is present, or the average stack count for intensity boons.
//! Presence: % of the fight with at least one stack.
//! Generation (EI `selfBuffs/groupBuffs/offGroupBuffs/squadBuffs`): time (or
//! stack-time) a source's stacks were the ones consumed on the targets of the
//! category, divided by fight duration x number of targets in that category
//! (self excluded from group/off-group/squad), in % for duration boons or
//! stacks for intensity boons.

/// How a boon stacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stacking {
    /// Duration stacking: one stack ticks at a time ("Queue", "Regeneration").
    Duration,
    /// Intensity stacking: all stacks tick ("Stacking", "StackingConditionalLoss").
    Intensity,
}

/// A tracked boon.
#[derive(Clone, Copy, Debug)]
pub struct BoonDef {
    pub id: u32,
    pub name: &'static str,
    pub stacking: Stacking,
    pub capacity: usize,
}

const fn b(id: u32, name: &'static str, stacking: Stacking, capacity: usize) -> BoonDef {
    BoonDef {
        id,
        name,
        stacking,
        capacity,
    }
}

/// The 12 main boons plus Superspeed.
pub const BOONS: [BoonDef; 13] = [
    b(740, "Might", Stacking::Intensity, 25),
    b(725, "Fury", Stacking::Duration, 9),
    b(1187, "Quickness", Stacking::Duration, 5),
    b(30328, "Alacrity", Stacking::Duration, 9),
    b(717, "Protection", Stacking::Duration, 5),
    b(718, "Regeneration", Stacking::Duration, 5),
    b(726, "Vigor", Stacking::Duration, 5),
    b(743, "Aegis", Stacking::Duration, 9),
    b(1122, "Stability", Stacking::Intensity, 25),
    b(719, "Swiftness", Stacking::Duration, 9),
    b(26980, "Resistance", Stacking::Duration, 5),
    b(873, "Resolution", Stacking::Duration, 5),
    b(5974, "Superspeed", Stacking::Duration, 9),
];

/// Boon ids for strip counting (EI `BuffClassification.Boon`; Superspeed is
/// "Support" in EI and therefore not counted as a strip).
pub fn is_boon(id: u32) -> bool {
    BOONS.iter().take(12).any(|d| d.id == id)
}

/// Condition ids (EI `CommonBuffs.Conditions`): Bleeding 736, Burning 737,
/// Confusion 861, Poison 723, Torment 19426, Blind 720, Chilled 722,
/// Crippled 721, Fear 791, Immobile 727, Slow 26766, Weakness 742, Taunt 27705,
/// Vulnerability 738.
pub const CONDITIONS: [u32; 14] = [
    736, 737, 861, 723, 19426, 720, 722, 721, 791, 727, 26766, 742, 27705, 738,
];

/// True for condition ids.
pub fn is_condition(id: u32) -> bool {
    CONDITIONS.contains(&id)
}

/// Index into [`BOONS`].
pub fn boon_index(id: u32) -> Option<usize> {
    BOONS.iter().position(|d| d.id == id)
}

/// Source id for stacks from untracked agents.
pub const NO_SOURCE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuffOp {
    Apply { src: u32, duration: i64, stack: u32 },
    Extend { stack: u32, new_duration: i64 },
    RemoveAll,
    RemoveSingle { stack: u32 },
}

#[derive(Clone, Copy, Debug)]
pub struct BuffEvent {
    pub time: i64,
    pub target: u32,
    pub boon: u8,
    pub op: BuffOp,
}

#[derive(Clone, Copy, Debug)]
struct Stack {
    src: u32,
    id: u32,
    rem: i64,
}

#[derive(Clone, Debug, Default)]
struct State {
    stacks: Vec<Stack>,
    last: i64,
}

/// Per-target category information used for generation.
#[derive(Clone, Copy, Debug)]
pub struct TargetInfo {
    pub in_squad: bool,
    pub subgroup: u8,
}

/// Generation categories.
pub const CAT_SELF: usize = 0;
pub const CAT_GROUP: usize = 1;
pub const CAT_OFFGROUP: usize = 2;
pub const CAT_SQUAD: usize = 3;

/// Raw integrals from the simulation (milliseconds or stack-milliseconds).
#[derive(Clone, Debug)]
pub struct BuffTotals {
    /// `[target][boon]` covered ms (duration) or stack-ms (intensity).
    pub uptime: Vec<[i64; BOONS.len()]>,
    /// `[target][boon]` ms with at least one stack.
    pub presence: Vec<[i64; BOONS.len()]>,
    /// `[source][boon][category]` generated ms / stack-ms.
    pub generated: Vec<[[i64; 4]; BOONS.len()]>,
}

/// Run the simulation over `events` (any order; sorted stably by time here)
/// for `targets.len()` targets between `start` and `end`.
pub fn simulate(
    mut events: Vec<BuffEvent>,
    targets: &[TargetInfo],
    start: i64,
    end: i64,
) -> BuffTotals {
    let n = targets.len();
    let mut totals = BuffTotals {
        uptime: vec![[0; BOONS.len()]; n],
        presence: vec![[0; BOONS.len()]; n],
        generated: vec![[[0; 4]; BOONS.len()]; n],
    };
    let mut states: Vec<State> = vec![
        State {
            stacks: Vec::new(),
            last: start
        };
        n * BOONS.len()
    ];
    events.sort_by_key(|e| e.time);
    for ev in &events {
        let t = ev.time.clamp(start, end);
        let (ti, bi) = (ev.target as usize, usize::from(ev.boon));
        let Some(def) = BOONS.get(bi) else { continue };
        let Some(state) = states.get_mut(ti * BOONS.len() + bi) else {
            continue;
        };
        advance(state, t, def, ti, bi, targets, &mut totals);
        apply(state, def, ev.op);
    }
    for ti in 0..n {
        for (bi, def) in BOONS.iter().enumerate() {
            if let Some(state) = states.get_mut(ti * BOONS.len() + bi) {
                advance(state, end, def, ti, bi, targets, &mut totals);
            }
        }
    }
    totals
}

fn category(src: usize, target: usize, targets: &[TargetInfo]) -> [bool; 4] {
    if src == target {
        return [true, false, false, false];
    }
    match (targets.get(src), targets.get(target)) {
        (Some(s), Some(t)) if s.in_squad && t.in_squad => {
            let same = s.subgroup == t.subgroup;
            [false, same, !same, true]
        }
        _ => [false; 4],
    }
}

fn credit(
    totals: &mut BuffTotals,
    src: u32,
    target: usize,
    bi: usize,
    amount: i64,
    targets: &[TargetInfo],
) {
    if src == NO_SOURCE || amount <= 0 {
        return;
    }
    let s = src as usize;
    let cats = category(s, target, targets);
    if let Some(g) = totals.generated.get_mut(s).and_then(|g| g.get_mut(bi)) {
        for (slot, on) in g.iter_mut().zip(cats) {
            if on {
                *slot += amount;
            }
        }
    }
}

fn advance(
    state: &mut State,
    to: i64,
    def: &BoonDef,
    ti: usize,
    bi: usize,
    targets: &[TargetInfo],
    totals: &mut BuffTotals,
) {
    let dt = to - state.last;
    if dt <= 0 {
        return;
    }
    state.last = to;
    if state.stacks.is_empty() {
        return;
    }
    let (covered, integral) = match def.stacking {
        Stacking::Duration => {
            let mut left = dt;
            while left > 0 {
                let Some(front) = state.stacks.first_mut() else {
                    break;
                };
                let used = left.min(front.rem);
                front.rem -= used;
                left -= used;
                let src = front.src;
                if front.rem <= 0 {
                    state.stacks.remove(0);
                }
                credit(totals, src, ti, bi, used, targets);
            }
            (dt - left, dt - left)
        }
        Stacking::Intensity => {
            let mut covered = 0;
            let mut integral = 0;
            for (i, s) in state.stacks.iter_mut().enumerate() {
                let used = dt.min(s.rem);
                s.rem -= used;
                if i < def.capacity {
                    covered = covered.max(used);
                    integral += used;
                    credit(totals, s.src, ti, bi, used, targets);
                }
            }
            state.stacks.retain(|s| s.rem > 0);
            (covered, integral)
        }
    };
    if let Some(u) = totals.uptime.get_mut(ti).and_then(|u| u.get_mut(bi)) {
        *u += integral;
    }
    if let Some(p) = totals.presence.get_mut(ti).and_then(|p| p.get_mut(bi)) {
        *p += covered;
    }
}

fn apply(state: &mut State, def: &BoonDef, op: BuffOp) {
    match op {
        BuffOp::Apply {
            src,
            duration,
            stack,
        } => {
            if duration <= 0 {
                return;
            }
            let new = Stack {
                src,
                id: stack,
                rem: duration,
            };
            if state.stacks.len() >= def.capacity {
                // Replace the shortest stack when the new one is longer (overstack otherwise).
                let min = state
                    .stacks
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| s.rem)
                    .map(|(i, s)| (i, s.rem));
                if let Some((i, rem)) = min {
                    if duration > rem {
                        if let Some(slot) = state.stacks.get_mut(i) {
                            *slot = new;
                        }
                    }
                }
            } else {
                state.stacks.push(new);
            }
        }
        BuffOp::Extend {
            stack,
            new_duration,
        } => {
            if let Some(s) = state
                .stacks
                .iter_mut()
                .find(|s| s.id == stack && stack != 0)
            {
                s.rem = new_duration.max(0);
            }
            state.stacks.retain(|s| s.rem > 0);
        }
        BuffOp::RemoveAll => state.stacks.clear(),
        BuffOp::RemoveSingle { stack } => {
            let pos = if stack != 0 {
                state.stacks.iter().position(|s| s.id == stack)
            } else {
                None
            };
            match pos {
                Some(i) => {
                    state.stacks.remove(i);
                }
                None if stack == 0 && !state.stacks.is_empty() => {
                    state.stacks.remove(0);
                }
                None => {}
            }
        }
    }
}
