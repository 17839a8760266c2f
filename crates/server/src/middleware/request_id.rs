//! The request id: the client's `x-request-id` when it is usable, a new UUID (v4) otherwise.
//! It is set on the request's headers (which the access log and traces read) and echoed on
//! the response.
//!
//! Done by the outermost layer (`envelope`) instead of tower-http's three layers (drop an
//! unusable id, set, propagate): those clone the header through the extensions and format the
//! UUID through `Display`; here the UUID is written into a block shared by 64 ids, the header
//! value is cloned once, by reference count, and no extension is added (each is a boxed entry
//! in a map allocated per request).

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use bytes::BytesMut;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

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

thread_local! {
    static ID_BLOCK: std::cell::RefCell<BytesMut> = std::cell::RefCell::new(BytesMut::new());
}

fn new_id() -> HeaderValue {
    ID_BLOCK.with_borrow_mut(|block| {
        if block.capacity() < ID_LEN {
            *block = BytesMut::with_capacity(ID_LEN * IDS_PER_BLOCK);
        }
        let mut buffer = uuid::Uuid::encode_buffer();
        let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buffer);
        block.extend_from_slice(text.as_bytes());
        let id = block.split_to(text.len()).freeze();
        HeaderValue::from_maybe_shared(id).unwrap_or_else(|_| HeaderValue::from_static("-"))
    })
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
            headers.insert(REQUEST_ID.clone(), id.clone());
        }
        id
    })
}

/// The id, echoed on the response (a handler's own id, none do today, wins, as with
/// tower-http's propagation).
pub fn echo(headers: &mut HeaderMap, id: HeaderValue) {
    headers.entry(&REQUEST_ID).or_insert(id);
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
        assert_eq!(uuid::Uuid::parse_str(text).unwrap().get_version_num(), 4);
        assert_ne!(new_id(), id);
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
