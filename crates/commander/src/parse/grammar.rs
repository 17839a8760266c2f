//! The passes that read the words into a [`SquadRequest`]; the rules they follow are written
//! in the module documentation of [`crate::parse`].

use std::collections::HashMap;

use super::lexicon::{Found, Lex, Lexicon, MarkerKind, NumKind, LEXICON};
use super::text::{tokenize, TokKind, Token};
use crate::request::{Demand, Duty, Experience, Span, SquadRequest, Understood, Wanted, WvwMode};

/// The game's party size: a WvW squad is made of parties ("subgroups") of at most five
/// players (<https://wiki.guildwars2.com/wiki/Party>, <https://wiki.guildwars2.com/wiki/Squad>).
/// A list is judged against it when the message gives groups but no size.
const PARTY_SIZE: u64 = 5;

#[derive(Debug, Clone)]
struct Item {
    lex: Lex,
    /// Byte span in the message (character boundaries).
    start: usize,
    end: usize,
    cap: bool,
    weak: bool,
    /// The lexicon word a typo was read as.
    corrected: Option<&'static str>,
    /// Taken by a statement, a demand, a fill, a marker or a report.
    used: bool,
    sentence: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    PerGroup { by_default: bool },
    Total,
    Label(u32),
}

#[derive(Debug, Clone)]
struct Draft {
    wanted: Wanted,
    /// "2 heal Firebrands": the duty the named slot is for.
    role: Option<Duty>,
    count: u32,
    /// The count was written (not the article « un » / "a", not implied).
    explicit: bool,
    start: usize,
    end: usize,
    /// Index of its first item.
    first: usize,
    sentence: u32,
    scope: Option<Scope>,
    /// (as written, read as).
    corrections: Vec<(String, &'static str)>,
}

struct Parser<'m> {
    msg: &'m str,
    items: Vec<Item>,
    groups: Option<u32>,
    group_size: Option<u32>,
    players: Option<u32>,
    mode: Option<WvwMode>,
    experience: Option<Experience>,
    fill: Option<Wanted>,
    drafts: Vec<Draft>,
    /// Item indices of the fill phrases (they end a marker's reach).
    fill_at: Vec<usize>,
    max_label: Option<u32>,
    understood: Vec<Understood>,
    not_understood: Vec<Span>,
    unknown_names: Vec<Span>,
}

pub(crate) fn parse(message: &str) -> SquadRequest {
    let mut p = Parser::new(message);
    p.combine_numbers();
    p.resolve_words();
    p.merge_duties();
    p.markers();
    p.negations();
    p.structure();
    p.fills();
    p.demands();
    p.stray_names();
    p.modes();
    p.scopes();
    p.finish()
}

fn punct_lex(c: char) -> Lex {
    match c {
        ':' => Lex::Colon,
        '×' | '*' => Lex::Mul,
        ';' | '.' | '!' | '?' | '\n' => Lex::End,
        other => Lex::Sep(other),
    }
}

type Cache<'t> = HashMap<&'t str, Option<Found<'static>>>;

/// The longest phrase starting at word `i`, else the word alone: (meaning, tokens taken, weak,
/// corrected).
fn word_at<'t>(
    msg: &str,
    lx: &'static Lexicon,
    tokens: &'t [Token],
    i: usize,
    cache: &mut Cache<'t>,
) -> (Lex, usize, bool, Option<&'static str>) {
    let longest = lx.max_phrase().min(tokens.len() - i);
    for len in (2..=longest).rev() {
        let words = &tokens[i..i + len];
        if words.iter().all(|w| w.kind == TokKind::Word) {
            let norms: Vec<&str> = words.iter().map(|w| w.norm.as_str()).collect();
            if let Some(lex) = lx.phrase(&norms) {
                return (lex, len, false, None);
            }
        }
    }
    let t = &tokens[i];
    // French « à » ("groupes à 5") is a preposition; "a" is the English article.
    if matches!(msg.get(t.start..t.end), Some("à" | "À")) {
        return (Lex::Of, 1, false, None);
    }
    let found = cache
        .entry(t.norm.as_str())
        .or_insert_with(|| lx.word(&t.norm))
        .clone();
    match found {
        Some(f) => (f.lex, 1, f.weak, f.corrected),
        None => (Lex::Unknown, 1, false, None),
    }
}

fn lex(msg: &str) -> Vec<Item> {
    let tokens = tokenize(msg);
    let lx: &'static Lexicon = &LEXICON;
    let mut cache: Cache<'_> = HashMap::new();
    let mut items = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let mut sentence = 0u32;
    while i < tokens.len() {
        let t = &tokens[i];
        let (lex, len, weak, corrected) = match t.kind {
            TokKind::Number(n) => (Lex::Num(n, NumKind::Digits), 1, false, None),
            TokKind::Punct(c) => (punct_lex(c), 1, false, None),
            TokKind::Word => word_at(msg, lx, &tokens, i, &mut cache),
        };
        let end = tokens.get(i + len - 1).map_or(t.end, |last| last.end);
        let is_end = lex == Lex::End;
        items.push(Item {
            lex,
            start: t.start,
            end,
            cap: t.capitalized,
            weak,
            corrected,
            used: false,
            sentence,
        });
        if is_end {
            sentence = sentence.saturating_add(1);
        }
        i += len;
    }
    items
}

