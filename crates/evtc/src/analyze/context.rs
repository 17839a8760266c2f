//! What every tracker shares, read-only: the fight window, who recorded it, and who is who.
//!
//! Built before the trackers run, by a first pass over the events: the roles need the
//! recorder's team, and team changes, the point-of-view event and the commander tag can come
//! anywhere in the log.
//!
//! * Fight window: from the first to the last timed event (statechanges whose `time` is packed
//!   data are skipped, [`StateChange::has_time`]), extended back to the log start
//!   (`CBTS_SQCOMBATSTART`), at most [`MAX_WINDOW_MS`] long.
//! * Roles: a player agent is friendly when it is on the recorder's team (`CBTS_TEAMCHANGE`),
//!   or, without team information, when it has an account name (enemy players have none in WvW
//!   logs). Friendly players with a subgroup (agent name or `CBTS_ENTERCOMBAT`) and an account
//!   are the squad; other friendly players are allies. Everything else is an enemy player or
//!   other.
//! * Minions credit their master (`src_master_instid`, resolved by instance id as EI
//!   `AgentItem.GetFinalMaster` does).

use super::damage::Era;
use super::MAX_WINDOW_MS;
use crate::event::{StateChange, HEALING_EXTENSION_SIGNATURE};
use crate::model::{Agent, Log};
use std::collections::{BTreeMap, HashMap};

/// Fast hasher for u64/u16 keys (agent addresses are already well spread).
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);
impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (i ^ (i >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

/// What an agent is to the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Index into [`Context::tracked`]: a squad member or an ally, who gets a report row.
    Tracked(u32),
    /// An enemy player.
    Enemy,
    Other,
}

/// A squad member or ally.
pub struct Tracked<'a> {
    /// Index into the log's agents.
    pub index: usize,
    pub agent: &'a Agent,
    pub in_squad: bool,
    pub subgroup: u8,
    pub team: Option<u64>,
}

/// The shared, read-only view of one log that the trackers see.
pub struct Context<'a> {
    /// Wire shape of the log's events (see [`super::damage`]).
    pub era: Era,
    /// Fight window, in log time (ms).
    pub start: i64,
    pub end: i64,
    /// `end - start`, never negative.
    pub duration: i64,
    /// Log start / end statechanges: (log time, server unix time).
    pub log_start: Option<(i64, u32)>,
    pub log_end: Option<(i64, u32)>,
    /// The recording agent (`CBTS_POV`), as an agent index.
    pub pov: Option<usize>,
    pub pov_team: Option<u64>,
    /// `CBTS_MAPID`.
    pub map_id: Option<u64>,
    /// `CBTS_GWBUILD`.
    pub gw2_build: Option<u64>,
    /// The healing stats extension left its signature in the log.
    pub healing_extension: bool,
    /// Agent index by address (the first agent with that address).
    pub by_addr: FastMap<u64, usize>,
    /// Agent index by instance id, from the first non-statechange event naming it as source.
    pub instid_map: FastMap<u16, usize>,
    /// Role by agent index.
    pub roles: Vec<Role>,
    /// Squad members and allies, in agent order ([`Role::Tracked`] indexes this).
    pub tracked: Vec<Tracked<'a>>,
    /// The squad member carrying the commander tag (`CBTS_MARKER`), an index into `tracked`.
    pub commander: Option<usize>,
    pub enemy_count: u32,
    pub enemies_by_team: BTreeMap<u64, u32>,
}

