//! The meta overview of a game mode (the original client's Meta Dashboard,
//! `meta.service.ts`): which professions and specializations players store, computed only
//! from what is stored, never invented.
//!
//! # What is counted
//! An **entry** is one of these, for the asked game mode and time window (the last
//! `time_range` days up to now):
//! - a public build created in the window;
//! - a slot of a public team saved (created or last replaced) in the window, holding a
//!   public build: the build is counted again for each team that fields it, with its
//!   profession and specialization;
//! - a saved build (any user's; only counts leave this module) saved in the window that
//!   names a profession. Saved builds without one are reported in `raw_meta` only;
//! - for `wvw` (not a single format: a log does not say which format was played), a squad
//!   member of a public WvW fight uploaded in the window (the newest 500 fights), with the
//!   profession and elite specialization arcdps recorded.
//!
//! `wvw` is World versus World in general: it also counts the WvW formats (zerg, guild raid,
//! outnumbered, roaming); a format counts only itself. With `profession`, only that
//! profession's entries are counted.
//!
//! # What is answered
//! - `professions`: per profession, `count` entries and `ratio = count / entries`;
//! - `archetypes`: per (profession, specialization), `occurrences` entries and
//!   `frequency = occurrences / entries`; its `synergy_score` is the grade its saved builds
//!   carry most often (a tie goes to the lower grade, so an archetype is never shown better
//!   than its saves say), or `null` when none of them is graded;
//! - `synergies`: graded saved builds per (profession, specialization, grade),
//!   `frequency = occurrences / graded saved builds`.
//!
//! So each list's ratios or frequencies add up to 1 (up to floating-point rounding), and
//! an empty window answers empty lists. Lists are ordered by count, largest first, then by
//! name; synergies by grade (S first), then count.

//!
//! # The meta analysis (`GET /meta`, `gw2opt meta`)
//! The same entries, over a period and the previous period of the same length, in four
//! dimensions (professions, specializations, roles, stat prefixes) with ratings and trends:
//! [`analysis`] holds the counting and comparison (pure), and documents them. The original
//! client's `/meta/snapshot/{mode}` and `/meta/analyze` shapes are views of it
//! ([`original`]).

pub mod analysis;
pub mod original;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use gw2::build::Equipment;
use gw2::data::GameData;
use gw2::model::GameMode;
use serde::{Deserialize, Serialize};
use store::meta::{self as repo, MetaGroup, Modes, Window};
use store::Db;
use utoipa::ToSchema;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::services::saved_builds::SYNERGY_SCORES;
use analysis::{Entry, FightResult, MetaItem, Source, Tally};

/// The window when the client does not say (what the original client asks for).
pub const DEFAULT_TIME_RANGE_DAYS: u32 = 30;
/// The longest window: ten years.
pub const MAX_TIME_RANGE_DAYS: u32 = 3_650;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaProfession {
    pub profession: String,
    pub count: i64,
    pub ratio: f64,
}

/// An archetype, or (in `synergies`) an archetype with one grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaArchetype {
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub synergy_score: Option<String>,
    pub occurrences: i64,
    pub frequency: f64,
}

/// What the overview was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RawMeta {
    pub time_range_days: u32,
    /// The window's start (its end is `timestamp`).
    pub since: DateTime<Utc>,
    /// The stored game modes counted (`wvw` takes in its formats).
    pub game_modes: Vec<String>,
    /// The profession filter, if any.
    pub profession: Option<String>,
    /// Public builds in the window.
    pub builds: i64,
    /// Slots of public teams in the window holding a public build.
    pub team_slots: i64,
    /// Saved builds in the window (with or without a profession).
    pub saved_builds: i64,
    /// Saved builds in the window that name no profession (not in the lists).
    pub saved_builds_without_profession: i64,
    /// Saved builds in the window with a profession and a grade (what `synergies` counts).
    pub graded_saved_builds: i64,
    /// Squad members of public WvW fights in the window (`wvw` only).
    pub fight_players: i64,
    /// Entries in the lists (what `professions` and `archetypes` divide by).
    pub entries: i64,
}

