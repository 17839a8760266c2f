//! The request id: the client's `x-request-id` when it is usable, a new UUID otherwise. It is
//! set on the request's headers (which the access log and traces read) and echoed on the
//! response.
//!
//! Done by the outermost layer (`envelope`) instead of tower-http's three layers (drop an
//! unusable id, set, propagate): those clone the header through the extensions and format the
//! UUID through `Display`; here the UUID is written into a block shared by 64 ids, the header
//! value is cloned once, by reference count, and no extension is added (each is a boxed entry
//! in a map allocated per request).
//!
//! New ids are UUIDs of version 8 (RFC 9562 §5.8, the layout left to the issuer): each thread
//! draws 74 random bits once, and each id adds 48 bits from the thread's counter, passed
//! through a permutation of the 48-bit numbers keyed by two more random words. Ids are unique
//! within a thread by construction, and across threads and instances as random 74-bit draws
//! are. Consecutive ids do not look consecutive, but unlike random ones they are not meant to
//! withstand analysis: an id is a label for log lines, not a secret. A random UUID (v4) for
//! every request cost ~250 instructions more: drawing 122 bits and writing 32 hex digits,
//! where this writes 12.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use bytes::BytesMut;

/// A constant: each use is a copy made at compile time.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest client-sent `x-request-id` kept (a UUID is 36; trace ids are up to 64).
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// A client's `x-request-id` is echoed in the response and written on every log line of the
/// request, so only one short, visible-ASCII id is kept (1–128 characters from `!` to `~`).
fn usable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty() && bytes.len() <= MAX_REQUEST_ID_LEN && bytes.iter().all(u8::is_ascii_graphic)
}

/// Ids are written into a block made for [`IDS_PER_BLOCK`] of them, and each is a shared slice
/// of it: one allocation per 64 requests instead of one each.
const IDS_PER_BLOCK: usize = 64;
const ID_LEN: usize = uuid::fmt::Hyphenated::LENGTH;

/// The counter's share of an id: the UUID's last group (48 bits, 12 hex digits).
const COUNTER_BITS: usize = 48;
const COUNTER_MASK: u64 = (1 << COUNTER_BITS) - 1;
/// Where the counter's hex digits start in the text.
const COUNTER_AT: usize = ID_LEN - COUNTER_BITS / 4;

/// One thread's ids: the text of the next one, whose first 24 characters stay (the random
/// part), and the counter and keys its last 12 digits come from.
struct IdSource {
    text: [u8; ID_LEN],
    counter: u64,
    keys: [u64; 2],
    block: BytesMut,
}

impl IdSource {
    fn new() -> Self {
        use rand::Rng;
        let mut rng = rand::thread_rng();
        let mut random: [u8; 16] = rng.gen();
        // The last bits are the counter's; `from_custom_bytes` sets version 8 and the variant.
        random[16 - COUNTER_BITS / 8..].fill(0);
        let mut text = [0u8; ID_LEN];
        uuid::Builder::from_custom_bytes(random)
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut text);
        IdSource {
            text,
            counter: 0,
            keys: rng.gen(),
            block: BytesMut::new(),
        }
    }

    fn next(&mut self) -> HeaderValue {
        if self.counter > COUNTER_MASK {
            // Every counter value used on this thread: a new random part.
            *self = IdSource::new();
        }
        let mut digits = permute(self.counter, self.keys);
        self.counter += 1;
        for place in self.text[COUNTER_AT..].iter_mut().rev() {
            *place = b"0123456789abcdef"[(digits & 0xf) as usize];
            digits >>= 4;
        }
        if self.block.capacity() < ID_LEN {
            self.block = BytesMut::with_capacity(ID_LEN * IDS_PER_BLOCK);
        }
        self.block.extend_from_slice(&self.text);
        let id = self.block.split_to(ID_LEN).freeze();
        HeaderValue::from_maybe_shared(id).unwrap_or_else(|_| HeaderValue::from_static("-"))
    }
}

/// A permutation of the 48-bit numbers chosen by `keys`: xors with the keys, multiplications
/// by odd numbers and right shifts xored in, each of which maps distinct numbers to distinct
/// ones. The second key goes in between the steps, so undoing the public steps from the end
/// does not strip it.
fn permute(counter: u64, keys: [u64; 2]) -> u64 {
    let mut x = (counter ^ keys[0]) & COUNTER_MASK;
    x = x.wrapping_mul(0x9e37_79b9_7f4b) & COUNTER_MASK;
    x ^= x >> 23;
    x = ((x ^ keys[1]) & COUNTER_MASK).wrapping_mul(0xd6e8_feb8_6659) & COUNTER_MASK;
    x ^= x >> 25;
    x.wrapping_mul(0xa076_1d64_78bd) & COUNTER_MASK
}

