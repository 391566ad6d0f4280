//! Regression tests for the defects a review of the money paths found (issue "one shop for
//! every channel"), one per scenario, each named for what must hold. They run the shop's real
//! SQL (SQLite with the real migrations) through the bot and the fulfiller, as the Worker does.
//!
//! The refund rule they pin down: a refund takes back the unused part of its own order's period
//! — never days bought by other orders, never days already used; a refund whose period is over
//! takes nothing; a refund that arrives before its payment is kept, and that payment is then
//! not provisioned (the admins are told).

mod support;

use support::flows::{at_day, paid, panel_expiry, provisioned};
use support::telegram::ApiFailure;
use support::{only, Person, StarsPaid, TestBot, DAY, NOW};
use wavegate_bot::Handled;
use wavegate_shared::db::Arg;
use wavegate_shared::remnawave::UserStatus;
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::ports::Job;
use wavegate_shared::subscription::OrderStatus;

fn ivan() -> Person {
    Person::new(1001, "Ivan").speaking("ru")
}

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

/// Runs `job` until it stops asking to wait (bounded), running `meanwhile` after the first wait.
fn until_done(mut job: impl FnMut() -> FulfilOutcome, mut meanwhile: impl FnMut()) -> (FulfilOutcome, usize) {
    let mut waits = 0;
    loop {
        match job() {
            FulfilOutcome::Wait(_) if waits < 5 => {
                waits += 1;
                meanwhile();
            }
            outcome => return (outcome, waits),
        }
    }
}

// ----------------------------------------------------------- 1: undecided refunds and stacking

#[test]
fn a_refunded_order_whose_days_never_reached_the_panel_does_not_eat_a_later_orders_days() {
    // Arrange: 30 days on the panel (E0 = day 30). Order A (30 d) gets its target, E0 + 30, but
    // its PATCH fails; A is refunded. Then order B (90 d) is paid.
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stx0");
    let (a, a_payment) = paid(&bot, &ivan(), "monthly", "stxA");
    bot.panel.fail_after(1, 1); // get the user, then the PATCH fails
    assert!(bot.provision(&a).is_err());
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    bot.handle(ivan().is_refunded(&a_payment)).unwrap();
    bot.jobs.take();
    let (b, _) = paid(&bot, &ivan(), "quarterly", "stxB");

    // Act: B's provisioning and A's take-back, in the order that lost days before.
    let (b_outcome, _) = until_done(
        || bot.provision(&b).unwrap(),
        || {
            bot.take_back(&a).unwrap();
        },
    );
    let a_outcome = bot.take_back(&a).unwrap();

    // Assert: E0 + 90, the 90 days paid for; A took nothing (its days never arrived).
    assert_eq!(b_outcome, FulfilOutcome::Done("provisioned"));
    assert!(matches!(a_outcome, FulfilOutcome::Done(_)), "{a_outcome:?}");
    assert_eq!(panel_expiry(&bot, 1001), at_day(120));
    assert_eq!(bot.store.order_row(&a).unwrap().taken_back_seconds, Some(0));
}

// ------------------------------------------------------- 2: take-back finds the user by name

#[test]
fn a_refund_after_a_crash_before_the_panel_user_id_was_stored_still_takes_the_days_back() {
    // Arrange: the panel user exists with the order's 30 days, but the crash came before
    // `users.panel_user_id` (and the order's provisioning) were written.
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    bot.store.exec("UPDATE users SET panel_user_id = NULL, panel_short_uuid = NULL", &[]);
    bot.store.exec(
        "UPDATE orders SET status = 'paid', provisioned_at = NULL, notified_at = NULL WHERE public_id = ?1",
        &[Arg::from(order.as_str())],
    );
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.take_back(&order);

    // Assert: found by its username, and nothing of the refunded month is left.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    let user = bot.panel.user_named("tg_1002").unwrap();
    assert_eq!(user.status, UserStatus::Disabled);
    assert!(user.expire_at.timestamp() <= NOW + 60);
    assert_eq!(bot.provision(&order).unwrap(), FulfilOutcome::Done("order is not paid"));
}