fn is_wanted(lex: &Lex) -> bool {
    matches!(lex, Lex::Name(_) | Lex::Duty(_))
}

impl<'m> Parser<'m> {
    fn new(msg: &'m str) -> Self {
        Parser {
            msg,
            items: lex(msg),
            groups: None,
            group_size: None,
            players: None,
            mode: None,
            experience: None,
            fill: None,
            drafts: Vec::new(),
            fill_at: Vec::new(),
            max_label: None,
            understood: Vec::new(),
            not_understood: Vec::new(),
            unknown_names: Vec::new(),
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    fn skip(&self, i: usize) -> bool {
        matches!(self.items[i].lex, Lex::Stop | Lex::Gone)
    }

    fn next_sig(&self, i: usize) -> Option<usize> {
        (i + 1..self.items.len()).find(|&j| !self.skip(j))
    }

    fn prev_sig(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| !self.skip(j))
    }

    fn lex_at(&self, j: Option<usize>) -> Option<&Lex> {
        j.map(|j| &self.items[j].lex)
    }

    fn free(&self, j: usize) -> bool {
        !self.items[j].used
    }

    /// The next significant item, if it is free and `pred` holds.
    fn next_if(&self, i: usize, pred: impl Fn(&Lex) -> bool) -> Option<usize> {
        self.next_sig(i)
            .filter(|&j| self.free(j) && pred(&self.items[j].lex))
    }

    fn next_num(&self, i: usize) -> Option<(usize, u32)> {
        let j = self.next_if(i, |l| matches!(l, Lex::Num(..)))?;
        match self.items[j].lex {
            Lex::Num(v, _) => Some((j, v)),
            _ => None,
        }
    }

    /// What follows item `j` ends a list item ("Blorp," "Blorp et", "Blorp." "Blorp").
    fn closes_item(&self, j: usize) -> bool {
        matches!(
            self.lex_at(self.next_sig(j)),
            None | Some(Lex::Sep(_) | Lex::And | Lex::End | Lex::Colon | Lex::Marker(_) | Lex::Or)
        )
    }

    /// Item `m` (a number) is the count of a following name ("de 5 Firebrands").
    fn counts_a_name(&self, m: usize) -> bool {
        self.next_sig(m).is_some_and(|k| {
            let it = &self.items[k];
            is_wanted(&it.lex) || it.lex == Lex::Mul || (it.lex == Lex::Unknown && it.cap)
        })
    }

    fn first_in_sentence(&self, i: usize) -> bool {
        self.prev_sig(i)
            .is_none_or(|p| self.items[p].lex == Lex::End)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            text: self.msg.get(start..end).unwrap_or_default().to_string(),
        }
    }

    fn understood(&mut self, start: usize, end: usize, meaning: String) {
        let span = self.span(start, end);
        self.understood.push(Understood { span, meaning });
    }

    fn report(&mut self, start: usize, end: usize) {
        let span = self.span(start, end);
        self.not_understood.push(span);
    }

    fn use_range(&mut self, from: usize, to: usize) {
        for it in &mut self.items[from..=to] {
            it.used = true;
        }
    }

    // ---- passes --------------------------------------------------------------------------

    /// « vingt-cinq », « vingt et un », "twenty five", « dix-sept ».
    fn combine_numbers(&mut self) {
        for i in 0..self.items.len() {
            let Lex::Num(tens, kind) = self.items[i].lex else {
                continue;
            };
            if !matches!(kind, NumKind::Tens | NumKind::Dix) {
                continue;
            }
            let Some(mut j) = self.next_sig(i) else {
                continue;
            };
            let mut and = None;
            if kind == NumKind::Tens && self.items[j].lex == Lex::And {
                and = Some(j);
                match self.next_sig(j) {
                    Some(k) => j = k,
                    None => continue,
                }
            }
            let unit = match self.items[j].lex {
                Lex::Num(u, NumKind::Unit) => Some(u),
                Lex::Article => Some(1),
                _ => None,
            };
            let fits = match (kind, unit) {
                (NumKind::Tens, Some(u)) => (1..=9).contains(&u),
                (NumKind::Dix, Some(u)) => and.is_none() && (7..=9).contains(&u),
                _ => false,
            };
            if let (true, Some(u)) = (fits, unit) {
                self.items[i].lex = Lex::Num(tens + u, NumKind::Digits);
                self.items[i].end = self.items[j].end;
                self.items[j].lex = Lex::Gone;
                if let Some(a) = and {
                    self.items[a].lex = Lex::Gone;
                }
            }
        }
    }

    /// Short forms that are also common words (« mes ») are names only in a list; the
    /// articles « un », "a" count one only before a name, a duty or a group word.
    fn resolve_words(&mut self) {
        for i in 0..self.items.len() {
            if !self.items[i].weak {
                continue;
            }
            let counted = matches!(
                self.lex_at(self.prev_sig(i)),
                Some(Lex::Num(..) | Lex::Article)
            );
            let listed = matches!(
                self.lex_at(self.next_sig(i)),
                None | Some(
                    Lex::Sep(_)
                        | Lex::And
                        | Lex::End
                        | Lex::Colon
                        | Lex::Name(_)
                        | Lex::Duty(_)
                        | Lex::Per
                        | Lex::Each(_)
                        | Lex::EachAlone
                        | Lex::Total
                        | Lex::Or
                        | Lex::Mul
                )
            );
            if !(counted || listed) {
                self.items[i].lex = Lex::Stop;
            }
        }
        for i in 0..self.items.len() {
            if self.items[i].lex != Lex::Article {
                continue;
            }
            let next = self.next_sig(i).map(|j| &self.items[j]);
            let counts = next.is_some_and(|it| {
                is_wanted(&it.lex) || it.lex == Lex::Group || (it.lex == Lex::Unknown && it.cap)
            });
            // « groupes a 5 », « roaming a 3 »: « à » typed without its accent.
            let before_number = next.is_some_and(|it| matches!(it.lex, Lex::Num(..)));
            self.items[i].lex = if counts {
                Lex::Num(1, NumKind::Article)
            } else if before_number {
                Lex::Of
            } else {
                Lex::Stop
            };
        }
    }

