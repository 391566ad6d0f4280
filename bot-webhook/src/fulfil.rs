//! Fulfilment: putting a paid order's days on the panel (and telling the customer), and
//! taking a refunded order's days back. Runs from the queue, so a panel outage only delays it.
//!
//! Exactly once, even with retries, crashes and concurrent jobs:
//! - one job per user at a time (a short lease in D1);
//! - the expiry an order buys (`target`) is computed once, atomically in D1, from the user's
//!   current expiry (refreshed from the panel first: the panel is authoritative) and any other
//!   paid orders still in flight; every retry then sets that same absolute expiry, so running
//!   a job twice never adds days twice;
//! - creating the panel user is retry-safe (a taken username is looked up and reused);
//! - the customer is told once (`notified_at`), separately from provisioning.

use chrono::DateTime;
use wavegate_shared::clock::Clock;
use wavegate_shared::config::Config;
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::money::Money;
use wavegate_shared::qr;
use wavegate_shared::remnawave::{
    create_or_reuse_user, CreateUser, Created, Panel, PanelError, PanelUser, PanelUserId,
    TrafficLimitStrategy, UpdateUser, UserStatus,
};
use wavegate_shared::subscription::{format_expiry, take_back, AfterRefund, OrderEvent, OrderStatus};
use wavegate_shared::telegram::{BotApi, TelegramError};

use crate::screens::escape_html;
use crate::store::StoreError;

/// How long one job may hold a user's lease (a crashed job's lease simply expires). A job makes
/// up to about six panel and Bot API calls, each bounded by a 10 s timeout and three attempts.
const LEASE_SECONDS: i64 = 300;
/// Wait before retrying when another order's panel change must land first.
const BUSY_RETRY_SECONDS: u32 = 10;
/// Longest wait before checking a held lease again.
const LEASE_BUSY_RETRY_SECONDS: i64 = 15;
/// Devices allowed on a trial.
const TRIAL_DEVICE_LIMIT: u32 = 1;
/// The tag Wavegate puts on the panel users it creates (`^[A-Z0-9_]+$`, ≤ 16).
const PANEL_TAG: &str = "WAVEGATE";

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
    pub days: u32,
    pub amount_minor: i64,
    pub currency: String,
    pub chat_id: Option<i64>,
    pub target_expires_at: Option<i64>,
    pub provisioned_at: Option<i64>,
    pub notified_at: Option<i64>,
    pub revert_expires_at: Option<i64>,
    pub reverted_at: Option<i64>,
    pub user: FulfilUser,
    /// `None` for a trial.
    pub plan: Option<Limits>,
}

/// The panel's user as Wavegate mirrors it in D1.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRecord {
    pub panel_user_id: i64,
    pub short_uuid: String,
    pub subscription_url: String,
    pub expires_at: i64,
    pub status: &'static str,
}

impl From<&PanelUser> for PanelRecord {
    fn from(user: &PanelUser) -> Self {
        PanelRecord {
            panel_user_id: user.id.0,
            short_uuid: user.short_uuid.clone(),
            subscription_url: user.subscription_url.clone(),
            expires_at: user.expire_at.timestamp(),
            status: match user.status {
                UserStatus::Active => "ACTIVE",
                UserStatus::Disabled => "DISABLED",
                UserStatus::Limited => "LIMITED",
                UserStatus::Expired => "EXPIRED",
            },
        }
    }
}

