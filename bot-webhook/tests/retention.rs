//! Keeping customers, at the store: the usage and expiry sync's page mirror and cursor, event
//! ordering on the mirror, node health shared by two writers, and the panel webhook's
//! delivery claim — the real SQL on SQLite with the real migrations.

use futures::executor::block_on;
use serde_json::json;
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::db::{Arg, Db, Statement};
use wavegate_shared::node_health::{self, Observation};
use wavegate_shared::remnawave::{Node, PanelUser, PanelUserState, UsersPage};
use wavegate_shared::shop::ports::{Job, Jobs, Reminder};
use wavegate_shared::shop::reminders::{self, NoticeStore};
use wavegate_shared::shop::sql::{Delivery, SqlStore};
use wavegate_shared::shop::store::{ShopStore, StoreError};
use wavegate_shared::shop::sync::{self, Page, Step, SyncStore};

const NOW: i64 = 1_800_000_000;

fn store() -> SqlStore<SqliteDb> {
    SqlStore::new(SqliteDb::migrated())
}

fn exec(store: &SqlStore<SqliteDb>, sql: &str, args: Vec<Arg>) -> usize {
    block_on(store.db.run(&Statement { sql: Box::leak(sql.to_string().into_boxed_str()), args })).unwrap()
}

fn value(store: &SqlStore<SqliteDb>, sql: &str) -> serde_json::Value {
    let row = block_on(
        store.db.first(&Statement { sql: Box::leak(sql.to_string().into_boxed_str()), args: vec![] }),
    )
    .unwrap()
    .unwrap();
    row.into_iter().next().map(|(_, v)| v).unwrap()
}

/// A customer with panel user `panel_id`, expiring at `expires_at`.
fn customer(store: &SqlStore<SqliteDb>, id: i64, panel_id: i64, expires_at: i64) {
    exec(
        store,
        "INSERT INTO users (id, telegram_id, referral_code, panel_user_id, expires_at, panel_status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'ACTIVE', 0, 0)",
        vec![Arg::Int(id), Arg::Int(700_000 + id), Arg::Text(format!("code{id}")), Arg::Int(panel_id), Arg::Int(expires_at)],
    );
}

fn state(id: i64, expires_at: i64, used: i64) -> PanelUserState {
    serde_json::from_value(json!({
        "id": id, "shortUuid": format!("s{id}"), "status": "ACTIVE", "trafficLimitBytes": 1000,
        "expireAt": chrono::DateTime::from_timestamp(expires_at, 0).unwrap().to_rfc3339(),
        "subscriptionUrl": format!("https://sub.example.test/s{id}"),
        "userTraffic": { "usedTrafficBytes": used, "lifetimeUsedTrafficBytes": used }, "username": "ignored"
    }))
    .unwrap()
}

#[derive(Default)]
struct Queue(std::cell::RefCell<Vec<Job>>);

impl Jobs for Queue {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError> {
        self.0.borrow_mut().push(job.clone());
        Ok(())
    }
}