    /// "heal support" is healing, "power dps" is power damage, "quick alac" is boons.
    fn merge_duties(&mut self) {
        let mut i = 0;
        while i < self.items.len() {
            let Lex::Duty(mut duty) = self.items[i].lex else {
                i += 1;
                continue;
            };
            let mut last = i;
            while let Some(j) = self.next_sig(last) {
                let Lex::Duty(next) = self.items[j].lex else {
                    break;
                };
                let Some(m) = merged_duty(duty, next) else {
                    break;
                };
                duty = m;
                self.items[i].end = self.items[j].end;
                self.items[i].corrected = self.items[i].corrected.or(self.items[j].corrected);
                self.items[j].lex = Lex::Gone;
                last = j;
            }
            self.items[i].lex = Lex::Duty(duty);
            i = last + 1;
        }
    }

    /// "par groupe", "each party", « dans chaque groupe », "chacun", "au total", "in the squad".
    fn markers(&mut self) {
        for i in 0..self.items.len() {
            match self.items[i].lex {
                Lex::Each(alone) => {
                    let mut j = self.next_sig(i);
                    while let Some(k) = j.filter(|&k| self.items[k].lex == Lex::Of) {
                        j = self.next_sig(k);
                    }
                    match j {
                        Some(g) if self.items[g].lex == Lex::Group => {
                            self.make_marker(i, g, MarkerKind::PerGroup { leading: true });
                        }
                        _ if alone => {
                            self.items[i].lex =
                                Lex::Marker(MarkerKind::PerGroup { leading: false });
                        }
                        _ => self.items[i].lex = Lex::Stop,
                    }
                }
                Lex::EachAlone => {
                    self.items[i].lex = Lex::Marker(MarkerKind::PerGroup { leading: false });
                }
                Lex::Per | Lex::Sep('/') => match self.next_sig(i) {
                    Some(g) if self.items[g].lex == Lex::Group => {
                        self.make_marker(i, g, MarkerKind::PerGroup { leading: false });
                    }
                    _ if self.items[i].lex == Lex::Per => self.items[i].lex = Lex::Stop,
                    _ => {}
                },
                Lex::Total => self.items[i].lex = Lex::Marker(MarkerKind::Total),
                Lex::Squad => {
                    let sized = matches!(self.lex_at(self.next_sig(i)), Some(Lex::Of));
                    let after_name = self.lex_at(self.prev_sig(i)).is_some_and(is_wanted);
                    if after_name && !sized {
                        self.items[i].lex = Lex::Marker(MarkerKind::Total);
                    }
                }
                _ => {}
            }
        }
    }

    fn make_marker(&mut self, i: usize, last: usize, kind: MarkerKind) {
        self.items[i].lex = Lex::Marker(kind);
        self.items[i].end = self.items[last].end;
        for it in &mut self.items[i + 1..=last] {
            it.lex = Lex::Gone;
        }
    }

    /// "sans Firebrand", "no roaming", « pas de Scourge »: not something to build, reported;
    /// "Firebrand ou Willbender": the first is taken, the alternative reported.
    fn negations(&mut self) {
        for i in 0..self.items.len() {
            match self.items[i].lex {
                Lex::Neg => {
                    let mut j = self.next_sig(i);
                    while let Some(k) = j.filter(|&k| {
                        matches!(self.items[k].lex, Lex::Of | Lex::Num(_, NumKind::Article))
                    }) {
                        j = self.next_sig(k);
                    }
                    let target = j.filter(|&k| {
                        matches!(
                            self.items[k].lex,
                            Lex::Name(_) | Lex::Duty(_) | Lex::Mode(_) | Lex::Exp(_)
                        )
                    });
                    match target {
                        Some(k) => self.drop_range(i, k),
                        None => self.items[i].lex = Lex::Stop,
                    }
                }
                Lex::Or => {
                    let before = self.lex_at(self.prev_sig(i)).is_some_and(is_wanted);
                    let mut after = self.next_sig(i);
                    if let Some(k) =
                        after.filter(|&k| self.items[k].lex == Lex::Num(1, NumKind::Article))
                    {
                        after = self.next_sig(k);
                    }
                    let after = after.filter(|&k| is_wanted(&self.items[k].lex));
                    match after {
                        Some(k) if before => self.drop_range(i, k),
                        _ => self.items[i].lex = Lex::Stop,
                    }
                }
                _ => {}
            }
        }
    }

    fn drop_range(&mut self, from: usize, to: usize) {
        self.report(self.items[from].start, self.items[to].end);
        for it in &mut self.items[from..=to] {
            it.lex = Lex::Gone;
            it.used = true;
        }
    }

