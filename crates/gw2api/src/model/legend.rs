use serde::{Deserialize, Serialize};

/// `/v2/legends` (Revenant). Ids are strings ("Legend1").
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Legend {
    pub id: String,
    /// Build-chat-code number of the legend (newer schemas).
    #[serde(default)]
    pub code: Option<u32>,
    /// Skill id of the legend swap (profession skill).
    #[serde(default)]
    pub swap: Option<u32>,
    #[serde(default)]
    pub heal: Option<u32>,
    #[serde(default)]
    pub elite: Option<u32>,
    #[serde(default)]
    pub utilities: Vec<u32>,
}
