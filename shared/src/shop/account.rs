//! The customer's account as the shop stores it ("my subscription"; the panel holds the live
//! numbers), the trial rule, and what the customer does with their subscription (the bot's
//! status screen and the web cabinet share it).

use serde::{Deserialize, Serialize};

use crate::remnawave::{Panel, PanelError, PanelUser, PanelUserId, UserStatus};
use crate::shop::ports::Cache;
use crate::shop::store::{ShopStore, StoreError};

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

/// How long the panel's live numbers are cached (the bot's status screen and the cabinet).
const CACHE_TTL_SECONDS: u64 = 60;

/// The live subscription as the panel reports it, as cached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelSnapshot {
    /// `active`, `disabled`, `limited` or `expired`.
    pub status: String,
    pub expires_at: i64,
    pub used_bytes: i64,
    pub limit_bytes: i64,
    pub device_limit: Option<i64>,
    pub subscription_url: String,
}

impl From<&PanelUser> for PanelSnapshot {
    fn from(user: &PanelUser) -> Self {
        let status = match user.status {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::Limited => "limited",
            UserStatus::Expired => "expired",
        };
        PanelSnapshot {
            status: status.into(),
            expires_at: user.expire_at.timestamp(),
            used_bytes: user.user_traffic.used_traffic_bytes,
            limit_bytes: user.traffic_limit_bytes,
            device_limit: user.hwid_device_limit,
            subscription_url: user.subscription_url.clone(),
        }
    }
}

pub fn cache_key(panel_user_id: i64) -> String {
    format!("panel:user:{panel_user_id}")
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Panel(#[from] PanelError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The panel's live numbers for the customer: from the cache while the stored expiry still
/// matches it (a payment or a panel change moves the expiry and so skips a stale entry), else
/// from the panel. `None`: the panel no longer has the user.
pub async fn snapshot<P: Panel, C: Cache>(
    panel: &P,
    cache: &C,
    panel_user_id: i64,
    stored_expiry: Option<i64>,
) -> Result<Option<PanelSnapshot>, PanelError> {
    let key = cache_key(panel_user_id);
    let cached: Option<PanelSnapshot> = cache.get(&key).await.and_then(|s| serde_json::from_str(&s).ok());
    if let Some(cached) = cached.filter(|c| Some(c.expires_at) == stored_expiry) {
        return Ok(Some(cached));
    }
    let Some(user) = panel.get_user(PanelUserId(panel_user_id)).await? else { return Ok(None) };
    let snap = PanelSnapshot::from(&user);
    if let Ok(json) = serde_json::to_string(&snap) {
        cache.put(&key, &json, CACHE_TTL_SECONDS).await;
    }
    Ok(Some(snap))
}

/// Forgets every device of the customer on the panel, so new ones can connect.
pub async fn reset_devices<P: Panel, C: Cache>(
    panel: &P,
    cache: &C,
    panel_user_id: i64,
) -> Result<(), PanelError> {
    panel.delete_all_devices(PanelUserId(panel_user_id)).await?;
    cache.delete(&cache_key(panel_user_id)).await;
    Ok(())
}

/// A new subscription link ("new link"): the panel revokes the old one, the shop stores the
/// new one. Returns the panel user with the new link.
pub async fn revoke_link<S: ShopStore, P: Panel, C: Cache>(
    store: &S,
    panel: &P,
    cache: &C,
    user_id: i64,
    panel_user_id: i64,
    now: i64,
) -> Result<PanelUser, AccountError> {
    let panel_user = panel.revoke_subscription(PanelUserId(panel_user_id)).await?;
    store
        .update_subscription_link(user_id, &panel_user.short_uuid, &panel_user.subscription_url, now)
        .await?;
    cache.delete(&cache_key(panel_user_id)).await;
    Ok(panel_user)
}