// ----------------------------------------------------- 3: an unmatched alert cannot be lost

#[test]
fn an_unmatched_payment_whose_alert_could_not_be_queued_is_reported_on_redelivery() {
    // Arrange: the queue is down when the mismatched payment arrives.
    let bot = TestBot::new();
    bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
    let order = bot.store.orders().pop().unwrap().public_id;
    let payment = StarsPaid::new(&order, 1, "stxOdd");
    bot.jobs.go_down();
    let first = bot.handle(ivan().pays(&payment));
    assert!(first.as_ref().is_err_and(|e| e.is_retryable()), "{first:?}");
    bot.telegram.take_calls();

    // Act: Telegram delivers it again once the queue is back.
    bot.jobs.come_back();
    let again = bot.handle(ivan().pays(&payment));

    // Assert: reported now, once; one audit row; the order failed; nothing paid.
    assert_eq!(again.unwrap(), Handled::Replied("payment mismatch"));
    let jobs = bot.jobs.take();
    assert!(matches!(&jobs[..], [Job::AdminAlert { text }] if text.contains("stxOdd")), "{jobs:?}");
    let audits = bot.store.audit().into_iter().filter(|a| a.action == "payment.unmatched").count();
    assert_eq!(audits, 1);
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Failed);
    assert!(bot.store.payments().is_empty());
    let third = bot.handle(ivan().pays(&payment));
    assert_eq!(third.unwrap(), Handled::Ignored("unmatched payment already reported"));
}

// ------------------------------------------------------ 4: a refund before its payment

#[test]
fn a_payment_whose_refund_arrived_first_is_not_provisioned_and_the_admins_are_told() {
    // Arrange: the refund for charge stxA arrives before its payment.
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let order = bot.store.orders().pop().unwrap().public_id;
    let payment = StarsPaid::new(&order, 100, "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.handle(anna().pays(&payment));
    let replay = bot.handle(anna().pays(&payment));

    // Assert: recorded as refunded, no provisioning queued, the admins told once.
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(replay.is_ok(), "{replay:?}");
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!(row.status, OrderStatus::Refunded);
    let payments = bot.store.payments();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].status, "refunded");
    let jobs = bot.jobs.take();
    assert!(!jobs.iter().any(|j| matches!(j, Job::Provision { .. })), "{jobs:?}");
    let alerts: Vec<_> = jobs.iter().filter(|j| matches!(j, Job::AdminAlert { .. })).collect();
    assert_eq!(alerts.len(), 1, "{jobs:?}");
    assert_eq!(bot.provision(&order).unwrap(), FulfilOutcome::Done("order is not paid"));
    assert!(bot.panel.users().is_empty());
}

#[test]
fn the_alert_for_a_payment_after_its_refund_is_not_lost_when_the_queue_is_down() {
    // Arrange: refund first; the queue is down when the payment arrives.
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let order = bot.store.orders().pop().unwrap().public_id;
    let payment = StarsPaid::new(&order, 100, "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.jobs.take();
    bot.jobs.go_down();
    assert!(bot.handle(anna().pays(&payment)).is_err());

    // Act: Telegram redelivers it, twice.
    bot.jobs.come_back();
    bot.handle(anna().pays(&payment)).unwrap();
    bot.handle(anna().pays(&payment)).unwrap();

    // Assert: one alert, no provisioning.
    let jobs = bot.jobs.take();
    assert!(
        matches!(&jobs[..], [Job::AdminAlert { text }] if text.contains("after its own refund")),
        "{jobs:?}"
    );
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Refunded);
}

// -------------------------------------------- 5: a refund takes only its own unused period

