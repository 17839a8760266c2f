//! The rules for what an account may be: e-mail syntax, usernames, the password policy,
//! profile URLs and optional text.

use super::*;

pub(super) fn rename_field(err: ApiError, field: &str) -> ApiError {
    match err {
        ApiError::Validation { message, .. } => ApiError::validation(field, message),
        other => other,
    }
}

pub fn validate_email(email: &str) -> ApiResult<()> {
    let invalid = |why: &str| Err(ApiError::validation("email", why));
    if email.len() > 254 {
        return invalid("must be at most 254 characters");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return invalid("must be an e-mail address like name@example.com");
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return invalid("the part before @ must be 1 to 64 characters");
    }
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "()<>,;:\\\"[]".contains(c);
    if local.chars().any(bad_char)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return invalid("the part before @ contains characters not allowed in an address");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-'))
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return invalid("the domain must look like example.com");
    }
    Ok(())
}

pub fn validate_username(username: &str) -> ApiResult<()> {
    let len = username.chars().count();
    if !(3..=50).contains(&len) {
        return Err(ApiError::validation(
            "username",
            "must be 3 to 50 characters",
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(ApiError::validation(
            "username",
            "may contain only letters, digits, '_', '-' and '.'",
        ));
    }
    Ok(())
}

/// The password policy of [`crate::auth::policy`] (ASVS 2.1): 422 on field `password`
/// saying why a password is refused.
pub async fn validate_password(password: &str, username: &str, email: &str) -> ApiResult<()> {
    match crate::auth::policy::check(password, username, email).await {
        None => Ok(()),
        Some(why) => Err(ApiError::validation("password", why)),
    }
}

pub(super) fn validate_http_url(url: &str) -> ApiResult<()> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.starts_with('/')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::validation(
            "profile_picture_url",
            "must be an http:// or https:// URL",
        )),
    }
}

/// Trims; empty becomes `None`; longer than `max` characters is refused.
pub(super) fn clean_optional(
    value: Option<String>,
    field: &str,
    max: usize,
) -> ApiResult<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(v.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_syntax() {
        for ok in [
            "a@b.co",
            "first.last+tag@example.co.uk",
            "x_y@sub-domain.example.com",
        ] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@example.com",
            "a@exa mple.com",
            "a@-x.com",
            "a..b@x.com",
            "a@x..com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn username_rules() {
        assert!(validate_username("ab").is_err());
        assert!(validate_username("abc").is_ok());
        assert!(validate_username("Zerg.Lead_01-x").is_ok());
        assert!(validate_username("no spaces").is_err());
        assert!(validate_username(&"x".repeat(51)).is_err());
    }

    #[tokio::test]
    async fn password_refusals_name_the_field() {
        let err = validate_password("xxBOBxx horse battery", "bob", "b@example.com")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ApiError::Validation { field, message } if field == "password" && message.contains("username")),
            "{err:?}"
        );
        assert!(
            validate_password("long enough pass", "bob", "b@example.com")
                .await
                .is_ok()
        );
    }

    #[test]
    fn picture_urls_must_be_http() {
        assert!(validate_http_url("https://example.com/a.png").is_ok());
        assert!(validate_http_url("http://example.com").is_ok());
        assert!(validate_http_url("javascript:alert(1)").is_err());
        assert!(validate_http_url("ftp://example.com").is_err());
        assert!(validate_http_url("https://").is_err());
    }
}
