//! The Telegram Bot API in memory, behind the core's `HttpClient`.
//!
//! It refuses what Telegram refuses, with Telegram's error shape: a wrong token, unknown
//! methods, missing parameters, malformed HTML, over-long texts, bad buttons, Stars invoices
//! with a provider token, more than one price or a title over 32 characters, and subscription
//! periods other than 30 days. `sendPhoto` arrives as multipart/form-data; the fake parses it
//! and records the text fields plus the uploaded file, like `tests/fakes/telegram.mjs`.

use std::cell::{Cell, RefCell};

use serde_json::{json, Value};
use wavegate_shared::http::{HttpClient, HttpRequest, HttpResponse, TransportError};

use super::NOW;

/// One request the fake Bot API received (failed ones included).
#[derive(Debug, Clone)]
pub struct ApiCall {
    pub method: String,
    /// The JSON body, or for multipart uploads the text fields (with `chat_id` as a number).
    pub body: Value,
    /// The uploaded `photo` of a multipart `sendPhoto`.
    pub photo: Option<Upload>,
}

/// A file part of a multipart request.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// A PNG: the signature, then an `IHDR` chunk, and an `IEND` at the end.
    pub fn is_png(&self) -> bool {
        let b = &self.bytes;
        b.starts_with(b"\x89PNG\r\n\x1a\n")
            && b.get(12..16) == Some(b"IHDR")
            && b.ends_with(b"IEND\xaeB`\x82")
    }

    /// Width and height from the `IHDR` chunk.
    pub fn png_size(&self) -> Option<(u32, u32)> {
        let word = |at: usize| Some(u32::from_be_bytes(self.bytes.get(at..at + 4)?.try_into().ok()?));
        Some((word(16)?, word(20)?))
    }
}

impl ApiCall {
    pub fn text(&self) -> &str {
        self.body["text"].as_str().unwrap_or_default()
    }

    pub fn caption(&self) -> &str {
        self.body["caption"].as_str().unwrap_or_default()
    }

    /// The text (or caption) as the user reads it: HTML tags removed, entities decoded.
    pub fn plain_text(&self) -> String {
        let text = self.body["text"].as_str().or(self.body["caption"].as_str()).unwrap_or_default();
        parse_html(text).unwrap_or_else(|why| panic!("invalid HTML in {text:?}: {why}"))
    }

    pub fn chat_id(&self) -> Option<i64> {
        self.body["chat_id"].as_i64()
    }

    fn buttons(&self) -> Vec<Value> {
        let rows = self.body["reply_markup"]["inline_keyboard"].as_array().cloned();
        rows.unwrap_or_default().iter().flat_map(|row| row.as_array().cloned().unwrap_or_default()).collect()
    }

    /// The labels of the inline keyboard's buttons, row by row.
    pub fn labels(&self) -> Vec<String> {
        self.buttons().iter().filter_map(|b| b["text"].as_str().map(str::to_string)).collect()
    }

    /// The callback data of the inline keyboard's buttons, row by row.
    pub fn callbacks(&self) -> Vec<String> {
        self.buttons().iter().filter_map(|b| b["callback_data"].as_str().map(str::to_string)).collect()
    }

    /// The URLs of the inline keyboard's link buttons.
    pub fn urls(&self) -> Vec<String> {
        self.buttons().iter().filter_map(|b| b["url"].as_str().map(str::to_string)).collect()
    }

    /// The label of the button with this callback data (or URL).
    pub fn label(&self, data: &str) -> Option<String> {
        let buttons = self.buttons();
        let button = buttons.iter().find(|b| b["callback_data"] == data || b["url"] == data)?;
        button["text"].as_str().map(str::to_string)
    }
}

/// How the fake answers a call it was told to fail.
#[derive(Debug, Clone)]
pub struct ApiFailure {
    status: u16,
    description: String,
    retry_after: Option<u32>,
}

impl ApiFailure {
    pub fn blocked_by_user() -> Self {
        Self::other(403, "Forbidden: bot was blocked by the user")
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        let description = format!("Too Many Requests: retry after {retry_after}");
        Self { retry_after: Some(retry_after), ..Self::other(429, &description) }
    }

    pub fn other(status: u16, description: &str) -> Self {
        Self { status, description: description.to_string(), retry_after: None }
    }

