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

#[test]
fn a_cut_inside_the_events_keeps_the_complete_ones() {
    let bytes = fixture();
    let log = common::skirmish();
    let events_off = bytes.len() - log.events.len() * 64;
    // every cut inside the events: complete events kept, the cut reported
    for cut in events_off + 64..bytes.len() {
        let parsed = evtc::parse(&bytes[..cut]).unwrap();
        let complete = (cut - events_off) / 64;
        assert_eq!(parsed.events[..], log.events[..complete], "cut at {cut}");
        let boundary = events_off + complete * 64;
        let expected = (cut != boundary).then_some(boundary as u64);
        assert_eq!(parsed.truncated_at, expected, "cut at {cut}");
        assert_eq!(evtc::analyze(&parsed).truncated_at, expected);
    }
    // every cut before the events is an error, never a shorter fight
    for cut in 0..events_off {
        assert!(evtc::parse(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    assert_eq!(evtc::parse(&bytes).unwrap().truncated_at, None);
}

#[test]
fn truncated_at_is_absent_from_complete_reports_and_old_reports_still_read() {
    let whole = evtc::analyze(&evtc::parse(&fixture()).unwrap());
    let json = serde_json::to_value(&whole).unwrap();
    assert!(json.get("truncated_at").is_none());
    let mut bytes = fixture();
    bytes.truncate(bytes.len() - 20);
    let cut = evtc::analyze(&evtc::parse(&bytes).unwrap());
    let json = serde_json::to_value(&cut).unwrap();
    assert_eq!(json["truncated_at"], (bytes.len() - 44) as u64);
    // a report stored before the field (and the new damage counters) existed
    let mut old = serde_json::to_value(&whole).unwrap();
    for p in old["players"].as_array_mut().unwrap() {
        let d = p["damage"].as_object_mut().unwrap();
        for k in [
            "power",
            "power_to_enemies",
            "life_leech",
            "stats_all",
            "stats_enemies",
        ] {
            d.remove(k);
        }
        p["defense"].as_object_mut().unwrap().remove("power_taken");
    }
    let back: evtc::FightReport = serde_json::from_value(old).unwrap();
    assert_eq!(back.truncated_at, None);
    assert_eq!(back.outcome, whole.outcome);
}

#[test]
fn logs_without_agents_or_events_are_not_fights() {
    let bytes = fixture();
    // header only
    let e = evtc::parse(&bytes[..16]).unwrap_err();
    assert_eq!(e, ParseError::NoAgents { offset: 16 });
    assert!(e.to_string().contains("no agents"), "{e}");
    // agent count 0
    let mut none = bytes[..16].to_vec();
    none.extend_from_slice(&0u32.to_le_bytes());
    none.extend_from_slice(&0u32.to_le_bytes());
    none.extend_from_slice(&[0u8; 64 * 3]);
    assert_eq!(evtc::parse(&none), Err(ParseError::NoAgents { offset: 16 }));
    // agents and skills, no events (and a zevtc of it)
    let log = common::skirmish();
    let events_off = bytes.len() - log.events.len() * 64;
    let e = evtc::parse(&bytes[..events_off]).unwrap_err();
    assert_eq!(e, ParseError::NoEvents { offset: events_off });
    assert!(e.to_string().contains("no combat events"), "{e}");
    let z = evtc::zip::write_single("log.evtc", &bytes[..events_off + 63]);
    assert_eq!(
        evtc::parse(&z),
        Err(ParseError::NoEvents { offset: events_off })
    );
}

#[test]
fn a_zip_whose_member_is_not_a_log_says_so() {
    let z = evtc::zip::write_single("screenshot.png", b"\x89PNG\r\n\x1a\n rest of an image");
    let e = evtc::parse(&z).unwrap_err();
    assert_eq!(
        e,
        ParseError::ZipMemberNotEvtc {
            name: "screenshot.png".into(),
            found: b"\x89PNG".to_vec()
        }
    );
    let msg = e.to_string();
    assert!(
        msg.contains("member \"screenshot.png\" is not an arcdps log")
            && !msg.contains("bad magic"),
        "{msg}"
    );
    let empty = evtc::zip::write_single("log.evtc", b"");
    assert!(matches!(
        evtc::parse(&empty),
        Err(ParseError::ZipMemberNotEvtc { ref name, ref found }) if name == "log.evtc" && found.is_empty()
    ));
    // a bare file with a wrong magic still says bad magic
    assert!(matches!(
        evtc::parse(b"\x89PNG\r\n\x1a\n...............").unwrap_err(),
        ParseError::BadMagic { .. }
    ));
}