/// `MetaOverviewResponse` of the original client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaOverview {
    pub success: bool,
    pub game_mode: String,
    pub professions: Vec<MetaProfession>,
    pub archetypes: Vec<MetaArchetype>,
    pub synergies: Vec<MetaArchetype>,
    pub raw_meta: RawMeta,
    pub timestamp: DateTime<Utc>,
}

/// The two periods of an analysis: the current one is `since` up to now (and anything
/// stored later), the previous one `previous_since` up to `since`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaPeriod {
    pub days: u32,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub previous_since: DateTime<Utc>,
}

/// What one period was counted from, and each dimension's entries (what its shares divide
/// by).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaTotals {
    /// Public builds created in the period.
    pub builds: i64,
    /// Slots of public teams saved in the period holding a public build.
    pub team_slots: i64,
    /// Saved builds saved in the period (with or without a profession).
    pub saved_builds: i64,
    /// Of those, the ones naming no profession (in no dimension).
    pub saved_builds_without_profession: i64,
    /// Public WvW fights uploaded in the period (`wvw` or every mode only).
    pub fights: i64,
    /// Their squad members.
    pub fight_players: i64,
    /// Professions' and specializations' entries.
    pub entries: i64,
    /// Roles' entries (builds and team slots).
    pub role_entries: i64,
    /// Stat prefixes' entries (builds and team slots with gear).
    pub prefix_entries: i64,
}

/// Both periods' totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaTotalsCompared {
    pub current: MetaTotals,
    pub previous: MetaTotals,
}

/// `GET /meta`: popularity, ratings and trends of professions, specializations, roles and
/// stat prefixes (see [`analysis`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaAnalysis {
    /// The asked mode, canonical; `null`: every mode.
    pub game_mode: Option<String>,
    /// The stored modes counted (`wvw` takes in its formats); `null`: every mode.
    pub game_modes: Option<Vec<String>>,
    pub profession: Option<String>,
    pub period: MetaPeriod,
    pub totals: MetaTotalsCompared,
    pub professions: Vec<MetaItem>,
    pub specializations: Vec<MetaItem>,
    pub roles: Vec<MetaItem>,
    pub stat_prefixes: Vec<MetaItem>,
    pub timestamp: DateTime<Utc>,
}

/// The meta service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Meta {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
}

/// Both periods counted, with what they were asked for.
pub(crate) struct Computed {
    pub mode: Option<GameMode>,
    pub modes: Option<Vec<&'static str>>,
    pub profession: Option<String>,
    pub period: MetaPeriod,
    pub current: Counted,
    pub previous: Counted,
    pub now: DateTime<Utc>,
}

/// One period: its tally and how many fights it read.
pub(crate) struct Counted {
    pub tally: Tally,
    pub fights: i64,
}

impl Meta {
    /// The overview of `game_mode` over the last `time_range` days (default 30), optionally
    /// of one profession. An unknown mode or profession, or a window outside
    /// 1..=3650 days, is a 422 naming it.
    pub async fn overview(
        &self,
        game_mode: &str,
        time_range: Option<u32>,
        profession: Option<&str>,
    ) -> ApiResult<MetaOverview> {
        let mode: GameMode = crate::error::parse_named("game_mode", game_mode)?;
        let days = time_range.unwrap_or(DEFAULT_TIME_RANGE_DAYS);
        check_days("time_range", days)?;
        let profession = profession_named(profession)?;
        let now = self.clock.now();
        let since = now - Duration::days(i64::from(days));
        let modes = counted_modes(mode);
        let counted = self
            .count(Some(&modes), mode == GameMode::Wvw, Window::since(since))
            .await?;
        let t = analysis::tally(&counted.0, profession.as_deref());
        let lists = overview_lists(&t);
        Ok(MetaOverview {
            success: true,
            game_mode: mode.as_str().to_owned(),
            professions: lists.professions,
            archetypes: lists.archetypes,
            synergies: lists.synergies,
            raw_meta: RawMeta {
                time_range_days: days,
                since,
                game_modes: modes.iter().map(|m| (*m).to_owned()).collect(),
                profession,
                builds: t.all.builds,
                team_slots: t.all.team_slots,
                saved_builds: t.all.saved_builds,
                saved_builds_without_profession: t.saved_without_profession,
                graded_saved_builds: lists.graded,
                fight_players: t.all.fight_players,
                entries: t.entries(),
            },
            timestamp: now,
        })
    }

