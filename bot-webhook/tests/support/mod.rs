//! Test support for the bot's tests: [`TestBot`] wires a real [`Bot`] (and a real
//! [`Fulfiller`], for what the queue runs) to in-memory fakes of everything outside the crate,
//! with a fixed clock and predictable ids; [`Person`] builds updates shaped like Telegram's JSON.
//!
//! - [`flows`]: arrange steps (a paid order, a provisioned one) and clock/panel readers.
//! - [`store`]: the shop's real SQL on SQLite with the real migrations (the three plans seeded).
//! - [`panel`]: the Remnawave panel (`Panel`), with scriptable outages.
//! - [`telegram`]: the Bot API behind `HttpClient`, including multipart `sendPhoto`.
//! - here: the queue ([`FakeJobs`]), KV ([`FakeCache`]) and random ids ([`FakeIds`]).
//!
//! The panel and Telegram fakes are strict where the real services are and restate their
//! rules, so they can drift; the end-to-end suite is what checks the real bindings.

// Each test binary uses a different part of the support code.
#![allow(dead_code)]

pub mod flows;
pub mod panel;
pub mod store;
pub mod telegram;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

use futures::executor::block_on;
use serde_json::{json, Value};
use wavegate_bot::notifier::TelegramNotifier;
use wavegate_bot::{Bot, BotError, Handled};
use wavegate_shared::clock::FixedClock;
use wavegate_shared::config::Config;
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::domain::ReferralCode;
use wavegate_shared::shop::broadcast::{run_batch, BatchOutcome};
use wavegate_shared::shop::fulfil::{FulfilError, FulfilOutcome, Fulfiller};
use wavegate_shared::shop::ports::{Cache, Ids, Job, Jobs};
use wavegate_shared::shop::sql::SqlStore;
use wavegate_shared::shop::stars::{reconcile, LedgerError, LedgerReport, Limits};
use wavegate_shared::shop::store::StoreError;
use wavegate_shared::telegram::{BotApi, Update};

pub use panel::{FakePanel, SQUAD};
pub use store::{StoredUser, TestStore};
pub use telegram::{ApiCall, FakeTelegram};

pub const BOT_TOKEN: &str = "123456:TEST-token";
pub const BOT_USERNAME: &str = "WavegateTestBot";
pub const API_BASE: &str = "http://telegram.test";
pub const SUPPORT_CONTACT: &str = "@wavegate_support";
/// Deliberately not the default (3), so a test cannot pass by accident.
pub const TRIAL_DAYS: u32 = 5;
/// "Now" for every test: 2026-01-01T00:00:00Z.
pub const NOW: i64 = 1_767_225_600;
pub const DAY: i64 = 86_400;
pub const GIB: i64 = 1 << 30;
/// The message every callback button in these tests is attached to.
pub const MENU_MESSAGE_ID: i64 = 42;

// ------------------------------------------------------------------------------------- harness

/// A bot wired to fresh fakes, one per test.
pub struct TestBot {
    pub config: Config,
    pub store: TestStore,
    pub telegram: FakeTelegram,
    pub panel: FakePanel,
    pub jobs: FakeJobs,
    pub cache: FakeCache,
    pub ids: FakeIds,
    now: Cell<i64>,
}

impl TestBot {
    pub fn new() -> Self {
        Self::with_vars(&[])
    }

