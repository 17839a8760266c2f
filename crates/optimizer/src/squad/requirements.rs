//! What each party needs, per game mode.
//!
//! Kept as editable data (`data/requirements.json`) because commanders tune
//! these targets to their own style; callers can also send a full
//! [`Requirements`] value instead of a template name.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::profile::Resource;
use super::SquadError;

/// One per-party need: reach `target` of `resource`; `weight` sets how much
/// a full coverage of it is worth relative to the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub resource: Resource,
    pub target: f64,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

fn default_party_size() -> usize {
    5
}

fn default_max_players() -> usize {
    50
}

/// A requirement template: the needs checked in every party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirements {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Maximum members per party (GW2 subgroups share boons in 5s).
    #[serde(default = "default_party_size")]
    pub party_size: usize,
    /// Maximum squad size for this mode (50 for WvW).
    #[serde(default = "default_max_players")]
    pub max_players: usize,
    pub per_party: Vec<Requirement>,
}

/// Largest squad this crate accepts, whatever the template says: the game's
/// squad cap, and a bound that keeps every solver's running time predictable.
pub const MAX_SQUAD: usize = 50;

/// Largest party size accepted (boons reach at most 10 allies).
pub const MAX_PARTY_SIZE: usize = 10;

#[derive(Debug, Deserialize)]
struct TemplateFile {
    templates: Vec<Requirements>,
}

const BUILTIN_TEMPLATES: &str = include_str!("../../data/requirements.json");

impl Requirements {
    /// Checks targets and weights so coverage is always well defined.
    pub fn validate(&self) -> Result<(), SquadError> {
        if self.party_size == 0 || self.party_size > MAX_PARTY_SIZE {
            return Err(SquadError::InvalidPartySize {
                size: self.party_size,
                max: MAX_PARTY_SIZE,
            });
        }
        for r in &self.per_party {
            if !r.target.is_finite() || r.target <= 0.0 {
                return Err(SquadError::InvalidNumber {
                    context: format!("requirement {}: target must be > 0", r.resource),
                });
            }
            if !r.weight.is_finite() || r.weight < 0.0 {
                return Err(SquadError::InvalidNumber {
                    context: format!("requirement {}: weight must be >= 0", r.resource),
                });
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &self.per_party {
            if !seen.insert(r.resource) {
                return Err(SquadError::InvalidData(format!(
                    "requirement {} listed twice",
                    r.resource
                )));
            }
        }
        Ok(())
    }

    /// All embedded templates (wvw_zerg, raid, strike, fractal).
    pub fn templates() -> Result<&'static [Requirements], SquadError> {
        static T: OnceLock<Result<Vec<Requirements>, String>> = OnceLock::new();
        T.get_or_init(|| {
            let f: TemplateFile =
                serde_json::from_str(BUILTIN_TEMPLATES).map_err(|e| e.to_string())?;
            for t in &f.templates {
                t.validate().map_err(|e| e.to_string())?;
            }
            Ok(f.templates)
        })
        .as_ref()
        .map(std::vec::Vec::as_slice)
        .map_err(|e| SquadError::InvalidData(e.clone()))
    }

    /// A template by name (case-insensitive).
    pub fn template(name: &str) -> Result<Requirements, SquadError> {
        Self::templates()?
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .cloned()
            .ok_or_else(|| SquadError::UnknownTemplate(name.to_string()))
    }

    /// Target for a resource, if required.
    pub fn target(&self, res: Resource) -> Option<f64> {
        self.per_party
            .iter()
            .find(|r| r.resource == res)
            .map(|r| r.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_load() {
        let t = Requirements::templates().unwrap();
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "wvw_zerg",
                "raid",
                "strike",
                "fractal",
                "wvw_guild_raid",
                "wvw_outnumbered",
                "wvw_roam"
            ]
        );
        // Every WvW format is validated and sized for its squads.
        for (name, max) in [
            ("wvw_guild_raid", 15),
            ("wvw_outnumbered", 50),
            ("wvw_roam", 5),
        ] {
            let t = Requirements::template(name).unwrap();
            assert_eq!(t.max_players, max, "{name}");
            assert!(t.validate().is_ok());
        }
        let raid = Requirements::template("RAID").unwrap();
        assert_eq!(raid.target(Resource::Might), Some(25.0));
        assert_eq!(raid.max_players, 10);
        let wvw = Requirements::template("wvw_zerg").unwrap();
        assert_eq!(wvw.per_party.len(), 13);
        assert_eq!(wvw.target(Resource::Resolution), Some(0.5));
        assert!(Requirements::template("pvp").is_err());
    }

    #[test]
    fn validation_rejects_bad_targets() {
        let mut r = Requirements::template("fractal").unwrap();
        r.per_party[0].target = 0.0;
        assert!(r.validate().is_err());
        let mut r = Requirements::template("fractal").unwrap();
        r.party_size = 0;
        assert!(r.validate().is_err());
        let mut r = Requirements::template("fractal").unwrap();
        let dup = r.per_party[0].clone();
        r.per_party.push(dup);
        assert!(r.validate().is_err());
    }
}
