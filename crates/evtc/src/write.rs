//! Writer for the EVTC binary layout (the inverse of [`crate::parse`]) plus a
//! [`LogBuilder`] to assemble synthetic logs for tests, benches and fixtures.
//!
//! `parse(&write_evtc(&log)) == log` for any log whose events fit the header's
//! revision (revision 0 stores `overstack_value`/`skill_id` as u16 and has no
//! `dst_master_instid`/`pad`).

use crate::event::{iff, result, StateChange, HEALING_EXTENSION_SIGNATURE};
use crate::model::{Agent, Event, Header, Log, Skill, NAME_LEN};

/// Serialise a log as `.evtc` bytes.
pub fn write_evtc(log: &Log) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        Header::SIZE
            + 8
            + log.agents.len() * Agent::SIZE
            + log.skills.len() * Skill::SIZE
            + log.events.len() * 64,
    );
    write_header(&mut out, &log.header);
    out.extend_from_slice(&(log.agents.len() as u32).to_le_bytes());
    for a in &log.agents {
        write_agent(&mut out, a);
    }
    out.extend_from_slice(&(log.skills.len() as u32).to_le_bytes());
    for s in &log.skills {
        out.extend_from_slice(&s.id.to_le_bytes());
        out.extend_from_slice(&s.name);
    }
    let rev1 = log.header.revision >= 1;
    for e in &log.events {
        let rec = if rev1 { encode_rev1(e) } else { encode_rev0(e) };
        out.extend_from_slice(&rec);
    }
    out
}

/// Serialise a log as a `.zevtc` archive (one deflated entry).
pub fn write_zevtc(log: &Log) -> Vec<u8> {
    crate::zip::write_single("log.evtc", &write_evtc(log))
}

fn write_header(out: &mut Vec<u8>, h: &Header) {
    out.extend_from_slice(b"EVTC");
    out.extend_from_slice(&h.build);
    out.push(h.revision);
    out.extend_from_slice(&h.species_id.to_le_bytes());
    out.push(h.spare);
}

fn write_agent(out: &mut Vec<u8>, a: &Agent) {
    out.extend_from_slice(&a.address.to_le_bytes());
    out.extend_from_slice(&a.profession.to_le_bytes());
    out.extend_from_slice(&a.is_elite.to_le_bytes());
    for v in [
        a.toughness,
        a.concentration,
        a.healing,
        a.hitbox_width,
        a.condition,
        a.hitbox_height,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&a.name);
    out.extend_from_slice(&[0u8; 4]);
}

fn put(rec: &mut [u8; 64], off: usize, bytes: &[u8]) {
    for (d, s) in rec.iter_mut().skip(off).zip(bytes) {
        *d = *s;
    }
}

/// Encode one event in the revision 1 layout.
pub fn encode_rev1(e: &Event) -> [u8; 64] {
    let mut r = [0u8; 64];
    put(&mut r, 0, &e.time.to_le_bytes());
    put(&mut r, 8, &e.src_agent.to_le_bytes());
    put(&mut r, 16, &e.dst_agent.to_le_bytes());
    put(&mut r, 24, &e.value.to_le_bytes());
    put(&mut r, 28, &e.buff_dmg.to_le_bytes());
    put(&mut r, 32, &e.overstack_value.to_le_bytes());
    put(&mut r, 36, &e.skill_id.to_le_bytes());
    put(&mut r, 40, &e.src_instid.to_le_bytes());
    put(&mut r, 42, &e.dst_instid.to_le_bytes());
    put(&mut r, 44, &e.src_master_instid.to_le_bytes());
    put(&mut r, 46, &e.dst_master_instid.to_le_bytes());
    put(&mut r, 48, &flag_bytes(e));
    put(&mut r, 60, &e.pad.to_le_bytes());
    r
}