    /// A bot whose configuration adds (or overrides) these variables, e.g. a payment channel's
    /// keys to switch it on.
    pub fn with_vars(extra: &[(&str, &str)]) -> Self {
        let mut vars: HashMap<String, String> = [
            ("TELEGRAM_BOT_TOKEN", BOT_TOKEN),
            ("TELEGRAM_WEBHOOK_SECRET", "hook-secret"),
            ("TELEGRAM_API_BASE", API_BASE),
            ("BOT_USERNAME", &format!("@{BOT_USERNAME}")),
            ("REMNAWAVE_URL", "http://panel.test"),
            ("REMNAWAVE_TOKEN", "panel-token"),
            ("REMNAWAVE_SQUADS", SQUAD),
            ("TRIAL_DAYS", &TRIAL_DAYS.to_string()),
            ("SUPPORT_CONTACT", SUPPORT_CONTACT),
            ("ADMIN_TELEGRAM_IDS", "9001"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_lookup(|key| vars.get(key).cloned())
            .unwrap_or_else(|e| panic!("test configuration is invalid: {e}"));
        Self {
            config,
            store: TestStore::default(),
            telegram: FakeTelegram::new(API_BASE, BOT_TOKEN),
            panel: FakePanel::default(),
            jobs: FakeJobs::default(),
            cache: FakeCache::default(),
            ids: FakeIds::default(),
            now: Cell::new(NOW),
        }
    }

    pub fn now(&self) -> i64 {
        self.now.get()
    }

    /// Moves the clock of the bot, the fulfiller and the panel.
    pub fn set_now(&self, now: i64) {
        self.now.set(now);
        self.panel.set_now(now);
    }

    fn clock(&self) -> FixedClock {
        FixedClock(panel::at(self.now.get()))
    }

    /// Handles one update the way the Worker does, to completion.
    pub fn handle(&self, update: Update) -> Result<Handled, BotError> {
        let clock = self.clock();
        let bot = Bot {
            config: &self.config,
            store: &self.store.sql,
            http: &self.telegram,
            panel: &self.panel,
            jobs: &self.jobs,
            cache: &self.cache,
            clock: &clock,
            ids: &self.ids,
        };
        match block_on(bot.handle(&update))? {
            // Telegram executes a webhook reply after the response; its failure is never seen.
            Handled::Answered(outcome, reply) => {
                let api = BotApi::new(&self.telegram, API_BASE, BOT_TOKEN);
                let _ = block_on(api.call::<Value>(reply.method, &reply.params));
                Ok(Handled::Replied(outcome))
            }
            other => Ok(other),
        }
    }

    fn notifier(&self) -> TelegramNotifier<'_, FakeTelegram> {
        TelegramNotifier { config: &self.config, http: &self.telegram }
    }

    fn fulfiller<'a>(
        &'a self,
        clock: &'a FixedClock,
        notifier: &'a TelegramNotifier<'a, FakeTelegram>,
    ) -> Fulfiller<'a, SqlStore<SqliteDb>, FakePanel, TelegramNotifier<'a, FakeTelegram>> {
        Fulfiller { config: &self.config, store: &self.store.sql, panel: &self.panel, notifier, clock }
    }

    /// Runs a `Provision` job for `order`, as the queue consumer does.
    pub fn provision(&self, order: &str) -> Result<FulfilOutcome, FulfilError> {
        let clock = self.clock();
        let notifier = self.notifier();
        block_on(self.fulfiller(&clock, &notifier).provision(order))
    }

    /// Runs a `TakeBack` job for `order`, as the queue consumer does.
    pub fn take_back(&self, order: &str) -> Result<FulfilOutcome, FulfilError> {
        let clock = self.clock();
        let notifier = self.notifier();
        block_on(self.fulfiller(&clock, &notifier).take_back(order))
    }

    /// Runs every queued fulfilment job once, oldest first, and forgets the queue (admin
    /// alerts included). Returns what each job did.
    pub fn run_queue(&self) -> Vec<(Job, Result<FulfilOutcome, FulfilError>)> {
        let jobs = self.jobs.take();
        let mut outcomes = Vec::new();
        for job in jobs {
            let outcome = match &job {
                Job::Provision { order } => self.provision(order),
                Job::TakeBack { order } => self.take_back(order),
                Job::AdminAlert { .. } => Ok(FulfilOutcome::Done("alert")),
                Job::Remind { .. } => Ok(FulfilOutcome::Done("reminder")),
                Job::Notify { .. } => Ok(FulfilOutcome::Done("notice")),
                Job::SyncUsers { .. } => Ok(FulfilOutcome::Done("sync")),
                Job::Broadcast { .. } => Ok(FulfilOutcome::Done("broadcast")),
            };
            outcomes.push((job, outcome));
        }
        outcomes
    }

    /// Runs one `Broadcast` job, as the notices queue's consumer does (without the pauses).
    pub fn broadcast_batch(&self, id: i64, job: u32) -> Result<BatchOutcome, StoreError> {
        let notifier = self.notifier();
        block_on(run_batch(&self.store.sql, &self.jobs, &notifier, &NoSleep, id, job, self.now()))
    }

    /// Runs the hourly cron's Stars ledger check, as the Worker does.
    pub fn reconcile_stars(&self, limits: Limits) -> Result<LedgerReport, LedgerError> {
        let api = BotApi::new(&self.telegram, API_BASE, BOT_TOKEN);
        block_on(reconcile(&self.store.sql, &self.jobs, &self.ids, &api, limits, self.now()))
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
        self.ids.script_codes(codes);
    }
}

// ----------------------------------------------------------------------- assertion helpers

/// The methods of these Bot API calls, in order.
pub fn methods(calls: &[ApiCall]) -> Vec<&str> {
    calls.iter().map(|c| c.method.as_str()).collect()
}

/// The one call a test expects, with a readable failure otherwise.
pub fn only(calls: Vec<ApiCall>) -> ApiCall {
    assert_eq!(calls.len(), 1, "expected exactly one Bot API call, got {:?}", methods(&calls));
    calls.into_iter().next().unwrap()
}

