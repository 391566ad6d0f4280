//! The D1 database in memory: `BotStore`, `ShopStore` and `FulfilStore` over plain tables.
//!
//! Each method restates the SQL of `functions/src/store/{bot,shop,fulfil}.rs`, including its
//! `WHERE` guards (an order is marked paid only from `pending`, provisioned only from `paid`, a
//! target expiry is stored once, …), because those guards are what makes replays harmless. Rows
//! are public so tests can assert on them the way the end-to-end suite reads D1. The trade-off:
//! this is a second copy of the rules and can drift from the SQL; the end-to-end suite runs the
//! real statements.

use std::cell::{Cell, RefCell};

use futures::executor::block_on;
use serde_json::{json, Value};
use wavegate_bot::fulfil::{FulfilOrder, FulfilStore, FulfilUser, InFlight, Lease, Limits, PanelRecord};
use wavegate_bot::shop::{
    NewOrder, OrderView, PaymentRecorded, Plan, RefundRecorded, ShopStore, StarsPayment, SubscriptionSummary,
};
use wavegate_bot::store::{BotStore, BotUser, ReferralOutcome, StoreError, TelegramProfile, Upserted};
use wavegate_shared::domain::{ReferralCode, TelegramUserId};
use wavegate_shared::money::Money;
use wavegate_shared::remnawave::TrafficLimitStrategy;
use wavegate_shared::subscription::OrderStatus;

use super::{DAY, GIB, NOW};

/// One row of the `users` table.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredUser {
    pub user: BotUser,
    pub username: Option<String>,
    pub last_name: Option<String>,
    pub blocked: bool,
    pub referred_at: Option<i64>,
    pub updated_at: i64,
    pub panel_user_id: Option<i64>,
    pub panel_short_uuid: Option<String>,
    pub subscription_url: Option<String>,
    /// Mirrors the panel's `expireAt`.
    pub expires_at: Option<i64>,
    pub panel_status: Option<String>,
    pub trial_used: bool,
    /// The fulfilment lease and the job holding it.
    pub provisioning_until: Option<i64>,
    pub provisioning_token: Option<String>,
}

/// A plan with its `plan_prices` rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub days: i64,
    pub traffic_limit_bytes: i64,
    pub traffic_strategy: TrafficLimitStrategy,
    pub device_limit: i64,
    pub is_active: bool,
    pub sort_order: i64,
    /// `(currency, amount_minor)`.
    pub prices: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    pub plan_id: Option<i64>,
    /// `purchase`, `renewal` or `trial`.
    pub kind: String,
    pub provider: String,
    pub amount_minor: i64,
    pub currency: String,
    pub days: i64,
    pub status: OrderStatus,
    pub external_id: Option<String>,
    pub metadata: Value,
    pub chat_id: Option<i64>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub provisioned_at: Option<i64>,
    pub target_expires_at: Option<i64>,
    pub notified_at: Option<i64>,
    pub refunded_at: Option<i64>,
    pub revert_expires_at: Option<i64>,
    pub reverted_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRow {
    pub id: i64,
    pub order_id: i64,
    pub user_id: i64,
    pub amount_minor: i64,
    pub currency: String,
    /// `completed` or `refunded`.
    pub status: String,
    pub telegram_payment_charge_id: Option<String>,
    pub provider_payment_charge_id: Option<String>,
    pub is_recurring: bool,
    pub metadata: Value,
}

/// A period of service (`subscriptions`), one per provisioned order.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRow {
    pub id: i64,
    pub user_id: i64,
    pub plan_id: Option<i64>,
    pub order_id: i64,
    pub source: String,
    pub days: i64,
    pub starts_at: i64,
    pub expires_at: i64,
    /// `active` or `refunded`.
    pub status: String,
    pub stars_subscription_charge_id: Option<String>,
    pub stars_subscription_canceled: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub actor: String,
    pub action: String,
    pub subject: String,
}

/// The database in memory, seeded with the three plans of `0002_seed_plans.sql`.
pub struct MemoryStore {
    users: RefCell<Vec<StoredUser>>,
    plans: RefCell<Vec<PlanRow>>,
    orders: RefCell<Vec<OrderRow>>,
    payments: RefCell<Vec<PaymentRow>>,
    subscriptions: RefCell<Vec<SubscriptionRow>>,
    audit: RefCell<Vec<AuditRow>>,
    down: Cell<bool>,
}