#[test]
fn a_sweep_walks_every_page_once_and_a_repeated_page_changes_nothing() {
    let store = store();
    customer(&store, 1, 10, NOW + 86_400);
    customer(&store, 2, 20, NOW + 86_400);
    let jobs = Queue::default();
    let first = block_on(sync::start(&store, &jobs, NOW)).unwrap().unwrap();
    assert_eq!((first.cursor, jobs.0.borrow().len()), (0, 1));
    // A second cron while the sweep makes progress starts nothing.
    assert_eq!(block_on(sync::start(&store, &jobs, NOW + 60)).unwrap(), None);

    // Page 1: panel user 10 moved its expiry (the operator extended it); 15 is nobody's.
    let page1 =
        UsersPage { users: vec![state(10, NOW + 9 * 86_400, 5), state(15, NOW, 0)], next_cursor: Some(15) };
    let step = block_on(sync::step(&store, &jobs, &first, &page1, NOW + 61)).unwrap();
    assert_eq!(step, Step::More { mirrored: 1 });
    assert_eq!(jobs.0.borrow().last(), Some(&Job::SyncUsers { sweep: first.sweep, cursor: 15 }));
    assert_eq!(value(&store, "SELECT expires_at FROM users WHERE id = 1"), json!(NOW + 9 * 86_400));
    assert_eq!(value(&store, "SELECT traffic_used_bytes FROM users WHERE id = 1"), json!(5));
    // The same page delivered again: the cursor moved on, so nothing is queued or counted.
    assert_eq!(block_on(sync::step(&store, &jobs, &first, &page1, NOW + 62)).unwrap(), Step::Superseded);

    // Page 2, the last: user 20 unchanged (no row written), user 10 not on it.
    let second = Page { sweep: first.sweep, cursor: 15 };
    let page2 = UsersPage { users: vec![state(20, NOW + 86_400, 0)], next_cursor: None };
    let before = value(&store, "SELECT updated_at FROM users WHERE id = 2");
    let step = block_on(sync::step(&store, &jobs, &second, &page2, NOW + 63)).unwrap();
    assert!(matches!(step, Step::Finished { .. }));
    assert_eq!(value(&store, "SELECT cursor IS NULL AND finished_at = 1800000063 FROM panel_sync"), json!(1));
    assert_eq!(value(&store, "SELECT pages FROM panel_sync"), json!(2));
    // Only differing rows are written: user 2's first mirror fills the traffic columns;
    // the same page again writes nothing.
    assert_ne!(value(&store, "SELECT updated_at FROM users WHERE id = 2"), before);
    let records: Vec<_> = page2.users.iter().map(Into::into).collect();
    assert_eq!(block_on(store.mirror_page(&records, NOW + 64)).unwrap(), 0);

    // The next hour: a new sweep from the start.
    let next = block_on(sync::start(&store, &jobs, NOW + 3600)).unwrap().unwrap();
    assert_eq!((next.sweep, next.cursor), (first.sweep + 1, 0));
}

#[test]
fn a_stalled_sweep_is_resumed_where_it_stopped() {
    let store = store();
    let jobs = Queue::default();
    let first = block_on(sync::start(&store, &jobs, NOW)).unwrap().unwrap();
    let page = UsersPage { users: vec![], next_cursor: Some(500) };
    block_on(sync::step(&store, &jobs, &first, &page, NOW + 1)).unwrap();
    // The job for cursor 500 is lost; 14 minutes later it is still "running", at 16 resumed.
    assert_eq!(block_on(sync::start(&store, &jobs, NOW + 14 * 60)).unwrap(), None);
    let resumed = block_on(sync::start(&store, &jobs, NOW + 16 * 60)).unwrap().unwrap();
    assert_eq!((resumed.sweep, resumed.cursor), (first.sweep, 500));
}

fn panel_user(id: i64, expires_at: i64) -> PanelUser {
    serde_json::from_value(json!({
        "id": id, "uuid": "u", "shortUuid": format!("s{id}"), "username": "tg", "status": "DISABLED",
        "trafficLimitBytes": 0, "trafficLimitStrategy": "NO_RESET",
        "expireAt": chrono::DateTime::from_timestamp(expires_at, 0).unwrap().to_rfc3339(),
        "telegramId": 1, "hwidDeviceLimit": 3, "description": null, "tag": null,
        "subscriptionUrl": "https://sub.example.test/x",
        "userTraffic": { "usedTrafficBytes": 7, "lifetimeUsedTrafficBytes": 7, "onlineAt": null }
    }))
    .unwrap()
}

#[test]
fn a_late_event_never_rolls_the_mirror_back() {
    let store = store();
    customer(&store, 1, 10, NOW);
    // The newer event (sent at T+10) lands first, the older one (T+5) after it.
    assert!(block_on(store.sync_panel_user(&panel_user(10, NOW + 30 * 86_400), false, NOW + 10, NOW + 11))
        .unwrap());
    assert!(
        !block_on(store.sync_panel_user(&panel_user(10, NOW + 86_400), false, NOW + 5, NOW + 12)).unwrap()
    );
    assert_eq!(value(&store, "SELECT expires_at FROM users WHERE id = 1"), json!(NOW + 30 * 86_400));
    // A sync page read before the newer event does not overwrite it either.
    let records: Vec<_> = [state(10, NOW + 86_400, 0)].iter().map(Into::into).collect();
    assert_eq!(block_on(store.mirror_page(&records, NOW + 9)).unwrap(), 0);
    assert_eq!(value(&store, "SELECT panel_status FROM users WHERE id = 1"), json!("DISABLED"));
}

