//! Promo codes from the bot: admins create, list and switch them off; customers redeem them
//! once each, within the code's uses and dates; a days code adds days through the provisioning
//! queue; a percent code prices the next order, and pre-checkout and the payment's amount check
//! accept exactly that price.

mod support;

use serde_json::json;
use support::flows::{at_day, last_order, panel_expiry, provisioned};
use support::{only, Person, StarsPaid, TestBot};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::ports::Job;

fn admin() -> Person {
    Person::new(9001, "Admin").speaking("en")
}

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn customer(n: i64) -> Person {
    Person::new(4000 + n, &format!("Customer{n}")).speaking("en")
}

fn english(key: &str, code: &str) -> String {
    Texts::new(Locale::En).format(key, &[("code", Arg::Str(code.into()))])
}

/// Arrange: an admin creates a code and the bot confirms it.
fn created(bot: &TestBot, args: &str) {
    bot.given(&admin(), "/start");
    bot.handle(admin().sends(&format!("/promo_new {args}"))).unwrap();
    let reply = only(bot.telegram.take_calls());
    assert!(reply.text().starts_with("✅"), "{}", reply.text());
}

#[test]
fn only_admins_create_list_and_switch_off_codes_and_each_change_is_audited() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    bot.given(&admin(), "/start");

    // Act: a customer tries every admin command; the admin runs them.
    for command in ["/promo_new FREE7 days 7", "/promo_list", "/promo_off FREE7"] {
        assert_eq!(bot.handle(anna().sends(command)).unwrap(), Handled::Replied("admin command refused"));
        let reply = only(bot.telegram.take_calls());
        assert_eq!(reply.text(), Texts::new(Locale::En).get("unknown-command"), "{command}");
    }
    let mut replies = Vec::new();
    for command in [
        "/promo_new free7 days 7 100 2027-01-31",
        "/promo_new FREE7 percent 10",
        "/promo_new BAD hours 3",
        "/promo_list",
        "/promo_off free7",
        "/promo_off FREE7",
    ] {
        bot.handle(admin().sends(command)).unwrap();
        replies.push(only(bot.telegram.take_calls()).text().to_string());
    }

    // Assert
    assert_eq!(bot.store.rows("SELECT * FROM promo_codes", &[]).len(), 1, "the customer created nothing");
    assert_eq!(replies[0], "✅ FREE7 created: +7 days, 0 of 100 uses, until 2027-01-31");
    assert_eq!(replies[1], "A code named FREE7 exists already (codes ignore case).");
    assert!(replies[2].starts_with("Not created: the kind is days or percent."), "{}", replies[2]);
    assert_eq!(replies[3], "Promo codes (newest first):\nFREE7 — +7 days, 0 of 100 uses, until 2027-01-31");
    assert!(replies[4].starts_with("✅ FREE7 is switched off"), "{}", replies[4]);
    assert_eq!(replies[5], "No active code named FREE7.");
    let audit: Vec<(String, String, String)> = bot
        .store
        .audit()
        .into_iter()
        .filter(|a| a.subject.starts_with("promo:"))
        .map(|a| (a.actor, a.action, a.subject))
        .collect();
    assert_eq!(
        audit,
        [
            ("admin:9001".into(), "promo.created".into(), "promo:FREE7".into()),
            ("admin:9001".into(), "promo.deactivated".into(), "promo:FREE7".into()),
        ]
    );
}

#[test]
fn a_days_code_adds_its_days_through_the_queue_once_per_customer() {
    // Arrange: Anna has 30 days on the panel.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    created(&bot, "FREE7 days 7");

    // Act: she redeems it, and tries again.
    let first = bot.handle(anna().sends("/promo free7")).unwrap();
    let reply = only(bot.telegram.take_calls());
    let jobs = bot.jobs.take();
    let again = bot.handle(anna().sends("/promo FREE7")).unwrap();
    let again_reply = only(bot.telegram.take_calls());

    // Assert: one bonus order of 7 days, queued, provisioned exactly once.
    assert_eq!(first, Handled::Replied("promo: days granted"));
    assert!(reply.text().contains("+7"), "{}", reply.text());
    let bonus = last_order(&bot);
    assert_eq!((bonus.kind.as_str(), bonus.provider.as_str(), bonus.days), ("bonus", "bonus", 7));
    assert_eq!(jobs, [Job::Provision { order: bonus.public_id.clone() }]);
    assert_eq!(bot.provision(&bonus.public_id).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(37));
    assert_eq!(again, Handled::Replied("promo: refused"));
    assert_eq!(again_reply.text(), english("promo-used", "FREE7"));
    assert!(bot.jobs.take().is_empty());
    let uses = bot.store.rows("SELECT used_count FROM promo_codes", &[]);
    assert_eq!(uses[0]["used_count"], json!(1));
}

