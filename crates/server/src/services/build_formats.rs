//! A build's other shapes: the game's build chat code (`[&DQ...]`) and a Snowcrows /
//! MetaBattle-style markdown guide page. JSON is the API's own shape.

use gw2::chatcode::{
    self, BuildSkills, LegendRef, LegendSlots, PaletteSkill, PetRef, PetSlots, ProfessionRef,
    SkillBar, SpecializationRef, TraitChoice, TraitPick,
};
use gw2::data::GameData;
use gw2::model::GearSlot;

use crate::error::{ApiError, ApiResult};
use crate::services::builds::{BuildCreate, BuildOut, Skills, TraitLine};

/// Encodes a (validated) build as the in-game build template link.
pub fn to_chat_code(build: &BuildCreate, data: &GameData) -> ApiResult<String> {
    let profession = data
        .profession(&build.profession)
        .ok_or_else(|| ApiError::validation("profession", "unknown profession"))?;
    let mut specializations: [Option<SpecializationRef>; 3] = [None, None, None];
    for (i, line) in build.trait_lines.iter().enumerate().take(3) {
        let spec = data
            .specialization_by_name(&line.specialization)
            .ok_or_else(|| {
                ApiError::validation(
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
    let code = chatcode::Build {
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
        .map_err(|e| ApiError::validation("build", format!("cannot encode as a chat code: {e}")))
}

/// Decodes a build template link into a build (name, mode and role come from the caller).
/// Bad codes are 422 naming what is wrong.
pub fn from_chat_code(
    code: &str,
    name: &str,
    game_mode: &str,
    role: &str,
    data: &GameData,
) -> ApiResult<BuildCreate> {
    let decoded = chatcode::decode(code, data)
        .map_err(|e| ApiError::validation("chat_code", e.to_string()))?;
    let profession = data
        .profession_by_code(decoded.profession.code)
        .ok_or_else(|| ApiError::validation("chat_code", "unknown profession code"))?;
    let mut trait_lines = Vec::new();
    let mut elite = None;
    for spec in decoded.specializations.iter().flatten() {
        let known = data
            .specialization_by_id(spec.id)
            .ok_or_else(|| ApiError::validation("chat_code", "unknown specialization"))?;
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
    Ok(BuildCreate {
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

/// A guide page in the layout build sites use: overview, traits, skills, gear table, usage.
pub fn to_markdown(out: &BuildOut, data: &GameData, chat_code: Option<&str>) -> String {
    let b = &out.build;
    let mut md = String::new();
    let title_spec = b.specialization.as_deref().unwrap_or(&b.profession);
    md.push_str(&format!("# {}\n\n", md_text(&b.name)));
    md.push_str(&format!(
        "**{title_spec}** ({}) · {} · {} · by {} · score {} ({} views)\n\n",
        b.profession,
        mode_label(&b.game_mode),
        b.role.replace('_', " "),
        md_text(&out.author),
        out.score,
        out.views
    ));
    if !b.tags.is_empty() {
        md.push_str(&format!(
            "Tags: {}\n\n",
            b.tags
                .iter()
                // Inside a code span HTML is shown, not rendered; only a backtick could
                // end the span early.
                .map(|t| format!("`{}`", t.replace('`', "'")))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    if let Some(code) = chat_code {
        md.push_str(&format!("## Build template\n\n```\n{code}\n```\n\n"));
    }
    md.push_str(
        "## Traits\n\n| Specialization | Adept | Master | Grandmaster |\n|---|---|---|---|\n",
    );
    for line in &b.trait_lines {
        let spec = data.specialization_by_name(&line.specialization);
        let cells: Vec<String> = line
            .traits
            .iter()
            .enumerate()
            .map(|(tier, &t)| {
                // "Name (position)" when the trait table names the pick.
                let name = spec
                    .filter(|_| t != 0)
                    .and_then(|s| s.major_traits.get(tier * 3 + usize::from(t) - 1))
                    .and_then(|id| data.trait_by_id(*id));
                match name {
                    Some(trait_) => format!("{} ({})", trait_.name, choice_label(t)),
                    None => choice_label(t).to_owned(),
                }
            })
            .collect();
        md.push_str(&format!(
            "| {} | {} |\n",
            line.specialization,
            cells.join(" | ")
        ));
    }
    md.push_str("\n## Skills\n\n| Slot | Skill | Palette id |\n|---|---|---|\n");
    let code = data.profession(&b.profession).map(|p| p.code);
    let legend = b.skills.legends.first().and_then(|l| data.legend(l));
    let skill = |s: Option<u16>| match s.filter(|p| *p != 0) {
        None => "— | —".to_owned(),
        Some(p) => {
            let name = code
                .and_then(|c| data.palette_skill(c, p, legend))
                .and_then(|id| data.skill(id))
                .and_then(|k| k.name.clone())
                .unwrap_or_else(|| "?".into());
            format!("{name} | {p}")
        }
    };
    md.push_str(&format!("| Heal | {} |\n", skill(b.skills.heal)));
    for (i, u) in b.skills.utilities.iter().enumerate() {
        md.push_str(&format!("| Utility {} | {} |\n", i + 1, skill(*u)));
    }
    md.push_str(&format!("| Elite | {} |\n", skill(b.skills.elite)));
    if !b.skills.legends.is_empty() {
        md.push_str(&format!("\nLegends: {}\n", b.skills.legends.join(", ")));
    }
    if !b.skills.pets.is_empty() {
        md.push_str(&format!("\nPets: {}\n", b.skills.pets.join(", ")));
    }
    md.push_str("\n## Gear\n\n| Slot | Stats |\n|---|---|\n");
    for slot in GearSlot::ALL {
        if let Some(prefix) = b.equipment.gear.get(slot) {
            md.push_str(&format!(
                "| {} | {} |\n",
                slot_label(*slot),
                md_cell(prefix)
            ));
        }
    }
    let e = &b.equipment;
    for (label, value) in [
        ("Runes", e.runes.clone()),
        ("Relic", e.relic.clone()),
        ("Food", e.food.clone()),
        ("Utility", e.utility.clone()),
    ] {
        if let Some(v) = value {
            md.push_str(&format!("| {label} | {} |\n", md_cell(&v)));
        }
    }
    if !e.sigils.is_empty() {
        md.push_str(&format!("| Sigils | {} |\n", md_cell(&e.sigils.join(", "))));
    }
    if !e.infusions.is_empty() {
        md.push_str(&format!(
            "| Infusions | {} |\n",
            md_cell(&e.infusions.join(", "))
        ));
    }
    let attrs = crate::services::builds::gear_attributes(&b.equipment, data);
    if !b.equipment.gear.is_empty() {
        md.push_str("\nAttributes from gear (level 80, ascended, before traits and boons): ");
        let parts: Vec<String> = attrs.iter().map(|(a, v)| format!("{a} {v}")).collect();
        md.push_str(&parts.join(", "));
        md.push('\n');
    }
    if let Some(desc) = &b.description {
        md.push_str(&format!(
            "\n## Usage and rotation notes\n\n{}\n",
            md_text(desc)
        ));
    }
    if !b.synergies.is_empty() {
        md.push_str(&format!(
            "\n## Synergies\n\n{}\n",
            b.synergies
                .iter()
                .map(|s| format!("- {}", md_text(s)))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if !b.counters.is_empty() {
        md.push_str(&format!(
            "\n## Counters\n\n{}\n",
            b.counters
                .iter()
                .map(|s| format!("- {}", md_text(s)))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    md
}

/// User text placed on the markdown page. Markdown renderers pass raw HTML through, so a
/// build named `<img src=x onerror=...>` would run in whoever views the page: `&`, `<` and
/// `>` are written as entities (rendered as the characters, never as markup). Markdown
/// itself (emphasis, lists in a description) is kept.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// [`md_text`] for a table cell, where a `|` would start a new column.
fn md_cell(text: &str) -> String {
    md_text(text).replace('|', "\\|")
}

fn choice_label(choice: u8) -> &'static str {
    match choice {
        1 => "top",
        2 => "middle",
        3 => "bottom",
        _ => "—",
    }
}

fn mode_label(mode: &str) -> String {
    match mode {
        "wvw" => "WvW".into(),
        "pve" => "PvE".into(),
        "pvp" => "PvP".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn slot_label(slot: GearSlot) -> &'static str {
    match slot {
        GearSlot::Helm => "Helm",
        GearSlot::Shoulders => "Shoulders",
        GearSlot::Coat => "Coat",
        GearSlot::Gloves => "Gloves",
        GearSlot::Leggings => "Leggings",
        GearSlot::Boots => "Boots",
        GearSlot::Amulet => "Amulet",
        GearSlot::Ring1 => "Ring 1",
        GearSlot::Ring2 => "Ring 2",
        GearSlot::Accessory1 => "Accessory 1",
        GearSlot::Accessory2 => "Accessory 2",
        GearSlot::Back => "Back",
        GearSlot::MainHand => "Main hand",
        GearSlot::OffHand => "Off hand",
        GearSlot::TwoHanded => "Two-handed",
    }
}
