//! Telegram Stars beyond the webhook's payments: the `subscription` update that keeps a Stars
//! subscription's renewal state (which `/status` shows), and the daily reconciliation with
//! Telegram's Stars ledger that recovers payments and refunds whose updates were lost. Both run
//! the shop's real SQL and the real pipeline (`shop::payment::accept`).

mod support;

use support::flows::{at_day, last_order, paid, provisioned};
use support::{only, Person, StarsPaid, TestBot, DAY};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::ports::Job;
use wavegate_shared::shop::stars::Limits;
use wavegate_shared::subscription::OrderStatus;

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn ivan() -> Person {
    Person::new(1001, "Ivan").speaking("ru")
}

fn en() -> Texts {
    Texts::new(Locale::En)
}

/// Arrange: Anna subscribes with Stars (charge `stxSub1`) and the queue provisions it.
/// Returns the invoice payload Telegram will name in `subscription` updates.
fn subscribed(bot: &TestBot) -> String {
    bot.handle(anna().presses("pay:monthly:starsub")).unwrap();
    let order = last_order(bot).public_id;
    bot.handle(anna().pays(&StarsPaid::new(&order, 100, "stxSub1").recurring(true, at_day(30)))).unwrap();
    bot.run_queue();
    bot.telegram.take_calls();
    format!("order:{order}")
}

fn status_of(bot: &TestBot, person: &Person) -> support::ApiCall {
    bot.handle(person.sends("/status")).unwrap();
    only(bot.telegram.take_calls())
}

// ------------------------------------------------------------------ the subscription update

#[test]
fn a_renewal_cancelled_in_telegram_shows_as_off_in_status_with_a_resume_button() {
    // Arrange
    let bot = TestBot::new();
    let payload = subscribed(&bot);
    assert!(status_of(&bot, &anna()).text().contains(&en().get("status-renewal-on")));

    // Act
    let outcome = bot.handle(anna().subscription_becomes(&payload, "canceled"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("renewal state recorded"));
    assert!(bot.store.subscriptions()[0].stars_subscription_canceled);
    let status = status_of(&bot, &anna());
    assert!(status.text().contains(&en().get("status-renewal-canceled")), "{}", status.text());
    assert!(status.callbacks().contains(&"sub:resume".to_string()), "{:?}", status.callbacks());
}

#[test]
fn a_renewal_turned_back_on_in_telegram_shows_as_on_again() {
    // Arrange
    let bot = TestBot::new();
    let payload = subscribed(&bot);
    bot.handle(anna().subscription_becomes(&payload, "canceled")).unwrap();

    // Act
    bot.handle(anna().subscription_becomes(&payload, "active")).unwrap();

    // Assert
    assert!(!bot.store.subscriptions()[0].stars_subscription_canceled);
    let status = status_of(&bot, &anna());
    assert!(status.text().contains(&en().get("status-renewal-on")), "{}", status.text());
    assert!(status.callbacks().contains(&"sub:cancel".to_string()), "{:?}", status.callbacks());
}

#[test]
fn a_failed_renewal_is_shown_and_told_to_the_customer_without_a_resume_button() {
    // Arrange
    let bot = TestBot::new();
    let payload = subscribed(&bot);

    // Act
    let outcome = bot.handle(anna().subscription_becomes(&payload, "failed"));
    let told = only(bot.telegram.take_calls());

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("renewal state recorded"));
    assert_eq!((told.chat_id(), told.text()), (Some(1002), en().get("status-renewal-failed").as_str()));
    let status = status_of(&bot, &anna());
    assert!(status.text().contains(&en().get("status-renewal-failed")), "{}", status.text());
    let callbacks = status.callbacks();
    assert!(!callbacks.iter().any(|c| c == "sub:cancel" || c == "sub:resume"), "{callbacks:?}");
}

