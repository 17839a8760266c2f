//! WvW fight analytics: [`analyze`] turns a parsed [`Log`] into a
//! [`FightReport`].
//!
//! Definitions follow Elite Insights (EI) where it documents them:
//! * damage, hits and their outcomes: see [`damage`] (which events are health damage, which
//!   results are hits, markers or nothing, per arcdps era) and [`DamageStats`] /
//!   [`GameplayCounts`] / [`DefenseStats`] (EI `DamageStatistics`, `OffensiveStatistics`,
//!   `DefensePerTargetStatistics`). `strike` is EI `strikeDamage`, `condi` EI `condiDamage`,
//!   `power` EI `powerDamage`.
//! * downs / kills contributed: result DOWNED (9) / KILLING_BLOW (8) markers from the player or
//!   its minions (EI `statsAll.downed/killed`, `HasDowned`/`HasKilled`); they carry no damage.
//! * deaths / downs: `ChangeDead` / `ChangeDown` statechanges; downed and dead
//!   durations run until the next `ChangeUp`/`ChangeDead`/`Spawn` or fight end
//!   (EI `defenses.downCount/downDuration/deadCount/deadDuration`).
//! * boon strips / cleanses: `is_buffremove == ALL` events credited to the
//!   remover (`dst_agent`, or its master), boons on foes (iff != friend) /
//!   conditions on friends (iff == friend), count and removed ms (EI
//!   `FinalSupport`/`FinalToPlayersSupport`: `boonStrips`, `condiCleanse`,
//!   `condiCleanseSelf`).
//! * healing / barrier: healing stats extension events (EI
//!   `HealingStatsExtensionHandler.IsHealingEvent/IsBarrierEvent`).
//! * distance to commander: mean 2D distance to the commander-tagged squad
//!   member, sampled every 150 ms on last known positions (EI
//!   `FinalGameplayStatsAll.GetDistanceToTarget`, `distToCom`, uses x/y only).
//! * crowd control: events with `result == 12` (readme CBTR_CROWDCONTROL, EI `CrowdControlEvent`).
//! * resurrects: activation starts of skill 1066 (EI `ResurrectCount`).

pub mod buffs;
pub mod damage;
mod ei;
mod table;

use crate::event::{
    activation, buffremove, iff, skill, EventKind, StateChange, HEALING_EXTENSION_SIGNATURE,
};
use crate::model::{Event, Log};
use buffs::{BuffEvent, BuffOp, Stacking, TargetInfo, BOONS, NO_SOURCE};
use damage::{Era, Marker, Row};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Distance sampling period (EI combat replay polling rate).
pub const POLL_MS: i64 = 150;
/// Longest analysed window; later events are clamped to its end.
pub const MAX_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
/// Most distance samples per fight: one hour at [`POLL_MS`]; longer fights are sampled
/// more coarsely. Each sample visits every tracked agent, so this bounds what a hostile log
/// spanning days can cost (found by fuzzing: 200,000 made such inputs cost milliseconds each).
const MAX_SAMPLES: i64 = 24_000;

/// EI's gameplay counters (`JsonGameplayStats`, computed by EI
/// `EIData/Statistics/OffensiveStatistics.cs` over the player's health damage events, see
/// [`damage`]). Following EI, the event and hit counters count the player's own events only;
/// interrupts, downs, kills and applied crowd control also count its minions' (EI counts them
/// outside its `dl.From == actor` block). Events against friends (`iff == FRIEND`) never count
/// (EI `SingleActor.InitDamageEvents`: `!x.ToFriendly`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GameplayCounts {
    /// EI `totalDamageCount`: damage events, markers (interrupt/down/kill) excluded.
    pub damage_events: u32,
    /// EI `directDamageCount`: direct (strike) damage events.
    pub direct_damage_events: u32,
    /// EI `connectedDamageCount`: hits (`HasHit`), strikes and condition ticks.
    pub connected_hits: u32,
    /// EI `connectedDirectDamageCount`: strike hits.
    pub connected_direct_hits: u32,
    /// EI `criticalRate` (a count): critical strike hits. EI also leaves out a short table of
    /// skills that cannot crit (`SkillItem.CanCrit`); that table is not applied here.
    pub crits: u32,
    /// EI `glanceRate` (a count): glancing hits.
    pub glances: u32,
    /// EI `flankingRate` (a count): hits with `is_flanking`.
    pub flanking: u32,
    /// EI `missed`: result BLIND.
    pub missed: u32,
    /// EI `evaded`: result EVADE.
    pub evaded: u32,
    /// EI `blocked`: result BLOCK.
    pub blocked: u32,
    /// EI `invulned`: result ABSORB / INVERT, and invulnerable condition ticks.
    pub invulned: u32,
    /// EI `interrupts`: result INTERRUPT markers.
    pub interrupts: u32,
    /// EI `killed`: result KILLING_BLOW markers.
    pub killed: u32,
    /// EI `downed`: result DOWNED markers.
    pub downed: u32,
    /// EI `appliedCrowdControl`: result CROWD_CONTROL events.
    pub applied_crowd_control: u32,
}

