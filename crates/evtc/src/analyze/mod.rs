//! WvW fight analytics: [`analyze`] turns a parsed [`Log`] into a [`FightReport`].
//!
//! The analysis is a driver and a set of trackers, after the feed/finalize pattern of
//! evtclib's statistics trackers: each tracker owns one family of statistics, is fed every
//! event of the kinds it needs, keeps what it needs of them, and writes its part of the report
//! at the end. Definitions follow Elite Insights (EI) where it documents them, and each is
//! cited in the file that computes it:
//!
//! | statistic | report fields | file |
//! | --- | --- | --- |
//! | which events are damage, hits or markers, per arcdps era | (all damage numbers) | [`damage`] |
//! | damage dealt, EI gameplay counters, downs/kills contributed | [`DamageStats`], [`GameplayCounts`] | `offense.rs` |
//! | damage taken, incoming outcomes, dodges, boons lost, downs/deaths and their durations | [`DefenseStats`], `active_ms` | `defense.rs` |
//! | boon strips, cleanses, resurrects, healing, barrier | [`SupportStats`] | `support.rs` |
//! | boon uptime, presence, generation; squad averages | [`BoonStats`], [`SquadBoon`] | `boons.rs` (simulation: [`buffs`]) |
//! | distance to the commander and to the squad's centre | `distance_to_commander`, `stack_distance` | `distance.rs` |
//! | result, squad totals, enemy downs/deaths | [`OutcomeStats`] | `outcome.rs` |
//! | fight window, recorder, map, roles (squad, allies, enemies), commander | the report's header fields | `context.rs` |
//!
//! [`analyze`] reads the events twice: a first pass builds the shared `Context` of
//! `context.rs` (the roles need the recorder's team, which any event may set), then the main
//! pass decodes each event once (damage, buff application, buff removal, activation or other
//! statechange, the same for both arcdps eras) and hands it to every tracker's hook for that
//! kind.

mod boons;
pub mod buffs;
mod context;
pub mod damage;
mod defense;
mod distance;
mod ei;
mod names;
mod offense;
mod outcome;
mod support;
mod table;

pub use boons::{BoonStats, SquadBoon};
pub use defense::DefenseStats;
pub use names::profession_name;
pub use offense::{DamageStats, GameplayCounts};
pub use outcome::{Outcome, OutcomeStats};
pub use support::SupportStats;

use crate::event::{buffremove, EventKind, StateChange};
use crate::model::{Event, Log};
use context::{Context, Role};
use damage::{Era, Row};
use serde::{Deserialize, Serialize};

/// Distance sampling period (EI combat replay polling rate).
pub const POLL_MS: i64 = 150;
/// Longest analysed window; later events are clamped to its end.
pub const MAX_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

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

/// One family of statistics: fed the events it needs during the main pass, then written into
/// the report. A tracker implements the hooks of the event kinds it uses; the others do
/// nothing. Trackers are called statically (no dynamic dispatch), as a fixed tuple, and
/// every event is decoded once for all of them ([`Tracker::feed`]).
trait Tracker {
    /// Health damage, a marker or crowd control (see [`damage`]), with its parties resolved.
    fn damage(&mut self, _e: &Event, _hit: &Hit, _ctx: &Context) {}
    /// A buff application, or an extension when `is_offcycle` (both arcdps eras).
    fn buff_apply(&mut self, _e: &Event, _ctx: &Context) {}
    /// A buff removal of this `is_buffremove` kind (both arcdps eras): `src_agent` lost the
    /// buff, `dst_agent` removed it.
    fn buff_remove(&mut self, _e: &Event, _kind: u8, _ctx: &Context) {}
    /// A skill activation of this `is_activation` kind.
    fn activation(&mut self, _e: &Event, _kind: u8, _ctx: &Context) {}
    /// Any other statechange.
    fn state_change(&mut self, _e: &Event, _sc: StateChange, _ctx: &Context) {}
    /// Write this family's fields into `report`, whose `players` are in tracked order
    /// ([`context::Role::Tracked`] indexes them) with their identity filled in.
    fn finalize(self, ctx: &Context, report: &mut FightReport);

