//! Hostile input on the bot's side: property-based fuzzing (proptest) of the parsers that read
//! what a Telegram user sends — `callback_data` ([`Callback::decode`]), command text
//! ([`Command::parse`]), the broadcast controls, stored dialog states — and of the whole bot
//! (`Bot::handle` over the shop's real SQL and the strict fakes) with hostile button data,
//! text and checkouts. The core's parsers (updates, webhooks, tokens, configuration) are
//! fuzzed in `shared/tests/fuzz_parsers.rs`.
//!
//! Time-boxed by default ([`DEFAULT_CASES`] cases per property, fewer for the end-to-end
//! ones); `PROPTEST_CASES` overrides it. Failures are kept in
//! `bot-webhook/proptest-regressions/fuzz_callbacks.txt`, meant to be committed.
//!
//! The one bug this side surfaced is the core's (a broadcast text Telegram refuses), kept as an
//! ignored test in `shared/tests/fuzz_parsers.rs`.

mod support;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence, TestRunner};
use support::flows::last_order;
use support::{Person, TestBot};
use wavegate_bot::broadcast::Control;
use wavegate_bot::callback::{Callback, Menu, SubAction, MAX_BYTES};
use wavegate_bot::command::Command;
use wavegate_bot::dialog::Dialog;
use wavegate_bot::Handled;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::i18n::Locale;
use wavegate_shared::shop::admin::{UserAction, EXTEND_CHOICES};
use wavegate_shared::shop::broadcast::Audience;
use wavegate_shared::shop::catalog::{PayMethod, PlanSlug};
use wavegate_shared::shop::ports::Job;
use wavegate_shared::shop::referral::Period;
use wavegate_shared::shop::store::StoredDialog;
use wavegate_shared::subscription::OrderStatus;

// ------------------------------------------------------------------------------------ harness

/// Cases per property when `PROPTEST_CASES` is not set (docs/SECURITY.md, "Hostile input").
const DEFAULT_CASES: u32 = 256;

/// `PROPTEST_CASES` (read by proptest) or [`DEFAULT_CASES`], divided by `cost`; failures
/// persisted under the crate's `proptest-regressions/` (proptest's default would put them
/// beside this file, since `tests/` has no lib.rs).
fn fuzz(cost: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { DEFAULT_CASES };
    let persistence = base.failure_persistence.is_some().then(|| {
        Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/fuzz_callbacks.txt"
        ))) as Box<dyn proptest::test_runner::FailurePersistence>
    });
    let cases = (cases / cost).max(1);
    // Rejections (`prop_assume!`) scale with the cases, or a long run aborts on proptest's 1024.
    ProptestConfig { cases, max_global_rejects: cases.max(1024), failure_persistence: persistence, ..base }
}

/// Runs `test` over `strategy` with `config`, outside the `proptest!` macro: the end-to-end
/// properties share one bot (a fresh SQLite database per case would cost most of the budget),
/// so a shrunk failing case may depend on what the cases before it left in the database.
fn check<S: Strategy>(
    config: ProptestConfig,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config);
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{failure}");
    }
}

// --------------------------------------------------------------------------------- generators

fn tricky_char() -> BoxedStrategy<char> {
    prop_oneof![
        5 => select(vec![
            'a', 'Z', '0', '9', ':', '=', '&', '%', '+', '-', ' ', '\n', '\t', '\0', '"', '<', '>', '/',
            '@', '_', '\u{feff}', '\u{202e}', '\u{a0}', '١', '１', 'ß', 'İ', '🙂', '\u{10ffff}',
        ]),
        2 => any::<char>(),
        2 => proptest::char::range('0', '9'),
    ]
    .boxed()
}

/// Text a user controls, now and then long (Telegram allows 4096 UTF-16 units in a message).
fn hostile_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[ -~]{0,40}",
        3 => vec(tricky_char(), 0..24).prop_map(String::from_iter),
        1 => vec(tricky_char(), 500..2100).prop_map(String::from_iter),
        // Around Telegram's 4096 UTF-16 units, in characters of one, two or more units.
        2 => (prop_oneof![1usize..64, 2000usize..2100, 4000usize..4100], select(vec!["🙂", "a", "<", "&", "\u{10ffff}"]))
            .prop_map(|(n, c)| c.repeat(n)),
        1 => Just(String::new()),
    ]
    .boxed()
}

fn mutate_char(text: &str, at: usize, with: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if !chars.is_empty() {
        let i = at % chars.len();
        chars[i] = with;
    }
    chars.into_iter().collect()
}

fn slug() -> BoxedStrategy<PlanSlug> {
    "[a-z0-9_-]{1,24}".prop_map(|s| PlanSlug::parse(&s).expect("a slug")).boxed()
}

