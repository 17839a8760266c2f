//! Validation of a [`BuildDraft`] against the game data: the game's rules for a build
//! (specializations of the build's profession, an elite line only in third place, skills of
//! the right slot and specialization, legends for revenants and pets for rangers, known stat
//! prefixes) and the service's limits on free text.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{GameData, SkillSlot};
use crate::model::{GameMode, GearSlot, Role};

use super::{Build, BuildDraft, BuildError, Equipment, Skills, TraitLine};

const MAX_TAGS: usize = 20;
const MAX_LIST_ITEMS: usize = 30;

impl BuildDraft {
    /// Checks every field against the game data and returns the canonical build (names as
    /// the game spells them, enums typed, tags lowercase and unique).
    pub fn validate(self, data: &GameData) -> Result<Build, BuildError> {
        validate_with(self, data, true)
    }

    /// [`BuildDraft::validate`] without the skill bar's palette checks: an edit that leaves
    /// the skills as they were keeps working on builds saved before those checks existed.
    pub fn validate_keeping_skills(self, data: &GameData) -> Result<Build, BuildError> {
        validate_with(self, data, false)
    }
}

/// The checks, with the skill bar's palette checks only when `check_skills`.
fn validate_with(
    input: BuildDraft,
    data: &GameData,
    check_skills: bool,
) -> Result<Build, BuildError> {
    let name = text(&input.name, "name", 1, 100)?;
    let profession = data.profession(input.profession.trim()).ok_or_else(|| {
        BuildError::new(
            "profession",
            format!("unknown profession {:?}", input.profession),
        )
    })?;
    let game_mode: GameMode = input
        .game_mode
        .parse()
        .map_err(|e: crate::model::ParseEnumError| BuildError::new("game_mode", e.to_string()))?;
    let role: Role = input
        .role
        .parse()
        .map_err(|e: crate::model::ParseEnumError| BuildError::new("role", e.to_string()))?;
    let spec_of = |field: &str, name: &str| -> Result<&crate::data::Specialization, BuildError> {
        let spec = data
            .specialization_by_name(name.trim())
            .ok_or_else(|| BuildError::new(field, format!("unknown specialization {name:?}")))?;
        if spec.profession != profession.id {
            return Err(BuildError::new(
                field,
                format!(
                    "{} is a {} specialization, not {}",
                    spec.name, spec.profession, profession.name
                ),
            ));
        }
        Ok(spec)
    };
    let specialization = match input
        .specialization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(spec_of("specialization", s)?.name.clone()),
        None => None,
    };
    if input.trait_lines.len() > 3 {
        return Err(BuildError::new(
            "trait_lines",
            "at most 3 specialization lines",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut trait_lines = Vec::new();
    for (i, line) in input.trait_lines.iter().enumerate() {
        let field = format!("trait_lines.{i}.specialization");
        let spec = spec_of(&field, &line.specialization)?;
        if !seen.insert(spec.id) {
            return Err(BuildError::new(
                field,
                format!("{} appears twice", spec.name),
            ));
        }
        if spec.elite && i != 2 {
            return Err(BuildError::new(
                field,
                "an elite specialization goes in the third line",
            ));
        }
        if let Some(bad) = line.traits.iter().position(|t| *t > 3) {
            return Err(BuildError::new(
                format!("trait_lines.{i}.traits.{bad}"),
                "trait choices are 0 (none), 1 (top), 2 (middle) or 3 (bottom)",
            ));
        }
        trait_lines.push(TraitLine {
            specialization: spec.name.clone(),
            traits: line.traits,
        });
    }
    let elite_line = trait_lines
        .iter()
        .filter_map(|l| data.specialization_by_name(&l.specialization))
        .find(|s| s.elite);
    if let (Some(spec), Some(line)) = (&specialization, elite_line) {
        if data.specialization_by_name(spec).is_some_and(|s| s.elite) && &line.name != spec {
            return Err(BuildError::new(
                "specialization",
                format!(
                    "the build's elite specialization is {spec} but its third line is {}",
                    line.name
                ),
            ));
        }
    }
    let elite_spec = specialization
        .as_deref()
        .and_then(|s| data.specialization_by_name(s))
        .filter(|s| s.elite)
        .or(elite_line)
        .map(|s| s.id);
    let skills = validate_skills(&input.skills, profession, elite_spec, check_skills, data)?;
    let equipment = validate_equipment(&input.equipment, data)?;
    let mut tags = Vec::new();
    for (i, tag) in input.tags.iter().enumerate() {
        let tag = text(tag, &format!("tags.{i}"), 1, 40)?.to_lowercase();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(BuildError::new("tags", format!("at most {MAX_TAGS} tags")));
    }
    Ok(Build {
        name,
        profession: profession.name.clone(),
        specialization,
        game_mode,
        role,
        trait_lines,
        skills,
        equipment,
        synergies: text_list(&input.synergies, "synergies")?,
        counters: text_list(&input.counters, "counters")?,
        description: match input
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => Some(text(d, "description", 1, 20_000)?),
            None => None,
        },
        tags,
        is_public: input.is_public,
    })
}

/// Checks the skill bar: palette ids the profession has, each in a slot of its kind, elite
/// specialization skills only with that specialization (a revenant's read through its first
/// legend); then legends and pets by name.
fn validate_skills(
    skills: &Skills,
    profession: &crate::data::Profession,
    elite_spec: Option<u16>,
    check_palette: bool,
    data: &GameData,
) -> Result<Skills, BuildError> {
    if check_palette && data.has_palette(profession.code) {
        let legend = skills.legends.first().and_then(|l| data.legend(l.trim()));
        let bar = [
            ("skills.heal", skills.heal, SkillSlot::Heal),
            (
                "skills.utilities.0",
                skills.utilities[0],
                SkillSlot::Utility,
            ),
            (
                "skills.utilities.1",
                skills.utilities[1],
                SkillSlot::Utility,
            ),
            (
                "skills.utilities.2",
                skills.utilities[2],
                SkillSlot::Utility,
            ),
            ("skills.elite", skills.elite, SkillSlot::Elite),
        ];
        for (field, palette, slot) in bar {
            let Some(palette) = palette.filter(|p| *p != 0) else {
                continue;
            };
            let skill = data
                .palette_skill(profession.code, palette, legend)
                .ok_or_else(|| {
                    BuildError::new(
                        field,
                        format!("{} has no skill with palette id {palette}", profession.name),
                    )
                })?;
            let Some(known) = data.skill(skill) else {
                // Not a profession's heal/utility/elite skill (a racial one): the table
                // cannot say which slot it belongs in.
                continue;
            };
            let name = known
                .name
                .clone()
                .unwrap_or_else(|| format!("skill {skill}"));
            if known.slot != slot {
                return Err(BuildError::new(
                    field,
                    format!(
                        "{name} is a {} skill, not a {} skill",
                        known.slot.as_str(),
                        slot.as_str()
                    ),
                ));
            }
            // Without a legend a revenant palette names no particular legend's skill.
            let checkable = !profession.has_legends() || legend.is_some();
            if let (Some(needed), true) = (known.specialization, checkable) {
                if elite_spec != Some(needed) {
                    let spec = data
                        .specialization_by_id(needed)
                        .map_or_else(|| needed.to_string(), |s| s.name.clone());
                    return Err(BuildError::new(
                        field,
                        format!("{name} needs the {spec} specialization"),
                    ));
                }
            }
        }
    }
    if !skills.legends.is_empty() && !profession.has_legends() {
        return Err(BuildError::new(
            "skills.legends",
            "only revenants have legends",
        ));
    }
    if !skills.pets.is_empty() && !profession.has_pets() {
        return Err(BuildError::new("skills.pets", "only rangers have pets"));
    }
    if skills.legends.len() > 2 || skills.pets.len() > 2 {
        return Err(BuildError::new("skills", "at most 2 legends and 2 pets"));
    }
    let mut legends = Vec::new();
    for (i, l) in skills.legends.iter().enumerate() {
        let legend = data.legend(l.trim()).ok_or_else(|| {
            BuildError::new(
                format!("skills.legends.{i}"),
                format!("unknown legend {l:?}"),
            )
        })?;
        legends.push(legend.name.clone());
    }
    let mut pets = Vec::new();
    for (i, p) in skills.pets.iter().enumerate() {
        let pet = data.pet_by_name(p.trim()).ok_or_else(|| {
            BuildError::new(format!("skills.pets.{i}"), format!("unknown pet {p:?}"))
        })?;
        pets.push(pet.name.clone());
    }
    Ok(Skills {
        legends,
        pets,
        ..skills.clone()
    })
}

fn validate_equipment(equipment: &Equipment, data: &GameData) -> Result<Equipment, BuildError> {
    let mut gear = BTreeMap::new();
    for (slot, prefix) in &equipment.gear {
        let stat = data.itemstat_by_name(prefix.trim()).ok_or_else(|| {
            BuildError::new(
                format!("equipment.gear.{slot}"),
                format!("unknown stat prefix {prefix:?}"),
            )
        })?;
        gear.insert(*slot, stat.name.clone());
    }
    if gear.contains_key(&GearSlot::TwoHanded)
        && (gear.contains_key(&GearSlot::MainHand) || gear.contains_key(&GearSlot::OffHand))
    {
        return Err(BuildError::new(
            "equipment.gear.two_handed",
            "a two-handed weapon replaces main_hand and off_hand",
        ));
    }
    if equipment.sigils.len() > 4 {
        return Err(BuildError::new(
            "equipment.sigils",
            "at most 4 sigils (2 per weapon set)",
        ));
    }
    if equipment.infusions.len() > 18 {
        return Err(BuildError::new(
            "equipment.infusions",
            "at most 18 infusions",
        ));
    }
    let opt = |v: &Option<String>, field: &str| -> Result<Option<String>, BuildError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Ok(Some(text(s, field, 1, 100)?)),
            None => Ok(None),
        }
    };
    Ok(Equipment {
        gear,
        runes: opt(&equipment.runes, "equipment.runes")?,
        sigils: text_list(&equipment.sigils, "equipment.sigils")?,
        relic: opt(&equipment.relic, "equipment.relic")?,
        infusions: text_list(&equipment.infusions, "equipment.infusions")?,
        food: opt(&equipment.food, "equipment.food")?,
        utility: opt(&equipment.utility, "equipment.utility")?,
    })
}

fn text(value: &str, field: &str, min: usize, max: usize) -> Result<String, BuildError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min {
        return Err(BuildError::new(field, "must not be empty"));
    }
    if n > max {
        return Err(BuildError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(BuildError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v.to_owned())
}

fn text_list(values: &[String], field: &str) -> Result<Vec<String>, BuildError> {
    if values.len() > MAX_LIST_ITEMS {
        return Err(BuildError::new(
            field,
            format!("at most {MAX_LIST_ITEMS} entries"),
        ));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, v)| text(v, &format!("{field}.{i}"), 1, 200))
        .collect()
}
