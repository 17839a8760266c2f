//! Build template links (type 0x0D).
//!
//! Layout (ArenaNet's C++ struct from the "API updates December 18, 2019" forum post, as kept in
//! berdandy/chatr `docs/build_template_reference.cpp`; extension from the same file's SotO note and
//! gw2efficiency/chat-codes `src/decode/decodeBuildLink.ts`):
//!
//! | bytes  | field |
//! |--------|-------|
//! | 0      | 0x0D |
//! | 1      | profession code |
//! | 2..8   | 3 × (specialization id u8, trait byte: bits 0-1 adept, 2-3 master, 4-5 grandmaster) |
//! | 8..28  | 10 × u16 LE palette ids: land heal, water heal, land u1, water u1, land u2, water u2, land u3, water u3, land elite, water elite |
//! | 28..44 | profession data: ranger pets (land1, land2, water1, water2) + 12 zero bytes; revenant legends (land active, land inactive, water active, water inactive) + 3 × u16 inactive land utilities + 3 × u16 inactive water utilities |
//! | 44..   | optional (since Secrets of the Obscure): u8 weapon count + u16 LE weapon type ids, u8 override count + u32 LE skill ids |

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::{unwrap_link, wrap_link, CodeError, Reader};
use crate::data::{GameData, Legend, SkillSlot, Specialization};

/// Header byte of a build template link.
pub const BUILD_HEADER: u8 = 0x0D;
/// Length of a build code without the Secrets-of-the-Obscure extension.
pub const LEGACY_BUILD_LEN: usize = 44;

const PROFESSION_DATA_OFFSET: usize = 28;

/// One trait tier's pick. On the wire: 0 none, 1 top, 2 middle, 3 bottom.
///
/// Serialized as `"none"`, `"top"`, `"middle"`, `"bottom"`; deserialized from those names or
/// from the wire numbers 0–3, so hand-written JSON can use either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TraitChoice {
    #[default]
    None,
    Top,
    Middle,
    Bottom,
}

impl TraitChoice {
    /// The wire value (0–3).
    pub fn to_bits(self) -> u8 {
        match self {
            TraitChoice::None => 0,
            TraitChoice::Top => 1,
            TraitChoice::Middle => 2,
            TraitChoice::Bottom => 3,
        }
    }

    /// From the low two bits of `v` (higher bits ignored: callers check padding first).
    pub fn from_bits(v: u8) -> Self {
        match v & 3 {
            0 => TraitChoice::None,
            1 => TraitChoice::Top,
            2 => TraitChoice::Middle,
            _ => TraitChoice::Bottom,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TraitChoice::None => "none",
            TraitChoice::Top => "top",
            TraitChoice::Middle => "middle",
            TraitChoice::Bottom => "bottom",
        }
    }
}

