//! What admins do to one customer or one payment, from any console (the bot's `/user` and
//! `/refund` now, the web console later): the same functions, each change audit-logged with who,
//! what, before and after.
//!
//! ```text
//! admin: /refund 42
//!   → payment #42: Stars ⭐100, completed
//!   → Stars: refundStarPayment, then the refund goes through payment::accept like any refund
//!     (the order refunded, its days taken back by the queue, referral rewards reversed); the
//!     `refunded_payment` update Telegram sends afterwards is a duplicate
//!   → Razorpay / Xendit: the provider's refund API; the days come back when its refund webhook
//!     arrives (the money is not back before that)
//!   → Crypto Pay has no refund API: refused, with what to do by hand
//! admin: taps [+30 days] on /user 1002
//!   → a free bonus order, provisioned by the queue (one per button press: a redelivered press
//!     creates nothing more)
//! ```

use serde_json::{json, Value};

use crate::config::Config;
use crate::http::HttpClient;
use crate::money::Money;
use crate::providers::gateway::{Gateway, RefundRequest};
use crate::remnawave::{Panel, PanelError, PanelUser, PanelUserId};
use crate::telegram::{BotApi, TelegramError};

use super::catalog::Provider;
use super::fulfil::PanelRecord;
use super::payment::{accept, Accepted, PaymentEvent, PaymentKey, PaymentKind};
use super::ports::{Ids, Job, Jobs};
use super::store::{FulfilStore, ShopStore, StoreError};

/// The days an admin can add with one press.
pub const EXTEND_CHOICES: [u32; 2] = [7, 30];

/// A payment as a refund needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundablePayment {
    pub id: i64,
    pub provider: Option<Provider>,
    /// The provider's id for the money (Stars charge id, Razorpay payment id, …).
    pub external_id: String,
    pub amount: Option<Money>,
    pub status: String,
    pub order_public_id: String,
    /// The provider object the order was paid through (Xendit refunds name it).
    pub object_id: Option<String>,
    pub telegram_id: i64,
}

/// What `/refund` did.
#[derive(Debug, Clone, PartialEq)]
pub enum RefundOutcome {
    /// The money is back and the refund recorded: the days are being taken back.
    Refunded {
        order: String,
    },
    /// The provider accepted the refund; its webhook will apply it.
    Requested {
        provider: Provider,
        refund_id: String,
    },
    NotFound,
    /// Already refunded, or not a payment a refund can go through (the reason says).
    Refused(String),
    /// The provider refused or failed (nothing changed here).
    Failed(String),
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Panel(#[from] PanelError),
}

/// Storage for admin actions.
#[allow(async_fn_in_trait)]
pub trait AdminStore {
    /// Payment `id` (the number `/user` shows) with what refunding it needs.
    async fn refundable_payment(&self, id: i64) -> Result<Option<RefundablePayment>, StoreError>;
    /// A free bonus order of `days` for the customer (`telegram_id`), once per `request` (a
    /// button press's id); returns its public id, also on a repeat.
    async fn grant_days(
        &self,
        telegram_id: i64,
        days: u32,
        admin: i64,
        request: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError>;
    /// A refund of payment `id` was requested from its provider and awaits its webhook.
    async fn refund_requested(&self, id: i64) -> Result<bool, StoreError>;
    /// The customer's panel user id, if they have one.
    async fn panel_user_of(&self, telegram_id: i64) -> Result<Option<(i64, i64)>, StoreError>;
}

/// An audit row: `admin:<id>` did `action` to `subject`, with before and after.
async fn audit<S: ShopStore>(
    store: &S,
    admin: i64,
    action: &str,
    subject: &str,
    before: Value,
    after: Value,
    now: i64,
) -> Result<(), StoreError> {
    let details = json!({ "before": before, "after": after });
    store.record_audit(&format!("admin:{admin}"), action, subject, details, now).await
}

/// Refunds payment `payment_id` through its provider (see the module docs).
#[allow(clippy::too_many_arguments)]
pub async fn refund<S: ShopStore + AdminStore, J: Jobs, H: HttpClient>(
    config: &Config,
    store: &S,
    jobs: &J,
    http: &H,
    ids: &dyn Ids,
    payment_id: i64,
    admin: i64,
    now: i64,
) -> Result<RefundOutcome, StoreError> {
    let Some(p) = store.refundable_payment(payment_id).await? else {
        return Ok(RefundOutcome::NotFound);
    };
    let subject = format!("payment:{}", p.id);
    let (Some(provider), Some(amount)) = (p.provider, p.amount) else {
        return Ok(RefundOutcome::Refused("the payment's provider or currency is unknown".into()));
    };
    if p.status != "completed" {
        return Ok(RefundOutcome::Refused(format!("the payment is {}", p.status)));
    }
    if matches!(provider, Provider::Razorpay | Provider::Xendit) && store.refund_requested(p.id).await? {
        return Ok(RefundOutcome::Refused(format!(
            "a refund was requested from {provider} already; the days come back when it confirms"
        )));
    }
    let before =
        json!({ "status": p.status, "amount": amount.minor(), "currency": amount.currency().code() });
    let outcome = match provider {
        Provider::Stars => {
            let api = BotApi::new(http, &config.telegram.api_base, config.telegram.bot_token.expose());
            match api.refund_star_payment(p.telegram_id, &p.external_id).await {
                // Telegram already gave it back (a refund from elsewhere whose update is late):
                // record it the same way.
                Ok(()) => None,
                Err(TelegramError::Api { description, .. }) if description.contains("ALREADY_REFUNDED") => None,
                Err(e) => Some(RefundOutcome::Failed(e.to_string())),
            }
        }
        Provider::Razorpay | Provider::Xendit => {
            let request = RefundRequest {
                payment_key: &p.external_id,
                object_id: p.object_id.as_deref(),
                amount,
                order: &p.order_public_id,
            };
            Some(match Gateway::new(config, http).refund(provider, &request).await {
                Ok(refund_id) => RefundOutcome::Requested { provider, refund_id },
                Err(e) => RefundOutcome::Failed(e.to_string()),
            })
        }
        Provider::CryptoPay => Some(RefundOutcome::Refused(
            "Crypto Pay has no refund API: send the money back from @CryptoBot by hand and take the days back with /user".into(),
        )),
    };
    let outcome = match outcome {
        Some(outcome) => outcome,
        None => {
            let key = PaymentKey::parse(&p.external_id)
                .ok_or_else(|| StoreError::invalid(format!("payment {} has no usable charge id", p.id)))?;
            let event = PaymentEvent {
                provider,
                key,
                order: None,
                payer: None,
                chat_id: None,
                amount,
                kind: PaymentKind::Refund { refund_id: None },
                now,
            };
            match accept(store, jobs, ids, &event).await? {
                Accepted::Applied { order, .. } | Accepted::Duplicate { order: Some(order) } => {
                    RefundOutcome::Refunded { order }
                }
                Accepted::Duplicate { order: None }
                | Accepted::Unmatched { .. }
                | Accepted::AlreadyRefunded { .. } => RefundOutcome::Failed(
                    "refunded at Telegram, but the refund matched no recorded payment".into(),
                ),
            }
        }
    };
    let after = match &outcome {
        RefundOutcome::Refunded { .. } => json!({ "status": "refunded" }),
        RefundOutcome::Requested { refund_id, .. } => {
            json!({ "status": "refund requested", "refund": refund_id })
        }
        RefundOutcome::Refused(why) | RefundOutcome::Failed(why) => {
            json!({ "status": p.status, "error": why })
        }
        RefundOutcome::NotFound => Value::Null,
    };
    audit(store, admin, "payment.refund", &subject, before, after, now).await?;
    Ok(outcome)
}

/// What an admin can do to a customer's subscription from `/user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Extend(u32),
    Disable,
    Enable,
    ResetDevices,
    NewLink,
}

impl UserAction {
    pub fn name(self) -> &'static str {
        match self {
            UserAction::Extend(_) => "user.extend",
            UserAction::Disable => "user.disable",
            UserAction::Enable => "user.enable",
            UserAction::ResetDevices => "user.reset_devices",
            UserAction::NewLink => "user.new_link",
        }
    }
}

