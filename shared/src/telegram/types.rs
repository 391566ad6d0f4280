//! Bot API 10.x types, trimmed to the fields Wavegate uses.

use serde::{Deserialize, Serialize};

/// An incoming update. Exactly one of the optional fields is set; kinds we do not handle
/// (edited messages, channel posts, …) leave them all `None` and are acknowledged and ignored.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Update {
    pub update_id: i64,
    pub message: Option<Message>,
    pub callback_query: Option<CallbackQuery>,
    pub pre_checkout_query: Option<PreCheckoutQuery>,
    pub my_chat_member: Option<ChatMemberUpdated>,
    /// A Stars subscription's renewal changed (Bot API `BotSubscriptionUpdated`).
    pub subscription: Option<BotSubscriptionUpdated>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Chat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Message {
    pub message_id: i64,
    pub from: Option<User>,
    pub chat: Chat,
    pub date: i64,
    pub text: Option<String>,
    pub successful_payment: Option<SuccessfulPayment>,
    pub refunded_payment: Option<RefundedPayment>,
}

/// The message a callback button was attached to. Telegram may send an
/// `InaccessibleMessage` (date 0) for old messages; both carry the chat and id we need.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CallbackMessage {
    pub message_id: i64,
    pub chat: Chat,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    pub message: Option<CallbackMessage>,
    pub data: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct PreCheckoutQuery {
    pub id: String,
    pub from: User,
    pub currency: String,
    pub total_amount: i64,
    pub invoice_payload: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SuccessfulPayment {
    pub currency: String,
    pub total_amount: i64,
    pub invoice_payload: String,
    pub telegram_payment_charge_id: String,
    #[serde(default)]
    pub provider_payment_charge_id: String,
    /// Unix time; omitted by Telegram unless positive (Stars subscriptions only).
    pub subscription_expiration_date: Option<i64>,
    #[serde(default)]
    pub is_recurring: bool,
    #[serde(default)]
    pub is_first_recurring: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RefundedPayment {
    pub currency: String,
    pub total_amount: i64,
    pub invoice_payload: String,
    pub telegram_payment_charge_id: String,
    pub provider_payment_charge_id: Option<String>,
}

/// A user's Stars subscription to the bot changed: `canceled` (the user turned renewal off),
/// `active` (turned it back on) or `failed` (a renewal could not be charged).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct BotSubscriptionUpdated {
    pub user: User,
    pub invoice_payload: String,
    pub state: String,
}

/// One page of the bot's Stars ledger (`getStarTransactions`), oldest first.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct StarTransactions {
    pub transactions: Vec<StarTransaction>,
}

/// A Stars movement. For a user's payment `id` is its `telegram_payment_charge_id`; a refund
/// carries the id of the payment it refunds.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct StarTransaction {
    pub id: String,
    pub amount: i64,
    pub date: i64,
    /// Who paid the bot (incoming transactions only).
    pub source: Option<TransactionPartner>,
    /// Who the bot paid (outgoing: a refund to a user, a withdrawal).
    pub receiver: Option<TransactionPartner>,
}

/// The other side of a transaction; only users matter to the shop.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TransactionPartner {
    #[serde(rename = "type")]
    pub kind: String,
    pub transaction_type: Option<String>,
    pub user: Option<User>,
    pub invoice_payload: Option<String>,
    pub subscription_period: Option<i64>,
}

/// The bot's own membership changed in a chat: `kicked` means the user blocked the bot.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ChatMemberUpdated {
    pub chat: Chat,
    pub from: User,
    pub date: i64,
    pub new_chat_member: ChatMember,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ChatMember {
    pub status: String,
    pub user: User,
}

