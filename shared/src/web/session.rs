//! Cabinet sessions (docs/API.md "Sessions"): a short-lived JWT access token and a rotating
//! refresh token, each in an `HttpOnly` cookie.
//!
//! - The access token is a JWT (RFC 7519), HS256 over `JWT_SECRET`, valid [`ACCESS_TTL`], with
//!   a unique `jti` and its sign-in's family `fam`, so logout or a detected theft can deny it
//!   (the Worker's KV denylist) before it expires.
//!
//! Why not `jwt-compact` in the bundle: it cost 7 KiB gzipped of the Worker's 500 KiB budget
//! (its general header and flattened-claims parsing), which this issue's routes needed. A JWT
//! with one fixed algorithm is small: the header must be exactly HS256, the signature is the
//! `hmac` crate's constant-time check, the claims are ours. `jwt-compact` stays as the
//! reference in the tests: it validates the tokens issued here, and tokens it issues verify
//! here, so the format is the standard one.
//! - The refresh token is random, stored only as [`token_hash`], spent on use ([`SessionStore`]).

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::providers::{hex, hmac_sha256, verify_hmac_sha256};
use crate::shop::store::StoreError;

/// How long an access token lives.
pub const ACCESS_TTL: i64 = 60 * 60;
/// How long a refresh token lives unused.
pub const REFRESH_TTL: i64 = 30 * 24 * 60 * 60;
/// A spent refresh token presented again within this many seconds is refused without ending
/// the sign-in: two tabs refreshing at once, or a response lost on a mobile network, are not a
/// theft. Later, it is.
pub const REUSE_GRACE: i64 = 10;
pub const ACCESS_COOKIE: &str = "wg_session";
pub const REFRESH_COOKIE: &str = "wg_refresh";
/// The refresh cookie is only ever sent to the sign-in routes.
pub const REFRESH_PATH: &str = "/api/auth";

/// What an access token says, beyond its times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The Telegram user id, as a string (RFC 7519 `sub`).
    pub sub: String,
    /// The shop's user id.
    pub uid: i64,
    /// The sign-in (refresh family) this token belongs to.
    pub fam: String,
    pub jti: String,
}

/// A verified access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub telegram_id: i64,
    pub user_id: i64,
    pub family: String,
    pub jti: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("the session token is not valid")]
    Invalid,
    #[error("the session has expired")]
    Expired,
}

/// The JOSE header of every token: `{"alg":"HS256","typ":"JWT"}`, base64url.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// The payload as signed: our claims and the registered times (spelled out rather than
/// `#[serde(flatten)]`, whose buffering costs the bundle).
#[derive(Serialize, Deserialize)]
struct Payload {
    sub: String,
    uid: i64,
    fam: String,
    jti: String,
    iat: i64,
    exp: i64,
}

fn unb64(text: &str) -> Result<Vec<u8>, SessionError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| SessionError::Invalid)
}

/// Signs an access token valid from `now` for [`ACCESS_TTL`].
pub fn issue(secret: &[u8], claims: SessionClaims, now: i64) -> Result<String, SessionError> {
    let SessionClaims { sub, uid, fam, jti } = claims;
    let payload = Payload { sub, uid, fam, jti, iat: now, exp: now + ACCESS_TTL };
    let json = serde_json::to_vec(&payload).map_err(|_| SessionError::Invalid)?;
    let signed = format!("{HEADER}.{}", token_text(&json));
    let signature = token_text(&hmac_sha256(secret, signed.as_bytes()));
    Ok(format!("{signed}.{signature}"))
}

/// The session of `token` if its signature is ours and it has not expired at `now`. (The
/// denylist is the caller's: it needs KV.)
pub fn verify(secret: &[u8], token: &str, now: i64) -> Result<Session, SessionError> {
    let session = decode(secret, token)?;
    if session.expires_at <= now {
        return Err(SessionError::Expired);
    }
    Ok(session)
}

/// The session of `token` if its signature is ours, expired or not: logout ends an expired
/// session's sign-in too. Only HS256 is accepted: the header is checked before the signature
/// (no `alg: none`, no algorithm confusion).
pub fn decode(secret: &[u8], token: &str) -> Result<Session, SessionError> {
    let (signed, signature) = token.rsplit_once('.').ok_or(SessionError::Invalid)?;
    let (header, payload) = signed.split_once('.').ok_or(SessionError::Invalid)?;
    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let header: Header = serde_json::from_slice(&unb64(header)?).map_err(|_| SessionError::Invalid)?;
    if header.alg != "HS256" || !verify_hmac_sha256(secret, signed.as_bytes(), &unb64(signature)?) {
        return Err(SessionError::Invalid);
    }
    let payload: Payload = serde_json::from_slice(&unb64(payload)?).map_err(|_| SessionError::Invalid)?;
    Ok(Session {
        telegram_id: payload.sub.parse().map_err(|_| SessionError::Invalid)?,
        user_id: payload.uid,
        family: payload.fam,
        jti: payload.jti,
        expires_at: payload.exp,
    })
}

