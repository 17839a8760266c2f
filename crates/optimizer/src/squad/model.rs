//! The numeric problem behind both solvers and the analyzer.
//!
//! Coverage model (the "coverage maths"):
//! - A contribution of `amount` with reach `t` targets, from a provider in a
//!   party of `n`, gives every member of that party `amount * min(t, n) / n`
//!   on average (per-member resources), i.e. a self-only boon counts for one
//!   member out of `n`.
//! - Targets beyond the own party (`t > n`) spill evenly over the other
//!   `N - n` squad members: `amount * (min(t, N) - n) / (N - n)` each.
//! - Strips are a party total: `amount`, no spill.
//! - A party's coverage of requirement `r` is `min(1, provided / target)`;
//!   its score is `sum_r weight_r * coverage_r`.
//! - Objective = `coverage_weight * sum_parties score + sum_players secondary`
//!   where secondary = damage_weight * damage / max_damage
//!   + preference_weight * player_weight * option_preference.
//!
//! Everything is precomputed per (player, option, party size) as flat
//! vectors over the requirement list so evaluation is a few fused loops.

use super::profile::{ProfileBook, SupportProfile};
use super::requirements::{Requirements, MAX_SQUAD};
use super::{BuildOption, Objective, Player, SquadError, SquadInput};

/// Hard cap on options per player: keeps the exhaustive and LP sizes bounded.
pub(crate) const MAX_OPTIONS: usize = 16;

/// One build option with its resolved profile and precomputed vectors.
#[derive(Debug, Clone)]
pub(crate) struct Opt {
    pub build: BuildOption,
    pub profile: SupportProfile,
    /// damage/preference part of the objective for this option.
    pub secondary: f64,
    /// Per party size s (index s, 0..=max_size): own-party contribution
    /// minus spill, flattened [s * R + r].
    own: Vec<f64>,
    /// Per party size: spill each other squad member receives, [s * R + r].
    spill: Vec<f64>,
    /// Whether any spill is non-zero (fast path when false).
    pub has_spill: bool,
}

/// A fully validated, numeric squad problem.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub names: Vec<String>,
    pub opts: Vec<Vec<Opt>>,
    /// Fixed party sizes (sum = number of players).
    pub sizes: Vec<usize>,
    pub reqs: Requirements,
    pub targets: Vec<f64>,
    pub weights: Vec<f64>,
    pub coverage_weight: f64,
    pub max_size: usize,
    pub warnings: Vec<String>,
}

impl Problem {
    pub fn n(&self) -> usize {
        self.names.len()
    }
    pub fn parties(&self) -> usize {
        self.sizes.len()
    }
    pub fn r(&self) -> usize {
        self.targets.len()
    }

    /// Own-party contribution minus spill for option `o` of player `i`
    /// in a party of `size`.
    #[inline]
    pub fn own(&self, i: usize, o: usize, size: usize) -> &[f64] {
        let r = self.r();
        let s = size.min(self.max_size);
        &self.opts[i][o].own[s * r..(s + 1) * r]
    }

    #[inline]
    pub fn spill(&self, i: usize, o: usize, size: usize) -> &[f64] {
        let r = self.r();
        let s = size.min(self.max_size);
        &self.opts[i][o].spill[s * r..(s + 1) * r]
    }

    /// Weighted coverage of a party given its accumulated own row and the
    /// squad spill total.
    #[inline]
    pub fn party_value(&self, acc: &[f64], spill: &[f64]) -> f64 {
        let mut v = 0.0;
        for r in 0..self.targets.len() {
            let provided = (acc[r] + spill[r]).max(0.0);
            v += self.weights[r] * (provided / self.targets[r]).min(1.0);
        }
        v
    }

    /// Objective of a complete assignment from scratch (sizes taken from the
    /// assignment itself, so it also works for the analyzer's free sizes).
    pub fn evaluate(&self, party_of: &[usize], opt_of: &[usize]) -> f64 {
        let (acc, spill, sizes) = self.accumulate(party_of, opt_of);
        let r = self.r();
        let mut cov = 0.0;
        for (p, &size) in sizes.iter().enumerate() {
            if size > 0 {
                cov += self.party_value(&acc[p * r..(p + 1) * r], &spill);
            }
        }
        let sec: f64 = (0..self.n())
            .map(|i| self.opts[i][opt_of[i]].secondary)
            .sum();
        self.coverage_weight * cov + sec
    }

