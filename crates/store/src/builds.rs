//! The `builds` table (the seed's BuildDB), its votes and tags.

use chrono::{DateTime, Utc};
use gw2::build::Build;
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct BuildRow {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The author's username (joined).
    pub author: String,
    pub name: String,
    pub profession: String,
    pub specialization: Option<String>,
    pub game_mode: String,
    pub role: String,
    pub trait_lines: String,
    pub skills: String,
    pub equipment: String,
    pub synergies: String,
    pub counters: String,
    pub description: Option<String>,
    pub tags: String,
    pub is_public: bool,
    pub upvotes: i32,
    pub downvotes: i32,
    pub views: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The community guide page the build was imported from (migration 0013).
    pub source_url: Option<String>,
}

/// The columns of a [`BuildRow`] with its author (every reader of builds selects these).
pub(crate) const SELECT: &str = "SELECT b.id, b.user_id, u.username AS author, b.name, b.profession, b.specialization, b.game_mode, \
     b.role, b.trait_lines, b.skills, b.equipment, b.synergies, b.counters, b.description, b.tags, b.is_public, \
     b.upvotes, b.downvotes, b.views, b.created_at, b.updated_at, b.source_url FROM builds b JOIN users u ON u.id = b.user_id";

/// Everything a build is made of, as validated by the service (JSON fields as text).
#[derive(Debug, Clone)]
pub struct BuildData {
    pub name: String,
    pub profession: String,
    pub specialization: Option<String>,
    pub game_mode: String,
    pub role: String,
    pub trait_lines: String,
    pub skills: String,
    pub equipment: String,
    pub synergies: String,
    pub counters: String,
    pub description: Option<String>,
    /// Normalized (lowercase, unique); stored as JSON and as rows of `build_tags`.
    pub tags: Vec<String>,
    pub is_public: bool,
}

impl BuildData {
    /// The columns of a validated build: its lists and nested parts as JSON text.
    pub fn of(build: &Build) -> Result<Self, StoreError> {
        fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
            serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
        }
        Ok(BuildData {
            name: build.name.clone(),
            profession: build.profession.clone(),
            specialization: build.specialization.clone(),
            game_mode: build.game_mode.as_str().to_owned(),
            role: build.role.as_str().to_owned(),
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
}

/// A stored build, typed: the build and what the service keeps about it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBuild {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The author's username.
    pub author: String,
    pub build: Build,
    pub upvotes: i32,
    pub downvotes: i32,
    pub views: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The community guide page the build was imported from, if it was.
    pub source_url: Option<String>,
}

impl BuildRow {
    /// The row typed again (see [`BuildRow::build`]).
    pub fn into_stored(self) -> Result<StoredBuild, StoreError> {
        Ok(StoredBuild {
            build: self.build()?,
            id: self.id,
            user_id: self.user_id,
            author: self.author,
            upvotes: self.upvotes,
            downvotes: self.downvotes,
            views: self.views,
            created_at: self.created_at,
            updated_at: self.updated_at,
            source_url: self.source_url,
        })
    }

    /// The stored build, typed again. Every row was a validated [`Build`] when written, so a
    /// column that does not read back is [`StoreError::Corrupt`], naming the build and column.
    pub fn build(&self) -> Result<Build, StoreError> {
        let corrupt = |column: &str, e: &dyn std::fmt::Display| {
            StoreError::Corrupt(format!(
                "stored build {} has a corrupt {column}: {e}",
                self.id
            ))
        };
        fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
            serde_json::from_str(text)
        }
        Ok(Build {
            name: self.name.clone(),
            profession: self.profession.clone(),
            specialization: self.specialization.clone(),
            game_mode: self
                .game_mode
                .parse()
                .map_err(|e| corrupt("game_mode", &e))?,
            role: self.role.parse().map_err(|e| corrupt("role", &e))?,
            trait_lines: json(&self.trait_lines).map_err(|e| corrupt("trait_lines", &e))?,
            skills: json(&self.skills).map_err(|e| corrupt("skills", &e))?,
            equipment: json(&self.equipment).map_err(|e| corrupt("equipment", &e))?,
            synergies: json(&self.synergies).map_err(|e| corrupt("synergies", &e))?,
            counters: json(&self.counters).map_err(|e| corrupt("counters", &e))?,
            description: self.description.clone(),
            tags: json(&self.tags).map_err(|e| corrupt("tags", &e))?,
            is_public: self.is_public,
        })
    }
}

