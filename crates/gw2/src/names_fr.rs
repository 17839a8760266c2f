//! The French game client's names of the professions and elite specializations, keyed by the
//! English game name (the English names themselves come from the game data, never from here).
//! Team Commander reads them in requests; the service's game data for the web client shows them
//! ([`french_name`]). Core specializations, traits, skills and stat prefixes have no French
//! name here yet: who shows them falls back to the English name.
//!
//! Sources, each name checked in at least two of them:
//! - the Blish HUD "Characters" module, `Characters/Services/Data.cs` in the public repository
//!   KenediaDev/Kenedia.BlishHUD, whose tables hold every profession and elite specialization
//!   name per game locale (German, English, Spanish, French) as the game API returns them;
//! - the French Guild Wars 2 wiki (wiki-fr.guildwars2.com: « Incendiaire », « Ingénieur »,
//!   « Gardien » pages) and French community sites quoting the game's names: lebusmagique.fr
//!   (« Le subjugueur en détail » for End of Dragons; « Aperçu de l'antiquaire, du ritualiste et
//!   parangon » for Visions of Eternity), gw2.fr (Visions of Eternity: « Antiquaire,
//!   Ritualiste, Parangon »), jeuxonline (« Troubadour »);
//! - public tools built on the API's `?lang=fr` answers: a Vue squad planner keyed by
//!   `/v2/specializations?lang=fr` names (Heart of Thorns to Visions of Eternity) and a fishing
//!   achievements tracker listing the End of Dragons specializations by French name.
//!
//! « Nécromant » is the game's name; « nécromancien », the usual name outside the game, is a
//! common form listed with the short forms in the commander crate's `parse/lexicon.rs`, not here.

/// `(English game name, French game name)`.
pub const FRENCH_NAMES: &[(&str, &str)] = &[
    // Professions.
    ("Guardian", "Gardien"),
    ("Warrior", "Guerrier"),
    ("Engineer", "Ingénieur"),
    ("Ranger", "Rôdeur"),
    ("Thief", "Voleur"),
    ("Elementalist", "Élémentaliste"),
    ("Mesmer", "Envoûteur"),
    ("Necromancer", "Nécromant"),
    ("Revenant", "Revenant"),
    // Heart of Thorns.
    ("Dragonhunter", "Draconnier"),
    ("Berserker", "Berserker"),
    ("Scrapper", "Mécatronicien"),
    ("Druid", "Druide"),
    ("Daredevil", "Fracasseur"),
    ("Tempest", "Cataclyste"),
    ("Chronomancer", "Chronomancien"),
    ("Reaper", "Faucheur"),
    ("Herald", "Héraut"),
    // Path of Fire.
    ("Firebrand", "Incendiaire"),
    ("Spellbreaker", "Brisesort"),
    ("Holosmith", "Holographiste"),
    ("Soulbeast", "Animorphe"),
    ("Deadeye", "Sniper"),
    ("Weaver", "Tissesort"),
    ("Mirage", "Mirage"),
    ("Scourge", "Fléau"),
    ("Renegade", "Renégat"),
    // End of Dragons.
    ("Willbender", "Subjugueur"),
    ("Bladesworn", "Jurelame"),
    ("Mechanist", "Méchamancien"),
    ("Untamed", "Indomptable"),
    ("Specter", "Spectre"),
    ("Catalyst", "Catalyseur"),
    ("Virtuoso", "Virtuose"),
    ("Harbinger", "Augure"),
    ("Vindicator", "Justicier"),
    // Visions of Eternity.
    ("Luminary", "Luminescence"),
    ("Paragon", "Parangon"),
    ("Amalgam", "Amalgame"),
    ("Galeshot", "Ventireur"),
    ("Antiquary", "Antiquaire"),
    ("Evoker", "Évocateur"),
    ("Troubadour", "Troubadour"),
    ("Ritualist", "Ritualiste"),
    ("Conduit", "Conduit"),
];

/// The French game client's name of a profession or elite specialization, by its English game
/// name (exact, as the game data spells it: `"Firebrand"` → `"Incendiaire"`); `None` for any
/// other name.
pub fn french_name(english: &str) -> Option<&'static str> {
    FRENCH_NAMES
        .iter()
        .find(|(en, _)| *en == english)
        .map(|(_, fr)| *fr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GameData;

    #[test]
    fn every_english_name_is_listed_once_and_is_in_the_game_data() {
        let data = GameData::embedded();
        for (i, (english, _)) in FRENCH_NAMES.iter().enumerate() {
            assert!(
                !FRENCH_NAMES[..i].iter().any(|(en, _)| en == english),
                "{english} listed twice"
            );
            let known = data.professions().iter().any(|p| p.name == *english)
                || data
                    .specializations()
                    .iter()
                    .any(|s| s.elite && s.name == *english);
            assert!(known, "{english} is no profession or elite specialization");
        }
    }

    #[test]
    fn names_are_looked_up_exactly() {
        assert_eq!(french_name("Firebrand"), Some("Incendiaire"));
        assert_eq!(french_name("Necromancer"), Some("Nécromant"));
        assert_eq!(french_name("firebrand"), None);
        assert_eq!(french_name("Zeal"), None);
    }
}
