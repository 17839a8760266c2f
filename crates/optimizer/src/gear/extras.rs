//! Extras combinations: the runes, sigils, relic, food, utility and infusion settings one
//! input searches together with its gear ([`Extras`], `README.md` "Extras").
//!
//! Each combination becomes one search problem (its own modifiers, hence its own engine and
//! bounds); `search.rs` walks all of them in one branch-and-bound sharing the incumbent, so the
//! result is exactly the best of every combination run on its own. This file only enumerates
//! the combinations, as discretize-gear-optimizer's `getExtrasCombinationsAndModifiers`
//! (src/state/slices/extras.ts) does: the Cartesian product of the non-empty categories, minus
//! the same sigil in both slots (except the entries that stand for a pair of sigils or for "no
//! sigil") and minus the mirror image of a sigil pair both lists offer.

use super::error::GearError;
use super::input::{Extras, Infusions, MAX_EXTRAS_COMBINATIONS};
use super::modifiers::ModifierSpec;

/// Sigils that may sit in both slots at once (discretize `allowedDuplicateSigils`: entries that
/// stand for two sigils, or for none).
const DUPLICATE_SIGILS: [&str; 5] = [
    "sigil:impact/night/slaying-both",
    "sigil:impact/night/slaying-only-3",
    "sigil:no-item-sigil",
    "sigil:ruby-orb",
    "sigil:platinum-doubloon",
];

/// One combination of extras.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Choice {
    /// Category (`"runes"`, `"sigil1"` …, `"infusions"`) → what this combination uses there.
    pub labels: Vec<(&'static str, String)>,
    /// The items' modifiers, applied after the input's own.
    pub modifiers: Vec<ModifierSpec>,
    /// The infusion setting, when `extras.infusions` lists candidates.
    pub infusions: Option<Infusions>,
}

fn key(spec: &ModifierSpec) -> String {
    spec.id().trim().to_ascii_lowercase()
}

/// A readable name for an infusion setting: `"power+precision"`.
pub(crate) fn infusion_label(i: &Infusions) -> String {
    match i.secondary.filter(|s| *s != i.primary) {
        Some(s) => format!("{}+{}", i.primary, s),
        None => i.primary.to_string(),
    }
}

