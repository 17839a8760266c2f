//! WvW fights with a known signal, to check that the learning loop finds what is there and
//! nothing that is not (feature `synthetic`; used by this crate's and the server's tests).
//! This module's fights have a known outcome (`fight_outcome`); [`contribution`]'s have
//! squad members whose contribution has a known cause (`player_contribution`).
//!
//! Each fight gets a squad of 10 to 20 players of random professions, an enemy count of 0.6
//! to 1.4 times the squad, every boon's squad uptime drawn at random (stability 0 to 3
//! stacks, might 5 to 25, duration boons 10 % to 90 %) and random strips, cleanses, healing
//! and barrier. Then the outcome:
//! - [`Signal::Stability`]: won with probability `σ(4·(stability − 1.5))`, so stability
//!   decides most fights and chance the rest (the best possible accuracy is about 0.89);
//! - [`Signal::Superspeed`]: won with probability `σ(8·(superspeed − 0.5))` (uptime as a
//!   fraction): a need the WvW templates weigh least decides instead, so a test can see
//!   advice move where the defaults would not;
//! - [`Signal::None`]: won with probability ½, whatever the squad.

use evtc::analyze::{Outcome, OutcomeStats, SquadBoon};
use evtc::{FightReport, PlayerStats};
use rand::{Rng, SeedableRng};

use crate::features::fight::BOONS;

pub mod contribution;

/// What decides the generated fights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Stability,
    Superspeed,
    None,
}

/// `count` fights, the same for the same seed.
pub fn fights(count: usize, signal: Signal, seed: u64) -> Vec<FightReport> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..count).map(|i| fight(&mut rng, signal, i)).collect()
}

fn fight(rng: &mut impl Rng, signal: Signal, index: usize) -> FightReport {
    let squad_size: u32 = rng.gen_range(10..=20);
    let enemy_count = (f64::from(squad_size) * rng.gen_range(0.6..1.4)).round() as u32;
    let squad_boons: Vec<SquadBoon> = BOONS
        .iter()
        .map(|(name, _)| {
            let (intensity, uptime) = match *name {
                "Stability" => (true, rng.gen_range(0.0..3.0)),
                "Might" => (true, rng.gen_range(5.0..25.0)),
                _ => (false, rng.gen_range(10.0..90.0)),
            };
            SquadBoon {
                id: 0,
                name: (*name).to_owned(),
                intensity,
                uptime,
            }
        })
        .collect();
    let stability = squad_boons
        .iter()
        .find(|b| b.name == "Stability")
        .map_or(0.0, |b| b.uptime);
    let superspeed = squad_boons
        .iter()
        .find(|b| b.name == "Superspeed")
        .map_or(0.0, |b| b.uptime / 100.0);
    let won = match signal {
        Signal::Stability => rng.gen::<f64>() < 1.0 / (1.0 + (-4.0 * (stability - 1.5)).exp()),
        Signal::Superspeed => rng.gen::<f64>() < 1.0 / (1.0 + (-8.0 * (superspeed - 0.5)).exp()),
        Signal::None => rng.gen_bool(0.5),
    };
    let players = (0..squad_size)
        .map(|p| {
            let mut player = PlayerStats {
                name: format!("Player {p}"),
                profession: rng.gen_range(1..=9),
                subgroup: (p / 5 + 1) as u8,
                in_squad: true,
                ..PlayerStats::default()
            };
            player.support.boon_strips = rng.gen_range(0..40);
            player.support.cleanses = rng.gen_range(0..60);
            player.support.healing_others = rng.gen_range(0..200_000);
            player.support.barrier_others = rng.gen_range(0..50_000);
            player
        })
        .collect();
    let squad_deaths: u32 = rng.gen_range(0..6);
    let margin: u32 = rng.gen_range(1..6);
    let (result, enemy_deaths, squad_deaths) = if won {
        (Outcome::Victory, squad_deaths + margin, squad_deaths)
    } else {
        (Outcome::Defeat, squad_deaths, squad_deaths + margin)
    };
    FightReport {
        is_wvw: true,
        fight_name: format!("Synthetic fight {index}"),
        duration_ms: rng.gen_range(60_000..240_000),
        squad_size,
        enemy_count,
        outcome: OutcomeStats {
            result,
            squad_deaths,
            enemy_deaths,
            kill_death_ratio: f64::from(enemy_deaths) / f64::from(squad_deaths.max(1)),
            ..OutcomeStats::default()
        },
        squad_boons,
        players,
        ..FightReport::default()
    }
}
