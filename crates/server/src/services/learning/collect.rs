//! The collector: what users store becomes one task's samples (`learning::features`).
//!
//! - `fight_outcome`: every stored WvW fight's report (any uploader's, public or not: the
//!   samples keep only squad aggregates, and only superusers export them), newest first,
//!   one sample per won or lost fight;
//! - `player_contribution`: the same fights, one sample per squad member alive for at least
//!   half of the fight (`learning::features::player`: the contribution index from profession,
//!   specialization, own boon uptimes and the squad); the samples carry no name (their
//!   source is `fight:<id>/player:<position in the report>`). `sources.read.squad_members`
//!   counts the members of the fights read; `sources.skipped` counts fights
//!   (`too_few_players`, `no_output`...) and members (`player_too_little_time`) that gave
//!   none;
//! - `build_rating`: every public build, newest first, labelled from its votes and views,
//!   the saved builds holding its chat code (the in-game template: traits and skills, so
//!   builds sharing a template share its saves), the team slots fielding it, and the feedback
//!   ratings (`ai_feedback`, Team Commander and adviser answers) whose target is the build's
//!   id or the id of a team fielding it.
//!
//! At most [`MAX_SAMPLES`] samples per task; reports and builds are read a page at a time
//! and turned into features on the blocking pool.

use std::collections::{BTreeMap, HashMap};

use gw2::data::GameData;
use learning::features::build::{self, BuildFacts, BuildSignals};
use learning::features::{fight, player};
use learning::{Sample, Task};
use serde::Serialize;
use store::learning as repo;
use store::Db;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Most samples collected per task (the newest).
pub const MAX_SAMPLES: usize = 50_000;
/// Rows read per page.
const PAGE: i64 = 200;

/// What a collection read, kept with the snapshot (`learning_snapshots.sources`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sources {
    /// Rows read per source table.
    pub read: BTreeMap<&'static str, usize>,
    /// Rows that gave no sample, per reason.
    pub skipped: BTreeMap<&'static str, usize>,
    pub samples: usize,
}

/// The samples of `task` as the database holds them now.
pub async fn collect(db: &Db, task: Task) -> ApiResult<(Vec<Sample>, Sources)> {
    match task {
        Task::FightOutcome => fights(db, None, fight_sample).await,
        Task::BuildRating => builds(db).await,
        Task::PlayerContribution => fights(db, Some("squad_members"), player_samples).await,
    }
}

/// What one stored fight report gave: its samples, one reason per fight or squad member
/// that gave none, and how many squad members it has.
#[derive(Default)]
struct FromReport {
    samples: Vec<Sample>,
    skipped: Vec<&'static str>,
    squad_members: usize,
}

/// `fight_outcome`: one sample per won or lost fight.
fn fight_sample(report: &evtc::FightReport, source: &str) -> FromReport {
    match fight::sample(report, source) {
        Ok(sample) => FromReport {
            samples: vec![sample],
            ..FromReport::default()
        },
        Err(skip) => FromReport {
            skipped: vec![skip.as_str()],
            ..FromReport::default()
        },
    }
}

/// `player_contribution`: one sample per squad member counted.
fn player_samples(report: &evtc::FightReport, source: &str) -> FromReport {
    let squad_members = report.squad().count();
    match player::samples(report, source) {
        Ok(out) => FromReport {
            samples: out.samples,
            skipped: out
                .skipped
                .into_iter()
                .map(player::PlayerSkip::as_str)
                .collect(),
            squad_members,
        },
        Err(skip) => FromReport {
            samples: Vec::new(),
            skipped: vec![skip.as_str()],
            squad_members,
        },
    }
}

/// The samples of every stored WvW fight report, newest first, `per_report` turning each
/// into samples; `members` names the count of squad members read, for a task that counts
/// them.
async fn fights(
    db: &Db,
    members: Option<&'static str>,
    per_report: fn(&evtc::FightReport, &str) -> FromReport,
) -> ApiResult<(Vec<Sample>, Sources)> {
    let mut samples = Vec::new();
    let mut sources = Sources::default();
    let mut skip = 0;
    while samples.len() < MAX_SAMPLES {
        let page = repo::wvw_fight_reports(db, skip, PAGE).await?;
        if page.is_empty() {
            break;
        }
        skip += page.len() as i64;
        *sources.read.entry("fights").or_default() += page.len();
        let outcomes = tokio::task::spawn_blocking(move || {
            page.into_iter()
                .map(
                    |(id, json)| match serde_json::from_str::<evtc::FightReport>(&json) {
                        Ok(report) => per_report(&report, &format!("fight:{id}")),
                        Err(_) => FromReport {
                            skipped: vec!["unreadable_report"],
                            ..FromReport::default()
                        },
                    },
                )
                .collect::<Vec<_>>()
        })
        .await
        .map_err(ApiError::internal)?;
        for outcome in outcomes {
            if let Some(name) = members {
                *sources.read.entry(name).or_default() += outcome.squad_members;
            }
            for sample in outcome.samples {
                if samples.len() < MAX_SAMPLES {
                    samples.push(sample);
                } else {
                    *sources.skipped.entry("over_cap").or_default() += 1;
                }
            }
            for reason in outcome.skipped {
                *sources.skipped.entry(reason).or_default() += 1;
            }
        }
    }
    sources.samples = samples.len();
    Ok((samples, sources))
}

