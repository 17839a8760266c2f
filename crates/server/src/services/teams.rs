//! Team compositions: squads of parties of 5 (up to 50 players), whose totals are computed
//! from their builds, and their synergy analysis by the squad engine.

use gw2::build::Build;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use gw2::data::GameData;
use gw2::model::{Attribute, GameMode};
use optimizer::squad::{self, BuildOption, Requirements, Team, TeamMember, TeamParty};
use serde::{Deserialize, Serialize};
use store::teams::{self as repo, SlotData, TeamData};
use store::users::User;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::hot::HotCaches;
use crate::services::builds::BuildOut;
use crate::services::builds::Builds;
use crate::services::can_read;
use crate::services::team_scores::TeamScores;
use store::Db;

pub const MAX_SLOTS: usize = 50;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotIn {
    pub build_id: Option<Uuid>,
    /// 1..=10
    pub party: i32,
    /// 1..=5 within the party
    pub position: i32,
    pub player_name: Option<String>,
    pub role_override: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TeamCreate {
    pub name: String,
    pub game_mode: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub is_public: bool,
    #[serde(default)]
    pub slots: Vec<SlotIn>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotOut {
    pub id: Uuid,
    pub build_id: Option<Uuid>,
    pub party: i32,
    pub position: i32,
    pub player_name: Option<String>,
    pub role_override: Option<String>,
    /// The build's DPS on the golem, playing this slot's role: its own gear and traits under
    /// its specialization's benchmark rotation (`GET /builds/{id}/dps` shows the details).
    pub estimated_dps: Option<f64>,
    /// The benchmark the estimate used (`"Power Berserker GS A/A (pbers)"`), or why the slot
    /// has none (`"no benchmark rotation for Warrior"`).
    pub dps_basis: Option<String>,
    /// The slot's build, inlined when the caller may see it.
    pub build: Option<BuildOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub author: String,
    pub name: String,
    pub game_mode: String,
    pub description: Option<String>,
    pub is_public: bool,
    /// Sum of the slots' `estimated_dps` (slots without an estimate say why in `dps_basis`);
    /// computed when the team is saved, and again when one of its builds changes.
    pub total_dps: Option<f64>,
    /// Sum of the builds' Healing Power from their gear.
    pub total_healing: Option<f64>,
    /// Sum of the builds' Toughness (base 1000 + gear).
    pub total_toughness: Option<f64>,
    pub slots: Vec<SlotOut>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A slot's build and the role it plays there (its role override, if any).
struct SlotBuild {
    id: Uuid,
    /// The build's `updated_at` in microseconds (as stored): its version, for the score cache.
    version: i64,
    build: Build,
    role: Option<String>,
}

/// What a team's builds add up to, and each slot's DPS estimate (or why it has none).
struct Totals {
    dps: Option<f64>,
    healing: Option<f64>,
    toughness: Option<f64>,
    slots: Vec<(Option<f64>, Option<String>)>,
}

/// The requirement template of a game mode.
pub fn requirements_for(game_mode: &str) -> ApiResult<Requirements> {
    let name = match game_mode {
        "wvw" | "wvw_zerg" | "pvp" => "wvw_zerg",
        "wvw_guild_raid" => "wvw_guild_raid",
        "wvw_outnumbered" => "wvw_outnumbered",
        "wvw_roaming" => "wvw_roam",
        "raid" => "raid",
        "strikes" => "strike",
        _ => "fractal",
    };
    Requirements::template(name).map_err(ApiError::internal)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SynergyOut {
    /// Which engine answered.
    pub engine: String,
    #[schema(value_type = Object)]
    pub report: squad::SynergyReport,
}

/// The squad engine's member for a slot with a build: the player's name (or the slot's
/// place), the build as its one option, and the slot's role (its override, else the build's).
pub fn member_of(slot: &SlotOut) -> Option<TeamMember> {
    let b = &slot.build.as_ref()?.build;
    Some(TeamMember {
        player: slot
            .player_name
            .clone()
            .unwrap_or_else(|| format!("party {} slot {}", slot.party, slot.position)),
        build: BuildOption {
            build: b.name.clone(),
            profession: b.profession.clone(),
            specialization: b
                .specialization
                .clone()
                .unwrap_or_else(|| b.profession.clone()),
            role: slot
                .role_override
                .clone()
                .unwrap_or_else(|| b.role.as_str().to_owned()),
            profile: None,
            preference: 0.0,
        },
        alternatives: Vec::new(),
    })
}

/// Coverage, gaps, overlaps and suggestions per party, from the squad engine.
pub fn synergy(team: &TeamOut) -> ApiResult<SynergyOut> {
    let requirements = requirements_for(&team.game_mode)?;
    let mut parties: BTreeMap<i32, TeamParty> = BTreeMap::new();
    for slot in &team.slots {
        if let Some(member) = member_of(slot) {
            parties.entry(slot.party).or_default().members.push(member);
        }
    }
    let report = squad::analyze(
        &Team {
            parties: parties.into_values().collect(),
        },
        &requirements,
    );
    Ok(SynergyOut {
        engine: "optimizer::squad (rule-based support profiles)".into(),
        report,
    })
}

/// The teams service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Teams {
    pub(crate) db: Db,
    pub(crate) hot: HotCaches,
    /// Slots read their builds through it (visibility, caching).
    pub(crate) builds: Builds,
    /// Slot DPS estimates, cached.
    pub(crate) team_scores: TeamScores,
    pub(crate) clock: Clock,
    /// Deletions are audited.
    pub(crate) audit: crate::services::audit::Audit,
}

impl Teams {
    /// Checks the slots (≤ 50, ≤ 5 per party, each place once, builds visible to `user`) and
    /// computes the totals from the builds.
    async fn prepare(
        &self,
        user: &User,
        input: &TeamCreate,
    ) -> ApiResult<(TeamData, Vec<SlotData>)> {
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::validation("name", "must be 1 to 100 characters"));
        }
        let game_mode: GameMode = crate::error::parse_named("game_mode", &input.game_mode)?;
        if input.slots.len() > MAX_SLOTS {
            return Err(ApiError::validation(
                "slots",
                format!("a squad has at most {MAX_SLOTS} slots"),
            ));
        }
        let mut places = BTreeSet::new();
        let mut per_party: BTreeMap<i32, usize> = BTreeMap::new();
        let mut slots = Vec::new();
        // Per slot: its build (when it has one) with the role it plays, for the totals.
        let mut slot_builds: Vec<Option<Result<SlotBuild, String>>> = Vec::new();
        for (i, slot) in input.slots.iter().enumerate() {
            if !(1..=10).contains(&slot.party) {
                return Err(ApiError::validation(
                    format!("slots.{i}.party"),
                    "must be 1 to 10",
                ));
            }
            if !(1..=5).contains(&slot.position) {
                return Err(ApiError::validation(
                    format!("slots.{i}.position"),
                    "must be 1 to 5",
                ));
            }
            if !places.insert((slot.party, slot.position)) {
                return Err(ApiError::validation(
                    format!("slots.{i}.position"),
                    format!(
                        "party {} position {} is taken twice",
                        slot.party, slot.position
                    ),
                ));
            }
            let count = per_party.entry(slot.party).or_default();
            *count += 1;
            if *count > 5 {
                return Err(ApiError::validation(
                    format!("slots.{i}.party"),
                    "a party has at most 5 members",
                ));
            }
            if let Some(build_id) = slot.build_id {
                let build = self
                    .builds
                    .get_visible(build_id, Some(user))
                    .await
                    .map_err(|e| match e {
                        ApiError::NotFound(_) | ApiError::Forbidden(_) => ApiError::validation(
                            format!("slots.{i}.build_id"),
                            "no such build, or it is private",
                        ),
                        other => other,
                    })?;
                slot_builds.push(Some(Ok(SlotBuild {
                    id: build_id,
                    version: build.updated_at.timestamp_micros(),
                    build: build.build,
                    role: None,
                })));
            } else {
                slot_builds.push(None);
            }
            let clean = |v: &Option<String>, field: &str| -> ApiResult<Option<String>> {
                match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(s) if s.chars().count() > 60 => Err(ApiError::validation(
                        format!("slots.{i}.{field}"),
                        "must be at most 60 characters",
                    )),
                    Some(s) => Ok(Some(s.to_owned())),
                    None => Ok(None),
                }
            };
            let role_override = match clean(&slot.role_override, "role_override")? {
                Some(r) => Some(
                    r.parse::<gw2::model::Role>()
                        .map_err(|e| {
                            ApiError::validation(format!("slots.{i}.role_override"), e.to_string())
                        })?
                        .as_str()
                        .to_owned(),
                ),
                None => None,
            };
            if let Some(Some(Ok(sb))) = slot_builds.last_mut() {
                sb.role = role_override.clone();
            }
            slots.push(SlotData {
                build_id: slot.build_id,
                party: slot.party,
                position: slot.position,
                player_name: clean(&slot.player_name, "player_name")?,
                role_override,
                estimated_dps: None,
                dps_basis: None,
            });
        }
        let totals = self.totals(slot_builds).await?;
        for (slot, (dps, basis)) in slots.iter_mut().zip(totals.slots) {
            slot.estimated_dps = dps;
            slot.dps_basis = basis;
        }
        let team = TeamData {
            name: name.to_owned(),
            game_mode: game_mode.as_str().to_owned(),
            description: input
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            is_public: input.is_public,
            total_dps: totals.dps,
            total_healing: totals.healing,
            total_toughness: totals.toughness,
        };
        Ok((team, slots))
    }

    /// The totals of a team whose slots hold `slot_builds` (in slot order: `None` for an empty
    /// slot, `Err(reason)` for a build that does not count). Healing and toughness come from the
    /// gear; DPS from `optimizer::benchmark` through the score cache, on the blocking pool.
    async fn totals(
        &self,
        slot_builds: Vec<Option<Result<SlotBuild, String>>>,
    ) -> ApiResult<Totals> {
        let data = GameData::embedded();
        let mut healing = 0.0;
        let mut toughness = 0.0;
        let counted = || slot_builds.iter().flatten().flatten();
        for sb in counted() {
            let attrs = sb.build.equipment.attributes(data);
            healing += f64::from(attrs.get(&Attribute::HealingPower).copied().unwrap_or(0));
            toughness += f64::from(attrs.get(&Attribute::Toughness).copied().unwrap_or(1000));
        }
        let has_builds = counted().next().is_some();
        let scores = self.team_scores.clone();
        let slots = tokio::task::spawn_blocking(move || {
            slot_builds
                .into_iter()
                .map(|sb| match sb {
                    None => (None, None),
                    Some(Err(reason)) => (None, Some(reason)),
                    Some(Ok(sb)) => {
                        match scores.score(sb.id, sb.version, &sb.build, sb.role.as_deref()) {
                            Ok(e) => (
                                Some(e.dps),
                                Some(format!("{} ({})", e.benchmark.name, e.benchmark.id)),
                            ),
                            Err(ApiError::Validation { message, .. }) => (None, Some(message)),
                            Err(other) => (None, Some(other.to_string())),
                        }
                    }
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(ApiError::internal)?;
        let scored: Vec<f64> = slots.iter().filter_map(|s| s.0).collect();
        Ok(Totals {
            dps: (!scored.is_empty()).then(|| scored.iter().sum()),
            healing: has_builds.then_some(healing),
            toughness: has_builds.then_some(toughness),
            slots,
        })
    }

    /// Recomputes the totals of one team from its builds as they are now. A slot counts its build
    /// while the team's author may see it (public, or theirs). Returns `false` when the team was
    /// saved meanwhile (that save scored it; nothing is written) or is gone.
    pub async fn refresh_team(&self, team_id: Uuid) -> ApiResult<bool> {
        let Some((team, slot_rows)) = repo::by_id(&self.db, team_id).await? else {
            return Ok(false);
        };
        let mut slot_builds = Vec::with_capacity(slot_rows.len());
        for slot in &slot_rows {
            let build = match slot.build_id {
                None => None,
                Some(id) => match self.builds.get_visible(id, None).await {
                    Ok(b) => Some(Ok(b)),
                    Err(_) => Some(
                        self.builds
                            .fetch_owned_by(id, team.user_id)
                            .await?
                            .ok_or_else(|| "the build is private to its author".to_owned()),
                    ),
                },
            };
            slot_builds.push(build.map(|b| {
                b.map(|b| SlotBuild {
                    id: b.id,
                    version: b.updated_at.timestamp_micros(),
                    build: b.build,
                    role: slot.role_override.clone(),
                })
            }));
        }
        let totals = self.totals(slot_builds).await?;
        let per_slot: Vec<(Uuid, Option<f64>, Option<String>)> = slot_rows
            .iter()
            .zip(totals.slots)
            .map(|(row, (dps, basis))| (row.id, dps, basis))
            .collect();
        let written = repo::update_totals(
            &self.db,
            team_id,
            team.updated_at,
            totals.dps,
            totals.healing,
            totals.toughness,
            &per_slot,
        )
        .await?;
        if written {
            self.hot.team_changed(team_id).await;
        }
        Ok(written)
    }

    /// Re-scores every team with a slot on `build_id` (skipping those in `done`, which it
    /// extends). Returns `false` when some team could not be (an error, logged, or a save
    /// meanwhile): the caller looks at the build again later.
    pub async fn refresh_teams_using(
        &self,
        build_id: Uuid,
        done: &mut HashSet<Uuid>,
    ) -> ApiResult<bool> {
        let mut complete = true;
        for (team_id, _) in repo::using_build(&self.db, build_id).await? {
            if !done.insert(team_id) {
                continue;
            }
            match self.refresh_team(team_id).await {
                Ok(true) => {}
                Ok(false) => complete = false,
                Err(e) => {
                    tracing::warn!(team = %team_id, error = %e, "team totals not refreshed");
                    complete = false;
                }
            }
        }
        Ok(complete)
    }

    pub async fn create(&self, user: &User, input: TeamCreate) -> ApiResult<TeamOut> {
        let (team, slots) = self.prepare(user, &input).await?;
        let id = repo::save(&self.db, None, user.id, &team, &slots, self.clock.now())
            .await?
            .ok_or_else(|| ApiError::internal("team insert returned nothing"))?;
        self.hot.team_changed(id).await;
        self.get(id, Some(user)).await
    }

    pub async fn replace(&self, id: Uuid, user: &User, input: TeamCreate) -> ApiResult<TeamOut> {
        self.owned(id, user).await?;
        let (team, slots) = self.prepare(user, &input).await?;
        repo::save(&self.db, Some(id), user.id, &team, &slots, self.clock.now())
            .await?
            .ok_or_else(|| ApiError::not_found("team"))?;
        self.hot.team_changed(id).await;
        self.get(id, Some(user)).await
    }

    pub async fn delete(&self, id: Uuid, user: &User) -> ApiResult<()> {
        let owner = self.owned(id, user).await?;
        repo::delete(&self.db, id).await?;
        self.hot.team_changed(id).await;
        self.audit
            .record(crate::services::builds::deletion(
                crate::services::audit::Action::TeamDeleted,
                user,
                owner,
                "team",
                id,
            ))
            .await;
        Ok(())
    }

    /// The team's owner, when `user` may change it.
    async fn owned(&self, id: Uuid, user: &User) -> ApiResult<Uuid> {
        let (team, _) = repo::by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("team"))?;
        if team.user_id != user.id && !user.is_superuser {
            return Err(ApiError::Forbidden(if team.is_public {
                "only the author can change this team".into()
            } else {
                "this team is private".into()
            }));
        }
        Ok(team.user_id)
    }

    /// The team with its slots and their builds inlined (builds the viewer may not see are
    /// left out, their id kept).
    pub async fn get(&self, id: Uuid, viewer: Option<&User>) -> ApiResult<TeamOut> {
        let (team, slot_rows) = repo::by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("team"))?;
        if !can_read(viewer, team.user_id, team.is_public) {
            return Err(ApiError::Forbidden("this team is private".into()));
        }
        let mut slots = Vec::with_capacity(slot_rows.len());
        for slot in slot_rows {
            let build = match slot.build_id {
                Some(build_id) => self.builds.get_visible(build_id, viewer).await.ok(),
                None => None,
            };
            let hidden = (slot.build_id.is_some() && build.is_none()).then_some(());
            slots.push(SlotOut {
                id: slot.id,
                build_id: slot.build_id,
                party: slot.party,
                position: slot.position,
                player_name: slot.player_name,
                role_override: slot.role_override,
                // What a hidden build scores would tell its specialization and role.
                estimated_dps: slot.estimated_dps.filter(|_| hidden.is_none()),
                dps_basis: match hidden {
                    Some(()) => Some("the build is private".to_owned()),
                    None => slot.dps_basis,
                },
                build,
            });
        }
        Ok(TeamOut {
            id: team.id,
            user_id: team.user_id,
            author: team.author,
            name: team.name,
            game_mode: team.game_mode,
            description: team.description,
            is_public: team.is_public,
            total_dps: team.total_dps,
            total_healing: team.total_healing,
            total_toughness: team.total_toughness,
            slots,
            created_at: team.created_at,
            updated_at: team.updated_at,
        })
    }

    /// Public teams and the viewer's own, newest first.
    pub async fn list(
        &self,
        viewer: Option<Uuid>,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<store::teams::TeamRow>, i64)> {
        Ok(store::teams::list(&self.db, viewer, skip, limit).await?)
    }
}
