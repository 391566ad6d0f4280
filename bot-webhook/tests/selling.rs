//! Selling, end to end: plans and invoices, Telegram Stars checkout, payments and refunds
//! through `Bot::handle` with Telegram's update JSON; then what the queue does with them
//! (`Fulfiller::provision` and `take_back`) against the in-memory panel; then the free trial and
//! "My subscription". Tests assert on what the fakes received and what the store holds.
//!
//! The money rules under test: an order is paid once per Telegram charge, provisioned once per
//! order (its days reach the panel exactly once, whatever fails and retries), stacked on the
//! time the customer already has, and taken back once when refunded.

mod support;

use serde_json::json;
use support::flows::{at_day, last_order, paid, panel_expiry, provisioned};
use support::panel::{at, SUBSCRIPTION_BASE};
use support::telegram::{ApiFailure, FakeTelegram};
use support::{
    answered_then_edited, methods, only, FakeIds, Person, StarsPaid, TestBot, DAY, GIB, NOW, SQUAD,
    TRIAL_DAYS,
};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::remnawave::{PanelError, TrafficLimitStrategy, UserStatus};
use wavegate_shared::shop::fulfil::{FulfilError, FulfilOutcome};
use wavegate_shared::shop::ports::Job;
use wavegate_shared::subscription::{format_expiry, OrderStatus};

/// Speaks Russian: dates in Moscow time (UTC+3).
fn ivan() -> Person {
    Person::new(1001, "Ivan").speaking("ru")
}

/// Speaks English: dates in UTC.
fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn ru() -> Texts {
    Texts::new(Locale::Ru)
}

fn en() -> Texts {
    Texts::new(Locale::En)
}

/// The seeded plans: slug, days, traffic in GB (`None` = unlimited), devices, every price.
const PLANS: [(&str, u32, Option<i64>, i64, &str); 3] = [
    ("monthly", 30, Some(100), 3, "⭐100 · $2.00 · ₹169 · Rp 32,000"),
    ("quarterly", 90, Some(300), 3, "⭐250 · $5.00 · ₹419 · Rp 79,000"),
    ("yearly", 365, None, 5, "⭐800 · $16.00 · ₹1,339 · Rp 255,000"),
];

/// Razorpay, switched on (all three keys present).
const RAZORPAY: [(&str, &str); 3] = [
    ("RAZORPAY_KEY_ID", "rzp_test_key"),
    ("RAZORPAY_KEY_SECRET", "rzp-secret"),
    ("RAZORPAY_WEBHOOK_SECRET", "rzp-hook"),
];

fn plan_args(texts: Texts, slug: &str) -> Vec<(&'static str, Arg)> {
    let (_, days, gb, devices, _) = PLANS.iter().find(|p| p.0 == slug).copied().expect("a seeded plan");
    let traffic = match gb {
        Some(gb) => texts.format("traffic-gb", &[("gb", Arg::Num(gb))]),
        None => texts.get("traffic-unlimited"),
    };
    vec![
        ("name", Arg::Str(texts.get(&format!("plan-{slug}")))),
        ("days", Arg::Num(i64::from(days))),
        ("traffic", Arg::Str(traffic)),
        ("devices", Arg::Num(devices)),
    ]
}

// ------------------------------------------------------------------------------ plans

#[test]
fn buy_lists_the_three_plans_with_every_price_and_a_button_each() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().sends("/buy"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("plans"));
    let sent = only(bot.telegram.take_calls());
    assert_eq!((sent.method.as_str(), sent.chat_id()), ("sendMessage", Some(1002)));
    let mut expected = en().get("plans-title");
    for (slug, _, _, _, prices) in PLANS {
        let mut args = plan_args(en(), slug);
        args.push(("prices", Arg::from(prices)));
        expected.push_str("\n\n");
        expected.push_str(&en().format("plan-line", &args));
    }
    assert_eq!(sent.text(), expected);
    assert_eq!(
        sent.callbacks(),
        ["plan:monthly", "plan:quarterly", "plan:yearly", "menu:promo", "menu:home"]
    );
    assert_eq!(sent.label("plan:monthly").as_deref(), Some("Monthly · ⭐100"));
    assert_eq!(sent.label("plan:yearly").as_deref(), Some("Yearly · ⭐800"));
}

#[test]
fn the_buy_button_shows_the_plans_in_place_in_the_users_language() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().presses("menu:buy"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("plans"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    assert!(edit.text().starts_with(&ru().get("plans-title")));
    assert!(edit.text().contains("⭐250 · $5.00 · ₹419 · Rp 79,000"));
    assert_eq!(edit.label("plan:monthly"), Some(format!("{} · ⭐100", ru().get("plan-monthly"))));
}

#[test]
fn a_withdrawn_plan_is_no_longer_listed() {
    // Arrange
    let bot = TestBot::new();
    bot.store.withdraw_plan("quarterly");

    // Act
    bot.handle(anna().sends("/buy")).unwrap();

    // Assert
    let sent = only(bot.telegram.take_calls());
    assert_eq!(sent.callbacks(), ["plan:monthly", "plan:yearly", "menu:promo", "menu:home"]);
}

#[test]
fn a_thirty_day_plan_can_be_paid_with_stars_once_or_as_a_stars_subscription() {
    let cases = [
        ("monthly", vec!["pay:monthly:stars", "pay:monthly:starsub", "gift:monthly", "menu:buy"]),
        ("quarterly", vec!["pay:quarterly:stars", "gift:quarterly", "menu:buy"]),
        ("yearly", vec!["pay:yearly:stars", "gift:yearly", "menu:buy"]),
    ];
    for (slug, expected) in cases {
        // Arrange
        let bot = TestBot::new();

        // Act
        let outcome = bot.handle(anna().presses(&format!("plan:{slug}")));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("methods"), "{slug}");
        let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
        assert_eq!(edit.text(), en().format("methods-title", &plan_args(en(), slug)));
        assert_eq!(edit.callbacks(), expected, "{slug}");
    }
}

#[test]
fn method_buttons_show_the_price_in_the_methods_currency() {
    // Arrange
    let bot = TestBot::with_vars(&RAZORPAY);

    // Act
    bot.handle(anna().presses("plan:monthly")).unwrap();

    // Assert
    let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
    let label = |key: &str, price: &str| Some(en().format(key, &[("price", Arg::from(price))]));
    assert_eq!(edit.label("pay:monthly:stars"), label("method-stars", "⭐100"));
    assert_eq!(edit.label("pay:monthly:starsub"), label("method-stars-subscription", "⭐100"));
    assert_eq!(edit.label("pay:monthly:razorpay"), label("method-razorpay", "₹169"));
}

#[test]
fn other_payment_channels_are_offered_only_when_their_keys_are_configured() {
    let xendit = [("XENDIT_SECRET_KEY", "xnd_secret"), ("XENDIT_CALLBACK_TOKEN", "xnd-token")];
    let crypto = [("CRYPTOPAY_TOKEN", "12345:AAkat")];
    type Vars<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Vars, &[&str]); 5] = [
        (&[], &[]),
        (&RAZORPAY, &["pay:yearly:razorpay"]),
        (&RAZORPAY[..2], &[]), // a channel missing a key stays off
        (&xendit, &["pay:yearly:xendit"]),
        (&crypto, &["pay:yearly:cryptopay"]),
    ];
    for (vars, channels) in cases {
        // Arrange
        let bot = TestBot::with_vars(vars);

        // Act
        bot.handle(anna().presses("plan:yearly")).unwrap();

        // Assert
        let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
        let mut expected = vec!["pay:yearly:stars"];
        expected.extend_from_slice(channels);
        expected.extend(["gift:yearly", "menu:buy"]);
        assert_eq!(edit.callbacks(), expected, "{vars:?}");
    }
}

