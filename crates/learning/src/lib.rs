//! The learning loop's pure core: what users create becomes samples, samples become models,
//! models are judged against a trivial baseline by k-fold cross-validation, the best one is
//! selected, a selected fight-outcome model becomes weights for the squad optimizer, and a
//! selected player-contribution model ranks elite specializations.
//!
//! No I/O, no clock: the server's collector reads the database, the caller passes the time.
//!
//! | step | module |
//! | --- | --- |
//! | a stored fight report or build → [`Sample`]s (features + label) | [`features`] |
//! | samples → a numeric matrix with named columns; standardization | [`dataset`] |
//! | k folds (stratified for classes, whole fights for players), seeded | [`folds`] |
//! | the model kinds (linfa): fit, predict, serialize | [`model`] |
//! | scores (accuracy, R²), baselines, permutation importance per fold | [`evaluate`] |
//! | every kind cross-validated, the best selected, registry entries | [`registry`] |
//! | a selected fight-outcome model → per-resource weight factors | [`advice`] |
//! | a selected player-contribution model → elite specializations ranked | [`ranking`] |
//!
//! The tasks ([`Task`]):
//! - `fight_outcome`: did the squad win a WvW fight (more enemies died than squad members),
//!   from its size, the enemy ratio, squad boon uptimes, strips, cleanses, healing, barrier
//!   and profession shares (classification; kinds: logistic regression, decision tree;
//!   baseline: the training folds' majority class; score: accuracy);
//! - `build_rating`: how well a stored build is received (votes, views, saves, team use,
//!   feedback; see [`features::build::rating`]) from its profession, specialization, role,
//!   game mode and stat prefixes (regression; kinds: ridge, lasso; baseline: the training
//!   folds' mean; score: R²);
//! - `player_contribution`: what one squad member brought to a WvW fight compared with the
//!   rest of the squad (the contribution index of [`features::player`]: 1.0 is the squad's
//!   average) from their profession, elite specialization, own boon uptimes, the squad's
//!   size, enemy ratio and composition (regression, as `build_rating`; its folds hold out
//!   whole fights, see [`Task::groups_by_fight`]).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod advice;
pub mod dataset;
pub mod evaluate;
pub mod features;
pub mod folds;
pub mod model;
pub mod ranking;
pub mod registry;
pub mod sample;
#[cfg(feature = "synthetic")]
pub mod synthetic;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use advice::{squad_weights, LearnedWeights};
pub use evaluate::Metric;
pub use model::{ModelKind, TrainedModel};
pub use ranking::{rank_specializations, SpecContribution};
pub use registry::{train, Candidate, Metrics, RegistryEntry, RunInfo, TrainOptions, TrainingRun};
pub use sample::{Sample, Snapshot};

/// What a model learns to predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// A WvW fight won (1) or lost (0) by the squad.
    FightOutcome,
    /// A build's reception score (see [`features::build::rating`]).
    BuildRating,
    /// A squad member's contribution index in a WvW fight (see [`features::player`]).
    PlayerContribution,
}

impl Task {
    pub const ALL: [Task; 3] = [
        Task::FightOutcome,
        Task::BuildRating,
        Task::PlayerContribution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Task::FightOutcome => "fight_outcome",
            Task::BuildRating => "build_rating",
            Task::PlayerContribution => "player_contribution",
        }
    }

    /// Every task's name, comma-separated (for messages that list them).
    pub fn names() -> String {
        Task::ALL.map(Task::as_str).join(", ")
    }

    /// Classification (labels 0/1) or regression.
    pub fn is_classification(self) -> bool {
        matches!(self, Task::FightOutcome)
    }

    /// The model kinds trained for this task, in the order ties are broken.
    pub fn kinds(self) -> &'static [ModelKind] {
        match self {
            Task::FightOutcome => &[ModelKind::LogisticRegression, ModelKind::DecisionTree],
            Task::BuildRating | Task::PlayerContribution => &[ModelKind::Ridge, ModelKind::Lasso],
        }
    }

    /// Whether the samples come in groups that must stay in one fold: the players of one
    /// fight share its squad features and are measured against the same squad mean, so a
    /// fold that held some of a fight's players while training on the others would be
    /// judged on a fight it has half seen. Held-out folds are whole fights
    /// ([`folds::group_folds`], the group being [`Sample::group`]).
    pub fn groups_by_fight(self) -> bool {
        matches!(self, Task::PlayerContribution)
    }

    /// How a model of this task is scored (higher is better for both).
    pub fn metric(self) -> Metric {
        if self.is_classification() {
            Metric::Accuracy
        } else {
            Metric::R2
        }
    }
}

impl std::fmt::Display for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Task {
    type Err = LearnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Task::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| LearnError::UnknownTask(s.to_owned()))
    }
}

/// Why a task could not be learned. Each names what is missing, for the caller to show.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LearnError {
    #[error("unknown task {0:?} (known: {known})", known = Task::names())]
    UnknownTask(String),
    #[error("{task}: {have} samples, at least {need} are needed to cross-validate")]
    NotEnoughSamples {
        task: Task,
        have: usize,
        need: usize,
    },
    #[error(
        "{task}: every sample has the same label, or one label has fewer than {need} samples \
         (labels seen: {counts}); nothing to learn"
    )]
    OneClass {
        task: Task,
        need: usize,
        counts: String,
    },
    #[error(
        "{task}: the samples come from {have} fights, at least {need} are needed to \
         cross-validate (a fight's players stay in one fold)"
    )]
    TooFewFights {
        task: Task,
        have: usize,
        need: usize,
    },
    #[error("{task}: the samples have no features")]
    NoFeatures { task: Task },
    #[error("{task}: a sample has a non-finite value ({what})")]
    NotFinite { task: Task, what: String },
    #[error("{kind} could not be fitted: {message}")]
    Fit { kind: ModelKind, message: String },
    #[error("stored model does not read back: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Options(String),
}
