//! Orders: their public id, what creating one takes, how checkout and payment handling see one,
//! and the rules for taking money against one. The state machine itself is
//! [`crate::subscription::OrderStatus`].

use std::fmt;

use crate::money::Money;
use crate::subscription::{OrderEvent, OrderStatus};

use super::catalog::Provider;
use super::promo::{discounted_minor, Discount};

/// An order's public id: 16 characters of `[a-z0-9]`, what invoice payloads and provider
/// receipts carry (never the database row id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderId(String);

impl OrderId {
    pub const LEN: usize = 16;

    pub fn parse(raw: &str) -> Option<OrderId> {
        let valid =
            raw.len() == Self::LEN && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        valid.then(|| OrderId(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new order to create (pending until paid).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub public_id: OrderId,
    pub user_id: i64,
    pub chat_id: i64,
    pub plan_id: i64,
    pub provider: Provider,
    pub price: Money,
    pub days: u32,
    /// A Stars subscription: renewals arrive as more payments with the same payload.
    pub subscription: bool,
    /// When the hourly cron may close it if still unpaid (provider checkouts; Stars invoices
    /// do not expire).
    pub expires_at: Option<i64>,
    /// The promo discount `price` includes, if any (paying the order spends it).
    pub discount: Option<Discount>,
    /// Bought as a gift: provisioning issues a gift link instead of giving the buyer days.
    pub gift: bool,
    pub now: i64,
}

/// An order as checkout and payment handling see it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderView {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    pub telegram_id: i64,
    pub status: OrderStatus,
    pub provider: String,
    /// What the order costs (what the invoice asked for).
    pub price: Money,
    pub days: u32,
    pub plan_id: Option<i64>,
    pub subscription: bool,
    /// The plan's current price in the order's currency, if the plan is still on sale.
    pub current_price_minor: Option<i64>,
    /// The customer's chosen language and Telegram's, for what the channel says next.
    pub locale: Option<String>,
    pub language_code: Option<String>,
    /// The provider's object this order is paid through (payment link, payment request,
    /// invoice), once checkout created it.
    pub external_id: Option<String>,
    /// The promo discount the order's price includes.
    pub discount: Option<OrderDiscount>,
    /// Bought as a gift (its days go to whoever redeems the gift link).
    pub gift: bool,
}

/// A discount an order was priced with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderDiscount {
    pub percent: u8,
    /// Another order's payment spent the discount already.
    pub spent_elsewhere: bool,
}

/// Why a checkout is refused; each maps to a message the payer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutRefusal {
    /// No such order, or not this payer's.
    UnknownOrder,
    AlreadyPaid,
    /// The amount or currency differs from the invoiced order.
    AmountMismatch,
    /// The plan's price changed (or the plan was withdrawn) since the invoice.
    PriceChanged,
}

impl CheckoutRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            CheckoutRefusal::UnknownOrder => "checkout-order-unknown",
            CheckoutRefusal::AlreadyPaid => "checkout-order-paid",
            CheckoutRefusal::AmountMismatch => "checkout-amount-mismatch",
            CheckoutRefusal::PriceChanged => "checkout-price-changed",
        }
    }
}

/// Whether a checkout may go ahead: the order is pending, the payer's, and the amount (with
/// its currency) equals both the invoiced order and the plan's current price.
pub fn check_checkout(order: &OrderView, payer: i64, amount: Money) -> Result<(), CheckoutRefusal> {
    if order.telegram_id != payer {
        return Err(CheckoutRefusal::UnknownOrder);
    }
    if order.status.apply(OrderEvent::PaymentReceived).is_err() {
        return Err(if order.status.is_paid() {
            CheckoutRefusal::AlreadyPaid
        } else {
            CheckoutRefusal::UnknownOrder
        });
    }
    if amount != order.price {
        return Err(CheckoutRefusal::AmountMismatch);
    }
    // The price the plan has now, with the order's discount: what the order must still cost.
    let expected = match order.discount {
        Some(d) if d.spent_elsewhere => None,
        Some(d) => order.current_price_minor.map(|m| discounted_minor(m, d.percent)),
        None => order.current_price_minor,
    };
    if expected != Some(order.price.minor()) {
        return Err(CheckoutRefusal::PriceChanged);
    }
    Ok(())
}

/// Why money already taken cannot go on the order it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    NoSuchOrder,
    OtherPayer,
    OtherProvider,
    Amount,
    /// Priced with a promo discount another order's payment has spent since.
    DiscountSpent,
}

impl Mismatch {
    pub fn as_str(self) -> &'static str {
        match self {
            Mismatch::NoSuchOrder => "no such order",
            Mismatch::OtherPayer => "paid by someone else",
            Mismatch::OtherProvider => "paid through another provider",
            Mismatch::Amount => "amount or currency differs from the order",
            Mismatch::DiscountSpent => "priced with a promo discount another order has used since",
        }
    }
}

