//! Squad composition optimizer and synergy analyzer.
//!
//! The optimizer assigns every player to one of their build options and to
//! a party so that each party's boon/support requirements are covered,
//! then maximises damage and player preferences. The analyzer scores any
//! given team, lists gaps and redundant providers, and proposes concrete
//! swaps and moves.
//!
//! Everything here is pure (no I/O): the server and the CLI parse and print,
//! this module only computes.
//!
//! Entry points: [`optimize`], [`analyze`], [`render_table`], plus
//! [`exhaustive::solve`] (exact, small squads) and [`local_search`].
//!
//! Input (`gw2opt squad --input FILE.json`), all fields but `players`
//! optional:
//!
//! ```json
//! { "players": [
//!     { "name": "Ann", "preference_weight": 1.0,
//!       "options": [
//!         { "build": "fb-support", "profession": "Guardian",
//!           "specialization": "Firebrand", "role": "support",
//!           "preference": 1.0 },
//!         { "build": "measured-scrapper", "profession": "Engineer",
//!           "specialization": "Scrapper", "role": "support",
//!           "profile": { "damage": 20, "provides": {
//!             "superspeed": { "amount": 0.9, "reach": "party" } } } } ] } ],
//!   "requirements": "wvw_zerg",
//!   "party_size": 5, "party_count": 10,
//!   "objective": { "coverage_weight": 1000, "damage_weight": 1, "preference_weight": 1 },
//!   "solver": { "method": "auto", "seed": 1, "iterations": 100000, "chains": 4 },
//!   "weight_factors": { "stability": 4.0, "healing": 0.25 } }
//! ```
//!
//! `requirements` is a template name (`wvw_zerg`, `raid`, `strike`,
//! `fractal`) or a full [`Requirements`] object. `weight_factors` multiplies the
//! requirements' weights per resource (e.g. weights learned from a guild's fights, see the
//! `learning` crate). Output ([`SquadPlan`]):
//!
//! ```json
//! { "requirements": "wvw_zerg", "method": "local_search", "player_count": 50,
//!   "party_size": 5, "objective": 175035.1, "upper_bound": 175053.1,
//!   "bound_kind": "lp_relaxation", "optimality_gap": 0.0001,
//!   "coverage_score": 175.0, "coverage_max": 175.0, "total_damage": 3120,
//!   "warnings": [],
//!   "parties": [ { "party": 1, "score": 17.5,
//!     "members": [ { "player": "Ann", "build": "fb-support", "profession": "Guardian",
//!                    "specialization": "Firebrand", "role": "support", "damage": 20 } ],
//!     "coverage": [ { "resource": "stability", "provided": 1.0, "target": 1.0, "coverage": 1.0 } ],
//!     "gaps": [ { "resource": "superspeed", "provided": 0.2, "target": 0.4,
//!                 "missing": 0.2, "coverage": 0.5 } ] } ] }
//! ```

pub mod exhaustive;
pub mod profile;
pub mod requirements;
pub mod synergy;

mod bound;
mod model;
mod report;
mod rng;
mod solve;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use profile::{Contribution, ProfileBook, ProfileRule, Reach, Resource, SupportProfile};
pub use report::render_table;
pub use requirements::{Requirement, Requirements, MAX_PARTY_SIZE, MAX_SQUAD};
pub use solve::{local_search, optimize};
pub use synergy::{
    analyze, analyze_with, Overlap, PartyReport, Suggestion, SuggestionKind, SynergyReport, Team,
    TeamMember, TeamParty,
};

