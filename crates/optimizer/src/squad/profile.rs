//! Support profiles: what one build gives its party.
//!
//! A profile is deliberately a flat table of "resource → amount on how many
//! targets" so that the same type can hold today's rule-of-thumb estimates
//! (from `data/support_profiles.json`) and, later, values measured from fight
//! logs, without the solver caring where the numbers came from.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::SquadError;

/// Everything a party can need: boons, plus cleanse/strip/heal/barrier rates.
///
/// Units (shared with [`super::requirements::Requirement::target`]):
/// boons are average uptime on each target (0..1) except might, which is
/// average stacks (0..25); `cleanse` is conditions removed per second per
/// target; `strip` is enemy boons removed per second (a party total);
/// `healing`/`barrier` are HP per second per target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Stability,
    Aegis,
    Resistance,
    Protection,
    Might,
    Fury,
    Quickness,
    Alacrity,
    Superspeed,
    Regeneration,
    Vigor,
    Swiftness,
    Resolution,
    Cleanse,
    Strip,
    Healing,
    Barrier,
}

impl Resource {
    /// All resources, in a stable order (used for tables and suggestions).
    pub const ALL: [Resource; 17] = [
        Resource::Stability,
        Resource::Aegis,
        Resource::Resistance,
        Resource::Protection,
        Resource::Might,
        Resource::Fury,
        Resource::Quickness,
        Resource::Alacrity,
        Resource::Superspeed,
        Resource::Regeneration,
        Resource::Vigor,
        Resource::Swiftness,
        Resource::Resolution,
        Resource::Cleanse,
        Resource::Strip,
        Resource::Healing,
        Resource::Barrier,
    ];

    /// Lower-case name as used in JSON and in report text.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Stability => "stability",
            Resource::Aegis => "aegis",
            Resource::Resistance => "resistance",
            Resource::Protection => "protection",
            Resource::Might => "might",
            Resource::Fury => "fury",
            Resource::Quickness => "quickness",
            Resource::Alacrity => "alacrity",
            Resource::Superspeed => "superspeed",
            Resource::Regeneration => "regeneration",
            Resource::Vigor => "vigor",
            Resource::Swiftness => "swiftness",
            Resource::Resolution => "resolution",
            Resource::Cleanse => "cleanse",
            Resource::Strip => "strip",
            Resource::Healing => "healing",
            Resource::Barrier => "barrier",
        }
    }

    /// Whether the amount is shared out over party members (boons, cleanses,
    /// heals) or counts once for the party (strips hit enemies, so how many
    /// allies are around does not change them).
    pub fn is_per_member(self) -> bool {
        !matches!(self, Resource::Strip)
    }
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How many allies a contribution reaches. GW2 support skills are capped at
/// 5 targets (subgroup first) for most boons and 10 for a few; `Self_` covers
/// self-only traits that still count towards the player's own coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    #[serde(rename = "self")]
    Own,
    #[default]
    Party,
    Squad,
}

impl Reach {
    /// Number of targets, including the provider.
    pub fn targets(self) -> usize {
        match self {
            Reach::Own => 1,
            Reach::Party => 5,
            Reach::Squad => 10,
        }
    }
}

/// One resource given by a build.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Amount on each reached target (see [`Resource`] for units).
    pub amount: f64,
    #[serde(default)]
    pub reach: Reach,
}

/// What a build brings: resources it provides plus a damage score.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SupportProfile {
    /// Relative damage score (a full DPS build is about 100).
    #[serde(default)]
    pub damage: f64,
    #[serde(default)]
    pub provides: BTreeMap<Resource, Contribution>,
}

impl SupportProfile {
    /// Checks that all numbers are finite and non-negative, so coverage
    /// maths can never produce NaN.
    pub fn validate(&self, context: &str) -> Result<(), SquadError> {
        if !self.damage.is_finite() || self.damage < 0.0 {
            return Err(SquadError::InvalidNumber {
                context: format!("{context}: damage"),
            });
        }
        for (res, c) in &self.provides {
            if !c.amount.is_finite() || c.amount < 0.0 {
                return Err(SquadError::InvalidNumber {
                    context: format!("{context}: {res} amount"),
                });
            }
        }
        Ok(())
    }

