//! Referral standing: what `/mypoints` and the leaderboard show. A referral is *paying* once the
//! invited user has a completed payment (a refunded one does not count); it is dated by that
//! first payment, which is what the weekly and monthly leaderboards count.
//!
//! ```text
//! anna invited 4, 3 of them paid, 21 + 30 days earned → "next: 10 paying friends, 7 to go"
//! this week's top: 1. @maria 5   2. anna 3   …   you: #2 with 3
//! ```

use super::ports::{Job, Jobs};
use super::store::{ShopStore, StoreError};

/// Paying referrals at which a referrer earns extra days, each once: (count, days).
pub const MILESTONES: [(i64, i64); 3] = [(3, 30), (10, 90), (25, 180)];
/// How many places a leaderboard shows.
pub const TOP: u32 = 10;

/// The next milestone after `paying` referrals: `(at, days, to_go)`, or `None` after the last.
pub fn next_milestone(paying: i64) -> Option<(i64, i64, i64)> {
    MILESTONES.iter().find(|(at, _)| *at > paying).map(|(at, days)| (*at, *days, at - paying))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReferralStats {
    /// Users who started the bot with this user's link.
    pub invited: i64,
    /// Of them, those with a completed payment.
    pub paying: i64,
    /// Bonus days this user was credited for referrals (first payments and milestones).
    pub days_earned: i64,
}

/// Which payments a leaderboard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    All,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::All];

    /// The earliest first-payment time this period counts.
    pub fn since(self, now: i64) -> i64 {
        match self {
            Period::Week => now - 7 * 86_400,
            Period::Month => now - 30 * 86_400,
            Period::All => 0,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::All => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// One leaderboard place: the name as the referrer shows it on Telegram (their @username, else
/// their first name; never an id), and their paying referrals in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub rank: i64,
    pub username: Option<String>,
    pub first_name: String,
    pub paying: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Leaderboard {
    pub top: Vec<Place>,
    /// The asking user's own place, if they have a paying referral in the period.
    pub mine: Option<Place>,
}

#[allow(async_fn_in_trait)]
pub trait ReferralStore {
    async fn referral_stats(&self, user_id: i64) -> Result<ReferralStats, StoreError>;
    /// The top [`TOP`] referrers by paying referrals whose first payment is at or after
    /// `since` (ties: who got there first), and `user_id`'s own place.
    async fn leaderboard(&self, since: i64, user_id: i64) -> Result<Leaderboard, StoreError>;
}

/// After a completed payment (first delivery or a repeat): the payer's referrer is rewarded once
/// — 7 days for the first payment, and any milestone their paying referrals reached — as bonus
/// orders queued for provisioning (a panel outage delays them, never loses them). A repeat
/// creates nothing and queues the same orders again, which provisioning makes harmless.
pub async fn reward<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    payment_key: &str,
    now: i64,
) -> Result<(), StoreError> {
    let orders = store.grant_referral_rewards(payment_key, now).await?;
    let provision: Vec<Job> = orders.into_iter().map(|order| Job::Provision { order }).collect();
    jobs.enqueue_all(&provision).await
}

/// After a refund of `order_public_id`: the rewards its payment earned are reversed and their
/// days taken back by the refund rule.
pub async fn reverse<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    order_public_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    let orders = store.reverse_referral_rewards(order_public_id, now).await?;
    let take_back: Vec<Job> = orders.into_iter().map(|order| Job::TakeBack { order }).collect();
    jobs.enqueue_all(&take_back).await
}

/// How far back the hourly check looks for payments whose reward was never granted.
pub const SETTLE_LOOKBACK_SECONDS: i64 = 7 * 86_400;
/// Refunds and payments the hourly check settles per run.
pub const SETTLE_BATCH: u32 = 20;

/// The hourly safety net: a reward whose grant or reversal failed after its money was recorded
/// (D1 or the queue down between the two steps) is granted or reversed now. Returns how many.
pub async fn settle<S: ShopStore, J: Jobs>(store: &S, jobs: &J, now: i64) -> Result<usize, StoreError> {
    let (refunded, ungranted) =
        store.unsettled_referral_rewards(now - SETTLE_LOOKBACK_SECONDS, SETTLE_BATCH).await?;
    for order in &refunded {
        reverse(store, jobs, order, now).await?;
    }
    for key in &ungranted {
        reward(store, jobs, key, now).await?;
    }
    Ok(refunded.len() + ungranted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_milestone_and_how_far() {
        assert_eq!(next_milestone(0), Some((3, 30, 3)));
        assert_eq!(next_milestone(2), Some((3, 30, 1)));
        assert_eq!(next_milestone(3), Some((10, 90, 7)));
        assert_eq!(next_milestone(24), Some((25, 180, 1)));
        assert_eq!(next_milestone(25), None);
        assert_eq!(Period::parse("month"), Some(Period::Month));
        assert_eq!(Period::Week.since(1_000_000), 1_000_000 - 604_800);
    }
}
