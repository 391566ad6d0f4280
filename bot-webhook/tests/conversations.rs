//! Conversations with the bot, end to end through `Bot::handle`: a Telegram update goes in, and
//! the tests assert on what the fake Bot API received and what the in-memory store holds.
//! Expected texts come from the catalogs (`Texts`), so a reworded translation does not break a
//! test, while the wrong key, locale or argument does.

mod support;

use support::telegram::ApiFailure;
use support::{answered_then_edited, only, Person, TestBot, BOT_USERNAME, SUPPORT_CONTACT, TRIAL_DAYS};
use wavegate_bot::{BotError, Handled};
use wavegate_shared::domain::REFERRAL_BONUS_DAYS;
use wavegate_shared::i18n::{Arg, Locale, Texts};

const MAIN_MENU: [&str; 5] = ["menu:buy", "menu:status", "menu:invite", "menu:lang", "menu:help"];
/// The main menu for someone who never had a subscription nor the trial: the trial is offered.
const NEWCOMER_MENU: [&str; 6] =
    ["menu:buy", "menu:trial", "menu:status", "menu:invite", "menu:lang", "menu:help"];

fn ivan() -> Person {
    Person::new(1001, "Ivan").speaking("ru").with_username("ivan")
}

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn budi() -> Person {
    Person::new(1003, "Budi").speaking("id")
}

fn welcome(locale: Locale, name: &str) -> String {
    let args = [("name", Arg::from(name)), ("trialDays", Arg::Num(i64::from(TRIAL_DAYS)))];
    Texts::new(locale).format("welcome", &args)
}

fn welcome_back(locale: Locale, name: &str) -> String {
    Texts::new(locale).format("welcome-back", &[("name", Arg::from(name))])
}

fn invite(locale: Locale, code: &str, invited: i64) -> String {
    let link = format!("https://t.me/{BOT_USERNAME}?start=ref_{code}");
    let args = [
        ("link", Arg::from(link)),
        ("invited", Arg::Num(invited)),
        ("bonusDays", Arg::Num(REFERRAL_BONUS_DAYS)),
    ];
    Texts::new(locale).format("invite", &args)
}

// ---------------------------------------------------------------------------------- /start

#[test]
fn a_new_user_is_welcomed_in_their_telegram_language_with_the_main_menu_and_stored() {
    let cases = [
        (Some("ru"), Locale::Ru),
        (Some("hi"), Locale::Hi),
        (Some("id"), Locale::Id),
        (Some("en"), Locale::En),
        (None, Locale::En),
        (Some("pt-br"), Locale::En),
    ];
    for (language_code, locale) in cases {
        // Arrange
        let bot = TestBot::new();
        let mut person = Person::new(1001, "Ivan");
        person.language_code = language_code.map(str::to_string);

        // Act
        let outcome = bot.handle(person.sends("/start"));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("start"), "{language_code:?}");
        let sent = only(bot.telegram.take_calls());
        assert_eq!(sent.method, "sendMessage");
        assert_eq!(sent.chat_id(), Some(1001));
        assert_eq!(sent.text(), welcome(locale, "Ivan"), "{language_code:?}");
        assert!(sent.text().contains(&TRIAL_DAYS.to_string()));
        assert_eq!(sent.body["parse_mode"], "HTML");
        assert_eq!(sent.callbacks(), NEWCOMER_MENU);
        let stored = bot.store.user(1001).expect("the user is stored");
        assert_eq!(stored.user.first_name, "Ivan");
        assert_eq!(stored.user.language_code.as_deref(), language_code);
        assert_eq!((stored.user.locale, stored.user.referred_by), (None, None));
    }
}

