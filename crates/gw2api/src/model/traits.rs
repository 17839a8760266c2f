use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `/v2/traits`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Trait {
    pub id: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub specialization: u32,
    /// 1 adept, 2 master, 3 grandmaster (0 for some special traits).
    #[serde(default)]
    pub tier: u32,
    /// Position within the tier (0..=2) for major traits.
    #[serde(default)]
    pub order: Option<u32>,
    /// "Major" or "Minor".
    #[serde(default)]
    pub slot: String,
    /// Tooltip facts; polymorphic by `type`, kept as JSON.
    #[serde(default)]
    pub facts: Vec<Value>,
    #[serde(default)]
    pub traited_facts: Vec<Value>,
    /// Skills the trait grants (with their own facts).
    #[serde(default)]
    pub skills: Vec<Value>,
}