#[test]
fn a_subscription_update_naming_someone_elses_order_changes_nothing() {
    // Arrange
    let bot = TestBot::new();
    let payload = subscribed(&bot);

    // Act: Ivan's update names Anna's subscription; a foreign payload and an unknown state.
    let foreign = bot.handle(ivan().subscription_becomes(&payload, "canceled"));
    let not_ours = bot.handle(anna().subscription_becomes("sub:42:vpn_1m", "canceled"));
    let unknown = bot.handle(anna().subscription_becomes(&payload, "paused"));

    // Assert
    assert_eq!(foreign.unwrap(), Handled::Ignored("subscription update for no known subscription"));
    assert_eq!(not_ours.unwrap(), Handled::Ignored("subscription update not ours"));
    assert_eq!(unknown.unwrap(), Handled::Ignored("subscription update not ours"));
    assert!(!bot.store.subscriptions()[0].stars_subscription_canceled);
    assert!(bot.telegram.take_calls().is_empty());
}

// -------------------------------------------------------------------- ledger reconciliation

/// Arrange: `person` opens a Stars invoice for `slug`; returns the order id and its price.
fn invoiced(bot: &TestBot, person: &Person, slug: &str) -> (String, i64) {
    bot.handle(person.presses(&format!("pay:{slug}:stars"))).unwrap();
    bot.telegram.take_calls();
    let order = last_order(bot);
    (order.public_id, order.amount_minor)
}

#[test]
fn a_charge_whose_update_was_lost_is_recorded_and_provisioned_from_the_ledger() {
    // Arrange: Anna paid; Telegram's ledger has it, the update never reached us.
    let bot = TestBot::new();
    let (order, price) = invoiced(&bot, &anna(), "monthly");
    bot.telegram.ledger_payment("stxLost", 1002, price, &format!("order:{order}"), bot.now(), false);
    bot.set_now(bot.now() + 3600);

    // Act
    let report = bot.reconcile_stars(Limits::default()).unwrap();
    let outcomes = bot.run_queue();

    // Assert: paid through the pipeline, provisioned, cursor past it.
    assert_eq!((report.scanned, report.recovered_payments, report.position), (1, 1, 1));
    assert!(report.caught_up);
    assert!(
        matches!(&outcomes[..], [(Job::Provision { .. }, Ok(FulfilOutcome::Done("provisioned")))]),
        "{outcomes:?}"
    );
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Provisioned);
    let payments = bot.store.payments();
    assert_eq!((payments.len(), payments[0].idempotency_key.as_str()), (1, "stars:stxLost"));
}

#[test]
fn a_refund_whose_update_was_lost_is_applied_from_the_ledger() {
    // Arrange: paid and provisioned through the webhook; the refund update was lost.
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    let start = bot.now();
    bot.telegram.ledger_payment("stxA", 1002, 100, &payment.invoice_payload, start, false);
    bot.telegram.ledger_refund("stxA", 1002, 100, start + DAY);
    bot.set_now(start + 2 * DAY);

    // Act
    let report = bot.reconcile_stars(Limits::default()).unwrap();

    // Assert: the known payment was skipped, the refund applied and its take-back queued.
    assert_eq!((report.scanned, report.recovered_payments, report.recovered_refunds), (2, 0, 1));
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Refunded);
    assert_eq!(bot.jobs.take(), [Job::TakeBack { order }]);
}

#[test]
fn what_d1_already_has_is_skipped_and_the_ledger_is_read_again_only_a_day_later() {
    // Arrange: two payments that arrived through the webhook, and a withdrawal.
    let bot = TestBot::new();
    let (_, a) = paid(&bot, &anna(), "monthly", "stxA");
    let (_, b) = paid(&bot, &ivan(), "quarterly", "stxB");
    let start = bot.now();
    bot.telegram.ledger_payment("stxA", 1002, 100, &a.invoice_payload, start, false);
    bot.telegram.ledger_payment("stxB", 1001, b.total_amount, &b.invoice_payload, start, false);
    bot.telegram.ledger_withdrawal("wd1", 5_000, start);
    bot.set_now(start + 3600);

    // Act
    let first = bot.reconcile_stars(Limits::default()).unwrap();
    let first_calls = bot.telegram.take_calls();
    bot.set_now(start + 5 * 3600);
    let too_soon = bot.reconcile_stars(Limits::default()).unwrap();
    let too_soon_calls = bot.telegram.take_calls();
    bot.set_now(start + DAY + 2 * 3600);
    let next_day = bot.reconcile_stars(Limits::default()).unwrap();
    let next_day_calls = bot.telegram.take_calls();

    // Assert
    assert_eq!((first.scanned, first.recovered_payments, first.position), (3, 0, 3));
    assert!(bot.jobs.take().is_empty(), "nothing was missing, nothing is queued");
    assert_eq!(first_calls[0].body["offset"], 0);
    assert!(!too_soon.ran && too_soon_calls.is_empty());
    assert!(next_day.ran && next_day.caught_up);
    assert_eq!(next_day_calls[0].body["offset"], 3, "read from the cursor, not from the start");
}

