//! Mini App sign-in: the `initData` string Telegram gives a Mini App, verified with the bot
//! token (`payments.md` §1). Until the cabinet's sessions land, `POST /api/checkout` takes it
//! as the bot user's session (`Authorization: tma <initData>`).
//!
//! `data_check_string` = every field but `hash`, URL-decoded, sorted by key, `k=v` joined by
//! `\n` (a `signature` field stays in); `secret = HMAC_SHA256(key "WebAppData", bot token)`;
//! `hash = hex(HMAC_SHA256(secret, data_check_string))`. The `user` JSON is used as sent.

use serde::Deserialize;

use crate::http::decode_component as decode;
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
    pub last_name: Option<String>,
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

/// Telegram's Ed25519 public keys for the third-party check (`payments.md` §1).
pub const TELEGRAM_PUBLIC_KEY: &str = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d";
pub const TELEGRAM_TEST_PUBLIC_KEY: &str = "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec";

/// The fields of an `initData` query string, URL-decoded, in their order.
fn fields(raw: &str) -> Result<Vec<(String, String)>, InitDataError> {
    let mut fields = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or(InitDataError::Malformed)?;
        let key = decode(key).ok_or(InitDataError::Malformed)?;
        // One value per key: the HMAC covers every copy, but a reader would take only one.
        if fields.iter().any(|(k, _)| *k == key) {
            return Err(InitDataError::Malformed);
        }
        let value = decode(value).ok_or(InitDataError::Malformed)?;
        // The checked string joins `key=value` lines with `\n`: a line break inside a key or a
        // value would let two fields pass as one (or one as two) under the same hash.
        if key.contains('\n') || value.contains('\n') {
            return Err(InitDataError::Malformed);
        }
        fields.push((key, value));
    }
    Ok(fields)
}

/// What Telegram's Ed25519 `signature` covers, when `raw` carries one: the message
/// `"{bot_id}:WebAppData\n"` + every field but `hash` and `signature`, sorted, `k=v` joined by
/// `\n`; and the 64-byte signature (base64url, no padding). `None`: no signature field. The
/// check needs no bot token; the Worker verifies it with WebCrypto (no Ed25519 code in the
/// bundle).
pub fn third_party(raw: &str, bot_id: i64) -> Result<Option<(String, [u8; 64])>, InitDataError> {
    use base64::Engine;
    let fields = fields(raw)?;
    let Some((_, signature)) = fields.iter().find(|(k, _)| k == "signature") else { return Ok(None) };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .map_err(|_| InitDataError::Malformed)?;
    let signature: [u8; 64] = bytes.try_into().map_err(|_| InitDataError::Malformed)?;
    let mut rest: Vec<_> = fields.iter().filter(|(k, _)| k != "hash" && k != "signature").collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let pairs = rest.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    Ok(Some((format!("{bot_id}:WebAppData\n{pairs}"), signature)))
}

/// The signed-in user, if `raw` is a fresh `initData` signed for `bot_token`.
pub fn verify(raw: &str, bot_token: &str, now: i64) -> Result<WebAppUser, InitDataError> {
    let fields = fields(raw)?;
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
    // Saturating: a signed but absurd `auth_date` (i64::MIN) is stale, not an overflow.
    if now.saturating_sub(auth_date) > MAX_AGE_SECONDS || auth_date.saturating_sub(now) > 60 {
        return Err(InitDataError::Stale);
    }
    serde_json::from_str(field("user").ok_or(InitDataError::Malformed)?).map_err(|_| InitDataError::Malformed)
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

    /// Vector T3: a real initData signed by Telegram (bot 7342037359), verified here with an
    /// independent Ed25519 implementation over the message [`third_party`] builds.
    #[test]
    fn vector_t3_signature_verifies_with_the_production_key_and_fails_when_changed() {
        const T3: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance=8134722200314281151&chat_type=private&auth_date=1733584787&hash=2174df5b000556d044f3f020384e879c8efcab55ddea2ced4eb752e93e7080d6&signature=zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";
        let key_bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&TELEGRAM_PUBLIC_KEY[2 * i..2 * i + 2], 16).expect("hex"))
            .collect();
        let key = ed25519_compact::PublicKey::from_slice(&key_bytes).expect("key");
        let check = |raw: &str, bot_id: i64| {
            let (message, signature) = third_party(raw, bot_id).expect("parse").expect("signed");
            key.verify(message.as_bytes(), &ed25519_compact::Signature::new(signature)).is_ok()
        };
        assert!(check(T3, 7342037359));
        assert!(!check(&T3.replace("auth_date=1733584787", "auth_date=1733584788"), 7342037359));
        assert!(!check(T3, 7342037358));
        assert_eq!(third_party("auth_date=1&hash=ab", 1), Ok(None));
        assert_eq!(third_party("auth_date=1&signature=abc", 1), Err(InitDataError::Malformed));
    }

    #[test]
    fn a_key_sent_twice_is_malformed() {
        let raw = format!("auth_date=1767225600&auth_date=1767225601&user={}&hash=00", encode(USER));
        assert_eq!(verify(&raw, TOKEN, 1_767_225_600), Err(InitDataError::Malformed));
    }
}
