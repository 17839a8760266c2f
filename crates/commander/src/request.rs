//! What a request asks for, once understood: the contract between [`crate::parse`] (language)
//! and [`crate::plan`] (engines).

use serde::{Deserialize, Serialize};

/// The WvW formats a request can name (and the API's `mode` field: `wvw_zerg`,
/// `wvw_outnumber`, `wvw_roam`, plus `wvw_guild_raid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WvwMode {
    /// A blob of 15–50 players following a commander ("zerg", "bus", "blob").
    Zerg,
    /// A guild group of about 5–15 ("guild raid", "havoc", "gvg").
    GuildRaid,
    /// Fewer players than the enemy ("outnumbered", "outnumber", « en infériorité »).
    Outnumbered,
    /// 1–5 players hunting small fights ("roam", "roaming", "roamer").
    Roaming,
}

impl WvwMode {
    /// The game mode of builds and teams this format is stored as.
    pub fn game_mode(self) -> gw2::model::GameMode {
        use gw2::model::GameMode;
        match self {
            WvwMode::Zerg => GameMode::WvwZerg,
            WvwMode::GuildRaid => GameMode::WvwGuildRaid,
            WvwMode::Outnumbered => GameMode::WvwOutnumbered,
            WvwMode::Roaming => GameMode::WvwRoaming,
        }
    }
}

/// How experienced the players are (the API's `experience` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Experience {
    Beginner,
    Intermediate,
    Expert,
}

/// What a slot is for, when the request names a duty instead of a specialization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// stab, stabeur, stabber, stability
    Stability,
    /// heal, healer, soigneur, heal support
    Healing,
    /// boon, booner, boonshare, quick, alac (boon support)
    Boons,
    /// strip, stripper, boon strip, corrupt
    Strip,
    /// cleanse, cleanser
    Cleanse,
    /// dps, damage, dégâts
    Damage,
    /// power dps
    PowerDamage,
    /// condi dps
    ConditionDamage,
    /// tank, frontline
    Tank,
    /// support (any support)
    Support,
}

/// One thing the request wants in slots: a specialization (with its profession), a
/// profession (any of its specializations), or a duty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wanted {
    /// An elite (or core) specialization, by its English game names.
    Specialization {
        profession: String,
        specialization: String,
    },
    /// A profession by its English game name: any of its specializations fits.
    Profession {
        profession: String,
    },
    Duty {
        duty: Duty,
    },
}

/// Where in the message (byte offsets, `start..end`) a part was read from, and the text there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// "N of something", in each group or in the whole squad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demand {
    pub wanted: Wanted,
    pub count: u32,
    /// True: `count` in every group ("in each party", « dans chaque groupe », "X per group",
    /// or a list that fills one group exactly); false: `count` in the whole squad.
    pub per_group: bool,
    pub span: Span,
}

/// A request, understood. Everything optional is what the message did not say; the planner
/// fills it from the mode (and says so in its notes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SquadRequest {
    pub mode: Option<WvwMode>,
    pub experience: Option<Experience>,
    /// "2 groupes", "3 parties".
    pub groups: Option<u32>,
    /// "de 5", "of 5", "5 per group".
    pub group_size: Option<u32>,
    /// "25 joueurs", "15 players".
    pub players: Option<u32>,
    pub demands: Vec<Demand>,
    /// "complète avec du DPS", "fill the rest with healers": what free slots should be.
    pub fill: Option<Wanted>,
    /// Each recognised part with what it was read as (for the answer's `parse`).
    pub understood: Vec<Understood>,
    /// Words or phrases that meant nothing to the parser (never silently dropped).
    pub not_understood: Vec<Span>,
    /// Names that look like a class but are none ("2 Blorps"): the planner refuses them.
    pub unknown_names: Vec<Span>,
}

/// One recognised part of the message and what it was read as (`"mode: zerg"`,
/// `"2 × Firebrand per group"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Understood {
    pub span: Span,
    pub meaning: String,
}
