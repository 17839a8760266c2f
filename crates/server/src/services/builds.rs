//! Builds: who may see and change them, votes, views, the team totals an edit touches, and
//! the DPS estimate. What a build is, its validation against the game data and its formats
//! (chat code, JSON, markdown) live in [`gw2::build`].

use crate::services::audit::{Action, Event};
use chrono::{DateTime, Utc};
use gw2::build::{Build, BuildDraft, Equipment, Skills, TraitLine};
use gw2::data::GameData;
use gw2::model::Role;
use optimizer::benchmark::{self, BenchmarkError, BuildSpec, DpsEstimate};
use optimizer::gear::GearInput;
use serde::{Deserialize, Serialize};
use store::builds::{self as repo, BuildData, BuildRow, StoredBuild};
use store::users::User;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::hot::{HotBuild, HotCaches};
use crate::json_body::JsonBody;
use crate::services::can_read;
use crate::services::team_scores::TeamScores;
use crate::services::views::ViewCounter;
use store::Db;

/// Partial update: absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BuildUpdate {
    pub name: Option<String>,
    pub profession: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub specialization: Option<Option<String>>,
    pub game_mode: Option<String>,
    pub role: Option<String>,
    pub trait_lines: Option<Vec<TraitLine>>,
    pub skills: Option<Skills>,
    pub equipment: Option<Equipment>,
    pub synergies: Option<Vec<String>>,
    pub counters: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub is_public: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BuildOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub author: String,
    #[serde(flatten)]
    #[schema(value_type = BuildDraft)]
    pub build: Build,
    pub upvotes: i32,
    pub downvotes: i32,
    /// upvotes − downvotes
    pub score: i32,
    pub views: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The community guide page the build was imported from (`gw2opt scrape`,
    /// `POST /admin/import/builds`); `null` for builds written here. Read-only: a build
    /// sent with it is refused like any unknown field.
    pub source_url: Option<String>,
}

impl BuildOut {
    pub fn from_row(row: BuildRow) -> ApiResult<Self> {
        Ok(Self::from(row.into_stored()?))
    }
}

impl From<StoredBuild> for BuildOut {
    fn from(stored: StoredBuild) -> Self {
        Self {
            build: stored.build,
            id: stored.id,
            user_id: stored.user_id,
            author: stored.author,
            upvotes: stored.upvotes,
            downvotes: stored.downvotes,
            score: stored.upvotes - stored.downvotes,
            views: stored.views,
            created_at: stored.created_at,
            updated_at: stored.updated_at,
            source_url: stored.source_url,
        }
    }
}

/// What [`Builds::upsert_from_source`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportAction {
    Created,
    Updated,
    /// The page gave the build already stored.
    Unchanged,
}

/// Whether an edit changes what a team's totals read of the build: its class, role, mode,
/// traits, equipment, or who may see it (a private build drops out of others' teams).
fn changes_team_totals(before: &Build, after: &Build) -> bool {
    before.profession != after.profession
        || before.specialization != after.specialization
        || before.role != after.role
        || before.game_mode != after.game_mode
        || before.trait_lines != after.trait_lines
        || before.equipment != after.equipment
        || before.is_public != after.is_public
}

/// The build's DPS under its specialization's benchmark rotation (CPU work: call it from a
/// blocking task). A build the benchmarks cannot score is a 422 saying why.
pub fn estimate_dps(build: &Build, role: Option<&str>) -> ApiResult<DpsEstimate> {
    estimate_with_input(build, role).map(|(estimate, _)| estimate)
}

/// The estimate and the gear engine input it ran (see [`benchmark::estimate_with_input`]).
pub fn estimate_with_input(
    build: &Build,
    role: Option<&str>,
) -> ApiResult<(DpsEstimate, GearInput)> {
    let role: Option<Role> = role
        .map(|r| crate::error::parse_named("role", r))
        .transpose()?;
    let spec = BuildSpec::of(build, role);
    benchmark::estimate_with_input(&spec).map_err(|e| match e {
        BenchmarkError::Data(detail) => ApiError::internal(detail),
        BenchmarkError::NoBenchmark(_) => ApiError::validation("specialization", e.to_string()),
        BenchmarkError::UnknownProfession(_) => ApiError::validation("profession", e.to_string()),
        other => ApiError::validation("equipment", other.to_string()),
    })
}

/// Where a gear optimization of `build` starts: its DPS estimate's input with every slot
/// open to the benchmark's prefixes (the build's own prefixes among them), so the search may
/// change any piece, and the ten best results asked for.
pub fn gear_input(build: &Build, role: Option<&str>) -> ApiResult<GearInput> {
    let (_, mut input) = estimate_with_input(build, role)?;
    open_slots(&mut input);
    input.name = Some(build.name.clone());
    input.top = 10;
    Ok(input)
}