/// Whether money already taken matches the order it names: the payer (when the provider
/// names one), the provider, and the exact amount in the order's currency.
pub fn payment_matches(
    order: &OrderView,
    provider: Provider,
    payer: Option<i64>,
    amount: Money,
) -> Result<(), Mismatch> {
    if payer.is_some_and(|p| p != order.telegram_id) {
        return Err(Mismatch::OtherPayer);
    }
    if order.provider != provider.code() {
        return Err(Mismatch::OtherProvider);
    }
    if amount != order.price {
        return Err(Mismatch::Amount);
    }
    // One discount pays for one order: a second checkout priced with it is not paid by it.
    if order.discount.is_some_and(|d| d.spent_elsewhere) {
        return Err(Mismatch::DiscountSpent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn stars(n: i64) -> Money {
        Money::new(n, Currency::Xtr).expect("stars")
    }

    fn order(status: OrderStatus) -> OrderView {
        OrderView {
            id: 1,
            public_id: "ab12cd34ef56gh78".into(),
            user_id: 7,
            telegram_id: 42,
            status,
            provider: "stars".into(),
            price: stars(100),
            days: 30,
            plan_id: Some(1),
            subscription: false,
            current_price_minor: Some(100),
            locale: None,
            external_id: None,
            language_code: None,
            discount: None,
            gift: false,
        }
    }

    #[test]
    fn a_pending_order_paid_by_its_owner_at_the_plan_price_passes() {
        assert_eq!(check_checkout(&order(OrderStatus::Pending), 42, stars(100)), Ok(()));
    }

    #[test]
    fn tampered_or_stale_checkouts_are_refused_with_a_reason() {
        let pending = order(OrderStatus::Pending);
        assert_eq!(check_checkout(&pending, 43, stars(100)), Err(CheckoutRefusal::UnknownOrder));
        assert_eq!(check_checkout(&pending, 42, stars(1)), Err(CheckoutRefusal::AmountMismatch));
        let usd = Money::new(100, Currency::Usd).expect("usd");
        assert_eq!(check_checkout(&pending, 42, usd), Err(CheckoutRefusal::AmountMismatch));
        assert_eq!(
            check_checkout(&order(OrderStatus::Paid), 42, stars(100)),
            Err(CheckoutRefusal::AlreadyPaid)
        );
        assert_eq!(
            check_checkout(&order(OrderStatus::Cancelled), 42, stars(100)),
            Err(CheckoutRefusal::UnknownOrder)
        );
        let repriced = OrderView { current_price_minor: Some(120), ..pending.clone() };
        assert_eq!(check_checkout(&repriced, 42, stars(100)), Err(CheckoutRefusal::PriceChanged));
        let withdrawn = OrderView { current_price_minor: None, ..pending };
        assert_eq!(check_checkout(&withdrawn, 42, stars(100)), Err(CheckoutRefusal::PriceChanged));
    }

    #[test]
    fn a_discounted_order_passes_at_its_price_and_not_once_the_discount_is_spent() {
        let discount = OrderDiscount { percent: 25, spent_elsewhere: false };
        let discounted =
            OrderView { price: stars(75), discount: Some(discount), ..order(OrderStatus::Pending) };
        assert_eq!(check_checkout(&discounted, 42, stars(75)), Ok(()));
        assert_eq!(check_checkout(&discounted, 42, stars(100)), Err(CheckoutRefusal::AmountMismatch));
        let repriced = OrderView { current_price_minor: Some(120), ..discounted.clone() };
        assert_eq!(check_checkout(&repriced, 42, stars(75)), Err(CheckoutRefusal::PriceChanged));
        let spent = OrderView {
            discount: Some(OrderDiscount { spent_elsewhere: true, ..discount }),
            ..discounted.clone()
        };
        assert_eq!(check_checkout(&spent, 42, stars(75)), Err(CheckoutRefusal::PriceChanged));
        // The full price on a discounted order is money that does not match it.
        assert_eq!(
            payment_matches(&discounted, Provider::Stars, Some(42), stars(100)),
            Err(Mismatch::Amount)
        );
        assert_eq!(payment_matches(&discounted, Provider::Stars, Some(42), stars(75)), Ok(()));
        assert_eq!(
            payment_matches(&spent, Provider::Stars, Some(42), stars(75)),
            Err(Mismatch::DiscountSpent)
        );
    }

    #[test]
    fn payments_must_match_payer_provider_currency_and_amount() {
        let paid = order(OrderStatus::Provisioned);
        assert_eq!(payment_matches(&paid, Provider::Stars, Some(42), stars(100)), Ok(()));
        assert_eq!(payment_matches(&paid, Provider::Stars, None, stars(100)), Ok(()));
        assert_eq!(payment_matches(&paid, Provider::Stars, Some(42), stars(99)), Err(Mismatch::Amount));
        assert_eq!(payment_matches(&paid, Provider::Stars, Some(41), stars(100)), Err(Mismatch::OtherPayer));
        assert_eq!(
            payment_matches(&paid, Provider::Xendit, Some(42), stars(100)),
            Err(Mismatch::OtherProvider)
        );
    }

    #[test]
    fn order_ids_are_sixteen_lowercase_alphanumerics() {
        assert!(OrderId::parse("ab12cd34ef56gh78").is_some());
        assert!(OrderId::parse("AB12cd34ef56gh78").is_none());
        assert!(OrderId::parse("ab12cd34ef56gh7").is_none());
        assert!(OrderId::parse("ab12cd34ef56gh7!").is_none());
    }
}