#[test]
fn a_refund_ten_days_into_a_month_takes_twenty_days_and_keeps_the_later_quarter() {
    // Arrange: A (30 d, days 0–30) and B (90 d, days 30–120) on the panel.
    let bot = TestBot::new();
    let (a, a_payment) = provisioned(&bot, &ivan(), "monthly", "stxA");
    provisioned(&bot, &ivan(), "quarterly", "stxB");
    assert_eq!(panel_expiry(&bot, 1001), at_day(120));
    bot.set_now(at_day(10));
    bot.handle(ivan().is_refunded(&a_payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.take_back(&a);

    // Assert: 10 days used, 20 unused taken back; B's 90 stay.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(100));
    assert_eq!(bot.store.order_row(&a).unwrap().taken_back_seconds, Some(20 * DAY));
}

#[test]
fn a_refund_of_a_period_that_is_over_takes_nothing() {
    // Arrange: A (days 0–30), B (days 30–60); A is refunded on day 40.
    let bot = TestBot::new();
    let (a, a_payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    provisioned(&bot, &anna(), "monthly", "stxB");
    bot.set_now(at_day(40));
    bot.handle(anna().is_refunded(&a_payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.take_back(&a);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(60));
    assert_eq!(bot.store.order_row(&a).unwrap().taken_back_seconds, Some(0));
}

#[test]
fn refunding_an_earlier_order_moves_the_later_orders_period_forward_for_the_next_refund() {
    // Arrange: A (days 0–30) and B (days 30–60); on day 10, A is refunded (20 days back), so
    // B now runs days 10–40. On day 20, B is refunded too.
    let bot = TestBot::new();
    let (a, a_payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    let (b, b_payment) = provisioned(&bot, &anna(), "monthly", "stxB");
    bot.set_now(at_day(10));
    bot.handle(anna().is_refunded(&a_payment)).unwrap();
    bot.take_back(&a).unwrap();
    assert_eq!(panel_expiry(&bot, 1002), at_day(40));
    bot.set_now(at_day(20));
    bot.handle(anna().is_refunded(&b_payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.take_back(&b);

    // Assert: B had used 10 of its days (10–20); the 20 unused are taken: nothing is left.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(bot.store.order_row(&b).unwrap().taken_back_seconds, Some(20 * DAY));
    assert_eq!(bot.panel.user_named("tg_1002").unwrap().status, UserStatus::Disabled);
}

// ------------------------------------------------- 6: waiting does not spend the failure budget

#[test]
fn a_job_waiting_for_a_crashed_jobs_lease_waits_instead_of_failing() {
    // Arrange: a crashed job holds the customer's lease for its full 300 s.
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxA");
    bot.store.exec(
        "UPDATE users SET provisioning_until = ?1, provisioning_token = 'crashed'",
        &[Arg::from(NOW + 300)],
    );

    // Act: the queue would run the job many more times than its retry budget (16).
    let outcomes: Vec<_> = (0..20).map(|_| bot.provision(&order)).collect();

    // Assert: every attempt is a wait (the consumer acknowledges and re-sends it with a delay,
    // which does not count as a retry), never an error that spends a retry.
    assert!(outcomes.iter().all(|o| matches!(o, Ok(FulfilOutcome::Wait(w)) if *w >= 1)), "{outcomes:?}");
    bot.set_now(NOW + 301);
    assert_eq!(bot.provision(&order).unwrap(), FulfilOutcome::Done("provisioned"));
}

// ------------------------------------------------------ 7: a refused notice is final

#[test]
fn a_notice_telegram_refuses_for_good_is_not_retried_and_not_requeued_by_reconciliation() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxA");
    bot.telegram.fail_next("sendMessage", ApiFailure::other(400, "Bad Request: chat not found"));

    // Act
    let outcome = bot.provision(&order);

    // Assert: provisioned, done (no retry, no false "could not be provisioned" alert), and the
    // reason kept; the hourly reconciliation leaves it alone.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned; the notice was refused"));
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!(row.status, OrderStatus::Provisioned);
    assert!(row.notice_error.as_deref().is_some_and(|e| e.contains("chat not found")), "{row:?}");
    let later = NOW + 3600;
    let stragglers = futures::executor::block_on(bot.store.sql.stragglers(later, 40, later)).unwrap();
    assert!(stragglers.is_empty(), "{:?}", stragglers.iter().map(|s| &s.public_id).collect::<Vec<_>>());
}

#[test]
fn reconciliation_gets_past_orders_that_fail_forever_to_newer_stragglers() {
    // Arrange: three paid orders the queue never finished, oldest first.
    let bot = TestBot::new();
    let orders: Vec<String> =
        ["stxA", "stxB", "stxC"].iter().map(|c| paid(&bot, &ivan(), "monthly", c).0).collect();
    let later = NOW + 3600;
    let run = |now: i64| -> Vec<String> {
        let picked = futures::executor::block_on(bot.store.sql.stragglers(later, 2, now)).unwrap();
        picked.into_iter().map(|s| s.public_id).collect()
    };

    // Act: two runs of a batch of two, as if the first two failed again in between.
    let first = run(later);
    let second = run(later + 3600);

    // Assert: the second run starts with the one the first run had no room for.
    assert_eq!(first, orders[..2]);
    assert_eq!(second[0], orders[2]);
}

// ------------------------------------------------------ 9: money in any chat

#[test]
fn a_payment_made_in_a_group_chat_is_recorded_and_provisioned() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let order = bot.store.orders().pop().unwrap().public_id;
    bot.jobs.take();

    // Act
    let outcome = bot.handle(anna().pays_in_group(&StarsPaid::new(&order, 100, "stxGroup")));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("payment recorded"));
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Paid);
    assert_eq!(bot.jobs.take(), [Job::Provision { order }]);
}

// ------------------------------------------------------ 13: smaller ones

#[test]
fn replaying_a_payment_and_its_refund_writes_each_audit_row_once() {
    // Arrange
    let bot = TestBot::new();
    let (_, payment) = provisioned(&bot, &anna(), "monthly", "stxA");

    // Act
    for _ in 0..3 {
        bot.handle(anna().pays(&payment)).unwrap();
    }
    for _ in 0..3 {
        bot.handle(anna().is_refunded(&payment)).unwrap();
    }

    // Assert
    let audit = bot.store.audit();
    let count = |action: &str| audit.iter().filter(|a| a.action == action).count();
    assert_eq!((count("payment.completed"), count("payment.refunded")), (1, 1), "{audit:?}");
}

#[test]
fn no_ready_notice_is_sent_for_an_order_refunded_while_it_was_provisioning() {
    // Arrange: the order's days reach the panel, the last step fails; then it is refunded.
    let bot = TestBot::new();
    let (order, payment) = paid(&bot, &anna(), "monthly", "stxA");
    bot.panel.fail_after(1, 1); // create the user, then the follow-up fails
    let _ = bot.provision(&order);
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.telegram.take_calls();

    // Act: the provisioning retry, then the take-back.
    let retry = bot.provision(&order);
    bot.take_back(&order).unwrap();

    // Assert: no "your VPN is ready"; the one message is about the refund.
    assert_eq!(retry.unwrap(), FulfilOutcome::Done("order is not paid"));
    let sent = only(bot.telegram.take_calls());
    assert!(sent.text().contains("⭐100"), "{}", sent.text());
}

#[test]
fn when_only_the_qr_image_fails_the_link_is_not_sent_again() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &anna(), "monthly", "stxA");
    bot.telegram.fail_next("sendPhoto", ApiFailure::other(400, "Bad Request: IMAGE_PROCESS_FAILED"));

    // Act
    let outcome = bot.provision(&order);
    let again = bot.provision(&order);

    // Assert: one link message, no second notice.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned; the QR image could not be sent"));
    assert_eq!(again.unwrap(), FulfilOutcome::Done("already provisioned"));
    let calls = bot.telegram.take_calls();
    let links = calls.iter().filter(|c| c.method == "sendMessage").count();
    assert_eq!(links, 1, "{:?}", support::methods(&calls));
}

// ------------------------------------------------------------- found in review of this issue

#[test]
fn replaying_a_payment_after_its_normal_refund_raises_no_arrived_after_refund_alert() {
    // Arrange: paid, provisioned, then refunded the ordinary way.
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.take_back(&order).unwrap();
    bot.jobs.take();

    // Act: Telegram redelivers the original payment.
    let replay = bot.handle(anna().pays(&payment));

    // Assert: a duplicate, and no alert that the payment came after its refund.
    assert_eq!(replay.unwrap(), Handled::Ignored("payment already recorded"));
    let jobs = bot.jobs.take();
    assert!(!jobs.iter().any(|j| matches!(j, Job::AdminAlert { .. })), "{jobs:?}");
    assert!(!bot.store.audit().iter().any(|a| a.action == "payment.arrived_refunded"));
}

#[test]
fn a_take_back_whose_panel_response_was_lost_still_moves_the_later_period_on_retry() {
    // Arrange: A (365 d, days 0–365) and B (30 d, days 365–395). A's own provisioning reached
    // the panel but crashed before it was marked. A is refunded on day 0; the take-back's
    // PATCH lands on the panel, its response is lost.
    let bot = TestBot::new();
    let (a, a_payment) = provisioned(&bot, &ivan(), "yearly", "stxA");
    let (b, _) = provisioned(&bot, &ivan(), "monthly", "stxB");
    bot.store.exec("UPDATE orders SET provisioned_at = NULL WHERE public_id = ?1", &[Arg::from(a.as_str())]);
    bot.handle(ivan().is_refunded(&a_payment)).unwrap();
    bot.jobs.take();
    bot.panel.lose_next_update_response();
    assert!(bot.take_back(&a).is_err());
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));

    // Act: the retry.
    let outcome = bot.take_back(&a);

    // Assert: the year was taken once, and B's period and target moved to days 0–30.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert_eq!(bot.store.order_row(&a).unwrap().taken_back_seconds, Some(365 * DAY));
    assert_eq!(bot.store.order_row(&b).unwrap().target_expires_at, Some(at_day(30)));
    let b_id = bot.store.order_row(&b).unwrap().id;
    let period = bot.store.subscriptions().into_iter().find(|p| p.order_id == b_id).unwrap();
    assert_eq!((period.starts_at, period.expires_at), (at_day(0), at_day(30)));
}

