//! Test support for the bot's conversation tests: an in-memory [`BotStore`], a fake Telegram Bot
//! API behind the core's [`HttpClient`], update builders shaped like Telegram's JSON, and
//! [`TestBot`], which wires them to a real [`Bot`] with a fixed clock and predictable referral
//! codes.
//!
//! The fakes are strict where the real services are: the store enforces the referral rules that
//! `BotStore::record_referral` documents (D1 does it in one SQL statement), and the Bot API fake
//! refuses a wrong token, unknown methods, missing parameters and malformed HTML with Telegram's
//! own error shape, like `tests/fakes/telegram.mjs` does for the end-to-end suite. The trade-off:
//! the fakes restate those rules and can drift from D1 and Telegram; the end-to-end suite is what
//! checks the real bindings.

use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};

use chrono::{TimeZone, Utc};
use futures::executor::block_on;
use serde_json::{json, Value};
use wavegate_bot::store::{BotStore, BotUser, ReferralOutcome, StoreError, TelegramProfile, Upserted};
use wavegate_bot::{Bot, BotError, Handled};
use wavegate_shared::clock::FixedClock;
use wavegate_shared::config::Config;
use wavegate_shared::domain::{ReferralCode, TelegramUserId};
use wavegate_shared::http::{HttpClient, HttpRequest, HttpResponse, TransportError};
use wavegate_shared::telegram::Update;

pub const BOT_TOKEN: &str = "123456:TEST-token";
pub const BOT_USERNAME: &str = "WavegateTestBot";
pub const API_BASE: &str = "http://telegram.test";
pub const SUPPORT_CONTACT: &str = "@wavegate_support";
/// Deliberately not the default (3), so a test cannot pass by accident.
pub const TRIAL_DAYS: u32 = 5;
/// "Now" for every test: 2026-01-01T00:00:00Z.
pub const NOW: i64 = 1_767_225_600;
/// The message every callback button in these tests is attached to.
pub const MENU_MESSAGE_ID: i64 = 42;

// ------------------------------------------------------------------------------------- harness

/// A bot wired to fresh fakes, one per test.
pub struct TestBot {
    pub config: Config,
    pub store: MemoryStore,
    pub telegram: FakeTelegram,
    clock: FixedClock,
    codes: CodeSource,
}

impl TestBot {
    pub fn new() -> Self {
        let vars = [
            ("TELEGRAM_BOT_TOKEN", BOT_TOKEN.to_string()),
            ("TELEGRAM_WEBHOOK_SECRET", "hook-secret".to_string()),
            ("TELEGRAM_API_BASE", API_BASE.to_string()),
            ("BOT_USERNAME", format!("@{BOT_USERNAME}")),
            ("REMNAWAVE_URL", "http://panel.test".to_string()),
            ("REMNAWAVE_TOKEN", "panel-token".to_string()),
            ("TRIAL_DAYS", TRIAL_DAYS.to_string()),
            ("SUPPORT_CONTACT", SUPPORT_CONTACT.to_string()),
        ];
        let vars: std::collections::HashMap<_, _> = vars.into_iter().collect();
        let config = Config::from_lookup(|key| vars.get(key).cloned())
            .unwrap_or_else(|e| panic!("test configuration is invalid: {e}"));
        Self {
            config,
            store: MemoryStore::default(),
            telegram: FakeTelegram::new(API_BASE, BOT_TOKEN),
            clock: FixedClock(Utc.timestamp_opt(NOW, 0).unwrap()),
            codes: CodeSource::default(),
        }
    }

    /// Handles one update the way the Worker does, to completion.
    pub fn handle(&self, update: Update) -> Result<Handled, BotError> {
        let fresh_code = || self.codes.next();
        let bot = Bot {
            config: &self.config,
            store: &self.store,
            http: &self.telegram,
            clock: &self.clock,
            fresh_code: &fresh_code,
        };
        block_on(bot.handle(&update))
    }

