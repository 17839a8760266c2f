//! One paging policy for every list: `?skip=` (default 0) and `?limit=` (1..=100, default
//! 20); a limit outside that range is a 422 naming `limit`, never silently clamped, so a
//! client asking for 500 rows learns it gets at most 100. Every list answers the same
//! [`Page`] shape.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

/// Rows per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 20;
/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 100;

/// `?skip=&limit=` for lists without other parameters (lists with filters carry the same
/// two fields and call [`bounds`]).
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Rows to skip (default 0).
    #[serde(default)]
    pub skip: u32,
    /// 1..=100, default 20.
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn bounds(&self) -> ApiResult<(i64, i64)> {
        bounds(self.skip, self.limit)
    }
}

/// (skip, limit) for the database, or a 422 naming `limit`.
pub fn bounds(skip: u32, limit: Option<u32>) -> ApiResult<(i64, i64)> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::validation(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    Ok((i64::from(skip), i64::from(limit)))
}

/// A page of any list: the rows, how many match in all, and the bounds used.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Rows matching in all (not only on this page).
    pub total: i64,
    pub skip: i64,
    pub limit: i64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, (skip, limit): (i64, i64)) -> Self {
        Page {
            items,
            total,
            skip,
            limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_policy() {
        assert_eq!(bounds(0, None).unwrap(), (0, 20));
        assert_eq!(bounds(40, Some(100)).unwrap(), (40, 100));
        assert_eq!(bounds(0, Some(1)).unwrap(), (0, 1));
        for bad in [0, 101, u32::MAX] {
            match bounds(0, Some(bad)) {
                Err(ApiError::Validation { field, .. }) => assert_eq!(field, "limit"),
                other => panic!("limit {bad}: {other:?}"),
            }
        }
    }
}
