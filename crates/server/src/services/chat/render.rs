//! The engines' results as facts and as a deterministic answer, in French or English. The
//! engines write their own texts (Team Commander's notes, synergy details and reasons, the
//! recommender's summary and reasons) in the language they are asked for; the labels here
//! use Team Commander's word tables (`commander::words`), so names of professions and elite
//! specializations are the French game client's in French.

use commander::plan::answer::{Slot, SquadAnswer};
use commander::request::WvwMode;

use super::grounding::{Fact, Grounded};
use super::lang::Lang;

const TEAM_COMMANDER: &str = "team_commander";
const ADVISER: &str = "adviser";

use crate::services::ai::agents::recommender::Recommendation;

use commander::words::{experience, game_name as name, resource, role};

fn mode(mode: WvwMode, lang: Lang) -> &'static str {
    commander::words::format_label(mode, lang)
}

/// A label and its colon, as each language sets it (French puts a space before it).
fn labelled(label: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{label}:"),
        Lang::Fr => format!("{label} :"),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).clamp(0.0, 100.0))
}

fn slot(slot: &Slot, lang: Lang) -> String {
    let p = &slot.performance;
    let (burst, survivability) = match lang {
        Lang::En => ("burst", "survivability"),
        Lang::Fr => ("burst", "survie"),
    };
    let colon = lang.pick(":", " :");
    format!(
        "{} {} ({}, {}, {}){colon} {burst} {:.0}, {survivability} ×{:.2}",
        role(&slot.role, lang),
        name(&slot.specialization, lang),
        name(&slot.profession, lang),
        slot.equipment.stats,
        slot.equipment.rune,
        p.burst_damage,
        p.survivability,
    )
}

/// Team Commander's squad: its size and grade, each group's slots with their gear and figures
/// and coverage of the format's needs, the synergy details and the planner's notes.
pub fn squad(answer: &SquadAnswer, lang: Lang) -> Grounded {
    let mut facts = Vec::new();
    let groups = answer.groups.len();
    facts.push(Fact::new(
        TEAM_COMMANDER,
        match lang {
            Lang::En => format!(
                "Squad of {} players in {groups} group(s) for {}, {} players; synergy grade {} ({} of the format's weighted needs covered).",
                answer.team_size,
                mode(answer.mode, lang),
                experience(answer.experience, lang),
                answer.synergy.score,
                percent(answer.synergy.coverage),
            ),
            Lang::Fr => format!(
                "Escouade de {} joueurs en {groups} groupe(s) pour {}, joueurs de niveau {} ; note de synergie {} ({} des besoins pondérés du format couverts).",
                answer.team_size,
                mode(answer.mode, lang),
                experience(answer.experience, lang),
                answer.synergy.score,
                percent(answer.synergy.coverage),
            ),
        },
    ));
    for group in &answer.groups {
        let slots: Vec<String> = group.slots.iter().map(|s| slot(s, lang)).collect();
        let label = match lang {
            Lang::En => "Group",
            Lang::Fr => "Groupe",
        };
        facts.push(Fact::new(
            TEAM_COMMANDER,
            format!(
                "{} {}.",
                labelled(&format!("{label} {}", group.index), lang),
                slots.join("; ")
            ),
        ));
        let coverage: Vec<String> = group
            .coverage
            .iter()
            .map(|e| format!("{} {}", resource(e.resource, lang), percent(e.coverage)))
            .collect();
        if !coverage.is_empty() {
            let covered = match lang {
                Lang::En => "coverage",
                Lang::Fr => "couverture",
            };
            facts.push(Fact::new(
                TEAM_COMMANDER,
                format!(
                    "{} {}.",
                    labelled(&format!("{label} {} {covered}", group.index), lang),
                    coverage.join(", ")
                ),
            ));
        }
    }
    let d = &answer.synergy.details;
    facts.push(Fact::new(
        TEAM_COMMANDER,
        match lang {
            Lang::En => format!(
                "{} stability: {} | healing: {} | boon share: {} | boon strip: {} | damage: {} | cleanse: {}.",
                labelled("Synergy details", lang),
                d.stability,
                d.healing,
                d.boon_share,
                d.boon_strip,
                d.damage,
                d.cleanse
            ),
            Lang::Fr => format!(
                "{} stabilité : {} | soins : {} | partage d'avantages : {} | retrait d'avantages : {} | dégâts : {} | purge : {}.",
                labelled("Détail de la synergie", lang),
                d.stability,
                d.healing,
                d.boon_share,
                d.boon_strip,
                d.damage,
                d.cleanse
            ),
        },
    ));
    for note in &answer.notes {
        facts.push(Fact::new(
            TEAM_COMMANDER,
            format!("{} {note}", labelled("Note", lang)),
        ));
    }
    let intro = match lang {
        Lang::En => "Here is the squad Team Commander planned for your request:",
        Lang::Fr => "Voici l'escouade que Team Commander a planifiée pour votre demande :",
    };
    Grounded {
        fallback_answer: bulleted(intro, &facts),
        facts,
    }
}