#[allow(async_fn_in_trait)]
pub trait FulfilStore {
    async fn fulfil_order(&self, public_id: &str) -> Result<Option<FulfilOrder>, StoreError>;
    /// Takes the user's fulfilment lease for `token` until `until`, unless another job holds
    /// an unexpired one.
    async fn take_lease(&self, user_id: i64, token: &str, now: i64, until: i64) -> Result<Lease, StoreError>;
    /// Releases the lease if `token` still holds it (an expired lease may belong to another job).
    async fn release_lease(&self, user_id: i64, token: &str) -> Result<(), StoreError>;
    /// Other orders of the user whose panel change was decided but not yet applied.
    async fn in_flight(&self, user_id: i64, order_id: i64) -> Result<InFlight, StoreError>;
    /// Mirrors the panel's user (ids, link, expiry, status) onto the stored user.
    async fn record_panel_user(&self, user_id: i64, panel: &PanelRecord, now: i64) -> Result<(), StoreError>;
    /// Computes and stores the order's target expiry, once; returns the stored value.
    async fn assign_target(&self, order_id: i64, now: i64) -> Result<i64, StoreError>;
    /// Marks the order provisioned and records its subscription period.
    async fn mark_provisioned(&self, order: &FulfilOrder, target: i64, now: i64) -> Result<(), StoreError>;
    async fn mark_notified(&self, order_id: i64, now: i64) -> Result<(), StoreError>;
    /// Stores the expiry after a refund (0 = nothing left), once; returns the stored value.
    async fn assign_revert(&self, order_id: i64, revert_expires_at: i64) -> Result<i64, StoreError>;
    async fn mark_reverted(&self, order: &FulfilOrder, now: i64) -> Result<(), StoreError>;
    async fn set_blocked_by_telegram_id(&self, telegram_id: i64, now: i64) -> Result<(), StoreError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    Taken,
    /// Another job holds it until this time.
    HeldUntil(i64),
}

/// Panel changes of a user's other orders that are stored but not yet applied. Applying one
/// absolute expiry while another is pending could undo it, so each waits for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InFlight {
    /// Paid orders with a target expiry, not yet provisioned.
    pub targets: bool,
    /// Refunded orders with a shortened expiry, not yet applied.
    pub reverts: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FulfilOutcome {
    Done(&'static str),
    /// Try again after this many seconds.
    RetryAfter(u32),
}

#[derive(Debug, thiserror::Error)]
pub enum FulfilError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Panel(#[from] PanelError),
    #[error(transparent)]
    Telegram(#[from] TelegramError),
}

impl FulfilError {
    /// Seconds Telegram asked us to wait, if that is why we failed.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            FulfilError::Telegram(e) => e.retry_after(),
            _ => None,
        }
    }
}

pub struct Fulfiller<'a, S, H, P> {
    pub config: &'a Config,
    pub store: &'a S,
    pub http: &'a H,
    pub panel: &'a P,
    pub clock: &'a dyn Clock,
}

/// The panel username for a Telegram user: stable, so a retry finds the user it created.
pub fn panel_username(telegram_id: i64) -> String {
    format!("tg_{telegram_id}")
}

