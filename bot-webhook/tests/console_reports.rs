//! The admin console's SQL (shop::sql::reports) on SQLite with the real migrations: KPIs, the
//! chart series day by day, the users search and its keyset pages, payments filters, the
//! idempotency journal and plan edits with their audit row.

use futures::executor::block_on;
use serde_json::{json, Value};
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::db::{Arg, Db, Statement};
use wavegate_shared::shop::console::{Journal, PlanEditRequest};
use wavegate_shared::shop::sql::reports::{PaymentFilter, UserSort, DAY};
use wavegate_shared::shop::sql::SqlStore;

/// 2026-12-05 12:00 UTC.
const NOW: i64 = 1_796_472_000;
const TODAY: i64 = NOW - NOW % DAY;

fn run(store: &SqlStore<SqliteDb>, sql: &'static str, args: Vec<Arg>) {
    block_on(store.db.run(&Statement { sql, args })).expect(sql);
}

/// Users 1..=n (telegram ids 1001…), user k created k days ago.
fn shop(n: i64) -> SqlStore<SqliteDb> {
    let store = SqlStore::new(SqliteDb::migrated());
    for k in 1..=n {
        run(
            &store,
            "INSERT INTO users (id, telegram_id, username, first_name, referral_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            vec![
                Arg::Int(k),
                Arg::Int(1000 + k),
                Arg::Text(format!("user_{k}")),
                Arg::Text(format!("Name{k}")),
                Arg::Text(format!("code{k:04}")),
                Arg::Int(NOW - k * DAY),
            ],
        );
    }
    store
}

/// A completed payment of `amount` `currency` for user `user` on plan 1 at `at`, with its
/// provisioned order and the subscription period it bought (30 days from `at`).
fn paid(
    store: &SqlStore<SqliteDb>,
    id: i64,
    user: i64,
    amount: i64,
    currency: &str,
    provider: &str,
    at: i64,
) {
    run(
        store,
        "INSERT INTO orders (id, public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                             created_at, updated_at, paid_at, provisioned_at)
         VALUES (?1, 'ord' || ?1, ?2, 1, 'purchase', ?5, ?3, ?4, 30, 'provisioned', ?6, ?6, ?6, ?6)",
        vec![Arg::Int(id), Arg::Int(user), Arg::Int(amount), currency.into(), provider.into(), Arg::Int(at)],
    );
    run(
        store,
        "INSERT INTO payments (id, order_id, user_id, provider, amount_minor, currency, status, idempotency_key,
                               created_at, updated_at)
         VALUES (?1, ?1, ?2, ?5, ?3, ?4, 'completed', 'k' || ?1, ?6, ?6)",
        vec![Arg::Int(id), Arg::Int(user), Arg::Int(amount), currency.into(), provider.into(), Arg::Int(at)],
    );
    // Stacked on the current expiry, as provisioning does.
    run(
        store,
        "INSERT INTO subscriptions (user_id, plan_id, order_id, source, days, starts_at, expires_at, created_at, updated_at)
         SELECT ?1, 1, ?2, 'purchase', 30, max(?3, COALESCE(u.expires_at, 0)), max(?3, COALESCE(u.expires_at, 0)) + 30 * 86400, ?3, ?3
         FROM users u WHERE u.id = ?1",
        vec![Arg::Int(user), Arg::Int(id), Arg::Int(at)],
    );
    run(
        store,
        "UPDATE users SET expires_at = max(COALESCE(expires_at, 0), ?2) + 30 * 86400 WHERE id = ?1",
        vec![Arg::Int(user), Arg::Int(at)],
    );
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().expect("items").iter().map(|u| u["telegram_id"].as_i64().expect("id")).collect()
}

#[test]
fn kpis_count_users_revenue_and_active_subscriptions() {
    let store = shop(40);
    paid(&store, 1, 1, 100, "XTR", "stars", NOW - 3600); // today
    paid(&store, 2, 2, 16900, "INR", "razorpay", NOW - 3 * DAY); // this week
    paid(&store, 3, 3, 100, "XTR", "stars", NOW - 20 * DAY); // this month
    paid(&store, 4, 4, 100, "XTR", "stars", NOW - 60 * DAY); // expired, outside 30 days
    let stats = block_on(store.console_stats(NOW)).expect("stats");
    assert_eq!(stats["users"], json!({ "total": 40, "today": 0, "d7": 7, "d30": 30 }));
    let revenue = stats["revenue"].as_array().expect("revenue");
    assert_eq!(revenue[0], json!({ "currency": "INR", "today": 0, "d7": 16900, "d30": 16900 }));
    assert_eq!(revenue[1], json!({ "currency": "XTR", "today": 100, "d7": 100, "d30": 200 }));
    assert_eq!(stats["active"]["total"], 3);
    let by = stats["active"]["by_plan_channel"].as_array().expect("by");
    assert_eq!(by[0], json!({ "plan": "monthly", "channel": "stars", "n": 2 }));
    assert_eq!(by[1], json!({ "plan": "monthly", "channel": "razorpay", "n": 1 }));
    assert_eq!(stats["referrals"]["paying_users"], 4);
}

