//! The original service's meta shapes, answered from the meta analysis (pure: a computed
//! analysis in, the shapes out).
//!
//! The original client never called these; the original backend (`app/api/meta.py`, its
//! `MetaAgent` and `MetaAnalysisWorkflow`) answered them with placeholders. Its field names
//! are kept and each field filled from what is stored:
//!
//! - `GET /meta/snapshot/{game_mode}?profession=` → `{success, snapshot, trends, timestamp}`
//!   over the last [`SNAPSHOT_DAYS`] days (the original's snapshot window), against the 7
//!   days before. `snapshot` = `{game_mode, profession, period_days, top_builds,
//!   popular_roles, common_synergies, timestamp}`: `top_builds` are the ten most counted
//!   specializations (analysis items), `popular_roles` are `{role, popularity, count, trend}`
//!   (`popularity` = share of role entries), `common_synergies` are the overview's
//!   `synergies` (graded saved builds per archetype and grade).
//! - `POST /meta/analyze {game_mode, profession?, include_api_data?, time_range?}` →
//!   `{success, report, timestamp}`; `report` = `{title, game_mode, profession,
//!   analysis_period, generated_at, executive_summary, meta_snapshot, trends, analysis}` over
//!   `time_range` days (default 30) against the period before. `include_api_data` is
//!   accepted for the original client's sake and changes nothing: the game data is compiled
//!   in. The original's `viability_scores`, `recommendations` and `predictions` were
//!   invented numbers and are not answered.
//!
//! A trend is an item whose trend is not `stable`: `{type, name, profession,
//! specialization, trend, description, change_percentage, share, previous_share,
//! confidence, detected_at}`, with `type` one of `profession_popularity`,
//! `specialization_popularity`, `role_popularity`, `stat_prefix_popularity` and
//! `change_percentage` the share delta as a fraction (0.15 = 15 percentage points), largest
//! change first. A **strong** trend moved at least [`STRONG_DELTA`] with a confidence of at
//! least [`STRONG_CONFIDENCE`]; `meta_stability` is `stable` with none, `shifting` with one
//! or two, `volatile` with three or more (the original's thresholds on its trend count).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::analysis::{MetaItem, Trend};
use super::{analysis_of, overview_lists, Computed, MetaAnalysis, MetaArchetype};