/// Every combination of `extras` in a fixed order (the first category outermost; categories in
/// the order discretize's templates list them: runes, relic, sigils, utility, food, then
/// infusions). `None` extras, or extras with no candidate, give one empty combination.
/// `own_infusions` is the input's `infusions`, which must be null when `extras.infusions` lists
/// candidates.
pub(crate) fn combinations(
    extras: Option<&Extras>,
    own_infusions: Option<&Infusions>,
) -> Result<Vec<Choice>, GearError> {
    let Some(x) = extras else {
        return Ok(vec![Choice::default()]);
    };
    if !x.infusions.is_empty() && own_infusions.is_some() {
        return Err(GearError::Conflict(
            "give infusion candidates either in \"infusions\" or in \"extras.infusions\", not both"
                .into(),
        ));
    }
    let categories: [(&'static str, &[ModifierSpec]); 6] = [
        ("runes", &x.runes),
        ("relic", &x.relic),
        ("sigil1", &x.sigil1),
        ("sigil2", &x.sigil2),
        ("utility", &x.utility),
        ("food", &x.food),
    ];
    let mut count = x.infusions.len().max(1);
    for (_, list) in &categories {
        count = count.saturating_mul(list.len().max(1));
    }
    if count > MAX_EXTRAS_COMBINATIONS {
        return Err(GearError::TooLarge {
            field: "extras combinations",
            value: count,
            max: MAX_EXTRAS_COMBINATIONS,
        });
    }
    let mut out = vec![Choice::default()];
    for (name, list) in categories {
        if list.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(out.len() * list.len());
        for c in &out {
            for spec in list {
                let mut c = c.clone();
                c.labels.push((name, key(spec)));
                c.modifiers.push(spec.clone());
                next.push(c);
            }
        }
        out = next;
    }
    let sigils_of = |c: &Choice| -> (Option<String>, Option<String>) {
        let get = |n: &str| {
            c.labels
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.clone())
        };
        (get("sigil1"), get("sigil2"))
    };
    let offers = |list: &[ModifierSpec], id: &str| list.iter().any(|s| key(s) == id);
    out.retain(|c| match sigils_of(c) {
        (Some(a), Some(b)) => {
            if a == b {
                DUPLICATE_SIGILS.contains(&a.as_str())
            } else {
                // both orders offered: keep one
                !(offers(&x.sigil1, &b) && offers(&x.sigil2, &a) && a > b)
            }
        }
        _ => true,
    });
    if out.is_empty() {
        return Err(GearError::Conflict(
            "no extras combination: every sigil pair is one sigil twice, which only the \
             pair/none entries (impact/night/slaying-both …, no-item-sigil) may be"
                .into(),
        ));
    }
    if !x.infusions.is_empty() {
        let mut next = Vec::with_capacity(out.len() * x.infusions.len());
        for c in &out {
            for inf in &x.infusions {
                let mut c = c.clone();
                c.labels.push(("infusions", infusion_label(inf)));
                c.infusions = Some(inf.clone());
                next.push(c);
            }
        }
        out = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<ModifierSpec> {
        v.iter()
            .map(|s| ModifierSpec::Id((*s).to_string()))
            .collect()
    }

    #[test]
    fn product_of_the_given_categories() {
        let x = Extras {
            runes: ids(&["rune:scholar", "rune:eagle"]),
            food: ids(&["food:a", "food:b", "food:c"]),
            ..Extras::default()
        };
        let c = combinations(Some(&x), None).unwrap();
        assert_eq!(c.len(), 6);
        assert_eq!(
            c[1].labels,
            vec![
                ("runes", "rune:scholar".to_string()),
                ("food", "food:b".to_string())
            ]
        );
        assert_eq!(combinations(None, None).unwrap(), vec![Choice::default()]);
    }

    /// discretize extras.ts: the same sigil twice only for the pair/none entries, and a pair
    /// both lists offer once (the order with the smaller id in the first slot).
    #[test]
    fn sigil_pairs_as_discretize() {
        let x = Extras {
            sigil1: ids(&["sigil:force", "sigil:accuracy", "sigil:no-item-sigil"]),
            sigil2: ids(&["sigil:force", "sigil:accuracy", "sigil:no-item-sigil"]),
            ..Extras::default()
        };
        let c = combinations(Some(&x), None).unwrap();
        let pairs: Vec<(String, String)> = c
            .iter()
            .map(|c| (c.labels[0].1.clone(), c.labels[1].1.clone()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("sigil:force".into(), "sigil:no-item-sigil".into()),
                ("sigil:accuracy".into(), "sigil:force".into()),
                ("sigil:accuracy".into(), "sigil:no-item-sigil".into()),
                ("sigil:no-item-sigil".into(), "sigil:no-item-sigil".into()),
            ]
        );
    }

    #[test]
    fn limits_and_conflicts() {
        let many: Vec<String> = (0..21).map(|i| format!("x:{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let x = Extras {
            runes: ids(&many),
            food: ids(&many),
            utility: ids(&many),
            ..Extras::default()
        };
        assert!(matches!(
            combinations(Some(&x), None),
            Err(GearError::TooLarge { .. })
        ));
        let inf = Infusions {
            primary: gw2::model::Attribute::Power,
            secondary: None,
            max: 18,
            primary_max: 18,
            secondary_max: 18,
        };
        let x = Extras {
            infusions: vec![inf.clone()],
            ..Extras::default()
        };
        assert!(matches!(
            combinations(Some(&x), Some(&inf)),
            Err(GearError::Conflict(_))
        ));
        let c = combinations(Some(&x), None).unwrap();
        assert_eq!(c[0].infusions, Some(inf));
        assert_eq!(c[0].labels, vec![("infusions", "power".to_string())]);
    }
}
