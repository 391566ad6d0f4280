//! Fulfilment: putting a paid order's days on the panel (and telling the customer), and
//! taking a refunded order's days back. Runs from the queue, so a panel outage only delays it.
//!
//! Exactly once, even with retries, crashes and concurrent jobs:
//! - one job per user at a time (a short lease in D1); waiting for it is [`FulfilOutcome::Wait`],
//!   which the queue consumer re-sends with a delay instead of spending a retry;
//! - the expiry an order buys (`target`) is computed once, atomically in SQL, from the user's
//!   current expiry (refreshed from the panel first: the panel is authoritative) and every
//!   other order whose days may still reach the panel; every retry sets that same absolute
//!   expiry, so running a job twice never adds days twice;
//! - creating the panel user is retry-safe (a taken username is looked up and reused), and
//!   both provisioning and taking back find the user the same way (id, then username);
//! - a refund takes back only the unused part of its own order's period ([`unused_seconds`]),
//!   decided once, and the user's later periods move earlier by exactly that much;
//! - the customer is told once (`notified_at`), separately from provisioning; a notice the
//!   channel refuses for good is recorded and not retried.

use chrono::DateTime;

use crate::clock::Clock;
use crate::config::Config;
use crate::money::Money;
use crate::remnawave::{
    create_or_reuse_user, CreateUser, Created, Panel, PanelError, PanelUser, PanelUserId, PanelUserState,
    TrafficLimitStrategy, UpdateUser, UserStatus,
};
use crate::subscription::{OrderEvent, OrderStatus};

use super::gift;
use super::ports::{BonusSource, Delivered, NoticeError, Notifier, Recipient};
use super::store::{FulfilStore, StoreError};

/// How long one job may hold a user's lease (a crashed job's lease simply expires). A job makes
/// up to about six panel and channel calls, each bounded by a 10 s timeout and three attempts.
pub const LEASE_SECONDS: i64 = 300;
/// Wait before looking again when another order's panel change must land first.
const BUSY_WAIT_SECONDS: u32 = 10;
/// Longest wait before checking a held lease again.
const LEASE_WAIT_SECONDS: i64 = 15;
/// Devices allowed on a trial.
const TRIAL_DEVICE_LIMIT: u32 = 1;
/// The tag Wavegate puts on the panel users it creates (`^[A-Z0-9_]+$`, ≤ 16).
const PANEL_TAG: &str = "WAVEGATE";
const DAY_SECONDS: i64 = 86_400;
/// A take-back that leaves nothing disables the user and ends the expiry this far ahead: the
/// panel refuses an expiry in the past.
const ENDED_MARGIN_SECONDS: i64 = 60;

/// The limits an order gives (from its plan, or the trial settings).
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub traffic_limit_bytes: u64,
    pub traffic_strategy: TrafficLimitStrategy,
    pub device_limit: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FulfilUser {
    pub id: i64,
    pub telegram_id: i64,
    pub locale: Option<String>,
    pub language_code: Option<String>,
    pub panel_user_id: Option<i64>,
}

/// An order with everything fulfilment needs.
#[derive(Debug, Clone, PartialEq)]
pub struct FulfilOrder {
    pub id: i64,
    pub public_id: String,
    pub status: OrderStatus,
    pub trial: bool,
    /// A referral reward: free days on the customer's existing panel user, limits unchanged;
    /// kept waiting while they have no panel user (applied with their first purchase or trial).
    pub bonus: bool,
    /// Where a bonus's days come from (what the customer is told).
    pub bonus_source: BonusSource,
    /// Bought as a gift: provisioning issues the gift link to the buyer, no days.
    pub gift: bool,
    /// The days of a gift someone else bought (taken back if that payment is refunded).
    pub gift_received: bool,
    pub days: u32,
    /// `None` for a trial (free).
    pub price: Option<Money>,
    pub chat_id: Option<i64>,
    pub target_expires_at: Option<i64>,
    pub provisioned_at: Option<i64>,
    pub notified_at: Option<i64>,
    pub revert_expires_at: Option<i64>,
    pub taken_back_seconds: Option<i64>,
    pub reverted_at: Option<i64>,
    pub user: FulfilUser,
    /// `None` for a trial.
    pub plan: Option<Limits>,
}

