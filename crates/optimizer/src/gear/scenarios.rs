//! discretize's advanced uptime simulation (src/state/optimizer/createScenarioTemplates.ts):
//! modifiers whose amount data asks for it are not scaled by their uptime; instead the damage
//! is the time-weighted average over *scenarios*, each with a set of those modifiers fully on.
//!
//! Uncorrelated modifiers are independent (a scenario with and one without each);
//! modifiers of one correlation category and group are on together; different groups of a
//! category never overlap (their uptimes must sum to at most 100%, the rest of the time none is
//! on). Each scenario lists its advanced modifiers (in the order they were met) then every
//! other modifier, as discretize does; its fraction is the product of its groups' uptimes.
//! discretize reads the attributes — and so the constraints on them — of the first scenario
//! (`checkInvalid` on `scenarios[0]`), where every category is in its first group (the "none
//! on" group when the uptimes leave room for it).

use super::error::GearError;
use super::modifiers::Resolved;

/// Most scenarios one problem may have (each is a full evaluation per tree node).
pub(crate) const MAX_SCENARIOS: usize = 256;

/// One scenario: its share of the time and its modifiers.
pub(crate) struct Scenario<'a> {
    pub fraction: f64,
    pub modifiers: Vec<&'a Resolved>,
}

/// The scenarios of `mods` (one, with every modifier, when none asks for advanced uptime).
pub(crate) fn scenarios(mods: &[Resolved]) -> Result<Vec<Scenario<'_>>, GearError> {
    // category (None: uncorrelated, each its own) → groups (group, modifiers, uptime)
    type Group<'a> = (Option<String>, Vec<&'a Resolved>, f64);
    let mut categories: Vec<(Option<String>, Vec<Group<'_>>)> = Vec::new();
    let mut basic: Vec<&Resolved> = Vec::new();
    for m in mods {
        let Some((uptime, corr)) = &m.uptime else {
            basic.push(m);
            continue;
        };
        if *uptime <= 0.0 {
            continue;
        }
        let Some(category) = &corr.category else {
            categories.push((None, vec![(None, vec![m], *uptime)]));
            continue;
        };
        let ci = match categories
            .iter()
            .position(|(c, _)| c.as_ref() == Some(category))
        {
            Some(i) => i,
            None => {
                categories.push((Some(category.clone()), Vec::new()));
                categories.len() - 1
            }
        };
        let groups = &mut categories[ci].1;
        match groups.iter_mut().find(|(g, _, _)| *g == corr.group) {
            Some((_, list, u)) => {
                if *u != *uptime {
                    return Err(GearError::Conflict(format!(
                        "modifiers {} of advanced uptime group {category}/{} have different \
                         uptimes",
                        list.iter()
                            .map(|r| r.id.as_str())
                            .chain([m.id.as_str()])
                            .collect::<Vec<_>>()
                            .join(", "),
                        corr.group.as_deref().unwrap_or("")
                    )));
                }
                list.push(m);
            }
            None => groups.push((corr.group.clone(), vec![m], *uptime)),
        }
    }
    let eps = 4.0 * f64::EPSILON;
    for (category, groups) in &mut categories {
        let total: f64 = groups.iter().map(|g| g.2).sum();
        if (total - 1.0).abs() <= eps {
            continue;
        }
        if total - 1.0 >= eps {
            return Err(GearError::Conflict(format!(
                "the advanced uptime groups of {} add up to more than 100% ({:.1}%)",
                category.as_deref().unwrap_or("a modifier"),
                total * 100.0
            )));
        }
        groups.insert(0, (None, Vec::new(), 1.0 - total));
    }
    let count = categories
        .iter()
        .fold(1usize, |n, (_, g)| n.saturating_mul(g.len()));
    if count > MAX_SCENARIOS {
        return Err(GearError::TooLarge {
            field: "advanced uptime scenarios",
            value: count,
            max: MAX_SCENARIOS,
        });
    }
    let mut out: Vec<(f64, Vec<&Resolved>)> = vec![(1.0, Vec::new())];
    for (_, groups) in &categories {
        let mut next = Vec::with_capacity(out.len() * groups.len());
        for (fraction, list) in &out {
            for (_, mods, uptime) in groups {
                let mut l = list.clone();
                l.extend(mods.iter().copied());
                next.push((fraction * uptime, l));
            }
        }
        out = next;
    }
    Ok(out
        .into_iter()
        .map(|(fraction, mut modifiers)| {
            modifiers.extend(basic.iter().copied());
            Scenario {
                fraction,
                modifiers,
            }
        })
        .collect())
}
