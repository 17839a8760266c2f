//! Exact branch-and-bound over slot classes.
//!
//! Attributes depend only on how many slots of each class (slots with identical per-prefix
//! values: shoulders/gloves/boots, the two rings, the two accessories, the two one-handed
//! weapons) take each prefix, so the tree has one level per class and one child per count
//! vector (composition), plus a level for the infusion split. A node's upper bound is the
//! objective at "partial gear + per-attribute maximum of every remaining class", valid because
//! every indicator is non-decreasing in every attribute; constraints are pruned the same way
//! (minimums with the maximum completion, maximums with the minimum completion). Children are
//! visited best bound first; the top subtrees are distributed over rayon's threads through a
//! shared best-first queue, sharing the current N-th best score as the pruning threshold. The
//! top N starts from the first incumbent (`incumbent.rs`), found and reported before the first
//! subtree, and a new best is reported as soon as a thread finds it.
//!
//! An input with extras candidates is one problem per extras combination (`extras.rs`); their
//! subtrees go into the same best-first queue and share the same top N, so a combination whose
//! bound falls below the N-th best found in any other is pruned as a whole or part by part: the
//! result is exactly the top N over every combination, each searched as if on its own.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::incumbent;
use super::model::GearVec;
use super::problem::Problem;

/// A full assignment: the extras combination (`variant`) and the choice index of every class,
/// with its score.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub score: f64,
    pub variant: u32,
    pub path: Vec<u16>,
}

impl Entry {
    /// Total order: higher score first, then the smaller (variant, path) (deterministic ties).
    fn better_than(&self, score: f64, variant: u32, path: &[u16]) -> bool {
        match self.score.total_cmp(&score) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => (self.variant, self.path.as_slice()) < (variant, path),
        }
    }
}

/// The N best entries, best first.
#[derive(Debug, Default)]
struct TopN {
    cap: usize,
    list: Vec<Entry>,
    improvements: u64,
}

impl TopN {
    fn threshold(&self) -> f64 {
        if self.list.len() < self.cap {
            f64::NEG_INFINITY
        } else {
            self.list.last().map_or(f64::NEG_INFINITY, |e| e.score)
        }
    }

    fn insert(&mut self, score: f64, variant: u32, path: &[u16]) {
        if self.list.len() >= self.cap {
            match self.list.last() {
                Some(w) if w.better_than(score, variant, path) => return,
                _ => {}
            }
        }
        let pos = self
            .list
            .iter()
            .position(|e| !e.better_than(score, variant, path))
            .unwrap_or(self.list.len());
        // The same set offered twice (by the first-incumbent heuristic, then by the search)
        // has the same score: it would sit at `pos`.
        if self
            .list
            .get(pos)
            .is_some_and(|e| e.variant == variant && e.path == path)
        {
            return;
        }
        self.list.insert(
            pos,
            Entry {
                score,
                variant,
                path: path.to_vec(),
            },
        );
        self.list.truncate(self.cap);
        if pos == 0 {
            self.improvements += 1;
        }
    }
}

/// Counters reported while and after searching.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Counters {
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub nodes: u64,
    pub evaluated: u64,
}

pub(crate) struct Outcome {
    pub entries: Vec<Entry>,
    pub complete: bool,
    pub cancelled: bool,
    pub counters: Counters,
}

/// Per problem: Σ over the classes from depth d on of each attribute's maximum (minimum).
pub(crate) struct Suffixes {
    pub max: Vec<GearVec>,
    pub min: Vec<GearVec>,
}

impl Suffixes {
    fn of(problem: &Problem) -> Suffixes {
        let n = problem.classes.len();
        let mut max = vec![[0.0; 9]; n + 1];
        let mut min = vec![[0.0; 9]; n + 1];
        for d in (0..n).rev() {
            for i in 0..9 {
                let col = problem.classes[d].vecs.iter().map(|v| v[i]);
                max[d][i] = max[d + 1][i] + col.clone().fold(f64::NEG_INFINITY, f64::max);
                min[d][i] = min[d + 1][i] + col.fold(f64::INFINITY, f64::min);
            }
        }
        Suffixes { max, min }
    }