impl Serialize for TraitChoice {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for TraitChoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = TraitChoice;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("\"none\", \"top\", \"middle\", \"bottom\" or 0-3")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TraitChoice, E> {
                match v {
                    0..=3 => Ok(TraitChoice::from_bits(v as u8)),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TraitChoice, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TraitChoice, E> {
                match v.to_ascii_lowercase().as_str() {
                    "none" => Ok(TraitChoice::None),
                    "top" => Ok(TraitChoice::Top),
                    "middle" => Ok(TraitChoice::Middle),
                    "bottom" => Ok(TraitChoice::Bottom),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Raw layer
// ---------------------------------------------------------------------------------------------

/// One specialization line as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawSpecialization {
    /// Specialization id (0 = empty line).
    pub id: u8,
    /// Adept, master, grandmaster picks.
    pub traits: [TraitChoice; 3],
}

/// Five skill palette ids of one environment (land or water).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawSkillBar {
    pub heal: u16,
    pub utilities: [u16; 3],
    pub elite: u16,
}

/// The Secrets-of-the-Obscure extension: chosen weapon types and skill overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawExtension {
    /// Weapon type ids (no API endpoint; see the curated weapon table in the snapshot).
    pub weapons: Vec<u16>,
    /// Skill ids replacing default skills (e.g. weapon skill variants).
    pub skill_overrides: Vec<u32>,
}

/// A build code as numbers only: decodable and re-encodable without any game data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawBuildCode {
    /// Chat-code profession code (1 Guardian … 9 Revenant).
    pub profession: u8,
    pub specializations: [RawSpecialization; 3],
    pub land: RawSkillBar,
    pub water: RawSkillBar,
    /// The 16 profession-specific bytes, kept verbatim so every code round-trips.
    pub profession_data: [u8; 16],
    /// `None` for legacy (pre-SotO) 44-byte codes; `Some` (possibly with empty lists) when the
    /// two count bytes are present. Kept distinct so both forms re-encode byte-identically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<RawExtension>,
}

impl RawBuildCode {
    /// Ranger pets `[land1, land2, water1, water2]` (meaningful for rangers only).
    pub fn pets(&self) -> [u8; 4] {
        [
            self.profession_data[0],
            self.profession_data[1],
            self.profession_data[2],
            self.profession_data[3],
        ]
    }

    /// Revenant legend codes `[land active, land inactive, water active, water inactive]`.
    pub fn legends(&self) -> [u8; 4] {
        self.pets()
    }

    /// Revenant inactive-legend utility palette ids `(land, water)`.
    pub fn inactive_legend_utilities(&self) -> ([u16; 3], [u16; 3]) {
        let d = &self.profession_data;
        let at = |i: usize| u16::from_le_bytes([d[4 + 2 * i], d[5 + 2 * i]]);
        ([at(0), at(1), at(2)], [at(3), at(4), at(5)])
    }
}

/// Decodes a build template link into numbers. See the module docs for the layout.
pub fn decode_raw(input: &str) -> Result<RawBuildCode, CodeError> {
    let bytes = unwrap_link(input)?;
    decode_raw_bytes(&bytes)
}

/// Decodes a build template payload (header byte included).
pub(crate) fn decode_raw_bytes(bytes: &[u8]) -> Result<RawBuildCode, CodeError> {
    let mut r = Reader::new(bytes);
    let header = r.u8()?;
    if header != BUILD_HEADER {
        return Err(CodeError::WrongHeader {
            expected: BUILD_HEADER,
            found: header,
        });
    }
    let profession = r.u8()?;
    let mut specializations = [RawSpecialization::default(); 3];
    for spec in &mut specializations {
        spec.id = r.u8()?;
        let offset = r.pos();
        let t = r.u8()?;
        if t & 0xC0 != 0 {
            return Err(CodeError::TraitPadding { offset, value: t });
        }
        spec.traits = [
            TraitChoice::from_bits(t),
            TraitChoice::from_bits(t >> 2),
            TraitChoice::from_bits(t >> 4),
        ];
    }
    let mut pal = [0u16; 10];
    for p in &mut pal {
        *p = r.u16()?;
    }
    let land = RawSkillBar {
        heal: pal[0],
        utilities: [pal[2], pal[4], pal[6]],
        elite: pal[8],
    };
    let water = RawSkillBar {
        heal: pal[1],
        utilities: [pal[3], pal[5], pal[7]],
        elite: pal[9],
    };
    let profession_data = r.array::<16>()?;
    let extension = if r.at_end() {
        None
    } else {
        let n = usize::from(r.u8()?);
        let mut weapons = Vec::with_capacity(n);
        for _ in 0..n {
            weapons.push(r.u16()?);
        }
        let m = usize::from(r.u8()?);
        let mut skill_overrides = Vec::with_capacity(m);
        for _ in 0..m {
            skill_overrides.push(r.u32()?);
        }
        Some(RawExtension {
            weapons,
            skill_overrides,
        })
    };
    r.finish()?;
    Ok(RawBuildCode {
        profession,
        specializations,
        land,
        water,
        profession_data,
        extension,
    })
}

/// Encodes the payload bytes. Lists longer than 255 entries cannot be represented.
pub(crate) fn encode_raw_bytes(code: &RawBuildCode) -> Result<Vec<u8>, CodeError> {
    let ext_len = code
        .extension
        .as_ref()
        .map_or(0, |e| 2 + 2 * e.weapons.len() + 4 * e.skill_overrides.len());
    let mut out = Vec::with_capacity(LEGACY_BUILD_LEN + ext_len);
    out.push(BUILD_HEADER);
    out.push(code.profession);
    for s in &code.specializations {
        out.push(s.id);
        out.push(
            s.traits[0].to_bits() | (s.traits[1].to_bits() << 2) | (s.traits[2].to_bits() << 4),
        );
    }
    let (l, w) = (&code.land, &code.water);
    for p in [
        l.heal,
        w.heal,
        l.utilities[0],
        w.utilities[0],
        l.utilities[1],
        w.utilities[1],
        l.utilities[2],
        w.utilities[2],
        l.elite,
        w.elite,
    ] {
        out.extend_from_slice(&p.to_le_bytes());
    }
    out.extend_from_slice(&code.profession_data);
    if let Some(ext) = &code.extension {
        let n = u8::try_from(ext.weapons.len()).map_err(|_| CodeError::TooManyEntries {
            what: "weapons",
            count: ext.weapons.len(),
        })?;
        out.push(n);
        for wpn in &ext.weapons {
            out.extend_from_slice(&wpn.to_le_bytes());
        }
        let m = u8::try_from(ext.skill_overrides.len()).map_err(|_| CodeError::TooManyEntries {
            what: "skill_overrides",
            count: ext.skill_overrides.len(),
        })?;
        out.push(m);
        for s in &ext.skill_overrides {
            out.extend_from_slice(&s.to_le_bytes());
        }
    }
    Ok(out)
}

/// Encodes numbers into a `[&...]` build link.
///
/// Infallible for every code that [`decode_raw`] can return; fails only when an extension list
/// holds more than 255 entries (the wire count is one byte).
pub fn encode_raw(code: &RawBuildCode) -> Result<String, CodeError> {
    Ok(wrap_link(&encode_raw_bytes(code)?))
}

// ---------------------------------------------------------------------------------------------
// Resolved layer
// ---------------------------------------------------------------------------------------------

/// Profession of a resolved build. On encode the `code` is authoritative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfessionRef {
    pub code: u8,
    #[serde(default)]
    pub name: String,
}