#[test]
fn a_provider_that_refuses_the_checkout_leaves_no_pending_order_and_tells_customer_and_admins() {
    // Arrange: Razorpay configured, but its API answers 401 (here: the fake Bot API's answer
    // to a URL that is not Telegram's, as a wrong key would get).
    let bot = TestBot::with_vars(&RAZORPAY);

    // Act
    let outcome = bot.handle(anna().presses("pay:monthly:razorpay"));
    let again = bot.handle(anna().presses("pay:monthly:razorpay"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("checkout: provider refused"));
    assert_eq!(again.unwrap(), Handled::Replied("checkout: provider refused"));
    let orders = bot.store.orders();
    assert_eq!(orders.len(), 2);
    assert!(
        orders.iter().all(|o| o.status == OrderStatus::Cancelled
            && o.provider == "razorpay"
            && o.amount_minor == 16900),
        "{orders:?}"
    );
    let calls = bot.telegram.take_calls();
    let told: Vec<_> =
        calls.iter().filter(|c| c.method == "sendMessage").map(|c| c.body["text"].clone()).collect();
    assert_eq!(told, vec![en().get("checkout-failed"), en().get("checkout-failed")]);
    let alerts: Vec<_> =
        bot.jobs.take().into_iter().filter(|j| matches!(j, Job::AdminAlert { .. })).collect();
    assert_eq!(alerts.len(), 1, "one alert an hour per provider, not one per customer: {alerts:?}");
}

#[test]
fn unknown_plans_methods_and_unconfigured_channels_are_answered_and_ignored() {
    let cases = [
        ("pay:monthly:razorpay", "method not offered"),
        ("pay:yearly:starsub", "method not offered"),
        ("pay:lifetime:stars", "unknown plan"),
        ("pay:monthly:paypal", "unknown callback"),
        ("pay:monthly", "unknown callback"),
    ];
    for (data, reason) in cases {
        // Arrange
        let bot = TestBot::new();

        // Act
        let outcome = bot.handle(anna().presses(data));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Ignored(reason), "{data}");
        assert_eq!(only(bot.telegram.take_calls()).method, "answerCallbackQuery");
        assert!(bot.store.orders().is_empty(), "{data}");
    }
}

#[test]
fn a_plan_withdrawn_after_its_button_was_drawn_shows_the_current_plans() {
    // Arrange
    let bot = TestBot::new();
    bot.store.withdraw_plan("monthly");

    // Act
    let outcome = bot.handle(anna().presses("plan:monthly"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("methods"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
    assert_eq!(edit.callbacks(), ["plan:quarterly", "plan:yearly", "menu:promo", "menu:home"]);
}

// ---------------------------------------------------------------------------- invoices

#[test]
fn paying_with_stars_creates_a_pending_order_and_sends_an_invoice_for_exactly_its_price() {
    // Arrange
    let bot = TestBot::new();
    let ivan_row = bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().presses("pay:monthly:stars"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("invoice sent"));
    let order = last_order(&bot);
    assert_eq!(order.public_id, FakeIds::order(1));
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!((order.amount_minor, order.currency.as_str(), order.days), (100, "XTR", 30));
    assert_eq!((order.user_id, order.plan_id, order.chat_id), (ivan_row.user.id, Some(1), Some(1001)));
    assert_eq!((order.kind.as_str(), order.provider.as_str()), ("purchase", "stars"));
    assert_eq!(order.metadata["subscription"], false);

    let calls = bot.telegram.take_calls();
    assert_eq!(methods(&calls), ["answerCallbackQuery", "sendInvoice"]);
    let invoice = &calls[1];
    assert_eq!(invoice.chat_id(), Some(1001));
    assert_eq!(invoice.body["currency"], "XTR");
    assert_eq!(invoice.body["prices"], json!([{ "label": ru().get("plan-monthly"), "amount": 100 }]));
    assert_eq!(invoice.body["payload"], format!("order:{}", order.public_id));
    let name = ru().get("plan-monthly");
    assert_eq!(invoice.body["title"], ru().format("invoice-title", &[("name", Arg::Str(name))]));
    assert_eq!(invoice.body["description"], ru().format("invoice-description", &plan_args(ru(), "monthly")));
    assert!(invoice.body.get("provider_token").is_none(), "Stars invoices carry no provider token");
    assert!(invoice.body.get("subscription_period").is_none());
}

#[test]
fn invoice_titles_and_descriptions_fit_telegrams_limits_in_every_language() {
    for locale in Locale::ALL {
        for (slug, ..) in PLANS {
            // Arrange
            let bot = TestBot::new();
            bot.given(&anna(), "/start");
            bot.handle(anna().presses(&format!("lang:{}", locale.code()))).unwrap();
            bot.telegram.take_calls();

            // Act
            let outcome = bot.handle(anna().presses(&format!("pay:{slug}:stars")));

            // Assert: the fake refuses a title over 32 or a description over 255 characters.
            assert_eq!(outcome.unwrap(), Handled::Replied("invoice sent"), "{locale:?} {slug}");
            let calls = bot.telegram.take_calls();
            let invoice = calls.iter().find(|c| c.method == "sendInvoice").expect("an invoice");
            let title = invoice.body["title"].as_str().unwrap();
            assert!(!title.is_empty() && title.chars().count() <= 32, "{locale:?}: {title}");
            assert!(invoice.body["description"].as_str().unwrap().chars().count() <= 255);
        }
    }
}

#[test]
fn a_stars_subscription_sends_a_link_to_a_monthly_renewing_invoice() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().presses("pay:monthly:starsub"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("invoice sent"));
    let order = last_order(&bot);
    assert_eq!((order.status, order.amount_minor, order.days), (OrderStatus::Pending, 100, 30));
    assert_eq!(order.metadata["subscription"], true);

    let calls = bot.telegram.take_calls();
    assert_eq!(methods(&calls), ["answerCallbackQuery", "createInvoiceLink", "sendMessage"]);
    let link = &calls[1].body;
    assert_eq!(link["subscription_period"], 2_592_000);
    assert_eq!((link["currency"].as_str(), link["prices"][0]["amount"].as_i64()), (Some("XTR"), Some(100)));
    assert_eq!(link["payload"], format!("order:{}", order.public_id));
    let offer = &calls[2];
    assert_eq!(offer.chat_id(), Some(1002));
    let args = [("name", Arg::from("Monthly")), ("price", Arg::from("⭐100"))];
    assert_eq!(offer.text(), en().format("subscription-offer", &args));
    assert_eq!(offer.urls(), [FakeTelegram::invoice_link(1)]);
    assert_eq!(offer.label(&FakeTelegram::invoice_link(1)), Some(en().format("subscription-button", &args)));
}

// ---------------------------------------------------------------------- pre-checkout

#[test]
fn a_checkout_of_a_pending_order_by_its_owner_at_its_price_is_approved() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
    bot.telegram.take_calls();
    let order = last_order(&bot);

    // Act
    let outcome = bot.handle(ivan().checks_out(&format!("order:{}", order.public_id), "XTR", 100));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("checkout approved"));
    let answer = only(bot.telegram.take_calls());
    assert_eq!(answer.method, "answerPreCheckoutQuery");
    assert_eq!(answer.body, json!({ "pre_checkout_query_id": "pcq-1001", "ok": true }));
    assert_eq!(bot.store.order_row(&order.public_id).unwrap().status, OrderStatus::Pending);
}

