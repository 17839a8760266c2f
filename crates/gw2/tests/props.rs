//! Property tests: raw and resolved round-trips, and no panics on arbitrary input.

use gw2::chatcode::{
    decode, decode_raw, encode, encode_raw, BuildExtension, BuildSkills, BuildTemplate, ChatLink,
    LegendRef, LegendSlots, PaletteSkill, PetRef, PetSlots, ProfessionRef, RawBuildCode,
    RawExtension, RawSkillBar, RawSpecialization, SkillBar, SpecializationRef, TraitChoice,
    TraitPick, WeaponRef,
};
use gw2::data::SkillSlot;
use gw2::GameData;
use proptest::prelude::*;

fn choice() -> impl Strategy<Value = TraitChoice> {
    (0u8..4).prop_map(TraitChoice::from_bits)
}

fn raw_bar() -> impl Strategy<Value = RawSkillBar> {
    (any::<u16>(), any::<[u16; 3]>(), any::<u16>()).prop_map(|(heal, utilities, elite)| {
        RawSkillBar {
            heal,
            utilities,
            elite,
        }
    })
}

fn raw_code() -> impl Strategy<Value = RawBuildCode> {
    (
        any::<u8>(),
        proptest::array::uniform3((any::<u8>(), proptest::array::uniform3(choice()))),
        raw_bar(),
        raw_bar(),
        any::<[u8; 16]>(),
        proptest::option::of((
            proptest::collection::vec(any::<u16>(), 0..8),
            proptest::collection::vec(any::<u32>(), 0..8),
        )),
    )
        .prop_map(
            |(profession, specs, land, water, profession_data, ext)| RawBuildCode {
                profession,
                specializations: specs.map(|(id, traits)| RawSpecialization { id, traits }),
                land,
                water,
                profession_data,
                extension: ext.map(|(weapons, skill_overrides)| RawExtension {
                    weapons,
                    skill_overrides,
                }),
            },
        )
}

/// Skill picks of one bar (heal, 3 utilities, elite): indexes into the profession's skills of
/// each slot kind, `None` for an empty slot.
fn bar_picks() -> impl Strategy<Value = [Option<prop::sample::Index>; 5]> {
    proptest::array::uniform5(proptest::option::of(any::<prop::sample::Index>()))
}

/// The resolved slot for a picked skill of `slot` kind: its palette id, and the skill and
/// name the game reads from that palette (a revenant's through `legend`).
fn slot_skill(
    d: &GameData,
    code: u8,
    profession: &str,
    slot: SkillSlot,
    pick: Option<prop::sample::Index>,
    legend: Option<&gw2::data::Legend>,
) -> Option<PaletteSkill> {
    let candidates: Vec<u16> = d
        .skills()
        .iter()
        .filter(|k| k.profession == profession && k.slot == slot)
        .filter_map(|k| d.palette_for_skill(code, k.id))
        .collect();
    let palette = candidates[pick?.index(candidates.len())];
    let skill_id = d.palette_skill(code, palette, legend);
    Some(PaletteSkill {
        palette,
        skill_id,
        name: skill_id
            .and_then(|id| d.skill(id))
            .and_then(|k| k.name.clone()),
    })
}

fn bar(
    d: &GameData,
    code: u8,
    profession: &str,
    picks: [Option<prop::sample::Index>; 5],
    legend: Option<&gw2::data::Legend>,
) -> SkillBar {
    let at = |i: usize, slot| slot_skill(d, code, profession, slot, picks[i], legend);
    SkillBar {
        heal: at(0, SkillSlot::Heal),
        utilities: [
            at(1, SkillSlot::Utility),
            at(2, SkillSlot::Utility),
            at(3, SkillSlot::Utility),
        ],
        elite: at(4, SkillSlot::Elite),
    }
}

