//! In-game chat links (`[&` base64 `]`): build templates and the other link types.
//!
//! Two layers for builds:
//! - [`RawBuildCode`] with [`decode_raw`] / [`encode_raw`]: numbers only, no game data needed,
//!   byte-identical round-trip for every structurally valid code (so a service can store and
//!   echo codes it cannot yet resolve, e.g. ones made after a new elite specialization).
//! - [`BuildTemplate`] with [`decode`] / [`encode`]: names and trait ids resolved against
//!   [`GameData`](crate::data::GameData); ids the data does not know are rejected.
//!
//! [`ChatLink`] covers every link type (items, coins, maps, skills, traits, recipes, skins,
//! outfits, WvW objectives, text, builds) with [`ChatLink::decode`] / [`ChatLink::encode`].
//!
//! Parsing is tolerant of surrounding whitespace only. Everything else (wrong header, truncated
//! payload, trailing bytes, invalid or non-canonical base64) is a specific [`CodeError`] that
//! carries the offset at fault: character offsets into the input string for text-level errors,
//! byte offsets into the decoded payload for binary-level errors.

mod base64;
mod build;
mod link;

pub use build::{
    decode, decode_raw, encode, encode_raw, resolve, unresolve, BuildExtension, BuildSkills,
    BuildTemplate, LegendRef, LegendSlots, PaletteSkill, PetRef, PetSlots, ProfessionRef,
    RawBuildCode, RawExtension, RawSkillBar, RawSpecialization, SkillBar, SpecializationRef,
    TraitChoice, TraitPick, WeaponRef, BUILD_HEADER, LEGACY_BUILD_LEN,
};
pub use link::{ChatLink, ItemLink, LinkType};

use thiserror::Error;

/// Everything that can be wrong with a chat code, precise enough for an API error message.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodeError {
    /// The input (after trimming whitespace) does not start with `[&`.
    #[error("not a chat link: expected `[&` at offset {offset}")]
    MissingPrefix { offset: usize },
    /// The input does not end with `]`.
    #[error("unterminated chat link: expected `]` at offset {offset}")]
    MissingSuffix { offset: usize },
    /// `[&]`: nothing between the brackets.
    #[error("empty chat link payload")]
    EmptyPayload,
    /// The base64 text length is not a multiple of 4 (the game always pads with `=`).
    #[error("base64 payload at offset {offset} has length {len}, not a multiple of 4")]
    Base64Length { offset: usize, len: usize },
    /// A character outside the base64 alphabet (or misplaced padding).
    #[error("invalid base64 character {character:?} at offset {offset}")]
    InvalidBase64 { offset: usize, character: char },
    /// The final base64 character carries non-zero padding bits.
    #[error("non-canonical base64 (non-zero padding bits) at offset {offset}")]
    NonCanonicalBase64 { offset: usize },
    /// The first payload byte is not the expected link type.
    #[error("wrong header byte 0x{found:02x} at byte 0, expected 0x{expected:02x}")]
    WrongHeader { expected: u8, found: u8 },
    /// The first payload byte names no known link type.
    #[error("unknown chat link type 0x{header:02x} at byte 0")]
    UnknownLinkType { header: u8 },
    /// The payload ends before a field does.
    #[error("truncated: {needed} more byte(s) needed at byte {offset}, payload has {len}")]
    Truncated {
        offset: usize,
        needed: usize,
        len: usize,
    },
    /// Bytes left over after the last field.
    #[error("{count} trailing byte(s) at byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
    /// The two high bits of a trait-choice byte are set (the game never writes them).
    #[error("trait byte 0x{value:02x} at byte {offset} has padding bits set")]
    TraitPadding { offset: usize, value: u8 },
    /// Item link flags other than skin (0x80) / upgrade 1 (0x40) / upgrade 2 (0x20).
    #[error("unknown item flags 0x{flags:02x} at byte {offset}")]
    UnknownItemFlags { offset: usize, flags: u8 },
    /// A list is longer than its one-byte count allows (encoding only).
    #[error("{what} has {count} entries, at most 255 fit in a chat code")]
    TooManyEntries { what: &'static str, count: usize },

    // ---- resolution against game data ----
    /// The profession code is not in the game data.
    #[error("unknown profession code {code} at byte {offset}")]
    UnknownProfession { offset: usize, code: u8 },
    /// The specialization id is not in the game data.
    #[error("unknown specialization id {id} at byte {offset}")]
    UnknownSpecialization { offset: usize, id: u16 },
    /// The specialization belongs to another profession.
    #[error("specialization {id} at byte {offset} belongs to {actual}, not {expected}")]
    SpecializationProfession {
        offset: usize,
        id: u16,
        expected: String,
        actual: String,
    },
    /// A trait tier points at a major trait the specialization data does not have.
    #[error("specialization {specialization} has no major trait for tier {tier} choice {choice}")]
    UnknownTraitChoice {
        specialization: u16,
        tier: usize,
        choice: u8,
    },
    /// On encode: the trait id is not one of the three majors of that tier.
    #[error(
        "trait {trait_id} is not a {tier_name} major trait of specialization {specialization}"
    )]
    TraitNotInTier {
        specialization: u16,
        tier_name: &'static str,
        trait_id: u32,
    },
    /// On encode: the trait id and the declared choice disagree.
    #[error("trait {trait_id} of specialization {specialization} is choice {actual:?}, not {declared:?}")]
    TraitChoiceMismatch {
        specialization: u16,
        trait_id: u32,
        declared: TraitChoice,
        actual: TraitChoice,
    },
    /// The ranger pet id is not in the game data.
    #[error("unknown pet id {id} at byte {offset}")]
    UnknownPet { offset: usize, id: u8 },
    /// The revenant legend code is not in the game data.
    #[error("unknown legend code {code} at byte {offset}")]
    UnknownLegend { offset: usize, code: u8 },
    /// The weapon type id of the extension is not in the game data.
    #[error("unknown weapon type id {id} at byte {offset}")]
    UnknownWeapon { offset: usize, id: u16 },
    /// Non-zero bytes in the profession-specific block where this profession has no data.
    #[error("unexpected non-zero profession data 0x{value:02x} at byte {offset}")]
    UnexpectedProfessionData { offset: usize, value: u8 },
    /// A skill palette id the profession does not have (its `skills_by_palette`).
    #[error("unknown skill palette id {palette} at byte {offset} for this profession")]
    UnknownPalette { offset: usize, palette: u16 },
    /// A heal, utility or elite skill in another kind of slot.
    #[error("skill {skill} (palette {palette}) at byte {offset} is a {actual} skill, not a {expected} skill")]
    SkillSlot {
        offset: usize,
        palette: u16,
        skill: u32,
        expected: &'static str,
        actual: &'static str,
    },
}

