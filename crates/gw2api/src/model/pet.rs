use serde::{Deserialize, Serialize};

/// `/v2/pets` (Ranger).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Pet {
    pub id: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub skills: Vec<PetSkill>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct PetSkill {
    pub id: u32,
}
