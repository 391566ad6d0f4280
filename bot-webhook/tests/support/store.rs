//! The database for the bot's tests: the shop's real SQL (`wavegate_shared::shop::sql`) on
//! SQLite with the real `d1-migrations/` applied, so these tests exercise the statements that
//! production runs on D1. Rows are read back with plain SQL for assertions, the way the
//! end-to-end suite reads D1.

use futures::executor::block_on;
use serde_json::Value;
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::db::{Arg, Row};
use wavegate_shared::domain::{ReferralCode, TelegramUserId};
use wavegate_shared::shop::sql::SqlStore;
use wavegate_shared::shop::store::{BotUser, StoredDialog, TelegramProfile, UserStore};
use wavegate_shared::subscription::OrderStatus;

use super::NOW;

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
    pub taken_back_seconds: Option<i64>,
    pub notice_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRow {
    pub id: i64,
    pub order_id: i64,
    pub user_id: i64,
    pub provider: String,
    pub amount_minor: i64,
    pub currency: String,
    /// `completed` or `refunded`.
    pub status: String,
    pub idempotency_key: String,
    /// The provider's id for the money (Stars: the Telegram charge id).
    pub external_id: Option<String>,
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
    pub details: Value,
}

/// The shop's stores on a fresh, migrated SQLite database.
pub struct TestStore {
    pub sql: SqlStore<SqliteDb>,
}

impl Default for TestStore {
    fn default() -> Self {
        Self { sql: SqlStore::new(SqliteDb::migrated()) }
    }
}

fn int(row: &Row, col: &str) -> Option<i64> {
    row.get(col).and_then(Value::as_i64)
}

fn text(row: &Row, col: &str) -> Option<String> {
    row.get(col).and_then(Value::as_str).map(str::to_string)
}

