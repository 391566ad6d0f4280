//! Gift subscriptions: the buyer pays for a plan as a gift through the one payment pipeline; its
//! provisioning issues a one-time link, not days; the first to open it — never the buyer — gets
//! the plan (a new customer gets a panel user); a refund revokes or takes the gift back.

mod support;

use support::flows::{at_day, last_order, panel_expiry};
use support::{only, Person, StarsPaid, TestBot};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::ports::Job;
use wavegate_shared::subscription::OrderStatus;

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn ivan() -> Person {
    Person::new(1001, "Ivan").speaking("ru")
}

fn petr() -> Person {
    Person::new(1003, "Petr").speaking("en")
}

/// Arrange: Anna buys the monthly plan as a gift with Stars and the queue issues it; returns
/// her order, her payment and the gift link she got.
fn gift_bought(bot: &TestBot) -> (String, StarsPaid, String) {
    bot.given(&anna(), "/start");
    bot.handle(anna().presses("gift:monthly:stars")).unwrap();
    let order = last_order(bot);
    let payment = StarsPaid::new(&order.public_id, order.amount_minor, "stxGIFT");
    bot.handle(anna().pays(&payment)).unwrap();
    bot.telegram.take_calls();
    assert_eq!(bot.jobs.take(), [Job::Provision { order: order.public_id.clone() }]);
    assert_eq!(bot.provision(&order.public_id).unwrap(), FulfilOutcome::Done("gift issued"));
    let ready = only(bot.telegram.take_calls());
    let link = ready
        .text()
        .split_whitespace()
        .find(|w| w.contains("?start=gift_"))
        .expect("a gift link")
        .to_string();
    (order.public_id, payment, link)
}

fn code(link: &str) -> &str {
    link.rsplit("start=").next().unwrap()
}

#[test]
fn the_plan_screen_offers_a_gift_and_the_gift_invoice_is_the_full_price_without_a_subscription() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    bot.handle(anna().presses("plan:monthly")).unwrap();
    let methods = bot.telegram.take_calls().pop().unwrap();
    bot.handle(anna().presses_again("gift:monthly", 2)).unwrap();
    let gift_methods = bot.telegram.take_calls().pop().unwrap();
    let refused = bot.handle(anna().presses_again("gift:monthly:starsub", 3)).unwrap();
    bot.telegram.take_calls();
    bot.handle(anna().presses_again("gift:monthly:stars", 4)).unwrap();
    let invoice = bot.telegram.take_calls().pop().unwrap();

    // Assert
    assert!(methods.callbacks().contains(&"gift:monthly".to_string()), "{:?}", methods.callbacks());
    assert_eq!(gift_methods.callbacks(), ["gift:monthly:stars", "plan:monthly"]);
    assert_eq!(refused, Handled::Ignored("a gift is not a subscription"));
    assert_eq!(invoice.method, "sendInvoice");
    assert_eq!(invoice.body["title"], "Gift: Monthly");
    assert_eq!(invoice.body["prices"][0]["amount"], 100);
}

#[test]
fn a_paid_gift_gives_the_buyer_a_link_not_days_and_the_first_other_person_to_open_it_gets_the_plan() {
    // Arrange
    let bot = TestBot::new();
    let (order, _, link) = gift_bought(&bot);

    // Act: Anna opens her own link; Ivan (new) opens it; Petr and Ivan again.
    let own = bot.handle(anna().sends(&format!("/start {}", code(&link)))).unwrap();
    let own_reply = only(bot.telegram.take_calls());
    let redeemed = bot.handle(ivan().sends(&format!("/start {}", code(&link)))).unwrap();
    let calls = bot.telegram.take_calls();
    let jobs = bot.jobs.take();
    let taken = bot.handle(petr().sends(&format!("/start {}", code(&link)))).unwrap();
    let again = bot.handle(ivan().sends(&format!("/start {}", code(&link)))).unwrap();

    // Assert
    assert!(link.starts_with("https://t.me/WavegateTestBot?start=gift_"), "{link}");
    assert!(bot.panel.user_named("tg_1002").is_none(), "the buyer got no days");
    assert_eq!(bot.store.order_row(&order).unwrap().status, OrderStatus::Provisioned);
    assert_eq!(own, Handled::Replied("gift: own"));
    assert_eq!(own_reply.text(), Texts::new(Locale::En).get("gift-own"));
    assert_eq!(redeemed, Handled::Replied("gift redeemed"));
    let to_anna = calls.iter().find(|c| c.chat_id() == Some(1002)).expect("Anna told");
    assert_eq!(to_anna.text(), Texts::new(Locale::En).get("gift-redeemed"));
    let to_ivan = calls.iter().find(|c| c.chat_id() == Some(1001)).expect("Ivan told");
    assert!(to_ivan.text().contains("30"), "{}", to_ivan.text());
    assert_eq!(taken, Handled::Replied("gift: taken"));
    assert_eq!(again, Handled::Replied("gift: redeemed before by them"));
    // Ivan's order: the plan's 30 days, a new panel user with the plan's limits.
    let [Job::Provision { order: ivans }] = jobs.as_slice() else { panic!("{jobs:?}") };
    assert_eq!(bot.provision(ivans).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1001), at_day(30));
    let user = bot.panel.user_named("tg_1001").unwrap();
    assert_eq!(user.hwid_device_limit, Some(3));
    let orders = bot.store.orders();
    assert_eq!(orders.iter().filter(|o| o.kind == "purchase" && o.provider == "bonus").count(), 1);
}