    /// Amount given for `res` (0 if none).
    pub fn amount(&self, res: Resource) -> f64 {
        self.provides.get(&res).map_or(0.0, |c| c.amount)
    }
}

/// One entry of the profile table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRule {
    /// Profession name ("Guardian") or "*".
    pub profession: String,
    /// Elite specialization name ("Firebrand") or "*".
    pub specialization: String,
    /// Role ("support", "heal", "quickness", "alacrity", "dps", "strip") or "*".
    pub role: String,
    /// Keys into [`ProfileBook::sources`] saying where the numbers come from.
    #[serde(default)]
    pub source: Vec<String>,
    pub profile: SupportProfile,
}

/// The rule table (the embedded default or a caller-supplied one).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProfileBook {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Citation key → address and what it supports.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    pub rules: Vec<ProfileRule>,
}

const BUILTIN_PROFILES: &str = include_str!("../../data/support_profiles.json");

/// The squad roles of the profile table a role name may stand for. A build's roles
/// (`gw2::build::Role`: dps, boon_dps, support, healer, tank, utility) are coarser than the
/// table's: a boon DPS gives quickness or alacrity (whichever its specialization has a rule
/// for), a healer is `heal`, a tank `support`, a utility build strips or supports. Any other
/// name stands for itself.
pub fn squad_roles(role: &str) -> Vec<&str> {
    match role.trim().to_ascii_lowercase().as_str() {
        "healer" => vec!["heal"],
        "boon_dps" => vec!["quickness", "alacrity"],
        "tank" => vec!["support"],
        "utility" => vec!["strip", "support"],
        _ => vec![role],
    }
}

fn field_matches(rule: &str, value: &str) -> Option<u32> {
    let rule = rule.trim();
    if rule == "*" {
        Some(0)
    } else if rule.eq_ignore_ascii_case(value.trim()) {
        Some(1)
    } else {
        None
    }
}

impl ProfileBook {
    /// Parses a rule table from JSON (same shape as the embedded file).
    pub fn from_json(text: &str) -> Result<Self, SquadError> {
        let book: ProfileBook =
            serde_json::from_str(text).map_err(|e| SquadError::InvalidData(e.to_string()))?;
        for (i, rule) in book.rules.iter().enumerate() {
            rule.profile.validate(&format!("profile rule {i}"))?;
        }
        Ok(book)
    }

