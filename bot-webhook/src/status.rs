//! "My subscription" and what the customer can do with it, plus the free trial.
//!
//! ```text
//! user: /status
//! bot:  My subscription — Plan: Monthly · Status: ✅ active · Active until: 31.12.2026 23:59
//!       Traffic: 1.2 GB of 100 GB · Devices: up to 3
//!       [Renew] [QR code] [Link] [Reset devices] [New link] [Cancel auto-renewal]
//! user: taps [New link] → confirm → the panel revokes the old link, the bot shows the new one
//! user: /trial  → once per account: a trial order is queued for provisioning
//! ```
//!
//! Live numbers come from the panel (authoritative), cached in KV for a minute so repeated
//! taps do not each cost a panel call.

use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Arg, Texts};
use wavegate_shared::qr;
use wavegate_shared::remnawave::Panel;
use wavegate_shared::subscription::format_expiry;
use wavegate_shared::telegram::{CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup};

use wavegate_shared::shop::account::{self, PanelSnapshot, SubscriptionSummary};
use wavegate_shared::shop::ports::{Cache, Job, Jobs};
use wavegate_shared::shop::store::BotUser;

use crate::callback::{Callback, Menu, SubAction};
use crate::screens::{escape_html, Screen};
use crate::{texts_for, Bot, BotError, Handled, Target};

/// Bytes as gigabytes with one decimal ("1.2 GB", localized unit); display only.
fn gb(texts: Texts, bytes: i64) -> String {
    let amount = format!("{:.1}", bytes as f64 / (1u64 << 30) as f64);
    texts.format("traffic-gb", &[("gb", Arg::Str(amount))])
}

pub fn status_screen(texts: Texts, summary: &SubscriptionSummary, snap: &PanelSnapshot, now: i64) -> Screen {
    let status_key = match snap.status.as_str() {
        "active" if snap.expires_at > now => "status-active",
        "active" | "expired" => "status-expired",
        "limited" => "status-limited",
        _ => "status-disabled",
    };
    let expires = chrono::DateTime::from_timestamp(snap.expires_at, 0)
        .map(|at| format_expiry(at, texts.locale.time_zone()))
        .unwrap_or_default();
    let limit =
        if snap.limit_bytes == 0 { texts.get("traffic-unlimited") } else { gb(texts, snap.limit_bytes) };
    let devices = snap.device_limit.map_or_else(|| "∞".to_string(), |d| d.to_string());
    let args = [
        ("plan", Arg::Str(plan_label(texts, summary.plan_name.as_deref()))),
        ("status", Arg::Str(texts.get(status_key))),
        ("expires", Arg::Str(expires)),
        ("used", Arg::Str(gb(texts, snap.used_bytes))),
        ("limit", Arg::Str(limit)),
        ("devices", Arg::Str(devices)),
    ];
    let mut text = format!("{}\n\n{}", texts.get("status-title"), texts.format("status-body", &args));
    if let Some(renewal) = &summary.stars_subscription {
        let key = match (renewal.failed, renewal.canceled) {
            (true, _) => "status-renewal-failed",
            (false, true) => "status-renewal-canceled",
            (false, false) => "status-renewal-on",
        };
        text.push('\n');
        text.push_str(&texts.get(key));
    }
    let b = |key: &str, data: Callback| Button::callback(texts.get(key), data);
    let mut rows = vec![
        vec![b("status-renew", Callback::Menu(Menu::Buy))],
        vec![
            b("status-qr", Callback::Subscription(SubAction::Qr)),
            b("status-link", Callback::Subscription(SubAction::Link)),
        ],
        vec![
            b("status-devices", Callback::Subscription(SubAction::ResetDevices)),
            b("status-new-link", Callback::Subscription(SubAction::Revoke)),
        ],
    ];
    // A failed renewal cannot be switched back on: the customer renews by paying again.
    match &summary.stars_subscription {
        Some(renewal) if renewal.failed => {}
        Some(renewal) if renewal.canceled => {
            rows.push(vec![b("status-resume-subscription", Callback::Subscription(SubAction::ResumeRenewal))])
        }
        Some(_) => {
            rows.push(vec![b("status-cancel-subscription", Callback::Subscription(SubAction::CancelRenewal))])
        }
        None => {}
    }
    rows.push(vec![b("menu-back", Callback::Menu(Menu::Home))]);
    Screen { text, keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }) }
}

