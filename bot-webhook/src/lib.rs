//! Wavegate's Telegram bot: the shop's Telegram face. It turns an [`Update`] into replies and
//! calls into the shop (`wavegate_shared::shop`) for everything that sells, takes money or
//! gives days; it also implements the shop's `Notifier` on the Bot API ([`notifier`]).
//!
//! The Worker (`functions`) authenticates and dedupes the webhook, then calls [`Bot::handle`].
//! This crate has no `worker` dependency: storage is the shop's `UserStore` and `ShopStore`,
//! the panel is the core's `Panel`, the Bot API goes through the core's `HttpClient`, queue
//! and cache are the shop's `Jobs` and `Cache` ports, and time is an injected clock, so every
//! conversation is unit-tested natively.
//!
//! One module per flow, each with its sample conversation: [`start`] (first contact, invites,
//! the main menu), [`buy`] (plans → method → invoice), [`checkout`] (Stars payments into the
//! payment pipeline), [`status`] (my subscription, trial), [`promo`] (codes, with a stored
//! [`dialog`]), [`settings`] (language, help, invite link). Input parsing is [`command`] and
//! [`callback`]; [`screens`] draws; [`notifier`] is the shop's `Notifier` on the Bot API.
//!
//! A sample conversation (the first one a customer has):
//!
//! ```text
//! user: /start ref_k3x9m2pq        (followed a friend's invite link)
//! bot:  Hi, Ivan! 👋 Wavegate is a fast, private VPN …      [Buy VPN] [Free trial]
//!                                                           [My subscription] [Invite friends]
//!                                                           [Language] [Help]
//! user: taps [Buy VPN]
//! bot:  (edits) Choose a plan: Monthly 30 days ⭐100 · $2.00 …   [Monthly · ⭐100] …
//! user: taps [Monthly · ⭐100]
//! bot:  (edits) Choose how to pay: [⭐ Telegram Stars] [🔁 Stars subscription] …
//! user: taps [⭐ Telegram Stars]       → an invoice for ⭐100 (pre-checkout checked, then paid)
//! bot:  ✅ Payment received! … then, from the queue: 🎉 Your VPN is ready! <link> + QR code
//! ```

pub mod admin;
pub mod broadcast;
pub mod buy;
pub mod callback;
pub mod checkout;
pub mod command;
pub mod dialog;
pub mod notifier;
pub mod promo;
pub mod screens;
pub mod settings;
pub mod start;
pub mod status;
pub mod throttle;

use wavegate_shared::clock::Clock;
use wavegate_shared::config::Config;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::Texts;
use wavegate_shared::remnawave::{Panel, PanelError};
use wavegate_shared::telegram::{
    BotApi, CallbackQuery, ChatMemberUpdated, Message, TelegramError, Update, User, WebhookReply,
};

use wavegate_shared::shop::admin::AdminStore;
use wavegate_shared::shop::broadcast::BroadcastStore;
use wavegate_shared::shop::ports::{Cache, Ids, Jobs};
use wavegate_shared::shop::promo::PromoStore;
use wavegate_shared::shop::referral::ReferralStore;
use wavegate_shared::shop::stats::StatsStore;
use wavegate_shared::shop::store::{BotUser, FulfilStore, ShopStore, StoreError, TelegramProfile, UserStore};

use callback::{Callback, Menu};
use command::Command;
use dialog::Dialog;
use screens::Screen;

/// Everything the bot reads and writes: one name for the stores its flows need (the Worker's
/// and the tests' `SqlStore` implement them all).
pub trait BotStore:
    UserStore + ShopStore + ReferralStore + StatsStore + PromoStore + AdminStore + FulfilStore + BroadcastStore
{
}

impl<T> BotStore for T where
    T: UserStore
        + ShopStore
        + ReferralStore
        + StatsStore
        + PromoStore
        + AdminStore
        + FulfilStore
        + BroadcastStore
{
}

/// Everything one update's handling needs.
pub struct Bot<'a, S, H, P, Q, C> {
    pub config: &'a Config,
    pub store: &'a S,
    pub http: &'a H,
    pub panel: &'a P,
    pub jobs: &'a Q,
    pub cache: &'a C,
    pub clock: &'a dyn Clock,
    pub ids: &'a dyn Ids,
}

