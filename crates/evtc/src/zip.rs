//! Minimal single-entry zip reader/writer for `.zevtc` files (arcdps writes a
//! zip archive holding one `.evtc` entry; EI `EvtcParser.ParseLog` rejects
//! archives whose entry count is not 1).
//!
//! Sizes come from the central directory when present (local headers may carry
//! zeros when general-purpose flag bit 3 is set), falling back to the local
//! header. Inflation is bounded by a caller-supplied limit against zip bombs and
//! the CRC-32 is verified.

use crate::error::ZipError;
use flate2::Crc;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const LOCAL_HEADER_LEN: usize = 30;
const CENTRAL_HEADER_LEN: usize = 46;
const EOCD_LEN: usize = 22;

/// True when `bytes` starts with a zip local file header signature ("PK\x03\x04").
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(off..off.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(s))
}

struct Entry {
    method: u16,
    flags: u16,
    crc: u32,
    compressed: u64,
    uncompressed: u64,
    local_offset: usize,
}

fn find_eocd(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < EOCD_LEN {
        return None;
    }
    let last = bytes.len() - EOCD_LEN;
    let first = last.saturating_sub(0xffff);
    (first..=last)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD_SIG))
}

fn entry_from_central(bytes: &[u8], eocd: usize) -> Result<Entry, ZipError> {
    let bad = ZipError::BadCentralDirectory { offset: eocd };
    let total = u16_at(bytes, eocd + 10).ok_or(bad.clone())?;
    let cd_offset = u32_at(bytes, eocd + 16).ok_or(bad.clone())?;
    if total == 0xffff || cd_offset == 0xffff_ffff {
        return Err(ZipError::Zip64);
    }
    if total != 1 {
        return Err(ZipError::EntryCount {
            count: u64::from(total),
        });
    }
    let cd = cd_offset as usize;
    let bad = ZipError::BadCentralDirectory { offset: cd };
    if u32_at(bytes, cd) != Some(CENTRAL_SIG) || bytes.len() < cd.saturating_add(CENTRAL_HEADER_LEN)
    {
        return Err(bad);
    }
    let flags = u16_at(bytes, cd + 8).ok_or(bad.clone())?;
    let method = u16_at(bytes, cd + 10).ok_or(bad.clone())?;
    let crc = u32_at(bytes, cd + 16).ok_or(bad.clone())?;
    let compressed = u32_at(bytes, cd + 20).ok_or(bad.clone())?;
    let uncompressed = u32_at(bytes, cd + 24).ok_or(bad.clone())?;
    let local = u32_at(bytes, cd + 42).ok_or(bad)?;
    if compressed == 0xffff_ffff || uncompressed == 0xffff_ffff || local == 0xffff_ffff {
        return Err(ZipError::Zip64);
    }
    Ok(Entry {
        method,
        flags,
        crc,
        compressed: u64::from(compressed),
        uncompressed: u64::from(uncompressed),
        local_offset: local as usize,
    })
}

fn entry_from_local(bytes: &[u8]) -> Result<Entry, ZipError> {
    let t = ZipError::TruncatedLocalHeader { offset: 0 };
    Ok(Entry {
        flags: u16_at(bytes, 6).ok_or(t.clone())?,
        method: u16_at(bytes, 8).ok_or(t.clone())?,
        crc: u32_at(bytes, 14).ok_or(t.clone())?,
        compressed: u64::from(u32_at(bytes, 18).ok_or(t.clone())?),
        uncompressed: u64::from(u32_at(bytes, 22).ok_or(t)?),
        local_offset: 0,
    })
}

/// The single member of a `.zevtc` archive, inflated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// File name as stored in the local header (lossy UTF-8).
    pub name: String,
    pub data: Vec<u8>,
}

