//! The small screens: language (the stored choice beats Telegram's language from then on),
//! help with the support contact, and the invite link with how many friends joined.
//!
//! ```text
//! user: /language
//! bot:  Choose your language:           [English] [Русский] [हिन्दी] [Bahasa Indonesia]
//! user: taps [Русский]
//! bot:  (edits) Готово! Теперь я говорю по-русски.          (the main menu, in Russian)
//! user: /invite
//! bot:  Invite friends, get free days … Your link: https://t.me/WavegateBot?start=ref_k3x9m2pq
//!                                                       [📤 Share my link] [🏆 My points] [Back]
//! user: /mypoints
//! bot:  My points — invited 4, paying 3, days earned 51; next: 90 days at 10 (7 to go)
//!                                                       [This week] [This month] [All time] [Back]
//! user: taps [This week]
//! bot:  (edits) 🏆 Top inviters · This week  1. @maria — 5  2. Anna — 3 …  You: #2 with 3
//! ```

use wavegate_shared::domain::{referral_link, REFERRAL_BONUS_DAYS};
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::remnawave::PanelUserId;
use wavegate_shared::shop::fulfil::PanelRecord;
use wavegate_shared::shop::referral::Period;
use wavegate_shared::shop::stats::CustomerQuery;
use wavegate_shared::shop::store::BotUser;

use crate::screens::{self, Screen};
use crate::{texts_for, Bot, BotError, Handled, Target};

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: wavegate_shared::http::HttpClient,
    P: wavegate_shared::remnawave::Panel,
    Q: wavegate_shared::shop::ports::Jobs,
    C: wavegate_shared::shop::ports::Cache,
{
    pub(crate) async fn change_language(
        &self,
        user: &BotUser,
        locale: Locale,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        self.store.set_locale(user.id, locale.code(), self.now()).await?;
        self.show(target, screens::language_changed(Texts::new(locale))).await?;
        Ok(Handled::Replied("language changed"))
    }

    pub(crate) async fn invite_screen(&self, user: &BotUser) -> Result<Screen, BotError> {
        let invited = self.store.count_referred(user.id).await?;
        let link = referral_link(&self.config.telegram.bot_username, &user.referral_code);
        Ok(screens::invite(texts_for(user), &link, invited, REFERRAL_BONUS_DAYS))
    }

    /// `/mypoints`: invited, paying, days earned, the next milestone and how far.
    pub(crate) async fn points_screen(&self, user: &BotUser) -> Result<Screen, BotError> {
        let stats = self.store.referral_stats(user.id).await?;
        Ok(screens::points(texts_for(user), &stats, REFERRAL_BONUS_DAYS))
    }

    /// Admins' `/stats` (English, like every operator message).
    pub(crate) async fn stats_screen(&self) -> Result<Screen, BotError> {
        let stats = self.store.shop_stats(self.now()).await?;
        Ok(screens::stats(&stats))
    }

    /// Admins' `/user <telegram id | @username>`: the customer's card, their subscription read
    /// live from the panel (the mirror when the panel does not answer).
    pub(crate) async fn customer_screen(&self, query: &str) -> Result<Screen, BotError> {
        let Some(query) = CustomerQuery::parse(query) else {
            return Ok(screens::admin_text("Usage: /user <telegram id> or /user @username".into()));
        };
        let Some(mut card) = self.store.customer_card(&query).await? else {
            return Ok(screens::admin_text("No such customer.".into()));
        };
        let live = match card.panel_user_id {
            Some(id) => self.panel.get_user(PanelUserId(id)).await.map(|u| u.map(|u| PanelRecord::from(&u))),
            None => Ok(None),
        };
        let source = match live {
            Ok(Some(panel)) => {
                card.panel_status = Some(panel.status.to_string());
                card.expires_at = Some(panel.expires_at);
                card.traffic_used_bytes = Some(panel.traffic_used_bytes);
                card.traffic_limit_bytes = Some(panel.traffic_limit_bytes);
                "live from the panel"
            }
            Ok(None) if card.panel_user_id.is_some() => "not on the panel any more",
            Ok(None) => "no panel user",
            Err(_) => "the panel did not answer: as last mirrored",
        };
        let mut screen = screens::customer_card(&card, source);
        screen.keyboard = Some(crate::admin::card_keyboard(&card));
        Ok(screen)
    }

    /// The top inviters of `period`, with the asking user's own place.
    pub(crate) async fn leaderboard_screen(
        &self,
        user: &BotUser,
        period: Period,
    ) -> Result<Screen, BotError> {
        let board = self.store.leaderboard(period.since(self.now()), user.id).await?;
        Ok(screens::leaderboard(texts_for(user), period, &board))
    }
}