/// How an update ended, for the log line.
#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    Replied(&'static str),
    Ignored(&'static str),
    /// Done, and this fire-and-forget call goes back to Telegram as the webhook's response.
    Answered(&'static str, WebhookReply),
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Telegram(#[from] TelegramError),
    #[error(transparent)]
    Panel(#[from] PanelError),
}

impl From<wavegate_shared::shop::account::AccountError> for BotError {
    fn from(e: wavegate_shared::shop::account::AccountError) -> Self {
        use wavegate_shared::shop::account::AccountError;
        match e {
            AccountError::Panel(e) => BotError::Panel(e),
            AccountError::Store(e) => BotError::Store(e),
        }
    }
}

impl BotError {
    /// Worth asking Telegram to deliver the update again (our side or theirs was briefly down).
    /// A 4xx from the Bot API other than 429 would fail the same way again.
    pub fn is_retryable(&self) -> bool {
        match self {
            BotError::Store(e) => e.is_retryable(),
            BotError::Telegram(TelegramError::Api { code, .. }) => *code == 429 || *code >= 500,
            BotError::Telegram(_) => true,
            BotError::Panel(e) => e.is_retryable(),
        }
    }
}

/// Where a screen goes: a new message, or an edit of the message whose button was pressed.
pub(crate) enum Target<'u> {
    Chat(i64),
    Callback(&'u CallbackQuery),
}

impl<'u> Target<'u> {
    pub(crate) fn chat_id(&self) -> i64 {
        match self {
            Target::Chat(id) => *id,
            Target::Callback(q) => q.message.as_ref().map_or(q.from.id, |m| m.chat.id),
        }
    }
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: BotStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    pub async fn handle(&self, update: &Update) -> Result<Handled, BotError> {
        let outcome = if let Some(message) = &update.message {
            self.on_message(message).await
        } else if let Some(query) = &update.callback_query {
            self.on_callback(query).await
        } else if let Some(member) = &update.my_chat_member {
            self.on_membership(member).await
        } else if let Some(query) = &update.pre_checkout_query {
            self.pre_checkout(query).await
        } else if let Some(subscription) = &update.subscription {
            self.subscription_updated(subscription).await
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

    pub(crate) fn api(&self) -> BotApi<'_, H> {
        BotApi::new(self.http, &self.config.telegram.api_base, self.config.telegram.bot_token.expose())
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    async fn on_message(&self, message: &Message) -> Result<Handled, BotError> {
        // Money first, before any filter: Telegram took it wherever the invoice was paid, and
        // the pipeline decides what it is worth.
        if let Some(refund) = &message.refunded_payment {
            return self.refunded_payment(refund).await;
        }
        if let Some(payment) = &message.successful_payment {
            return match &message.from {
                Some(from) => self.successful_payment(from, message.chat.id, payment).await,
                None => self.payment_without_payer(payment).await,
            };
        }
        let Some(from) = message.from.as_ref().filter(|u| !u.is_bot) else {
            return Ok(Handled::Ignored("no human sender"));
        };
        if message.chat.kind != "private" {
            return Ok(Handled::Ignored("not a private chat"));
        }
        if TelegramUserId::parse(from.id).is_err() {
            return Ok(Handled::Ignored("bad user id"));
        }
        let Some(text) = message.text.as_deref() else {
            return Ok(Handled::Ignored("no text"));
        };
        let chat = Target::Chat(message.chat.id);
        match Command::parse(text, &self.config.telegram.bot_username) {
            Some(Command::Start(payload)) => self.start(from, &payload, chat).await,
            Some(command) => {
                let user = self.user(from).await?;
                self.command(&user, command, chat).await
            }
            None => {
                let user = self.user(from).await?;
                match Dialog::active(user.dialog.as_ref(), self.now()) {
                    Some(Dialog::PromoCode) => self.promo_answer(&user, text, chat).await,
                    Some(Dialog::BroadcastText) => self.broadcast_text(&user, text, message.chat.id).await,
                    None => {
                        self.show(chat, screens::unknown_command(texts_for(&user))).await?;
                        Ok(Handled::Replied("menu for plain text"))
                    }
                }
            }
        }
    }

    /// [`Bot::run_command`] behind one boxed future: both entry points (a typed command, a
    /// pressed button) share one copy of its state machine instead of inlining one each
    /// (the Worker ships every copy: size is its budget).
    fn command<'s>(
        &'s self,
        user: &'s BotUser,
        command: Command,
        target: Target<'s>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Handled, BotError>> + 's>> {
        Box::pin(self.run_command(user, command, target))
    }

    async fn run_command(
        &self,
        user: &BotUser,
        command: Command,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        if command.admin_only() && !self.config.is_admin(user.telegram_id) {
            self.end_dialog(user).await?;
            self.show(target, screens::unknown_command(texts)).await?;
            return Ok(Handled::Replied("admin command refused"));
        }
        if let Command::Promo(args) = &command {
            return self.promo(user, args, target).await;
        }
        // Any other command or button leaves a flow that was waiting for text.
        self.end_dialog(user).await?;
        let screen = match command {
            Command::Buy => return self.show_plans(user, target).await,
            Command::Status => return self.show_status(user, target).await,
            Command::Trial => return self.start_trial(user, target).await,
            Command::Help => screens::help(texts, self.config.support_contact.as_deref()),
            Command::Language => screens::language_picker(texts),
            Command::Invite => self.invite_screen(user).await?,
            Command::MyPoints => self.points_screen(user).await?,
            // Admins only (refused above for anyone else).
            Command::Stats => self.stats_screen().await?,
            Command::User(query) => self.customer_screen(&query).await?,
            Command::PromoNew(args) => self.promo_new(user, &args).await?,
            Command::PromoList => self.promo_list().await?,
            Command::PromoOff(args) => self.promo_off(user, &args).await?,
            Command::Refund(args) => self.refund_command(user, &args).await?,
            Command::Broadcast => self.broadcast_start(user).await?,
            Command::Unknown => screens::unknown_command(texts),
            // Both handled before this match (`/start` by its own flow).
            Command::Promo(_) | Command::Start(_) => screens::unknown_command(texts),
        };
        self.show(target, screen).await?;
        Ok(Handled::Replied("command"))
    }

    async fn on_callback(&self, query: &CallbackQuery) -> Result<Handled, BotError> {
        if TelegramUserId::parse(query.from.id).is_err() {
            return Ok(Handled::Ignored("bad user id"));
        }
        let user = self.user(&query.from).await?;
        let target = Target::Callback(query);
        let Some(callback) = query.data.as_deref().and_then(Callback::decode) else {
            // Buttons of an older bot version: answer so the client stops its spinner.
            self.api().answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("unknown callback"));
        };
        if callback.admin_only() && !self.config.is_admin(user.telegram_id) {
            self.api().answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("admin action refused"));
        }
        // Any button leaves a flow that was waiting for text.
        self.end_dialog(&user).await?;
        let command = match callback {
            Callback::Language(locale) => return self.change_language(&user, locale, target).await,
            Callback::Plan(slug) => return self.show_methods(&user, &slug, false, target).await,
            Callback::Pay(slug, method) => return self.pay(&user, &slug, method, false, query).await,
            Callback::Gift(slug) => return self.show_methods(&user, &slug, true, target).await,
            Callback::GiftPay(slug, method) => return self.pay(&user, &slug, method, true, query).await,
            Callback::Subscription(action) => return self.subscription_action(&user, action, query).await,
            Callback::Menu(Menu::Home) => {
                let screen = self.home(&user, true).await?;
                self.show(target, screen).await?;
                return Ok(Handled::Replied("home"));
            }
            Callback::Menu(Menu::Buy) => Command::Buy,
            Callback::Menu(Menu::Status) => Command::Status,
            Callback::Menu(Menu::Trial) => Command::Trial,
            Callback::Menu(Menu::Invite) => Command::Invite,
            Callback::Menu(Menu::Points) => Command::MyPoints,
            Callback::Menu(Menu::Promo) => Command::Promo(String::new()),
            Callback::Broadcast(id, control) => return self.broadcast_control(id, control, query).await,
            Callback::Admin(action, customer) => {
                return self.admin_action(&user, action, customer, query).await
            }
            Callback::Top(period) => {
                let screen = self.leaderboard_screen(&user, period).await?;
                self.show(target, screen).await?;
                return Ok(Handled::Replied("leaderboard"));
            }
            Callback::Menu(Menu::Language) => Command::Language,
            Callback::Menu(Menu::Help) => Command::Help,
        };
        self.command(&user, command, target).await
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
        Ok(Handled::Ignored(if blocked { "bot blocked" } else { "bot unblocked" }))
    }

    /// The stored user, created on first contact from any entry point. Callers have checked
    /// that the sender's id is valid.
    pub(crate) async fn user(&self, from: &User) -> Result<BotUser, BotError> {
        let profile = profile(from).ok_or_else(|| StoreError::invalid("invalid Telegram user id"))?;
        if let Some(user) = self.store.find_user(profile.telegram_id).await? {
            return Ok(user);
        }
        let fresh_code = || self.ids.referral_code();
        Ok(self.store.upsert_user(&profile, &fresh_code, self.now()).await?.user)
    }

    /// Ends the flow the user was in, if any (a write only when there is one).
    pub(crate) async fn end_dialog(&self, user: &BotUser) -> Result<(), BotError> {
        if user.dialog.is_some() {
            self.store.set_dialog(user.id, None).await?;
        }
        Ok(())
    }

    pub(crate) async fn show(&self, target: Target<'_>, screen: Screen) -> Result<(), BotError> {
        let api = self.api();
        match target {
            Target::Chat(chat_id) => {
                api.send_message(chat_id, &screen.text, screen.keyboard.as_ref()).await?;
            }
            Target::Callback(query) => {
                api.answer_callback_query(&query.id, None).await?;
                match &query.message {
                    Some(m) => {
                        api.edit_message_text(m.chat.id, m.message_id, &screen.text, screen.keyboard.as_ref())
                            .await?
                    }
                    None => {
                        api.send_message(query.from.id, &screen.text, screen.keyboard.as_ref()).await?;
                    }
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn texts_for(user: &BotUser) -> Texts {
    Texts::new(user.language())
}

pub(crate) fn profile(from: &User) -> Option<TelegramProfile> {
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
        .or(update.subscription.as_ref().map(|s| &s.user))
}
