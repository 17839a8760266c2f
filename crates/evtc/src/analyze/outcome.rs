//! The fight's result for the squad: [`OutcomeStats`].
//!
//! Enemy downs and deaths are the `ChangeDown` / `ChangeDead` statechanges of enemy players;
//! the squad's totals add up the squad members' report rows, so they follow the definitions
//! of [`super::offense`] and [`super::defense`]. The squad wins a fight in which more enemies
//! died than squad members, and loses one in which fewer did.

use super::context::{Context, Role};
use super::{round, FightReport, PlayerStats, Tracker};
use crate::event::StateChange;
use crate::model::Event;
use serde::{Deserialize, Serialize};

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

/// Counts enemy downs and deaths.
pub struct Outcomes {
    enemy_downs: u32,
    enemy_deaths: u32,
}

impl Outcomes {
    pub fn new() -> Outcomes {
        Outcomes {
            enemy_downs: 0,
            enemy_deaths: 0,
        }
    }
}

impl Tracker for Outcomes {
    #[inline]
    fn state_change(&mut self, e: &Event, sc: StateChange, ctx: &Context) {
        let count = match sc {
            StateChange::ChangeDown => &mut self.enemy_downs,
            StateChange::ChangeDead => &mut self.enemy_deaths,
            _ => return,
        };
        if ctx.role_of(e.src_agent) == Role::Enemy {
            *count += 1;
        }
    }

    fn finalize(self, _ctx: &Context, report: &mut FightReport) {
        report.outcome.enemy_downs = self.enemy_downs;
        report.outcome.enemy_deaths = self.enemy_deaths;
    }
}

/// The rest of [`OutcomeStats`], from the squad members' finished rows (in report order) and
/// the enemy downs and deaths already counted.
pub fn settle(report: &mut FightReport) {
    let squad: Vec<&PlayerStats> = report.players.iter().filter(|p| p.in_squad).collect();
    let squad_deaths: u32 = squad.iter().map(|p| p.defense.deaths).sum();
    let (enemy_downs, enemy_deaths) = (report.outcome.enemy_downs, report.outcome.enemy_deaths);
    report.outcome = OutcomeStats {
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
}