/// A picked major trait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraitPick {
    pub choice: TraitChoice,
    /// Trait id (`/v2/traits`), from the specialization's `major_traits`.
    pub id: u32,
    /// English name, when the data has it (informational on encode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A resolved specialization line. On encode the `id` is authoritative; `name`/`elite` are
/// informational.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecializationRef {
    pub id: u16,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub elite: bool,
    /// Adept, master, grandmaster (None = no pick in that tier).
    pub traits: [Option<TraitPick>; 3],
}

/// A skill slot. The chat code stores palette ids; the skill id (and name) is filled only when
/// the game data carries the profession's `skills_by_palette` (never guessed). On encode the
/// palette id is authoritative; `skill_id` and `name` are informational.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaletteSkill {
    pub palette: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Heal, three utilities and elite of one environment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SkillBar {
    pub heal: Option<PaletteSkill>,
    pub utilities: [Option<PaletteSkill>; 3],
    pub elite: Option<PaletteSkill>,
}

/// Land and water skill bars.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuildSkills {
    pub land: SkillBar,
    pub water: SkillBar,
}

/// A ranger pet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetRef {
    pub id: u8,
    #[serde(default)]
    pub name: String,
}

/// Ranger pets: two per environment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PetSlots {
    pub land: [Option<PetRef>; 2],
    pub water: [Option<PetRef>; 2],
}

