//! Every chat link type.
//!
//! Formats (wiki "Chat link format", https://wiki.guildwars2.com/wiki/Chat_link_format, and
//! gw2efficiency/chat-codes `src/static.ts`, `src/decode/*.ts`):
//! - most id links (map 0x04, skill 0x06, trait 0x07, recipe 0x09, wardrobe skin 0x0A,
//!   outfit 0x0B; text 0x03 is read the same way): header + id as 3-byte LE + a zero byte.
//!   We read those 4 bytes as one u32 so any payload round-trips byte-identically.
//! - coin 0x01: header + u32 LE copper amount (`[&AdsnAAA=]` = 1 g 2 s 3 c).
//! - item 0x02: header, quantity u8, item id u24 LE, flags u8 (0x80 skin, 0x40 first upgrade,
//!   0x20 second upgrade), then one u32 LE per flag in that order.
//! - WvW objective 0x0C: objective id u32 LE (u24 + 0), map id u32 LE (u24 + 0).
//! - build 0x0D: see [`RawBuildCode`].

use serde::{Deserialize, Serialize};

use super::build::{decode_raw_bytes, encode_raw_bytes, RawBuildCode};
use super::{unwrap_link, wrap_link, CodeError, Reader};

const ITEM_SKIN: u8 = 0x80;
const ITEM_UPGRADE1: u8 = 0x40;
const ITEM_UPGRADE2: u8 = 0x20;

/// The header byte of each link type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Coin = 0x01,
    Item = 0x02,
    Text = 0x03,
    Map = 0x04,
    Skill = 0x06,
    Trait = 0x07,
    Recipe = 0x09,
    Wardrobe = 0x0A,
    Outfit = 0x0B,
    WvwObjective = 0x0C,
    Build = 0x0D,
}

impl LinkType {
    /// The link type of a header byte.
    pub fn from_header(b: u8) -> Option<LinkType> {
        Some(match b {
            0x01 => LinkType::Coin,
            0x02 => LinkType::Item,
            0x03 => LinkType::Text,
            0x04 => LinkType::Map,
            0x06 => LinkType::Skill,
            0x07 => LinkType::Trait,
            0x09 => LinkType::Recipe,
            0x0A => LinkType::Wardrobe,
            0x0B => LinkType::Outfit,
            0x0C => LinkType::WvwObjective,
            0x0D => LinkType::Build,
            _ => return None,
        })
    }
}

/// An item link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLink {
    /// Stack size (1–255; the game writes 1 for a single item).
    pub quantity: u8,
    /// Item id, 24 bits on the wire (higher bits are dropped by [`ChatLink::encode`]; decoding
    /// never produces them).
    pub id: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skin: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade1: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade2: Option<u32>,
}

/// A decoded chat link of any type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatLink {
    Coin { copper: u32 },
    Item(ItemLink),
    Text { id: u32 },
    Map { id: u32 },
    Skill { id: u32 },
    Trait { id: u32 },
    Recipe { id: u32 },
    Wardrobe { id: u32 },
    Outfit { id: u32 },
    WvwObjective { objective_id: u32, map_id: u32 },
    Build(RawBuildCode),
}

impl ChatLink {
    /// The link's type.
    pub fn link_type(&self) -> LinkType {
        match self {
            ChatLink::Coin { .. } => LinkType::Coin,
            ChatLink::Item(_) => LinkType::Item,
            ChatLink::Text { .. } => LinkType::Text,
            ChatLink::Map { .. } => LinkType::Map,
            ChatLink::Skill { .. } => LinkType::Skill,
            ChatLink::Trait { .. } => LinkType::Trait,
            ChatLink::Recipe { .. } => LinkType::Recipe,
            ChatLink::Wardrobe { .. } => LinkType::Wardrobe,
            ChatLink::Outfit { .. } => LinkType::Outfit,
            ChatLink::WvwObjective { .. } => LinkType::WvwObjective,
            ChatLink::Build(_) => LinkType::Build,
        }
    }

    /// Decodes any `[&...]` link (surrounding whitespace tolerated).
    pub fn decode(input: &str) -> Result<ChatLink, CodeError> {
        let bytes = unwrap_link(input)?;
        Self::decode_bytes(&bytes)
    }

