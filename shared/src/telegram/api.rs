//! A Bot API client over the core's [`HttpClient`].
//!
//! Calls are JSON POSTs to `{TELEGRAM_API_BASE}/bot{token}/{method}`. Errors keep Telegram's
//! `error_code`, `description` and `retry_after`, so queue consumers can wait exactly as long as
//! Telegram asks. The token is part of the URL: it never appears in an error's text.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::types::{InlineKeyboardMarkup, SentMessage, StarTransactions};
use crate::http::{HttpClient, HttpRequest, Method};

pub struct BotApi<'a, H> {
    http: &'a H,
    base: &'a str,
    token: &'a str,
}

/// Telegram's only allowed Stars subscription period: 30 days, in seconds.
pub const STARS_SUBSCRIPTION_PERIOD: u32 = 2_592_000;

/// A Stars invoice: `title` 1–32 characters, `description` 1–255, `payload` 1–128 bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct StarsInvoice<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub payload: &'a str,
    pub label: &'a str,
    pub stars: i64,
}

/// A minimal multipart/form-data body builder (text fields and one file).
struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    fn new() -> Self {
        // Fixed is fine: the boundary only has to be absent from the parts, and our parts are
        // a PNG and short texts; the PNG's bytes could contain it only by astronomical chance.
        Self { boundary: "wavegate-7d1f0c4b9e2a45f8a3c6-boundary".into(), body: Vec::new() }
    }

    fn text(&mut self, name: &str, value: &str) {
        let head = format!("--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n", self.boundary);
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
    }

    fn file(&mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) {
        let head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n",
            self.boundary
        );
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }
}

/// One entry of the bot's command menu (`setMyCommands`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BotCommand {
    pub command: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TelegramError {
    #[error("Telegram {method} failed with {code}: {description}")]
    Api { method: String, code: i64, description: String, retry_after: Option<u32> },
    #[error("Telegram {method}: {source}")]
    Transport {
        method: String,
        #[source]
        source: crate::http::TransportError,
    },
    #[error("Telegram {method}: unreadable response (HTTP {status})")]
    Decode { method: String, status: u16 },
}

impl TelegramError {
    /// Seconds Telegram asked us to wait (429), if it did.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            TelegramError::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The user blocked the bot or deleted their account: retrying cannot help.
    pub fn is_unreachable_user(&self) -> bool {
        matches!(self, TelegramError::Api { code: 403, .. })
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    error_code: Option<i64>,
    description: Option<String>,
    parameters: Option<ResponseParameters>,
}

#[derive(Deserialize)]
struct ResponseParameters {
    retry_after: Option<u32>,
}

/// `sendMessage`'s parameters: HTML, no link previews.
fn message_body(chat_id: i64, text: &str, keyboard: Option<&InlineKeyboardMarkup>) -> serde_json::Value {
    let mut body = json!({ "chat_id": chat_id, "text": text, "parse_mode": "HTML",
        "link_preview_options": { "is_disabled": true } });
    if let Some(markup) = keyboard {
        body["reply_markup"] = json!(markup);
    }
    body
}

/// A Bot API call returned as the webhook's response body, which Telegram executes (payments.md:
/// the "webhook reply"). No result comes back and a failure is never seen, so only for
/// fire-and-forget messages; it saves the request a round trip to Telegram.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookReply {
    pub method: &'static str,
    pub params: serde_json::Value,
}

impl WebhookReply {
    pub fn send_message(chat_id: i64, text: &str) -> WebhookReply {
        WebhookReply { method: "sendMessage", params: message_body(chat_id, text, None) }
    }

    /// A message with an inline keyboard (a screen).
    pub fn send_screen(chat_id: i64, text: &str, keyboard: Option<&InlineKeyboardMarkup>) -> WebhookReply {
        WebhookReply { method: "sendMessage", params: message_body(chat_id, text, keyboard) }
    }

    /// The answer to a button press, with a short notice the user sees.
    pub fn answer_callback_query(id: &str, text: &str) -> WebhookReply {
        WebhookReply {
            method: "answerCallbackQuery",
            params: json!({ "callback_query_id": id, "text": text }),
        }
    }

    /// The answer to a pre-checkout query: `ok`, or a refusal the payer sees.
    pub fn answer_pre_checkout_query(id: &str, error: Option<&str>) -> WebhookReply {
        let mut params = json!({ "pre_checkout_query_id": id, "ok": error.is_none() });
        if let Some(message) = error {
            params["error_message"] = json!(message);
        }
        WebhookReply { method: "answerPreCheckoutQuery", params }
    }

    /// The response body: the parameters with `"method"` added.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = self.params.clone();
        body["method"] = json!(self.method);
        body
    }
}

impl<'a, H: HttpClient> BotApi<'a, H> {
    pub fn new(http: &'a H, base: &'a str, token: &'a str) -> Self {
        Self { http, base, token }
    }

