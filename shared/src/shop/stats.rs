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

#[allow(async_fn_in_trait)]
pub trait StatsStore {
    async fn shop_stats(&self, now: i64) -> Result<ShopStats, StoreError>;
}
