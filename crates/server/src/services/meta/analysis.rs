//! The meta's counting and trend logic, pure: entries (what the store counted, one group of
//! identical entries at a time) in, tallies per dimension out, and two periods' tallies
//! compared. No I/O, no clock: [`super::Meta`] reads the store and the time.
//!
//! # Dimensions
//! - **professions** and **specializations** (a core build is its profession with no
//!   specialization): every entry naming a profession (builds, team slots, saved builds,
//!   squad members of fights);
//! - **roles**: entries with a role (builds and team slots; a slot's role override wins);
//! - **stat prefixes**: entries with gear (builds and team slots), by the build's *main*
//!   prefix: the one on the most gear slots, ties going to the name first in alphabetical
//!   order, so each build counts once and a dimension's shares add up to 1.
//!
//! Each dimension divides by its own total (`entries`, `role_entries`, `prefix_entries`).
//!
//! # Ratings
//! Per item: the up- and downvotes of the period's builds in it (team slots do not count a
//! build's votes again), its saves (saved builds; professions and specializations only, as a
//! save names no role or gear), and the results of the fights its squad members fought
//! (victories, defeats, draws; `win_rate = victories / fights`).
//!
//! # Trends
//! The current period is compared with the previous one of the same length:
//! `share_delta = share − previous_share`; ranks are competition ranks by count (ties share a
//! rank: 1, 1, 3), `rank_change = previous_rank − rank` (positive: climbed). The trend is
//! `new` when the item had no entry in the previous period, `falling` when it has none now,
//! else `rising` / `falling` when the share moved by at least one percentage point
//! ([`STABLE_BAND`]) and `stable` otherwise. `confidence` is one minus the two-sided p-value
//! of the two-proportion z-test of the shares (pooled standard error; NIST/SEMATECH
//! e-Handbook of Statistical Methods, §7.3.3 "How can we determine whether two processes
//! produce the same proportion of defectives?"), `null` when a period has no entry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an entry was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Build,
    TeamSlot,
    SavedBuild,
    FightPlayer,
}

/// A fight's result for the squad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FightResult {
    Victory,
    Defeat,
    Draw,
}

impl FightResult {
    /// The stored outcome (`victory`, `defeat`, `draw`); anything else is not a result.
    pub fn parse(outcome: &str) -> Option<Self> {
        match outcome {
            "victory" => Some(FightResult::Victory),
            "defeat" => Some(FightResult::Defeat),
            "draw" => Some(FightResult::Draw),
            _ => None,
        }
    }
}

/// `count` identical entries of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub source: Source,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub role: Option<String>,
    /// The main stat prefix of the build's gear (see [`main_prefix`]).
    pub prefix: Option<String>,
    /// A saved build's grade (S, A, B, C).
    pub grade: Option<String>,
    /// Summed over the group's builds.
    pub upvotes: i64,
    pub downvotes: i64,
    /// A fight player's fight result.
    pub result: Option<FightResult>,
    pub count: i64,
}

impl Entry {
    /// `count` entries of `source` with nothing but a profession and specialization.
    pub fn of(
        source: Source,
        profession: Option<&str>,
        specialization: Option<&str>,
        count: i64,
    ) -> Self {
        Entry {
            source,
            profession: profession.map(str::to_owned),
            specialization: specialization.map(str::to_owned),
            role: None,
            prefix: None,
            grade: None,
            upvotes: 0,
            downvotes: 0,
            result: None,
            count,
        }
    }
}

/// The prefix on the most slots of `gear` (slot → prefix); a tie goes to the name first in
/// alphabetical order. `None` without gear.
pub fn main_prefix<'a>(gear: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let mut slots: BTreeMap<&str, usize> = BTreeMap::new();
    for prefix in gear {
        *slots.entry(prefix.as_str()).or_default() += 1;
    }
    // max_by_key keeps the last maximum: iterate in reverse name order so it is the first name.
    slots
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| p.to_owned())
}