/// Encode one event in the revision 0 layout (u16 overstack/skill id; fields
/// that revision 0 lacks are dropped).
pub fn encode_rev0(e: &Event) -> [u8; 64] {
    let mut r = [0u8; 64];
    put(&mut r, 0, &e.time.to_le_bytes());
    put(&mut r, 8, &e.src_agent.to_le_bytes());
    put(&mut r, 16, &e.dst_agent.to_le_bytes());
    put(&mut r, 24, &e.value.to_le_bytes());
    put(&mut r, 28, &e.buff_dmg.to_le_bytes());
    put(&mut r, 32, &(e.overstack_value as u16).to_le_bytes());
    put(&mut r, 34, &(e.skill_id as u16).to_le_bytes());
    put(&mut r, 36, &e.src_instid.to_le_bytes());
    put(&mut r, 38, &e.dst_instid.to_le_bytes());
    put(&mut r, 40, &e.src_master_instid.to_le_bytes());
    put(&mut r, 51, &flag_bytes(e));
    r
}

/// Handle to an agent added to a [`LogBuilder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgentRef {
    pub address: u64,
    pub instid: u16,
}

/// Convenience builder for synthetic logs.
#[derive(Clone, Debug)]
pub struct LogBuilder {
    log: Log,
    next_addr: u64,
    next_instid: u16,
}

impl Default for LogBuilder {
    fn default() -> Self {
        Self::new(Header::SPECIES_WVW)
    }
}

impl LogBuilder {
    /// Start a revision 1 log for `species_id` (1 = WvW).
    pub fn new(species_id: u16) -> Self {
        LogBuilder {
            log: Log {
                header: Header {
                    species_id,
                    ..Header::default()
                },
                ..Log::default()
            },
            next_addr: 0x1000,
            next_instid: 1,
        }
    }

    /// Set the arcdps build date (8 ASCII bytes).
    pub fn build_date(mut self, date: &str) -> Self {
        let mut b = [b'0'; 8];
        for (d, s) in b.iter_mut().zip(date.bytes()) {
            *d = s;
        }
        self.log.header.build = b;
        self
    }

    /// Set the event layout revision.
    pub fn revision(mut self, revision: u8) -> Self {
        self.log.header.revision = revision;
        self
    }

    fn push_agent(&mut self, profession: u32, is_elite: u32, name: [u8; NAME_LEN]) -> AgentRef {
        let r = AgentRef {
            address: self.next_addr,
            instid: self.next_instid,
        };
        self.next_addr += 0x10;
        self.next_instid = self.next_instid.wrapping_add(1).max(1);
        self.log.agents.push(Agent {
            address: r.address,
            profession,
            is_elite,
            toughness: 0,
            concentration: 0,
            healing: 0,
            hitbox_width: 48,
            condition: 0,
            hitbox_height: 240,
            name,
        });
        r
    }

    /// Add a player with an account and subgroup (squad member or ally).
    pub fn player(
        &mut self,
        character: &str,
        account: &str,
        subgroup: u8,
        profession: u32,
        elite: u32,
    ) -> AgentRef {
        self.push_agent(
            profession,
            elite,
            Agent::player_name(character, account, subgroup),
        )
    }

    /// Add an enemy player (WvW enemies have no account name).
    pub fn enemy_player(&mut self, character: &str, profession: u32, elite: u32) -> AgentRef {
        self.push_agent(profession, elite, Agent::player_name(character, "", 0))
    }

    /// Add an NPC with a species id.
    pub fn npc(&mut self, name: &str, species_id: u16) -> AgentRef {
        self.push_agent(u32::from(species_id), 0xffff_ffff, Agent::plain_name(name))
    }

    /// Add a skill table entry.
    pub fn skill(&mut self, id: i32, name: &str) -> &mut Self {
        self.log.skills.push(Skill {
            id,
            name: crate::model::fixed_name(name.as_bytes()),
        });
        self
    }

    /// Push a raw event.
    pub fn event(&mut self, e: Event) -> &mut Self {
        self.log.events.push(e);
        self
    }

    /// Push a statechange event about `agent`.
    pub fn state(&mut self, time: i64, agent: AgentRef, sc: StateChange) -> &mut Self {
        self.event(Event {
            time,
            src_agent: agent.address,
            src_instid: agent.instid,
            is_statechange: sc.into(),
            ..Event::default()
        })
    }