/// Offensive numbers for one player.
///
/// Damage follows EI `EIData/Statistics/DamageStatistics.cs` (`dpsAll`/`dpsTargets`): the sum
/// of `HealthDamage` over the health damage events of the player and its minions, friends
/// excluded, as classified in [`damage`]. Killing and downing blows (results 8/9) and
/// interrupts (5) are markers there with no damage (`NoDamageHealthDamageEvent`); blocked,
/// evaded, missed and absorbed events add their recorded value (normally 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DamageStats {
    /// All outgoing damage (EI `dpsAll.damage`): strike + condition + other buff damage.
    pub total: i64,
    /// Direct damage (EI `strikeDamage`).
    pub strike: i64,
    /// Damage of condition buffs (EI `condiDamage`, `ConditionDamageBased`).
    pub condi: i64,
    /// Damage to enemy players only (EI `dpsTargets` against "Enemy Players").
    pub to_enemies: i64,
    pub strike_to_enemies: i64,
    pub condi_to_enemies: i64,
    /// `total * 1000 / duration_ms`.
    pub dps: i64,
    /// `to_enemies * 1000 / duration_ms`.
    pub dps_to_enemies: i64,
    /// Damage absorbed by the targets' barrier (EI `barrierDamage`: `ShieldDamage` summed).
    pub barrier_damage: i64,
    /// Connected strike hits, all targets (EI `statsAll.connectedDirectDamageCount`).
    pub hits: u32,
    /// Critical strike hits, all targets.
    pub crits: u32,
    pub glances: u32,
    pub flanking: u32,
    /// Interrupts (result INTERRUPT), all targets.
    pub interrupts: u32,
    /// Enemy players downed by this player's or its minions' hits (result DOWNED).
    pub downs: u32,
    /// Enemy players killed by this player's or its minions' hits (result KILLING_BLOW).
    pub kills: u32,
    /// Crowd control applied to enemy players (result CROWD_CONTROL).
    pub crowd_control: u32,
    /// Strike damage plus non-condition buff damage such as life leech (EI `powerDamage`).
    pub power: i64,
    pub power_to_enemies: i64,
    /// Life-leech buff damage (EI `lifeLeechDamage`), part of `power`.
    pub life_leech: i64,
    /// Counters against all targets (EI `statsAll`).
    pub stats_all: GameplayCounts,
    /// Counters against enemy players (EI `statsTargets` of the "Enemy Players" target).
    pub stats_enemies: GameplayCounts,
}

/// Defensive numbers for one player, after EI `EIData/Statistics/DefensePerTargetStatistics.cs`
/// (`defenses`): damage taken counts hits only (`HasHit`), so blocked, evaded, missed and
/// absorbed events and the interrupt/down/kill markers add no damage; the outcome counters count
/// every incoming event of their kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DefenseStats {
    /// EI `damageTaken`.
    pub damage_taken: i64,
    /// EI `strikeDamageTaken`.
    pub strike_taken: i64,
    /// EI `conditionDamageTaken`.
    pub condi_taken: i64,
    /// Incoming damage absorbed by own barrier (EI `damageBarrier`).
    pub barrier_absorbed: i64,
    pub blocked: u32,
    pub evaded: u32,
    /// EI `missedCount`: incoming result BLIND.
    pub missed: u32,
    /// EI `invulnedCount`: incoming result ABSORB / INVERT / invulnerable condition ticks.
    pub invulned: u32,
    /// EI `interruptedCount`: incoming result INTERRUPT markers.
    pub interrupted: u32,
    pub dodges: u32,
    pub downs: u32,
    pub down_duration_ms: i64,
    pub deaths: u32,
    pub dead_duration_ms: i64,
    /// EI `receivedCrowdControl`.
    pub crowd_controlled: u32,
    /// Boons stripped from this player by enemies.
    pub boons_lost: u32,
    /// EI `powerDamageTaken`: strike plus non-condition buff damage taken.
    pub power_taken: i64,
}

/// Support numbers for one player.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SupportStats {
    pub boon_strips: u32,
    pub boon_strip_time_ms: i64,
    /// Conditions removed from others.
    pub cleanses: u32,
    pub cleanse_time_ms: i64,
    pub cleanses_self: u32,
    pub cleanse_self_time_ms: i64,
    pub resurrects: u32,
    pub resurrect_time_ms: i64,
    /// Healing done (healing extension), all targets including self.
    pub healing: i64,
    /// Healing done to others.
    pub healing_others: i64,
    /// Barrier applied (healing extension), all targets.
    pub barrier: i64,
    pub barrier_others: i64,
    pub healing_received: i64,
}

/// One boon's numbers for one player.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoonStats {
    pub id: u32,
    pub name: String,
    /// True for intensity-stacking boons (Might, Stability): values are stacks.
    pub intensity: bool,
    /// % of fight present (duration boons) or average stacks (intensity).
    pub uptime: f64,
    /// % of fight with at least one stack.
    pub presence: f64,
    pub generation_self: f64,
    pub generation_group: f64,
    pub generation_off_group: f64,
    pub generation_squad: f64,
}

/// Everything about one squad member or ally.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlayerStats {
    pub name: String,
    pub account: Option<String>,
    pub profession: u32,
    pub elite: u32,
    pub profession_name: String,
    pub subgroup: u8,
    pub team_id: Option<u64>,
    pub in_squad: bool,
    pub is_commander: bool,
    pub is_pov: bool,
    pub instid: u16,
    /// Fight time not spent dead.
    pub active_ms: i64,
    pub damage: DamageStats,
    pub defense: DefenseStats,
    pub support: SupportStats,
    pub boons: Vec<BoonStats>,
    /// Mean 2D distance to the commander tag (None without tag/positions).
    pub distance_to_commander: Option<f64>,
    /// Mean 2D distance to the squad's centre.
    pub stack_distance: Option<f64>,
}

