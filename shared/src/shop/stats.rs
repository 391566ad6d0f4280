//! The shop at a glance, for the admins' `/stats` (and later the console's KPIs).
//!
//! ```text
//! Users: 1204 (today 12, 7 days 80) · active: monthly 300, yearly 40, trial 25
//! Revenue today: ⭐1200, ₹3380 · 30 days: ⭐31000, $64.00 · trial → paid 18% · by referral 22%
//! ```

use crate::money::Money;

use super::store::StoreError;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShopStats {
    pub users: i64,
    pub new_today: i64,
    pub new_week: i64,
    /// Active subscriptions (expiry ahead, not disabled) by the plan of their latest order
    /// (`trial` for a trial).
    pub active_by_plan: Vec<(String, i64)>,
    /// Trials ever started.
    pub trials: i64,
    /// Completed payments since the start of today (UTC) and in the last 30 days, per currency.
    pub revenue_today: Vec<Money>,
    pub revenue_30d: Vec<Money>,
    /// Of the users who started a trial, how many paid afterwards.
    pub trial_users: i64,
    pub trial_then_paid: i64,
    /// Of the users who ever paid, how many came through a referral link.
    pub paying_users: i64,
    pub paying_referred: i64,
}

/// `part` of `whole` as a whole percentage (0 when there is no whole).
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        part * 100 / whole
    }
}

/// Who an admin asks about with `/user`: a Telegram id or an @username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerQuery {
    TelegramId(i64),
    Username(String),
}

impl CustomerQuery {
    /// `12345`, `@anna` or `anna`; `None` for anything else.
    pub fn parse(raw: &str) -> Option<CustomerQuery> {
        let raw = raw.trim();
        if let Ok(id) = raw.parse::<i64>() {
            return (id > 0).then_some(CustomerQuery::TelegramId(id));
        }
        let name = raw.strip_prefix('@').unwrap_or(raw);
        let valid =
            (3..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        valid.then(|| CustomerQuery::Username(name.to_string()))
    }
}

/// One customer as the admins see them: profile, the mirrored subscription, recent payments
/// and referrals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerCard {
    pub telegram_id: i64,
    pub username: Option<String>,
    pub first_name: String,
    pub created_at: i64,
    pub blocked: bool,
    pub panel_user_id: Option<i64>,
    pub panel_status: Option<String>,
    pub expires_at: Option<i64>,
    pub traffic_used_bytes: Option<i64>,
    pub traffic_limit_bytes: Option<i64>,
    /// The latest payments, newest first: (payment id, provider, amount, status, when).
    pub payments: Vec<(i64, String, Option<Money>, String, i64)>,
    pub invited: i64,
    pub paying: i64,
    /// Who invited them, as that user shows on Telegram.
    pub referred_by: Option<String>,
}

/// How many payments a card lists.
pub const CARD_PAYMENTS: u32 = 5;

#[allow(async_fn_in_trait)]
pub trait StatsStore {
    async fn shop_stats(&self, now: i64) -> Result<ShopStats, StoreError>;
    async fn customer_card(&self, query: &CustomerQuery) -> Result<Option<CustomerCard>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_asked_for_by_id_or_username() {
        assert_eq!(CustomerQuery::parse(" 12345 "), Some(CustomerQuery::TelegramId(12345)));
        assert_eq!(CustomerQuery::parse("@anna_vpn"), Some(CustomerQuery::Username("anna_vpn".into())));
        assert_eq!(CustomerQuery::parse("anna_vpn"), Some(CustomerQuery::Username("anna_vpn".into())));
        for bad in ["", "-5", "@a", "@anna vpn", "@<b>", "0"] {
            assert_eq!(CustomerQuery::parse(bad), None, "{bad}");
        }
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 0), 0);
    }
}
