//! In-memory representation of an arcdps EVTC log.
//!
//! The layout follows the arcdps evtc readme (`writeencounter.cpp` notes,
//! `evtc_agent` and `cbtevent` structs) and Elite Insights'
//! `GW2EIEvtcParser/EvtcParser.cs` (`ParseFightData`, `ParseAgentData`,
//! `ParseSkillData`, `ReadCombatItem`, `ReadCombatItemRev1`).
//!
//! Everything here is kept close to the bytes so that
//! `parse(write(log)) == log` holds exactly; interpretation lives in
//! [`crate::event`] and [`crate::analyze`].

use crate::event::{EventKind, StateChange};

/// File header: 16 bytes.
///
/// ```text
/// offset 0  : "EVTC"            (4 bytes magic)
/// offset 4  : arcdps build date (8 ASCII bytes, e.g. "20240612")
/// offset 12 : revision          (u8; "revision 1, when header[12] == 1")
/// offset 13 : species/boss id   (u16 LE; 1 = WvW, 2 = map)
/// offset 15 : unused            (u8)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// arcdps build date bytes as written (normally ASCII `yyyymmdd`).
    pub build: [u8; 8],
    /// Combat event layout revision (0 = old layout, >= 1 = revision 1 layout).
    pub revision: u8,
    /// Species id of the log's trigger NPC; 1 = WvW, 2 = map log.
    pub species_id: u16,
    /// The spare byte at offset 15.
    pub spare: u8,
}

impl Header {
    /// Header size in bytes.
    pub const SIZE: usize = 16;
    /// Species id arcdps uses for WvW logs ("an npcid of 1 indicates log is wvw").
    pub const SPECIES_WVW: u16 = 1;
    /// Species id arcdps uses for map logs.
    pub const SPECIES_MAP: u16 = 2;

    /// The build date as text (lossy for non-UTF-8 bytes).
    pub fn build_str(&self) -> String {
        String::from_utf8_lossy(&self.build).into_owned()
    }

    /// The build date as a number (`20240612`) when it is all digits.
    pub fn build_number(&self) -> Option<u32> {
        let s = std::str::from_utf8(&self.build).ok()?;
        s.parse().ok()
    }

    /// True for WvW logs.
    pub fn is_wvw(&self) -> bool {
        self.species_id == Self::SPECIES_WVW
    }
}

impl Default for Header {
    fn default() -> Self {
        Header {
            build: *b"20240612",
            revision: 1,
            species_id: 1,
            spare: 0,
        }
    }
}

/// Size of the fixed agent name field.
pub const NAME_LEN: usize = 64;

/// What kind of agent an [`Agent`] record describes (arcdps readme:
/// "if evtc_agent.is_elite == 0xffffffff && upper half of prof == 0xffff,
/// agent is a gadget ... else npc ...; if is_elite != 0xffffffff, agent is a player").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentKind {
    /// A player character: `profession` and `elite` spec are valid.
    Player { profession: u32, elite: u32 },
    /// An NPC with a reliable species id.
    Npc { species_id: u16 },
    /// A gadget with a volatile pseudo id.
    Gadget { pseudo_id: u16 },
}

/// One 96-byte agent table record.
///
/// ```text
/// 0  u64 address          8  u32 profession     12 u32 is_elite
/// 16 i16 toughness        18 i16 concentration  20 i16 healing
/// 22 i16 hitbox width     24 i16 condition      26 i16 hitbox height
/// 28 char name[64]        92 4 bytes padding    (EI reads 68 bytes of name)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub address: u64,
    pub profession: u32,
    pub is_elite: u32,
    pub toughness: i16,
    pub concentration: i16,
    pub healing: i16,
    pub hitbox_width: i16,
    pub condition: i16,
    pub hitbox_height: i16,
    /// Raw name bytes. For players: `character\0:account\0subgroup\0`.
    pub name: [u8; NAME_LEN],
}

impl Agent {
    /// Record size in bytes.
    pub const SIZE: usize = 96;

    /// Classify the agent per the arcdps readme rules.
    pub fn kind(&self) -> AgentKind {
        if self.is_elite != 0xffff_ffff {
            AgentKind::Player {
                profession: self.profession,
                elite: self.is_elite,
            }
        } else if self.profession >> 16 == 0xffff {
            AgentKind::Gadget {
                pseudo_id: (self.profession & 0xffff) as u16,
            }
        } else {
            AgentKind::Npc {
                species_id: (self.profession & 0xffff) as u16,
            }
        }
    }

    /// True when `is_elite != 0xffffffff`.
    pub fn is_player(&self) -> bool {
        self.is_elite != 0xffff_ffff
    }

    fn name_parts(&self) -> impl Iterator<Item = &[u8]> {
        self.name.split(|b| *b == 0)
    }

    /// Character name (first NUL-terminated part), or the whole name for NPCs.
    pub fn character_name(&self) -> String {
        let first = self.name_parts().next().unwrap_or(&[]);
        String::from_utf8_lossy(first).into_owned()
    }

    /// Account name (`:Account.1234`), when the name has one.
    pub fn account(&self) -> Option<String> {
        let second = self.name_parts().nth(1)?;
        if second.is_empty() {
            return None;
        }
        Some(String::from_utf8_lossy(second).into_owned())
    }

    /// Account name without the leading `:`.
    pub fn account_name(&self) -> Option<String> {
        self.account()
            .map(|a| a.trim_start_matches(':').to_string())
    }

    /// Subgroup from the third part of a player name (`"1"`..`"15"`); 0 / missing = none.
    pub fn subgroup(&self) -> Option<u8> {
        let third = self.name_parts().nth(2)?;
        let s = std::str::from_utf8(third).ok()?;
        match s.trim().parse::<u8>() {
            Ok(0) | Err(_) => None,
            Ok(g) => Some(g),
        }
    }

