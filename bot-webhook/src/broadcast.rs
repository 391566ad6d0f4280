//! Admins' `/broadcast`: compose, preview, choose who receives it, confirm. Delivery is the
//! core's [`wavegate_shared::shop::broadcast`] through the notices queue (English, like every
//! operator message).
//!
//! ```text
//! admin: /broadcast
//! bot:   Send me the message …                                  (a stored dialog)
//! admin: New servers in Jakarta!
//!        button: Open the bot | https://t.me/WavegateBot
//! bot:   New servers in Jakarta!   [Open the bot]              (the preview, as customers see it)
//! bot:   📣 Broadcast #7 … Recipients: 1,234
//!        [✓ All 1234] [Active 800] [Expired 300] [Never paid 134]
//!        [✓ any] [en] [ru] [hi] [id]
//!        [📣 Send to 1234] [Cancel]
//! admin: [📣 Send to 1234]  → 📣 Broadcast #7: sending to 1234 … (progress edits it; a final report follows)
//! ```

use wavegate_shared::i18n::Locale;
use wavegate_shared::shop::broadcast::{Audience, Broadcast, Counts, Message};
use wavegate_shared::shop::ports::Job;
use wavegate_shared::shop::store::BotUser;
use wavegate_shared::telegram::{CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup};

use crate::callback::Callback;
use crate::dialog::Dialog;
use crate::screens::{self, escape_html, Screen};
use crate::{Bot, BotError, Handled, Target};

/// A button of the broadcast's control message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    Audience(Audience),
    /// A language, or `None` for every language.
    Locale(Option<Locale>),
    Send,
    Cancel,
}

impl Control {
    pub fn code(&self) -> String {
        match self {
            Control::Audience(a) => a.code().to_string(),
            Control::Locale(Some(l)) => format!("l-{}", l.code()),
            Control::Locale(None) => "l-any".into(),
            Control::Send => "go".into(),
            Control::Cancel => "no".into(),
        }
    }

    pub fn parse(code: &str) -> Option<Control> {
        Some(match code {
            "go" => Control::Send,
            "no" => Control::Cancel,
            "l-any" => Control::Locale(None),
            _ => match code.strip_prefix("l-") {
                Some(l) => Control::Locale(Some(Locale::from_code(l)?)),
                None => Control::Audience(Audience::parse(code)?),
            },
        })
    }
}

