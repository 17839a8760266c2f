//! Every word and phrase the parser knows, in both languages, built once.
//!
//! Profession and elite-specialization names come from the game data
//! ([`gw2::GameData::embedded`]) in English and from [`gw2::names_fr`] in French; the short
//! forms players type (fb, scrap, necro, ingé...) are listed here, keyed by the same English
//! names so they follow the data. Words are compared in their normal form
//! ([`super::text::normalize`]); a word not found as written is tried without its plural
//! mark, then against the content words within a small edit distance (see [`Lexicon::fuzzy`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use gw2::names_fr::FRENCH_NAMES;
use gw2::GameData;

use super::text::normalize;
use crate::request::{Duty, Experience, Wanted, WvwMode};

/// How a number was written: the article « un »/"a" counts one without the writer having
/// given a count; spelled-out tens and units combine (« vingt-cinq », "twenty five").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    Digits,
    Article,
    /// one to nine, spelled out.
    Unit,
    /// « dix » (dix-sept, dix-huit, dix-neuf).
    Dix,
    /// ten to nineteen spelled out, except « dix ».
    Teen,
    /// twenty to sixty spelled out.
    Tens,
}

/// Scope markers built by the grammar from the words below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// "per group", « dans chaque groupe », "each"; `leading` when the words usually open a
    /// list (« dans chaque groupe : ... », "each party needs ...") rather than close one
    /// ("... par groupe", "... each").
    PerGroup { leading: bool },
    /// "in total", « au total », "in the squad".
    Total,
    /// « Groupe 2 : ... »: what follows is listed under one group.
    Label(u32),
}

/// What a word or phrase is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lex {
    /// A specialization or profession.
    Name(Wanted),
    Duty(Duty),
    Mode(WvwMode),
    Exp(Experience),
    /// "WvW", « McM »: the game mode family (the only one this parser serves).
    Wvw,
    /// groupe, group, party.
    Group,
    /// escouade, squad, team, raid.
    Squad,
    /// joueurs, players, people.
    Player,
    /// de, of, à (in "2 groupes de 5", « groupes à 5 »).
    Of,
    /// avec, with, including.
    With,
    /// chaque, each, every; `true` when the word alone can close a list ("2 Firebrands each").
    Each(bool),
    /// chacun, chacune: "each" closing a list.
    EachAlone,
    /// par, per, by (only before a group word).
    Per,
    /// total, overall, « en tout ».
    Total,
    /// complète, remplis, fill, rest, reste.
    Fill,
    /// sans, without, no, pas, sauf: what follows is not wanted.
    Neg,
    /// ou, or.
    Or,
    /// v, vs, contre ("15v15").
    Versus,
    /// duo, trio: a number of players.
    Party(u32),
    /// et, and.
    And,
    /// , / + & •
    Sep(char),
    /// . ! ? ; and the line break.
    End,
    Colon,
    /// x, ×, * ("2x Firebrand", "Firebrand x2").
    Mul,
    /// un, une, a, an: one when a name follows, a function word otherwise.
    Article,
    Num(u32, NumKind),
    /// A function word that carries nothing for a squad (je, veux, the, please...).
    Stop,
    /// Not known.
    Unknown,
    /// Built by the grammar.
    Marker(MarkerKind),
    /// Absorbed into a neighbouring item by the grammar.
    Gone,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::build);

pub(crate) struct Lexicon {
    words: HashMap<String, Lex>,
    /// Short forms that are a name only in a list ("2 mes", "fb, mes et scrap") because they
    /// are also common words (French « mes » = my).
    weak: HashMap<String, Lex>,
    phrases: HashMap<String, Lex>,
    max_phrase: usize,
    /// Content words a typo may be corrected to: (normal form, length in chars, meaning).
    fuzzy: Vec<(String, usize, Lex)>,
    /// Keys that two tables gave different meanings (kept: the first); a test keeps it empty.
    pub(crate) conflicts: Vec<String>,
}

/// A word found in the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Found<'a> {
    pub lex: Lex,
    pub weak: bool,
    /// The lexicon word a typo was read as.
    pub corrected: Option<&'a str>,
}

