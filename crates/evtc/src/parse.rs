//! Binary parser for `.evtc` bytes (and `.zevtc` via [`crate::zip`]).
//!
//! Layout per the arcdps evtc readme and Elite Insights `EvtcParser.cs`:
//! 16-byte header, `u32` agent count + 96-byte agents, `u32` skill count +
//! 68-byte skills, then 64-byte combat events up to the end of the data
//! (EI: `cbtItemCount = (Length - Position) / 64`).
//!
//! Counts are checked against the remaining bytes before anything is allocated,
//! so memory stays bounded by the input size.
//!
//! A file cut inside the combat events (arcdps stopped mid-write, e.g. a crashed client) keeps
//! its complete events and reports where the incomplete one starts ([`Log::truncated_at`]);
//! EI likewise reads `(Length - Position) / 64` events. A cut before the events (header, agent
//! or skill table) is an error. A log without agents or without a single complete event is not
//! a fight ([`ParseError::NoAgents`], [`ParseError::NoEvents`]).

use crate::error::{ParseError, Section};
use crate::model::{Agent, Event, Header, Log, Skill, NAME_LEN};

/// Parsing limits.
///
/// A service should set `max_decompressed_size` near its upload limit
/// ([`Limits::with_max_decompressed_size`]): a `.zevtc` declaring more is refused before
/// inflating, and one inflating to more is refused at the first byte past the cap, so parsing
/// holds at most about the cap in inflated data (plus the parsed events, about as large).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of the decompressed `.evtc` inside a `.zevtc` (default 512 MiB).
    pub max_decompressed_size: u64,
    /// Maximum number of combat events (default: unlimited, i.e. bounded by input size).
    pub max_events: usize,
    /// Reject a trailing partial event instead of ignoring it like EI does.
    pub strict_event_alignment: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decompressed_size: 512 << 20,
            max_events: usize::MAX,
            strict_event_alignment: false,
        }
    }
}

impl Limits {
    /// Default limits with the inflated size of a `.zevtc` capped at `bytes`.
    pub fn with_max_decompressed_size(bytes: u64) -> Self {
        Limits {
            max_decompressed_size: bytes,
            ..Limits::default()
        }
    }
}

/// How often (in events) the progress callback is invoked.
const PROGRESS_EVERY: usize = 1 << 16;

/// Parse `.evtc` or `.zevtc` bytes (zip detected by its "PK" signature).
pub fn parse(bytes: &[u8]) -> Result<Log, ParseError> {
    parse_with(bytes, &Limits::default(), &mut |_, _| {})
}

/// Parse with explicit limits.
pub fn parse_with_limits(bytes: &[u8], limits: Limits) -> Result<Log, ParseError> {
    parse_with(bytes, &limits, &mut |_, _| {})
}

/// Parse, reporting `(done_bytes, total_bytes)` of the (decompressed) evtc data
/// periodically and once at the end.
pub fn parse_with_progress(
    bytes: &[u8],
    mut progress: impl FnMut(u64, u64),
) -> Result<Log, ParseError> {
    parse_with(bytes, &Limits::default(), &mut progress)
}

/// Parse with limits and a progress callback.
pub fn parse_with(
    bytes: &[u8],
    limits: &Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Log, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if crate::zip::is_zip(bytes) {
        let member = crate::zip::extract_member(bytes, limits.max_decompressed_size)?;
        // A member that does not even start like a log is the archive's fault, not a bad
        // magic at offset 0 of the upload.
        parse_evtc(&member.data, limits, progress).map_err(|e| match e {
            ParseError::BadMagic { found } => ParseError::ZipMemberNotEvtc {
                name: member.name.clone(),
                found,
            },
            ParseError::Empty => ParseError::ZipMemberNotEvtc {
                name: member.name.clone(),
                found: Vec::new(),
            },
            other => other,
        })
    } else {
        parse_evtc(bytes, limits, progress)
    }
}

#[inline(always)]
fn arr<const N: usize>(b: &[u8], off: usize) -> [u8; N] {
    // Callers guarantee bounds via the fixed-size records; fall back to zeros
    // rather than panicking.
    b.get(off..off + N)
        .and_then(|s| s.try_into().ok())
        .unwrap_or([0u8; N])
}

