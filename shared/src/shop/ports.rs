//! The shop's ports: what it asks of the world besides storage. The Worker implements them on
//! Queues, KV, `crypto.getRandomValues` and the Bot API; tests in memory.

use super::broadcast::Message;
use serde::{Deserialize, Serialize};

use crate::domain::ReferralCode;
use crate::money::Money;

use super::store::StoreError;

/// Work that must not be lost, carried by the queue: the queue's message contract.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Job {
    /// Put a paid order's days on the panel and send the customer their link.
    Provision { order: String },
    /// Take a refunded order's days back from the panel.
    TakeBack { order: String },
    /// A direct message to every admin.
    AdminAlert { text: String },
    /// Remind a customer that their subscription is about to end, or has ended.
    Remind { telegram_id: i64, reminder: Reminder, expires_at: i64 },
    /// Tell a customer what the panel saw of their service (connected, traffic, devices);
    /// `kind` and `period` name its claim in `notices`.
    Notify { telegram_id: i64, notice: UsageNotice, kind: String, period: i64 },
    /// Mirror one page of panel users into D1 and queue the next ([`super::sync`]).
    SyncUsers { sweep: i64, cursor: i64 },
    /// Send the next batch of a broadcast ([`super::broadcast`]); `job` counts its jobs.
    Broadcast { id: i64, job: u32 },
}

/// Where a bonus order's days come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BonusSource {
    #[default]
    Referral,
    Promo,
    /// An admin's grant (`/user`'s buttons, the console).
    Admin,
    /// A gift someone else bought (only ever taken back: its days come as a purchase).
    Gift,
}

/// What the panel's user events tell a customer, each claimed once in `notices`
/// ([`UsageNotice::claim`]), so a repeated or replayed event sends nothing more.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UsageNotice {
    /// The first device connected (`user.first_connected`): a short tip.
    Connected,
    /// `percent` of the period's traffic is used (`user.bandwidth_usage_threshold_reached`).
    TrafficThreshold { percent: u32 },
    /// The traffic limit is reached and the panel paused the user (`user.limited`).
    TrafficLimited,
    /// Nobody connected for a while after the subscription began (`user.not_connected`).
    SetupHelp,
    /// A device was added and the device limit is now reached (`user_hwid_devices.added`).
    DeviceLimit { limit: u32 },
}

impl UsageNotice {
    /// The `notices` claim `(kind, period)`: the tip once ever; traffic warnings once per
    /// traffic period (`traffic_period`: the panel's last traffic reset, else the expiry);
    /// setup help once per subscription period; the device-limit message once a day.
    pub fn claim(&self, expires_at: i64, traffic_period: i64, now: i64) -> (String, i64) {
        match self {
            UsageNotice::Connected => ("connected".into(), 0),
            UsageNotice::TrafficThreshold { percent } => (format!("traffic_{percent}"), traffic_period),
            UsageNotice::TrafficLimited => ("traffic_limited".into(), traffic_period),
            UsageNotice::SetupHelp => ("setup_help".into(), expires_at),
            UsageNotice::DeviceLimit { .. } => ("device_limit".into(), now.div_euclid(86_400)),
        }
    }
}

/// What a reminder says. `Expiring { hours }` is one of the configured reminder hours
/// (`Config::reminder_hours`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reminder {
    Expiring {
        hours: u32,
    },
    /// The customer's Stars subscription renews itself: a note, not a nag.
    Renews,
    Expired,
}

impl Reminder {
    /// The reminder of `hours` due `seconds_left` before expiry (the tightest window it is
    /// in), if any.
    pub fn due(hours: &[u32], seconds_left: i64) -> Option<u32> {
        if seconds_left <= 0 {
            return None;
        }
        hours.iter().copied().filter(|h| seconds_left <= i64::from(*h) * 3600).min()
    }

    /// The `notices.kind` this reminder is claimed under (a Stars renewal note takes the
    /// reminder's place, so it shares its claim).
    pub fn notice_kind(hours: Option<u32>) -> String {
        match hours {
            Some(h) => format!("expiring_{h}"),
            None => "expired".into(),
        }
    }
}

#[allow(async_fn_in_trait)]
pub trait Jobs {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError>;
    /// Queues many jobs; the Worker sends them 100 to a subrequest.
    async fn enqueue_all(&self, jobs: &[Job]) -> Result<(), StoreError> {
        for job in jobs {
            self.enqueue(job).await?;
        }
        Ok(())
    }
}

/// A short-lived cache (KV): panel reads for `/status`. Failures read as misses.
#[allow(async_fn_in_trait)]
pub trait Cache {
    async fn get(&self, key: &str) -> Option<String>;
    async fn put(&self, key: &str, value: &str, ttl_seconds: u64);
    async fn delete(&self, key: &str);
}