/// Short forms and common spellings players use, keyed by English game name (professions and
/// elite specializations). Plurals need not be listed (a final s or x is tried off).
const SHORT_FORMS: &[(&str, &[&str])] = &[
    ("Guardian", &["guard", "guardi"]),
    ("Warrior", &["war", "warr", "warri"]),
    ("Engineer", &["engi", "engie", "engy", "inge"]),
    ("Ranger", &["rodeuse"]),
    ("Thief", &["thieves"]),
    ("Elementalist", &["ele", "elem"]),
    ("Mesmer", &["envout", "envouteuse"]),
    ("Necromancer", &["necro", "necromancien", "necromancienne"]),
    ("Revenant", &["rev"]),
    ("Firebrand", &["fb"]),
    ("Dragonhunter", &["dh", "dragon hunter"]),
    ("Willbender", &["wb"]),
    ("Spellbreaker", &["spb", "spellb", "spell breaker"]),
    ("Berserker", &["zerk", "bers", "berserk"]),
    ("Bladesworn", &["bsw"]),
    ("Scrapper", &["scrap"]),
    ("Holosmith", &["holo"]),
    ("Mechanist", &["mech", "mecha"]),
    ("Soulbeast", &["slb", "soul beast"]),
    ("Daredevil", &["dd", "dare devil"]),
    ("Catalyst", &["cata"]),
    ("Chronomancer", &["chrono"]),
    ("Virtuoso", &["virtu", "virt"]),
    ("Harbinger", &["harb", "harbi"]),
    ("Renegade", &["ren", "rene"]),
    ("Vindicator", &["vindi", "vind"]),
    ("Luminary", &["lumi"]),
    ("Ritualist", &["ritu"]),
];

/// Names only in a list context (see [`Lexicon::weak`]).
const WEAK_SHORT_FORMS: &[(&str, &str)] = &[("Mesmer", "mes")];

const DUTIES: &[(Duty, &[&str])] = &[
    (
        Duty::Stability,
        &[
            "stab",
            "stabs",
            "stabeur",
            "stabeuse",
            "stabber",
            "stability",
            "stabilite",
            "stabi",
        ],
    ),
    (
        Duty::Healing,
        &[
            "heal",
            "heals",
            "healer",
            "healeur",
            "healeuse",
            "healing",
            "soigneur",
            "soigneuse",
            "soin",
            "soins",
        ],
    ),
    (
        Duty::Boons,
        &[
            "boon",
            "boons",
            "booner",
            "booneur",
            "boonshare",
            "boonsharer",
            "boon share",
            "quick",
            "quickness",
            "alac",
            "alacrity",
            "alacrite",
            "celerite",
            "buffer",
            "buffeur",
        ],
    ),
    (
        Duty::Strip,
        &[
            "strip",
            "strips",
            "stripper",
            "striper",
            "strippeur",
            "stripeur",
            "stripping",
            "boon strip",
            "boonstrip",
            "boon rip",
            "strip boon",
            "corrupt",
            "corrupter",
            "corrupteur",
        ],
    ),
    (
        Duty::Cleanse,
        &[
            "cleanse",
            "cleanser",
            "cleanseur",
            "cleansing",
            "condi cleanse",
            "condition cleanse",
            "cleanse condi",
        ],
    ),
    (
        Duty::Damage,
        &[
            "dps",
            "damage",
            "degat",
            "degats",
            "dmg",
            "dealer",
            "damage dealer",
        ],
    ),
    (
        Duty::PowerDamage,
        &[
            "power",
            "puissance",
            "power dps",
            "dps power",
            "power damage",
        ],
    ),
    (
        Duty::ConditionDamage,
        &[
            "condi",
            "condition",
            "alteration",
            "alte",
            "condi dps",
            "dps condi",
            "condition damage",
            "alte dps",
            "dps alte",
        ],
    ),
    (
        Duty::Tank,
        &[
            "tank",
            "tanker",
            "tankeur",
            "frontline",
            "frontliner",
            "front line",
        ],
    ),
    (Duty::Support, &["support", "supp", "soutien"]),
];

