//! The shop's [`Notifier`] on Telegram: what fulfilment tells a customer, as bot messages in
//! their language, and the admins' alerts. Telegram's answers are mapped to what fulfilment can act on: 403 is an
//! unreachable customer, 429 a wait, any other 4xx a refusal for good (never retried), 5xx
//! and transport errors worth another try.

use wavegate_shared::config::Config;
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::money::Money;
use wavegate_shared::qr;
use wavegate_shared::shop::broadcast::Message;
use wavegate_shared::shop::ports::{
    BonusSource, Delivered, NoticeError, Notifier, Recipient, Reminder, UsageNotice,
};
use wavegate_shared::telegram::{InlineKeyboardButton as Button, InlineKeyboardMarkup};

use crate::callback::{Callback, Menu, SubAction};
use wavegate_shared::subscription::format_expiry;
use wavegate_shared::telegram::{BotApi, TelegramError};

use crate::screens::escape_html;

pub struct TelegramNotifier<'a, H> {
    pub config: &'a Config,
    pub http: &'a H,
}

impl<H: HttpClient> TelegramNotifier<'_, H> {
    fn api(&self) -> BotApi<'_, H> {
        BotApi::new(self.http, &self.config.telegram.api_base, self.config.telegram.bot_token.expose())
    }
}

/// What a Bot API failure means for a notice.
pub fn notice_error(e: TelegramError) -> NoticeError {
    match &e {
        _ if e.is_unreachable_user() => NoticeError::Unreachable,
        TelegramError::Api { retry_after: Some(s), .. } => NoticeError::Throttled(*s),
        TelegramError::Api { code: 429, .. } => NoticeError::Throttled(5),
        TelegramError::Api { code, .. } if (400..500).contains(code) => NoticeError::Refused(e.to_string()),
        _ => NoticeError::Unavailable(e.to_string()),
    }
}

fn texts(to: &Recipient) -> Texts {
    Texts::new(Locale::resolve(to.locale.as_deref(), to.language_code.as_deref()))
}

fn expiry(texts: Texts, at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|at| format_expiry(at, texts.locale.time_zone()))
        .unwrap_or_default()
}

/// "Active until …" or "has ended", after days were taken back.
fn remaining(texts: Texts, until: Option<i64>) -> String {
    match until {
        Some(until) => texts.format("refunded-active-until", &[("expires", Arg::Str(expiry(texts, until)))]),
        None => texts.get("refunded-ended"),
    }
}

