//! From what users store to samples: a parsed WvW fight ([`fight`]: one sample of the
//! squad; [`player`]: one per squad member) and a stored build with what others did with
//! it ([`build`]). Feature names are stable text (they are stored with
//! the samples and the models), values are finite.

pub mod build;
pub mod fight;
pub mod player;

/// A name made of lowercase ASCII letters, digits and `_` (spaces, apostrophes and other
/// signs dropped or turned into `_`), so feature names read the same in JSON and tables.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            continue;
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_plain() {
        assert_eq!(slug("Berserker's"), "berserkers");
        assert_eq!(slug("  Celestial  Gear "), "celestial_gear");
        assert_eq!(slug("Firebrand"), "firebrand");
        assert_eq!(slug("---"), "");
    }
}
