//! Live WvW matches: one poller per watched match, shared by every subscriber of this
//! instance, polling the GW2 API no more often than `match_poll_interval` (30 s by default,
//! the API's own cache period for matches). The first subscriber gets a full
//! `match_snapshot`; afterwards only what changed is pushed as `match_diff` (scores, kills,
//! deaths, victory points, per-map figures, objective flips). A poller stops when its last
//! local subscriber leaves.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::sync::OnceCell;

use crate::events::EventBus;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The event topic of a match.
pub fn match_topic(id: &str) -> String {
    format!("match:{id}")
}

/// One fetched match (the API's `/v2/wvw/matches/{id}` document) and where it came from
/// (`live`, `cache` or `stale` when the API is down and a saved copy answered).
#[derive(Debug, Clone)]
pub struct FetchedMatch {
    pub document: Value,
    pub source: &'static str,
}

/// Where matches come from: the GW2 API client in production.
pub trait MatchFeed: Send + Sync + 'static {
    fn fetch(&self, match_id: &str) -> BoxFuture<'_, Result<FetchedMatch, String>>;
    /// The id of the match a world plays in this week.
    fn match_for_world(&self, world_id: u32) -> BoxFuture<'_, Result<String, String>>;
}

struct Watcher {
    first: OnceCell<Option<Value>>,
    latest: Mutex<Option<Value>>,
}

#[derive(Clone)]
pub struct Matches {
    inner: Arc<Inner>,
}

struct Inner {
    feed: Arc<dyn MatchFeed>,
    events: EventBus,
    interval: Duration,
    watchers: Mutex<HashMap<String, Arc<Watcher>>>,
}

/// Match ids look like `1-3` (region 1 = NA, 2 = EU; tier).
fn valid_match_id(id: &str) -> bool {
    let mut parts = id.split('-');
    matches!((parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty() && a.len() <= 2 && b.len() <= 2
            && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()))
}

