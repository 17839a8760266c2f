//! Synergy analyzer: scores an existing team against requirements, shows
//! per-party coverage, redundant providers and gaps, and proposes concrete
//! changes (change a build, move a player, exchange two players, or recruit
//! a missing role).
//!
//! It never fails: a commander pasting a half-filled squad should still get
//! a report, so bad entries are repaired and reported as warnings instead.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::model::{build_problem, resolve_profile, Problem};
use super::profile::{ProfileBook, Resource, SupportProfile};
use super::report::{coverage_rows, MET};
use super::requirements::{Requirements, MAX_PARTY_SIZE, MAX_SQUAD};
use super::{
    BuildOption, CoverageEntry, Gap, Objective, PlacedMember, Player, SquadInput, SquadPlan,
};

/// A team to analyze: parties with their members' current builds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Team {
    pub parties: Vec<TeamParty>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TeamParty {
    pub members: Vec<TeamMember>,
}

impl Team {
    /// The team an optimizer plan describes, each member on the planned
    /// build with their other options as alternatives, so the analyzer can
    /// explain (and challenge) an optimized squad.
    pub fn from_plan(plan: &SquadPlan, input: &SquadInput) -> Team {
        let parties = plan
            .parties
            .iter()
            .map(|party| TeamParty {
                members: party
                    .members
                    .iter()
                    .map(|m| {
                        let player = input.players.iter().find(|p| p.name.trim() == m.player);
                        let mut options = player.map(|p| p.options.clone()).unwrap_or_default();
                        let build = match options.iter().position(|o| o.build == m.build) {
                            Some(pos) => options.remove(pos),
                            None => BuildOption {
                                build: m.build.clone(),
                                profession: m.profession.clone(),
                                specialization: m.specialization.clone(),
                                role: m.role.clone(),
                                profile: None,
                                preference: 0.0,
                            },
                        };
                        TeamMember {
                            player: m.player.clone(),
                            build,
                            alternatives: options,
                        }
                    })
                    .collect(),
            })
            .collect();
        Team { parties }
    }
}

/// A member, the build they play now, and builds they could switch to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub player: String,
    pub build: BuildOption,
    #[serde(default)]
    pub alternatives: Vec<BuildOption>,
}

/// Two or more members giving the same thing where fewer would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overlap {
    pub resource: Resource,
    /// Members contributing to this resource.
    pub providers: Vec<String>,
    pub provided: f64,
    pub target: f64,
    /// provided - target.
    pub excess: f64,
    /// Providers whose contribution could be removed without dropping
    /// below the target.
    pub redundant: Vec<String>,
}

/// Analysis of one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyReport {
    /// 1-based party number.
    pub party: usize,
    pub members: Vec<PlacedMember>,
    pub coverage: Vec<CoverageEntry>,
    pub gaps: Vec<Gap>,
    pub overlaps: Vec<Overlap>,
    /// Weighted coverage (0..=sum of weights).
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Switch a member to one of their alternative builds.
    ChangeBuild,
    /// Move a member to a party with room.
    Move,
    /// Exchange two members between parties.
    Exchange,
    /// Nobody available covers a gap: bring a build that does.
    Recruit,
}

/// One concrete, actionable change. Suggestions form a sequence: each
/// step assumes the previous ones were applied (recruit hints come last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// 1-based position in the sequence.
    pub step: usize,
    pub kind: SuggestionKind,
    /// Human-readable instruction, e.g. "swap Ann to Scrapper (support) in
    /// party 3 to get superspeed, cleanse".
    pub text: String,
    pub players: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_party: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_party: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Requirements whose coverage improves.
    pub gains: Vec<Resource>,
    /// Requirements whose coverage drops (traded off).
    pub losses: Vec<Resource>,
    /// Objective improvement (same scale as `SquadPlan::objective`).
    pub score_gain: f64,
}

/// The analyzer's output.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SynergyReport {
    pub requirements: String,
    pub parties: Vec<PartyReport>,
    pub suggestions: Vec<Suggestion>,
    /// Sum over parties of weighted coverage, and its maximum.
    pub coverage_score: f64,
    pub coverage_max: f64,
    /// Objective value of the team as it is (same scale as the optimizer).
    pub objective: f64,
    pub warnings: Vec<String>,
}

/// Most suggestions returned (best first).
const MAX_SUGGESTIONS: usize = 12;

/// Largest team the analyzer accepts (several squads' worth, e.g. a whole
/// guild roster split into parties).
const MAX_TEAM: usize = 200;