/// What the build pages are labelled with, read once.
struct Signals {
    team_uses: HashMap<Uuid, i64>,
    teams_of: HashMap<Uuid, Vec<Uuid>>,
    /// Feedback (count, sum) per target that is an id.
    feedback: HashMap<Uuid, (i64, i64)>,
    saves: HashMap<String, i64>,
}

async fn signals(db: &Db, sources: &mut Sources) -> ApiResult<Signals> {
    let slots = repo::team_slot_builds(db).await?;
    sources.read.insert("team_slots", slots.len());
    let mut team_uses: HashMap<Uuid, i64> = HashMap::new();
    let mut teams_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (team, build) in slots {
        *team_uses.entry(build).or_default() += 1;
        let teams = teams_of.entry(build).or_default();
        if !teams.contains(&team) {
            teams.push(team);
        }
    }
    let totals = repo::feedback_totals(db).await?;
    sources
        .read
        .insert("feedback", totals.iter().map(|(_, n, _)| *n as usize).sum());
    let feedback = totals
        .into_iter()
        .filter_map(|(target, n, sum)| Some((Uuid::parse_str(target.trim()).ok()?, (n, sum))))
        .fold(
            HashMap::new(),
            |mut map: HashMap<Uuid, (i64, i64)>, (id, (n, sum))| {
                let entry = map.entry(id).or_default();
                entry.0 += n;
                entry.1 += sum;
                map
            },
        );
    let codes = repo::saved_chat_codes(db).await?;
    sources
        .read
        .insert("saved_builds", codes.iter().map(|(_, n)| *n as usize).sum());
    Ok(Signals {
        team_uses,
        teams_of,
        feedback,
        saves: codes.into_iter().collect(),
    })
}

impl Signals {
    fn of(&self, row: &store::builds::BuildRow, chat_code: Option<&str>) -> BuildSignals {
        let mut feedback = self.feedback.get(&row.id).copied().unwrap_or((0, 0));
        for team in self.teams_of.get(&row.id).into_iter().flatten() {
            if let Some((n, sum)) = self.feedback.get(team) {
                feedback.0 += n;
                feedback.1 += sum;
            }
        }
        BuildSignals {
            upvotes: i64::from(row.upvotes),
            downvotes: i64::from(row.downvotes),
            views: row.views,
            saves: chat_code
                .and_then(|c| self.saves.get(c))
                .copied()
                .unwrap_or(0),
            team_uses: self.team_uses.get(&row.id).copied().unwrap_or(0),
            feedback_count: feedback.0,
            feedback_sum: feedback.1,
        }
    }
}

async fn builds(db: &Db) -> ApiResult<(Vec<Sample>, Sources)> {
    let mut sources = Sources::default();
    let signals = std::sync::Arc::new(signals(db, &mut sources).await?);
    let mut samples = Vec::new();
    let mut skip = 0;
    while samples.len() < MAX_SAMPLES {
        let page = repo::public_builds(db, skip, PAGE).await?;
        if page.is_empty() {
            break;
        }
        skip += page.len() as i64;
        *sources.read.entry("builds").or_default() += page.len();
        let signals = signals.clone();
        let outcomes = tokio::task::spawn_blocking(move || {
            page.iter()
                .map(|row| build_sample(row, &signals))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(ApiError::internal)?;
        for outcome in outcomes {
            match outcome {
                Some(sample) if samples.len() < MAX_SAMPLES => samples.push(sample),
                Some(_) => *sources.skipped.entry("over_cap").or_default() += 1,
                None => *sources.skipped.entry("unreadable_build").or_default() += 1,
            }
        }
    }
    sources.samples = samples.len();
    Ok((samples, sources))
}

/// The sample of one stored build; `None` when the row does not read back as a build.
fn build_sample(row: &store::builds::BuildRow, signals: &Signals) -> Option<Sample> {
    let typed = row.build().ok()?;
    // A saved build is the same build when it holds the same chat code.
    let chat_code = typed.to_chat_code(GameData::embedded()).ok();
    let facts = BuildFacts {
        profession: typed.profession.clone(),
        specialization: typed.specialization.clone(),
        role: typed.role.as_str().to_owned(),
        game_mode: typed.game_mode.as_str().to_owned(),
        stat_prefixes: typed.equipment.gear.values().cloned().collect(),
    };
    Some(build::sample(
        &facts,
        &signals.of(row, chat_code.as_deref()),
        &format!("build:{}", row.id),
    ))
}