#[test]
fn a_returning_user_is_welcomed_back_and_their_profile_is_refreshed() {
    // Arrange
    let bot = TestBot::new();
    let before = bot.given(&ivan(), "/start");
    let renamed = Person::new(1001, "Vanya").speaking("en").with_username("vanya");

    // Act
    let outcome = bot.handle(renamed.sends("/start"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    let sent = only(bot.telegram.take_calls());
    assert_eq!(sent.text(), welcome_back(Locale::En, "Vanya"));
    assert_eq!(sent.callbacks(), NEWCOMER_MENU);
    let after = bot.store.user(1001).unwrap();
    assert_eq!(after.username.as_deref(), Some("vanya"));
    assert_eq!(after.user.language_code.as_deref(), Some("en"));
    assert_eq!(after.user.first_name, "Vanya");
    assert_eq!((after.user.id, &after.user.referral_code), (before.user.id, &before.user.referral_code));
    assert_eq!(bot.store.count(), 1);
}

#[test]
fn names_with_markup_are_escaped_in_the_welcome() {
    // Arrange
    let bot = TestBot::new();
    let person = Person::new(1001, "<b>Bob</b> & Co");

    // Act
    let outcome = bot.handle(person.sends("/start"));

    // Assert: the fake Bot API would have refused an unescaped `&` with a 400.
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    let sent = only(bot.telegram.take_calls());
    assert!(sent.text().contains("&lt;b&gt;Bob&lt;/b&gt; &amp; Co"), "{}", sent.text());
    assert!(!sent.text().contains("<b>Bob"));
}

#[test]
fn a_colliding_referral_code_is_drawn_again_for_a_new_user() {
    // Arrange
    let bot = TestBot::new();
    let existing = bot.store.seed(2001, "Olga", "abcdefgh");
    bot.script_codes(&["abcdefgh", "hgfedcba"]);

    // Act
    let outcome = bot.handle(ivan().sends("/start"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome(Locale::Ru, "Ivan"));
    let ivan = bot.store.user(1001).unwrap();
    assert_eq!(ivan.user.referral_code.as_str(), "hgfedcba");
    assert_ne!(ivan.user.id, existing.id);
    assert_eq!(bot.store.user(2001).unwrap().user.referral_code.as_str(), "abcdefgh");
}

// ------------------------------------------------------------------------------- referrals

#[test]
fn following_an_invite_link_records_the_inviter_as_referrer() {
    // Arrange
    let bot = TestBot::new();
    let inviter = bot.given(&anna(), "/start");

    // Act
    let start = format!("/start ref_{}", inviter.user.referral_code);
    let outcome = bot.handle(ivan().sends(&start));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome(Locale::Ru, "Ivan"));
    let invited = bot.store.user(1001).unwrap();
    assert_eq!(invited.user.referred_by, Some(inviter.user.id));
    assert_eq!(invited.referred_at, Some(support::NOW));
}

#[test]
fn invite_codes_are_read_case_insensitively() {
    // Arrange
    let bot = TestBot::new();
    let inviter = bot.given(&anna(), "/start");

    // Act
    let start = format!("/start ref_{}", inviter.user.referral_code.as_str().to_uppercase());
    bot.handle(ivan().sends(&start)).unwrap();

    // Assert
    assert_eq!(bot.store.user(1001).unwrap().user.referred_by, Some(inviter.user.id));
}

#[test]
fn a_second_invite_link_does_not_replace_the_first_referrer() {
    // Arrange
    let bot = TestBot::new();
    let first = bot.given(&anna(), "/start");
    let second = bot.given(&budi(), "/start");
    bot.given(&ivan(), &format!("/start ref_{}", first.user.referral_code));

    // Act
    let outcome = bot.handle(ivan().sends(&format!("/start ref_{}", second.user.referral_code)));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome_back(Locale::Ru, "Ivan"));
    assert_eq!(bot.store.user(1001).unwrap().user.referred_by, Some(first.user.id));
}

#[test]
fn following_ones_own_invite_link_records_nothing() {
    // Arrange
    let bot = TestBot::new();
    let ivan_before = bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().sends(&format!("/start ref_{}", ivan_before.user.referral_code)));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome_back(Locale::Ru, "Ivan"));
    assert_eq!(bot.store.user(1001).unwrap().user.referred_by, None);
}