/// The adviser's recommendation for a build question: its summary, each stored build with
/// its reasons (votes, engine DPS) and the benchmark rotations that fit.
pub fn recommendation(answer: &Recommendation, lang: Lang) -> Grounded {
    let mut facts = vec![Fact::new(ADVISER, answer.summary.clone())];
    for c in &answer.candidates {
        let spec = c
            .specialization
            .clone()
            .unwrap_or_else(|| c.profession.clone());
        let reasons = if c.reasons.is_empty() {
            lang.pick("no votes yet", "pas encore de votes").to_owned()
        } else {
            c.reasons.join("; ")
        };
        let (spec, role) = (name(&spec, lang), role(&c.role, lang));
        facts.push(Fact::new(
            ADVISER,
            match lang {
                Lang::En => format!(
                    "\u{201c}{}\u{201d} ({spec}, {role}) by {}: {reasons}.",
                    c.name, c.author
                ),
                Lang::Fr => format!(
                    "\u{201c}{}\u{201d} ({spec}, {role}) par {} : {reasons}.",
                    c.name, c.author
                ),
            },
        ));
    }
    for b in &answer.benchmarks {
        facts.push(Fact::new(
            ADVISER,
            match lang {
                Lang::En => format!(
                    "Community benchmark rotation: {} ({} {}).",
                    b.name,
                    b.specialization,
                    b.role.as_str()
                ),
                Lang::Fr => format!(
                    "Rotation de référence de la communauté : {} ({}, {}).",
                    b.name,
                    name(&b.specialization, lang),
                    role(b.role.as_str(), lang)
                ),
            },
        ));
    }
    let intro = lang.pick(
        "Here is what the adviser found for your build question:",
        "Voici ce que le conseiller a trouvé pour votre question de build :",
    );
    Grounded {
        fallback_answer: bulleted(intro, &facts),
        facts,
    }
}

/// Team Commander read a request it cannot honour (60 players, 7 per group...).
pub fn refused(reason: &str, lang: Lang) -> Grounded {
    let text = match lang {
        Lang::En => format!("Team Commander cannot plan this squad: {reason}."),
        Lang::Fr => format!("Team Commander ne peut pas planifier cette escouade : {reason}."),
    };
    let fact = Fact::new(TEAM_COMMANDER, text.clone());
    Grounded {
        facts: vec![fact],
        fallback_answer: text,
    }
}

/// The engines had no slot for this request (the caller's or the service's limit).
pub fn engines_busy(lang: Lang) -> Grounded {
    let text = match lang {
        Lang::En => "The squad engines are busy right now; send your request again in a few seconds.",
        Lang::Fr => "Les moteurs d'escouade sont occupés pour le moment ; renvoyez votre demande dans quelques secondes.",
    };
    Grounded {
        facts: vec![Fact::new(TEAM_COMMANDER, text)],
        fallback_answer: text.to_owned(),
    }
}

/// What the adviser can do, with an example; `not_understood` lists the words of a squad
/// request Team Commander could not read.
pub fn help(lang: Lang, not_understood: &[String]) -> Grounded {
    let (intro, abilities, unread) = match lang {
        Lang::En => (
            "I am the GW2Optimizer adviser. Here is what I can do:",
            [
                "plan a WvW squad from one sentence, e.g. \"2 groups of 5 with Firebrand, Druid, Harbinger, Spellbreaker and Scrapper for a WvW zerg\" (Team Commander: roles, gear, boon coverage and a synergy grade);",
                "analyse a build or a skill for a WvW format (AI Build Lab), optimize a build's gear, and rate a team's synergy;",
                "summarise the WvW fights you upload (arcdps logs) and your sessions.",
            ],
            "Team Commander could not read:",
        ),
        Lang::Fr => (
            "Je suis le conseiller de GW2Optimizer. Voici ce que je sais faire :",
            [
                "planifier une escouade McM à partir d'une phrase, par exemple « 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg » (Team Commander : rôles, équipement, couverture des avantages et note de synergie) ;",
                "analyser un build ou une compétence pour un format McM (AI Build Lab), optimiser l'équipement d'un build et noter la synergie d'une équipe ;",
                "résumer les combats McM que vous envoyez (logs arcdps) et vos sessions.",
            ],
            "Team Commander n'a pas compris :",
        ),
    };
    let mut facts: Vec<Fact> = abilities.iter().map(|a| Fact::new(ADVISER, *a)).collect();
    if !not_understood.is_empty() {
        let words: Vec<String> = not_understood.iter().map(|w| format!("\"{w}\"")).collect();
        facts.push(Fact::new(
            TEAM_COMMANDER,
            format!("{unread} {}.", words.join(", ")),
        ));
    }
    Grounded {
        fallback_answer: bulleted(intro, &facts),
        facts,
    }
}

fn bulleted(intro: &str, facts: &[Fact]) -> String {
    let mut text = intro.to_owned();
    for fact in facts {
        text.push_str("\n- ");
        text.push_str(&fact.text);
    }
    text
}