    /// Decodes a link payload (header byte included).
    pub fn decode_bytes(bytes: &[u8]) -> Result<ChatLink, CodeError> {
        let mut r = Reader::new(bytes);
        let header = r.u8()?;
        let ty = LinkType::from_header(header).ok_or(CodeError::UnknownLinkType { header })?;
        let link = match ty {
            LinkType::Build => return decode_raw_bytes(bytes).map(ChatLink::Build),
            LinkType::Coin => ChatLink::Coin { copper: r.u32()? },
            LinkType::Item => {
                let quantity = r.u8()?;
                let b = r.array::<3>()?;
                let id = u32::from_le_bytes([b[0], b[1], b[2], 0]);
                let flags_at = r.pos();
                let flags = r.u8()?;
                if flags & !(ITEM_SKIN | ITEM_UPGRADE1 | ITEM_UPGRADE2) != 0 {
                    return Err(CodeError::UnknownItemFlags {
                        offset: flags_at,
                        flags,
                    });
                }
                let mut opt = |bit: u8| -> Result<Option<u32>, CodeError> {
                    if flags & bit != 0 {
                        r.u32().map(Some)
                    } else {
                        Ok(None)
                    }
                };
                let skin = opt(ITEM_SKIN)?;
                let upgrade1 = opt(ITEM_UPGRADE1)?;
                let upgrade2 = opt(ITEM_UPGRADE2)?;
                ChatLink::Item(ItemLink {
                    quantity,
                    id,
                    skin,
                    upgrade1,
                    upgrade2,
                })
            }
            LinkType::Text => ChatLink::Text { id: r.u32()? },
            LinkType::Map => ChatLink::Map { id: r.u32()? },
            LinkType::Skill => ChatLink::Skill { id: r.u32()? },
            LinkType::Trait => ChatLink::Trait { id: r.u32()? },
            LinkType::Recipe => ChatLink::Recipe { id: r.u32()? },
            LinkType::Wardrobe => ChatLink::Wardrobe { id: r.u32()? },
            LinkType::Outfit => ChatLink::Outfit { id: r.u32()? },
            LinkType::WvwObjective => ChatLink::WvwObjective {
                objective_id: r.u32()?,
                map_id: r.u32()?,
            },
        };
        r.finish()?;
        Ok(link)
    }

    /// The payload bytes (header included).
    pub fn encode_bytes(&self) -> Result<Vec<u8>, CodeError> {
        let mut out = vec![self.link_type() as u8];
        match self {
            ChatLink::Build(b) => return encode_raw_bytes(b),
            ChatLink::Coin { copper: id }
            | ChatLink::Text { id }
            | ChatLink::Map { id }
            | ChatLink::Skill { id }
            | ChatLink::Trait { id }
            | ChatLink::Recipe { id }
            | ChatLink::Wardrobe { id }
            | ChatLink::Outfit { id } => out.extend_from_slice(&id.to_le_bytes()),
            ChatLink::WvwObjective {
                objective_id,
                map_id,
            } => {
                out.extend_from_slice(&objective_id.to_le_bytes());
                out.extend_from_slice(&map_id.to_le_bytes());
            }
            ChatLink::Item(item) => {
                out.push(item.quantity);
                out.extend_from_slice(&item.id.to_le_bytes()[..3]);
                let mut flags = 0u8;
                for (v, bit) in [
                    (item.skin, ITEM_SKIN),
                    (item.upgrade1, ITEM_UPGRADE1),
                    (item.upgrade2, ITEM_UPGRADE2),
                ] {
                    if v.is_some() {
                        flags |= bit;
                    }
                }
                out.push(flags);
                for v in [item.skin, item.upgrade1, item.upgrade2]
                    .into_iter()
                    .flatten()
                {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
        Ok(out)
    }

    /// Encodes into `[&...]`. Fails only for a build whose extension lists exceed 255 entries.
    pub fn encode(&self) -> Result<String, CodeError> {
        Ok(wrap_link(&self.encode_bytes()?))
    }
}
