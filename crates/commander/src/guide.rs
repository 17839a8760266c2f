//! A community build guide page (Snowcrows, MetaBattle, Hardstuck style) read into a build
//! draft: the chat code it shows (decoded into profession, traits and skills), and what its
//! words state — name, profession and elite specialization, game mode, role, stat prefix per
//! gear slot, runes, sigils and relic. Pure: HTML in, a [`Guide`] and a draft out.
//!
//! How the words are read:
//! - **name**: the first `<h1>`, else the page title (at most 100 characters);
//! - **profession / specialization**: the chat code's; without one, an elite specialization
//!   (or profession, then a core build) named in the heading or title, else the one the body
//!   names most;
//! - **game mode** and **role**: the first keyword family the heading or title names (WvW
//!   formats before WvW in general), else the one the body names most — a mode or role
//!   the page does not state is assumed (`pve`, `dps`) and the assumption is reported;
//! - **gear**: in each innermost block (table row, list item, paragraph...), gear slot words
//!   (`Helm`, `Armor` = the six armor pieces, `Trinkets` = the six trinkets, `Weapons` = main
//!   and off hand...) are paired with the stat prefixes named next to them — `Helm:
//!   Berserker's` (slots, then their prefix) as in `Berserker's Helm` (a prefix, then its
//!   slots). Tables, lists and divisions outrank running text (paragraphs, headings: "stay
//!   at the back of the commander's tag" names no gear), slots named one by one outrank
//!   group words, and otherwise the first statement of a slot wins. A page that names
//!   prefixes but no slot gets its most named prefix on all 14 dual-wield slots;
//! - **runes**: the first rune of the gear library the page names, else the first
//!   `Rune of X`; **sigils**: each `Sigil of X` (at most 4); **relic**: the first
//!   `Relic of X`.

use std::collections::BTreeMap;

use gw2::build::{BuildDraft, Equipment};
use gw2::data::GameData;
use gw2::model::{GameMode, GearSlot, Role};
use serde::Serialize;

use crate::page::{rune_name, Block, Page};

/// What a guide page states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub name: Option<String>,
    pub chat_code: Option<String>,
    /// Named in words (the chat code's wins when there is one).
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<GameMode>,
    pub role: Option<Role>,
    pub gear: BTreeMap<GearSlot, String>,
    /// The gear came from the page's most named prefix, not from slots it names.
    pub gear_everywhere: bool,
    pub runes: Option<String>,
    pub sigils: Vec<String>,
    pub relic: Option<String>,
}

/// Why a page gives no build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    #[error("no build on the page: no build chat code ([&DQ...]) and no profession or elite specialization named")]
    NoBuild,
    #[error("the page's chat code {code} does not read: {reason}")]
    ChatCode { code: String, reason: String },
}

/// A page's build, and what was assumed where the page says nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideDraft {
    pub draft: BuildDraft,
    pub notes: Vec<String>,
}

/// Longest build name (the build's own limit).
const MAX_NAME_CHARS: usize = 100;