/// Everything that can make a request unsolvable. Each variant names the
/// offending player or field so the API can return a useful 400.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SquadError {
    #[error("no players given")]
    NoPlayers,
    #[error("{count} players given but at most {max} fit ({reason})")]
    TooManyPlayers {
        count: usize,
        max: usize,
        reason: String,
    },
    #[error("player #{index} has an empty name")]
    EmptyName { index: usize },
    #[error("player name {0:?} appears more than once")]
    DuplicatePlayer(String),
    #[error("player {0:?} has no build options")]
    NoOptions(String),
    #[error("player {player:?} has {count} build options, at most {max} are allowed")]
    TooManyOptions {
        player: String,
        count: usize,
        max: usize,
    },
    #[error(
        "no support profile for player {player:?} build {build:?} \
         ({profession}/{specialization}/{role}): pass `profile` explicitly or use a known role"
    )]
    NoProfile {
        player: String,
        build: String,
        profession: String,
        specialization: String,
        role: String,
    },
    #[error("party size {size} is invalid (1..={max})")]
    InvalidPartySize { size: usize, max: usize },
    #[error("party count {0} is invalid")]
    InvalidPartyCount(usize),
    #[error("unknown requirement template {0:?} (known: wvw_zerg, raid, strike, fractal)")]
    UnknownTemplate(String),
    #[error("invalid number: {context}")]
    InvalidNumber { context: String },
    #[error("invalid data: {0}")]
    InvalidData(String),
    #[error(
        "search space too large for the exhaustive solver ({leaves:.3e} leaves > {limit:.3e})"
    )]
    SearchSpaceTooLarge { leaves: f64, limit: f64 },
}

/// One build a player can bring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildOption {
    /// Build id or name, echoed back in the plan.
    #[serde(alias = "id", alias = "name")]
    pub build: String,
    pub profession: String,
    /// Elite specialization name (or the profession name for core builds).
    #[serde(default, alias = "spec", alias = "elite_spec")]
    pub specialization: String,
    /// "support", "heal", "quickness", "alacrity", "dps", "strip", ...
    #[serde(default)]
    pub role: String,
    /// Overrides the rule table for this build (e.g. measured from logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<SupportProfile>,
    /// How much the player likes this option (0 = neutral, 1 = favourite).
    #[serde(default)]
    pub preference: f64,
}

fn one() -> f64 {
    1.0
}

/// A player and the builds they are willing to play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Player {
    pub name: String,
    pub options: Vec<BuildOption>,
    /// Scales this player's option preferences (0 = "put me anywhere").
    #[serde(default = "one")]
    pub preference_weight: f64,
}

/// Which requirements to use: a template name or a full custom template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequirementsSpec {
    Template(String),
    Custom(Requirements),
}

impl Default for RequirementsSpec {
    fn default() -> Self {
        RequirementsSpec::Template("wvw_zerg".to_string())
    }
}

impl RequirementsSpec {
    /// The concrete, validated requirements.
    pub fn resolve(&self) -> Result<Requirements, SquadError> {
        let r = match self {
            RequirementsSpec::Template(name) => Requirements::template(name)?,
            RequirementsSpec::Custom(r) => r.clone(),
        };
        r.validate()?;
        Ok(r)
    }
}

/// Objective weights. Coverage is scaled far above damage so that, in
/// practice, no amount of damage buys back a missing boon (coverage first),
/// while still letting damage and preferences break ties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Points per unit of weighted requirement coverage in a party.
    #[serde(default = "default_coverage_weight")]
    pub coverage_weight: f64,
    /// Points per player at the highest damage score among all options.
    #[serde(default = "one")]
    pub damage_weight: f64,
    /// Points per unit of (player weight × option preference).
    #[serde(default = "one")]
    pub preference_weight: f64,
}

fn default_coverage_weight() -> f64 {
    1000.0
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            coverage_weight: default_coverage_weight(),
            damage_weight: 1.0,
            preference_weight: 1.0,
        }
    }
}

/// Which solver to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveMethod {
    /// Exhaustive when the search space is small, local search otherwise.
    #[default]
    Auto,
    Exhaustive,
    LocalSearch,
}

/// Solver knobs; the defaults are tuned for 50 players in well under 1 s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverOptions {
    #[serde(default)]
    pub method: SolveMethod,
    /// Seed for the local search (results are deterministic per seed).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Annealing moves per chain (default scales with squad size).
    #[serde(default)]
    pub iterations: Option<usize>,
    /// Independent annealing chains, run in parallel (default 4).
    #[serde(default)]
    pub chains: Option<usize>,
}

