//! Screens: the text and keyboard of each bot view, as pure functions of locale and data.
//! Buttons carry a typed [`Callback`].

use wavegate_shared::http::encode_component;
use wavegate_shared::i18n::{Arg, Locale, Texts};
use wavegate_shared::shop::referral::{next_milestone, Leaderboard, Period, ReferralStats};
use wavegate_shared::shop::stats::{percent, CustomerCard, ShopStats};
use wavegate_shared::telegram::{InlineKeyboardButton as Button, InlineKeyboardMarkup};

use crate::callback::{Callback, Menu};

/// A message to show: text (Telegram HTML) and an optional keyboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub text: String,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

pub fn main_menu(texts: Texts) -> InlineKeyboardMarkup {
    menu(texts, false)
}

/// The main menu; new customers also see the free trial next to "Buy".
pub fn menu(texts: Texts, trial: bool) -> InlineKeyboardMarkup {
    let b = |key: &str, data: Callback| Button::callback(texts.get(key), data);
    let mut first = vec![b("menu-buy", Callback::Menu(Menu::Buy))];
    if trial {
        first.push(b("menu-trial", Callback::Menu(Menu::Trial)));
    }
    InlineKeyboardMarkup {
        inline_keyboard: vec![
            first,
            vec![
                b("menu-status", Callback::Menu(Menu::Status)),
                b("menu-invite", Callback::Menu(Menu::Invite)),
            ],
            vec![
                b("menu-language", Callback::Menu(Menu::Language)),
                b("menu-help", Callback::Menu(Menu::Help)),
            ],
        ],
    }
}

pub fn back(texts: Texts) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup {
        inline_keyboard: vec![vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))]],
    }
}

pub fn welcome(texts: Texts, first_name: &str, trial_days: u32, returning: bool, trial: bool) -> Screen {
    let name = Arg::Str(escape_html(first_name));
    let text = if returning {
        texts.format("welcome-back", &[("name", name)])
    } else {
        texts.format("welcome", &[("name", name), ("trialDays", Arg::Num(i64::from(trial_days)))])
    };
    Screen { text, keyboard: Some(menu(texts, trial)) }
}

pub fn help(texts: Texts, support_contact: Option<&str>) -> Screen {
    let mut text = texts.get("help");
    if let Some(contact) = support_contact {
        text.push_str("\n\n");
        text.push_str(&texts.format("help-support", &[("contact", escape_html(contact).into())]));
    }
    Screen { text, keyboard: Some(back(texts)) }
}

pub fn invite(texts: Texts, link: &str, invited: i64, bonus_days: i64) -> Screen {
    let args =
        [("link", Arg::from(link)), ("invited", Arg::Num(invited)), ("bonusDays", Arg::Num(bonus_days))];
    // Telegram's share dialog: the friend gets the link with a line of text, in the sharer's language.
    let share = format!(
        "https://t.me/share/url?url={}&text={}",
        encode_component(link),
        encode_component(&texts.get("invite-share-text"))
    );
    let keyboard = InlineKeyboardMarkup {
        inline_keyboard: vec![
            vec![Button::url(texts.get("invite-share"), share)],
            vec![Button::callback(texts.get("menu-points"), Callback::Menu(Menu::Points))],
            vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))],
        ],
    };
    Screen { text: texts.format("invite", &args), keyboard: Some(keyboard) }
}

/// `/mypoints`: the referral standing and the way to the next milestone.
pub fn points(texts: Texts, stats: &ReferralStats, bonus_days: i64) -> Screen {
    let mut text = texts.format(
        "points",
        &[
            ("invited", Arg::Num(stats.invited)),
            ("paying", Arg::Num(stats.paying)),
            ("days", Arg::Num(stats.days_earned)),
        ],
    );
    text.push_str("\n\n");
    text.push_str(&match next_milestone(stats.paying) {
        Some((at, days, to_go)) => texts.format(
            "points-next",
            &[("days", Arg::Num(days)), ("at", Arg::Num(at)), ("toGo", Arg::Num(to_go))],
        ),
        None => texts.get("points-all-reached"),
    });
    text.push('\n');
    text.push_str(&texts.format("points-rules", &[("bonusDays", Arg::Num(bonus_days))]));
    Screen { text, keyboard: Some(leaderboard_keyboard(texts)) }
}