#[test]
fn checkouts_that_do_not_match_a_pending_order_are_refused_with_a_reason_in_the_payers_language() {
    type Tamper = fn(&TestBot, &str) -> (Person, String, &'static str, i64);
    let cases: [(&str, Tamper, &str); 8] = [
        (
            "an unknown order",
            |_, _| (ivan(), "order:nosuchorder0000".into(), "XTR", 100),
            "checkout-order-unknown",
        ),
        (
            "a foreign payload",
            |_, _| (ivan(), "sub:1001:vpn_1m".into(), "XTR", 100),
            "checkout-order-unknown",
        ),
        ("another user's order", |_, p| (anna(), p.into(), "XTR", 100), "checkout-order-unknown"),
        ("a wrong amount", |_, p| (ivan(), p.into(), "XTR", 99), "checkout-amount-mismatch"),
        ("a wrong currency", |_, p| (ivan(), p.into(), "USD", 100), "checkout-amount-mismatch"),
        (
            "an order already paid",
            |bot, p| {
                let order = p.trim_start_matches("order:");
                bot.handle(ivan().pays(&StarsPaid::new(order, 100, "stxPaid"))).unwrap();
                bot.telegram.take_calls();
                (ivan(), p.into(), "XTR", 100)
            },
            "checkout-order-paid",
        ),
        (
            "a price changed since the invoice",
            |bot, p| {
                bot.store.set_price("monthly", "XTR", 120);
                (ivan(), p.into(), "XTR", 100)
            },
            "checkout-price-changed",
        ),
        (
            "a plan withdrawn since the invoice",
            |bot, p| {
                bot.store.withdraw_plan("monthly");
                (ivan(), p.into(), "XTR", 100)
            },
            "checkout-price-changed",
        ),
    ];
    for (case, tamper, key) in cases {
        // Arrange
        let bot = TestBot::new();
        bot.given(&anna(), "/start");
        bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
        bot.telegram.take_calls();
        let payload = format!("order:{}", last_order(&bot).public_id);
        let (payer, payload, currency, amount) = tamper(&bot, &payload);
        let status_before = last_order(&bot).status;

        // Act
        let outcome = bot.handle(payer.checks_out(&payload, currency, amount));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("checkout refused"), "{case}");
        let answer = only(bot.telegram.take_calls());
        assert_eq!(answer.body["ok"], false, "{case}");
        let texts = Texts::new(Locale::from_telegram(payer.language_code.as_deref()));
        assert_eq!(answer.body["error_message"], texts.get(key), "{case}");
        assert_eq!(last_order(&bot).status, status_before, "{case}: a refusal changes nothing");
    }
}

// ---------------------------------------------------------------------------- payments

#[test]
fn a_successful_payment_marks_the_order_paid_and_queues_exactly_its_provisioning() {
    // Arrange
    let bot = TestBot::new();
    let ivan_row = bot.given(&ivan(), "/start");
    bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
    bot.telegram.take_calls();
    let order = last_order(&bot).public_id;

    // Act
    let outcome = bot.handle(ivan().pays(&StarsPaid::new(&order, 100, "stxCharge1")));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("payment recorded"));
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!(
        (row.status, row.paid_at, row.external_id.as_deref()),
        (OrderStatus::Paid, Some(NOW), Some("stxCharge1"))
    );
    let payments = bot.store.payments();
    assert_eq!(payments.len(), 1);
    assert_eq!((payments[0].order_id, payments[0].user_id), (row.id, ivan_row.user.id));
    assert_eq!((payments[0].amount_minor, payments[0].status.as_str()), (100, "completed"));
    assert_eq!(payments[0].external_id.as_deref(), Some("stxCharge1"));
    assert_eq!(bot.jobs.take(), [Job::Provision { order: order.clone() }]);
    let sent = only(bot.telegram.take_calls());
    assert_eq!((sent.method.as_str(), sent.chat_id()), ("sendMessage", Some(1001)));
    assert_eq!(sent.text(), ru().get("payment-received"));
}

#[test]
fn a_replayed_payment_changes_nothing_and_sends_nothing() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = paid(&bot, &ivan(), "monthly", "stxCharge1");
    let before = bot.store.order_row(&order).unwrap();

    // Act
    let outcome = bot.handle(ivan().pays(&payment));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("payment already recorded"));
    assert!(bot.telegram.take_calls().is_empty());
    assert_eq!(bot.store.payments().len(), 1);
    assert_eq!(bot.store.orders().len(), 1);
    assert_eq!(bot.store.order_row(&order).unwrap(), before);
    // Queued again in case the first delivery died before queueing; provisioning is idempotent.
    assert_eq!(bot.jobs.take(), [Job::Provision { order }]);
}

#[test]
fn a_payment_arriving_while_the_queue_is_down_is_queued_when_telegram_delivers_it_again() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
    bot.telegram.take_calls();
    let payment = StarsPaid::new(&FakeIds::order(1), 100, "stxCharge1");
    bot.jobs.go_down();

    // Act
    let first = bot.handle(ivan().pays(&payment));
    bot.jobs.come_back();
    let again = bot.handle(ivan().pays(&payment));

    // Assert: the first delivery fails retryably (Telegram redelivers), the money is kept once.
    assert!(first.expect_err("the queue is down").is_retryable());
    assert_eq!(again.unwrap(), Handled::Ignored("payment already recorded"));
    assert_eq!(bot.store.payments().len(), 1);
    assert_eq!(bot.jobs.take(), [Job::Provision { order: FakeIds::order(1) }]);
}

#[test]
fn a_replayed_payment_after_provisioning_adds_no_days() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &ivan(), "monthly", "stxCharge1");

    // Act
    bot.handle(ivan().pays(&payment)).unwrap();
    let outcomes = bot.run_queue();

    // Assert
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].0, Job::Provision { order });
    assert_eq!(outcomes[0].1.as_ref().unwrap(), &FulfilOutcome::Done("already provisioned"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert!(bot.telegram.take_calls().is_empty());
}

#[test]
fn a_payment_that_does_not_match_its_order_fails_the_order_and_alerts_the_admins() {
    let cases = [
        ("a short amount", StarsPaid::new(&FakeIds::order(1), 99, "stxOdd"), Some(OrderStatus::Failed)),
        (
            "another currency",
            StarsPaid::new(&FakeIds::order(1), 100, "stxOdd").in_currency("USD"),
            Some(OrderStatus::Failed),
        ),
        ("an unknown order", StarsPaid::new("nosuchorder00000", 100, "stxOdd"), None),
        ("a foreign payload", StarsPaid::new("x", 100, "stxOdd").with_payload("sub:1001:vpn_1m"), None),
    ];
    for (case, payment, order_status) in cases {
        // Arrange
        let bot = TestBot::new();
        bot.handle(ivan().presses("pay:monthly:stars")).unwrap();
        bot.telegram.take_calls();

        // Act
        let outcome = bot.handle(ivan().pays(&payment));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("payment mismatch"), "{case}");
        if let Some(status) = order_status {
            assert_eq!(bot.store.order_row(&FakeIds::order(1)).unwrap().status, status, "{case}");
        }
        assert!(bot.store.payments().is_empty(), "{case}: nothing is recorded as paid");
        let jobs = bot.jobs.take();
        assert_eq!(jobs.len(), 1, "{case}: {jobs:?}");
        let Job::AdminAlert { text } = &jobs[0] else {
            panic!("{case}: expected an admin alert, got {jobs:?}")
        };
        assert!(text.contains("stxOdd") && text.contains("1001"), "{case}: {text}");
        let sent = only(bot.telegram.take_calls());
        assert_eq!(
            (sent.chat_id(), sent.text()),
            (Some(1001), ru().get("payment-problem").as_str()),
            "{case}"
        );
        assert!(bot
            .store
            .audit()
            .iter()
            .any(|a| a.action == "payment.unmatched" && a.subject == "payment:stars:stxOdd"));

        // A redelivery of the same charge is not reported again.
        let again = bot.handle(ivan().pays(&payment));
        assert_eq!(again.unwrap(), Handled::Ignored("unmatched payment already reported"), "{case}");
        assert!(bot.jobs.take().is_empty() && bot.telegram.take_calls().is_empty(), "{case}");
    }
}

