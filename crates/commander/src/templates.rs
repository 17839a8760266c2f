//! Ready requests for the common WvW formats, in French and English (the API's
//! `GET /ai/teams/templates`). Each one is a sentence a commander would type; a test plans
//! every one of them.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub name: &'static str,
    pub description: &'static str,
    pub command: &'static str,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "Zerg 2×5 (FR)",
        description: "Deux groupes de zerg classiques : stabilité, soins, partage d'avantages, strip et dégâts dans chaque groupe.",
        command: "Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg",
    },
    Template {
        name: "Zerg 2×5 (EN)",
        description: "Two classic zerg parties: stability, healing, boons, strips and damage in each party.",
        command: "2 groups of 5 for a WvW zerg with a Firebrand, a Scrapper, a Spellbreaker and 2 dps in each group",
    },
    Template {
        name: "Bus 50 (FR)",
        description: "Un bus complet de 50 joueurs : un Firebrand et un Scrapper par groupe, le reste au choix de l'optimiseur.",
        command: "10 groupes de 5 pour un bus en McM, dans chaque groupe : 1 Firebrand et 1 Scrapper",
    },
    Template {
        name: "Guild raid 15 (EN)",
        description: "A 15-player guild raid built to strip: a stability support and a boon stripper in each party.",
        command: "guild raid of 15 players, each party needs a stab and a strip, fill the rest with dps",
    },
    Template {
        name: "Raid de guilde 3×5 (FR)",
        description: "Trois groupes pour un raid de guilde avec deux Scourges et deux Spellbreakers au total.",
        command: "3 groupes de 5 pour un raid de guilde avec 2 Scourges et 2 Spellbreakers",
    },
    Template {
        name: "Outnumbered 10 (EN)",
        description: "Ten players against more: extra sustain with a healer and a stability support per party.",
        command: "we are outnumbered, 10 players, one heal and one stab per group",
    },
    Template {
        name: "Infériorité numérique (FR)",
        description: "Deux groupes en infériorité numérique : un soigneur et un stabeur par groupe, complétez avec du DPS.",
        command: "2 groupes de 5 en infériorité, dans chaque groupe un soigneur et un stabeur, complète avec du dps",
    },
    Template {
        name: "Roaming 5 (EN)",
        description: "A roaming party of five: damage first, with one support to keep it alive.",
        command: "roaming group of 5 with a Druid and 4 dps",
    },
    Template {
        name: "Roaming débutants (FR)",
        description: "Un groupe de roaming pour débutants : des classes tolérantes et un soutien.",
        command: "un groupe de 5 pour du roaming, joueurs débutants, avec un Tempest",
    },
];
