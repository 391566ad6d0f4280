//! Admins' `/broadcast`: compose, preview, filter, confirm; then the queue jobs deliver it to
//! every eligible customer exactly once, through 429s (wait and resume), 403s (the customer is
//! marked blocked and skipped from then on) and a channel failure midway (the batch is retried).

mod support;

use serde_json::json;
use support::flows::provisioned;
use support::telegram::ApiFailure;
use support::{only, Person, TestBot};
use wavegate_bot::Handled;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::shop::broadcast::BatchOutcome;
use wavegate_shared::shop::ports::Job;

fn admin() -> Person {
    Person::new(9001, "Admin").speaking("en")
}

fn customer(n: i64) -> Person {
    Person::new(5000 + n, &format!("C{n}")).speaking(if n % 3 == 0 { "ru" } else { "en" })
}

const TEXT: &str = "New servers in Jakarta! <fast> & free";

/// Arrange: the admin composes the broadcast; returns its id and the two messages shown.
fn drafted(bot: &TestBot) -> (i64, Vec<support::telegram::ApiCall>) {
    bot.given(&admin(), "/start");
    bot.handle(admin().sends("/broadcast")).unwrap();
    bot.telegram.take_calls();
    let outcome =
        bot.handle(admin().sends(&format!("{TEXT}\nbutton: Open the bot | https://t.me/WavegateBot")));
    assert_eq!(outcome.unwrap(), Handled::Replied("broadcast: draft"));
    let id = bot.store.rows("SELECT max(id) AS id FROM broadcasts", &[])[0]["id"].as_i64().unwrap();
    (id, bot.telegram.take_calls())
}

/// Runs the broadcast's jobs as the queue would until none is left; returns the outcomes.
/// `before(job number)` runs before each job (to script Telegram's answers).
fn deliver(bot: &TestBot, mut queue: Vec<Job>, before: impl Fn(u32)) -> Vec<BatchOutcome> {
    let mut outcomes = Vec::new();
    while !queue.is_empty() {
        let Job::Broadcast { id, job } = queue.remove(0) else { continue };
        before(job);
        let outcome = bot.broadcast_batch(id, job).unwrap();
        if let BatchOutcome::Paused(seconds) = outcome {
            // The consumer sends the same job again after the pause.
            bot.set_now(bot.now() + i64::from(seconds));
            queue.push(Job::Broadcast { id, job });
        }
        // Every other outcome queued its successor itself (or needs none).
        queue.extend(bot.jobs.take());
        outcomes.push(outcome);
        assert!(outcomes.len() < 100, "the broadcast never finished");
    }
    outcomes
}

#[test]
fn customers_cannot_broadcast() {
    let bot = TestBot::new();
    bot.given(&customer(1), "/start");
    assert_eq!(
        bot.handle(customer(1).sends("/broadcast")).unwrap(),
        Handled::Replied("admin command refused")
    );
    assert_eq!(only(bot.telegram.take_calls()).text(), Texts::new(Locale::En).get("unknown-command"));
    bot.handle(customer(1).presses("bc:1:go")).unwrap();
    assert_eq!(bot.store.rows("SELECT * FROM broadcasts", &[]).len(), 0);
}

#[test]
fn the_preview_shows_the_message_as_sent_and_the_recipients_per_filter() {
    // Arrange: 2 customers with a subscription, 4 who never paid (2 of them speak Russian).
    let bot = TestBot::new();
    for n in 1..=6 {
        bot.given(&customer(n), "/start");
    }
    provisioned(&bot, &customer(1), "monthly", "stx1");
    provisioned(&bot, &customer(3), "monthly", "stx3");

    // Act
    let (id, shown) = drafted(&bot);
    bot.handle(admin().presses(&format!("bc:{id}:active"))).unwrap();
    let active = bot.telegram.take_calls().pop().unwrap();
    bot.handle(admin().presses_again(&format!("bc:{id}:l-ru"), 2)).unwrap();
    let russian = bot.telegram.take_calls().pop().unwrap();

    // Assert: the preview is the customers' message, escaped, with its button.
    assert_eq!(shown[0].text(), "New servers in Jakarta! &lt;fast&gt; &amp; free");
    assert_eq!(shown[0].urls(), ["https://t.me/WavegateBot"]);
    // 7 users: the admin too (a user of the bot like any other).
    assert!(shown[1].text().contains("Recipients: 7"), "{}", shown[1].text());
    assert_eq!(shown[1].labels()[..4], ["✓ All 7", "Active 2", "Expired 0", "Never paid 5"]);
    assert!(
        active.text().contains("Audience: Active") && active.text().contains("Recipients: 2"),
        "{}",
        active.text()
    );
    assert!(russian.text().contains("Recipients: 1"), "{}", russian.text());
    assert!(russian.label(&format!("bc:{id}:go")).unwrap().ends_with("Send to 1"));
}

