//! Builds: validation against the game data, permissions, votes, views, and conversion to
//! and from the game's chat codes, JSON and Snowcrows-style markdown.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use gw2::data::{GameData, SkillSlot};
use gw2::model::{Attribute, GameMode, GearSlot, Role};
use optimizer::benchmark::{self, BenchmarkError, BuildSpec, DpsEstimate, TraitChoice};
use serde::{Deserialize, Serialize};
use store::builds::{self as repo, BuildData, BuildRow};
use store::users::User;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One specialization line: its name and the three major trait choices (adept, master,
/// grandmaster), each 0 = none, 1 = top, 2 = middle, 3 = bottom (the game's own encoding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TraitLine {
    pub specialization: String,
    pub traits: [u8; 3],
}

/// Skill bar as skill palette ids (the numbers build chat codes carry), plus profession
/// mechanics: revenant legends and ranger pets by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Skills {
    #[serde(default)]
    pub heal: Option<u16>,
    #[serde(default)]
    pub utilities: [Option<u16>; 3],
    #[serde(default)]
    pub elite: Option<u16>,
    /// Revenant: up to two legends (e.g. "Legendary Dragon Stance").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legends: Vec<String>,
    /// Ranger: up to two pets by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pets: Vec<String>,
}

/// Gear: a stat prefix per slot (any of the 14 slots, `two_handed` instead of main/off hand),
/// and the rest of the equipment by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Equipment {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub gear: BTreeMap<GearSlot, String>,
    #[serde(default)]
    pub runes: Option<String>,
    #[serde(default)]
    pub sigils: Vec<String>,
    #[serde(default)]
    pub relic: Option<String>,
    #[serde(default)]
    pub infusions: Vec<String>,
    #[serde(default)]
    pub food: Option<String>,
    #[serde(default)]
    pub utility: Option<String>,
}

fn default_true() -> bool {
    true
}

/// A build as sent by clients (create, replace, import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BuildCreate {
    pub name: String,
    pub profession: String,
    #[serde(default)]
    pub specialization: Option<String>,
    /// pve | raid | fractals | strikes | wvw | pvp
    pub game_mode: String,
    /// dps | boon_dps | support | healer | tank | utility
    pub role: String,
    #[serde(default)]
    pub trait_lines: Vec<TraitLine>,
    #[serde(default)]
    pub skills: Skills,
    #[serde(default)]
    pub equipment: Equipment,
    #[serde(default)]
    pub synergies: Vec<String>,
    #[serde(default)]
    pub counters: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default = "default_true")]
    pub is_public: bool,
}

