//! Reading a French or English request into a [`crate::request::SquadRequest`].
//!
//! Deterministic and pure: the same message always gives the same request, nothing is
//! refused here (the planner checks the limits: 60 players, 7 per group...), no input makes it
//! panic, and nothing is silently dropped: every recognised part is in `understood` with its
//! span, every content word that meant nothing is in `not_understood`, and a count or list
//! item that looks like a class but is none is in `unknown_names`.
//!
//! # Words
//! - Case and accents do not matter (« Nécros » = "necros"), nor a plural s or x
//!   ("firebrands", « fléaux »). Words of 6 to 8 letters that match nothing are read as the
//!   content word one edit away ("scraper" → Scrapper), from 9 letters two edits away
//!   ("harbringer" → Harbinger); when two meanings are equally close, neither is taken.
//! - Profession and elite-specialization names: English from the game data, French from the
//!   game's French client ([`gw2::names_fr`]), and the short forms players use (fb, dh, scrap,
//!   spb, chrono, harb, necro, ele, engi/ingé, guard, war, rev, mes/envout...). « mes » is
//!   the Mesmer only in a list ("2 mes", "fb, mes et scrap"), since it is also French "my".
//! - Duties (`request::Duty`): stab/stabeur/stabber/stability, heal/healer/soigneur,
//!   boon/booner/boonshare/quick/quickness/alac/alacrity, strip/stripper/boon strip/corrupt,
//!   cleanse/cleanser, dps/damage/dégâts, power, condi/altération, tank/frontline,
//!   support/soutien; next to each other, a generic duty gives way to a precise one ("heal
//!   support" is healing, "power dps" is power damage).
//! - Modes anywhere in the sentence: zerg/bus/blob, roam/roaming/roamer,
//!   outnumbered/outnumber/« en infériorité (numérique) »/« en sous-nombre », guild raid/« raid
//!   de guilde »/havoc/gvg. Experience: débutant/beginner/noob/novice,
//!   intermédiaire/intermediate, expert/vétéran/expérimenté/confirmé/advanced. When two
//!   different modes (or experiences) are named, the first holds and the second is listed as
//!   ignored in `understood`.
//! - Numbers in digits or words, French and English up to sixty (« vingt-cinq », « dix-sept »,
//!   "twenty five"); « un », « une », "a", "an" count one only before a name, a duty or a
//!   group word ("a party", « un Firebrand »).
//!
//! # Shape
//! - "N groupes (de M (joueurs))", "N groups of M", "a party of five", "2x5" give the group
//!   count and size; "groupes de M", "M par groupe", "M players per group" the size alone;
//!   "N joueurs", "N players", "escouade de N", "zerg de N", « roaming à N », "15v15", "10
//!   débutants" the player count. A second, different value for the same thing is listed as
//!   ignored.
//! - « Groupe 2 : ... » at the start of a sentence or before a colon is a heading: what it
//!   lists counts in the squad (the request has no way to pin a slot to one group), and when
//!   the message gives no group count, the highest heading is the group count.
//!
//! # Demands
//! - A name or duty with its count before it ("2 Firebrands", « deux heals », "2x FB") or
//!   "x2" after it; without a count, one. A duty right before or after a name is that slot's
//!   role, shown in `understood` ("2 heal Firebrands": 2 Firebrands, as healing).
//! - A count followed by an unknown word that is capitalised or ends the list item ("2 Blorps",
//!   "2 blorps,") is an unknown name; so is a capitalised unknown word standing as an item of a
//!   list ("avec Firebrand, Blorp et Scrapper"). Other unknown words are not understood.
//! - « complète avec du DPS », "fill the rest with healers", « le reste en heal »: the first
//!   name or duty after the fill words is `fill`, not a demand; with none after them, an
//!   uncounted one right before them (« du dps en fill », "dps for the rest").
//! - "sans Firebrand", "no roaming", « pas de Scourge » are not built and are reported as not
//!   understood; in "Firebrand ou Willbender" the first is taken and "ou Willbender" reported.
//!
//! # Per group or in total
//! 1. Markers decide first. « par groupe », "per group", "each", « chacun », « au total », "in
//!    total", "in the squad" usually close a list: they apply to the unmarked demands before
//!    them back to the previous marker, fill or sentence start; with nothing before them they
//!    open the list that follows instead. « dans chaque groupe », "each party", "every
//!    group" usually open a list: they apply to the demands after them up to the next
//!    marker, fill or end of sentence; with nothing after them they close the list before.
//!    When an opening marker comes first in the sentence, a closing marker later in it takes
//!    only the demand right before it (« dans chaque groupe 1 Firebrand et 1 Scourge, et 3
//!    DPS au total »: 3 DPS in total, the rest per group).
//! 2. Other demands are read list by list (a run of unmarked demands in one sentence). A list
//!    is per group when the message gives the groups (a group count or a group size) and the
//!    list is one group's worth: names without counts, no more of them than a group holds
//!    (the issue's « 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et
//!    Scrapper »: one of each in every group); or, with counts, two or more entries whose
//!    counts fill one group exactly (« 2 groupes de 5 avec 2 Firebrands et 3 DPS »). A group's
//!    size is the one asked, else the game's party size, 5; demands already marked per group
//!    take their room in it.
//! 3. Everything else is a squad total: a single counted entry ("5 groupes de 5 avec 5
//!    Firebrands" is five Firebrands, not twenty-five), a list larger than a group, and any
//!    list when the message gives no groups ("25 joueurs avec 5 Firebrands").

mod grammar;
mod lexicon;
mod text;

use crate::request::SquadRequest;

/// Reads a request; see the module documentation for the rules.
pub fn parse(message: &str) -> SquadRequest {
    grammar::parse(message)
}
