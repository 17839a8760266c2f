//! The parser never panics, whatever the message (#19): arbitrary Unicode, request-like word
//! soups, and very large inputs. Every span it returns is a valid character range of the
//! message holding the text it names.

use commander::parse::parse;
use commander::request::{Span, SquadRequest};
use proptest::prelude::*;

fn assert_spans(msg: &str, r: &SquadRequest) {
    let spans = r
        .understood
        .iter()
        .map(|u| &u.span)
        .chain(r.demands.iter().map(|d| &d.span))
        .chain(&r.not_understood)
        .chain(&r.unknown_names);
    for Span { start, end, text } in spans {
        assert!(
            start <= end && *end <= msg.len(),
            "{start}..{end} of {}",
            msg.len()
        );
        assert!(msg.is_char_boundary(*start) && msg.is_char_boundary(*end));
        assert_eq!(&msg[*start..*end], text);
    }
}

/// Words and marks the parser reacts to, with accents, combining marks, other scripts,
/// huge numbers and emoji mixed in.
const PIECES: &[&str] = &[
    "2",
    "0",
    "5",
    "99999999999999",
    "groupes",
    "groupe",
    "group",
    "party",
    "de",
    "of",
    "à",
    "a",
    "avec",
    "with",
    "Firebrand",
    "fb",
    "scraper",
    "firebarnd",
    "nécros",
    "mes",
    "Blorp",
    "blorps",
    ",",
    "et",
    "and",
    "ou",
    "or",
    "par",
    "per",
    "chaque",
    "each",
    "chacun",
    "au",
    "total",
    "x",
    "×",
    "*",
    "zerg",
    "roaming",
    "outnumbered",
    "raid",
    "de guilde",
    "complète",
    "fill",
    "the",
    "rest",
    "reste",
    "sans",
    "no",
    "pas",
    "vingt",
    "et",
    "un",
    "cinq",
    "dix",
    "sept",
    "one",
    "twenty",
    "Groupe 1 :",
    ":",
    ".",
    ";",
    "\n",
    "/",
    "+",
    "heal",
    "support",
    "stab",
    "power",
    "dps",
    "condi",
    "cleanse",
    "joueurs",
    "players",
    "15v15",
    "duo",
    "squad",
    "escouade",
    "débutants",
    "expert",
    "é",
    "e\u{301}",
    "\u{301}",
    "🙂",
    "الأرض",
    "ǅ",
    "İ",
    "ﬃ",
    "Œuvre",
    "ß",
    "\u{200b}",
    "\t",
    "  ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_do_not_panic(msg in any::<String>()) {
        let r = parse(&msg);
        assert_spans(&msg, &r);
    }

    #[test]
    fn request_like_word_soups_do_not_panic(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..80),
        glue in prop::sample::select(&[" ", "", "-", "'", ", "][..]),
    ) {
        let msg = pieces.join(glue);
        let r = parse(&msg);
        assert_spans(&msg, &r);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn large_random_inputs_do_not_panic(
        chars in prop::collection::vec(any::<char>(), 0..50_000),
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..20_000),
    ) {
        let msg: String = chars.into_iter().collect();
        assert_spans(&msg, &parse(&msg));
        let msg = pieces.join(" ");
        assert_spans(&msg, &parse(&msg));
    }
}

#[test]
fn huge_inputs_and_long_runs_do_not_panic() {
    let unit = "Je veux 2 groupes de 5 avec Firebrand, Blorp, 3 scraper par groupe et complète avec du DPS; ";
    let msg = unit.repeat(2_000);
    let r = parse(&msg);
    assert_spans(&msg, &r);
    assert_eq!(r.demands.len(), 4_000);
    assert_eq!(r.unknown_names.len(), 2_000);
    // Long runs of one kind of word (each pass must not rescan them).
    for msg in [
        "heal ".repeat(50_000),
        "no ".repeat(50_000),
        "le ".repeat(50_000) + "Firebrand",
        "de ".repeat(50_000),
        "a ".repeat(50_000),
        "Blorp ".repeat(50_000),
        "fill with ".repeat(20_000),
        "each group ".repeat(20_000),
        "2 ".repeat(50_000),
        "é".repeat(100_000),
        "9".repeat(100_000),
        "\u{301}".repeat(50_000),
    ] {
        assert_spans(&msg, &parse(&msg));
    }
}
