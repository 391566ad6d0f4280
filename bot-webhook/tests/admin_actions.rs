//! Admins' actions from the bot: `/refund <payment id>` through the provider and the one refund
//! path, and the buttons of `/user`'s card (add days, disable/enable, reset devices, new link),
//! each audit-logged with who, what, before and after; refused for anyone else.

mod support;

use serde_json::json;
use support::flows::{at_day, panel_expiry, provisioned};
use support::telegram::ApiFailure;
use support::{only, Person, TestBot};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::ports::Job;

fn admin() -> Person {
    Person::new(9001, "Admin").speaking("en")
}

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

/// The id `/user` shows for Anna's latest payment.
fn payment_id(bot: &TestBot) -> i64 {
    bot.store.rows("SELECT id FROM payments ORDER BY id DESC LIMIT 1", &[])[0]["id"].as_i64().unwrap()
}

fn audit(bot: &TestBot, action: &str) -> Vec<(String, String, serde_json::Value)> {
    bot.store
        .audit()
        .into_iter()
        .filter(|a| a.action == action)
        .map(|a| (a.actor, a.subject, a.details))
        .collect()
}

#[test]
fn refund_gives_stars_back_takes_the_days_back_and_is_audited_once() {
    // Arrange: Anna paid ⭐100 and has her 30 days.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    bot.given(&admin(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    let id = payment_id(&bot);

    // Act: Anna tries it herself; the admin refunds; Telegram's refund update follows; the
    // admin tries again.
    bot.handle(anna().sends(&format!("/refund {id}"))).unwrap();
    let refused = only(bot.telegram.take_calls());
    bot.handle(admin().sends(&format!("/refund #{id}"))).unwrap();
    let calls = bot.telegram.take_calls();
    let jobs = bot.jobs.take();
    let order = bot.store.orders().into_iter().find(|o| o.kind == "purchase").unwrap();
    let late_update =
        bot.handle(anna().is_refunded(&support::StarsPaid::new(&order.public_id, 100, "stxANNA")));
    bot.handle(admin().sends(&format!("/refund {id}"))).unwrap();
    let again = only(bot.telegram.take_calls());

    // Assert
    assert_eq!(refused.text(), Texts::new(Locale::En).get("unknown-command"));
    assert_eq!(calls[0].method, "refundStarPayment");
    assert_eq!(calls[0].body, json!({ "user_id": 1002, "telegram_payment_charge_id": "stxANNA" }));
    assert!(calls[1].text().starts_with(&format!("✅ Payment #{id} refunded")), "{}", calls[1].text());
    assert_eq!(bot.store.payments()[0].status, "refunded");
    assert!(jobs.contains(&Job::TakeBack { order: order.public_id.clone() }), "{jobs:?}");
    assert_eq!(late_update.unwrap(), Handled::Ignored("refund already recorded"));
    assert_eq!(again.text(), format!("Payment #{id} was not refunded: the payment is refunded."));
    let rows = audit(&bot, "payment.refund");
    assert_eq!(rows.len(), 1, "the refund; the refused second try changed nothing");
    assert_eq!((rows[0].0.as_str(), rows[0].1.clone()), ("admin:9001", format!("payment:{id}")));
    assert_eq!(rows[0].2["before"]["status"], json!("completed"));
    assert_eq!(rows[0].2["after"]["status"], json!("refunded"));
    // The days come off the panel through the queue.
    assert_eq!(bot.take_back(&order.public_id).unwrap(), FulfilOutcome::Done("taken back"));
}

#[test]
fn a_refund_telegram_refuses_changes_nothing() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&admin(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    let id = payment_id(&bot);
    bot.telegram.fail_next("refundStarPayment", ApiFailure::other(400, "Bad Request: CHARGE_NOT_FOUND"));

    // Act
    bot.handle(admin().sends(&format!("/refund {id}"))).unwrap();
    let reply = bot.telegram.take_calls().pop().unwrap();

    // Assert
    assert!(
        reply.text().starts_with(&format!("⚠️ The refund of payment #{id} failed, nothing changed")),
        "{}",
        reply.text()
    );
    assert_eq!(bot.store.payments()[0].status, "completed");
    assert!(bot.jobs.take().is_empty());
    let rows = audit(&bot, "payment.refund");
    assert_eq!(rows[0].2["after"]["status"], json!("completed"));
    assert!(bot.handle(admin().sends("/refund nope")).is_ok());
    assert!(only(bot.telegram.take_calls()).text().starts_with("Usage: /refund"));
}