pub fn read(html: &str) -> Guide {
    let page = Page::parse(html);
    let data = GameData::embedded();
    let heading = [page.heading(), page.title()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let name = page
        .heading()
        .or_else(|| page.title())
        .map(|n| n.chars().take(MAX_NAME_CHARS).collect::<String>());
    let (profession, specialization) = class_named(&heading, page.text(), data);
    let blocks = page.blocks();
    let (mut gear, mut gear_everywhere) = (gear_of(&blocks, data), false);
    if gear.is_empty() {
        if let Some(prefix) = page.most_named_prefix() {
            gear = GearSlot::DUAL_WIELD
                .iter()
                .map(|s| (*s, prefix.clone()))
                .collect();
            gear_everywhere = true;
        }
    }
    let text = page.text();
    Guide {
        name,
        chat_code: page.chat_code(),
        profession,
        specialization,
        game_mode: mode_named(&heading, text),
        role: named_first(&heading, text, ROLE_WORDS),
        gear,
        gear_everywhere,
        runes: rune_name(text).or_else(|| {
            named_items(&blocks, text, "Rune of", "Superior ")
                .first()
                .cloned()
        }),
        sigils: named_items(&blocks, text, "Sigil of", "Superior ")
            .into_iter()
            .take(4)
            .collect(),
        relic: named_items(&blocks, text, "Relic of", "").first().cloned(),
    }
}

impl Guide {
    /// The page's build as a draft named `fallback_name` when the page has no title. A page
    /// with neither a chat code nor a profession is [`GuideError::NoBuild`].
    pub fn draft(&self, fallback_name: &str, data: &GameData) -> Result<GuideDraft, GuideError> {
        let mut notes = Vec::new();
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| fallback_name.to_owned());
        let mode = self.game_mode.unwrap_or_else(|| {
            notes.push("the page states no game mode; pve assumed".to_owned());
            GameMode::Pve
        });
        let role = self.role.unwrap_or_else(|| {
            notes.push("the page states no role; dps assumed".to_owned());
            Role::Dps
        });
        let mut draft = match &self.chat_code {
            Some(code) => {
                BuildDraft::from_chat_code(code, &name, mode.as_str(), role.as_str(), data)
                    .map_err(|e| GuideError::ChatCode {
                        code: code.clone(),
                        reason: e.message,
                    })?
            }
            None => {
                let profession = self.profession.clone().ok_or(GuideError::NoBuild)?;
                notes.push(
                    "no chat code on the page: no traits or skills, the class from its words"
                        .to_owned(),
                );
                BuildDraft {
                    name,
                    profession,
                    specialization: self.specialization.clone(),
                    game_mode: mode.as_str().to_owned(),
                    role: role.as_str().to_owned(),
                    trait_lines: Vec::new(),
                    skills: Default::default(),
                    equipment: Default::default(),
                    synergies: Vec::new(),
                    counters: Vec::new(),
                    description: None,
                    tags: Vec::new(),
                    is_public: true,
                }
            }
        };
        if self.gear_everywhere {
            notes.push(
                "the page names no gear slot: its most named stat prefix on every slot".to_owned(),
            );
        }
        draft.equipment = Equipment {
            gear: self.gear.clone(),
            runes: self.runes.clone(),
            sigils: self.sigils.clone(),
            relic: self.relic.clone(),
            ..Equipment::default()
        };
        Ok(GuideDraft { draft, notes })
    }
}

/// Keyword → game mode, WvW formats first (they win a tie over WvW in general).
const MODE_WORDS: &[(&str, GameMode)] = &[
    ("zerg", GameMode::WvwZerg),
    ("zergs", GameMode::WvwZerg),
    ("zerging", GameMode::WvwZerg),
    ("blob", GameMode::WvwZerg),
    ("roaming", GameMode::WvwRoaming),
    ("roamer", GameMode::WvwRoaming),
    ("guild raid", GameMode::WvwGuildRaid),
    ("guild raids", GameMode::WvwGuildRaid),
    ("havoc", GameMode::WvwGuildRaid),
    ("gvg", GameMode::WvwGuildRaid),
    ("outnumbered", GameMode::WvwOutnumbered),
    ("wvw", GameMode::Wvw),
    ("mcm", GameMode::Wvw),
    ("world vs world", GameMode::Wvw),
    ("world versus world", GameMode::Wvw),
    ("raid", GameMode::Raid),
    ("raids", GameMode::Raid),
    ("raiding", GameMode::Raid),
    ("fractal", GameMode::Fractals),
    ("fractals", GameMode::Fractals),
    ("strike mission", GameMode::Strikes),
    ("strike missions", GameMode::Strikes),
    ("strikes", GameMode::Strikes),
    ("pvp", GameMode::Pvp),
    ("spvp", GameMode::Pvp),
    ("conquest", GameMode::Pvp),
    ("pve", GameMode::Pve),
    ("open world", GameMode::Pve),
];