#[test]
fn expired_switched_off_and_used_up_codes_are_refused_with_their_reason() {
    // Arrange: a code for two uses that ends on 2027-01-31 (the test clock is before).
    let bot = TestBot::new();
    created(&bot, "TWO days 3 2 2027-01-31");
    created(&bot, "GONE percent 10");
    bot.handle(admin().sends("/promo_off GONE")).unwrap();
    bot.telegram.take_calls();

    // Act
    let mut answers = Vec::new();
    for n in 1..=3 {
        bot.given(&customer(n), "/start");
        bot.handle(customer(n).sends("/promo two")).unwrap();
        answers.push(only(bot.telegram.take_calls()).text().to_string());
    }
    bot.handle(customer(1).sends("/promo GONE")).unwrap();
    let off = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(customer(1).sends("/promo NOPE")).unwrap();
    let unknown = only(bot.telegram.take_calls()).text().to_string();
    // After its last day.
    let end = bot.store.rows("SELECT valid_until FROM promo_codes WHERE code = 'TWO'", &[])[0]["valid_until"]
        .as_i64()
        .unwrap();
    bot.set_now(end);
    bot.store.exec("UPDATE promo_codes SET max_uses = 10 WHERE code = 'TWO'", &[]);
    bot.handle(customer(3).sends("/promo TWO")).unwrap();
    let expired = only(bot.telegram.take_calls()).text().to_string();

    // Assert
    assert!(answers[0].contains("+3") && answers[1].contains("+3"), "{answers:?}");
    assert_eq!(answers[2], english("promo-exhausted", "TWO"));
    assert_eq!(off, english("promo-expired", "GONE"));
    assert_eq!(unknown, english("promo-unknown", "NOPE"));
    assert_eq!(expired, english("promo-expired", "TWO"));
    let redemptions = bot.store.rows("SELECT * FROM promo_redemptions", &[]);
    assert_eq!(redemptions.len(), 2);
}

#[test]
fn a_percent_code_prices_the_next_invoice_and_checkout_accepts_exactly_that_price() {
    // Arrange: 25% off; Anna redeems it.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    created(&bot, "SPRING25 percent 25");
    assert_eq!(
        bot.handle(anna().sends("/promo spring25")).unwrap(),
        Handled::Replied("promo: discount held")
    );
    bot.telegram.take_calls();

    // Act: the methods screen, the invoice, a second promo code, then the checkout.
    bot.handle(anna().presses("plan:monthly")).unwrap();
    let methods = bot.telegram.take_calls().pop().unwrap();
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let invoice = bot.telegram.take_calls().pop().unwrap();
    let order = last_order(&bot);
    created(&bot, "OTHER10 percent 10");
    bot.handle(anna().sends("/promo OTHER10")).unwrap();
    let second = only(bot.telegram.take_calls()).text().to_string();
    let payload = format!("order:{}", order.public_id);
    bot.handle(anna().checks_out(&payload, "XTR", 100)).unwrap();
    let full_price = only(bot.telegram.take_calls());
    bot.handle(anna().checks_out(&payload, "XTR", 75)).unwrap();
    let discounted = only(bot.telegram.take_calls());

    // Assert
    assert!(methods.text().contains("25%"), "{}", methods.text());
    assert_eq!(methods.label("pay:monthly:stars").unwrap(), "⭐ Telegram Stars · ⭐75");
    // The Stars subscription renews at its price: no discount there.
    assert!(methods.label("pay:monthly:starsub").unwrap().contains("⭐100"));
    assert_eq!(
        (invoice.method.as_str(), invoice.body["prices"][0]["amount"].clone()),
        ("sendInvoice", json!(75))
    );
    assert_eq!(order.amount_minor, 75);
    assert_eq!(second, english("promo-discount-waiting", "OTHER10"));
    assert_eq!(full_price.body["ok"], json!(false));
    assert_eq!(discounted.body, json!({ "pre_checkout_query_id": "pcq-1002", "ok": true }));
}