const MODES: &[(WvwMode, &[&str])] = &[
    (
        WvwMode::Zerg,
        &["zerg", "zerging", "bus", "blob", "wvw zerg"],
    ),
    (
        WvwMode::Roaming,
        &["roam", "roaming", "roamer", "roameur", "wvw roam"],
    ),
    (
        WvwMode::Outnumbered,
        &[
            "outnumbered",
            "outnumber",
            "outnumbering",
            "inferiorite",
            "en inferiorite",
            "inferiorite numerique",
            "en inferiorite numerique",
            "sous nombre",
            "en sous nombre",
            "sous effectif",
            "en sous effectif",
            "wvw outnumber",
        ],
    ),
    (
        WvwMode::GuildRaid,
        &[
            "guild raid",
            "raid de guilde",
            "raid guilde",
            "gvg",
            "havoc",
            "wvw guild raid",
        ],
    ),
];

const EXPERIENCE: &[(Experience, &[&str])] = &[
    (
        Experience::Beginner,
        &[
            "debutant",
            "debutante",
            "beginner",
            "noob",
            "newbie",
            "novice",
            "newcomer",
        ],
    ),
    (Experience::Intermediate, &["intermediaire", "intermediate"]),
    (
        Experience::Expert,
        &[
            "expert",
            "experte",
            "veteran",
            "experimente",
            "experimentee",
            "experienced",
            "confirme",
            "confirmee",
            "avance",
            "avancee",
            "advanced",
            "tryhard",
            "hardcore",
        ],
    ),
];

/// Numbers spelled out. « un », « une », "a", "an" are articles, resolved by the grammar.
const NUMBERS: &[(&str, u32, NumKind)] = &[
    ("one", 1, NumKind::Unit),
    ("deux", 2, NumKind::Unit),
    ("two", 2, NumKind::Unit),
    ("trois", 3, NumKind::Unit),
    ("three", 3, NumKind::Unit),
    ("quatre", 4, NumKind::Unit),
    ("four", 4, NumKind::Unit),
    ("cinq", 5, NumKind::Unit),
    ("five", 5, NumKind::Unit),
    ("six", 6, NumKind::Unit),
    ("sept", 7, NumKind::Unit),
    ("seven", 7, NumKind::Unit),
    ("huit", 8, NumKind::Unit),
    ("eight", 8, NumKind::Unit),
    ("neuf", 9, NumKind::Unit),
    ("nine", 9, NumKind::Unit),
    ("dix", 10, NumKind::Dix),
    ("ten", 10, NumKind::Teen),
    ("onze", 11, NumKind::Teen),
    ("eleven", 11, NumKind::Teen),
    ("douze", 12, NumKind::Teen),
    ("twelve", 12, NumKind::Teen),
    ("treize", 13, NumKind::Teen),
    ("thirteen", 13, NumKind::Teen),
    ("quatorze", 14, NumKind::Teen),
    ("fourteen", 14, NumKind::Teen),
    ("quinze", 15, NumKind::Teen),
    ("fifteen", 15, NumKind::Teen),
    ("seize", 16, NumKind::Teen),
    ("sixteen", 16, NumKind::Teen),
    ("seventeen", 17, NumKind::Teen),
    ("eighteen", 18, NumKind::Teen),
    ("nineteen", 19, NumKind::Teen),
    ("vingt", 20, NumKind::Tens),
    ("twenty", 20, NumKind::Tens),
    ("trente", 30, NumKind::Tens),
    ("thirty", 30, NumKind::Tens),
    ("quarante", 40, NumKind::Tens),
    ("forty", 40, NumKind::Tens),
    ("cinquante", 50, NumKind::Tens),
    ("fifty", 50, NumKind::Tens),
    ("soixante", 60, NumKind::Tens),
    ("sixty", 60, NumKind::Tens),
];