    /// Log start (squad combat start) at `time`, with a server unix timestamp.
    pub fn log_start(&mut self, time: i64, unix: u32) -> &mut Self {
        self.event(Event {
            time,
            value: unix as i32,
            is_statechange: StateChange::LogStart.into(),
            ..Event::default()
        })
    }

    /// Log end at `time`.
    pub fn log_end(&mut self, time: i64, unix: u32) -> &mut Self {
        self.event(Event {
            time,
            value: unix as i32,
            is_statechange: StateChange::LogEnd.into(),
            ..Event::default()
        })
    }

    /// Recording player.
    pub fn pov(&mut self, time: i64, agent: AgentRef) -> &mut Self {
        self.state(time, agent, StateChange::PointOfView)
    }

    /// Team change: `dst_agent` = new team id.
    pub fn team(&mut self, time: i64, agent: AgentRef, team: u64) -> &mut Self {
        self.event(Event {
            time,
            src_agent: agent.address,
            src_instid: agent.instid,
            dst_agent: team,
            is_statechange: StateChange::TeamChange.into(),
            ..Event::default()
        })
    }

    /// Enter combat with subgroup in `dst_agent`.
    pub fn enter_combat(&mut self, time: i64, agent: AgentRef, subgroup: u64) -> &mut Self {
        self.event(Event {
            time,
            src_agent: agent.address,
            src_instid: agent.instid,
            dst_agent: subgroup,
            is_statechange: StateChange::EnterCombat.into(),
            ..Event::default()
        })
    }

    /// Map id statechange (`src_agent` = map id).
    pub fn map_id(&mut self, time: i64, map: u64) -> &mut Self {
        self.event(Event {
            time,
            src_agent: map,
            is_statechange: StateChange::MapId.into(),
            ..Event::default()
        })
    }

    /// Game build statechange (`src_agent` = build).
    pub fn gw_build(&mut self, time: i64, build: u64) -> &mut Self {
        self.event(Event {
            time,
            src_agent: build,
            is_statechange: StateChange::GwBuild.into(),
            ..Event::default()
        })
    }

    /// Commander tag marker (`buff != 0` = commander) with marker id `value`.
    pub fn commander_tag(&mut self, time: i64, agent: AgentRef) -> &mut Self {
        self.event(Event {
            time,
            src_agent: agent.address,
            src_instid: agent.instid,
            value: 1,
            buff: 1,
            is_statechange: StateChange::Marker.into(),
            ..Event::default()
        })
    }

    /// Position update: `dst_agent` = float x | float y << 32, `value` = float z.
    pub fn position(&mut self, time: i64, agent: AgentRef, x: f32, y: f32, z: f32) -> &mut Self {
        self.event(Event {
            time,
            src_agent: agent.address,
            src_instid: agent.instid,
            dst_agent: u64::from(x.to_bits()) | (u64::from(y.to_bits()) << 32),
            value: z.to_bits() as i32,
            is_statechange: StateChange::Position.into(),
            ..Event::default()
        })
    }