impl<S: FulfilStore, H: HttpClient, P: Panel> Fulfiller<'_, S, H, P> {
    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    fn api(&self) -> BotApi<'_, H> {
        BotApi::new(self.http, &self.config.telegram.api_base, self.config.telegram.bot_token.expose())
    }

    fn limits(&self, order: &FulfilOrder) -> Limits {
        order.plan.clone().unwrap_or(Limits {
            traffic_limit_bytes: self.config.trial.traffic_limit_bytes,
            traffic_strategy: TrafficLimitStrategy::NoReset,
            device_limit: TRIAL_DEVICE_LIMIT,
        })
    }

    /// Puts a paid order's days on the panel and sends the customer their link.
    pub async fn provision(&self, public_id: &str) -> Result<FulfilOutcome, FulfilError> {
        let Some(order) = self.store.fulfil_order(public_id).await? else {
            return Ok(FulfilOutcome::Done("unknown order"));
        };
        let pending_notice = order.status == OrderStatus::Provisioned && order.notified_at.is_none();
        if order.status.apply(OrderEvent::Provisioned).is_err() && !pending_notice {
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
            Ok(Some(order)) if order.status == OrderStatus::Provisioned && order.notified_at.is_none() => {
                self.notify_again(&order).await
            }
            Ok(_) => Ok(FulfilOutcome::Done("changed while waiting for the lease")),
            Err(e) => Err(e.into()),
        };
        self.store.release_lease(order.user.id, &token).await?;
        result
    }

    /// Provisioned, but the customer was not told (Telegram was down): tell them now.
    async fn notify_again(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        let user = match order.user.panel_user_id {
            Some(id) => self.panel.get_user(PanelUserId(id)).await?,
            None => None,
        };
        let Some(user) = user else {
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
                let wait = (until - now + 1).clamp(1, LEASE_BUSY_RETRY_SECONDS);
                Some(FulfilOutcome::RetryAfter(u32::try_from(wait).unwrap_or(BUSY_RETRY_SECONDS)))
            }
        })
    }

    async fn provision_leased(&self, order: &FulfilOrder) -> Result<FulfilOutcome, FulfilError> {
        let now = self.now();
        if order.target_expires_at.is_none() && self.store.in_flight(order.user.id, order.id).await?.reverts {
            // A refund's shortened expiry is waiting to be applied: stack on it, not before it.
            return Ok(FulfilOutcome::RetryAfter(BUSY_RETRY_SECONDS));
        }
        let username = panel_username(order.user.telegram_id);
        let existing = self.find_panel_user(order, &username).await?;
        if let Some(user) = &existing {
            // The panel is authoritative: stack on the expiry it has now.
            self.store.record_panel_user(order.user.id, &PanelRecord::from(user), now).await?;
        }
        let target = match order.target_expires_at {
            Some(target) => target,
            None => self.store.assign_target(order.id, now).await?,
        };
        let limits = self.limits(order);
        let user = match existing {
            Some(user) => self.apply(&user, target, &limits).await?,
            None => {
                let create = CreateUser {
                    username,
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
                    (user, Created::Reused) => self.apply(&user, target, &limits).await?,
                }
            }
        };
        // A new paid period comes with a fresh traffic budget.
        let user =
            if !order.trial && limits.traffic_limit_bytes > 0 && user.user_traffic.used_traffic_bytes > 0 {
                self.panel.reset_traffic(user.id).await?
            } else {
                user
            };
        self.store.record_panel_user(order.user.id, &PanelRecord::from(&user), now).await?;
        self.store.mark_provisioned(order, target, now).await?;
        self.notify_provisioned(order, &user).await
    }

    async fn find_panel_user(
        &self,
        order: &FulfilOrder,
        username: &str,
    ) -> Result<Option<PanelUser>, PanelError> {
        if let Some(id) = order.user.panel_user_id {
            if let Some(user) = self.panel.get_user(PanelUserId(id)).await? {
                return Ok(Some(user));
            }
        }
        self.panel.get_user_by_username(username).await
    }

    /// Sets the absolute expiry (never shortening one the panel already has), the limits, and
    /// re-enables the user. The same call twice gives the same result.
    async fn apply(&self, user: &PanelUser, target: i64, limits: &Limits) -> Result<PanelUser, PanelError> {
        let expire = target.max(user.expire_at.timestamp());
        let squads = &self.config.remnawave.squads;
        let update = UpdateUser {
            id: Some(user.id),
            status: Some(UserStatus::Active),
            traffic_limit_bytes: Some(limits.traffic_limit_bytes),
            traffic_limit_strategy: Some(limits.traffic_strategy),
            // The panel refuses an expiry in the past; a target that old has nothing to add.
            expire_at: (expire > self.now()).then(|| timestamp(expire)),
            hwid_device_limit: Some(limits.device_limit),
            active_internal_squads: (!squads.is_empty()).then(|| squads.clone()),
            ..UpdateUser::default()
        };
        self.panel.update_user(&update).await
    }

    async fn notify_provisioned(
        &self,
        order: &FulfilOrder,
        user: &PanelUser,
    ) -> Result<FulfilOutcome, FulfilError> {
        let texts = texts(order);
        let chat = order.chat_id.unwrap_or(order.user.telegram_id);
        let args = [
            ("expires", Arg::Str(format_expiry(user.expire_at, texts.locale.time_zone()))),
            ("link", Arg::Str(escape_html(&user.subscription_url))),
        ];
        let api = self.api();
        let sent = async {
            api.send_message(chat, &texts.format("provisioned", &args), None).await?;
            if let Ok(png) = qr::png(&user.subscription_url) {
                api.send_photo_png(chat, png, &texts.get("qr-caption"), None).await?;
            }
            Ok::<_, TelegramError>(())
        };
        match sent.await {
            Ok(()) => {}
            // Blocked the bot: nobody to tell; the link is in /status when they come back.
            Err(e) if e.is_unreachable_user() => {
                self.store.set_blocked_by_telegram_id(order.user.telegram_id, self.now()).await?
            }
            Err(e) => return Err(e.into()),
        }
        self.store.mark_notified(order.id, self.now()).await?;
        Ok(FulfilOutcome::Done("provisioned"))
    }

    /// Takes a refunded order's days back: a shorter expiry, or a disabled user if none is left.
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
        let now = self.now();
        let panel_user = match order.user.panel_user_id {
            Some(id) => self.panel.get_user(PanelUserId(id)).await?,
            None => None,
        };
        // Did this order's days reach the panel? Provisioned, or its target was applied before
        // a later step failed (the panel's expiry is at least the target).
        let applied = match (&panel_user, order.provisioned_at, order.target_expires_at) {
            (Some(_), Some(_), _) => true,
            (Some(user), None, Some(target)) => user.expire_at.timestamp() >= target,
            _ => false,
        };
        if applied
            && order.revert_expires_at.is_none()
            && self.store.in_flight(order.user.id, order.id).await?.targets
        {
            // Another order's expiry is decided but not applied: let it land first, then
            // take the days back from the result.
            return Ok(FulfilOutcome::RetryAfter(BUSY_RETRY_SECONDS));
        }
        let remaining = match panel_user {
            None => None,
            // The days never reached the panel: nothing to take back, but earlier orders may
            // still give the customer time, and the message should say so.
            Some(user) if !applied => {
                Some(user).filter(|u| u.status == UserStatus::Active && u.expire_at.timestamp() > now)
            }
            Some(user) => {
                let revert = match order.revert_expires_at {
                    Some(revert) => revert,
                    None => {
                        let left = match take_back(self.clock.now(), user.expire_at, order.days) {
                            AfterRefund::EndsAt(at) => at.timestamp(),
                            AfterRefund::Nothing => 0,
                        };
                        self.store.assign_revert(order.id, left).await?
                    }
                };
                let update = if revert > now {
                    UpdateUser {
                        id: Some(user.id),
                        expire_at: Some(timestamp(revert)),
                        ..UpdateUser::default()
                    }
                } else {
                    // Nothing left: disable, and end the expiry now (the panel refuses a past
                    // one, hence a minute ahead) so the next purchase cannot stack on the
                    // refunded days.
                    UpdateUser {
                        id: Some(user.id),
                        status: Some(UserStatus::Disabled),
                        expire_at: Some(timestamp(now + 60)),
                        ..UpdateUser::default()
                    }
                };
                let updated = self.panel.update_user(&update).await?;
                self.store.record_panel_user(order.user.id, &PanelRecord::from(&updated), now).await?;
                Some(updated).filter(|_| revert > now)
            }
        };
        self.store.mark_reverted(order, now).await?;

        let texts = texts(order);
        let amount =
            Money::parse(order.amount_minor, &order.currency).map(|m| m.to_string()).unwrap_or_default();
        let mut text = texts
            .format("refunded", &[("amount", Arg::Str(amount)), ("days", Arg::Num(i64::from(order.days)))]);
        text.push('\n');
        text.push_str(&match &remaining {
            Some(user) => texts.format(
                "refunded-active-until",
                &[("expires", Arg::Str(format_expiry(user.expire_at, texts.locale.time_zone())))],
            ),
            None => texts.get("refunded-ended"),
        });
        // The refund is done and recorded: a retry would find nothing to do, so a notice that
        // cannot be sent now is reported, not retried.
        match self.api().send_message(order.chat_id.unwrap_or(order.user.telegram_id), &text, None).await {
            Ok(_) => Ok(FulfilOutcome::Done("taken back")),
            Err(_) => Ok(FulfilOutcome::Done("taken back; the customer could not be told")),
        }
    }
}

fn texts(order: &FulfilOrder) -> Texts {
    Texts::new(Locale::resolve(order.user.locale.as_deref(), order.user.language_code.as_deref()))
}

fn timestamp(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