impl FulfilOrder {
    fn recipient(&self) -> Recipient {
        Recipient {
            telegram_id: self.user.telegram_id,
            chat_id: self.chat_id.unwrap_or(self.user.telegram_id),
            locale: self.user.locale.clone(),
            language_code: self.user.language_code.clone(),
        }
    }
}

/// The panel's user as Wavegate mirrors it in D1.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRecord {
    pub panel_user_id: i64,
    pub short_uuid: String,
    pub subscription_url: String,
    pub expires_at: i64,
    pub status: &'static str,
    pub traffic_used_bytes: i64,
    pub traffic_limit_bytes: i64,
}

/// The panel's status as the mirror stores it.
pub fn status_name(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active => "ACTIVE",
        UserStatus::Disabled => "DISABLED",
        UserStatus::Limited => "LIMITED",
        UserStatus::Expired => "EXPIRED",
    }
}

impl From<&PanelUserState> for PanelRecord {
    fn from(user: &PanelUserState) -> Self {
        PanelRecord {
            panel_user_id: user.id.0,
            short_uuid: user.short_uuid.clone(),
            subscription_url: user.subscription_url.clone(),
            expires_at: user.expire_at.timestamp(),
            status: status_name(user.status),
            traffic_used_bytes: user.user_traffic.used_traffic_bytes,
            traffic_limit_bytes: user.traffic_limit_bytes,
        }
    }
}

impl From<&PanelUser> for PanelRecord {
    fn from(user: &PanelUser) -> Self {
        PanelRecord::from(&PanelUserState::from(user))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    Taken,
    /// Another job holds it until this time.
    HeldUntil(i64),
}

/// Panel changes of a user's other orders that are decided but not yet applied. Applying one
/// absolute expiry while another is pending could undo it, so each waits for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InFlight {
    /// Paid orders with a target expiry, not yet provisioned.
    pub targets: bool,
    /// Refunded orders whose days may have reached the panel (a target was decided), not yet
    /// taken back.
    pub reverts: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FulfilOutcome {
    Done(&'static str),
    /// Another job must finish first: look again after this many seconds. Not a failure: the
    /// consumer re-sends the job rather than spending one of its retries.
    Wait(u32),
}

#[derive(Debug, thiserror::Error)]
pub enum FulfilError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Panel(#[from] PanelError),
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

impl FulfilError {
    /// Seconds the channel asked us to wait, if that is why we failed.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            FulfilError::Notice(NoticeError::Throttled(s)) => Some(*s),
            _ => None,
        }
    }

    /// Worth another try (as opposed to a request that will never work).
    pub fn is_retryable(&self) -> bool {
        match self {
            FulfilError::Store(e) => e.is_retryable(),
            FulfilError::Panel(e) => e.is_retryable(),
            FulfilError::Notice(e) => matches!(e, NoticeError::Throttled(_) | NoticeError::Unavailable(_)),
        }
    }
}

/// The seconds of an order's own period `[target - days, target]` not yet used at `now`: what a
/// full refund takes back. Zero once the period is over.
pub fn unused_seconds(target: i64, days: u32, now: i64) -> i64 {
    let length = i64::from(days) * DAY_SECONDS;
    let start = target - length;
    (target - now.max(start)).clamp(0, length)
}

pub struct Fulfiller<'a, S, P, N> {
    pub config: &'a Config,
    pub store: &'a S,
    pub panel: &'a P,
    pub notifier: &'a N,
    pub clock: &'a dyn Clock,
}

/// The panel username for a Telegram user: stable, so a retry finds the user it created.
pub fn panel_username(telegram_id: i64) -> String {
    format!("tg_{telegram_id}")
}

