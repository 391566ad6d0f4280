//! Gift subscriptions: the buyer pays for a plan as a gift (any channel, the one payment
//! pipeline); provisioning that order issues a one-time link instead of days; whoever opens it
//! first, never the buyer, gets the plan's days (a new customer gets a panel user).
//!
//! ```text
//! anna: [🎁 Buy as a gift] → Monthly → ⭐100, paid           → order o1 (gift), paid
//! queue: Provision o1 → a gift, a random code g7…; Anna gets https://t.me/<bot>?start=gift_g7…
//! ivan: /start gift_g7…   → redeemed (one guarded statement): a free order of 30 days for Ivan,
//!                           provisioned by the queue; Anna is told
//! anna: /start gift_g7…   → refused: her own gift (or: already redeemed)
//! refund of o1            → an open gift is revoked; a redeemed one's days are taken back
//! ```

use super::ports::{Job, Jobs};
use super::store::StoreError;

/// The link that redeems a gift.
pub fn link(bot_username: &str, code: &str) -> String {
    format!("https://t.me/{bot_username}?start=gift_{code}")
}

/// A gift as issuing it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub code: String,
    pub days: u32,
}

/// What opening a gift link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// Redeemed by this customer now: their order (provisioning queued), the days, and the buyer
    /// to tell (`telegram id`, their language).
    Redeemed { order: String, days: u32, buyer: i64, buyer_locale: Option<String> },
    /// No such gift, or it was revoked (its payment refunded).
    Unknown,
    /// Redeemed before (by someone else, or by this customer already).
    Taken { by_you: bool },
    /// The buyer opened their own gift link.
    Own,
}

#[allow(async_fn_in_trait)]
pub trait GiftStore {
    /// Issues the gift a paid gift order buys (a random code), once; the same gift on a repeat.
    async fn issue_gift(&self, order_id: i64, now: i64) -> Result<Issued, StoreError>;
    /// The gift order is done: marked provisioned (nothing on the panel) and notified.
    async fn mark_gift_issued(&self, order_id: i64, now: i64) -> Result<(), StoreError>;
    /// Redeems `code` for `user_id`, atomically (see the module docs).
    async fn redeem_gift(&self, code: &str, user_id: i64, now: i64) -> Result<Redemption, StoreError>;
    /// The buyer's payment was refunded: an open gift is revoked; a redeemed one's order is
    /// marked refunded and returned, so its days can be taken back.
    async fn revoke_gift(&self, order_id: i64, now: i64) -> Result<Option<String>, StoreError>;
}

/// Redeems a gift and queues the recipient's days.
pub async fn redeem<S: GiftStore, J: Jobs>(
    store: &S,
    jobs: &J,
    code: &str,
    user_id: i64,
    now: i64,
) -> Result<Redemption, StoreError> {
    let redemption = store.redeem_gift(code, user_id, now).await?;
    if let Redemption::Redeemed { order, .. } = &redemption {
        // If this fails the order stays paid: the hourly reconciliation queues it.
        jobs.enqueue(&Job::Provision { order: order.clone() }).await?;
    }
    Ok(redemption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gift_links_open_the_bot_with_the_code() {
        use crate::domain::StartPayload;
        assert_eq!(
            StartPayload::parse("gift_ab12cd34ef56gh78"),
            StartPayload::Gift("ab12cd34ef56gh78".into())
        );
        for bad in ["gift_", "gift_AB12cd34ef56gh78", "gift_ab12cd34ef56gh7", "gift_ab12cd34ef56gh7!"] {
            assert_eq!(StartPayload::parse(bad), StartPayload::None, "{bad:?}");
        }
        assert_eq!(
            link("WavegateBot", "ab12cd34ef56gh78"),
            "https://t.me/WavegateBot?start=gift_ab12cd34ef56gh78"
        );
    }
}