/// Counts of one item (or of a whole period) per source, with its ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub count: i64,
    pub builds: i64,
    pub team_slots: i64,
    pub saved_builds: i64,
    pub fight_players: i64,
    pub upvotes: i64,
    pub downvotes: i64,
    pub victories: i64,
    pub defeats: i64,
    pub draws: i64,
}

impl Stats {
    fn add(&mut self, e: &Entry) {
        self.count += e.count;
        match e.source {
            Source::Build => self.builds += e.count,
            Source::TeamSlot => self.team_slots += e.count,
            Source::SavedBuild => self.saved_builds += e.count,
            Source::FightPlayer => self.fight_players += e.count,
        }
        self.upvotes += e.upvotes;
        self.downvotes += e.downvotes;
        match e.result {
            Some(FightResult::Victory) => self.victories += e.count,
            Some(FightResult::Defeat) => self.defeats += e.count,
            Some(FightResult::Draw) => self.draws += e.count,
            None => {}
        }
    }
}

/// (profession, specialization): a core build has no specialization.
pub type Archetype = (String, Option<String>);

/// One period counted (see the module's documentation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub professions: BTreeMap<String, Stats>,
    pub specializations: BTreeMap<Archetype, Stats>,
    pub roles: BTreeMap<String, Stats>,
    pub prefixes: BTreeMap<String, Stats>,
    /// Graded entries (saved builds) per archetype and grade.
    pub grades: BTreeMap<Archetype, BTreeMap<String, i64>>,
    /// Every entry that passed the profession filter, per source (with or without a
    /// profession).
    pub all: Stats,
    /// Saved builds that name no profession (in `all`, in no dimension).
    pub saved_without_profession: i64,
}

impl Tally {
    /// Entries of the professions and specializations dimensions.
    pub fn entries(&self) -> i64 {
        self.professions.values().map(|s| s.count).sum()
    }
    pub fn role_entries(&self) -> i64 {
        self.roles.values().map(|s| s.count).sum()
    }
    pub fn prefix_entries(&self) -> i64 {
        self.prefixes.values().map(|s| s.count).sum()
    }
}

/// Counts `entries`; with `profession`, only that profession's.
pub fn tally(entries: &[Entry], profession: Option<&str>) -> Tally {
    let mut t = Tally::default();
    for e in entries
        .iter()
        .filter(|e| profession.is_none_or(|p| e.profession.as_deref() == Some(p)))
    {
        t.all.add(e);
        let Some(prof) = &e.profession else {
            if e.source == Source::SavedBuild {
                t.saved_without_profession += e.count;
            }
            continue;
        };
        t.professions.entry(prof.clone()).or_default().add(e);
        let archetype = (prof.clone(), e.specialization.clone());
        t.specializations
            .entry(archetype.clone())
            .or_default()
            .add(e);
        if let Some(role) = &e.role {
            t.roles.entry(role.clone()).or_default().add(e);
        }
        if let Some(prefix) = &e.prefix {
            t.prefixes.entry(prefix.clone()).or_default().add(e);
        }
        if let Some(grade) = &e.grade {
            *t.grades
                .entry(archetype)
                .or_default()
                .entry(grade.clone())
                .or_default() += e.count;
        }
    }
    t
}

/// `part / whole`, 0 for an empty whole.
pub fn share(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A share that moved less than this (one percentage point) is `stable`.
pub const STABLE_BAND: f64 = 0.01;

/// How an item moved between the previous period and this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    New,
    Rising,
    Falling,
    Stable,
}

/// Per-source counts of an item in the current period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SourceCounts {
    pub builds: i64,
    pub team_slots: i64,
    pub saved_builds: i64,
    pub fight_players: i64,
}

/// What users made of an item in the current period (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rating {
    pub upvotes: i64,
    pub downvotes: i64,
    /// upvotes − downvotes
    pub score: i64,
    /// Saved builds (professions and specializations only; 0 for roles and prefixes).
    pub saves: i64,
    /// Fights its squad members fought, and how they ended.
    pub fights: i64,
    pub victories: i64,
    pub defeats: i64,
    pub draws: i64,
    /// victories / fights; `null` without fights.
    pub win_rate: Option<f64>,
}