fn control() -> BoxedStrategy<Control> {
    prop_oneof![
        select(Audience::ALL.to_vec()).prop_map(Control::Audience),
        prop::option::of(select(Locale::ALL.to_vec())).prop_map(Control::Locale),
        Just(Control::Send),
        Just(Control::Cancel),
    ]
    .boxed()
}

/// Every button the bot can draw, with any slug, id and choice.
fn callback() -> BoxedStrategy<Callback> {
    let menu = select(vec![
        Menu::Buy,
        Menu::Status,
        Menu::Invite,
        Menu::Points,
        Menu::Language,
        Menu::Help,
        Menu::Home,
        Menu::Trial,
        Menu::Promo,
    ]);
    let sub = select(vec![
        SubAction::Qr,
        SubAction::Link,
        SubAction::ResetDevices,
        SubAction::Revoke,
        SubAction::RevokeConfirmed,
        SubAction::CancelRenewal,
        SubAction::ResumeRenewal,
    ]);
    let action = prop_oneof![
        select(EXTEND_CHOICES.to_vec()).prop_map(UserAction::Extend),
        select(vec![UserAction::Disable, UserAction::Enable, UserAction::ResetDevices, UserAction::NewLink]),
    ];
    let method = select(PayMethod::ALL.to_vec());
    prop_oneof![
        menu.prop_map(Callback::Menu),
        select(Locale::ALL.to_vec()).prop_map(Callback::Language),
        slug().prop_map(Callback::Plan),
        (slug(), method.clone()).prop_map(|(s, m)| Callback::Pay(s, m)),
        sub.prop_map(Callback::Subscription),
        select(Period::ALL.to_vec()).prop_map(Callback::Top),
        (action, prop_oneof![1..=TelegramUserId::MAX, Just(TelegramUserId::MAX)])
            .prop_map(|(a, id)| Callback::Admin(a, id)),
        (prop_oneof![1..=i64::MAX, Just(i64::MAX)], control()).prop_map(|(id, c)| Callback::Broadcast(id, c)),
        slug().prop_map(Callback::Gift),
        (slug(), method).prop_map(|(s, m)| Callback::GiftPay(s, m)),
    ]
    .boxed()
}

/// Callback data from anywhere: random text, a real button's data with one character
/// changed, and the admin buttons with forged numbers.
fn callback_data() -> BoxedStrategy<String> {
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        select(vec![
            "0",
            "-1",
            "+7",
            "007",
            "9223372036854775808",
            "4503599627370496",
            "4503599627370495",
            "",
            " 1",
            "1e3"
        ])
        .prop_map(str::to_string),
    ];
    prop_oneof![
        3 => hostile_text(),
        3 => (callback(), any::<usize>(), tricky_char()).prop_map(|(c, at, with)| mutate_char(&c.encode(), at, with)),
        2 => callback().prop_map(|c| c.encode()),
        1 => (prop_oneof![Just("x".to_string()), "x[0-9]{1,3}", "[a-z]{1,5}"], number.clone())
            .prop_map(|(action, id)| format!("adm:{action}:{id}")),
        1 => (number, prop_oneof![control().prop_map(|c| c.code()), "l-[a-z]{0,3}", "[a-z_]{0,10}"])
            .prop_map(|(id, code)| format!("bc:{id}:{code}")),
    ]
    .boxed()
}

const COMMANDS: &[&str] = &[
    "start",
    "buy",
    "status",
    "trial",
    "promo",
    "invite",
    "mypoints",
    "language",
    "help",
    "stats",
    "user",
    "promo_new",
    "promo_list",
    "promo_off",
    "refund",
    "broadcast",
];

const BOT: &str = "WavegateTestBot";

/// What `/name args` should be.
fn expected_command(name: &str, args: &str) -> Command {
    let args = args.trim().to_string();
    match name.to_ascii_lowercase().as_str() {
        "start" => Command::Start(args),
        "buy" => Command::Buy,
        "status" => Command::Status,
        "trial" => Command::Trial,
        "promo" => Command::Promo(args),
        "invite" => Command::Invite,
        "mypoints" => Command::MyPoints,
        "language" => Command::Language,
        "help" => Command::Help,
        "stats" => Command::Stats,
        "user" => Command::User(args),
        "promo_new" => Command::PromoNew(args),
        "promo_list" => Command::PromoList,
        "promo_off" => Command::PromoOff(args),
        "refund" => Command::Refund(args),
        "broadcast" => Command::Broadcast,
        _ => Command::Unknown,
    }
}