/// Words that build the sentence's structure.
const STRUCTURE: &[(&str, Lex)] = &[
    ("groupe", Lex::Group),
    ("group", Lex::Group),
    ("party", Lex::Group),
    ("parties", Lex::Group),
    ("grp", Lex::Group),
    ("subgroup", Lex::Group),
    ("sub group", Lex::Group),
    ("sous groupe", Lex::Group),
    ("escouade", Lex::Squad),
    ("squad", Lex::Squad),
    ("team", Lex::Squad),
    ("equipe", Lex::Squad),
    ("raid", Lex::Squad),
    ("joueur", Lex::Player),
    ("joueuse", Lex::Player),
    ("player", Lex::Player),
    ("people", Lex::Player),
    ("ppl", Lex::Player),
    ("personne", Lex::Player),
    ("pers", Lex::Player),
    ("membre", Lex::Player),
    ("member", Lex::Player),
    ("man", Lex::Player),
    ("men", Lex::Player),
    ("gens", Lex::Player),
    ("de", Lex::Of),
    ("of", Lex::Of),
    ("avec", Lex::With),
    ("with", Lex::With),
    ("including", Lex::With),
    ("incluant", Lex::With),
    ("comprenant", Lex::With),
    ("contenant", Lex::With),
    ("dont", Lex::With),
    ("chaque", Lex::Each(false)),
    ("dans chaque", Lex::Each(false)),
    ("pour chaque", Lex::Each(false)),
    ("every", Lex::Each(false)),
    ("in every", Lex::Each(false)),
    ("each", Lex::Each(true)),
    ("in each", Lex::Each(true)),
    ("for each", Lex::Each(true)),
    ("chacun", Lex::EachAlone),
    ("chacune", Lex::EachAlone),
    ("par", Lex::Per),
    ("per", Lex::Per),
    ("by", Lex::Per),
    ("total", Lex::Total),
    ("au total", Lex::Total),
    ("en total", Lex::Total),
    ("in total", Lex::Total),
    ("overall", Lex::Total),
    ("en tout", Lex::Total),
    ("in all", Lex::Total),
    ("complete", Lex::Fill),
    ("completer", Lex::Fill),
    ("completez", Lex::Fill),
    ("remplis", Lex::Fill),
    ("remplir", Lex::Fill),
    ("remplissez", Lex::Fill),
    ("remplissage", Lex::Fill),
    ("fill", Lex::Fill),
    ("filled", Lex::Fill),
    ("filling", Lex::Fill),
    ("filler", Lex::Fill),
    ("rest", Lex::Fill),
    ("reste", Lex::Fill),
    ("restant", Lex::Fill),
    ("restante", Lex::Fill),
    ("remaining", Lex::Fill),
    ("others", Lex::Fill),
    ("autres", Lex::Fill),
    ("everything else", Lex::Fill),
    ("sans", Lex::Neg),
    ("without", Lex::Neg),
    ("no", Lex::Neg),
    ("not", Lex::Neg),
    ("pas", Lex::Neg),
    ("aucun", Lex::Neg),
    ("aucune", Lex::Neg),
    ("except", Lex::Neg),
    ("excepte", Lex::Neg),
    ("sauf", Lex::Neg),
    ("ou", Lex::Or),
    ("or", Lex::Or),
    ("duo", Lex::Party(2)),
    ("trio", Lex::Party(3)),
    ("v", Lex::Versus),
    ("vs", Lex::Versus),
    ("versus", Lex::Versus),
    ("contre", Lex::Versus),
    ("et", Lex::And),
    ("and", Lex::And),
    ("x", Lex::Mul),
    ("un", Lex::Article),
    ("une", Lex::Article),
    ("a", Lex::Article),
    ("an", Lex::Article),
    ("wvw", Lex::Wvw),
    ("mcm", Lex::Wvw),
    ("rvr", Lex::Wvw),
];