    fn bad_request(detail: &str) -> Self {
        Self::other(400, &format!("Bad Request: {detail}"))
    }

    fn response(&self) -> HttpResponse {
        let mut body = json!({ "ok": false, "error_code": self.status,
            "description": self.description });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        respond(self.status, &body)
    }
}

/// Telegram's only Stars subscription period: 30 days.
const SUBSCRIPTION_PERIOD: i64 = 2_592_000;

/// The Telegram Bot API, in memory: records every call and answers as Telegram does.
pub struct FakeTelegram {
    /// `{base}/bot{token}/`: anything else is refused like a wrong token.
    prefix: String,
    calls: RefCell<Vec<ApiCall>>,
    failures: RefCell<Vec<(String, ApiFailure)>>,
    next_message_id: Cell<i64>,
    next_link: Cell<u32>,
    /// The bot's Stars ledger (`getStarTransactions`), oldest first.
    ledger: RefCell<Vec<Value>>,
}

impl FakeTelegram {
    pub fn new(base: &str, token: &str) -> Self {
        Self {
            prefix: format!("{base}/bot{token}/"),
            calls: RefCell::default(),
            failures: RefCell::default(),
            next_message_id: Cell::new(100),
            next_link: Cell::new(1),
            ledger: RefCell::default(),
        }
    }

    /// The next call to `method` fails with `failure`.
    pub fn fail_next(&self, method: &str, failure: ApiFailure) {
        self.failures.borrow_mut().push((method.to_string(), failure));
    }

    /// The calls received so far, oldest first; forgets them.
    pub fn take_calls(&self) -> Vec<ApiCall> {
        self.calls.take()
    }

    /// Telegram took `amount` Stars from `user` for `payload` at `date` (charge `id`), as its
    /// ledger shows it; `subscription` for a Stars subscription payment.
    pub fn ledger_payment(
        &self,
        id: &str,
        user: i64,
        amount: i64,
        payload: &str,
        date: i64,
        subscription: bool,
    ) {
        let mut source = json!({ "type": "user", "transaction_type": "invoice_payment",
            "user": { "id": user, "is_bot": false, "first_name": "Payer" }, "invoice_payload": payload });
        if subscription {
            source["subscription_period"] = json!(SUBSCRIPTION_PERIOD);
        }
        self.ledger.borrow_mut().push(json!({ "id": id, "amount": amount, "date": date, "source": source }));
    }

    /// The bot refunded charge `id` to `user` at `date`.
    pub fn ledger_refund(&self, id: &str, user: i64, amount: i64, date: i64) {
        let receiver = json!({ "type": "user", "transaction_type": "invoice_payment",
            "user": { "id": user, "is_bot": false, "first_name": "Payer" } });
        self.ledger
            .borrow_mut()
            .push(json!({ "id": id, "amount": amount, "date": date, "receiver": receiver }));
    }

    /// A ledger line that is not shop money (a withdrawal to Fragment).
    pub fn ledger_withdrawal(&self, id: &str, amount: i64, date: i64) {
        let receiver = json!({ "type": "fragment" });
        self.ledger
            .borrow_mut()
            .push(json!({ "id": id, "amount": amount, "date": date, "receiver": receiver }));
    }

    /// The link the `n`-th `createInvoiceLink` call returns (from 1).
    pub fn invoice_link(n: u32) -> String {
        format!("https://t.me/$WgInvoice{n:04}")
    }

    fn scripted_failure(&self, method: &str) -> Option<ApiFailure> {
        let mut failures = self.failures.borrow_mut();
        let index = failures.iter().position(|(m, _)| m == method)?;
        Some(failures.remove(index).1)
    }

    fn message(&self, chat_id: i64, body: &Value) -> Value {
        let message_id = self.next_message_id.replace(self.next_message_id.get() + 1);
        sent_message(message_id, chat_id, body)
    }