/// Analyzes a team with the embedded profile table and default objective.
pub fn analyze(team: &Team, requirements: &Requirements) -> SynergyReport {
    match ProfileBook::builtin() {
        Ok(book) => analyze_with(team, requirements, book, &Objective::default()),
        Err(e) => SynergyReport {
            requirements: requirements.name.clone(),
            warnings: vec![format!("profile table unavailable: {e}")],
            ..Default::default()
        },
    }
}

/// Drops entries that would make coverage maths meaningless.
fn sanitize_requirements(reqs: &Requirements, warnings: &mut Vec<String>) -> Requirements {
    let mut out = reqs.clone();
    let mut seen = BTreeSet::new();
    out.per_party.retain(|r| {
        let ok = r.target.is_finite() && r.target > 0.0 && r.weight.is_finite() && r.weight >= 0.0;
        if !ok {
            warnings.push(format!(
                "requirement {} ignored: invalid target or weight",
                r.resource
            ));
            return false;
        }
        if !seen.insert(r.resource) {
            warnings.push(format!(
                "requirement {} listed twice: first kept",
                r.resource
            ));
            return false;
        }
        true
    });
    if out.party_size == 0 || out.party_size > MAX_PARTY_SIZE {
        warnings.push(format!(
            "party size {} invalid, using 5 for move suggestions",
            out.party_size
        ));
        out.party_size = 5;
    }
    out
}

/// Keeps only finite, non-negative numbers of a profile.
fn sanitize_profile(p: &SupportProfile) -> SupportProfile {
    let mut out = p.clone();
    if !out.damage.is_finite() || out.damage < 0.0 {
        out.damage = 0.0;
    }
    out.provides
        .retain(|_, c| c.amount.is_finite() && c.amount >= 0.0);
    out
}

/// Resolves every option to an explicit profile, leniently.
fn lenient_option(
    book: &ProfileBook,
    player: &str,
    b: &BuildOption,
    warnings: &mut Vec<String>,
) -> BuildOption {
    let mut b = b.clone();
    if !b.preference.is_finite() {
        b.preference = 0.0;
    }
    let profile = match resolve_profile(book, player, &b) {
        Ok((p, warn)) => {
            warnings.extend(warn);
            p
        }
        Err(e) => {
            let p = b.profile.as_ref().map(sanitize_profile).unwrap_or_default();
            warnings.push(format!("{e}; counted as giving nothing"));
            p
        }
    };
    b.profile = Some(profile);
    b
}

