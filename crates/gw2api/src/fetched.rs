//! What a successful call returns: the value plus where it came from and what was missing, so the
//! server can label answers ("live", "cached", "stale: the GW2 API is down") instead of hiding it.

use serde::Serialize;

/// Where an answer came from. Ordered from freshest to least fresh: when a call merges several
/// requests (id batches), it reports the least fresh part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Fetched from the API by this call. (Also reported for an empty id list, which needs no call.)
    Live,
    /// From the cache, within the TTL the API gave (`Cache-Control: max-age`).
    Cache,
    /// The API failed or the circuit breaker is open: an expired copy kept for this case.
    Stale,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    pub value: T,
    pub source: Source,
    /// Requested ids the API did not return (206 Partial Content, or 404 "all ids provided are
    /// invalid"), as the API spells them in `ids=` (numbers in decimal). Empty for single resources
    /// and `ids=all`.
    pub missing: Vec<String>,
}

impl<T> Fetched<T> {
    pub fn new(value: T, source: Source) -> Self {
        Self {
            value,
            source,
            missing: Vec::new(),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fetched<U> {
        Fetched {
            value: f(self.value),
            source: self.source,
            missing: self.missing,
        }
    }

    /// Whether the answer may be out of date because the API could not be asked.
    pub fn is_stale(&self) -> bool {
        self.source == Source::Stale
    }
}