    fn answer(&self, call: &ApiCall) -> Result<Value, ApiFailure> {
        let body = &call.body;
        match call.method.as_str() {
            "sendMessage" => {
                let chat_id = require_int(body, "chat_id")?;
                check_text(body, "text", 4096)?;
                check_keyboard(body)?;
                Ok(self.message(chat_id, body))
            }
            "editMessageText" => {
                let chat_id = require_int(body, "chat_id")?;
                let message_id = require_int(body, "message_id")?;
                check_text(body, "text", 4096)?;
                check_keyboard(body)?;
                Ok(sent_message(message_id, chat_id, body))
            }
            "sendPhoto" => {
                let chat_id = require_int(body, "chat_id")?;
                match &call.photo {
                    Some(upload) if !upload.bytes.is_empty() => {}
                    _ if body["photo"].is_string() => {}
                    _ => return Err(ApiFailure::bad_request("there is no photo in the request")),
                }
                if body.get("caption").is_some() {
                    check_text(body, "caption", 1024)?;
                }
                check_keyboard(body)?;
                Ok(self.message(chat_id, body))
            }
            "answerCallbackQuery" => {
                require_str(body, "callback_query_id")?;
                if let Some(text) = body.get("text") {
                    let length = text.as_str().map_or(0, |t| t.chars().count());
                    if length > 200 {
                        return Err(ApiFailure::bad_request("MESSAGE_TOO_LONG"));
                    }
                }
                Ok(json!(true))
            }
            "answerPreCheckoutQuery" => {
                require_str(body, "pre_checkout_query_id")?;
                let ok = body["ok"].as_bool().ok_or_else(|| ApiFailure::bad_request("ok is empty"))?;
                if !ok {
                    require_str(body, "error_message")?;
                }
                Ok(json!(true))
            }
            "sendInvoice" => {
                let chat_id = require_int(body, "chat_id")?;
                check_invoice(body)?;
                if body.get("subscription_period").is_some() {
                    return Err(ApiFailure::bad_request("subscription_period is only for invoice links"));
                }
                Ok(self.message(chat_id, body))
            }
            "createInvoiceLink" => {
                check_invoice(body)?;
                if let Some(period) = body.get("subscription_period") {
                    if period.as_i64() != Some(SUBSCRIPTION_PERIOD) {
                        return Err(ApiFailure::bad_request("SUBSCRIPTION_PERIOD_INVALID"));
                    }
                    if body["prices"][0]["amount"].as_i64().is_none_or(|a| a > 10_000) {
                        return Err(ApiFailure::bad_request("SUBSCRIPTION_PRICE_INVALID"));
                    }
                }
                let n = self.next_link.replace(self.next_link.get() + 1);
                Ok(json!(Self::invoice_link(n)))
            }
            "editUserStarSubscription" => {
                require_int(body, "user_id")?;
                require_str(body, "telegram_payment_charge_id")?;
                body["is_canceled"]
                    .as_bool()
                    .ok_or_else(|| ApiFailure::bad_request("is_canceled is empty"))?;
                Ok(json!(true))
            }
            "getStarTransactions" => {
                let offset = body["offset"].as_u64().unwrap_or(0) as usize;
                let limit = body["limit"].as_u64().unwrap_or(100) as usize;
                if !(1..=100).contains(&limit) {
                    return Err(ApiFailure::bad_request("limit must be between 1 and 100"));
                }
                let page: Vec<Value> =
                    self.ledger.borrow().iter().skip(offset).take(limit).cloned().collect();
                Ok(json!({ "transactions": page }))
            }
            "refundStarPayment" => {
                let user = require_int(body, "user_id")?;
                let charge = require_str(body, "telegram_payment_charge_id")?.to_string();
                let refunded = self
                    .ledger
                    .borrow()
                    .iter()
                    .any(|t| t["id"] == charge.as_str() && t.get("receiver").is_some());
                if refunded {
                    return Err(ApiFailure::bad_request("CHARGE_ALREADY_REFUNDED"));
                }
                self.ledger_refund(&charge, user, 0, 0);
                Ok(json!(true))
            }
            _ => Err(ApiFailure::other(404, "Not Found")),
        }
    }
}

impl HttpClient for FakeTelegram {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let Some(method) = request.url.strip_prefix(&self.prefix) else {
            return Ok(ApiFailure::other(401, "Unauthorized").response());
        };
        let content_type = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.as_str())
            .unwrap_or("application/json");
        let raw = request.body.as_deref().unwrap_or(b"{}");
        let parsed = if content_type.starts_with("multipart/form-data") {
            parse_multipart(content_type, raw)
        } else {
            serde_json::from_slice::<Value>(raw)
                .map(|body| (body, None))
                .map_err(|_| "request body is not JSON".into())
        };
        let (body, photo) = match parsed {
            Ok(parsed) => parsed,
            Err(why) => return Ok(ApiFailure::bad_request(&why).response()),
        };
        let call = ApiCall { method: method.to_string(), body, photo };
        self.calls.borrow_mut().push(call.clone());
        if let Some(failure) = self.scripted_failure(method) {
            return Ok(failure.response());
        }
        Ok(match self.answer(&call) {
            Ok(result) => respond(200, &json!({ "ok": true, "result": result })),
            Err(failure) => failure.response(),
        })
    }
}

