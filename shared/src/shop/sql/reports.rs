//! The operator console's reads in SQL: KPIs, chart series, the user and payment lists, one
//! customer's file. Each answer is JSON as `docs/API.md` ("The admin API") shows it, built from
//! rows, so the console's shapes live in one place next to the SQL that fills them.
//!
//! Lists are keyset-paginated (`cursor` = the last row's sort key), never `OFFSET`: page 200
//! costs what page 1 costs. Sort orders and filters pick among fixed statements; nothing a
//! caller sends becomes SQL text.

use serde_json::{json, Map, Value};

use crate::db::{Db, Row};
use crate::shop::console::{Journal, PlanEdit, RUNNING_SECONDS};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

pub const DAY: i64 = 86_400;
/// The longest chart window.
pub const MAX_SERIES_DAYS: i64 = 366;
/// Rows in one page of a list.
pub const MAX_PAGE: u32 = 200;

/// How the users list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    /// Newest sign-up first.
    Newest,
    /// Oldest sign-up first.
    Oldest,
    /// Soonest expiry first (no subscription last).
    ExpiresSoon,
    /// Latest expiry first.
    ExpiresLate,
}

impl UserSort {
    pub fn parse(code: &str) -> Option<UserSort> {
        match code {
            "newest" => Some(UserSort::Newest),
            "oldest" => Some(UserSort::Oldest),
            "expires" => Some(UserSort::ExpiresSoon),
            "-expires" => Some(UserSort::ExpiresLate),
            _ => None,
        }
    }
}

/// Filters of the payments list and its CSV export (each `None` = any).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PaymentFilter {
    pub provider: Option<String>,
    pub status: Option<String>,
    pub currency: Option<String>,
    /// From this time (inclusive) …
    pub from: Option<i64>,
    /// … to this one (exclusive), unix seconds.
    pub to: Option<i64>,
}

fn rows(rows: Vec<Row>) -> Value {
    Value::Array(rows.into_iter().map(Value::Object).collect())
}

fn int(row: &Row, key: &str) -> i64 {
    row.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// The user columns every list and file shows.
macro_rules! user_columns {
    () => {
        "u.telegram_id, u.username, u.first_name, u.last_name, u.created_at, u.expires_at, u.panel_status,
         u.panel_short_uuid, u.locale, u.is_blocked,
         (SELECT count(*) FROM payments p WHERE p.user_id = u.id AND p.status = 'completed') AS payments,
         (SELECT CASE WHEN o.kind IN ('trial', 'bonus') THEN o.kind ELSE pl.slug END FROM orders o
            LEFT JOIN plans pl ON pl.id = o.plan_id
           WHERE o.user_id = u.id AND o.status = 'provisioned' ORDER BY o.provisioned_at DESC, o.id DESC LIMIT 1) AS plan"
    };
}

/// The search condition: `?1` the text as typed (NULL for everyone), `?2` it as a number (the
/// Telegram id), `?3` a LIKE pattern for a username prefix, `?4` one for a name substring.
macro_rules! user_search {
    () => {
        "(?1 IS NULL OR u.telegram_id = ?2 OR u.username LIKE ?3 ESCAPE '\\' OR u.first_name LIKE ?4 ESCAPE '\\'
          OR u.last_name LIKE ?4 ESCAPE '\\' OR u.panel_short_uuid = ?1)"
    };
}

/// `text` with LIKE's wildcards escaped.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

