//! Arrange steps shared by the selling tests: a customer buys a plan with Stars, and the queue
//! provisions it; plus reading the clock and the panel the way the assertions need.

use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::subscription::OrderStatus;

use super::store::OrderRow;
use super::{Person, StarsPaid, TestBot, DAY, NOW};

pub fn last_order(bot: &TestBot) -> OrderRow {
    bot.store.orders().pop().expect("an order was created")
}

pub fn at_day(days: i64) -> i64 {
    NOW + days * DAY
}

/// The panel's expiry of Telegram user `telegram_id`, in unix seconds.
pub fn panel_expiry(bot: &TestBot, telegram_id: i64) -> i64 {
    let user = bot.panel.user_named(&format!("tg_{telegram_id}")).expect("the panel user exists");
    user.expire_at.timestamp()
}

/// Arrange: `person` picks `slug`, pays with Stars (charge `charge`); the order is paid, not yet
/// provisioned. Returns the order's id and the payment.
pub fn paid(bot: &TestBot, person: &Person, slug: &str, charge: &str) -> (String, StarsPaid) {
    bot.handle(person.presses(&format!("pay:{slug}:stars"))).expect("an invoice");
    let order = last_order(bot);
    let payment = StarsPaid::new(&order.public_id, order.amount_minor, charge);
    bot.handle(person.pays(&payment)).expect("the payment is recorded");
    assert_eq!(bot.store.order_row(&order.public_id).unwrap().status, OrderStatus::Paid);
    bot.telegram.take_calls();
    bot.jobs.take();
    (order.public_id, payment)
}

/// Arrange: as [`paid`], then the queue provisioned it.
pub fn provisioned(bot: &TestBot, person: &Person, slug: &str, charge: &str) -> (String, StarsPaid) {
    let (order, payment) = paid(bot, person, slug, charge);
    assert_eq!(bot.provision(&order).unwrap(), FulfilOutcome::Done("provisioned"));
    bot.telegram.take_calls();
    bot.panel.take_calls();
    (order, payment)
}