/// Draws of a fresh code before giving up, as in D1 (`CODE_ATTEMPTS`).
const CODE_ATTEMPTS: usize = 3;

impl Default for MemoryStore {
    fn default() -> Self {
        Self {
            users: RefCell::default(),
            plans: RefCell::new(seed_plans()),
            orders: RefCell::default(),
            payments: RefCell::default(),
            subscriptions: RefCell::default(),
            audit: RefCell::default(),
            down: Cell::new(false),
        }
    }
}

/// `0002_seed_plans.sql`.
fn seed_plans() -> Vec<PlanRow> {
    let plan = |id: i64, slug: &str, name: &str, days, traffic, devices, prices: [i64; 4]| PlanRow {
        id,
        slug: slug.into(),
        name: name.into(),
        days,
        traffic_limit_bytes: traffic,
        traffic_strategy: TrafficLimitStrategy::NoReset,
        device_limit: devices,
        is_active: true,
        sort_order: id,
        prices: ["USD", "XTR", "INR", "IDR"].iter().map(|c| c.to_string()).zip(prices).collect(),
    };
    vec![
        plan(1, "monthly", "Monthly", 30, 100 * GIB, 3, [200, 100, 16_900, 32_000]),
        plan(2, "quarterly", "Quarterly", 90, 300 * GIB, 3, [500, 250, 41_900, 79_000]),
        plan(3, "yearly", "Yearly", 365, 0, 5, [1_600, 800, 133_900, 255_000]),
    ]
}

// ------------------------------------------------------------------------- test helpers

impl MemoryStore {
    pub fn user(&self, telegram_id: i64) -> Option<StoredUser> {
        let users = self.users.borrow();
        users.iter().find(|r| r.user.telegram_id.get() == telegram_id).cloned()
    }

    pub fn count(&self) -> usize {
        self.users.borrow().len()
    }

    /// Inserts a user directly, as if they had joined earlier.
    pub fn seed(&self, telegram_id: i64, first_name: &str, code: &str) -> BotUser {
        let profile = TelegramProfile {
            telegram_id: TelegramUserId::parse(telegram_id).expect("a valid test user id"),
            username: None,
            first_name: first_name.to_string(),
            last_name: None,
            language_code: None,
        };
        let code = ReferralCode::parse(code).expect("a valid test code");
        block_on(self.upsert_user(&profile, &|| code.clone(), NOW)).expect("seeding a user").0
    }

    /// The user has completed a payment (a `payments` row with status `completed`).
    pub fn mark_paid(&self, user_id: i64) {
        let mut payments = self.payments.borrow_mut();
        let id = payments.len() as i64 + 1;
        payments.push(PaymentRow {
            id,
            order_id: 0,
            user_id,
            amount_minor: 100,
            currency: "XTR".into(),
            status: "completed".into(),
            telegram_payment_charge_id: None,
            provider_payment_charge_id: None,
            is_recurring: false,
            metadata: json!({}),
        });
    }

    /// Every later call fails, as when D1 is unavailable.
    pub fn go_down(&self) {
        self.down.set(true);
    }

    pub fn order_row(&self, public_id: &str) -> Option<OrderRow> {
        self.orders.borrow().iter().find(|o| o.public_id == public_id).cloned()
    }

    pub fn orders(&self) -> Vec<OrderRow> {
        self.orders.borrow().clone()
    }

    pub fn payments(&self) -> Vec<PaymentRow> {
        self.payments.borrow().iter().filter(|p| p.order_id != 0).cloned().collect()
    }

    pub fn subscriptions(&self) -> Vec<SubscriptionRow> {
        self.subscriptions.borrow().clone()
    }

    pub fn audit(&self) -> Vec<AuditRow> {
        self.audit.borrow().clone()
    }

    pub fn plan(&self, slug: &str) -> PlanRow {
        let plans = self.plans.borrow();
        plans.iter().find(|p| p.slug == slug).cloned().unwrap_or_else(|| panic!("no plan {slug}"))
    }

    /// The admin changes a price (`UPDATE plan_prices`).
    pub fn set_price(&self, slug: &str, currency: &str, amount_minor: i64) {
        let mut plans = self.plans.borrow_mut();
        let plan = plans.iter_mut().find(|p| p.slug == slug).expect("a seeded plan");
        match plan.prices.iter_mut().find(|(c, _)| c == currency) {
            Some(price) => price.1 = amount_minor,
            None => plan.prices.push((currency.to_string(), amount_minor)),
        }
    }