impl<D: Db> SqlStore<D> {
    /// The console's KPIs (the panel's live numbers are added by the caller).
    pub async fn console_stats(&self, now: i64) -> Result<Value, StoreError> {
        let today = now - now.rem_euclid(DAY);
        let counts = stmt!(
            "SELECT
              (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE created_at >= ?1) AS new_today,
              (SELECT count(*) FROM users WHERE created_at >= ?2) AS new_7d,
              (SELECT count(*) FROM users WHERE created_at >= ?3) AS new_30d,
              (SELECT count(*) FROM orders WHERE kind = 'trial') AS trials,
              (SELECT count(*) FROM orders WHERE kind = 'trial' AND created_at >= ?3) AS trials_30d,
              (SELECT count(DISTINCT user_id) FROM orders WHERE kind = 'trial') AS trial_users,
              (SELECT count(DISTINCT t.user_id) FROM orders t JOIN payments p ON p.user_id = t.user_id
                 AND p.status = 'completed' AND p.created_at >= t.created_at WHERE t.kind = 'trial') AS trial_then_paid,
              (SELECT count(DISTINCT user_id) FROM payments WHERE status = 'completed') AS paying_users,
              (SELECT count(DISTINCT p.user_id) FROM payments p JOIN users u ON u.id = p.user_id
                 WHERE p.status = 'completed' AND u.referred_by IS NOT NULL) AS paying_referred",
            today,
            now - 7 * DAY,
            now - 30 * DAY
        );
        let active = stmt!(
            "SELECT COALESCE(CASE WHEN o.kind = 'trial' THEN 'trial' ELSE p.slug END, '?') AS plan,
                    o.provider AS channel, count(*) AS n
             FROM users u
             JOIN orders o ON o.id = (SELECT id FROM orders WHERE user_id = u.id AND status = 'provisioned'
                                       AND kind <> 'bonus' ORDER BY provisioned_at DESC, id DESC LIMIT 1)
             LEFT JOIN plans p ON p.id = o.plan_id
             WHERE u.expires_at > ?1 AND COALESCE(u.panel_status, '') NOT IN ('DISABLED', 'DELETED')
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
            now
        );
        let revenue = stmt!(
            "SELECT currency, sum(CASE WHEN created_at >= ?1 THEN amount_minor ELSE 0 END) AS today,
                    sum(CASE WHEN created_at >= ?2 THEN amount_minor ELSE 0 END) AS d7,
                    sum(amount_minor) AS d30
             FROM payments WHERE status = 'completed' AND created_at >= ?3
             GROUP BY currency ORDER BY currency",
            today,
            now - 7 * DAY,
            now - 30 * DAY
        );
        let (counts, active, revenue) =
            futures_util::future::join3(self.db.first(&counts), self.db.all(&active), self.db.all(&revenue))
                .await;
        let counts = counts?.ok_or_else(|| StoreError::invalid("stats: no row"))?;
        let active = active?;
        let total: i64 = active.iter().map(|r| int(r, "n")).sum();
        let ratio = |part: i64, whole: i64| if whole > 0 { part as f64 / whole as f64 } else { 0.0 };
        Ok(json!({
            "users": { "total": int(&counts, "users"), "today": int(&counts, "new_today"),
                       "d7": int(&counts, "new_7d"), "d30": int(&counts, "new_30d") },
            "active": { "total": total, "by_plan_channel": rows(active) },
            "revenue": rows(revenue?),
            "trials": { "total": int(&counts, "trials"), "d30": int(&counts, "trials_30d"),
                        "users": int(&counts, "trial_users"), "then_paid": int(&counts, "trial_then_paid"),
                        "conversion": ratio(int(&counts, "trial_then_paid"), int(&counts, "trial_users")) },
            "referrals": { "paying_users": int(&counts, "paying_users"),
                           "referred": int(&counts, "paying_referred"),
                           "share": ratio(int(&counts, "paying_referred"), int(&counts, "paying_users")) },
        }))
    }

