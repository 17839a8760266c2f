//! Error types. Every variant names the byte offset and what was wrong.

use thiserror::Error;

/// Which part of the file an error refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Header,
    AgentCount,
    AgentTable,
    SkillCount,
    SkillTable,
    Events,
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Section::Header => "header",
            Section::AgentCount => "agent count",
            Section::AgentTable => "agent table",
            Section::SkillCount => "skill count",
            Section::SkillTable => "skill table",
            Section::Events => "combat events",
        })
    }
}

/// Errors from [`crate::parse`] and friends.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    #[error("empty input")]
    Empty,
    #[error("bad magic at offset 0: expected \"EVTC\", found {found:?}")]
    BadMagic { found: Vec<u8> },
    #[error("truncated {section} at offset {offset}: need {needed} bytes, {available} available")]
    Truncated {
        section: Section,
        offset: usize,
        needed: usize,
        available: usize,
    },
    #[error(
        "{section} count {count} at offset {offset} is too large for the file: \
         needs {needed} bytes but only {available} remain"
    )]
    CountTooLarge {
        section: Section,
        offset: usize,
        count: u64,
        needed: u64,
        available: usize,
    },
    #[error("trailing partial combat event at offset {offset}: {len} bytes (events are 64 bytes)")]
    PartialEvent { offset: usize, len: usize },
    #[error("too many combat events: {count} exceeds the configured limit {limit}")]
    TooManyEvents { count: usize, limit: usize },
    #[error("zevtc archive: {0}")]
    Zip(#[from] ZipError),
    #[error(
        "the zevtc archive's member {name:?} is not an arcdps log: it starts with \"{}\" \
         where an arcdps log starts with \"EVTC\"",
        .found.escape_ascii()
    )]
    ZipMemberNotEvtc { name: String, found: Vec<u8> },
    #[error("not a fight: the log has a header but no agents (agent count 0 at offset {offset})")]
    NoAgents { offset: usize },
    #[error("not a fight: the log has no combat events (they would start at offset {offset})")]
    NoEvents { offset: usize },
}

/// Errors reading a `.zevtc` (zip) container.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ZipError {
    #[error("truncated local file header at offset {offset}")]
    TruncatedLocalHeader { offset: usize },
    #[error("bad local file header signature at offset {offset}")]
    BadLocalHeader { offset: usize },
    #[error("bad central directory at offset {offset}")]
    BadCentralDirectory { offset: usize },
    #[error("archive must contain exactly one entry, found {count}")]
    EntryCount { count: u64 },
    #[error("entry uses unsupported compression method {method} (only stored=0 and deflate=8)")]
    UnsupportedMethod { method: u16 },
    #[error("entry is encrypted")]
    Encrypted,
    #[error("zip64 archives are not supported")]
    Zip64,
    #[error("compressed data at offset {offset} with size {size} runs past the end of the input ({len} bytes)")]
    DataOutOfBounds {
        offset: usize,
        size: u64,
        len: usize,
    },
    #[error("entry decompresses to more than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("entry inflates to more than its declared size of {declared} bytes")]
    ExceedsDeclaredSize { declared: u64 },
    #[error("entry declares uncompressed size {declared} but inflated to {actual} bytes")]
    SizeMismatch { declared: u64, actual: u64 },
    #[error("crc32 mismatch: declared {declared:#010x}, computed {actual:#010x}")]
    CrcMismatch { declared: u32, actual: u32 },
    #[error("deflate stream at offset {offset} is corrupt: {message}")]
    Inflate { offset: usize, message: String },
}
