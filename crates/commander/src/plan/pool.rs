//! Which builds may fill a slot: the squad optimizer's support profiles (its rule table of
//! what each WvW build gives its party) matched against what the request wants, with the
//! experience of the players as a preference.

use optimizer::squad::{BuildOption, ProfileBook, ProfileRule, Requirements, Resource};

use crate::request::{Duty, Experience, Wanted};

/// Specializations a newer WvW player can play well in a squad: forgiving (large health pool
/// or armor, simple rotations, self-sustain), per the usual commander advice; the other
/// specializations are not refused to beginners, only not preferred.
const FORGIVING: &[&str] = &[
    "Firebrand",
    "Scrapper",
    "Tempest",
    "Druid",
    "Herald",
    "Spellbreaker",
    "Reaper",
    "Scourge",
    "Berserker",
    "Dragonhunter",
    "Soulbeast",
];

/// The named builds of the rule table (wildcard rules only fill in for unnamed builds).
fn named_rules(book: &ProfileBook) -> impl Iterator<Item = &ProfileRule> {
    book.rules
        .iter()
        .filter(|r| r.profession != "*" && r.specialization != "*")
}

fn option(rule: &ProfileRule, experience: Experience) -> BuildOption {
    let forgiving = FORGIVING.contains(&rule.specialization.as_str());
    let preference = match (experience, forgiving) {
        (Experience::Beginner, true) => 1.0,
        (Experience::Intermediate, true) => 0.3,
        _ => 0.0,
    };
    BuildOption {
        build: format!("{}-{}", rule.specialization.to_lowercase(), rule.role),
        profession: rule.profession.clone(),
        specialization: rule.specialization.clone(),
        role: rule.role.clone(),
        profile: None,
        preference,
    }
}

fn provides(rule: &ProfileRule, resource: Resource, at_least: f64) -> bool {
    rule.profile.amount(resource) >= at_least
}

/// Whether a rule's build does the duty.
fn does(rule: &ProfileRule, duty: Duty) -> bool {
    let role = rule.role.as_str();
    match duty {
        Duty::Stability => provides(rule, Resource::Stability, 0.5),
        Duty::Healing => {
            role == "heal" || (role == "support" && provides(rule, Resource::Healing, 300.0))
        }
        Duty::Boons => {
            matches!(role, "quickness" | "alacrity")
                || provides(rule, Resource::Quickness, 0.5)
                || provides(rule, Resource::Alacrity, 0.5)
        }
        Duty::Strip => role == "strip" || provides(rule, Resource::Strip, 0.5),
        Duty::Cleanse => provides(rule, Resource::Cleanse, 0.5),
        Duty::Damage | Duty::PowerDamage | Duty::ConditionDamage => role == "dps",
        Duty::Tank => {
            role == "support"
                && provides(rule, Resource::Stability, 0.5)
                && provides(rule, Resource::Protection, 0.3)
        }
        Duty::Support => matches!(role, "support" | "heal"),
    }
}

/// The builds that answer `wanted`. A named specialization without its own rule (a core
/// specialization, or one the table does not know) is offered as a damage build, which the
/// optimizer scores with the table's generic damage rule.
pub fn options_for(
    book: &ProfileBook,
    wanted: &Wanted,
    experience: Experience,
) -> Vec<BuildOption> {
    let matching: Vec<BuildOption> = match wanted {
        Wanted::Specialization { specialization, .. } => named_rules(book)
            .filter(|r| r.specialization.eq_ignore_ascii_case(specialization))
            .map(|r| option(r, experience))
            .collect(),
        Wanted::Profession { profession } => named_rules(book)
            .filter(|r| r.profession.eq_ignore_ascii_case(profession))
            .map(|r| option(r, experience))
            .collect(),
        Wanted::Duty { duty } => named_rules(book)
            .filter(|r| does(r, *duty))
            .map(|r| option(r, experience))
            .collect(),
    };
    if !matching.is_empty() {
        return matching;
    }
    match wanted {
        Wanted::Specialization {
            profession,
            specialization,
        } => vec![BuildOption {
            build: format!("{}-dps", specialization.to_lowercase()),
            profession: profession.clone(),
            specialization: specialization.clone(),
            role: "dps".into(),
            profile: None,
            preference: 0.0,
        }],
        // Every profession and duty of the request vocabulary has named rules; an empty list
        // here is caught by the planner as "nothing can fill this slot".
        _ => Vec::new(),
    }
}

/// The squad optimizer weighs at most this many builds per player.
pub const MAX_OPTIONS: usize = 16;

/// The builds that may fill a free slot: those answering `fill`, or every named build,
/// narrowed to the [`MAX_OPTIONS`] the optimizer weighs: for each of the mode's needs, by
/// weight, its two strongest providers; then the strongest damage builds. Every need thus
/// keeps a provider, and the optimizer picks among them.
pub fn free_options(
    book: &ProfileBook,
    fill: Option<&Wanted>,
    experience: Experience,
    requirements: &Requirements,
) -> Vec<BuildOption> {
    let all: Vec<BuildOption> = match fill {
        Some(wanted) => options_for(book, wanted, experience),
        None => named_rules(book).map(|r| option(r, experience)).collect(),
    };
    narrow(book, all, requirements)
}

/// `all` narrowed to [`MAX_OPTIONS`] as [`free_options`] says.
pub fn narrow(
    book: &ProfileBook,
    all: Vec<BuildOption>,
    requirements: &Requirements,
) -> Vec<BuildOption> {
    if all.len() <= MAX_OPTIONS {
        return all;
    }
    let profile = |o: &BuildOption| book.resolve(&o.profession, &o.specialization, &o.role);
    let amount = |o: &BuildOption, r: Resource| profile(o).map_or(0.0, |p| p.amount(r));
    let mut needs: Vec<_> = requirements.per_party.iter().collect();
    needs.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut chosen: Vec<BuildOption> = Vec::new();
    let take = |o: &BuildOption, chosen: &mut Vec<BuildOption>| {
        if chosen.len() < MAX_OPTIONS && !chosen.iter().any(|c| c.build == o.build) {
            chosen.push(o.clone());
        }
    };
    for need in needs {
        let mut providers: Vec<&BuildOption> = all
            .iter()
            .filter(|o| amount(o, need.resource) > 0.0)
            .collect();
        providers.sort_by(|a, b| {
            amount(b, need.resource)
                .total_cmp(&amount(a, need.resource))
                .then(b.preference.total_cmp(&a.preference))
        });
        for o in providers.into_iter().take(2) {
            take(o, &mut chosen);
        }
    }
    let mut damage: Vec<&BuildOption> = all.iter().collect();
    let dmg = |o: &BuildOption| profile(o).map_or(0.0, |p| p.damage);
    damage.sort_by(|a, b| {
        dmg(b)
            .total_cmp(&dmg(a))
            .then(b.preference.total_cmp(&a.preference))
    });
    for o in damage {
        take(o, &mut chosen);
    }
    chosen
}