/// Function words of both languages: they carry nothing for a squad, so they are neither
/// understood nor reported.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    // French.
    "je", "j", "ai", "veux", "voudrais", "voudrait", "voulons", "voulez", "veut", "aimerais",
    "aimerait", "aimerions", "souhaite", "souhaiterais", "souhaitons", "desire", "besoin", "faut",
    "il", "ils", "elle", "elles", "y", "me", "m", "moi", "nous", "on", "vous", "tu", "te", "t",
    "toi", "le", "la", "les", "l", "des", "du", "d", "pour", "en", "au", "aux", "dans", "sur",
    "qui", "que", "qu", "quoi", "c", "ce", "cet", "cette", "ces", "ca", "cela", "est", "sont",
    "soit", "sera", "seront", "etre", "doit", "doivent", "dois", "devrait", "peux", "peut",
    "pouvez", "pourrais", "pourriez", "mettre", "mets", "mettez", "met", "donne", "donner",
    "donnez", "fais", "faire", "faites", "fait", "cree", "creer", "creez", "construis",
    "construire", "propose", "proposer", "proposez", "compose", "composee", "composer",
    "composition", "compo", "svp", "stp", "plait", "merci", "bonjour", "salut", "coucou", "aussi",
    "environ", "tout", "tous", "toute", "toutes", "mon", "ma", "notre", "nos", "votre", "vos",
    "leur", "leurs", "son", "sa", "ses", "se", "s", "bien", "genre", "type", "avoir", "ayant",
    "inclus", "puis", "ensuite", "alors", "donc", "mais", "si", "ne", "n", "juste", "seulement",
    "uniquement", "chez", "entre", "vers", "comme", "via", "etc", "ok", "okay", "stuff", "build",
    "builds", "jouer", "joue", "jouant", "partir", "base", "prevoir", "prevois", "prevoyez",
    "plus", "guilde",
    // English.
    "i", "im", "ive", "ve", "id", "we", "us", "our", "my", "you", "your", "want", "wants",
    "wanted", "would", "like", "need", "needs", "needed", "require", "requires", "required",
    "please", "pls", "plz", "thanks", "thank", "thx", "give", "make", "create", "set", "up", "get",
    "have", "has", "having", "must", "should", "be", "is", "are", "will", "can", "could", "some",
    "the", "for", "in", "on", "at", "to", "into", "from", "also", "include", "includes",
    "consisting", "containing", "composed", "comp", "comps", "just", "only", "about", "around",
    "approximately", "roughly", "hi", "hello", "hey", "so", "then", "that", "this", "these",
    "those", "it", "its", "there", "here", "let", "lets", "do", "does", "re", "ll", "as", "all",
    "go", "going", "run", "running", "play", "playing", "setup", "guild",
];

impl Lexicon {
    fn build() -> Lexicon {
        let mut lx = Lexicon {
            words: HashMap::new(),
            weak: HashMap::new(),
            phrases: HashMap::new(),
            max_phrase: 1,
            fuzzy: Vec::new(),
            conflicts: Vec::new(),
        };
        let data = GameData::embedded();
        // English names as the game data spells them.
        for p in data.professions() {
            lx.insert(&p.name, Lex::Name(profession(&p.name)));
        }
        for s in data.specializations().iter().filter(|s| s.elite) {
            if let Some(w) = wanted_for(data, &s.name) {
                lx.insert(&s.name, Lex::Name(w));
            }
        }
        // French names and short forms, keyed by English name; a key the data no longer has is
        // skipped (and reported by `tests::every_table_key_is_in_the_game_data`).
        for (english, french) in FRENCH_NAMES {
            if let Some(w) = wanted_for(data, english) {
                lx.insert(french, Lex::Name(w));
            }
        }
        for (english, forms) in SHORT_FORMS {
            if let Some(w) = wanted_for(data, english) {
                for form in *forms {
                    lx.insert(form, Lex::Name(w.clone()));
                }
            }
        }
        for (english, form) in WEAK_SHORT_FORMS {
            if let Some(w) = wanted_for(data, english) {
                lx.weak.insert(normalize(form), Lex::Name(w));
            }
        }
        for (duty, forms) in DUTIES {
            for form in *forms {
                lx.insert(form, Lex::Duty(*duty));
            }
        }
        for (mode, forms) in MODES {
            for form in *forms {
                lx.insert(form, Lex::Mode(*mode));
            }
        }
        for (exp, forms) in EXPERIENCE {
            for form in *forms {
                lx.insert(form, Lex::Exp(*exp));
            }
        }
        for (word, value, kind) in NUMBERS {
            lx.insert(word, Lex::Num(*value, *kind));
        }
        for (word, lex) in STRUCTURE {
            lx.insert(word, lex.clone());
        }
        for word in STOP_WORDS {
            lx.insert(word, Lex::Stop);
        }
        // Typos are corrected only to content words long enough that one or two edits cannot
        // turn one common word into another (see `fuzzy`).
        let mut fuzzy: Vec<(String, usize, Lex)> = lx
            .words
            .iter()
            .filter(|(_, lex)| {
                matches!(
                    lex,
                    Lex::Name(_)
                        | Lex::Duty(_)
                        | Lex::Mode(_)
                        | Lex::Exp(_)
                        | Lex::Group
                        | Lex::Player
                )
            })
            .map(|(k, lex)| (k.clone(), k.chars().count(), lex.clone()))
            .filter(|(_, n, _)| *n >= FUZZY_MIN_CHARS)
            .collect();
        fuzzy.sort_by(|a, b| a.0.cmp(&b.0));
        lx.fuzzy = fuzzy;
        lx
    }