#[test]
fn a_payment_whose_thank_you_telegram_refuses_is_still_acknowledged() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let order = bot.store.orders().pop().unwrap().public_id;
    let payment = StarsPaid::new(&order, 100, "stxA");
    bot.telegram.fail_next("sendMessage", ApiFailure::other(403, "Forbidden: bot was blocked by the user"));

    // Act
    let outcome = bot.handle(anna().pays(&payment));

    // Assert: acknowledged (no redelivery), the order paid and its provisioning queued.
    assert_eq!(outcome.unwrap(), Handled::Replied("payment recorded"));
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Paid);
    assert!(bot.jobs.take().iter().any(|j| matches!(j, Job::Provision { .. })));
}

#[test]
fn a_redelivered_refund_queues_the_take_back_again_until_it_is_done() {
    // Arrange: the refund was recorded, but its take-back job was lost.
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.jobs.take();

    // Act: Telegram redelivers the refund; then again after the take-back ran.
    bot.handle(anna().is_refunded(&payment)).unwrap();
    let requeued = bot.jobs.take();
    bot.take_back(&order).unwrap();
    bot.handle(anna().is_refunded(&payment)).unwrap();
    let after = bot.jobs.take();

    // Assert
    assert!(matches!(&requeued[..], [Job::TakeBack { order: o }] if *o == order), "{requeued:?}");
    assert!(after.is_empty(), "{after:?}");
}