/// Keyword → role.
const ROLE_WORDS: &[(&str, Role)] = &[
    ("heal", Role::Healer),
    ("healer", Role::Healer),
    ("healing", Role::Healer),
    ("quickness", Role::BoonDps),
    ("alacrity", Role::BoonDps),
    ("boon dps", Role::BoonDps),
    ("qdps", Role::BoonDps),
    ("adps", Role::BoonDps),
    ("support", Role::Support),
    ("tank", Role::Tank),
    ("tanky", Role::Tank),
    ("frontline", Role::Tank),
    ("boonstrip", Role::Utility),
    ("strip", Role::Utility),
    ("utility", Role::Utility),
    ("dps", Role::Dps),
    ("power", Role::Dps),
    ("condi", Role::Dps),
    ("condition", Role::Dps),
    ("damage", Role::Dps),
];

/// Where `needle` (lowercase) occurs in `hay` (lowercase) as whole words.
fn word_positions<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(needle).filter_map(move |(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        (boundary(before) && boundary(after)).then_some(at)
    })
}

/// The value the heading names first (earliest mention; list order on the same place), else
/// the one the body names most (list order on a tie).
fn named_first<T: Copy>(heading: &str, body: &str, words: &[(&str, T)]) -> Option<T> {
    let heading = heading.to_lowercase();
    let first = words
        .iter()
        .enumerate()
        .filter_map(|(i, (w, v))| word_positions(&heading, w).next().map(|at| (at, i, *v)))
        .min_by_key(|(at, i, _)| (*at, *i))
        .map(|(_, _, v)| v);
    if first.is_some() {
        return first;
    }
    let body = body.to_lowercase();
    let mut best: Option<(usize, usize, T)> = None;
    for (i, (w, v)) in words.iter().enumerate() {
        let n = word_positions(&body, w).count();
        if n > 0 && best.is_none_or(|(c, j, _)| n > c || (n == c && i < j)) {
            best = Some((n, i, *v));
        }
    }
    best.map(|(_, _, v)| v)
}

/// The game mode (see [`named_first`]); WvW in general named in the heading gives way to a
/// WvW format the heading also names ("WvW Zerg Support" is a zerg build).
fn mode_named(heading: &str, body: &str) -> Option<GameMode> {
    let mode = named_first(heading, body, MODE_WORDS);
    if mode != Some(GameMode::Wvw) {
        return mode;
    }
    let lower = heading.to_lowercase();
    MODE_WORDS
        .iter()
        .filter(|(_, m)| m.is_wvw() && *m != GameMode::Wvw)
        .filter_map(|(w, m)| word_positions(&lower, w).next().map(|at| (at, *m)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, m)| m)
        .or(mode)
}

/// The profession and elite specialization the heading names, else the ones the body names
/// most (see the module's documentation).
fn class_named(heading: &str, body: &str, data: &GameData) -> (Option<String>, Option<String>) {
    /// A name to look for (lowercase), and the (profession, elite specialization) it means.
    type Named = (String, (String, Option<String>));
    let elites: Vec<Named> = data
        .specializations()
        .iter()
        .filter(|s| s.elite)
        .filter_map(|s| {
            let prof = data.profession(&s.profession)?;
            Some((
                s.name.to_lowercase(),
                (prof.name.clone(), Some(s.name.clone())),
            ))
        })
        .collect();
    let professions: Vec<Named> = data
        .professions()
        .iter()
        .map(|p| (p.name.to_lowercase(), (p.name.clone(), None)))
        .collect();
    // "Ritualist's" is a stat prefix, "Ritualist" an elite specialization: a possessive
    // names the gear, not the class.
    let named = |hay: &'_ str, w: &'_ str| -> Vec<usize> {
        word_positions(hay, w)
            .filter(|at| !hay[at + w.len()..].starts_with('\''))
            .collect()
    };
    let earliest = |list: &[Named], hay: &str| {
        list.iter()
            .filter_map(|(w, v)| named(hay, w).first().map(|at| (*at, v.clone())))
            .min_by_key(|(at, _)| *at)
            .map(|(_, v)| v)
    };
    // Most mentions; the earlier entry of the game data's order on a tie.
    let most = |list: &[Named], hay: &str, profession: Option<&str>| {
        let mut best: Option<(usize, (String, Option<String>))> = None;
        for (w, v) in list {
            if profession.is_some_and(|p| p != v.0) {
                continue;
            }
            let n = named(hay, w).len();
            if n > 0 && best.as_ref().is_none_or(|(c, _)| n > *c) {
                best = Some((n, v.clone()));
            }
        }
        best.map(|(_, v)| v)
    };
    let heading = heading.to_lowercase();
    let body = body.to_lowercase();
    let found = earliest(&elites, &heading).or_else(|| {
        // A profession in the heading: its elite specialization the body names most, else
        // a core build.
        earliest(&professions, &heading)
            .map(|(prof, _)| most(&elites, &body, Some(&prof)).unwrap_or((prof, None)))
    });
    match found
        .or_else(|| most(&elites, &body, None))
        .or_else(|| most(&professions, &body, None))
    {
        Some((prof, spec)) => (Some(prof), spec),
        None => (None, None),
    }
}

