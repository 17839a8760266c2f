//! The one policy for text that clients send: every string of a JSON body (keys included),
//! of a query string, of a form body and of a path is checked here, by the extractors in
//! [`crate::extract`], before any handler, service or database sees it.
//!
//! Why at the extractor and not per field: PostgreSQL refuses NUL in `text` and `jsonb`
//! (a 500 on the first user who pastes one) while SQLite stores it silently; a check that
//! every new field had to remember would miss the next one. Control characters also break
//! log lines, chat codes, the markdown export and terminal output.
//!
//! The rule: no control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F),
//! except tab, line feed and carriage return in prose fields ([`PROSE_FIELDS`]), where a
//! player writes paragraphs. Refusals are 422 naming the field and the character.

use serde_json::Value;

use crate::error::ApiError;

/// Field names (the last segment of a path) whose values are prose: tab, newline and
/// carriage return are allowed there, and only there. `message` is a chat message (or a
/// Team Commander request), which a player may write over several lines.
pub const PROSE_FIELDS: &[&str] = &["description", "bio", "notes", "comment", "message"];

/// What a field may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: no control character at all.
    Line,
    /// Paragraphs: tab, LF and CR allowed.
    Prose,
}

impl TextKind {
    /// The kind of the field whose dotted/indexed path is `field`.
    pub fn of_field(field: &str) -> TextKind {
        let last = field
            .rsplit(['.', '['])
            .next()
            .unwrap_or(field)
            .trim_end_matches(']');
        if PROSE_FIELDS.contains(&last) {
            TextKind::Prose
        } else {
            TextKind::Line
        }
    }
}

/// The first character `kind` does not allow in `text`, with its char index.
pub fn first_forbidden(text: &str, kind: TextKind) -> Option<(usize, char)> {
    if !may_hold_a_control(text) {
        return None;
    }
    text.chars().enumerate().find(|&(_, c)| {
        c.is_control() && !(kind == TextKind::Prose && matches!(c, '\t' | '\n' | '\r'))
    })
}

/// Whether `text` may hold a control character, by its bytes: in UTF-8 every one is a byte
/// below 0x20, 0x7F, or (U+0080–U+009F) 0xC2 followed by 0x80–0x9F. Nearly every string
/// sent has none of these bytes, and is cleared without decoding a character (every path
/// segment, query parameter and JSON string goes through here).
///
/// Read 16 bytes at a time without stopping at the first hit, so the compiler checks each
/// block with vector instructions (a byte at a time cost ~10 instructions a byte).
fn may_hold_a_control(text: &str) -> bool {
    let suspect = |b: &u8| u8::from(*b < 0x20) | u8::from(*b == 0x7f) | u8::from(*b == 0xc2);
    let mut blocks = text.as_bytes().chunks_exact(16);
    let found = blocks
        .by_ref()
        .any(|block| block.iter().fold(0, |seen, b| seen | suspect(b)) != 0);
    found || blocks.remainder().iter().any(|b| suspect(b) != 0)
}

/// Checks one string sent as `field`.
pub fn check(field: &str, text: &str) -> Result<(), ApiError> {
    if !may_hold_a_control(text) {
        return Ok(());
    }
    let kind = TextKind::of_field(field);
    match first_forbidden(text, kind) {
        None => Ok(()),
        Some((at, c)) => Err(ApiError::validation(
            field,
            format!(
                "control character U+{:04X} at position {at} is not allowed{}",
                u32::from(c),
                if kind == TextKind::Prose {
                    " (tab and line breaks are)"
                } else {
                    " in this field"
                }
            ),
        )),
    }
}

/// Checks every string and every object key of a JSON document; paths are rendered as
/// serde_path_to_error does (`slots[0].player_name`), the root's fields by their name.
pub fn check_json(value: &Value) -> Result<(), ApiError> {
    let mut path = String::new();
    walk(value, &mut path)
}