    /// Group count and size, player count, group labels.
    fn structure(&mut self) {
        for i in 0..self.items.len() {
            if !self.free(i) {
                continue;
            }
            match self.items[i].lex {
                Lex::Num(n, _) => self.structure_from_num(i, n),
                Lex::Group => self.structure_from_group(i),
                Lex::Squad | Lex::Mode(_) => self.players_after(i),
                Lex::Party(n) => {
                    let meaning = stated(&mut self.players, n, "players");
                    self.statement(i, i, meaning);
                }
                _ => {}
            }
        }
    }

    fn structure_from_num(&mut self, i: usize, n: u32) {
        // "Firebrand x2" is a count, not a size.
        if matches!(self.lex_at(self.prev_sig(i)), Some(Lex::Mul)) {
            return;
        }
        let Some(j) = self.next_sig(i).filter(|&j| self.free(j)) else {
            return;
        };
        match self.items[j].lex {
            // "2 groupes (de 5 (joueurs))", "a party of five"
            Lex::Group => {
                let mut end = j;
                let mut meaning = stated(&mut self.groups, n, "groups");
                if let Some(of) = self.next_if(j, |l| *l == Lex::Of) {
                    if let Some((m, v)) = self.next_num(of).filter(|&(m, _)| !self.counts_a_name(m))
                    {
                        end = self.absorb_size_tail(m);
                        meaning = format!(
                            "{meaning}, {}",
                            stated(&mut self.group_size, v, "group size")
                        );
                    }
                }
                self.statement(i, end, meaning);
            }
            Lex::Player => {
                // "5 joueurs par groupe" is a size; "25 joueurs (au total)" a player count.
                if let Some(k) =
                    self.next_if(j, |l| matches!(l, Lex::Marker(MarkerKind::PerGroup { .. })))
                {
                    let meaning = stated(&mut self.group_size, n, "group size");
                    self.statement(i, k, meaning);
                } else {
                    let end = self
                        .next_if(j, |l| *l == Lex::Marker(MarkerKind::Total))
                        .unwrap_or(j);
                    let meaning = stated(&mut self.players, n, "players");
                    self.statement(i, end, meaning);
                }
            }
            // "5 par groupe"
            Lex::Marker(MarkerKind::PerGroup { .. }) => {
                let meaning = stated(&mut self.group_size, n, "group size");
                self.statement(i, j, meaning);
            }
            // "10 débutants": ten players (the experience is read by `modes`).
            Lex::Exp(_) => {
                let meaning = stated(&mut self.players, n, "players");
                self.statement(i, i, meaning);
            }
            // "2x5"
            Lex::Mul => {
                if let Some((m, v)) = self.next_num(j).filter(|&(m, _)| !self.counts_a_name(m)) {
                    let end = self.absorb_size_tail(m);
                    let meaning = format!(
                        "{}, {}",
                        stated(&mut self.groups, n, "groups"),
                        stated(&mut self.group_size, v, "group size")
                    );
                    self.statement(i, end, meaning);
                }
            }
            // "15v15", « 20 contre 30 »
            Lex::Versus => {
                if let Some((m, _)) = self.next_num(j) {
                    let meaning = stated(&mut self.players, n, "players");
                    self.statement(i, m, meaning);
                }
            }
            _ => {}
        }
    }

    /// After a group size: an optional player word and "each"/« chacun » ("groups of five
    /// players each"). Returns the last item of the statement.
    fn absorb_size_tail(&self, m: usize) -> usize {
        let mut end = m;
        if let Some(p) = self.next_if(end, |l| *l == Lex::Player) {
            end = p;
        }
        // "each" closing the size, not opening a list ("... de 5 — par groupe 1 FB, ...").
        if let Some(e) = self.next_if(end, |l| {
            matches!(l, Lex::Marker(MarkerKind::PerGroup { .. }))
        }) {
            let opens_list = matches!(
                self.lex_at(self.next_sig(e)),
                Some(Lex::Colon | Lex::Num(..) | Lex::Name(_) | Lex::Duty(_))
            );
            if !opens_list {
                end = e;
            }
        }
        end
    }

    fn structure_from_group(&mut self, i: usize) {
        // "groupes de 5", « groupes à 5 joueurs »
        if let Some(of) = self.next_if(i, |l| *l == Lex::Of) {
            if let Some((m, v)) = self.next_num(of).filter(|&(m, _)| !self.counts_a_name(m)) {
                let end = self.absorb_size_tail(m);
                let meaning = stated(&mut self.group_size, v, "group size");
                self.statement(i, end, meaning);
            }
            return;
        }
        // « Groupe 2 : Firebrand, ... » — a heading for what one group holds.
        if let Some((j, k)) = self.next_num(i) {
            let colon = matches!(self.lex_at(self.next_sig(j)), Some(Lex::Colon));
            if colon || self.first_in_sentence(i) {
                self.make_marker(i, j, MarkerKind::Label(k));
                self.max_label = Some(self.max_label.map_or(k, |m| m.max(k)));
            }
        }
    }