/// Gear slot words, lowercase; a group word stands for several slots.
const SLOT_WORDS: &[(&str, &[GearSlot], bool)] = &[
    ("helm", &[GearSlot::Helm], true),
    ("helmet", &[GearSlot::Helm], true),
    ("head", &[GearSlot::Helm], true),
    ("shoulders", &[GearSlot::Shoulders], true),
    ("shoulder", &[GearSlot::Shoulders], true),
    ("pauldrons", &[GearSlot::Shoulders], true),
    ("coat", &[GearSlot::Coat], true),
    ("chest", &[GearSlot::Coat], true),
    ("gloves", &[GearSlot::Gloves], true),
    ("hands", &[GearSlot::Gloves], true),
    ("leggings", &[GearSlot::Leggings], true),
    ("legs", &[GearSlot::Leggings], true),
    ("boots", &[GearSlot::Boots], true),
    ("feet", &[GearSlot::Boots], true),
    ("amulet", &[GearSlot::Amulet], true),
    ("rings", &[GearSlot::Ring1, GearSlot::Ring2], true),
    ("ring", &[GearSlot::Ring1, GearSlot::Ring2], true),
    (
        "accessories",
        &[GearSlot::Accessory1, GearSlot::Accessory2],
        true,
    ),
    (
        "accessory",
        &[GearSlot::Accessory1, GearSlot::Accessory2],
        true,
    ),
    (
        "earrings",
        &[GearSlot::Accessory1, GearSlot::Accessory2],
        true,
    ),
    ("back item", &[GearSlot::Back], true),
    ("backpiece", &[GearSlot::Back], true),
    ("back piece", &[GearSlot::Back], true),
    ("back", &[GearSlot::Back], true),
    ("main hand", &[GearSlot::MainHand], true),
    ("main-hand", &[GearSlot::MainHand], true),
    ("mainhand", &[GearSlot::MainHand], true),
    ("off hand", &[GearSlot::OffHand], true),
    ("off-hand", &[GearSlot::OffHand], true),
    ("offhand", &[GearSlot::OffHand], true),
    ("two-handed", &[GearSlot::TwoHanded], true),
    ("two handed", &[GearSlot::TwoHanded], true),
    ("2h", &[GearSlot::TwoHanded], true),
    (
        "armor",
        &[
            GearSlot::Helm,
            GearSlot::Shoulders,
            GearSlot::Coat,
            GearSlot::Gloves,
            GearSlot::Leggings,
            GearSlot::Boots,
        ],
        false,
    ),
    (
        "armour",
        &[
            GearSlot::Helm,
            GearSlot::Shoulders,
            GearSlot::Coat,
            GearSlot::Gloves,
            GearSlot::Leggings,
            GearSlot::Boots,
        ],
        false,
    ),
    (
        "trinkets",
        &[
            GearSlot::Amulet,
            GearSlot::Ring1,
            GearSlot::Ring2,
            GearSlot::Accessory1,
            GearSlot::Accessory2,
            GearSlot::Back,
        ],
        false,
    ),
    (
        "jewelry",
        &[
            GearSlot::Amulet,
            GearSlot::Ring1,
            GearSlot::Ring2,
            GearSlot::Accessory1,
            GearSlot::Accessory2,
            GearSlot::Back,
        ],
        false,
    ),
    ("weapons", &[GearSlot::MainHand, GearSlot::OffHand], false),
    ("weapon", &[GearSlot::MainHand, GearSlot::OffHand], false),
];

