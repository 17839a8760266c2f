//! What the language model is sent: a system prompt holding the engines' facts and the rules
//! (use only their numbers, answer in the user's language), the conversation so far, and the
//! new message. And what is said when no model answered.

use super::grounding::Fact;
use super::lang::Lang;

/// Messages of the conversation sent back to the model as context (the newest ones).
pub const HISTORY: i64 = 12;

/// The system prompt for one answer.
pub fn system(facts: &[Fact], lang: Lang) -> String {
    let language = lang.name();
    let mut prompt = format!(
        "You are the GW2Optimizer adviser for Guild Wars 2 players: World vs World squads, builds, \
         gear and fights.\n\
         Answer in {language}: the user writes in {language}.\n\
         The facts below were computed by GW2Optimizer's engines for the user's last message. \
         Base your answer on them. Every number, grade, profession, specialization, stat prefix, \
         rune or sigil you mention must appear in these facts, written as they are written there; \
         never invent or estimate one. If the user asks for something the facts do not cover, \
         say that the engines did not compute it and what the user can ask instead.\n\
         Keep the answer short and practical.\n\nFacts:\n"
    );
    for fact in facts {
        prompt.push_str(&format!("- [{}] {}\n", fact.source, fact.text));
    }
    prompt
}

/// Ends an answer made without a language model.
pub fn no_model_note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No language model was used: this answer comes straight from GW2Optimizer's engines.",
        Lang::Fr => "Aucun modèle de langage n'a été utilisé : cette réponse vient directement des moteurs de GW2Optimizer.",
    }
}

/// The answer without a model: the engines' text and the note.
pub fn without_model(fallback_answer: &str, lang: Lang) -> String {
    format!("{fallback_answer}\n\n{}", no_model_note(lang))
}

/// Longest conversation title, in characters.
pub const TITLE_CHARS: usize = 80;

/// A conversation's title: its first message's first line, cut at a word when long.
pub fn title(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > TITLE_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_holds_the_facts_and_the_language() {
        let facts = [Fact::new(
            "team_commander",
            "Squad of 10 players; synergy grade A.",
        )];
        let prompt = system(&facts, Lang::Fr);
        assert!(prompt.contains("Answer in French"));
        assert!(prompt.contains("- [team_commander] Squad of 10 players; synergy grade A.\n"));
        assert!(prompt.contains("never invent"));
    }

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(
            title("  \n2 groups of 5\nwith a Firebrand"),
            "2 groups of 5"
        );
        let long = "word ".repeat(40);
        let t = title(&long);
        assert!(t.chars().count() <= TITLE_CHARS && t.ends_with('…'), "{t}");
        assert!(!t.contains("  "));
    }
}
