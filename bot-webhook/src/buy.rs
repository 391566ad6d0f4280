//! Buying: plans → payment method → invoice.
//!
//! ```text
//! user: /buy  (or taps [Buy VPN])
//! bot:  Choose a plan:                       [Monthly · ⭐100] [Quarterly · ⭐250] [Yearly · ⭐800]
//!       Monthly — 30 days, 100 GB, 3 devices: ⭐100 · $2.00 · ₹169 · Rp 32,000 …
//! user: taps [Monthly · ⭐100]
//! bot:  Monthly: 30 days, 100 GB, 3 devices. Choose how to pay:
//!       [⭐ Telegram Stars · ⭐100] [🔁 Stars subscription · ⭐100 every 30 days]
//!       [₹ Razorpay / UPI · ₹169] (only when configured) … [Back]
//! user: taps [⭐ Telegram Stars · ⭐100]
//! bot:  an XTR invoice for exactly the plan's Stars price, payload `order:<id>`
//! ```
//!
//! Each invoice is a pending order in D1; the payload names it, so pre-checkout and payment
//! can check the amount, currency and payer against what was offered.

use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Arg, Texts};
use wavegate_shared::money::Currency;
use wavegate_shared::remnawave::Panel;
use wavegate_shared::telegram::{
    CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, StarsInvoice,
};

use wavegate_shared::qr;
use wavegate_shared::shop::catalog::{PayMethod, Plan, PlanSlug, Provider};
use wavegate_shared::shop::checkout::{self, Buyer, CheckoutError, Opened};
use wavegate_shared::shop::ports::{Cache, Jobs};
use wavegate_shared::shop::promo::{price_for, Discount};
use wavegate_shared::shop::store::{BotUser, StoreError};
use wavegate_shared::subscription::format_expiry;

use crate::callback::{Callback, Menu};
use crate::screens::Screen;
use crate::{texts_for, Bot, BotError, Handled, Target};

pub use wavegate_shared::shop::stars::{parse_payload, payload};

/// Payment methods offered for a plan (the rule lives in the core: the checkout API uses it too).
pub use wavegate_shared::shop::catalog::offered as methods;

/// A plan's localized name (catalog `plan-<slug>`), else the name the admin gave it, escaped
/// for Telegram HTML (an admin's `&` must not break the menu for every customer).
pub fn plan_name(texts: Texts, plan: &Plan) -> String {
    crate::screens::escape_html(&plan_name_plain(texts, plan))
}

/// The plan's name as plain text (invoice titles are not HTML).
fn plan_name_plain(texts: Texts, plan: &Plan) -> String {
    texts.find(&format!("plan-{}", plan.slug)).unwrap_or_else(|| plan.name.clone())
}

/// "100 GB" or "unlimited traffic".
pub fn traffic(texts: Texts, bytes: u64) -> String {
    if bytes == 0 {
        texts.get("traffic-unlimited")
    } else {
        texts.format("traffic-gb", &[("gb", Arg::Num((bytes >> 30) as i64))])
    }
}

fn plan_args(texts: Texts, plan: &Plan) -> Vec<(&'static str, Arg)> {
    vec![
        ("name", Arg::Str(plan_name(texts, plan))),
        ("days", Arg::Num(i64::from(plan.days))),
        ("traffic", Arg::Str(traffic(texts, plan.traffic_limit_bytes))),
        ("devices", Arg::Num(i64::from(plan.device_limit))),
    ]
}

pub fn plans_screen(texts: Texts, plans: &[Plan]) -> Screen {
    let mut text = texts.get("plans-title");
    let mut rows = Vec::new();
    for plan in plans {
        let prices: Vec<String> =
            Currency::ALL.iter().filter_map(|c| plan.price(*c)).map(|p| p.to_string()).collect();
        let mut args = plan_args(texts, plan);
        args.push(("prices", Arg::Str(prices.join(" · "))));
        text.push_str("\n\n");
        text.push_str(&texts.format("plan-line", &args));
        let headline = plan.price(Currency::Xtr).or_else(|| plan.prices.first().copied());
        let label = match headline {
            // Button labels are plain text, not HTML: no escaping.
            Some(price) => format!("{} · {price}", plan_name_plain(texts, plan)),
            None => plan_name_plain(texts, plan),
        };
        rows.push(vec![Button::callback(label, Callback::Plan(plan.slug.clone()))]);
    }
    rows.push(vec![Button::callback(texts.get("menu-promo"), Callback::Menu(Menu::Promo))]);
    rows.push(vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))]);
    Screen { text, keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }) }
}