/// One profession, specialization, role or stat prefix over the two periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetaItem {
    /// The profession, specialization (the profession for a core build), role or prefix.
    pub name: String,
    /// Professions and specializations: the profession.
    pub profession: Option<String>,
    /// Specializations: the elite specialization, `null` for a core build.
    pub specialization: Option<String>,
    pub count: i64,
    /// count / the dimension's entries in the period.
    pub share: f64,
    /// Competition rank by count (1 = most); `null` without entries.
    pub rank: Option<u32>,
    pub previous_count: i64,
    pub previous_share: f64,
    pub previous_rank: Option<u32>,
    /// share − previous_share
    pub share_delta: f64,
    /// previous_rank − rank (positive: climbed); `null` unless ranked in both periods.
    pub rank_change: Option<i64>,
    pub trend: Trend,
    /// 1 − the two-sided p-value of the change in share; `null` when a period is empty.
    pub confidence: Option<f64>,
    pub sources: SourceCounts,
    pub rating: Rating,
}

/// Who an item is: its name and, for professions and specializations, its profession and
/// specialization.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemKey {
    pub name: String,
    pub profession: Option<String>,
    pub specialization: Option<String>,
}

impl ItemKey {
    fn plain(name: &str) -> Self {
        ItemKey {
            name: name.to_owned(),
            profession: None,
            specialization: None,
        }
    }
}

/// The four dimensions of two periods compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    pub professions: Vec<MetaItem>,
    pub specializations: Vec<MetaItem>,
    pub roles: Vec<MetaItem>,
    pub stat_prefixes: Vec<MetaItem>,
}

pub fn compare(current: &Tally, previous: &Tally) -> Compared {
    let professions = |t: &Tally| -> BTreeMap<ItemKey, Stats> {
        t.professions
            .iter()
            .map(|(p, s)| {
                (
                    ItemKey {
                        name: p.clone(),
                        profession: Some(p.clone()),
                        specialization: None,
                    },
                    *s,
                )
            })
            .collect()
    };
    let specializations = |t: &Tally| -> BTreeMap<ItemKey, Stats> {
        t.specializations
            .iter()
            .map(|((p, spec), s)| {
                (
                    ItemKey {
                        name: spec.clone().unwrap_or_else(|| p.clone()),
                        profession: Some(p.clone()),
                        specialization: spec.clone(),
                    },
                    *s,
                )
            })
            .collect()
    };
    let plain = |m: &BTreeMap<String, Stats>| -> BTreeMap<ItemKey, Stats> {
        m.iter().map(|(k, s)| (ItemKey::plain(k), *s)).collect()
    };
    Compared {
        professions: dimension(&professions(current), &professions(previous), true),
        specializations: dimension(&specializations(current), &specializations(previous), true),
        roles: dimension(&plain(&current.roles), &plain(&previous.roles), false),
        stat_prefixes: dimension(&plain(&current.prefixes), &plain(&previous.prefixes), false),
    }
}

/// Competition ranks by count, descending (ties share a rank); items without entries have none.
fn ranks(items: &BTreeMap<ItemKey, Stats>) -> BTreeMap<&ItemKey, u32> {
    let mut counts: Vec<i64> = items.values().map(|s| s.count).filter(|c| *c > 0).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    items
        .iter()
        .filter(|(_, s)| s.count > 0)
        .map(|(k, s)| {
            let above = counts.iter().take_while(|c| **c > s.count).count();
            (k, u32::try_from(above + 1).unwrap_or(u32::MAX))
        })
        .collect()
}

/// 1 − the two-sided p-value of the pooled two-proportion z-test of `a / n` against `b / m`.
pub fn confidence(a: i64, n: i64, b: i64, m: i64) -> Option<f64> {
    if n <= 0 || m <= 0 {
        return None;
    }
    let (n, m) = (n as f64, m as f64);
    let (p1, p2) = (a as f64 / n, b as f64 / m);
    let pooled = (a + b) as f64 / (n + m);
    let se = (pooled * (1.0 - pooled) * (1.0 / n + 1.0 / m)).sqrt();
    if se == 0.0 {
        // Both shares are 0 or both are 1: no change at all.
        return Some(0.0);
    }
    let z = (p1 - p2).abs() / se;
    Some(libm::erf(z / std::f64::consts::SQRT_2))
}