// ============================================================================= callback data
//
// `Callback::decode` on `callback_query.data` (Telegram passes it back verbatim; anyone can
// send any 1–64 bytes with a modified client). Proves: every button the bot draws encodes to
// 1–64 bytes and decodes back to itself; any data decodes to nothing or to a button the bot
// could have drawn (its own encoding decodes to it again), so forged admin data can never name
// an id outside Telegram's range, an extension other than the card's choices, or broadcast 0.

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn every_button_encodes_within_64_bytes_and_decodes_to_itself(callback in callback()) {
        let data = callback.encode();
        prop_assert!(!data.is_empty() && data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
        prop_assert_eq!(Callback::decode(&data), Some(callback));
    }

    #[test]
    fn any_data_is_nothing_or_a_button_the_bot_could_draw(data in callback_data()) {
        let Some(callback) = Callback::decode(&data) else { return Ok(()) };
        let canonical = callback.encode();
        prop_assert!(canonical.len() <= MAX_BYTES);
        prop_assert_eq!(Callback::decode(&canonical), Some(callback.clone()));
        match callback {
            Callback::Admin(action, id) => {
                prop_assert!(TelegramUserId::parse(id).is_ok(), "admin action on id {id}");
                if let UserAction::Extend(days) = action {
                    prop_assert!(EXTEND_CHOICES.contains(&days), "extend by {days}");
                }
                prop_assert!(data.starts_with("adm:"));
            }
            Callback::Broadcast(id, _) => {
                prop_assert!(id > 0);
                prop_assert!(data.starts_with("bc:"));
            }
            _ => prop_assert!(!callback.admin_only()),
        }
    }

    #[test]
    fn broadcast_controls_parse_only_their_codes(
        code in prop_oneof![hostile_text(), control().prop_map(|c| c.code())],
        control in control(),
    ) {
        if let Some(parsed) = Control::parse(&code) {
            prop_assert_eq!(parsed.code(), code);
        }
        prop_assert_eq!(Control::parse(&control.code()), Some(control));
    }
}

// =================================================================================== commands
//
// `Command::parse` on every private message's text. Proves: any text is a command or not,
// never a panic; only text starting with `/` is a command; `/cmd@OtherBot` is not ours; the
// bot's own mention is case-insensitive; arguments arrive trimmed, whatever whitespace
// separates them.

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn any_text_is_a_command_only_when_it_starts_with_a_slash(text in hostile_text()) {
        if let Some(command) = Command::parse(&text, BOT) {
            prop_assert!(text.trim().starts_with('/'));
            let first = text.trim().split(char::is_whitespace).next().unwrap_or("");
            if let Some((_, bot)) = first.split_once('@') {
                prop_assert!(bot.eq_ignore_ascii_case(BOT));
            }
            if let Command::Start(args) | Command::Promo(args) | Command::User(args) | Command::Refund(args) = command {
                prop_assert_eq!(args.trim(), args.as_str());
            }
        }
    }

    #[test]
    fn typed_commands_parse_to_the_command_and_its_trimmed_arguments(
        name in prop_oneof![select(COMMANDS).prop_map(str::to_string), "[a-z_]{1,12}"],
        upper in any::<bool>(),
        mention in prop_oneof![Just(None), Just(Some(BOT.to_string())), Just(Some(BOT.to_ascii_lowercase())), "[A-Za-z]{3,12}Bot".prop_map(Some)],
        separator in select(vec![" ", "  ", "\t", "\n", "\u{a0}", "\u{2003}"]),
        args in hostile_text(),
        padding in select(vec!["", " ", "\n", "\t "]),
    ) {
        let shown = if upper { name.to_ascii_uppercase() } else { name.clone() };
        let head = match &mention { Some(bot) => format!("/{shown}@{bot}"), None => format!("/{shown}") };
        let text = format!("{padding}{head}{separator}{args}{padding}");
        let expected = match &mention {
            Some(bot) if !bot.eq_ignore_ascii_case(BOT) => None,
            _ => Some(expected_command(&name, &args)),
        };
        prop_assert_eq!(Command::parse(&text, BOT), expected, "{:?}", text);
    }

    #[test]
    fn a_stored_dialog_is_one_this_version_knows_while_it_waits(
        state in prop_oneof![hostile_text(), select(vec!["promo_code", "broadcast_text"]).prop_map(str::to_string)],
        expires_at in any::<i64>(),
        now in 0i64..(1 << 40),
    ) {
        let stored = StoredDialog { state: state.clone(), expires_at };
        if let Some(dialog) = Dialog::active(Some(&stored), now) {
            prop_assert!(expires_at > now);
            prop_assert_eq!(Some(dialog), Dialog::active(Some(&dialog.stored(now)), now));
        }
        for dialog in [Dialog::PromoCode, Dialog::BroadcastText] {
            prop_assert_eq!(Dialog::active(Some(&dialog.stored(now)), now), Some(dialog));
        }
    }
}

// ============================================================== the bot, end to end
//
// `Bot::handle` with the shop's real SQL (SQLite, real migrations) and the strict Bot API and
// panel fakes. Proves: hostile button data and text never panic the bot and never make it send
// something Telegram would refuse (every Bot API call it makes is accepted, so the outcome is
// `Ok`); data that decodes to nothing is only acknowledged; admin buttons pressed by a customer
// are refused and queue nothing; a Stars checkout is approved only at exactly the order's
// price, currency and payer — one Star off, another currency or another payer is refused and
// leaves the order pending.