/// Extract the single entry of a zip archive, refusing to produce more than
/// `limit` bytes.
pub fn extract_single(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ZipError> {
    extract_member(bytes, limit).map(|m| m.data)
}

/// A located archive member, not inflated yet.
pub(crate) struct Located<'a> {
    pub name: String,
    pub method: u16,
    /// The member's compressed bytes (to the end of the input when the size is unknown).
    pub data: &'a [u8],
    /// Offset of `data` in the archive (for error messages).
    pub data_start: usize,
    /// The uncompressed size the archive declares, when it declares one.
    pub declared: Option<u64>,
    pub crc: u32,
}

/// Find the single member and check what can be checked without inflating: encryption,
/// bounds, and a declared size above `limit`.
pub(crate) fn locate(bytes: &[u8], limit: u64) -> Result<Located<'_>, ZipError> {
    let entry = match find_eocd(bytes) {
        Some(eocd) => entry_from_central(bytes, eocd)?,
        None => entry_from_local(bytes)?,
    };
    if entry.flags & 1 != 0 {
        return Err(ZipError::Encrypted);
    }
    let lo = entry.local_offset;
    if bytes.len() < lo.saturating_add(LOCAL_HEADER_LEN) {
        return Err(ZipError::TruncatedLocalHeader { offset: lo });
    }
    if u32_at(bytes, lo) != Some(LOCAL_SIG) {
        return Err(ZipError::BadLocalHeader { offset: lo });
    }
    let name_len = u16_at(bytes, lo + 26).ok_or(ZipError::TruncatedLocalHeader { offset: lo })?;
    let extra_len = u16_at(bytes, lo + 28).ok_or(ZipError::TruncatedLocalHeader { offset: lo })?;
    let name_start = lo + LOCAL_HEADER_LEN;
    let name = bytes
        .get(name_start..name_start + usize::from(name_len))
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let data_start = name_start + usize::from(name_len) + usize::from(extra_len);
    // With no central directory and a data descriptor, the compressed size is
    // unknown: inflate up to the end of the input.
    let data = if entry.compressed == 0 && entry.flags & 8 != 0 {
        bytes.get(data_start..)
    } else {
        usize::try_from(entry.compressed)
            .ok()
            .and_then(|c| data_start.checked_add(c))
            .and_then(|end| bytes.get(data_start..end))
    }
    .ok_or(ZipError::DataOutOfBounds {
        offset: data_start,
        size: entry.compressed,
        len: bytes.len(),
    })?;
    if entry.uncompressed > limit {
        return Err(ZipError::TooLarge { limit });
    }
    let known_sizes = !(entry.flags & 8 != 0 && entry.uncompressed == 0);
    Ok(Located {
        name,
        method: entry.method,
        data,
        data_start,
        declared: known_sizes.then_some(entry.uncompressed),
        crc: entry.crc,
    })
}

/// Extract the single entry of a zip archive with its name, refusing to produce more than
/// `limit` bytes: an entry declaring more is refused before inflating, and the inflate streams
/// into one buffer of the declared size (at most `limit` + 1 bytes) and stops at the first byte
/// past it, so a zip bomb costs at most `limit` bytes of memory and the time to inflate them.
pub fn extract_member(bytes: &[u8], limit: u64) -> Result<Member, ZipError> {
    let m = locate(bytes, limit)?;
    let out = match m.method {
        0 => {
            if m.data.len() as u64 > limit {
                return Err(ZipError::TooLarge { limit });
            }
            m.data.to_vec()
        }
        8 => inflate_bounded(m.data, m.data_start, limit, m.declared)?,
        method => return Err(ZipError::UnsupportedMethod { method }),
    };
    if let Some(declared) = m.declared {
        if out.len() as u64 != declared {
            return Err(ZipError::SizeMismatch {
                declared,
                actual: out.len() as u64,
            });
        }
        let mut crc = Crc::new();
        crc.update(&out);
        if crc.sum() != m.crc {
            return Err(ZipError::CrcMismatch {
                declared: m.crc,
                actual: crc.sum(),
            });
        }
    }
    Ok(Member {
        name: m.name,
        data: out,
    })
}

/// Size of the chunks [`Inflater`] hands out: small enough to stay in cache while the events in
/// it are decoded.
const CHUNK: usize = 256 << 10;