    /// Direct (strike) damage event.
    pub fn strike(
        &mut self,
        time: i64,
        src: AgentRef,
        dst: AgentRef,
        skill: u32,
        damage: i32,
        res: u8,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: src.address,
            dst_agent: dst.address,
            src_instid: src.instid,
            dst_instid: dst.instid,
            value: damage,
            skill_id: skill,
            iff: iff::FOE,
            result: res,
            ..Event::default()
        })
    }

    /// Strike damage with part of it absorbed by barrier (`overstack_value`).
    pub fn strike_shielded(
        &mut self,
        time: i64,
        src: AgentRef,
        dst: AgentRef,
        skill: u32,
        damage: i32,
        shield: u32,
    ) -> &mut Self {
        self.strike(time, src, dst, skill, damage, result::NORMAL);
        if let Some(e) = self.log.events.last_mut() {
            e.overstack_value = shield;
            e.is_shields = 1;
        }
        self
    }

    /// Strike damage dealt by a minion of `master`.
    pub fn minion_strike(
        &mut self,
        time: i64,
        minion: AgentRef,
        master: AgentRef,
        dst: AgentRef,
        skill: u32,
        damage: i32,
    ) -> &mut Self {
        self.strike(time, minion, dst, skill, damage, result::NORMAL);
        if let Some(e) = self.log.events.last_mut() {
            e.src_master_instid = master.instid;
        }
        self
    }

    /// Buff (condition) damage tick.
    pub fn condi(
        &mut self,
        time: i64,
        src: AgentRef,
        dst: AgentRef,
        buff_id: u32,
        damage: i32,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: src.address,
            dst_agent: dst.address,
            src_instid: src.instid,
            dst_instid: dst.instid,
            buff_dmg: damage,
            skill_id: buff_id,
            buff: 1,
            iff: iff::FOE,
            ..Event::default()
        })
    }

    /// Buff application of `duration` ms from `src` to `dst` with stack id `stack`.
    pub fn buff_apply(
        &mut self,
        time: i64,
        src: AgentRef,
        dst: AgentRef,
        buff_id: u32,
        duration: i32,
        stack: u32,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: src.address,
            dst_agent: dst.address,
            src_instid: src.instid,
            dst_instid: dst.instid,
            value: duration,
            skill_id: buff_id,
            buff: 1,
            iff: iff::FRIEND,
            pad: stack,
            ..Event::default()
        })
    }

    /// All stacks of `buff_id` removed from `target` by `remover`
    /// (`is_buffremove = 1`; src = agent with buff removed, dst = remover).
    pub fn buff_remove_all(
        &mut self,
        time: i64,
        target: AgentRef,
        remover: AgentRef,
        buff_id: u32,
        removed_ms: i32,
        iff_v: u8,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: target.address,
            dst_agent: remover.address,
            src_instid: target.instid,
            dst_instid: remover.instid,
            value: removed_ms,
            buff_dmg: removed_ms,
            skill_id: buff_id,
            buff: 1,
            iff: iff_v,
            is_buffremove: crate::event::buffremove::ALL,
            result: 1,
            ..Event::default()
        })
    }

    /// One stack (`stack`) of `buff_id` removed (`is_buffremove = 2`).
    #[allow(clippy::too_many_arguments)]
    pub fn buff_remove_single(
        &mut self,
        time: i64,
        target: AgentRef,
        remover: AgentRef,
        buff_id: u32,
        removed_ms: i32,
        stack: u32,
        iff_v: u8,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: target.address,
            dst_agent: remover.address,
            src_instid: target.instid,
            dst_instid: remover.instid,
            value: removed_ms,
            buff_dmg: removed_ms,
            skill_id: buff_id,
            buff: 1,
            iff: iff_v,
            is_buffremove: crate::event::buffremove::SINGLE,
            pad: stack,
            ..Event::default()
        })
    }

    /// Skill activation event (`is_activation`), e.g. resurrect start.
    pub fn activation(
        &mut self,
        time: i64,
        src: AgentRef,
        skill: u32,
        kind: u8,
        value: i32,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: src.address,
            src_instid: src.instid,
            skill_id: skill,
            is_activation: kind,
            value,
            ..Event::default()
        })
    }

    /// Healing stats extension event: `amount` healing (or barrier when
    /// `barrier`) from `src` to `dst` (EI `HealingStatsExtensionHandler`:
    /// negative `value`, `is_shields` marks barrier).
    pub fn heal(
        &mut self,
        time: i64,
        src: AgentRef,
        dst: AgentRef,
        skill: u32,
        amount: i32,
        barrier: bool,
    ) -> &mut Self {
        self.event(Event {
            time,
            src_agent: src.address,
            dst_agent: dst.address,
            src_instid: src.instid,
            dst_instid: dst.instid,
            value: -amount,
            skill_id: skill,
            is_shields: u8::from(barrier),
            is_statechange: StateChange::ExtensionCombat.into(),
            pad: HEALING_EXTENSION_SIGNATURE,
            ..Event::default()
        })
    }

    /// Access the log being built.
    pub fn log_mut(&mut self) -> &mut Log {
        &mut self.log
    }

    /// Finish.
    pub fn build(self) -> Log {
        self.log
    }
}

