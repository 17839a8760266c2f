//! A training sample and the snapshot (one collected version of a task's samples) a model
//! was trained on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Task;

/// One example: named numeric features, the label, and where it came from (`fight:<id>`,
/// `build:<id>`, `fight:<id>/player:<n>`), so an exported sample can be traced back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Feature name → value. A name missing from a sample counts as 0 (one-hot features).
    pub features: BTreeMap<String, f64>,
    pub label: f64,
    pub source: String,
}

impl Sample {
    /// The group the sample belongs to: its source up to the first `/` (`fight:<id>` for
    /// `fight:<id>/player:<n>`: the fight), the whole source when it has none.
    pub fn group(&self) -> &str {
        self.source
            .split_once('/')
            .map_or(self.source.as_str(), |(group, _)| group)
    }
}

/// The data a model was trained on: which version of which task's samples, how many, and
/// a hash that changes whenever any sample does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `{task}@{version}`.
    pub id: String,
    pub task: Task,
    pub version: i64,
    /// Number of samples.
    pub size: usize,
    /// SHA-256 (hex) of the samples' canonical JSON lines, see [`Snapshot::hash`].
    pub sha256: String,
}

impl Snapshot {
    pub fn new(task: Task, version: i64, samples: &[Sample]) -> Snapshot {
        Snapshot {
            id: format!("{task}@{version}"),
            task,
            version,
            size: samples.len(),
            sha256: Snapshot::hash(samples),
        }
    }

    /// SHA-256 of the samples as JSON lines (keys sorted, as `BTreeMap` serializes them),
    /// the lines sorted: the same samples in any order hash the same, so a collection that
    /// finds nothing new can keep the previous version.
    pub fn hash(samples: &[Sample]) -> String {
        let mut lines: Vec<String> = samples
            .iter()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
            .collect();
        lines.sort_unstable();
        let mut hasher = Sha256::new();
        for line in &lines {
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
        }
        hex(&hasher.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(source: &str, label: f64) -> Sample {
        Sample {
            features: BTreeMap::from([("a".to_owned(), 1.5), ("b".to_owned(), -2.0)]),
            label,
            source: source.to_owned(),
        }
    }

    #[test]
    fn the_hash_ignores_order_and_sees_every_change() {
        let a = vec![sample("x", 1.0), sample("y", 0.0)];
        let b = vec![sample("y", 0.0), sample("x", 1.0)];
        assert_eq!(Snapshot::hash(&a), Snapshot::hash(&b));
        let c = vec![sample("x", 1.0), sample("y", 1.0)];
        assert_ne!(Snapshot::hash(&a), Snapshot::hash(&c));
        let snapshot = Snapshot::new(Task::FightOutcome, 3, &a);
        assert_eq!(snapshot.id, "fight_outcome@3");
        assert_eq!(snapshot.size, 2);
        assert_eq!(snapshot.sha256.len(), 64);
    }

    #[test]
    fn a_players_group_is_their_fight() {
        assert_eq!(sample("fight:7/player:3", 1.0).group(), "fight:7");
        assert_eq!(sample("fight:7", 1.0).group(), "fight:7");
        assert_eq!(sample("build:2", 1.0).group(), "build:2");
    }
}