/// Analyzes a team with an explicit profile table and objective weights.
pub fn analyze_with(
    team: &Team,
    requirements: &Requirements,
    book: &ProfileBook,
    objective: &Objective,
) -> SynergyReport {
    let mut warnings = Vec::new();
    let reqs = sanitize_requirements(requirements, &mut warnings);
    let objective = Objective {
        coverage_weight: finite_or(objective.coverage_weight, 1000.0),
        damage_weight: finite_or(objective.damage_weight, 1.0),
        preference_weight: finite_or(objective.preference_weight, 1.0),
    };

    // Bound the work (and the per-party-size tables) for absurd inputs.
    let total: usize = team.parties.iter().map(|p| p.members.len()).sum();
    let largest = team
        .parties
        .iter()
        .map(|p| p.members.len())
        .max()
        .unwrap_or(0);
    if total > MAX_TEAM || largest > MAX_SQUAD {
        warnings.push(format!(
            "team too large to analyze ({total} members, largest party {largest}; at most {MAX_TEAM} members and {MAX_SQUAD} per party)"
        ));
        return SynergyReport {
            requirements: reqs.name.clone(),
            warnings,
            ..Default::default()
        };
    }

    // Flatten members into players (option 0 = current build) and keep
    // their parties; repair names so every member is addressable.
    let mut players = Vec::new();
    let mut party_of = Vec::new();
    let mut seen = BTreeSet::new();
    for (p, party) in team.parties.iter().enumerate() {
        for m in &party.members {
            let mut name = m.player.trim().to_string();
            if name.is_empty() {
                name = format!("player {}", players.len() + 1);
                warnings.push(format!(
                    "member without a name in party {} called {name:?}",
                    p + 1
                ));
            }
            if !seen.insert(name.to_lowercase()) {
                let mut k = 2;
                while seen.contains(&format!("{name} ({k})").to_lowercase()) {
                    k += 1;
                }
                let renamed = format!("{name} ({k})");
                warnings.push(format!("duplicate member {name:?} reported as {renamed:?}"));
                seen.insert(renamed.to_lowercase());
                name = renamed;
            }
            let mut options = vec![lenient_option(book, &name, &m.build, &mut warnings)];
            let max_alts = super::model::MAX_OPTIONS - 1;
            if m.alternatives.len() > max_alts {
                warnings.push(format!(
                    "{name}: only the first {max_alts} alternatives are considered"
                ));
            }
            for alt in m.alternatives.iter().take(max_alts) {
                options.push(lenient_option(book, &name, alt, &mut warnings));
            }
            players.push(Player {
                name,
                options,
                preference_weight: 1.0,
            });
            party_of.push(p);
        }
    }
    let sizes: Vec<usize> = team.parties.iter().map(|p| p.members.len()).collect();
    let coverage_max = reqs.per_party.iter().map(|r| r.weight).sum::<f64>() * sizes.len() as f64;
    if players.is_empty() {
        return SynergyReport {
            requirements: reqs.name.clone(),
            parties: (0..team.parties.len())
                .map(|p| PartyReport {
                    party: p + 1,
                    members: Vec::new(),
                    coverage: Vec::new(),
                    gaps: Vec::new(),
                    overlaps: Vec::new(),
                    score: 0.0,
                })
                .collect(),
            coverage_max,
            warnings,
            ..Default::default()
        };
    }
    let pb = match build_problem(
        &players,
        &reqs,
        sizes.clone(),
        reqs.party_size,
        &objective,
        book,
    ) {
        Ok(pb) => pb,
        Err(e) => {
            warnings.push(format!("cannot analyze: {e}"));
            return SynergyReport {
                requirements: reqs.name.clone(),
                coverage_max,
                warnings,
                ..Default::default()
            };
        }
    };
    warnings.extend(pb.warnings.iter().cloned());
    let opt_of = vec![0usize; pb.n()];
    let r = pb.r();
    let (acc, spill, _) = pb.accumulate(&party_of, &opt_of);
    let mut parties = Vec::with_capacity(sizes.len());
    let mut coverage_score = 0.0;
    for p in 0..sizes.len() {
        let row = &acc[p * r..(p + 1) * r];
        let (coverage, gaps) = coverage_rows(&pb, row, &spill);
        let score = if sizes[p] > 0 {
            pb.party_value(row, &spill)
        } else {
            0.0
        };
        coverage_score += score;
        let members: Vec<usize> = (0..pb.n()).filter(|&i| party_of[i] == p).collect();
        let overlaps = overlaps(&pb, &members, sizes[p], &coverage);
        parties.push(PartyReport {
            party: p + 1,
            members: members
                .iter()
                .map(|&i| {
                    let o = &pb.opts[i][0];
                    PlacedMember {
                        player: pb.names[i].clone(),
                        build: o.build.build.clone(),
                        profession: o.build.profession.clone(),
                        specialization: o.build.specialization.clone(),
                        role: o.build.role.clone(),
                        damage: o.profile.damage,
                    }
                })
                .collect(),
            coverage,
            gaps,
            overlaps,
            score,
        });
    }
    let base = pb.evaluate(&party_of, &opt_of);
    let suggestions = suggestions(&pb, &party_of, reqs.party_size, base, book, &parties);
    SynergyReport {
        requirements: reqs.name.clone(),
        parties,
        suggestions,
        coverage_score,
        coverage_max,
        objective: base,
        warnings,
    }
}

fn finite_or(v: f64, d: f64) -> f64 {
    if v.is_finite() && v >= 0.0 {
        v
    } else {
        d
    }
}

/// Contribution of member `i` (current build) to each requirement of its
/// own party, per member.
fn member_contribution(pb: &Problem, i: usize, size: usize) -> Vec<f64> {
    let own = pb.own(i, 0, size);
    let sp = pb.spill(i, 0, size);
    own.iter().zip(sp).map(|(a, b)| a + b).collect()
}

fn overlaps(
    pb: &Problem,
    members: &[usize],
    size: usize,
    coverage: &[CoverageEntry],
) -> Vec<Overlap> {
    let contrib: Vec<Vec<f64>> = members
        .iter()
        .map(|&i| member_contribution(pb, i, size))
        .collect();
    let mut out = Vec::new();
    for (k, c) in coverage.iter().enumerate() {
        let providers: Vec<usize> = (0..members.len())
            .filter(|&m| contrib[m][k] >= 0.01 * c.target)
            .collect();
        if providers.len() < 2 || c.provided <= c.target * (1.0 + MET) {
            continue;
        }
        let redundant: Vec<String> = providers
            .iter()
            .filter(|&&m| c.provided - contrib[m][k] >= c.target * (1.0 - MET))
            .map(|&m| pb.names[members[m]].clone())
            .collect();
        if redundant.is_empty() {
            continue;
        }
        out.push(Overlap {
            resource: c.resource,
            providers: providers
                .iter()
                .map(|&m| pb.names[members[m]].clone())
                .collect(),
            provided: c.provided,
            target: c.target,
            excess: c.provided - c.target,
            redundant,
        });
    }
    out
}