fn leaderboard_keyboard(texts: Texts) -> InlineKeyboardMarkup {
    let periods = Period::ALL
        .iter()
        .map(|p| Button::callback(texts.get(&format!("top-{}", p.code())), Callback::Top(*p)))
        .collect();
    InlineKeyboardMarkup {
        inline_keyboard: vec![
            periods,
            vec![Button::callback(texts.get("menu-back"), Callback::Menu(Menu::Home))],
        ],
    }
}

/// A leaderboard: places as `1. @maria — 5`, names as the users show them (escaped, never an
/// id), and the asking user's own place.
pub fn leaderboard(texts: Texts, period: Period, board: &Leaderboard) -> Screen {
    let title = texts.get(&format!("top-{}", period.code()));
    let mut text = texts.format("top-title", &[("period", Arg::Str(title))]);
    text.push('\n');
    if board.top.is_empty() {
        text.push('\n');
        text.push_str(&texts.get("top-empty"));
    }
    for place in &board.top {
        let name = match &place.username {
            Some(username) => format!("@{username}"),
            None => place.first_name.clone(),
        };
        text.push_str(&format!("\n{}. {} — {}", place.rank, escape_html(&name), place.paying));
    }
    text.push_str("\n\n");
    text.push_str(&match &board.mine {
        Some(mine) => {
            texts.format("top-you", &[("rank", Arg::Num(mine.rank)), ("paying", Arg::Num(mine.paying))])
        }
        None => texts.get("top-you-none"),
    });
    Screen { text, keyboard: Some(leaderboard_keyboard(texts)) }
}

pub fn language_picker(texts: Texts) -> Screen {
    let rows =
        Locale::ALL.iter().map(|l| vec![Button::callback(l.native_name(), Callback::Language(*l))]).collect();
    Screen {
        text: texts.get("language-choose"),
        keyboard: Some(InlineKeyboardMarkup { inline_keyboard: rows }),
    }
}

pub fn language_changed(texts: Texts) -> Screen {
    Screen { text: texts.get("language-changed"), keyboard: Some(main_menu(texts)) }
}

pub fn unknown_command(texts: Texts) -> Screen {
    Screen { text: texts.get("unknown-command"), keyboard: Some(main_menu(texts)) }
}

/// Escapes user-controlled text for Telegram's HTML parse mode.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Admins' `/stats`, in English like every operator message.
pub fn stats(s: &ShopStats) -> Screen {
    let list = |items: Vec<String>| if items.is_empty() { "—".to_string() } else { items.join(" · ") };
    let plans = list(s.active_by_plan.iter().map(|(plan, n)| format!("{} {n}", escape_html(plan))).collect());
    let money = |m: &[wavegate_shared::money::Money]| list(m.iter().map(|m| m.to_string()).collect());
    let text = format!(
        "<b>📊 The shop at a glance</b>\n\
         Users: {} (today {}, 7 days {})\n\
         Active subscriptions: {plans}\n\
         Trials started: {}\n\
         Revenue today: {}\n\
         Revenue, 30 days: {}\n\
         Trial → paid: {}% ({} of {})\n\
         Paying users who came by referral: {}% ({} of {})",
        s.users,
        s.new_today,
        s.new_week,
        s.trials,
        money(&s.revenue_today),
        money(&s.revenue_30d),
        percent(s.trial_then_paid, s.trial_users),
        s.trial_then_paid,
        s.trial_users,
        percent(s.paying_referred, s.paying_users),
        s.paying_referred,
        s.paying_users,
    );
    Screen { text, keyboard: None }
}

