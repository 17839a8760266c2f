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

use gw2::Lang;
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
fn line(coverage: &[Vec<CoverageEntry>], resources: &[Resource], lang: Lang) -> String {
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
        return lang
            .pick("not needed in this format", "inutile dans ce format")
            .to_owned();
    }
    let percent = 100.0 * sum / n as f64;
    match lang {
        Lang::En => format!("{percent:.0}% covered; fully in {full}/{needing} group(s)"),
        Lang::Fr => format!("{percent:.0}% couvert ; entièrement dans {full}/{needing} groupe(s)"),
    }
}

pub fn grade(
    coverage: &[Vec<CoverageEntry>],
    groups: &[Group],
    score: f64,
    max: f64,
    lang: Lang,
) -> Synergy {
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
            stability: line(coverage, &[Resource::Stability, Resource::Aegis], lang),
            healing: line(
                coverage,
                &[Resource::Healing, Resource::Barrier, Resource::Regeneration],
                lang,
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
                lang,
            ),
            boon_strip: line(coverage, &[Resource::Strip], lang),
            damage: match lang {
                Lang::En => format!(
                    "{damage_slots} of {slots} slot(s) deal damage; squad burst {burst:.0} over 4 s"
                ),
                Lang::Fr => format!(
                    "{damage_slots} place(s) sur {slots} infligent des dégâts ; burst de l'escouade {burst:.0} sur 4 s"
                ),
            },
            cleanse: line(coverage, &[Resource::Cleanse, Resource::Resolution], lang),
        },
        coverage: (total * 1000.0).round() / 1000.0,
    }
}