/// A revenant legend, identified by its chat-link code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendRef {
    pub code: u8,
    /// API id, e.g. `"Legend2"`.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// Revenant legends (active, inactive) per environment, and the inactive legends' utilities.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LegendSlots {
    pub land: [Option<LegendRef>; 2],
    pub water: [Option<LegendRef>; 2],
    pub inactive_land_utilities: [Option<PaletteSkill>; 3],
    pub inactive_water_utilities: [Option<PaletteSkill>; 3],
}

impl LegendSlots {
    /// The active legend on land (`water` false) or underwater: the one whose kit the bar's
    /// shared legend-slot palettes stand for.
    pub fn active(&self, water: bool) -> Option<&LegendRef> {
        if water {
            self.water[0].as_ref()
        } else {
            self.land[0].as_ref()
        }
    }
}

/// A weapon type of the extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeaponRef {
    pub id: u16,
    #[serde(default)]
    pub name: String,
}

/// Resolved extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuildExtension {
    pub weapons: Vec<WeaponRef>,
    /// Weapon skill ids the build overrides, kept as numbers (the snapshot holds the bar skills
    /// — heal, utility, elite — not weapon skills to check them against).
    pub skill_overrides: Vec<u32>,
}

/// A build template with names resolved against [`GameData`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildTemplate {
    pub profession: ProfessionRef,
    /// Three lines; `None` for an empty line.
    pub specializations: [Option<SpecializationRef>; 3],
    pub skills: BuildSkills,
    /// Rangers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pets: Option<PetSlots>,
    /// Revenants only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legends: Option<LegendSlots>,
    /// `None` for a legacy 44-byte code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<BuildExtension>,
}

const TIER_NAMES: [&str; 3] = ["adept", "master", "grandmaster"];

/// Byte offset of the first skill palette id; land and water alternate per slot.
const SKILLS_OFFSET: usize = 8;

/// Resolves one palette id of a bar slot: the skill it stands for (a revenant's through
/// `legend`), checked to be a skill of that slot's kind. Without palette data for the
/// profession the id is kept as is.
fn palette(
    data: &GameData,
    profession: u8,
    id: u16,
    legend: Option<&Legend>,
    slot: SkillSlot,
    offset: usize,
) -> Result<Option<PaletteSkill>, CodeError> {
    if id == 0 {
        return Ok(None);
    }
    if !data.has_palette(profession) {
        return Ok(Some(PaletteSkill {
            palette: id,
            skill_id: None,
            name: None,
        }));
    }
    let skill = data
        .palette_skill(profession, id, legend)
        .ok_or(CodeError::UnknownPalette {
            offset,
            palette: id,
        })?;
    // Skills outside the heal/utility/elite table (racial skills) are accepted unnamed.
    let name = match data.skill(skill) {
        Some(k) if k.slot != slot => {
            return Err(CodeError::SkillSlot {
                offset,
                palette: id,
                skill,
                expected: slot.as_str(),
                actual: k.slot.as_str(),
            })
        }
        Some(k) => k.name.clone(),
        None => None,
    };
    Ok(Some(PaletteSkill {
        palette: id,
        skill_id: Some(skill),
        name,
    }))
}

/// Resolves a bar; `water` selects the byte offsets of the underwater bar.
fn resolve_bar(
    data: &GameData,
    profession: u8,
    bar: &RawSkillBar,
    legend: Option<&Legend>,
    water: bool,
) -> Result<SkillBar, CodeError> {
    let at = |k: usize| SKILLS_OFFSET + 4 * k + if water { 2 } else { 0 };
    let u = &bar.utilities;
    Ok(SkillBar {
        heal: palette(data, profession, bar.heal, legend, SkillSlot::Heal, at(0))?,
        utilities: [
            palette(data, profession, u[0], legend, SkillSlot::Utility, at(1))?,
            palette(data, profession, u[1], legend, SkillSlot::Utility, at(2))?,
            palette(data, profession, u[2], legend, SkillSlot::Utility, at(3))?,
        ],
        elite: palette(data, profession, bar.elite, legend, SkillSlot::Elite, at(4))?,
    })
}

