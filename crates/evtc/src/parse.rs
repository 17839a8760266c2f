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
/// inflating, and one inflating past its declared size or the cap is refused at the first byte
/// past it. A deflated member of declared size is decoded while inflating, 256 KiB at a time, so
/// parsing holds the parsed events (about the inflated size) and one piece; an archive without
/// a declared size (data descriptor) is inflated into one buffer of at most the cap first.
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
    if !crate::zip::is_zip(bytes) {
        return parse_source(&mut SliceSource(bytes), limits, progress);
    }
    let member = crate::zip::locate(bytes, limits.max_decompressed_size)?;
    let name = member.name.clone();
    // A member that does not even start like a log is the archive's fault, not a bad magic at
    // offset 0 of the upload.
    let not_a_log = |e: ParseError| match e {
        ParseError::BadMagic { found } => ParseError::ZipMemberNotEvtc {
            name: name.clone(),
            found,
        },
        ParseError::Empty => ParseError::ZipMemberNotEvtc {
            name: name.clone(),
            found: Vec::new(),
        },
        other => other,
    };
    match crate::zip::Inflater::new(&member, limits.max_decompressed_size) {
        // A deflated member of declared size: events are decoded while inflating, with no
        // buffer of the whole log.
        Some(inflater) => {
            let mut src = InflateSource {
                inflater,
                prefix: Vec::new(),
            };
            match parse_source(&mut src, limits, progress) {
                Ok(log) => Ok(log),
                // A damaged archive is reported as such, even when the damage shows first as a
                // bad log: check the whole member before blaming its content.
                Err(ParseError::Zip(e)) => Err(ParseError::Zip(e)),
                Err(e) => {
                    src.inflater.finish()?;
                    Err(not_a_log(e))
                }
            }
        }
        None => {
            let data = crate::zip::extract_member(bytes, limits.max_decompressed_size)?.data;
            parse_source(&mut SliceSource(&data), limits, progress).map_err(not_a_log)
        }
    }
}

/// Where the `.evtc` bytes come from.
trait Source {
    /// Length of the whole `.evtc` data (the declared size of a zip member).
    fn total(&self) -> usize;
    /// The first `min(n, total)` bytes (or more).
    fn prefix(&mut self, n: usize) -> Result<&[u8], ParseError>;
    /// Hand the bytes from `from` to the end to `sink`, in pieces, then check the source is
    /// intact.
    fn rest(&mut self, from: usize, sink: &mut dyn FnMut(&[u8])) -> Result<(), ParseError>;
}

struct SliceSource<'a>(&'a [u8]);

impl Source for SliceSource<'_> {
    fn total(&self) -> usize {
        self.0.len()
    }
    fn prefix(&mut self, _: usize) -> Result<&[u8], ParseError> {
        Ok(self.0)
    }
    fn rest(&mut self, from: usize, sink: &mut dyn FnMut(&[u8])) -> Result<(), ParseError> {
        for chunk in self
            .0
            .get(from..)
            .unwrap_or(&[])
            .chunks(PROGRESS_EVERY * Event::SIZE)
        {
            sink(chunk);
        }
        Ok(())
    }
}

struct InflateSource<'a> {
    inflater: crate::zip::Inflater<'a>,
    prefix: Vec<u8>,
}