/// The original's snapshot window.
pub const SNAPSHOT_DAYS: u32 = 7;
/// Most `top_builds` in a snapshot.
pub const TOP_BUILDS: usize = 10;
/// A strong trend moved the share by at least this much...
pub const STRONG_DELTA: f64 = 0.05;
/// ...and is this unlikely to be chance.
pub const STRONG_CONFIDENCE: f64 = 0.95;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PopularRole {
    pub role: String,
    /// Share of the period's role entries.
    pub popularity: f64,
    pub count: i64,
    pub trend: Trend,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaSnapshot {
    pub game_mode: String,
    pub profession: Option<String>,
    pub period_days: u32,
    /// The most counted specializations, at most ten.
    pub top_builds: Vec<MetaItem>,
    pub popular_roles: Vec<PopularRole>,
    /// Graded saved builds per archetype and grade (the overview's `synergies`).
    pub common_synergies: Vec<MetaArchetype>,
    pub timestamp: DateTime<Utc>,
}

/// An item that rose, fell or appeared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaTrend {
    /// profession_popularity | specialization_popularity | role_popularity |
    /// stat_prefix_popularity
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub trend: Trend,
    pub description: String,
    /// The share delta as a fraction.
    pub change_percentage: f64,
    pub share: f64,
    pub previous_share: f64,
    pub confidence: Option<f64>,
    pub detected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaSnapshotResponse {
    pub success: bool,
    pub snapshot: MetaSnapshot,
    pub trends: Vec<MetaTrend>,
    pub timestamp: DateTime<Utc>,
}

/// The original's `MetaAnalysisRequest`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MetaAnalyzeRequest {
    /// A game mode (`wvw`, `zerg`, `roaming`, `raid`...).
    pub game_mode: String,
    pub profession: Option<String>,
    /// Accepted; changes nothing (the game data is compiled in).
    pub include_api_data: Option<bool>,
    /// Days, 1..=3650, default 30.
    pub time_range: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExecutiveSummary {
    pub total_trends_detected: usize,
    pub strong_trends: usize,
    /// stable | shifting | volatile
    pub meta_stability: String,
    pub key_insights: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaReport {
    pub title: String,
    pub game_mode: String,
    pub profession: Option<String>,
    /// "30 days"
    pub analysis_period: String,
    pub generated_at: DateTime<Utc>,
    pub executive_summary: ExecutiveSummary,
    pub meta_snapshot: MetaSnapshot,
    pub trends: Vec<MetaTrend>,
    /// The whole analysis the report was drawn from.
    pub analysis: MetaAnalysis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaAnalyzeResponse {
    pub success: bool,
    pub report: MetaReport,
    pub timestamp: DateTime<Utc>,
}

fn snapshot_of(c: &Computed, a: &MetaAnalysis) -> MetaSnapshot {
    MetaSnapshot {
        game_mode: a.game_mode.clone().unwrap_or_default(),
        profession: a.profession.clone(),
        period_days: c.period.days,
        top_builds: a
            .specializations
            .iter()
            .filter(|i| i.count > 0)
            .take(TOP_BUILDS)
            .cloned()
            .collect(),
        popular_roles: a
            .roles
            .iter()
            .filter(|i| i.count > 0)
            .map(|i| PopularRole {
                role: i.name.clone(),
                popularity: i.share,
                count: i.count,
                trend: i.trend,
            })
            .collect(),
        common_synergies: overview_lists(&c.current.tally).synergies,
        timestamp: c.now,
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Every item that is not stable, largest change first (then dimension order).
pub fn trends_of(a: &MetaAnalysis) -> Vec<MetaTrend> {
    let mut trends = Vec::new();
    for (kind, what, items) in [
        ("profession_popularity", "profession", &a.professions),
        (
            "specialization_popularity",
            "specialization",
            &a.specializations,
        ),
        ("role_popularity", "role", &a.roles),
        ("stat_prefix_popularity", "stat prefix", &a.stat_prefixes),
    ] {
        for item in items.iter().filter(|i| i.trend != Trend::Stable) {
            let description = match item.trend {
                Trend::New => format!(
                    "{} is new: {} of {what} entries (none in the previous period)",
                    item.name,
                    percent(item.share)
                ),
                Trend::Rising => format!(
                    "{} rose from {} to {} of {what} entries",
                    item.name,
                    percent(item.previous_share),
                    percent(item.share)
                ),
                Trend::Falling | Trend::Stable => format!(
                    "{} fell from {} to {} of {what} entries",
                    item.name,
                    percent(item.previous_share),
                    percent(item.share)
                ),
            };
            trends.push(MetaTrend {
                kind: kind.to_owned(),
                name: item.name.clone(),
                profession: item.profession.clone(),
                specialization: item.specialization.clone(),
                trend: item.trend,
                description,
                change_percentage: item.share_delta,
                share: item.share,
                previous_share: item.previous_share,
                confidence: item.confidence,
                detected_at: a.timestamp,
            });
        }
    }
    // Stable sort: equal changes keep the dimension order.
    trends.sort_by(|x, y| {
        y.change_percentage
            .abs()
            .total_cmp(&x.change_percentage.abs())
    });
    trends
}

/// A trend that moved enough and is unlikely to be chance.
pub fn is_strong(t: &MetaTrend) -> bool {
    t.change_percentage.abs() >= STRONG_DELTA
        && t.confidence.is_some_and(|c| c >= STRONG_CONFIDENCE)
}

pub(crate) fn snapshot(c: &Computed) -> MetaSnapshotResponse {
    let a = analysis_of(c);
    MetaSnapshotResponse {
        success: true,
        snapshot: snapshot_of(c, &a),
        trends: trends_of(&a),
        timestamp: c.now,
    }
}

pub(crate) fn report(c: &Computed) -> MetaAnalyzeResponse {
    let a = analysis_of(c);
    let trends = trends_of(&a);
    let strong = trends.iter().filter(|t| is_strong(t)).count();
    let meta_stability = match strong {
        0 => "stable",
        1 | 2 => "shifting",
        _ => "volatile",
    };
    let mut key_insights = Vec::new();
    if let Some(top) = a.specializations.first().filter(|i| i.count > 0) {
        key_insights.push(format!(
            "Most counted specialization: {} ({} of entries)",
            top.name,
            percent(top.share)
        ));
    }
    if let Some(role) = a.roles.first().filter(|i| i.count > 0) {
        key_insights.push(format!(
            "Most counted role: {} ({} of role entries)",
            role.name,
            percent(role.share)
        ));
    }
    if let Some(prefix) = a.stat_prefixes.first().filter(|i| i.count > 0) {
        key_insights.push(format!(
            "Most worn stat prefix: {} ({} of geared entries)",
            prefix.name,
            percent(prefix.share)
        ));
    }
    key_insights.extend(
        trends
            .iter()
            .filter(|t| is_strong(t))
            .take(3)
            .map(|t| t.description.clone()),
    );
    MetaAnalyzeResponse {
        success: true,
        report: MetaReport {
            title: "Meta Analysis Report".to_owned(),
            game_mode: a.game_mode.clone().unwrap_or_default(),
            profession: a.profession.clone(),
            analysis_period: format!("{} days", c.period.days),
            generated_at: c.now,
            executive_summary: ExecutiveSummary {
                total_trends_detected: trends.len(),
                strong_trends: strong,
                meta_stability: meta_stability.to_owned(),
                key_insights,
            },
            meta_snapshot: snapshot_of(c, &a),
            trends,
            analysis: a,
        },
        timestamp: c.now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::meta::analysis::{tally, Entry, Source};
    use crate::services::meta::{Counted, MetaPeriod};

    fn computed(current: &[Entry], previous: &[Entry]) -> Computed {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-31T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        Computed {
            mode: Some(gw2::model::GameMode::Wvw),
            modes: Some(vec!["wvw"]),
            profession: None,
            period: MetaPeriod {
                days: 30,
                since: now - chrono::Duration::days(30),
                until: now,
                previous_since: now - chrono::Duration::days(60),
            },
            current: Counted {
                tally: tally(current, None),
                fights: 0,
            },
            previous: Counted {
                tally: tally(previous, None),
                fights: 0,
            },
            now,
        }
    }

    fn builds(prof: &str, spec: &str, count: i64) -> Entry {
        Entry::of(Source::Build, Some(prof), Some(spec), count)
    }

    #[test]
    fn a_large_shift_is_strong_and_makes_the_meta_volatile() {
        let c = computed(
            &[
                builds("Guardian", "Firebrand", 90),
                builds("Necromancer", "Scourge", 10),
            ],
            &[
                builds("Guardian", "Firebrand", 50),
                builds("Necromancer", "Scourge", 50),
            ],
        );
        let r = report(&c);
        let summary = &r.report.executive_summary;
        // Professions and specializations each rose and fell by 40 points.
        assert_eq!(summary.total_trends_detected, 4);
        assert_eq!(summary.strong_trends, 4);
        assert_eq!(summary.meta_stability, "volatile");
        assert_eq!(r.report.trends[0].kind, "profession_popularity");
        assert_eq!(
            r.report.trends[0].description,
            "Guardian rose from 50.0% to 90.0% of profession entries"
        );
        assert_eq!(
            summary.key_insights[0],
            "Most counted specialization: Firebrand (90.0% of entries)"
        );
        assert_eq!(r.report.analysis_period, "30 days");
    }

    #[test]
    fn against_an_empty_period_everything_is_new_and_nothing_strong() {
        let c = computed(&[builds("Guardian", "Firebrand", 3)], &[]);
        let s = snapshot(&c);
        assert_eq!(s.trends.len(), 2);
        assert!(s
            .trends
            .iter()
            .all(|t| t.trend == Trend::New && !is_strong(t)));
        assert_eq!(s.snapshot.top_builds.len(), 1);
        assert_eq!(s.snapshot.top_builds[0].name, "Firebrand");
        assert!(s.snapshot.popular_roles.is_empty());
        assert_eq!(report(&c).report.executive_summary.meta_stability, "stable");
    }
}