fn major_trait(spec: &Specialization, tier: usize, choice: TraitChoice) -> Option<u32> {
    let c = usize::from(choice.to_bits());
    if c == 0 {
        return None;
    }
    spec.major_traits.get(tier * 3 + c - 1).copied()
}

/// Decodes a build link and resolves every id against `data`.
///
/// Rejects profession codes, specializations (or ones of another profession), trait choices,
/// pets, legends and weapon types the data does not know, and non-zero profession bytes where
/// the profession has none, so that `encode(decode(x)) == x` for every accepted code.
pub fn decode(input: &str, data: &GameData) -> Result<BuildTemplate, CodeError> {
    let raw = decode_raw(input)?;
    resolve(&raw, data)
}

/// Resolves an already decoded [`RawBuildCode`].
pub fn resolve(raw: &RawBuildCode, data: &GameData) -> Result<BuildTemplate, CodeError> {
    let prof = data
        .profession_by_code(raw.profession)
        .ok_or(CodeError::UnknownProfession {
            offset: 1,
            code: raw.profession,
        })?;
    let mut specializations: [Option<SpecializationRef>; 3] = [None, None, None];
    for (i, rs) in raw.specializations.iter().enumerate() {
        let offset = 2 + 2 * i;
        if rs.id == 0 && rs.traits == [TraitChoice::None; 3] {
            continue;
        }
        let spec = data.specialization_by_id(u16::from(rs.id)).ok_or(
            CodeError::UnknownSpecialization {
                offset,
                id: u16::from(rs.id),
            },
        )?;
        if spec.profession != prof.id {
            return Err(CodeError::SpecializationProfession {
                offset,
                id: spec.id,
                expected: prof.id.clone(),
                actual: spec.profession.clone(),
            });
        }
        let mut traits: [Option<TraitPick>; 3] = [None, None, None];
        for (tier, &choice) in rs.traits.iter().enumerate() {
            if choice == TraitChoice::None {
                continue;
            }
            let id = major_trait(spec, tier, choice).ok_or(CodeError::UnknownTraitChoice {
                specialization: spec.id,
                tier,
                choice: choice.to_bits(),
            })?;
            traits[tier] = Some(TraitPick {
                choice,
                id,
                name: data.trait_by_id(id).map(|t| t.name.clone()),
            });
        }
        specializations[i] = Some(SpecializationRef {
            id: spec.id,
            name: spec.name.clone(),
            elite: spec.elite,
            traits,
        });
    }
    let d = &raw.profession_data;
    let nonzero_from = |start: usize| -> Result<(), CodeError> {
        match d.iter().enumerate().skip(start).find(|(_, &b)| b != 0) {
            Some((i, &value)) => Err(CodeError::UnexpectedProfessionData {
                offset: PROFESSION_DATA_OFFSET + i,
                value,
            }),
            None => Ok(()),
        }
    };
    let mut pets = None;
    let mut legends = None;
    if prof.has_pets() {
        nonzero_from(4)?;
        let mut slots: [Option<PetRef>; 4] = [None, None, None, None];
        for (i, &id) in d[..4].iter().enumerate() {
            if id == 0 {
                continue;
            }
            let pet = data.pet(u16::from(id)).ok_or(CodeError::UnknownPet {
                offset: PROFESSION_DATA_OFFSET + i,
                id,
            })?;
            slots[i] = Some(PetRef {
                id,
                name: pet.name.clone(),
            });
        }
        let [a, b, c, e] = slots;
        pets = Some(PetSlots {
            land: [a, b],
            water: [c, e],
        });
    } else if prof.has_legends() {
        let mut slots: [Option<LegendRef>; 4] = [None, None, None, None];
        for (i, &code) in d[..4].iter().enumerate() {
            if code == 0 {
                continue;
            }
            let legend = data.legend_by_code(code).ok_or(CodeError::UnknownLegend {
                offset: PROFESSION_DATA_OFFSET + i,
                code,
            })?;
            slots[i] = Some(LegendRef {
                code,
                id: legend.id.clone(),
                name: legend.name.clone(),
            });
        }
        let (il, iw) = raw.inactive_legend_utilities();
        let inactive = |pals: [u16; 3], legend: Option<&LegendRef>, first: usize| {
            let legend = legend.and_then(|l| data.legend_by_code(l.code));
            let at = |i: usize| PROFESSION_DATA_OFFSET + first + 2 * i;
            Ok::<_, CodeError>([
                palette(data, prof.code, pals[0], legend, SkillSlot::Utility, at(0))?,
                palette(data, prof.code, pals[1], legend, SkillSlot::Utility, at(1))?,
                palette(data, prof.code, pals[2], legend, SkillSlot::Utility, at(2))?,
            ])
        };
        let inactive_land_utilities = inactive(il, slots[1].as_ref(), 4)?;
        let inactive_water_utilities = inactive(iw, slots[3].as_ref(), 10)?;
        let [a, b, c, e] = slots;
        legends = Some(LegendSlots {
            land: [a, b],
            water: [c, e],
            inactive_land_utilities,
            inactive_water_utilities,
        });
    } else {
        nonzero_from(0)?;
    }
    let active = |water: bool| {
        legends
            .as_ref()
            .and_then(|l| l.active(water))
            .and_then(|l| data.legend_by_code(l.code))
    };
    let skills = BuildSkills {
        land: resolve_bar(data, prof.code, &raw.land, active(false), false)?,
        water: resolve_bar(data, prof.code, &raw.water, active(true), true)?,
    };
    let extension = match &raw.extension {
        None => None,
        Some(ext) => {
            let mut weapons = Vec::with_capacity(ext.weapons.len());
            for (i, &id) in ext.weapons.iter().enumerate() {
                let w = data.weapon_type(id).ok_or(CodeError::UnknownWeapon {
                    offset: LEGACY_BUILD_LEN + 1 + 2 * i,
                    id,
                })?;
                weapons.push(WeaponRef {
                    id,
                    name: w.name.clone(),
                });
            }
            Some(BuildExtension {
                weapons,
                skill_overrides: ext.skill_overrides.clone(),
            })
        }
    };
    Ok(BuildTemplate {
        profession: ProfessionRef {
            code: prof.code,
            name: prof.name.clone(),
        },
        specializations,
        skills,
        pets,
        legends,
        extension,
    })
}