fn respond(status: u16, body: &Value) -> HttpResponse {
    HttpResponse { status, body: body.to_string().into_bytes() }
}

fn sent_message(message_id: i64, chat_id: i64, body: &Value) -> Value {
    json!({ "message_id": message_id, "date": NOW, "text": body["text"],
        "chat": { "id": chat_id, "type": "private" } })
}

fn require_int(body: &Value, name: &str) -> Result<i64, ApiFailure> {
    body[name].as_i64().ok_or_else(|| ApiFailure::bad_request(&format!("{name} is empty")))
}

fn require_str<'b>(body: &'b Value, name: &str) -> Result<&'b str, ApiFailure> {
    match body[name].as_str() {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(ApiFailure::bad_request(&format!("{name} is empty"))),
    }
}

/// A message text or caption: present, within `max` characters once parsed, valid HTML in
/// HTML mode.
fn check_text(body: &Value, field: &str, max: usize) -> Result<(), ApiFailure> {
    let text = require_str(body, field)?;
    let plain = match body["parse_mode"].as_str() {
        Some("HTML") => parse_html(text)
            .map_err(|why| ApiFailure::bad_request(&format!("can't parse entities: {why}")))?,
        _ => text.to_string(),
    };
    if plain.trim().is_empty() {
        return Err(ApiFailure::bad_request("message text is empty"));
    }
    if plain.encode_utf16().count() > max {
        return Err(ApiFailure::bad_request("message is too long"));
    }
    Ok(())
}

/// Inline buttons need a text and exactly one action: callback data of 1–64 bytes or an
/// http(s)/tg URL.
fn check_keyboard(body: &Value) -> Result<(), ApiFailure> {
    let markup = &body["reply_markup"];
    let markup = match markup.as_str() {
        // Multipart requests carry the keyboard as a JSON string.
        Some(text) => {
            serde_json::from_str(text).map_err(|_| ApiFailure::bad_request("can't parse reply markup"))?
        }
        None => markup.clone(),
    };
    let rows = markup["inline_keyboard"].as_array().cloned().unwrap_or_default();
    for button in rows.iter().flat_map(|row| row.as_array().cloned().unwrap_or_default()) {
        if button["text"].as_str().is_none_or(str::is_empty) {
            return Err(ApiFailure::bad_request("inline keyboard button text is empty"));
        }
        match (button["callback_data"].as_str(), button["url"].as_str()) {
            (Some(data), None) if !data.is_empty() && data.len() <= 64 => {}
            (None, Some(url)) if ["https://", "http://", "tg://"].iter().any(|s| url.starts_with(s)) => {}
            (None, Some(_)) => return Err(ApiFailure::bad_request("BUTTON_URL_INVALID")),
            _ => return Err(ApiFailure::bad_request("BUTTON_DATA_INVALID")),
        }
    }
    Ok(())
}

/// A Telegram Stars invoice (`sendInvoice`, `createInvoiceLink`).
fn check_invoice(body: &Value) -> Result<(), ApiFailure> {
    let chars = |field: &str| body[field].as_str().map_or(0, |s| s.chars().count());
    if !(1..=32).contains(&chars("title")) {
        return Err(ApiFailure::bad_request("INVOICE_TITLE_INVALID"));
    }
    if !(1..=255).contains(&chars("description")) {
        return Err(ApiFailure::bad_request("INVOICE_DESCRIPTION_INVALID"));
    }
    let payload = require_str(body, "payload")?;
    if payload.len() > 128 {
        return Err(ApiFailure::bad_request("INVOICE_PAYLOAD_INVALID"));
    }
    if require_str(body, "currency")? != "XTR" {
        return Err(ApiFailure::bad_request("CURRENCY_INVALID: the fake only takes Telegram Stars"));
    }
    if body["provider_token"].as_str().is_some_and(|t| !t.is_empty()) {
        return Err(ApiFailure::bad_request("provider_token must be empty for Telegram Stars"));
    }
    let prices = body["prices"].as_array().cloned().unwrap_or_default();
    if prices.len() != 1 {
        return Err(ApiFailure::bad_request("Stars invoices must have exactly one price"));
    }
    let label_ok = prices[0]["label"].as_str().is_some_and(|l| !l.is_empty());
    if !label_ok || prices[0]["amount"].as_i64().is_none_or(|a| a < 1) {
        return Err(ApiFailure::bad_request("CURRENCY_TOTAL_AMOUNT_INVALID"));
    }
    Ok(())
}

