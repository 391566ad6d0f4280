//! Typed `callback_data`: every button the bot draws is a [`Callback`], encoded to short ASCII
//! and decoded back when pressed. Telegram allows 1–64 bytes; plan slugs are bounded
//! ([`PlanSlug::MAX_LEN`]) so that the longest callback still fits (see the tests).
//!
//! | callback | data |
//! |---|---|
//! | a main-menu entry | `menu:<buy\|status\|invite\|points\|lang\|help\|home\|trial\|promo>` |
//! | a language | `lang:<en\|ru\|hi\|id>` |
//! | a plan | `plan:<slug>` |
//! | pay for a plan | `pay:<slug>:<method>` |
//! | a subscription action | `sub:<qr\|link\|devices\|revoke\|revoke-yes\|cancel\|resume>` |
//! | the referral leaderboard | `top:<week\|month\|all>` |
//! | an admin's action on a customer | `adm:<x7\|x30\|off\|on\|dev\|link>:<telegram id>` |
//! | buy a plan as a gift, pay for it | `gift:<slug>`, `gift:<slug>:<method>` |
//! | a broadcast's control | `bc:<id>:<all\|active\|expired\|never_paid\|l-<locale>\|l-any\|go\|no>` |

use crate::broadcast::Control;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::i18n::Locale;
use wavegate_shared::shop::admin::{UserAction, EXTEND_CHOICES};
use wavegate_shared::shop::catalog::{PayMethod, PlanSlug};
use wavegate_shared::shop::referral::Period;

/// Telegram's bound on `callback_data`.
pub const MAX_BYTES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    Buy,
    Status,
    Invite,
    /// My referral standing (`/mypoints`).
    Points,
    Language,
    Help,
    Home,
    Trial,
    /// Enter a promo code (the plan screen's button).
    Promo,
}

impl Menu {
    const ALL: [Menu; 9] = [
        Menu::Buy,
        Menu::Status,
        Menu::Invite,
        Menu::Points,
        Menu::Language,
        Menu::Help,
        Menu::Home,
        Menu::Trial,
        Menu::Promo,
    ];

    fn code(self) -> &'static str {
        match self {
            Menu::Buy => "buy",
            Menu::Status => "status",
            Menu::Invite => "invite",
            Menu::Points => "points",
            Menu::Language => "lang",
            Menu::Help => "help",
            Menu::Home => "home",
            Menu::Trial => "trial",
            Menu::Promo => "promo",
        }
    }
}

/// What can be done with the customer's subscription from the status screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubAction {
    Qr,
    Link,
    ResetDevices,
    Revoke,
    RevokeConfirmed,
    CancelRenewal,
    ResumeRenewal,
}

impl SubAction {
    const ALL: [SubAction; 7] = [
        SubAction::Qr,
        SubAction::Link,
        SubAction::ResetDevices,
        SubAction::Revoke,
        SubAction::RevokeConfirmed,
        SubAction::CancelRenewal,
        SubAction::ResumeRenewal,
    ];

    fn code(self) -> &'static str {
        match self {
            SubAction::Qr => "qr",
            SubAction::Link => "link",
            SubAction::ResetDevices => "devices",
            SubAction::Revoke => "revoke",
            SubAction::RevokeConfirmed => "revoke-yes",
            SubAction::CancelRenewal => "cancel",
            SubAction::ResumeRenewal => "resume",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Menu(Menu),
    Language(Locale),
    Plan(PlanSlug),
    Pay(PlanSlug, PayMethod),
    Subscription(SubAction),
    /// The referral leaderboard for a period.
    Top(Period),
    /// An admin's action on a customer (by Telegram id), from `/user`'s card.
    Admin(UserAction, i64),
    /// A button of broadcast `id`'s control message.
    Broadcast(i64, Control),
    /// Buy a plan as a gift: its payment methods.
    Gift(PlanSlug),
    /// Pay for a plan as a gift.
    GiftPay(PlanSlug, PayMethod),
}

/// The short codes of admin actions in callback data.
fn action_code(action: UserAction) -> String {
    match action {
        UserAction::Extend(days) => format!("x{days}"),
        UserAction::Disable => "off".into(),
        UserAction::Enable => "on".into(),
        UserAction::ResetDevices => "dev".into(),
        UserAction::NewLink => "link".into(),
    }
}

fn parse_action(code: &str) -> Option<UserAction> {
    Some(match code {
        "off" => UserAction::Disable,
        "on" => UserAction::Enable,
        "dev" => UserAction::ResetDevices,
        "link" => UserAction::NewLink,
        // Only the days the card offers: data is not trusted to name any number.
        _ => UserAction::Extend(
            EXTEND_CHOICES.into_iter().find(|d| code.strip_prefix('x') == Some(&d.to_string()))?,
        ),
    })
}

impl Callback {
    /// Only admins may press it (the buttons of `/user` and `/broadcast`); anyone else's press
    /// is answered and changes nothing.
    pub fn admin_only(&self) -> bool {
        matches!(self, Callback::Admin(..) | Callback::Broadcast(..))
    }