    fn insert(&mut self, form: &str, lex: Lex) {
        let words: Vec<String> = form.split_whitespace().map(normalize).collect();
        let key = words.join(" ");
        let map = if words.len() > 1 {
            self.max_phrase = self.max_phrase.max(words.len());
            &mut self.phrases
        } else {
            &mut self.words
        };
        match map.get(&key) {
            Some(existing) if *existing != lex => self.conflicts.push(key),
            Some(_) => {}
            None => {
                map.insert(key, lex);
            }
        }
    }

    pub(crate) fn max_phrase(&self) -> usize {
        self.max_phrase
    }

    /// A phrase of two or more normalized words, as written or with each word's plural mark
    /// taken off ("boon strips", « sous-groupes »).
    pub(crate) fn phrase(&self, words: &[&str]) -> Option<Lex> {
        if let Some(lex) = self.phrases.get(&words.join(" ")) {
            return Some(lex.clone());
        }
        let singular: Vec<&str> = words.iter().map(|w| singular(w).unwrap_or(w)).collect();
        self.phrases.get(&singular.join(" ")).cloned()
    }

    /// A single normalized word: as written, then without its plural mark, then corrected.
    pub(crate) fn word(&self, norm: &str) -> Option<Found<'_>> {
        let exact = |w: &str| {
            self.words
                .get(w)
                .map(|lex| (lex.clone(), false))
                .or_else(|| self.weak.get(w).map(|lex| (lex.clone(), true)))
        };
        if let Some((lex, weak)) = exact(norm) {
            return Some(Found {
                lex,
                weak,
                corrected: None,
            });
        }
        let single = singular(norm);
        if let Some((lex, weak)) = single.and_then(exact) {
            return Some(Found {
                lex,
                weak,
                corrected: None,
            });
        }
        let (lex, key) = single
            .and_then(|s| self.fuzzy(s))
            .or_else(|| self.fuzzy(norm))?;
        Some(Found {
            lex: lex.clone(),
            weak: false,
            corrected: Some(key),
        })
    }

    /// The one content word within the allowed edit distance of `word` (optimal string
    /// alignment: insertions, deletions, substitutions and swaps of two neighbours, each one
    /// edit): one edit for words of 6 to 8 letters ("scraper", "guardain"), two from 9
    /// ("firebarnd", "harbringer", "spellbraker"). Shorter words are never corrected: "tower"
    /// is one edit from "power". When two different meanings are equally close, none is
    /// taken.
    pub(crate) fn fuzzy(&self, word: &str) -> Option<(&Lex, &str)> {
        let n = word.chars().count();
        if !(FUZZY_MIN_CHARS..=FUZZY_MAX_CHARS).contains(&n) {
            return None;
        }
        let max = if n >= 9 { 2 } else { 1 };
        let mut best: Option<(usize, &Lex, &str)> = None;
        let mut tie = false;
        for (key, len, lex) in &self.fuzzy {
            if len.abs_diff(n) > max {
                continue;
            }
            let d = strsim::osa_distance(word, key);
            if d > max {
                continue;
            }
            match best {
                Some((bd, blex, _)) if d == bd => tie |= blex != lex,
                Some((bd, _, _)) if d > bd => {}
                _ => {
                    best = Some((d, lex, key));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, lex, key)) if !tie => Some((lex, key)),
            _ => None,
        }
    }
}