fn customer() -> Person {
    Person::new(1001, "Ivan").speaking("en")
}

fn admin() -> Person {
    Person::new(9001, "Admin").speaking("en")
}

#[test]
fn hostile_button_data_is_acknowledged_and_admin_buttons_stay_admin_only() {
    let bot = TestBot::new();
    bot.given(&customer(), "/start");
    check(fuzz(2), callback_data(), |data| {
        let outcome = bot.handle(customer().presses(&data));
        let jobs = bot.jobs.take();
        bot.telegram.take_calls();
        let outcome = outcome.map_err(|e| TestCaseError::fail(format!("{data:?}: {e}")))?;
        match Callback::decode(&data) {
            None => prop_assert_eq!(outcome, Handled::Ignored("unknown callback")),
            Some(callback) if callback.admin_only() => {
                prop_assert_eq!(outcome, Handled::Ignored("admin action refused"));
                prop_assert!(jobs.is_empty(), "{data:?} queued {jobs:?}");
            }
            Some(_) => {}
        }
        Ok(())
    });
}

#[test]
fn hostile_text_and_command_arguments_never_fail_the_bot() {
    let bot = TestBot::new();
    bot.given(&customer(), "/start");
    bot.given(&admin(), "/start");
    let text = prop_oneof![
        3 => hostile_text(),
        2 => (select(COMMANDS), hostile_text()).prop_map(|(c, a)| format!("/{c} {a}")),
        1 => hostile_text().prop_map(|a| format!("/start ref_{a}")),
        1 => hostile_text().prop_map(|a| format!("/start gift_{a}")),
    ];
    // A flow that waits for the next text first, sometimes: the promo code or the broadcast.
    let opener = select(vec![None, Some("/promo"), Some("/broadcast")]);
    check(fuzz(2), (any::<bool>(), opener, text), |(as_admin, opener, text)| {
        let person = if as_admin { admin() } else { customer() };
        // Telegram delivers at most 4096 UTF-16 units in one message (longer text arrives split).
        prop_assume!(text.encode_utf16().count() <= 4096);
        if let Some(opener) = opener {
            let opened = bot.handle(person.sends(opener));
            prop_assert!(opened.is_ok(), "{opener}: {opened:?}");
        }
        let outcome = bot.handle(person.sends(&text));
        bot.jobs.take();
        bot.telegram.take_calls();
        prop_assert!(outcome.is_ok(), "{:?} from {}: {:?}", text, person.id, outcome);
        Ok(())
    });
}

#[test]
fn a_stars_checkout_is_approved_only_at_exactly_the_orders_price_currency_and_payer() {
    let bot = TestBot::new();
    bot.given(&customer(), "/start");
    bot.handle(customer().presses("pay:monthly:stars")).expect("an invoice");
    bot.telegram.take_calls();
    let order = last_order(&bot);
    let payload = format!("order:{}", order.public_id);
    let cases = (
        prop_oneof![3 => Just(0i64), 2 => -2i64..=2, 1 => Just(i64::MAX - order.amount_minor), 1 => Just(-order.amount_minor)],
        prop_oneof![3 => Just("XTR".to_string()), 1 => select(vec!["USD", "xtr", "XTR ", ""]).prop_map(str::to_string)],
        prop_oneof![3 => Just(1001i64), 1 => select(vec![1002i64, 9001, -1001, 0])],
        prop_oneof![4 => Just(payload.clone()), 1 => (any::<usize>(), tricky_char()).prop_map(move |(at, with)| mutate_char(&payload, at, with))],
    );
    check(fuzz(2), cases, |(delta, currency, payer, payload)| {
        let amount = order.amount_minor + delta;
        let person = Person { id: payer, ..customer() };
        let outcome = bot.handle(person.checks_out(&payload, &currency, amount));
        let calls = bot.telegram.take_calls();
        outcome.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let answer =
            calls.iter().find(|c| c.method == "answerPreCheckoutQuery").expect("every checkout is answered");
        let expected = delta == 0
            && currency == "XTR"
            && payer == 1001
            && payload == format!("order:{}", order.public_id);
        prop_assert_eq!(answer.body["ok"].as_bool(), Some(expected), "{:?}", answer.body);
        prop_assert_eq!(answer.body.get("error_message").is_some(), !expected);
        prop_assert_eq!(last_order(&bot).status, OrderStatus::Pending, "a checkout answer changes no order");
        let provisions = bot.jobs.take().into_iter().filter(|j| matches!(j, Job::Provision { .. })).count();
        prop_assert_eq!(provisions, 0);
        Ok(())
    });
}
