//! Admins' actions from the bot (English, like every operator message): `/refund <payment id>`
//! and the buttons of `/user`'s card. The rules and the audit trail are the core's
//! [`wavegate_shared::shop::admin`]; this is the conversation.
//!
//! ```text
//! admin: /user 1002
//! bot:   👤 Anna @anna … Payments: #42 stars ⭐100 completed …
//!        [+7 days] [+30 days] [Disable] [Reset devices] [New link]
//! admin: taps [+30 days]      → ✅ +30 days for 1002: queued (order 3f9a…)
//! admin: /refund 42           → ✅ Payment #42 refunded: order ab12… is refunded and its days are being taken back.
//! ```

use wavegate_shared::remnawave::UserStatus;
use wavegate_shared::shop::admin::{
    self, ActionOutcome, AdminError, RefundOutcome, UserAction, EXTEND_CHOICES,
};
use wavegate_shared::shop::stats::CustomerCard;
use wavegate_shared::shop::store::BotUser;
use wavegate_shared::telegram::{CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup};

use crate::callback::Callback;
use crate::screens::{self, Screen};
use crate::{texts_for, Bot, BotError, Handled, Target};
use wavegate_shared::shop::account::cache_key;

impl From<AdminError> for BotError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Store(e) => BotError::Store(e),
            AdminError::Panel(e) => BotError::Panel(e),
        }
    }
}

/// The card's action buttons: add days, disable or enable, reset devices, a new link.
pub fn card_keyboard(card: &CustomerCard) -> InlineKeyboardMarkup {
    let id = card.telegram_id;
    let b = |label: String, action| Button::callback(label, Callback::Admin(action, id));
    let mut rows = vec![EXTEND_CHOICES
        .iter()
        .map(|d| b(format!("+{d} days"), UserAction::Extend(*d)))
        .collect::<Vec<_>>()];
    if card.panel_user_id.is_some() {
        let toggle = if card.panel_status.as_deref() == Some("DISABLED") {
            b("Enable".into(), UserAction::Enable)
        } else {
            b("Disable".into(), UserAction::Disable)
        };
        rows.push(vec![
            toggle,
            b("Reset devices".into(), UserAction::ResetDevices),
            b("New link".into(), UserAction::NewLink),
        ]);
    }
    InlineKeyboardMarkup { inline_keyboard: rows }
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: wavegate_shared::http::HttpClient,
    P: wavegate_shared::remnawave::Panel,
    Q: wavegate_shared::shop::ports::Jobs,
    C: wavegate_shared::shop::ports::Cache,
{
    /// Admins' `/refund <payment id>`.
    pub(crate) async fn refund_command(&self, admin: &BotUser, args: &str) -> Result<Screen, BotError> {
        let Some(id) = args.trim().trim_start_matches('#').parse::<i64>().ok().filter(|id| *id > 0) else {
            return Ok(screens::admin_text(
                "Usage: /refund <payment id> (the # number /user shows for each payment)".into(),
            ));
        };
        let outcome = admin::refund(
            self.config,
            self.store,
            self.jobs,
            self.http,
            self.ids,
            id,
            admin.telegram_id.get(),
            self.now(),
        )
        .await?;
        Ok(screens::admin_text(match outcome {
            RefundOutcome::Refunded { order } => {
                format!("✅ Payment #{id} refunded: order {order} is refunded and its days are being taken back.")
            }
            RefundOutcome::Requested { provider, refund_id } => format!(
                "✅ {provider} accepted the refund of payment #{id} ({refund_id}). The days are taken back when {provider} confirms it."
            ),
            RefundOutcome::NotFound => format!("No payment #{id}."),
            RefundOutcome::Refused(why) => format!("Payment #{id} was not refunded: {why}."),
            RefundOutcome::Failed(why) => format!("⚠️ The refund of payment #{id} failed, nothing changed: {why}"),
        }))
    }

    /// A button of `/user`'s card (admins only: [`Callback::admin_only`]).
    pub(crate) async fn admin_action(
        &self,
        user: &BotUser,
        action: UserAction,
        customer: i64,
        query: &CallbackQuery,
    ) -> Result<Handled, BotError> {
        let api = self.api();
        // The press's id names the request: Telegram redelivering the same update grants nothing twice.
        let request = format!("callback:{}", query.id);
        let outcome = admin::act(
            self.store,
            self.panel,
            self.jobs,
            user.telegram_id.get(),
            customer,
            action,
            &request,
            self.now(),
        )
        .await?;
        let text = match &outcome {
            ActionOutcome::Granted { order } => {
                format!("✅ +{} days for {customer}: queued (order {order}).", days(action))
            }
            ActionOutcome::Done(panel_user) => {
                self.cache.delete(&cache_key(panel_user.id.0)).await;
                if action == UserAction::NewLink {
                    self.tell_new_link(customer, &panel_user.subscription_url).await?;
                }
                let status = match panel_user.status {
                    UserStatus::Active => "ACTIVE",
                    UserStatus::Disabled => "DISABLED",
                    UserStatus::Limited => "LIMITED",
                    UserStatus::Expired => "EXPIRED",
                };
                match action {
                    UserAction::NewLink => format!(
                        "✅ New link for {customer} (the customer has it): {}",
                        panel_user.subscription_url
                    ),
                    UserAction::ResetDevices => format!("✅ Devices of {customer} reset."),
                    _ => format!("✅ {customer} is {status} on the panel."),
                }
            }
            ActionOutcome::NoPanelUser => format!("{customer} has no panel user: nothing to change."),
            ActionOutcome::NoSuchCustomer => format!("No customer {customer}."),
        };
        api.answer_callback_query(&query.id, None).await?;
        api.send_message(Target::Callback(query).chat_id(), &screens::escape_html(&text), None).await?;
        Ok(Handled::Replied("admin action"))
    }

    /// The customer's old link stopped working: they get the new one (also after the web
    /// console's "new link").
    pub async fn tell_new_link(&self, customer: i64, url: &str) -> Result<(), BotError> {
        let Ok(id) = wavegate_shared::domain::TelegramUserId::parse(customer) else { return Ok(()) };
        let Some(user) = self.store.find_user(id).await? else { return Ok(()) };
        let texts = texts_for(&user);
        let text = texts.format("admin-new-link", &[("link", screens::escape_html(url).into())]);
        // Best effort: a customer who blocked the bot still has the link in the panel's page.
        let _ = self.api().send_message(customer, &text, None).await;
        Ok(())
    }
}

fn days(action: UserAction) -> u32 {
    match action {
        UserAction::Extend(d) => d,
        _ => 0,
    }
}