fn default_seed() -> u64 {
    0x6732_6f70_7421
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            method: SolveMethod::Auto,
            seed: default_seed(),
            iterations: None,
            chains: None,
        }
    }
}

/// The optimizer's input (`gw2opt squad --input FILE.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SquadInput {
    pub players: Vec<Player>,
    /// Template name ("wvw_zerg", "raid", "strike", "fractal") or a full
    /// requirements object. Defaults to "wvw_zerg".
    #[serde(default)]
    pub requirements: RequirementsSpec,
    /// Overrides the template's party size.
    #[serde(default)]
    pub party_size: Option<usize>,
    /// Number of parties; default is the fewest that fit everyone.
    #[serde(default)]
    pub party_count: Option<usize>,
    #[serde(default)]
    pub objective: Objective,
    #[serde(default)]
    pub solver: SolverOptions,
    /// Replaces the embedded profile rule table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<ProfileBook>,
    /// Factors on the requirements' weights, per resource (`{"stability": 4.0, "might":
    /// 0.25}`): a resource's weight becomes `weight × factor`; resources not named keep
    /// theirs. The server fills this from the selected fight-outcome model when asked for
    /// learned weights (`learning::advice`); the optimizer only multiplies, it never reads a
    /// model. Each factor is finite and in `0..=MAX_WEIGHT_FACTOR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_factors: Option<std::collections::BTreeMap<Resource, f64>>,
}

/// Largest factor [`SquadInput::weight_factors`] accepts: enough to make one requirement
/// outweigh all the others of a template, small enough to keep the objective well scaled.
pub const MAX_WEIGHT_FACTOR: f64 = 100.0;

impl SquadInput {
    /// Input with default settings for the given players and template name.
    pub fn new(players: Vec<Player>, template: &str) -> Self {
        SquadInput {
            players,
            requirements: RequirementsSpec::Template(template.to_string()),
            party_size: None,
            party_count: None,
            objective: Objective::default(),
            solver: SolverOptions::default(),
            profiles: None,
            weight_factors: None,
        }
    }
}

/// How well one requirement is met in one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageEntry {
    pub resource: Resource,
    /// Amount each member gets on average (or party total for strips).
    pub provided: f64,
    pub target: f64,
    /// min(1, provided / target).
    pub coverage: f64,
}

/// A requirement not fully met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub resource: Resource,
    pub provided: f64,
    pub target: f64,
    /// target - provided.
    pub missing: f64,
    pub coverage: f64,
}

/// A player as placed by the optimizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedMember {
    pub player: String,
    pub build: String,
    pub profession: String,
    pub specialization: String,
    pub role: String,
    pub damage: f64,
}

/// One party of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanParty {
    /// 1-based party number, as shown in game.
    pub party: usize,
    pub members: Vec<PlacedMember>,
    pub coverage: Vec<CoverageEntry>,
    pub gaps: Vec<Gap>,
    /// Weighted coverage of this party (0..=sum of weights).
    pub score: f64,
}

/// Which solver produced the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsedMethod {
    Exhaustive,
    LocalSearch,
}

/// How the upper bound was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundKind {
    /// The plan is proven optimal by enumeration.
    Exact,
    /// Linear-programming relaxation (parties aggregated by symmetry).
    LpRelaxation,
    /// Every party fully covered, everyone on their best option.
    Trivial,
}

/// The optimizer's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SquadPlan {
    /// Requirement template name.
    pub requirements: String,
    pub method: UsedMethod,
    pub player_count: usize,
    pub party_size: usize,
    pub parties: Vec<PlanParty>,
    /// Objective value of the plan.
    pub objective: f64,
    /// Proven upper bound on the objective of any plan.
    pub upper_bound: f64,
    pub bound_kind: BoundKind,
    /// (upper_bound - objective) / upper_bound, 0 when proven optimal.
    pub optimality_gap: f64,
    /// Sum over parties of weighted coverage, and its maximum.
    pub coverage_score: f64,
    pub coverage_max: f64,
    /// Sum of the chosen builds' damage scores.
    pub total_damage: f64,
    /// Notes such as profile fallbacks.
    pub warnings: Vec<String>,
}