thread_local! {
    static IDS: std::cell::RefCell<IdSource> = std::cell::RefCell::new(IdSource::new());
}

fn new_id() -> HeaderValue {
    IDS.with_borrow_mut(IdSource::next)
}

/// The request's id: the client's when usable, else a new one, which is also written on the
/// request when `on_request` (the access log and traces read it there).
pub fn of_request(headers: &mut HeaderMap, on_request: bool) -> HeaderValue {
    let mut sent = headers.get_all(&REQUEST_ID).iter();
    let kept = match (sent.next(), sent.next()) {
        (Some(one), None) if usable(one) => Some(one.clone()),
        _ => None,
    };
    kept.unwrap_or_else(|| {
        let id = new_id();
        if on_request {
            headers.insert(REQUEST_ID, id.clone());
        }
        id
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_ids_are_short_visible_ascii() {
        assert!(usable(&HeaderValue::from_static("raid-night-42")));
        assert!(usable(&HeaderValue::from_str(&"a".repeat(128)).unwrap()));
        assert!(!usable(&HeaderValue::from_str(&"a".repeat(129)).unwrap()));
        assert!(!usable(&HeaderValue::from_static("")));
        assert!(!usable(&HeaderValue::from_static("with space")));
        assert!(!usable(&HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap()));
    }

    #[test]
    fn new_ids_are_hyphenated_uuids() {
        let id = new_id();
        let text = id.to_str().unwrap();
        assert_eq!(text.len(), 36);
        let parsed = uuid::Uuid::parse_str(text).unwrap();
        assert_eq!(parsed.get_version_num(), 8);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(new_id(), id);
    }

    #[test]
    fn the_counter_part_is_a_permutation_that_hides_the_order() {
        let key = [0x5eed_1234_abcd, 0xddba_11c0_ffee];
        let outputs: Vec<u64> = (0..100_000).map(|n| permute(n, key)).collect();
        let distinct: std::collections::HashSet<u64> = outputs.iter().copied().collect();
        assert_eq!(distinct.len(), outputs.len());
        assert!(outputs.iter().all(|&x| x <= COUNTER_MASK));
        // The top counter values map inside the 48 bits too, and differ from the low ones.
        assert!(permute(COUNTER_MASK, key) <= COUNTER_MASK);
        assert!(!distinct.contains(&permute(COUNTER_MASK, key)));
        // Consecutive counters are not consecutive ids (about half the bits change).
        let changed: u32 = outputs
            .windows(2)
            .map(|pair| (pair[0] ^ pair[1]).count_ones())
            .sum();
        let mean = f64::from(changed) / (outputs.len() - 1) as f64;
        assert!((20.0..28.0).contains(&mean), "mean bits changed {mean}");
    }

    #[test]
    fn the_random_part_stays_and_the_counter_part_changes_within_a_thread() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.as_bytes()[..COUNTER_AT], b.as_bytes()[..COUNTER_AT]);
        assert_ne!(a.as_bytes()[COUNTER_AT..], b.as_bytes()[COUNTER_AT..]);
        let other = std::thread::spawn(new_id).join().unwrap();
        assert_ne!(a.as_bytes()[..COUNTER_AT], other.as_bytes()[..COUNTER_AT]);
    }

    #[test]
    fn ids_from_one_block_and_the_next_are_all_distinct() {
        let ids: Vec<HeaderValue> = (0..IDS_PER_BLOCK * 3 + 5).map(|_| new_id()).collect();
        let distinct: std::collections::HashSet<&[u8]> =
            ids.iter().map(HeaderValue::as_bytes).collect();
        assert_eq!(distinct.len(), ids.len());
        assert!(ids
            .iter()
            .all(|id| id.len() == ID_LEN && uuid::Uuid::try_parse_ascii(id.as_bytes()).is_ok()));
    }

    #[test]
    fn a_usable_client_id_is_kept_and_an_unusable_one_replaced() {
        let mut headers = HeaderMap::new();
        headers.insert(&REQUEST_ID, HeaderValue::from_static("raid-night-42"));
        assert_eq!(of_request(&mut headers, true), "raid-night-42");
        headers.append(&REQUEST_ID, HeaderValue::from_static("second"));
        let replaced = of_request(&mut headers, true);
        assert_eq!(replaced.len(), ID_LEN);
        assert_eq!(
            headers.get_all(&REQUEST_ID).iter().collect::<Vec<_>>(),
            [&replaced]
        );
        let mut quiet = HeaderMap::new();
        of_request(&mut quiet, false);
        assert!(
            quiet.is_empty(),
            "a new id is not written on the request unless asked"
        );
    }
}