/// Enemy player count for one team.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCount {
    pub team_id: u64,
    pub count: u32,
}

/// Fight result, as seen by the squad.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Victory,
    Defeat,
    #[default]
    Draw,
}

/// Fight-level outcome metrics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutcomeStats {
    pub result: Outcome,
    pub squad_damage: i64,
    pub squad_damage_taken: i64,
    pub squad_downs: u32,
    pub squad_deaths: u32,
    /// Enemy players that went down (statechange).
    pub enemy_downs: u32,
    /// Enemy players that died (statechange).
    pub enemy_deaths: u32,
    /// Killing blows landed by the squad.
    pub squad_kills: u32,
    /// Downing blows landed by the squad.
    pub squad_downs_inflicted: u32,
    /// `enemy_deaths / max(squad_deaths, 1)`.
    pub kill_death_ratio: f64,
}

/// Squad-average boon uptime.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SquadBoon {
    pub id: u32,
    pub name: String,
    pub intensity: bool,
    pub uptime: f64,
}

/// Analysis of one fight.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FightReport {
    pub arc_build: String,
    pub revision: u8,
    pub species_id: u16,
    pub is_wvw: bool,
    pub fight_name: String,
    pub map_id: Option<u64>,
    pub gw2_build: Option<u64>,
    pub start_time: i64,
    pub end_time: i64,
    pub duration_ms: i64,
    pub server_start_unix: Option<u32>,
    pub server_end_unix: Option<u32>,
    pub recorded_by: Option<String>,
    pub recorded_by_account: Option<String>,
    pub pov_team: Option<u64>,
    pub commander: Option<String>,
    pub healing_extension: bool,
    pub squad_size: u32,
    pub ally_count: u32,
    pub enemy_count: u32,
    pub enemies_by_team: Vec<TeamCount>,
    pub outcome: OutcomeStats,
    pub squad_boons: Vec<SquadBoon>,
    /// Squad members first (by subgroup, name), then allies.
    pub players: Vec<PlayerStats>,
    pub event_count: u64,
    /// The log was cut inside an event (e.g. by a crashed client) at this byte offset of the
    /// decompressed `.evtc` data: the report covers only the complete events before it
    /// ([`Log::truncated_at`]). Absent (not `null`) for complete logs, so reports stored
    /// before this field existed read back the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated_at: Option<u64>,
}

impl FightReport {
    /// Elite Insights-shaped JSON (field names of `JsonLog`/`JsonPlayer`).
    pub fn to_ei_json(&self) -> serde_json::Value {
        ei::to_ei_json(self)
    }

    /// Plain-text table for the CLI.
    pub fn render_table(&self) -> String {
        table::render(self)
    }

    /// Squad members only.
    pub fn squad(&self) -> impl Iterator<Item = &PlayerStats> {
        self.players.iter().filter(|p| p.in_squad)
    }

    /// Find a player by character name.
    pub fn player(&self, name: &str) -> Option<&PlayerStats> {
        self.players.iter().find(|p| p.name == name)
    }
}

/// GW2 profession / elite specialization name (GW2 API specialization ids).
pub fn profession_name(profession: u32, elite: u32) -> String {
    let base = match profession {
        1 => "Guardian",
        2 => "Warrior",
        3 => "Engineer",
        4 => "Ranger",
        5 => "Thief",
        6 => "Elementalist",
        7 => "Mesmer",
        8 => "Necromancer",
        9 => "Revenant",
        _ => "Unknown",
    };
    // Pre-2017 logs: elite == 1 means the HoT elite spec (EI GetAgentProfString).
    if elite == 1 {
        let hot = match profession {
            1 => "Dragonhunter",
            2 => "Berserker",
            3 => "Scrapper",
            4 => "Druid",
            5 => "Daredevil",
            6 => "Tempest",
            7 => "Chronomancer",
            8 => "Reaper",
            9 => "Herald",
            _ => base,
        };
        return hot.to_string();
    }
    let spec = match elite {
        5 => "Druid",
        7 => "Daredevil",
        18 => "Berserker",
        27 => "Dragonhunter",
        34 => "Reaper",
        40 => "Chronomancer",
        43 => "Scrapper",
        48 => "Tempest",
        52 => "Herald",
        55 => "Soulbeast",
        56 => "Weaver",
        57 => "Holosmith",
        58 => "Deadeye",
        59 => "Mirage",
        60 => "Scourge",
        61 => "Spellbreaker",
        62 => "Firebrand",
        63 => "Renegade",
        64 => "Harbinger",
        65 => "Willbender",
        66 => "Virtuoso",
        67 => "Catalyst",
        68 => "Bladesworn",
        69 => "Vindicator",
        70 => "Mechanist",
        71 => "Specter",
        72 => "Untamed",
        _ => base,
    };
    spec.to_string()
}

// ---------------------------------------------------------------------------

/// Fast hasher for u64/u16 keys (agent addresses are already well spread).
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);
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
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Index into the tracked player list.
    Tracked(u32),
    Enemy,
    Other,
}

struct Tracked {
    agent: usize,
    in_squad: bool,
    subgroup: u8,
    team: Option<u64>,
}

#[derive(Clone, Copy)]
enum Status {
    Down,
    Dead,
    Up,
}