/// A plain operator message (English, escaped).
pub fn admin_text(text: String) -> Screen {
    Screen { text: escape_html(&text), keyboard: None }
}

/// Admins' `/user`: who, the subscription (and where that came from), payments, referrals.
pub fn customer_card(c: &CustomerCard, source: &str) -> Screen {
    let date = |at: i64| wavegate_shared::subscription::utc_date(at, true);
    let gb = |bytes: Option<i64>| {
        bytes.map_or("?".to_string(), |b| format!("{:.1} GB", b as f64 / 1_073_741_824.0))
    };
    let name = match &c.username {
        Some(u) => format!("{} @{}", escape_html(&c.first_name), escape_html(u)),
        None => escape_html(&c.first_name),
    };
    let subscription = match (c.expires_at, &c.panel_status) {
        (Some(at), status) => format!(
            "{} until {} · traffic {} of {} ({source})",
            escape_html(status.as_deref().unwrap_or("?")),
            date(at).unwrap_or_default(),
            gb(c.traffic_used_bytes),
            match c.traffic_limit_bytes {
                Some(0) => "unlimited".to_string(),
                other => gb(other),
            }
        ),
        (None, _) => format!("none ({source})"),
    };
    let payments = if c.payments.is_empty() {
        "none".to_string()
    } else {
        c.payments
            .iter()
            .map(|(id, provider, amount, status, at)| {
                let amount = amount.map(|m| m.to_string()).unwrap_or_else(|| "?".into());
                format!(
                    "\n  #{id} {} {amount} {} {}",
                    escape_html(provider),
                    escape_html(status),
                    date(*at).unwrap_or_default()
                )
            })
            .collect()
    };
    let text = format!(
        "<b>👤 {name}</b>\nTelegram id {} · since {}{}\nSubscription: {subscription}\nPayments (latest first): {payments}\nReferrals: invited {}, paying {}{}",
        c.telegram_id,
        date(c.created_at).unwrap_or_default(),
        if c.blocked { " · blocked the bot" } else { "" },
        c.invited,
        c.paying,
        c.referred_by.as_deref().map(|r| format!(" · invited by {}", escape_html(r))).unwrap_or_default(),
    );
    Screen { text, keyboard: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callbacks(screen: &Screen) -> Vec<String> {
        screen
            .keyboard
            .iter()
            .flat_map(|k| k.inline_keyboard.iter().flatten())
            .filter_map(|b| b.callback_data.clone())
            .collect()
    }

    #[test]
    fn the_welcome_offers_the_five_main_menu_entries_in_every_locale() {
        for locale in Locale::ALL {
            let screen = welcome(Texts::new(locale), "Ivan", 3, false, false);
            assert_eq!(
                callbacks(&screen),
                vec!["menu:buy", "menu:status", "menu:invite", "menu:lang", "menu:help"]
            );
            assert!(screen.text.contains("Ivan") && screen.text.contains('3'), "{locale:?}");
        }
    }

    #[test]
    fn user_names_cannot_inject_markup() {
        let screen = welcome(Texts::new(Locale::En), "<b>x</b> & co", 3, true, false);
        assert!(screen.text.contains("&lt;b&gt;x&lt;/b&gt; &amp; co"));
    }

    #[test]
    fn every_callback_fits_telegrams_64_byte_limit() {
        let texts = Texts::new(Locale::Hi);
        for screen in [welcome(texts, "a", 3, false, true), language_picker(texts), help(texts, Some("@s"))] {
            assert!(callbacks(&screen).iter().all(|d| !d.is_empty() && d.len() <= 64));
        }
    }

    #[test]
    fn the_language_picker_offers_all_four_languages() {
        assert_eq!(
            callbacks(&language_picker(Texts::new(Locale::En))),
            vec!["lang:en", "lang:ru", "lang:hi", "lang:id"]
        );
    }
}