    /// The lower and upper corners of the box holding every completion of `partial`, the gear
    /// points of the classes before `depth`.
    pub(crate) fn box_at(&self, depth: usize, partial: &GearVec) -> (GearVec, GearVec) {
        let mut lo = *partial;
        let mut hi = *partial;
        for i in 0..9 {
            lo[i] += self.min[depth][i];
            hi[i] += self.max[depth][i];
        }
        (lo, hi)
    }
}

/// `partial` plus one class choice's gear points.
pub(crate) fn plus(partial: &GearVec, v: &GearVec) -> GearVec {
    let mut g = *partial;
    for (gi, vi) in g.iter_mut().zip(v) {
        *gi += vi;
    }
    g
}

struct Shared<'a> {
    problems: &'a [Problem],
    suffixes: Vec<Suffixes>,
    top: Mutex<TopN>,
    threshold: AtomicU64,
    cancel: &'a AtomicBool,
    stop: AtomicBool,
    nodes: AtomicU64,
    evaluated: AtomicU64,
    budget: u64,
    progress: &'a (dyn Fn(Counters, Option<Entry>) + Sync),
    /// The top list's improvement count last reported; held while reporting, so reports go
    /// out in the order their best was read.
    reported: Mutex<u64>,
    tasks_done: AtomicUsize,
    tasks_total: AtomicUsize,
}

fn slack(t: f64) -> f64 {
    1e-9 * t.abs().max(1.0)
}