    /// Decode one event and hand it to the hook of its kind. Buff applications and removals
    /// arrive as plain events before arcdps 20260501 and as statechanges from then on; both
    /// reach the same hooks.
    #[inline]
    fn feed(&mut self, e: &Event, ctx: &Context)
    where
        Self: Sized,
    {
        if e.is_statechange == 0 {
            if let Some(row) = damage::classify(e, ctx.era) {
                let src = ctx.credit_of(e.src_agent, e.src_master_instid);
                let hit = Hit {
                    row,
                    src,
                    own: ctx.role_of(e.src_agent) == src,
                    dst: ctx.role_of(e.dst_agent),
                    condi: matches!(row, Row::Damage(r) if !r.direct)
                        && buffs::is_condition(e.skill_id),
                };
                self.damage(e, &hit, ctx);
                return;
            }
            // From arcdps 20260501 on every non-statechange event is damage (EI
            // `CombatItem.IsDirectDamageEvent`/`IsBuffDamageEvent`): applications, removals
            // and casts arrive as statechanges.
            if ctx.era == Era::Reworked {
                return;
            }
        }
        match EventKind::of(e) {
            // Defiance damage, skill-cast signals and unknown results: not health damage in EI.
            EventKind::DirectDamage | EventKind::BuffDamage => {}
            EventKind::BuffApply => self.buff_apply(e, ctx),
            EventKind::BuffRemove(kind) => self.buff_remove(e, kind, ctx),
            EventKind::Activation(kind) => self.activation(e, kind, ctx),
            EventKind::StateChange(sc) => match sc {
                StateChange::BuffInitial | StateChange::BuffApply => self.buff_apply(e, ctx),
                StateChange::BuffRemoveAll => self.buff_remove(e, buffremove::ALL, ctx),
                StateChange::BuffRemoveSingle => self.buff_remove(e, buffremove::SINGLE, ctx),
                sc => self.state_change(e, sc, ctx),
            },
        }
    }
}

/// Two trackers fed as one: nested pairs make the fixed set of trackers one tracker. Each
/// hook and the finalize run the first, then the second.
impl<A: Tracker, B: Tracker> Tracker for (A, B) {
    #[inline]
    fn damage(&mut self, e: &Event, hit: &Hit, ctx: &Context) {
        self.0.damage(e, hit, ctx);
        self.1.damage(e, hit, ctx);
    }
    #[inline]
    fn buff_apply(&mut self, e: &Event, ctx: &Context) {
        self.0.buff_apply(e, ctx);
        self.1.buff_apply(e, ctx);
    }
    #[inline]
    fn buff_remove(&mut self, e: &Event, kind: u8, ctx: &Context) {
        self.0.buff_remove(e, kind, ctx);
        self.1.buff_remove(e, kind, ctx);
    }
    #[inline]
    fn activation(&mut self, e: &Event, kind: u8, ctx: &Context) {
        self.0.activation(e, kind, ctx);
        self.1.activation(e, kind, ctx);
    }
    #[inline]
    fn state_change(&mut self, e: &Event, sc: StateChange, ctx: &Context) {
        self.0.state_change(e, sc, ctx);
        self.1.state_change(e, sc, ctx);
    }
    fn finalize(self, ctx: &Context, report: &mut FightReport) {
        self.0.finalize(ctx, report);
        self.1.finalize(ctx, report);
    }
}

/// A damage-classified event with its parties resolved.
#[derive(Clone, Copy, Debug)]
struct Hit {
    row: Row,
    /// The credited source: the player, or a minion's master.
    src: Role,
    /// The event is the credited player's own, not one of its minions'.
    own: bool,
    /// The target.
    dst: Role,
    /// Damage of a condition (buff damage of a [`buffs::CONDITIONS`] id, EI
    /// `ConditionDamageBased`); other buff damage counts as power damage.
    condi: bool,
}

/// Analyse a parsed log.
pub fn analyze(log: &Log) -> FightReport {
    let ctx = Context::new(log);

    let mut trackers = (
        offense::Offense::new(&ctx),
        (
            defense::Defense::new(&ctx),
            (
                support::Support::new(&ctx),
                (
                    boons::Boons::new(),
                    (distance::Distance::new(), outcome::Outcomes::new()),
                ),
            ),
        ),
    );
    for e in &log.events {
        trackers.feed(e, &ctx);
    }

    let mut report = header(log, &ctx);
    trackers.finalize(&ctx, &mut report);
    // Squad members first (by subgroup, name), then allies.
    report.players.sort_by(|a, b| {
        b.in_squad
            .cmp(&a.in_squad)
            .then(a.subgroup.cmp(&b.subgroup))
            .then(a.name.cmp(&b.name))
    });
    // Fight-level numbers over the finished player rows, in report order.
    outcome::settle(&mut report);
    report.squad_boons = boons::squad_boons(&report.players);
    report
}