    /// The admin takes a plan off sale (`is_active = 0`).
    pub fn withdraw_plan(&self, slug: &str) {
        let mut plans = self.plans.borrow_mut();
        plans.iter_mut().filter(|p| p.slug == slug).for_each(|p| p.is_active = false);
    }

    fn available(&self) -> Result<(), StoreError> {
        if self.down.get() {
            return Err(StoreError("D1_ERROR: database unavailable".into()));
        }
        Ok(())
    }

    fn log(&self, actor: &str, action: &str, subject: &str) {
        let row = AuditRow { actor: actor.into(), action: action.into(), subject: subject.into() };
        self.audit.borrow_mut().push(row);
    }

    fn with_user<T>(&self, user_id: i64, change: impl FnOnce(&mut StoredUser) -> T) -> Option<T> {
        self.users.borrow_mut().iter_mut().find(|r| r.user.id == user_id).map(change)
    }

    fn with_order<T>(&self, order_id: i64, change: impl FnOnce(&mut OrderRow) -> T) -> Option<T> {
        self.orders.borrow_mut().iter_mut().find(|o| o.id == order_id).map(change)
    }

    fn insert_order(&self, mut row: OrderRow) -> Result<i64, StoreError> {
        let mut orders = self.orders.borrow_mut();
        if orders.iter().any(|o| o.public_id == row.public_id) {
            return Err(StoreError("D1_ERROR: UNIQUE constraint failed: orders.public_id".into()));
        }
        row.id = orders.len() as i64 + 1;
        let id = row.id;
        orders.push(row);
        Ok(id)
    }

    /// The public id of the order a Stars charge paid, if it was recorded.
    fn order_of_charge(&self, charge: &str) -> Option<String> {
        let payments = self.payments.borrow();
        let payment = payments.iter().find(|p| p.telegram_payment_charge_id.as_deref() == Some(charge))?;
        self.orders.borrow().iter().find(|o| o.id == payment.order_id).map(|o| o.public_id.clone())
    }
}

fn new_order_row(public_id: &str, user_id: i64, now: i64) -> OrderRow {
    OrderRow {
        id: 0,
        public_id: public_id.to_string(),
        user_id,
        plan_id: None,
        kind: "purchase".into(),
        provider: "stars".into(),
        amount_minor: 0,
        currency: "XTR".into(),
        days: 0,
        status: OrderStatus::Pending,
        external_id: None,
        metadata: json!({}),
        chat_id: None,
        created_at: now,
        paid_at: None,
        provisioned_at: None,
        target_expires_at: None,
        notified_at: None,
        refunded_at: None,
        revert_expires_at: None,
        reverted_at: None,
    }
}

impl PlanRow {
    /// The plan as `active_plans` reads it: prices that parse, in stored order.
    fn to_plan(&self) -> Plan {
        Plan {
            id: self.id,
            slug: self.slug.clone(),
            name: self.name.clone(),
            days: u32::try_from(self.days).unwrap_or(0),
            traffic_limit_bytes: u64::try_from(self.traffic_limit_bytes).unwrap_or(0),
            traffic_strategy: self.traffic_strategy,
            device_limit: u32::try_from(self.device_limit).unwrap_or(0),
            prices: self.prices.iter().filter_map(|(c, minor)| Money::parse(*minor, c).ok()).collect(),
        }
    }

    fn price(&self, currency: &str) -> Option<i64> {
        self.prices.iter().find(|(c, _)| c == currency).map(|(_, minor)| *minor)
    }
}

// ----------------------------------------------------------------------------- BotStore