#[test]
fn unknown_or_malformed_invite_codes_are_ignored_and_the_user_is_still_welcomed() {
    let payloads = ["ref_zzzzzzzz", "ref_short", "ref_abcdefg0", "ref_", "promo_abcdefgh", "abcdefgh"];
    for payload in payloads {
        // Arrange
        let bot = TestBot::new();
        bot.given(&anna(), "/start");

        // Act
        let outcome = bot.handle(ivan().sends(&format!("/start {payload}")));

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Replied("start"), "{payload}");
        assert_eq!(only(bot.telegram.take_calls()).text(), welcome(Locale::Ru, "Ivan"));
        assert_eq!(bot.store.user(1001).unwrap().user.referred_by, None, "{payload}");
    }
}

#[test]
fn a_user_who_has_already_paid_is_not_linked_to_a_referrer() {
    // Arrange
    let bot = TestBot::new();
    let inviter = bot.given(&anna(), "/start");
    let payer = bot.given(&ivan(), "/start");
    bot.store.mark_paid(payer.user.id);

    // Act
    let outcome = bot.handle(ivan().sends(&format!("/start ref_{}", inviter.user.referral_code)));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome_back(Locale::Ru, "Ivan"));
    assert_eq!(bot.store.user(1001).unwrap().user.referred_by, None);
}

#[test]
fn a_referral_cycle_is_refused() {
    // Arrange: Anna invited Ivan.
    let bot = TestBot::new();
    let anna_before = bot.given(&anna(), "/start");
    let ivan_before = bot.given(&ivan(), &format!("/start ref_{}", anna_before.user.referral_code));
    assert_eq!(ivan_before.user.referred_by, Some(anna_before.user.id));

    // Act: Anna follows Ivan's link.
    let outcome = bot.handle(anna().sends(&format!("/start ref_{}", ivan_before.user.referral_code)));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("start"));
    assert_eq!(only(bot.telegram.take_calls()).text(), welcome_back(Locale::En, "Anna"));
    assert_eq!(bot.store.user(1002).unwrap().user.referred_by, None);
}

