//! What the shop needs from storage: users, plans and orders, money, fulfilment bookkeeping.
//! Implemented once, in SQL over [`crate::db::Db`] ([`super::sql`]): D1 in the Worker, SQLite
//! in the native tests. Rules that protect money are enforced by the SQL atomically (guarded
//! `UPDATE`s, one batch per money change), never by read-then-write in the callers.

use crate::db::DbError;
use crate::domain::{ReferralCode, TelegramUserId};
use crate::i18n::Locale;
use crate::remnawave::PanelUser;

use super::account::{Standing, SubscriptionSummary};
use super::catalog::{Plan, Provider};
use super::fulfil::{FulfilOrder, InFlight, Lease, PanelRecord};
use super::gift::GiftStore;
use super::order::{NewOrder, OrderView};
use super::payment::{PaymentRecord, PaymentRecorded, RefundRecord, RefundRecorded, Unmatched};
use super::stars::RenewalChange;

/// Why storage failed. The split decides what callers do: retry an unavailable store (the
/// webhook answers 503, the job retries); record and alert an invalid one (it fails the same
/// way forever). Both keep the whole cause.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("storage refused: {0}")]
    Invalid(String),
}

impl StoreError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }

    /// A row that does not have the shape the code expects (a bug or a hand edit): final.
    pub fn invalid(what: impl std::fmt::Display) -> StoreError {
        StoreError::Invalid(what.to_string())
    }
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(m) => StoreError::Unavailable(m),
            DbError::Invalid(m) => StoreError::Invalid(m),
        }
    }
}

/// A customer as the shop sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct BotUser {
    pub id: i64,
    pub telegram_id: TelegramUserId,
    pub first_name: String,
    /// The language the user chose, if any.
    pub locale: Option<String>,
    /// Telegram's `language_code` as of the user's latest `/start` (refreshing it on every
    /// update would cost a D1 write per button press).
    pub language_code: Option<String>,
    pub referral_code: ReferralCode,
    pub referred_by: Option<i64>,
    /// The multi-step flow the user is in, if it has not expired (see [`StoredDialog`]).
    pub dialog: Option<StoredDialog>,
}

impl BotUser {
    /// The language to speak to them in: their choice, else Telegram's, else English.
    pub fn language(&self) -> Locale {
        Locale::resolve(self.locale.as_deref(), self.language_code.as_deref())
    }
}

/// A bot flow waiting for the user's next message: an opaque state the UI encodes, and when
/// the wait ends. Stored on the user's row, so it comes with every user read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDialog {
    pub state: String,
    pub expires_at: i64,
}

impl StoredDialog {
    /// The state, while it is still waiting at `now`.
    pub fn active(&self, now: i64) -> Option<&str> {
        (self.expires_at > now).then_some(self.state.as_str())
    }
}

/// Profile fields Telegram sends with every update.
#[derive(Debug, Clone, PartialEq)]
pub struct TelegramProfile {
    pub telegram_id: TelegramUserId,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub language_code: Option<String>,
}

/// The user after an upsert, whether it made them, and their standing (for the trial offer).
#[derive(Debug, Clone, PartialEq)]
pub struct Upsert {
    pub user: BotUser,
    pub upserted: Upserted,
    pub standing: Standing,
}

/// Whether an upsert made the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
}

/// The result of following an invite link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralOutcome {
    Recorded {
        referrer_id: i64,
    },
    /// Unknown code, one's own code, already referred, already paying, or a referral cycle.
    NotEligible,
}

#[allow(async_fn_in_trait)]
pub trait UserStore {
    /// Creates the user (with a code from `fresh_code`) or refreshes their profile. A code may
    /// collide with an existing one: implementations draw again.
    async fn upsert_user(
        &self,
        profile: &TelegramProfile,
        fresh_code: &dyn Fn() -> ReferralCode,
        now: i64,
    ) -> Result<Upsert, StoreError>;

    async fn find_user(&self, telegram_id: TelegramUserId) -> Result<Option<BotUser>, StoreError>;

    /// Records `code`'s owner as the user's referrer, once: never to oneself, never over an
    /// existing referrer, never for a user who has already paid, never in a cycle.
    async fn record_referral(
        &self,
        user_id: i64,
        code: &ReferralCode,
        now: i64,
    ) -> Result<ReferralOutcome, StoreError>;