    /// "escouade de 25", "squad of 15 players", "zerg de 30", « roaming à 3 », "zerg 50".
    fn players_after(&mut self, i: usize) {
        let of = self.next_if(i, |l| *l == Lex::Of).unwrap_or(i);
        let Some((m, v)) = self.next_num(of).filter(|&(m, _)| {
            !self.counts_a_name(m)
                && !matches!(
                    self.lex_at(self.next_sig(m)),
                    Some(Lex::Group | Lex::Mul | Lex::Versus | Lex::Marker(_) | Lex::Exp(_))
                )
        }) else {
            return;
        };
        let end = self.next_if(m, |l| *l == Lex::Player).unwrap_or(m);
        let meaning = stated(&mut self.players, v, "players");
        // A squad word is part of the statement; a mode word stays for `modes`.
        let from = match (&self.items[i].lex, of == i) {
            (Lex::Squad, _) => i,
            (_, true) => m,
            (_, false) => of,
        };
        self.statement(from, end, meaning);
    }

    fn statement(&mut self, from: usize, to: usize, meaning: String) {
        self.use_range(from, to);
        self.understood(self.items[from].start, self.items[to].end, meaning);
    }

    /// « complète avec du DPS », "fill the rest with healers", « le reste en heal ».
    fn fills(&mut self) {
        for i in 0..self.items.len() {
            if self.items[i].lex != Lex::Fill || !self.free(i) {
                continue;
            }
            let mut j = self.next_sig(i);
            while let Some(k) = j.filter(|&k| {
                matches!(
                    self.items[k].lex,
                    Lex::Fill | Lex::With | Lex::Of | Lex::Colon
                )
            }) {
                if self.items[k].lex == Lex::Fill {
                    self.items[i].end = self.items[k].end;
                    self.items[k].lex = Lex::Gone;
                }
                j = self.next_sig(k);
            }
            // "fill with a heal": the article is not a count.
            if let Some(k) = j.filter(|&k| self.items[k].lex == Lex::Num(1, NumKind::Article)) {
                j = self.next_sig(k);
            }
            let after = j.filter(|&k| self.free(k) && is_wanted(&self.items[k].lex));
            // « du dps en fill », "dps as filler", « dps pour le reste »: the fill before.
            let before = || {
                let mut p = self.prev_sig(i);
                while let Some(k) = p.filter(|&k| matches!(self.items[k].lex, Lex::With | Lex::Of))
                {
                    p = self.prev_sig(k);
                }
                p.filter(|&k| {
                    self.free(k)
                        && is_wanted(&self.items[k].lex)
                        && !matches!(self.lex_at(self.prev_sig(k)), Some(Lex::Num(..)))
                })
            };
            // (target, first item, last item)
            let Some((k, first, last)) = after
                .map(|k| (k, i, k))
                .or_else(|| before().map(|k| (k, k, i)))
            else {
                continue;
            };
            let wanted = match &self.items[k].lex {
                Lex::Name(w) => w.clone(),
                Lex::Duty(d) => Wanted::Duty { duty: *d },
                _ => continue,
            };
            let label = wanted_label(&wanted);
            let meaning = match &self.fill {
                None => format!("fill: {label}"),
                Some(f) if *f == wanted => format!("fill: {label}"),
                Some(f) => format!(
                    "fill: {label} (ignored: fill with {} was asked first)",
                    wanted_label(f)
                ),
            };
            if self.fill.is_none() {
                self.fill = Some(wanted);
            }
            self.use_range(first, last);
            self.fill_at.push(i);
            self.understood(self.items[first].start, self.items[last].end, meaning);
        }
    }

    fn demands(&mut self) {
        let mut i = 0;
        while i < self.items.len() {
            if !self.free(i) || self.skip(i) {
                i += 1;
                continue;
            }
            i = match self.items[i].lex {
                Lex::Num(count, kind) => self.demand_from_num(i, count, kind),
                Lex::Name(_) | Lex::Duty(_) => self.demand_at(i, None),
                _ => i + 1,
            };
        }
    }

    /// "2 Firebrands", "2x FB", « 2 bons heals » (the adjective reported), "2 Blorps" (an
    /// unknown name).
    fn demand_from_num(&mut self, i: usize, count: u32, kind: NumKind) -> usize {
        let Some(mut j) = self.next_sig(i) else {
            return i + 1;
        };
        if self.items[j].lex == Lex::Mul {
            match self.next_sig(j) {
                Some(k) => j = k,
                None => return i + 1,
            }
        }
        if !self.free(j) {
            return i + 1;
        }
        if self.items[j].lex == Lex::Unknown && !self.items[j].cap {
            if let Some(k) = self
                .next_sig(j)
                .filter(|&k| self.free(k) && is_wanted(&self.items[k].lex))
            {
                self.items[j].used = true;
                self.report(self.items[j].start, self.items[j].end);
                j = k;
            }
        }
        if is_wanted(&self.items[j].lex) {
            return self.demand_at(j, Some((i, count, kind)));
        }
        if self.items[j].lex == Lex::Unknown && (self.items[j].cap || self.closes_item(j)) {
            let last = self.name_words(j);
            self.items[i].used = true;
            self.unknown_names
                .push(self.span(self.items[j].start, self.items[last].end));
            return last + 1;
        }
        i + 1
    }

    /// An unknown name and the capitalized unknown words right after it ("Storm Callers");
    /// marks them used and returns the last.
    fn name_words(&mut self, j: usize) -> usize {
        let mut last = j;
        while last + 1 < self.items.len() {
            let next = &self.items[last + 1];
            if next.lex == Lex::Unknown && next.cap && !next.used {
                last += 1;
            } else {
                break;
            }
        }
        self.use_range(j, last);
        last
    }