impl Shared<'_> {
    fn threshold(&self) -> f64 {
        f64::from_bits(self.threshold.load(Ordering::Relaxed))
    }

    fn pruned(&self, ub: f64) -> bool {
        let t = self.threshold();
        ub < t - slack(t)
    }

    fn offer(&self, score: f64, variant: u32, path: &[u16]) {
        if self.pruned(score) {
            return;
        }
        if let Ok(mut top) = self.top.lock() {
            top.insert(score, variant, path);
            self.threshold
                .store(top.threshold().to_bits(), Ordering::Relaxed);
        }
    }

    fn counters(&self) -> Counters {
        Counters {
            tasks_done: self.tasks_done.load(Ordering::Relaxed),
            tasks_total: self.tasks_total.load(Ordering::Relaxed),
            nodes: self.nodes.load(Ordering::Relaxed),
            evaluated: self.evaluated.load(Ordering::Relaxed),
        }
    }

    /// Calls `progress` with the counters and the best entry if it improved since the last
    /// report. `always`: report even without a new best (after a finished subtree), waiting
    /// for a report under way; else (while searching a subtree) only a new best, and not if
    /// another thread is reporting (the next flush or finished subtree reports it).
    fn report(&self, always: bool) {
        let mut reported = match self.reported.try_lock() {
            Ok(r) => r,
            Err(std::sync::TryLockError::WouldBlock) if always => match self.reported.lock() {
                Ok(r) => r,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let best = self.top.lock().ok().and_then(|top| {
            if top.improvements > *reported {
                *reported = top.improvements;
                top.list.first().cloned()
            } else {
                None
            }
        });
        if always || best.is_some() {
            (self.progress)(self.counters(), best);
        }
    }
}

struct Worker<'a, 'b> {
    s: &'b Shared<'a>,
    /// The problem (extras combination) of the current subtree.
    variant: usize,
    nodes: u64,
    evaluated: u64,
    path: Vec<u16>,
}

/// Nodes and evaluations a walker does between flushes of its counters (where it also sees a
/// cancel or the end of the evaluation budget, and reports a new best): milliseconds of work
/// in a release build, a fraction of a second in a debug one.
const FLUSH_EVERY: u64 = 4096;

impl Worker<'_, '_> {
    fn flush(&mut self) -> bool {
        self.s.nodes.fetch_add(self.nodes, Ordering::Relaxed);
        let total = self
            .s
            .evaluated
            .fetch_add(self.evaluated, Ordering::Relaxed)
            + self.evaluated;
        self.nodes = 0;
        self.evaluated = 0;
        if total >= self.s.budget {
            self.s.stop.store(true, Ordering::Relaxed);
        }
        if self.s.cancel.load(Ordering::Relaxed) {
            self.s.stop.store(true, Ordering::Relaxed);
        }
        self.s.stop.load(Ordering::Relaxed)
    }

    /// [`Worker::flush`] within a subtree, reporting a new best at once: a subtree of a large
    /// search may take minutes, and its callers stream the best so far.
    fn flush_and_report(&mut self) -> bool {
        let stop = self.flush();
        self.s.report(false);
        stop
    }

    /// Explores below a node at `depth` whose gear points are `partial`. Returns false when
    /// stopped (cancelled or out of budget).
    fn dfs(&mut self, depth: usize, partial: &GearVec) -> bool {
        let p = &self.s.problems[self.variant];
        let class = &p.classes[depth];
        let last = depth + 1 == p.classes.len();
        let sfx = &self.s.suffixes[self.variant];
        let mut kids: Vec<(f64, u16, GearVec)> = Vec::new();
        // Leaves: the mean-value plane over the last class filters them before their exact
        // evaluation (one plane for the whole class, a dot product per leaf).
        let plane = match (&p.gradient, last) {
            (Some(gb), true) if p.objective == super::input::Objective::Damage => {
                let (lo, hi) = sfx.box_at(depth, partial);
                Some(p.gradient_plane(gb, partial, &lo, &hi))
            }
            _ => None,
        };
        for (ci, v) in class.vecs.iter().enumerate() {
            // Within the node's children too: a class of every prefix has thousands of them.
            if self.nodes + self.evaluated >= FLUSH_EVERY && self.flush_and_report() {
                return false;
            }
            let g = plus(partial, v);
            self.nodes += 1;
            if let Some((base, m)) = &plane {
                let ub = base + m.iter().zip(v).map(|(a, b)| a * b).sum::<f64>();
                if self.s.pruned(ub) {
                    continue;
                }
            }
            if last {
                self.evaluated += 1;
                if let Some(score) = p.bound(&g, &g) {
                    self.path.push(ci as u16);
                    self.s.offer(score, self.variant as u32, &self.path);
                    self.path.pop();
                }
            } else {
                let (lo, hi) = sfx.box_at(depth + 1, &g);
                if let Some(ub) = p.bound_node(depth + 1, &g, &lo, &hi, self.s.threshold()) {
                    if !self.s.pruned(ub) {
                        kids.push((ub, ci as u16, g));
                    }
                }
            }
        }
        if self.nodes + self.evaluated >= FLUSH_EVERY && self.flush_and_report() {
            return false;
        }
        if last {
            return true;
        }
        kids.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (ub, ci, g) in kids {
            if self.s.pruned(ub) {
                break;
            }
            self.path.push(ci);
            let go_on = self.dfs(depth + 1, &g);
            self.path.pop();
            if !go_on {
                return false;
            }
        }
        true
    }
}

/// A subtree root for the parallel phase.
struct Task {
    ub: f64,
    variant: usize,
    /// Depth of the subtree's first level (classes before it are fixed by `path`).
    depth: usize,
    path: Vec<u16>,
    gear: GearVec,
}

/// Expands the top levels of `variant` breadth-first into at least `want` subtrees (or until
/// one level above the leaves); returns them and the nodes bounded. Nodes the current
/// threshold (the first incumbent's) prunes are left out: no thread would walk them.
fn expand(shared: &Shared, variant: usize, want: usize) -> (Vec<Task>, u64) {
    let problem = &shared.problems[variant];
    let sfx = &shared.suffixes[variant];
    let n = problem.classes.len();
    let mut tasks = vec![Task {
        ub: f64::INFINITY,
        variant,
        depth: 0,
        path: Vec::new(),
        gear: [0.0; 9],
    }];
    let mut nodes = 0;
    let mut depth = 0;
    while depth + 1 < n && tasks.len() < want {
        let mut next = Vec::new();
        for t in &tasks {
            for (ci, v) in problem.classes[depth].vecs.iter().enumerate() {
                // A level of a large search can be long (a class of every prefix has thousands
                // of choices; in a debug build, seconds): a cancel is answered between its
                // nodes, as the walk answers it between flushes.
                if shared.cancel.load(Ordering::Relaxed) {
                    shared.stop.store(true, Ordering::Relaxed);
                    return (Vec::new(), nodes);
                }
                let g = plus(&t.gear, v);
                let (lo, hi) = sfx.box_at(depth + 1, &g);
                nodes += 1;
                let threshold = shared.threshold();
                let bound = problem.bound_node(depth + 1, &g, &lo, &hi, threshold);
                if let Some(ub) = bound.filter(|ub| !shared.pruned(*ub)) {
                    let mut path = t.path.clone();
                    path.push(ci as u16);
                    next.push(Task {
                        ub,
                        variant,
                        depth: depth + 1,
                        path,
                        gear: g,
                    });
                }
            }
        }
        tasks = next;
        depth += 1;
    }
    (tasks, nodes)
}

/// Work the first-incumbent heuristic's descents may spend, and its dives beyond the first that
/// gave a complete set, in bounds and evaluations times the scenarios each evaluates: tens of
/// milliseconds at most.
const HEURISTIC_WORK: u64 = 50_000;

/// The first incumbent (`incumbent.rs`): the heuristic on the extras combinations in the order
/// of their root bound (those that cannot meet the constraints left out) until one gave a
/// complete set and [`HEURISTIC_WORK`] is spent (8 times that while none did); every set it
/// meets is offered to the top N, and the best is reported at once. Sets `stop` when
/// cancelled or out of budget.
fn first_incumbent(shared: &Shared) {
    let mut order: Vec<(f64, usize)> = shared
        .problems
        .iter()
        .zip(&shared.suffixes)
        .enumerate()
        .filter(|(_, (p, _))| !p.classes.is_empty())
        .filter_map(|(v, (p, sfx))| {
            p.bound_node(0, &[0.0; 9], &sfx.min[0], &sfx.max[0], f64::NEG_INFINITY)
                .map(|ub| (ub, v))
        })
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    shared
        .nodes
        .fetch_add(order.len() as u64, Ordering::Relaxed);
    let mut spent = 0;
    let mut found = false;
    for (_, v) in order {
        let evaluated = shared.evaluated.load(Ordering::Relaxed);
        // Without a complete set yet (constraints close most branches), a few more dives.
        let work = if found {
            HEURISTIC_WORK
        } else {
            HEURISTIC_WORK * 8
        };
        let stopped = shared.cancel.load(Ordering::Relaxed) || evaluated >= shared.budget;
        if spent >= work || (found && stopped) {
            break;
        }
        let p = &shared.problems[v];
        let weight = p.scenarios.len().max(1) as u64;
        let (best, cost) = incumbent::improve(
            p,
            &shared.suffixes[v],
            |score, path| shared.offer(score, v as u32, path),
            || shared.cancel.load(Ordering::Relaxed),
            shared
                .budget
                .saturating_sub(evaluated)
                .min(HEURISTIC_WORK.saturating_sub(spent) / weight),
        );
        found |= best.is_some();
        spent += (cost.nodes + cost.evaluated) * weight;
        shared.nodes.fetch_add(cost.nodes, Ordering::Relaxed);
        shared
            .evaluated
            .fetch_add(cost.evaluated, Ordering::Relaxed);
    }
    // reported first: a caller may cancel as soon as it has a best to keep
    shared.report(false);
    if shared.evaluated.load(Ordering::Relaxed) >= shared.budget
        || shared.cancel.load(Ordering::Relaxed)
    {
        shared.stop.store(true, Ordering::Relaxed);
    }
}

/// Runs the search over every problem of `problems` (one per extras combination). `progress`
/// is called after every finished subtree with the counters and, when the best entry changed
/// since the last call, the new best.
pub(crate) fn search(
    problems: &[Problem],
    cancel: &AtomicBool,
    progress: &(dyn Fn(Counters, Option<Entry>) + Sync),
) -> Outcome {
    search_with(problems, cancel, progress, true)
}

/// [`search`], with or without the first-incumbent heuristic (`first_incumbent`; the tests
/// check that it changes nothing but the time to the first result).
pub(crate) fn search_with(
    problems: &[Problem],
    cancel: &AtomicBool,
    progress: &(dyn Fn(Counters, Option<Entry>) + Sync),
    heuristic: bool,
) -> Outcome {
    let suffixes: Vec<Suffixes> = problems.iter().map(Suffixes::of).collect();
    let (top, budget) = problems.first().map_or((1, u64::MAX), |p| {
        (p.top, p.max_evaluations.unwrap_or(u64::MAX))
    });
    let shared = Shared {
        problems,
        suffixes,
        top: Mutex::new(TopN {
            cap: top,
            list: Vec::new(),
            improvements: 0,
        }),
        threshold: AtomicU64::new(f64::NEG_INFINITY.to_bits()),
        cancel,
        stop: AtomicBool::new(false),
        nodes: AtomicU64::new(0),
        evaluated: AtomicU64::new(0),
        budget,
        progress,
        reported: Mutex::new(0),
        tasks_done: AtomicUsize::new(0),
        tasks_total: AtomicUsize::new(0),
    };

    if heuristic {
        first_incumbent(&shared);
        if shared.stop.load(Ordering::Relaxed) {
            return outcome(shared, false);
        }
    }

    // Expand the top levels breadth-first into enough subtrees to balance the threads (shared
    // out between the extras combinations: the best-first order then prunes whole
    // combinations whose subtrees' bounds fall below the incumbent).
    let want = 64 * rayon::current_num_threads().max(1);
    let per_variant = if problems.len() <= 1 {
        want
    } else {
        (want / problems.len()).max(2)
    };
    let mut tasks = Vec::new();
    for v in 0..problems.len() {
        let (t, nodes) = expand(&shared, v, per_variant);
        shared.nodes.fetch_add(nodes, Ordering::Relaxed);
        if shared.stop.load(Ordering::Relaxed) {
            // cancelled while expanding: not every subtree was even listed
            return outcome(shared, false);
        }
        tasks.extend(t);
    }
    tasks.sort_by(|a, b| {
        b.ub.total_cmp(&a.ub)
            .then(a.variant.cmp(&b.variant))
            .then(a.path.cmp(&b.path))
    });
    let total = tasks.len();
    shared.tasks_total.store(total, Ordering::Relaxed);

    let next = AtomicUsize::new(0);
    let done = &shared.tasks_done;
    let aborted = AtomicBool::new(false);
    let threads = rayon::current_num_threads().max(1);
    rayon::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|_| {
                let mut w = Worker {
                    s: &shared,
                    variant: 0,
                    nodes: 0,
                    evaluated: 0,
                    path: Vec::new(),
                };
                loop {
                    if shared.stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(t) = tasks.get(i) else { break };
                    if !shared.pruned(t.ub) {
                        w.variant = t.variant;
                        w.path.clear();
                        w.path.extend_from_slice(&t.path);
                        if t.depth >= problems[t.variant].classes.len() {
                            // no class at all: the task is the (empty) leaf
                        } else if !w.dfs(t.depth, &t.gear) {
                            aborted.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                    w.flush();
                    done.fetch_add(1, Ordering::Relaxed);
                    shared.report(true);
                }
                w.flush();
            });
        }
    });
    let complete = done.load(Ordering::Relaxed) == total && !aborted.load(Ordering::Relaxed);
    outcome(shared, complete)
}

/// The outcome of a search that ended (`complete`: every subtree walked).
fn outcome(shared: Shared, complete: bool) -> Outcome {
    let counters = shared.counters();
    let cancelled = shared.cancel.load(Ordering::Relaxed);
    let entries = match shared.top.into_inner() {
        Ok(t) => t.list,
        Err(p) => p.into_inner().list,
    };
    Outcome {
        entries,
        complete,
        cancelled,
        counters,
    }
}