/// The control message: the filter, the counts, the buttons.
pub fn control_screen(b: &Broadcast, counts: &Counts) -> Screen {
    let chosen = counts.of(b.audience);
    let text = format!(
        "📣 Broadcast #{} — the preview is above.\nAudience: {} · language: {}\nRecipients: {chosen}\n\nPick who gets it, then send. Each customer gets it at most once; blocked users are skipped.",
        b.id,
        b.audience.label(),
        b.locale.as_deref().unwrap_or("any"),
    );
    let tick = |on: bool, label: String| if on { format!("✓ {label}") } else { label };
    let button =
        |label: String, control: Control| Button::callback(label, Callback::Broadcast(b.id, control));
    let audiences = Audience::ALL
        .into_iter()
        .map(|a| {
            button(tick(a == b.audience, format!("{} {}", a.label(), counts.of(a))), Control::Audience(a))
        })
        .collect();
    let mut languages = vec![button(tick(b.locale.is_none(), "any".into()), Control::Locale(None))];
    languages.extend(Locale::ALL.into_iter().map(|l| {
        button(tick(b.locale.as_deref() == Some(l.code()), l.code().into()), Control::Locale(Some(l)))
    }));
    let actions =
        vec![button(format!("📣 Send to {chosen}"), Control::Send), button("Cancel".into(), Control::Cancel)];
    Screen {
        text,
        keyboard: Some(InlineKeyboardMarkup { inline_keyboard: vec![audiences, languages, actions] }),
    }
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: wavegate_shared::http::HttpClient,
    P: wavegate_shared::remnawave::Panel,
    Q: wavegate_shared::shop::ports::Jobs,
    C: wavegate_shared::shop::ports::Cache,
{
    /// `/broadcast`: wait for the message.
    pub(crate) async fn broadcast_start(&self, admin: &BotUser) -> Result<Screen, BotError> {
        self.store.set_dialog(admin.id, Some(&Dialog::BroadcastText.stored(self.now()))).await?;
        Ok(screens::admin_text(
            "Send me the message to broadcast (plain text). To add a link button, end it with a line\nbutton: Label | https://…\nAny command cancels.".into(),
        ))
    }

    /// The admin's message while the broadcast dialog waits: the draft, its preview, the control.
    pub(crate) async fn broadcast_text(
        &self,
        admin: &BotUser,
        text: &str,
        chat: i64,
    ) -> Result<Handled, BotError> {
        let api = self.api();
        if !self.config.is_admin(admin.telegram_id) {
            self.end_dialog(admin).await?;
            return Ok(Handled::Ignored("broadcast text from a non-admin"));
        }
        let message = match Message::parse(text) {
            Ok(message) => message,
            Err(why) => {
                // Still waiting: the admin can send it again.
                api.send_message(
                    chat,
                    &escape_html(&format!("Not a broadcast: {why}. Send it again.")),
                    None,
                )
                .await?;
                return Ok(Handled::Replied("broadcast: invalid text"));
            }
        };
        self.end_dialog(admin).await?;
        let now = self.now();
        let id = self.store.create_broadcast(admin.telegram_id.get(), &message, now).await?;
        let draft = self.store.broadcast(id).await?.ok_or_else(|| {
            wavegate_shared::shop::store::StoreError::invalid("the broadcast draft vanished")
        })?;
        // The preview is exactly what customers get.
        let keyboard = message.button.as_ref().map(|(label, url)| InlineKeyboardMarkup {
            inline_keyboard: vec![vec![Button::url(label.clone(), url.clone())]],
        });
        api.send_message(chat, &escape_html(&message.text), keyboard.as_ref()).await?;
        let counts = self.store.broadcast_counts(None, now).await?;
        let screen = control_screen(&draft, &counts);
        api.send_message(chat, &screen.text, screen.keyboard.as_ref()).await?;
        Ok(Handled::Replied("broadcast: draft"))
    }

    /// A button of the control message (admins only: [`Callback::admin_only`]).
    pub(crate) async fn broadcast_control(
        &self,
        id: i64,
        control: Control,
        query: &CallbackQuery,
    ) -> Result<Handled, BotError> {
        let api = self.api();
        let now = self.now();
        let Some(draft) = self.store.broadcast(id).await? else {
            api.answer_callback_query(&query.id, None).await?;
            return Ok(Handled::Ignored("no such broadcast"));
        };
        let target = Target::Callback(query);
        let (audience, locale) = match &control {
            Control::Audience(a) => (*a, draft.locale.clone()),
            Control::Locale(l) => (draft.audience, l.map(|l| l.code().to_string())),
            Control::Send => {
                let control_message = (target.chat_id(), query.message.as_ref().map_or(0, |m| m.message_id));
                let text = match self.store.start_broadcast(id, control_message, now).await? {
                    Some(total) => {
                        self.jobs.enqueue(&Job::Broadcast { id, job: 1 }).await?;
                        format!("📣 Broadcast #{id}: sending to {total} recipients. Progress shows here; a report follows when it is done.")
                    }
                    None => format!("Broadcast #{id} is {} already.", draft.status),
                };
                self.show(target, screens::admin_text(text)).await?;
                return Ok(Handled::Replied("broadcast: sending"));
            }
            Control::Cancel => {
                let text = if self.store.cancel_broadcast(id, now).await? {
                    format!("Broadcast #{id} cancelled: nobody got it.")
                } else {
                    format!("Broadcast #{id} is {} already.", draft.status)
                };
                self.show(target, screens::admin_text(text)).await?;
                return Ok(Handled::Replied("broadcast: cancelled"));
            }
        };
        if !self.store.set_broadcast_filter(id, audience, locale.as_deref()).await? {
            let text = format!("Broadcast #{id} is {} already.", draft.status);
            self.show(target, screens::admin_text(text)).await?;
            return Ok(Handled::Replied("broadcast: not a draft"));
        }
        let draft = Broadcast { audience, locale: locale.clone(), ..draft };
        let counts = self.store.broadcast_counts(locale.as_deref(), now).await?;
        self.show(target, control_screen(&draft, &counts)).await?;
        Ok(Handled::Replied("broadcast: filter"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_codes_round_trip() {
        let mut all: Vec<Control> = Audience::ALL.into_iter().map(Control::Audience).collect();
        all.extend(Locale::ALL.into_iter().map(|l| Control::Locale(Some(l))));
        all.extend([Control::Locale(None), Control::Send, Control::Cancel]);
        for c in all {
            assert_eq!(Control::parse(&c.code()), Some(c.clone()), "{c:?}");
        }
        assert_eq!(Control::parse("l-xx"), None);
        assert_eq!(Control::parse("everyone"), None);
    }
}