    /// Calls any Bot API method with a JSON body.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &impl Serialize,
    ) -> Result<T, TelegramError> {
        let url = format!("{}/bot{}/{}", self.base.trim_end_matches('/'), self.token, method);
        let decode = |status| TelegramError::Decode { method: method.to_string(), status };
        let request = HttpRequest::new(Method::Post, url).json(body).map_err(|_| decode(0))?;
        let response = self
            .http
            .send(request)
            .await
            .map_err(|source| TelegramError::Transport { method: method.to_string(), source })?;
        self.read(method, response)
    }

    fn read<T: DeserializeOwned>(
        &self,
        method: &str,
        response: crate::http::HttpResponse,
    ) -> Result<T, TelegramError> {
        let decode = |status| TelegramError::Decode { method: method.to_string(), status };
        let envelope: Envelope<T> =
            serde_json::from_slice(&response.body).map_err(|_| decode(response.status))?;
        match (envelope.ok, envelope.result) {
            (true, Some(result)) => Ok(result),
            (true, None) => Err(decode(response.status)),
            (false, _) => Err(TelegramError::Api {
                method: method.to_string(),
                code: envelope.error_code.unwrap_or(i64::from(response.status)),
                description: envelope.description.unwrap_or_default(),
                retry_after: envelope.parameters.and_then(|p| p.retry_after),
            }),
        }
    }

    pub async fn send_message(
        &self,
        chat_id: i64,
        text: &str,
        keyboard: Option<&InlineKeyboardMarkup>,
    ) -> Result<SentMessage, TelegramError> {
        self.call("sendMessage", &message_body(chat_id, text, keyboard)).await
    }

    /// Replaces a message's text and keyboard (menus navigate in place instead of piling up).
    pub async fn edit_message_text(
        &self,
        chat_id: i64,
        message_id: i64,
        text: &str,
        keyboard: Option<&InlineKeyboardMarkup>,
    ) -> Result<(), TelegramError> {
        let mut body = json!({ "chat_id": chat_id, "message_id": message_id, "text": text,
            "parse_mode": "HTML", "link_preview_options": { "is_disabled": true } });
        if let Some(markup) = keyboard {
            body["reply_markup"] = json!(markup);
        }
        match self.call::<serde_json::Value>("editMessageText", &body).await {
            // Pressing the same button twice edits to identical content: not a failure.
            Err(TelegramError::Api { code: 400, description, .. })
                if description.contains("message is not modified") =>
            {
                Ok(())
            }
            other => other.map(|_| ()),
        }
    }

    pub async fn answer_callback_query(
        &self,
        callback_query_id: &str,
        text: Option<&str>,
    ) -> Result<(), TelegramError> {
        let mut body = json!({ "callback_query_id": callback_query_id });
        if let Some(text) = text {
            body["text"] = json!(text);
        }
        self.call::<bool>("answerCallbackQuery", &body).await.map(|_| ())
    }

    /// A Telegram Stars invoice in the chat: one price in whole Stars, no provider token.
    pub async fn send_invoice(
        &self,
        chat_id: i64,
        invoice: &StarsInvoice<'_>,
    ) -> Result<SentMessage, TelegramError> {
        let body = json!({ "chat_id": chat_id, "title": invoice.title, "description": invoice.description,
            "payload": invoice.payload, "currency": "XTR",
            "prices": [{ "label": invoice.label, "amount": invoice.stars }] });
        self.call("sendInvoice", &body).await
    }

    /// A link to a Stars invoice (`createInvoiceLink`): a subscription renewing every 30 days,
    /// or a one-off payment the Mini App opens with `openInvoice`.
    pub async fn create_invoice_link(
        &self,
        invoice: &StarsInvoice<'_>,
        subscription: bool,
    ) -> Result<String, TelegramError> {
        let mut body = json!({ "title": invoice.title, "description": invoice.description,
            "payload": invoice.payload, "currency": "XTR",
            "prices": [{ "label": invoice.label, "amount": invoice.stars }] });
        if subscription {
            body["subscription_period"] = json!(STARS_SUBSCRIPTION_PERIOD);
        }
        self.call("createInvoiceLink", &body).await
    }

    /// Confirms (or refuses, with a reason the user sees) a checkout; due within 10 seconds.
    pub async fn answer_pre_checkout_query(
        &self,
        id: &str,
        error: Option<&str>,
    ) -> Result<(), TelegramError> {
        let mut body = json!({ "pre_checkout_query_id": id, "ok": error.is_none() });
        if let Some(message) = error {
            body["error_message"] = json!(message);
        }
        self.call::<bool>("answerPreCheckoutQuery", &body).await.map(|_| ())
    }

    /// Cancels or resumes the renewal of a user's Stars subscription.
    pub async fn edit_user_star_subscription(
        &self,
        user_id: i64,
        charge_id: &str,
        cancel: bool,
    ) -> Result<(), TelegramError> {
        let body =
            json!({ "user_id": user_id, "telegram_payment_charge_id": charge_id, "is_canceled": cancel });
        self.call::<bool>("editUserStarSubscription", &body).await.map(|_| ())
    }

    /// Gives a Stars payment back to the user who paid it.
    pub async fn refund_star_payment(&self, user_id: i64, charge_id: &str) -> Result<(), TelegramError> {
        let body = json!({ "user_id": user_id, "telegram_payment_charge_id": charge_id });
        self.call::<bool>("refundStarPayment", &body).await.map(|_| ())
    }

    /// Up to `limit` (1–100) transactions of the bot's Stars ledger after skipping `offset`,
    /// oldest first.
    pub async fn get_star_transactions(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<StarTransactions, TelegramError> {
        self.call("getStarTransactions", &json!({ "offset": offset, "limit": limit })).await
    }

    /// Uploads a PNG as a photo with an HTML caption (multipart/form-data).
    pub async fn send_photo_png(
        &self,
        chat_id: i64,
        png: Vec<u8>,
        caption: &str,
        keyboard: Option<&InlineKeyboardMarkup>,
    ) -> Result<SentMessage, TelegramError> {
        let method = "sendPhoto";
        let url = format!("{}/bot{}/{}", self.base.trim_end_matches('/'), self.token, method);
        let mut form = Multipart::new();
        form.text("chat_id", &chat_id.to_string());
        form.text("caption", caption);
        form.text("parse_mode", "HTML");
        if let Some(markup) = keyboard {
            form.text("reply_markup", &json!(markup).to_string());
        }
        form.file("photo", "qr.png", "image/png", &png);
        let (content_type, body) = form.finish();
        let request = HttpRequest::new(Method::Post, url).body(&content_type, body);
        let response = self
            .http
            .send(request)
            .await
            .map_err(|source| TelegramError::Transport { method: method.into(), source })?;
        self.read(method, response)
    }

    pub async fn set_my_commands(
        &self,
        commands: &[BotCommand],
        language_code: Option<&str>,
    ) -> Result<(), TelegramError> {
        let mut body = json!({ "commands": commands });
        if let Some(code) = language_code {
            body["language_code"] = json!(code);
        }
        self.call::<bool>("setMyCommands", &body).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{HttpResponse, TransportError};
    use futures::executor::block_on;
    use std::cell::RefCell;

    struct Scripted {
        responses: RefCell<Vec<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(status: u16, body: &str) -> Self {
            let response = Ok(HttpResponse { status, body: body.as_bytes().to_vec() });
            Self { responses: RefCell::new(vec![response]), sent: RefCell::new(Vec::new()) }
        }
    }

    impl HttpClient for Scripted {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.borrow_mut().push(request);
            self.responses.borrow_mut().remove(0)
        }
    }

    #[test]
    fn send_message_posts_json_to_the_method_url_and_reads_the_message_id() {
        let http = Scripted::new(200, r#"{"ok":true,"result":{"message_id":77,"date":1}}"#);
        let api = BotApi::new(&http, "http://127.0.0.1:9/", "123:abc");
        let sent = block_on(api.send_message(5, "hi", None)).unwrap();
        assert_eq!(sent.message_id, 77);
        let request = &http.sent.borrow()[0];
        assert_eq!(request.url, "http://127.0.0.1:9/bot123:abc/sendMessage");
        let body: serde_json::Value = serde_json::from_slice(request.body.as_ref().unwrap()).unwrap();
        assert_eq!((body["chat_id"].as_i64(), body["text"].as_str()), (Some(5), Some("hi")));
    }

    #[test]
    fn errors_keep_code_description_and_retry_after_but_not_the_token() {
        let http = Scripted::new(
            429,
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#,
        );
        let api = BotApi::new(&http, "http://x", "123:abc");
        let err = block_on(api.answer_callback_query("q", None)).unwrap_err();
        assert_eq!(err.retry_after(), Some(3));
        assert!(!err.to_string().contains("123:abc"));
    }

    #[test]
    fn a_blocked_user_is_recognised() {
        let http = Scripted::new(
            403,
            r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
        );
        let err = block_on(BotApi::new(&http, "http://x", "t").send_message(1, "x", None));
        assert!(err.unwrap_err().is_unreachable_user());
    }

    #[test]
    fn an_unchanged_edit_is_not_an_error_but_other_failures_are() {
        let http = Scripted::new(
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified"}"#,
        );
        assert!(block_on(BotApi::new(&http, "http://x", "t").edit_message_text(1, 2, "x", None)).is_ok());
        let http = Scripted::new(502, "<html>bad gateway</html>");
        let err = block_on(BotApi::new(&http, "http://x", "t").edit_message_text(1, 2, "x", None));
        assert!(matches!(err, Err(TelegramError::Decode { status: 502, .. })));
    }
}