/// Inflates a deflated member of declared size chunk by chunk, never past that size, checking
/// the size and the CRC-32 at the end: parsing can decode events while inflating, with no buffer
/// of the whole log.
pub(crate) struct Inflater<'a> {
    z: flate2::Decompress,
    data: &'a [u8],
    offset: usize,
    declared: u64,
    limit: u64,
    expected_crc: u32,
    crc: Crc,
    chunk: Vec<u8>,
    ended: bool,
}

impl<'a> Inflater<'a> {
    /// An inflater for a deflated member with a declared size (`None` otherwise).
    pub(crate) fn new(m: &Located<'a>, limit: u64) -> Option<Self> {
        let declared = m.declared?;
        (m.method == 8).then(|| Inflater {
            z: flate2::Decompress::new(false),
            data: m.data,
            offset: m.data_start,
            declared,
            limit,
            expected_crc: m.crc,
            crc: Crc::new(),
            chunk: vec![0; CHUNK],
            ended: false,
        })
    }

    /// The declared (and, once checked, actual) size.
    pub(crate) fn declared(&self) -> u64 {
        self.declared
    }

    /// The next piece of the member, empty once the stream has ended. Fails at the first byte
    /// past the declared size.
    pub(crate) fn next_chunk(&mut self) -> Result<&[u8], ZipError> {
        use flate2::{FlushDecompress, Status};
        if self.ended {
            return Ok(&[]);
        }
        // One byte more than the declared size is enough to see an overflow.
        let room = self
            .declared
            .saturating_add(1)
            .saturating_sub(self.z.total_out());
        let room = usize::try_from(room).unwrap_or(usize::MAX).min(CHUNK);
        let mut filled = 0;
        while filled < room && !self.ended {
            let consumed = usize::try_from(self.z.total_in()).unwrap_or(usize::MAX);
            let input = self.data.get(consumed..).unwrap_or(&[]);
            let out_before = self.z.total_out();
            let out = self.chunk.get_mut(filled..room).unwrap_or(&mut []);
            let status = self
                .z
                .decompress(input, out, FlushDecompress::None)
                .map_err(|e| ZipError::Inflate {
                    offset: self.offset,
                    message: e.to_string(),
                })?;
            let produced = (self.z.total_out() - out_before) as usize;
            filled += produced;
            if status == Status::StreamEnd {
                self.ended = true;
            } else if produced == 0 && self.z.total_in() as usize == consumed {
                return Err(ZipError::Inflate {
                    offset: self.offset,
                    message: "the deflate stream ends before its last block".into(),
                });
            }
        }
        if self.z.total_out() > self.declared {
            return Err(if self.declared < self.limit {
                ZipError::ExceedsDeclaredSize {
                    declared: self.declared,
                }
            } else {
                ZipError::TooLarge { limit: self.limit }
            });
        }
        let piece = self.chunk.get(..filled).unwrap_or(&[]);
        self.crc.update(piece);
        if self.ended {
            self.check_end()?;
        }
        Ok(piece)
    }

    fn check_end(&self) -> Result<(), ZipError> {
        if self.z.total_out() != self.declared {
            return Err(ZipError::SizeMismatch {
                declared: self.declared,
                actual: self.z.total_out(),
            });
        }
        if self.crc.sum() != self.expected_crc {
            return Err(ZipError::CrcMismatch {
                declared: self.expected_crc,
                actual: self.crc.sum(),
            });
        }
        Ok(())
    }

    /// Inflate whatever is left, then check the size and CRC-32.
    pub(crate) fn finish(&mut self) -> Result<(), ZipError> {
        while !self.ended {
            self.next_chunk()?;
        }
        Ok(())
    }
}