/// What an action did.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutcome {
    /// Days granted: this bonus order is queued.
    Granted {
        order: String,
    },
    /// Done on the panel; the user as it is now.
    Done(Box<PanelUser>),
    /// The customer has no panel user (nothing to disable, reset or renew).
    NoPanelUser,
    NoSuchCustomer,
}

/// Runs `action` on customer `telegram_id`, audit-logged. `request` names the press (a retried
/// delivery of the same press grants nothing more).
#[allow(clippy::too_many_arguments)]
pub async fn act<S: AdminStore + FulfilStore + ShopStore, P: Panel, J: Jobs>(
    store: &S,
    panel: &P,
    jobs: &J,
    admin: i64,
    telegram_id: i64,
    action: UserAction,
    request: &str,
    now: i64,
) -> Result<ActionOutcome, AdminError> {
    let subject = format!("user:{telegram_id}");
    if let UserAction::Extend(days) = action {
        let Some(order) = store.grant_days(telegram_id, days, admin, request, now).await? else {
            return Ok(ActionOutcome::NoSuchCustomer);
        };
        jobs.enqueue(&Job::Provision { order: order.clone() }).await?;
        return Ok(ActionOutcome::Granted { order });
    }
    let Some((user_id, panel_id)) = store.panel_user_of(telegram_id).await? else {
        return Ok(ActionOutcome::NoPanelUser);
    };
    let id = PanelUserId(panel_id);
    let before = panel.get_user(id).await?;
    let Some(before) = before else { return Ok(ActionOutcome::NoPanelUser) };
    let after = match action {
        UserAction::Disable => panel.disable_user(id).await?,
        UserAction::Enable => panel.enable_user(id).await?,
        UserAction::ResetDevices => {
            panel.delete_all_devices(id).await?;
            before.clone()
        }
        UserAction::NewLink => panel.revoke_subscription(id).await?,
        UserAction::Extend(_) => return Ok(ActionOutcome::NoSuchCustomer),
    };
    store.record_panel_user(user_id, &PanelRecord::from(&after), now).await?;
    let view = |u: &PanelUser| json!({ "status": u.status, "short_uuid": u.short_uuid });
    audit(store, admin, action.name(), &subject, view(&before), view(&after), now).await?;
    Ok(ActionOutcome::Done(Box::new(after)))
}