/// Longest word kept in the search index (longer runs are cut).
const MAX_WORD_CHARS: usize = 40;
/// Most words indexed per build (a 5,000-character description has far fewer distinct ones).
const MAX_WORDS: usize = 400;

/// The words text search knows a build by: lowercase runs of letters and digits of its name
/// and description, each once, at least two characters long. `q` is split the same way.
pub fn search_words(name: &str, description: Option<&str>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let text = format!("{name} {}", description.unwrap_or(""));
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if seen.len() >= MAX_WORDS {
            break;
        }
        let word: String = word.to_lowercase().chars().take(MAX_WORD_CHARS).collect();
        if word.chars().count() >= 2 {
            seen.insert(word);
        }
    }
    seen.into_iter().collect()
}

pub async fn create(
    db: &Db,
    user_id: Uuid,
    data: &BuildData,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    create_from(db, user_id, data, None, now).await
}

/// Creates a build imported from the page at `source_url` (or written by hand when `None`).
/// A second build of the same account from the same page is [`StoreError::Conflict`].
pub async fn create_from(
    db: &Db,
    user_id: Uuid,
    data: &BuildData,
    source_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    let tags_json =
        serde_json::to_string(&data.tags).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = "INSERT INTO builds (id, user_id, name, profession, specialization, game_mode, role, trait_lines, skills, \
               equipment, synergies, counters, description, tags, is_public, created_at, updated_at, source_url) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)";
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(sql).bind(id).bind(user_id).bind(&data.name).bind(&data.profession).bind(&data.specialization)
            .bind(&data.game_mode).bind(&data.role).bind(&data.trait_lines).bind(&data.skills).bind(&data.equipment)
            .bind(&data.synergies).bind(&data.counters).bind(&data.description).bind(&tags_json).bind(data.is_public)
            .bind(now).bind(source_url).execute(&mut *tx).await?;
        for tag in &data.tags {
            sqlx::query("INSERT INTO build_tags (build_id, tag) VALUES ($1, $2)").bind(id).bind(tag).execute(&mut *tx).await?;
        }
        for word in search_words(&data.name, data.description.as_deref()) {
            sqlx::query("INSERT INTO build_words (build_id, word) VALUES ($1, $2)").bind(id).bind(word).execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

/// Replaces every editable field. Returns false when the build does not exist.
pub async fn update(
    db: &Db,
    id: Uuid,
    data: &BuildData,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let tags_json =
        serde_json::to_string(&data.tags).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = "UPDATE builds SET name = $2, profession = $3, specialization = $4, game_mode = $5, role = $6, \
               trait_lines = $7, skills = $8, equipment = $9, synergies = $10, counters = $11, description = $12, \
               tags = $13, is_public = $14, updated_at = $15 WHERE id = $1";
    let found = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(sql).bind(id).bind(&data.name).bind(&data.profession).bind(&data.specialization)
            .bind(&data.game_mode).bind(&data.role).bind(&data.trait_lines).bind(&data.skills).bind(&data.equipment)
            .bind(&data.synergies).bind(&data.counters).bind(&data.description).bind(&tags_json).bind(data.is_public)
            .bind(now).execute(&mut *tx).await?.rows_affected();
        if n > 0 {
            sqlx::query("DELETE FROM build_tags WHERE build_id = $1").bind(id).execute(&mut *tx).await?;
            for tag in &data.tags {
                sqlx::query("INSERT INTO build_tags (build_id, tag) VALUES ($1, $2)").bind(id).bind(tag).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM build_words WHERE build_id = $1").bind(id).execute(&mut *tx).await?;
            for word in search_words(&data.name, data.description.as_deref()) {
                sqlx::query("INSERT INTO build_words (build_id, word) VALUES ($1, $2)").bind(id).bind(word).execute(&mut *tx).await?;
            }
        }
        tx.commit().await.map(|_| n > 0)
    })?;
    Ok(found)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<BuildRow>, StoreError> {
    let sql = format!("{SELECT} WHERE b.id = $1");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, BuildRow>(&sql).bind(id).fetch_optional(pool).await)?,
    )
}