    /// A name or duty at `j`, with its role ("heal Firebrand", "Firebrand heal") and count
    /// (before it, or "x2" after it).
    fn demand_at(&mut self, j: usize, count: Option<(usize, u32, NumKind)>) -> usize {
        let first = count.map_or(j, |c| c.0);
        let mut role = None;
        let (wanted, mut last) = match &self.items[j].lex {
            Lex::Duty(d) => {
                let d = *d;
                match self.next_if(j, |l| matches!(l, Lex::Name(_))) {
                    Some(k) => {
                        role = Some(d);
                        match &self.items[k].lex {
                            Lex::Name(w) => (w.clone(), k),
                            _ => (Wanted::Duty { duty: d }, j),
                        }
                    }
                    None => (Wanted::Duty { duty: d }, j),
                }
            }
            Lex::Name(w) => (w.clone(), j),
            _ => return j + 1,
        };
        if role.is_none() && !matches!(wanted, Wanted::Duty { .. }) {
            if let Some(k) = self.next_if(last, |l| matches!(l, Lex::Duty(_))) {
                if let Lex::Duty(d) = self.items[k].lex {
                    role = Some(d);
                    last = k;
                }
            }
        }
        let mut counted = count.map(|(_, n, kind)| (n, kind != NumKind::Article));
        if counted.is_none() {
            if let Some(m) = self.next_if(last, |l| *l == Lex::Mul) {
                if let Some((k, v)) = self.next_num(m) {
                    counted = Some((v, true));
                    last = k;
                }
            }
        }
        let (count, explicit) = counted.unwrap_or((1, false));
        let corrections = (first..=last)
            .filter_map(|k| {
                let it = &self.items[k];
                it.corrected.map(|to| {
                    (
                        self.msg
                            .get(it.start..it.end)
                            .unwrap_or_default()
                            .to_string(),
                        to,
                    )
                })
            })
            .collect();
        self.use_range(first, last);
        self.drafts.push(Draft {
            wanted,
            role,
            count,
            explicit,
            start: self.items[first].start,
            end: self.items[last].end,
            first,
            sentence: self.items[first].sentence,
            scope: None,
            corrections,
        });
        last + 1
    }

    /// A capitalized unknown word standing as an item of a list of names ("avec Firebrand,
    /// Blorp et Scrapper") is an unknown name; elsewhere it is only not understood.
    fn stray_names(&mut self) {
        for i in 0..self.items.len() {
            let it = &self.items[i];
            if it.used || it.lex != Lex::Unknown || !it.cap || self.first_in_sentence(i) {
                continue;
            }
            let after_list_word = matches!(
                self.lex_at(self.prev_sig(i)),
                Some(Lex::Sep(_) | Lex::And | Lex::With | Lex::Colon | Lex::Name(_) | Lex::Duty(_))
            );
            let ends_item =
                self.closes_item(i) || self.lex_at(self.next_sig(i)).is_some_and(is_wanted);
            if after_list_word && ends_item {
                let last = self.name_words(i);
                self.unknown_names
                    .push(self.span(self.items[i].start, self.items[last].end));
            }
        }
    }

    fn modes(&mut self) {
        for i in 0..self.items.len() {
            let meaning = match self.items[i].lex {
                Lex::Mode(m) => {
                    let label = mode_label(m);
                    match self.mode {
                        None => {
                            self.mode = Some(m);
                            format!("mode: {label}")
                        }
                        Some(first) if first == m => format!("mode: {label}"),
                        Some(first) => format!(
                            "mode: {label} (ignored: {} was named first)",
                            mode_label(first)
                        ),
                    }
                }
                Lex::Exp(e) => {
                    let label = experience_label(e);
                    match self.experience {
                        None => {
                            self.experience = Some(e);
                            format!("experience: {label}")
                        }
                        Some(first) if first == e => format!("experience: {label}"),
                        Some(first) => format!(
                            "experience: {label} (ignored: {} was named first)",
                            experience_label(first)
                        ),
                    }
                }
                Lex::Wvw => "game: WvW".to_string(),
                _ => continue,
            };
            self.items[i].used = true;
            self.understood(self.items[i].start, self.items[i].end, meaning);
        }
    }

    /// Which demands a marker applies to, then the default for the others.
    fn scopes(&mut self) {
        if self.groups.is_none() {
            self.groups = self.max_label;
        }
        let n = self.items.len();
        let markers: Vec<(usize, MarkerKind)> = (0..n)
            .filter(|&i| self.free(i))
            .filter_map(|i| match self.items[i].lex {
                Lex::Marker(k) => Some((i, k)),
                _ => None,
            })
            .collect();
        let mut bounds: Vec<usize> = markers
            .iter()
            .map(|&(i, _)| i)
            .chain(self.fill_at.iter().copied())
            .collect();
        bounds.sort_unstable();
        // First and last item of each sentence.
        let mut sentence_start: Vec<usize> = Vec::new();
        let mut sentence_end: Vec<usize> = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            let s = it.sentence as usize;
            if sentence_start.len() <= s {
                sentence_start.push(i);
                sentence_end.push(i);
            }
            if let Some(e) = sentence_end.get_mut(s) {
                *e = i;
            }
        }
        let positions: Vec<usize> = self.drafts.iter().map(|d| d.first).collect();
        // Drafts whose first item lies in items[lo..hi].
        let drafts_in = |lo: usize, hi: usize| -> std::ops::Range<usize> {
            let a = positions.partition_point(|&p| p < lo);
            let b = positions.partition_point(|&p| p < hi).max(a);
            a..b
        };