    /// Chart series over the `days` days up to today (UTC): revenue per day per currency, new
    /// paying users per day, active subscriptions at the end of each day, and the plan mix of
    /// the window's payments. Days without data are absent; the console fills zeros.
    pub async fn console_series(&self, days: i64, now: i64) -> Result<Value, StoreError> {
        let days = days.clamp(1, MAX_SERIES_DAYS);
        let today = now - now.rem_euclid(DAY);
        let start = today - (days - 1) * DAY;
        let revenue = stmt!(
            "SELECT created_at - created_at % 86400 AS day, currency, sum(amount_minor) AS amount
             FROM payments WHERE status = 'completed' AND created_at >= ?1
             GROUP BY 1, 2 ORDER BY 1, 2",
            start
        );
        let new_paying = stmt!(
            "SELECT first - first % 86400 AS day, count(*) AS n
             FROM (SELECT min(created_at) AS first FROM payments WHERE status = 'completed' GROUP BY user_id)
             WHERE first >= ?1 GROUP BY 1 ORDER BY 1",
            start
        );
        // Customers with a subscription at each day's end. A customer's periods never overlap
        // (each is stacked on the previous expiry: shop/sql/fulfil.rs), so counting the periods
        // that cover a moment counts customers. A running sum over start (+1) and end (−1) days
        // costs one pass over the periods, not one per day (9 ms instead of 400 at 20,000; every day of
        // the window gets a 0 event so it has a row).
        let active = stmt!(
            "WITH RECURSIVE
               days(day) AS (SELECT ?1 UNION ALL SELECT day + 86400 FROM days WHERE day < ?2),
               ev(day, d) AS (
                 SELECT starts_at - starts_at % 86400, 1 FROM subscriptions
                  WHERE status <> 'refunded' AND expires_at >= ?1 AND expires_at > starts_at
                 UNION ALL
                 SELECT expires_at - expires_at % 86400, -1 FROM subscriptions
                  WHERE status <> 'refunded' AND expires_at >= ?1 AND expires_at > starts_at
                 UNION ALL
                 SELECT day, 0 FROM days),
               total(day, n) AS (SELECT day, sum(sum(d)) OVER (ORDER BY day) FROM ev GROUP BY day)
             SELECT day, n FROM total WHERE day BETWEEN ?1 AND ?2",
            start,
            today
        );
        let mix = stmt!(
            "SELECT COALESCE(pl.slug, '?') AS plan, count(*) AS n
             FROM payments p JOIN orders o ON o.id = p.order_id LEFT JOIN plans pl ON pl.id = o.plan_id
             WHERE p.status = 'completed' AND p.created_at >= ?1 GROUP BY 1 ORDER BY 2 DESC, 1",
            start
        );
        let (revenue, new_paying, active, mix) = futures_util::future::join4(
            self.db.all(&revenue),
            self.db.all(&new_paying),
            self.db.all(&active),
            self.db.all(&mix),
        )
        .await;
        Ok(json!({
            "start": start,
            "days": days,
            "revenue": rows(revenue?),
            "new_paying": rows(new_paying?),
            "active": rows(active?),
            "plan_mix": rows(mix?),
        }))
    }

    /// One page of users, `limit` after `cursor`, matching `query` (a Telegram id, @username
    /// prefix, part of a name, or a panel short uuid).
    pub async fn console_users(
        &self,
        query: Option<&str>,
        sort: UserSort,
        cursor: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<Value, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let as_id = query.and_then(|q| q.parse::<i64>().ok());
        let prefix = query.map(|q| format!("{}%", like_escaped(q.strip_prefix('@').unwrap_or(q))));
        let within = query.map(|q| format!("%{}%", like_escaped(q)));
        // The cursor is (sort value, users.id) of the last row; expiry sorts keep users without
        // one at the end (as if they expired at the far end of time).
        let (after, after_id) = cursor.map_or((None, None), |(v, id)| (Some(v), Some(id)));
        let sql = match sort {
            UserSort::Newest => crate::sql!(concat!(
                "SELECT u.id AS k, u.id AS cursor_id, ",
                user_columns!(),
                " FROM users u WHERE ",
                user_search!(),
                " AND (?5 IS NULL OR u.id < ?6) ORDER BY u.id DESC LIMIT ?7"
            )),
            UserSort::Oldest => crate::sql!(concat!(
                "SELECT u.id AS k, u.id AS cursor_id, ",
                user_columns!(),
                " FROM users u WHERE ",
                user_search!(),
                " AND (?5 IS NULL OR u.id > ?6) ORDER BY u.id LIMIT ?7"
            )),
            UserSort::ExpiresSoon => crate::sql!(concat!(
                "SELECT COALESCE(u.expires_at, 9007199254740991) AS k, u.id AS cursor_id, ",
                user_columns!(),
                " FROM users u WHERE ",
                user_search!(),
                " AND (?5 IS NULL OR (COALESCE(u.expires_at, 9007199254740991), u.id) > (?5, ?6))
                 ORDER BY k, u.id LIMIT ?7"
            )),
            UserSort::ExpiresLate => crate::sql!(concat!(
                "SELECT COALESCE(u.expires_at, 0) AS k, u.id AS cursor_id, ",
                user_columns!(),
                " FROM users u WHERE ",
                user_search!(),
                " AND (?5 IS NULL OR (COALESCE(u.expires_at, 0), u.id) < (?5, ?6))
                 ORDER BY k DESC, u.id DESC LIMIT ?7"
            )),
        };
        let statement = stmt!(sql, query, as_id, prefix, within, after, after_id, i64::from(limit) + 1);
        let mut found = self.db.all(&statement).await?;
        let next = if found.len() > limit as usize {
            found.truncate(limit as usize);
            found.last().map(|r| format!("{}:{}", int(r, "k"), int(r, "cursor_id")))
        } else {
            None
        };
        for row in &mut found {
            row.remove("k");
            row.remove("cursor_id");
        }
        Ok(json!({ "items": rows(found), "next_cursor": next }))
    }