#[test]
fn paying_a_discounted_order_spends_the_discount_and_the_full_price_does_not_match_it() {
    // Arrange: three invoices priced with Anna's 25% discount.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    created(&bot, "SPRING25 percent 25");
    bot.handle(anna().sends("/promo SPRING25")).unwrap();
    let mut orders = Vec::new();
    for slug in ["monthly", "quarterly", "monthly"] {
        bot.handle(anna().presses(&format!("pay:{slug}:stars"))).unwrap();
        orders.push(last_order(&bot));
    }
    bot.telegram.take_calls();
    let (first, second, third) = (&orders[0], &orders[1], &orders[2]);

    // Act: money at the full price for the second (a tampered client) is not that order's;
    // the first is paid at its discounted price. Then the third's checkout, and a new invoice.
    bot.handle(anna().pays(&StarsPaid::new(&second.public_id, 250, "stxFULL"))).unwrap();
    bot.handle(anna().pays(&StarsPaid::new(&first.public_id, 75, "stxDISC"))).unwrap();
    bot.telegram.take_calls();
    bot.handle(anna().checks_out(&format!("order:{}", third.public_id), "XTR", 75)).unwrap();
    let stale = only(bot.telegram.take_calls());
    bot.handle(anna().presses("pay:monthly:stars")).unwrap();
    let next = last_order(&bot);

    // Assert
    let payments: Vec<(i64, String)> =
        bot.store.payments().into_iter().map(|p| (p.amount_minor, p.status)).collect();
    assert_eq!(payments, [(75, "completed".to_string())], "the full-price money went to the admins");
    assert_eq!(bot.store.order_row(&second.public_id).unwrap().status.as_str(), "failed");
    assert_eq!(bot.store.order_row(&first.public_id).unwrap().status.as_str(), "paid");
    assert_eq!(second.amount_minor, 188); // 250 less 25%, rounded
    assert_eq!(stale.body["ok"], json!(false), "the discount was spent by the first order");
    // Money for the third at its discounted price anyway (a client that skipped the check): not
    // paid by the spent discount; the admins settle it.
    bot.handle(anna().pays(&StarsPaid::new(&third.public_id, 75, "stxTHIRD"))).unwrap();
    assert_eq!(bot.store.order_row(&third.public_id).unwrap().status.as_str(), "failed");
    assert_eq!(bot.store.payments().len(), 1);
    assert_eq!(next.amount_minor, 100, "no discount left");
    let spent = bot.store.rows("SELECT order_id FROM promo_redemptions", &[]);
    assert_eq!(spent[0]["order_id"], json!(first.id));
}

#[test]
fn the_last_use_goes_to_one_customer_only() {
    // Arrange: a code with one use left; two customers.
    let bot = TestBot::new();
    created(&bot, "LAST days 5 1");
    bot.given(&customer(1), "/start");
    bot.given(&customer(2), "/start");

    // Act: both send it (the Worker's D1 runs their batches one after the other; the
    // integration test races real requests).
    bot.handle(customer(1).sends("/promo LAST")).unwrap();
    bot.handle(customer(2).sends("/promo LAST")).unwrap();
    let replies: Vec<String> = bot.telegram.take_calls().iter().map(|c| c.text().to_string()).collect();

    // Assert
    assert!(replies[0].contains("+5"), "{replies:?}");
    assert_eq!(replies[1], english("promo-exhausted", "LAST"));
    assert_eq!(bot.store.rows("SELECT * FROM promo_redemptions", &[]).len(), 1);
    assert_eq!(bot.store.rows("SELECT used_count FROM promo_codes", &[])[0]["used_count"], json!(1));
}

#[test]
fn a_days_code_without_a_subscription_waits_for_the_first_one() {
    // Arrange: a new customer with no subscription.
    let bot = TestBot::new();
    created(&bot, "FREE7 days 7");
    bot.given(&anna(), "/start");

    // Act
    bot.handle(anna().sends("/promo FREE7")).unwrap();
    bot.telegram.take_calls();
    let bonus = last_order(&bot);
    let outcome = bot.provision(&bonus.public_id).unwrap();

    // Assert: nothing created on the panel; she is told the days wait.
    assert_eq!(outcome, FulfilOutcome::Done("bonus waits for a first subscription"));
    assert!(bot.panel.user_named("tg_1002").is_none());
    let told = only(bot.telegram.take_calls());
    assert!(told.text().contains('7'), "{}", told.text());
}