/// Analyse a parsed log.
pub fn analyze(log: &Log) -> FightReport {
    let events = &log.events;

    // --- agent lookup -----------------------------------------------------
    let mut by_addr: FastMap<u64, usize> = FastMap::default();
    for (i, a) in log.agents.iter().enumerate() {
        by_addr.entry(a.address).or_insert(i);
    }

    // --- metadata pass ------------------------------------------------------
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
    for e in events {
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
                    if let (Some(g), Ok(sub)) = (combat_group.get_mut(a), u8::try_from(e.dst_agent))
                    {
                        if sub > 0 {
                            *g = Some(sub);
                        }
                    }
                }
            }
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

    // --- roles --------------------------------------------------------------
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
                agent: i,
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
        for t in tracked.iter_mut() {
            t.in_squad = log.agents.get(t.agent).and_then(|a| a.account()).is_some();
        }
    }
    let n = tracked.len();
    let role_of = |addr: u64| -> Role {
        by_addr
            .get(&addr)
            .and_then(|&i| roles.get(i).copied())
            .unwrap_or(Role::Other)
    };
    // Resolve a source: prefer its master (minions credit their player).
    let credit_of = |addr: u64, master_instid: u16| -> Role {
        if master_instid != 0 {
            if let Some(&m) = instid_map.get(&master_instid) {
                if let Some(r) = roles.get(m) {
                    if *r != Role::Other {
                        return *r;
                    }
                }
            }
        }
        role_of(addr)
    };

    let mut dmg = vec![DamageStats::default(); n];
    let mut def = vec![DefenseStats::default(); n];
    let mut sup = vec![SupportStats::default(); n];
    let mut buff_events: Vec<BuffEvent> = Vec::new();
    let mut status: Vec<(i64, u32, Status)> = Vec::new();
    let mut positions: Vec<(i64, u32, f32, f32)> = Vec::new();
    let mut enemy_downs = 0u32;
    let mut enemy_deaths = 0u32;

    let target_of = |addr: u64| -> Option<u32> {
        match role_of(addr) {
            Role::Tracked(t) => Some(t),
            _ => None,
        }
    };

    // --- main pass ------------------------------------------------------------
    let era = Era::of_build(log.header.build_number());
    for e in events {
        if e.is_statechange == 0 {
            if let Some(row) = damage::classify(e, era) {
                let src = credit_of(e.src_agent, e.src_master_instid);
                let own = role_of(e.src_agent);
                let dst = role_of(e.dst_agent);
                account_damage(e, row, src, own == src, dst, &mut dmg, &mut def);
                continue;
            }
            // From arcdps 20260501 on every non-statechange event is damage (EI
            // `CombatItem.IsDirectDamageEvent`/`IsBuffDamageEvent`): applications, removals
            // and casts arrive as statechanges, handled below.
            if era == Era::Reworked {
                continue;
            }
        }
        match EventKind::of(e) {
            // Defiance damage, skill-cast signals and unknown results: not health damage in EI.
            EventKind::DirectDamage | EventKind::BuffDamage => {}
            EventKind::BuffApply => {
                push_apply(&mut buff_events, e, &target_of, &credit_of);
            }
            EventKind::BuffRemove(kind) => {
                handle_remove(
                    e,
                    kind,
                    &role_of,
                    &credit_of,
                    &target_of,
                    &mut sup,
                    &mut def,
                    &mut buff_events,
                );
            }
            EventKind::Activation(kind) => {
                if let Role::Tracked(s) = role_of(e.src_agent) {
                    let s = s as usize;
                    if e.skill_id == skill::RESURRECT {
                        if let Some(x) = sup.get_mut(s) {
                            if kind == activation::START {
                                x.resurrects += 1;
                            } else if kind == activation::CANCEL_FIRE
                                || kind == activation::CANCEL_CANCEL
                            {
                                x.resurrect_time_ms += i64::from(e.value.max(0));
                            }
                        }
                    } else if e.skill_id == skill::DODGE && kind == activation::START {
                        if let Some(d) = def.get_mut(s) {
                            d.dodges += 1;
                        }
                    }
                }
            }
            EventKind::StateChange(sc) => match sc {
                StateChange::ChangeDown
                | StateChange::ChangeDead
                | StateChange::ChangeUp
                | StateChange::Spawn => {
                    let st = match sc {
                        StateChange::ChangeDown => Status::Down,
                        StateChange::ChangeDead => Status::Dead,
                        _ => Status::Up,
                    };
                    match role_of(e.src_agent) {
                        Role::Tracked(t) => status.push((e.time, t, st)),
                        Role::Enemy => match st {
                            Status::Down => enemy_downs += 1,
                            Status::Dead => enemy_deaths += 1,
                            Status::Up => {}
                        },
                        Role::Other => {}
                    }
                }
                StateChange::Position => {
                    if let Role::Tracked(t) = role_of(e.src_agent) {
                        let [x, y, _] = e.xyz();
                        if x.is_finite() && y.is_finite() {
                            positions.push((e.time, t, x, y));
                        }
                    }
                }
                StateChange::BuffInitial | StateChange::BuffApply => {
                    push_apply(&mut buff_events, e, &target_of, &credit_of);
                }
                StateChange::BuffRemoveAll => {
                    handle_remove(
                        e,
                        buffremove::ALL,
                        &role_of,
                        &credit_of,
                        &target_of,
                        &mut sup,
                        &mut def,
                        &mut buff_events,
                    );
                }
                StateChange::BuffRemoveSingle => {
                    handle_remove(
                        e,
                        buffremove::SINGLE,
                        &role_of,
                        &credit_of,
                        &target_of,
                        &mut sup,
                        &mut def,
                        &mut buff_events,
                    );
                }
                StateChange::AnimationStart | StateChange::AnimationStop
                    if e.skill_id == skill::RESURRECT =>
                {
                    if let Some(x) = target_of(e.src_agent).and_then(|s| sup.get_mut(s as usize)) {
                        if sc == StateChange::AnimationStart {
                            x.resurrects += 1;
                        } else {
                            x.resurrect_time_ms += i64::from(e.value.max(0));
                        }
                    }
                }
                StateChange::Extension | StateChange::ExtensionCombat
                    if e.pad == HEALING_EXTENSION_SIGNATURE =>
                {
                    handle_heal(e, &by_addr, &instid_map, &roles, &mut sup);
                }
                _ => {}
            },
        }
    }

    // --- down / dead durations ------------------------------------------------
    status.sort_by_key(|s| s.0);
    let mut cur: Vec<Option<(Status, i64)>> = vec![None; n];
    let close = |d: &mut DefenseStats, st: Status, since: i64, now: i64| {
        let span = now
            .clamp(start, end)
            .saturating_sub(since.clamp(start, end))
            .max(0);
        match st {
            Status::Down => d.down_duration_ms += span,
            Status::Dead => d.dead_duration_ms += span,
            Status::Up => {}
        }
    };
    for &(time, t, st) in &status {
        let (Some(d), Some(c)) = (def.get_mut(t as usize), cur.get_mut(t as usize)) else {
            continue;
        };
        if let Some((prev, since)) = c.take() {
            close(d, prev, since, time);
        }
        match st {
            Status::Down => d.downs += 1,
            Status::Dead => d.deaths += 1,
            Status::Up => {}
        }
        *c = Some((st, time));
    }
    for (t, c) in cur.iter().enumerate() {
        if let (Some((st, since)), Some(d)) = (c, def.get_mut(t)) {
            close(d, *st, *since, end);
        }
    }

    // --- boons ------------------------------------------------------------
    let infos: Vec<TargetInfo> = tracked
        .iter()
        .map(|t| TargetInfo {
            in_squad: t.in_squad,
            subgroup: t.subgroup,
        })
        .collect();
    let totals = buffs::simulate(buff_events, &infos, start, end);
    let squad_size = tracked.iter().filter(|t| t.in_squad).count() as i64;
    let mut group_sizes: BTreeMap<u8, i64> = BTreeMap::new();
    for t in tracked.iter().filter(|t| t.in_squad) {
        *group_sizes.entry(t.subgroup).or_insert(0) += 1;
    }

    // --- distances ------------------------------------------------------------
    let commander = tracked
        .iter()
        .position(|t| t.in_squad && tagged.get(t.agent).copied().unwrap_or(false));
    let (dist_com, dist_stack) = distances(&mut positions, &tracked, commander, start, end);

    // --- assemble ---------------------------------------------------------------
    let dur = duration.max(1) as f64;
    let mut players = Vec::with_capacity(n);
    for (i, t) in tracked.iter().enumerate() {
        let Some(a) = log.agents.get(t.agent) else {
            continue;
        };
        let mut d = dmg.get(i).cloned().unwrap_or_default();
        d.hits = d.stats_all.connected_direct_hits;
        d.crits = d.stats_all.crits;
        d.glances = d.stats_all.glances;
        d.flanking = d.stats_all.flanking;
        d.interrupts = d.stats_all.interrupts;
        d.downs = d.stats_enemies.downed;
        d.kills = d.stats_enemies.killed;
        d.crowd_control = d.stats_enemies.applied_crowd_control;
        d.dps = d.total.saturating_mul(1000) / duration.max(1);
        d.dps_to_enemies = d.to_enemies.saturating_mul(1000) / duration.max(1);
        let df = def.get(i).cloned().unwrap_or_default();
        let group_n = group_sizes.get(&t.subgroup).copied().unwrap_or(1);
        let boons = BOONS
            .iter()
            .enumerate()
            .map(|(bi, bd)| {
                let intensity = bd.stacking == Stacking::Intensity;
                let scale = if intensity { 1.0 } else { 100.0 };
                let up = cell(&totals.uptime, i, bi).unwrap_or(0) as f64;
                let pres = cell(&totals.presence, i, bi).unwrap_or(0) as f64;
                let g = cell(&totals.generated, i, bi).unwrap_or([0; 4]);
                let gen = |v: i64, targets: i64| -> f64 {
                    if targets <= 0 || !t.in_squad && targets > 1 {
                        0.0
                    } else {
                        round(v as f64 / (dur * targets as f64) * scale, 3)
                    }
                };
                BoonStats {
                    id: bd.id,
                    name: bd.name.to_string(),
                    intensity,
                    uptime: round(up / dur * scale, 3),
                    presence: round(pres / dur * 100.0, 3),
                    generation_self: gen(g[buffs::CAT_SELF], 1),
                    generation_group: gen(g[buffs::CAT_GROUP], group_n - 1),
                    generation_off_group: gen(g[buffs::CAT_OFFGROUP], squad_size - group_n),
                    generation_squad: gen(g[buffs::CAT_SQUAD], squad_size - 1),
                }
            })
            .collect();
        players.push(PlayerStats {
            name: a.character_name(),
            account: a.account_name(),
            profession: a.profession,
            elite: a.is_elite,
            profession_name: profession_name(a.profession, a.is_elite),
            subgroup: t.subgroup,
            team_id: t.team,
            in_squad: t.in_squad,
            is_commander: commander == Some(i),
            is_pov: pov == Some(t.agent),
            instid: instid_map
                .iter()
                .find(|(_, &ag)| ag == t.agent)
                .map(|(k, _)| *k)
                .unwrap_or(0),
            active_ms: duration.saturating_sub(df.dead_duration_ms).max(0),
            damage: d,
            defense: df,
            support: sup.get(i).cloned().unwrap_or_default(),
            boons,
            distance_to_commander: dist_com.get(i).copied().flatten().map(|v| round(v, 2)),
            stack_distance: dist_stack.get(i).copied().flatten().map(|v| round(v, 2)),
        });
    }
    players.sort_by(|a, b| {
        b.in_squad
            .cmp(&a.in_squad)
            .then(a.subgroup.cmp(&b.subgroup))
            .then(a.name.cmp(&b.name))
    });

    let squad: Vec<&PlayerStats> = players.iter().filter(|p| p.in_squad).collect();
    let squad_deaths: u32 = squad.iter().map(|p| p.defense.deaths).sum();
    let outcome = OutcomeStats {
        result: if enemy_deaths > squad_deaths {
            Outcome::Victory
        } else if enemy_deaths < squad_deaths {
            Outcome::Defeat
        } else {
            Outcome::Draw
        },
        squad_damage: squad.iter().map(|p| p.damage.to_enemies).sum(),
        squad_damage_taken: squad.iter().map(|p| p.defense.damage_taken).sum(),
        squad_downs: squad.iter().map(|p| p.defense.downs).sum(),
        squad_deaths,
        enemy_downs,
        enemy_deaths,
        squad_kills: squad.iter().map(|p| p.damage.kills).sum(),
        squad_downs_inflicted: squad.iter().map(|p| p.damage.downs).sum(),
        kill_death_ratio: round(f64::from(enemy_deaths) / f64::from(squad_deaths.max(1)), 2),
    };
    let squad_boons = BOONS
        .iter()
        .enumerate()
        .map(|(bi, bd)| SquadBoon {
            id: bd.id,
            name: bd.name.to_string(),
            intensity: bd.stacking == Stacking::Intensity,
            uptime: if squad.is_empty() {
                0.0
            } else {
                round(
                    squad
                        .iter()
                        .map(|p| p.boons.get(bi).map(|b| b.uptime).unwrap_or(0.0))
                        .sum::<f64>()
                        / squad.len() as f64,
                    3,
                )
            },
        })
        .collect();

    let pov_agent = pov.and_then(|p| log.agents.get(p));
    FightReport {
        arc_build: log.header.build_str(),
        revision: log.header.revision,
        species_id: log.header.species_id,
        is_wvw: log.header.is_wvw(),
        fight_name: fight_name(log.header.species_id, map_id),
        map_id,
        gw2_build,
        start_time: start,
        end_time: end,
        duration_ms: duration,
        server_start_unix: log_start.map(|s| s.1),
        server_end_unix: log_end.map(|s| s.1),
        recorded_by: pov_agent.map(|a| a.character_name()),
        recorded_by_account: pov_agent.and_then(|a| a.account_name()),
        pov_team,
        commander: commander
            .and_then(|c| tracked.get(c))
            .and_then(|t| log.agents.get(t.agent))
            .map(|a| a.character_name()),
        healing_extension,
        squad_size: squad_size as u32,
        ally_count: tracked.iter().filter(|t| !t.in_squad).count() as u32,
        enemy_count,
        enemies_by_team: enemies_by_team
            .into_iter()
            .map(|(team_id, count)| TeamCount { team_id, count })
            .collect(),
        outcome,
        squad_boons,
        players,
        event_count: events.len() as u64,
        truncated_at: log.truncated_at,
    }
}