#[test]
fn refunding_the_gift_revokes_an_open_link_and_takes_redeemed_days_back() {
    // Arrange: two gifts; one redeemed by Ivan, the other still open.
    let bot = TestBot::new();
    let (redeemed_order, redeemed_payment, redeemed_link) = gift_bought(&bot);
    bot.handle(ivan().sends(&format!("/start {}", code(&redeemed_link)))).unwrap();
    let ivans = match bot.jobs.take().as_slice() {
        [Job::Provision { order }] => order.clone(),
        other => panic!("{other:?}"),
    };
    bot.provision(&ivans).unwrap();
    bot.telegram.take_calls();
    bot.handle(anna().presses_again("gift:monthly:stars", 7)).unwrap();
    let open = last_order(&bot);
    let open_payment = StarsPaid::new(&open.public_id, 100, "stxGIFT2");
    bot.handle(anna().pays(&open_payment)).unwrap();
    bot.jobs.take();
    bot.telegram.take_calls();
    bot.provision(&open.public_id).unwrap();
    let open_link = only(bot.telegram.take_calls())
        .text()
        .split_whitespace()
        .find(|w| w.contains("gift_"))
        .unwrap()
        .to_string();

    // Act: both payments are refunded; the queue takes back.
    bot.handle(anna().is_refunded(&redeemed_payment)).unwrap();
    bot.handle(anna().is_refunded(&open_payment)).unwrap();
    let outcomes: Vec<_> = bot.run_queue().into_iter().map(|(_, o)| o.unwrap()).collect();
    let told = bot.telegram.take_calls();
    let late = bot.handle(petr().sends(&format!("/start {}", code(&open_link)))).unwrap();

    // Assert: Ivan's 30 days are gone and he is told why; the open link no longer works.
    assert!(outcomes.iter().all(|o| matches!(o, FulfilOutcome::Done(_))), "{outcomes:?}");
    assert!(panel_expiry(&bot, 1001) <= bot.now() + 120, "Ivan's gift days taken back");
    assert_eq!(bot.store.order_row(&ivans).unwrap().status, OrderStatus::Refunded);
    let to_ivan = told.iter().find(|c| c.chat_id() == Some(1001)).expect("Ivan told");
    assert!(to_ivan.text().starts_with("↩️"), "{}", to_ivan.text());
    assert_eq!(late, Handled::Replied("gift: unknown"));
    assert!(bot.panel.user_named("tg_1002").is_none(), "the buyer never had days");
    assert_eq!(bot.store.order_row(&redeemed_order).unwrap().status, OrderStatus::Refunded);
}

#[test]
fn money_for_a_gift_that_lands_on_a_new_order_is_still_a_gift() {
    // Arrange: Anna's gift invoice is paid twice (the second buys it again on an order of its own).
    let bot = TestBot::new();
    let (_, _, first_link) = gift_bought(&bot);
    let gift_order = bot.store.orders().into_iter().find(|o| o.kind == "purchase").unwrap();

    // Act
    bot.handle(anna().pays(&StarsPaid::new(&gift_order.public_id, 100, "stxGIFTAGAIN"))).unwrap();
    bot.telegram.take_calls();
    let jobs = bot.jobs.take();
    let [Job::Provision { order: repeat }] = jobs.as_slice() else { panic!("{jobs:?}") };
    let outcome = bot.provision(repeat).unwrap();
    let second = only(bot.telegram.take_calls());

    // Assert: a second gift link, no days for Anna.
    assert_ne!(repeat, &gift_order.public_id);
    assert_eq!(outcome, FulfilOutcome::Done("gift issued"));
    assert!(
        second.text().contains("?start=gift_") && !second.text().contains(code(&first_link)),
        "{}",
        second.text()
    );
    assert!(bot.panel.user_named("tg_1002").is_none());
}

#[test]
fn a_gift_whose_payment_was_refunded_cannot_be_redeemed_even_before_the_take_back_runs() {
    // Arrange
    let bot = TestBot::new();
    let (_, payment, link) = gift_bought(&bot);
    bot.handle(anna().is_refunded(&payment)).unwrap();

    // Act: Ivan opens it before the queue ran the take-back.
    let outcome = bot.handle(ivan().sends(&format!("/start {}", code(&link)))).unwrap();

    // Assert
    assert_eq!(outcome, Handled::Replied("gift: unknown"));
    assert!(bot.panel.user_named("tg_1001").is_none());
}