    /// A customer's file: profile, payments, referrals and the audit trail (the panel's live
    /// view is added by the caller). `None` if there is no such customer.
    pub async fn console_user(&self, telegram_id: i64) -> Result<Option<(Value, Option<i64>)>, StoreError> {
        let profile = stmt!(
            concat!(
                "SELECT u.id AS user_id, u.panel_user_id, u.bonus_days, u.trial_used, u.referral_code,
                        u.traffic_used_bytes, u.traffic_limit_bytes, u.subscription_url,
                        (SELECT r.telegram_id FROM users r WHERE r.id = u.referred_by) AS referred_by, ",
                user_columns!(),
                " FROM users u WHERE u.telegram_id = ?1"
            ),
            telegram_id
        );
        let Some(mut user) = self.db.first(&profile).await? else { return Ok(None) };
        let user_id = int(&user, "user_id");
        let panel_user_id = user.get("panel_user_id").and_then(Value::as_i64);
        let payments = stmt!(
            "SELECT p.id, p.provider, p.status, p.amount_minor, p.currency, p.created_at, p.external_id,
                    o.public_id AS order_id, o.kind, pl.slug AS plan
             FROM payments p JOIN orders o ON o.id = p.order_id LEFT JOIN plans pl ON pl.id = o.plan_id
             WHERE p.user_id = ?1 ORDER BY p.id DESC LIMIT 100",
            user_id
        );
        let orders = stmt!(
            "SELECT o.public_id AS id, o.kind, o.provider, o.status, o.amount_minor, o.currency, o.days,
                    pl.slug AS plan, o.created_at, o.provisioned_at
             FROM orders o LEFT JOIN plans pl ON pl.id = o.plan_id
             WHERE o.user_id = ?1 ORDER BY o.id DESC LIMIT 50",
            user_id
        );
        let referrals = stmt!(
            "SELECT f.telegram_id, f.username, f.first_name, f.referred_at,
                    EXISTS (SELECT 1 FROM payments p WHERE p.user_id = f.id AND p.status = 'completed') AS paid
             FROM users f WHERE f.referred_by = ?1 ORDER BY f.referred_at DESC, f.id DESC LIMIT 100",
            user_id
        );
        // The customer's own rows and those of their payments.
        let audit = stmt!(
            "SELECT a.id, a.actor, a.action, a.subject, a.details, a.created_at FROM audit_log a
             WHERE a.subject = ?2
                OR a.subject IN (SELECT 'payment:' || p.id FROM payments p WHERE p.user_id = ?1)
                OR a.subject IN (SELECT 'order:' || o.public_id FROM orders o WHERE o.user_id = ?1)
             ORDER BY a.id DESC LIMIT 100",
            user_id,
            format!("user:{telegram_id}")
        );
        let (payments, orders, referrals, audit) = futures_util::future::join4(
            self.db.all(&payments),
            self.db.all(&orders),
            self.db.all(&referrals),
            self.db.all(&audit),
        )
        .await;
        let (payments, orders, referrals, mut audit) =
            (rows(payments?), rows(orders?), rows(referrals?), rows(audit?));
        // `details` is stored as JSON text: hand it over as JSON.
        if let Value::Array(entries) = &mut audit {
            for entry in entries {
                if let Some(Value::String(text)) = entry.get("details") {
                    let parsed = serde_json::from_str(text).unwrap_or(Value::Null);
                    entry["details"] = parsed;
                }
            }
        }
        user.remove("user_id");
        let mut file = Map::new();
        file.insert("user".into(), Value::Object(user));
        file.insert("payments".into(), payments);
        file.insert("orders".into(), orders);
        file.insert("referrals".into(), referrals);
        file.insert("audit".into(), audit);
        Ok(Some((Value::Object(file), panel_user_id)))
    }

