//! What the bot needs from storage. The Worker implements it on D1 (`functions/src/store`);
//! tests implement it in memory. Rules that protect money (who may be credited as a referrer)
//! are enforced by the implementation atomically, not by read-then-write in the bot.

use wavegate_shared::domain::{ReferralCode, TelegramUserId};

/// A bot user as the bot sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BotUser {
    pub id: i64,
    pub telegram_id: TelegramUserId,
    pub first_name: String,
    /// The language the user chose in the bot, if any.
    pub locale: Option<String>,
    /// Telegram's `language_code` as of the user's latest `/start` (refreshing it on every
    /// update would cost a D1 write per button press).
    pub language_code: Option<String>,
    pub referral_code: ReferralCode,
    pub referred_by: Option<i64>,
}

/// Profile fields Telegram sends with every update.
#[derive(Debug, Clone, PartialEq)]
pub struct TelegramProfile {
    pub telegram_id: TelegramUserId,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub language_code: Option<String>,
}

/// Whether an upsert made the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
}

/// The result of following an invite link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralOutcome {
    Recorded {
        referrer_id: i64,
    },
    /// Unknown code, one's own code, already referred, already paying, or a referral cycle.
    NotEligible,
}

#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

#[allow(async_fn_in_trait)]
pub trait BotStore {
    /// Creates the user (with `new_code` as their referral code) or refreshes their profile.
    /// `new_code` may collide with an existing code: implementations retry with `fresh_code`.
    async fn upsert_user(
        &self,
        profile: &TelegramProfile,
        fresh_code: &dyn Fn() -> ReferralCode,
        now: i64,
    ) -> Result<(BotUser, Upserted), StoreError>;

    async fn find_user(&self, telegram_id: TelegramUserId) -> Result<Option<BotUser>, StoreError>;

    /// Records `code`'s owner as the user's referrer, once: never to oneself, never over an
    /// existing referrer, never for a user who has already paid, never in a cycle.
    async fn record_referral(
        &self,
        user_id: i64,
        code: &ReferralCode,
        now: i64,
    ) -> Result<ReferralOutcome, StoreError>;

    async fn set_locale(&self, user_id: i64, locale: &str, now: i64) -> Result<(), StoreError>;

    /// How many users this user has invited.
    async fn count_referred(&self, user_id: i64) -> Result<i64, StoreError>;

    /// The user blocked (or unblocked) the bot; reminders skip blocked users.
    async fn set_blocked(
        &self,
        telegram_id: TelegramUserId,
        blocked: bool,
        now: i64,
    ) -> Result<(), StoreError>;
}