/// Frees every fixed slot of `input`, keeping its prefix among the candidates, so a search
/// may change any piece and still finds the build's own gear.
pub fn open_slots(input: &mut GearInput) {
    for prefix in input.forced_slots.values() {
        if !input.affixes.iter().any(|a| a.eq_ignore_ascii_case(prefix)) {
            input.affixes.push(prefix.clone());
        }
    }
    input.forced_slots.clear();
}

/// The builds service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Builds {
    pub(crate) db: Db,
    pub(crate) hot: HotCaches,
    /// Views counted in memory and written in batches.
    pub(crate) views: ViewCounter,
    /// Teams whose totals an edit changes are re-scored through it.
    pub(crate) team_scores: TeamScores,
    pub(crate) clock: Clock,
    /// Deletions are audited.
    pub(crate) audit: crate::services::audit::Audit,
}

/// The audit entry of a deletion by `user` (`detail.as_superuser` when it was not theirs
/// to delete but a superuser's right).
pub(crate) fn deletion(
    action: Action,
    user: &User,
    owner: Uuid,
    kind: &'static str,
    id: Uuid,
) -> Event {
    Event::new(action)
        .by(user)
        .on(kind, id)
        .detail(serde_json::json!({"owner_id": owner, "as_superuser": owner != user.id}))
}

impl Builds {
    pub async fn create(&self, user: &User, input: BuildDraft) -> ApiResult<BuildOut> {
        let build = input.validate(GameData::embedded())?;
        let id = repo::create(&self.db, user.id, &BuildData::of(&build)?, self.clock.now()).await?;
        self.hot.build_changed(id).await;
        self.fetch(id).await
    }