fn dimension(
    current: &BTreeMap<ItemKey, Stats>,
    previous: &BTreeMap<ItemKey, Stats>,
    with_saves: bool,
) -> Vec<MetaItem> {
    let total = |m: &BTreeMap<ItemKey, Stats>| m.values().map(|s| s.count).sum::<i64>();
    let (n, m) = (total(current), total(previous));
    let (rank_now, rank_before) = (ranks(current), ranks(previous));
    let mut keys: Vec<&ItemKey> = current.keys().chain(previous.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut items: Vec<MetaItem> = keys
        .into_iter()
        .map(|key| {
            let now = current.get(key).copied().unwrap_or_default();
            let before = previous.get(key).copied().unwrap_or_default();
            let (share_now, share_before) = (share(now.count, n), share(before.count, m));
            let delta = share_now - share_before;
            let trend = if before.count == 0 {
                Trend::New
            } else if now.count == 0 || delta <= -STABLE_BAND {
                Trend::Falling
            } else if delta >= STABLE_BAND {
                Trend::Rising
            } else {
                Trend::Stable
            };
            let rank = rank_now.get(key).copied();
            let previous_rank = rank_before.get(key).copied();
            let fights = now.victories + now.defeats + now.draws;
            MetaItem {
                name: key.name.clone(),
                profession: key.profession.clone(),
                specialization: key.specialization.clone(),
                count: now.count,
                share: share_now,
                rank,
                previous_count: before.count,
                previous_share: share_before,
                previous_rank,
                share_delta: delta,
                rank_change: rank
                    .zip(previous_rank)
                    .map(|(r, p)| i64::from(p) - i64::from(r)),
                trend,
                confidence: confidence(now.count, n, before.count, m),
                sources: SourceCounts {
                    builds: now.builds,
                    team_slots: now.team_slots,
                    saved_builds: now.saved_builds,
                    fight_players: now.fight_players,
                },
                rating: Rating {
                    upvotes: now.upvotes,
                    downvotes: now.downvotes,
                    score: now.upvotes - now.downvotes,
                    saves: if with_saves { now.saved_builds } else { 0 },
                    fights,
                    victories: now.victories,
                    defeats: now.defeats,
                    draws: now.draws,
                    win_rate: (fights > 0).then(|| share(now.victories, fights)),
                },
            }
        })
        .collect();
    // Most entries first; then the larger previous count (what fell out), then by name.
    items.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.previous_count.cmp(&a.previous_count))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.profession.cmp(&b.profession))
    });
    items
}