    /// Build a player name field `character\0account\0subgroup\0`, truncated to 64 bytes.
    pub fn player_name(character: &str, account: &str, subgroup: u8) -> [u8; NAME_LEN] {
        let mut bytes = Vec::with_capacity(NAME_LEN);
        bytes.extend_from_slice(character.as_bytes());
        bytes.push(0);
        if !account.is_empty() {
            if !account.starts_with(':') {
                bytes.push(b':');
            }
            bytes.extend_from_slice(account.as_bytes());
        }
        bytes.push(0);
        if subgroup > 0 {
            bytes.extend_from_slice(subgroup.to_string().as_bytes());
        }
        bytes.push(0);
        fixed_name(&bytes)
    }

    /// A plain NUL-terminated name, truncated to 64 bytes.
    pub fn plain_name(name: &str) -> [u8; NAME_LEN] {
        fixed_name(name.as_bytes())
    }
}

/// Copy up to 64 bytes into a zero-padded name field.
pub fn fixed_name(bytes: &[u8]) -> [u8; NAME_LEN] {
    let mut out = [0u8; NAME_LEN];
    for (o, b) in out.iter_mut().zip(bytes.iter()) {
        *o = *b;
    }
    out
}

/// One 68-byte skill table record: `i32 id`, `char name[64]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skill {
    pub id: i32,
    pub name: [u8; NAME_LEN],
}

impl Skill {
    /// Record size in bytes.
    pub const SIZE: usize = 68;

    /// Skill name up to the first NUL.
    pub fn name_str(&self) -> String {
        let end = self.name.iter().position(|b| *b == 0).unwrap_or(NAME_LEN);
        String::from_utf8_lossy(self.name.get(..end).unwrap_or(&[])).into_owned()
    }
}

/// One combat event, normalised to the revision 1 `cbtevent` fields.
///
/// Revision 1 layout (64 bytes, arcdps readme `cbtevent`, EI `ReadCombatItemRev1`):
/// ```text
/// 0  u64 time        8  u64 src_agent   16 u64 dst_agent
/// 24 i32 value       28 i32 buff_dmg    32 u32 overstack_value  36 u32 skillid
/// 40 u16 src_instid  42 u16 dst_instid  44 u16 src_master_instid 46 u16 dst_master_instid
/// 48 iff 49 buff 50 result 51 is_activation 52 is_buffremove 53 is_ninety
/// 54 is_fifty 55 is_moving 56 is_statechange 57 is_flanking 58 is_shields
/// 59 is_offcycle 60..64 pad61..pad64 (u32 LE: buff stack id / extension signature)
/// ```
/// Revision 0 layout (64 bytes, readme "combat event (old, when header[12] == 0)",
/// EI `ReadCombatItem`): `time, src, dst, value, buff_dmg` as above, then
/// `u16 overstack_value @32, u16 skillid @34, u16 src_instid @36, u16 dst_instid @38,
/// u16 src_master_instid @40`, 9 unused `iss_*/skar*` bytes @42..51, then
/// `iff @51 buff @52 result @53 is_activation @54 is_buffremove @55 is_ninety @56
/// is_fifty @57 is_moving @58 is_statechange @59 is_flanking @60 is_shields @61
/// is_offcycle @62 pad64 @63`. Fields absent in revision 0 are zero here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub time: i64,
    pub src_agent: u64,
    pub dst_agent: u64,
    pub value: i32,
    pub buff_dmg: i32,
    pub overstack_value: u32,
    pub skill_id: u32,
    pub src_instid: u16,
    pub dst_instid: u16,
    pub src_master_instid: u16,
    pub dst_master_instid: u16,
    pub iff: u8,
    pub buff: u8,
    pub result: u8,
    pub is_activation: u8,
    pub is_buffremove: u8,
    pub is_ninety: u8,
    pub is_fifty: u8,
    pub is_moving: u8,
    pub is_statechange: u8,
    pub is_flanking: u8,
    pub is_shields: u8,
    pub is_offcycle: u8,
    /// pad61..pad64 as a little-endian u32 (revision 1 only).
    pub pad: u32,
}

impl Event {
    /// Event record size in bytes (both revisions).
    pub const SIZE: usize = 64;

    /// The statechange kind of this event.
    pub fn state_change(&self) -> StateChange {
        StateChange::from(self.is_statechange)
    }

    /// Classify the event (statechange > activation > buffremove > the rest,
    /// per the readme's "parse event type order").
    pub fn kind(&self) -> EventKind {
        EventKind::of(self)
    }

    /// Position/velocity payload: `(float*)&dst_agent is float[3]` (x, y from
    /// `dst_agent`, z from the following `value` field).
    pub fn xyz(&self) -> [f32; 3] {
        [
            f32::from_bits(self.dst_agent as u32),
            f32::from_bits((self.dst_agent >> 32) as u32),
            f32::from_bits(self.value as u32),
        ]
    }
}

/// A parsed log: header, agent table, skill table and combat events in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    pub header: Header,
    pub agents: Vec<Agent>,
    pub skills: Vec<Skill>,
    pub events: Vec<Event>,
    /// Byte offset in the (decompressed) `.evtc` data where an incomplete last event starts:
    /// the file was cut inside an event (arcdps stopped writing, e.g. a crashed client) and
    /// `events` holds only the complete ones. `None` when the data ends on an event boundary.
    /// Not written by the `write` module (feature `write`).
    pub truncated_at: Option<u64>,
}

impl Log {
    /// Look up a skill name by id.
    pub fn skill_name(&self, id: u32) -> Option<String> {
        self.skills
            .iter()
            .find(|s| s.id as u32 == id)
            .map(Skill::name_str)
    }
}