#[test]
fn the_invite_command_shows_the_referral_link_how_many_joined_and_a_share_button() {
    // Arrange
    let bot = TestBot::new();
    let inviter = bot.given(&ivan(), "/start");
    let start = format!("/start ref_{}", inviter.user.referral_code);
    bot.given(&anna(), &start);
    bot.given(&budi(), &start);

    // Act
    let outcome = bot.handle(ivan().sends("/invite"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let sent = only(bot.telegram.take_calls());
    assert_eq!((sent.method.as_str(), sent.chat_id()), ("sendMessage", Some(1001)));
    let code = inviter.user.referral_code.as_str();
    assert_eq!(sent.text(), invite(Locale::Ru, code, 2));
    assert_eq!(sent.callbacks(), ["menu:points", "menu:home"]);
    let share = &sent.urls()[0];
    let link = format!("https%3A%2F%2Ft.me%2F{BOT_USERNAME}%3Fstart%3Dref_{code}");
    assert!(share.starts_with(&format!("https://t.me/share/url?url={link}&text=")), "{share}");
}

#[test]
fn my_points_shows_invited_paying_days_earned_and_the_next_milestone() {
    // Arrange: Ivan invited Anna and Budi; Anna paid (Ivan earned 7 days), Budi did not.
    let bot = TestBot::new();
    let inviter = bot.given(&ivan(), "/start");
    let start = format!("/start ref_{}", inviter.user.referral_code);
    bot.given(&anna(), &start);
    bot.given(&budi(), &start);
    support::flows::paid(&bot, &anna(), "monthly", "stxANNA1");

    // Act
    let outcome = bot.handle(ivan().sends("/mypoints"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let sent = only(bot.telegram.take_calls());
    let texts = Texts::new(Locale::Ru);
    let stats = [("invited", Arg::Num(2)), ("paying", Arg::Num(1)), ("days", Arg::Num(7))];
    let next = [("days", Arg::Num(30)), ("at", Arg::Num(3)), ("toGo", Arg::Num(2))];
    let rules = [("bonusDays", Arg::Num(REFERRAL_BONUS_DAYS))];
    let expected = format!(
        "{}\n\n{}\n{}",
        texts.format("points", &stats),
        texts.format("points-next", &next),
        texts.format("points-rules", &rules)
    );
    assert_eq!(sent.text(), expected);
    assert_eq!(sent.callbacks(), ["top:week", "top:month", "top:all", "menu:home"]);
}

#[test]
fn the_leaderboard_ranks_by_paying_referrals_in_the_period_with_names_never_ids() {
    // Arrange: Anna has two paying friends, Ivan one; Budi's friend has not paid.
    let bot = TestBot::new();
    let anna_row = bot.given(&anna().with_username("anna_<b>"), "/start");
    let ivan_row = bot.given(&ivan(), "/start");
    bot.given(&budi(), "/start");
    let friends = [
        (Person::new(2001, "F1"), &anna_row),
        (Person::new(2002, "F2"), &anna_row),
        (Person::new(2003, "F3"), &ivan_row),
    ];
    for (n, (friend, inviter)) in friends.iter().enumerate() {
        bot.given(friend, &format!("/start ref_{}", inviter.user.referral_code));
        support::flows::paid(&bot, friend, "monthly", &format!("stxF{n}"));
    }

    // Act
    let outcome = bot.handle(budi().presses("top:week"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("leaderboard"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &budi());
    let lines: Vec<&str> = edit.text().lines().collect();
    assert_eq!(lines[2..4], ["1. @anna_&lt;b&gt; — 2", "2. @ivan — 1"]);
    assert!(!edit.text().contains("1002") && !edit.text().contains("1001"), "never an id");
    assert_eq!(lines.last().copied(), Some(Texts::new(Locale::Id).get("top-you-none").as_str()));

    // Ivan sees his own place; a month ago nothing counts this week.
    bot.handle(ivan().presses("top:week")).unwrap();
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    let mine = Texts::new(Locale::Ru).format("top-you", &[("rank", Arg::Num(2)), ("paying", Arg::Num(1))]);
    assert!(edit.text().ends_with(&mine), "{}", edit.text());
    bot.set_now(support::NOW + 8 * 86_400);
    bot.handle(ivan().presses("top:week")).unwrap();
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    assert!(edit.text().contains(&Texts::new(Locale::Ru).get("top-empty")));
    bot.handle(ivan().presses("top:all")).unwrap();
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    assert!(edit.text().contains("1. anna") || edit.text().contains("1. @anna"));
}

#[test]
fn the_invite_button_shows_the_referral_link_in_place() {
    // Arrange
    let bot = TestBot::new();
    let inviter = bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().presses("menu:invite"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
    let code = inviter.user.referral_code.as_str();
    assert_eq!(edit.text(), invite(Locale::En, code, 0));
    assert!(edit.text().contains(&format!("https://t.me/{BOT_USERNAME}?start=ref_{code}")));
    assert_eq!(edit.callbacks(), ["menu:points", "menu:home"]);
}

// -------------------------------------------------------------------------------- language

#[test]
fn the_language_button_turns_the_message_into_the_language_picker() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().presses("menu:lang"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    assert_eq!(edit.text(), Texts::new(Locale::Ru).get("language-choose"));
    assert_eq!(edit.callbacks(), ["lang:en", "lang:ru", "lang:hi", "lang:id"]);
}

#[test]
fn choosing_hindi_stores_it_and_confirms_in_hindi() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().presses("lang:hi"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("language changed"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &ivan());
    let hindi = Texts::new(Locale::Hi);
    assert_eq!(edit.text(), hindi.get("language-changed"));
    assert_eq!(edit.callbacks(), MAIN_MENU);
    assert_eq!(edit.body["reply_markup"]["inline_keyboard"][0][0]["text"], hindi.get("menu-buy"));
    assert_eq!(bot.store.user(1001).unwrap().user.locale.as_deref(), Some("hi"));
}

#[test]
fn an_unknown_language_is_an_unknown_callback_answered_and_ignored() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let outcome = bot.handle(ivan().presses("lang:xx"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("unknown callback"));
    assert_eq!(only(bot.telegram.take_calls()).method, "answerCallbackQuery");
    assert_eq!(bot.store.user(1001).unwrap().user.locale, None);
}

#[test]
fn a_language_chosen_in_the_bot_wins_over_telegrams_language_code() {
    // Arrange: Anna's Telegram is in English; she picks Russian in the bot.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    bot.handle(anna().presses("lang:ru")).unwrap();
    bot.telegram.take_calls();

    // Act
    let help = bot.handle(anna().sends("/help"));
    let help_calls = bot.telegram.take_calls();
    let start = bot.handle(anna().sends("/start"));
    let start_calls = bot.telegram.take_calls();

    // Assert
    assert!(help.is_ok() && start.is_ok());
    let russian = Texts::new(Locale::Ru);
    assert!(only(help_calls).text().starts_with(&russian.get("help")));
    assert_eq!(only(start_calls).text(), welcome_back(Locale::Ru, "Anna"));
    let stored = bot.store.user(1002).unwrap();
    assert_eq!(stored.user.locale.as_deref(), Some("ru"));
    assert_eq!(stored.user.language_code.as_deref(), Some("en"));
}

// ------------------------------------------------------------------------- menus and text

#[test]
fn a_promo_code_given_with_the_command_is_answered_at_once() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act: a code nobody created.
    let outcome = bot.handle(ivan().sends("/promo spring25"));

    // Assert: checked at once; the wait is not started.
    assert_eq!(outcome.unwrap(), Handled::Replied("promo: refused"));
    let reply = only(bot.telegram.take_calls());
    assert_eq!((reply.method.as_str(), reply.chat_id()), ("sendMessage", Some(1001)));
    let expected = Texts::new(Locale::Ru).format("promo-unknown", &[("code", "SPRING25".into())]);
    assert_eq!(reply.text(), expected);
    assert_eq!(reply.callbacks(), ["menu:buy", "menu:home"]);
    assert_eq!(bot.store.user(1001).unwrap().user.dialog, None);
}

#[test]
fn promo_without_a_code_waits_for_it_in_a_stored_dialog_and_a_typo_keeps_waiting() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");
    let russian = Texts::new(Locale::Ru);

    // Act
    let asked = bot.handle(ivan().sends("/promo"));
    let asked_reply = only(bot.telegram.take_calls());
    let typo = bot.handle(ivan().sends("spring 25!"));
    let typo_reply = only(bot.telegram.take_calls());
    let code = bot.handle(ivan().sends("SPRING25"));
    let code_reply = only(bot.telegram.take_calls());
    let after = bot.handle(ivan().sends("SPRING25"));

    // Assert
    assert_eq!(asked.unwrap(), Handled::Replied("promo: waiting for the code"));
    assert_eq!(asked_reply.text(), russian.get("promo-ask"));
    assert_eq!(asked_reply.callbacks(), ["menu:home"]);
    assert_eq!(typo.unwrap(), Handled::Replied("promo: not a code"));
    assert_eq!(typo_reply.text(), russian.get("promo-not-a-code"));
    assert_eq!(code.unwrap(), Handled::Replied("promo: refused"));
    assert_eq!(code_reply.text(), russian.format("promo-unknown", &[("code", "SPRING25".into())]));
    // Answered: the same text again is just text.
    assert_eq!(after.unwrap(), Handled::Replied("menu for plain text"));
    assert_eq!(bot.store.user(1001).unwrap().user.dialog, None);
}

#[test]
fn a_waiting_promo_dialog_ends_with_another_command_a_button_or_its_expiry() {
    let leave = [ivan().sends("/help"), ivan().presses("menu:home"), ivan().presses("plan:monthly")];
    for update in leave {
        // Arrange
        let bot = TestBot::new();
        bot.given(&ivan(), "/start");
        bot.given(&ivan(), "/promo");

        // Act
        bot.handle(update).unwrap();
        bot.telegram.take_calls();
        let later = bot.handle(ivan().sends("SPRING25"));

        // Assert
        assert_eq!(later.unwrap(), Handled::Replied("menu for plain text"));
        assert_eq!(bot.store.user(1001).unwrap().user.dialog, None);
    }

    // Arrange: the code comes eleven minutes later.
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");
    bot.given(&ivan(), "/promo");
    bot.set_now(bot.now() + wavegate_bot::dialog::TTL_SECONDS);

    // Act
    let late = bot.handle(ivan().sends("SPRING25"));

    // Assert
    assert_eq!(late.unwrap(), Handled::Replied("menu for plain text"));
}

#[test]
fn the_help_button_shows_help_with_the_support_contact_and_a_way_back() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().presses("menu:help"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
    let texts = Texts::new(Locale::En);
    assert!(edit.text().starts_with(&texts.get("help")));
    assert!(edit.text().contains(SUPPORT_CONTACT));
    assert_eq!(edit.callbacks(), ["menu:home"]);
}

#[test]
fn the_back_button_returns_to_the_main_menu_in_place() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().presses("menu:home"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("home"));
    let edit = answered_then_edited(bot.telegram.take_calls(), &anna());
    assert_eq!(edit.text(), welcome_back(Locale::En, "Anna"));
    assert_eq!(edit.callbacks(), NEWCOMER_MENU);
}

#[test]
fn a_button_from_an_older_bot_version_is_answered_and_ignored() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");

    // Act
    let outcome = bot.handle(anna().presses("shop:vpn_1m"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("unknown callback"));
    assert_eq!(only(bot.telegram.take_calls()).method, "answerCallbackQuery");
}

#[test]
fn unknown_commands_and_plain_text_get_the_main_menu() {
    let cases = [
        ("/nope", Handled::Replied("command")),
        ("hello", Handled::Replied("menu for plain text")),
        ("/buy@SomeOtherBot", Handled::Replied("menu for plain text")),
    ];
    for (text, expected) in cases {
        // Arrange
        let bot = TestBot::new();

        // Act
        let outcome = bot.handle(ivan().sends(text));

        // Assert
        assert_eq!(outcome.unwrap(), expected, "{text}");
        let sent = only(bot.telegram.take_calls());
        assert_eq!((sent.method.as_str(), sent.chat_id()), ("sendMessage", Some(1001)));
        assert_eq!(sent.text(), Texts::new(Locale::Ru).get("unknown-command"), "{text}");
        assert_eq!(sent.callbacks(), MAIN_MENU);
        assert!(bot.store.user(1001).is_some(), "first contact stores the user");
    }
}

#[test]
fn commands_addressed_to_this_bot_by_name_are_understood() {
    // Arrange
    let bot = TestBot::new();

    // Act
    let outcome = bot.handle(ivan().sends(&format!("/language@{BOT_USERNAME}")));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("command"));
    let sent = only(bot.telegram.take_calls());
    assert_eq!(sent.text(), Texts::new(Locale::Ru).get("language-choose"));
}

// ---------------------------------------------------------------------------- ignored input

#[test]
fn group_messages_bots_and_unhandled_update_kinds_are_ignored_without_calling_telegram() {
    let cases = [
        (ivan().sends_in_group("/start"), "not a private chat"),
        (ivan().sends_in_group("hello"), "not a private chat"),
        (Person::bot(1001, "Spam").sends("/start"), "no human sender"),
        (ivan().edits("/start"), "update kind not handled"),
    ];
    for (update, reason) in cases {
        // Arrange
        let bot = TestBot::new();

        // Act
        let outcome = bot.handle(update);

        // Assert
        assert_eq!(outcome.unwrap(), Handled::Ignored(reason));
        assert!(bot.telegram.take_calls().is_empty(), "{reason}");
        assert_eq!(bot.store.count(), 0, "{reason}");
    }
}

// ------------------------------------------------------------------ blocking and failures

#[test]
fn blocking_the_bot_marks_the_user_blocked_and_unblocking_clears_it() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");

    // Act
    let blocked = bot.handle(ivan().sets_bot_status("kicked"));
    let blocked_flag = bot.store.user(1001).unwrap().blocked;
    let unblocked = bot.handle(ivan().sets_bot_status("member"));

    // Assert
    assert_eq!(blocked.unwrap(), Handled::Ignored("bot blocked"));
    assert!(blocked_flag);
    assert_eq!(unblocked.unwrap(), Handled::Ignored("bot unblocked"));
    assert!(!bot.store.user(1001).unwrap().blocked);
    assert!(bot.telegram.take_calls().is_empty());
}

#[test]
fn removing_the_bot_from_a_group_does_not_mark_the_user_blocked() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&ivan(), "/start");
    let mut update = ivan().sets_bot_status("left");
    let member = update.my_chat_member.as_mut().unwrap();
    (member.chat.id, member.chat.kind) = (-100_123, "supergroup".to_string());

    // Act
    let outcome = bot.handle(update);

    // Assert
    assert!(matches!(outcome, Ok(Handled::Ignored(_))));
    assert!(!bot.store.user(1001).unwrap().blocked);
}