/// The length of a period in days: `30d`, `4w` (weeks), or a bare number of days; 1 to
/// `max_days`.
pub fn parse_period(text: &str, max_days: u32) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = match t.strip_suffix('d') {
        Some(n) => (n, 1),
        None => match t.strip_suffix('w') {
            Some(n) => (n, 7),
            None => (t.as_str(), 1),
        },
    };
    let expected = || format!("expected a number of days or weeks like 30d or 4w, got {text:?}");
    let n: u32 = number.trim().parse().map_err(|_| expected())?;
    let days = n.checked_mul(unit).ok_or_else(expected)?;
    if !(1..=max_days).contains(&days) {
        return Err(format!("must be from 1 to {max_days} days, got {days}"));
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(prof: &str, spec: Option<&str>, role: &str, prefix: &str, count: i64) -> Entry {
        Entry {
            role: Some(role.into()),
            prefix: Some(prefix.into()),
            ..Entry::of(Source::Build, Some(prof), spec, count)
        }
    }

    fn fighter(prof: &str, spec: &str, result: FightResult) -> Entry {
        Entry {
            result: Some(result),
            ..Entry::of(Source::FightPlayer, Some(prof), Some(spec), 1)
        }
    }

    fn round(x: f64) -> f64 {
        (x * 1e9).round() / 1e9
    }

    #[test]
    fn the_main_prefix_is_the_one_on_most_slots_ties_by_name() {
        let gear: Vec<String> = ["Minstrel's", "Harrier's", "Minstrel's", "Harrier's"]
            .map(String::from)
            .to_vec();
        assert_eq!(main_prefix(&gear).as_deref(), Some("Harrier's"));
        let gear: Vec<String> = ["Minstrel's", "Harrier's", "Minstrel's"]
            .map(String::from)
            .to_vec();
        assert_eq!(main_prefix(&gear).as_deref(), Some("Minstrel's"));
        assert_eq!(main_prefix(&Vec::<String>::new()), None);
    }

    #[test]
    fn each_dimension_divides_by_its_own_entries() {
        let entries = [
            build("Guardian", Some("Firebrand"), "support", "Minstrel's", 3),
            build("Necromancer", Some("Scourge"), "dps", "Marauder's", 1),
            Entry::of(Source::SavedBuild, Some("Guardian"), Some("Firebrand"), 2),
            Entry::of(Source::SavedBuild, None, None, 5),
            fighter("Necromancer", "Scourge", FightResult::Victory),
            fighter("Necromancer", "Scourge", FightResult::Defeat),
        ];
        let t = tally(&entries, None);
        assert_eq!(t.entries(), 8);
        assert_eq!(t.role_entries(), 4);
        assert_eq!(t.prefix_entries(), 4);
        assert_eq!(t.saved_without_profession, 5);
        assert_eq!(t.all.count, 13);
        let g = t.professions["Guardian"];
        assert_eq!((g.count, g.builds, g.saved_builds), (5, 3, 2));
        let n = t.specializations[&("Necromancer".to_owned(), Some("Scourge".to_owned()))];
        assert_eq!((n.count, n.victories, n.defeats), (3, 1, 1));
        // The profession filter keeps one profession's entries.
        let only = tally(&entries, Some("Necromancer"));
        assert_eq!(only.entries(), 3);
        assert_eq!(only.saved_without_profession, 0);
    }

    #[test]
    fn two_periods_give_shares_deltas_ranks_and_trends() {
        // Previous: Guardian 3, Necromancer 1 (shares .75 / .25).
        let before = tally(
            &[
                build("Guardian", Some("Firebrand"), "support", "Minstrel's", 3),
                build("Necromancer", Some("Scourge"), "dps", "Marauder's", 1),
            ],
            None,
        );
        // Now: Necromancer 2, Guardian 1, Thief 1 (.5 / .25 / .25).
        let now = tally(
            &[
                build("Guardian", Some("Firebrand"), "support", "Minstrel's", 1),
                Entry {
                    upvotes: 4,
                    downvotes: 1,
                    ..build("Necromancer", Some("Scourge"), "dps", "Marauder's", 1)
                },
                fighter("Necromancer", "Scourge", FightResult::Victory),
                build("Thief", None, "dps", "Marauder's", 1),
            ],
            None,
        );
        let c = compare(&now, &before);
        let summary: Vec<_> = c
            .professions
            .iter()
            .map(|i| {
                (
                    i.name.as_str(),
                    i.count,
                    round(i.share),
                    round(i.share_delta),
                    i.rank,
                    i.previous_rank,
                    i.rank_change,
                    i.trend,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "Necromancer",
                    2,
                    0.5,
                    0.25,
                    Some(1),
                    Some(2),
                    Some(1),
                    Trend::Rising
                ),
                (
                    "Guardian",
                    1,
                    0.25,
                    -0.5,
                    Some(2),
                    Some(1),
                    Some(-1),
                    Trend::Falling
                ),
                ("Thief", 1, 0.25, 0.25, Some(2), None, None, Trend::New),
            ]
        );
        let necro = &c.professions[0];
        assert_eq!(necro.rating.score, 3);
        assert_eq!(necro.rating.fights, 1);
        assert_eq!(necro.rating.win_rate, Some(1.0));
        assert_eq!(necro.sources.fight_players, 1);
        // A core build is its profession with no specialization.
        let thief = c
            .specializations
            .iter()
            .find(|i| i.name == "Thief")
            .unwrap();
        assert_eq!(thief.profession.as_deref(), Some("Thief"));
        assert_eq!(thief.specialization, None);
        // Roles: dps 2 and support 1 now (fighters carry no role); dps 1, support 3 before.
        let roles: Vec<_> = c
            .roles
            .iter()
            .map(|i| (i.name.as_str(), i.count, i.previous_count, i.trend))
            .collect();
        assert_eq!(
            roles,
            [
                ("dps", 2, 1, Trend::Rising),
                ("support", 1, 3, Trend::Falling)
            ]
        );
        assert_eq!(c.roles[0].rating.saves, 0);
    }

    #[test]
    fn an_item_gone_is_falling_and_an_unmoved_one_stable() {
        let before = tally(
            &[
                build("Guardian", None, "dps", "Berserker's", 1),
                build("Thief", None, "dps", "Berserker's", 1),
            ],
            None,
        );
        let now = tally(
            &[
                build("Guardian", None, "dps", "Berserker's", 2),
                build("Thief", None, "dps", "Berserker's", 2),
            ],
            None,
        );
        let c = compare(&now, &before);
        assert!(c.professions.iter().all(|i| i.trend == Trend::Stable));
        assert_eq!(c.professions[0].confidence, Some(0.0));
        let gone = compare(
            &before,
            &tally(&[build("Ranger", None, "dps", "Viper's", 1)], None),
        );
        let ranger = gone
            .professions
            .iter()
            .find(|i| i.name == "Ranger")
            .unwrap();
        assert_eq!(
            (ranger.count, ranger.rank, ranger.trend),
            (0, None, Trend::Falling)
        );
        assert_eq!(gone.professions.last().unwrap().name, "Ranger");
        // With nothing before, everything is new and no confidence can be given.
        let fresh = compare(&now, &Tally::default());
        assert!(fresh.professions.iter().all(|i| i.trend == Trend::New));
        assert!(fresh.professions.iter().all(|i| i.confidence.is_none()));
    }

    #[test]
    fn ties_share_a_competition_rank() {
        let t = tally(
            &[
                build("Guardian", None, "dps", "Berserker's", 2),
                build("Thief", None, "dps", "Berserker's", 2),
                build("Ranger", None, "dps", "Berserker's", 1),
            ],
            None,
        );
        let c = compare(&t, &Tally::default());
        let ranks: Vec<_> = c
            .professions
            .iter()
            .map(|i| (i.name.as_str(), i.rank))
            .collect();
        assert_eq!(
            ranks,
            [
                ("Guardian", Some(1)),
                ("Thief", Some(1)),
                ("Ranger", Some(3))
            ]
        );
    }

    #[test]
    fn confidence_follows_the_two_proportion_z_test() {
        // 60/100 against 40/100: pooled p = .5, se = sqrt(.25 * .02) = .0707..., z = 2.828...;
        // two-sided p-value 0.00468 (standard normal table).
        let c = confidence(60, 100, 40, 100).unwrap();
        assert!((c - (1.0 - 0.004_677_7)).abs() < 1e-6, "{c}");
        // The same share is no evidence of change.
        assert_eq!(confidence(5, 10, 10, 20), Some(0.0));
        assert_eq!(confidence(1, 0, 1, 1), None);
    }

    #[test]
    fn periods_read_days_and_weeks() {
        assert_eq!(parse_period("30d", 3650), Ok(30));
        assert_eq!(parse_period(" 4W ", 3650), Ok(28));
        assert_eq!(parse_period("7", 3650), Ok(7));
        for bad in ["0d", "3651d", "month", "-1d", "d", "1.5d", "999999999w"] {
            assert!(parse_period(bad, 3650).is_err(), "{bad}");
        }
    }
}