/// An inline keyboard under a message.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct InlineKeyboardMarkup {
    pub inline_keyboard: Vec<Vec<InlineKeyboardButton>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InlineKeyboardButton {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl InlineKeyboardButton {
    /// A button that sends `data` back as a callback query (Telegram allows 1–64 bytes).
    pub fn callback(text: impl Into<String>, data: impl Into<String>) -> Self {
        Self { text: text.into(), callback_data: Some(data.into()), url: None }
    }

    pub fn url(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self { text: text.into(), callback_data: None, url: Some(url.into()) }
    }
}

/// What a successfully sent message comes back as; we only need its id.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SentMessage {
    pub message_id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Update {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_start_command_from_a_private_chat_parses() {
        let update = parse(include_str!("../../tests/fixtures/update_start.json"));
        let message = update.message.unwrap();
        assert_eq!(message.text.as_deref(), Some("/start ref_abcdefgh"));
        let from = message.from.unwrap();
        assert_eq!((from.id, from.language_code.as_deref()), (123456789, Some("ru")));
        assert_eq!(message.chat.kind, "private");
    }

    #[test]
    fn a_callback_query_parses_with_its_message_and_data() {
        let update = parse(include_str!("../../tests/fixtures/update_callback.json"));
        let query = update.callback_query.unwrap();
        assert_eq!(query.data.as_deref(), Some("menu:help"));
        assert_eq!(query.message.unwrap().chat.id, 123456789);
    }

    #[test]
    fn a_callback_on_an_inaccessible_message_still_parses() {
        let json = r#"{"update_id":7,"callback_query":{"id":"1","from":{"id":5,"is_bot":false,
            "first_name":"A"},"chat_instance":"9","message":{"chat":{"id":5,"type":"private"},
            "message_id":3,"date":0},"data":"menu:buy"}}"#;
        assert_eq!(parse(json).callback_query.unwrap().message.unwrap().message_id, 3);
    }

    #[test]
    fn the_pre_checkout_sample_from_the_bot_api_parses() {
        let json = r#"{"update_id":1001,"pre_checkout_query":{"id":"4458712394","from":{"id":42,
            "is_bot":false,"first_name":"Ivan"},"currency":"XTR","total_amount":150,
            "invoice_payload":"sub:42:vpn_1m"}}"#;
        let query = parse(json).pre_checkout_query.unwrap();
        assert_eq!((query.currency.as_str(), query.total_amount), ("XTR", 150));
    }

    #[test]
    fn successful_and_recurring_payments_parse_with_defaults() {
        let update = parse(include_str!("../../tests/fixtures/update_successful_payment.json"));
        let paid = update.message.unwrap().successful_payment.unwrap();
        assert_eq!(paid.telegram_payment_charge_id, "stxAbCdEf0123456789");
        assert!(paid.is_recurring && paid.is_first_recurring);
        assert_eq!(paid.subscription_expiration_date, Some(1769817600));

        let json = r#"{"update_id":9,"message":{"message_id":1,"date":1,"chat":{"id":1,
            "type":"private"},"successful_payment":{"currency":"XTR","total_amount":100,
            "invoice_payload":"o:1","telegram_payment_charge_id":"c1",
            "provider_payment_charge_id":""}}}"#;
        let paid = parse(json).message.unwrap().successful_payment.unwrap();
        assert!(!paid.is_recurring && paid.subscription_expiration_date.is_none());
    }

    #[test]
    fn refunds_and_blocking_the_bot_parse() {
        let json = r#"{"update_id":10,"message":{"message_id":2,"date":1,"chat":{"id":1,
            "type":"private"},"refunded_payment":{"currency":"XTR","total_amount":100,
            "invoice_payload":"o:1","telegram_payment_charge_id":"c1"}}}"#;
        assert!(parse(json).message.unwrap().refunded_payment.is_some());
        let update = parse(include_str!("../../tests/fixtures/update_my_chat_member.json"));
        assert_eq!(update.my_chat_member.unwrap().new_chat_member.status, "kicked");
    }

    #[test]
    fn update_kinds_we_do_not_handle_parse_to_an_empty_update() {
        let json = r#"{"update_id":11,"edited_message":{"message_id":1,"date":1,
            "chat":{"id":1,"type":"private"},"text":"x"}}"#;
        let update = parse(json);
        assert!(update.message.is_none() && update.callback_query.is_none());
    }

    #[test]
    fn keyboards_serialize_without_empty_fields() {
        let markup = InlineKeyboardMarkup {
            inline_keyboard: vec![vec![
                InlineKeyboardButton::callback("Buy", "menu:buy"),
                InlineKeyboardButton::url("Site", "https://example.com"),
            ]],
        };
        assert_eq!(
            serde_json::to_string(&markup).unwrap(),
            r#"{"inline_keyboard":[[{"text":"Buy","callback_data":"menu:buy"},{"text":"Site","url":"https://example.com"}]]}"#
        );
    }
}