#[test]
fn a_run_stops_at_its_bound_and_the_next_run_goes_on_from_there() {
    // Arrange: three lost charges; a run may recover one.
    let bot = TestBot::new();
    let start = bot.now();
    let mut orders = Vec::new();
    for (person, slug) in [(anna(), "monthly"), (ivan(), "monthly"), (anna(), "quarterly")] {
        let (order, price) = invoiced(&bot, &person, slug);
        let charge = format!("stx{}", orders.len());
        bot.telegram.ledger_payment(&charge, person.id, price, &format!("order:{order}"), start, false);
        orders.push(order);
    }
    bot.set_now(start + 3600);
    let one = Limits { pages: 3, recoveries: 1 };

    // Act
    let reports: Vec<_> = (0..3).map(|_| bot.reconcile_stars(one).unwrap()).collect();

    // Assert: one each time, in ledger order, none skipped; caught up only at the end.
    let progress: Vec<_> = reports.iter().map(|r| (r.recovered_payments, r.position, r.caught_up)).collect();
    assert_eq!(progress, [(1, 1, false), (1, 2, false), (1, 3, true)]);
    for order in &orders {
        assert_eq!(bot.store.order_row(order).unwrap().status, OrderStatus::Paid, "{order}");
    }
}

#[test]
fn charges_younger_than_ten_minutes_are_left_for_the_webhook() {
    // Arrange: a charge made two minutes ago.
    let bot = TestBot::new();
    let (order, price) = invoiced(&bot, &anna(), "monthly");
    bot.telegram.ledger_payment("stxFresh", 1002, price, &format!("order:{order}"), bot.now() - 120, false);

    // Act
    let report = bot.reconcile_stars(Limits::default()).unwrap();

    // Assert: untouched, and the cursor waits before it.
    assert_eq!((report.scanned, report.position, report.caught_up), (0, 0, false));
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Pending);
}

#[test]
fn a_ledger_charge_for_no_order_of_ours_is_reported_to_the_admins_once() {
    // Arrange: a charge whose payload names nothing we sold.
    let bot = TestBot::new();
    let start = bot.now();
    bot.telegram.ledger_payment("stxOdd", 1002, 100, "order:zzzzzzzzzzzzzzzz", start, false);
    bot.set_now(start + 3600);

    // Act
    let report = bot.reconcile_stars(Limits::default()).unwrap();

    // Assert
    assert_eq!((report.unmatched, report.position), (1, 1));
    let jobs = bot.jobs.take();
    assert!(matches!(&jobs[..], [Job::AdminAlert { .. }]), "{jobs:?}");
}

#[test]
fn when_telegram_is_down_the_cursor_stays_and_the_next_run_reads_the_same_lines() {
    // Arrange
    let bot = TestBot::new();
    let (order, price) = invoiced(&bot, &anna(), "monthly");
    bot.telegram.ledger_payment("stxLost", 1002, price, &format!("order:{order}"), bot.now(), false);
    bot.set_now(bot.now() + 3600);
    bot.telegram.fail_next("getStarTransactions", support::telegram::ApiFailure::other(502, "Bad Gateway"));

    // Act
    let failed = bot.reconcile_stars(Limits::default());
    let again = bot.reconcile_stars(Limits::default()).unwrap();

    // Assert
    assert!(failed.is_err());
    assert_eq!((again.recovered_payments, again.position), (1, 1));
}