    /// The meta analysis of `game_mode` (every mode when absent or blank) over the last
    /// `period` (`30d`, `4w`; default 30 days) against the period before it, optionally of
    /// one profession. Bad input is a 422 naming `game_mode`, `period` or `profession`.
    pub async fn analysis(
        &self,
        game_mode: Option<&str>,
        period: Option<&str>,
        profession: Option<&str>,
    ) -> ApiResult<MetaAnalysis> {
        let days = match period.map(str::trim).filter(|p| !p.is_empty()) {
            None => DEFAULT_TIME_RANGE_DAYS,
            Some(p) => analysis::parse_period(p, MAX_TIME_RANGE_DAYS)
                .map_err(|e| ApiError::validation("period", e))?,
        };
        let mode = match game_mode.map(str::trim).filter(|m| !m.is_empty()) {
            None => None,
            Some(m) => Some(crate::error::parse_named::<GameMode>("game_mode", m)?),
        };
        let computed = self.compute(mode, days, profession).await?;
        Ok(analysis_of(&computed))
    }

    /// The original's `/meta/snapshot/{game_mode}`: the last 7 days against the 7 before
    /// (see [`original`]).
    pub async fn snapshot(
        &self,
        game_mode: &str,
        profession: Option<&str>,
    ) -> ApiResult<original::MetaSnapshotResponse> {
        let mode: GameMode = crate::error::parse_named("game_mode", game_mode)?;
        let computed = self
            .compute(Some(mode), original::SNAPSHOT_DAYS, profession)
            .await?;
        Ok(original::snapshot(&computed))
    }

    /// The original's `/meta/analyze` (see [`original`]).
    pub async fn analyze(
        &self,
        request: &original::MetaAnalyzeRequest,
    ) -> ApiResult<original::MetaAnalyzeResponse> {
        let mode: GameMode = crate::error::parse_named("game_mode", &request.game_mode)?;
        let days = request.time_range.unwrap_or(DEFAULT_TIME_RANGE_DAYS);
        check_days("time_range", days)?;
        let computed = self
            .compute(Some(mode), days, request.profession.as_deref())
            .await?;
        Ok(original::report(&computed))
    }

    /// Both periods of `days` counted for `mode` (every mode when `None`).
    pub(crate) async fn compute(
        &self,
        mode: Option<GameMode>,
        days: u32,
        profession: Option<&str>,
    ) -> ApiResult<Computed> {
        check_days("period", days)?;
        let profession = profession_named(profession)?;
        let now = self.clock.now();
        let since = now - Duration::days(i64::from(days));
        let previous_since = since - Duration::days(i64::from(days));
        let modes = mode.map(counted_modes);
        // Fights are WvW: counted for WvW in general and for every mode, not for one format
        // (a log does not say which format was played).
        let fights = mode.is_none_or(|m| m == GameMode::Wvw);
        let mut periods = Vec::with_capacity(2);
        for window in [
            Window::since(since),
            Window {
                since: previous_since,
                until: Some(since),
            },
        ] {
            let (entries, fight_count) = self.count(modes.as_deref(), fights, window).await?;
            periods.push(Counted {
                tally: analysis::tally(&entries, profession.as_deref()),
                fights: fight_count,
            });
        }
        let previous = periods.pop().unwrap_or_else(|| Counted {
            tally: Tally::default(),
            fights: 0,
        });
        let current = periods.pop().unwrap_or_else(|| Counted {
            tally: Tally::default(),
            fights: 0,
        });
        Ok(Computed {
            mode,
            modes,
            profession,
            period: MetaPeriod {
                days,
                since,
                until: now,
                previous_since,
            },
            current,
            previous,
            now,
        })
    }