#[test]
fn a_reply_bounced_because_the_user_blocked_the_bot_marks_them_blocked() {
    // Arrange
    let bot = TestBot::new();
    bot.telegram.fail_next("sendMessage", ApiFailure::blocked_by_user());

    // Act
    let outcome = bot.handle(ivan().sends("/help"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("user blocked the bot"));
    assert!(bot.store.user(1001).expect("the user was created first").blocked);
}

#[test]
fn a_press_bounced_because_the_user_blocked_the_bot_marks_them_blocked() {
    // Arrange
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    bot.telegram.fail_next("editMessageText", ApiFailure::blocked_by_user());

    // Act
    let outcome = bot.handle(anna().presses("menu:help"));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Ignored("user blocked the bot"));
    assert!(bot.store.user(1002).unwrap().blocked);
}

#[test]
fn telegram_failures_are_retried_only_when_retrying_can_help() {
    let cases = [
        (ApiFailure::too_many_requests(3), true, Some(3)),
        (ApiFailure::other(500, "Internal Server Error"), true, None),
        (ApiFailure::other(400, "Bad Request: chat not found"), false, None),
    ];
    for (failure, retryable, retry_after) in cases {
        // Arrange
        let bot = TestBot::new();
        bot.telegram.fail_next("sendMessage", failure.clone());

        // Act
        let outcome = bot.handle(ivan().sends("/help"));

        // Assert
        let err = outcome.expect_err("a failed reply is an error");
        assert_eq!(err.is_retryable(), retryable, "{err}");
        match &err {
            BotError::Telegram(e) => assert_eq!(e.retry_after(), retry_after),
            other => panic!("expected a Telegram error, got {other}"),
        }
        assert!(!err.to_string().contains(support::BOT_TOKEN), "the token never leaks");
        assert!(!bot.store.user(1001).unwrap().blocked, "{failure:?}");
    }
}

