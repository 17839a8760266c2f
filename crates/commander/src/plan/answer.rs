//! The answer's shape: what the original client's Team Commander page reads
//! (`teamCommander.service.ts`), plus what we add (coverage per group, which slots were asked
//! for, the mode and experience used, warnings).

use optimizer::squad::CoverageEntry;
use serde::Serialize;

use crate::request::{Experience, WvwMode};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SquadAnswer {
    pub success: bool,
    /// Players in the squad.
    pub team_size: u32,
    pub groups: Vec<Group>,
    pub synergy: Synergy,
    /// What was chosen for the request and why (defaults taken, how counts were spread).
    pub notes: Vec<String>,
    pub mode: WvwMode,
    pub experience: Experience,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// 1-based.
    pub index: u32,
    pub slots: Vec<Slot>,
    /// How well the group meets each of the mode's needs (the squad optimizer's figures).
    pub coverage: Vec<CoverageEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// support | heal | quickness | alacrity | strip | dps
    pub role: String,
    pub profession: String,
    pub specialization: String,
    pub equipment: Equipment,
    pub performance: Performance,
    pub advisor_reason: String,
    /// True when the request named this slot; false when the planner filled it.
    pub requested: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equipment {
    /// The stat prefix of every armor, trinket and weapon slot (`"Minstrel's"`).
    pub stats: String,
    pub rune: String,
    pub sigils: Vec<String>,
    pub relic: Option<String>,
}

/// The gear engine's figures for the slot (see `plan::gear` for the definitions).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Performance {
    /// Damage of a 4-second burst of 2.0 skill coefficient per second (weapon strength 1100)
    /// on a 2,597-armor target, with this gear, rune, sigils and relic.
    pub burst_damage: f64,
    /// Effective health as a multiple of a full-Berserker's Elementalist's (see
    /// `plan::gear::relative_survivability`): 1.0 is the squishiest common build.
    pub survivability: f64,
    /// Health × armor with this gear (discretize's effective health).
    pub effective_health: f64,
    /// Percent more damage this slot's might and fury give a Berserker's group member.
    pub dps_increase: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Synergy {
    /// S (≥ 95% of the mode's weighted needs covered), A (≥ 85%), B (≥ 70%) or C.
    pub score: String,
    pub details: SynergyDetails,
    /// Weighted coverage of the mode's needs over all groups, 0..1.
    pub coverage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynergyDetails {
    pub stability: String,
    pub healing: String,
    pub boon_share: String,
    pub boon_strip: String,
    pub damage: String,
    pub cleanse: String,
}
