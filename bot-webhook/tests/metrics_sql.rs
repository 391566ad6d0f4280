//! `/metrics` on SQLite with the real migrations: the hourly refresh recomputes payments,
//! revenue, refunds, the provisioning lag, reminders, broadcast sends, customers and active
//! subscriptions from the tables (a refund moves a count, a repeated refresh changes nothing);
//! the Worker's counters add `n`; what is waiting for the panel is live; and the rendered
//! text. A scrape reads the counters, not the shop's tables.

use futures::executor::block_on;
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::db::{Arg, Db, Statement};
use wavegate_shared::shop::metrics::{render, Counter};
use wavegate_shared::shop::sql::SqlStore;

const NOW: i64 = 1_796_472_000;

fn run(store: &SqlStore<SqliteDb>, sql: &'static str, args: Vec<Arg>) {
    block_on(store.db.run(&Statement { sql, args })).expect(sql);
}

fn scrape(store: &SqlStore<SqliteDb>) -> String {
    block_on(store.refresh_hourly_gauges(NOW)).expect("the hourly refresh");
    render(&block_on(store.metrics_rows(NOW)).expect("scrape"))
}

fn has(text: &str, line: &str) -> bool {
    text.lines().any(|l| l == line)
}

fn shop() -> SqlStore<SqliteDb> {
    let store = SqlStore::new(SqliteDb::migrated());
    for k in 1..=3_i64 {
        run(
            &store,
            "INSERT INTO users (id, telegram_id, first_name, referral_code, created_at, updated_at, expires_at, panel_user_id)
             VALUES (?1, ?2, 'N', ?3, ?4, ?4, ?5, ?1)",
            vec![Arg::Int(k), Arg::Int(5000 + k), Arg::Text(format!("code{k:04}")), Arg::Int(NOW), Arg::Int(NOW + 86_400)],
        );
    }
    store
}

fn order(store: &SqlStore<SqliteDb>, id: i64, user: i64, provider: &str, currency: &str, amount: i64) {
    run(
        store,
        "INSERT INTO orders (id, public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status, created_at, updated_at, paid_at)
         VALUES (?1, ?2, ?3, 1, 'purchase', ?4, ?5, ?6, 30, 'paid', ?7, ?7, ?7)",
        vec![Arg::Int(id), Arg::Text(format!("ord{id}")), Arg::Int(user), Arg::Text(provider.into()), Arg::Int(amount), Arg::Text(currency.into()), Arg::Int(NOW - 100)],
    );
}

fn payment(
    store: &SqlStore<SqliteDb>,
    id: i64,
    order: i64,
    user: i64,
    provider: &str,
    currency: &str,
    amount: i64,
) {
    run(
        store,
        "INSERT INTO payments (id, order_id, user_id, provider, amount_minor, currency, status, idempotency_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'completed', ?7, ?8, ?8)",
        vec![Arg::Int(id), Arg::Int(order), Arg::Int(user), Arg::Text(provider.into()), Arg::Int(amount), Arg::Text(currency.into()), Arg::Text(format!("k{id}")), Arg::Int(NOW - 100)],
    );
}

#[test]
fn the_hourly_refresh_counts_money_lag_and_customers_from_the_tables() {
    let store = shop();
    order(&store, 1, 1, "stars", "XTR", 150);
    order(&store, 2, 2, "razorpay", "INR", 16_900);
    payment(&store, 1, 1, 1, "stars", "XTR", 150);
    payment(&store, 2, 2, 2, "razorpay", "INR", 16_900);
    let text = scrape(&store);
    assert!(has(&text, "wavegate_payments_total{channel=\"stars\",status=\"completed\"} 1"), "{text}");
    assert!(has(&text, "wavegate_revenue_minor_units_total{currency=\"INR\"} 16900"));
    assert!(has(&text, "wavegate_users 3"));
    assert!(has(&text, "wavegate_orders_awaiting_provisioning 2"));
    assert!(has(&text, "wavegate_oldest_awaiting_provisioning_seconds 100"));

    // Provisioned 40 s and 2 h after payment: the histogram, once per order.
    run(
        &store,
        "UPDATE orders SET status = 'provisioned', provisioned_at = paid_at + 40 WHERE id = 1",
        vec![],
    );
    run(
        &store,
        "UPDATE orders SET status = 'provisioned', provisioned_at = paid_at + 7200 WHERE id = 2",
        vec![],
    );
    let text = scrape(&store);
    assert!(has(&text, "wavegate_provisioning_lag_seconds_bucket{le=\"15\"} 0"));
    assert!(has(&text, "wavegate_provisioning_lag_seconds_bucket{le=\"60\"} 1"));
    assert!(has(&text, "wavegate_provisioning_lag_seconds_bucket{le=\"3600\"} 1"));
    assert!(has(&text, "wavegate_provisioning_lag_seconds_bucket{le=\"21600\"} 2"));
    assert!(has(&text, "wavegate_provisioning_lag_seconds_count 2"));
    assert!(has(&text, "wavegate_provisioning_lag_seconds_sum 7240"));
    assert!(has(&text, "wavegate_orders_awaiting_provisioning 0"));

    // A refund moves the payment and counts the money refunded; revenue keeps what was taken.
    run(&store, "UPDATE payments SET status = 'refunded' WHERE id = 2", vec![]);
    scrape(&store);
    let text = scrape(&store);
    assert!(
        !text.contains("wavegate_payments_total{channel=\"razorpay\",status=\"completed\"}"),
        "none completed left"
    );
    assert!(has(&text, "wavegate_payments_total{channel=\"razorpay\",status=\"refunded\"} 1"));
    assert!(has(&text, "wavegate_revenue_minor_units_total{currency=\"INR\"} 16900"));
    assert!(
        has(&text, "wavegate_refunds_minor_units_total{currency=\"INR\"} 16900"),
        "a repeated update counts once"
    );
}