    /// The embedded default table, parsed once.
    pub fn builtin() -> Result<&'static ProfileBook, SquadError> {
        static BOOK: OnceLock<Result<ProfileBook, String>> = OnceLock::new();
        BOOK.get_or_init(|| ProfileBook::from_json(BUILTIN_PROFILES).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| SquadError::InvalidData(e.clone()))
    }

    /// Most specific rule for a build. Specialization outranks role, which
    /// outranks profession, because the elite spec decides the boon kit far
    /// more than the profession does (a Firebrand and a Dragonhunter are
    /// both Guardians).
    ///
    /// `role` is a squad role (`heal`, `quickness`, `strip` ...) or a build's role (`healer`,
    /// `boon_dps`, `tank`, `utility`, see [`squad_roles`]), so a stored build's own role finds
    /// its profile.
    pub fn find(&self, profession: &str, specialization: &str, role: &str) -> Option<&ProfileRule> {
        let roles = squad_roles(role);
        self.rules
            .iter()
            .filter_map(|r| {
                let p = field_matches(&r.profession, profession)?;
                let s = field_matches(&r.specialization, specialization)?;
                let ro = roles.iter().find_map(|role| field_matches(&r.role, role))?;
                Some((s * 4 + ro * 2 + p, r))
            })
            // max_by_key keeps the last of equal keys; reverse so the first
            // rule in file order wins ties.
            .rev()
            .max_by_key(|(score, _)| *score)
            .map(|(_, r)| r)
    }

    /// Profile for a build, if any rule matches.
    pub fn resolve(
        &self,
        profession: &str,
        specialization: &str,
        role: &str,
    ) -> Option<&SupportProfile> {
        self.find(profession, specialization, role)
            .map(|r| &r.profile)
    }

    /// Rules (other than wildcard specs) that give at least `min_amount` of
    /// `res` to a party, best first: used to suggest who to bring for a gap.
    pub fn providers_of(&self, res: Resource, min_amount: f64) -> Vec<&ProfileRule> {
        let mut v: Vec<&ProfileRule> = self
            .rules
            .iter()
            .filter(|r| r.specialization != "*")
            .filter(|r| {
                r.profile.provides.get(&res).is_some_and(|c| {
                    c.amount >= min_amount && (c.reach != Reach::Own || !res.is_per_member())
                })
            })
            .collect();
        v.sort_by(|a, b| b.profile.amount(res).total_cmp(&a.profile.amount(res)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_cites_known_sources() {
        let book = ProfileBook::builtin().unwrap();
        assert!(book.rules.len() > 30);
        for rule in &book.rules {
            assert!(!rule.source.is_empty(), "rule without source: {rule:?}");
            for s in &rule.source {
                assert!(book.sources.contains_key(s), "unknown source key {s}");
            }
        }
    }

    #[test]
    fn most_specific_rule_wins() {
        let book = ProfileBook::builtin().unwrap();
        let fb = book.resolve("guardian", "FIREBRAND", "support").unwrap();
        assert_eq!(fb.amount(Resource::Stability), 1.0);
        let dps = book.resolve("Guardian", "Firebrand", "dps").unwrap();
        // falls back to the generic dps rule
        assert_eq!(dps.amount(Resource::Stability), 0.0);
        assert!(dps.damage > 80.0);
        assert!(book
            .resolve("Guardian", "Firebrand", "no-such-role")
            .is_none());
    }

    #[test]
    fn role_table_matches_meta() {
        let book = ProfileBook::builtin().unwrap();
        let scourge = book.resolve("Necromancer", "Scourge", "strip").unwrap();
        assert!(scourge.amount(Resource::Strip) > 1.0);
        assert!(scourge.amount(Resource::Barrier) > 0.0);
        let scrapper = book.resolve("Engineer", "Scrapper", "support").unwrap();
        assert!(scrapper.amount(Resource::Superspeed) > 0.5);
        assert!(scrapper.amount(Resource::Cleanse) >= 1.0);
        let druid = book.resolve("Ranger", "Druid", "heal").unwrap();
        assert!(druid.amount(Resource::Might) >= 15.0);
        let herald = book.resolve("Revenant", "Herald", "quickness").unwrap();
        assert_eq!(herald.amount(Resource::Quickness), 1.0);
    }

    #[test]
    fn a_builds_own_role_finds_its_profile() {
        let book = ProfileBook::builtin().unwrap();
        let same = |prof: &str, spec: &str, build_role: &str, squad_role: &str| {
            assert_eq!(
                book.find(prof, spec, build_role).map(|r| &r.profile),
                book.find(prof, spec, squad_role).map(|r| &r.profile),
                "{spec} {build_role} ≠ {squad_role}"
            );
            assert!(
                book.find(prof, spec, build_role).is_some(),
                "{spec} {build_role}"
            );
        };
        same("Ranger", "Druid", "healer", "heal");
        same("Guardian", "Firebrand", "boon_dps", "quickness");
        same("Engineer", "Scrapper", "boon_dps", "quickness");
        same("Guardian", "Firebrand", "tank", "support");
        same("Necromancer", "Scourge", "utility", "strip");
        let druid = book.resolve("Ranger", "Druid", "healer").unwrap();
        assert!(druid.amount(Resource::Might) >= 15.0);
    }

    #[test]
    fn rejects_negative_and_nan() {
        let mut p = SupportProfile::default();
        p.provides.insert(
            Resource::Might,
            Contribution {
                amount: f64::NAN,
                reach: Reach::Party,
            },
        );
        assert!(p.validate("x").is_err());
        let p = SupportProfile {
            damage: -1.0,
            ..Default::default()
        };
        assert!(p.validate("x").is_err());
    }

    #[test]
    fn providers_of_stability_lists_firebrand_first() {
        let book = ProfileBook::builtin().unwrap();
        let v = book.providers_of(Resource::Stability, 0.5);
        assert_eq!(v[0].specialization, "Firebrand");
    }
}