pub fn methods_screen(
    texts: Texts,
    plan: &Plan,
    methods: &[PayMethod],
    discount: Option<Discount>,
) -> Screen {
    let mut text = texts.format("methods-title", &plan_args(texts, plan));
    if let Some(d) = discount {
        text.push_str("\n\n");
        text.push_str(
            &texts.format("promo-discount-applied", &[("percent", Arg::Num(i64::from(d.percent)))]),
        );
    }
    let mut rows: Vec<Vec<Button>> = methods
        .iter()
        .filter_map(|m| {
            let (price, _) = price_for(plan, *m, discount)?;
            let label = texts.format(method_key(*m), &[("price", Arg::Str(price.to_string()))]);
            Some(vec![Button::callback(label, Callback::Pay(plan.slug.clone(), *m))])
        })
        .collect();
    rows.push(vec![Button::callback(texts.get("gift-button"), Callback::Gift(plan.slug.clone()))]);
    rows.push(vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Buy))]);
    Screen { text, keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }) }
}

/// Paying for a plan as a gift: every one-off method (a Stars subscription would renew a
/// gift nobody asked to renew), at the plan's price (promo discounts are for one's own plan).
pub fn gift_methods_screen(texts: Texts, plan: &Plan, methods: &[PayMethod]) -> Screen {
    let text = texts.format("gift-methods-title", &plan_args(texts, plan));
    let mut rows: Vec<Vec<Button>> = methods
        .iter()
        .filter(|m| **m != PayMethod::StarsSubscription)
        .filter_map(|m| {
            let price = plan.price(m.currency())?;
            let label = texts.format(method_key(*m), &[("price", Arg::Str(price.to_string()))]);
            Some(vec![Button::callback(label, Callback::GiftPay(plan.slug.clone(), *m))])
        })
        .collect();
    rows.push(vec![Button::callback(texts.get("menu-back"), Callback::Plan(plan.slug.clone()))]);
    Screen { text, keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }) }
}

fn method_key(method: PayMethod) -> &'static str {
    match method {
        PayMethod::Stars => "method-stars",
        PayMethod::StarsSubscription => "method-stars-subscription",
        PayMethod::Razorpay => "method-razorpay",
        PayMethod::Xendit => "method-xendit",
        PayMethod::CryptoPay => "method-crypto",
    }
}

/// The words of a Stars invoice for `plan`, within Telegram's lengths (the bot's invoices and
/// the cabinet's invoice links).
pub struct InvoiceTexts {
    pub title: String,
    pub description: String,
    pub label: String,
}

impl InvoiceTexts {
    /// The invoice of an order with these words.
    pub fn invoice<'a>(&'a self, payload: &'a str, stars: i64) -> StarsInvoice<'a> {
        StarsInvoice {
            title: &self.title,
            description: &self.description,
            payload,
            label: &self.label,
            stars,
        }
    }
}