/// A button press must stop the client's spinner, then replace the pressed message in place.
/// Returns the edit.
pub fn answered_then_edited(calls: Vec<ApiCall>, person: &Person) -> ApiCall {
    assert_eq!(methods(&calls), ["answerCallbackQuery", "editMessageText"]);
    let expected_query_id = format!("cb-{}", person.id);
    assert_eq!(calls[0].body["callback_query_id"], expected_query_id.as_str());
    let edit = calls.into_iter().nth(1).unwrap();
    assert_eq!(edit.chat_id(), Some(person.id));
    assert_eq!(edit.body["message_id"], MENU_MESSAGE_ID);
    edit
}

// ---------------------------------------------------------------------------- queue and KV

/// The job queue: remembers what was enqueued.
#[derive(Default)]
pub struct FakeJobs {
    queued: RefCell<Vec<Job>>,
    down: Cell<bool>,
}

impl FakeJobs {
    /// The jobs enqueued so far, oldest first; forgets them.
    pub fn take(&self) -> Vec<Job> {
        self.queued.take()
    }

    /// Every later enqueue fails.
    pub fn go_down(&self) {
        self.down.set(true);
    }

    pub fn come_back(&self) {
        self.down.set(false);
    }
}

impl Jobs for FakeJobs {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError> {
        if self.down.get() {
            return Err(StoreError::Unavailable("queue unavailable".into()));
        }
        // What the Queue carries is JSON: a job must survive the round trip.
        let json = serde_json::to_string(job).map_err(StoreError::invalid)?;
        let job = serde_json::from_str(&json).map_err(StoreError::invalid)?;
        self.queued.borrow_mut().push(job);
        Ok(())
    }
}

/// KV: values with the TTL they were stored with (time does not pass inside a test).
#[derive(Default)]
pub struct FakeCache {
    entries: RefCell<HashMap<String, (String, u64)>>,
}

impl FakeCache {
    pub fn entry(&self, key: &str) -> Option<(String, u64)> {
        self.entries.borrow().get(key).cloned()
    }

    /// Everything expires (as a minute passing would).
    pub fn expire_all(&self) {
        self.entries.borrow_mut().clear();
    }
}

impl Cache for FakeCache {
    async fn get(&self, key: &str) -> Option<String> {
        self.entries.borrow().get(key).map(|(value, _)| value.clone())
    }

    async fn put(&self, key: &str, value: &str, ttl_seconds: u64) {
        self.entries.borrow_mut().insert(key.to_string(), (value.to_string(), ttl_seconds));
    }

    async fn delete(&self, key: &str) {
        self.entries.borrow_mut().remove(key);
    }
}

// ------------------------------------------------------------------------------------- ids

/// Fresh ids, predictably: referral codes scripted ones first, then `aaaaaaaa`, `baaaaaaa`, …
/// (a counter's base-31 digits); order ids `order00000000001`, `order00000000002`, …
#[derive(Default)]
pub struct FakeIds {
    scripted: RefCell<VecDeque<ReferralCode>>,
    codes: Cell<u64>,
    orders: Cell<u64>,
}

impl FakeIds {
    fn script_codes(&self, codes: &[&str]) {
        let parsed = codes.iter().map(|c| ReferralCode::parse(c).expect("a valid test code"));
        self.scripted.borrow_mut().extend(parsed);
    }

    /// The `n`-th order id handed out (from 1).
    pub fn order(n: u64) -> String {
        format!("order{n:011}")
    }
}

impl Ids for FakeIds {
    fn referral_code(&self) -> ReferralCode {
        if let Some(code) = self.scripted.borrow_mut().pop_front() {
            return code;
        }
        let n = self.codes.replace(self.codes.get() + 1);
        let radix = ReferralCode::ALPHABET.len() as u64;
        let mut bytes = [0u8; ReferralCode::LEN];
        let mut rest = n;
        for byte in &mut bytes {
            *byte = (rest % radix) as u8;
            rest /= radix;
        }
        ReferralCode::from_random(bytes)
    }