fn json(row: &Row, col: &str) -> Value {
    text(row, col).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

fn req(row: &Row, col: &str) -> i64 {
    int(row, col).unwrap_or_else(|| panic!("column {col} is null in {row:?}"))
}

impl TestStore {
    pub fn db(&self) -> &SqliteDb {
        &self.sql.db
    }

    /// Rows of a query, for assertions the helpers below do not cover.
    pub fn rows(&self, sql: &str, args: &[Arg]) -> Vec<Row> {
        self.db().rows(sql, args)
    }

    /// A write, for arranging state the bot cannot reach (an admin's edit, a crash's leftovers).
    pub fn exec(&self, sql: &str, args: &[Arg]) -> usize {
        self.db().exec(sql, args)
    }

    pub fn user(&self, telegram_id: i64) -> Option<StoredUser> {
        let rows = self.rows("SELECT * FROM users WHERE telegram_id = ?1", &[Arg::Int(telegram_id)]);
        rows.first().map(|r| StoredUser {
            user: BotUser {
                id: req(r, "id"),
                telegram_id: TelegramUserId::parse(req(r, "telegram_id")).expect("a stored telegram id"),
                first_name: text(r, "first_name").unwrap_or_default(),
                locale: text(r, "locale"),
                language_code: text(r, "language_code"),
                referral_code: ReferralCode::parse(&text(r, "referral_code").unwrap_or_default())
                    .expect("a stored code"),
                referred_by: int(r, "referred_by"),
                dialog: text(r, "dialog")
                    .zip(int(r, "dialog_expires_at"))
                    .map(|(state, expires_at)| StoredDialog { state, expires_at }),
            },
            username: text(r, "username"),
            last_name: text(r, "last_name"),
            blocked: int(r, "is_blocked") == Some(1),
            referred_at: int(r, "referred_at"),
            updated_at: req(r, "updated_at"),
            panel_user_id: int(r, "panel_user_id"),
            panel_short_uuid: text(r, "panel_short_uuid"),
            subscription_url: text(r, "subscription_url"),
            expires_at: int(r, "expires_at"),
            panel_status: text(r, "panel_status"),
            trial_used: int(r, "trial_used") == Some(1),
            provisioning_until: int(r, "provisioning_until"),
            provisioning_token: text(r, "provisioning_token"),
        })
    }

    pub fn count(&self) -> usize {
        self.rows("SELECT id FROM users", &[]).len()
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
        block_on(self.sql.upsert_user(&profile, &|| code.clone(), NOW)).expect("seeding a user").user
    }

    /// The user has completed a payment (an order and its `completed` payment row).
    pub fn mark_paid(&self, user_id: i64) {
        let public_id = format!("seed{user_id:012}");
        self.exec(
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                 created_at, updated_at, paid_at)
             VALUES (?1, ?2, 1, 'purchase', 'stars', 100, 'XTR', 30, 'paid', ?3, ?3, ?3)",
            &[Arg::Text(public_id.clone()), Arg::Int(user_id), Arg::Int(NOW)],
        );
        self.exec(
            "INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, status, idempotency_key,
                 created_at, updated_at)
             SELECT id, user_id, 'stars', 100, 'XTR', 'completed', 'stars:seed-' || public_id, ?2, ?2
             FROM orders WHERE public_id = ?1",
            &[Arg::Text(public_id), Arg::Int(NOW)],
        );
    }

    /// Every later call fails, as when D1 is unavailable.
    pub fn go_down(&self) {
        self.db().set_down(true);
    }

    pub fn come_back(&self) {
        self.db().set_down(false);
    }

    pub fn order_row(&self, public_id: &str) -> Option<OrderRow> {
        self.orders().into_iter().find(|o| o.public_id == public_id)
    }

    /// Every order except the rows `mark_paid` seeds.
    pub fn orders(&self) -> Vec<OrderRow> {
        self.rows("SELECT * FROM orders WHERE public_id NOT LIKE 'seed%' ORDER BY id", &[])
            .iter()
            .map(|r| OrderRow {
                id: req(r, "id"),
                public_id: text(r, "public_id").unwrap_or_default(),
                user_id: req(r, "user_id"),
                plan_id: int(r, "plan_id"),
                kind: text(r, "kind").unwrap_or_default(),
                provider: text(r, "provider").unwrap_or_default(),
                amount_minor: req(r, "amount_minor"),
                currency: text(r, "currency").unwrap_or_default(),
                days: req(r, "days"),
                status: OrderStatus::parse(&text(r, "status").unwrap_or_default()).expect("a stored status"),
                external_id: text(r, "external_id"),
                metadata: json(r, "metadata"),
                chat_id: int(r, "chat_id"),
                created_at: req(r, "created_at"),
                paid_at: int(r, "paid_at"),
                provisioned_at: int(r, "provisioned_at"),
                target_expires_at: int(r, "target_expires_at"),
                notified_at: int(r, "notified_at"),
                refunded_at: int(r, "refunded_at"),
                revert_expires_at: int(r, "revert_expires_at"),
                reverted_at: int(r, "reverted_at"),
                taken_back_seconds: int(r, "taken_back_seconds"),
                notice_error: text(r, "notice_error"),
            })
            .collect()
    }

    pub fn payments(&self) -> Vec<PaymentRow> {
        self.rows("SELECT * FROM payments WHERE idempotency_key NOT LIKE 'stars:seed-%' ORDER BY id", &[])
            .iter()
            .map(|r| PaymentRow {
                id: req(r, "id"),
                order_id: req(r, "order_id"),
                user_id: req(r, "user_id"),
                provider: text(r, "provider").unwrap_or_default(),
                amount_minor: req(r, "amount_minor"),
                currency: text(r, "currency").unwrap_or_default(),
                status: text(r, "status").unwrap_or_default(),
                idempotency_key: text(r, "idempotency_key").unwrap_or_default(),
                external_id: text(r, "external_id"),
                provider_payment_charge_id: text(r, "provider_payment_charge_id"),
                is_recurring: int(r, "is_recurring") == Some(1),
                metadata: json(r, "metadata"),
            })
            .collect()
    }

    pub fn subscriptions(&self) -> Vec<SubscriptionRow> {
        self.rows("SELECT * FROM subscriptions ORDER BY id", &[])
            .iter()
            .map(|r| SubscriptionRow {
                id: req(r, "id"),
                user_id: req(r, "user_id"),
                plan_id: int(r, "plan_id"),
                order_id: req(r, "order_id"),
                source: text(r, "source").unwrap_or_default(),
                days: req(r, "days"),
                starts_at: req(r, "starts_at"),
                expires_at: req(r, "expires_at"),
                status: text(r, "status").unwrap_or_default(),
                stars_subscription_charge_id: text(r, "stars_subscription_charge_id"),
                stars_subscription_canceled: int(r, "stars_subscription_canceled") == Some(1),
            })
            .collect()
    }

    pub fn audit(&self) -> Vec<AuditRow> {
        self.rows("SELECT * FROM audit_log ORDER BY id", &[])
            .iter()
            .map(|r| AuditRow {
                actor: text(r, "actor").unwrap_or_default(),
                action: text(r, "action").unwrap_or_default(),
                subject: text(r, "subject").unwrap_or_default(),
                details: json(r, "details"),
            })
            .collect()
    }

    /// The admin changes a price (`UPDATE plan_prices`, or a new currency).
    pub fn set_price(&self, slug: &str, currency: &str, amount_minor: i64) {
        self.exec(
            "INSERT INTO plan_prices (plan_id, currency, amount_minor) SELECT id, ?2, ?3 FROM plans WHERE slug = ?1
             ON CONFLICT (plan_id, currency) DO UPDATE SET amount_minor = excluded.amount_minor",
            &[Arg::Text(slug.into()), Arg::Text(currency.into()), Arg::Int(amount_minor)],
        );
    }

    /// The admin takes a plan off sale (`is_active = 0`).
    pub fn withdraw_plan(&self, slug: &str) {
        self.exec("UPDATE plans SET is_active = 0 WHERE slug = ?1", &[Arg::Text(slug.into())]);
    }

    /// The admin renames a plan.
    pub fn rename_plan(&self, slug: &str, name: &str) {
        self.exec(
            "UPDATE plans SET name = ?2 WHERE slug = ?1",
            &[Arg::Text(slug.into()), Arg::Text(name.into())],
        );
    }
}