#[test]
fn series_have_one_active_point_per_day_and_revenue_on_its_day() {
    let store = shop(10);
    paid(&store, 1, 1, 100, "XTR", "stars", TODAY - 5 * DAY + 10);
    paid(&store, 2, 2, 250, "XTR", "stars", TODAY - 5 * DAY + 20);
    paid(&store, 3, 2, 16900, "INR", "razorpay", TODAY + 60);
    // Bought before the window; its 30 days end inside it (covers day ends up to TODAY - 4 days).
    paid(&store, 4, 3, 100, "XTR", "stars", TODAY - 33 * DAY + 100);
    let series = block_on(store.console_series(7, NOW)).expect("series");
    assert_eq!(series["start"], TODAY - 6 * DAY);
    assert_eq!(
        series["revenue"],
        json!([{ "day": TODAY - 5 * DAY, "currency": "XTR", "amount": 350 },
               { "day": TODAY, "currency": "INR", "amount": 16900 }])
    );
    // User 2's second payment is not a new paying user.
    assert_eq!(series["new_paying"], json!([{ "day": TODAY - 5 * DAY, "n": 2 }]));
    let active: Vec<i64> =
        series["active"].as_array().expect("active").iter().map(|p| p["n"].as_i64().unwrap_or(-1)).collect();
    assert_eq!(active, vec![1, 3, 3, 2, 2, 2, 2]);
    assert_eq!(series["plan_mix"], json!([{ "plan": "monthly", "n": 3 }]));
}

#[test]
fn users_search_sorts_and_pages_by_keyset() {
    let store = shop(12);
    run(&store, "UPDATE users SET panel_short_uuid = 'shortABC' WHERE id = 7", vec![]);
    run(&store, "UPDATE users SET expires_at = ?1 + id * 100 WHERE id IN (3, 5, 9)", vec![Arg::Int(NOW)]);
    let find = |q: Option<&str>, sort, cursor, limit| {
        block_on(store.console_users(q, sort, cursor, limit)).expect("users")
    };
    assert_eq!(ids(&find(Some("1005"), UserSort::Newest, None, 50)), vec![1005]);
    assert_eq!(ids(&find(Some("@user_1"), UserSort::Oldest, None, 50)), vec![1001, 1010, 1011, 1012]);
    assert_eq!(ids(&find(Some("name11"), UserSort::Newest, None, 50)), vec![1011]);
    assert_eq!(ids(&find(Some("shortABC"), UserSort::Newest, None, 50)), vec![1007]);
    assert_eq!(ids(&find(Some("%"), UserSort::Newest, None, 50)), Vec::<i64>::new(), "wildcards are text");

    // Every user once, in order, page by page, for each sort.
    for (sort, expected) in [
        (UserSort::Newest, (1..=12).rev().map(|k| 1000 + k).collect::<Vec<_>>()),
        (UserSort::Oldest, (1..=12).map(|k| 1000 + k).collect()),
        (UserSort::ExpiresSoon, vec![1003, 1005, 1009, 1001, 1002, 1004, 1006, 1007, 1008, 1010, 1011, 1012]),
        (UserSort::ExpiresLate, vec![1009, 1005, 1003, 1012, 1011, 1010, 1008, 1007, 1006, 1004, 1002, 1001]),
    ] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = find(None, sort, cursor, 5);
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                None => break,
                Some(c) => {
                    let (v, id) = c.split_once(':').expect("cursor");
                    cursor = Some((v.parse().expect("v"), id.parse().expect("id")));
                }
            }
        }
        assert_eq!(seen, expected, "{sort:?}");
    }
}

