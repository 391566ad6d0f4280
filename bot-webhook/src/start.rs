//! `/start`: first contact and coming back. Creates or refreshes the user in one D1 trip,
//! records an invite once (`/start ref_<code>`: the store enforces the rules atomically), and
//! greets with the main menu; the trial button only for users who can still take it.
//!
//! ```text
//! user: /start ref_k3x9m2pq        (followed a friend's invite link)
//! bot:  Hi, Ivan! 👋 Wavegate is a fast, private VPN …      [Buy VPN] [Free trial]
//!                                                           [My subscription] [Invite friends]
//!                                                           [Language] [Help]
//! user: /start                     (a week later)
//! bot:  Welcome back, Ivan! What would you like to do?      (the same menu)
//! ```

use wavegate_shared::domain::StartPayload;
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
        if let StartPayload::Referral(code) = StartPayload::parse(payload) {
            // Recorded once or not at all (the store enforces the rules atomically and writes the
            // audit entry); either way the user just sees the welcome.
            self.store.record_referral(user.id, &code, self.now()).await?;
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

    /// The welcome with the main menu; the trial button only for users who can still take it.
    pub(crate) async fn home(&self, user: &BotUser, returning: bool) -> Result<Screen, BotError> {
        let summary = self.store.subscription_summary(user.id).await?;
        let trial = summary.trial_available();
        Ok(screens::welcome(texts_for(user), &user.first_name, self.config.trial.days, returning, trial))
    }
}