#[test]
fn a_stars_subscription_renewal_buys_a_new_period_on_an_order_of_its_own() {
    // Arrange: Anna subscribed a month ago; the first period is on the panel.
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:starsub")).unwrap();
    let first = last_order(&bot).public_id;
    let first_payment = StarsPaid::new(&first, 100, "stxSub1").recurring(true, at_day(30));
    bot.handle(anna().pays(&first_payment)).unwrap();
    let outcomes = bot.run_queue();
    assert!(matches!(outcomes[0].1, Ok(FulfilOutcome::Done("provisioned"))));
    bot.telegram.take_calls();
    bot.set_now(at_day(30));

    // Act: Telegram charges the renewal, with the same payload and a new charge id.
    let renewal = StarsPaid::new(&first, 100, "stxSub2").recurring(false, at_day(60));
    let outcome = bot.handle(anna().pays(&renewal));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("payment recorded"));
    let orders = bot.store.orders();
    assert_eq!(orders.len(), 2);
    let (original, renewed) = (&orders[0], &orders[1]);
    assert_eq!(original.status, OrderStatus::Provisioned, "the original order is untouched");
    assert_eq!(renewed.kind, "renewal");
    assert_eq!((renewed.status, renewed.amount_minor, renewed.days), (OrderStatus::Paid, 100, 30));
    assert_eq!((renewed.plan_id, renewed.user_id), (original.plan_id, original.user_id));
    assert_eq!(renewed.metadata["renews"], first);
    assert_eq!(bot.store.payments()[1].order_id, renewed.id);
    assert_eq!(bot.jobs.take(), [Job::Provision { order: renewed.public_id.clone() }]);
    assert_eq!(only(bot.telegram.take_calls()).text(), en().get("payment-received"));

    // …and provisioning it stacks 30 more days.
    assert_eq!(bot.provision(&renewed.public_id).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(60));
}

#[test]
fn paying_an_already_paid_invoice_a_second_time_buys_the_plan_again() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = provisioned(&bot, &anna(), "monthly", "stxOnce");

    // Act
    let outcome = bot.handle(anna().pays(&StarsPaid::new(&order, 100, "stxTwice")));
    let outcomes = bot.run_queue();

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("payment recorded"));
    let again = last_order(&bot);
    assert_eq!((again.kind.as_str(), again.status), ("purchase", OrderStatus::Provisioned));
    assert_eq!(outcomes.len(), 1);
    assert_eq!(panel_expiry(&bot, 1002), at_day(60));
}

// ----------------------------------------------------------------------------- refunds

#[test]
fn a_refund_marks_payment_and_order_refunded_and_queues_taking_the_days_back() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &ivan(), "monthly", "stxCharge1");

    // Act
    let outcome = bot.handle(ivan().is_refunded(&payment));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("refund recorded"));
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!((row.status, row.refunded_at), (OrderStatus::Refunded, Some(NOW)));
    assert_eq!(bot.store.payments()[0].status, "refunded");
    assert_eq!(bot.jobs.take(), [Job::TakeBack { order }]);
    assert!(bot.telegram.take_calls().is_empty(), "the customer hears about it once the days are back");
}

#[test]
fn a_replayed_refund_changes_nothing() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &ivan(), "monthly", "stxCharge1");
    bot.handle(ivan().is_refunded(&payment)).unwrap();
    bot.jobs.take();
    let before = bot.store.order_row(&order).unwrap();

    // Act
    let outcome = bot.handle(ivan().is_refunded(&payment));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("refund already recorded"));
    // The take-back is queued again (the first may have been lost); a second one finds the
    // order reverted and changes nothing.
    assert_eq!(bot.jobs.take(), [Job::TakeBack { order: order.clone() }]);
    assert_eq!(bot.store.order_row(&order).unwrap(), before);
    assert!(bot.telegram.take_calls().is_empty());
}

#[test]
fn a_refund_of_an_unknown_charge_alerts_the_admins() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stxCharge1");

    // Act
    let outcome = bot.handle(ivan().is_refunded(&StarsPaid::new(&FakeIds::order(1), 100, "stxStranger")));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("refund not applied; kept for the admins"));
    let jobs = bot.jobs.take();
    assert!(matches!(&jobs[..], [Job::AdminAlert { text }] if text.contains("stxStranger")), "{jobs:?}");
    assert_eq!(bot.store.order_row(&FakeIds::order(1)).unwrap().status, OrderStatus::Provisioned);
    assert_eq!(bot.store.payments()[0].status, "completed");
}

// -------------------------------------------------------------------------- fulfilment

#[test]
fn provisioning_a_first_purchase_creates_the_panel_user_and_sends_the_link_and_qr_code() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");

    // Act
    let outcome = bot.provision(&order);

    // Assert: the panel user.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned"));
    let users = bot.panel.users();
    assert_eq!(users.len(), 1);
    let user = &users[0];
    assert_eq!((user.id.0, user.username.as_str(), user.telegram_id), (1, "tg_1001", Some(1001)));
    assert_eq!(user.expire_at, at(at_day(30)));
    assert_eq!((user.traffic_limit_bytes, user.hwid_device_limit), (100 * GIB, Some(3)));
    assert_eq!(
        (user.traffic_limit_strategy, user.status),
        (TrafficLimitStrategy::NoReset, UserStatus::Active)
    );
    assert_eq!(user.tag.as_deref(), Some("WAVEGATE"));
    assert_eq!(bot.panel.squads_of(1), [SQUAD]);

    // The customer: the link exactly as the panel gave it, then its QR code.
    let calls = bot.telegram.take_calls();
    assert_eq!(methods(&calls), ["sendMessage", "sendPhoto"]);
    let (message, photo) = (&calls[0], &calls[1]);
    assert_eq!(message.chat_id(), Some(1001));
    let args = [
        ("expires", Arg::from("31.01.2026 03:00")), // Moscow time
        ("link", Arg::Str(user.subscription_url.clone())),
    ];
    assert_eq!(message.text(), ru().format("provisioned", &args));
    assert!(user.subscription_url.starts_with(SUBSCRIPTION_BASE));
    assert_eq!(photo.chat_id(), Some(1001));
    assert_eq!(photo.caption(), ru().get("qr-caption"));
    let png = photo.photo.as_ref().expect("a photo upload");
    assert_eq!(png.content_type, "image/png");
    assert!(png.is_png(), "a PNG image");
    let (width, height) = png.png_size().unwrap();
    assert!(width == height && width >= 21 * 8, "{width}x{height}");

    // The store mirrors the panel and remembers the order is done.
    let row = bot.store.order_row(&order).unwrap();
    assert_eq!(row.status, OrderStatus::Provisioned);
    assert_eq!(
        (row.target_expires_at, row.provisioned_at, row.notified_at),
        (Some(at_day(30)), Some(NOW), Some(NOW))
    );
    let stored = bot.store.user(1001).unwrap();
    assert_eq!((stored.panel_user_id, stored.expires_at), (Some(1), Some(at_day(30))));
    assert_eq!(stored.subscription_url.as_deref(), Some(user.subscription_url.as_str()));
    assert_eq!(stored.provisioning_until, None, "the lease is released");
    let periods = bot.store.subscriptions();
    assert_eq!(periods.len(), 1);
    assert_eq!(
        (periods[0].starts_at, periods[0].expires_at, periods[0].source.as_str()),
        (NOW, at_day(30), "purchase")
    );
}

#[test]
fn a_subscription_link_with_characters_html_reserves_reaches_the_customer_unchanged() {
    // Arrange
    let bot = TestBot::new();
    bot.panel.set_subscription_base("https://sub.example.test/api/sub?client=wavegate&lang=ru#");
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");

    // Act
    bot.provision(&order).unwrap();

    // Assert: the fake refuses a raw `&` in HTML; the user reads the link exactly.
    let url = bot.panel.user(1).unwrap().subscription_url;
    let message = bot.telegram.take_calls().into_iter().next().unwrap();
    assert!(message.text().contains("client=wavegate&amp;lang=ru"));
    assert!(message.plain_text().contains(&url), "{}", message.plain_text());
}