    /// The entries of one window from every source, and how many fights were read.
    async fn count(
        &self,
        modes: Option<&[&str]>,
        fights: bool,
        window: Window,
    ) -> ApiResult<(Vec<Entry>, i64)> {
        let modes = match modes {
            Some(m) => Modes::Some(m),
            None => Modes::All,
        };
        let mut entries = Vec::new();
        for (source, groups) in [
            (
                Source::Build,
                repo::public_builds(&self.db, modes, window).await?,
            ),
            (
                Source::TeamSlot,
                repo::team_slots(&self.db, modes, window).await?,
            ),
            (
                Source::SavedBuild,
                repo::saved_builds(&self.db, modes, window).await?,
            ),
        ] {
            entries.extend(groups.into_iter().map(|g| entry_of(source, g)));
        }
        let mut fight_count = 0;
        if fights {
            let reports = repo::wvw_fight_reports(&self.db, window, MAX_FIGHTS).await?;
            fight_count = i64::try_from(reports.len()).unwrap_or(i64::MAX);
            entries.extend(fight_players(&reports));
        }
        Ok((entries, fight_count))
    }
}

fn check_days(field: &str, days: u32) -> ApiResult<()> {
    if (1..=MAX_TIME_RANGE_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(ApiError::validation(
            field,
            format!("must be a number of days from 1 to {MAX_TIME_RANGE_DAYS}"),
        ))
    }
}

/// The profession filter, named as the game data spells it; blank is none.
fn profession_named(profession: Option<&str>) -> ApiResult<Option<String>> {
    match profession.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => Ok(Some(
            GameData::embedded()
                .profession(p)
                .ok_or_else(|| {
                    ApiError::validation("profession", format!("unknown profession {p:?}"))
                })?
                .name
                .clone(),
        )),
    }
}

/// The analysis answer of both periods counted.
pub(crate) fn analysis_of(c: &Computed) -> MetaAnalysis {
    let compared = analysis::compare(&c.current.tally, &c.previous.tally);
    MetaAnalysis {
        game_mode: c.mode.map(|m| m.as_str().to_owned()),
        game_modes: c
            .modes
            .as_ref()
            .map(|m| m.iter().map(|s| (*s).to_owned()).collect()),
        profession: c.profession.clone(),
        period: c.period.clone(),
        totals: MetaTotalsCompared {
            current: totals_of(&c.current),
            previous: totals_of(&c.previous),
        },
        professions: compared.professions,
        specializations: compared.specializations,
        roles: compared.roles,
        stat_prefixes: compared.stat_prefixes,
        timestamp: c.now,
    }
}

fn totals_of(c: &Counted) -> MetaTotals {
    let t = &c.tally;
    MetaTotals {
        builds: t.all.builds,
        team_slots: t.all.team_slots,
        saved_builds: t.all.saved_builds,
        saved_builds_without_profession: t.saved_without_profession,
        fights: c.fights,
        fight_players: t.all.fight_players,
        entries: t.entries(),
        role_entries: t.role_entries(),
        prefix_entries: t.prefix_entries(),
    }
}

/// A store group as entries: builds and team slots with their role and main prefix.
fn entry_of(source: Source, g: MetaGroup) -> Entry {
    let prefix = g
        .equipment
        .as_deref()
        .and_then(|text| serde_json::from_str::<Equipment>(text).ok())
        .and_then(|e| analysis::main_prefix(e.gear.values()));
    Entry {
        source,
        profession: g.profession,
        specialization: g.specialization,
        role: g.role,
        prefix,
        grade: g.synergy_score,
        upvotes: g.upvotes,
        downvotes: g.downvotes,
        result: None,
        count: g.count,
    }
}

