//! A build as a Snowcrows / MetaBattle-style markdown guide page, and that page read back.
//!
//! The page is for people (a forum post, a guild wiki), so the reader accepts exactly the
//! layout [`Build::to_markdown`] writes: the header line, the trait, skill and gear tables and
//! the text sections. User text is written with `&`, `<`, `>` as entities (and `|` escaped in
//! table cells) and read back unescaped.

use crate::data::GameData;
use crate::model::{GameMode, GearSlot};

use super::{Build, BuildDraft, BuildError, Equipment, Skills, TraitLine};

/// What a guide page shows besides the build itself: who wrote it and how it was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo<'a> {
    pub author: &'a str,
    /// Upvotes − downvotes.
    pub score: i32,
    pub views: i64,
}

impl Build {
    /// A guide page in the layout build sites use: overview, traits, skills, gear table, usage.
    /// [`BuildDraft::from_markdown`] reads it back.
    pub fn to_markdown(
        &self,
        page: &PageInfo<'_>,
        data: &GameData,
        chat_code: Option<&str>,
    ) -> String {
        let b = self;
        let mut md = String::new();
        let title_spec = b.specialization.as_deref().unwrap_or(&b.profession);
        md.push_str(&format!("# {}\n\n", md_text(&b.name)));
        md.push_str(&format!(
            "**{title_spec}** ({}) · {} · {} · by {} · score {} ({} views)\n\n",
            b.profession,
            mode_label(b.game_mode),
            b.role.as_str().replace('_', " "),
            md_text(page.author),
            page.score,
            page.views
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
        let attrs = b.equipment.attributes(data);
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

fn mode_label(mode: GameMode) -> String {
    match mode.as_str() {
        "wvw" => "WvW".into(),
        "wvw_zerg" => "WvW zerg".into(),
        "wvw_guild_raid" => "WvW guild raid".into(),
        "wvw_outnumbered" => "WvW outnumbered".into(),
        "wvw_roaming" => "WvW roaming".into(),
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

impl BuildDraft {
    /// Reads back a page written by [`Build::to_markdown`]. What the page does not show (who
    /// may see the build) comes out as the default: public. The draft still has to be
    /// validated; a page that is not in that layout is an error on `markdown` naming the
    /// line or section that could not be read.
    pub fn from_markdown(page: &str) -> Result<BuildDraft, BuildError> {
        let bad = |what: String| BuildError::new("markdown", what);
        let page = page.replace("\r\n", "\n");
        let mut lines = page.lines();
        let name = lines
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .ok_or_else(|| bad("the page must start with `# ` and the build's name".into()))?;
        let header = lines.find(|l| !l.trim().is_empty()).ok_or_else(|| {
            bad("the header line (`**Specialization** (Profession) · ...`) is missing".into())
        })?;
        let (title, rest) = header
            .strip_prefix("**")
            .and_then(|h| h.split_once("** ("))
            .ok_or_else(|| bad(format!("unreadable header line {header:?}")))?;
        let (profession, rest) = rest
            .split_once(") · ")
            .ok_or_else(|| bad(format!("unreadable header line {header:?}")))?;
        let mut parts = rest.split(" · ");
        let game_mode = parts.next().unwrap_or_default().to_owned();
        let role = parts.next().unwrap_or_default().replace(' ', "_");
        let tags = page
            .lines()
            .find_map(|l| l.strip_prefix("Tags: "))
            // `a` `b c`: the odd pieces between backticks.
            .map(|t| t.split('`').skip(1).step_by(2).map(str::to_owned).collect())
            .unwrap_or_default();

        let mut trait_lines = Vec::new();
        for row in table_rows(&page, "## Traits") {
            let [spec, cells @ ..] = row.as_slice() else {
                continue;
            };
            let mut traits = [0u8; 3];
            for (tier, cell) in cells.iter().take(3).enumerate() {
                let label = cell
                    .rsplit_once(" (")
                    .map_or(cell.as_str(), |(_, l)| l.trim_end_matches(')'));
                traits[tier] = match label {
                    "top" => 1,
                    "middle" => 2,
                    "bottom" => 3,
                    _ => 0,
                };
            }
            trait_lines.push(TraitLine {
                specialization: spec.clone(),
                traits,
            });
        }

        let mut skills = Skills::default();
        for row in table_rows(&page, "## Skills") {
            let [slot, _name, palette] = row.as_slice() else {
                continue;
            };
            let palette = match palette.as_str() {
                "—" => None,
                p => Some(p.parse::<u16>().map_err(|_| {
                    bad(format!(
                        "skill slot {slot}: palette id {p:?} is not a number"
                    ))
                })?),
            };
            match slot.as_str() {
                "Heal" => skills.heal = palette,
                "Elite" => skills.elite = palette,
                other => {
                    let index = other
                        .strip_prefix("Utility ")
                        .and_then(|i| i.parse::<usize>().ok())
                        .filter(|i| (1..=3).contains(i))
                        .ok_or_else(|| bad(format!("unknown skill slot {other:?}")))?;
                    skills.utilities[index - 1] = palette;
                }
            }
        }
        let list = |prefix: &str| -> Vec<String> {
            page.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .map(|v| v.split(", ").map(str::to_owned).collect())
                .unwrap_or_default()
        };
        skills.legends = list("Legends: ");
        skills.pets = list("Pets: ");

        let mut equipment = Equipment::default();
        for row in table_rows(&page, "## Gear") {
            let [label, value] = row.as_slice() else {
                continue;
            };
            let many = || value.split(", ").map(str::to_owned).collect::<Vec<_>>();
            match label.as_str() {
                "Runes" => equipment.runes = Some(value.clone()),
                "Relic" => equipment.relic = Some(value.clone()),
                "Food" => equipment.food = Some(value.clone()),
                "Utility" => equipment.utility = Some(value.clone()),
                "Sigils" => equipment.sigils = many(),
                "Infusions" => equipment.infusions = many(),
                other => {
                    let slot = GearSlot::ALL
                        .iter()
                        .find(|s| slot_label(**s) == other)
                        .ok_or_else(|| bad(format!("unknown gear row {other:?}")))?;
                    equipment.gear.insert(*slot, value.clone());
                }
            }
        }

        let description = section(&page, "## Usage and rotation notes").map(|d| unescape(&d));
        let items = |heading: &str| -> Vec<String> {
            section(&page, heading)
                .map(|s| {
                    s.lines()
                        .filter_map(|l| l.strip_prefix("- "))
                        .map(unescape)
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(BuildDraft {
            name: unescape(name),
            specialization: (title != profession).then(|| title.to_owned()),
            profession: profession.to_owned(),
            game_mode,
            role,
            trait_lines,
            skills,
            equipment,
            synergies: items("## Synergies"),
            counters: items("## Counters"),
            description,
            tags,
            is_public: true,
        })
    }
}

/// The cells of the table under `heading` (header and separator rows skipped), unescaped.
fn table_rows(page: &str, heading: &str) -> Vec<Vec<String>> {
    let Some(start) = page.find(&format!("\n{heading}\n")) else {
        return Vec::new();
    };
    page[start + heading.len() + 2..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            // Split on `|` not escaped as `\|`.
            let inner = row.trim().trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'|') => {
                        cell.push('|');
                        chars.next();
                    }
                    '|' => cells.push(std::mem::take(&mut cell)),
                    c => cell.push(c),
                }
            }
            cells.push(cell);
            cells.iter().map(|c| unescape(c.trim())).collect()
        })
        .collect()
}

/// The text of the section under `heading`, up to the next section this page writes after it.
fn section(page: &str, heading: &str) -> Option<String> {
    let start = page.find(&format!("\n{heading}\n\n"))? + heading.len() + 3;
    let body = &page[start..];
    let end = ["\n\n## Synergies\n\n", "\n\n## Counters\n\n"]
        .iter()
        .filter(|next| !next.contains(heading))
        .filter_map(|next| body.find(next))
        .min()
        .unwrap_or(body.trim_end_matches('\n').len());
    Some(body[..end].to_owned())
}

/// The inverse of [`md_text`].
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