    /// Per-party own rows, squad spill row and party sizes.
    pub fn accumulate(
        &self,
        party_of: &[usize],
        opt_of: &[usize],
    ) -> (Vec<f64>, Vec<f64>, Vec<usize>) {
        let r = self.r();
        let pc = self.parties();
        let mut sizes = vec![0usize; pc];
        for &p in party_of {
            if p < pc {
                sizes[p] += 1;
            }
        }
        let mut acc = vec![0.0; pc * r];
        let mut spill = vec![0.0; r];
        for i in 0..self.n() {
            let p = party_of[i];
            if p >= pc {
                continue;
            }
            let o = opt_of[i];
            let own = self.own(i, o, sizes[p]);
            let sp = self.spill(i, o, sizes[p]);
            for k in 0..r {
                acc[p * r + k] += own[k];
                spill[k] += sp[k];
            }
        }
        (acc, spill, sizes)
    }

    /// Sum of the requirement weights (max score of one party).
    pub fn weight_sum(&self) -> f64 {
        self.weights.iter().sum()
    }
}

/// Balanced party sizes: `count` parties, sizes differing by at most one.
/// Balanced sizes lose nothing when parties have identical requirements
/// (any balanced plan is a relabelling of another) and make squad layouts
/// predictable for commanders.
pub(crate) fn balanced_sizes(players: usize, count: usize) -> Vec<usize> {
    if count == 0 {
        return Vec::new();
    }
    let base = players / count;
    let extra = players % count;
    (0..count).map(|p| base + usize::from(p < extra)).collect()
}

/// Builds the per-size vectors for one profile.
fn vectors(
    profile: &SupportProfile,
    reqs: &Requirements,
    max_size: usize,
    squad: usize,
) -> (Vec<f64>, Vec<f64>, bool) {
    let r = reqs.per_party.len();
    let mut own = vec![0.0; (max_size + 1) * r];
    let mut spill = vec![0.0; (max_size + 1) * r];
    let mut has_spill = false;
    for size in 1..=max_size {
        for (k, req) in reqs.per_party.iter().enumerate() {
            let Some(c) = profile.provides.get(&req.resource) else {
                continue;
            };
            let (o, s) = if req.resource.is_per_member() {
                let t = c.reach.targets();
                let n = size as f64;
                let own = c.amount * t.min(size) as f64 / n;
                let sp = if squad > size {
                    let extra = t.min(squad).saturating_sub(size);
                    c.amount * extra as f64 / (squad - size) as f64
                } else {
                    0.0
                };
                (own, sp)
            } else {
                (c.amount, 0.0)
            };
            if s > 0.0 {
                has_spill = true;
            }
            own[size * r + k] = o - s;
            spill[size * r + k] = s;
        }
    }
    (own, spill, has_spill)
}

/// Validates the input, resolves requirements/profiles and builds the
/// numeric problem with balanced party sizes.
pub(crate) fn prepare(input: &SquadInput) -> Result<Problem, SquadError> {
    let mut reqs = input.requirements.resolve()?;
    if let Some(factors) = &input.weight_factors {
        apply_weight_factors(&mut reqs, factors)?;
    }
    let party_size = input.party_size.unwrap_or(reqs.party_size);
    if party_size == 0 || party_size > super::requirements::MAX_PARTY_SIZE {
        return Err(SquadError::InvalidPartySize {
            size: party_size,
            max: super::requirements::MAX_PARTY_SIZE,
        });
    }
    let n = input.players.len();
    if n == 0 {
        return Err(SquadError::NoPlayers);
    }
    let max_players = reqs.max_players.min(MAX_SQUAD);
    if n > max_players {
        return Err(SquadError::TooManyPlayers {
            count: n,
            max: max_players,
            reason: format!("squad cap of template {:?}", reqs.name),
        });
    }
    let party_count = match input.party_count {
        Some(0) => return Err(SquadError::InvalidPartyCount(0)),
        Some(c) => c,
        None => n.div_ceil(party_size),
    };
    if party_count > n {
        return Err(SquadError::InvalidPartyCount(party_count));
    }
    if party_count.saturating_mul(party_size) < n {
        return Err(SquadError::TooManyPlayers {
            count: n,
            max: party_count * party_size,
            reason: format!("{party_count} parties of {party_size}"),
        });
    }
    check_objective(&input.objective)?;
    let book = match &input.profiles {
        Some(b) => {
            for (i, rule) in b.rules.iter().enumerate() {
                rule.profile.validate(&format!("profile rule {i}"))?;
            }
            b
        }
        None => ProfileBook::builtin()?,
    };
    build_problem(
        &input.players,
        &reqs,
        balanced_sizes(n, party_count),
        party_size,
        &input.objective,
        book,
    )
}

