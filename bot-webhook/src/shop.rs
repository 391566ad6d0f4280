//! What the shop needs from the outside world, beyond the user store: plans and orders in
//! D1, the job queue, and a short-lived cache. The Worker implements these on D1, Queues and
//! KV; tests in memory.

use serde::{Deserialize, Serialize};
use wavegate_shared::money::{Currency, Money};
use wavegate_shared::remnawave::TrafficLimitStrategy;
use wavegate_shared::subscription::OrderStatus;

use crate::store::StoreError;

/// A plan with its prices, as the admin configured it in D1.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub days: u32,
    /// 0 = unlimited.
    pub traffic_limit_bytes: u64,
    pub traffic_strategy: TrafficLimitStrategy,
    pub device_limit: u32,
    pub prices: Vec<Money>,
}

impl Plan {
    pub fn price(&self, currency: Currency) -> Option<Money> {
        self.prices.iter().copied().find(|p| p.currency() == currency)
    }
}

/// How a customer pays. Stars is built in; the others appear when configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayMethod {
    /// A one-time Stars invoice.
    Stars,
    /// A Stars subscription renewing every 30 days (30-day plans only).
    StarsSubscription,
    Razorpay,
    Xendit,
    CryptoPay,
}

impl PayMethod {
    pub fn code(self) -> &'static str {
        match self {
            PayMethod::Stars => "stars",
            PayMethod::StarsSubscription => "starsub",
            PayMethod::Razorpay => "razorpay",
            PayMethod::Xendit => "xendit",
            PayMethod::CryptoPay => "crypto",
        }
    }

    pub fn parse(code: &str) -> Option<PayMethod> {
        [
            PayMethod::Stars,
            PayMethod::StarsSubscription,
            PayMethod::Razorpay,
            PayMethod::Xendit,
            PayMethod::CryptoPay,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }

    /// The currency the method charges in.
    pub fn currency(self) -> Currency {
        match self {
            PayMethod::Stars | PayMethod::StarsSubscription => Currency::Xtr,
            PayMethod::Razorpay => Currency::Inr,
            PayMethod::Xendit => Currency::Idr,
            PayMethod::CryptoPay => Currency::Usd,
        }
    }
}

/// A new order to create (pending until paid).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub public_id: String,
    pub user_id: i64,
    pub chat_id: i64,
    pub plan_id: i64,
    pub provider: &'static str,
    pub price: Money,
    pub days: u32,
    /// A Stars subscription: renewals arrive as more payments with the same payload.
    pub subscription: bool,
    pub now: i64,
}

/// An order as checkout and payment handling see it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderView {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    pub telegram_id: i64,
    pub status: OrderStatus,
    pub amount_minor: i64,
    pub currency: String,
    pub days: u32,
    pub plan_id: Option<i64>,
    pub subscription: bool,
    /// The plan's current price in the order's currency, if the plan is still on sale.
    pub current_price_minor: Option<i64>,
}

/// A Stars payment to record, after checks against the order passed.
#[derive(Debug, Clone, PartialEq)]
pub struct StarsPayment {
    pub order: OrderView,
    pub chat_id: i64,
    pub charge_id: String,
    pub provider_charge_id: String,
    pub amount: i64,
    pub is_recurring: bool,
    pub subscription_expires_at: Option<i64>,
    pub now: i64,
}

/// What recording a payment did.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentRecorded {
    /// New money: this order (the invoiced one, or a renewal order made for it) is now paid.
    Applied { order_public_id: String },
    /// This charge was recorded before; nothing changed.
    Duplicate { order_public_id: String },
}

/// What recording a refund did.
#[derive(Debug, Clone, PartialEq)]
pub enum RefundRecorded {
    Applied { order_public_id: String },
    Duplicate,
    UnknownCharge,
}

/// The customer's subscription as stored (the panel holds the live numbers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubscriptionSummary {
    pub panel_user_id: Option<i64>,
    /// The slug of the plan of the latest provisioned order (`trial` for the free trial).
    pub plan_name: Option<String>,
    pub expires_at: Option<i64>,
    pub trial_used: bool,
    /// The charge id of an active Stars subscription and whether its renewal is cancelled.
    pub stars_subscription: Option<(String, bool)>,
    /// The user has paid for something, even if it is not on the panel yet.
    pub has_purchases: bool,
}

impl SubscriptionSummary {
    /// The free trial is for users who never had a subscription and never paid.
    pub fn trial_available(&self) -> bool {
        !self.trial_used && self.expires_at.is_none() && self.panel_user_id.is_none() && !self.has_purchases
    }
}

#[allow(async_fn_in_trait)]
pub trait ShopStore {
    async fn active_plans(&self) -> Result<Vec<Plan>, StoreError>;
    async fn create_order(&self, order: &NewOrder) -> Result<(), StoreError>;
    async fn order(&self, public_id: &str) -> Result<Option<OrderView>, StoreError>;
    /// Records the payment once per charge id and marks its order paid, atomically.
    async fn record_stars_payment(
        &self,
        payment: &StarsPayment,
        fresh_order_id: &str,
    ) -> Result<PaymentRecorded, StoreError>;
    /// Marks a payment (by charge id) and its order refunded, once.
    async fn record_stars_refund(&self, charge_id: &str, now: i64) -> Result<RefundRecorded, StoreError>;
    /// Marks the order failed (money received that does not match it) for an admin to handle.
    async fn fail_order(&self, order_id: i64, reason: &str, now: i64) -> Result<(), StoreError>;
    /// Records money that matches no order (in the audit log, once per charge id); `false` if
    /// this charge was reported before.
    async fn record_unmatched_payment(
        &self,
        charge_id: &str,
        details: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Takes the user's one trial and creates its (already paid) order; `None` if taken.
    async fn claim_trial(
        &self,
        user_id: i64,
        chat_id: i64,
        public_id: &str,
        days: u32,
        now: i64,
    ) -> Result<bool, StoreError>;
    async fn subscription_summary(&self, user_id: i64) -> Result<SubscriptionSummary, StoreError>;
    async fn set_stars_subscription_canceled(
        &self,
        charge_id: &str,
        canceled: bool,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Stores a new subscription link after the panel revoked the old one.
    async fn update_subscription_link(
        &self,
        user_id: i64,
        short_uuid: &str,
        url: &str,
        now: i64,
    ) -> Result<(), StoreError>;
}

/// Work that must not be lost, carried by the Queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Job {
    /// Put a paid order's days on the panel and send the customer their link.
    Provision { order: String },
    /// Take a refunded order's days back from the panel.
    TakeBack { order: String },
    /// A direct message to every admin.
    AdminAlert { text: String },
}

#[allow(async_fn_in_trait)]
pub trait Jobs {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError>;
}

/// A short-lived cache (KV): panel reads for `/status`.
#[allow(async_fn_in_trait)]
pub trait Cache {
    async fn get(&self, key: &str) -> Option<String>;
    async fn put(&self, key: &str, value: &str, ttl_seconds: u64);
    async fn delete(&self, key: &str);
}