/// Inflate a raw deflate stream into one buffer: of the declared size (plus one byte, to see
/// an overflow) when the archive states it, else grown by doubling up to `limit` + 1. Stops as
/// soon as the output passes the declared size or `limit`.
fn inflate_bounded(
    data: &[u8],
    offset: usize,
    limit: u64,
    declared: Option<u64>,
) -> Result<Vec<u8>, ZipError> {
    use flate2::{Decompress, FlushDecompress, Status};
    let bound = declared.map_or(limit, |d| d.min(limit));
    let hard = bound.saturating_add(1);
    let first = match declared {
        Some(_) => hard,
        None => (data.len() as u64)
            .saturating_mul(4)
            .max(64 << 10)
            .min(hard),
    };
    let too_large = || match declared {
        Some(d) if d < limit => ZipError::ExceedsDeclaredSize { declared: d },
        _ => ZipError::TooLarge { limit },
    };
    let mut out: Vec<u8> = Vec::new();
    out.try_reserve_exact(usize::try_from(first).map_err(|_| too_large())?)
        .map_err(|_| too_large())?;
    let mut z = Decompress::new(false);
    let corrupt = |message: String| ZipError::Inflate { offset, message };
    loop {
        if out.len() == out.capacity() {
            let room = hard.saturating_sub(out.len() as u64);
            if room == 0 {
                break;
            }
            let grow = (out.capacity() as u64).max(64 << 10).min(room);
            out.try_reserve_exact(usize::try_from(grow).map_err(|_| too_large())?)
                .map_err(|_| too_large())?;
        }
        let consumed = usize::try_from(z.total_in()).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or(&[]);
        let produced = out.len();
        let status = z
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|e| corrupt(e.to_string()))?;
        if status == Status::StreamEnd {
            break;
        }
        let progressed = out.len() != produced || z.total_in() as usize != consumed;
        if !progressed && out.len() < out.capacity() {
            return Err(corrupt(
                "the deflate stream ends before its last block".into(),
            ));
        }
        if out.len() as u64 > bound {
            break;
        }
    }
    if out.len() as u64 > bound {
        return Err(too_large());
    }
    Ok(out)
}

/// Write `contents` as a zip archive with one deflate-compressed entry named `name`.
#[cfg(feature = "write")]
pub fn write_single(name: &str, contents: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(contents);
    let compressed = enc.finish().unwrap_or_default();
    let mut crc = Crc::new();
    crc.update(contents);
    let crc = crc.sum();
    let name = name.as_bytes();
    let mut out = Vec::with_capacity(compressed.len() + 128);
    let le16 = |o: &mut Vec<u8>, v: u16| o.extend_from_slice(&v.to_le_bytes());
    let le32 = |o: &mut Vec<u8>, v: u32| o.extend_from_slice(&v.to_le_bytes());
    // local header
    le32(&mut out, LOCAL_SIG);
    le16(&mut out, 20); // version needed
    le16(&mut out, 0); // flags
    le16(&mut out, 8); // deflate
    le16(&mut out, 0); // time
    le16(&mut out, 0x21); // date 1980-01-01
    le32(&mut out, crc);
    le32(&mut out, compressed.len() as u32);
    le32(&mut out, contents.len() as u32);
    le16(&mut out, name.len() as u16);
    le16(&mut out, 0);
    out.extend_from_slice(name);
    out.extend_from_slice(&compressed);
    let cd_offset = out.len();
    le32(&mut out, CENTRAL_SIG);
    le16(&mut out, 20); // made by
    le16(&mut out, 20); // needed
    le16(&mut out, 0);
    le16(&mut out, 8);
    le16(&mut out, 0);
    le16(&mut out, 0x21);
    le32(&mut out, crc);
    le32(&mut out, compressed.len() as u32);
    le32(&mut out, contents.len() as u32);
    le16(&mut out, name.len() as u16);
    le16(&mut out, 0); // extra
    le16(&mut out, 0); // comment
    le16(&mut out, 0); // disk
    le16(&mut out, 0); // internal attrs
    le32(&mut out, 0); // external attrs
    le32(&mut out, 0); // local header offset
    out.extend_from_slice(name);
    let cd_size = out.len() - cd_offset;
    le32(&mut out, EOCD_SIG);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, 1);
    le16(&mut out, 1);
    le32(&mut out, cd_size as u32);
    le32(&mut out, cd_offset as u32);
    le16(&mut out, 0);
    out
}
