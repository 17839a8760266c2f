//! The words Team Commander writes, in French or English: names of the formats, experience
//! levels, roles, duties, the optimizer's resources (boons by the game client's names in
//! each language) and game names (professions and elite specializations by the French
//! client's names, [`gw2::names_fr`]). One table per kind of word, used by the planner's
//! notes and reasons and by the chat's rendering of a squad.

use gw2::Lang;
use optimizer::squad::Resource;

use crate::request::{Duty, Experience, Wanted, WvwMode};

/// A profession or elite specialization by its English game name, in `lang` (the English
/// name when the French client's is not known).
pub fn game_name(english: &str, lang: Lang) -> String {
    match lang {
        Lang::En => english.to_owned(),
        Lang::Fr => gw2::names_fr::french_name(english)
            .unwrap_or(english)
            .to_owned(),
    }
}

/// A format as a noun (« a WvW zerg », « un zerg McM »).
pub fn format_phrase(mode: WvwMode, lang: Lang) -> &'static str {
    match (mode, lang) {
        (WvwMode::Zerg, Lang::En) => "a WvW zerg",
        (WvwMode::Zerg, Lang::Fr) => "un zerg McM",
        (WvwMode::GuildRaid, Lang::En) => "a WvW guild raid",
        (WvwMode::GuildRaid, Lang::Fr) => "un raid de guilde McM",
        (WvwMode::Outnumbered, Lang::En) => "an outnumbered WvW squad",
        (WvwMode::Outnumbered, Lang::Fr) => "une escouade McM en infériorité numérique",
        (WvwMode::Roaming, Lang::En) => "WvW roaming",
        (WvwMode::Roaming, Lang::Fr) => "le roaming McM",
    }
}

/// A format as a label (« WvW zerg », « raid de guilde McM »).
pub fn format_label(mode: WvwMode, lang: Lang) -> &'static str {
    match (mode, lang) {
        (WvwMode::Zerg, Lang::En) => "WvW zerg",
        (WvwMode::Zerg, Lang::Fr) => "zerg McM",
        (WvwMode::GuildRaid, Lang::En) => "WvW guild raid",
        (WvwMode::GuildRaid, Lang::Fr) => "raid de guilde McM",
        (WvwMode::Outnumbered, Lang::En) => "WvW outnumbered",
        (WvwMode::Outnumbered, Lang::Fr) => "McM en infériorité numérique",
        (WvwMode::Roaming, Lang::En) => "WvW roaming",
        (WvwMode::Roaming, Lang::Fr) => "roaming McM",
    }
}

pub fn experience(experience: Experience, lang: Lang) -> &'static str {
    match (experience, lang) {
        (Experience::Beginner, Lang::En) => "beginner",
        (Experience::Beginner, Lang::Fr) => "débutant",
        (Experience::Intermediate, Lang::En) => "intermediate",
        (Experience::Intermediate, Lang::Fr) => "intermédiaire",
        (Experience::Expert, _) => "expert",
    }
}

/// A slot's role (`support`, `heal`, `quickness`, `alacrity`, `strip`, `dps`).
pub fn role(role: &str, lang: Lang) -> String {
    let french = match role {
        "support" => "soutien",
        "heal" => "soin",
        "quickness" => "célérité",
        "alacrity" => "alacrité",
        "strip" => "retrait d'avantages",
        "dps" => "DPS",
        other => other,
    };
    lang.pick(role, french).to_owned()
}

pub fn duty(duty: Duty, lang: Lang) -> &'static str {
    match (duty, lang) {
        (Duty::Stability, Lang::En) => "stability",
        (Duty::Stability, Lang::Fr) => "stabilité",
        (Duty::Healing, Lang::En) => "healing",
        (Duty::Healing, Lang::Fr) => "soin",
        (Duty::Boons, Lang::En) => "boons",
        (Duty::Boons, Lang::Fr) => "avantages",
        (Duty::Strip, Lang::En) => "strip",
        (Duty::Strip, Lang::Fr) => "retrait d'avantages",
        (Duty::Cleanse, Lang::En) => "cleanse",
        (Duty::Cleanse, Lang::Fr) => "purge d'altérations",
        (Duty::Damage, Lang::En) => "damage",
        (Duty::Damage, Lang::Fr) => "dégâts",
        (Duty::PowerDamage, Lang::En) => "power damage",
        (Duty::PowerDamage, Lang::Fr) => "dégâts directs",
        (Duty::ConditionDamage, Lang::En) => "condition damage",
        (Duty::ConditionDamage, Lang::Fr) => "dégâts par altération",
        (Duty::Tank, _) => "tank",
        (Duty::Support, Lang::En) => "support",
        (Duty::Support, Lang::Fr) => "soutien",
    }
}

/// What a slot was asked to be: a specialization, a profession or a duty.
pub fn wanted(w: &Wanted, lang: Lang) -> String {
    match w {
        Wanted::Specialization { specialization, .. } => game_name(specialization, lang),
        Wanted::Profession { profession } => game_name(profession, lang),
        Wanted::Duty { duty: d } => duty(*d, lang).to_owned(),
    }
}

/// A resource of the squad optimizer by its name in the game's client of that language.
pub fn resource(resource: Resource, lang: Lang) -> &'static str {
    use Resource as R;
    let french = match resource {
        R::Stability => "stabilité",
        R::Aegis => "égide",
        R::Resistance => "résistance",
        R::Protection => "protection",
        R::Might => "pouvoir",
        R::Fury => "furie",
        R::Quickness => "célérité",
        R::Alacrity => "alacrité",
        R::Superspeed => "supervitesse",
        R::Regeneration => "régénération",
        R::Vigor => "vigueur",
        R::Swiftness => "rapidité",
        R::Resolution => "résolution",
        R::Cleanse => "purge d'altérations",
        R::Strip => "retrait d'avantages",
        R::Healing => "soins",
        R::Barrier => "barrière",
    };
    lang.pick(resource.name(), french)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_a_french_form() {
        for r in &Resource::ALL {
            assert!(!resource(*r, Lang::Fr).is_empty());
            assert_eq!(resource(*r, Lang::En), r.name());
        }
        assert_eq!(resource(Resource::Might, Lang::Fr), "pouvoir");
        assert_eq!(game_name("Firebrand", Lang::Fr), "Incendiaire");
        assert_eq!(game_name("Firebrand", Lang::En), "Firebrand");
        assert_eq!(role("support", Lang::Fr), "soutien");
        assert_eq!(
            wanted(
                &Wanted::Duty {
                    duty: Duty::Stability
                },
                Lang::Fr
            ),
            "stabilité"
        );
    }
}