fn bar_to_raw(bar: &SkillBar) -> RawSkillBar {
    let p = |s: &Option<PaletteSkill>| s.as_ref().map_or(0, |s| s.palette);
    RawSkillBar {
        heal: p(&bar.heal),
        utilities: [
            p(&bar.utilities[0]),
            p(&bar.utilities[1]),
            p(&bar.utilities[2]),
        ],
        elite: p(&bar.elite),
    }
}

/// Converts a resolved build back to numbers, validating it against `data` the same way
/// [`decode`] does (ids and codes are authoritative; names are informational).
pub fn unresolve(build: &BuildTemplate, data: &GameData) -> Result<RawBuildCode, CodeError> {
    let code = build.profession.code;
    let prof = data
        .profession_by_code(code)
        .ok_or(CodeError::UnknownProfession { offset: 1, code })?;
    let mut specializations = [RawSpecialization::default(); 3];
    for (i, slot) in build.specializations.iter().enumerate() {
        let Some(s) = slot else { continue };
        let offset = 2 + 2 * i;
        let spec = data
            .specialization_by_id(s.id)
            .filter(|sp| sp.id <= u16::from(u8::MAX))
            .ok_or(CodeError::UnknownSpecialization { offset, id: s.id })?;
        if spec.profession != prof.id {
            return Err(CodeError::SpecializationProfession {
                offset,
                id: spec.id,
                expected: prof.id.clone(),
                actual: spec.profession.clone(),
            });
        }
        let mut traits = [TraitChoice::None; 3];
        for (tier, pick) in s.traits.iter().enumerate() {
            let Some(pick) = pick else { continue };
            let pos = spec
                .major_traits
                .iter()
                .skip(tier * 3)
                .take(3)
                .position(|&t| t == pick.id)
                .ok_or(CodeError::TraitNotInTier {
                    specialization: spec.id,
                    tier_name: TIER_NAMES[tier],
                    trait_id: pick.id,
                })?;
            let actual = TraitChoice::from_bits(pos as u8 + 1);
            if actual != pick.choice {
                return Err(CodeError::TraitChoiceMismatch {
                    specialization: spec.id,
                    trait_id: pick.id,
                    declared: pick.choice,
                    actual,
                });
            }
            traits[tier] = actual;
        }
        specializations[i] = RawSpecialization {
            id: spec.id as u8,
            traits,
        };
    }
    let mut profession_data = [0u8; 16];
    if let Some(pets) = &build.pets {
        if !prof.has_pets() {
            return Err(CodeError::UnexpectedProfessionData {
                offset: PROFESSION_DATA_OFFSET,
                value: 0,
            });
        }
        for (i, p) in pets.land.iter().chain(pets.water.iter()).enumerate() {
            let Some(p) = p else { continue };
            data.pet(u16::from(p.id)).ok_or(CodeError::UnknownPet {
                offset: PROFESSION_DATA_OFFSET + i,
                id: p.id,
            })?;
            profession_data[i] = p.id;
        }
    }
    if let Some(leg) = &build.legends {
        if !prof.has_legends() {
            return Err(CodeError::UnexpectedProfessionData {
                offset: PROFESSION_DATA_OFFSET,
                value: 0,
            });
        }
        for (i, l) in leg.land.iter().chain(leg.water.iter()).enumerate() {
            let Some(l) = l else { continue };
            data.legend_by_code(l.code)
                .ok_or(CodeError::UnknownLegend {
                    offset: PROFESSION_DATA_OFFSET + i,
                    code: l.code,
                })?;
            profession_data[i] = l.code;
        }
        let utils = leg
            .inactive_land_utilities
            .iter()
            .chain(leg.inactive_water_utilities.iter());
        for (i, u) in utils.enumerate() {
            let v = u.as_ref().map_or(0, |u| u.palette).to_le_bytes();
            profession_data[4 + 2 * i] = v[0];
            profession_data[5 + 2 * i] = v[1];
        }
    }
    let extension = match &build.extension {
        None => None,
        Some(ext) => {
            let mut weapons = Vec::with_capacity(ext.weapons.len());
            for (i, w) in ext.weapons.iter().enumerate() {
                data.weapon_type(w.id).ok_or(CodeError::UnknownWeapon {
                    offset: LEGACY_BUILD_LEN + 1 + 2 * i,
                    id: w.id,
                })?;
                weapons.push(w.id);
            }
            Some(RawExtension {
                weapons,
                skill_overrides: ext.skill_overrides.clone(),
            })
        }
    };
    let raw = RawBuildCode {
        profession: code,
        specializations,
        land: bar_to_raw(&build.skills.land),
        water: bar_to_raw(&build.skills.water),
        profession_data,
        extension,
    };
    // The skill palettes are checked as decoding checks them (known to the profession, in a
    // slot of their kind, a revenant's read through its legends).
    resolve(&raw, data)?;
    Ok(raw)
}

/// Encodes a resolved build into a `[&...]` link after validating it against `data`.
pub fn encode(build: &BuildTemplate, data: &GameData) -> Result<String, CodeError> {
    encode_raw(&unresolve(build, data)?)
}