impl Matches {
    pub fn new(feed: Arc<dyn MatchFeed>, events: EventBus, interval: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                feed,
                events,
                interval,
                watchers: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The match id a subscription names, directly or through a world id.
    pub async fn resolve(
        &self,
        match_id: Option<&str>,
        world_id: Option<u32>,
    ) -> Result<String, String> {
        match (match_id, world_id) {
            (Some(id), _) if valid_match_id(id) => Ok(id.to_owned()),
            (Some(id), _) => Err(format!("{id:?} is not a match id (like \"1-3\")")),
            (None, Some(world)) => self.inner.feed.match_for_world(world).await,
            (None, None) => Err("name a match_id or a world_id".into()),
        }
    }

    /// Makes sure the match behind `topic` is being polled and returns its latest snapshot
    /// message (fetching it now for the first subscriber).
    pub async fn watch(&self, topic: &str) -> Option<Value> {
        let id = topic.strip_prefix("match:")?.to_owned();
        let (watcher, created) = {
            let mut watchers = self.inner.lock();
            match watchers.get(&id) {
                Some(w) => (w.clone(), false),
                None => {
                    let w = Arc::new(Watcher {
                        first: OnceCell::new(),
                        latest: Mutex::new(None),
                    });
                    watchers.insert(id.clone(), w.clone());
                    (w, true)
                }
            }
        };
        let first = watcher
            .first
            .get_or_init(|| async {
                match self.inner.feed.fetch(&id).await {
                    Ok(fetched) => {
                        *lock(&watcher.latest) = Some(fetched.document.clone());
                        Some(snapshot_message(&id, &fetched))
                    }
                    Err(err) => Some(json!({"type": "match_status", "match_id": id, "available": false, "detail": err})),
                }
            })
            .await
            .clone();
        if created {
            tokio::spawn(poll(self.inner.clone(), id.clone(), watcher.clone()));
        }
        let latest = lock(&watcher.latest).clone();
        match latest {
            Some(document) => {
                Some(json!({"type": "match_snapshot", "match_id": id, "match": document}))
            }
            None => first,
        }
    }

    /// How many matches are being polled (for health and tests).
    pub fn watched(&self) -> usize {
        self.inner.lock().len()
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Watcher>>> {
        lock(&self.watchers)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain data behind these locks stays valid whatever panicked.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn snapshot_message(id: &str, fetched: &FetchedMatch) -> Value {
    json!({"type": "match_snapshot", "match_id": id, "source": fetched.source, "match": fetched.document})
}

/// Polls one match until nobody on this instance follows it any more.
async fn poll(inner: Arc<Inner>, id: String, watcher: Arc<Watcher>) {
    let topic = match_topic(&id);
    let mut available = true;
    loop {
        tokio::time::sleep(inner.interval).await;
        if inner.events.subscriber_count(&topic) == 0 {
            inner.lock().remove(&id);
            return;
        }
        match inner.feed.fetch(&id).await {
            Ok(fetched) => {
                let previous = lock(&watcher.latest).replace(fetched.document.clone());
                let message = match previous {
                    None => Some(snapshot_message(&id, &fetched)),
                    Some(previous) => diff(&previous, &fetched.document).map(|mut changes| {
                        changes.insert("type".into(), "match_diff".into());
                        changes.insert("match_id".into(), id.clone().into());
                        changes.insert("source".into(), fetched.source.into());
                        Value::Object(changes)
                    }),
                };
                if !available {
                    available = true;
                    inner
                        .events
                        .publish(
                            &topic,
                            &json!({"type": "match_status", "match_id": id, "available": true}),
                        )
                        .await;
                }
                if let Some(message) = message {
                    inner.events.publish(&topic, &message).await;
                }
            }
            Err(err) => {
                if available {
                    available = false;
                    inner.events.publish(&topic, &json!({"type": "match_status", "match_id": id, "available": false, "detail": err})).await;
                }
            }
        }
    }
}

/// What changed between two match documents, or `None` when nothing did.
pub fn diff(old: &Value, new: &Value) -> Option<Map<String, Value>> {
    let mut changes = Map::new();
    for key in [
        "scores",
        "kills",
        "deaths",
        "victory_points",
        "worlds",
        "end_time",
    ] {
        if old.get(key) != new.get(key) {
            if let Some(value) = new.get(key) {
                changes.insert(key.into(), value.clone());
            }
        }
    }
    let old_skirmish = old["skirmishes"].as_array().and_then(|s| s.last());
    let new_skirmish = new["skirmishes"].as_array().and_then(|s| s.last());
    if old_skirmish != new_skirmish {
        if let Some(skirmish) = new_skirmish {
            changes.insert("skirmish".into(), skirmish.clone());
        }
    }
    let old_maps = by_id(&old["maps"]);
    let mut maps = Vec::new();
    let mut flips = Vec::new();
    for map in new["maps"].as_array().into_iter().flatten() {
        let previous = old_maps.get(&key_of(map));
        let mut changed = Map::new();
        for key in ["scores", "kills", "deaths", "bonuses"] {
            if previous.and_then(|p| p.get(key)) != map.get(key) {
                if let Some(value) = map.get(key) {
                    changed.insert(key.into(), value.clone());
                }
            }
        }
        if !changed.is_empty() {
            changed.insert("id".into(), map["id"].clone());
            changed.insert("type".into(), map["type"].clone());
            maps.push(Value::Object(changed));
        }
        let old_objectives = previous
            .map(|p| by_id(&p["objectives"]))
            .unwrap_or_default();
        for objective in map["objectives"].as_array().into_iter().flatten() {
            let before = old_objectives.get(&key_of(objective));
            let from = before.map(|o| o["owner"].clone()).unwrap_or(Value::Null);
            if before.is_some() && from != objective["owner"] {
                flips.push(json!({"id": objective["id"], "map_id": map["id"], "map_type": map["type"],
                    "type": objective["type"], "from": from, "to": objective["owner"],
                    "last_flipped": objective["last_flipped"], "claimed_by": objective["claimed_by"]}));
            }
        }
    }
    if !maps.is_empty() {
        changes.insert("maps".into(), Value::Array(maps));
    }
    if !flips.is_empty() {
        changes.insert("objective_flips".into(), Value::Array(flips));
    }
    (!changes.is_empty()).then_some(changes)
}

fn key_of(item: &Value) -> String {
    item["id"].to_string()
}

fn by_id(list: &Value) -> HashMap<String, &Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|item| (key_of(item), item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(red: i64, owner: &str) -> Value {
        json!({"id": "1-1", "scores": {"red": red, "blue": 10, "green": 5},
            "kills": {"red": 1, "blue": 2, "green": 3}, "deaths": {"red": 3, "blue": 2, "green": 1},
            "victory_points": {"red": 5, "blue": 4, "green": 3},
            "skirmishes": [{"id": 1, "scores": {"red": red, "blue": 10, "green": 5}}],
            "maps": [{"id": 38, "type": "Center", "scores": {"red": red, "blue": 10, "green": 5},
                "kills": {"red": 1, "blue": 2, "green": 3}, "deaths": {"red": 3, "blue": 2, "green": 1},
                "objectives": [{"id": "38-6", "type": "Keep", "owner": owner, "last_flipped": "2026-11-25T18:00:00Z"},
                               {"id": "38-9", "type": "Castle", "owner": "Neutral"}]}]})
    }

    #[test]
    fn unchanged_documents_have_no_diff() {
        assert_eq!(diff(&document(100, "Red"), &document(100, "Red")), None);
    }

    #[test]
    fn a_score_change_and_a_flip_are_reported() {
        let changes = diff(&document(100, "Red"), &document(140, "Blue")).unwrap();
        assert_eq!(changes["scores"]["red"], 140);
        assert!(!changes.contains_key("kills"), "kills did not change");
        assert_eq!(changes["skirmish"]["scores"]["red"], 140);
        assert_eq!(changes["maps"][0]["id"], 38);
        assert_eq!(changes["maps"][0]["scores"]["red"], 140);
        let flips = changes["objective_flips"].as_array().unwrap();
        assert_eq!(flips.len(), 1);
        assert_eq!(flips[0]["id"], "38-6");
        assert_eq!(flips[0]["from"], "Red");
        assert_eq!(flips[0]["to"], "Blue");
    }

    #[test]
    fn match_ids_are_checked() {
        assert!(valid_match_id("1-3"));
        assert!(valid_match_id("2-5"));
        assert!(!valid_match_id("1"));
        assert!(!valid_match_id("1-3-4"));
        assert!(!valid_match_id("a-b"));
        assert!(!valid_match_id("../x"));
    }
}
