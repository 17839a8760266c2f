//! The two languages of the product's texts (the web client, the engines' notes and reasons,
//! the adviser's and the chat's answers, localized game names): French or English, as asked
//! (`language`, an `Accept-Language` tag), or as a chat message is written when it does not
//! say. It lives with the game model so every engine that writes words (Team Commander's
//! planner, the adviser) can take it.

use serde::{Deserialize, Serialize};

/// `en` or `fr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// A language tag (`fr`, `fr-FR`, `FR`, an `Accept-Language` value's first tag) → French;
    /// anything else (or nothing) English.
    pub fn parse(value: Option<&str>) -> Lang {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v == "fr" || v.starts_with("fr-") || v.starts_with("fr_") => Lang::Fr,
            _ => Lang::En,
        }
    }

    /// The English or the French text.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// What the language model is told to answer in.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "French",
        }
    }

    /// French when the message reads as French: more French than English function words (or,
    /// with none of either, a French accented letter); English otherwise. Deterministic, so
    /// the same message always gets its answer in the same language.
    pub fn detect(message: &str) -> Lang {
        let lower = message.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        let french = words.iter().filter(|w| FRENCH.contains(w)).count();
        let english = words.iter().filter(|w| ENGLISH.contains(w)).count();
        if french > english {
            Lang::Fr
        } else if english > french {
            Lang::En
        } else if lower.chars().any(|c| "éèêàâçîôûùœ".contains(c)) {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// Common French words that are not English words too ("a", "on", "plus" are left out).
#[rustfmt::skip]
const FRENCH: &[&str] = &[
    "je", "tu", "il", "nous", "vous", "ils", "le", "la", "les", "un", "une", "des", "du", "de",
    "et", "ou", "pour", "avec", "sans", "dans", "sur", "est", "sont", "veux", "voudrais", "peux",
    "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "quoi", "mon", "ma", "mes",
    "notre", "votre", "groupe", "groupes", "joueurs", "escouade", "combat", "combats", "bonjour",
    "merci", "aide", "moi", "qui", "que", "ce", "cette", "faire", "meilleur", "meilleure",
];

/// Common English words that are not French words too.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "i", "you", "we", "they", "the", "an", "and", "or", "for", "with", "without", "is", "are",
    "want", "would", "can", "could", "what", "which", "how", "why", "my", "our", "your", "group",
    "groups", "players", "squad", "fight", "fights", "hello", "thanks", "help", "me", "who",
    "this", "that", "make", "best", "of", "to", "in", "should", "need",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_language_of_the_message() {
        for fr in [
            "Je veux 2 groupes de 5 avec Firebrand et Scrapper",
            "Quel est le meilleur build pour un gardien ?",
            "bonjour",
            "Compo zerg débutants",
        ] {
            assert_eq!(Lang::detect(fr), Lang::Fr, "{fr}");
        }
        for en in [
            "I want 2 groups of 5 with a Firebrand",
            "What is the best build for my guardian?",
            "hello",
            "zerg comp",
            "",
        ] {
            assert_eq!(Lang::detect(en), Lang::En, "{en}");
        }
    }
}
