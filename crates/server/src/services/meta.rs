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

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use gw2::data::GameData;
use gw2::model::GameMode;
use serde::{Deserialize, Serialize};
use store::meta::{self as repo, MetaGroup};
use store::Db;
use utoipa::ToSchema;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::services::saved_builds::SYNERGY_SCORES;

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

/// The meta service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Meta {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
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
        if !(1..=MAX_TIME_RANGE_DAYS).contains(&days) {
            return Err(ApiError::validation(
                "time_range",
                format!("must be a number of days from 1 to {MAX_TIME_RANGE_DAYS}"),
            ));
        }
        let profession = match profession.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(
                GameData::embedded()
                    .profession(p)
                    .ok_or_else(|| {
                        ApiError::validation("profession", format!("unknown profession {p:?}"))
                    })?
                    .name
                    .clone(),
            ),
        };
        let now = self.clock.now();
        let since = now - Duration::days(i64::from(days));
        let modes = counted_modes(mode);
        let builds = repo::public_builds(&self.db, &modes, since).await?;
        let slots = repo::team_slots(&self.db, &modes, since).await?;
        let saved = repo::saved_builds(&self.db, &modes, since).await?;
        let fighters = if mode == GameMode::Wvw {
            fight_players(&repo::wvw_fight_reports(&self.db, since, MAX_FIGHTS).await?)
        } else {
            Vec::new()
        };
        let counted = count(
            &Sources {
                builds: &builds,
                slots: &slots,
                saved: &saved,
                fighters: &fighters,
            },
            profession.as_deref(),
        );
        Ok(MetaOverview {
            success: true,
            game_mode: mode.as_str().to_owned(),
            professions: counted.professions,
            archetypes: counted.archetypes,
            synergies: counted.synergies,
            raw_meta: RawMeta {
                time_range_days: days,
                since,
                game_modes: modes.iter().map(|m| (*m).to_owned()).collect(),
                profession,
                builds: counted.builds,
                team_slots: counted.team_slots,
                saved_builds: counted.saved_builds,
                saved_builds_without_profession: counted.saved_without_profession,
                graded_saved_builds: counted.graded,
                fight_players: counted.fight_players,
                entries: counted.entries,
            },
            timestamp: now,
        })
    }
}

/// Fights read for a `wvw` overview, newest first.
const MAX_FIGHTS: i64 = 500;