#[test]
fn a_storage_outage_is_retryable_and_sends_nothing() {
    // Arrange
    let bot = TestBot::new();
    bot.store.go_down();

    // Act
    let outcome = bot.handle(ivan().sends("/start"));

    // Assert
    assert!(outcome.expect_err("the store is down").is_retryable());
    assert!(bot.telegram.take_calls().is_empty());
}

// ---------------------------------------------------------------------------------- payments

#[test]
fn a_pre_checkout_query_for_an_invoice_the_bot_never_issued_is_refused() {
    // Arrange
    let bot = TestBot::new();

    // Act: a payload in an older bot's format.
    let outcome = bot.handle(ivan().checks_out("sub:1:vpn_1m", "XTR", 150));

    // Assert
    assert_eq!(outcome.unwrap(), Handled::Replied("checkout refused"));
    let answer = only(bot.telegram.take_calls());
    assert_eq!(answer.method, "answerPreCheckoutQuery");
    assert_eq!(answer.body["pre_checkout_query_id"], "pcq-1001");
    assert_eq!(answer.body["ok"], false);
    assert_eq!(answer.body["error_message"], Texts::new(Locale::Ru).get("checkout-order-unknown"));
    assert!(bot.store.orders().is_empty() && bot.jobs.take().is_empty());
}