impl BotStore for MemoryStore {
    async fn upsert_user(
        &self,
        profile: &TelegramProfile,
        fresh_code: &dyn Fn() -> ReferralCode,
        now: i64,
    ) -> Result<(BotUser, Upserted), StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        if let Some(row) = users.iter_mut().find(|r| r.user.telegram_id == profile.telegram_id) {
            row.user.first_name = profile.first_name.clone();
            row.user.language_code = profile.language_code.clone();
            row.username = profile.username.clone();
            row.last_name = profile.last_name.clone();
            row.updated_at = now;
            return Ok((row.user.clone(), Upserted::Updated));
        }
        for _ in 0..CODE_ATTEMPTS {
            let code = fresh_code();
            // `referral_code` is UNIQUE: a collision inserts nothing and we draw again.
            if users.iter().any(|r| r.user.referral_code == code) {
                continue;
            }
            let user = BotUser {
                id: users.len() as i64 + 1,
                telegram_id: profile.telegram_id,
                first_name: profile.first_name.clone(),
                locale: None,
                language_code: profile.language_code.clone(),
                referral_code: code,
                referred_by: None,
            };
            users.push(StoredUser {
                user: user.clone(),
                username: profile.username.clone(),
                last_name: profile.last_name.clone(),
                blocked: false,
                referred_at: None,
                updated_at: now,
                panel_user_id: None,
                panel_short_uuid: None,
                subscription_url: None,
                expires_at: None,
                panel_status: None,
                trial_used: false,
                provisioning_until: None,
                provisioning_token: None,
            });
            return Ok((user, Upserted::Created));
        }
        Err(StoreError("user upsert did not persist".into()))
    }

    async fn find_user(&self, telegram_id: TelegramUserId) -> Result<Option<BotUser>, StoreError> {
        self.available()?;
        Ok(self.user(telegram_id.get()).map(|r| r.user))
    }

    async fn record_referral(
        &self,
        user_id: i64,
        code: &ReferralCode,
        now: i64,
    ) -> Result<ReferralOutcome, StoreError> {
        self.available()?;
        let paid = self.payments.borrow().iter().any(|p| p.user_id == user_id && p.status == "completed");
        let mut users = self.users.borrow_mut();
        let Some(referrer) = users.iter().find(|r| r.user.referral_code == *code) else {
            return Ok(ReferralOutcome::NotEligible);
        };
        let (referrer_id, referrers_referrer) = (referrer.user.id, referrer.user.referred_by);
        let Some(row) = users.iter_mut().find(|r| r.user.id == user_id) else {
            return Ok(ReferralOutcome::NotEligible);
        };
        let eligible = referrer_id != user_id
            && row.user.referred_by.is_none()
            && !paid
            && referrers_referrer != Some(user_id);
        if !eligible {
            return Ok(ReferralOutcome::NotEligible);
        }
        row.user.referred_by = Some(referrer_id);
        row.referred_at = Some(now);
        row.updated_at = now;
        Ok(ReferralOutcome::Recorded { referrer_id })
    }

    async fn set_locale(&self, user_id: i64, locale: &str, now: i64) -> Result<(), StoreError> {
        self.available()?;
        self.with_user(user_id, |row| {
            row.user.locale = Some(locale.to_string());
            row.updated_at = now;
        });
        Ok(())
    }

    async fn count_referred(&self, user_id: i64) -> Result<i64, StoreError> {
        self.available()?;
        let users = self.users.borrow();
        Ok(users.iter().filter(|r| r.user.referred_by == Some(user_id)).count() as i64)
    }

    async fn set_blocked(
        &self,
        telegram_id: TelegramUserId,
        blocked: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        if let Some(row) = users.iter_mut().find(|r| r.user.telegram_id == telegram_id) {
            row.blocked = blocked;
            row.updated_at = now;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------- ShopStore

impl ShopStore for MemoryStore {
    async fn active_plans(&self) -> Result<Vec<Plan>, StoreError> {
        self.available()?;
        let mut plans: Vec<PlanRow> = self.plans.borrow().iter().filter(|p| p.is_active).cloned().collect();
        plans.sort_by_key(|p| (p.sort_order, p.id));
        // The JOIN on plan_prices drops plans without a (valid) price.
        Ok(plans.iter().map(PlanRow::to_plan).filter(|p| p.days > 0 && !p.prices.is_empty()).collect())
    }

    async fn create_order(&self, order: &NewOrder) -> Result<(), StoreError> {
        self.available()?;
        let row = OrderRow {
            plan_id: Some(order.plan_id),
            provider: order.provider.into(),
            amount_minor: order.price.minor(),
            currency: order.price.currency().code().into(),
            days: i64::from(order.days),
            metadata: json!({ "subscription": order.subscription }),
            chat_id: Some(order.chat_id),
            ..new_order_row(&order.public_id, order.user_id, order.now)
        };
        self.insert_order(row).map(|_| ())
    }

    async fn order(&self, public_id: &str) -> Result<Option<OrderView>, StoreError> {
        self.available()?;
        let Some(o) = self.order_row(public_id) else { return Ok(None) };
        let users = self.users.borrow();
        let Some(owner) = users.iter().find(|u| u.user.id == o.user_id) else { return Ok(None) };
        let plans = self.plans.borrow();
        let current_price =
            plans.iter().find(|p| Some(p.id) == o.plan_id && p.is_active).and_then(|p| p.price(&o.currency));
        let Ok(days) = u32::try_from(o.days) else { return Ok(None) };
        Ok(Some(OrderView {
            id: o.id,
            public_id: o.public_id,
            user_id: o.user_id,
            telegram_id: owner.user.telegram_id.get(),
            status: o.status,
            amount_minor: o.amount_minor,
            currency: o.currency,
            days,
            plan_id: o.plan_id,
            subscription: o.metadata["subscription"] == json!(true),
            current_price_minor: current_price,
        }))
    }

    async fn record_stars_payment(
        &self,
        payment: &StarsPayment,
        fresh_order_id: &str,
    ) -> Result<PaymentRecorded, StoreError> {
        self.available()?;
        let charge = payment.charge_id.as_str();
        if let Some(found) = self.order_of_charge(charge) {
            return Ok(PaymentRecorded::Duplicate { order_public_id: found });
        }
        let order = &payment.order;
        // Money for an order that is already paid buys the same plan again: a new order.
        let (order_id, public_id) = if order.status == OrderStatus::Pending {
            (order.id, order.public_id.clone())
        } else {
            let row = OrderRow {
                plan_id: order.plan_id,
                kind: if payment.is_recurring { "renewal" } else { "purchase" }.into(),
                amount_minor: order.amount_minor,
                currency: order.currency.clone(),
                days: i64::from(order.days),
                metadata: json!({ "renews": order.public_id, "subscription": order.subscription }),
                chat_id: Some(payment.chat_id),
                ..new_order_row(fresh_order_id, order.user_id, payment.now)
            };
            (self.insert_order(row)?, fresh_order_id.to_string())
        };
        let mut payments = self.payments.borrow_mut();
        let id = payments.len() as i64 + 1;
        payments.push(PaymentRow {
            id,
            order_id,
            user_id: order.user_id,
            amount_minor: payment.amount,
            currency: "XTR".into(),
            status: "completed".into(),
            telegram_payment_charge_id: Some(charge.to_string()),
            provider_payment_charge_id: Some(payment.provider_charge_id.clone()),
            is_recurring: payment.is_recurring,
            metadata: json!({ "subscription_expires_at": payment.subscription_expires_at }),
        });
        drop(payments);
        self.with_order(order_id, |o| {
            if o.status == OrderStatus::Pending {
                o.status = OrderStatus::Paid;
                o.paid_at = Some(payment.now);
                o.external_id = Some(charge.to_string());
            }
        });
        self.log("provider:stars", "payment.completed", &format!("order:{public_id}"));
        Ok(PaymentRecorded::Applied { order_public_id: public_id })
    }

    async fn record_stars_refund(&self, charge_id: &str, now: i64) -> Result<RefundRecorded, StoreError> {
        self.available()?;
        let found = {
            let payments = self.payments.borrow();
            payments
                .iter()
                .find(|p| p.telegram_payment_charge_id.as_deref() == Some(charge_id))
                .map(|p| (p.id, p.status.clone(), p.order_id))
        };
        let Some((payment_id, status, order_id)) = found else {
            return Ok(RefundRecorded::UnknownCharge);
        };
        let Some(public_id) = self.with_order(order_id, |o| o.public_id.clone()) else {
            return Ok(RefundRecorded::UnknownCharge);
        };
        if status == "refunded" {
            return Ok(RefundRecorded::Duplicate);
        }
        let mut changed = false;
        for p in self.payments.borrow_mut().iter_mut().filter(|p| p.id == payment_id) {
            if p.status == "completed" {
                p.status = "refunded".into();
                changed = true;
            }
        }
        self.with_order(order_id, |o| {
            if o.status.is_paid() {
                o.status = OrderStatus::Refunded;
                o.refunded_at = Some(now);
            }
        });
        self.log("provider:stars", "payment.refunded", &format!("order:{public_id}"));
        if !changed {
            return Ok(RefundRecorded::Duplicate);
        }
        Ok(RefundRecorded::Applied { order_public_id: public_id })
    }

    async fn fail_order(&self, order_id: i64, reason: &str, _now: i64) -> Result<(), StoreError> {
        self.available()?;
        self.with_order(order_id, |o| {
            if o.status == OrderStatus::Pending {
                o.status = OrderStatus::Failed;
                o.metadata["failure"] = json!(reason);
            }
        });
        Ok(())
    }

    async fn record_unmatched_payment(
        &self,
        charge_id: &str,
        _details: &str,
        _now: i64,
    ) -> Result<bool, StoreError> {
        self.available()?;
        let subject = format!("charge:{charge_id}");
        let first =
            !self.audit.borrow().iter().any(|a| a.action == "payment.unmatched" && a.subject == subject);
        if first {
            self.log("provider:stars", "payment.unmatched", &subject);
        }
        Ok(first)
    }

    async fn claim_trial(
        &self,
        user_id: i64,
        chat_id: i64,
        public_id: &str,
        days: u32,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.available()?;
        // One transaction: the order exists only if the flag was still clear and the user has
        // not bought anything (a purchase still being provisioned counts); the flag is set only
        // with the order.
        let fresh = self.with_user(user_id, |u| !u.trial_used).unwrap_or(false);
        let bought = self.orders.borrow().iter().any(|o| o.user_id == user_id && o.status.is_paid());
        if !fresh || bought {
            return Ok(false);
        }
        let row = OrderRow {
            kind: "trial".into(),
            provider: "trial".into(),
            days: i64::from(days),
            status: OrderStatus::Paid,
            chat_id: Some(chat_id),
            paid_at: Some(now),
            ..new_order_row(public_id, user_id, now)
        };
        self.insert_order(row)?;
        self.with_user(user_id, |u| {
            u.trial_used = true;
            u.updated_at = now;
        });
        self.log(&format!("user:{user_id}"), "trial.claimed", &format!("order:{public_id}"));
        Ok(true)
    }

    async fn subscription_summary(&self, user_id: i64) -> Result<SubscriptionSummary, StoreError> {
        self.available()?;
        let Some(user) = self.users.borrow().iter().find(|u| u.user.id == user_id).cloned() else {
            return Ok(SubscriptionSummary::default());
        };
        let orders = self.orders.borrow();
        let latest = orders
            .iter()
            .filter(|o| o.user_id == user_id && o.status == OrderStatus::Provisioned)
            .max_by_key(|o| (o.provisioned_at, o.id));
        let plans = self.plans.borrow();
        let plan_name = latest.and_then(|o| match o.kind.as_str() {
            "trial" => Some("trial".to_string()),
            _ => plans.iter().find(|p| Some(p.id) == o.plan_id).map(|p| p.slug.clone()),
        });
        let subscriptions = self.subscriptions.borrow();
        let stars = subscriptions
            .iter()
            .filter(|s| s.user_id == user_id && s.status == "active")
            .filter(|s| s.stars_subscription_charge_id.is_some())
            .max_by_key(|s| s.id)
            .and_then(|s| Some((s.stars_subscription_charge_id.clone()?, s.stars_subscription_canceled)));
        let has_purchases = orders.iter().any(|o| {
            o.user_id == user_id
                && o.kind != "trial"
                && matches!(o.status, OrderStatus::Paid | OrderStatus::Provisioned | OrderStatus::Refunded)
        });
        Ok(SubscriptionSummary {
            panel_user_id: user.panel_user_id,
            plan_name,
            expires_at: user.expires_at,
            trial_used: user.trial_used,
            stars_subscription: stars,
            has_purchases,
        })
    }

    async fn set_stars_subscription_canceled(
        &self,
        charge_id: &str,
        canceled: bool,
        _now: i64,
    ) -> Result<(), StoreError> {
        self.available()?;
        let mut subscriptions = self.subscriptions.borrow_mut();
        subscriptions
            .iter_mut()
            .filter(|s| s.stars_subscription_charge_id.as_deref() == Some(charge_id))
            .for_each(|s| s.stars_subscription_canceled = canceled);
        Ok(())
    }

    async fn update_subscription_link(
        &self,
        user_id: i64,
        short_uuid: &str,
        url: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.available()?;
        self.with_user(user_id, |u| {
            u.panel_short_uuid = Some(short_uuid.to_string());
            u.subscription_url = Some(url.to_string());
            u.updated_at = now;
        });
        self.log(&format!("user:{user_id}"), "subscription.link_revoked", &format!("user:{user_id}"));
        Ok(())
    }
}

// -------------------------------------------------------------------------- FulfilStore

impl FulfilStore for MemoryStore {
    async fn fulfil_order(&self, public_id: &str) -> Result<Option<FulfilOrder>, StoreError> {
        self.available()?;
        let Some(o) = self.order_row(public_id) else { return Ok(None) };
        let Some(u) = self.users.borrow().iter().find(|u| u.user.id == o.user_id).cloned() else {
            return Ok(None);
        };
        let trial = o.kind == "trial";
        // LEFT JOIN plans: a withdrawn plan still tells what was bought.
        let plan = match trial {
            true => None,
            false => self.plans.borrow().iter().find(|p| Some(p.id) == o.plan_id).map(|p| Limits {
                traffic_limit_bytes: u64::try_from(p.traffic_limit_bytes).unwrap_or(0),
                traffic_strategy: p.traffic_strategy,
                device_limit: u32::try_from(p.device_limit).unwrap_or(0),
            }),
        };
        Ok(Some(FulfilOrder {
            id: o.id,
            public_id: o.public_id,
            status: o.status,
            trial,
            days: u32::try_from(o.days).map_err(|e| StoreError(e.to_string()))?,
            amount_minor: o.amount_minor,
            currency: o.currency,
            chat_id: o.chat_id,
            target_expires_at: o.target_expires_at,
            provisioned_at: o.provisioned_at,
            notified_at: o.notified_at,
            revert_expires_at: o.revert_expires_at,
            reverted_at: o.reverted_at,
            user: FulfilUser {
                id: u.user.id,
                telegram_id: u.user.telegram_id.get(),
                locale: u.user.locale,
                language_code: u.user.language_code,
                panel_user_id: u.panel_user_id,
            },
            plan,
        }))
    }

    async fn take_lease(&self, user_id: i64, token: &str, now: i64, until: i64) -> Result<Lease, StoreError> {
        self.available()?;
        let taken = self.with_user(user_id, |u| match u.provisioning_until {
            Some(held) if held >= now => Lease::HeldUntil(held),
            _ => {
                u.provisioning_until = Some(until);
                u.provisioning_token = Some(token.to_string());
                Lease::Taken
            }
        });
        Ok(taken.unwrap_or(Lease::HeldUntil(now)))
    }

    async fn release_lease(&self, user_id: i64, token: &str) -> Result<(), StoreError> {
        self.available()?;
        self.with_user(user_id, |u| {
            if u.provisioning_token.as_deref() == Some(token) {
                u.provisioning_until = None;
                u.provisioning_token = None;
            }
        });
        Ok(())
    }

    async fn in_flight(&self, user_id: i64, order_id: i64) -> Result<InFlight, StoreError> {
        self.available()?;
        let orders = self.orders.borrow();
        let others = || orders.iter().filter(|o| o.user_id == user_id && o.id != order_id);
        Ok(InFlight {
            targets: others().any(|o| {
                o.status == OrderStatus::Paid && o.target_expires_at.is_some() && o.provisioned_at.is_none()
            }),
            reverts: others().any(|o| {
                o.status == OrderStatus::Refunded && o.revert_expires_at.is_some() && o.reverted_at.is_none()
            }),
        })
    }

    async fn record_panel_user(&self, user_id: i64, panel: &PanelRecord, now: i64) -> Result<(), StoreError> {
        self.available()?;
        self.with_user(user_id, |u| {
            u.panel_user_id = Some(panel.panel_user_id);
            u.panel_short_uuid = Some(panel.short_uuid.clone());
            u.subscription_url = Some(panel.subscription_url.clone());
            u.expires_at = Some(panel.expires_at);
            u.panel_status = Some(panel.status.to_string());
            u.updated_at = now;
        });
        Ok(())
    }

    async fn assign_target(&self, order_id: i64, now: i64) -> Result<i64, StoreError> {
        self.available()?;
        let order = self.orders.borrow().iter().find(|o| o.id == order_id).cloned();
        let Some(order) = order else { return Err(StoreError("target expiry not assigned".into())) };
        if let Some(target) = order.target_expires_at {
            return Ok(target);
        }
        // Stack on the later of now, the user's current expiry, and any paid order in flight.
        let expires = self.with_user(order.user_id, |u| u.expires_at).flatten().unwrap_or(0);
        let in_flight = self
            .orders
            .borrow()
            .iter()
            .filter(|o| o.user_id == order.user_id && o.status == OrderStatus::Paid && o.id != order.id)
            .filter_map(|o| o.target_expires_at)
            .max()
            .unwrap_or(0);
        let target = now.max(expires).max(in_flight) + order.days * DAY;
        self.with_order(order_id, |o| o.target_expires_at = Some(target));
        Ok(target)
    }

    async fn mark_provisioned(&self, order: &FulfilOrder, target: i64, now: i64) -> Result<(), StoreError> {
        self.available()?;
        let Some(row) = self.with_order(order.id, |o| {
            if o.status == OrderStatus::Paid {
                o.status = OrderStatus::Provisioned;
            }
            o.provisioned_at = o.provisioned_at.or(Some(now));
            o.clone()
        }) else {
            return Ok(());
        };
        // A Stars subscription is named by its first charge: the one that paid the order the
        // renewals' payload names (`renews`), or this order's own.
        let recurring = self.payments.borrow().iter().any(|p| p.order_id == row.id && p.is_recurring);
        let named =
            row.metadata["renews"].as_str().map(str::to_string).unwrap_or_else(|| row.public_id.clone());
        let named_id = self.orders.borrow().iter().find(|o| o.public_id == named).map(|o| o.id);
        let charge = if recurring {
            let payments = self.payments.borrow();
            let mut first: Vec<_> =
                payments.iter().filter(|p| Some(p.order_id) == named_id && p.is_recurring).collect();
            first.sort_by_key(|p| p.id);
            first.first().and_then(|p| p.telegram_payment_charge_id.clone())
        } else {
            None
        };
        let canceled = charge.as_ref().is_some_and(|c| {
            self.subscriptions
                .borrow()
                .iter()
                .rev()
                .find(|s| s.stars_subscription_charge_id.as_ref() == Some(c))
                .is_some_and(|s| s.stars_subscription_canceled)
        });
        let mut subscriptions = self.subscriptions.borrow_mut();
        // ON CONFLICT (order_id) DO NOTHING: one period per order, ever.
        if !subscriptions.iter().any(|s| s.order_id == row.id) {
            let id = subscriptions.len() as i64 + 1;
            subscriptions.push(SubscriptionRow {
                id,
                user_id: row.user_id,
                plan_id: row.plan_id,
                order_id: row.id,
                source: match row.kind.as_str() {
                    "trial" => "trial",
                    "renewal" => "renewal",
                    _ => "purchase",
                }
                .into(),
                days: row.days,
                starts_at: target - row.days * DAY,
                expires_at: target,
                status: "active".into(),
                stars_subscription_charge_id: charge,
                stars_subscription_canceled: canceled,
            });
        }
        drop(subscriptions);
        self.log("system", "order.provisioned", &format!("order:{}", order.public_id));
        Ok(())
    }

    async fn mark_notified(&self, order_id: i64, now: i64) -> Result<(), StoreError> {
        self.available()?;
        self.with_order(order_id, |o| o.notified_at = o.notified_at.or(Some(now)));
        Ok(())
    }

    async fn assign_revert(&self, order_id: i64, revert_expires_at: i64) -> Result<i64, StoreError> {
        self.available()?;
        self.with_order(order_id, |o| *o.revert_expires_at.get_or_insert(revert_expires_at))
            .ok_or_else(|| StoreError("refund expiry not assigned".into()))
    }

    async fn mark_reverted(&self, order: &FulfilOrder, now: i64) -> Result<(), StoreError> {
        self.available()?;
        self.with_order(order.id, |o| o.reverted_at = o.reverted_at.or(Some(now)));
        let mut subscriptions = self.subscriptions.borrow_mut();
        subscriptions
            .iter_mut()
            .filter(|s| s.order_id == order.id)
            .for_each(|s| s.status = "refunded".into());
        drop(subscriptions);
        self.log("system", "order.reverted", &format!("order:{}", order.public_id));
        Ok(())
    }

    async fn set_blocked_by_telegram_id(&self, telegram_id: i64, now: i64) -> Result<(), StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        if let Some(row) = users.iter_mut().find(|r| r.user.telegram_id.get() == telegram_id) {
            row.blocked = true;
            row.updated_at = now;
        }
        Ok(())
    }
}