/// Valid resolved builds drawn from the embedded data.
fn build() -> impl Strategy<Value = BuildTemplate> {
    let d = GameData::embedded();
    let nprof = d.professions().len();
    (
        0..nprof,
        proptest::array::uniform3((
            any::<prop::sample::Index>(),
            proptest::array::uniform3(choice()),
            any::<bool>(),
        )),
        bar_picks(),
        bar_picks(),
        proptest::array::uniform4(proptest::option::of(any::<prop::sample::Index>())),
        proptest::array::uniform6(proptest::option::of(any::<prop::sample::Index>())),
        proptest::option::of((
            proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
            proptest::collection::vec(any::<u32>(), 0..4),
        )),
    )
        .prop_map(move |(pi, specs, land, water, slots4, utils, ext)| {
            let p = &d.professions()[pi];
            let own = d.specializations_of(&p.id);
            let specializations = specs.map(|(idx, choices, present)| {
                if !present {
                    return None;
                }
                let s = own[idx.index(own.len())];
                let traits = [0usize, 1, 2].map(|tier| {
                    let c = choices[tier];
                    (c != TraitChoice::None).then(|| {
                        let id = s.major_traits[tier * 3 + usize::from(c.to_bits()) - 1];
                        TraitPick {
                            choice: c,
                            id,
                            name: d.trait_by_id(id).map(|t| t.name.clone()),
                        }
                    })
                });
                Some(SpecializationRef {
                    id: s.id,
                    name: s.name.clone(),
                    elite: s.elite,
                    traits,
                })
            });
            let pets = p.has_pets().then(|| {
                let pick = |o: Option<prop::sample::Index>| {
                    o.map(|i| {
                        let pet = &d.pets()[i.index(d.pets().len())];
                        PetRef {
                            id: pet.id as u8,
                            name: pet.name.clone(),
                        }
                    })
                };
                let [a, b, c, e] = slots4.map(pick);
                PetSlots {
                    land: [a, b],
                    water: [c, e],
                }
            });
            let legends = p.has_legends().then(|| {
                let pick = |o: Option<prop::sample::Index>| {
                    o.map(|i| {
                        let l = &d.legends()[i.index(d.legends().len())];
                        LegendRef {
                            code: l.code,
                            id: l.id.clone(),
                            name: l.name.clone(),
                        }
                    })
                };
                let [a, b, c, e] = slots4.map(pick);
                let of = |l: &Option<LegendRef>| l.as_ref().and_then(|l| d.legend_by_code(l.code));
                let inactive = |picks: [Option<prop::sample::Index>; 3],
                                l: Option<&gw2::data::Legend>| {
                    picks.map(|i| slot_skill(d, p.code, &p.id, SkillSlot::Utility, i, l))
                };
                LegendSlots {
                    inactive_land_utilities: inactive([utils[0], utils[1], utils[2]], of(&b)),
                    inactive_water_utilities: inactive([utils[3], utils[4], utils[5]], of(&e)),
                    land: [a, b],
                    water: [c, e],
                }
            });
            let active = |water: bool| {
                legends
                    .as_ref()
                    .and_then(|l| l.active(water))
                    .and_then(|l| d.legend_by_code(l.code))
            };
            let land = bar(d, p.code, &p.id, land, active(false));
            let water = bar(d, p.code, &p.id, water, active(true));
            let extension = ext.map(|(w, skill_overrides)| BuildExtension {
                weapons: w
                    .into_iter()
                    .map(|i| {
                        let wt = &d.weapon_types()[i.index(d.weapon_types().len())];
                        WeaponRef {
                            id: wt.id,
                            name: wt.name.clone(),
                        }
                    })
                    .collect(),
                skill_overrides,
            });
            BuildTemplate {
                profession: ProfessionRef {
                    code: p.code,
                    name: p.name.clone(),
                },
                specializations,
                skills: BuildSkills { land, water },
                pets,
                legends,
                extension,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn raw_round_trip(code in raw_code()) {
        let s = encode_raw(&code).unwrap();
        let back = decode_raw(&s).unwrap();
        prop_assert_eq!(&back, &code);
        prop_assert_eq!(encode_raw(&back).unwrap(), s);
    }

    #[test]
    fn resolved_round_trip(b in build()) {
        let d = GameData::embedded();
        let s = encode(&b, d).unwrap();
        let back = decode(&s, d).unwrap();
        prop_assert_eq!(&back, &b);
        prop_assert_eq!(encode(&back, d).unwrap(), s);
    }

    #[test]
    fn decode_never_panics_on_strings(s in ".{0,120}") {
        let _ = decode_raw(&s);
        let _ = ChatLink::decode(&s);
        let _ = decode(&s, GameData::embedded());
    }

    #[test]
    fn decoded_bytes_reencode_identically(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok(link) = ChatLink::decode_bytes(&bytes) {
            prop_assert_eq!(link.encode_bytes().unwrap(), bytes.clone());
        }
        let mut with_header = vec![0x0D];
        with_header.extend(&bytes);
        if let Ok(link) = ChatLink::decode_bytes(&with_header) {
            prop_assert_eq!(link.encode_bytes().unwrap(), with_header);
        }
    }

    #[test]
    fn valid_links_with_noise_never_panic(code in raw_code(), cut in 0usize..200, junk in "[A-Za-z0-9+/=\\]\\[& ]{0,8}") {
        let s = encode_raw(&code).unwrap();
        let cut = cut.min(s.len());
        let noisy = format!("{}{}", &s[..cut], junk);
        let _ = decode_raw(&noisy);
        let _ = decode(&noisy, GameData::embedded());
    }
}