impl Source for InflateSource<'_> {
    fn total(&self) -> usize {
        usize::try_from(self.inflater.declared()).unwrap_or(usize::MAX)
    }
    fn prefix(&mut self, n: usize) -> Result<&[u8], ParseError> {
        let want = n.min(self.total());
        while self.prefix.len() < want {
            let piece = self.inflater.next_chunk()?;
            if piece.is_empty() {
                // next_chunk reports a member shorter than declared when its stream ends
                break;
            }
            self.prefix.extend_from_slice(piece);
        }
        Ok(&self.prefix)
    }
    fn rest(&mut self, from: usize, sink: &mut dyn FnMut(&[u8])) -> Result<(), ParseError> {
        self.prefix(from)?;
        sink(self.prefix.get(from..).unwrap_or(&[]));
        self.prefix = Vec::new();
        loop {
            let piece = self.inflater.next_chunk()?;
            if piece.is_empty() {
                break;
            }
            sink(piece);
        }
        self.inflater.finish()?;
        Ok(())
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

/// The `u32` count at `off` of data `total` bytes long, of which `bytes` is a prefix holding it.
fn read_count(bytes: &[u8], total: usize, off: usize, section: Section) -> Result<u32, ParseError> {
    let truncated = ParseError::Truncated {
        section,
        offset: off,
        needed: 4,
        available: total.saturating_sub(off),
    };
    if off.saturating_add(4) > total {
        return Err(truncated);
    }
    let s = bytes.get(off..off.saturating_add(4)).ok_or(truncated)?;
    Ok(u32::from_le_bytes(arr(s, 0)))
}

/// The table of `count` records after the count at `count_off`, in data `total` bytes long of
/// which `bytes` is a prefix holding the table.
fn table(
    bytes: &[u8],
    total: usize,
    count_off: usize,
    count: u32,
    record: usize,
    section: Section,
) -> Result<&[u8], ParseError> {
    let start = count_off + 4;
    let available = total.saturating_sub(start);
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

/// Where a table of `count` records after the count at `count_off` ends (saturating).
fn table_end(count_off: usize, count: u32, record: usize) -> usize {
    (count as usize)
        .saturating_mul(record)
        .saturating_add(count_off + 4)
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

fn parse_source(
    src: &mut dyn Source,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Log, ParseError> {
    let total_len = src.total();
    if total_len == 0 {
        return Err(ParseError::Empty);
    }
    let total = total_len as u64;
    let header = parse_header(
        src.prefix(Header::SIZE)?
            .get(..total_len.min(Header::SIZE))
            .unwrap_or(&[]),
    )?;

    let agent_count_off = Header::SIZE;
    // A header and nothing after it, or an agent count of 0: nothing took part, not a fight.
    if total_len == agent_count_off {
        return Err(ParseError::NoAgents {
            offset: agent_count_off,
        });
    }
    let agent_count = read_count(
        src.prefix(agent_count_off + 4)?,
        total_len,
        agent_count_off,
        Section::AgentCount,
    )?;
    if agent_count == 0 {
        return Err(ParseError::NoAgents {
            offset: agent_count_off,
        });
    }
    let agents: Vec<Agent> = {
        let end = table_end(agent_count_off, agent_count, Agent::SIZE);
        // A table longer than the data is refused from its count alone: read nothing more.
        let bytes = if end <= total_len {
            src.prefix(end)?
        } else {
            &[]
        };
        table(
            bytes,
            total_len,
            agent_count_off,
            agent_count,
            Agent::SIZE,
            Section::AgentTable,
        )?
        .chunks_exact(Agent::SIZE)
        .filter_map(|c| <&[u8; Agent::SIZE]>::try_from(c).ok())
        .map(parse_agent)
        .collect()
    };

    let skill_count_off = agent_count_off + 4 + agents.len() * Agent::SIZE;
    let skill_count = read_count(
        src.prefix(skill_count_off + 4)?,
        total_len,
        skill_count_off,
        Section::SkillCount,
    )?;
    let skills: Vec<Skill> = {
        let end = table_end(skill_count_off, skill_count, Skill::SIZE);
        // A table longer than the data is refused from its count alone: read nothing more.
        let bytes = if end <= total_len {
            src.prefix(end)?
        } else {
            &[]
        };
        table(
            bytes,
            total_len,
            skill_count_off,
            skill_count,
            Skill::SIZE,
            Section::SkillTable,
        )?
        .chunks_exact(Skill::SIZE)
        .map(|c| Skill {
            id: i32::from_le_bytes(arr(c, 0)),
            name: arr::<NAME_LEN>(c, 4),
        })
        .collect()
    };

    let events_off = skill_count_off + 4 + skills.len() * Skill::SIZE;
    let event_len = total_len.saturating_sub(events_off);
    let n = event_len / Event::SIZE;
    let rem = event_len % Event::SIZE;
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
    let mut next_report = events_off + block;
    // Pieces need not end on event boundaries: an event split between two is put together here.
    let mut carry = [0u8; Event::SIZE];
    let mut carried = 0;
    src.rest(events_off, &mut |mut piece: &[u8]| {
        done += piece.len();
        if carried > 0 {
            let take = (Event::SIZE - carried).min(piece.len());
            if let (Some(dst), Some(src)) =
                (carry.get_mut(carried..carried + take), piece.get(..take))
            {
                dst.copy_from_slice(src);
            }
            carried += take;
            piece = piece.get(take..).unwrap_or(&[]);
            if carried == Event::SIZE {
                events.push(decode(&carry));
                carried = 0;
            }
        }
        let whole = piece.len() / Event::SIZE * Event::SIZE;
        let (records, tail) = piece.split_at(whole);
        events.extend(
            records
                .chunks_exact(Event::SIZE)
                .filter_map(|c| <&[u8; Event::SIZE]>::try_from(c).ok())
                .map(decode),
        );
        if let Some(dst) = carry.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
            carried = tail.len();
        }
        if done >= next_report {
            progress(done as u64, total);
            next_report = done + block;
        }
    })?;
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
