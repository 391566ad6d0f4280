//! The Telegram Login Widget (`payments.md` §1): the widget hands the page the user's fields
//! and a `hash`. `data_check_string` = every field but `hash`, sorted by key, `key=value`
//! joined by `\n`; `hash = hex(HMAC_SHA256(SHA256(bot token), data_check_string))`.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::providers::verify_hmac_sha256_hex;

/// How old a widget sign-in may be: the page posts it right after Telegram's redirect, and a
/// day bounds a captured payload's use.
pub const MAX_AGE_SECONDS: i64 = 24 * 60 * 60;

/// The signed-in Telegram user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("malformed login payload")]
    Malformed,
    #[error("bad hash")]
    BadHash,
    #[error("the login is too old")]
    Stale,
}

/// The fields the widget signs. Anything else is refused rather than signed over: the
/// data-check string joins lines, so only known keys and values without line breaks keep it
/// unambiguous.
const FIELDS: [&str; 6] = ["auth_date", "first_name", "id", "last_name", "photo_url", "username"];

/// The user, if `fields` (the widget's JSON object) are signed for `bot_token` and fresh.
/// Values are checked as the widget sent them: numbers in their JSON form, strings as is.
pub fn verify(fields: &Map<String, Value>, bot_token: &str, now: i64) -> Result<WidgetUser, LoginError> {
    let hash = fields.get("hash").and_then(Value::as_str).ok_or(LoginError::Malformed)?;
    // FIELDS is sorted, so the lines come out sorted by key.
    let mut pairs = Vec::with_capacity(fields.len());
    for key in FIELDS {
        let text = match fields.get(key) {
            None => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(LoginError::Malformed),
        };
        if text.contains('\n') {
            return Err(LoginError::Malformed);
        }
        pairs.push(format!("{key}={text}"));
    }
    if fields.len() != pairs.len() + 1 {
        return Err(LoginError::Malformed);
    }
    let secret: [u8; 32] = Sha256::digest(bot_token.as_bytes()).into();
    if !verify_hmac_sha256_hex(&secret, pairs.join("\n").as_bytes(), hash) {
        return Err(LoginError::BadHash);
    }
    let number = |name: &str| match fields.get(name) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let auth_date = number("auth_date").ok_or(LoginError::Malformed)?;
    // Saturating: a signed but absurd `auth_date` (i64::MIN) is stale, not an overflow.
    if now.saturating_sub(auth_date) > MAX_AGE_SECONDS || auth_date.saturating_sub(now) > 60 {
        return Err(LoginError::Stale);
    }
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_string);
    Ok(WidgetUser {
        id: number("id").filter(|id| *id > 0).ok_or(LoginError::Malformed)?,
        first_name: text("first_name").unwrap_or_default(),
        username: text("username"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    const NOW: i64 = 1_767_225_600 + 60;

    /// Vector T1 of payments.md.
    fn t1() -> Map<String, Value> {
        let value = json!({ "id": 42, "first_name": "Ivan", "username": "ivan_vpn", "auth_date": 1767225600,
            "hash": "68a935467fd451e82105512fc008565942c08b233cd638eb08f4ef30d268061e" });
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn vector_t1_verifies() {
        let user = verify(&t1(), TOKEN, NOW).expect("T1");
        assert_eq!(user, WidgetUser { id: 42, first_name: "Ivan".into(), username: Some("ivan_vpn".into()) });
    }

    #[test]
    fn numbers_sent_as_strings_verify_the_same() {
        let mut fields = t1();
        fields.insert("id".into(), json!("42"));
        fields.insert("auth_date".into(), json!("1767225600"));
        assert_eq!(verify(&fields, TOKEN, NOW).map(|u| u.id), Ok(42));
    }

    #[test]
    fn a_changed_field_a_wrong_token_or_an_added_field_fail() {
        let mut changed = t1();
        changed.insert("first_name".into(), json!("Ivan2"));
        assert_eq!(verify(&changed, TOKEN, NOW), Err(LoginError::BadHash));
        assert_eq!(verify(&t1(), "123456789:other", NOW), Err(LoginError::BadHash));
        let mut added = t1();
        added.insert("last_name".into(), json!("X"));
        assert_eq!(verify(&added, TOKEN, NOW), Err(LoginError::BadHash));
        let mut unknown = t1();
        unknown.insert("is_admin".into(), json!("1"));
        assert_eq!(verify(&unknown, TOKEN, NOW), Err(LoginError::Malformed));
        let mut newline = t1();
        newline.insert("first_name".into(), json!("Ivan\nid=1"));
        assert_eq!(verify(&newline, TOKEN, NOW), Err(LoginError::Malformed));
    }

    #[test]
    fn stale_future_and_malformed_payloads_are_refused() {
        assert_eq!(verify(&t1(), TOKEN, 1_767_225_600 + MAX_AGE_SECONDS + 1), Err(LoginError::Stale));
        assert_eq!(verify(&t1(), TOKEN, 1_767_225_600 - 120), Err(LoginError::Stale));
        let mut no_hash = t1();
        no_hash.remove("hash");
        assert_eq!(verify(&no_hash, TOKEN, NOW), Err(LoginError::Malformed));
        let mut nested = t1();
        nested.insert("photo_url".into(), json!({ "x": 1 }));
        assert_eq!(verify(&nested, TOKEN, NOW), Err(LoginError::Malformed));
    }
}