/// The report before the trackers: the fight's header fields and each tracked player's
/// identity, in tracked order.
fn header(log: &Log, ctx: &Context) -> FightReport {
    let players = ctx
        .tracked
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let a = t.agent;
            PlayerStats {
                name: a.character_name(),
                account: a.account_name(),
                profession: a.profession,
                elite: a.is_elite,
                profession_name: profession_name(a.profession, a.is_elite),
                subgroup: t.subgroup,
                team_id: t.team,
                in_squad: t.in_squad,
                is_commander: ctx.commander == Some(i),
                is_pov: ctx.pov == Some(t.index),
                instid: ctx
                    .instid_map
                    .iter()
                    .find(|(_, &ag)| ag == t.index)
                    .map(|(k, _)| *k)
                    .unwrap_or(0),
                ..PlayerStats::default()
            }
        })
        .collect();
    let pov_agent = ctx.pov.and_then(|p| log.agents.get(p));
    FightReport {
        arc_build: log.header.build_str(),
        revision: log.header.revision,
        species_id: log.header.species_id,
        is_wvw: log.header.is_wvw(),
        fight_name: names::fight_name(log.header.species_id, ctx.map_id),
        map_id: ctx.map_id,
        gw2_build: ctx.gw2_build,
        start_time: ctx.start,
        end_time: ctx.end,
        duration_ms: ctx.duration,
        server_start_unix: ctx.log_start.map(|s| s.1),
        server_end_unix: ctx.log_end.map(|s| s.1),
        recorded_by: pov_agent.map(super::model::Agent::character_name),
        recorded_by_account: pov_agent.and_then(super::model::Agent::account_name),
        pov_team: ctx.pov_team,
        commander: ctx
            .commander
            .and_then(|c| ctx.tracked.get(c))
            .map(|t| t.agent.character_name()),
        healing_extension: ctx.healing_extension,
        squad_size: ctx.squad_size() as u32,
        ally_count: ctx.tracked.iter().filter(|t| !t.in_squad).count() as u32,
        enemy_count: ctx.enemy_count,
        enemies_by_team: ctx
            .enemies_by_team
            .iter()
            .map(|(&team_id, &count)| TeamCount { team_id, count })
            .collect(),
        outcome: OutcomeStats::default(),
        squad_boons: Vec::new(),
        players,
        event_count: log.events.len() as u64,
        truncated_at: log.truncated_at,
    }
}