    /// Arrange step: `person` sends `text` (say `/start`), which must succeed; returns their
    /// stored row and forgets the Bot API calls it caused.
    pub fn given(&self, person: &Person, text: &str) -> StoredUser {
        let outcome = self.handle(person.sends(text));
        assert!(outcome.is_ok(), "arranging {text:?} failed: {outcome:?}");
        self.telegram.take_calls();
        self.store.user(person.id).expect("the user is stored after messaging the bot")
    }

    /// The next referral codes to hand out, before the generated ones.
    pub fn script_codes(&self, codes: &[&str]) {
        self.codes.script(codes);
    }
}

/// Referral codes for new users: scripted ones first, then `aaaaaaaa`, `baaaaaaa`, … (the
/// counter's base-31 digits), which never repeat within a test.
#[derive(Default)]
struct CodeSource {
    scripted: RefCell<VecDeque<ReferralCode>>,
    counter: Cell<u64>,
}

impl CodeSource {
    fn script(&self, codes: &[&str]) {
        let parsed = codes.iter().map(|c| ReferralCode::parse(c).expect("a valid test code"));
        self.scripted.borrow_mut().extend(parsed);
    }

    fn next(&self) -> ReferralCode {
        if let Some(code) = self.scripted.borrow_mut().pop_front() {
            return code;
        }
        let n = self.counter.replace(self.counter.get() + 1);
        let radix = ReferralCode::ALPHABET.len() as u64;
        let mut bytes = [0u8; ReferralCode::LEN];
        let mut rest = n;
        for byte in &mut bytes {
            *byte = (rest % radix) as u8;
            rest /= radix;
        }
        ReferralCode::from_random(bytes)
    }
}

// -------------------------------------------------------------------------------------- people

/// A Telegram account that talks to the bot.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub is_bot: bool,
}

impl Person {
    /// A human without a Telegram language.
    pub fn new(id: i64, first_name: &str) -> Self {
        Self { id, first_name: first_name.to_string(), username: None, language_code: None, is_bot: false }
    }

    /// Another bot (Telegram sets `is_bot`): the bot never talks to those.
    pub fn bot(id: i64, first_name: &str) -> Self {
        Self { is_bot: true, ..Self::new(id, first_name) }
    }

    pub fn speaking(mut self, language_code: &str) -> Self {
        self.language_code = Some(language_code.to_string());
        self
    }

    pub fn with_username(mut self, username: &str) -> Self {
        self.username = Some(username.to_string());
        self
    }

    fn json(&self) -> Value {
        json!({ "id": self.id, "is_bot": self.is_bot, "first_name": self.first_name,
            "username": self.username, "language_code": self.language_code })
    }

    fn private_chat(&self) -> Value {
        json!({ "id": self.id, "first_name": self.first_name, "type": "private" })
    }

    /// A text message in the private chat with the bot.
    pub fn sends(&self, text: &str) -> Update {
        update(json!({ "message": self.message(self.private_chat(), text) }))
    }

    /// A text message in a group the bot is a member of.
    pub fn sends_in_group(&self, text: &str) -> Update {
        let group = json!({ "id": -100_123, "title": "Friends", "type": "supergroup" });
        update(json!({ "message": self.message(group, text) }))
    }

    /// An edit of an earlier message (an update kind the bot does not handle).
    pub fn edits(&self, text: &str) -> Update {
        update(json!({ "edited_message": self.message(self.private_chat(), text) }))
    }

    /// A press of an inline button under the bot's message [`MENU_MESSAGE_ID`].
    pub fn presses(&self, data: &str) -> Update {
        update(json!({ "callback_query": {
            "id": format!("cb-{}", self.id),
            "from": self.json(),
            "chat_instance": "-392056",
            "message": { "message_id": MENU_MESSAGE_ID, "chat": self.private_chat(), "date": NOW,
                "text": "menu" },
            "data": data,
        } }))
    }