/// Per-party coverage vectors of an assignment (sizes follow the assignment).
fn party_coverages(pb: &Problem, party_of: &[usize], opt_of: &[usize]) -> Vec<Vec<f64>> {
    let r = pb.r();
    let (acc, spill, _) = pb.accumulate(party_of, opt_of);
    (0..pb.parties())
        .map(|p| {
            (0..r)
                .map(|k| ((acc[p * r + k] + spill[k]).max(0.0) / pb.targets[k]).min(1.0))
                .collect()
        })
        .collect()
}

struct Candidate {
    kind: SuggestionKind,
    players: Vec<usize>,
    from: Option<usize>,
    to: Option<usize>,
    opt: Option<usize>,
    party_of: Vec<usize>,
    opt_of: Vec<usize>,
    value: f64,
}

/// Best single change from the current state, if any improves it.
fn best_change(
    pb: &Problem,
    party_of: &[usize],
    opt_of: &[usize],
    party_size: usize,
    base: f64,
) -> Option<Candidate> {
    const EPS: f64 = 1e-6;
    let n = pb.n();
    let mut sizes = vec![0usize; pb.parties()];
    for &p in party_of {
        sizes[p] += 1;
    }
    let mut best: Option<Candidate> = None;
    let mut consider =
        |kind, players: Vec<usize>, from, to, opt, po: Vec<usize>, oo: Vec<usize>| {
            let v = pb.evaluate(&po, &oo);
            if v > base + EPS && best.as_ref().is_none_or(|b| v > b.value + EPS) {
                best = Some(Candidate {
                    kind,
                    players,
                    from,
                    to,
                    opt,
                    party_of: po,
                    opt_of: oo,
                    value: v,
                });
            }
        };
    // build changes
    for i in 0..n {
        for o in 0..pb.opts[i].len() {
            if o == opt_of[i] {
                continue;
            }
            let mut oo = opt_of.to_vec();
            oo[i] = o;
            consider(
                SuggestionKind::ChangeBuild,
                vec![i],
                Some(party_of[i]),
                None,
                Some(o),
                party_of.to_vec(),
                oo,
            );
        }
    }
    // moves into parties with room (never emptying a party)
    for i in 0..n {
        let p = party_of[i];
        if sizes[p] <= 1 {
            continue;
        }
        for (q, &size_q) in sizes.iter().enumerate() {
            if q == p || size_q >= party_size {
                continue;
            }
            let mut po = party_of.to_vec();
            po[i] = q;
            consider(
                SuggestionKind::Move,
                vec![i],
                Some(p),
                Some(q),
                None,
                po,
                opt_of.to_vec(),
            );
        }
    }
    // exchanges (bounded to keep analysis of huge teams fast)
    if n <= 200 {
        for i in 0..n {
            for j in (i + 1)..n {
                if party_of[i] == party_of[j] {
                    continue;
                }
                let mut po = party_of.to_vec();
                po.swap(i, j);
                consider(
                    SuggestionKind::Exchange,
                    vec![i, j],
                    Some(party_of[i]),
                    Some(party_of[j]),
                    None,
                    po,
                    opt_of.to_vec(),
                );
            }
        }
    }
    best
}