        struct Reach {
            item: usize,
            kind: MarkerKind,
            leading: bool,
            before: std::ops::Range<usize>,
            after: std::ops::Range<usize>,
            sentence: u32,
        }
        let mut reaches = Vec::with_capacity(markers.len());
        for &(m, kind) in &markers {
            let s = self.items[m].sentence;
            let su = s as usize;
            let bi = bounds.partition_point(|&b| b < m);
            let prev_bound = if bi > 0 { Some(bounds[bi - 1]) } else { None };
            let next_bound = bounds.get(bi + 1).copied();
            let s_start = sentence_start.get(su).copied().unwrap_or(0);
            let s_end = sentence_end.get(su).copied().unwrap_or(m);
            let lo = prev_bound.map_or(s_start, |b| (b + 1).max(s_start));
            let hi = match kind {
                // A heading reaches the next heading, marker or fill, across lines.
                MarkerKind::Label(_) => next_bound.unwrap_or(n),
                _ => next_bound.map_or(s_end + 1, |b| b.min(s_end + 1)),
            };
            let before = drafts_in(lo, m);
            let after = drafts_in(m + 1, hi.max(m + 1));
            let leading = match kind {
                MarkerKind::Label(_) => true,
                MarkerKind::PerGroup { leading: true } => !after.is_empty(),
                _ => before.is_empty(),
            };
            reaches.push(Reach {
                item: m,
                kind,
                leading,
                before,
                after,
                sentence: s,
            });
        }
        let mut claimed = vec![0usize; reaches.len()];
        // Closing markers first: the list before them, or only the last name when an opening
        // marker earlier in the sentence already speaks for the rest (« dans chaque groupe 1
        // Firebrand et 3 DPS au total »).
        let mut opened_in: Option<u32> = None;
        for (r, reach) in reaches.iter().enumerate() {
            if reach.leading {
                opened_in = Some(reach.sentence);
                continue;
            }
            let scope = scope_of(reach.kind);
            if opened_in == Some(reach.sentence) {
                if let Some(d) = reach
                    .before
                    .clone()
                    .rev()
                    .find(|&d| self.drafts[d].scope.is_none())
                {
                    self.drafts[d].scope = Some(scope);
                    claimed[r] += 1;
                }
            } else {
                for d in reach.before.clone() {
                    if self.drafts[d].scope.is_none() {
                        self.drafts[d].scope = Some(scope);
                        claimed[r] += 1;
                    }
                }
            }
        }
        for (r, reach) in reaches.iter().enumerate() {
            if !reach.leading {
                continue;
            }
            let scope = scope_of(reach.kind);
            for d in reach.after.clone() {
                if self.drafts[d].scope.is_none() {
                    self.drafts[d].scope = Some(scope);
                    claimed[r] += 1;
                }
            }
        }
        for (r, reach) in reaches.iter().enumerate() {
            let it = &self.items[reach.item];
            let (start, end) = (it.start, it.end);
            self.items[reach.item].used = true;
            match reach.kind {
                MarkerKind::Label(k) => {
                    let groups = self.max_label.unwrap_or(k);
                    self.understood(
                        start,
                        end,
                        format!("group {k} of {groups}: what follows counts in the squad"),
                    );
                }
                _ if claimed[r] == 0 => self.report(start, end),
                MarkerKind::PerGroup { .. } => {
                    self.understood(start, end, "per group".to_string());
                }
                MarkerKind::Total => self.understood(start, end, "in total".to_string()),
            }
        }
        self.default_scopes(&bounds);
    }

    /// A list without a marker is per group when the message gives the groups (a count or a
    /// size) and the list is one group's worth; otherwise its counts are the squad's.
    fn default_scopes(&mut self, bounds: &[usize]) {
        let size = self.group_size.map_or(PARTY_SIZE, u64::from);
        let shaped = self.groups.is_some() || self.group_size.is_some();
        let fixed_per_group: u64 = self
            .drafts
            .iter()
            .filter(|d| matches!(d.scope, Some(Scope::PerGroup { .. })))
            .map(|d| u64::from(d.count))
            .sum();
        let mut k = 0;
        while k < self.drafts.len() {
            if self.drafts[k].scope.is_some() {
                k += 1;
                continue;
            }
            let mut e = k + 1;
            while e < self.drafts.len() {
                let (prev, next) = (&self.drafts[e - 1], &self.drafts[e]);
                let bound_between = {
                    let a = bounds.partition_point(|&b| b <= prev.first);
                    bounds.get(a).is_some_and(|&b| b < next.first)
                };
                if next.scope.is_some() || next.sentence != prev.sentence || bound_between {
                    break;
                }
                e += 1;
            }
            let run = &self.drafts[k..e];
            let counted = run.iter().any(|d| d.explicit);
            let sum: u64 = run.iter().map(|d| u64::from(d.count)).sum();
            let one_group = if counted {
                run.len() >= 2 && sum + fixed_per_group == size
            } else {
                run.len() as u64 + fixed_per_group <= size
            };
            let scope = if shaped && one_group {
                Scope::PerGroup { by_default: true }
            } else {
                Scope::Total
            };
            for d in &mut self.drafts[k..e] {
                d.scope = Some(scope);
            }
            k = e;
        }
    }

    fn finish(mut self) -> SquadRequest {
        let n = self.items.len();
        let mut k = 0;
        while k < n {
            let it = &self.items[k];
            if it.used {
                k += 1;
                continue;
            }
            match it.lex {
                Lex::Unknown => {
                    let mut e = k;
                    while e + 1 < n
                        && self.items[e + 1].lex == Lex::Unknown
                        && !self.items[e + 1].used
                    {
                        e += 1;
                    }
                    self.report(self.items[k].start, self.items[e].end);
                    k = e + 1;
                    continue;
                }
                Lex::Num(..) | Lex::Fill => self.report(it.start, it.end),
                _ => {}
            }
            k += 1;
        }
        let drafts = std::mem::take(&mut self.drafts);
        let mut demands = Vec::with_capacity(drafts.len());
        for d in drafts {
            let scope = d.scope.unwrap_or(Scope::Total);
            self.understood(d.start, d.end, demand_meaning(&d, scope));
            demands.push(Demand {
                wanted: d.wanted,
                count: d.count,
                per_group: matches!(scope, Scope::PerGroup { .. }),
                span: self.span(d.start, d.end),
            });
        }
        self.understood.sort_by_key(|u| (u.span.start, u.span.end));
        self.not_understood.sort_by_key(|s| (s.start, s.end));
        self.unknown_names.sort_by_key(|s| (s.start, s.end));
        SquadRequest {
            mode: self.mode,
            experience: self.experience,
            groups: self.groups,
            group_size: self.group_size,
            players: self.players,
            demands,
            fill: self.fill,
            understood: self.understood,
            not_understood: self.not_understood,
            unknown_names: self.unknown_names,
        }
    }
}