/// Squad members of fight reports, grouped by (profession, elite specialization) named from
/// the game data (arcdps records the profession code and the elite specialization id; a core
/// build has none). Reports that do not read are skipped: they were written by this service.
fn fight_players(reports: &[String]) -> Vec<MetaGroup> {
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
    let mut groups: BTreeMap<(String, Option<String>), i64> = BTreeMap::new();
    for text in reports {
        let Ok(report) = serde_json::from_str::<Report>(text) else {
            continue;
        };
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
            *groups.entry((prof.name.clone(), spec)).or_default() += 1;
        }
    }
    groups
        .into_iter()
        .map(|((profession, specialization), count)| MetaGroup {
            profession: Some(profession),
            specialization,
            synergy_score: None,
            count,
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

/// The lists and totals of an overview (see the module's documentation).
#[derive(Debug, Default, PartialEq)]
struct Counted {
    professions: Vec<MetaProfession>,
    archetypes: Vec<MetaArchetype>,
    synergies: Vec<MetaArchetype>,
    builds: i64,
    team_slots: i64,
    saved_builds: i64,
    saved_without_profession: i64,
    graded: i64,
    fight_players: i64,
    entries: i64,
}

/// What an overview counts, per source (see the module's documentation).
struct Sources<'a> {
    builds: &'a [MetaGroup],
    slots: &'a [MetaGroup],
    saved: &'a [MetaGroup],
    /// Squad members of public WvW fights (no grade).
    fighters: &'a [MetaGroup],
}

/// Rank of a grade, best first (S = 0); unknown text (the table refuses it) ranks last.
fn grade_rank(grade: &str) -> usize {
    SYNERGY_SCORES
        .iter()
        .position(|g| *g == grade)
        .unwrap_or(SYNERGY_SCORES.len())
}

fn share(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// (profession, specialization).
type Archetype = (String, Option<String>);

fn count(sources: &Sources<'_>, profession: Option<&str>) -> Counted {
    let Sources {
        builds,
        slots,
        saved,
        fighters,
    } = *sources;
    let wanted = |g: &&MetaGroup| profession.is_none_or(|p| g.profession.as_deref() == Some(p));
    let total = |groups: &[MetaGroup]| groups.iter().filter(wanted).map(|g| g.count).sum::<i64>();
    let mut out = Counted {
        builds: total(builds),
        team_slots: total(slots),
        saved_builds: total(saved),
        fight_players: total(fighters),
        saved_without_profession: saved
            .iter()
            .filter(wanted)
            .filter(|g| g.profession.is_none())
            .map(|g| g.count)
            .sum(),
        ..Counted::default()
    };

    // (profession, specialization) → entries, and → count per grade among its saved builds.
    let mut archetypes: BTreeMap<Archetype, i64> = BTreeMap::new();
    let mut grades: BTreeMap<Archetype, BTreeMap<String, i64>> = BTreeMap::new();
    for group in builds
        .iter()
        .chain(slots)
        .chain(saved)
        .chain(fighters)
        .filter(wanted)
    {
        let Some(prof) = &group.profession else {
            continue;
        };
        let key = (prof.clone(), group.specialization.clone());
        *archetypes.entry(key.clone()).or_default() += group.count;
        if let Some(grade) = &group.synergy_score {
            *grades
                .entry(key)
                .or_default()
                .entry(grade.clone())
                .or_default() += group.count;
        }
    }
    out.entries = archetypes.values().sum();

    let mut professions: BTreeMap<String, i64> = BTreeMap::new();
    for ((prof, _), n) in &archetypes {
        *professions.entry(prof.clone()).or_default() += n;
    }
    out.professions = professions
        .into_iter()
        .map(|(profession, count)| MetaProfession {
            ratio: share(count, out.entries),
            profession,
            count,
        })
        .collect();
    // Stable sorts over name-ordered maps: ties stay in name order.
    out.professions.sort_by_key(|p| std::cmp::Reverse(p.count));

    out.archetypes = archetypes
        .into_iter()
        .map(|(key, occurrences)| {
            // Most frequent grade; on a tie the lower one (max_by_key keeps the last maximum,
            // and grades are visited best first).
            let synergy_score = grades.get(&key).and_then(|by_grade| {
                let mut ranked: Vec<(&String, &i64)> = by_grade.iter().collect();
                ranked.sort_by_key(|(g, _)| grade_rank(g));
                ranked
                    .into_iter()
                    .max_by_key(|(_, n)| **n)
                    .map(|(g, _)| g.clone())
            });
            MetaArchetype {
                profession: Some(key.0),
                specialization: key.1,
                synergy_score,
                occurrences,
                frequency: share(occurrences, out.entries),
            }
        })
        .collect();
    out.archetypes
        .sort_by_key(|a| std::cmp::Reverse(a.occurrences));

    let mut graded: Vec<(Archetype, String, i64)> = grades
        .into_iter()
        .flat_map(|(key, by_grade)| {
            by_grade
                .into_iter()
                .map(move |(grade, n)| (key.clone(), grade, n))
        })
        .collect();
    out.graded = graded.iter().map(|(_, _, n)| n).sum();
    graded.sort_by(|(_, ga, na), (_, gb, nb)| grade_rank(ga).cmp(&grade_rank(gb)).then(nb.cmp(na)));
    out.synergies = graded
        .into_iter()
        .map(|((prof, spec), grade, occurrences)| MetaArchetype {
            profession: Some(prof),
            specialization: spec,
            synergy_score: Some(grade),
            occurrences,
            frequency: share(occurrences, out.graded),
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {

    fn sources<'a>(
        builds: &'a [MetaGroup],
        slots: &'a [MetaGroup],
        saved: &'a [MetaGroup],
    ) -> Sources<'a> {
        Sources {
            builds,
            slots,
            saved,
            fighters: &[],
        }
    }

    use super::*;

    fn group(prof: Option<&str>, spec: Option<&str>, grade: Option<&str>, count: i64) -> MetaGroup {
        MetaGroup {
            profession: prof.map(str::to_owned),
            specialization: spec.map(str::to_owned),
            synergy_score: grade.map(str::to_owned),
            count,
        }
    }

    #[test]
    fn nothing_stored_gives_empty_lists() {
        assert_eq!(count(&sources(&[], &[], &[]), None), Counted::default());
    }

    #[test]
    fn a_tied_grade_goes_to_the_lower_one() {
        let saved = [
            group(Some("Guardian"), Some("Firebrand"), Some("S"), 2),
            group(Some("Guardian"), Some("Firebrand"), Some("B"), 2),
            group(Some("Guardian"), Some("Firebrand"), Some("A"), 1),
        ];
        let counted = count(&sources(&[], &[], &saved), None);
        assert_eq!(counted.archetypes.len(), 1);
        assert_eq!(counted.archetypes[0].synergy_score.as_deref(), Some("B"));
        assert_eq!(counted.archetypes[0].occurrences, 5);
        let grades: Vec<_> = counted
            .synergies
            .iter()
            .map(|s| (s.synergy_score.as_deref(), s.occurrences))
            .collect();
        assert_eq!(grades, [(Some("S"), 2), (Some("A"), 1), (Some("B"), 2)]);
        assert_eq!(counted.graded, 5);
    }
}