impl<'a> Context<'a> {
    /// The first pass over `log`'s events, and the roles.
    pub fn new(log: &'a Log) -> Context<'a> {
        let mut by_addr: FastMap<u64, usize> = FastMap::default();
        for (i, a) in log.agents.iter().enumerate() {
            by_addr.entry(a.address).or_insert(i);
        }

        let mut start = i64::MAX;
        let mut end = i64::MIN;
        let mut log_start: Option<(i64, u32)> = None;
        let mut log_end: Option<(i64, u32)> = None;
        let mut pov: Option<usize> = None;
        let mut map_id = None;
        let mut gw2_build = None;
        let mut team: Vec<Option<u64>> = vec![None; log.agents.len()];
        let mut combat_group: Vec<Option<u8>> = vec![None; log.agents.len()];
        let mut tagged: Vec<bool> = vec![false; log.agents.len()];
        let mut instid_map: FastMap<u16, usize> = FastMap::default();
        let mut healing_extension = false;
        for e in &log.events {
            let sc = e.is_statechange;
            if sc == 0 || StateChange::from(sc).has_time() {
                start = start.min(e.time);
                end = end.max(e.time);
            }
            if sc == 0 {
                if e.src_instid != 0 {
                    if let Some(&a) = by_addr.get(&e.src_agent) {
                        instid_map.entry(e.src_instid).or_insert(a);
                    }
                }
                continue;
            }
            match StateChange::from(sc) {
                StateChange::LogStart if log_start.is_none() => {
                    log_start = Some((e.time, e.value as u32));
                }
                StateChange::LogEnd => log_end = Some((e.time, e.value as u32)),
                StateChange::PointOfView => pov = by_addr.get(&e.src_agent).copied(),
                StateChange::MapId => map_id = Some(e.src_agent),
                StateChange::GwBuild if e.src_agent != 0 => gw2_build = Some(e.src_agent),
                StateChange::TeamChange => {
                    if let Some(&a) = by_addr.get(&e.src_agent) {
                        if e.dst_agent != 0 {
                            if let Some(t) = team.get_mut(a) {
                                *t = Some(e.dst_agent);
                            }
                        }
                    }
                }
                StateChange::EnterCombat => {
                    if let Some(&a) = by_addr.get(&e.src_agent) {
                        if let (Some(g), Ok(sub)) =
                            (combat_group.get_mut(a), u8::try_from(e.dst_agent))
                        {
                            if sub > 0 {
                                *g = Some(sub);
                            }
                        }
                    }
                }
                // The commander tag: `CBTS_MARKER` with `buff != 0` (commander) and a non-zero
                // marker id in `value`.
                StateChange::Marker if e.buff != 0 && e.value != 0 => {
                    if let Some(t) = by_addr.get(&e.src_agent).and_then(|&a| tagged.get_mut(a)) {
                        *t = true;
                    }
                }
                StateChange::Extension | StateChange::ExtensionCombat
                    if e.pad == HEALING_EXTENSION_SIGNATURE =>
                {
                    healing_extension = true;
                }
                _ => {}
            }
        }
        if let Some((t, _)) = log_start {
            start = start.min(t);
        }
        if start > end {
            start = 0;
            end = 0;
        }
        // Bound the analysis window so that all time arithmetic stays far from
        // overflow on hostile input (EI rejects logs longer than 24 h).
        if end.saturating_sub(start) > MAX_WINDOW_MS {
            end = start.saturating_add(MAX_WINDOW_MS);
        }
        let duration = end.saturating_sub(start).max(0);
        let pov_team = pov.and_then(|p| team.get(p).copied().flatten());

        // --- roles ----------------------------------------------------------------
        let mut roles = vec![Role::Other; log.agents.len()];
        let mut tracked: Vec<Tracked> = Vec::new();
        let mut enemies_by_team: BTreeMap<u64, u32> = BTreeMap::new();
        let mut enemy_count = 0u32;
        for (i, a) in log.agents.iter().enumerate() {
            if !a.is_player() {
                continue;
            }
            let t = team.get(i).copied().flatten();
            let has_account = a.account().is_some();
            let subgroup = a
                .subgroup()
                .or_else(|| combat_group.get(i).copied().flatten());
            let friendly = match (pov_team, t) {
                (Some(p), Some(t)) => p == t,
                _ => has_account,
            };
            if friendly {
                let in_squad = subgroup.is_some() && has_account;
                roles[i] = Role::Tracked(tracked.len() as u32);
                tracked.push(Tracked {
                    index: i,
                    agent: a,
                    in_squad,
                    subgroup: subgroup.unwrap_or(0),
                    team: t,
                });
            } else {
                roles[i] = Role::Enemy;
                enemy_count += 1;
                *enemies_by_team.entry(t.unwrap_or(0)).or_insert(0) += 1;
            }
        }
        // Squadless logs (no subgroup info anywhere, EI `MakeSquadless`): treat the
        // friendly players with accounts as the squad, all in one group.
        if !tracked.iter().any(|t| t.in_squad) {
            for t in &mut tracked {
                t.in_squad = t.agent.account().is_some();
            }
        }
        let commander = tracked
            .iter()
            .position(|t| t.in_squad && tagged.get(t.index).copied().unwrap_or(false));

        Context {
            era: Era::of_build(log.header.build_number()),
            start,
            end,
            duration,
            log_start,
            log_end,
            pov,
            pov_team,
            map_id,
            gw2_build,
            healing_extension,
            by_addr,
            instid_map,
            roles,
            tracked,
            commander,
            enemy_count,
            enemies_by_team,
        }
    }

    /// The role of the agent at `addr`.
    #[inline]
    pub fn role_of(&self, addr: u64) -> Role {
        self.by_addr
            .get(&addr)
            .and_then(|&i| self.roles.get(i).copied())
            .unwrap_or(Role::Other)
    }

    /// The role credited with a source: its master's when it has one that is a player (minions
    /// credit their player), its own otherwise.
    #[inline]
    pub fn credit_of(&self, addr: u64, master_instid: u16) -> Role {
        if master_instid != 0 {
            if let Some(&m) = self.instid_map.get(&master_instid) {
                if let Some(r) = self.roles.get(m) {
                    if *r != Role::Other {
                        return *r;
                    }
                }
            }
        }
        self.role_of(addr)
    }

    /// The tracked index of the agent at `addr`, if it is a squad member or ally.
    #[inline]
    pub fn target_of(&self, addr: u64) -> Option<u32> {
        match self.role_of(addr) {
            Role::Tracked(t) => Some(t),
            _ => None,
        }
    }

    /// The tracked index of an agent named by instance id first, address second (EI resolves
    /// healing extension events that way).
    pub fn tracked_by_instid(&self, instid: u16, addr: u64) -> Option<u32> {
        let agent = self
            .instid_map
            .get(&instid)
            .or_else(|| self.by_addr.get(&addr))
            .copied()?;
        match self.roles.get(agent) {
            Some(Role::Tracked(t)) => Some(*t),
            _ => None,
        }
    }

    /// Squad members (not allies).
    pub fn squad_size(&self) -> usize {
        self.tracked.iter().filter(|t| t.in_squad).count()
    }
}