    /// One page of payments (newest first), `limit` after payment id `cursor`.
    pub async fn console_payments(
        &self,
        filter: &PaymentFilter,
        cursor: Option<i64>,
        limit: u32,
    ) -> Result<Value, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let mut found = self.db.all(&payments_statement(filter, cursor, i64::from(limit) + 1)).await?;
        let next = if found.len() > limit as usize {
            found.truncate(limit as usize);
            found.last().map(|r| int(r, "id").to_string())
        } else {
            None
        };
        Ok(json!({ "items": rows(found), "next_cursor": next }))
    }

    /// Every payment the filter matches, newest first, up to `cap` rows (the CSV export).
    pub async fn console_payments_all(
        &self,
        filter: &PaymentFilter,
        cap: u32,
    ) -> Result<Vec<Row>, StoreError> {
        Ok(self.db.all(&payments_statement(filter, None, i64::from(cap))).await?)
    }

    /// Every plan, active or not, with its prices (minor units by currency).
    pub async fn console_plans(&self) -> Result<Value, StoreError> {
        let plans = stmt!(
            "SELECT p.slug, p.name, p.days, p.traffic_limit_bytes, p.device_limit, p.is_active, p.sort_order,
                    p.updated_at, (SELECT json_group_object(currency, amount_minor) FROM plan_prices pp
                                    WHERE pp.plan_id = p.id) AS prices
             FROM plans p ORDER BY p.sort_order, p.id"
        );
        let mut plans = self.db.all(&plans).await?;
        for plan in &mut plans {
            let prices = match plan.get("prices") {
                Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
                _ => json!({}),
            };
            plan.insert("prices".into(), prices);
        }
        Ok(rows(plans))
    }

    /// Recent broadcasts with their counts.
    pub async fn console_broadcasts(&self, limit: u32) -> Result<Value, StoreError> {
        let list = stmt!(
            "SELECT b.id, b.admin_telegram_id AS admin, b.status, b.audience, b.locale, b.created_at, b.started_at,
                    b.finished_at, substr(b.text, 1, 120) AS text, b.total,
                    (SELECT count(*) FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.status = 'sent') AS sent
             FROM broadcasts b ORDER BY b.id DESC LIMIT ?1",
            limit.clamp(1, MAX_PAGE)
        );
        Ok(rows(self.db.all(&list).await?))
    }
}

fn payments_statement(filter: &PaymentFilter, cursor: Option<i64>, limit: i64) -> crate::db::Statement {
    stmt!(
        "SELECT p.id, p.created_at, u.telegram_id, u.username, p.provider, p.status, p.amount_minor, p.currency,
                o.public_id AS order_id, o.kind, pl.slug AS plan, p.external_id
         FROM payments p JOIN users u ON u.id = p.user_id JOIN orders o ON o.id = p.order_id
         LEFT JOIN plans pl ON pl.id = o.plan_id
         WHERE (?1 IS NULL OR p.provider = ?1) AND (?2 IS NULL OR p.status = ?2) AND (?3 IS NULL OR p.currency = ?3)
           AND (?4 IS NULL OR p.created_at >= ?4) AND (?5 IS NULL OR p.created_at < ?5)
           AND (?6 IS NULL OR p.id < ?6)
         ORDER BY p.id DESC LIMIT ?7",
        filter.provider.as_deref(),
        filter.status.as_deref(),
        filter.currency.as_deref(),
        filter.from,
        filter.to,
        cursor,
        limit
    )
}

