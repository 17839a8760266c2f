//! The gear side of a problem: the stat prefixes an input may use (the game's, and its own
//! custom stat tables), each slot's candidates (the input's `affixes`, a slot's own list in
//! `slot_affixes`, or the forced one), exotic items, and the slot classes the search walks
//! (slots with identical candidates and per-candidate values, `README.md` "Search").
//!
//! discretize-gear-optimizer's counterparts (src/state/optimizer/optimizerSetup.ts): forced
//! slots and per-slot exclusions (`affixesArray`), per-slot exotic rarity (`exotics`), and the
//! `Custom` affix (`customAffixData`: a triple prefix with the attributes one chooses).

use std::collections::BTreeMap;

use gw2::data::{GameData, ItemStat};
use gw2::model::{Attribute, GearSlot};
use serde::{Deserialize, Serialize};

use super::error::GearError;
use super::input::{GearInput, MAX_AFFIXES};
use super::model::GearVec;
use super::modifiers::Stat;

/// How a custom stat table's per-slot values are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffixKind {
    /// The values of a three-attribute prefix (Berserker's): one major, two minor per slot.
    #[default]
    Triple,
    /// The values of a four-attribute prefix (Viper's): two major, two minor per slot.
    Quadruple,
}

/// A stat table of one's own, usable by `name` wherever a prefix is (discretize's `Custom`
/// affix): either `major`/`minor` attributes taking the per-slot values of a `kind` prefix, or
/// explicit `values` per slot (slots absent from `values` cannot take it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomAffix {
    pub name: String,
    #[serde(default)]
    pub kind: AffixKind,
    #[serde(default)]
    pub major: Vec<Attribute>,
    #[serde(default)]
    pub minor: Vec<Attribute>,
    #[serde(default)]
    pub values: BTreeMap<GearSlot, BTreeMap<Attribute, f64>>,
}

/// A prefix with its attribute points per slot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prefix {
    /// Display name (`"Berserker's"`, or the custom table's name).
    pub name: String,
    key: String,
    ascended: BTreeMap<GearSlot, GearVec>,
    exotic: BTreeMap<GearSlot, GearVec>,
}

/// One group of interchangeable choices: slots with identical per-prefix values, or the
/// infusion split.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// Slots of the class (empty for the infusion class).
    pub slots: Vec<GearSlot>,
    /// Prefix indexes (into the problem's prefixes) a slot of the class may take.
    pub affixes: Vec<usize>,
    /// Per choice: how many slots take each of `affixes` (gear) or `[primary, secondary]`
    /// infusion counts.
    pub counts: Vec<Vec<u8>>,
    /// Attribute points each choice adds.
    pub vecs: Vec<GearVec>,
    /// The choices whose convex hull holds every choice (a gear class's choices with all its
    /// slots on one prefix, the infusion class's two end splits): a linear function's maximum
    /// over the class is its maximum over these. The gradient bound takes one such maximum
    /// per class at every node, and a class of every prefix has thousands of choices but only
    /// one such corner per prefix.
    pub corners: Vec<GearVec>,
}

