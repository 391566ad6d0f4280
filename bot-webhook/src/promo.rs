//! Promo codes: `/promo CODE`, or `/promo` and then the code as the next message (a stored
//! [`Dialog`], so the wait survives between webhook calls). Checking and applying a code (bonus
//! days, discounts) lands with the growth issue; until then a well-formed code is answered
//! "coming soon", but the conversation is already the one customers will have.
//!
//! ```text
//! user: /promo
//! bot:  Send me your promo code (letters and digits).      [Back to menu]
//! user: spring 25!
//! bot:  That does not look like a promo code …             (still waiting)
//! user: SPRING25
//! bot:  This is coming very soon. Stay tuned!              (the wait is over)
//! ```

use wavegate_shared::shop::store::BotUser;

use crate::dialog::Dialog;
use crate::screens::{self, Screen};
use crate::{texts_for, Bot, BotError, Handled, Target};

/// The longest promo code an admin can create (and so a customer can type).
const MAX_CODE_LEN: usize = 32;

/// A promo code's shape: 3–32 ASCII letters, digits, `_` or `-`, compared without case.
pub fn parse_code(text: &str) -> Option<String> {
    let code = text.trim();
    let valid = (3..=MAX_CODE_LEN).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    valid.then(|| code.to_ascii_uppercase())
}

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
        if parse_code(text).is_some() {
            self.end_dialog(user).await?;
        }
        self.redeem(user, text, target).await
    }

    async fn redeem(&self, user: &BotUser, text: &str, target: Target<'_>) -> Result<Handled, BotError> {
        let (key, outcome) = match parse_code(text) {
            None => ("promo-not-a-code", "promo: not a code"),
            // Checking and applying the code lands with the growth issue (promo codes, gifts).
            Some(_code) => ("coming-soon", "promo: codes not on sale yet"),
        };
        let texts = texts_for(user);
        self.show(target, Screen { text: texts.get(key), keyboard: Some(screens::back(texts)) }).await?;
        Ok(Handled::Replied(outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promo_codes_are_short_words_of_letters_digits_dashes_and_underscores() {
        assert_eq!(parse_code(" spring_25 "), Some("SPRING_25".into()));
        assert_eq!(parse_code("NEW-YEAR"), Some("NEW-YEAR".into()));
        for bad in ["", "ab", "spring 25", "code!", "кириллица", &"X".repeat(MAX_CODE_LEN + 1)] {
            assert_eq!(parse_code(bad), None, "{bad:?}");
        }
    }
}
