//! Session ("top stats") aggregation over several fights.
//!
//! Squad members are merged by account (character name when no account).
//! Totals are sums over fights; averages (distance to tag, stability
//! generation) are weighted by each fight's duration.

use crate::analyze::FightReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Per-player totals over a session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionPlayer {
    pub account: String,
    /// Last character name seen.
    pub name: String,
    pub professions: Vec<String>,
    pub fights: u32,
    pub active_ms: i64,
    pub damage: i64,
    /// `damage * 1000 / active_ms`.
    pub dps: i64,
    pub downs: u32,
    pub kills: u32,
    pub deaths: u32,
    pub damage_taken: i64,
    pub boon_strips: u32,
    pub cleanses: u32,
    pub resurrects: u32,
    pub healing: i64,
    pub barrier: i64,
    /// Duration-weighted average stability generation to the squad (stacks per squadmate).
    pub stability_generation: f64,
    /// Duration-weighted average distance to the commander tag.
    pub distance_to_commander: Option<f64>,
}

/// One ranking row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RankEntry {
    pub rank: u32,
    pub account: String,
    pub name: String,
    pub value: f64,
}

/// Rankings, best first (distance: lowest first).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rankings {
    pub damage: Vec<RankEntry>,
    pub downs: Vec<RankEntry>,
    pub strips: Vec<RankEntry>,
    pub cleanses: Vec<RankEntry>,
    pub stability: Vec<RankEntry>,
    pub healing: Vec<RankEntry>,
    pub barrier: Vec<RankEntry>,
    pub distance_to_tag: Vec<RankEntry>,
}

/// Aggregate over a session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionStats {
    pub fights: u32,
    pub total_duration_ms: i64,
    pub victories: u32,
    pub defeats: u32,
    pub enemy_deaths: u32,
    pub squad_deaths: u32,
    pub squad_damage: i64,
    pub players: Vec<SessionPlayer>,
    pub rankings: Rankings,
}

#[derive(Default)]
struct Acc {
    p: SessionPlayer,
    stab_weighted: f64,
    stab_weight: f64,
    dist_weighted: f64,
    dist_weight: f64,
}

/// Aggregate squad members' stats over `fights`.
pub fn aggregate(fights: &[FightReport]) -> SessionStats {
    let mut accs: BTreeMap<String, Acc> = BTreeMap::new();
    let mut s = SessionStats {
        fights: fights.len() as u32,
        ..SessionStats::default()
    };
    let stab = crate::analyze::buffs::boon_index(1122);
    for f in fights {
        s.total_duration_ms += f.duration_ms;
        s.enemy_deaths += f.outcome.enemy_deaths;
        s.squad_deaths += f.outcome.squad_deaths;
        s.squad_damage += f.outcome.squad_damage;
        match f.outcome.result {
            crate::analyze::Outcome::Victory => s.victories += 1,
            crate::analyze::Outcome::Defeat => s.defeats += 1,
            crate::analyze::Outcome::Draw => {}
        }
        let w = f.duration_ms.max(0) as f64;
        for p in f.squad() {
            let key = p.account.clone().unwrap_or_else(|| p.name.clone());
            let a = accs.entry(key.clone()).or_default();
            a.p.account = key;
            a.p.name = p.name.clone();
            if !a.p.professions.contains(&p.profession_name) {
                a.p.professions.push(p.profession_name.clone());
            }
            a.p.fights += 1;
            a.p.active_ms += p.active_ms;
            a.p.damage += p.damage.to_enemies;
            a.p.downs += p.damage.downs;
            a.p.kills += p.damage.kills;
            a.p.deaths += p.defense.deaths;
            a.p.damage_taken += p.defense.damage_taken;
            a.p.boon_strips += p.support.boon_strips;
            a.p.cleanses += p.support.cleanses + p.support.cleanses_self;
            a.p.resurrects += p.support.resurrects;
            a.p.healing += p.support.healing;
            a.p.barrier += p.support.barrier;
            if let Some(b) = stab.and_then(|i| p.boons.get(i)) {
                a.stab_weighted += b.generation_squad * w;
                a.stab_weight += w;
            }
            if let Some(d) = p.distance_to_commander {
                if !p.is_commander {
                    a.dist_weighted += d * w;
                    a.dist_weight += w;
                }
            }
        }
    }
    s.players = accs
        .into_values()
        .map(|mut a| {
            a.p.dps = a.p.damage.saturating_mul(1000) / a.p.active_ms.max(1);
            if a.stab_weight > 0.0 {
                a.p.stability_generation =
                    (a.stab_weighted / a.stab_weight * 1000.0).round() / 1000.0;
            }
            if a.dist_weight > 0.0 {
                a.p.distance_to_commander =
                    Some((a.dist_weighted / a.dist_weight * 100.0).round() / 100.0);
            }
            a.p
        })
        .collect();
    let rank = |key: &dyn Fn(&SessionPlayer) -> Option<f64>, ascending: bool| -> Vec<RankEntry> {
        let mut rows: Vec<(f64, &SessionPlayer)> = s
            .players
            .iter()
            .filter_map(|p| key(p).map(|v| (v, p)))
            .collect();
        rows.sort_by(|a, b| {
            let o = a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal);
            let o = if ascending { o } else { o.reverse() };
            o.then_with(|| a.1.account.cmp(&b.1.account))
        });
        rows.into_iter()
            .enumerate()
            .map(|(i, (v, p))| RankEntry {
                rank: i as u32 + 1,
                account: p.account.clone(),
                name: p.name.clone(),
                value: v,
            })
            .collect()
    };
    s.rankings = Rankings {
        damage: rank(&|p| Some(p.damage as f64), false),
        downs: rank(&|p| Some(f64::from(p.downs)), false),
        strips: rank(&|p| Some(f64::from(p.boon_strips)), false),
        cleanses: rank(&|p| Some(f64::from(p.cleanses)), false),
        stability: rank(&|p| Some(p.stability_generation), false),
        healing: rank(&|p| Some(p.healing as f64), false),
        barrier: rank(&|p| Some(p.barrier as f64), false),
        distance_to_tag: rank(&|p| p.distance_to_commander, true),
    };
    s
}
