//! Feedback on the AI answers (a squad, an analysis...): a rating from 1 to 10 and an
//! optional comment, stored with the caller's id when logged in (anonymous otherwise) for
//! the learning work to read later. Nothing is learned from it here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::feedback::{self as repo, FeedbackRow};
use store::users::User;
use store::Db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};

pub const MAX_TARGET_CHARS: usize = 200;
pub const MAX_COMMENT_CHARS: usize = 2_000;
pub const RATINGS: std::ops::RangeInclusive<i64> = 1..=10;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FeedbackCreate {
    /// What is rated: the id of an answer, a build, a squad (1 to 200 characters).
    pub target_id: String,
    /// 1 (useless) to 10 (exactly right).
    pub rating: i64,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedbackOut {
    pub id: Uuid,
    pub target_id: String,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<FeedbackRow> for FeedbackOut {
    fn from(row: FeedbackRow) -> Self {
        Self {
            id: row.id,
            target_id: row.target_id,
            rating: row.rating,
            comment: row.comment,
            created_at: row.created_at,
        }
    }
}

/// The feedback service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Feedback {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
}

impl Feedback {
    /// Checks and stores one rating; `user` is `None` for an anonymous caller.
    pub async fn create(
        &self,
        user: Option<&User>,
        input: FeedbackCreate,
    ) -> ApiResult<FeedbackOut> {
        let target = input.target_id.trim();
        if target.is_empty() || target.chars().count() > MAX_TARGET_CHARS {
            return Err(ApiError::validation(
                "target_id",
                format!("must be 1 to {MAX_TARGET_CHARS} characters"),
            ));
        }
        let rating = i32::try_from(input.rating)
            .ok()
            .filter(|r| RATINGS.contains(&i64::from(*r)))
            .ok_or_else(|| {
                ApiError::validation(
                    "rating",
                    format!(
                        "must be an integer from {} to {} (got {})",
                        RATINGS.start(),
                        RATINGS.end(),
                        input.rating
                    ),
                )
            })?;
        let comment = input
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
            return Err(ApiError::validation(
                "comment",
                format!("must be at most {MAX_COMMENT_CHARS} characters"),
            ));
        }
        let row = repo::create(
            &self.db,
            user.map(|u| u.id),
            target,
            rating,
            comment,
            self.clock.now(),
        )
        .await?;
        Ok(row.into())
    }
}
