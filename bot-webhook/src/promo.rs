//! Promo codes: `/promo CODE`, or `/promo` (or the plan screen's button) and then the code as
//! the next message (a stored [`Dialog`], so the wait survives between webhook calls). The
//! rules — who may redeem, what a code gives, the race for the last use — are the core's
//! [`wavegate_shared::shop::promo`]; this is the conversation, and the admins' commands.
//!
//! ```text
//! user: /promo
//! bot:  Send me your promo code (letters and digits).      [Back to menu]
//! user: spring 25!
//! bot:  That does not look like a promo code …             (still waiting)
//! user: SPRING25
//! bot:  🎟 Code SPRING25 accepted: 25% off your next purchase.   [Buy VPN]   (the wait is over)
//! admin: /promo_new FREE7 days 7 100 2027-01-31  → ✅ FREE7 created: +7 days, 100 uses, until …
//! admin: /promo_list                             → the newest codes with their uses
//! admin: /promo_off FREE7                        → ✅ FREE7 is switched off
//! ```

use wavegate_shared::i18n::Arg;
use wavegate_shared::shop::promo::{self, NewPromo, PromoCode, PromoInfo, Redeemed};
use wavegate_shared::shop::store::BotUser;
use wavegate_shared::telegram::{InlineKeyboardButton as Button, InlineKeyboardMarkup};

use crate::callback::{Callback, Menu};
use crate::dialog::Dialog;
use crate::screens::{self, escape_html, Screen};
use crate::{texts_for, Bot, BotError, Handled, Target};

/// How many codes `/promo_list` shows (newest first).
const LIST_LIMIT: u32 = 30;

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: wavegate_shared::http::HttpClient,
    P: wavegate_shared::remnawave::Panel,
    Q: wavegate_shared::shop::ports::Jobs,
    C: wavegate_shared::shop::ports::Cache,
{
    /// `/promo [CODE]`: redeem the code, or wait for it.
    pub(crate) async fn promo(
        &self,
        user: &BotUser,
        args: &str,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        if args.trim().is_empty() {
            self.store.set_dialog(user.id, Some(&Dialog::PromoCode.stored(self.now()))).await?;
            let texts = texts_for(user);
            self.show(target, Screen { text: texts.get("promo-ask"), keyboard: Some(screens::back(texts)) })
                .await?;
            return Ok(Handled::Replied("promo: waiting for the code"));
        }
        self.end_dialog(user).await?;
        self.redeem(user, args, target).await
    }

    /// The message a waiting promo dialog receives. A typo keeps the dialog waiting: it should
    /// not send the customer back to the start.
    pub(crate) async fn promo_answer(
        &self,
        user: &BotUser,
        text: &str,
        target: Target<'_>,
    ) -> Result<Handled, BotError> {
        if PromoCode::parse(text).is_some() {
            self.end_dialog(user).await?;
        }
        self.redeem(user, text, target).await
    }

    async fn redeem(&self, user: &BotUser, text: &str, target: Target<'_>) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let Some(code) = PromoCode::parse(text) else {
            let screen = Screen { text: texts.get("promo-not-a-code"), keyboard: Some(screens::back(texts)) };
            self.show(target, screen).await?;
            return Ok(Handled::Replied("promo: not a code"));
        };
        let outcome = promo::redeem(self.store, self.jobs, user.id, &code, self.now()).await?;
        let code_arg = ("code", Arg::Str(escape_html(code.as_str())));
        let (text, outcome) = match outcome {
            Ok(Redeemed::Days { days, .. }) => (
                texts.format("promo-days", &[code_arg, ("days", Arg::Num(i64::from(days)))]),
                "promo: days granted",
            ),
            Ok(Redeemed::Discount { percent }) => (
                texts.format("promo-discount", &[code_arg, ("percent", Arg::Num(i64::from(percent)))]),
                "promo: discount held",
            ),
            Err(refusal) => (texts.format(refusal.message_key(), &[code_arg]), "promo: refused"),
        };
        let keyboard = InlineKeyboardMarkup {
            inline_keyboard: vec![
                vec![Button::callback(texts.get("menu-buy"), Callback::Menu(Menu::Buy))],
                vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))],
            ],
        };
        self.show(target, Screen { text, keyboard: Some(keyboard) }).await?;
        Ok(Handled::Replied(outcome))
    }

    /// Admins' `/promo_new CODE days|percent VALUE [max uses] [expiry YYYY-MM-DD]`.
    pub(crate) async fn promo_new(&self, admin: &BotUser, args: &str) -> Result<Screen, BotError> {
        let promo = match NewPromo::parse(args) {
            Ok(promo) => promo,
            Err(why) => {
                return Ok(screens::admin_text(format!(
                    "Not created: {why}.\nUsage: /promo_new CODE days|percent VALUE [max uses] [expiry YYYY-MM-DD]"
                )))
            }
        };
        let created = self.store.create_promo(&promo, admin.telegram_id.get(), self.now()).await?;
        Ok(screens::admin_text(if created {
            format!(
                "✅ {} created: {}",
                promo.code,
                describe(promo.kind, promo.max_uses.map(i64::from), 0, promo.valid_until)
            )
        } else {
            format!("A code named {} exists already (codes ignore case).", promo.code)
        }))
    }

    /// Admins' `/promo_list`: the newest codes, their uses and state.
    pub(crate) async fn promo_list(&self) -> Result<Screen, BotError> {
        let codes = self.store.promos(LIST_LIMIT).await?;
        if codes.is_empty() {
            return Ok(screens::admin_text("No promo codes yet. Create one with /promo_new.".into()));
        }
        let now = self.now();
        let lines: Vec<String> = codes.iter().map(|c| list_line(c, now)).collect();
        Ok(screens::admin_text(format!("Promo codes (newest first):\n{}", lines.join("\n"))))
    }

    /// Admins' `/promo_off CODE`.
    pub(crate) async fn promo_off(&self, admin: &BotUser, args: &str) -> Result<Screen, BotError> {
        let Some(code) = PromoCode::parse(args) else {
            return Ok(screens::admin_text("Usage: /promo_off CODE".into()));
        };
        let off = self.store.deactivate_promo(&code, admin.telegram_id.get(), self.now()).await?;
        Ok(screens::admin_text(if off {
            format!("✅ {code} is switched off: nobody can redeem it now (discounts already held stay).")
        } else {
            format!("No active code named {code}.")
        }))
    }
}

