//! Interpretation of combat events: statechange kinds, results, buff removal
//! kinds and well-known ids.
//!
//! Values follow the arcdps evtc readme (`enum cbtstatechange`, `enum iff`,
//! `enum cbtresult`, `enum cbtbuffremove`, `enum cbtactivation`) and Elite
//! Insights `GW2EIEvtcParser/ParserHelpers/ArcDPSEnums.cs` (`StateChange`,
//! `PhysicalResult`, `BuffRemove`, `Activation`).

use crate::model::Event;

macro_rules! state_changes {
    ($($(#[$m:meta])* $name:ident = $v:expr),* $(,)?) => {
        /// `is_statechange` values (arcdps readme `enum cbtstatechange`, in
        /// order; EI `ArcDPSEnums.StateChange`). Unknown values are kept in `Other`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum StateChange {
            $($(#[$m])* $name,)*
            /// A value not in this list (newer arcdps); must be ignored.
            Other(u8),
        }
        impl From<u8> for StateChange {
            fn from(v: u8) -> Self {
                match v {
                    $($v => StateChange::$name,)*
                    o => StateChange::Other(o),
                }
            }
        }
        impl From<StateChange> for u8 {
            fn from(s: StateChange) -> u8 {
                match s {
                    $(StateChange::$name => $v,)*
                    StateChange::Other(o) => o,
                }
            }
        }
    };
}

state_changes! {
    None = 0,
    EnterCombat = 1,
    ExitCombat = 2,
    ChangeUp = 3,
    ChangeDead = 4,
    ChangeDown = 5,
    Spawn = 6,
    Despawn = 7,
    HealthUpdate = 8,
    /// CBTS_SQCOMBATSTART, previously "log start".
    LogStart = 9,
    /// CBTS_SQCOMBATEND, previously "log end".
    LogEnd = 10,
    WeaponSwap = 11,
    MaxHealthUpdate = 12,
    PointOfView = 13,
    Language = 14,
    GwBuild = 15,
    ShardId = 16,
    Reward = 17,
    BuffInitial = 18,
    Position = 19,
    Velocity = 20,
    Facing = 21,
    TeamChange = 22,
    AttackTarget = 23,
    Targetable = 24,
    MapId = 25,
    ReplInfo = 26,
    /// CBTS_STACKACTIVE / CBTS_BUFFACTIVE.
    StackActive = 27,
    /// CBTS_STACKRESET / CBTS_BUFFDEACTIVE.
    StackReset = 28,
    Guild = 29,
    BuffInfo = 30,
    BuffFormula = 31,
    SkillInfo = 32,
    SkillTiming = 33,
    BreakbarState = 34,
    BreakbarPercent = 35,
    /// CBTS_INTEGRITY, previously "error"; `time` holds text.
    Integrity = 36,
    /// CBTS_TAG / CBTS_MARKER; `buff != 0` means commander tag.
    Marker = 37,
    BarrierUpdate = 38,
    StatReset = 39,
    /// Extension events (e.g. healing stats addon), signature in `pad`.
    Extension = 40,
    ApiDelayed = 41,
    InstanceStart = 42,
    TickRate = 43,
    Last90BeforeDown = 44,
    Effect45 = 45,
    IdToGuid = 46,
    LogNpcUpdate = 47,
    Idle = 48,
    /// Extension events treated as `cbtevent` (healing stats addon revision >= 1).
    ExtensionCombat = 49,
    FractalScale = 50,
    Effect51 = 51,
    RuleSet = 52,
    SquadMarker = 53,
    ArcBuild = 54,
    Glider = 55,
    StunBreak = 56,
    MissileCreate = 57,
    MissileLaunch = 58,
    MissileRemove = 59,
    EffectGroundCreate = 60,
    EffectGroundRemove = 61,
    EffectAgentCreate = 62,
    EffectAgentRemove = 63,
    IidChange = 64,
    MapChange = 65,
    EarlyExit = 66,
    AnimationStart = 67,
    AnimationStop = 68,
    /// Newer arcdps: buff apply as a statechange.
    BuffApply = 69,
    BuffChange = 70,
    BuffRemoveSingle = 71,
    BuffRemoveAll = 72,
    Transformation = 73,
    WvwTeams = 74,
    WvwObjectiveStatus = 75,
    StealthChange = 76,
    GadgetAnimation = 77,
    GadgetNameVisible = 78,
    MissileEffect = 79,
    GadgetCaptureOutlineShow = 80,
    GadgetCaptureSplitPercent = 81,
    GadgetCaptureOutlineHide = 82,
    GadgetCaptureOutlinePoint = 83,
    Tick = 84,
    Teleport = 85,
    Jump = 86,
}

impl StateChange {
    /// Whether the event's `time` field is a real timestamp (not packed data),
    /// used for fight bounds.
    pub fn has_time(self) -> bool {
        !matches!(
            self,
            StateChange::BuffInfo
                | StateChange::BuffFormula
                | StateChange::SkillInfo
                | StateChange::SkillTiming
                | StateChange::Integrity
                | StateChange::IdToGuid
                | StateChange::ArcBuild
        )
    }
}

/// `iff` values (readme `enum iff`).
pub mod iff {
    pub const FRIEND: u8 = 0;
    pub const FOE: u8 = 1;
    pub const UNKNOWN: u8 = 2;
}

/// Direct damage `result` values (readme `enum cbtresult`, EI `PhysicalResult`).
pub mod result {
    pub const NORMAL: u8 = 0;
    pub const CRIT: u8 = 1;
    pub const GLANCE: u8 = 2;
    pub const BLOCK: u8 = 3;
    pub const EVADE: u8 = 4;
    pub const INTERRUPT: u8 = 5;
    pub const ABSORB: u8 = 6;
    pub const BLIND: u8 = 7;
    pub const KILLING_BLOW: u8 = 8;
    pub const DOWNED: u8 = 9;
    /// Defiance (breakbar) damage; older readme: CBTR_BREAKBAR.
    pub const DEFIANCE: u8 = 10;
    /// On-skill-use signal; older readme: CBTR_ACTIVATION.
    pub const SKILLCAST: u8 = 11;
    /// "target was crowdcontrolled" (current readme).
    pub const CROWD_CONTROL: u8 = 12;
}

/// `is_buffremove` values (readme `enum cbtbuffremove`).
pub mod buffremove {
    pub const NONE: u8 = 0;
    /// Last/all stacks removed (sent by server): the one counted for strips/cleanses.
    pub const ALL: u8 = 1;
    /// Single stack removed (sent by server).
    pub const SINGLE: u8 = 2;
    /// Single stack removed by arc on all-stack removal / out of combat; ignored
    /// for strip/cleanse counts.
    pub const MANUAL: u8 = 3;
}

/// `is_activation` values (readme `enum cbtactivation`).
pub mod activation {
    pub const NONE: u8 = 0;
    pub const START: u8 = 1;
    pub const QUICKNESS_UNUSED: u8 = 2;
    pub const CANCEL_FIRE: u8 = 3;
    pub const CANCEL_CANCEL: u8 = 4;
    pub const RESET: u8 = 5;
}

/// Well-known skill ids (EI `SkillIDs.cs`, readme `cbtcustomskill`).
pub mod skill {
    /// Resurrect ("not custom but important and unnamed").
    pub const RESURRECT: u32 = 1066;
    pub const BANDAGE: u32 = 1175;
    /// arcdps custom dodge id.
    pub const DODGE: u32 = 23275;
}

/// Signature of the arcdps healing stats extension (EI
/// `HealingStatsExtensionHandler.EXT_HealingStats`).
pub const HEALING_EXTENSION_SIGNATURE: u32 = 0x9c9b_3c99;

/// High-level classification of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `is_statechange != 0`.
    StateChange(StateChange),
    /// `is_activation != 0` (skill cast start/stop).
    Activation(u8),
    /// `is_buffremove != 0`: src had buff removed by dst.
    BuffRemove(u8),
    /// `buff != 0 && value != 0 && buff_dmg == 0`-ish: buff application, `value` ms.
    BuffApply,
    /// `buff != 0 && value == 0`: buff (condition) damage in `buff_dmg`.
    BuffDamage,
    /// `buff == 0`: direct (strike) damage in `value`, `result` of `cbtresult`.
    DirectDamage,
}

impl EventKind {
    /// Classify following the readme order: statechange > activation > buffremove > rest.
    pub fn of(e: &Event) -> EventKind {
        if e.is_statechange != 0 {
            EventKind::StateChange(StateChange::from(e.is_statechange))
        } else if e.is_activation != 0 {
            EventKind::Activation(e.is_activation)
        } else if e.is_buffremove != 0 {
            EventKind::BuffRemove(e.is_buffremove)
        } else if e.buff != 0 && e.value == 0 {
            EventKind::BuffDamage
        } else if e.buff != 0 {
            EventKind::BuffApply
        } else {
            EventKind::DirectDamage
        }
    }
}
