//! A stored build and what others did with it → one `build_rating` sample.
//!
//! Features (one-hot, so a model learns which choices are well received):
//! `profession_<name>`, `spec_<name>` (`spec_core` for a core build), `role_<name>`,
//! `mode_<name>`, and `stat_<prefix>` = the share of the build's gear slots using that stat
//! prefix (`stat_minstrels` 0.5 when half the slots are Minstrel's).
//!
//! Label: [`rating`], the build's reception.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::slug;
use crate::Sample;

/// What a build is, as far as the rating model looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildFacts {
    pub profession: String,
    /// Elite specialization; `None` for a core build.
    pub specialization: Option<String>,
    pub role: String,
    pub game_mode: String,
    /// The stat prefix of each gear slot that has one (repeats count).
    pub stat_prefixes: Vec<String>,
}

/// What users did with a build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildSignals {
    pub upvotes: i64,
    pub downvotes: i64,
    pub views: i64,
    /// Saved builds ("My Builds") holding the same chat code.
    pub saves: i64,
    /// Team slots fielding the build.
    pub team_uses: i64,
    /// Feedback ratings (1..=10) given to the build or to a team fielding it: how many, and
    /// their sum.
    pub feedback_count: i64,
    pub feedback_sum: i64,
}

/// A build's reception, one number from every signal:
///
/// `ln(1+up) − ln(1+down) + ½·ln(1+views) + ln(1+saves) + ln(1+team uses) + f`
///
/// where `f = (mean feedback − 5.5) / 4.5` (−1 for all 1s, +1 for all 10s; 0 without
/// feedback). Logarithms because a few builds gather most attention: the tenth vote says
/// less than the first. Views count half: a view is not an opinion.
pub fn rating(s: &BuildSignals) -> f64 {
    let ln1p = |v: i64| (v.max(0) as f64).ln_1p();
    let feedback = if s.feedback_count > 0 {
        (s.feedback_sum as f64 / s.feedback_count as f64 - 5.5) / 4.5
    } else {
        0.0
    };
    ln1p(s.upvotes) - ln1p(s.downvotes)
        + 0.5 * ln1p(s.views)
        + ln1p(s.saves)
        + ln1p(s.team_uses)
        + feedback
}

/// The sample of one build.
pub fn sample(facts: &BuildFacts, signals: &BuildSignals, source: &str) -> Sample {
    let mut features = BTreeMap::new();
    let mut one_hot = |prefix: &str, value: &str| {
        let name = slug(value);
        if !name.is_empty() {
            features.insert(format!("{prefix}_{name}"), 1.0);
        }
    };
    one_hot("profession", &facts.profession);
    one_hot("spec", facts.specialization.as_deref().unwrap_or("core"));
    one_hot("role", &facts.role);
    one_hot("mode", &facts.game_mode);
    let slots = facts.stat_prefixes.len() as f64;
    for prefix in &facts.stat_prefixes {
        let name = slug(prefix);
        if !name.is_empty() {
            *features.entry(format!("stat_{name}")).or_insert(0.0) += 1.0 / slots;
        }
    }
    Sample {
        features,
        label: rating(signals),
        source: source.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rating_adds_every_signal() {
        assert_eq!(rating(&BuildSignals::default()), 0.0);
        let liked = BuildSignals {
            upvotes: 9,
            views: 99,
            saves: 1,
            feedback_count: 2,
            feedback_sum: 20,
            ..BuildSignals::default()
        };
        let expected = 10f64.ln() + 0.5 * 100f64.ln() + 2f64.ln() + 1.0;
        assert!((rating(&liked) - expected).abs() < 1e-12);
        let disliked = BuildSignals {
            downvotes: 3,
            feedback_count: 1,
            feedback_sum: 1,
            ..BuildSignals::default()
        };
        assert!(rating(&disliked) < -1.0);
    }

    #[test]
    fn a_build_becomes_one_hot_features_and_stat_shares() {
        let facts = BuildFacts {
            profession: "Guardian".into(),
            specialization: Some("Firebrand".into()),
            role: "support".into(),
            game_mode: "wvw".into(),
            stat_prefixes: vec![
                "Minstrel's".into(),
                "Minstrel's".into(),
                "Harrier's".into(),
                "Minstrel's".into(),
            ],
        };
        let s = sample(&facts, &BuildSignals::default(), "build:1");
        let names: Vec<&str> = s.features.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "mode_wvw",
                "profession_guardian",
                "role_support",
                "spec_firebrand",
                "stat_harriers",
                "stat_minstrels"
            ]
        );
        assert_eq!(s.features["stat_minstrels"], 0.75);
        let core = BuildFacts {
            specialization: None,
            stat_prefixes: Vec::new(),
            ..facts
        };
        assert!(sample(&core, &BuildSignals::default(), "b")
            .features
            .contains_key("spec_core"));
    }
}