/// "stability, aegis in party 4 and might in party 2"
fn by_party(list: &[(usize, Vec<Resource>)]) -> String {
    list.iter()
        .map(|(p, r)| format!("{} in party {p}", join(r)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Greedy sequence of single changes, each the best improvement given the
/// previous ones applied: following them in order converges to a local
/// optimum, and no two steps fight over the same gap.
fn suggestions(
    pb: &Problem,
    party_of: &[usize],
    party_size: usize,
    base: f64,
    book: &ProfileBook,
    parties: &[PartyReport],
) -> Vec<Suggestion> {
    let mut cur_party = party_of.to_vec();
    let mut cur_opt = vec![0usize; pb.n()];
    let mut cur_value = base;
    let mut out = Vec::new();
    while out.len() < MAX_SUGGESTIONS {
        let Some(c) = best_change(pb, &cur_party, &cur_opt, party_size, cur_value) else {
            break;
        };
        let before = party_coverages(pb, &cur_party, &cur_opt);
        let after = party_coverages(pb, &c.party_of, &c.opt_of);
        let mut gains = BTreeSet::new();
        let mut losses = BTreeSet::new();
        let mut gains_at: Vec<(usize, Vec<Resource>)> = Vec::new();
        let mut losses_at: Vec<(usize, Vec<Resource>)> = Vec::new();
        for p in 0..before.len() {
            let (mut g, mut l) = (Vec::new(), Vec::new());
            for k in 0..pb.r() {
                let d = after[p][k] - before[p][k];
                let res = pb.reqs.per_party[k].resource;
                if d > 0.01 {
                    gains.insert(res);
                    g.push(res);
                } else if d < -0.01 {
                    losses.insert(res);
                    l.push(res);
                }
            }
            if !g.is_empty() {
                gains_at.push((p + 1, g));
            }
            if !l.is_empty() {
                losses_at.push((p + 1, l));
            }
        }
        let why = if gains_at.is_empty() {
            "for more damage".to_string()
        } else {
            format!("to get {}", by_party(&gains_at))
        };
        let tail = if losses_at.is_empty() {
            String::new()
        } else {
            format!(" (loses some {})", by_party(&losses_at))
        };
        let name = |i: usize| pb.names[i].clone();
        let (text, build) = match c.kind {
            SuggestionKind::ChangeBuild => {
                let i = c.players[0];
                let o = &pb.opts[i][c.opt.unwrap_or(0)].build;
                (
                    format!(
                        "swap {} to {} ({} {}) in party {} {why}{tail}",
                        name(i),
                        o.build,
                        o.specialization,
                        o.role,
                        cur_party[i] + 1
                    ),
                    Some(o.build.clone()),
                )
            }
            SuggestionKind::Move => {
                let i = c.players[0];
                (
                    format!(
                        "move {} from party {} to party {} {why}{tail}",
                        name(i),
                        c.from.unwrap_or(0) + 1,
                        c.to.unwrap_or(0) + 1
                    ),
                    None,
                )
            }
            SuggestionKind::Exchange | SuggestionKind::Recruit => {
                let (i, j) = (c.players[0], c.players.get(1).copied().unwrap_or(0));
                (
                    format!(
                        "exchange {} (party {}) with {} (party {}) {why}{tail}",
                        name(i),
                        cur_party[i] + 1,
                        name(j),
                        cur_party[j] + 1
                    ),
                    None,
                )
            }
        };
        out.push(Suggestion {
            step: out.len() + 1,
            kind: c.kind,
            text,
            players: c.players.iter().map(|&i| name(i)).collect(),
            from_party: c.from.map(|p| p + 1),
            to_party: c.to.map(|p| p + 1),
            build,
            gains: gains.into_iter().collect(),
            losses: losses.into_iter().collect(),
            score_gain: c.value - cur_value,
        });
        cur_party = c.party_of;
        cur_opt = c.opt_of;
        cur_value = c.value;
    }
    let last = party_coverages(pb, &cur_party, &cur_opt);
    out.extend(recruit_hints(pb, book, parties, &last, out.len()));
    out
}

/// For requirements still clearly short (under half covered) in some party
/// after all suggested steps, name builds that provide them.
fn recruit_hints(
    pb: &Problem,
    book: &ProfileBook,
    parties: &[PartyReport],
    coverage_after: &[Vec<f64>],
    steps: usize,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for (k, req) in pb.reqs.per_party.iter().enumerate() {
        if req.weight <= 0.0 {
            continue;
        }
        let short: Vec<usize> = parties
            .iter()
            .filter(|p| !p.members.is_empty())
            .filter(|p| coverage_after.get(p.party - 1).is_some_and(|c| c[k] < 0.5))
            .map(|p| p.party)
            .collect();
        if short.is_empty() {
            continue;
        }
        let builds: Vec<String> = book
            .providers_of(req.resource, 0.5 * req.target)
            .into_iter()
            .take(3)
            .map(|r| format!("{} ({})", r.specialization, r.role))
            .collect();
        if builds.is_empty() {
            continue;
        }
        let list = short
            .iter()
            .map(std::string::ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "part{} {list} still lack{} {} after these steps: bring e.g. {}",
            if short.len() > 1 { "ies" } else { "y" },
            if short.len() > 1 { "" } else { "s" },
            req.resource,
            builds.join(", ")
        );
        out.push(Suggestion {
            step: steps + out.len() + 1,
            kind: SuggestionKind::Recruit,
            text,
            players: Vec::new(),
            from_party: None,
            to_party: short.first().copied(),
            build: None,
            gains: vec![req.resource],
            losses: Vec::new(),
            score_gain: 0.0,
        });
    }
    out
}

fn join(v: &[Resource]) -> String {
    v.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ")
}
