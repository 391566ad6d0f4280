//! `/start`: first contact and coming back. Creates or refreshes the user in one D1 trip,
//! records an invite once (`/start ref_<code>`: the store enforces the rules atomically), and
//! greets with the main menu; the trial button only for users who can still take it.
//!
//! ```text
//! user: /start ref_k3x9m2pq        (followed a friend's invite link)
//! bot:  Hi, Ivan! 👋 Wavegate is a fast, private VPN …      [Buy VPN] [Free trial]
//!                                                           [My subscription] [Invite friends]
//!                                                           [Language] [Help]
//! user: /start gift_3f9a…           (a friend's gift link)
//! bot:  🎁 You received a gift: 30 days of Wavegate! …       (the link follows from the queue)
//! user: /start                     (a week later)
//! bot:  Welcome back, Ivan! What would you like to do?      (the same menu)
//! ```

use wavegate_shared::domain::StartPayload;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::shop::gift::{self, Redemption};
use wavegate_shared::shop::store::{BotUser, Upsert, Upserted};
use wavegate_shared::telegram::{User, WebhookReply};

use crate::screens::{self, Screen};
use crate::{profile, texts_for, Bot, BotError, Handled, Target};

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: wavegate_shared::http::HttpClient,
    P: wavegate_shared::remnawave::Panel,
    Q: wavegate_shared::shop::ports::Jobs,
    C: wavegate_shared::shop::ports::Cache,
{
    /// `/start [ref_<code>]`: create or refresh the user, record an invite once, greet.
    pub(crate) async fn start(
        &self,
        from: &User,
        payload: &str,
        chat: Target<'_>,
    ) -> Result<Handled, BotError> {
        let Some(profile) = profile(from) else { return Ok(Handled::Ignored("bad user id")) };
        let fresh_code = || self.ids.referral_code();
        let Upsert { user, upserted, standing } =
            self.store.upsert_user(&profile, &fresh_code, self.now()).await?;
        match StartPayload::parse(payload) {
            // Recorded once or not at all (the store enforces the rules atomically and writes the
            // audit entry); either way the user just sees the welcome.
            StartPayload::Referral(code) => {
                self.store.record_referral(user.id, &code, self.now()).await?;
            }
            StartPayload::Gift(code) => return self.open_gift(&user, &code, chat).await,
            StartPayload::None => {}
        }
        self.end_dialog(&user).await?;
        let returning = upserted == Upserted::Updated;
        let texts = texts_for(&user);
        let trial = standing.trial_available();
        let screen = screens::welcome(texts, &user.first_name, self.config.trial.days, returning, trial);
        // The welcome rides back on the webhook's response, which Telegram runs: a lost welcome
        // costs the user a second /start, and every /start saves a round trip to Telegram.
        let reply = WebhookReply::send_screen(chat.chat_id(), &screen.text, screen.keyboard.as_ref());
        Ok(Handled::Answered("start", reply))
    }

    /// `/start gift_<code>`: redeem the gift (once, never by its buyer), tell the buyer.
    async fn open_gift(&self, user: &BotUser, code: &str, chat: Target<'_>) -> Result<Handled, BotError> {
        self.end_dialog(user).await?;
        let texts = texts_for(user);
        let redemption = gift::redeem(self.store, self.jobs, code, user.id, self.now()).await?;
        let (text, outcome) = match &redemption {
            Redemption::Redeemed { days, buyer, buyer_locale, .. } => {
                // Best effort: the buyer learns it was redeemed (not who: privacy).
                let buyer_texts = Texts::new(Locale::resolve(buyer_locale.as_deref(), None));
                let _ = self.api().send_message(*buyer, &buyer_texts.get("gift-redeemed"), None).await;
                (texts.format("gift-received", &[("days", Arg::Num(i64::from(*days)))]), "gift redeemed")
            }
            Redemption::Taken { by_you: true } => {
                (texts.get("gift-yours-already"), "gift: redeemed before by them")
            }
            Redemption::Taken { by_you: false } => (texts.get("gift-taken"), "gift: taken"),
            Redemption::Own => (texts.get("gift-own"), "gift: own"),
            Redemption::Unknown => (texts.get("gift-unknown"), "gift: unknown"),
        };
        self.show(chat, Screen { text, keyboard: Some(screens::main_menu(texts)) }).await?;
        Ok(Handled::Replied(outcome))
    }

    /// The welcome with the main menu; the trial button only for users who can still take it.
    pub(crate) async fn home(&self, user: &BotUser, returning: bool) -> Result<Screen, BotError> {
        let summary = self.store.subscription_summary(user.id).await?;
        let trial = summary.trial_available();
        Ok(screens::welcome(texts_for(user), &user.first_name, self.config.trial.days, returning, trial))
    }
}
