//! A user who floods the bot: past the per-user rate limit (the Worker's `BOT_RATE_LIMITER`
//! binding) an update is answered with a polite "slow down" and goes no further: no D1 write,
//! no panel call, no Bot API call (the answer rides on the webhook's response).
//!
//! Money is never limited: a pre-checkout query must be answered within seconds, and a
//! payment must be recorded, whoever sends it. Nor are membership changes and subscription
//! updates, which Telegram sends, not the user.

use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::telegram::{Update, WebhookReply};

use crate::Handled;

/// The user an update counts against, or `None` when it is never limited.
pub fn limited_user(update: &Update) -> Option<i64> {
    if let Some(message) = &update.message {
        let money = message.successful_payment.is_some() || message.refunded_payment.is_some();
        return if money { None } else { message.from.as_ref().map(|u| u.id) };
    }
    update.callback_query.as_ref().map(|q| q.from.id)
}

/// The answer to an update over the limit. A button press is always answered (its spinner
/// stops, and the notice shows); a message is answered only when `tell` (once a minute per
/// user: a flood of messages must not become a flood of replies).
pub fn slow_down(update: &Update, tell: bool) -> Handled {
    if let Some(query) = &update.callback_query {
        let text = Texts::new(Locale::from_telegram(query.from.language_code.as_deref())).get("slow-down");
        return Handled::Answered("rate limited", WebhookReply::answer_callback_query(&query.id, &text));
    }
    match update.message.as_ref().filter(|_| tell) {
        Some(message) => {
            let from = message.from.as_ref().and_then(|u| u.language_code.as_deref());
            let text = Texts::new(Locale::from_telegram(from)).get("slow-down");
            Handled::Answered("rate limited", WebhookReply::send_message(message.chat.id, &text))
        }
        None => Handled::Ignored("rate limited"),
    }
}