/// "+7 days, 3 of 100 uses, until 2027-01-31".
fn describe(kind: promo::PromoKind, max: Option<i64>, used: i64, until: Option<i64>) -> String {
    let uses = match max {
        Some(max) => format!("{used} of {max} uses"),
        None => format!("{used} uses, no limit"),
    };
    let until = until
        .and_then(|t| wavegate_shared::subscription::utc_date(t - 1, false))
        .map(|d| format!(", until {d}"))
        .unwrap_or_default();
    format!("{kind}, {uses}{until}")
}

fn list_line(c: &PromoInfo, now: i64) -> String {
    let state = if !c.active {
        " (off)"
    } else if c.valid_until.is_some_and(|t| t <= now) {
        " (expired)"
    } else if c.max_uses.is_some_and(|m| c.used >= m) {
        " (used up)"
    } else {
        ""
    };
    match c.kind {
        Some(kind) => format!("{} — {}{state}", c.code, describe(kind, c.max_uses, c.used, c.valid_until)),
        None => format!("{} — unreadable kind{state}", c.code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wavegate_shared::shop::promo::PromoKind;

    #[test]
    fn the_list_says_what_each_code_gives_and_whether_it_still_works() {
        let now = 1_800_000_000;
        let info = PromoInfo {
            code: "FREE7".into(),
            kind: Some(PromoKind::Days(7)),
            max_uses: Some(100),
            used: 3,
            valid_until: Some(1_806_537_600),
            active: true,
        };
        assert_eq!(list_line(&info, now), "FREE7 — +7 days, 3 of 100 uses, until 2027-03-31");
        let used_up = PromoInfo { used: 100, ..info.clone() };
        assert!(list_line(&used_up, now).ends_with("(used up)"));
        let off = PromoInfo { active: false, max_uses: None, valid_until: None, ..info };
        assert_eq!(list_line(&off, now), "FREE7 — +7 days, 3 uses, no limit (off)");
    }
}