fn scope_of(kind: MarkerKind) -> Scope {
    match kind {
        MarkerKind::PerGroup { .. } => Scope::PerGroup { by_default: false },
        MarkerKind::Total => Scope::Total,
        MarkerKind::Label(k) => Scope::Label(k),
    }
}

/// Sets a statement's value unless one was given before; the meaning says which holds.
fn stated(slot: &mut Option<u32>, value: u32, what: &str) -> String {
    match *slot {
        None => {
            *slot = Some(value);
            format!("{what}: {value}")
        }
        Some(v) if v == value => format!("{what}: {value}"),
        Some(v) => format!("{what}: {value} (ignored: {v} was asked first)"),
    }
}

fn merged_duty(a: Duty, b: Duty) -> Option<Duty> {
    use Duty::{
        Boons, Cleanse, ConditionDamage, Damage, Healing, PowerDamage, Stability, Strip, Support,
    };
    let supports = |d: Duty| matches!(d, Healing | Boons | Stability | Cleanse | Strip);
    let damages = |d: Duty| matches!(d, PowerDamage | ConditionDamage);
    match (a, b) {
        _ if a == b => Some(a),
        (Support, d) | (d, Support) if supports(d) => Some(d),
        (Damage, d) | (d, Damage) if damages(d) => Some(d),
        _ => None,
    }
}

pub(crate) fn duty_label(d: Duty) -> &'static str {
    match d {
        Duty::Stability => "stability",
        Duty::Healing => "healing",
        Duty::Boons => "boons",
        Duty::Strip => "boon strip",
        Duty::Cleanse => "cleanse",
        Duty::Damage => "damage",
        Duty::PowerDamage => "power damage",
        Duty::ConditionDamage => "condition damage",
        Duty::Tank => "tank",
        Duty::Support => "support",
    }
}

fn mode_label(m: WvwMode) -> &'static str {
    match m {
        WvwMode::Zerg => "zerg",
        WvwMode::GuildRaid => "guild raid",
        WvwMode::Outnumbered => "outnumbered",
        WvwMode::Roaming => "roaming",
    }
}

fn experience_label(e: Experience) -> &'static str {
    match e {
        Experience::Beginner => "beginner",
        Experience::Intermediate => "intermediate",
        Experience::Expert => "expert",
    }
}

fn wanted_label(w: &Wanted) -> String {
    match w {
        Wanted::Specialization {
            profession,
            specialization,
        } => format!("{specialization} ({profession})"),
        Wanted::Profession { profession } => format!("{profession} (any specialization)"),
        Wanted::Duty { duty } => duty_label(*duty).to_string(),
    }
}

fn demand_meaning(d: &Draft, scope: Scope) -> String {
    let mut s = format!("{} × {}", d.count, wanted_label(&d.wanted));
    if let Some(role) = d.role {
        s.push_str(" as ");
        s.push_str(duty_label(role));
    }
    s.push_str(match scope {
        Scope::PerGroup { by_default: false } => " per group",
        Scope::PerGroup { by_default: true } => " per group (the list is one group's worth)",
        Scope::Total => " in the squad",
        Scope::Label(_) => " in the squad",
    });
    if let Scope::Label(k) = scope {
        s.push_str(&format!(" (listed under group {k})"));
    }
    for (written, read) in &d.corrections {
        s.push_str(&format!(" (read \"{written}\" as \"{read}\")"));
    }
    s
}