// ----------------------------------------------------------------------------------- admin

#[test]
fn stats_are_for_admins_only_and_count_users_plans_revenue_and_conversions() {
    // Arrange: Ivan started a trial and then paid, Anna (invited by Ivan) paid, Budi only came.
    let bot = TestBot::new();
    let ivan_row = bot.given(&ivan(), "/start");
    bot.given(&anna(), &format!("/start ref_{}", ivan_row.user.referral_code));
    bot.given(&budi(), "/start");
    bot.handle(ivan().sends("/trial")).unwrap();
    support::flows::provisioned(&bot, &ivan(), "monthly", "stxIVAN");
    support::flows::provisioned(&bot, &anna(), "quarterly", "stxANNA");
    bot.telegram.take_calls();
    let admin = Person::new(9001, "Admin").speaking("en");
    bot.given(&admin, "/start");

    // Act
    bot.handle(admin.sends("/stats")).unwrap();
    let text = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(budi().sends("/stats")).unwrap();
    let refused = only(bot.telegram.take_calls());

    // Assert
    assert!(text.contains("Users: 4 (today 4, 7 days 4)"), "{text}");
    assert!(text.contains("Active subscriptions: monthly 1 · quarterly 1"), "{text}");
    assert!(text.contains("Trials started: 1"), "{text}");
    assert!(text.contains("Revenue today: ⭐350"), "{text}");
    assert!(text.contains("Trial → paid: 100% (1 of 1)"), "{text}");
    assert!(text.contains("Paying users who came by referral: 50% (1 of 2)"), "{text}");
    assert_eq!(refused.text(), Texts::new(Locale::Id).get("unknown-command"));
}

