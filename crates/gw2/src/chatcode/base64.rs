//! Strict standard base64 (RFC 4648 §4, `+` `/`, `=` padding), written here rather than taken
//! from a crate so that every rejection can name the exact character offset, and so that
//! non-canonical encodings (non-zero padding bits, missing padding) are refused: a chat code
//! that decodes must re-encode to the very same text, which is what makes the raw layer's
//! byte-identical round-trip hold.

use super::CodeError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// 0xFF marks bytes outside the alphabet; `=` is handled separately.
const DECODE: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Appends the base64 text of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        for shift in [18u32, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(char::from(ALPHABET[((n >> 18) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 12) & 63) as usize]));
            out.push_str("==");
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(char::from(ALPHABET[((n >> 18) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 12) & 63) as usize]));
            out.push(char::from(ALPHABET[((n >> 6) & 63) as usize]));
            out.push('=');
        }
        _ => {}
    }
}

/// Decodes `text` (the part between `[&` and `]`). `base` is the character offset of `text`
/// inside the caller's input, so errors point at the user's string, not at our slice.
pub(crate) fn decode(text: &[u8], base: usize) -> Result<Vec<u8>, CodeError> {
    if text.is_empty() {
        return Err(CodeError::EmptyPayload);
    }
    if text.len() % 4 != 0 {
        return Err(CodeError::Base64Length {
            offset: base,
            len: text.len(),
        });
    }
    let pad = text.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return Err(CodeError::InvalidBase64 {
            offset: base + text.len() - pad,
            character: '=',
        });
    }
    let body = &text[..text.len() - pad];
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for (i, &c) in body.iter().enumerate() {
        let v = DECODE[c as usize];
        if v == 0xFF {
            return Err(CodeError::InvalidBase64 {
                offset: base + i,
                character: char::from(c),
            });
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero, otherwise two different texts would decode to the same bytes.
    if acc != 0 {
        return Err(CodeError::NonCanonicalBase64 {
            offset: base + body.len() - 1,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases: [(&str, &str); 7] = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            let mut s = String::new();
            encode_into(plain.as_bytes(), &mut s);
            assert_eq!(s, enc);
            if !enc.is_empty() {
                assert_eq!(decode(enc.as_bytes(), 0).unwrap(), plain.as_bytes());
            }
        }
    }

    #[test]
    fn rejects_non_canonical_and_bad_chars() {
        assert!(matches!(
            decode(b"Zh==", 2),
            Err(CodeError::NonCanonicalBase64 { offset: 3 })
        ));
        assert!(matches!(
            decode(b"Zm9*", 2),
            Err(CodeError::InvalidBase64 {
                offset: 5,
                character: '*'
            })
        ));
        assert!(matches!(
            decode(b"Zm9", 0),
            Err(CodeError::Base64Length { .. })
        ));
        assert!(matches!(
            decode(b"Z===", 0),
            Err(CodeError::InvalidBase64 { .. })
        ));
        assert!(matches!(
            decode(b"Zm=v", 0),
            Err(CodeError::InvalidBase64 { .. })
        ));
    }
}
