//! Domain newtypes that validate at the boundary ("parse, don't validate").
//!
//! Wire DTOs (Telegram updates, D1 rows) convert into these once; code past the boundary can
//! rely on the invariants without re-checking.

use std::fmt;

/// A Telegram user id: positive, at most 52 bits (Bot API guarantee), so it fits D1's
/// JavaScript-number transport and the panel's `telegramId` exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TelegramUserId(i64);

impl TelegramUserId {
    pub const MAX: i64 = (1 << 52) - 1;

    pub fn parse(raw: i64) -> Result<Self, DomainError> {
        if raw > 0 && raw <= Self::MAX {
            Ok(Self(raw))
        } else {
            Err(DomainError::TelegramUserId(raw))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TelegramUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A referral code: 8 characters of an alphabet without look-alikes (no 0/o, 1/l/i).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReferralCode(String);

impl ReferralCode {
    pub const LEN: usize = 8;
    /// 31 symbols; 31^8 ≈ 8.5e11 codes, so random collisions are rare and retried on insert.
    pub const ALPHABET: &'static [u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

    /// Parses user input (a deep-link payload), case-insensitively.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let code = raw.trim().to_ascii_lowercase();
        let valid = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if valid {
            Ok(Self(code))
        } else {
            Err(DomainError::ReferralCode)
        }
    }

    /// Builds a code from random bytes (the caller supplies randomness: `crypto.getRandomValues`
    /// in the Worker). Each byte picks one symbol; the slight modulo bias is irrelevant here.
    pub fn from_random(bytes: [u8; Self::LEN]) -> Self {
        let alphabet = Self::ALPHABET;
        let code = bytes.iter().map(|b| alphabet[*b as usize % alphabet.len()] as char).collect();
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferralCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a `/start` deep link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartPayload {
    /// Plain `/start`, or a payload we do not know (ignored rather than rejected: links in the
    /// wild outlive our formats).
    None,
    /// `ref_<code>`: the user followed someone's invite link.
    Referral(ReferralCode),
    /// `gift_<code>`: the user opened a gift link.
    Gift(String),
}

impl StartPayload {
    /// Parses the text after `/start ` (Telegram sends deep-link payloads that way).
    pub fn parse(payload: &str) -> Self {
        let payload = payload.trim();
        if let Some(code) = payload.strip_prefix("gift_") {
            let valid =
                code.len() == 16 && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            return if valid { StartPayload::Gift(code.to_string()) } else { StartPayload::None };
        }
        payload
            .strip_prefix("ref_")
            .and_then(|code| ReferralCode::parse(code).ok())
            .map_or(StartPayload::None, StartPayload::Referral)
    }
}

/// Days a referrer earns when an invited user completes their first payment (product.md).
pub const REFERRAL_BONUS_DAYS: i64 = 7;

/// The deep link that starts the bot with a referral code.
pub fn referral_link(bot_username: &str, code: &ReferralCode) -> String {
    format!("https://t.me/{bot_username}?start=ref_{code}")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("not a Telegram user id: {0}")]
    TelegramUserId(i64),
    #[error("not a referral code")]
    ReferralCode,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_user_ids_must_be_positive_and_fit_52_bits() {
        assert!(TelegramUserId::parse(123_456_789).is_ok());
        assert!(TelegramUserId::parse(TelegramUserId::MAX).is_ok());
        assert!(TelegramUserId::parse(0).is_err());
        assert!(TelegramUserId::parse(-5).is_err());
        assert!(TelegramUserId::parse(TelegramUserId::MAX + 1).is_err());
    }

    #[test]
    fn referral_codes_parse_case_insensitively_and_reject_lookalikes_and_bad_lengths() {
        assert_eq!(ReferralCode::parse("AbCdEfGh").map(|c| c.0), Ok("abcdefgh".to_string()));
        for bad in ["abcdefg", "abcdefghj", "abcdefg0", "abcdefgl", "abcd efg", "", "абвгдежз"] {
            assert_eq!(ReferralCode::parse(bad), Err(DomainError::ReferralCode), "{bad}");
        }
    }

    #[test]
    fn generated_codes_always_parse_back() {
        for seed in 0..=255u8 {
            let bytes = [seed, seed.wrapping_mul(7), 3, 250, 31, 62, 93, seed ^ 0x5a];
            let code = ReferralCode::from_random(bytes);
            assert_eq!(ReferralCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn start_payloads_recognise_referrals_and_ignore_everything_else() {
        let cases = [
            ("ref_abcdefgh", Some("abcdefgh")),
            ("  ref_ABCDEFGH ", Some("abcdefgh")),
            ("", None),
            ("ref_", None),
            ("ref_short", None),
            ("promo_abcdefgh", None),
            ("abcdefgh", None),
            ("gift_ab12cd34ef56gh78", Some("gift:ab12cd34ef56gh78")),
            ("gift_ref_abcdefgh", None),
        ];
        for (raw, expected) in cases {
            let got = match StartPayload::parse(raw) {
                StartPayload::Referral(code) => Some(code.as_str().to_string()),
                StartPayload::Gift(code) => Some(format!("gift:{code}")),
                StartPayload::None => None,
            };
            assert_eq!(got.as_deref(), expected, "{raw:?}");
        }
    }

    #[test]
    fn referral_links_use_the_start_deep_link_format() {
        let code = ReferralCode::parse("abcdefgh").unwrap();
        assert_eq!(referral_link("WavegateBot", &code), "https://t.me/WavegateBot?start=ref_abcdefgh");
    }
}