fn read_count(bytes: &[u8], off: usize, section: Section) -> Result<u32, ParseError> {
    let s = bytes
        .get(off..off.saturating_add(4))
        .ok_or(ParseError::Truncated {
            section,
            offset: off,
            needed: 4,
            available: bytes.len().saturating_sub(off),
        })?;
    Ok(u32::from_le_bytes(arr(s, 0)))
}

fn table(
    bytes: &[u8],
    count_off: usize,
    count: u32,
    record: usize,
    section: Section,
) -> Result<&[u8], ParseError> {
    let start = count_off + 4;
    let available = bytes.len().saturating_sub(start);
    let needed = u64::from(count) * record as u64;
    if needed > available as u64 {
        // Distinguish an absurd count (far more records than the rest of the
        // file could hold) from a file that simply ends inside the table.
        let fit = (available / record) as u64;
        if u64::from(count) > fit.saturating_mul(2).saturating_add(16) {
            return Err(ParseError::CountTooLarge {
                section,
                offset: count_off,
                count: u64::from(count),
                needed,
                available,
            });
        }
        return Err(ParseError::Truncated {
            section,
            offset: start + (available / record) * record,
            needed: needed as usize,
            available,
        });
    }
    Ok(bytes.get(start..start + needed as usize).unwrap_or(&[]))
}

fn parse_header(bytes: &[u8]) -> Result<Header, ParseError> {
    let h: &[u8; Header::SIZE] = match bytes.get(..Header::SIZE).and_then(|s| s.try_into().ok()) {
        Some(h) => h,
        None => {
            if !bytes.starts_with(&b"EVTC"[..bytes.len().min(4)]) {
                return Err(ParseError::BadMagic {
                    found: bytes.iter().take(4).copied().collect(),
                });
            }
            return Err(ParseError::Truncated {
                section: Section::Header,
                offset: 0,
                needed: Header::SIZE,
                available: bytes.len(),
            });
        }
    };
    if &h[..4] != b"EVTC" {
        return Err(ParseError::BadMagic {
            found: h[..4].to_vec(),
        });
    }
    Ok(Header {
        build: arr(h, 4),
        revision: h[12],
        species_id: u16::from_le_bytes([h[13], h[14]]),
        spare: h[15],
    })
}

fn parse_agent(r: &[u8; Agent::SIZE]) -> Agent {
    Agent {
        address: u64::from_le_bytes(arr(r, 0)),
        profession: u32::from_le_bytes(arr(r, 8)),
        is_elite: u32::from_le_bytes(arr(r, 12)),
        toughness: i16::from_le_bytes(arr(r, 16)),
        concentration: i16::from_le_bytes(arr(r, 18)),
        healing: i16::from_le_bytes(arr(r, 20)),
        hitbox_width: i16::from_le_bytes(arr(r, 22)),
        condition: i16::from_le_bytes(arr(r, 24)),
        hitbox_height: i16::from_le_bytes(arr(r, 26)),
        name: arr::<NAME_LEN>(r, 28),
    }
}

/// Decode one revision 1 event (see [`Event`] for offsets).
#[inline(always)]
pub(crate) fn decode_rev1(r: &[u8; 64]) -> Event {
    Event {
        time: i64::from_le_bytes(arr(r, 0)),
        src_agent: u64::from_le_bytes(arr(r, 8)),
        dst_agent: u64::from_le_bytes(arr(r, 16)),
        value: i32::from_le_bytes(arr(r, 24)),
        buff_dmg: i32::from_le_bytes(arr(r, 28)),
        overstack_value: u32::from_le_bytes(arr(r, 32)),
        skill_id: u32::from_le_bytes(arr(r, 36)),
        src_instid: u16::from_le_bytes([r[40], r[41]]),
        dst_instid: u16::from_le_bytes([r[42], r[43]]),
        src_master_instid: u16::from_le_bytes([r[44], r[45]]),
        dst_master_instid: u16::from_le_bytes([r[46], r[47]]),
        iff: r[48],
        buff: r[49],
        result: r[50],
        is_activation: r[51],
        is_buffremove: r[52],
        is_ninety: r[53],
        is_fifty: r[54],
        is_moving: r[55],
        is_statechange: r[56],
        is_flanking: r[57],
        is_shields: r[58],
        is_offcycle: r[59],
        pad: u32::from_le_bytes([r[60], r[61], r[62], r[63]]),
    }
}