/// Fights read per period, newest first.
const MAX_FIGHTS: i64 = 500;

/// Squad members of fight reports, grouped by (profession, elite specialization, result)
/// named from the game data (arcdps records the profession code and the elite specialization
/// id; a core build has none). Reports that do not read are skipped: they were written by
/// this service.
fn fight_players(reports: &[repo::FightReport]) -> Vec<Entry> {
    #[derive(Deserialize)]
    struct Report {
        #[serde(default)]
        players: Vec<Player>,
    }
    #[derive(Deserialize)]
    struct Player {
        profession: u32,
        elite: u32,
        #[serde(default)]
        in_squad: bool,
    }
    let data = GameData::embedded();
    let mut groups: BTreeMap<(String, Option<String>, Option<&'static str>), i64> = BTreeMap::new();
    for fight in reports {
        let Ok(report) = serde_json::from_str::<Report>(&fight.report) else {
            continue;
        };
        let result = FightResult::parse(&fight.outcome);
        let result_key = result.map(|r| match r {
            FightResult::Victory => "victory",
            FightResult::Defeat => "defeat",
            FightResult::Draw => "draw",
        });
        for p in report.players.iter().filter(|p| p.in_squad) {
            let Some(prof) = u8::try_from(p.profession)
                .ok()
                .and_then(|code| data.profession_by_code(code))
            else {
                continue;
            };
            let spec = u16::try_from(p.elite)
                .ok()
                .and_then(|id| data.specialization_by_id(id))
                .filter(|s| s.elite)
                .map(|s| s.name.clone());
            *groups
                .entry((prof.name.clone(), spec, result_key))
                .or_default() += 1;
        }
    }
    groups
        .into_iter()
        .map(|((profession, specialization, result), count)| Entry {
            result: result.and_then(FightResult::parse),
            ..Entry::of(
                Source::FightPlayer,
                Some(&profession),
                specialization.as_deref(),
                count,
            )
        })
        .collect()
}

/// The stored game modes an overview of `mode` counts: WvW in general takes in its formats.
fn counted_modes(mode: GameMode) -> Vec<&'static str> {
    if mode == GameMode::Wvw {
        GameMode::ALL
            .iter()
            .filter(|m| m.is_wvw())
            .map(|m| m.as_str())
            .collect()
    } else {
        vec![mode.as_str()]
    }
}

/// The overview's lists of a tally (see the module's documentation).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct OverviewLists {
    pub professions: Vec<MetaProfession>,
    pub archetypes: Vec<MetaArchetype>,
    pub synergies: Vec<MetaArchetype>,
    /// Graded saved builds with a profession (what `synergies` divides by).
    pub graded: i64,
}

/// Rank of a grade, best first (S = 0); unknown text (the table refuses it) ranks last.
fn grade_rank(grade: &str) -> usize {
    SYNERGY_SCORES
        .iter()
        .position(|g| *g == grade)
        .unwrap_or(SYNERGY_SCORES.len())
}