/// Multiplies each requirement's weight by its resource's factor (see
/// [`SquadInput::weight_factors`]); a factor outside `0..=MAX_WEIGHT_FACTOR` is refused.
pub(crate) fn apply_weight_factors(
    reqs: &mut Requirements,
    factors: &std::collections::BTreeMap<super::Resource, f64>,
) -> Result<(), SquadError> {
    for (resource, factor) in factors {
        if !factor.is_finite() || *factor < 0.0 || *factor > super::MAX_WEIGHT_FACTOR {
            return Err(SquadError::InvalidNumber {
                context: format!(
                    "weight_factors.{resource} must be finite and in 0..={}",
                    super::MAX_WEIGHT_FACTOR
                ),
            });
        }
    }
    for requirement in &mut reqs.per_party {
        if let Some(factor) = factors.get(&requirement.resource) {
            requirement.weight *= factor;
        }
    }
    Ok(())
}

fn check_objective(obj: &Objective) -> Result<(), SquadError> {
    for (name, v) in [
        ("coverage_weight", obj.coverage_weight),
        ("damage_weight", obj.damage_weight),
        ("preference_weight", obj.preference_weight),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(SquadError::InvalidNumber {
                context: format!("objective.{name} must be finite and >= 0"),
            });
        }
    }
    Ok(())
}

/// Resolves a build option's profile: explicit profile first, then the rule
/// table. Returns whether a wildcard rule was used (worth a warning).
pub(crate) fn resolve_profile(
    book: &ProfileBook,
    player: &str,
    b: &BuildOption,
) -> Result<(SupportProfile, Option<String>), SquadError> {
    if let Some(p) = &b.profile {
        p.validate(&format!("player {player:?} build {:?}", b.build))?;
        return Ok((p.clone(), None));
    }
    match book.find(&b.profession, &b.specialization, &b.role) {
        Some(rule) => {
            let warn = (rule.specialization.trim() == "*").then(|| {
                format!(
                    "{player}: no specific profile for {} {} ({}); using the generic {:?} role profile",
                    b.profession, b.specialization, b.role, rule.role
                )
            });
            Ok((rule.profile.clone(), warn))
        }
        None => Err(SquadError::NoProfile {
            player: player.to_string(),
            build: b.build.clone(),
            profession: b.profession.clone(),
            specialization: b.specialization.clone(),
            role: b.role.clone(),
        }),
    }
}