/// A word of a block: gear slots (and whether they are named one by one) or a prefix.
#[derive(Debug, Clone, PartialEq)]
enum Mention {
    Slots(&'static [GearSlot], bool),
    Prefix(String),
}

/// The slot words and prefixes of `block` in reading order; at one place the longest name
/// wins (`Berserker's and Valkyrie` over `Berserker's`, `back item` over `back`).
fn mentions(block: &str, data: &GameData) -> Vec<Mention> {
    let lower = block.to_lowercase();
    let mut found: Vec<(usize, usize, Mention)> = Vec::new();
    for (word, slots, specific) in SLOT_WORDS {
        for at in word_positions(&lower, word) {
            found.push((at, word.len(), Mention::Slots(slots, *specific)));
        }
    }
    for stat in data.itemstats() {
        let needle = stat.name.to_lowercase();
        for at in word_positions(&lower, &needle) {
            found.push((at, needle.len(), Mention::Prefix(stat.name.clone())));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    let mut end = 0;
    for (at, len, mention) in found {
        if at >= end {
            end = at + len;
            out.push(mention);
        }
    }
    out
}

/// The prefix of each slot the blocks name (see the module's documentation).
fn gear_of(blocks: &[Block], data: &GameData) -> BTreeMap<GearSlot, String> {
    // (slot, prefix, rank), in reading order; rank 0 wins: tables and lists before running
    // text, slots named one by one before group words.
    let mut stated: Vec<(GearSlot, String, u8)> = Vec::new();
    for block in blocks {
        let ms = mentions(&block.text, data);
        let rank = |specific: bool| u8::from(block.prose) * 2 + u8::from(!specific);
        if !ms.iter().any(|m| matches!(m, Mention::Slots(..)))
            || !ms.iter().any(|m| matches!(m, Mention::Prefix(_)))
        {
            continue;
        }
        let slots_first = matches!(ms.first(), Some(Mention::Slots(..)));
        let mut pending: Vec<(&[GearSlot], bool)> = Vec::new();
        let mut current: Option<String> = None;
        for m in ms {
            match m {
                Mention::Slots(slots, specific) => {
                    if slots_first {
                        pending.push((slots, specific));
                    } else if let Some(prefix) = &current {
                        stated.extend(slots.iter().map(|s| (*s, prefix.clone(), rank(specific))));
                    }
                }
                Mention::Prefix(prefix) => {
                    if slots_first {
                        for (slots, specific) in pending.drain(..) {
                            stated
                                .extend(slots.iter().map(|s| (*s, prefix.clone(), rank(specific))));
                        }
                    } else {
                        current = Some(prefix);
                    }
                }
            }
        }
    }
    let mut gear = BTreeMap::new();
    // The best rank first; within a rank, the first statement wins.
    let mut chosen: BTreeMap<GearSlot, u8> = BTreeMap::new();
    for rank in 0..4 {
        for (slot, prefix, _) in stated.iter().filter(|(_, _, r)| *r == rank) {
            if !gear.contains_key(slot) {
                gear.insert(*slot, prefix.clone());
                chosen.insert(*slot, rank);
            }
        }
    }
    if gear.contains_key(&GearSlot::TwoHanded)
        && (gear.contains_key(&GearSlot::MainHand) || gear.contains_key(&GearSlot::OffHand))
    {
        // A two-handed weapon replaces main and off hand: keep whichever was stated better
        // (the one-handed set on a tie).
        let rank_of = |slot: GearSlot| chosen.get(&slot).copied().unwrap_or(u8::MAX);
        let hands = rank_of(GearSlot::MainHand).min(rank_of(GearSlot::OffHand));
        if rank_of(GearSlot::TwoHanded) < hands {
            gear.remove(&GearSlot::MainHand);
            gear.remove(&GearSlot::OffHand);
        } else {
            gear.remove(&GearSlot::TwoHanded);
        }
    }
    gear
}

/// [`named_item`] in each block (so a name never runs on into the next table cell or list
/// item), distinct, in reading order; in the whole text when no block names one.
fn named_items(blocks: &[Block], text: &str, kind: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for block in blocks {
        for name in named_item(&block.text, kind, prefix) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    if out.is_empty() {
        out = named_item(text, kind, prefix);
    }
    out
}

/// Each distinct `<kind> X` the text names (`Sigil of Energy`), X being `the` and capitalized
/// words (at most three); with `prefix` in front of the name (`Superior `).
fn named_item(text: &str, kind: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in text.match_indices(kind) {
        let rest = &text[at + kind.len()..];
        let mut words = Vec::new();
        for word in rest.split_whitespace().take(4) {
            let clean = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            let capital = clean.chars().next().is_some_and(char::is_uppercase);
            if (words.is_empty() && clean == "the") || capital {
                words.push(clean.to_owned());
            } else {
                break;
            }
            if clean.len() != word.len() || words.len() == 3 {
                break; // punctuation ends the name
            }
        }
        if words.last().is_none_or(|w| w == "the") {
            continue;
        }
        let name = format!("{prefix}{kind} {}", words.join(" "));
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> &'static GameData {
        GameData::embedded()
    }

    fn structured(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .map(|t| Block {
                text: (*t).to_owned(),
                prose: false,
            })
            .collect()
    }

    #[test]
    fn tables_and_lists_outrank_running_text() {
        let mut blocks = vec![Block {
            text: "Stay at the back of the commander's tag.".to_owned(),
            prose: true,
        }];
        blocks.extend(structured(&["Back Minstrel's"]));
        assert_eq!(gear_of(&blocks, data())[&GearSlot::Back], "Minstrel's");
        // Running text alone still counts.
        assert_eq!(
            gear_of(&blocks[..1], data())[&GearSlot::Back],
            "Commander's"
        );
    }

    #[test]
    fn slots_pair_with_their_prefix_in_either_order() {
        let blocks = structured(&[
            "Helm Berserker's",
            "Assassin's Coat",
            "Trinkets: Marauder's",
            "Weapons Valkyrie",
        ]);
        let gear = gear_of(&blocks, data());
        assert_eq!(gear[&GearSlot::Helm], "Berserker's");
        assert_eq!(gear[&GearSlot::Coat], "Assassin's");
        assert_eq!(gear[&GearSlot::Back], "Marauder's");
        assert_eq!(gear[&GearSlot::Ring2], "Marauder's");
        assert_eq!(gear[&GearSlot::MainHand], "Valkyrie");
        assert_eq!(gear[&GearSlot::OffHand], "Valkyrie");
        assert!(!gear.contains_key(&GearSlot::Boots));
    }

    #[test]
    fn a_slot_named_alone_overrides_its_group() {
        let blocks = structured(&[
            "Armor: Minstrel's",
            "Harrier's Helm and Boots",
            "Two-handed: Berserker's",
            "Weapons: Minstrel's",
        ]);
        let gear = gear_of(&blocks, data());
        assert_eq!(gear[&GearSlot::Helm], "Harrier's");
        assert_eq!(gear[&GearSlot::Boots], "Harrier's");
        assert_eq!(gear[&GearSlot::Coat], "Minstrel's");
        assert_eq!(gear[&GearSlot::TwoHanded], "Berserker's");
        assert!(!gear.contains_key(&GearSlot::MainHand));
    }

    #[test]
    fn the_longest_prefix_wins_and_words_need_boundaries() {
        let ms = mentions("Coat: Berserker's and Valkyrie, direction", data());
        assert_eq!(
            ms,
            [
                Mention::Slots(&[GearSlot::Coat], true),
                Mention::Prefix("Berserker's and Valkyrie".into())
            ]
        );
    }

    #[test]
    fn sigils_runes_and_relics_are_read_by_name() {
        let text = "Use Superior Sigil of Energy and Sigil of Transference. Relic of the Monk, \
                    Rune of Durability; Sigil of Energy again. A sigil of nothing.";
        assert_eq!(
            named_item(text, "Sigil of", "Superior "),
            ["Superior Sigil of Energy", "Superior Sigil of Transference"]
        );
        assert_eq!(named_item(text, "Relic of", ""), ["Relic of the Monk"]);
        assert_eq!(
            named_item(text, "Rune of", "Superior "),
            ["Superior Rune of Durability"]
        );
    }

    #[test]
    fn a_name_stops_at_its_table_cell() {
        let guide = read(
            "<html><body><table><tr><td>Sigils</td><td>Superior Sigil of Energy</td></tr>\
             <tr><td>Relic</td><td>Relic of the Flock</td></tr></table></body></html>",
        );
        assert_eq!(guide.sigils, ["Superior Sigil of Energy"]);
        assert_eq!(guide.relic.as_deref(), Some("Relic of the Flock"));
    }

    #[test]
    fn mode_and_role_come_from_the_heading_first() {
        assert_eq!(
            mode_named("Firebrand – WvW Zerg Support", "raid raid raid"),
            Some(GameMode::WvwZerg)
        );
        assert_eq!(
            mode_named("Heal Scourge for WvW guild raids", "wvw wvw"),
            Some(GameMode::WvwGuildRaid)
        );
        assert_eq!(mode_named("A guide", "wvw zerg wvw"), Some(GameMode::Wvw));
        assert_eq!(
            named_first("Firebrand guide", "raid, raids and a fractal", MODE_WORDS),
            Some(GameMode::Raid)
        );
        assert_eq!(
            named_first("Heal Firebrand", "dps dps", ROLE_WORDS),
            Some(Role::Healer)
        );
        assert_eq!(named_first("Firebrand", "nothing here", ROLE_WORDS), None);
    }

    #[test]
    fn the_class_comes_from_the_heading_then_the_body() {
        let d = data();
        assert_eq!(
            class_named("Heal Firebrand - MetaBattle", "", d),
            (Some("Guardian".into()), Some("Firebrand".into()))
        );
        assert_eq!(
            class_named(
                "Guardian WvW",
                "Willbender here, Willbender there, Firebrand",
                d
            ),
            (Some("Guardian".into()), Some("Willbender".into()))
        );
        assert_eq!(
            class_named("Core Necromancer", "no elite", d),
            (Some("Necromancer".into()), None)
        );
        assert_eq!(
            class_named("A guide", "Scourge Scourge Reaper", d),
            (Some("Necromancer".into()), Some("Scourge".into()))
        );
        assert_eq!(class_named("A guide", "nothing", d), (None, None));
        assert_eq!(
            class_named("Heal Scourge", "Ritualist's gear", d),
            (Some("Necromancer".into()), Some("Scourge".into()))
        );
        assert_eq!(class_named("Ritualist's gear", "", d), (None, None));
    }

    #[test]
    fn a_page_without_a_build_says_so() {
        let guide = read("<html><body><p>Welcome to our site</p></body></html>");
        assert_eq!(guide.draft("x", data()), Err(GuideError::NoBuild));
        let broken = read("<html><body><code>[&DQIAAAA=]</code></body></html>");
        assert!(matches!(
            broken.draft("x", data()),
            Err(GuideError::ChatCode { .. })
        ));
    }

    #[test]
    fn gear_words_without_slots_cover_every_slot() {
        let guide = read(
            "<html><head><title>Scourge</title></head><body><p>Use Viper's gear. Viper's is best.</p></body></html>",
        );
        assert!(guide.gear_everywhere);
        assert_eq!(guide.gear.len(), 14);
        let drafted = guide.draft("x", data()).unwrap();
        assert_eq!(drafted.draft.profession, "Necromancer");
        assert_eq!(drafted.draft.specialization.as_deref(), Some("Scourge"));
        assert_eq!(drafted.notes.len(), 4, "{:?}", drafted.notes);
        drafted.draft.validate(data()).unwrap();
    }
}