fn fight_name(species: u16, map: Option<u64>) -> String {
    let base = match species {
        1 => "World vs World",
        2 => "Map",
        _ => "Encounter",
    };
    match (species, map) {
        (1, Some(38)) => "World vs World - Eternal Battlegrounds".into(),
        (1, Some(95)) => "World vs World - Green Alpine Borderlands".into(),
        (1, Some(96)) => "World vs World - Blue Alpine Borderlands".into(),
        (1, Some(1099)) => "World vs World - Red Desert Borderlands".into(),
        (1, Some(968)) => "World vs World - Edge of the Mists".into(),
        (1, Some(899)) => "World vs World - Obsidian Sanctum".into(),
        _ => base.into(),
    }
}

fn round(v: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (v * p).round() / p
}

/// Add one classified damage event (see [`damage`]) to its source's and target's numbers, by
/// EI's rules: `src` is the credited player (a minion's master), `own` whether the event is
/// the player's own rather than a minion's, `dst` the target.
fn account_damage(
    e: &Event,
    row: Row,
    src: Role,
    own: bool,
    dst: Role,
    dmg: &mut [DamageStats],
    def: &mut [DefenseStats],
) {
    // EI `SingleActor.InitDamageEvents`: a player's damage events leave out those against
    // friends (`ToFriendly`, iff == FRIEND); damage taken counts every source.
    let outgoing = match src {
        Role::Tracked(s) if e.iff != iff::FRIEND => dmg.get_mut(s as usize),
        _ => None,
    };
    let to_enemy = dst == Role::Enemy;
    let incoming = match dst {
        Role::Tracked(t) => def.get_mut(t as usize),
        _ => None,
    };
    match row {
        Row::Damage(r) => {
            let condi = !r.direct && buffs::is_condition(e.skill_id);
            if let Some(d) = outgoing {
                // EI DamageStatistics.ComputeDamageFrom: every event's HealthDamage.
                d.total += r.damage;
                d.barrier_damage += r.shield;
                if r.direct {
                    d.strike += r.damage;
                } else if condi {
                    d.condi += r.damage;
                } else if r.life_leech {
                    d.life_leech += r.damage;
                }
                if !condi {
                    d.power += r.damage;
                }
                if to_enemy {
                    d.to_enemies += r.damage;
                    if r.direct {
                        d.strike_to_enemies += r.damage;
                    } else if condi {
                        d.condi_to_enemies += r.damage;
                    }
                    if !condi {
                        d.power_to_enemies += r.damage;
                    }
                }
                if own {
                    count_row(&mut d.stats_all, e, &r);
                    if to_enemy {
                        count_row(&mut d.stats_enemies, e, &r);
                    }
                }
            }
            if let Some(d) = incoming {
                // EI DefensePerTargetStatistics: damage taken only for hits.
                if r.hit {
                    d.damage_taken += r.damage;
                    if condi {
                        d.condi_taken += r.damage;
                    } else {
                        d.power_taken += r.damage;
                        if r.direct {
                            d.strike_taken += r.damage;
                        }
                    }
                    d.barrier_absorbed += r.shield.max(0);
                }
                d.blocked += u32::from(r.blocked);
                d.missed += u32::from(r.blind);
                d.invulned += u32::from(r.absorbed);
                d.evaded += u32::from(r.evaded);
            }
        }
        Row::Marker(m) => {
            if let Some(d) = outgoing {
                for c in [
                    Some(&mut d.stats_all),
                    to_enemy.then_some(&mut d.stats_enemies),
                ]
                .into_iter()
                .flatten()
                {
                    match m {
                        Marker::Interrupt => c.interrupts += 1,
                        Marker::KillingBlow => c.killed += 1,
                        Marker::Downed => c.downed += 1,
                    }
                }
            }
            if let (Some(d), Marker::Interrupt) = (incoming, m) {
                d.interrupted += 1;
            }
        }
        Row::CrowdControl => {
            if let Some(d) = outgoing {
                d.stats_all.applied_crowd_control += 1;
                if to_enemy {
                    d.stats_enemies.applied_crowd_control += 1;
                }
            }
            if let Some(d) = incoming {
                d.crowd_controlled += 1;
            }
        }
    }
}

