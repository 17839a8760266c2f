//! The embedded snapshot: counts, look-ups and facts pinned against public sources
//! (shared/GW2_PRIMER.md; discretize gw2-data.ts; chat-code numbers from gw2efficiency/chat-codes
//! and berdandy/chatr; buff ids as used by arcdps/Elite Insights and the primer).

use gw2::data::{Attribute, BuffKind, GameData, GearSlot};
use gw2::model::ArmorWeight;

fn d() -> &'static GameData {
    GameData::embedded()
}

#[test]
fn counts() {
    assert_eq!(d().professions().len(), 9);
    assert_eq!(d().specializations().len(), 81);
    assert_eq!(
        d().specializations().iter().filter(|s| !s.elite).count(),
        45
    );
    assert_eq!(d().pets().len(), 61);
    assert_eq!(d().legends().len(), 8);
    assert!(d().itemstats().len() >= 40);
    assert_eq!(d().boons().count(), 13);
    assert_eq!(d().conditions().count(), 14);
    assert_eq!(d().game_build(), 115267);
    assert!(!d().version().is_empty());
    // Skills: every profession's heal, utility and elite skills, core and of each elite
    // specialization (revenant: the legends' kits), each with a palette id.
    assert_eq!(d().skills().len(), 449);
    for p in d().professions() {
        let of = |slot| {
            d().skills()
                .iter()
                .filter(|k| k.profession == p.id && k.slot == slot)
                .count()
        };
        use gw2::data::SkillSlot::*;
        if p.id == "Revenant" {
            assert_eq!((of(Heal), of(Utility), of(Elite)), (9, 24, 8));
        } else {
            assert_eq!((of(Heal), of(Utility), of(Elite)), (8, 36, 7), "{}", p.id);
        }
        assert!(p.skills_by_palette.len() >= 120, "{}", p.id);
        for k in d().skills().iter().filter(|k| k.profession == p.id) {
            if k.id != 29148 {
                // Project Tranquility, Ventari's second heal, is on no palette.
                assert!(d().palette_for_skill(p.code, k.id).is_some(), "{}", k.id);
            }
        }
    }
    // Traits: every minor and major trait of the 81 specializations, named.
    assert_eq!(d().traits().len(), 972);
    use gw2::data::TraitSlot;
    assert_eq!(
        d().traits()
            .iter()
            .filter(|t| t.slot == TraitSlot::Minor)
            .count(),
        243
    );
    for s in d().specializations() {
        for id in s.minor_traits.iter().chain(&s.major_traits) {
            let t = d().trait_by_id(*id).unwrap_or_else(|| panic!("trait {id}"));
            assert_eq!(t.specialization, s.id);
        }
        for (i, id) in s.major_traits.iter().enumerate() {
            assert_eq!(
                d().trait_by_id(*id).unwrap().tier as usize,
                i / 3 + 1,
                "{id}"
            );
        }
    }
    let peak = d().trait_by_name("Strength", "peak performance").unwrap();
    assert_eq!((peak.id, peak.tier, peak.slot), (1444, 1, TraitSlot::Major));
    let shelter = d().skill(9102).unwrap();
    assert_eq!(
        (
            shelter.name.as_deref(),
            shelter.slot,
            shelter.specialization
        ),
        (Some("Shelter"), gw2::data::SkillSlot::Heal, None)
    );
    assert_eq!(d().skill_for_palette("Guardian", 259), Some(9102));
    let resolute = d().skill_by_name("guardian", "Resolute Stance").unwrap();
    assert_eq!((resolute.id, resolute.specialization), (76621, Some(81)));
    assert_eq!(d().specialization_by_id(81).unwrap().name, "Luminary");
    for p in d().professions() {
        assert_eq!(
            d().specializations_of(&p.id)
                .iter()
                .filter(|s| !s.elite)
                .count(),
            5,
            "{}",
            p.id
        );
    }
    for s in d().specializations() {
        assert_eq!(s.major_traits.len(), 9, "{}", s.name);
        assert_eq!(s.minor_traits.len(), 3, "{}", s.name);
    }
}

#[test]
fn professions_by_name_and_code() {
    let expected = [
        (1, "Guardian", ArmorWeight::Heavy, 1645),
        (2, "Warrior", ArmorWeight::Heavy, 9212),
        (3, "Engineer", ArmorWeight::Medium, 5922),
        (4, "Ranger", ArmorWeight::Medium, 5922),
        (5, "Thief", ArmorWeight::Medium, 1645),
        (6, "Elementalist", ArmorWeight::Light, 1645),
        (7, "Mesmer", ArmorWeight::Light, 5922),
        (8, "Necromancer", ArmorWeight::Light, 9212),
        (9, "Revenant", ArmorWeight::Heavy, 5922),
    ];
    for (code, name, weight, health) in expected {
        let p = d().profession(name).unwrap();
        assert_eq!(
            (p.code, p.armor_weight, p.base_health),
            (code, weight, health)
        );
        assert_eq!(d().profession(&code.to_string()).unwrap().id, name);
        assert_eq!(d().profession(&name.to_uppercase()).unwrap().code, code);
        assert!(!p.weapons.is_empty());
    }
    assert_eq!(d().profession("guardian").unwrap().armor_defense, 1271);
    assert_eq!(d().profession("thief").unwrap().armor_defense, 1118);
    assert_eq!(d().profession("mesmer").unwrap().armor_defense, 967);
    assert!(d().profession("Paragon").is_none());
    assert!(d().profession("0").is_none());
}