#[test]
fn provisioning_the_same_order_twice_adds_no_days_and_sends_nothing_the_second_time() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = provisioned(&bot, &ivan(), "monthly", "stxCharge1");
    bot.set_now(NOW + 3600);

    // Act
    let outcome = bot.provision(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("already provisioned"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert!(bot.panel.take_calls().is_empty());
    assert!(bot.telegram.take_calls().is_empty());
}

#[test]
fn a_second_purchase_stacks_on_the_current_expiry_with_the_new_plans_limits() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxFirst");
    bot.panel.use_traffic(1, 40 * GIB);
    bot.set_now(at_day(10));
    let (second, _) = paid(&bot, &anna(), "quarterly", "stxSecond");

    // Act
    let outcome = bot.provision(&second);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned"));
    let user = bot.panel.user(1).unwrap();
    assert_eq!(bot.panel.users().len(), 1);
    assert_eq!(user.expire_at, at(at_day(30 + 90)));
    assert_eq!((user.traffic_limit_bytes, user.hwid_device_limit), (300 * GIB, Some(3)));
    assert_eq!(user.user_traffic.used_traffic_bytes, 0, "a new paid period comes with fresh traffic");
    let expires = format_expiry(at(at_day(120)), Locale::En.time_zone());
    assert!(bot.telegram.take_calls()[0].text().contains(&expires));
}

#[test]
fn paid_orders_provisioned_out_of_order_still_add_up() {
    // Arrange: two orders paid before the queue got to either.
    let bot = TestBot::new();
    let (monthly, _) = paid(&bot, &anna(), "monthly", "stxA");
    let (quarterly, _) = paid(&bot, &anna(), "quarterly", "stxB");

    // Act
    let later = bot.provision(&quarterly);
    let earlier = bot.provision(&monthly);

    // Assert
    assert!(later.is_ok() && earlier.is_ok());
    assert_eq!(panel_expiry(&bot, 1002), at_day(120));
    assert_eq!(bot.panel.users().len(), 1);
}

#[test]
fn an_order_in_flight_counts_when_another_one_is_provisioned_first() {
    // Arrange: the quarterly order got its target, then the panel failed before applying it.
    let bot = TestBot::new();
    let (monthly, _) = paid(&bot, &anna(), "monthly", "stxA");
    let (quarterly, _) = paid(&bot, &anna(), "quarterly", "stxB");
    bot.panel.fail_after(1, 1);
    assert!(bot.provision(&quarterly).is_err());
    assert_eq!(bot.store.order_row(&quarterly).unwrap().target_expires_at, Some(at_day(90)));

    // Act
    bot.provision(&monthly).unwrap();
    bot.provision(&quarterly).unwrap();

    // Assert
    assert_eq!(bot.store.order_row(&monthly).unwrap().target_expires_at, Some(at_day(120)));
    assert_eq!(panel_expiry(&bot, 1002), at_day(120));
}