/// Decode one revision 0 event (see [`Event`] for offsets).
#[inline(always)]
pub(crate) fn decode_rev0(r: &[u8; 64]) -> Event {
    Event {
        time: i64::from_le_bytes(arr(r, 0)),
        src_agent: u64::from_le_bytes(arr(r, 8)),
        dst_agent: u64::from_le_bytes(arr(r, 16)),
        value: i32::from_le_bytes(arr(r, 24)),
        buff_dmg: i32::from_le_bytes(arr(r, 28)),
        overstack_value: u32::from(u16::from_le_bytes([r[32], r[33]])),
        skill_id: u32::from(u16::from_le_bytes([r[34], r[35]])),
        src_instid: u16::from_le_bytes([r[36], r[37]]),
        dst_instid: u16::from_le_bytes([r[38], r[39]]),
        src_master_instid: u16::from_le_bytes([r[40], r[41]]),
        dst_master_instid: 0,
        // r[42..51]: iss_offset .. skar_use_alt, unused
        iff: r[51],
        buff: r[52],
        result: r[53],
        is_activation: r[54],
        is_buffremove: r[55],
        is_ninety: r[56],
        is_fifty: r[57],
        is_moving: r[58],
        is_statechange: r[59],
        is_flanking: r[60],
        is_shields: r[61],
        is_offcycle: r[62],
        // r[63]: pad64, unused
        pad: 0,
    }
}

fn parse_evtc(
    bytes: &[u8],
    limits: &Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Log, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    let total = bytes.len() as u64;
    let header = parse_header(bytes)?;

    let agent_count_off = Header::SIZE;
    // A header and nothing after it, or an agent count of 0: nothing took part, not a fight.
    if bytes.len() == agent_count_off {
        return Err(ParseError::NoAgents {
            offset: agent_count_off,
        });
    }
    let agent_count = read_count(bytes, agent_count_off, Section::AgentCount)?;
    if agent_count == 0 {
        return Err(ParseError::NoAgents {
            offset: agent_count_off,
        });
    }
    let agent_bytes = table(
        bytes,
        agent_count_off,
        agent_count,
        Agent::SIZE,
        Section::AgentTable,
    )?;
    let agents: Vec<Agent> = agent_bytes
        .chunks_exact(Agent::SIZE)
        .filter_map(|c| <&[u8; Agent::SIZE]>::try_from(c).ok())
        .map(parse_agent)
        .collect();

    let skill_count_off = agent_count_off + 4 + agent_bytes.len();
    let skill_count = read_count(bytes, skill_count_off, Section::SkillCount)?;
    let skill_bytes = table(
        bytes,
        skill_count_off,
        skill_count,
        Skill::SIZE,
        Section::SkillTable,
    )?;
    let skills: Vec<Skill> = skill_bytes
        .chunks_exact(Skill::SIZE)
        .map(|c| Skill {
            id: i32::from_le_bytes(arr(c, 0)),
            name: arr::<NAME_LEN>(c, 4),
        })
        .collect();

    let events_off = skill_count_off + 4 + skill_bytes.len();
    let event_bytes = bytes.get(events_off..).unwrap_or(&[]);
    let n = event_bytes.len() / Event::SIZE;
    let rem = event_bytes.len() % Event::SIZE;
    if rem != 0 && limits.strict_event_alignment {
        return Err(ParseError::PartialEvent {
            offset: events_off + n * Event::SIZE,
            len: rem,
        });
    }
    if n == 0 {
        return Err(ParseError::NoEvents { offset: events_off });
    }
    if n > limits.max_events {
        return Err(ParseError::TooManyEvents {
            count: n,
            limit: limits.max_events,
        });
    }
    progress(events_off as u64, total);

    let mut events = Vec::with_capacity(n);
    let decode = if header.revision >= 1 {
        decode_rev1
    } else {
        decode_rev0
    };
    let block = PROGRESS_EVERY * Event::SIZE;
    let mut done = events_off;
    for chunk in event_bytes.chunks(block) {
        events.extend(
            chunk
                .chunks_exact(Event::SIZE)
                .filter_map(|c| <&[u8; Event::SIZE]>::try_from(c).ok())
                .map(decode),
        );
        done += chunk.len();
        progress(done as u64, total);
    }
    progress(total, total);
    // A log cut inside an event (a crashed client): keep the complete events, say where the
    // incomplete one starts.
    let truncated_at = (rem != 0).then(|| (events_off + n * Event::SIZE) as u64);
    Ok(Log {
        header,
        agents,
        skills,
        events,
        truncated_at,
    })
}
