//! A build as the game's build template link (`[&DQ...]`, see [`crate::chatcode`]).

use crate::chatcode::{
    self, BuildSkills, LegendRef, LegendSlots, PaletteSkill, PetRef, PetSlots, ProfessionRef,
    SkillBar, SpecializationRef, TraitChoice, TraitPick,
};
use crate::data::GameData;

use super::{Build, BuildDraft, BuildError, Skills, TraitLine};

impl Build {
    /// The in-game build template link of the build (profession, trait lines, land skill
    /// bar, legends and pets: what a template carries; gear and text stay behind).
    pub fn to_chat_code(&self, data: &GameData) -> Result<String, BuildError> {
        let build = self;
        let profession = data
            .profession(&build.profession)
            .ok_or_else(|| BuildError::new("profession", "unknown profession"))?;
        let mut specializations: [Option<SpecializationRef>; 3] = [None, None, None];
        for (i, line) in build.trait_lines.iter().enumerate().take(3) {
            let spec = data
                .specialization_by_name(&line.specialization)
                .ok_or_else(|| {
                    BuildError::new(
                        format!("trait_lines.{i}.specialization"),
                        "unknown specialization",
                    )
                })?;
            let mut traits = [None, None, None];
            for (tier, choice) in line.traits.iter().enumerate() {
                if *choice == 0 {
                    continue;
                }
                let index = tier * 3 + usize::from(*choice) - 1;
                if let Some(id) = spec.major_traits.get(index) {
                    traits[tier] = Some(TraitPick {
                        choice: TraitChoice::from_bits(*choice),
                        id: *id,
                        name: None,
                    });
                }
            }
            specializations[i] = Some(SpecializationRef {
                id: spec.id,
                name: spec.name.clone(),
                elite: spec.elite,
                traits,
            });
        }
        let palette = |p: Option<u16>| {
            p.filter(|p| *p != 0).map(|palette| PaletteSkill {
                palette,
                skill_id: None,
                name: None,
            })
        };
        let land = SkillBar {
            heal: palette(build.skills.heal),
            utilities: build.skills.utilities.map(palette),
            elite: palette(build.skills.elite),
        };
        let pets = profession.has_pets().then(|| {
            let mut slots = PetSlots::default();
            for (i, name) in build.skills.pets.iter().take(2).enumerate() {
                slots.land[i] = data
                    .pet_by_name(name)
                    .and_then(|p| u8::try_from(p.id).ok())
                    .map(|id| PetRef {
                        id,
                        name: name.clone(),
                    });
            }
            slots
        });
        let legends = profession.has_legends().then(|| {
            let mut slots = LegendSlots::default();
            for (i, name) in build.skills.legends.iter().take(2).enumerate() {
                slots.land[i] = data.legend(name).map(|l| LegendRef {
                    code: l.code,
                    id: l.id.clone(),
                    name: l.name.clone(),
                });
            }
            slots
        });
        let code = chatcode::BuildTemplate {
            profession: ProfessionRef {
                code: profession.code,
                name: profession.name.clone(),
            },
            specializations,
            skills: BuildSkills {
                land,
                water: SkillBar::default(),
            },
            pets,
            legends,
            extension: None,
        };
        chatcode::encode(&code, data)
            .map_err(|e| BuildError::new("build", format!("cannot encode as a chat code: {e}")))
    }
}

impl BuildDraft {
    /// A draft from a build template link; the name, mode and role, which a template does
    /// not carry, come from the caller. A bad code is an error on `chat_code` saying what
    /// is wrong with it.
    pub fn from_chat_code(
        code: &str,
        name: &str,
        game_mode: &str,
        role: &str,
        data: &GameData,
    ) -> Result<BuildDraft, BuildError> {
        let decoded = chatcode::decode(code, data)
            .map_err(|e| BuildError::new("chat_code", e.to_string()))?;
        let profession = data
            .profession_by_code(decoded.profession.code)
            .ok_or_else(|| BuildError::new("chat_code", "unknown profession code"))?;
        let mut trait_lines = Vec::new();
        let mut elite = None;
        for spec in decoded.specializations.iter().flatten() {
            let known = data
                .specialization_by_id(spec.id)
                .ok_or_else(|| BuildError::new("chat_code", "unknown specialization"))?;
            if known.elite {
                elite = Some(known.name.clone());
            }
            let traits =
                [0, 1, 2].map(|tier| spec.traits[tier].as_ref().map_or(0, |p| p.choice.to_bits()));
            trait_lines.push(TraitLine {
                specialization: known.name.clone(),
                traits,
            });
        }
        let land = decoded.skills.land;
        let palette = |p: Option<PaletteSkill>| p.map(|s| s.palette);
        let skills = Skills {
            heal: palette(land.heal),
            utilities: land.utilities.map(palette),
            elite: palette(land.elite),
            legends: decoded
                .legends
                .map(|l| {
                    l.land
                        .iter()
                        .flatten()
                        .filter_map(|r| data.legend_by_code(r.code))
                        .map(|l| l.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            pets: decoded
                .pets
                .map(|p| {
                    p.land
                        .iter()
                        .flatten()
                        .filter_map(|r| data.pet(u16::from(r.id)))
                        .map(|p| p.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
        };
        Ok(BuildDraft {
            name: name.to_owned(),
            profession: profession.name.clone(),
            specialization: elite,
            game_mode: game_mode.to_owned(),
            role: role.to_owned(),
            trait_lines,
            skills,
            equipment: Default::default(),
            synergies: Vec::new(),
            counters: Vec::new(),
            description: None,
            tags: Vec::new(),
            is_public: true,
        })
    }
}