pub fn invoice_texts(texts: Texts, plan: &Plan, gift: bool) -> InvoiceTexts {
    let name = plan_name_plain(texts, plan);
    let title_key = if gift { "gift-invoice-title" } else { "invoice-title" };
    let title = texts.format(title_key, &[("name", Arg::Str(name.clone()))]);
    let description = texts.format("invoice-description", &plan_args(texts, plan));
    InvoiceTexts {
        title: truncate(&title, 32),
        description: truncate(&description, 255),
        label: truncate(&name, 32),
    }
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    pub(crate) async fn show_plans(&self, user: &BotUser, target: Target<'_>) -> Result<Handled, BotError> {
        let plans = self.store.active_plans().await?;
        self.show(target, plans_screen(texts_for(user), &plans)).await?;
        Ok(Handled::Replied("plans"))
    }

    /// [`Callback::Plan`] (or [`Callback::Gift`], `gift`): the ways to pay for a plan.
    pub(crate) async fn show_methods(
        &self,
        user: &BotUser,
        slug: &PlanSlug,
        gift: bool,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        let plans = self.store.active_plans().await?;
        let texts = texts_for(user);
        let screen = match plans.iter().find(|p| &p.slug == slug) {
            Some(plan) if gift => gift_methods_screen(texts, plan, &methods(self.config, plan)),
            Some(plan) => {
                let discount = self.store.pending_discount(user.id).await?;
                methods_screen(texts, plan, &methods(self.config, plan), discount)
            }
            // A plan switched off since the menu was drawn: show the current ones.
            None => plans_screen(texts, &plans),
        };
        self.show(target, screen).await?;
        Ok(Handled::Replied(if gift { "gift methods" } else { "methods" }))
    }

    /// [`Callback::Pay`] (or [`Callback::GiftPay`], `gift`): create the pending order and send
    /// its invoice.
    pub(crate) async fn pay(
        &self,
        user: &BotUser,
        slug: &PlanSlug,
        method: PayMethod,
        gift: bool,
        query: &CallbackQuery,
    ) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let api = self.api();
        let plans = self.store.active_plans().await?;
        let Some(plan) = plans.iter().find(|p| &p.slug == slug) else {
            api.answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("unknown plan"));
        };
        if !methods(self.config, plan).contains(&method) {
            api.answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("method not offered"));
        }
        if gift && method == PayMethod::StarsSubscription {
            api.answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("a gift is not a subscription"));
        }
        if !matches!(method, PayMethod::Stars | PayMethod::StarsSubscription) {
            return self.provider_checkout(user, plan, method, gift, query).await;
        }
        let chat_id = Target::Callback(query).chat_id();
        let buyer = Buyer { user_id: user.id, telegram_id: user.telegram_id.get(), chat_id };
        let order = match checkout::stars_order(
            self.config,
            self.store,
            self.ids,
            buyer,
            plan,
            method,
            gift,
            self.now(),
        )
        .await
        {
            Ok(order) => order,
            Err(CheckoutError::Store(e)) => return Err(e.into()),
            Err(_) => return Ok(Handled::Ignored("no Stars price")),
        };
        let (price, subscription) = (order.price, order.subscription);
        api.answer_callback_query(&query.id, None).await?;

        let name = plan_name_plain(texts, plan);
        let words = invoice_texts(texts, plan, gift);
        let payload = payload(&order.public_id);
        let invoice = words.invoice(&payload, price.minor());
        if subscription {
            let link = api.create_invoice_link(&invoice, true).await?;
            let args = [("name", Arg::Str(plan_name(texts, plan))), ("price", Arg::Str(price.to_string()))];
            let plain = [("name", Arg::Str(name)), ("price", Arg::Str(price.to_string()))];
            let button = Button::url(texts.format("subscription-button", &plain), link);
            let keyboard = InlineKeyboardMarkup { inline_keyboard: vec![vec![button]] };
            api.send_message(chat_id, &texts.format("subscription-offer", &args), Some(&keyboard)).await?;
        } else {
            api.send_invoice(chat_id, &invoice).await?;
        }
        Ok(Handled::Replied("invoice sent"))
    }
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    /// Razorpay, Xendit or Crypto Pay: [`checkout::open`] (a pending order at exactly the
    /// plan's price, the provider's object attached), then the link button or the QR code. If
    /// the provider fails, the order is already cancelled: the customer is told.
    async fn provider_checkout(
        &self,
        user: &BotUser,
        plan: &Plan,
        method: PayMethod,
        gift: bool,
        query: &CallbackQuery,
    ) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let api = self.api();
        let chat_id = Target::Callback(query).chat_id();
        let now = self.now();
        api.answer_callback_query(&query.id, None).await?;
        let buyer = Buyer { user_id: user.id, telegram_id: user.telegram_id.get(), chat_id };
        let description = truncate(&texts.format("invoice-description", &plan_args(texts, plan)), 255);
        let opened = checkout::open(
            self.config,
            self.store,
            self.jobs,
            self.http,
            self.ids,
            buyer,
            plan,
            method,
            gift,
            &description,
            now,
        )
        .await;
        let Opened { price, object, .. } = match opened {
            Ok(opened) => opened,
            Err(CheckoutError::Store(e)) => return Err(e.into()),
            Err(CheckoutError::NotOffered) => return Ok(Handled::Ignored("method not offered")),
            Err(CheckoutError::TooMany) => {
                api.send_message(chat_id, &texts.get("checkout-too-many"), None).await?;
                return Ok(Handled::Replied("checkout: too many"));
            }
            Err(CheckoutError::Provider(error)) => {
                api.send_message(chat_id, &texts.get("checkout-failed"), None).await?;
                return Ok(Handled::Replied(if error.is_retryable() {
                    "checkout: provider unavailable"
                } else {
                    "checkout: provider refused"
                }));
            }
        };
        let provider = method.provider();
        let expires = chrono::DateTime::from_timestamp(object.expires_at, 0)
            .map(|at| format_expiry(at, texts.locale.time_zone()))
            .unwrap_or_default();
        let args = [
            ("amount", Arg::Str(price.to_string())),
            ("name", Arg::Str(plan_name(texts, plan))),
            ("expires", Arg::Str(expires)),
        ];
        match (object.qr_string, object.pay_url) {
            (Some(qr_string), _) => {
                let png = qr::png(&qr_string)
                    .map_err(|_| StoreError::invalid("the provider's QR string does not fit a QR code"))?;
                api.send_photo_png(chat_id, png, &texts.format("pay-qris", &args), None).await?;
            }
            (None, Some(url)) => {
                let key =
                    if provider == Provider::Razorpay { "pay-link-razorpay" } else { "pay-link-cryptopay" };
                let label = texts.format("pay-button", &[("amount", Arg::Str(price.to_string()))]);
                let keyboard = InlineKeyboardMarkup { inline_keyboard: vec![vec![Button::url(label, url)]] };
                api.send_message(chat_id, &texts.format(key, &args), Some(&keyboard)).await?;
            }
            (None, None) => {
                return Err(StoreError::invalid("the provider gave neither a link nor a QR code").into())
            }
        }
        Ok(Handled::Replied("checkout sent"))
    }
}

/// Cuts to at most `max` characters (Telegram counts characters, not bytes, for titles).
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cut_by_characters_not_bytes() {
        assert_eq!(truncate("абвгд", 3), "абв");
    }
}