#[test]
fn specializations() {
    let dm = d().specialization_by_name("death magic").unwrap();
    assert_eq!(
        (dm.id, dm.profession.as_str(), dm.elite),
        (2, "Necromancer", false)
    );
    assert_eq!(d().specialization_by_name("DeathMagic").unwrap().id, 2);
    assert_eq!(d().specialization_by_id(62).unwrap().name, "Firebrand");
    assert!(d().specialization_by_id(62).unwrap().elite);
    // Newer elites beyond the 2021 API snapshot come from discretize.
    let lum = d().specialization_by_name("Luminary").unwrap();
    assert_eq!(
        (lum.id, lum.profession.as_str(), lum.elite),
        (81, "Guardian", true)
    );
    let necro = d().specializations_of("Necromancer");
    assert_eq!(necro.len(), 9);
    assert!(necro.iter().any(|s| s.name == "Ritualist"));
    assert_eq!(d().specializations_of("8").len(), 9);
    assert!(d().specializations_of("nobody").is_empty());
    let (spec, tier, choice) = d().trait_location(dm.major_traits[4]).unwrap();
    assert_eq!(
        (spec.id, tier, choice),
        (2, 1, gw2::chatcode::TraitChoice::Middle)
    );
}

#[test]
fn itemstats_by_name_and_id() {
    let b = d().itemstat_by_name("berserker").unwrap();
    assert_eq!(b.name, "Berserker's");
    assert_eq!(
        d().itemstat_by_name("Berserker's").unwrap().key,
        "berserker"
    );
    assert_eq!(d().itemstat_by_id(161).unwrap().key, "berserker");
    assert_eq!(b.major, vec![Attribute::Power]);
    // Ascended per-slot values (primer: helm 63/45, coat 141/101, amulet 157/108, 2h 251/179).
    let v = |slot: GearSlot, a: Attribute| b.ascended[&slot][&a];
    assert_eq!(v(GearSlot::Helm, Attribute::Power), 63);
    assert_eq!(v(GearSlot::Helm, Attribute::Ferocity), 45);
    assert_eq!(v(GearSlot::Coat, Attribute::Power), 141);
    assert_eq!(v(GearSlot::Amulet, Attribute::Precision), 108);
    assert_eq!(v(GearSlot::Back, Attribute::Power), 63);
    assert_eq!(v(GearSlot::Back, Attribute::Ferocity), 40);
    assert_eq!(v(GearSlot::TwoHanded, Attribute::Power), 251);
    assert_eq!(v(GearSlot::MainHand, Attribute::Power), 125);
    assert_eq!(b.exotic[&GearSlot::Helm][&Attribute::Power], 60);
    for slot in GearSlot::DUAL_WIELD {
        assert!(b.ascended.contains_key(&slot), "{slot}");
    }
    // 4-attribute and Celestial prefixes use their own tables.
    let viper = d().itemstat_by_name("Viper's").unwrap();
    assert_eq!(viper.ascended[&GearSlot::Helm][&Attribute::Power], 54);
    assert_eq!(viper.ascended[&GearSlot::Helm][&Attribute::Expertise], 30);
    let cel = d().itemstat_by_name("celestial").unwrap();
    assert_eq!(cel.ascended[&GearSlot::Helm].len(), 9);
    assert_eq!(
        cel.ascended[&GearSlot::Amulet][&Attribute::Concentration],
        72
    );
    // Captain's exists on trinkets and back only.
    let cap = d().itemstat_by_name("captain").unwrap();
    assert!(!cap.ascended.contains_key(&GearSlot::Helm));
    assert!(cap.ascended.contains_key(&GearSlot::Ring1));
    assert!(d().itemstat_by_name("nonsense").is_none());
}

#[test]
fn pets_legends_boons() {
    assert_eq!(d().pet(1).unwrap().name, "Juvenile Jungle Stalker");
    assert_eq!(d().pet_by_name("fern hound").unwrap().id, 22);
    assert_eq!(d().legend("Glint").unwrap().code, 1);
    assert_eq!(
        d().legend("legend2").unwrap().name,
        "Legendary Assassin Stance"
    );
    assert_eq!(d().legend("4").unwrap().legend, "Mallyx");
    let boons = [
        ("Might", 740),
        ("Fury", 725),
        ("Quickness", 1187),
        ("Alacrity", 30328),
        ("Protection", 717),
        ("Regeneration", 718),
        ("Vigor", 726),
        ("Aegis", 743),
        ("Stability", 1122),
        ("Swiftness", 719),
        ("Resistance", 26980),
        ("Resolution", 873),
        ("Superspeed", 5974),
    ];
    for (name, id) in boons {
        let b = d().boon(&name.to_lowercase()).unwrap();
        assert_eq!((b.id, b.kind), (id, BuffKind::Boon), "{name}");
        assert_eq!(d().buff_by_id(id).unwrap().name, name);
    }
    assert!(d().boon("bleeding").is_none());
    assert_eq!(d().condition("Bleeding").unwrap().id, 736);
    assert_eq!(d().weapon_type(265).unwrap().name, "Spear");
    assert_eq!(d().weapon_type_by_name("short bow").unwrap().id, 107);
}

#[test]
fn snapshot_round_trips_through_json() {
    let json = serde_json::to_string(d().snapshot()).unwrap();
    let again = GameData::from_json(&json).unwrap();
    assert_eq!(again.snapshot(), d().snapshot());
    assert!(
        GameData::embedded_json().contains("\"source\"")
            || GameData::embedded_json().contains("\"sources\"")
    );
    assert!(GameData::from_json("{}").is_err());
    let mut s = d().snapshot().clone();
    s.format = 99;
    assert!(GameData::from_snapshot(s).is_err());
    let mut s = d().snapshot().clone();
    let dup = s.specializations[0].clone();
    s.specializations.push(dup);
    assert!(GameData::from_snapshot(s).is_err());
}
