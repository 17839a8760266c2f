//! `cargo fuzz run decode_build` (from crates/gw2): decoding arbitrary text or bytes must never
//! panic, and whatever decodes must re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(raw) = gw2::chatcode::decode_raw(text) {
            let again = gw2::chatcode::encode_raw(&raw).expect("decoded code re-encodes");
            assert_eq!(again, text.trim());
        }
        let _ = gw2::chatcode::decode(text, gw2::GameData::embedded());
        let _ = gw2::ChatLink::decode(text);
    }
    if let Ok(link) = gw2::ChatLink::decode_bytes(data) {
        assert_eq!(link.encode_bytes().expect("re-encodes"), data);
    }
});