fn round(v: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (v * p).round() / p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{activation, result};
    use crate::model::{Agent, Header};

    /// Records which hook saw which event (by time).
    #[derive(Default)]
    struct Recorder {
        seen: Vec<(&'static str, i64)>,
        hits: Vec<Hit>,
    }

    impl Tracker for Recorder {
        fn damage(&mut self, e: &Event, hit: &Hit, _ctx: &Context) {
            self.seen.push(("damage", e.time));
            self.hits.push(*hit);
        }
        fn buff_apply(&mut self, e: &Event, _ctx: &Context) {
            self.seen.push(("buff_apply", e.time));
        }
        fn buff_remove(&mut self, e: &Event, kind: u8, _ctx: &Context) {
            let hook = match kind {
                buffremove::ALL => "remove_all",
                buffremove::SINGLE => "remove_single",
                _ => "remove_other",
            };
            self.seen.push((hook, e.time));
        }
        fn activation(&mut self, e: &Event, _kind: u8, _ctx: &Context) {
            self.seen.push(("activation", e.time));
        }
        fn state_change(&mut self, e: &Event, sc: StateChange, _ctx: &Context) {
            if matches!(sc, StateChange::Position) {
                self.seen.push(("position", e.time));
            }
        }
        fn finalize(self, _ctx: &Context, _report: &mut FightReport) {}
    }

    const PLAYER: u64 = 0x10;
    const MINION: u64 = 0x20;
    const ENEMY: u64 = 0x30;

    fn agent(address: u64, name: [u8; 64], profession: u32, elite: u32) -> Agent {
        Agent {
            address,
            profession,
            is_elite: elite,
            toughness: 0,
            concentration: 0,
            healing: 0,
            hitbox_width: 0,
            condition: 0,
            hitbox_height: 0,
            name,
        }
    }

    fn log(build: &[u8; 8], events: Vec<Event>) -> Log {
        Log {
            header: Header {
                build: *build,
                revision: 1,
                species_id: Header::SPECIES_WVW,
                spare: 0,
            },
            agents: vec![
                agent(PLAYER, Agent::player_name("Alpha", "alpha.1234", 1), 1, 62),
                agent(MINION, Agent::plain_name("Spirit"), 1234, 0xffff_ffff),
                agent(ENEMY, Agent::player_name("Foe", "", 0), 2, 18),
            ],
            skills: Vec::new(),
            events,
            truncated_at: None,
        }
    }

    /// Feed every event of `log` to two recorders fed as one.
    fn record(log: &Log) -> (Recorder, Recorder) {
        let ctx = Context::new(log);
        let mut pair = (Recorder::default(), Recorder::default());
        for e in &log.events {
            pair.feed(e, &ctx);
        }
        pair
    }

    fn strike(time: i64, src: u64, src_instid: u16, master: u16) -> Event {
        Event {
            time,
            src_agent: src,
            dst_agent: ENEMY,
            src_instid,
            src_master_instid: master,
            value: 100,
            skill_id: 5,
            iff: crate::event::iff::FOE,
            result: result::NORMAL,
            ..Event::default()
        }
    }

    #[test]
    fn each_event_kind_reaches_its_hook_in_both_eras() {
        let apply = |time, sc: u8, value| Event {
            time,
            src_agent: PLAYER,
            dst_agent: PLAYER,
            skill_id: 740,
            buff: 1,
            value,
            is_statechange: sc,
            ..Event::default()
        };
        let remove = |time, sc: u8, kind| Event {
            is_buffremove: kind,
            ..apply(time, sc, 0)
        };
        let cast = Event {
            time: 4,
            src_agent: PLAYER,
            is_activation: activation::START,
            skill_id: 1066,
            ..Event::default()
        };
        let position = Event {
            time: 5,
            src_agent: PLAYER,
            is_statechange: u8::from(StateChange::Position),
            ..Event::default()
        };

        // Before arcdps 20260501: applications, removals and casts are plain events.
        let classic = log(
            b"20240612",
            vec![
                strike(1, PLAYER, 7, 0),
                apply(2, 0, 5000),
                remove(3, 0, buffremove::ALL),
                remove(3, 0, buffremove::SINGLE),
                cast,
                position,
            ],
        );
        let expected = [
            ("damage", 1),
            ("buff_apply", 2),
            ("remove_all", 3),
            ("remove_single", 3),
            ("activation", 4),
            ("position", 5),
        ];
        let (a, b) = record(&classic);
        assert_eq!(a.seen, expected);
        assert_eq!(b.seen, expected);

        // From 20260501 on they are statechanges, reaching the same hooks, and every plain
        // event is damage: a plain buff event with a value is no application any more (nor
        // damage, with result 0), and a plain cast is a strike.
        let reworked = log(
            b"20260601",
            vec![
                strike(1, PLAYER, 7, 0),
                apply(2, u8::from(StateChange::BuffApply), 5000),
                apply(2, u8::from(StateChange::BuffInitial), 5000),
                apply(2, 0, 5000),
                remove(3, u8::from(StateChange::BuffRemoveAll), 0),
                remove(3, u8::from(StateChange::BuffRemoveSingle), 0),
                cast,
                position,
            ],
        );
        let (a, _) = record(&reworked);
        assert_eq!(
            a.seen,
            [
                ("damage", 1),
                ("buff_apply", 2),
                ("buff_apply", 2),
                ("remove_all", 3),
                ("remove_single", 3),
                // A plain event with `is_activation` set is a strike now.
                ("damage", 4),
                ("position", 5),
            ]
        );
    }

    #[test]
    fn a_minions_damage_is_credited_to_its_master() {
        // The player's own strike registers its instance id 7; the minion names 7 as master.
        let l = log(
            b"20240612",
            vec![strike(1, PLAYER, 7, 0), strike(2, MINION, 9, 7)],
        );
        let (a, _) = record(&l);
        let [own, minion] = a.hits.as_slice() else {
            panic!("two hits, got {}", a.hits.len());
        };
        assert_eq!(
            (own.src, own.own, own.dst),
            (Role::Tracked(0), true, Role::Enemy)
        );
        assert_eq!(
            (minion.src, minion.own, minion.dst),
            (Role::Tracked(0), false, Role::Enemy)
        );
        assert!(!own.condi && !minion.condi);
    }
}
