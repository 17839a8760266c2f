//! WvW fights whose squad members' contribution has a known cause, for the
//! `player_contribution` task's honest-evaluation tests.
//!
//! Each fight: 10 to 20 squad members, each an elite specialization (or a core Guardian)
//! drawn at random from [`SPECS`], 0.6 to 1.4 enemy players per member, and for each member:
//! - own boon uptimes drawn at random (stability 0 to 3 stacks, might 5 to 25, duration
//!   boons 10 % to 90 %);
//! - alive for 70 % to 100 % of the fight, or, one member in eight, for 10 % to 45 % (the
//!   collector skips those);
//! - a multiplier `m` that is the signal:
//!   - [`Signal::Quickness`]: `m = 0.5 + 1.5·q`, `q` the member's own quickness uptime
//!     (0.1 to 0.9): quickness makes a player act faster in every way;
//!   - [`Signal::Firebrand`]: `m = 1.8` for Firebrands, 1 for everyone else;
//!   - [`Signal::None`]: `m = 1`;
//! - each output (damage to enemies, strips, cleanses, healing and barrier to others, each
//!   boon's generation to the squad) = a family scale × `m` × the share of the fight alive ×
//!   an independent noise factor uniform in 0.2..1.8, so members differ a lot fight to
//!   fight whatever their build, as real squads do. Half the members give no boon at all of
//!   a given kind.
//!
//! The contribution index is then about `m / the squad's mean m`, blurred by the noise and
//! the time spent dead; with [`Signal::None`] it is noise only.

use evtc::analyze::{profession_name, BoonStats, Outcome, OutcomeStats, SquadBoon};
use evtc::{FightReport, PlayerStats};
use rand::{Rng, SeedableRng};

use crate::features::fight::BOONS;

/// What makes a squad member contribute more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Quickness,
    Firebrand,
    None,
}

/// The (profession, elite specialization id) pairs drawn, as arcdps records them (elite 0:
/// core): the usual WvW picks of every profession.
pub const SPECS: [(u32, u32); 17] = [
    (1, 62), // Firebrand
    (1, 27), // Dragonhunter
    (1, 65), // Willbender
    (1, 0),  // core Guardian
    (2, 61), // Spellbreaker
    (2, 18), // Berserker
    (3, 43), // Scrapper
    (4, 5),  // Druid
    (4, 72), // Untamed
    (5, 58), // Deadeye
    (6, 48), // Tempest
    (6, 56), // Weaver
    (7, 40), // Chronomancer
    (8, 60), // Scourge
    (8, 34), // Reaper
    (9, 52), // Herald
    (9, 69), // Vindicator
];

/// `count` fights, the same for the same seed.
pub fn fights(count: usize, signal: Signal, seed: u64) -> Vec<FightReport> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..count).map(|i| fight(&mut rng, signal, i)).collect()
}

fn fight(rng: &mut impl Rng, signal: Signal, index: usize) -> FightReport {
    let squad_size: u32 = rng.gen_range(10..=20);
    let enemy_count = (f64::from(squad_size) * rng.gen_range(0.6..1.4)).round() as u32;
    let duration_ms: i64 = rng.gen_range(60_000..240_000);
    let players: Vec<PlayerStats> = (0..squad_size)
        .map(|p| member(rng, signal, p, duration_ms))
        .collect();
    let squad_boons = BOONS
        .iter()
        .map(|(name, _)| {
            let uptimes: Vec<&BoonStats> = players
                .iter()
                .flat_map(|p| p.boons.iter().filter(|b| b.name == *name))
                .collect();
            SquadBoon {
                id: 0,
                name: (*name).to_owned(),
                intensity: uptimes.first().is_some_and(|b| b.intensity),
                uptime: uptimes.iter().map(|b| b.uptime).sum::<f64>() / f64::from(squad_size),
            }
        })
        .collect();
    let (squad_deaths, enemy_deaths) = (rng.gen_range(0..6), rng.gen_range(0..6));
    let result = match squad_deaths.cmp(&enemy_deaths) {
        std::cmp::Ordering::Less => Outcome::Victory,
        std::cmp::Ordering::Greater => Outcome::Defeat,
        std::cmp::Ordering::Equal => Outcome::Draw,
    };
    FightReport {
        is_wvw: true,
        fight_name: format!("Synthetic skirmish {index}"),
        duration_ms,
        squad_size,
        enemy_count,
        outcome: OutcomeStats {
            result,
            squad_deaths,
            enemy_deaths,
            ..OutcomeStats::default()
        },
        squad_boons,
        players,
        ..FightReport::default()
    }
}

fn member(
    rng: &mut dyn rand::RngCore,
    signal: Signal,
    index: u32,
    duration_ms: i64,
) -> PlayerStats {
    let (profession, elite) = SPECS[rng.gen_range(0..SPECS.len())];
    let uptimes: Vec<(bool, f64)> = BOONS
        .iter()
        .map(|(name, _)| match *name {
            "Stability" => (true, rng.gen_range(0.0..3.0)),
            "Might" => (true, rng.gen_range(5.0..25.0)),
            _ => (false, rng.gen_range(10.0..90.0)),
        })
        .collect();
    let quickness = BOONS
        .iter()
        .zip(&uptimes)
        .find(|((name, _), _)| *name == "Quickness")
        .map_or(0.0, |(_, (_, uptime))| uptime / 100.0);
    let multiplier = match signal {
        Signal::Quickness => 0.5 + 1.5 * quickness,
        Signal::Firebrand if elite == 62 => 1.8,
        Signal::Firebrand | Signal::None => 1.0,
    };
    let alive = if rng.gen_range(0..8) == 0 {
        rng.gen_range(0.10..0.45)
    } else {
        rng.gen_range(0.70..=1.0)
    };
    // an output of `scale` for an average member, with its own noise
    let output = |scale: f64, rng: &mut dyn rand::RngCore| {
        scale * multiplier * alive * rng.gen_range(0.2..1.8)
    };
    let mut player = PlayerStats {
        name: format!("Player {index}"),
        profession,
        elite,
        profession_name: profession_name(profession, elite),
        subgroup: (index / 5 + 1) as u8,
        in_squad: true,
        active_ms: (duration_ms as f64 * alive).round() as i64,
        ..PlayerStats::default()
    };
    player.damage.to_enemies = output(400_000.0, rng).round() as i64;
    player.damage.total = player.damage.to_enemies;
    player.support.boon_strips = output(30.0, rng).round() as u32;
    player.support.cleanses = output(40.0, rng).round() as u32;
    player.support.healing_others = output(150_000.0, rng).round() as i64;
    player.support.barrier_others = output(40_000.0, rng).round() as i64;
    player.boons = BOONS
        .iter()
        .zip(uptimes)
        .map(|((name, _), (intensity, uptime))| {
            let gives = rng.gen_bool(0.5);
            let scale = if intensity { 1.0 } else { 10.0 };
            BoonStats {
                id: 0,
                name: (*name).to_owned(),
                intensity,
                uptime,
                presence: if intensity { 100.0 } else { uptime },
                generation_squad: if gives { output(scale, rng) } else { 0.0 },
                ..BoonStats::default()
            }
        })
        .collect();
    player
}