/// EI OffensiveStatistics for one of the player's own damage events.
fn count_row(c: &mut GameplayCounts, e: &Event, r: &damage::DamageRow) {
    c.damage_events += 1;
    if r.direct {
        c.direct_damage_events += 1;
    }
    if r.hit {
        c.connected_hits += 1;
        if r.direct {
            c.connected_direct_hits += 1;
            c.crits += u32::from(r.crit);
        }
        c.flanking += u32::from(e.is_flanking != 0);
        c.glances += u32::from(r.glance);
    }
    c.invulned += u32::from(r.absorbed);
    c.missed += u32::from(r.blind);
    c.evaded += u32::from(r.evaded);
    c.blocked += u32::from(r.blocked);
}

fn push_apply(
    out: &mut Vec<BuffEvent>,
    e: &Event,
    target_of: &impl Fn(u64) -> Option<u32>,
    credit_of: &impl Fn(u64, u16) -> Role,
) {
    let Some(bi) = buffs::boon_index(e.skill_id) else {
        return;
    };
    let Some(target) = target_of(e.dst_agent) else {
        return;
    };
    let op = if e.is_offcycle != 0 {
        BuffOp::Extend {
            stack: e.pad,
            new_duration: i64::from(e.overstack_value),
        }
    } else {
        let src = match credit_of(e.src_agent, e.src_master_instid) {
            Role::Tracked(s) => s,
            _ => NO_SOURCE,
        };
        BuffOp::Apply {
            src,
            duration: i64::from(e.value),
            stack: e.pad,
        }
    };
    out.push(BuffEvent {
        time: e.time,
        target,
        boon: bi as u8,
        op,
    });
}