// ------------------------------------------------------- 12: money that cannot become an event

#[test]
fn a_payment_in_a_currency_the_shop_does_not_know_gets_an_audit_row_and_an_admin_alert() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    let mut paid = StarsPaid::new("ord0000000000001", 100, "stxEUR");
    paid.currency = "EUR".into();

    // Act
    let outcome = bot.handle(anna().pays(&paid));

    // Assert: nothing recorded as a payment, but nothing lost either.
    assert_eq!(outcome.unwrap(), Handled::Replied("payment in an unknown currency or without a charge id"));
    let audit = bot.store.audit();
    let row = audit.iter().find(|r| r.action == "successful_payment.unreadable").expect("an audit row");
    assert_eq!((row.actor.as_str(), row.subject.as_str()), ("provider:stars", "stars_charge:stxEUR"));
    assert_eq!(row.details["currency"], "EUR");
    let jobs = bot.jobs.take();
    assert!(matches!(jobs.as_slice(), [Job::AdminAlert { text }] if text.contains("stxEUR")), "{jobs:?}");
    assert!(bot.store.rows("SELECT id FROM payments", &[]).is_empty());
}

#[test]
fn a_payment_without_a_payer_is_recorded_and_alerted_not_dropped() {
    // Arrange
    let bot = TestBot::new();
    let mut update = anna().pays(&StarsPaid::new("ord0000000000001", 100, "stxNoFrom"));
    update.message.as_mut().expect("a message").from = None;

    // Act
    let outcome = bot.handle(update);

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("payment without a payer"));
    assert!(bot.store.audit().iter().any(|r| r.subject == "stars_charge:stxNoFrom"));
    assert!(matches!(bot.jobs.take().as_slice(), [Job::AdminAlert { text }] if text.contains("no payer")));
}

