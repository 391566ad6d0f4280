//! Opening a checkout on a provider channel (Razorpay, Xendit, Crypto Pay): the one function the
//! bot's pay buttons and `POST /api/checkout` share.
//!
//! ```text
//! open(anna, monthly, razorpay)
//!   → offered? (keys set, a price in INR)            else NotOffered, nothing stored
//!   → pending order ab12… at exactly ₹169            (D1; less a promo discount anna holds)
//!   → the provider's object (UPI link plink_X)       (provider API)
//!   → plink_X attached, the order open until its expiry + 10 min
//! the provider fails → the order is cancelled (never left pending); a refusal (bad keys, an
//!   amount it will not take) alerts the admins once an hour per provider
//! ```

use super::catalog::{offered, PayMethod, Plan};
use super::order::{NewOrder, OrderId};
use super::payment::alert_once;
use super::ports::{Ids, Jobs};
use super::promo::{price_for, PromoStore};
use super::store::{ShopStore, StoreError};
use crate::config::Config;
use crate::http::HttpClient;
use crate::money::Money;
use crate::providers::gateway::{
    CheckoutRequest, Gateway, GatewayError, ProviderObject, ORDER_MARGIN_SECONDS, PAYMENT_WINDOW_SECONDS,
};

/// At most this many provider checkouts per customer per window: each one creates an object
/// at the provider (a link, a QR code, an invoice), and a loop must not get the merchant's
/// account throttled or flagged. A real customer retrying a few times stays far below it.
pub const MAX_CHECKOUTS: u32 = 10;
pub const CHECKOUT_WINDOW_SECONDS: i64 = 10 * 60;

/// Who is buying, and where to tell them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Buyer {
    pub user_id: i64,
    pub telegram_id: i64,
    pub chat_id: i64,
}

/// A checkout the customer can pay now.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub order: OrderId,
    pub price: Money,
    pub object: ProviderObject,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    /// The method is not offered for this plan (channel off, no price in its currency, or a
    /// Stars method, which has its own checkout in Telegram).
    #[error("method not offered")]
    NotOffered,
    /// The customer opened [`MAX_CHECKOUTS`] checkouts within [`CHECKOUT_WINDOW_SECONDS`].
    #[error("too many checkouts")]
    TooMany,
    #[error(transparent)]
    Provider(GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A Stars checkout (a one-off invoice, or a subscription for 30-day plans): the pending order
/// its invoice names in its payload, at the plan's Stars price less the customer's discount (a
/// gift is at the plan's price and is never a subscription). The bot's pay buttons and the
/// cabinet's `POST /api/checkout` share it; the caller sends or links the invoice.
#[allow(clippy::too_many_arguments)]
pub async fn stars_order<S: ShopStore + PromoStore>(
    config: &Config,
    store: &S,
    ids: &dyn Ids,
    buyer: Buyer,
    plan: &Plan,
    method: PayMethod,
    gift: bool,
    now: i64,
) -> Result<NewOrder, CheckoutError> {
    let stars = matches!(method, PayMethod::Stars | PayMethod::StarsSubscription);
    if !stars || !offered(config, plan).contains(&method) || (gift && method == PayMethod::StarsSubscription)
    {
        return Err(CheckoutError::NotOffered);
    }
    let Some(order) = priced_order(store, ids, buyer, plan, method, gift, None, now).await? else {
        return Err(CheckoutError::NotOffered);
    };
    store.create_order(&order).await?;
    Ok(order)
}

/// A pending order for `plan` paid by `method`, at its price in the method's currency less the
/// promo discount the customer holds (none on a gift: the discount is for the customer's own
/// plan). `None`: the plan has no price in that currency.
#[allow(clippy::too_many_arguments)]
async fn priced_order<S: ShopStore + PromoStore>(
    store: &S,
    ids: &dyn Ids,
    buyer: Buyer,
    plan: &Plan,
    method: PayMethod,
    gift: bool,
    expires_at: Option<i64>,
    now: i64,
) -> Result<Option<NewOrder>, StoreError> {
    let discount = if gift { None } else { store.pending_discount(buyer.user_id).await? };
    let Some((price, discount)) = price_for(plan, method, discount) else { return Ok(None) };
    let public_id = OrderId::parse(&ids.order_id())
        .ok_or_else(|| StoreError::invalid("the id source drew a malformed order id"))?;
    Ok(Some(NewOrder {
        public_id,
        user_id: buyer.user_id,
        chat_id: buyer.chat_id,
        plan_id: plan.id,
        provider: method.provider(),
        price,
        days: plan.days,
        subscription: method == PayMethod::StarsSubscription,
        discount,
        gift,
        expires_at,
        now,
    }))
}

#[allow(clippy::too_many_arguments)]
pub async fn open<S: ShopStore + PromoStore, J: Jobs, H: HttpClient>(
    config: &Config,
    store: &S,
    jobs: &J,
    http: &H,
    ids: &dyn Ids,
    buyer: Buyer,
    plan: &Plan,
    method: PayMethod,
    gift: bool,
    description: &str,
    now: i64,
) -> Result<Opened, CheckoutError> {
    let provider = method.provider();
    let (Some(_), true) = (
        price_for(plan, method, None),
        offered(config, plan).contains(&method)
            && !matches!(method, PayMethod::Stars | PayMethod::StarsSubscription),
    ) else {
        return Err(CheckoutError::NotOffered);
    };
    if store.recent_checkouts(buyer.user_id, now - CHECKOUT_WINDOW_SECONDS).await? >= MAX_CHECKOUTS {
        return Err(CheckoutError::TooMany);
    }
    // Closable by the hourly cron even if what follows fails half way (never pending forever).
    let closes = Some(now + PAYMENT_WINDOW_SECONDS + ORDER_MARGIN_SECONDS);
    let Some(order) = priced_order(store, ids, buyer, plan, method, gift, closes, now).await? else {
        return Err(CheckoutError::NotOffered);
    };
    store.create_order(&order).await?;
    let request = CheckoutRequest {
        order: order.public_id.as_str(),
        amount: order.price,
        description,
        telegram_id: buyer.telegram_id,
        now,
    };
    let object = match Gateway::new(config, http).create(provider, &request).await {
        Ok(object) => object,
        Err(error) => {
            store.cancel_order(order.public_id.as_str(), now).await?;
            if !error.is_retryable() {
                let text = format!("⚠️ {provider} refused a checkout, so customers cannot pay with it: {error}. Check its keys and dashboard.");
                alert_once(store, jobs, &format!("checkout_refused:{provider}:{}", now / 3600), text, now)
                    .await?;
            }
            return Err(CheckoutError::Provider(error));
        }
    };
    let closes_at = object.expires_at + ORDER_MARGIN_SECONDS;
    let attached = store.attach_external(order.public_id.as_str(), &object.id, closes_at, now).await;
    if !matches!(attached, Ok(true)) {
        // The object exists at the provider but not on our order (D1 failed, or the provider
        // reused an id we hold): never offer it. A payment to it would still be honoured by its
        // reference (our order id), and the order closes at its expiry if this cancel fails too.
        let _ = store.cancel_order(order.public_id.as_str(), now).await;
        return Err(CheckoutError::Store(match attached {
            Err(e) => e,
            _ => StoreError::invalid(format!("{provider} object {} is attached to another order", object.id)),
        }));
    }
    Ok(Opened { order: order.public_id, price: order.price, object })
}