#[test]
fn a_delivery_in_flight_is_not_acknowledged_as_done_and_a_dead_one_is_taken_over() {
    let store = store();
    let claim = |now| block_on(store.claim_delivery("remnawave", "sig", now, 4)).unwrap();
    assert_eq!(claim(NOW), Delivery::Mine);
    assert_eq!(claim(NOW + 3), Delivery::InFlight);
    // The first request died: the panel's next retry (5 s later) takes it over.
    assert_eq!(claim(NOW + 5), Delivery::Mine);
    block_on(store.finish_delivery("remnawave", "sig")).unwrap();
    assert_eq!(claim(NOW + 10), Delivery::Done);
    // A claim given back (its request failed) is free again.
    block_on(store.release("remnawave", "sig")).unwrap();
    assert_eq!(claim(NOW + 11), Delivery::Mine);
}

fn node(uuid: &str, connected: bool) -> Node {
    serde_json::from_value(json!({
        "uuid": uuid, "name": uuid.to_uppercase(), "address": "10.0.0.1", "countryCode": "DE",
        "isConnected": connected, "isDisabled": false
    }))
    .unwrap()
}

#[test]
fn of_two_writers_that_saw_the_same_node_change_only_one_alerts() {
    let store = store();
    let db = &store.db;
    let nodes = [node("a", true)];
    let (baseline, none) = node_health::check(None, Observation::Nodes(&nodes));
    assert!(block_on(node_health::save(db, &baseline, none, true, NOW)).unwrap().is_empty());
    // The cron and the webhook both read "up", both see "down".
    let before = block_on(node_health::load(db)).unwrap();
    let (cron_next, cron_changes) =
        node_health::check(before.as_ref(), Observation::Nodes(&[node("a", false)]));
    let (hook_next, hook_change) = node_health::check_node(before.as_ref(), &node("a", false));
    let cron_won = block_on(node_health::save(db, &cron_next, cron_changes, true, NOW + 1)).unwrap();
    let hook_won =
        block_on(node_health::save(db, &hook_next, hook_change.into_iter().collect(), false, NOW + 2))
            .unwrap();
    assert_eq!((cron_won.len(), hook_won.len()), (1, 0));
    // An alert that could not be queued is given back and found again.
    block_on(node_health::undo(db, &cron_won[0])).unwrap();
    let again = block_on(node_health::load(db)).unwrap();
    let (next, changes) = node_health::check(again.as_ref(), Observation::Nodes(&[node("a", false)]));
    assert_eq!(block_on(node_health::save(db, &next, changes, true, NOW + 3)).unwrap().len(), 1);
    // A node deleted on the panel is forgotten by the cron's full observation.
    let (next, changes) =
        node_health::check(block_on(node_health::load(db)).unwrap().as_ref(), Observation::Nodes(&[]));
    block_on(node_health::save(db, &next, changes, true, NOW + 4)).unwrap();
    assert_eq!(value(&store, "SELECT count(*) FROM node_states WHERE key = 'a'"), json!(0));
}

#[test]
fn a_claimed_notice_whose_job_was_lost_is_queued_again_once_an_hour_until_done() {
    let store = store();
    customer(&store, 1, 10, NOW + 23 * 3600);
    let jobs = Queue::default();
    let queued = block_on(reminders::queue_due(&store, &jobs, &[72, 24], NOW)).unwrap();
    assert_eq!(queued, 1);
    let job = jobs.0.borrow_mut().pop().unwrap();
    assert!(matches!(job, Job::Remind { reminder: Reminder::Expiring { hours: 24 }, .. }));
    // Claimed: the cron and the panel's webhook do not queue it again.
    assert_eq!(block_on(reminders::queue_due(&store, &jobs, &[72, 24], NOW + 60)).unwrap(), 0);
    let again =
        block_on(reminders::remind_once(&store, &jobs, 1, 700_001, Some(24), NOW + 23 * 3600, NOW + 60));
    assert!(!again.unwrap());

    // The job never ran (the invocation died after the claim). Within the hour: nothing.
    assert_eq!(block_on(reminders::requeue_lost(&store, &jobs, NOW + 1800)).unwrap(), 0);
    // After it: the same job again, once per hour.
    assert_eq!(block_on(reminders::requeue_lost(&store, &jobs, NOW + 3601)).unwrap(), 1);
    assert_eq!(jobs.0.borrow().last(), Some(&job));
    assert_eq!(block_on(reminders::requeue_lost(&store, &jobs, NOW + 3700)).unwrap(), 0);
    // Done (sent): never again, and a repeated job finds it done.
    block_on(store.finish_notice(1, "expiring_24", NOW + 23 * 3600, NOW + 3800)).unwrap();
    assert!(block_on(store.notice_done(1, "expiring_24", NOW + 23 * 3600)).unwrap());
    assert_eq!(block_on(reminders::requeue_lost(&store, &jobs, NOW + 3 * 3600)).unwrap(), 0);
}

