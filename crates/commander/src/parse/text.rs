//! Cutting a message into tokens that keep their byte span, and the one normal form every
//! word is compared in (lower case, accents removed), so « Nécros », "necros" and "NECROS" are
//! the same word.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A run of letters (any script) and combining marks.
    Word,
    /// A run of ASCII digits; values past `u32::MAX` saturate (the planner refuses them).
    Number(u32),
    /// A character that structures the sentence: `, ; : . ! ? / + & × * •` and the line break.
    Punct(char),
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Byte offsets in the message; both are character boundaries.
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// For words, the normal form (see [`normalize`]); empty otherwise.
    pub norm: String,
    /// The word starts with an upper-case letter (a hint that it is a name).
    pub capitalized: bool,
}

/// Lower case, canonical decomposition (Unicode NFD) with the combining marks dropped, and the
/// French ligatures spelled out: « Élémentaliste » → "elementaliste", « Œil » → "oeil".
pub(crate) fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l))),
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    !c.is_ascii_digit() && (c.is_alphanumeric() || is_combining_mark(c))
}

fn punct(c: char) -> Option<char> {
    match c {
        ',' | ';' | ':' | '.' | '!' | '?' | '/' | '+' | '&' | '×' | '*' | '•' | '\n' => Some(c),
        // Full-width and other common variants read as their ASCII form.
        '，' | '、' => Some(','),
        '；' => Some(';'),
        '：' => Some(':'),
        '。' => Some('.'),
        '！' => Some('!'),
        '？' => Some('?'),
        _ => None,
    }
}

/// Words, numbers and structuring punctuation, in order. Everything else (spaces, hyphens,
/// apostrophes, quotes, brackets, symbols) only separates: « vingt-cinq » is two words,
/// « d'élite » is "d" and "elite", "2x5" is 2, "x", 5.
pub(crate) fn tokenize(message: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = message.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = start + 1;
            let mut value = u32::from(c as u8 - b'0');
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(d as u8 - b'0'));
                end = i + 1;
                chars.next();
            }
            tokens.push(Token {
                start,
                end,
                kind: TokKind::Number(value),
                norm: String::new(),
                capitalized: false,
            });
        } else if is_word_char(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let norm = normalize(message.get(start..end).unwrap_or_default());
            // A run of combining marks alone normalizes to nothing: it carries no word.
            if !norm.is_empty() {
                tokens.push(Token {
                    start,
                    end,
                    kind: TokKind::Word,
                    norm,
                    capitalized: c.is_uppercase(),
                });
            }
        } else if let Some(p) = punct(c) {
            tokens.push(Token {
                start,
                end: start + c.len_utf8(),
                kind: TokKind::Punct(p),
                norm: String::new(),
                capitalized: false,
            });
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_form_drops_case_and_accents() {
        assert_eq!(normalize("Nécros"), "necros");
        assert_eq!(normalize("ÉLÉMENTALISTE"), "elementaliste");
        assert_eq!(normalize("Rôdeur"), "rodeur");
        assert_eq!(normalize("Envoûteur"), "envouteur");
        assert_eq!(normalize("Cœur"), "coeur");
        // Already decomposed input (e + combining acute) gives the same form.
        assert_eq!(normalize("Ne\u{301}cromant"), "necromant");
    }

    #[test]
    fn tokens_keep_spans_and_split_digits_from_letters() {
        let msg = "2x5 groupes, vingt-cinq joueurs: d'élite!";
        let toks = tokenize(msg);
        let shown: Vec<&str> = toks.iter().map(|t| &msg[t.start..t.end]).collect();
        assert_eq!(
            shown,
            ["2", "x", "5", "groupes", ",", "vingt", "cinq", "joueurs", ":", "d", "élite", "!"]
        );
        assert_eq!(toks[0].kind, TokKind::Number(2));
        assert_eq!(toks[10].norm, "elite");
        assert!(!toks[3].capitalized);
    }

    #[test]
    fn huge_numbers_saturate() {
        let toks = tokenize("99999999999999999999 joueurs");
        assert_eq!(toks[0].kind, TokKind::Number(u32::MAX));
    }
}