    fn order_id(&self) -> String {
        let n = self.orders.get() + 1;
        self.orders.set(n);
        Self::order(n)
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

/// A Stars payment as Telegram reports it (`successful_payment`, `refunded_payment`).
#[derive(Debug, Clone)]
pub struct StarsPaid {
    pub currency: String,
    pub total_amount: i64,
    pub invoice_payload: String,
    pub charge_id: String,
    /// `(is_first_recurring, subscription_expiration_date)` of a Stars subscription payment.
    pub recurring: Option<(bool, i64)>,
}

impl StarsPaid {
    /// `amount` Stars for the order `order_id`, with Telegram charge id `charge_id`.
    pub fn new(order_id: &str, amount: i64, charge_id: &str) -> Self {
        Self {
            currency: "XTR".into(),
            total_amount: amount,
            invoice_payload: format!("order:{order_id}"),
            charge_id: charge_id.into(),
            recurring: None,
        }
    }

    pub fn in_currency(mut self, currency: &str) -> Self {
        self.currency = currency.into();
        self
    }

    pub fn with_payload(mut self, payload: &str) -> Self {
        self.invoice_payload = payload.into();
        self
    }

    /// A payment of a Stars subscription (the first one, or a renewal).
    pub fn recurring(mut self, first: bool, expires_at: i64) -> Self {
        self.recurring = Some((first, expires_at));
        self
    }
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
        update(json!({ "message": self.message(self.private_chat(), json!({ "text": text })) }))
    }

    /// A text message in a group the bot is a member of.
    pub fn sends_in_group(&self, text: &str) -> Update {
        let group = json!({ "id": -100_123, "title": "Friends", "type": "supergroup" });
        update(json!({ "message": self.message(group, json!({ "text": text })) }))
    }

    /// An edit of an earlier message (an update kind the bot does not handle).
    pub fn edits(&self, text: &str) -> Update {
        update(json!({ "edited_message": self.message(self.private_chat(), json!({ "text": text })) }))
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

    /// Another press (its own callback query id `n`) of a button with `data`.
    pub fn presses_again(&self, data: &str, n: u32) -> Update {
        let mut update = self.presses(data);
        if let Some(query) = update.callback_query.as_mut() {
            query.id = format!("cb-{}-{n}", self.id);
        }
        update
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

    /// Telegram asking whether a Stars checkout of `payload` for `amount` may proceed.
    pub fn checks_out(&self, payload: &str, currency: &str, amount: i64) -> Update {
        update(json!({ "pre_checkout_query": {
            "id": format!("pcq-{}", self.id), "from": self.json(), "currency": currency,
            "total_amount": amount, "invoice_payload": payload,
        } }))
    }

    /// Telegram telling the bot that this person paid.
    pub fn pays(&self, paid: &StarsPaid) -> Update {
        self.pays_in(self.private_chat(), paid)
    }

    /// As [`Person::pays`], but the invoice was paid in a group chat.
    pub fn pays_in_group(&self, paid: &StarsPaid) -> Update {
        self.pays_in(json!({ "id": -100_123, "title": "Friends", "type": "supergroup" }), paid)
    }

    fn pays_in(&self, chat: Value, paid: &StarsPaid) -> Update {
        let mut payment = json!({
            "currency": paid.currency, "total_amount": paid.total_amount,
            "invoice_payload": paid.invoice_payload,
            "telegram_payment_charge_id": paid.charge_id, "provider_payment_charge_id": "",
        });
        if let Some((first, expires_at)) = paid.recurring {
            payment["is_recurring"] = json!(true);
            payment["is_first_recurring"] = json!(first);
            payment["subscription_expiration_date"] = json!(expires_at);
        }
        let message = self.message(chat, json!({ "successful_payment": payment }));
        update(json!({ "message": message }))
    }

    /// Telegram telling the bot that this person's payment was refunded.
    pub fn is_refunded(&self, paid: &StarsPaid) -> Update {
        let refund = json!({
            "currency": paid.currency, "total_amount": paid.total_amount,
            "invoice_payload": paid.invoice_payload, "telegram_payment_charge_id": paid.charge_id,
        });
        let message = self.message(self.private_chat(), json!({ "refunded_payment": refund }));
        update(json!({ "message": message }))
    }

    /// Telegram telling the bot that this person's Stars subscription (started by the invoice
    /// with `payload`) changed: `canceled`, `active` or `failed`.
    pub fn subscription_becomes(&self, payload: &str, state: &str) -> Update {
        update(json!({ "subscription": { "user": self.json(), "invoice_payload": payload, "state": state } }))
    }

    fn message(&self, chat: Value, content: Value) -> Value {
        let mut message = json!({ "message_id": 7, "from": self.json(), "chat": chat, "date": NOW });
        message.as_object_mut().unwrap().extend(content.as_object().unwrap().clone());
        message
    }
}

fn update(kind: Value) -> Update {
    let mut value = json!({ "update_id": 1 });
    value.as_object_mut().unwrap().extend(kind.as_object().unwrap().clone());
    serde_json::from_value(value).expect("a well-formed test update")
}

/// The broadcast's pauses between sends, skipped in native tests.
pub struct NoSleep;

impl wavegate_shared::http::Sleeper for NoSleep {
    async fn sleep(&self, _: std::time::Duration) {}
}