#[test]
fn a_notice_that_cannot_be_queued_gives_its_claim_back() {
    struct Down;
    impl Jobs for Down {
        async fn enqueue(&self, _: &Job) -> Result<(), StoreError> {
            Err(StoreError::Unavailable("queue down".into()))
        }
    }
    let store = store();
    customer(&store, 1, 10, NOW + 23 * 3600);
    assert!(block_on(reminders::queue_due(&store, &Down, &[72, 24], NOW)).is_err());
    let jobs = Queue::default();
    assert_eq!(block_on(reminders::queue_due(&store, &jobs, &[72, 24], NOW + 60)).unwrap(), 1);
}

#[test]
fn when_a_later_queue_send_fails_the_claims_stay_and_the_rest_go_out_an_hour_later_once() {
    /// Takes the first 100 jobs, then fails, as a second `sendBatch` failing would.
    #[derive(Default)]
    struct FirstChunkOnly(std::cell::RefCell<Vec<Job>>);
    impl Jobs for FirstChunkOnly {
        async fn enqueue(&self, job: &Job) -> Result<(), StoreError> {
            self.0.borrow_mut().push(job.clone());
            Ok(())
        }
        async fn enqueue_all(&self, jobs: &[Job]) -> Result<(), StoreError> {
            self.0.borrow_mut().extend(jobs.iter().take(100).cloned());
            Err(StoreError::Unavailable("second batch failed".into()))
        }
    }
    let store = store();
    for id in 1..=150 {
        customer(&store, id, 1000 + id, NOW + 23 * 3600 + id);
    }
    let jobs = FirstChunkOnly::default();
    assert!(block_on(reminders::queue_due(&store, &jobs, &[72, 24], NOW)).is_err());
    assert_eq!(jobs.0.borrow().len(), 100);
    // The 100 sent run and finish; the claims of all 150 stayed, so the next run queues none.
    let sent: Vec<Job> = jobs.0.borrow().clone();
    for job in &sent {
        if let Job::Remind { telegram_id, expires_at, .. } = job {
            block_on(store.finish_notice(telegram_id - 700_000, "expiring_24", *expires_at, NOW + 10))
                .unwrap();
        }
    }
    let next = Queue::default();
    assert_eq!(block_on(reminders::queue_due(&store, &next, &[72, 24], NOW + 60)).unwrap(), 0);
    // An hour later the 50 never sent are queued again, and only they.
    assert_eq!(block_on(reminders::requeue_lost(&store, &next, NOW + 3601)).unwrap(), 50);
    let again: Vec<Job> = next.0.borrow().clone();
    assert!(again.iter().all(|j| !sent.contains(j)));
}

#[test]
fn the_panels_expiration_event_follows_the_short_period_rule_too() {
    let store = store();
    customer(&store, 1, 10, NOW + 71 * 3600);
    // A 3-day trial that began an hour ago.
    exec(
        &store,
        "INSERT INTO subscriptions (user_id, source, days, starts_at, expires_at, created_at, updated_at)
         VALUES (1, 'trial', 3, ?1, ?2, ?1, ?1)",
        vec![Arg::Int(NOW - 3600), Arg::Int(NOW + 71 * 3600)],
    );
    let jobs = Queue::default();
    let queued = block_on(reminders::remind_once(&store, &jobs, 1, 700_001, Some(72), NOW + 71 * 3600, NOW));
    assert!(!queued.unwrap());
    assert!(jobs.0.borrow().is_empty(), "claimed, nothing sent");
    // The 24 h reminder is another window: it is sent.
    let queued = block_on(reminders::remind_once(&store, &jobs, 1, 700_001, Some(24), NOW + 71 * 3600, NOW));
    assert!(queued.unwrap());
}