/// Deterministic synthetic WvW fights for benches and load tests.
pub mod synthetic {
    use super::{AgentRef, LogBuilder};
    use crate::event::{iff, result, StateChange};
    use crate::model::Log;

    /// Shape of a synthetic fight.
    #[derive(Clone, Debug)]
    pub struct Config {
        /// Players on the recording squad's side.
        pub squad: usize,
        /// Enemy players.
        pub enemies: usize,
        /// Fight length.
        pub duration_ms: i64,
        /// Simulation tick; every player acts once per tick.
        pub tick_ms: i64,
        pub seed: u64,
        /// Also write every strike outcome EI tells apart (blocks, evades, misses, absorbed
        /// strikes, interrupts, crowd control), invulnerable condition ticks, and a downing and
        /// a killing blow carrying a value with each down and death.
        pub outcomes: bool,
    }

    impl Default for Config {
        /// 10-minute 50-vs-50 fight.
        fn default() -> Self {
            Config {
                squad: 50,
                enemies: 50,
                duration_ms: 600_000,
                tick_ms: 100,
                seed: 0x5eed,
                outcomes: false,
            }
        }
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn range(&mut self, lo: i32, hi: i32) -> i32 {
            lo + (self.next() % (hi - lo).max(1) as u64) as i32
        }
    }

    const BOON_IDS: [u32; 12] = [
        740, 725, 1187, 30328, 717, 718, 726, 743, 1122, 719, 26980, 873,
    ];
    const CONDI_IDS: [u32; 5] = [736, 737, 861, 723, 19426];