/// Fresh random identifiers (the Worker draws from `crypto.getRandomValues`).
pub trait Ids {
    fn referral_code(&self) -> ReferralCode;
    /// An order's public id: 16 characters of `[a-z0-9]`.
    fn order_id(&self) -> String;
}

/// Who a notice is for, and in which language.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub telegram_id: i64,
    /// Where the customer bought (their private chat with the bot).
    pub chat_id: i64,
    pub locale: Option<String>,
    pub language_code: Option<String>,
}

/// Why a notice did not go out. Only `Unavailable` and `Throttled` are worth another try.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NoticeError {
    /// The customer blocked the bot or deleted their account.
    #[error("recipient unreachable")]
    Unreachable,
    /// The channel asked us to wait this many seconds.
    #[error("throttled for {0} s")]
    Throttled(u32),
    /// The channel refused this notice for good (chat not found, bad photo, …).
    #[error("notice refused: {0}")]
    Refused(String),
    #[error("channel unavailable: {0}")]
    Unavailable(String),
}

/// What a "your VPN is ready" notice came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    Complete,
    /// The link went out; the QR image did not (it is in "my subscription" anyway).
    WithoutQr,
}

/// Tells a customer or the admins something. Fulfilment speaks through this, never to a
/// channel's API directly.
#[allow(async_fn_in_trait)]
pub trait Notifier {
    /// The order's days are on the panel: the link (and QR) to connect.
    async fn provisioned(
        &self,
        to: &Recipient,
        link: &str,
        expires_at: i64,
    ) -> Result<Delivered, NoticeError>;
    /// A refund was applied: the amount, the order's days, and until when service remains.
    async fn refunded(
        &self,
        to: &Recipient,
        amount: Money,
        days: u32,
        remaining_until: Option<i64>,
    ) -> Result<(), NoticeError>;
    /// Bonus days (for inviting friends, or from a promo code): added, the subscription now
    /// active until `expires_at`; or, with `None`, kept until the first purchase or trial.
    async fn bonus(
        &self,
        to: &Recipient,
        days: u32,
        expires_at: Option<i64>,
        source: BonusSource,
    ) -> Result<(), NoticeError>;
    /// Bonus days were taken back (the payment that earned them, or paid for the gift, was
    /// refunded), and until when service remains.
    async fn bonus_taken_back(
        &self,
        to: &Recipient,
        days: u32,
        remaining_until: Option<i64>,
        source: BonusSource,
    ) -> Result<(), NoticeError>;
    /// A provider confirmed the customer's payment (the link follows from provisioning).
    async fn payment_received(&self, to: &Recipient) -> Result<(), NoticeError>;
    /// A reminder before expiry, a Stars renewal note, or the expiry notice, with a button to
    /// buy or renew.
    async fn reminder(&self, to: &Recipient, reminder: Reminder, expires_at: i64) -> Result<(), NoticeError>;
    /// What the panel saw of the customer's service, with the button that helps (buy, link,
    /// reset devices).
    async fn usage(&self, to: &Recipient, notice: UsageNotice) -> Result<(), NoticeError>;
    /// An operational alert to one admin, as plain text (the channel escapes it).
    async fn admin(&self, admin_id: i64, text: &str) -> Result<(), NoticeError>;
    /// The buyer's gift is ready: the one-time link to pass on, and what it gives.
    async fn gift_ready(&self, to: &Recipient, link: &str, days: u32) -> Result<(), NoticeError>;
    /// One broadcast message to one customer (plain text, escaped by the channel).
    async fn broadcast(&self, telegram_id: i64, message: &Message) -> Result<(), NoticeError>;
    /// A broadcast's progress for its admin: the control message edited, or a new message.
    async fn broadcast_report(&self, control: (i64, i64), text: &str, edit: bool) -> Result<(), NoticeError>;
}

#[cfg(test)]
mod reminder_tests {
    use super::*;

    #[test]
    fn the_tightest_window_decides_which_reminder_is_due() {
        let h = 3600;
        let due = |left| Reminder::due(&[72, 24], left);
        assert_eq!(due(73 * h), None);
        assert_eq!(due(72 * h), Some(72));
        assert_eq!(due(71 * h), Some(72));
        assert_eq!(due(24 * h), Some(24));
        assert_eq!(due(23 * h), Some(24));
        assert_eq!(due(0), None);
        assert_eq!(Reminder::due(&[168, 1], 2 * h), Some(168));
        assert_eq!(Reminder::notice_kind(Some(24)), "expiring_24");
        let job = Job::Remind { telegram_id: 1, reminder: Reminder::Expiring { hours: 24 }, expires_at: 5 };
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
    }
}