impl Class {
    /// The maximum of `weights · v` over the class's choices `v` (over its corners).
    pub(crate) fn max_dot(&self, weights: &GearVec) -> f64 {
        self.corners
            .iter()
            .map(|v| v.iter().zip(weights).map(|(a, b)| a * b).sum::<f64>())
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The gear part of a problem.
#[derive(Debug, Clone)]
pub(crate) struct Gear {
    pub prefixes: Vec<Prefix>,
    pub classes: Vec<Class>,
    /// Slot-by-slot combinations.
    pub raw: f64,
}

fn points(values: &BTreeMap<Attribute, u32>) -> GearVec {
    let mut v = [0.0; 9];
    for (a, n) in values {
        v[Stat::from_attribute(*a).idx()] += f64::from(*n);
    }
    v
}

fn game_prefix(s: &ItemStat) -> Prefix {
    Prefix {
        name: s.name.clone(),
        key: s.key.clone(),
        ascended: s.ascended.iter().map(|(k, v)| (*k, points(v))).collect(),
        exotic: s.exotic.iter().map(|(k, v)| (*k, points(v))).collect(),
    }
}

fn key_of(name: &str) -> String {
    name.trim()
        .trim_end_matches("'s")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A custom table's per-slot values: explicit, or a reference prefix's major/minor values.
fn custom_prefix(c: &CustomAffix, data: &GameData) -> Result<Prefix, GearError> {
    let bad = |why: String| GearError::InvalidCustomAffix {
        name: c.name.clone(),
        reason: why,
    };
    if c.name.trim().is_empty() {
        return Err(bad("a custom stat table needs a name".into()));
    }
    let mut ascended = BTreeMap::new();
    let mut exotic = BTreeMap::new();
    if !c.values.is_empty() {
        if !c.major.is_empty() || !c.minor.is_empty() {
            return Err(bad("give either \"values\" or \"major\"/\"minor\"".into()));
        }
        for (slot, vals) in &c.values {
            let mut v = [0.0; 9];
            for (a, n) in vals {
                if !(n.is_finite() && (0.0..=10_000.0).contains(n)) {
                    return Err(bad(format!("{slot} {a}: {n} is not within 0..=10000")));
                }
                v[Stat::from_attribute(*a).idx()] += n;
            }
            ascended.insert(*slot, v);
            exotic.insert(*slot, v);
        }
    } else {
        if c.major.is_empty() && c.minor.is_empty() {
            return Err(bad("no attribute: list \"major\" and \"minor\" ones".into()));
        }
        // the reference prefix and its major / minor attribute
        let (reference, major, minor) = match c.kind {
            AffixKind::Triple => ("berserker", Attribute::Power, Attribute::Precision),
            AffixKind::Quadruple => ("viper", Attribute::Power, Attribute::Precision),
        };
        let r = data
            .itemstat_by_name(reference)
            .ok_or_else(|| bad(format!("reference prefix {reference} missing")))?;
        for (table, out) in [(&r.ascended, &mut ascended), (&r.exotic, &mut exotic)] {
            for (slot, vals) in table {
                let get = |a: Attribute| f64::from(vals.get(&a).copied().unwrap_or(0));
                let mut v = [0.0; 9];
                for a in &c.major {
                    v[Stat::from_attribute(*a).idx()] += get(major);
                }
                for a in &c.minor {
                    v[Stat::from_attribute(*a).idx()] += get(minor);
                }
                out.insert(*slot, v);
            }
        }
    }
    Ok(Prefix {
        name: c.name.trim().to_string(),
        key: format!("custom:{}", key_of(&c.name)),
        ascended,
        exotic,
    })
}

/// Builds the prefixes, each slot's candidates and the slot classes of `input` (without the
/// infusion class).
pub(crate) fn gear(input: &GearInput, data: &GameData) -> Result<Gear, GearError> {
    let custom: Vec<Prefix> = input
        .custom_affixes
        .iter()
        .map(|c| custom_prefix(c, data))
        .collect::<Result<_, _>>()?;
    let mut prefixes: Vec<Prefix> = Vec::new();
    let mut index_of = |name: &str| -> Result<usize, GearError> {
        let p = match custom.iter().find(|c| key_of(&c.name) == key_of(name)) {
            Some(c) => c.clone(),
            None => game_prefix(
                data.itemstat_by_name(name)
                    .ok_or_else(|| GearError::UnknownPrefix(name.to_string()))?,
            ),
        };
        Ok(match prefixes.iter().position(|q| q.key == p.key) {
            Some(i) => i,
            None => {
                prefixes.push(p);
                prefixes.len() - 1
            }
        })
    };
    let mut list = |names: &[String]| -> Result<Vec<usize>, GearError> {
        let mut out = Vec::new();
        for a in names {
            let i = index_of(a)?;
            if !out.contains(&i) {
                out.push(i);
            }
        }
        Ok(out)
    };
    let candidates = list(&input.affixes)?;
    let slots = input.weapon_type.slots();
    let in_loadout = |slot: &GearSlot| -> Result<(), GearError> {
        if slots.contains(slot) {
            Ok(())
        } else {
            Err(GearError::SlotNotInLoadout {
                slot: slot.to_string(),
                weapon_type: input.weapon_type.as_str(),
            })
        }
    };
    let mut per_slot = BTreeMap::new();
    for (slot, names) in &input.slot_affixes {
        in_loadout(slot)?;
        if names.len() > MAX_AFFIXES {
            return Err(GearError::TooLarge {
                field: "slot_affixes",
                value: names.len(),
                max: MAX_AFFIXES,
            });
        }
        per_slot.insert(*slot, list(names)?);
    }
    let mut forced = BTreeMap::new();
    for (slot, name) in &input.forced_slots {
        in_loadout(slot)?;
        forced.insert(*slot, list(std::slice::from_ref(name))?[0]);
    }
    let mut exotic: BTreeMap<GearSlot, Vec<usize>> = BTreeMap::new();
    for (slot, names) in &input.exotic {
        in_loadout(slot)?;
        exotic.insert(*slot, list(names)?);
    }
    let values = |i: usize, slot: GearSlot| -> Option<GearVec> {
        let p = &prefixes[i];
        if exotic.get(&slot).is_some_and(|l| l.contains(&i)) {
            p.exotic.get(&slot).copied()
        } else {
            p.ascended.get(&slot).copied()
        }
    };

    let mut classes: Vec<Class> = Vec::new();
    let mut rows_of: Vec<Vec<GearVec>> = Vec::new();
    let mut raw = 1.0f64;
    for &slot in &slots {
        let allowed: Vec<usize> = match forced.get(&slot) {
            Some(&i) => {
                if values(i, slot).is_none() {
                    return Err(GearError::NoPrefixForSlot(format!(
                        "{slot} (forced {} does not exist there)",
                        prefixes[i].name
                    )));
                }
                vec![i]
            }
            None => {
                let own = per_slot.get(&slot).unwrap_or(&candidates);
                if own.is_empty() {
                    return Err(GearError::NoAffixes);
                }
                own.iter()
                    .copied()
                    .filter(|&i| values(i, slot).is_some())
                    .collect()
            }
        };
        if allowed.is_empty() {
            return Err(GearError::NoPrefixForSlot(slot.to_string()));
        }
        raw *= allowed.len() as f64;
        let rows: Vec<GearVec> = allowed.iter().filter_map(|&i| values(i, slot)).collect();
        match classes
            .iter()
            .zip(&rows_of)
            .position(|(c, r)| c.affixes == allowed && *r == rows)
        {
            Some(ci) => classes[ci].slots.push(slot),
            None => {
                classes.push(Class {
                    slots: vec![slot],
                    affixes: allowed,
                    counts: Vec::new(),
                    vecs: Vec::new(),
                    corners: Vec::new(),
                });
                rows_of.push(rows);
            }
        }
    }
    for (c, rows) in classes.iter_mut().zip(&rows_of) {
        c.counts = compositions(c.slots.len(), c.affixes.len());
        c.vecs = c
            .counts
            .iter()
            .map(|counts| {
                let mut v = [0.0; 9];
                for (n, row) in counts.iter().zip(rows) {
                    for (vi, r) in v.iter_mut().zip(row) {
                        *vi += f64::from(*n) * r;
                    }
                }
                v
            })
            .collect();
        // A choice is a sum of per-slot rows, a convex combination of the all-one-prefix sums.
        let n = c.slots.len();
        c.corners = c
            .counts
            .iter()
            .zip(&c.vecs)
            .filter(|(counts, _)| counts.iter().any(|&k| usize::from(k) == n))
            .map(|(_, v)| *v)
            .collect();
    }
    Ok(Gear {
        prefixes,
        classes,
        raw,
    })
}

/// Count vectors: every way to put `n` items into `k` bins.
pub(crate) fn compositions(n: usize, k: usize) -> Vec<Vec<u8>> {
    fn rec(n: usize, k: usize, cur: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
        if k == 1 {
            cur.push(n as u8);
            out.push(cur.clone());
            cur.pop();
            return;
        }
        for c in (0..=n).rev() {
            cur.push(c as u8);
            rec(n - c, k - 1, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if k > 0 {
        rec(n, k, &mut Vec::with_capacity(k), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// discretize's Custom affix takes the triple per-slot values: a Power/Precision/Ferocity
    /// table is Berserker's.
    #[test]
    fn custom_triple_equals_the_game_prefix() {
        let data = GameData::embedded();
        let c = CustomAffix {
            name: "Mine".into(),
            kind: AffixKind::Triple,
            major: vec![Attribute::Power],
            minor: vec![Attribute::Precision, Attribute::Ferocity],
            values: BTreeMap::new(),
        };
        let p = custom_prefix(&c, data).unwrap();
        let b = game_prefix(data.itemstat_by_name("berserker").unwrap());
        assert_eq!(p.ascended, b.ascended);
        assert_eq!(p.exotic, b.exotic);
        let c = CustomAffix {
            name: "Quad".into(),
            kind: AffixKind::Quadruple,
            major: vec![Attribute::Power, Attribute::ConditionDamage],
            minor: vec![Attribute::Precision, Attribute::Expertise],
            values: BTreeMap::new(),
        };
        let v = game_prefix(data.itemstat_by_name("viper").unwrap());
        assert_eq!(custom_prefix(&c, data).unwrap().ascended, v.ascended);
    }

    #[test]
    fn compositions_count() {
        assert_eq!(compositions(3, 3).len(), 10);
        assert_eq!(compositions(2, 1), vec![vec![2]]);
        assert!(compositions(2, 0).is_empty());
    }
}
