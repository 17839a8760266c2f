//! Errors of the gear optimizer: every bad input maps to one of these, never to a panic.

use thiserror::Error;

/// Why a gear optimization could not run.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum GearError {
    /// The input JSON text does not match the documented format.
    #[error("invalid gear input JSON: {0}")]
    Json(String),
    /// `profession` is not one of the nine professions.
    #[error("unknown profession {0:?}")]
    UnknownProfession(String),
    /// A stat prefix (affix) name that is not in the game data.
    #[error("unknown stat prefix {0:?} (expected e.g. \"berserker\", \"Viper's\")")]
    UnknownPrefix(String),
    /// A modifier id that is neither inline nor in the modifier library.
    #[error("unknown modifier {0:?} (use an id from gear_modifiers.json, e.g. \"rune:scholar\", or give \"effects\" inline)")]
    UnknownModifier(String),
    /// `affixes` is empty and some slot is not forced.
    #[error("no candidate stat prefixes: give at least one in \"affixes\" or force every slot")]
    NoAffixes,
    /// A forced slot that the chosen weapon type does not have.
    #[error("slot {slot} is not part of a {weapon_type} loadout")]
    SlotNotInLoadout {
        slot: String,
        weapon_type: &'static str,
    },
    /// No candidate prefix exists for a slot (e.g. only trinket-only prefixes for armor).
    #[error("no candidate prefix exists for slot {0}")]
    NoPrefixForSlot(String),
    /// A number that must be finite and within a range is not.
    #[error("{field} must be {expected}, got {value}")]
    InvalidNumber {
        field: String,
        expected: &'static str,
        value: f64,
    },
    /// An input list or count beyond the supported size.
    #[error("{field} is too large: {value} (maximum {max})")]
    TooLarge {
        field: &'static str,
        value: usize,
        max: usize,
    },
    /// A custom stat table that cannot be used.
    #[error("custom stat table {name:?}: {reason}")]
    InvalidCustomAffix { name: String, reason: String },
    /// Two parts of the input say contradictory things.
    #[error("{0}")]
    Conflict(String),
    /// An amount was given for a modifier that has no amount.
    #[error("modifier {0:?} takes no amount")]
    UnexpectedAmount(String),
    /// The modifiers break the monotonicity the exact search relies on.
    #[error("unsupported modifier {id:?}: {reason}")]
    UnsupportedModifier { id: String, reason: String },
    /// No gear combination satisfies the constraints (proven by exhausting the search).
    #[error("no gear combination satisfies the constraints{detail}")]
    Infeasible { detail: String },
    /// The embedded modifier library is unreadable (build defect, guarded by a test).
    #[error("modifier library: {0}")]
    Library(String),
}
