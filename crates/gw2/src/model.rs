//! Product vocabulary shared by the service, the CLI and the optimizer: game modes and roles,
//! plus the attribute and gear-slot enums the snapshot's stat tables are keyed by.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A name that did not parse into one of this module's enums.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown {kind} {value:?} (expected one of: {expected})")]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
    pub expected: &'static str,
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $kind:literal, { $($(#[$vm:meta])* $variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text $(, alias = $alias)*)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical lowercase name (the serde form).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;
            /// Case-insensitive; `-` and spaces are read as `_`.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm: String = s
                    .trim()
                    .chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                match norm.as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(ParseEnumError {
                        kind: $kind,
                        value: s.to_string(),
                        expected: concat!($($text, " "),+),
                    }),
                }
            }
        }
    };
}

string_enum!(
    /// Where a build or squad is meant to be played.
    GameMode, "game mode", {
        Pve => "pve" | "open_world",
        Raid => "raid" | "raids",
        Fractals => "fractals" | "fractal",
        Strikes => "strikes" | "strike",
        Wvw => "wvw" | "mcm",
        Pvp => "pvp" | "spvp",
        /// WvW formats (a commander's words for them are accepted too).
        WvwZerg => "wvw_zerg" | "zerg" | "blob" | "bus",
        WvwGuildRaid => "wvw_guild_raid" | "guild_raid" | "havoc" | "gvg",
        WvwOutnumbered => "wvw_outnumbered" | "wvw_outnumber" | "outnumbered",
        WvwRoaming => "wvw_roaming" | "wvw_roam" | "roaming" | "roam",
    }
);

impl GameMode {
    /// World versus World, in general or one of its formats: the game applies its WvW
    /// balance (skill and trait splits) to all of them.
    pub fn is_wvw(self) -> bool {
        matches!(
            self,
            GameMode::Wvw
                | GameMode::WvwZerg
                | GameMode::WvwGuildRaid
                | GameMode::WvwOutnumbered
                | GameMode::WvwRoaming
        )
    }
}

string_enum!(
    /// What a player contributes to a squad.
    Role, "role", {
        Dps => "dps",
        BoonDps => "boon_dps" | "boondps",
        Support => "support",
        Healer => "healer" | "heal",
        Tank => "tank",
        Utility => "utility",
    }
);

string_enum!(
    /// The nine gear attributes (the API's names are accepted as aliases: `CritDamage` is
    /// Ferocity, `Healing` is Healing Power, `BoonDuration` is Concentration,
    /// `ConditionDuration` is Expertise).
    Attribute, "attribute", {
        Power => "power",
        Precision => "precision",
        Toughness => "toughness",
        Vitality => "vitality",
        Ferocity => "ferocity" | "critdamage",
        ConditionDamage => "condition_damage" | "conditiondamage",
        Expertise => "expertise" | "conditionduration",
        Concentration => "concentration" | "boonduration",
        HealingPower => "healing_power" | "healing" | "healingpower",
    }
);

impl Attribute {
    /// From the official API's attribute names (`/v2/itemstats`) or discretize's English
    /// names (`"Condition Damage"`, `"Healing Power"`); case-insensitive.
    pub fn from_any_name(s: &str) -> Option<Attribute> {
        let norm: String = s
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match norm.as_str() {
            "power" => Attribute::Power,
            "precision" => Attribute::Precision,
            "toughness" => Attribute::Toughness,
            "vitality" => Attribute::Vitality,
            "ferocity" | "critdamage" => Attribute::Ferocity,
            "conditiondamage" => Attribute::ConditionDamage,
            "expertise" | "conditionduration" => Attribute::Expertise,
            "concentration" | "boonduration" => Attribute::Concentration,
            "healingpower" | "healing" => Attribute::HealingPower,
            _ => return None,
        })
    }
}

string_enum!(
    /// Equipment slots carrying attributes. A dual-wield loadout uses the 14 slots
    /// helm … off_hand; a two-handed one replaces main_hand + off_hand by `two_handed`.
    GearSlot, "gear slot", {
        Helm => "helm",
        Shoulders => "shoulders",
        Coat => "coat",
        Gloves => "gloves",
        Leggings => "leggings",
        Boots => "boots",
        Amulet => "amulet",
        Ring1 => "ring1",
        Ring2 => "ring2",
        Accessory1 => "accessory1",
        Accessory2 => "accessory2",
        Back => "back",
        MainHand => "main_hand",
        OffHand => "off_hand",
        TwoHanded => "two_handed",
    }
);

impl GearSlot {
    /// The 14 slots of a dual-wield loadout.
    pub const DUAL_WIELD: [GearSlot; 14] = [
        GearSlot::Helm,
        GearSlot::Shoulders,
        GearSlot::Coat,
        GearSlot::Gloves,
        GearSlot::Leggings,
        GearSlot::Boots,
        GearSlot::Amulet,
        GearSlot::Ring1,
        GearSlot::Ring2,
        GearSlot::Accessory1,
        GearSlot::Accessory2,
        GearSlot::Back,
        GearSlot::MainHand,
        GearSlot::OffHand,
    ];
}

string_enum!(
    /// Armor weight class of a profession.
    ArmorWeight, "armor weight", {
        Light => "light",
        Medium => "medium",
        Heavy => "heavy",
    }
);

string_enum!(
    /// How a weapon is held (the API's `flags`).
    WeaponHand, "weapon hand", {
        Mainhand => "mainhand",
        Offhand => "offhand",
        TwoHand => "two_hand" | "twohand",
        Aquatic => "aquatic",
    }
);

string_enum!(
    /// Boon or condition.
    BuffKind, "buff kind", {
        Boon => "boon",
        Condition => "condition",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn game_mode_and_role_parse_and_serialize() {
        for m in GameMode::ALL {
            assert_eq!(m.as_str().parse::<GameMode>().unwrap(), *m);
            let json = serde_json::to_string(m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.as_str()));
            assert_eq!(serde_json::from_str::<GameMode>(&json).unwrap(), *m);
        }
        assert_eq!("WvW".parse::<GameMode>().unwrap(), GameMode::Wvw);
        assert_eq!("Boon-DPS".parse::<Role>().unwrap(), Role::BoonDps);
        assert_eq!(
            serde_json::to_string(&Role::BoonDps).unwrap(),
            "\"boon_dps\""
        );
        assert!("healerz".parse::<Role>().is_err());
        assert!("".parse::<GameMode>().is_err());
    }

    #[test]
    fn attribute_names() {
        assert_eq!(
            Attribute::from_any_name("CritDamage"),
            Some(Attribute::Ferocity)
        );
        assert_eq!(
            Attribute::from_any_name("Condition Damage"),
            Some(Attribute::ConditionDamage)
        );
        assert_eq!(
            Attribute::from_any_name("BoonDuration"),
            Some(Attribute::Concentration)
        );
        assert_eq!(Attribute::from_any_name("Agony"), None);
    }
}
