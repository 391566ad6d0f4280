//! The customer's account as the shop stores it ("my subscription"; the panel holds the live
//! numbers), and the trial rule.

/// The customer's subscription as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubscriptionSummary {
    pub panel_user_id: Option<i64>,
    /// The slug of the plan of the latest provisioned order (`trial` for the free trial).
    pub plan_name: Option<String>,
    pub expires_at: Option<i64>,
    pub trial_used: bool,
    /// The active Stars subscription, if the current period belongs to one.
    pub stars_subscription: Option<StarsRenewal>,
    /// The user has paid for something, even if it is not on the panel yet.
    pub has_purchases: bool,
}

/// A Stars subscription's renewal as Telegram last reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarsRenewal {
    /// The subscription's first charge: what `editUserStarSubscription` names.
    pub charge_id: String,
    /// The user turned renewal off.
    pub canceled: bool,
    /// The last renewal could not be charged.
    pub failed: bool,
}

impl SubscriptionSummary {
    pub fn standing(&self) -> Standing {
        Standing {
            panel_user_id: self.panel_user_id,
            expires_at: self.expires_at,
            trial_used: self.trial_used,
            has_purchases: self.has_purchases,
        }
    }

    pub fn trial_available(&self) -> bool {
        self.standing().trial_available()
    }
}

/// What the trial rule looks at; the user upsert reads it in the same round trip, so that the
/// welcome screen needs no second query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    pub panel_user_id: Option<i64>,
    pub expires_at: Option<i64>,
    pub trial_used: bool,
    /// The user has paid for something, even if it is not on the panel yet.
    pub has_purchases: bool,
}

impl Standing {
    /// The free trial is for users who never had a subscription and never paid.
    pub fn trial_available(&self) -> bool {
        !self.trial_used && self.expires_at.is_none() && self.panel_user_id.is_none() && !self.has_purchases
    }
}
