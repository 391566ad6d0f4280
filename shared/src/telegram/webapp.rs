//! Mini App sign-in: the `initData` string Telegram gives a Mini App, verified with the bot
//! token (`payments.md` §1). Until the cabinet's sessions land, `POST /api/checkout` takes it
//! as the bot user's session (`Authorization: tma <initData>`).
//!
//! `data_check_string` = every field but `hash`, URL-decoded, sorted by key, `k=v` joined by
//! `\n` (a `signature` field stays in); `secret = HMAC_SHA256(key "WebAppData", bot token)`;
//! `hash = hex(HMAC_SHA256(secret, data_check_string))`. The `user` JSON is used as sent.

use serde::Deserialize;

use crate::providers::{hmac_sha256, verify_hmac_sha256_hex};

/// How old an `initData` may be. A Mini App keeps its launch data while open; a day bounds a
/// captured string's use without signing out a customer who keeps the app open.
pub const MAX_AGE_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WebAppUser {
    pub id: i64,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitDataError {
    #[error("malformed initData")]
    Malformed,
    #[error("bad hash")]
    BadHash,
    #[error("initData is too old")]
    Stale,
}

/// The signed-in user, if `raw` is a fresh `initData` signed for `bot_token`.
pub fn verify(raw: &str, bot_token: &str, now: i64) -> Result<WebAppUser, InitDataError> {
    let mut fields = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or(InitDataError::Malformed)?;
        fields.push((
            decode(key).ok_or(InitDataError::Malformed)?,
            decode(value).ok_or(InitDataError::Malformed)?,
        ));
    }
    let hash =
        fields.iter().find(|(k, _)| k == "hash").map(|(_, v)| v.clone()).ok_or(InitDataError::Malformed)?;
    let mut rest: Vec<_> = fields.iter().filter(|(k, _)| k != "hash").collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let check = rest.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    let secret = hmac_sha256(b"WebAppData", bot_token.as_bytes());
    if !verify_hmac_sha256_hex(&secret, check.as_bytes(), &hash) {
        return Err(InitDataError::BadHash);
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let auth_date: i64 = field("auth_date").and_then(|v| v.parse().ok()).ok_or(InitDataError::Malformed)?;
    if now - auth_date > MAX_AGE_SECONDS || auth_date - now > 60 {
        return Err(InitDataError::Stale);
    }
    serde_json::from_str(field("user").ok_or(InitDataError::Malformed)?).map_err(|_| InitDataError::Malformed)
}

/// URL-decoding of a query-string component: `+` and `%20` both mean a space.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    const USER: &str = r#"{"id":42,"first_name":"Ivan","username":"ivan_vpn","language_code":"ru"}"#;

    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    fn t2(hash: &str) -> String {
        format!(
            "auth_date=1767225600&query_id=AAE1&signature=SIGNATURE_PLACEHOLDER&user={}&hash={hash}",
            encode(USER)
        )
    }

    const T2_HASH: &str = "299f905e9ce805dea4d627527c8ed737de619e4ceb6d7fb28d9b2e6e600e95db";

    #[test]
    fn vector_t2_verifies_and_names_the_user() {
        let user = verify(&t2(T2_HASH), TOKEN, 1_767_225_600 + 60).unwrap();
        assert_eq!(
            (user.id, user.username.as_deref(), user.language_code.as_deref()),
            (42, Some("ivan_vpn"), Some("ru"))
        );
    }

    #[test]
    fn a_changed_field_another_bot_or_an_old_string_is_refused() {
        assert_eq!(
            verify(&t2(T2_HASH).replace("AAE1", "AAE2"), TOKEN, 1_767_225_660),
            Err(InitDataError::BadHash)
        );
        assert_eq!(verify(&t2(T2_HASH), "123456789:other", 1_767_225_660), Err(InitDataError::BadHash));
        assert_eq!(
            verify(&t2(T2_HASH), TOKEN, 1_767_225_600 + MAX_AGE_SECONDS + 1),
            Err(InitDataError::Stale)
        );
        assert_eq!(verify(&t2(&T2_HASH[..63]), TOKEN, 1_767_225_660), Err(InitDataError::BadHash));
        assert_eq!(verify("auth_date=1", TOKEN, 1), Err(InitDataError::Malformed));
        assert_eq!(verify("user=%ZZ&hash=00", TOKEN, 1), Err(InitDataError::Malformed));
    }

    #[test]
    fn plus_and_percent_20_both_decode_to_a_space() {
        assert_eq!(decode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(decode("%E2%9C%93").as_deref(), Some("✓"));
        assert_eq!(decode("%2"), None);
    }
}