    async fn set_locale(&self, user_id: i64, locale: &str, now: i64) -> Result<(), StoreError>;

    /// Starts (or replaces) the user's dialog; `None` ends it.
    async fn set_dialog(&self, user_id: i64, dialog: Option<&StoredDialog>) -> Result<(), StoreError>;

    /// How many users this user has invited.
    async fn count_referred(&self, user_id: i64) -> Result<i64, StoreError>;

    /// The user blocked (or unblocked) the bot; reminders skip blocked users.
    async fn set_blocked(
        &self,
        telegram_id: TelegramUserId,
        blocked: bool,
        now: i64,
    ) -> Result<(), StoreError>;
}

/// A payment D1 has, as a ledger reconciliation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPayment {
    pub key: String,
    /// The payment is recorded.
    pub paid: bool,
    /// Its refund is recorded, or kept for a payment still to come.
    pub refunded: bool,
}

/// How far a reconciliation has read a provider's ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerCursor {
    pub position: u64,
    pub caught_up_at: Option<i64>,
}

#[allow(async_fn_in_trait)]
pub trait ShopStore {
    async fn active_plans(&self) -> Result<Vec<Plan>, StoreError>;
    async fn create_order(&self, order: &NewOrder) -> Result<(), StoreError>;
    async fn order(&self, public_id: &str) -> Result<Option<OrderView>, StoreError>;
    /// The order paid through the provider's object `external_id` (link, request, invoice).
    async fn order_by_external(
        &self,
        provider: Provider,
        external_id: &str,
    ) -> Result<Option<OrderView>, StoreError>;
    /// Names the provider object a pending order is paid through, and when it stops waiting;
    /// `false` if the order is no longer pending or already has one.
    async fn attach_external(
        &self,
        public_id: &str,
        external_id: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// How many provider checkouts the user opened since `since` (a bound on how fast one
    /// customer can make the shop create payment links, QR codes and invoices).
    async fn recent_checkouts(&self, user_id: i64, since: i64) -> Result<u32, StoreError>;
    /// A pending order that will never be paid (its checkout failed): cancelled; `false` if it
    /// was no longer pending.
    async fn cancel_order(&self, public_id: &str, now: i64) -> Result<bool, StoreError>;
    /// Provider checkouts whose wait ended between `since` and `until` (their object can no
    /// longer be paid) and that have no payment: `(provider, order public id, object id)`, at
    /// most `limit`. The reconciliation asks the provider about each once or twice.
    async fn closed_checkouts(
        &self,
        since: i64,
        until: i64,
        limit: u32,
    ) -> Result<Vec<(Provider, String, String)>, StoreError>;
    /// The provider's payment id recorded for a payment to `object_id` (a link, a payment
    /// request, an invoice), if any.
    async fn payment_of_object(
        &self,
        provider: Provider,
        object_id: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Mirrors what the panel says of a user (its webhook): expiry, status, link, traffic, as
    /// of `seen_at` (the event's time); `false` if no customer has that panel user, a
    /// provisioning holds the user, or the mirror is already newer. A deleted panel user is
    /// marked `DELETED`.
    async fn sync_panel_user(
        &self,
        user: &PanelUser,
        deleted: bool,
        seen_at: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// The customer a panel user belongs to, unless they blocked the bot: `(user id, telegram id)`.
    async fn customer_of_panel_user(&self, panel_user_id: i64) -> Result<Option<(i64, i64)>, StoreError>;
    /// Cancels pending orders whose provider object expired; returns how many.
    async fn close_expired_orders(&self, now: i64) -> Result<u64, StoreError>;
    /// Records a payment once per idempotency key and marks its order paid, atomically.
    async fn record_payment(
        &self,
        payment: &PaymentRecord,
        fresh_order_id: &str,
    ) -> Result<PaymentRecorded, StoreError>;
    /// Marks a payment (by idempotency key) and its order refunded, once; a refund for a key
    /// not seen yet is kept for when its payment arrives.
    async fn record_refund(&self, refund: &RefundRecord) -> Result<RefundRecorded, StoreError>;
    /// Rewards the referrer of the payer of the completed payment `payment_key`, once: the
    /// first-payment days, and each milestone the referrer's paying referrals reached, each a
    /// free bonus order (one batch). Returns the public ids of this payment's bonus orders still
    /// to provision (also on a repeat, which creates nothing).
    async fn grant_referral_rewards(&self, payment_key: &str, now: i64) -> Result<Vec<String>, StoreError>;
    /// Reverses the rewards the payment of the refunded order `order_public_id` earned: they
    /// no longer count (a milestone can be reached again) and their bonus orders are refunded.
    /// Returns the bonus orders whose days must be taken back.
    async fn reverse_referral_rewards(
        &self,
        order_public_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError>;
    /// Refunded orders whose rewards still count, and referred users' first payment keys with no
    /// reward (each step failed after its money was recorded), recent ones: at most `limit` each.
    async fn unsettled_referral_rewards(
        &self,
        since: i64,
        limit: u32,
    ) -> Result<(Vec<String>, Vec<String>), StoreError>;
    /// Bonus orders of the customer of `order_public_id` that waited for a first subscription.
    async fn waiting_rewards(&self, order_public_id: &str) -> Result<Vec<String>, StoreError>;
    /// An audit row for money a channel reported but could not turn into an event (unreadable,
    /// no payer, an unknown currency): what the admins need to settle it by hand.
    async fn record_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        details: serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Records money that matches no order — the audit row, and the named order failed — once
    /// per idempotency key, atomically; `false` if this key was reported before.
    async fn record_unmatched(&self, unmatched: &Unmatched) -> Result<bool, StoreError>;
    /// Forgets an unmatched report whose alert could not be queued, so a redelivery reports it.
    async fn release_unmatched(&self, key: &str) -> Result<(), StoreError>;
    /// Claims the right to send the admin alert `name` (once ever); `false` if claimed before.
    async fn claim_alert(&self, name: &str, now: i64) -> Result<bool, StoreError>;
    /// Gives a claimed alert back after it could not be queued.
    async fn release_alert(&self, name: &str) -> Result<(), StoreError>;
    /// Takes the user's one trial and creates its (already paid) order; `false` if taken.
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
    /// Applies Telegram's word on the renewal of the Stars subscription that order
    /// `order_public_id` started, if that order is `telegram_id`'s; `false` if none matched.
    async fn set_stars_renewal(
        &self,
        order_public_id: &str,
        telegram_id: i64,
        change: RenewalChange,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Which of these idempotency keys have a payment, and whether it is refunded (or its
    /// refund is kept for it): what a ledger reconciliation may skip.
    async fn known_payments(&self, keys: &[String]) -> Result<Vec<KnownPayment>, StoreError>;
    async fn ledger_cursor(&self, name: &str) -> Result<LedgerCursor, StoreError>;
    /// `caught_up_at`: set when the run read to the end of the ledger.
    async fn save_ledger_cursor(
        &self,
        name: &str,
        position: u64,
        caught_up_at: Option<i64>,
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

#[allow(async_fn_in_trait)]
pub trait FulfilStore: GiftStore {
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
    /// Marks the order provisioned and records its period; `false` if the order stopped being
    /// paid meanwhile (a refund raced the provisioning).
    async fn mark_provisioned(&self, order: &FulfilOrder, target: i64, now: i64) -> Result<bool, StoreError>;
    async fn mark_notified(&self, order_id: i64, now: i64) -> Result<(), StoreError>;
    /// The customer cannot be told, for good (Telegram refused the notice): stop trying.
    async fn mark_notice_refused(&self, order_id: i64, reason: &str, now: i64) -> Result<(), StoreError>;
    /// Stores what a refund takes back — the expiry after it (0 = nothing left) and the
    /// seconds of the order's own period it removed — once; returns the stored pair.
    async fn assign_revert(
        &self,
        order_id: i64,
        revert_expires_at: i64,
        taken_seconds: i64,
    ) -> Result<(i64, i64), StoreError>;
    /// Marks the refund applied; the user's later periods move earlier by the seconds taken.
    async fn mark_reverted(
        &self,
        order: &FulfilOrder,
        taken_seconds: i64,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn set_blocked_by_telegram_id(&self, telegram_id: i64, now: i64) -> Result<(), StoreError>;
}