    /// The bot's membership in the private chat changed: `kicked` (blocked) or `member`.
    pub fn sets_bot_status(&self, status: &str) -> Update {
        let bot = json!({ "id": 123_456, "is_bot": true, "first_name": "Wavegate" });
        update(json!({ "my_chat_member": {
            "chat": self.private_chat(),
            "from": self.json(),
            "date": NOW,
            "old_chat_member": { "user": bot, "status": "member" },
            "new_chat_member": { "user": bot, "status": status },
        } }))
    }

    /// Telegram asking whether a Stars checkout may proceed.
    pub fn checks_out(&self) -> Update {
        update(json!({ "pre_checkout_query": {
            "id": "pcq-1", "from": self.json(), "currency": "XTR", "total_amount": 150,
            "invoice_payload": "sub:1:vpn_1m",
        } }))
    }

    fn message(&self, chat: Value, text: &str) -> Value {
        json!({ "message_id": 7, "from": self.json(), "chat": chat, "date": NOW, "text": text })
    }
}

fn update(kind: Value) -> Update {
    let mut value = json!({ "update_id": 1 });
    value.as_object_mut().unwrap().extend(kind.as_object().unwrap().clone());
    serde_json::from_value(value).expect("a well-formed test update")
}

// --------------------------------------------------------------------------------------- store

/// One row of the in-memory `users` table.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredUser {
    pub user: BotUser,
    pub username: Option<String>,
    pub last_name: Option<String>,
    pub blocked: bool,
    pub referred_at: Option<i64>,
    pub updated_at: i64,
}

/// `BotStore` in memory, with the rules the D1 implementation enforces.
#[derive(Default)]
pub struct MemoryStore {
    users: RefCell<Vec<StoredUser>>,
    /// Users with a completed payment (D1: a `payments` row with status `completed`).
    paid: RefCell<HashSet<i64>>,
    down: Cell<bool>,
}

/// Draws of a fresh code before giving up, as in D1 (`CODE_ATTEMPTS`).
const CODE_ATTEMPTS: usize = 3;

impl MemoryStore {
    pub fn user(&self, telegram_id: i64) -> Option<StoredUser> {
        let users = self.users.borrow();
        users.iter().find(|r| r.user.telegram_id.get() == telegram_id).cloned()
    }

    pub fn count(&self) -> usize {
        self.users.borrow().len()
    }

    /// Inserts a user directly, as if they had joined earlier.
    pub fn seed(&self, telegram_id: i64, first_name: &str, code: &str) -> BotUser {
        let profile = TelegramProfile {
            telegram_id: TelegramUserId::parse(telegram_id).expect("a valid test user id"),
            username: None,
            first_name: first_name.to_string(),
            last_name: None,
            language_code: None,
        };
        let code = ReferralCode::parse(code).expect("a valid test code");
        block_on(self.upsert_user(&profile, &|| code.clone(), NOW)).expect("seeding a user").0
    }

    /// The user has completed a payment.
    pub fn mark_paid(&self, user_id: i64) {
        self.paid.borrow_mut().insert(user_id);
    }

    /// Every later call fails, as when D1 is unavailable.
    pub fn go_down(&self) {
        self.down.set(true);
    }

    fn available(&self) -> Result<(), StoreError> {
        if self.down.get() {
            return Err(StoreError("D1_ERROR: database unavailable".into()));
        }
        Ok(())
    }
}