    /// Stores `input` as the build `user` imported from the page at `source_url`: a first
    /// import creates it; a later one of the same page by the same account updates that
    /// build, or leaves it as it is when the page gives the same build again.
    pub async fn upsert_from_source(
        &self,
        user: &User,
        input: BuildDraft,
        source_url: &str,
    ) -> ApiResult<(BuildOut, ImportAction)> {
        let build = input.validate(GameData::embedded())?;
        let data = BuildData::of(&build)?;
        // Twice at most: a concurrent first import of the same page wins the insert, and
        // this one then updates the build it made.
        for _ in 0..2 {
            if let Some(row) = repo::by_source(&self.db, user.id, source_url).await? {
                let id = row.id;
                let before = row.build()?;
                if before == build {
                    return Ok((self.fetch(id).await?, ImportAction::Unchanged));
                }
                repo::update(&self.db, id, &data, self.clock.now()).await?;
                self.hot.build_changed(id).await;
                if changes_team_totals(&before, &build) {
                    self.team_scores.schedule(id);
                }
                return Ok((self.fetch(id).await?, ImportAction::Updated));
            }
            match repo::create_from(&self.db, user.id, &data, Some(source_url), self.clock.now())
                .await
            {
                Ok(id) => {
                    self.hot.build_changed(id).await;
                    return Ok((self.fetch(id).await?, ImportAction::Created));
                }
                Err(store::StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ApiError::Conflict(
            "the page is being imported by another request; try again".into(),
        ))
    }

    async fn fetch(&self, id: Uuid) -> ApiResult<BuildOut> {
        let shared = self.fetch_shared(id).await?;
        Ok(BuildOut::from(StoredBuild::clone(&shared.stored)))
    }

    /// The build from the hot cache, or from the database (then cached). Its `views` are the
    /// stored count; add [`crate::services::views::ViewCounter::pending`] for the live one.
    async fn fetch_shared(&self, id: Uuid) -> ApiResult<std::sync::Arc<HotBuild>> {
        if let Some(build) = self.hot.build(id) {
            return Ok(build);
        }
        // The database's future is large: boxed, so that a cache hit does not carry it.
        let row = Box::pin(repo::by_id(&self.db, id))
            .await?
            .ok_or_else(|| ApiError::not_found("build"))?;
        Ok(self.hot.put_build(row.into_stored()?))
    }

    /// The build if `owner` wrote it (whether public or not); `None` otherwise or when unknown.
    pub async fn fetch_owned_by(&self, id: Uuid, owner: Uuid) -> ApiResult<Option<BuildOut>> {
        match self.fetch(id).await {
            Ok(b) if b.user_id == owner => Ok(Some(b)),
            Ok(_) | Err(ApiError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The build if `viewer` may see it: public, or private and theirs (superusers see all).
    /// A private build of someone else is 403, as the seed does; an unknown id is 404.
    pub async fn get_visible(&self, id: Uuid, viewer: Option<&User>) -> ApiResult<BuildOut> {
        let build = self.fetch(id).await?;
        if !can_read(viewer, build.user_id, build.build.is_public) {
            return Err(ApiError::Forbidden("this build is private".into()));
        }
        Ok(build)
    }

    /// `get_visible` and, when the viewer is not the owner, one more view unless this viewer (the
    /// account, or the client address `ip` of an anonymous viewer) was counted within the view
    /// window. Views are batched (see `services::views`): the answer shows the stored count plus
    /// the views this instance has not written yet, this one included. Answers the build's
    /// JSON (a [`BuildOut`]), rendered once per view count.
    pub async fn view(
        &self,
        id: Uuid,
        viewer: Option<&User>,
        ip: Option<std::net::IpAddr>,
    ) -> ApiResult<JsonBody> {
        let shared = self.fetch_shared(id).await?;
        let stored = &shared.stored;
        if !can_read(viewer, stored.user_id, stored.build.is_public) {
            return Err(ApiError::Forbidden("this build is private".into()));
        }
        let pending = if viewer.is_none_or(|v| v.id != stored.user_id) {
            let who = self.views.viewer(viewer.map(|v| v.id), ip);
            self.views.record(id, who)
        } else {
            self.views.pending(id)
        };
        let views = stored.views + pending;
        shared.rendered(views, || {
            let mut build = BuildOut::from(StoredBuild::clone(stored));
            build.views = views;
            JsonBody::of(&build)
        })
    }

    async fn owned(&self, id: Uuid, user: &User) -> ApiResult<BuildOut> {
        let build = self.fetch(id).await?;
        if build.user_id != user.id && !user.is_superuser {
            return Err(ApiError::Forbidden(if build.build.is_public {
                "only the author can change this build".into()
            } else {
                "this build is private".into()
            }));
        }
        Ok(build)
    }

    pub async fn replace(&self, id: Uuid, user: &User, input: BuildDraft) -> ApiResult<BuildOut> {
        let before = self.owned(id, user).await?.build;
        let build = if input.skills != before.skills {
            input.validate(GameData::embedded())?
        } else {
            input.validate_keeping_skills(GameData::embedded())?
        };
        let updated = repo::update(&self.db, id, &BuildData::of(&build)?, self.clock.now()).await?;
        self.hot.build_changed(id).await;
        if !updated {
            return Err(ApiError::not_found("build"));
        }
        // Teams on this build re-add their totals in the background (the edit answers at once,
        // and a popular build may be in many teams), when the edit touches what they add up.
        if changes_team_totals(&before, &build) {
            self.team_scores.schedule(id);
        }
        self.fetch(id).await
    }

    pub async fn patch(&self, id: Uuid, user: &User, input: BuildUpdate) -> ApiResult<BuildOut> {
        let current = self.owned(id, user).await?.build.to_draft();
        let merged = BuildDraft {
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
        self.replace(id, user, merged).await
    }

    /// Deleting a build that teams still use is refused (409, naming the teams), so a squad
    /// never silently loses a member.
    pub async fn delete(&self, id: Uuid, user: &User) -> ApiResult<()> {
        let owner = self.owned(id, user).await?.user_id;
        let teams = store::teams::using_build(&self.db, id).await?;
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
        let deleted = repo::delete(&self.db, id).await?;
        self.hot.build_changed(id).await;
        if !deleted {
            return Err(ApiError::not_found("build"));
        }
        self.audit
            .record(deletion(Action::BuildDeleted, user, owner, "build", id))
            .await;
        Ok(())
    }

    pub async fn vote(&self, id: Uuid, user: &User, value: i32) -> ApiResult<(i32, i32)> {
        if !matches!(value, -1..=1) {
            return Err(ApiError::validation(
                "value",
                "must be 1 (up), -1 (down) or 0 (withdraw)",
            ));
        }
        let build = self.get_visible(id, Some(user)).await?;
        if build.user_id == user.id {
            return Err(ApiError::Forbidden(
                "authors cannot vote on their own build".into(),
            ));
        }
        let counts = repo::vote(&self.db, id, user.id, value, self.clock.now()).await?;
        self.hot.build_changed(id).await;
        Ok(counts)
    }

    /// One page of builds matching `filter` (its viewer also sees their private ones).
    pub async fn list(
        &self,
        filter: &store::builds::ListFilter,
    ) -> ApiResult<(Vec<BuildOut>, i64)> {
        let (rows, total) = repo::list(&self.db, filter).await?;
        let items = rows
            .into_iter()
            .map(BuildOut::from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        Ok((items, total))
    }
}
