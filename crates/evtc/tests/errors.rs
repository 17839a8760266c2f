//! Error values name the offset and what was wrong.

mod common;

use evtc::{Limits, ParseError, Section, ZipError};

fn fixture() -> Vec<u8> {
    evtc::write::write_evtc(&common::skirmish())
}

#[test]
fn empty_and_bad_magic() {
    assert_eq!(evtc::parse(&[]), Err(ParseError::Empty));
    let e = evtc::parse(b"NOPE20240612\x01\x01\x00\x00").unwrap_err();
    assert_eq!(
        e,
        ParseError::BadMagic {
            found: b"NOPE".to_vec()
        }
    );
    assert!(e.to_string().contains("offset 0"));
}

#[test]
fn truncated_header() {
    let e = evtc::parse(b"EVTC2024").unwrap_err();
    assert_eq!(
        e,
        ParseError::Truncated {
            section: Section::Header,
            offset: 0,
            needed: 16,
            available: 8
        }
    );
}

#[test]
fn truncated_agent_table_names_offset() {
    let bytes = fixture();
    // header 16 + count 4 + 2.5 agents
    let cut = &bytes[..16 + 4 + 96 * 2 + 48];
    let e = evtc::parse(cut).unwrap_err();
    match e {
        ParseError::Truncated {
            section: Section::AgentTable,
            offset,
            ..
        } => assert_eq!(offset, 16 + 4 + 96 * 2),
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        e.to_string()
            .contains("truncated agent table at offset 212"),
        "{e}"
    );
}

#[test]
fn absurd_counts_rejected_before_allocating() {
    let mut bytes = fixture();
    bytes[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = evtc::parse(&bytes).unwrap_err();
    assert!(
        matches!(e, ParseError::CountTooLarge { section: Section::AgentTable, offset: 16, count, .. } if count == u64::from(u32::MAX)),
        "{e:?}"
    );
    assert!(e.to_string().contains("too large"));

    let log = common::skirmish();
    let skill_count_off = 16 + 4 + log.agents.len() * 96;
    let mut bytes = fixture();
    bytes[skill_count_off..skill_count_off + 4].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let e = evtc::parse(&bytes).unwrap_err();
    assert!(
        matches!(e, ParseError::CountTooLarge { section: Section::SkillTable, offset, .. } if offset == skill_count_off),
        "{e:?}"
    );
}

#[test]
fn missing_skill_count() {
    let log = common::skirmish();
    let bytes = fixture();
    let cut = &bytes[..16 + 4 + log.agents.len() * 96 + 2];
    let e = evtc::parse(cut).unwrap_err();
    assert!(
        matches!(
            e,
            ParseError::Truncated {
                section: Section::SkillCount,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn partial_trailing_event() {
    let mut bytes = fixture();
    bytes.extend_from_slice(&[1, 2, 3]);
    // lenient by default (like EI), strict on request; the cut is reported
    let log = evtc::parse(&bytes).unwrap();
    assert_eq!(log.events, common::skirmish().events);
    assert_eq!(log.truncated_at, Some(bytes.len() as u64 - 3));
    let strict = Limits {
        strict_event_alignment: true,
        ..Limits::default()
    };
    let e = evtc::parse_with_limits(&bytes, strict).unwrap_err();
    assert!(
        matches!(e, ParseError::PartialEvent { len: 3, offset } if offset == bytes.len() - 3),
        "{e:?}"
    );
}

#[test]
fn zip_bomb_limit() {
    // 4 MiB of zero-filled events compresses to a few KiB
    let mut log = common::skirmish();
    log.events
        .extend(std::iter::repeat_n(evtc::Event::default(), 65_536));
    let z = evtc::write::write_zevtc(&log);
    assert!(z.len() < 64 * 1024);
    let small = Limits {
        max_decompressed_size: 1 << 20,
        ..Limits::default()
    };
    assert_eq!(
        evtc::parse_with_limits(&z, small),
        Err(ParseError::Zip(ZipError::TooLarge { limit: 1 << 20 }))
    );
    assert_eq!(evtc::parse(&z).unwrap().events.len(), log.events.len());
}

#[test]
fn zip_corruption_detected() {
    let z = evtc::write::write_zevtc(&common::skirmish());
    // flip a byte in the compressed payload
    let mut bad = z.clone();
    let mid = 30 + "log.evtc".len() + 20;
    bad[mid] ^= 0xff;
    assert!(matches!(evtc::parse(&bad), Err(ParseError::Zip(_))));
    // truncated archive: no central directory, local sizes point past the end
    let e = evtc::parse(&z[..100]).unwrap_err();
    assert!(
        matches!(e, ParseError::Zip(ZipError::DataOutOfBounds { .. })),
        "{e:?}"
    );
}

#[test]
fn max_events_limit() {
    let l = Limits {
        max_events: 10,
        ..Limits::default()
    };
    let e = evtc::parse_with_limits(&fixture(), l).unwrap_err();
    assert!(matches!(e, ParseError::TooManyEvents { limit: 10, .. }));
}

#[test]
fn progress_reports_reach_total() {
    let bytes = fixture();
    let mut calls = Vec::new();
    evtc::parse_with_progress(&bytes, |d, t| calls.push((d, t))).unwrap();
    assert_eq!(
        calls.last(),
        Some(&(bytes.len() as u64, bytes.len() as u64))
    );
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
}