#[allow(clippy::too_many_arguments)]
fn handle_remove(
    e: &Event,
    kind: u8,
    role_of: &impl Fn(u64) -> Role,
    credit_of: &impl Fn(u64, u16) -> Role,
    target_of: &impl Fn(u64) -> Option<u32>,
    sup: &mut [SupportStats],
    def: &mut [DefenseStats],
    buff_events: &mut Vec<BuffEvent>,
) {
    // src_agent: agent that had the buff removed; dst_agent: remover.
    if kind == buffremove::ALL {
        let remover = credit_of(e.dst_agent, e.dst_master_instid);
        let removed = i64::from(e.value.max(0));
        if let Role::Tracked(r) = remover {
            if let Some(s) = sup.get_mut(r as usize) {
                if e.iff != iff::FRIEND && buffs::is_boon(e.skill_id) {
                    s.boon_strips += 1;
                    s.boon_strip_time_ms += removed;
                } else if e.iff == iff::FRIEND && buffs::is_condition(e.skill_id) {
                    if e.src_agent == e.dst_agent || role_of(e.src_agent) == remover {
                        s.cleanses_self += 1;
                        s.cleanse_self_time_ms += removed;
                    } else {
                        s.cleanses += 1;
                        s.cleanse_time_ms += removed;
                    }
                }
            }
        }
        if e.iff != iff::FRIEND && buffs::is_boon(e.skill_id) {
            if let Some(d) = target_of(e.src_agent).and_then(|t| def.get_mut(t as usize)) {
                d.boons_lost += 1;
            }
        }
    }
    let Some(bi) = buffs::boon_index(e.skill_id) else {
        return;
    };
    let Some(target) = target_of(e.src_agent) else {
        return;
    };
    let op = if kind == buffremove::ALL {
        BuffOp::RemoveAll
    } else {
        BuffOp::RemoveSingle { stack: e.pad }
    };
    buff_events.push(BuffEvent {
        time: e.time,
        target,
        boon: bi as u8,
        op,
    });
}