/// How a refresh token is stored: hex SHA-256 (the token is 256 random bits, so no salt or
/// slow hash is needed; a database leak gives nothing to present).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Bytes as cookie-safe text (base64url, no padding): ids, refresh tokens, JWT segments.
pub fn token_text(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A `Set-Cookie` value: `HttpOnly; Secure` always.
pub fn cookie(name: &str, value: &str, path: &str, max_age: i64, same_site: &str) -> String {
    format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; Secure; SameSite={same_site}")
}

/// The value of cookie `name` in a `Cookie` header.
pub fn read_cookie<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// How a sign-in was made (stored on its family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Widget,
    WebApp,
}

impl Via {
    pub fn code(self) -> &'static str {
        match self {
            Via::Widget => "widget",
            Via::WebApp => "webapp",
        }
    }
}

/// What presenting a refresh token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// Spent, and `new` stored in its place.
    Rotated { family: String, user_id: i64, telegram_id: i64 },
    /// Already spent: the family is revoked now (or was).
    Reused { family: String },
    /// Unknown, expired, or of a revoked family.
    Invalid,
}

#[allow(async_fn_in_trait)]
pub trait SessionStore {
    /// A new sign-in: its family and first refresh token.
    async fn start_session(
        &self,
        family: &str,
        user_id: i64,
        via: Via,
        refresh_hash: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Spends `old_hash` and stores `new_hash` in the same family, or detects a reuse.
    async fn rotate_refresh(&self, old_hash: &str, new_hash: &str, now: i64) -> Result<Rotation, StoreError>;
    /// Ends a sign-in: none of its tokens works any more.
    async fn revoke_family(&self, family: &str, now: i64) -> Result<(), StoreError>;
    /// Ends the sign-in a refresh token belongs to (logout after the access token expired).
    async fn revoke_by_refresh(&self, refresh_hash: &str, now: i64) -> Result<(), StoreError>;
    /// Whether the sign-in is still on: the authoritative check behind every access token
    /// (KV's denylist is eventually consistent; D1 is not).
    async fn family_live(&self, family: &str) -> Result<bool, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-jwt-secret-0123456789abcdef";
    const NOW: i64 = 1_780_000_000;

    fn claims() -> SessionClaims {
        SessionClaims { sub: "42".into(), uid: 7, fam: "fam1".into(), jti: "jti1".into() }
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let token = issue(SECRET, claims(), NOW).expect("issue");
        let session = verify(SECRET, &token, NOW + 10).expect("verify");
        assert_eq!(
            session,
            Session {
                telegram_id: 42,
                user_id: 7,
                family: "fam1".into(),
                jti: "jti1".into(),
                expires_at: NOW + ACCESS_TTL
            }
        );
        assert_eq!(verify(SECRET, &token, NOW + ACCESS_TTL), Err(SessionError::Expired));
    }

    #[test]
    fn another_key_a_changed_payload_or_another_algorithm_is_invalid() {
        let token = issue(SECRET, claims(), NOW).expect("issue");
        assert_eq!(verify(b"another-secret-0123456789abcdef!", &token, NOW), Err(SessionError::Invalid));
        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = issue(b"x", SessionClaims { uid: 8, ..claims() }, NOW).expect("issue");
        let forged = format!("{}.{}.{}", parts[0], forged_claims.split('.').nth(1).unwrap_or(""), parts[2]);
        assert_eq!(verify(SECRET, &forged, NOW), Err(SessionError::Invalid));
        // alg "none": header {"alg":"none"} with the same claims and no signature.
        let none = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]);
        assert_eq!(verify(SECRET, &none, NOW), Err(SessionError::Invalid));
        assert_eq!(verify(SECRET, "not a token", NOW), Err(SessionError::Invalid));
    }

    #[test]
    fn cookies_are_http_only_and_secure_and_read_back() {
        let set = cookie(ACCESS_COOKIE, "abc", "/api", ACCESS_TTL, "Lax");
        assert_eq!(set, "wg_session=abc; Path=/api; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
        assert_eq!(read_cookie("a=1; wg_session=abc; wg_refresh=def", ACCESS_COOKIE), Some("abc"));
        assert_eq!(read_cookie("wg_sessionx=1", ACCESS_COOKIE), None);
    }

    #[test]
    fn refresh_tokens_are_stored_as_their_sha256() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    /// The reference implementation agrees: jwt-compact validates our tokens, and its tokens
    /// verify here.
    #[test]
    fn jwt_compact_accepts_our_tokens_and_we_accept_its() {
        use jwt_compact::alg::{Hs256, Hs256Key};
        use jwt_compact::{AlgorithmExt, Claims, Header, TimeOptions, Token, UntrustedToken};
        let key = Hs256Key::new(SECRET);
        let ours = issue(SECRET, claims(), NOW).expect("issue");
        let untrusted = UntrustedToken::new(&ours).expect("parse");
        let token: Token<SessionClaims> = Hs256.validator(&key).validate(&untrusted).expect("valid");
        assert_eq!(token.claims().custom, claims());
        assert_eq!(token.claims().expiration.map(|e| e.timestamp()), Some(NOW + ACCESS_TTL));

        let at = chrono::DateTime::from_timestamp(NOW, 0).expect("time");
        let options = TimeOptions::new(chrono::Duration::zero(), move || at);
        let theirs =
            Claims::new(claims()).set_duration_and_issuance(&options, chrono::Duration::seconds(600));
        let token = Hs256.token(&Header::empty().with_token_type("JWT"), &theirs, &key).expect("sign");
        assert_eq!(verify(SECRET, &token, NOW + 1).map(|s| s.expires_at), Ok(NOW + 600));
    }
}