#[test]
fn user_shows_an_admin_one_customer_by_id_or_username_with_the_panels_live_subscription() {
    // Arrange: Anna (invited by Ivan) bought a month.
    let bot = TestBot::new();
    let ivan_row = bot.given(&ivan(), "/start");
    bot.given(&anna().with_username("anna_vpn"), &format!("/start ref_{}", ivan_row.user.referral_code));
    support::flows::provisioned(&bot, &anna(), "monthly", "stxANNA");
    bot.telegram.take_calls();
    let admin = Person::new(9001, "Admin").speaking("en");
    bot.given(&admin, "/start");

    // Act
    bot.handle(admin.sends("/user @Anna_VPN")).unwrap();
    let by_name = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(admin.sends("/user 1002")).unwrap();
    let by_id = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(admin.sends("/user 4242")).unwrap();
    let unknown = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(admin.sends("/user <b>")).unwrap();
    let usage = only(bot.telegram.take_calls()).text().to_string();
    bot.handle(anna().sends("/user 1001")).unwrap();
    let refused = only(bot.telegram.take_calls());

    // Assert
    assert_eq!(by_name, by_id);
    assert!(by_name.starts_with("<b>👤 Anna @anna_vpn</b>\nTelegram id 1002"), "{by_name}");
    assert!(by_name.contains("Subscription: ACTIVE until"), "{by_name}");
    assert!(by_name.contains("(live from the panel)"), "{by_name}");
    assert!(by_name.contains("stars ⭐100 completed"), "{by_name}");
    assert!(by_name.contains("Referrals: invited 0, paying 0 · invited by @ivan"), "{by_name}");
    assert_eq!(unknown, "No such customer.");
    assert_eq!(usage, "Usage: /user &lt;telegram id&gt; or /user @username");
    assert_eq!(refused.text(), Texts::new(Locale::En).get("unknown-command"));
}