#[test]
fn unreadable_money_is_delivered_again_when_its_alert_cannot_be_queued() {
    // Arrange: the queue is down, so the alert cannot be queued.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    let mut paid = StarsPaid::new("ord0000000000001", 100, "stxEUR");
    paid.currency = "EUR".into();
    bot.jobs.go_down();

    // Act
    let outcome = bot.handle(anna().pays(&paid));

    // Assert: a retryable error, so Telegram delivers it again (never acknowledged unrecorded).
    assert!(outcome.expect_err("the alert could not be queued").is_retryable());
}

// ------------------------------------------------------------------ 13: escaping admin text

#[test]
fn an_admins_plan_name_is_plain_on_its_button_and_escaped_in_the_message() {
    // Arrange: a plan the catalogs have no name for, named with HTML's special characters.
    let bot = TestBot::new();
    bot.store.exec(
        "INSERT INTO plans (id, slug, name, days, traffic_limit_bytes, device_limit, sort_order, created_at, updated_at)
         VALUES (9, 'family', 'Family & Friends <5>', 30, 0, 5, 9, 0, 0)",
        &[],
    );
    bot.store.exec("INSERT INTO plan_prices (plan_id, currency, amount_minor) VALUES (9, 'XTR', 300)", &[]);
    bot.given(&anna(), "/start");

    // Act
    bot.handle(anna().sends("/buy")).unwrap();

    // Assert
    let sent = only(bot.telegram.take_calls());
    assert!(sent.text().contains("Family &amp; Friends &lt;5&gt;"), "{}", sent.text());
    assert!(sent.labels().contains(&"Family & Friends <5> · ⭐300".to_string()), "{:?}", sent.labels());
}

#[test]
fn a_plan_slug_without_a_translation_is_escaped_in_my_subscription() {
    // Arrange: Anna's plan is renamed by hand to a slug the catalogs do not know.
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");
    bot.telegram.take_calls();
    bot.store.exec("UPDATE plans SET slug = 'a&b<i>' WHERE slug = 'monthly'", &[]);

    // Act
    bot.handle(anna().sends("/status")).unwrap();

    // Assert
    let sent = only(bot.telegram.take_calls());
    assert!(sent.text().contains("a&amp;b&lt;i&gt;"), "{}", sent.text());
    assert!(!sent.text().contains("<i>"));
}

#[test]
fn a_long_stars_charge_id_is_recorded_provisioned_and_refunded_like_any_other() {
    // Arrange: Telegram documents no length for charge ids; long ones exist in production.
    let bot = TestBot::new();
    let charge = format!("stxhi4w_{}", "a".repeat(150));

    // Act
    let (order, payment) = provisioned(&bot, &anna(), "monthly", &charge);
    bot.handle(anna().is_refunded(&payment)).unwrap();

    // Assert
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!(row.status, OrderStatus::Refunded);
    assert!(!bot.store.audit().iter().any(|r| r.action.ends_with(".unreadable")));
}