    /// Build a fight: per player and tick roughly one strike, one condition
    /// tick, one boon application to a group member, a position update every
    /// third tick, strips/cleanses/heals every few ticks and occasional downs
    /// and deaths (about 4.5 events per player per tick).
    pub fn wvw_fight(cfg: &Config) -> Log {
        let mut rng = Rng(cfg.seed | 1);
        let mut b = LogBuilder::new(1);
        let squad: Vec<AgentRef> = (0..cfg.squad)
            .map(|i| {
                b.player(
                    &format!("Squad {i}"),
                    &format!("squad{i}.{:04}", i % 10_000),
                    (i / 5 + 1) as u8,
                    (i % 9 + 1) as u32,
                    0,
                )
            })
            .collect();
        let enemies: Vec<AgentRef> = (0..cfg.enemies)
            .map(|i| b.enemy_player(&format!("Enemy {i}"), (i % 9 + 1) as u32, 0))
            .collect();
        for (i, id) in BOON_IDS.iter().enumerate() {
            b.skill(*id as i32, &format!("Boon {i}"));
        }
        b.log_start(0, 1_700_000_000);
        if let Some(p) = squad.first() {
            b.pov(0, *p);
            b.commander_tag(0, *p);
        }
        b.map_id(0, 38);
        for p in &squad {
            b.team(0, *p, 100);
        }
        for (i, e) in enemies.iter().enumerate() {
            b.team(0, *e, if i % 2 == 0 { 200 } else { 300 });
        }
        let mut stack = 1u32;
        let ticks = cfg.duration_ms / cfg.tick_ms.max(1);
        for tick in 0..ticks {
            let t = tick * cfg.tick_ms;
            for side in 0..2 {
                let (us, them) = if side == 0 {
                    (&squad, &enemies)
                } else {
                    (&enemies, &squad)
                };
                if us.is_empty() || them.is_empty() {
                    continue;
                }
                for (i, p) in us.iter().enumerate() {
                    let foe = them[rng.below(them.len())];
                    let roll = rng.below(100);
                    let res = if cfg.outcomes {
                        match roll {
                            0..=59 => result::NORMAL,
                            60..=79 => result::CRIT,
                            80..=84 => result::GLANCE,
                            85..=87 => result::BLOCK,
                            88..=89 => result::EVADE,
                            90 => result::BLIND,
                            91 => result::ABSORB,
                            92..=93 => result::INTERRUPT,
                            94 => result::CROWD_CONTROL,
                            _ => result::NORMAL,
                        }
                    } else if roll < 70 {
                        result::NORMAL
                    } else if roll < 95 {
                        result::CRIT
                    } else {
                        result::GLANCE
                    };
                    // (random draws in the same order as without outcomes)
                    let time = t + rng.range(0, 100) as i64;
                    let skill = 9000 + rng.below(50) as u32;
                    let value = rng.range(200, 3000);
                    let value = match res {
                        result::BLOCK | result::EVADE | result::BLIND | result::ABSORB => 0,
                        _ => value,
                    };
                    b.strike(time, *p, foe, skill, value, res);
                    b.condi(
                        t + rng.range(0, 100) as i64,
                        *p,
                        foe,
                        CONDI_IDS[rng.below(CONDI_IDS.len())],
                        rng.range(50, 400),
                    );
                    if cfg.outcomes && rng.below(20) == 0 {
                        // invulnerable target (EI ConditionResult 1-4)
                        if let Some(e) = b.log_mut().events.last_mut() {
                            e.result = 1 + rng.below(4) as u8;
                        }
                    }
                    let group = i / 5 * 5;
                    let mate = us[(group + rng.below(5)).min(us.len() - 1)];
                    b.buff_apply(
                        t,
                        *p,
                        mate,
                        BOON_IDS[rng.below(BOON_IDS.len())],
                        rng.range(1000, 6000),
                        stack,
                    );
                    stack = stack.wrapping_add(1);
                    if tick % 3 == i as i64 % 3 {
                        let x = (i as f32) * 50.0 + (tick as f32 * 0.7).sin() * 300.0;
                        let y = (side as f32) * 2000.0 + (tick as f32 * 0.3).cos() * 300.0;
                        b.position(t, *p, x, y, 0.0);
                    }
                    if tick % 10 == i as i64 % 10 {
                        b.buff_remove_all(
                            t + 50,
                            foe,
                            *p,
                            BOON_IDS[rng.below(BOON_IDS.len())],
                            rng.range(500, 4000),
                            iff::FOE,
                        );
                    }
                    if tick % 20 == i as i64 % 20 {
                        b.buff_remove_all(
                            t + 60,
                            mate,
                            *p,
                            CONDI_IDS[rng.below(CONDI_IDS.len())],
                            rng.range(500, 4000),
                            iff::FRIEND,
                        );
                    }
                    if side == 0 && tick % 4 == i as i64 % 4 {
                        b.heal(t + 70, *p, mate, 9100, rng.range(100, 2000), i % 2 == 0);
                    }
                    if tick % 600 == (i as i64 * 37) % 600 {
                        if cfg.outcomes {
                            b.strike(t + 80, foe, *p, 9001, rng.range(200, 3000), result::DOWNED);
                        }
                        b.state(t + 80, *p, StateChange::ChangeDown);
                        if rng.below(2) == 0 {
                            if cfg.outcomes {
                                let v = rng.range(200, 3000);
                                b.strike(t + 2080, foe, *p, 9001, v, result::KILLING_BLOW);
                            }
                            b.state(t + 2080, *p, StateChange::ChangeDead);
                            b.state(t + 20_080, *p, StateChange::ChangeUp);
                        } else {
                            b.state(t + 3080, *p, StateChange::ChangeUp);
                        }
                    }
                }
            }
        }
        b.log_end(cfg.duration_ms, 1_700_000_600);
        b.build()
    }
}

/// The twelve one-byte flags, in the order both revisions store them (at different offsets).
fn flag_bytes(e: &Event) -> [u8; 12] {
    [
        e.iff,
        e.buff,
        e.result,
        e.is_activation,
        e.is_buffremove,
        e.is_ninety,
        e.is_fifty,
        e.is_moving,
        e.is_statechange,
        e.is_flanking,
        e.is_shields,
        e.is_offcycle,
    ]
}