/// The build `user_id` imported from the page at `source_url`, if any.
pub async fn by_source(
    db: &Db,
    user_id: Uuid,
    source_url: &str,
) -> Result<Option<BuildRow>, StoreError> {
    let sql = format!("{SELECT} WHERE b.user_id = $1 AND b.source_url = $2");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, BuildRow>(&sql).bind(user_id).bind(source_url).fetch_optional(pool).await)?,
    )
}

/// Several builds at once (team slots), in no particular order.
pub async fn by_ids(db: &Db, ids: &[Uuid]) -> Result<Vec<BuildRow>, StoreError> {
    let mut rows = Vec::with_capacity(ids.len());
    // Ids come in small sets (≤ 50 slots): one indexed look-up each keeps the SQL portable.
    for id in ids {
        if let Some(row) = by_id(db, *id).await? {
            rows.push(row);
        }
    }
    Ok(rows)
}

pub async fn delete(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM builds WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Counts one view, atomically.
pub async fn add_view(db: &Db, id: Uuid) -> Result<(), StoreError> {
    add_views(db, &[(id, 1)]).await
}

/// Adds batched view counts in one transaction: all of them or none (so a failed batch can
/// be retried without counting anything twice). Builds deleted meanwhile are skipped.
pub async fn add_views(db: &Db, counts: &[(Uuid, i64)]) -> Result<(), StoreError> {
    if counts.is_empty() {
        return Ok(());
    }
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        for (id, n) in counts {
            sqlx::query("UPDATE builds SET views = views + $2 WHERE id = $1").bind(id).bind(n).execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(())
}

/// Sets (1 / -1) or withdraws (0) `user`'s vote and recounts the build's totals from the
/// votes table in the same transaction, with the build row locked first, so concurrent
/// votes can never leave the counters out of step with the votes. Returns (up, down).
pub async fn vote(
    db: &Db,
    build_id: Uuid,
    user_id: Uuid,
    value: i32,
    now: DateTime<Utc>,
) -> Result<(i32, i32), StoreError> {
    let recount = "UPDATE builds SET \
        upvotes = (SELECT COUNT(*) FROM build_votes WHERE build_id = $1 AND value = 1), \
        downvotes = (SELECT COUNT(*) FROM build_votes WHERE build_id = $1 AND value = -1), \
        score = (SELECT COALESCE(SUM(value), 0) FROM build_votes WHERE build_id = $1) \
        WHERE id = $1 RETURNING upvotes, downvotes";
    let upsert = "INSERT INTO build_votes (build_id, user_id, value, created_at) VALUES ($1, $2, $3, $4) \
                  ON CONFLICT (build_id, user_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at";
    let withdraw = "DELETE FROM build_votes WHERE build_id = $1 AND user_id = $2";
    // SQLite has one writer connection, so its transactions are already serialized. On
    // PostgreSQL the build row is locked first: concurrent votes queue there, and each
    // recount then sees every vote committed before it.
    let lock = match db {
        Db::Sqlite { .. } => None,
        Db::Postgres(_) => Some("SELECT id FROM builds WHERE id = $1 FOR UPDATE"),
    };
    let result: Result<Option<(i32, i32)>, sqlx::Error> = on_write!(db, pool => async {
        let mut tx = pool.begin().await?;
        if let Some(lock) = lock {
            if sqlx::query(lock).bind(build_id).fetch_optional(&mut *tx).await?.is_none() {
                return Ok(None);
            }
        }
        if value == 0 {
            sqlx::query(withdraw).bind(build_id).bind(user_id).execute(&mut *tx).await?;
        } else {
            sqlx::query(upsert).bind(build_id).bind(user_id).bind(value).bind(now).execute(&mut *tx).await?;
        }
        let counts = sqlx::query_as::<_, (i32, i32)>(recount).bind(build_id).fetch_optional(&mut *tx).await?;
        tx.commit().await?;
        Ok(counts)
    }
    .await);
    result?.ok_or(StoreError::NotFound)
}

/// The caller's vote on a build (0 when none).
pub async fn vote_of(db: &Db, build_id: Uuid, user_id: Uuid) -> Result<i32, StoreError> {
    let sql = "SELECT value FROM build_votes WHERE build_id = $1 AND user_id = $2";
    Ok(on_read!(db, pool => sqlx::query_scalar::<_, i32>(sql).bind(build_id).bind(user_id).fetch_optional(pool).await)?.unwrap_or(0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    New,
    Top,
    Views,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Who is asking: sees public builds and their own private ones.
    pub viewer: Option<Uuid>,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<String>,
    pub role: Option<String>,
    pub tag: Option<String>,
    /// Author's username (case-insensitive).
    pub author: Option<String>,
    /// Text searched in name and description (case-insensitive).
    pub q: Option<String>,
    pub sort: Sort,
    pub skip: i64,
    pub limit: i64,
}

/// One page of builds and the total matching count.
///
/// Shaped for the indexes: public builds and the viewer's own private ones are two arms of a
/// `UNION ALL`, each an equality on `is_public` that an index on (is_public, sort key)
/// serves in order, so the database merges two ordered index scans and stops after one
/// page instead of sorting every visible build. The author is joined after the page is cut.
pub async fn list(db: &Db, filter: &ListFilter) -> Result<(Vec<BuildRow>, i64), StoreError> {
    // Every value is a bind parameter; only the fixed clause texts below are concatenated.
    let mut args: Vec<Arg> = Vec::new();
    let next = |arg: Arg, args: &mut Vec<Arg>| {
        args.push(arg);
        format!("${}", args.len())
    };
    let mut filters: Vec<String> = Vec::new();
    for (column, value) in [
        ("b.profession", &filter.profession),
        ("b.specialization", &filter.specialization),
        ("b.game_mode", &filter.game_mode),
        ("b.role", &filter.role),
    ] {
        if let Some(v) = value {
            let p = next(Arg::Text(v.clone()), &mut args);
            filters.push(format!("{column} = {p}"));
        }
    }
    if let Some(tag) = &filter.tag {
        let p = next(Arg::Text(tag.clone()), &mut args);
        filters.push(format!(
            "b.id IN (SELECT t.build_id FROM build_tags t WHERE t.tag = {p})"
        ));
    }
    if let Some(author) = &filter.author {
        let p = next(Arg::Text(author.clone()), &mut args);
        filters.push(format!(
            "b.user_id IN (SELECT u.id FROM users u WHERE LOWER(u.username) = LOWER({p}))"
        ));
    }
    if let Some(q) = &filter.q {
        // Whole words, in any order. The rarest word drives the lookup (an index range on
        // `build_words`); the others are point checks on the same index.
        let words = search_words(q, None);
        if words.is_empty() {
            // Nothing searchable (e.g. one character): no build matches.
            filters.push("1 = 0".to_owned());
        } else {
            let mut by_rarity = Vec::with_capacity(words.len());
            for word in words.into_iter().take(8) {
                by_rarity.push((word_frequency(db, &word).await?, word));
            }
            by_rarity.sort();
            for (i, (_, word)) in by_rarity.into_iter().enumerate() {
                let p = next(Arg::Text(word), &mut args);
                filters.push(if i == 0 {
                    format!("b.id IN (SELECT w.build_id FROM build_words w WHERE w.word = {p})")
                } else {
                    format!(
                        "EXISTS (SELECT 1 FROM build_words w WHERE w.word = {p} AND w.build_id = b.id)"
                    )
                });
            }
        }
    }
    let mut arms = vec![std::iter::once("b.is_public = TRUE".to_owned())
        .chain(filters.iter().cloned())
        .collect::<Vec<_>>()
        .join(" AND ")];
    if let Some(viewer) = filter.viewer {
        let p = next(Arg::Uuid(viewer), &mut args);
        arms.push(
            std::iter::once(format!("b.is_public = FALSE AND b.user_id = {p}"))
                .chain(filters.iter().cloned())
                .collect::<Vec<_>>()
                .join(" AND "),
        );
    }
    // The same order inside the union (result column names) and after the join (`p.`).
    let (order, outer_order) = match filter.sort {
        Sort::New => ("created_at DESC, id DESC", "p.created_at DESC, p.id DESC"),
        Sort::Top => (
            "score DESC, created_at DESC, id DESC",
            "p.score DESC, p.created_at DESC, p.id DESC",
        ),
        Sort::Views => (
            "views DESC, created_at DESC, id DESC",
            "p.views DESC, p.created_at DESC, p.id DESC",
        ),
    };
    let union = arms
        .iter()
        .map(|w| format!("SELECT b.* FROM builds b WHERE {w}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let limit_p = args.len() + 1;
    let page_sql = format!(
        "SELECT p.id, p.user_id, u.username AS author, p.name, p.profession, p.specialization, p.game_mode, p.role, \
         p.trait_lines, p.skills, p.equipment, p.synergies, p.counters, p.description, p.tags, p.is_public, p.upvotes, \
         p.downvotes, p.views, p.created_at, p.updated_at, p.source_url \
         FROM ({union} ORDER BY {order} LIMIT ${limit_p} OFFSET ${}) p JOIN users u ON u.id = p.user_id \
         ORDER BY {outer_order}",
        limit_p + 1,
    );
    let count_sql = format!(
        "SELECT {}",
        arms.iter()
            .map(|w| format!("(SELECT COUNT(*) FROM builds b WHERE {w})"))
            .collect::<Vec<_>>()
            .join(" + ")
    );

    let (rows, total) = on_read!(db, pool => {
        let mut page = sqlx::query_as::<_, BuildRow>(&page_sql);
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for arg in &args {
            match arg {
                Arg::Uuid(u) => { page = page.bind(*u); count = count.bind(*u); }
                Arg::Text(t) => { page = page.bind(t.clone()); count = count.bind(t.clone()); }
            }
        }
        let rows = page.bind(filter.limit).bind(filter.skip).fetch_all(pool).await?;
        let total = count.fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows, total))
}

enum Arg {
    Uuid(Uuid),
    Text(String),
}

/// How many builds use `word`, counted up to 1,000 (enough to tell rare words from common
/// ones without walking a common word's whole index range).
async fn word_frequency(db: &Db, word: &str) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM build_words WHERE word = $1 LIMIT 1000) x";
    Ok(on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(word).fetch_one(pool).await)?)
}

/// Indexes the words of builds that have none yet (builds written before migration 0006,
/// or copied in bulk), in batches of 2,000. Returns how many builds were indexed.
pub async fn index_missing_words(db: &Db) -> Result<usize, StoreError> {
    let select = "SELECT b.id, b.name, b.description FROM builds b \
                  WHERE NOT EXISTS (SELECT 1 FROM build_words w WHERE w.build_id = b.id) LIMIT 2000";
    let mut total = 0;
    loop {
        let batch: Vec<(Uuid, String, Option<String>)> =
            on_read!(db, pool => sqlx::query_as(select).fetch_all(pool).await)?;
        if batch.is_empty() {
            return Ok(total);
        }
        let mut indexed = 0;
        on_write!(db, pool => {
            let mut tx = pool.begin().await?;
            for (id, name, description) in &batch {
                let words = search_words(name, description.as_deref());
                if words.is_empty() {
                    continue;
                }
                indexed += 1;
                for word in words {
                    sqlx::query("INSERT INTO build_words (build_id, word) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(id).bind(word).execute(&mut *tx).await?;
                }
            }
            tx.commit().await
        })?;
        total += indexed;
        if indexed == 0 {
            // Only builds without any searchable word are left.
            return Ok(total);
        }
    }
}