/// Partial update: absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BuildUpdate {
    pub name: Option<String>,
    pub profession: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub specialization: Option<Option<String>>,
    pub game_mode: Option<String>,
    pub role: Option<String>,
    pub trait_lines: Option<Vec<TraitLine>>,
    pub skills: Option<Skills>,
    pub equipment: Option<Equipment>,
    pub synergies: Option<Vec<String>>,
    pub counters: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub is_public: Option<bool>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BuildOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub author: String,
    #[serde(flatten)]
    pub build: BuildCreate,
    pub upvotes: i32,
    pub downvotes: i32,
    /// upvotes − downvotes
    pub score: i32,
    pub views: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl BuildOut {
    pub fn from_row(row: BuildRow) -> ApiResult<Self> {
        let corrupt = |field: &str, e: serde_json::Error| {
            ApiError::internal(format!(
                "stored build {} has a corrupt {field}: {e}",
                row.id
            ))
        };
        let build = BuildCreate {
            trait_lines: serde_json::from_str(&row.trait_lines)
                .map_err(|e| corrupt("trait_lines", e))?,
            skills: serde_json::from_str(&row.skills).map_err(|e| corrupt("skills", e))?,
            equipment: serde_json::from_str(&row.equipment).map_err(|e| corrupt("equipment", e))?,
            synergies: serde_json::from_str(&row.synergies).map_err(|e| corrupt("synergies", e))?,
            counters: serde_json::from_str(&row.counters).map_err(|e| corrupt("counters", e))?,
            tags: serde_json::from_str(&row.tags).map_err(|e| corrupt("tags", e))?,
            name: row.name,
            profession: row.profession,
            specialization: row.specialization,
            game_mode: row.game_mode,
            role: row.role,
            description: row.description,
            is_public: row.is_public,
        };
        Ok(Self {
            id: row.id,
            user_id: row.user_id,
            author: row.author,
            build,
            upvotes: row.upvotes,
            downvotes: row.downvotes,
            score: row.upvotes - row.downvotes,
            views: row.views,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const MAX_TAGS: usize = 20;
const MAX_LIST_ITEMS: usize = 30;

/// Checks every field against the game data and returns the canonical form (names as the
/// game spells them, enums in their API spelling, tags lowercase and unique).
pub fn validate(input: BuildCreate, data: &GameData) -> ApiResult<BuildCreate> {
    validate_with(input, data, true)
}

/// [`validate`], with the skill bar's palette checks only when `check_skills`: an edit that
/// leaves the skills as they were keeps working on builds saved before those checks existed.
fn validate_with(
    input: BuildCreate,
    data: &GameData,
    check_skills: bool,
) -> ApiResult<BuildCreate> {
    let name = text(&input.name, "name", 1, 100)?;
    let profession = data.profession(input.profession.trim()).ok_or_else(|| {
        ApiError::validation(
            "profession",
            format!("unknown profession {:?}", input.profession),
        )
    })?;
    let game_mode: GameMode =
        input
            .game_mode
            .parse()
            .map_err(|e: gw2::model::ParseEnumError| {
                ApiError::validation("game_mode", e.to_string())
            })?;
    let role: Role = input
        .role
        .parse()
        .map_err(|e: gw2::model::ParseEnumError| ApiError::validation("role", e.to_string()))?;
    let spec_of = |field: &str, name: &str| -> ApiResult<&gw2::data::Specialization> {
        let spec = data.specialization_by_name(name.trim()).ok_or_else(|| {
            ApiError::validation(field, format!("unknown specialization {name:?}"))
        })?;
        if spec.profession != profession.id {
            return Err(ApiError::validation(
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
        return Err(ApiError::validation(
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
            return Err(ApiError::validation(
                field,
                format!("{} appears twice", spec.name),
            ));
        }
        if spec.elite && i != 2 {
            return Err(ApiError::validation(
                field,
                "an elite specialization goes in the third line",
            ));
        }
        if let Some(bad) = line.traits.iter().position(|t| *t > 3) {
            return Err(ApiError::validation(
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
            return Err(ApiError::validation(
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
        return Err(ApiError::validation(
            "tags",
            format!("at most {MAX_TAGS} tags"),
        ));
    }
    Ok(BuildCreate {
        name,
        profession: profession.name.clone(),
        specialization,
        game_mode: game_mode.as_str().to_owned(),
        role: role.as_str().to_owned(),
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
    profession: &gw2::data::Profession,
    elite_spec: Option<u16>,
    check_palette: bool,
    data: &GameData,
) -> ApiResult<Skills> {
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
                    ApiError::validation(
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
                return Err(ApiError::validation(
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
                    return Err(ApiError::validation(
                        field,
                        format!("{name} needs the {spec} specialization"),
                    ));
                }
            }
        }
    }
    if !skills.legends.is_empty() && !profession.has_legends() {
        return Err(ApiError::validation(
            "skills.legends",
            "only revenants have legends",
        ));
    }
    if !skills.pets.is_empty() && !profession.has_pets() {
        return Err(ApiError::validation(
            "skills.pets",
            "only rangers have pets",
        ));
    }
    if skills.legends.len() > 2 || skills.pets.len() > 2 {
        return Err(ApiError::validation(
            "skills",
            "at most 2 legends and 2 pets",
        ));
    }
    let mut legends = Vec::new();
    for (i, l) in skills.legends.iter().enumerate() {
        let legend = data.legend(l.trim()).ok_or_else(|| {
            ApiError::validation(
                format!("skills.legends.{i}"),
                format!("unknown legend {l:?}"),
            )
        })?;
        legends.push(legend.name.clone());
    }
    let mut pets = Vec::new();
    for (i, p) in skills.pets.iter().enumerate() {
        let pet = data.pet_by_name(p.trim()).ok_or_else(|| {
            ApiError::validation(format!("skills.pets.{i}"), format!("unknown pet {p:?}"))
        })?;
        pets.push(pet.name.clone());
    }
    Ok(Skills {
        legends,
        pets,
        ..skills.clone()
    })
}

fn validate_equipment(equipment: &Equipment, data: &GameData) -> ApiResult<Equipment> {
    let mut gear = BTreeMap::new();
    for (slot, prefix) in &equipment.gear {
        let stat = data.itemstat_by_name(prefix.trim()).ok_or_else(|| {
            ApiError::validation(
                format!("equipment.gear.{slot}"),
                format!("unknown stat prefix {prefix:?}"),
            )
        })?;
        gear.insert(*slot, stat.name.clone());
    }
    if gear.contains_key(&GearSlot::TwoHanded)
        && (gear.contains_key(&GearSlot::MainHand) || gear.contains_key(&GearSlot::OffHand))
    {
        return Err(ApiError::validation(
            "equipment.gear.two_handed",
            "a two-handed weapon replaces main_hand and off_hand",
        ));
    }
    if equipment.sigils.len() > 4 {
        return Err(ApiError::validation(
            "equipment.sigils",
            "at most 4 sigils (2 per weapon set)",
        ));
    }
    if equipment.infusions.len() > 18 {
        return Err(ApiError::validation(
            "equipment.infusions",
            "at most 18 infusions",
        ));
    }
    let opt = |v: &Option<String>, field: &str| -> ApiResult<Option<String>> {
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

fn text(value: &str, field: &str, min: usize, max: usize) -> ApiResult<String> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min {
        return Err(ApiError::validation(field, "must not be empty"));
    }
    if n > max {
        return Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ApiError::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v.to_owned())
}

fn text_list(values: &[String], field: &str) -> ApiResult<Vec<String>> {
    if values.len() > MAX_LIST_ITEMS {
        return Err(ApiError::validation(
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

fn to_data(build: &BuildCreate) -> ApiResult<BuildData> {
    fn json<T: Serialize>(value: &T) -> ApiResult<String> {
        serde_json::to_string(value).map_err(ApiError::internal)
    }
    Ok(BuildData {
        name: build.name.clone(),
        profession: build.profession.clone(),
        specialization: build.specialization.clone(),
        game_mode: build.game_mode.clone(),
        role: build.role.clone(),
        trait_lines: json(&build.trait_lines)?,
        skills: json(&build.skills)?,
        equipment: json(&build.equipment)?,
        synergies: json(&build.synergies)?,
        counters: json(&build.counters)?,
        description: build.description.clone(),
        tags: build.tags.clone(),
        is_public: build.is_public,
    })
}

pub async fn create(state: &AppState, user: &User, input: BuildCreate) -> ApiResult<BuildOut> {
    let build = validate(input, GameData::embedded())?;
    let id = repo::create(&state.db, user.id, &to_data(&build)?, state.clock.now()).await?;
    state.hot.build_changed(id).await;
    fetch(state, id).await
}

async fn fetch(state: &AppState, id: Uuid) -> ApiResult<BuildOut> {
    let shared = fetch_shared(state, id).await?;
    Ok(BuildOut::clone(&shared))
}

/// The build from the hot cache, or from the database (then cached). Its `views` are the
/// stored count; add [`crate::services::views::ViewCounter::pending`] for the live one.
async fn fetch_shared(state: &AppState, id: Uuid) -> ApiResult<std::sync::Arc<BuildOut>> {
    if let Some(build) = state.hot.build(id) {
        return Ok(build);
    }
    let row = repo::by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("build"))?;
    let build = std::sync::Arc::new(BuildOut::from_row(row)?);
    state.hot.put_build(build.clone());
    Ok(build)
}

/// The build if `owner` wrote it (whether public or not); `None` otherwise or when unknown.
pub async fn fetch_owned_by(
    state: &AppState,
    id: Uuid,
    owner: Uuid,
) -> ApiResult<Option<BuildOut>> {
    match fetch(state, id).await {
        Ok(b) if b.user_id == owner => Ok(Some(b)),
        Ok(_) | Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The build if `viewer` may see it: public, or private and theirs (superusers see all).
/// A private build of someone else is 403, as the seed does; an unknown id is 404.
pub async fn get_visible(state: &AppState, id: Uuid, viewer: Option<&User>) -> ApiResult<BuildOut> {
    let build = fetch(state, id).await?;
    if !build.build.is_public && !viewer.is_some_and(|v| v.id == build.user_id || v.is_superuser) {
        return Err(ApiError::Forbidden("this build is private".into()));
    }
    Ok(build)
}

/// `get_visible` and, when the viewer is not the owner, one more view unless this viewer (the
/// account, or the client address `ip` of an anonymous viewer) was counted within the view
/// window. Views are batched (see `services::views`): the answer shows the stored count plus
/// the views this instance has not written yet, this one included.
pub async fn view(
    state: &AppState,
    id: Uuid,
    viewer: Option<&User>,
    ip: Option<std::net::IpAddr>,
) -> ApiResult<BuildOut> {
    let shared = fetch_shared(state, id).await?;
    if !shared.build.is_public && !viewer.is_some_and(|v| v.id == shared.user_id || v.is_superuser)
    {
        return Err(ApiError::Forbidden("this build is private".into()));
    }
    let pending = if viewer.is_none_or(|v| v.id != shared.user_id) {
        let who = state.views.viewer(viewer.map(|v| v.id), ip);
        state.views.record(id, who)
    } else {
        state.views.pending(id)
    };
    let mut build = BuildOut::clone(&shared);
    build.views += pending;
    Ok(build)
}

async fn owned(state: &AppState, id: Uuid, user: &User) -> ApiResult<BuildOut> {
    let build = fetch(state, id).await?;
    if build.user_id != user.id && !user.is_superuser {
        return Err(ApiError::Forbidden(if build.build.is_public {
            "only the author can change this build".into()
        } else {
            "this build is private".into()
        }));
    }
    Ok(build)
}

pub async fn replace(
    state: &AppState,
    id: Uuid,
    user: &User,
    input: BuildCreate,
) -> ApiResult<BuildOut> {
    let before = owned(state, id, user).await?.build;
    let skills_changed = input.skills != before.skills;
    let build = validate_with(input, GameData::embedded(), skills_changed)?;
    let updated = repo::update(&state.db, id, &to_data(&build)?, state.clock.now()).await?;
    state.hot.build_changed(id).await;
    if !updated {
        return Err(ApiError::not_found("build"));
    }
    // Teams on this build re-add their totals in the background (the edit answers at once,
    // and a popular build may be in many teams), when the edit touches what they add up.
    if changes_team_totals(&before, &build) {
        state.team_scores.schedule(id);
    }
    fetch(state, id).await
}

/// Whether an edit changes what a team's totals read of the build: its class, role, mode,
/// traits, equipment, or who may see it (a private build drops out of others' teams).
fn changes_team_totals(before: &BuildCreate, after: &BuildCreate) -> bool {
    before.profession != after.profession
        || before.specialization != after.specialization
        || before.role != after.role
        || before.game_mode != after.game_mode
        || before.trait_lines != after.trait_lines
        || before.equipment != after.equipment
        || before.is_public != after.is_public
}

pub async fn patch(
    state: &AppState,
    id: Uuid,
    user: &User,
    input: BuildUpdate,
) -> ApiResult<BuildOut> {
    let current = owned(state, id, user).await?.build;
    let merged = BuildCreate {
        name: input.name.unwrap_or(current.name),
        profession: input.profession.unwrap_or(current.profession),
        specialization: input.specialization.unwrap_or(current.specialization),
        game_mode: input.game_mode.unwrap_or(current.game_mode),
        role: input.role.unwrap_or(current.role),
        trait_lines: input.trait_lines.unwrap_or(current.trait_lines),
        skills: input.skills.unwrap_or(current.skills),
        equipment: input.equipment.unwrap_or(current.equipment),
        synergies: input.synergies.unwrap_or(current.synergies),
        counters: input.counters.unwrap_or(current.counters),
        description: input.description.unwrap_or(current.description),
        tags: input.tags.unwrap_or(current.tags),
        is_public: input.is_public.unwrap_or(current.is_public),
    };
    replace(state, id, user, merged).await
}

/// Deleting a build that teams still use is refused (409, naming the teams), so a squad
/// never silently loses a member.
pub async fn delete(state: &AppState, id: Uuid, user: &User) -> ApiResult<()> {
    owned(state, id, user).await?;
    let teams = store::teams::using_build(&state.db, id).await?;
    if !teams.is_empty() {
        let names: Vec<String> = teams
            .iter()
            .map(|(id, name)| format!("{name} ({id})"))
            .collect();
        return Err(ApiError::Conflict(format!(
            "this build is used by team(s): {}; remove it from them first",
            names.join(", ")
        )));
    }
    let deleted = repo::delete(&state.db, id).await?;
    state.hot.build_changed(id).await;
    if !deleted {
        return Err(ApiError::not_found("build"));
    }
    Ok(())
}

pub async fn vote(state: &AppState, id: Uuid, user: &User, value: i32) -> ApiResult<(i32, i32)> {
    if !matches!(value, -1..=1) {
        return Err(ApiError::validation(
            "value",
            "must be 1 (up), -1 (down) or 0 (withdraw)",
        ));
    }
    let build = get_visible(state, id, Some(user)).await?;
    if build.user_id == user.id {
        return Err(ApiError::Forbidden(
            "authors cannot vote on their own build".into(),
        ));
    }
    let counts = repo::vote(&state.db, id, user.id, value, state.clock.now()).await?;
    state.hot.build_changed(id).await;
    Ok(counts)
}

/// Attribute totals of a build's gear at level 80: base 1000 in Power, Precision, Toughness
/// and Vitality plus the ascended per-slot values of each slot's prefix.
pub fn gear_attributes(equipment: &Equipment, data: &GameData) -> BTreeMap<Attribute, u32> {
    let mut totals: BTreeMap<Attribute, u32> = BTreeMap::new();
    for base in [
        Attribute::Power,
        Attribute::Precision,
        Attribute::Toughness,
        Attribute::Vitality,
    ] {
        totals.insert(base, 1000);
    }
    for (slot, prefix) in &equipment.gear {
        if let Some(values) = data
            .itemstat_by_name(prefix)
            .and_then(|s| s.ascended.get(slot))
        {
            for (attribute, value) in values {
                *totals.entry(*attribute).or_default() += value;
            }
        }
    }
    totals
}

/// What the DPS estimate reads of a build, playing `role` (a team slot's role override) or
/// its own role.
pub fn dps_spec(build: &BuildCreate, role: Option<&str>) -> ApiResult<BuildSpec> {
    let role: Role = role
        .unwrap_or(&build.role)
        .parse()
        .map_err(|e: gw2::model::ParseEnumError| ApiError::validation("role", e.to_string()))?;
    let game_mode: GameMode =
        build
            .game_mode
            .parse()
            .map_err(|e: gw2::model::ParseEnumError| {
                ApiError::validation("game_mode", e.to_string())
            })?;
    let e = &build.equipment;
    Ok(BuildSpec {
        profession: build.profession.clone(),
        specialization: build.specialization.clone(),
        role,
        game_mode,
        trait_lines: build
            .trait_lines
            .iter()
            .map(|l| TraitChoice {
                specialization: l.specialization.clone(),
                choices: l.traits,
            })
            .collect(),
        gear: e.gear.clone(),
        runes: e.runes.clone(),
        sigils: e.sigils.clone(),
        relic: e.relic.clone(),
        food: e.food.clone(),
        utility: e.utility.clone(),
        infusions: e.infusions.clone(),
    })
}

/// The build's DPS under its specialization's benchmark rotation (CPU work: call it from a
/// blocking task). A build the benchmarks cannot score is a 422 saying why.
pub fn estimate_dps(build: &BuildCreate, role: Option<&str>) -> ApiResult<DpsEstimate> {
    let spec = dps_spec(build, role)?;
    benchmark::estimate(&spec).map_err(|e| match e {
        BenchmarkError::Data(detail) => ApiError::internal(detail),
        BenchmarkError::NoBenchmark(_) => ApiError::validation("specialization", e.to_string()),
        BenchmarkError::UnknownProfession(_) => ApiError::validation("profession", e.to_string()),
        other => ApiError::validation("equipment", other.to_string()),
    })
}
