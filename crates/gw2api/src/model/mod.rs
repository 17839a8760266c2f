//! Typed API responses. The API adds fields and enum values over time without a schema bump, so
//! every model ignores unknown fields, defaults what may be absent, and keeps enum-like values
//! (`type`, `slot`, `rarity`, ...) as strings rather than closed Rust enums. Polymorphic parts
//! (skill/trait facts, item details) stay `serde_json::Value`.

mod item;
mod itemstats;
mod legend;
mod pet;
mod profession;
mod skill;
mod specialization;
mod traits;
mod wvw;

pub use item::Item;
pub use itemstats::{ItemStat, ItemStatAttribute};
pub use legend::Legend;
pub use pet::{Pet, PetSkill};
pub use profession::{
    Profession, ProfessionSkill, ProfessionWeapon, Training, TrainingStep, WeaponSkill,
};
pub use skill::Skill;
pub use specialization::Specialization;
pub use traits::Trait;
pub use wvw::{
    MapBonus, MapObjective, MapScore, PerTeam, Skirmish, WvwMap, WvwMatch, WvwObjective,
};

use serde::de::DeserializeOwned;

/// A record of an `ids=` endpoint. The id is compared with the requested ids to report which
/// ones the API did not return.
pub trait Resource: DeserializeOwned + Send + 'static {
    /// The id as written in `ids=` (numbers in decimal, strings verbatim).
    fn id_key(&self) -> String;
}

/// Untyped records, for endpoints without a model: the `id` field, whatever its JSON type.
impl Resource for serde_json::Value {
    fn id_key(&self) -> String {
        match self.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }
}

macro_rules! resource_id {
    ($($ty:ty),* $(,)?) => {
        $(impl Resource for $ty {
            fn id_key(&self) -> String {
                self.id.to_string()
            }
        })*
    };
}

resource_id!(
    Item,
    ItemStat,
    Legend,
    Pet,
    Profession,
    Skill,
    Specialization,
    Trait,
    WvwMatch,
    WvwObjective,
);