const FUZZY_MIN_CHARS: usize = 6;
const FUZZY_MAX_CHARS: usize = 24;

/// The word without its plural mark: a final s (« nécros », "firebrands", "fbs"), or the x
/// of French plurals in -aux/-eux (« fléaux »).
fn singular(word: &str) -> Option<&str> {
    let n = word.chars().count();
    if n >= 3 {
        if let Some(s) = word.strip_suffix('s') {
            return Some(s);
        }
    }
    if n >= 5 {
        if let Some(s) = word.strip_suffix('x') {
            return Some(s);
        }
    }
    None
}

fn profession(name: &str) -> Wanted {
    Wanted::Profession {
        profession: name.to_string(),
    }
}

/// The profession or elite specialization with this English game name.
pub(crate) fn wanted_for(data: &GameData, english: &str) -> Option<Wanted> {
    if let Some(p) = data.professions().iter().find(|p| p.name == english) {
        return Some(profession(&p.name));
    }
    let spec = data
        .specializations()
        .iter()
        .find(|s| s.elite && s.name == english)?;
    let prof = data
        .professions()
        .iter()
        .find(|p| p.id == spec.profession)?;
    Some(Wanted::Specialization {
        profession: prof.name.clone(),
        specialization: spec.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_word_has_two_meanings() {
        assert!(
            LEXICON.conflicts.is_empty(),
            "conflicting entries: {:?}",
            LEXICON.conflicts
        );
    }

    #[test]
    fn every_table_key_is_in_the_game_data() {
        let data = GameData::embedded();
        for (english, _) in FRENCH_NAMES {
            assert!(wanted_for(data, english).is_some(), "{english}");
        }
        for (english, _) in SHORT_FORMS {
            assert!(wanted_for(data, english).is_some(), "{english}");
        }
        for (english, _) in WEAK_SHORT_FORMS {
            assert!(wanted_for(data, english).is_some(), "{english}");
        }
    }

    #[test]
    fn every_profession_and_elite_specialization_has_a_french_name() {
        let data = GameData::embedded();
        let names: Vec<&str> = data
            .professions()
            .iter()
            .map(|p| p.name.as_str())
            .chain(
                data.specializations()
                    .iter()
                    .filter(|s| s.elite)
                    .map(|s| s.name.as_str()),
            )
            .collect();
        for name in names {
            assert!(
                FRENCH_NAMES.iter().any(|(en, _)| *en == name),
                "no French name for {name}"
            );
        }
    }

    #[test]
    fn words_are_found_as_written_in_plural_and_with_typos() {
        let lx = &*LEXICON;
        let fb = wanted_for(GameData::embedded(), "Firebrand");
        let name = |w: &str| match lx.word(w).map(|f| f.lex) {
            Some(Lex::Name(n)) => Some(n),
            _ => None,
        };
        assert_eq!(name("firebrand"), fb);
        assert_eq!(name("firebrands"), fb);
        assert_eq!(name("incendiaires"), fb);
        assert_eq!(name("fb"), fb);
        assert_eq!(name("firebarnd"), fb);
        assert_eq!(
            lx.word("firebarnd").and_then(|f| f.corrected),
            Some("firebrand")
        );
        assert_eq!(name("fleaux"), wanted_for(GameData::embedded(), "Scourge"));
        assert_eq!(
            name("scraper"),
            wanted_for(GameData::embedded(), "Scrapper")
        );
        // Too short to correct: "tower" is not "power".
        assert!(lx.word("tower").is_none());
        assert!(lx.word("blorps").is_none());
    }
}
