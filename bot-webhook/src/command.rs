//! Bot commands: text in, a typed command out.

/// What a user can type. The `/help` text and the command list Telegram shows come from the
/// locale catalogs (`help`) and `scripts/set-webhook.mjs`, not from these docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Start the bot; `/start ref_<code>` carries an invite.
    Start(String),
    /// Plans and payment methods.
    Buy,
    /// My subscription: expiry, traffic, devices, link, QR.
    Status,
    /// A free trial, once per account.
    Trial,
    /// Redeem a promo code: `/promo CODE`, or `/promo` and the code next.
    Promo(String),
    /// My referral link.
    Invite,
    /// Referral stats.
    MyPoints,
    /// Switch the bot's language.
    Language,
    /// FAQ and support.
    Help,
    /// Admins: the shop at a glance (others get the unknown-command answer).
    Stats,
    /// Admins: one customer, by Telegram id or @username.
    User(String),
    /// Admins: create a promo code.
    PromoNew(String),
    /// Admins: the newest promo codes.
    PromoList,
    /// Admins: switch a promo code off.
    PromoOff(String),
    /// Admins: refund a payment (by the number `/user` shows).
    Refund(String),
    /// Admins: compose and send a broadcast.
    Broadcast,
    /// Anything else that starts with `/`.
    Unknown,
}

impl Command {
    /// Only admins may run it; to anyone else it is a command like any unknown one.
    pub fn admin_only(&self) -> bool {
        matches!(
            self,
            Command::Stats
                | Command::User(_)
                | Command::PromoNew(_)
                | Command::PromoList
                | Command::PromoOff(_)
                | Command::Refund(_)
                | Command::Broadcast
        )
    }

    /// Parses a message text. Returns `None` for text that is not a command.
    /// Accepts the `/cmd@BotName` form Telegram uses in groups.
    pub fn parse(text: &str, bot_username: &str) -> Option<Command> {
        let text = text.trim();
        let rest = text.strip_prefix('/')?;
        let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let name = match head.split_once('@') {
            Some((name, bot)) if bot.eq_ignore_ascii_case(bot_username) => name,
            Some(_) => return None, // addressed to another bot
            None => head,
        };
        Some(match name.to_ascii_lowercase().as_str() {
            "start" => Command::Start(args.trim().to_string()),
            "buy" => Command::Buy,
            "status" => Command::Status,
            "trial" => Command::Trial,
            "promo" => Command::Promo(args.trim().to_string()),
            "invite" => Command::Invite,
            "mypoints" => Command::MyPoints,
            "language" => Command::Language,
            "help" => Command::Help,
            "stats" => Command::Stats,
            "user" => Command::User(args.trim().to_string()),
            "promo_new" => Command::PromoNew(args.trim().to_string()),
            "promo_list" => Command::PromoList,
            "promo_off" => Command::PromoOff(args.trim().to_string()),
            "refund" => Command::Refund(args.trim().to_string()),
            "broadcast" => Command::Broadcast,
            _ => Command::Unknown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_arguments_and_bot_mentions() {
        let cases = [
            ("/start", Some(Command::Start(String::new()))),
            ("/start ref_abcdefgh", Some(Command::Start("ref_abcdefgh".into()))),
            ("/START@WavegateBot  ref_x ", Some(Command::Start("ref_x".into()))),
            ("/buy@wavegatebot", Some(Command::Buy)),
            ("/buy@OtherBot", None),
            ("/language", Some(Command::Language)),
            ("/promo", Some(Command::Promo(String::new()))),
            ("/promo  SPRING25 ", Some(Command::Promo("SPRING25".into()))),
            ("/nope", Some(Command::Unknown)),
            ("/promo_new FREE7 days 7", Some(Command::PromoNew("FREE7 days 7".into()))),
            ("/promo_list", Some(Command::PromoList)),
            ("/promo_off free7", Some(Command::PromoOff("free7".into()))),
            ("hello", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Command::parse(text, "WavegateBot"), expected, "{text:?}");
        }
    }
}