/// Splits `[&...]` into its base64 payload, tolerating surrounding whitespace only, and
/// decodes it. Returns the payload bytes.
pub(crate) fn unwrap_link(input: &str) -> Result<Vec<u8>, CodeError> {
    let lead = input.len() - input.trim_start().len();
    let trimmed = input.trim();
    let bytes = trimmed.as_bytes();
    if !bytes.starts_with(b"[&") {
        return Err(CodeError::MissingPrefix { offset: lead });
    }
    if bytes.len() < 3 || bytes[bytes.len() - 1] != b']' {
        return Err(CodeError::MissingSuffix {
            offset: lead + bytes.len(),
        });
    }
    base64::decode(&bytes[2..bytes.len() - 1], lead + 2)
}

/// Wraps payload bytes as `[&...]`.
pub(crate) fn wrap_link(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(3 + bytes.len().div_ceil(3) * 4);
    out.push_str("[&");
    base64::encode_into(bytes, &mut out);
    out.push(']');
    out
}

/// Little-endian cursor over a payload whose errors carry byte offsets.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(CodeError::Truncated {
                offset: self.pos,
                needed: n - (self.bytes.len() - self.pos),
                len: self.bytes.len(),
            }),
        }
    }

    pub(crate) fn u8(&mut self) -> Result<u8, CodeError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, CodeError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, CodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], CodeError> {
        let b = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    /// Fails with [`CodeError::TrailingBytes`] unless every byte was consumed.
    pub(crate) fn finish(&self) -> Result<(), CodeError> {
        if self.pos < self.bytes.len() {
            return Err(CodeError::TrailingBytes {
                offset: self.pos,
                count: self.bytes.len() - self.pos,
            });
        }
        Ok(())
    }
}
