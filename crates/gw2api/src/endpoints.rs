//! One typed method per endpoint the service uses; all go through the generic access in
//! `client.rs`.

use crate::client::{Expect, Gw2Client};
use crate::error::Gw2ApiError;
use crate::fetched::Fetched;
use crate::ids::Ids;
use crate::model::{
    Item, ItemStat, Legend, Pet, Profession, Skill, Specialization, Trait, WvwMatch, WvwObjective,
};

impl Gw2Client {
    /// Professions by id ("Guardian") or [`Ids::All`].
    pub async fn professions(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<Profession>>, Gw2ApiError> {
        self.get_ids("professions", ids).await
    }

    pub async fn specializations(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<Specialization>>, Gw2ApiError> {
        self.get_ids("specializations", ids).await
    }

    pub async fn traits(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Trait>>, Gw2ApiError> {
        self.get_ids("traits", ids).await
    }

    pub async fn skills(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Skill>>, Gw2ApiError> {
        self.get_ids("skills", ids).await
    }

    pub async fn items(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Item>>, Gw2ApiError> {
        self.get_ids("items", ids).await
    }

    pub async fn itemstats(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<ItemStat>>, Gw2ApiError> {
        self.get_ids("itemstats", ids).await
    }

    /// Revenant legends by id ("Legend1").
    pub async fn legends(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Legend>>, Gw2ApiError> {
        self.get_ids("legends", ids).await
    }

    pub async fn pets(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Pet>>, Gw2ApiError> {
        self.get_ids("pets", ids).await
    }

    /// One match by id ("1-2"). [`Gw2ApiError::NotFound`] if there is no such match.
    pub async fn wvw_match(&self, id: &str) -> Result<Fetched<WvwMatch>, Gw2ApiError> {
        self.get_one("wvw/matches", id).await
    }

    /// The match a world (e.g. 1008) is playing in.
    pub async fn wvw_match_by_world(
        &self,
        world_id: u32,
    ) -> Result<Fetched<WvwMatch>, Gw2ApiError> {
        let query = [("world", world_id.to_string())];
        let raw = self
            .fetch_raw("wvw/matches", &query, Expect::Single)
            .await?;
        self.decode_single("wvw/matches", raw)
    }

    /// Ids of the current matches.
    pub async fn wvw_match_ids(&self) -> Result<Fetched<Vec<String>>, Gw2ApiError> {
        self.list_ids("wvw/matches").await
    }

    /// Several matches (or [`Ids::All`]).
    pub async fn wvw_matches(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<WvwMatch>>, Gw2ApiError> {
        self.get_ids("wvw/matches", ids).await
    }

    /// Objectives by id ("38-9") or [`Ids::All`].
    pub async fn wvw_objectives(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<WvwObjective>>, Gw2ApiError> {
        self.get_ids("wvw/objectives", ids).await
    }
}
