//! Zip bombs: a `.zevtc` that inflates far past the caller's cap is refused, early and with
//! bounded memory. Peak heap use is measured with a counting global allocator (this test
//! binary only); the cases run one after another in one test so that they do not overlap.
// A global allocator can only be written with `unsafe` (it forwards to the system one).
#![allow(unsafe_code)]

use evtc::{Limits, ParseError, ZipError};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak heap growth (bytes above the level at the start) while running `f`.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

/// A raw deflate stream of `n` zero bytes, written by hand as one fixed-Huffman block (RFC 1951
/// 3.2.6): a literal 0, then matches of length 258 at distance 1 (13 bits per 258 bytes), then
/// literal zeros for the rest. 200 MiB come out of about 1.3 MB.
fn deflated_zeros(n: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, v: u64, bits: u32) {
            self.acc |= v << self.n;
            self.n += bits;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        // Huffman codes are stored most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            self.put(u64::from(code.reverse_bits() >> (32 - len)), len);
        }
    }
    let mut b = Bits {
        out: Vec::with_capacity((n / 150) as usize + 16),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE 01: fixed Huffman codes
    let literal_zero = |b: &mut Bits| b.code(0x30, 8); // literals 0-143: 0x30 + value, 8 bits
    if n > 0 {
        literal_zero(&mut b);
    }
    let rest = n.saturating_sub(1);
    for _ in 0..rest / 258 {
        b.code(0xC0 + (285 - 280), 8); // length 258 = symbol 285 (280-287: 0xC0 + ..., 8 bits)
        b.code(0, 5); // distance 1 = distance code 0, 5 bits
    }
    for _ in 0..rest % 258 {
        literal_zero(&mut b);
    }
    b.code(0, 7); // end of block = symbol 256, 7 bits
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    b.out
}

/// A zip with one deflated member holding `data`, declaring `declared` bytes uncompressed.
/// With `descriptor`, the sizes are left to a data descriptor (flag bit 3, zero sizes) and the
/// central directory is left out, so nothing says how large the member is.
fn zip_of(data: &[u8], declared: u32, descriptor: bool) -> Vec<u8> {
    let name = b"log.evtc";
    let (flags, csize, usize_) = if descriptor {
        (8u16, 0u32, 0u32)
    } else {
        (0u16, data.len() as u32, declared)
    };
    let mut z = Vec::new();
    let h16 = |z: &mut Vec<u8>, v: u16| z.extend_from_slice(&v.to_le_bytes());
    let h32 = |z: &mut Vec<u8>, v: u32| z.extend_from_slice(&v.to_le_bytes());
    h32(&mut z, 0x0403_4b50);
    for v in [20, flags, 8, 0, 0x21] {
        h16(&mut z, v);
    }
    for v in [0, csize, usize_] {
        h32(&mut z, v); // crc 0: never reached, the size check comes first
    }
    h16(&mut z, name.len() as u16);
    h16(&mut z, 0);
    z.extend_from_slice(name);
    z.extend_from_slice(data);
    if descriptor {
        return z;
    }
    let cd = z.len() as u32;
    h32(&mut z, 0x0201_4b50);
    for v in [20, 20, flags, 8, 0, 0x21] {
        h16(&mut z, v);
    }
    for v in [0, csize, usize_] {
        h32(&mut z, v);
    }
    for v in [name.len() as u16, 0, 0, 0, 0] {
        h16(&mut z, v);
    }
    h32(&mut z, 0);
    h32(&mut z, 0);
    z.extend_from_slice(name);
    let cd_size = z.len() as u32 - cd;
    h32(&mut z, 0x0605_4b50);
    for v in [0, 0, 1, 1] {
        h16(&mut z, v);
    }
    h32(&mut z, cd_size);
    h32(&mut z, cd);
    h16(&mut z, 0);
    z
}

const MIB: u64 = 1 << 20;

#[test]
fn zip_bombs_are_refused_with_bounded_memory() {
    // The encoder is right: a small stream inflates to exactly its zeros.
    let small = deflated_zeros(100_000);
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(&small[..]), &mut out)
        .unwrap();
    assert!(out.len() == 100_000 && out.iter().all(|b| *b == 0));

    let bomb = deflated_zeros(200 * MIB);
    assert!(bomb.len() < 2 * MIB as usize, "{} bytes", bomb.len());
    let cap = Limits::with_max_decompressed_size(10 * MIB);

    // 1. An honest archive declaring 200 MiB: refused before inflating anything.
    let honest = zip_of(&bomb, (200 * MIB) as u32, false);
    let (r, peak) = peak_during(|| evtc::parse_with_limits(&honest, cap.clone()));
    assert_eq!(
        r,
        Err(ParseError::Zip(ZipError::TooLarge { limit: 10 * MIB }))
    );
    assert!(peak < 64 << 10, "peak {peak} bytes");

    // 2. An archive declaring 1 MiB but inflating to 200 MiB: stopped one byte past 1 MiB.
    let liar = zip_of(&bomb, MIB as u32, false);
    let (r, peak) = peak_during(|| evtc::parse_with_limits(&liar, cap.clone()));
    assert_eq!(
        r,
        Err(ParseError::Zip(ZipError::ExceedsDeclaredSize {
            declared: MIB
        }))
    );
    assert!(peak < (MIB + MIB / 2) as usize, "peak {peak} bytes");

    // 3. No declared size at all (data descriptor, no central directory): inflated up to the
    //    cap and refused at its first byte past it.
    let no_size = zip_of(&bomb, 0, true);
    let (r, peak) = peak_during(|| evtc::parse_with_limits(&no_size, cap.clone()));
    assert_eq!(
        r,
        Err(ParseError::Zip(ZipError::TooLarge { limit: 10 * MIB }))
    );
    assert!(
        peak <= (10 * MIB + MIB) as usize,
        "peak {peak} bytes for a 10 MiB cap"
    );

    // 4. The same archive under a cap above its size inflates (and fails as a log, since
    //    zeros are not one), showing the cap and not the archive stopped the cases above.
    let (r, peak) = peak_during(|| {
        evtc::parse_with_limits(&no_size, Limits::with_max_decompressed_size(256 * MIB))
    });
    assert!(
        matches!(r, Err(ParseError::ZipMemberNotEvtc { .. })),
        "{r:?}"
    );
    assert!(peak >= (200 * MIB) as usize, "peak {peak} bytes");

    // 5. A real log is decoded while inflating: the parse holds its events and one inflate
    //    piece, not the whole inflated log as well.
    let log = evtc::write::synthetic::wvw_fight(&evtc::write::synthetic::Config {
        squad: 10,
        enemies: 10,
        duration_ms: 120_000,
        ..Default::default()
    });
    let z = evtc::write::write_zevtc(&log);
    let events = log.events.len() * std::mem::size_of::<evtc::Event>();
    let inflated = evtc::write::write_evtc(&log).len();
    drop(log);
    let (r, peak) =
        peak_during(|| evtc::parse_with_limits(&z, cap.clone()).map(|l| l.events.len()));
    assert_eq!(r, Ok(events / std::mem::size_of::<evtc::Event>()));
    assert!(
        peak < events + inflated / 4,
        "peak {peak} bytes for {events} bytes of events from {inflated} inflated bytes"
    );
}