pub(crate) fn overview_lists(t: &Tally) -> OverviewLists {
    let entries = t.entries();
    let share = analysis::share;
    let mut professions: Vec<MetaProfession> = t
        .professions
        .iter()
        .map(|(profession, s)| MetaProfession {
            profession: profession.clone(),
            count: s.count,
            ratio: share(s.count, entries),
        })
        .collect();
    // Stable sorts over name-ordered maps: ties stay in name order.
    professions.sort_by_key(|p| std::cmp::Reverse(p.count));

    let mut archetypes: Vec<MetaArchetype> = t
        .specializations
        .iter()
        .map(|(key, s)| {
            // Most frequent grade; on a tie the lower one (max_by_key keeps the last maximum,
            // and grades are visited best first).
            let synergy_score = t.grades.get(key).and_then(|by_grade| {
                let mut ranked: Vec<(&String, &i64)> = by_grade.iter().collect();
                ranked.sort_by_key(|(g, _)| grade_rank(g));
                ranked
                    .into_iter()
                    .max_by_key(|(_, n)| **n)
                    .map(|(g, _)| g.clone())
            });
            MetaArchetype {
                profession: Some(key.0.clone()),
                specialization: key.1.clone(),
                synergy_score,
                occurrences: s.count,
                frequency: share(s.count, entries),
            }
        })
        .collect();
    archetypes.sort_by_key(|a| std::cmp::Reverse(a.occurrences));

    let mut graded: Vec<(&analysis::Archetype, &String, i64)> = t
        .grades
        .iter()
        .flat_map(|(key, by_grade)| by_grade.iter().map(move |(grade, n)| (key, grade, *n)))
        .collect();
    let graded_total: i64 = graded.iter().map(|(_, _, n)| n).sum();
    graded.sort_by(|(_, ga, na), (_, gb, nb)| grade_rank(ga).cmp(&grade_rank(gb)).then(nb.cmp(na)));
    let synergies = graded
        .into_iter()
        .map(|((prof, spec), grade, occurrences)| MetaArchetype {
            profession: Some(prof.clone()),
            specialization: spec.clone(),
            synergy_score: Some(grade.clone()),
            occurrences,
            frequency: share(occurrences, graded_total),
        })
        .collect();
    OverviewLists {
        professions,
        archetypes,
        synergies,
        graded: graded_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(prof: Option<&str>, spec: Option<&str>, grade: Option<&str>, count: i64) -> Entry {
        Entry {
            grade: grade.map(str::to_owned),
            ..Entry::of(Source::SavedBuild, prof, spec, count)
        }
    }

    #[test]
    fn nothing_stored_gives_empty_lists() {
        assert_eq!(
            overview_lists(&analysis::tally(&[], None)),
            OverviewLists::default()
        );
    }

    #[test]
    fn a_tied_grade_goes_to_the_lower_one() {
        let entries = [
            saved(Some("Guardian"), Some("Firebrand"), Some("S"), 2),
            saved(Some("Guardian"), Some("Firebrand"), Some("B"), 2),
            saved(Some("Guardian"), Some("Firebrand"), Some("A"), 1),
        ];
        let lists = overview_lists(&analysis::tally(&entries, None));
        assert_eq!(lists.archetypes.len(), 1);
        assert_eq!(lists.archetypes[0].synergy_score.as_deref(), Some("B"));
        assert_eq!(lists.archetypes[0].occurrences, 5);
        let grades: Vec<_> = lists
            .synergies
            .iter()
            .map(|s| (s.synergy_score.as_deref(), s.occurrences))
            .collect();
        assert_eq!(grades, [(Some("S"), 2), (Some("A"), 1), (Some("B"), 2)]);
        assert_eq!(lists.graded, 5);
    }

    #[test]
    fn a_builds_main_prefix_and_role_come_from_its_stored_row() {
        let group = MetaGroup {
            profession: Some("Guardian".into()),
            specialization: Some("Firebrand".into()),
            synergy_score: None,
            role: Some("support".into()),
            equipment: Some(
                r#"{"gear":{"helm":"Minstrel's","coat":"Minstrel's","amulet":"Harrier's"}}"#.into(),
            ),
            upvotes: 3,
            downvotes: 1,
            count: 2,
        };
        let e = entry_of(Source::Build, group);
        assert_eq!(e.prefix.as_deref(), Some("Minstrel's"));
        assert_eq!(e.role.as_deref(), Some("support"));
        assert_eq!((e.upvotes, e.downvotes, e.count), (3, 1, 2));
        // No gear (or unreadable JSON): no prefix, still counted elsewhere.
        let bare = MetaGroup {
            profession: None,
            specialization: None,
            synergy_score: None,
            role: None,
            equipment: Some("{}".into()),
            upvotes: 0,
            downvotes: 0,
            count: 1,
        };
        assert_eq!(entry_of(Source::Build, bare).prefix, None);
    }
}
