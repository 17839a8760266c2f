//! The password policy (OWASP ASVS 4.0.3 §2.1, level 2): length and guessability, nothing
//! else.
//!
//! - V2.1.1 / V2.1.2: at least [`MIN_PASSWORD_CHARS`] characters, and long passphrases are
//!   allowed (up to [`MAX_PASSWORD_CHARS`]: ASVS asks for at least 64 and permits up to
//!   128; every character costs argon2 and strength-estimation time, so 256 is the cap).
//! - V2.1.4 / V2.1.9: any printable Unicode and no composition rules (no "one digit, one
//!   capital").
//! - V2.1.7: passwords that are common or easy to guess are refused. The estimator is
//!   zxcvbn (Dropbox's, as the `zxcvbn` crate): it matches the password against lists of
//!   the most used and leaked passwords, English words, names, keyboard patterns,
//!   repeats, sequences and dates, plus the account's own username and e-mail address, and
//!   estimates the number of guesses an attacker needs.
//! - V2.1.12-style feedback: a refusal says why ("too common", "resembles your username"),
//!   in zxcvbn's own words when it has some.
//!
//! The bar is zxcvbn score 3 ([`MIN_SCORE`]): by zxcvbn's definition "safely unguessable:
//! moderate protection from an offline slow-hash scenario", an estimated 10^8 guesses or
//! more. The passwords are stored as argon2id hashes (about 50 ms each), which is exactly
//! that slow-hash scenario: 10^8 guesses cost an attacker years per account. Score 4
//! (10^10) would refuse sound four-word passphrases such as "another new password" and
//! push people to write passwords down; score 2 (10^6 guesses) falls in hours to a GPU.

/// ASVS V2.1.1.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords only cost hashing and estimation time; nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The lowest accepted zxcvbn score (0–4). See the module documentation.
pub const MIN_SCORE: u8 = 3;

/// Words specific to this service that an attacker would try first.
const SITE_WORDS: [&str; 5] = ["gw2optimizer", "gw2opt", "guildwars", "guildwars2", "tyria"];

/// Why `password` is refused for the account `username` / `email`, or `None` when it is
/// acceptable. Slow-ish (tens of milliseconds for long inputs): call it off the async
/// executor, as [`check`] does.
pub fn problem(password: &str, username: &str, email: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_CHARS {
        return Some(format!(
            "must be at least {MIN_PASSWORD_CHARS} characters (a few unrelated words make a good one)"
        ));
    }
    if len > MAX_PASSWORD_CHARS {
        return Some(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    let lower = password.to_lowercase();
    let username = username.trim().to_lowercase();
    if username.chars().count() >= 3 && lower.contains(&username) {
        return Some("resembles your username: do not use your username in your password".into());
    }
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if local.chars().count() >= 3 && lower.contains(local) {
        return Some(
            "resembles your e-mail address: do not use your address in your password".into(),
        );
    }
    let mut inputs: Vec<&str> = SITE_WORDS.to_vec();
    for word in [username.as_str(), email.as_str(), local] {
        if !word.is_empty() {
            inputs.push(word);
        }
    }
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) >= MIN_SCORE {
        return None;
    }
    let mut why = String::from("is too easy to guess");
    if let Some(feedback) = estimate.feedback() {
        let mut advice: Vec<String> = Vec::new();
        if let Some(warning) = feedback.warning() {
            advice.push(warning.to_string());
        }
        advice.extend(feedback.suggestions().iter().map(ToString::to_string));
        if !advice.is_empty() {
            why.push_str(": ");
            why.push_str(&advice.join(" "));
        }
    } else {
        why.push_str(": add another word or two; uncommon words are better.");
    }
    Some(why)
}

/// [`problem`] on the blocking thread pool.
pub async fn check(password: &str, username: &str, email: &str) -> Option<String> {
    let (p, u, e) = (password.to_owned(), username.to_owned(), email.to_owned());
    // A failed task (a panic inside the estimator) refuses rather than accepts.
    tokio::task::spawn_blocking(move || problem(&p, &u, &e))
        .await
        .unwrap_or_else(|_| Some("could not be checked; choose another one".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_guessability_and_context() {
        let refused = |p: &str| problem(p, "bob", "bob@example.com");
        assert!(refused("1234567890").unwrap().contains("at least 12"));
        assert!(refused("aaaaaaaaaaaa")
            .unwrap()
            .contains("too easy to guess"));
        assert!(refused("            ")
            .unwrap()
            .contains("too easy to guess"));
        assert!(refused("password1234").unwrap().contains("common"));
        assert!(refused("xxBOBxx horse battery")
            .unwrap()
            .contains("username"));
        assert!(
            problem("ann.smith is my login", "annie", "ann.smith@example.com")
                .unwrap()
                .contains("e-mail")
        );
        assert!(refused(&"correct horse ".repeat(20))
            .unwrap()
            .contains("at most 256"));
        assert_eq!(refused("correct horse battery staple"), None);
        assert_eq!(refused("another new password"), None, "score 3 passes");
        let long: String = (0..256u32)
            .map(|i| char::from(b'a' + ((i * 37 + i * i) % 26) as u8))
            .collect();
        assert_eq!(refused(&long), None, "256 characters pass");
        // No composition rules: lowercase words are fine, "Password1234!" is not.
        assert!(refused("Password1234!").is_some());
    }
}