#[test]
fn payments_filter_by_channel_status_currency_and_dates() {
    let store = shop(3);
    paid(&store, 1, 1, 100, "XTR", "stars", TODAY - 2 * DAY);
    paid(&store, 2, 2, 16900, "INR", "razorpay", TODAY - DAY);
    paid(&store, 3, 3, 100, "XTR", "stars", TODAY);
    run(&store, "UPDATE payments SET status = 'refunded' WHERE id = 3", vec![]);
    let list = |filter: PaymentFilter| {
        let page = block_on(store.console_payments(&filter, None, 50)).expect("payments");
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|p| p["id"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    assert_eq!(list(PaymentFilter::default()), vec![3, 2, 1]);
    assert_eq!(list(PaymentFilter { provider: Some("stars".into()), ..Default::default() }), vec![3, 1]);
    assert_eq!(list(PaymentFilter { status: Some("refunded".into()), ..Default::default() }), vec![3]);
    assert_eq!(list(PaymentFilter { currency: Some("INR".into()), ..Default::default() }), vec![2]);
    assert_eq!(
        list(PaymentFilter { from: Some(TODAY - DAY), to: Some(TODAY), ..Default::default() }),
        vec![2]
    );
    let page = block_on(store.console_payments(&PaymentFilter::default(), Some(3), 1)).expect("page");
    assert_eq!(page["next_cursor"], "2");
    assert_eq!(block_on(store.console_payments_all(&PaymentFilter::default(), 2)).expect("all").len(), 2);
}

#[test]
fn the_journal_answers_a_retry_once_and_refuses_a_key_used_elsewhere_or_lost() {
    let store = shop(0);
    block_on(async {
        assert_eq!(
            store.claim_console_request("key-0001", 9, "POST /a", NOW).await.expect("claim"),
            Journal::Claimed
        );
        assert_eq!(
            store.claim_console_request("key-0001", 9, "POST /a", NOW).await.expect("again"),
            Journal::Running
        );
        store.finish_console_request("key-0001", 200, &json!({ "ok": true })).await.expect("finish");
        assert_eq!(
            store.claim_console_request("key-0001", 9, "POST /a", NOW).await.expect("done"),
            Journal::Done(200, json!({ "ok": true }))
        );
        assert_eq!(
            store.claim_console_request("key-0001", 9, "POST /b", NOW).await.expect("b"),
            Journal::Conflict
        );
        assert_eq!(
            store.claim_console_request("key-0001", 8, "POST /a", NOW).await.expect("8"),
            Journal::Conflict
        );
        // A claim that never got its answer: running for two minutes, then of unknown outcome
        // (never run again under that key).
        store.claim_console_request("key-0002", 9, "POST /a", NOW).await.expect("claim");
        assert_eq!(
            store.claim_console_request("key-0002", 9, "POST /a", NOW + 60).await.expect("soon"),
            Journal::Running
        );
        assert_eq!(
            store.claim_console_request("key-0002", 9, "POST /a", NOW + 600).await.expect("late"),
            Journal::Unknown
        );
        // The hourly housekeeping forgets old entries.
        store.prune(NOW + 1).await.expect("prune");
        assert_eq!(
            store.claim_console_request("key-0001", 9, "POST /b", NOW).await.expect("new"),
            Journal::Claimed
        );
    });
}

#[test]
fn a_plan_edit_replaces_fields_and_prices_and_audits_before_and_after() {
    let store = shop(0);
    let request = |xtr: i64| PlanEditRequest {
        name: "Monthly+".into(),
        days: 31,
        traffic_gb: 0,
        devices: 4,
        active: true,
        prices: [("XTR".to_string(), xtr)].into_iter().collect(),
    };
    let edit = request(150).validate().expect("valid");
    let (changed, after) = block_on(store.edit_plan("monthly", &edit, 9, NOW)).expect("edit").expect("plan");
    assert!(changed);
    assert_eq!(after["prices"], json!({ "XTR": 150 }));
    let plans = block_on(store.console_plans()).expect("plans");
    let monthly = plans.as_array().and_then(|p| p.iter().find(|p| p["slug"] == "monthly")).expect("monthly");
    assert_eq!(monthly["prices"], json!({ "XTR": 150 }), "the other currencies are gone");
    assert_eq!((monthly["days"].clone(), monthly["device_limit"].clone()), (json!(31), json!(4)));
    let audit = block_on(store.db.all(&Statement {
        sql: "SELECT actor, details FROM audit_log WHERE action = 'plan.edit'",
        args: vec![],
    }))
    .expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["actor"], "admin:9");
    let details: Value = serde_json::from_str(audit[0]["details"].as_str().unwrap_or("{}")).expect("json");
    assert_eq!(details["before"]["prices"]["INR"], 16900);
    assert_eq!(details["after"]["prices"], json!({ "XTR": 150 }));
    // The same edit again: nothing to write.
    let (changed, _) = block_on(store.edit_plan("monthly", &edit, 9, NOW)).expect("again").expect("plan");
    assert!(!changed);
    assert!(block_on(store.edit_plan("nope", &edit, 9, NOW)).expect("none").is_none());
}
