//! The synergy grade: how much of the mode's weighted needs the squad covers, from the squad
//! optimizer's per-group coverage (provided ÷ target, capped at 1, weighted by the mode's
//! requirement template).
//!
//! | grade | weighted coverage |
//! |---|---|
//! | S | ≥ 95% |
//! | A | ≥ 85% |
//! | B | ≥ 70% |
//! | C | below |

use optimizer::squad::{CoverageEntry, Resource};

use super::answer::{Group, Synergy, SynergyDetails};

pub const S: f64 = 0.95;
pub const A: f64 = 0.85;
pub const B: f64 = 0.70;

pub fn letter(coverage: f64) -> &'static str {
    if coverage >= S {
        "S"
    } else if coverage >= A {
        "A"
    } else if coverage >= B {
        "B"
    } else {
        "C"
    }
}

/// "stability: 100% in 2/2 groups" — the mean coverage of the listed resources over the
/// groups that need them, and in how many groups every one of them is fully covered.
fn line(coverage: &[Vec<CoverageEntry>], resources: &[Resource]) -> String {
    let mut sum = 0.0;
    let mut n = 0usize;
    let mut full = 0usize;
    let mut needing = 0usize;
    for group in coverage {
        let entries: Vec<&CoverageEntry> = group
            .iter()
            .filter(|e| resources.contains(&e.resource))
            .collect();
        if entries.is_empty() {
            continue;
        }
        needing += 1;
        if entries.iter().all(|e| e.coverage >= 0.999) {
            full += 1;
        }
        for e in entries {
            sum += e.coverage;
            n += 1;
        }
    }
    if n == 0 {
        return "not needed in this format".to_owned();
    }
    format!(
        "{:.0}% covered; fully in {full}/{needing} group(s)",
        100.0 * sum / n as f64
    )
}

pub fn grade(coverage: &[Vec<CoverageEntry>], groups: &[Group], score: f64, max: f64) -> Synergy {
    let total = if max > 0.0 { score / max } else { 1.0 };
    let damage_slots = groups
        .iter()
        .flat_map(|g| &g.slots)
        .filter(|s| s.role == "dps" || s.role == "strip")
        .count();
    let slots: usize = groups.iter().map(|g| g.slots.len()).sum();
    let burst: f64 = groups
        .iter()
        .flat_map(|g| &g.slots)
        .map(|s| s.performance.burst_damage)
        .sum();
    Synergy {
        score: letter(total).to_owned(),
        details: SynergyDetails {
            stability: line(coverage, &[Resource::Stability, Resource::Aegis]),
            healing: line(
                coverage,
                &[Resource::Healing, Resource::Barrier, Resource::Regeneration],
            ),
            boon_share: line(
                coverage,
                &[
                    Resource::Might,
                    Resource::Fury,
                    Resource::Quickness,
                    Resource::Alacrity,
                    Resource::Protection,
                    Resource::Resistance,
                    Resource::Superspeed,
                    Resource::Swiftness,
                ],
            ),
            boon_strip: line(coverage, &[Resource::Strip]),
            damage: format!(
                "{damage_slots} of {slots} slot(s) deal damage; squad burst {burst:.0} over 4 s"
            ),
            cleanse: line(coverage, &[Resource::Cleanse, Resource::Resolution]),
        },
        coverage: (total * 1000.0).round() / 1000.0,
    }
}
