//! `gw2`: the pure Guild Wars 2 game model of GW2Optimizer.
//!
//! - [`data`]: the versioned game data snapshot ([`data::GameData::embedded`]) with look-ups by
//!   id and by name: professions, specializations and traits, pets, revenant legends, stat
//!   prefixes with per-slot values, boons and conditions.
//! - [`import`]: rebuilds that snapshot from API responses and discretize's data, given as
//!   strings (see `examples/import.rs`).
//! - [`chatcode`]: in-game chat links, build templates in particular, as raw numbers or
//!   resolved against the data.
//! - [`names_fr`]: the French game client's profession and elite specialization names.
//! - [`model`]: product enums ([`GameMode`], [`Role`]) and the attribute/slot vocabulary.
//!
//! The crate does no I/O and never panics on input: callers (server, CLI) own files and
//! network, and get explicit error enums back.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod build;
pub mod chatcode;
pub mod data;
pub mod import;
pub mod lang;
pub mod model;
pub mod names_fr;

pub use build::{Build, BuildDraft, BuildError};
pub use chatcode::{ChatLink, CodeError, RawBuildCode};
pub use data::GameData;
pub use lang::Lang;
pub use model::{GameMode, Role};