    pub fn encode(&self) -> String {
        match self {
            Callback::Menu(m) => format!("menu:{}", m.code()),
            Callback::Language(l) => format!("lang:{}", l.code()),
            Callback::Plan(slug) => format!("plan:{slug}"),
            Callback::Pay(slug, method) => format!("pay:{slug}:{}", method.code()),
            Callback::Subscription(a) => format!("sub:{}", a.code()),
            Callback::Top(p) => format!("top:{}", p.code()),
            Callback::Admin(action, id) => format!("adm:{}:{id}", action_code(*action)),
            Callback::Broadcast(id, control) => format!("bc:{id}:{}", control.code()),
            Callback::Gift(slug) => format!("gift:{slug}"),
            Callback::GiftPay(slug, method) => format!("gift:{slug}:{}", method.code()),
        }
    }

    /// `None` for data this bot version does not draw (buttons of an older version).
    pub fn decode(data: &str) -> Option<Callback> {
        let (kind, rest) = data.split_once(':')?;
        Some(match kind {
            "menu" => Callback::Menu(Menu::ALL.into_iter().find(|m| m.code() == rest)?),
            "lang" => Callback::Language(Locale::from_code(rest)?),
            "plan" => Callback::Plan(PlanSlug::parse(rest)?),
            "pay" => {
                let (slug, method) = rest.rsplit_once(':')?;
                Callback::Pay(PlanSlug::parse(slug)?, PayMethod::parse(method)?)
            }
            "sub" => Callback::Subscription(SubAction::ALL.into_iter().find(|a| a.code() == rest)?),
            "top" => Callback::Top(Period::parse(rest)?),
            "gift" => match rest.rsplit_once(':') {
                Some((slug, method)) => Callback::GiftPay(PlanSlug::parse(slug)?, PayMethod::parse(method)?),
                None => Callback::Gift(PlanSlug::parse(rest)?),
            },
            "bc" => {
                let (id, control) = rest.split_once(':')?;
                Callback::Broadcast(id.parse().ok().filter(|id: &i64| *id > 0)?, Control::parse(control)?)
            }
            "adm" => {
                let (action, id) = rest.split_once(':')?;
                let id = TelegramUserId::parse(id.parse().ok()?).ok()?;
                Callback::Admin(parse_action(action)?, id.get())
            }
            _ => return None,
        })
    }
}

impl From<Callback> for String {
    fn from(callback: Callback) -> String {
        callback.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_callback() -> Vec<Callback> {
        let longest = PlanSlug::parse(&"s".repeat(PlanSlug::MAX_LEN)).expect("a slug at the bound");
        let mut all: Vec<Callback> = Menu::ALL.into_iter().map(Callback::Menu).collect();
        all.extend(Locale::ALL.into_iter().map(Callback::Language));
        all.push(Callback::Plan(longest.clone()));
        all.extend(PayMethod::ALL.into_iter().map(|m| Callback::Pay(longest.clone(), m)));
        all.push(Callback::Gift(longest.clone()));
        all.extend(PayMethod::ALL.into_iter().map(|m| Callback::GiftPay(longest.clone(), m)));
        all.extend(SubAction::ALL.into_iter().map(Callback::Subscription));
        all.extend(Period::ALL.into_iter().map(Callback::Top));
        let actions =
            [UserAction::Disable, UserAction::Enable, UserAction::ResetDevices, UserAction::NewLink];
        let longest_id = 9_999_999_999_999;
        all.extend(actions.into_iter().map(|a| Callback::Admin(a, longest_id)));
        all.extend(EXTEND_CHOICES.into_iter().map(|d| Callback::Admin(UserAction::Extend(d), longest_id)));
        let controls =
            [Control::Audience(wavegate_shared::shop::broadcast::Audience::NeverPaid), Control::Send];
        all.extend(controls.into_iter().map(|c| Callback::Broadcast(i64::MAX, c)));
        all
    }

    #[test]
    fn every_callback_round_trips_and_fits_in_64_bytes() {
        for callback in every_callback() {
            let data = callback.encode();
            assert!(!data.is_empty() && data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            assert_eq!(Callback::decode(&data), Some(callback), "{data}");
        }
    }

    #[test]
    fn foreign_or_tampered_data_decodes_to_nothing() {
        for data in [
            "",
            "menu",
            "menu:nope",
            "lang:xx",
            "plan:Bad Slug",
            "pay:monthly",
            "pay:monthly:paypal",
            "sub:x",
            "adm:x8:1002",
            "adm:x7:abc",
            "adm:off:-5",
            "adm:nuke:1002",
            "bc:0:go",
            "bc:7:everyone",
            "x:y",
        ] {
            assert_eq!(Callback::decode(data), None, "{data}");
        }
    }
}