#[test]
fn every_eligible_customer_gets_it_exactly_once_through_429_403_and_a_retried_batch() {
    // Arrange: 40 customers (two batches and more); customer 7 blocked the bot long ago.
    let bot = TestBot::new();
    for n in 1..=40 {
        bot.given(&customer(n), "/start");
    }
    bot.handle(customer(7).sets_bot_status("kicked")).unwrap();
    let (id, _) = drafted(&bot);
    bot.handle(admin().presses(&format!("bc:{id}:go"))).unwrap();
    let started = bot.telegram.take_calls().pop().unwrap();

    // Telegram: the first send is throttled; then one customer turns out to have blocked the
    // bot; then, in the next batch, the channel fails for one call (the batch is retried).
    bot.telegram.fail_next("sendMessage", ApiFailure::too_many_requests(3));
    bot.telegram.fail_next("sendMessage", ApiFailure::blocked_by_user());

    // Act
    let failed_midway = std::cell::Cell::new(false);
    let queued = bot.jobs.take();
    let outcomes = deliver(&bot, queued, |job| {
        if job == 2 && !failed_midway.replace(true) {
            bot.telegram.fail_next("sendMessage", ApiFailure::other(502, "Bad Gateway"));
        }
    });
    let calls = bot.telegram.take_calls();

    // Assert
    assert!(
        started.text().starts_with(&format!("📣 Broadcast #{id}: sending to 40 recipients")),
        "{}",
        started.text()
    );
    assert_eq!(outcomes[0], BatchOutcome::Throttled(3));
    assert!(outcomes.iter().any(|o| matches!(o, BatchOutcome::Unavailable(_))));
    // Every attempt, failed ones included: 40 customers once each, plus the one a 429 turned
    // back (not delivered), sent again. The 502 may have been delivered: never sent again.
    let attempts: Vec<i64> = calls
        .iter()
        .filter(|c| c.method == "sendMessage" && c.text().starts_with("New servers"))
        .filter_map(|c| c.chat_id())
        .collect();
    let mut chats = attempts.clone();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!((attempts.len(), chats.len()), (41, 40), "{attempts:?}");
    assert!(!chats.contains(&5007), "blocked users are skipped");
    let recipients: Vec<(String, i64)> = bot
        .store
        .rows("SELECT status, count(*) AS n FROM broadcast_recipients GROUP BY status ORDER BY status", &[])
        .iter()
        .map(|r| (r["status"].as_str().unwrap().to_string(), r["n"].as_i64().unwrap()))
        .collect();
    assert_eq!(recipients, [("blocked".to_string(), 1), ("failed".to_string(), 1), ("sent".to_string(), 38)]);
    let newly_blocked = bot.store.rows("SELECT count(*) AS n FROM users WHERE is_blocked = 1", &[]);
    assert_eq!(newly_blocked[0]["n"], json!(2));
    let report = calls.iter().rev().find(|c| c.chat_id() == Some(9001)).expect("a final report");
    assert!(report.text().contains("38 sent, 1 blocked, 1 failed"), "{}", report.text());
    assert_eq!(bot.store.rows("SELECT status FROM broadcasts", &[])[0]["status"], json!("done"));
}

#[test]
fn a_broadcast_is_sent_once_and_a_sent_one_cannot_be_cancelled_or_sent_again() {
    let bot = TestBot::new();
    bot.given(&customer(1), "/start");
    let (id, _) = drafted(&bot);
    bot.handle(admin().presses(&format!("bc:{id}:go"))).unwrap();
    bot.handle(admin().presses_again(&format!("bc:{id}:go"), 2)).unwrap();
    bot.handle(admin().presses_again(&format!("bc:{id}:no"), 3)).unwrap();
    let replies: Vec<String> = bot.telegram.take_calls().iter().map(|c| c.text().to_string()).collect();
    let queued = bot.jobs.take();
    assert_eq!(queued, [Job::Broadcast { id, job: 1 }], "queued once");
    let outcomes = deliver(&bot, queued, |_| {});
    assert_eq!(outcomes.last(), Some(&BatchOutcome::Finished { reported: true }));
    let got = bot.telegram.take_calls();
    assert_eq!(
        got.iter().filter(|c| c.chat_id() == Some(5001) && c.text().starts_with("New servers")).count(),
        1
    );
    assert!(replies.iter().filter(|t| t.contains("is sending already")).count() == 2, "{replies:?}");
    let audit = bot.store.audit();
    let actions: Vec<&str> =
        audit.iter().filter(|a| a.subject == format!("broadcast:{id}")).map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["broadcast.drafted", "broadcast.sent"]);
}
