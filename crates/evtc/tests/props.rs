//! Property tests: round trips and "never panics" on hostile input.

mod common;

use evtc::model::{Agent, Event, Header, Log, Skill};
use evtc::write::{write_evtc, write_zevtc};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = [u8; 64]> {
    proptest::collection::vec(any::<u8>(), 64).prop_map(|v| {
        let mut a = [0u8; 64];
        a.copy_from_slice(&v);
        a
    })
}

fn agent() -> impl Strategy<Value = Agent> {
    (
        any::<u64>(),
        any::<u32>(),
        any::<u32>(),
        any::<[i16; 6]>(),
        name(),
    )
        .prop_map(|(address, profession, is_elite, s, name)| Agent {
            address,
            profession,
            is_elite,
            toughness: s[0],
            concentration: s[1],
            healing: s[2],
            hitbox_width: s[3],
            condition: s[4],
            hitbox_height: s[5],
            name,
        })
}

fn skill() -> impl Strategy<Value = Skill> {
    (any::<i32>(), name()).prop_map(|(id, name)| Skill { id, name })
}

fn event(rev1: bool) -> impl Strategy<Value = Event> {
    (
        (
            any::<i64>(),
            any::<u64>(),
            any::<u64>(),
            any::<i32>(),
            any::<i32>(),
        ),
        (any::<u32>(), any::<u32>(), any::<[u16; 4]>(), any::<u32>()),
        any::<[u8; 12]>(),
    )
        .prop_map(
            move |((time, src, dst, value, buff_dmg), (over, skill, inst, pad), f)| Event {
                time,
                src_agent: src,
                dst_agent: dst,
                value,
                buff_dmg,
                overstack_value: if rev1 { over } else { over & 0xffff },
                skill_id: if rev1 { skill } else { skill & 0xffff },
                src_instid: inst[0],
                dst_instid: inst[1],
                src_master_instid: inst[2],
                dst_master_instid: if rev1 { inst[3] } else { 0 },
                iff: f[0],
                buff: f[1],
                result: f[2],
                is_activation: f[3],
                is_buffremove: f[4],
                is_ninety: f[5],
                is_fifty: f[6],
                is_moving: f[7],
                is_statechange: f[8],
                is_flanking: f[9],
                is_shields: f[10],
                is_offcycle: f[11],
                pad: if rev1 { pad } else { 0 },
            },
        )
}