/// Parses a multipart/form-data body into its text fields (as JSON, `chat_id` as a number)
/// and the `photo` file.
fn parse_multipart(content_type: &str, body: &[u8]) -> Result<(Value, Option<Upload>), String> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or("multipart body without a boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut rest =
        body.strip_prefix(delimiter.as_slice()).ok_or("multipart body does not start with the boundary")?;
    let mut fields = serde_json::Map::new();
    let mut photo = None;
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("a boundary must end its line")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a part without headers")?;
        let head = std::str::from_utf8(&rest[..head_end]).map_err(|_| "part headers are not UTF-8")?;
        rest = &rest[head_end + 4..];
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let data_end = find(rest, &closing).ok_or("a part without a closing boundary")?;
        let data = &rest[..data_end];
        rest = &rest[data_end + closing.len()..];

        let disposition = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Disposition: form-data;"))
            .ok_or("a part without Content-Disposition: form-data")?;
        let param = |key: &str| {
            disposition
                .split(';')
                .find_map(|p| p.trim().strip_prefix(&format!("{key}=\""))?.strip_suffix('"'))
        };
        let name = param("name").ok_or("a part without a name")?.to_string();
        match param("filename") {
            Some(filename) => {
                let content_type =
                    head.lines().find_map(|l| l.strip_prefix("Content-Type: ")).unwrap_or_default();
                let upload = Upload {
                    filename: filename.into(),
                    content_type: content_type.into(),
                    bytes: data.to_vec(),
                };
                if name == "photo" {
                    photo = Some(upload);
                }
                fields.insert(name, json!({ "attached": filename }));
            }
            None => {
                let text = String::from_utf8(data.to_vec()).map_err(|_| "a text field is not UTF-8")?;
                let value = match name.as_str() {
                    "chat_id" => text.parse::<i64>().map(Value::from).unwrap_or(Value::String(text)),
                    _ => Value::String(text),
                };
                fields.insert(name, value);
            }
        }
    }
    Ok((Value::Object(fields), photo))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Telegram's HTML parse mode: known tags, balanced, and `&` only in `&lt; &gt; &amp; &quot;`
/// or numeric entities. Returns the plain text.
pub fn parse_html(text: &str) -> Result<String, String> {
    const TAGS: [&str; 16] = [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ];
    const ENTITIES: [(&str, char); 4] = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"')];
    let mut open: Vec<String> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if ch == '<' {
            let end = rest.find('>').ok_or("Unclosed start tag")?;
            let tag = &rest[1..end];
            let (closing, tag) = match tag.strip_prefix('/') {
                Some(name) => (true, name),
                None => (false, tag),
            };
            let name = tag.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            if !TAGS.contains(&name.as_str()) {
                return Err(format!("Unsupported start tag \"{name}\""));
            }
            if !closing {
                open.push(name);
            } else if open.pop().as_deref() != Some(name.as_str()) {
                return Err(format!("Unmatched end tag \"{name}\""));
            }
            rest = &rest[end + 1..];
        } else if ch == '&' {
            let named = ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity));
            let numeric = rest[1..]
                .strip_prefix('#')
                .and_then(|r| r.split_once(';'))
                .filter(|(digits, _)| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
            match (named, numeric) {
                (Some((entity, decoded)), _) => {
                    plain.push(*decoded);
                    rest = &rest[entity.len()..];
                }
                (None, Some((digits, _))) => {
                    plain.push('?');
                    rest = &rest[digits.len() + 3..];
                }
                (None, None) => return Err("Unsupported HTML entity or unescaped \"&\"".into()),
            }
        } else {
            plain.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    match open.pop() {
        Some(tag) => Err(format!("Can't find end tag corresponding to start tag \"{tag}\"")),
        None => Ok(plain),
    }
}