impl<S: FulfilStore, P: Panel, N: Notifier> Fulfiller<'_, S, P, N> {
    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// The limits the order sets; `None` for a bonus, which keeps the user's.
    fn limits(&self, order: &FulfilOrder) -> Option<Limits> {
        if order.bonus {
            return None;
        }
        Some(order.plan.clone().unwrap_or(Limits {
            traffic_limit_bytes: self.config.trial.traffic_limit_bytes,
            traffic_strategy: TrafficLimitStrategy::NoReset,
            device_limit: TRIAL_DEVICE_LIMIT,
        }))
    }

    /// Puts a paid order's days on the panel and sends the customer their link.
    pub async fn provision(&self, public_id: &str) -> Result<FulfilOutcome, FulfilError> {
        let Some(order) = self.store.fulfil_order(public_id).await? else {
            return Ok(FulfilOutcome::Done("unknown order"));
        };
        if order.status.apply(OrderEvent::Provisioned).is_err() && !needs_notice(&order) {
            return Ok(FulfilOutcome::Done(match order.status {
                OrderStatus::Provisioned => "already provisioned",
                _ => "order is not paid",
            }));
        }
        let token = self.lease_token(public_id);
        if let Some(wait) = self.lease(order.user.id, &token).await? {
            return Ok(wait);
        }
        // Read again under the lease: another job (a refund, a twin of this one) may have
        // changed the order between the first read and the lease.
        let result = match self.store.fulfil_order(public_id).await {
            Ok(Some(order)) if order.status.apply(OrderEvent::Provisioned).is_ok() => {
                self.provision_leased(&order).await
            }
            Ok(Some(order)) if needs_notice(&order) => self.notify_again(&order).await,
            Ok(_) => Ok(FulfilOutcome::Done("changed while waiting for the lease")),
            Err(e) => Err(e.into()),
        };
        self.store.release_lease(order.user.id, &token).await?;
        result
    }

    /// A paid gift order: the gift (a one-time link) instead of days for the buyer, told once.
    async fn issue_gift(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        let issued = self.store.issue_gift(order.id, self.now()).await?;
        let link = gift::link(&self.config.telegram.bot_username, &issued.code);
        // Told before it is marked done: a failed notice retries with the same gift.
        self.tell(order, self.notifier.gift_ready(&order.recipient(), &link, issued.days).await).await?;
        self.store.mark_gift_issued(order.id, self.now()).await?;
        Ok(FulfilOutcome::Done("gift issued"))
    }

    /// Provisioned, but the customer was not told (the channel was down): tell them now.
    async fn notify_again(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        let Some(user) = self.find_panel_user(order).await? else {
            // Deleted on the panel since: nothing to announce; stop reconciling it.
            self.store.mark_notified(order.id, self.now()).await?;
            return Ok(FulfilOutcome::Done("panel user gone"));
        };
        self.notify_provisioned(order, &user).await
    }

    /// A token naming this attempt of this job, for its lease.
    fn lease_token(&self, public_id: &str) -> String {
        format!("{public_id}@{}", self.clock.now().timestamp_millis())
    }

    /// Takes the user's lease, or says how long to wait for it.
    async fn lease(&self, user_id: i64, token: &str) -> Result<Option<FulfilOutcome>, FulfilError> {
        let now = self.now();
        Ok(match self.store.take_lease(user_id, token, now, now + LEASE_SECONDS).await? {
            Lease::Taken => None,
            // The holder usually finishes within a second; check back soon rather than waiting
            // out the whole lease (only a crashed holder keeps it that long).
            Lease::HeldUntil(until) => {
                let wait = (until - now + 1).clamp(1, LEASE_WAIT_SECONDS);
                Some(FulfilOutcome::Wait(u32::try_from(wait).unwrap_or(BUSY_WAIT_SECONDS)))
            }
        })
    }

    async fn provision_leased(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        if order.gift {
            return self.issue_gift(order).await;
        }
        let now = self.now();
        if order.target_expires_at.is_none() && self.store.in_flight(order.user.id, order.id).await?.reverts {
            // A refunded order's days may be on the panel and are about to be taken back:
            // stack on the result, not before it.
            return Ok(FulfilOutcome::Wait(BUSY_WAIT_SECONDS));
        }
        let existing = self.find_panel_user(order).await?;
        if order.bonus && existing.is_none() {
            // No subscription yet: the days wait, paid, for the first purchase or trial (the
            // job runner queues them once that is provisioned). Told once (`notified_at`,
            // cleared again when the days are added).
            if order.notified_at.is_none() {
                self.tell(
                    order,
                    self.notifier.bonus(&order.recipient(), order.days, None, order.bonus_source).await,
                )
                .await?;
                self.store.mark_notified(order.id, self.now()).await?;
            }
            return Ok(FulfilOutcome::Done("bonus waits for a first subscription"));
        }
        if let Some(user) = &existing {
            // The panel is authoritative: stack on the expiry it has now (but not on the margin
            // a refund that ended everything leaves).
            let record = PanelRecord { expires_at: paid_until(user, now), ..PanelRecord::from(user) };
            // The time after the panel answered: the mirror's `panel_seen_at`, so an event the
            // panel sent before this read, delivered late, cannot roll it back.
            self.store.record_panel_user(order.user.id, &record, self.now()).await?;
        }
        let target = match order.target_expires_at {
            Some(target) => target,
            None => self.store.assign_target(order.id, now).await?,
        };
        let limits = self.limits(order);
        let user = match (existing, &limits) {
            (Some(user), _) => self.apply(&user, target, limits.as_ref()).await?,
            // A bonus never creates a user (it waited above); a purchase or trial does.
            (None, None) => return Ok(FulfilOutcome::Done("bonus waits for a first subscription")),
            (None, Some(limits)) => {
                let create = CreateUser {
                    username: panel_username(order.user.telegram_id),
                    expire_at: timestamp(target),
                    traffic_limit_bytes: limits.traffic_limit_bytes,
                    traffic_limit_strategy: limits.traffic_strategy,
                    hwid_device_limit: Some(limits.device_limit),
                    telegram_id: Some(order.user.telegram_id),
                    description: Some(format!("Wavegate, Telegram user {}", order.user.telegram_id)),
                    tag: Some(PANEL_TAG.into()),
                    active_internal_squads: self.config.remnawave.squads.clone(),
                };
                match create_or_reuse_user(self.panel, &create).await? {
                    (user, Created::New) => user,
                    (user, Created::Reused) => self.apply(&user, target, Some(limits)).await?,
                }
            }
        };
        // A new paid period comes with a fresh traffic budget.
        let fresh_budget = limits.as_ref().is_some_and(|l| l.traffic_limit_bytes > 0);
        let user = if !order.trial && fresh_budget && user.user_traffic.used_traffic_bytes > 0 {
            self.panel.reset_traffic(user.id).await?
        } else {
            user
        };
        self.store.record_panel_user(order.user.id, &PanelRecord::from(&user), self.now()).await?;
        if !self.store.mark_provisioned(order, target, now).await? {
            // Refunded while we were at the panel: the take-back job tells the customer.
            return Ok(FulfilOutcome::Done("refunded while provisioning"));
        }
        self.notify_provisioned(order, &user).await
    }

    /// The panel user of the order's customer: by the stored id, then by the stable username
    /// (the id is stored only after the user is created, and a crash can fall in between).
    async fn find_panel_user(&self, order: &FulfilOrder) -> Result<Option<PanelUser>, PanelError> {
        if let Some(id) = order.user.panel_user_id {
            if let Some(user) = self.panel.get_user(PanelUserId(id)).await? {
                return Ok(Some(user));
            }
        }
        self.panel.get_user_by_username(&panel_username(order.user.telegram_id)).await
    }

    /// Sets the absolute expiry (never shortening one the panel already has), the limits (a
    /// bonus keeps the user's), and re-enables the user. The same call twice gives the same
    /// result.
    async fn apply(
        &self,
        user: &PanelUser,
        target: i64,
        limits: Option<&Limits>,
    ) -> Result<PanelUser, PanelError> {
        let expire = target.max(user.expire_at.timestamp());
        let squads = &self.config.remnawave.squads;
        let update = UpdateUser {
            id: Some(user.id),
            status: Some(UserStatus::Active),
            traffic_limit_bytes: limits.map(|l| l.traffic_limit_bytes),
            traffic_limit_strategy: limits.map(|l| l.traffic_strategy),
            // The panel refuses an expiry in the past; a target that old has nothing to add.
            expire_at: (expire > self.now()).then(|| timestamp(expire)),
            hwid_device_limit: limits.map(|l| l.device_limit),
            active_internal_squads: (limits.is_some() && !squads.is_empty()).then(|| squads.clone()),
            ..UpdateUser::default()
        };
        self.panel.update_user(&update).await
    }

    async fn notify_provisioned(
        &self,
        order: &FulfilOrder,
        user: &PanelUser,
    ) -> Result<FulfilOutcome, FulfilError> {
        let to = order.recipient();
        let expires_at = user.expire_at.timestamp();
        let sent = if order.bonus {
            self.notifier
                .bonus(&to, order.days, Some(expires_at), order.bonus_source)
                .await
                .map(|()| Delivered::Complete)
        } else {
            self.notifier.provisioned(&to, &user.subscription_url, expires_at).await
        };
        let outcome = match sent {
            Ok(Delivered::Complete) => "provisioned",
            Ok(Delivered::WithoutQr) => "provisioned; the QR image could not be sent",
            // Blocked the bot: nobody to tell; the link is in /status when they come back.
            Err(NoticeError::Unreachable) => {
                self.store.set_blocked_by_telegram_id(order.user.telegram_id, self.now()).await?;
                "provisioned; the customer blocked the bot"
            }
            // Refused for good (chat not found, …): retrying would fail the same way forever.
            Err(NoticeError::Refused(reason)) => {
                self.store.mark_notice_refused(order.id, &reason, self.now()).await?;
                return Ok(FulfilOutcome::Done("provisioned; the notice was refused"));
            }
            Err(e) => return Err(e.into()),
        };
        self.store.mark_notified(order.id, self.now()).await?;
        Ok(FulfilOutcome::Done(outcome))
    }

    /// A best-effort notice outside provisioning: a blocked customer is marked, a refusal
    /// logged in the order, anything else retried by the job.
    async fn tell(&self, order: &FulfilOrder, sent: Result<(), NoticeError>) -> Result<(), FulfilError> {
        match sent {
            Ok(()) | Err(NoticeError::Refused(_)) => Ok(()),
            Err(NoticeError::Unreachable) => {
                self.store.set_blocked_by_telegram_id(order.user.telegram_id, self.now()).await?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Takes a refunded order's unused days back: a shorter expiry, or a disabled user if
    /// nothing is left.
    pub async fn take_back(&self, public_id: &str) -> Result<FulfilOutcome, FulfilError> {
        let Some(order) = self.store.fulfil_order(public_id).await? else {
            return Ok(FulfilOutcome::Done("unknown order"));
        };
        if order.status != OrderStatus::Refunded || order.reverted_at.is_some() {
            return Ok(FulfilOutcome::Done("nothing to take back"));
        }
        let token = self.lease_token(public_id);
        if let Some(wait) = self.lease(order.user.id, &token).await? {
            return Ok(wait);
        }
        // Read again under the lease: a provisioning that was running may have just finished,
        // and then its days must be taken back.
        let result = match self.store.fulfil_order(public_id).await {
            Ok(Some(order)) if order.status == OrderStatus::Refunded && order.reverted_at.is_none() => {
                self.take_back_leased(&order).await
            }
            Ok(_) => Ok(FulfilOutcome::Done("changed while waiting for the lease")),
            Err(e) => Err(e.into()),
        };
        self.store.release_lease(order.user.id, &token).await?;
        result
    }

    async fn take_back_leased(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        if order.gift {
            // The gift goes with the money: revoked if still open, its days taken back from the
            // recipient if redeemed (the buyer never had days from it).
            if let Some(received) = self.store.revoke_gift(order.id, self.now()).await? {
                if let FulfilOutcome::Wait(seconds) = Box::pin(self.take_back(&received)).await? {
                    return Ok(FulfilOutcome::Wait(seconds));
                }
            }
        }
        let now = self.now();
        // No target and no panel user: the order's days were never decided, so they cannot be
        // on the panel, and there is nobody to look up.
        let panel_user = if order.target_expires_at.is_none() && order.user.panel_user_id.is_none() {
            None
        } else {
            self.find_panel_user(order).await?
        };
        // Did this order's days reach the panel? Provisioned, or its target was applied before
        // a later step failed (the panel's expiry is at least the target: every order assigned
        // after it stacked on that target).
        // A take-back already decided (`revert_expires_at`) may have reached the panel before a
        // crash or a lost response: its days were applied, whatever the panel shows now.
        let applied = match (&panel_user, order.provisioned_at, order.target_expires_at) {
            (Some(_), _, Some(_)) if order.revert_expires_at.is_some() => true,
            (Some(_), Some(_), Some(_)) => true,
            (Some(user), None, Some(target)) => user.expire_at.timestamp() >= target,
            _ => false,
        };
        if applied
            && order.revert_expires_at.is_none()
            && self.store.in_flight(order.user.id, order.id).await?.targets
        {
            // Another order's expiry is decided but not applied: let it land first, then
            // take the days back from the result.
            return Ok(FulfilOutcome::Wait(BUSY_WAIT_SECONDS));
        }
        let (remaining, taken) = match (panel_user, order.target_expires_at) {
            (Some(user), Some(target)) if applied => {
                let (revert, taken) = match (order.revert_expires_at, order.taken_back_seconds) {
                    (Some(revert), Some(taken)) => (revert, taken),
                    _ => {
                        let taken = unused_seconds(target, order.days, now);
                        let left = user.expire_at.timestamp() - taken;
                        // 0 = nothing left: disable.
                        let revert = if left > now { left } else { 0 };
                        self.store.assign_revert(order.id, revert, taken).await?
                    }
                };
                let user = if taken == 0 {
                    // The order's period is over: nothing of it is left to take.
                    user
                } else if revert > now {
                    let update = UpdateUser {
                        id: Some(user.id),
                        expire_at: Some(timestamp(revert)),
                        ..UpdateUser::default()
                    };
                    self.panel.update_user(&update).await?
                } else {
                    // Nothing left: disable, and end the expiry now (the panel refuses a past
                    // one, hence a minute ahead) so the next purchase cannot stack on the
                    // refunded days.
                    let update = UpdateUser {
                        id: Some(user.id),
                        status: Some(UserStatus::Disabled),
                        expire_at: Some(timestamp(now + ENDED_MARGIN_SECONDS)),
                        ..UpdateUser::default()
                    };
                    self.panel.update_user(&update).await?
                };
                self.store.record_panel_user(order.user.id, &PanelRecord::from(&user), self.now()).await?;
                (active_until(&user, now), taken)
            }
            // The days never reached the panel: nothing to take back, but earlier orders may
            // still give the customer time, and the message should say so.
            (Some(user), _) => (active_until(&user, now), 0),
            (None, _) => (None, 0),
        };
        self.store.mark_reverted(order, taken, now).await?;
        // The refund is done and recorded: a retry would find nothing to do, so a notice that
        // cannot be sent now is reported, not retried.
        let told = match (order.bonus, order.price) {
            (true, _) => {
                self.notifier
                    .bonus_taken_back(&order.recipient(), order.days, remaining, order.bonus_source)
                    .await
            }
            (false, _) if order.gift_received => {
                self.notifier
                    .bonus_taken_back(&order.recipient(), order.days, remaining, BonusSource::Gift)
                    .await
            }
            (false, Some(price)) => {
                self.notifier.refunded(&order.recipient(), price, order.days, remaining).await
            }
            (false, None) => return Ok(FulfilOutcome::Done("taken back")),
        };
        match told {
            Ok(()) => Ok(FulfilOutcome::Done("taken back")),
            Err(_) => Ok(FulfilOutcome::Done("taken back; the customer could not be told")),
        }
    }
}

/// Provisioned but the customer not told yet (and not refused for good).
fn needs_notice(order: &FulfilOrder) -> bool {
    order.status == OrderStatus::Provisioned && order.notified_at.is_none()
}

/// The end of the time a panel user has paid for, which a new order stacks on. A disabled user
/// whose expiry is at most the ended-by-refund margin ahead has nothing left: that minute is
/// only there because the panel refuses a past expiry, and stacking on it would give the
/// customer seconds nobody paid for (an operator's disabled user with real days left keeps them).
fn paid_until(user: &PanelUser, now: i64) -> i64 {
    let expiry = user.expire_at.timestamp();
    if user.status == UserStatus::Disabled && expiry <= now + 2 * ENDED_MARGIN_SECONDS {
        expiry.min(now)
    } else {
        expiry
    }
}

fn active_until(user: &PanelUser, now: i64) -> Option<i64> {
    let until = user.expire_at.timestamp();
    (user.status == UserStatus::Active && until > now).then_some(until)
}

fn timestamp(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_767_225_600;

    #[test]
    fn a_refund_takes_the_unused_part_of_its_own_period_only() {
        let target = T + 30 * DAY_SECONDS;
        // Untouched period (stacked in the future): all of it.
        assert_eq!(unused_seconds(target, 30, T - 5 * DAY_SECONDS), 30 * DAY_SECONDS);
        // Ten days used: twenty left.
        assert_eq!(unused_seconds(target, 30, T + 10 * DAY_SECONDS), 20 * DAY_SECONDS);
        // Over: nothing.
        assert_eq!(unused_seconds(target, 30, target + 1), 0);
        assert_eq!(unused_seconds(target, 30, target), 0);
    }
}