fn walk(value: &Value, path: &mut String) -> Result<(), ApiError> {
    match value {
        Value::String(s) => check(field_name(path), s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if first_forbidden(key, TextKind::Line).is_some() {
                    let shown: String = key.chars().filter(|c| !c.is_control()).collect();
                    path.truncate(len);
                    return Err(ApiError::validation(
                        if path.is_empty() {
                            "body"
                        } else {
                            path.as_str()
                        },
                        format!("a key ({shown:?}) contains a control character"),
                    ));
                }
                walk(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn field_name(path: &str) -> &str {
    if path.is_empty() {
        "body"
    } else {
        path
    }
}

/// Checks the decoded pairs of a query string or form body (`field` = the parameter name).
pub fn check_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), ApiError> {
    for (key, value) in pairs {
        if first_forbidden(key, TextKind::Line).is_some() {
            return Err(ApiError::validation(
                "query",
                "a parameter name contains a control character",
            ));
        }
        check(key, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(err: ApiError) -> String {
        match err {
            ApiError::Validation { field, .. } => field,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn nul_and_controls_are_refused_everywhere_with_the_field_named() {
        let doc = json!({"name": "ok", "slots": [{"player_name": "a"}, {"player_name": "b\u{0}"}]});
        assert_eq!(
            field_of(check_json(&doc).unwrap_err()),
            "slots[1].player_name"
        );
        let doc = json!({"preferences": {"theme": "dark\u{1b}[31m"}});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "preferences.theme");
        let doc = json!({"name": "c1 \u{85} control"});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "name");
        let doc = json!({"tags": ["fine", "del\u{7f}"]});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "tags[1]");
        let doc = json!({"ke\u{0}y": 1});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "body");
        assert_eq!(field_of(check_json(&json!("\u{0}")).unwrap_err()), "body");
    }

    #[test]
    fn prose_fields_keep_tabs_and_line_breaks_but_not_other_controls() {
        let doc = json!({"name": "One", "description": "line 1\r\n\tline 2", "bio": "a\nb"});
        assert!(check_json(&doc).is_ok());
        let doc = json!({"name": "two\nlines"});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "name");
        let doc = json!({"description": "bell\u{7}"});
        assert_eq!(field_of(check_json(&doc).unwrap_err()), "description");
    }

    #[test]
    fn unicode_text_is_fine() {
        let doc = json!({"name": "Gardien de l'Aube — ÉBG ⚔ 守护者", "tags": ["mcm", "zerg"]});
        assert!(check_json(&doc).is_ok());
        assert!(check_pairs([("author", "Zoë"), ("q", "fire brand")]).is_ok());
        let err = check_pairs([("tag", "a\u{0}")]).unwrap_err();
        assert_eq!(field_of(err), "tag");
    }

    #[test]
    fn a_control_is_found_wherever_it_is_in_a_long_string() {
        // In a 16-byte block or in the remainder after the blocks.
        for len in [15, 16, 17, 40, 64] {
            for at in 0..len {
                for control in ["\u{1}", "\u{7f}", "\u{85}"] {
                    let text = format!("{}{control}{}", "a".repeat(at), "b".repeat(len - at));
                    assert_eq!(
                        first_forbidden(&text, TextKind::Prose),
                        Some((at, control.chars().next().unwrap())),
                        "{len} {at} {control:?}"
                    );
                }
            }
            assert_eq!(first_forbidden(&"é".repeat(len), TextKind::Line), None);
        }
    }

    proptest::proptest! {
        /// The byte pre-check never clears a string holding a control character: the
        /// answer is the same as decoding every character (strings drawn around the C0,
        /// DEL and C1 ranges and the other 0xC2-led characters).
        #[test]
        fn the_byte_precheck_agrees_with_decoding(
            text in "[a-z \\x00-\\x1f\\x7f-\\u{a0}\\u{a1}-\\u{bf}é€守]{0,48}"
        ) {
            for kind in [TextKind::Line, TextKind::Prose] {
                let decoded = text.chars().enumerate().find(|&(_, c)| {
                    c.is_control() && !(kind == TextKind::Prose && matches!(c, '\t' | '\n' | '\r'))
                });
                proptest::prop_assert_eq!(first_forbidden(&text, kind), decoded);
            }
        }
    }
}