#[test]
fn reminders_broadcasts_worker_counters_and_hourly_gauges() {
    let store = shop();
    run(&store, "INSERT INTO notices (user_id, kind, period, created_at, job, queued_at) VALUES (1, 'expiring_72', 7, ?1, 'j', ?1)", vec![Arg::Int(NOW)]);
    run(&store, "UPDATE notices SET done_at = ?1 WHERE user_id = 1", vec![Arg::Int(NOW)]);
    run(&store, "UPDATE notices SET done_at = ?1 WHERE user_id = 1", vec![Arg::Int(NOW + 5)]);
    run(
        &store,
        "INSERT INTO broadcasts (id, admin_telegram_id, text, created_at) VALUES (1, 1, 'hi', ?1)",
        vec![Arg::Int(NOW)],
    );
    run(&store, "INSERT INTO broadcast_recipients (broadcast_id, user_id, telegram_id) VALUES (1, 1, 5001), (1, 2, 5002)", vec![]);
    run(&store, "UPDATE broadcast_recipients SET status = 'claimed'", vec![]);
    run(&store, "UPDATE broadcast_recipients SET status = 'sent' WHERE user_id = 1", vec![]);
    run(&store, "UPDATE broadcast_recipients SET status = 'blocked' WHERE user_id = 2", vec![]);
    block_on(store.count(Counter::WebhookReject { route: "razorpay", reason: "unauthorized" }, 3, NOW))
        .expect("count");
    block_on(store.count(Counter::WebhookReject { route: "razorpay", reason: "unauthorized" }, 2, NOW))
        .expect("count");
    order(&store, 1, 1, "stars", "XTR", 150);
    payment(&store, 1, 1, 1, "stars", "XTR", 150);
    let text = scrape(&store);
    assert!(has(&text, "wavegate_reminders_sent_total{kind=\"expiring_72\"} 1"), "{text}");
    assert!(has(&text, "wavegate_broadcast_sends_total{outcome=\"sent\"} 1"));
    assert!(has(&text, "wavegate_broadcast_sends_total{outcome=\"blocked\"} 1"));
    assert!(has(&text, "wavegate_webhook_rejects_total{route=\"razorpay\",reason=\"unauthorized\"} 5"));
    assert!(has(&text, "wavegate_active_subscriptions{paying=\"true\"} 1"));
    assert!(has(&text, "wavegate_active_subscriptions{paying=\"false\"} 2"));
    assert!(has(&text, &format!("wavegate_cron_last_success_timestamp_seconds{{cron=\"hourly\"}} {NOW}")));
    // Nobody active any more: the gauges go to zero at the next hourly run, not stale.
    run(&store, "UPDATE users SET expires_at = ?1", vec![Arg::Int(NOW - 1)]);
    let text = scrape(&store);
    assert!(has(&text, "wavegate_active_subscriptions{paying=\"true\"} 0"));
}

#[test]
fn a_scrape_reads_only_the_counters_and_the_waiting_orders() {
    // Without the hourly refresh, the shop's tables are not read: no payment family appears.
    let store = shop();
    order(&store, 1, 1, "stars", "XTR", 150);
    payment(&store, 1, 1, 1, "stars", "XTR", 150);
    let text = render(&block_on(store.metrics_rows(NOW)).expect("scrape"));
    assert!(!text.contains("wavegate_payments_total{"), "{text}");
    assert!(has(&text, "wavegate_orders_awaiting_provisioning 1"), "waiting orders are live");
}
