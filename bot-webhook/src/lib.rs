//! Wavegate's Telegram bot: turns an [`Update`] into replies and state changes.
//!
//! The Worker (`functions`) authenticates and dedupes the webhook, then calls [`Bot::handle`].
//! This crate has no `worker` dependency: storage is the [`store::BotStore`] trait, the Bot API
//! goes through the core's `HttpClient`, and time is an injected clock, so every conversation is
//! unit-tested natively with fakes.
//!
//! A sample conversation (the first one a customer has):
//!
//! ```text
//! user: /start ref_k3x9m2pq        (followed a friend's invite link)
//! bot:  Hi, Ivan! 👋 Wavegate is a fast, private VPN …      [Buy VPN]
//!                                                           [My subscription] [Invite friends]
//!                                                           [Language] [Help]
//! user: taps [Language]
//! bot:  (edits the message) Choose your language: [English] [Русский] [हिन्दी] [Bahasa Indonesia]
//! user: taps [Русский]
//! bot:  Готово! Теперь я говорю по-русски. (and the main menu, in Russian)
//! ```

pub mod command;
pub mod screens;
pub mod store;

use wavegate_shared::clock::Clock;
use wavegate_shared::config::Config;
use wavegate_shared::domain::{
    referral_link, ReferralCode, StartPayload, TelegramUserId, REFERRAL_BONUS_DAYS,
};
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::telegram::{
    BotApi, CallbackQuery, ChatMemberUpdated, Message, TelegramError, Update, User,
};

use command::Command;
use screens::{data, Screen};
use store::{BotStore, BotUser, StoreError, TelegramProfile, Upserted};

/// Everything one update's handling needs.
pub struct Bot<'a, S, H> {
    pub config: &'a Config,
    pub store: &'a S,
    pub http: &'a H,
    pub clock: &'a dyn Clock,
    /// A new random referral code (the Worker draws from `crypto.getRandomValues`).
    pub fresh_code: &'a dyn Fn() -> ReferralCode,
}

