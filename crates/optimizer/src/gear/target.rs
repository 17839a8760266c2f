//! What the damage is dealt to: the PvE benchmark golem, or an enemy player in WvW and PvP.
//!
//! A target changes three things of the damage model. Its **armor** divides strike damage
//! (GW2 wiki "Damage calculation": `damage = weapon strength × Power × coefficient ÷ armor`; wiki
//! "Armor (attribute)": armor = the defense of the worn armor + Toughness). Its **boons** lower
//! what it takes (wiki "Protection": incoming strike damage −33%; wiki "Resolution": incoming
//! condition damage −33%), counted here by their uptime, and any other damage-taken modifier
//! it carries enters as a percentage. The **condition values** a mode uses (WvW and PvP ticks
//! differ from PvE for confusion and torment, `model::WVW_CONDITIONS`) follow the input's
//! `game_mode`, not the target. Lifesteal (siphon) damage ignores armor and most damage
//! modifiers (wiki "Damage": lifesteal damage) and is left as it is.
//!
//! - The golem: 2597 armor (wiki "Template:Damage calculation", the default armor; discretize's
//!   calcPower divides by the same 2597), no boons: the input's `target_armor`.
//! - A player: the defense of a full ascended armor set of its weight (light 967, medium 1118,
//!   heavy 1271: discretize gw2-data.ts `defenseValues`, the same numbers as this project's
//!   profession data) plus its Toughness (1000 at level 80 before gear, wiki "Toughness").
//!   [`PlayerTarget::typical`] — the WvW target builds are scored against — wears the average
//!   of the three weights with base Toughness and no boons: 2119 armor, which is what any
//!   armor class meets without toughness gear.

use serde::{Deserialize, Serialize};

use super::error::GearError;
use super::input::finite;

/// Base Toughness at level 80 (wiki "Toughness").
pub const BASE_TOUGHNESS: f64 = 1000.0;
/// Strike damage taken under protection (wiki "Protection": −33%).
pub const PROTECTION: f64 = 0.33;
/// Condition damage taken under resolution (wiki "Resolution": −33%).
pub const RESOLUTION: f64 = 0.33;

/// The weight of the armor a player target wears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmorClass {
    /// Elementalist, mesmer, necromancer (scholars).
    Light,
    /// Engineer, ranger, thief (adventurers).
    Medium,
    /// Guardian, revenant, warrior (soldiers).
    Heavy,
    /// The average of the three: a squad's or a zerg's typical enemy.
    #[default]
    Mixed,
}

impl ArmorClass {
    /// Defense of a full ascended set (discretize gw2-data.ts `defenseValues`).
    pub fn defense(self) -> f64 {
        match self {
            ArmorClass::Light => 967.0,
            ArmorClass::Medium => 1118.0,
            ArmorClass::Heavy => 1271.0,
            ArmorClass::Mixed => (967.0 + 1118.0 + 1271.0) / 3.0,
        }
    }
}

fn base_toughness() -> f64 {
    BASE_TOUGHNESS
}

/// An enemy player.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlayerTarget {
    #[serde(default)]
    pub armor_class: ArmorClass,
    /// The target's Toughness (1000 at level 80 before gear and traits).
    #[serde(default = "base_toughness")]
    pub toughness: f64,
    /// Percent of the time the target has protection (strike damage −33%).
    #[serde(default)]
    pub protection_uptime: f64,
    /// Percent of the time the target has resolution (condition damage −33%).
    #[serde(default)]
    pub resolution_uptime: f64,
    /// Any other change to the strike damage the target takes, in percent (−10: 10% less).
    #[serde(default)]
    pub strike_damage_taken: f64,
    /// Any other change to the condition damage the target takes, in percent.
    #[serde(default)]
    pub condition_damage_taken: f64,
}

impl PlayerTarget {
    /// The typical WvW enemy builds and teams are scored against: average armor weight, base
    /// Toughness, no boons (2119 armor).
    pub fn typical() -> PlayerTarget {
        PlayerTarget {
            armor_class: ArmorClass::Mixed,
            toughness: BASE_TOUGHNESS,
            protection_uptime: 0.0,
            resolution_uptime: 0.0,
            strike_damage_taken: 0.0,
            condition_damage_taken: 0.0,
        }
    }
}

/// What the damage is dealt to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// The benchmark golem (its armor: the input's `target_armor`, 2597 by default).
    Golem,
    /// An enemy player.
    Player(PlayerTarget),
}

impl Target {
    /// The typical WvW / PvP enemy ([`PlayerTarget::typical`]).
    pub fn wvw() -> Target {
        Target::Player(PlayerTarget::typical())
    }

    /// A short description (`"golem (armor 2597)"`).
    pub fn describe(&self, golem_armor: f64) -> String {
        match self {
            Target::Golem => format!("golem (armor {golem_armor})"),
            Target::Player(p) => {
                let mut s = format!(
                    "player ({:?} armor, armor {:.0})",
                    p.armor_class,
                    p.armor_class.defense() + p.toughness
                )
                .to_lowercase();
                if p.protection_uptime > 0.0 {
                    s.push_str(&format!(", protection {}%", p.protection_uptime));
                }
                if p.resolution_uptime > 0.0 {
                    s.push_str(&format!(", resolution {}%", p.resolution_uptime));
                }
                s
            }
        }
    }
}

/// How a target changes the damage: the armor strikes are divided by, and the factors on the
/// strike and condition damage it takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TargetEffect {
    pub armor: f64,
    pub strike: f64,
    pub condition: f64,
}

/// The effect of `target` (`None`: the golem of armor `golem_armor`), its numbers checked.
pub(crate) fn effect(target: Option<&Target>, golem_armor: f64) -> Result<TargetEffect, GearError> {
    match target {
        None | Some(Target::Golem) => Ok(TargetEffect {
            armor: golem_armor,
            strike: 1.0,
            condition: 1.0,
        }),
        Some(Target::Player(p)) => {
            let toughness = finite("target.toughness", p.toughness, 0.0, 1e6)?;
            let prot = finite("target.protection_uptime", p.protection_uptime, 0.0, 100.0)?;
            let res = finite("target.resolution_uptime", p.resolution_uptime, 0.0, 100.0)?;
            let st = finite(
                "target.strike_damage_taken",
                p.strike_damage_taken,
                -100.0,
                1e4,
            )?;
            let ct = finite(
                "target.condition_damage_taken",
                p.condition_damage_taken,
                -100.0,
                1e4,
            )?;
            Ok(TargetEffect {
                armor: p.armor_class.defense() + toughness,
                strike: (1.0 - PROTECTION * prot / 100.0) * (1.0 + st / 100.0),
                condition: (1.0 - RESOLUTION * res / 100.0) * (1.0 + ct / 100.0),
            })
        }
    }
}