fn handle_heal(
    e: &Event,
    by_addr: &FastMap<u64, usize>,
    instid_map: &FastMap<u16, usize>,
    roles: &[Role],
    sup: &mut [SupportStats],
) {
    // EI HealingStatsExtensionHandler: healing when is_shields == 0, barrier otherwise;
    // direct: buff == 0 && value < 0 (amount -value); over time: buff != 0 && value == 0 && buff_dmg < 0.
    let amount = if e.buff == 0 && e.value < 0 {
        -i64::from(e.value)
    } else if e.buff != 0 && e.value == 0 && e.buff_dmg < 0 {
        -i64::from(e.buff_dmg)
    } else {
        return;
    };
    let barrier = e.is_shields != 0;
    // EI prefers instance id resolution for healing events.
    let resolve = |instid: u16, addr: u64| -> Option<u32> {
        let agent = instid_map
            .get(&instid)
            .or_else(|| by_addr.get(&addr))
            .copied()?;
        match roles.get(agent) {
            Some(Role::Tracked(t)) => Some(*t),
            _ => None,
        }
    };
    let src = resolve(e.src_instid, e.src_agent);
    let dst = resolve(e.dst_instid, e.dst_agent);
    if let Some(s) = src.and_then(|s| sup.get_mut(s as usize)) {
        let others = src != dst;
        if barrier {
            s.barrier += amount;
            if others {
                s.barrier_others += amount;
            }
        } else {
            s.healing += amount;
            if others {
                s.healing_others += amount;
            }
        }
    }
    if !barrier {
        if let Some(d) = dst.and_then(|d| sup.get_mut(d as usize)) {
            d.healing_received += amount;
        }
    }
}

type Distances = (Vec<Option<f64>>, Vec<Option<f64>>);

fn distances(
    positions: &mut [(i64, u32, f32, f32)],
    tracked: &[Tracked],
    commander: Option<usize>,
    start: i64,
    end: i64,
) -> Distances {
    let n = tracked.len();
    let mut com_sum = vec![(0f64, 0u64); n];
    let mut stack_sum = vec![(0f64, 0u64); n];
    if positions.is_empty() || end <= start {
        return (vec![None; n], vec![None; n]);
    }
    positions.sort_by_key(|p| p.0);
    // Nobody has a position before the first position event: start sampling there.
    let start = start.max(positions[0].0);
    if end < start {
        return (vec![None; n], vec![None; n]);
    }
    let mut last: Vec<Option<(f32, f32)>> = vec![None; n];
    let mut idx = 0;
    let step = POLL_MS.max((end - start) / MAX_SAMPLES + 1);
    let mut t = start;
    while t <= end {
        while let Some(&(pt, who, x, y)) = positions.get(idx) {
            if pt > t {
                break;
            }
            if let Some(l) = last.get_mut(who as usize) {
                *l = Some((x, y));
            }
            idx += 1;
        }
        let com = commander.and_then(|c| last.get(c).copied().flatten());
        let (mut cx, mut cy, mut cn) = (0f64, 0f64, 0u32);
        for (i, p) in last.iter().enumerate() {
            if let (Some((x, y)), Some(tr)) = (p, tracked.get(i)) {
                if tr.in_squad {
                    cx += f64::from(*x);
                    cy += f64::from(*y);
                    cn += 1;
                }
            }
        }
        for (i, p) in last.iter().enumerate() {
            let Some((x, y)) = p else { continue };
            let Some(tr) = tracked.get(i) else { continue };
            if !tr.in_squad {
                continue;
            }
            if let (Some((kx, ky)), Some(acc)) = (com, com_sum.get_mut(i)) {
                let d = (f64::from(*x) - f64::from(kx)).hypot(f64::from(*y) - f64::from(ky));
                acc.0 += d;
                acc.1 += 1;
            }
            if cn > 0 {
                if let Some(acc) = stack_sum.get_mut(i) {
                    let d = (f64::from(*x) - cx / f64::from(cn))
                        .hypot(f64::from(*y) - cy / f64::from(cn));
                    acc.0 += d;
                    acc.1 += 1;
                }
            }
        }
        t = match t.checked_add(step) {
            Some(v) => v,
            None => break,
        };
    }
    let avg = |v: &(f64, u64)| {
        if v.1 > 0 {
            Some(v.0 / v.1 as f64)
        } else {
            None
        }
    };
    (
        com_sum.iter().map(avg).collect(),
        stack_sum.iter().map(avg).collect(),
    )
}

/// Per-player, per-boon table cell (`None` past the end: a player or boon without data).
fn cell<T: Copy, const N: usize>(table: &[[T; N]], player: usize, boon: usize) -> Option<T> {
    table.get(player).and_then(|row| row.get(boon)).copied()
}