#[test]
fn a_panel_user_that_expired_long_ago_restarts_from_now() {
    // Arrange: the panel still has Anna from a subscription that ended months ago.
    let bot = TestBot::new();
    let old = bot.panel.seed_user("tg_1002", Some(1002), at_day(-100), UserStatus::Expired);
    let (order, _) = paid(&bot, &anna(), "monthly", "stxCharge1");

    // Act
    let outcome = bot.provision(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned"));
    let user = bot.panel.user(old.id.0).unwrap();
    assert_eq!(bot.panel.users().len(), 1, "the existing user is reused");
    assert_eq!((user.expire_at, user.status), (at(at_day(30)), UserStatus::Active));
    assert_eq!(bot.store.user(1002).unwrap().panel_user_id, Some(old.id.0));
}

#[test]
fn a_disabled_panel_user_is_enabled_again_with_the_days_added() {
    // Arrange
    let bot = TestBot::new();
    let old = bot.panel.seed_user("tg_1002", Some(1002), at_day(10), UserStatus::Disabled);
    let (order, _) = paid(&bot, &anna(), "monthly", "stxCharge1");

    // Act
    bot.provision(&order).unwrap();

    // Assert
    let user = bot.panel.user(old.id.0).unwrap();
    assert_eq!((user.expire_at, user.status), (at(at_day(40)), UserStatus::Active));
}

#[test]
fn a_panel_outage_fails_provisioning_without_marking_anything_and_the_retry_applies_it_once() {
    for (case, skip) in [("before any change", 0), ("on create", 1)] {
        // Arrange
        let bot = TestBot::new();
        let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");
        bot.panel.fail_after(skip, 1);

        // Act
        let failed = bot.provision(&order);
        let failed_row = bot.store.order_row(&order).unwrap();
        bot.set_now(NOW + 3600); // the queue retries an hour later
        let retried = bot.provision(&order);
        let again = bot.provision(&order);

        // Assert
        assert!(matches!(failed, Err(FulfilError::Panel(PanelError::Unavailable(_)))), "{case}: {failed:?}");
        assert_eq!((failed_row.status, failed_row.notified_at), (OrderStatus::Paid, None), "{case}");
        assert_eq!(retried.unwrap(), FulfilOutcome::Done("provisioned"), "{case}");
        assert_eq!(again.unwrap(), FulfilOutcome::Done("already provisioned"), "{case}");
        assert_eq!(bot.panel.users().len(), 1, "{case}");
        let expected = if skip == 0 { NOW + 3600 } else { NOW }; // a target, once set, holds
        assert_eq!(panel_expiry(&bot, 1001), expected + 30 * DAY, "{case}");
        let calls = bot.telegram.take_calls();
        assert_eq!(methods(&calls), ["sendMessage", "sendPhoto"], "{case}: the customer is told once");
        assert_eq!(bot.store.user(1001).unwrap().provisioning_until, None, "{case}");
    }
}

#[test]
fn a_create_whose_response_was_lost_is_found_on_retry_and_not_extended_twice() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");
    bot.panel.lose_next_create_response();
    assert!(bot.provision(&order).is_err());
    bot.set_now(NOW + 600);

    // Act
    let outcome = bot.provision(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(bot.panel.users().len(), 1);
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
}

#[test]
fn a_username_taken_on_create_reuses_that_user_without_adding_days_twice() {
    // Arrange: an earlier attempt's create lands just before this one's.
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");
    bot.panel.lose_race_on_next_create();

    // Act
    let outcome = bot.provision(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned"));
    let calls = bot.panel.take_calls();
    assert!(calls.contains(&"create_user tg_1001".to_string()), "{calls:?}");
    assert_eq!(bot.panel.users().len(), 1);
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert_eq!(bot.store.user(1001).unwrap().panel_user_id, Some(1));
}

#[test]
fn when_telegram_fails_after_provisioning_only_the_notice_is_retried() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");
    bot.telegram.fail_next("sendMessage", ApiFailure::other(502, "Bad Gateway"));
    let failed = bot.provision(&order);
    bot.telegram.take_calls();
    bot.panel.take_calls();

    // Act
    let retried = bot.provision(&order);

    // Assert
    assert!(matches!(failed, Err(FulfilError::Notice(_))), "{failed:?}");
    assert_eq!(retried.unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(bot.panel.take_calls(), ["get_user 1"], "no second change on the panel");
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert_eq!(methods(&bot.telegram.take_calls()), ["sendMessage", "sendPhoto"]);
    assert_eq!(bot.store.order_row(&order).unwrap().notified_at, Some(NOW));
}

#[test]
fn a_customer_who_blocked_the_bot_is_provisioned_and_marked_blocked() {
    // Arrange
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxCharge1");
    bot.telegram.fail_next("sendMessage", ApiFailure::blocked_by_user());

    // Act
    let outcome = bot.provision(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("provisioned; the customer blocked the bot"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert!(bot.store.user(1001).unwrap().blocked);
    assert!(bot.store.order_row(&order).unwrap().notified_at.is_some());
}

#[test]
fn a_refund_takes_the_orders_days_back_from_the_panel_and_tells_the_customer() {
    // Arrange: 30 + 90 days on the panel; the 90 are refunded.
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stxA");
    let (quarterly, payment) = provisioned(&bot, &ivan(), "quarterly", "stxB");
    bot.handle(ivan().is_refunded(&payment)).unwrap();

    // Act
    let outcomes = bot.run_queue();

    // Assert
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].0, Job::TakeBack { order: quarterly.clone() });
    assert_eq!(outcomes[0].1.as_ref().unwrap(), &FulfilOutcome::Done("taken back"));
    let user = bot.panel.user(1).unwrap();
    assert_eq!((user.expire_at, user.status), (at(at_day(30)), UserStatus::Active));
    let row = bot.store.order_row(&quarterly).unwrap();
    assert_eq!((row.revert_expires_at, row.reverted_at), (Some(at_day(30)), Some(NOW)));
    assert_eq!(bot.store.user(1001).unwrap().expires_at, Some(at_day(30)));
    let refunded = bot.store.subscriptions().into_iter().find(|s| s.order_id == row.id).unwrap();
    assert_eq!(refunded.status, "refunded");
    let sent = only(bot.telegram.take_calls());
    let expected = format!(
        "{}\n{}",
        ru().format("refunded", &[("amount", Arg::from("⭐250")), ("days", Arg::Num(90))]),
        ru().format("refunded-active-until", &[("expires", Arg::from("31.01.2026 03:00"))])
    );
    assert_eq!((sent.chat_id(), sent.text()), (Some(1001), expected.as_str()));
}

#[test]
fn a_refund_that_leaves_no_time_disables_the_panel_user() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.jobs.take();

    // Act
    let outcome = bot.take_back(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(bot.panel.user(1).unwrap().status, UserStatus::Disabled);
    assert_eq!(bot.store.order_row(&order).unwrap().revert_expires_at, Some(0));
    let sent = only(bot.telegram.take_calls());
    let refunded = en().format("refunded", &[("amount", Arg::from("⭐100")), ("days", Arg::Num(30))]);
    assert_eq!(sent.text(), format!("{refunded}\n{}", en().get("refunded-ended")));
}

#[test]
fn taking_back_twice_changes_nothing_the_second_time() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");
    let (order, payment) = provisioned(&bot, &anna(), "monthly", "stxB");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.take_back(&order).unwrap();
    bot.telegram.take_calls();
    bot.panel.take_calls();

    // Act
    let outcome = bot.take_back(&order);

    // Assert
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("nothing to take back"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(30));
    assert!(bot.panel.take_calls().is_empty() && bot.telegram.take_calls().is_empty());
}

#[test]
fn an_order_refunded_before_it_was_provisioned_never_reaches_the_panel() {
    // Arrange
    let bot = TestBot::new();
    let (order, payment) = paid(&bot, &anna(), "monthly", "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();

    // Act: the queue delivers the provisioning first, then the take-back.
    let provision = bot.provision(&order);
    let take_back = bot.take_back(&order);

    // Assert
    assert_eq!(provision.unwrap(), FulfilOutcome::Done("order is not paid"));
    assert_eq!(take_back.unwrap(), FulfilOutcome::Done("taken back"));
    assert!(bot.panel.users().is_empty());
    assert!(bot.panel.take_calls().is_empty());
    assert!(bot.store.order_row(&order).unwrap().reverted_at.is_some());
}

#[test]
fn a_purchase_after_a_refund_that_ended_the_subscription_does_not_restore_the_refunded_days() {
    // Arrange: Anna's only month was refunded; the panel user is disabled.
    let bot = TestBot::new();
    let (first, payment) = provisioned(&bot, &anna(), "monthly", "stxA");
    bot.handle(anna().is_refunded(&payment)).unwrap();
    bot.take_back(&first).unwrap();
    let (second, _) = paid(&bot, &anna(), "monthly", "stxB");

    // Act
    bot.provision(&second).unwrap();

    // Assert: she paid for 30 days once (the other 30 were refunded), and not for the minute
    // the take-back parks the disabled user's expiry ahead (the panel refuses past expiries):
    // the chaos test caught a kept order stacking on it.
    assert_eq!(panel_expiry(&bot, 1002), at_day(30));
}

#[test]
fn an_unprovisioned_refund_does_not_tell_a_customer_with_time_left_that_it_ended() {
    // Arrange: a month on the panel; a second month paid and refunded before provisioning.
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");
    let (second, payment) = paid(&bot, &anna(), "monthly", "stxB");
    bot.handle(anna().is_refunded(&payment)).unwrap();

    // Act
    bot.take_back(&second).unwrap();

    // Assert
    let sent = only(bot.telegram.take_calls());
    assert_eq!(panel_expiry(&bot, 1002), at_day(30));
    assert!(!sent.text().contains(&en().get("refunded-ended")), "{}", sent.text());
}

// ------------------------------------------------------------------------------- trial

#[test]
fn a_new_user_gets_a_free_trial_which_the_queue_provisions_with_the_trial_limits() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().sends("/trial"));
    let jobs = bot.jobs.take();
    let sent = only(bot.telegram.take_calls());
    let provisioned = jobs.iter().map(|job| match job {
        Job::Provision { order } => bot.provision(order),
        other => panic!("unexpected job {other:?}"),
    });
    let provisioned: Vec<_> = provisioned.collect();

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("trial started"));
    assert_eq!(sent.text(), ru().format("trial-started", &[("days", Arg::Num(i64::from(TRIAL_DAYS)))]));
    let trial = last_order(&bot);
    assert_eq!(jobs, [Job::Provision { order: trial.public_id.clone() }]);
    assert_eq!((trial.kind.as_str(), trial.amount_minor, trial.days), ("trial", 0, i64::from(TRIAL_DAYS)));
    assert!(bot.store.user(1001).unwrap().trial_used);
    assert_eq!(provisioned[0].as_ref().unwrap(), &FulfilOutcome::Done("provisioned"));
    let user = bot.panel.user(1).unwrap();
    assert_eq!(user.expire_at, at(at_day(i64::from(TRIAL_DAYS))));
    assert_eq!((user.traffic_limit_bytes, user.hwid_device_limit), (10 * GIB, Some(1)));
    assert_eq!(user.traffic_limit_strategy, TrafficLimitStrategy::NoReset);
}

#[test]
fn the_trial_can_be_taken_only_once() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/trial");
    bot.jobs.take();

    // Act
    let by_command = bot.handle(ivan().sends("/trial"));
    let command_reply = only(bot.telegram.take_calls());
    let by_button = bot.handle(ivan().presses("menu:trial"));
    let button_reply = answered_then_edited(bot.telegram.take_calls(), &ivan());

    // Assert
    assert_eq!(by_command.unwrap(), Handled::Replied("trial already used"));
    assert_eq!(by_button.unwrap(), Handled::Replied("trial already used"));
    assert_eq!(command_reply.text(), ru().get("trial-used"));
    assert_eq!(button_reply.text(), ru().get("trial-used"));
    assert!(bot.jobs.take().is_empty());
    assert_eq!(bot.store.orders().len(), 1);
}

#[test]
fn a_customer_who_already_has_a_subscription_is_not_offered_the_trial() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");

    // Act
    let trial = bot.handle(anna().sends("/trial"));
    let trial_reply = only(bot.telegram.take_calls());
    bot.handle(anna().sends("/start")).unwrap();
    let welcome = only(bot.telegram.take_calls());

    // Assert
    assert_eq!(trial.unwrap(), Handled::Replied("trial not for customers"));
    assert_eq!(trial_reply.text(), en().get("trial-not-available"));
    assert!(bot.jobs.take().is_empty());
    assert!(!bot.store.user(1002).unwrap().trial_used);
    assert!(!welcome.callbacks().contains(&"menu:trial".to_string()), "{:?}", welcome.callbacks());
}