/// How an update ended, for the log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    Replied(&'static str),
    Ignored(&'static str),
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Telegram(#[from] TelegramError),
}

impl BotError {
    /// Worth asking Telegram to deliver the update again (our side or theirs was briefly down).
    /// A 4xx from the Bot API other than 429 would fail the same way again.
    pub fn is_retryable(&self) -> bool {
        match self {
            BotError::Store(_) => true,
            BotError::Telegram(TelegramError::Api { code, .. }) => *code == 429 || *code >= 500,
            BotError::Telegram(_) => true,
        }
    }
}

/// Where a screen goes: a new message, or an edit of the message whose button was pressed.
enum Target<'u> {
    Chat(i64),
    Callback(&'u CallbackQuery),
}

impl<S: BotStore, H: HttpClient> Bot<'_, S, H> {
    pub async fn handle(&self, update: &Update) -> Result<Handled, BotError> {
        let outcome = if let Some(message) = &update.message {
            self.on_message(message).await
        } else if let Some(query) = &update.callback_query {
            self.on_callback(query).await
        } else if let Some(member) = &update.my_chat_member {
            self.on_membership(member).await
        } else if let Some(query) = &update.pre_checkout_query {
            // No invoices are issued yet, so no checkout can be ours: refuse it in time.
            let texts = Texts::new(Locale::from_telegram(query.from.language_code.as_deref()));
            let body = serde_json::json!({ "pre_checkout_query_id": query.id, "ok": false,
                "error_message": texts.get("error-generic") });
            self.api()
                .call::<bool>("answerPreCheckoutQuery", &body)
                .await?;
            Ok(Handled::Replied("pre_checkout refused"))
        } else {
            Ok(Handled::Ignored("update kind not handled"))
        };
        match outcome {
            // The user blocked the bot: remember it so cron jobs stop messaging them.
            Err(BotError::Telegram(e)) if e.is_unreachable_user() => {
                if let Some(id) = sender(update).and_then(|u| TelegramUserId::parse(u.id).ok()) {
                    self.store.set_blocked(id, true, self.now()).await?;
                }
                Ok(Handled::Ignored("user blocked the bot"))
            }
            other => other,
        }
    }

    fn api(&self) -> BotApi<'_, H> {
        BotApi::new(
            self.http,
            &self.config.telegram.api_base,
            self.config.telegram.bot_token.expose(),
        )
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    async fn on_message(&self, message: &Message) -> Result<Handled, BotError> {
        let Some(from) = message.from.as_ref().filter(|u| !u.is_bot) else {
            return Ok(Handled::Ignored("no human sender"));
        };
        if message.chat.kind != "private" {
            return Ok(Handled::Ignored("not a private chat"));
        }
        let Some(text) = message.text.as_deref() else {
            return Ok(Handled::Ignored("no text"));
        };
        if TelegramUserId::parse(from.id).is_err() {
            return Ok(Handled::Ignored("bad user id"));
        }
        let Some(command) = Command::parse(text, &self.config.telegram.bot_username) else {
            let user = self.user(from).await?;
            self.show(
                Target::Chat(message.chat.id),
                screens::unknown_command(texts_for(&user)),
            )
            .await?;
            return Ok(Handled::Replied("menu for plain text"));
        };
        let chat = Target::Chat(message.chat.id);
        match command {
            Command::Start(payload) => self.start(from, &payload, chat).await,
            other => {
                let user = self.user(from).await?;
                self.screen_for_command(&user, other, chat).await
            }
        }
    }

    /// `/start [ref_<code>]`: create or refresh the user, record an invite once, greet.
    async fn start(
        &self,
        from: &User,
        payload: &str,
        chat: Target<'_>,
    ) -> Result<Handled, BotError> {
        let Some(profile) = profile(from) else {
            return Ok(Handled::Ignored("bad user id"));
        };
        let (user, upserted) = self
            .store
            .upsert_user(&profile, self.fresh_code, self.now())
            .await?;
        if let StartPayload::Referral(code) = StartPayload::parse(payload) {
            // Recorded once or not at all (the store enforces the rules atomically and writes the
            // audit entry); either way the user just sees the welcome.
            self.store
                .record_referral(user.id, &code, self.now())
                .await?;
        }
        let returning = upserted == Upserted::Updated;
        let screen = screens::welcome(
            texts_for(&user),
            &user.first_name,
            self.config.trial.days,
            returning,
        );
        self.show(chat, screen).await?;
        Ok(Handled::Replied("start"))
    }

    async fn screen_for_command(
        &self,
        user: &BotUser,
        command: Command,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let screen = match command {
            Command::Help => screens::help(texts, self.config.support_contact.as_deref()),
            Command::Language => screens::language_picker(texts),
            Command::Invite | Command::MyPoints => self.invite_screen(user).await?,
            Command::Unknown => screens::unknown_command(texts),
            // Selling, status, trial and promo land with the selling issue; until then the
            // menu answers honestly instead of erroring.
            Command::Buy
            | Command::Status
            | Command::Trial
            | Command::Promo
            | Command::Start(_) => Screen {
                text: texts.get("coming-soon"),
                keyboard: Some(screens::main_menu(texts)),
            },
        };
        self.show(target, screen).await?;
        Ok(Handled::Replied("command"))
    }

    async fn invite_screen(&self, user: &BotUser) -> Result<Screen, BotError> {
        let invited = self.store.count_referred(user.id).await?;
        let link = referral_link(&self.config.telegram.bot_username, &user.referral_code);
        Ok(screens::invite(
            texts_for(user),
            &link,
            invited,
            REFERRAL_BONUS_DAYS,
        ))
    }

    async fn on_callback(&self, query: &CallbackQuery) -> Result<Handled, BotError> {
        if TelegramUserId::parse(query.from.id).is_err() {
            return Ok(Handled::Ignored("bad user id"));
        }
        let user = self.user(&query.from).await?;
        let data = query.data.as_deref().unwrap_or_default();
        let target = Target::Callback(query);
        if let Some(code) = data.strip_prefix(data::LANG_PREFIX) {
            let Some(locale) = Locale::from_code(code) else {
                self.api().answer_callback_query(&query.id, None).await?;
                return Ok(Handled::Ignored("unknown language"));
            };
            self.store
                .set_locale(user.id, locale.code(), self.now())
                .await?;
            self.show(target, screens::language_changed(Texts::new(locale)))
                .await?;
            return Ok(Handled::Replied("language changed"));
        }
        let command = match data {
            data::BUY => Command::Buy,
            data::STATUS => Command::Status,
            data::INVITE => Command::Invite,
            data::LANGUAGE => Command::Language,
            data::HELP => Command::Help,
            data::HOME => {
                let screen = screens::welcome(
                    texts_for(&user),
                    &user.first_name,
                    self.config.trial.days,
                    true,
                );
                self.show(target, screen).await?;
                return Ok(Handled::Replied("home"));
            }
            // Buttons of an older bot version: answer so the client stops its spinner.
            _ => {
                self.api().answer_callback_query(&query.id, None).await?;
                return Ok(Handled::Ignored("unknown callback"));
            }
        };
        self.screen_for_command(&user, command, target).await
    }

    async fn on_membership(&self, update: &ChatMemberUpdated) -> Result<Handled, BotError> {
        // Only the private chat tells whether the user blocked the bot; in a group, `from` is
        // whoever added or removed the bot.
        if update.chat.kind != "private" {
            return Ok(Handled::Ignored("not a private chat"));
        }
        let Ok(id) = TelegramUserId::parse(update.from.id) else {
            return Ok(Handled::Ignored("bad user id"));
        };
        let blocked = matches!(update.new_chat_member.status.as_str(), "kicked" | "left");
        self.store.set_blocked(id, blocked, self.now()).await?;
        Ok(Handled::Ignored(if blocked {
            "bot blocked"
        } else {
            "bot unblocked"
        }))
    }

    /// The stored user, created on first contact from any entry point. Callers have checked
    /// that the sender's id is valid.
    async fn user(&self, from: &User) -> Result<BotUser, BotError> {
        let profile = profile(from).ok_or_else(|| StoreError("invalid Telegram user id".into()))?;
        if let Some(user) = self.store.find_user(profile.telegram_id).await? {
            return Ok(user);
        }
        Ok(self
            .store
            .upsert_user(&profile, self.fresh_code, self.now())
            .await?
            .0)
    }

    async fn show(&self, target: Target<'_>, screen: Screen) -> Result<(), BotError> {
        let api = self.api();
        match target {
            Target::Chat(chat_id) => {
                api.send_message(chat_id, &screen.text, screen.keyboard.as_ref())
                    .await?;
            }
            Target::Callback(query) => {
                api.answer_callback_query(&query.id, None).await?;
                match &query.message {
                    Some(m) => {
                        api.edit_message_text(
                            m.chat.id,
                            m.message_id,
                            &screen.text,
                            screen.keyboard.as_ref(),
                        )
                        .await?
                    }
                    None => {
                        api.send_message(query.from.id, &screen.text, screen.keyboard.as_ref())
                            .await?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn texts_for(user: &BotUser) -> Texts {
    Texts::new(Locale::resolve(
        user.locale.as_deref(),
        user.language_code.as_deref(),
    ))
}

fn profile(from: &User) -> Option<TelegramProfile> {
    let telegram_id = TelegramUserId::parse(from.id).ok()?;
    Some(TelegramProfile {
        telegram_id,
        username: from.username.clone(),
        first_name: from.first_name.clone(),
        last_name: from.last_name.clone(),
        language_code: from.language_code.clone(),
    })
}

fn sender(update: &Update) -> Option<&User> {
    update
        .message
        .as_ref()
        .and_then(|m| m.from.as_ref())
        .or(update.callback_query.as_ref().map(|q| &q.from))
        .or(update.pre_checkout_query.as_ref().map(|q| &q.from))
}