pub fn no_subscription_screen(texts: Texts, trial: bool) -> Screen {
    let mut first = vec![Button::callback(texts.get("menu-buy"), Callback::Menu(Menu::Buy))];
    if trial {
        first.push(Button::callback(texts.get("menu-trial"), Callback::Menu(Menu::Trial)));
    }
    let rows = vec![first, vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))]];
    Screen { text: texts.get("status-none"), keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }) }
}

/// The localized name of the plan slug (`plan-<slug>`; `trial` for the free trial).
fn plan_label(texts: Texts, slug: Option<&str>) -> String {
    match slug {
        // An unknown slug is the admin's text: escaped, it cannot break the HTML.
        Some(slug) => texts.find(&format!("plan-{slug}")).unwrap_or_else(|| escape_html(slug)),
        None => texts.get("status-unknown-plan"),
    }
}

fn link_text(texts: Texts, key: &str, url: &str) -> String {
    texts.format(key, &[("link", Arg::Str(crate::screens::escape_html(url)))])
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    /// The panel's view of the user, from the cache or the panel. A cached view whose expiry
    /// differs from the stored one is stale (a purchase or refund landed since): read again.
    async fn snapshot(
        &self,
        panel_user_id: i64,
        stored_expiry: Option<i64>,
    ) -> Result<Option<PanelSnapshot>, BotError> {
        Ok(account::snapshot(self.panel, self.cache, panel_user_id, stored_expiry).await?)
    }

    pub(crate) async fn show_status(&self, user: &BotUser, target: Target<'_>) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let summary = self.store.subscription_summary(user.id).await?;
        let trial = summary.trial_available();
        let snapshot = match summary.panel_user_id {
            Some(id) => match self.snapshot(id, summary.expires_at).await {
                Ok(snap) => snap,
                Err(BotError::Panel(_)) => {
                    let screen = Screen {
                        text: texts.get("status-panel-unavailable"),
                        keyboard: Some(crate::screens::back(texts)),
                    };
                    self.show(target, screen).await?;
                    return Ok(Handled::Replied("status: panel unavailable"));
                }
                Err(other) => return Err(other),
            },
            None => None,
        };
        let screen = match snapshot {
            Some(snap) => status_screen(texts, &summary, &snap, self.now()),
            None => no_subscription_screen(texts, trial),
        };
        self.show(target, screen).await?;
        Ok(Handled::Replied("status"))
    }

    /// [`Callback::Subscription`] buttons under the status screen.
    pub(crate) async fn subscription_action(
        &self,
        user: &BotUser,
        action: SubAction,
        query: &CallbackQuery,
    ) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let api = self.api();
        let chat_id = Target::Callback(query).chat_id();
        let summary = self.store.subscription_summary(user.id).await?;
        let Some(panel_id) = summary.panel_user_id else {
            return self.show_status(user, Target::Callback(query)).await;
        };
        let outcome = match action {
            SubAction::Qr | SubAction::Link => match self.snapshot(panel_id, summary.expires_at).await {
                Ok(Some(snap)) => {
                    api.answer_callback_query(&query.id, None).await?;
                    if action == SubAction::Qr {
                        self.send_qr(chat_id, texts, &snap.subscription_url).await?;
                    } else {
                        api.send_message(
                            chat_id,
                            &link_text(texts, "link-message", &snap.subscription_url),
                            None,
                        )
                        .await?;
                    }
                    Ok(())
                }
                Ok(None) => return self.show_status(user, Target::Callback(query)).await,
                Err(e) => Err(e),
            },
            SubAction::ResetDevices => match account::reset_devices(self.panel, self.cache, panel_id).await {
                Ok(()) => {
                    api.answer_callback_query(&query.id, None).await?;
                    api.send_message(chat_id, &texts.get("devices-reset"), None).await?;
                    Ok(())
                }
                Err(e) => Err(e.into()),
            },
            SubAction::Revoke => {
                let rows = vec![
                    vec![Button::callback(
                        texts.get("revoke-yes"),
                        Callback::Subscription(SubAction::RevokeConfirmed),
                    )],
                    vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Status))],
                ];
                let screen = Screen {
                    text: texts.get("revoke-confirm"),
                    keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }),
                };
                self.show(Target::Callback(query), screen).await?;
                Ok(())
            }
            SubAction::RevokeConfirmed => {
                match account::revoke_link(self.store, self.panel, self.cache, user.id, panel_id, self.now())
                    .await
                {
                    Ok(panel_user) => {
                        let screen = Screen {
                            text: link_text(texts, "revoke-done", &panel_user.subscription_url),
                            keyboard: Some(crate::screens::back(texts)),
                        };
                        self.show(Target::Callback(query), screen).await?;
                        Ok(())
                    }
                    Err(e) => Err(e.into()),
                }
            }
            SubAction::CancelRenewal | SubAction::ResumeRenewal => {
                let Some(charge_id) = summary.stars_subscription.as_ref().map(|r| &r.charge_id) else {
                    return self.show_status(user, Target::Callback(query)).await;
                };
                let cancel = action == SubAction::CancelRenewal;
                api.edit_user_star_subscription(query.from.id, charge_id, cancel).await?;
                self.store.set_stars_subscription_canceled(charge_id, cancel, self.now()).await?;
                let key = if cancel { "subscription-canceled" } else { "subscription-resumed" };
                api.answer_callback_query(&query.id, Some(&texts.get(key))).await?;
                api.send_message(chat_id, &texts.get(key), None).await?;
                Ok(())
            }
        };
        match outcome {
            Ok(()) => Ok(Handled::Replied("subscription action")),
            // The panel is down: tell the user instead of failing the update.
            Err(BotError::Panel(_)) => {
                api.answer_callback_query(&query.id, Some(&texts.get("status-panel-unavailable"))).await?;
                Ok(Handled::Replied("subscription action: panel unavailable"))
            }
            Err(other) => Err(other),
        }
    }

    pub(crate) async fn send_qr(&self, chat_id: i64, texts: Texts, url: &str) -> Result<(), BotError> {
        match qr::png(url) {
            Ok(png) => {
                self.api().send_photo_png(chat_id, png, &texts.get("qr-caption"), None).await?;
            }
            // A link too long for a QR code: the link itself still works.
            Err(_) => {
                self.api().send_message(chat_id, &link_text(texts, "link-message", url), None).await?;
            }
        }
        Ok(())
    }

    /// `/trial`: once per account, for users who never had a subscription.
    pub(crate) async fn start_trial(&self, user: &BotUser, target: Target<'_>) -> Result<Handled, BotError> {
        let texts = texts_for(user);
        let summary = self.store.subscription_summary(user.id).await?;
        let back = Some(crate::screens::back(texts));
        if summary.trial_used {
            self.show(target, Screen { text: texts.get("trial-used"), keyboard: back }).await?;
            return Ok(Handled::Replied("trial already used"));
        }
        if !summary.trial_available() {
            self.show(target, Screen { text: texts.get("trial-not-available"), keyboard: back }).await?;
            return Ok(Handled::Replied("trial not for customers"));
        }
        let order_id = self.ids.order_id();
        let days = self.config.trial.days;
        if !self.store.claim_trial(user.id, target.chat_id(), &order_id, days, self.now()).await? {
            self.show(target, Screen { text: texts.get("trial-used"), keyboard: back }).await?;
            return Ok(Handled::Replied("trial already used"));
        }
        self.jobs.enqueue(&Job::Provision { order: order_id }).await?;
        let text = texts.format("trial-started", &[("days", Arg::Num(i64::from(days)))]);
        self.show(target, Screen { text, keyboard: None }).await?;
        Ok(Handled::Replied("trial started"))
    }
}