#[test]
fn the_trial_button_disappears_from_the_menu_once_the_trial_is_taken() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(anna().sends("/start")).unwrap();
    let before = only(bot.telegram.take_calls());
    bot.given(&anna(), "/trial");

    // Act
    bot.handle(anna().sends("/start")).unwrap();

    // Assert
    let after = only(bot.telegram.take_calls());
    assert_eq!(&before.callbacks()[..2], ["menu:buy", "menu:trial"]);
    assert_eq!(after.callbacks(), ["menu:buy", "menu:status", "menu:invite", "menu:lang", "menu:help"]);
}

#[test]
fn a_customer_whose_first_order_is_still_being_provisioned_gets_no_trial() {
    // Arrange: Anna paid; the queue has not run yet.
    let bot = TestBot::new();
    paid(&bot, &anna(), "monthly", "stxA");

    // Act
    let outcome = bot.handle(anna().sends("/trial"));
    let trial_reply = only(bot.telegram.take_calls());
    bot.handle(anna().sends("/start")).unwrap();
    let welcome = only(bot.telegram.take_calls());

    // Assert: she is a customer already, so neither the command nor the menu offers the trial.
    assert_eq!(outcome.unwrap(), Handled::Replied("trial not for customers"));
    assert_eq!(trial_reply.text(), en().get("trial-not-available"));
    assert!(!welcome.callbacks().contains(&"menu:trial".to_string()), "{:?}", welcome.callbacks());
    assert!(bot.jobs.take().is_empty());
    assert_eq!(bot.store.orders().len(), 1, "no trial order");
    assert!(!bot.store.user(1002).unwrap().trial_used, "the trial flag is untouched");
}

// ------------------------------------------------------------------------ subscription

/// The status screen's text for a monthly subscription ending at `expires` with `used` of 100 GB.
fn status_text(texts: Texts, expires: &str, used: &str) -> String {
    let gb = |amount: &str| texts.format("traffic-gb", &[("gb", Arg::from(amount))]);
    let args = [
        ("plan", Arg::Str(texts.get("plan-monthly"))),
        ("status", Arg::Str(texts.get("status-active"))),
        ("expires", Arg::from(expires)),
        ("used", Arg::Str(gb(used))),
        ("limit", Arg::Str(gb("100.0"))),
        ("devices", Arg::from("3")),
    ];
    format!("{}\n\n{}", texts.get("status-title"), texts.format("status-body", &args))
}

#[test]
fn status_without_a_subscription_offers_buying_and_the_trial() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().sends("/status"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("status"));
    let sent = only(bot.telegram.take_calls());
    assert_eq!(sent.text(), en().get("status-none"));
    assert_eq!(sent.callbacks(), ["menu:buy", "menu:trial", "menu:home"]);
    assert!(bot.panel.take_calls().is_empty());
}

#[test]
fn status_shows_plan_expiry_in_the_users_time_zone_traffic_and_what_can_be_done() {
    let cases = [(ivan(), ru(), "31.01.2026 03:00"), (anna(), en(), "31.01.2026 00:00")];
    for (person, texts, expires) in cases {
        // Arrange
        let bot = TestBot::new();
        provisioned(&bot, &person, "monthly", "stxA");
        bot.panel.use_traffic(1, 3 * GIB / 2);

        // Act
        let outcome = bot.handle(person.sends("/status"));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("status"));
        let sent = only(bot.telegram.take_calls());
        assert_eq!(sent.text(), status_text(texts, expires, "1.5"), "{:?}", texts.locale);
        assert_eq!(
            sent.callbacks(),
            ["menu:buy", "sub:qr", "sub:link", "sub:devices", "sub:revoke", "menu:home"]
        );
    }
}

#[test]
fn status_is_read_from_the_panel_once_a_minute() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");

    // Act
    bot.handle(anna().sends("/status")).unwrap();
    bot.handle(anna().presses("menu:status")).unwrap();

    // Assert
    assert_eq!(bot.panel.take_calls(), ["get_user 1"]);
    let (_, ttl) = bot.cache.entry("panel:user:1").expect("cached");
    assert_eq!(ttl, 60);
}

#[test]
fn a_stars_subscription_can_be_cancelled_and_resumed_from_the_status_screen() {
    // Arrange
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:starsub")).unwrap();
    let order = last_order(&bot).public_id;
    bot.handle(anna().pays(&StarsPaid::new(&order, 100, "stxSub1").recurring(true, at_day(30)))).unwrap();
    bot.run_queue();
    bot.telegram.take_calls();
    bot.handle(anna().sends("/status")).unwrap();
    let status = only(bot.telegram.take_calls());

    // Act
    let cancel = bot.handle(anna().presses("sub:cancel"));
    let cancel_calls = bot.telegram.take_calls();
    bot.handle(anna().sends("/status")).unwrap();
    let after = only(bot.telegram.take_calls());
    let canceled_in_store = bot.store.subscriptions()[0].stars_subscription_canceled;
    let resume = bot.handle(anna().presses("sub:resume"));
    let resume_calls = bot.telegram.take_calls();

    // Assert
    assert!(status.callbacks().contains(&"sub:cancel".to_string()), "{:?}", status.callbacks());
    assert_eq!(cancel.unwrap(), Handled::Replied("subscription action"));
    assert_eq!(methods(&cancel_calls), ["editUserStarSubscription", "answerCallbackQuery", "sendMessage"]);
    assert_eq!(
        cancel_calls[0].body,
        json!({ "user_id": 1002, "telegram_payment_charge_id": "stxSub1", "is_canceled": true })
    );
    assert_eq!(cancel_calls[2].text(), en().get("subscription-canceled"));
    assert!(canceled_in_store);
    assert!(after.callbacks().contains(&"sub:resume".to_string()), "{:?}", after.callbacks());
    assert_eq!(resume.unwrap(), Handled::Replied("subscription action"));
    assert_eq!(resume_calls[0].body["is_canceled"], false);
    assert_eq!(resume_calls[2].text(), en().get("subscription-resumed"));
    assert!(!bot.store.subscriptions()[0].stars_subscription_canceled);
}

#[test]
fn cancelling_auto_renewal_after_a_renewal_names_the_subscription_by_its_first_charge() {
    // Arrange: subscribed, provisioned, renewed once and provisioned again.
    let bot = TestBot::new();
    bot.handle(anna().presses("pay:monthly:starsub")).unwrap();
    let order = last_order(&bot).public_id;
    bot.handle(anna().pays(&StarsPaid::new(&order, 100, "stxSub1").recurring(true, at_day(30)))).unwrap();
    bot.run_queue();
    bot.set_now(at_day(30));
    bot.handle(anna().pays(&StarsPaid::new(&order, 100, "stxSub2").recurring(false, at_day(60)))).unwrap();
    bot.run_queue();
    bot.telegram.take_calls();

    // Act
    bot.handle(anna().presses("sub:cancel")).unwrap();

    // Assert
    let calls = bot.telegram.take_calls();
    assert_eq!(calls[0].method, "editUserStarSubscription");
    assert_eq!(calls[0].body["telegram_payment_charge_id"], "stxSub1");
}