impl<H: HttpClient> Notifier for TelegramNotifier<'_, H> {
    async fn provisioned(
        &self,
        to: &Recipient,
        link: &str,
        expires_at: i64,
    ) -> Result<Delivered, NoticeError> {
        let texts = texts(to);
        let args = [("expires", Arg::Str(expiry(texts, expires_at))), ("link", Arg::Str(escape_html(link)))];
        let api = self.api();
        api.send_message(to.chat_id, &texts.format("provisioned", &args), None)
            .await
            .map_err(notice_error)?;
        // The link is the notice; the QR is a convenience that /status also offers. Once the
        // link went out, a failed photo must not send the whole notice again.
        let photo = match qr::png(link) {
            Ok(png) => api.send_photo_png(to.chat_id, png, &texts.get("qr-caption"), None).await.map(|_| ()),
            Err(_) => return Ok(Delivered::WithoutQr),
        };
        Ok(if photo.is_ok() { Delivered::Complete } else { Delivered::WithoutQr })
    }

    async fn bonus(
        &self,
        to: &Recipient,
        days: u32,
        expires_at: Option<i64>,
        source: BonusSource,
    ) -> Result<(), NoticeError> {
        let texts = texts(to);
        let days = ("days", Arg::Num(i64::from(days)));
        let (added, stored) = match source {
            BonusSource::Referral => ("bonus-added", "bonus-stored"),
            BonusSource::Promo => ("promo-bonus-added", "promo-bonus-stored"),
            BonusSource::Admin | BonusSource::Gift => ("admin-bonus-added", "admin-bonus-stored"),
        };
        let text = match expires_at {
            Some(at) => texts.format(added, &[days, ("expires", Arg::Str(expiry(texts, at)))]),
            None => texts.format(stored, &[days]),
        };
        self.api().send_message(to.chat_id, &text, None).await.map_err(notice_error)?;
        Ok(())
    }

    async fn bonus_taken_back(
        &self,
        to: &Recipient,
        days: u32,
        remaining_until: Option<i64>,
        source: BonusSource,
    ) -> Result<(), NoticeError> {
        let texts = texts(to);
        let key = if source == BonusSource::Gift { "gift-taken-back" } else { "bonus-taken-back" };
        let mut text = texts.format(key, &[("days", Arg::Num(i64::from(days)))]);
        text.push('\n');
        text.push_str(&remaining(texts, remaining_until));
        self.api().send_message(to.chat_id, &text, None).await.map_err(notice_error)?;
        Ok(())
    }

    async fn payment_received(&self, to: &Recipient) -> Result<(), NoticeError> {
        let texts = texts(to);
        self.api()
            .send_message(to.chat_id, &texts.get("payment-received"), None)
            .await
            .map_err(notice_error)?;
        Ok(())
    }

    async fn refunded(
        &self,
        to: &Recipient,
        amount: Money,
        days: u32,
        remaining_until: Option<i64>,
    ) -> Result<(), NoticeError> {
        let texts = texts(to);
        let mut text = texts.format(
            "refunded",
            &[("amount", Arg::Str(amount.to_string())), ("days", Arg::Num(i64::from(days)))],
        );
        text.push('\n');
        text.push_str(&remaining(texts, remaining_until));
        self.api().send_message(to.chat_id, &text, None).await.map_err(notice_error)?;
        Ok(())
    }

    async fn reminder(&self, to: &Recipient, reminder: Reminder, expires_at: i64) -> Result<(), NoticeError> {
        let texts = texts(to);
        let args = [("expires", Arg::Str(expiry(texts, expires_at)))];
        let (text, button) = match reminder {
            Reminder::Expiring { .. } => (texts.format("reminder-expiring", &args), Some("status-renew")),
            Reminder::Renews => (texts.format("reminder-renews", &args), None),
            Reminder::Expired => (texts.get("reminder-expired"), Some("menu-buy")),
        };
        let keyboard = button.map(|key| InlineKeyboardMarkup {
            inline_keyboard: vec![vec![Button::callback(texts.get(key), Callback::Menu(Menu::Buy).encode())]],
        });
        self.api().send_message(to.chat_id, &text, keyboard.as_ref()).await.map_err(notice_error)?;
        Ok(())
    }

    async fn usage(&self, to: &Recipient, notice: UsageNotice) -> Result<(), NoticeError> {
        let texts = texts(to);
        let button =
            |key: &str, callback: Callback| vec![Button::callback(texts.get(key), callback.encode())];
        let buy = || button("menu-buy", Callback::Menu(Menu::Buy));
        let (text, rows) = match notice {
            UsageNotice::Connected => (texts.get("usage-connected"), vec![]),
            UsageNotice::TrafficThreshold { percent } => {
                (texts.format("usage-traffic", &[("percent", Arg::Num(i64::from(percent)))]), vec![buy()])
            }
            UsageNotice::TrafficLimited => (texts.get("usage-limited"), vec![buy()]),
            UsageNotice::SetupHelp => (
                texts.get("usage-setup-help"),
                vec![
                    button("status-link", Callback::Subscription(SubAction::Link)),
                    button("status-qr", Callback::Subscription(SubAction::Qr)),
                ],
            ),
            UsageNotice::DeviceLimit { limit } => (
                texts.format("usage-device-limit", &[("limit", Arg::Num(i64::from(limit)))]),
                vec![button("status-devices", Callback::Subscription(SubAction::ResetDevices))],
            ),
        };
        let keyboard = (!rows.is_empty()).then_some(InlineKeyboardMarkup { inline_keyboard: rows });
        self.api().send_message(to.chat_id, &text, keyboard.as_ref()).await.map_err(notice_error)?;
        Ok(())
    }

    async fn gift_ready(&self, to: &Recipient, link: &str, days: u32) -> Result<(), NoticeError> {
        let texts = texts(to);
        let args = [("link", Arg::Str(escape_html(link))), ("days", Arg::Num(i64::from(days)))];
        let text = texts.format("gift-ready", &args);
        let share = format!(
            "https://t.me/share/url?url={}&text={}",
            wavegate_shared::http::encode_component(link),
            wavegate_shared::http::encode_component(&texts.get("gift-share-text"))
        );
        let keyboard = InlineKeyboardMarkup {
            inline_keyboard: vec![vec![Button::url(texts.get("gift-share-button"), share)]],
        };
        self.api().send_message(to.chat_id, &text, Some(&keyboard)).await.map_err(notice_error)?;
        Ok(())
    }

    async fn broadcast(&self, telegram_id: i64, message: &Message) -> Result<(), NoticeError> {
        let keyboard = message.button.as_ref().map(|(label, url)| InlineKeyboardMarkup {
            inline_keyboard: vec![vec![Button::url(label.clone(), url.clone())]],
        });
        let text = escape_html(&message.text);
        self.api().send_message(telegram_id, &text, keyboard.as_ref()).await.map_err(notice_error)?;
        Ok(())
    }

    async fn broadcast_report(&self, control: (i64, i64), text: &str, edit: bool) -> Result<(), NoticeError> {
        let api = self.api();
        let text = escape_html(text);
        let sent = if edit {
            api.edit_message_text(control.0, control.1, &text, None).await
        } else {
            api.send_message(control.0, &text, None).await.map(|_| ())
        };
        sent.map_err(notice_error)
    }

    async fn admin(&self, admin_id: i64, text: &str) -> Result<(), NoticeError> {
        // Alerts quote panel errors and names verbatim; escaped, they can never break the HTML.
        self.api().send_message(admin_id, &escape_html(text), None).await.map_err(notice_error)?;
        Ok(())
    }
}