impl BotStore for MemoryStore {
    async fn upsert_user(
        &self,
        profile: &TelegramProfile,
        fresh_code: &dyn Fn() -> ReferralCode,
        now: i64,
    ) -> Result<(BotUser, Upserted), StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        if let Some(row) = users.iter_mut().find(|r| r.user.telegram_id == profile.telegram_id) {
            row.user.first_name = profile.first_name.clone();
            row.user.language_code = profile.language_code.clone();
            row.username = profile.username.clone();
            row.last_name = profile.last_name.clone();
            row.updated_at = now;
            return Ok((row.user.clone(), Upserted::Updated));
        }
        for _ in 0..CODE_ATTEMPTS {
            let code = fresh_code();
            // `referral_code` is UNIQUE: a collision inserts nothing and we draw again.
            if users.iter().any(|r| r.user.referral_code == code) {
                continue;
            }
            let user = BotUser {
                id: users.len() as i64 + 1,
                telegram_id: profile.telegram_id,
                first_name: profile.first_name.clone(),
                locale: None,
                language_code: profile.language_code.clone(),
                referral_code: code,
                referred_by: None,
            };
            users.push(StoredUser {
                user: user.clone(),
                username: profile.username.clone(),
                last_name: profile.last_name.clone(),
                blocked: false,
                referred_at: None,
                updated_at: now,
            });
            return Ok((user, Upserted::Created));
        }
        Err(StoreError("user upsert did not persist".into()))
    }

    async fn find_user(&self, telegram_id: TelegramUserId) -> Result<Option<BotUser>, StoreError> {
        self.available()?;
        Ok(self.user(telegram_id.get()).map(|r| r.user))
    }

    async fn record_referral(
        &self,
        user_id: i64,
        code: &ReferralCode,
        now: i64,
    ) -> Result<ReferralOutcome, StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        let Some(referrer) = users.iter().find(|r| r.user.referral_code == *code) else {
            return Ok(ReferralOutcome::NotEligible);
        };
        let (referrer_id, referrers_referrer) = (referrer.user.id, referrer.user.referred_by);
        let paid = self.paid.borrow().contains(&user_id);
        let Some(row) = users.iter_mut().find(|r| r.user.id == user_id) else {
            return Ok(ReferralOutcome::NotEligible);
        };
        let eligible = referrer_id != user_id
            && row.user.referred_by.is_none()
            && !paid
            && referrers_referrer != Some(user_id);
        if !eligible {
            return Ok(ReferralOutcome::NotEligible);
        }
        row.user.referred_by = Some(referrer_id);
        row.referred_at = Some(now);
        row.updated_at = now;
        Ok(ReferralOutcome::Recorded { referrer_id })
    }

    async fn set_locale(&self, user_id: i64, locale: &str, now: i64) -> Result<(), StoreError> {
        self.available()?;
        if let Some(row) = self.users.borrow_mut().iter_mut().find(|r| r.user.id == user_id) {
            row.user.locale = Some(locale.to_string());
            row.updated_at = now;
        }
        Ok(())
    }

    async fn count_referred(&self, user_id: i64) -> Result<i64, StoreError> {
        self.available()?;
        let users = self.users.borrow();
        Ok(users.iter().filter(|r| r.user.referred_by == Some(user_id)).count() as i64)
    }

    async fn set_blocked(
        &self,
        telegram_id: TelegramUserId,
        blocked: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        self.available()?;
        let mut users = self.users.borrow_mut();
        if let Some(row) = users.iter_mut().find(|r| r.user.telegram_id == telegram_id) {
            row.blocked = blocked;
            row.updated_at = now;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------- Bot API

/// One request the fake Bot API received (failed ones included).
#[derive(Debug, Clone)]
pub struct ApiCall {
    pub method: String,
    pub body: Value,
}

impl ApiCall {
    pub fn text(&self) -> &str {
        self.body["text"].as_str().unwrap_or_default()
    }

    pub fn chat_id(&self) -> Option<i64> {
        self.body["chat_id"].as_i64()
    }

    /// The callback data of the inline keyboard's buttons, row by row.
    pub fn callbacks(&self) -> Vec<String> {
        let rows = self.body["reply_markup"]["inline_keyboard"].as_array().cloned();
        rows.unwrap_or_default()
            .iter()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .filter_map(|button| button["callback_data"].as_str().map(str::to_string))
            .collect()
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

/// The Telegram Bot API, in memory: records every call and answers as Telegram does.
pub struct FakeTelegram {
    /// `{base}/bot{token}/`: anything else is refused like a wrong token.
    prefix: String,
    calls: RefCell<Vec<ApiCall>>,
    failures: RefCell<Vec<(String, ApiFailure)>>,
    next_message_id: Cell<i64>,
}

impl FakeTelegram {
    pub fn new(base: &str, token: &str) -> Self {
        Self {
            prefix: format!("{base}/bot{token}/"),
            calls: RefCell::default(),
            failures: RefCell::default(),
            next_message_id: Cell::new(100),
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

    fn scripted_failure(&self, method: &str) -> Option<ApiFailure> {
        let mut failures = self.failures.borrow_mut();
        let index = failures.iter().position(|(m, _)| m == method)?;
        Some(failures.remove(index).1)
    }

    fn answer(&self, method: &str, body: &Value) -> Result<Value, ApiFailure> {
        match method {
            "sendMessage" => {
                let chat_id = require_int(body, "chat_id")?;
                check_text(body)?;
                check_keyboard(body)?;
                let message_id = self.next_message_id.replace(self.next_message_id.get() + 1);
                Ok(sent_message(message_id, chat_id, body))
            }
            "editMessageText" => {
                let chat_id = require_int(body, "chat_id")?;
                let message_id = require_int(body, "message_id")?;
                check_text(body)?;
                check_keyboard(body)?;
                Ok(sent_message(message_id, chat_id, body))
            }
            "answerCallbackQuery" => {
                require_str(body, "callback_query_id")?;
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
            _ => Err(ApiFailure::other(404, "Not Found")),
        }
    }
}

impl HttpClient for FakeTelegram {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let Some(method) = request.url.strip_prefix(&self.prefix) else {
            return Ok(ApiFailure::other(401, "Unauthorized").response());
        };
        let body = request.body.as_deref().unwrap_or(b"{}");
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return Ok(ApiFailure::bad_request("request body is not JSON").response());
        };
        self.calls.borrow_mut().push(ApiCall { method: method.to_string(), body: body.clone() });
        if let Some(failure) = self.scripted_failure(method) {
            return Ok(failure.response());
        }
        Ok(match self.answer(method, &body) {
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

/// Message text: present, within 4096 characters once parsed, valid HTML in HTML mode.
fn check_text(body: &Value) -> Result<(), ApiFailure> {
    let text = require_str(body, "text")?;
    let plain = match body["parse_mode"].as_str() {
        Some("HTML") => parse_html(text)
            .map_err(|why| ApiFailure::bad_request(&format!("can't parse entities: {why}")))?,
        _ => text.to_string(),
    };
    if plain.trim().is_empty() {
        return Err(ApiFailure::bad_request("message text is empty"));
    }
    if plain.encode_utf16().count() > 4096 {
        return Err(ApiFailure::bad_request("message is too long"));
    }
    Ok(())
}

/// Inline buttons need a text and callback data of 1–64 bytes.
fn check_keyboard(body: &Value) -> Result<(), ApiFailure> {
    let rows = body["reply_markup"]["inline_keyboard"].as_array().cloned().unwrap_or_default();
    for button in rows.iter().flat_map(|row| row.as_array().cloned().unwrap_or_default()) {
        if button["text"].as_str().is_none_or(str::is_empty) {
            return Err(ApiFailure::bad_request("inline keyboard button text is empty"));
        }
        if let Some(data) = button["callback_data"].as_str() {
            if data.is_empty() || data.len() > 64 {
                return Err(ApiFailure::bad_request("BUTTON_DATA_INVALID"));
            }
        }
    }
    Ok(())
}

/// Telegram's HTML parse mode: known tags, balanced, and `&` only in `&lt; &gt; &amp; &quot;`
/// or numeric entities. Returns the plain text.
fn parse_html(text: &str) -> Result<String, String> {
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