/// Builds a problem for given players and fixed party sizes. Shared by the
/// optimizer (balanced sizes) and the analyzer (the team's own sizes).
pub(crate) fn build_problem(
    players: &[Player],
    reqs: &Requirements,
    sizes: Vec<usize>,
    party_size: usize,
    objective: &Objective,
    book: &ProfileBook,
) -> Result<Problem, SquadError> {
    let mut seen = std::collections::HashSet::new();
    let mut warnings = Vec::new();
    let mut resolved: Vec<Vec<(BuildOption, SupportProfile)>> = Vec::with_capacity(players.len());
    for (idx, p) in players.iter().enumerate() {
        let name = p.name.trim();
        if name.is_empty() {
            return Err(SquadError::EmptyName { index: idx });
        }
        if !seen.insert(name.to_lowercase()) {
            return Err(SquadError::DuplicatePlayer(name.to_string()));
        }
        if p.options.is_empty() {
            return Err(SquadError::NoOptions(name.to_string()));
        }
        if p.options.len() > MAX_OPTIONS {
            return Err(SquadError::TooManyOptions {
                player: name.to_string(),
                count: p.options.len(),
                max: MAX_OPTIONS,
            });
        }
        if !p.preference_weight.is_finite() || p.preference_weight < 0.0 {
            return Err(SquadError::InvalidNumber {
                context: format!("player {name:?}: preference_weight"),
            });
        }
        let mut opts = Vec::with_capacity(p.options.len());
        for b in &p.options {
            if !b.preference.is_finite() {
                return Err(SquadError::InvalidNumber {
                    context: format!("player {name:?} build {:?}: preference", b.build),
                });
            }
            let (profile, warn) = resolve_profile(book, name, b)?;
            warnings.extend(warn);
            opts.push((b.clone(), profile));
        }
        resolved.push(opts);
    }
    let max_damage = resolved
        .iter()
        .flatten()
        .map(|(_, p)| p.damage)
        .fold(0.0_f64, f64::max);
    let squad = players.len();
    let max_size = party_size
        .max(sizes.iter().copied().max().unwrap_or(0))
        .max(1);
    let mut opts = Vec::with_capacity(players.len());
    for (p, list) in players.iter().zip(resolved) {
        let mut v = Vec::with_capacity(list.len());
        for (b, profile) in list {
            let dmg = if max_damage > 0.0 {
                profile.damage / max_damage
            } else {
                0.0
            };
            let secondary = objective.damage_weight * dmg
                + objective.preference_weight * p.preference_weight * b.preference;
            let (own, spill, has_spill) = vectors(&profile, reqs, max_size, squad);
            v.push(Opt {
                build: b,
                profile,
                secondary,
                own,
                spill,
                has_spill,
            });
        }
        opts.push(v);
    }
    Ok(Problem {
        names: players.iter().map(|p| p.name.trim().to_string()).collect(),
        opts,
        sizes,
        targets: reqs.per_party.iter().map(|r| r.target).collect(),
        weights: reqs.per_party.iter().map(|r| r.weight).collect(),
        reqs: reqs.clone(),
        coverage_weight: objective.coverage_weight,
        max_size,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::super::profile::{Contribution, Reach, Resource};
    use super::super::requirements::Requirement;
    use super::*;

    fn reqs(res: Resource, target: f64) -> Requirements {
        Requirements {
            name: "t".into(),
            description: String::new(),
            party_size: 5,
            max_players: 50,
            per_party: vec![Requirement {
                resource: res,
                target,
                weight: 1.0,
            }],
        }
    }

    fn prof(res: Resource, amount: f64, reach: Reach) -> SupportProfile {
        let mut p = SupportProfile::default();
        p.provides.insert(res, Contribution { amount, reach });
        p
    }

    #[test]
    fn self_boon_covers_one_member_of_five() {
        let r = reqs(Resource::Quickness, 1.0);
        let (own, spill, has) = vectors(&prof(Resource::Quickness, 1.0, Reach::Own), &r, 5, 10);
        assert!((own[5] - 0.2).abs() < 1e-12);
        assert_eq!(spill[5], 0.0);
        assert!(!has);
    }

    #[test]
    fn party_boon_in_party_of_four_spills_one_target() {
        let r = reqs(Resource::Might, 25.0);
        let (own, spill, has) = vectors(&prof(Resource::Might, 10.0, Reach::Party), &r, 5, 10);
        // size 4: all 4 members get 10, 1 target (10 stacks) spread over 6 others
        assert!((spill[4] - 10.0 / 6.0).abs() < 1e-12);
        assert!((own[4] + spill[4] - 10.0).abs() < 1e-12);
        assert!(has);
        // size 5: no spill
        assert_eq!(spill[5], 0.0);
        assert!((own[5] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn squad_boon_covers_both_raid_subgroups() {
        let r = reqs(Resource::Alacrity, 1.0);
        let (own, spill, _) = vectors(&prof(Resource::Alacrity, 1.0, Reach::Squad), &r, 5, 10);
        // 10 targets in a 10-player squad: own party 1.0, other party 1.0
        assert!((own[5] + spill[5] - 1.0).abs() < 1e-12);
        assert!((spill[5] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn strips_are_party_totals() {
        let r = reqs(Resource::Strip, 1.0);
        let (own, spill, _) = vectors(&prof(Resource::Strip, 1.5, Reach::Own), &r, 5, 50);
        assert_eq!(own[5], 1.5);
        assert_eq!(spill[5], 0.0);
    }

    #[test]
    fn weight_factors_multiply_requirement_weights() {
        let mut r = reqs(Resource::Stability, 1.0);
        r.per_party.push(Requirement {
            resource: Resource::Might,
            target: 20.0,
            weight: 2.0,
        });
        let factors = std::collections::BTreeMap::from([
            (Resource::Stability, 4.0),
            (Resource::Healing, 0.5),
        ]);
        apply_weight_factors(&mut r, &factors).unwrap();
        assert_eq!(r.per_party[0].weight, 4.0);
        assert_eq!(r.per_party[1].weight, 2.0, "not named: unchanged");
        for bad in [-1.0, f64::NAN, f64::INFINITY, 101.0] {
            let factors = std::collections::BTreeMap::from([(Resource::Might, bad)]);
            let err = apply_weight_factors(&mut r, &factors).unwrap_err();
            assert!(err.to_string().contains("weight_factors.might"), "{err}");
        }
    }

    #[test]
    fn balanced_sizes_differ_by_at_most_one() {
        assert_eq!(balanced_sizes(23, 5), vec![5, 5, 5, 4, 4]);
        assert_eq!(balanced_sizes(10, 2), vec![5, 5]);
        assert_eq!(balanced_sizes(3, 1), vec![3]);
        assert!(balanced_sizes(3, 0).is_empty());
    }
}