#[test]
fn the_cards_buttons_add_days_once_per_press_and_disable_enable_reset_and_renew_on_the_panel() {
    // Arrange: Anna has 30 days; the admin opens her card.
    let bot = TestBot::new();
    bot.given(&admin(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    bot.handle(admin().sends("/user 1002")).unwrap();
    let card = only(bot.telegram.take_calls());

    // Act: +30 days (Telegram delivers the press twice), then a second press of +7.
    bot.handle(admin().presses("adm:x30:1002")).unwrap();
    bot.handle(admin().presses("adm:x30:1002")).unwrap();
    bot.handle(admin().presses_again("adm:x7:1002", 2)).unwrap();
    let granted = bot.telegram.take_calls();
    let jobs = bot.jobs.take();
    for job in &jobs {
        if let Job::Provision { order } = job {
            bot.provision(order).unwrap();
        }
    }
    let told = bot.telegram.take_calls();

    // Assert
    assert_eq!(
        card.callbacks(),
        ["adm:x7:1002", "adm:x30:1002", "adm:off:1002", "adm:dev:1002", "adm:link:1002"]
    );
    let bonus: Vec<i64> = bot
        .store
        .rows("SELECT days FROM orders WHERE kind = 'bonus' ORDER BY id", &[])
        .iter()
        .map(|r| r["days"].as_i64().unwrap())
        .collect();
    assert_eq!(bonus, [30, 7], "the repeated press granted nothing more");
    assert!(granted.iter().any(|c| c.text().starts_with("✅ +30 days for 1002: queued")));
    assert_eq!(panel_expiry(&bot, 1002), at_day(67));
    assert!(told.iter().any(|c| c.text().starts_with("🎁 +30 days from the Wavegate team!")), "{told:?}");
    assert_eq!(audit(&bot, "user.extend").len(), 2);

    // Act: disable, enable, reset devices, new link.
    let panel_user = bot.panel.user_named("tg_1002").unwrap();
    let old_link = panel_user.subscription_url.clone();
    bot.handle(admin().presses_again("adm:off:1002", 3)).unwrap();
    let disabled = bot.panel.user_named("tg_1002").unwrap().status;
    bot.handle(admin().presses_again("adm:on:1002", 4)).unwrap();
    bot.handle(admin().presses_again("adm:dev:1002", 5)).unwrap();
    bot.handle(admin().presses_again("adm:link:1002", 6)).unwrap();
    let calls = bot.telegram.take_calls();

    // Assert
    assert_eq!(format!("{disabled:?}"), "Disabled");
    assert_eq!(format!("{:?}", bot.panel.user_named("tg_1002").unwrap().status), "Active");
    let new_link = bot.panel.user_named("tg_1002").unwrap().subscription_url;
    assert_ne!(new_link, old_link);
    let to_anna = calls.iter().find(|c| c.chat_id() == Some(1002)).expect("Anna gets her new link");
    assert!(to_anna.text().contains(&new_link), "{}", to_anna.text());
    let stored = bot.store.rows("SELECT subscription_url FROM users WHERE telegram_id = 1002", &[]);
    assert_eq!(stored[0]["subscription_url"], json!(new_link));
    let off = audit(&bot, "user.disable");
    assert_eq!((off[0].0.as_str(), off[0].1.as_str()), ("admin:9001", "user:1002"));
    assert_eq!(
        (off[0].2["before"]["status"].clone(), off[0].2["after"]["status"].clone()),
        (json!("ACTIVE"), json!("DISABLED"))
    );
    assert_eq!(audit(&bot, "user.enable").len(), 1);
    assert_eq!(audit(&bot, "user.reset_devices").len(), 1);
    assert_eq!(audit(&bot, "user.new_link").len(), 1);
}

#[test]
fn a_customer_pressing_an_admin_button_changes_nothing() {
    // Arrange
    let bot = TestBot::new();
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    bot.panel.take_calls();
    let before = bot.store.rows("SELECT count(*) AS n FROM orders", &[]);

    // Act
    let outcome = bot.handle(anna().presses("adm:x30:1002")).unwrap();
    let off = bot.handle(anna().presses_again("adm:off:1002", 2)).unwrap();

    // Assert
    assert_eq!(outcome, Handled::Ignored("admin action refused"));
    assert_eq!(off, Handled::Ignored("admin action refused"));
    assert_eq!(bot.store.rows("SELECT count(*) AS n FROM orders", &[]), before);
    assert_eq!(format!("{:?}", bot.panel.user_named("tg_1002").unwrap().status), "Active");
    assert!(bot.jobs.take().is_empty());
    assert_eq!(bot.panel.take_calls(), Vec::<String>::new());
}