fn log() -> impl Strategy<Value = Log> {
    (any::<bool>(), any::<[u8; 8]>(), any::<u16>(), any::<u8>()).prop_flat_map(
        |(rev1, build, species_id, spare)| {
            (
                proptest::collection::vec(agent(), 1..8),
                proptest::collection::vec(skill(), 0..8),
                proptest::collection::vec(event(rev1), 1..64),
            )
                .prop_map(move |(agents, skills, events)| Log {
                    header: Header {
                        build,
                        revision: u8::from(rev1),
                        species_id,
                        spare,
                    },
                    agents,
                    skills,
                    events,
                    truncated_at: None,
                })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn parse_write_roundtrip(l in log()) {
        let bytes = write_evtc(&l);
        prop_assert_eq!(evtc::parse(&bytes).unwrap(), l.clone());
        let z = write_zevtc(&l);
        prop_assert_eq!(evtc::parse(&z).unwrap(), l.clone());
        // analysis never panics on arbitrary (but well-formed) logs
        let r = evtc::analyze(&l);
        let _ = r.to_ei_json();
        let _ = r.render_table();
    }

    #[test]
    fn logs_without_agents_or_events_are_not_fights(l in log()) {
        let mut no_agents = l.clone();
        no_agents.agents.clear();
        prop_assert_eq!(
            evtc::parse(&write_evtc(&no_agents)),
            Err(evtc::ParseError::NoAgents { offset: 16 })
        );
        let mut no_events = l.clone();
        no_events.events.clear();
        let bytes = write_evtc(&no_events);
        prop_assert_eq!(
            evtc::parse(&bytes),
            Err(evtc::ParseError::NoEvents { offset: bytes.len() })
        );
        // a cut inside the first event leaves none
        let mut cut = bytes.clone();
        cut.extend_from_slice(&[0u8; 63]);
        prop_assert_eq!(
            evtc::parse(&cut),
            Err(evtc::ParseError::NoEvents { offset: bytes.len() })
        );
    }

    #[test]
    fn a_cut_inside_the_events_keeps_the_complete_ones(l in log(), keep in 0usize..64, extra in 1usize..64) {
        let full = write_evtc(&l);
        let events_off = full.len() - l.events.len() * 64;
        let keep = keep.min(l.events.len() - 1) + 1;
        let cut = &full[..(events_off + keep * 64 + extra.min(63)).min(full.len())];
        let parsed = evtc::parse(cut).unwrap();
        prop_assert_eq!(&parsed.events[..], &l.events[..keep]);
        let at = (events_off + keep * 64) as u64;
        prop_assert_eq!(parsed.truncated_at, (cut.len() as u64 != at).then_some(at));
        prop_assert_eq!(evtc::analyze(&parsed).truncated_at, parsed.truncated_at);
    }

    /// A `.zevtc` is parsed while inflating: the same log, or the same error, as the `.evtc`
    /// inside it (a member that is not a log said as such), for cut and damaged logs too.
    #[test]
    fn zevtc_parses_like_the_evtc_inside(cut in 0usize..5000, flips in proptest::collection::vec((0usize..5000, any::<u8>()), 0..8)) {
        let mut m = write_evtc(&common::busy(cut % 2 == 0));
        m.truncate(cut.min(m.len()));
        for (i, b) in &flips {
            if let Some(x) = m.get_mut(*i) { *x = *b; }
        }
        let z = evtc::zip::write_single("log.evtc", &m);
        let (mut plain_calls, mut zip_calls) = (Vec::new(), Vec::new());
        let plain = evtc::parse_with_progress(&m, |d, t| plain_calls.push((d, t)));
        let zipped = evtc::parse_with_progress(&z, |d, t| zip_calls.push((d, t)));
        match (plain, zipped) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(plain_calls.last(), zip_calls.last());
            }
            (Err(evtc::ParseError::BadMagic { found }), Err(evtc::ParseError::ZipMemberNotEvtc { found: f, .. })) => {
                prop_assert_eq!(found, f);
            }
            (Err(evtc::ParseError::Empty), Err(evtc::ParseError::ZipMemberNotEvtc { found, .. })) => {
                prop_assert!(found.is_empty());
            }
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    #[test]
    fn parse_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = evtc::parse(&bytes);
        let mut with_magic = b"EVTC20240612\x01\x01\x00\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        if let Ok(l) = evtc::parse(&with_magic) {
            let _ = evtc::analyze(&l);
        }
        let mut zipish = b"PK\x03\x04".to_vec();
        zipish.extend_from_slice(&bytes);
        let _ = evtc::parse(&zipish);
    }

    #[test]
    fn truncated_and_mutated_fixture(cut in 0usize..5000, flips in proptest::collection::vec((0usize..5000, any::<u8>()), 0..16)) {
        let full = write_evtc(&common::skirmish());
        let cut = cut.min(full.len());
        if let Ok(l) = evtc::parse(&full[..cut]) {
            let _ = evtc::analyze(&l);
        }
        let mut m = full.clone();
        for (i, b) in &flips {
            if let Some(x) = m.get_mut(*i) { *x = *b; }
        }
        if let Ok(l) = evtc::parse(&m) {
            let r = evtc::analyze(&l);
            let _ = r.to_ei_json();
        }
        let mut z = write_zevtc(&common::skirmish());
        for (i, b) in &flips {
            let n = z.len();
            if let Some(x) = z.get_mut(i % n) { *x = *b; }
        }
        let _ = evtc::parse(&z);
        let _ = evtc::parse(&z[..cut.min(z.len())]);
    }
}