/// The console's writes: the idempotency journal and plan edits (`shop::console`).
impl<D: Db> SqlStore<D> {
    /// Claims `key` for `admin`'s request to `route`, or says what became of an earlier one.
    pub async fn claim_console_request(
        &self,
        key: &str,
        admin: i64,
        route: &str,
        now: i64,
    ) -> Result<Journal, StoreError> {
        let claim = stmt!(
            "INSERT INTO admin_requests (key, admin, route, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO NOTHING",
            key,
            admin,
            route,
            now
        );
        if self.db.run(&claim).await? == 1 {
            return Ok(Journal::Claimed);
        }
        let found =
            stmt!("SELECT admin, route, status, body, created_at FROM admin_requests WHERE key = ?1", key);
        let Some(row) = self.db.first(&found).await? else { return Ok(Journal::Running) };
        if int(&row, "admin") != admin || row.get("route").and_then(Value::as_str) != Some(route) {
            return Ok(Journal::Conflict);
        }
        Ok(match (row.get("status").and_then(Value::as_i64), row.get("body").and_then(Value::as_str)) {
            (Some(status), Some(body)) => Journal::Done(
                u16::try_from(status).unwrap_or(500),
                serde_json::from_str(body).unwrap_or(Value::Null),
            ),
            _ if int(&row, "created_at") < now - RUNNING_SECONDS => Journal::Unknown,
            _ => Journal::Running,
        })
    }

    /// Stores the answer to the request claimed under `key`.
    pub async fn finish_console_request(
        &self,
        key: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), StoreError> {
        let done = stmt!(
            "UPDATE admin_requests SET status = ?2, body = ?3 WHERE key = ?1",
            key,
            i64::from(status),
            body.to_string()
        );
        self.db.run(&done).await?;
        Ok(())
    }

    /// Replaces plan `slug`'s fields and prices in one batch, with an audit row holding before
    /// and after. `None` if there is no such plan; `Some(false)` if nothing changed.
    pub async fn edit_plan(
        &self,
        slug: &str,
        edit: &PlanEdit,
        admin: i64,
        now: i64,
    ) -> Result<Option<(bool, Value)>, StoreError> {
        let plans = self.console_plans().await?;
        let Some(before) = plans.as_array().and_then(|all| all.iter().find(|p| p["slug"] == slug)).cloned()
        else {
            return Ok(None);
        };
        let after = edit.view(slug);
        let keys = ["name", "days", "traffic_limit_bytes", "device_limit", "is_active", "prices"];
        if keys.iter().all(|k| before[*k] == after[*k]) {
            return Ok(Some((false, before)));
        }
        let mut batch = vec![
            stmt!(
                "UPDATE plans SET name = ?2, days = ?3, traffic_limit_bytes = ?4, device_limit = ?5,
                        is_active = ?6, updated_at = ?7 WHERE slug = ?1",
                slug,
                edit.name.as_str(),
                edit.days,
                edit.traffic_limit_bytes,
                edit.device_limit,
                edit.active,
                now
            ),
            stmt!("DELETE FROM plan_prices WHERE plan_id = (SELECT id FROM plans WHERE slug = ?1)", slug),
        ];
        for (currency, minor) in &edit.prices {
            batch.push(stmt!(
                "INSERT INTO plan_prices (plan_id, currency, amount_minor) SELECT id, ?2, ?3 FROM plans WHERE slug = ?1",
                slug,
                currency.code(),
                *minor
            ));
        }
        let details = json!({ "before": before, "after": after });
        batch.push(stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at) VALUES (?1, 'plan.edit', ?2, ?3, ?4)",
            format!("admin:{admin}"),
            format!("plan:{slug}"),
            details.to_string(),
            now
        ));
        self.db.batch(&batch).await?;
        Ok(Some((true, after)))
    }
}