#[test]
fn the_qr_and_link_buttons_send_the_subscription_link() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");
    let url = bot.panel.user(1).unwrap().subscription_url;

    // Act
    let qr = bot.handle(anna().presses("sub:qr"));
    let qr_calls = bot.telegram.take_calls();
    let link = bot.handle(anna().presses("sub:link"));
    let link_calls = bot.telegram.take_calls();

    // Assert
    assert!(qr.is_ok() && link.is_ok());
    assert_eq!(methods(&qr_calls), ["answerCallbackQuery", "sendPhoto"]);
    assert_eq!(qr_calls[1].caption(), en().get("qr-caption"));
    assert!(qr_calls[1].photo.as_ref().is_some_and(|p| p.is_png()));
    assert_eq!(methods(&link_calls), ["answerCallbackQuery", "sendMessage"]);
    assert_eq!(link_calls[1].text(), en().format("link-message", &[("link", Arg::Str(url))]));
}

#[test]
fn resetting_devices_forgets_them_on_the_panel() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");

    // Act
    let outcome = bot.handle(anna().presses("sub:devices"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("subscription action"));
    assert_eq!(bot.panel.take_calls(), ["delete_all_devices 1"]);
    let calls = bot.telegram.take_calls();
    assert_eq!(methods(&calls), ["answerCallbackQuery", "sendMessage"]);
    assert_eq!(calls[1].text(), en().get("devices-reset"));
}

#[test]
fn a_new_link_is_issued_only_after_confirming_and_replaces_the_old_one() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxA");
    let old_url = bot.panel.user(1).unwrap().subscription_url;
    bot.handle(anna().sends("/status")).unwrap();
    bot.telegram.take_calls();
    bot.panel.take_calls();

    // Act
    let ask = bot.handle(anna().presses("sub:revoke"));
    let question = answered_then_edited(bot.telegram.take_calls(), &anna());
    let panel_after_asking = bot.panel.take_calls();
    let confirm = bot.handle(anna().presses("sub:revoke-yes"));
    let done = answered_then_edited(bot.telegram.take_calls(), &anna());

    // Assert
    assert!(ask.is_ok() && confirm.is_ok());
    assert_eq!(question.text(), en().get("revoke-confirm"));
    assert_eq!(question.callbacks(), ["sub:revoke-yes", "menu:status"]);
    assert!(panel_after_asking.is_empty(), "asking changes nothing");
    let new_url = bot.panel.user(1).unwrap().subscription_url;
    assert_ne!(new_url, old_url);
    assert_eq!(done.text(), en().format("revoke-done", &[("link", Arg::Str(new_url.clone()))]));
    assert_eq!(bot.store.user(1002).unwrap().subscription_url, Some(new_url));
    assert!(bot.cache.entry("panel:user:1").is_none(), "the cached old link is dropped");
}

#[test]
fn when_the_panel_is_down_the_customer_is_told_instead_of_the_update_failing() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stxA");
    bot.panel.go_down();

    // Act
    let status = bot.handle(ivan().sends("/status"));
    let status_reply = only(bot.telegram.take_calls());
    let devices = bot.handle(ivan().presses("sub:devices"));
    let devices_reply = only(bot.telegram.take_calls());

    // Assert
    assert_eq!(status.unwrap(), Handled::Replied("status: panel unavailable"));
    assert_eq!(status_reply.text(), ru().get("status-panel-unavailable"));
    assert_eq!(status_reply.callbacks(), ["menu:home"]);
    assert_eq!(devices.unwrap(), Handled::Replied("subscription action: panel unavailable"));
    assert_eq!(devices_reply.method, "answerCallbackQuery");
    assert_eq!(devices_reply.body["text"], ru().get("status-panel-unavailable"));
}

// ------------------------------------------------------------- ordering between jobs

#[test]
fn a_refund_after_the_days_reached_the_panel_but_before_provisioning_was_recorded_takes_them_back() {
    // Arrange: 30 days provisioned; a second 30 reach the panel (PATCH), then resetting the
    // traffic fails, so the order is never marked provisioned. The admin refunds it.
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stxA");
    bot.panel.use_traffic(1, 5 << 30);
    let (second, payment) = paid(&bot, &ivan(), "monthly", "stxB");
    bot.panel.fail_after(2, 1); // get the user, PATCH, then reset-traffic fails
    assert!(bot.provision(&second).is_err());
    assert_eq!(panel_expiry(&bot, 1001), at_day(60), "the days did reach the panel");
    bot.handle(ivan().is_refunded(&payment)).unwrap();

    // Act
    let outcome = bot.take_back(&second);

    // Assert: the 30 days are taken back, and the order's provisioning stays stopped.
    assert_eq!(outcome.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    assert_eq!(bot.provision(&second).unwrap(), FulfilOutcome::Done("order is not paid"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
}

#[test]
fn a_purchase_waits_for_a_refund_whose_shorter_expiry_is_not_applied_yet() {
    // Arrange: 30 + 90 days on the panel; the 90 are refunded but the panel fails while the
    // shorter expiry is applied. Meanwhile a new monthly order is paid.
    let bot = TestBot::new();
    provisioned(&bot, &ivan(), "monthly", "stxA");
    let (quarterly, refunded) = provisioned(&bot, &ivan(), "quarterly", "stxB");
    bot.handle(ivan().is_refunded(&refunded)).unwrap();
    bot.jobs.take();
    bot.panel.fail_after(1, 1); // get the user, then the PATCH fails
    assert!(bot.take_back(&quarterly).is_err());
    let (monthly, _) = paid(&bot, &ivan(), "monthly", "stxC");

    // Act
    let waited = bot.provision(&monthly);
    let taken_back = bot.take_back(&quarterly);
    let provisioned_after = bot.provision(&monthly);

    // Assert: the new 30 days stack on the shortened expiry, not on the refunded days.
    assert!(matches!(waited.unwrap(), FulfilOutcome::Wait(_)));
    assert_eq!(taken_back.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(provisioned_after.unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(60));
}

#[test]
fn a_refund_waits_for_another_orders_expiry_that_is_decided_but_not_applied() {
    // Arrange: 30 days provisioned; a second order's target (day 60) is decided but its PATCH
    // fails. Then the first order is refunded.
    let bot = TestBot::new();
    let (first, payment) = provisioned(&bot, &ivan(), "monthly", "stxA");
    let (second, _) = paid(&bot, &ivan(), "monthly", "stxB");
    bot.panel.fail_after(1, 1); // get the user, then the PATCH fails
    assert!(bot.provision(&second).is_err());
    bot.handle(ivan().is_refunded(&payment)).unwrap();
    bot.jobs.take();

    // Act
    let waited = bot.take_back(&first);
    let second_done = bot.provision(&second);
    let taken_back = bot.take_back(&first);

    // Assert: 30 paid days remain in the end, not 60 (the refund applied before the target
    // would have been undone by the target's absolute expiry).
    assert!(matches!(waited.unwrap(), FulfilOutcome::Wait(_)));
    assert_eq!(second_done.unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(taken_back.unwrap(), FulfilOutcome::Done("taken back"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
}

#[test]
fn a_job_whose_lease_expired_does_not_release_the_lease_of_the_job_after_it() {
    // Arrange: a lease taken by an earlier job that outlived it (expired), then taken over.
    let bot = TestBot::new();
    let (order, _) = paid(&bot, &ivan(), "monthly", "stxA");
    let user = bot.store.user(1001).unwrap().user.id;
    futures::executor::block_on(async {
        use wavegate_shared::shop::fulfil::Lease;
        use wavegate_shared::shop::store::FulfilStore;
        assert_eq!(
            bot.store.sql.take_lease(user, "old-job", NOW - 600, NOW - 300).await.unwrap(),
            Lease::Taken
        );
        assert_eq!(bot.store.sql.take_lease(user, "new-job", NOW, NOW + 300).await.unwrap(), Lease::Taken);
        // Act: the old job finishes late and releases "its" lease.
        bot.store.sql.release_lease(user, "old-job").await.unwrap();
    });

    // Assert: the new job still holds it, so this provisioning waits for it.
    assert_eq!(bot.store.user(1001).unwrap().provisioning_until, Some(NOW + 300));
    assert_eq!(bot.provision(&order).unwrap(), FulfilOutcome::Wait(15));
}
