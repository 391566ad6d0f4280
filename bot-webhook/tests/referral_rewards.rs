//! Referral rewards through the one pipeline: a referred user's first completed payment gives
//! the referrer 7 days (a free bonus order, provisioned by the queue exactly once), milestones
//! at 3, 10 and 25 paying referrals give 30, 90 and 180 days once each, a refund of the
//! earning payment takes them back, and a referrer without a subscription keeps the days until
//! their first purchase or trial.

mod support;

use support::flows::{at_day, paid, panel_expiry, provisioned};
use support::{Person, TestBot, DAY, NOW};
use wavegate_shared::db::Arg;
use wavegate_shared::i18n::{Arg as TextArg, Locale, Texts};
use wavegate_shared::shop::fulfil::FulfilOutcome;
use wavegate_shared::shop::store::ShopStore;
use wavegate_shared::subscription::OrderStatus;

fn anna() -> Person {
    Person::new(1002, "Anna").speaking("en")
}

fn friend(n: i64) -> Person {
    Person::new(3000 + n, &format!("Friend{n}")).speaking("en")
}

/// Anna's bonus orders: (public id, days, status), oldest first.
fn bonuses(bot: &TestBot) -> Vec<(String, i64, String)> {
    let anna_id = bot.store.user(1002).unwrap().user.id;
    bot.store
        .rows(
            "SELECT public_id, days, status FROM orders WHERE kind = 'bonus' AND user_id = ?1 ORDER BY id",
            &[Arg::Int(anna_id)],
        )
        .iter()
        .map(|r| {
            (
                r["public_id"].as_str().unwrap().to_string(),
                r["days"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Anna invites friend `n`, who starts the bot through her link.
fn invited(bot: &TestBot, n: i64) -> Person {
    let code = bot.store.user(1002).unwrap().user.referral_code;
    bot.given(&friend(n), &format!("/start ref_{code}"));
    friend(n)
}

#[test]
fn the_first_payment_of_a_referred_friend_gives_the_referrer_7_days_once() {
    // Arrange: Anna has 30 days on the panel and invites a friend.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    let f = invited(&bot, 1);

    // Act: the friend pays; the Stars update is delivered twice.
    let (_, payment) = paid(&bot, &f, "monthly", "stxF1");
    bot.handle(f.pays(&payment)).unwrap();
    let rewards = bonuses(&bot);

    // Assert: one bonus order of 7 days; provisioning it adds exactly 7 days, once.
    assert_eq!(rewards.len(), 1, "{rewards:?}");
    assert_eq!((rewards[0].1, rewards[0].2.as_str()), (7, "paid"));
    assert_eq!(bot.provision(&rewards[0].0).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(37));
    let told = bot.telegram.take_calls();
    assert!(told[0].text().starts_with("🎁 +7 days for inviting friends!"), "{}", told[0].text());
    assert_eq!(bot.provision(&rewards[0].0).unwrap(), FulfilOutcome::Done("already provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), at_day(37));

    // A second payment of the same friend earns nothing more.
    paid(&bot, &f, "monthly", "stxF1b");
    assert_eq!(bonuses(&bot).len(), 1);
}

#[test]
fn milestones_at_3_paying_friends_give_30_days_once() {
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    for n in 1..=4 {
        let f = invited(&bot, n);
        paid(&bot, &f, "monthly", &format!("stxF{n}"));
    }
    let days: Vec<i64> = bonuses(&bot).iter().map(|b| b.1).collect();
    assert_eq!(days, [7, 7, 7, 30, 7], "the third paying friend completes the milestone, once");
}

#[test]
fn a_refund_of_the_earning_payment_takes_the_reward_back_and_the_milestone_can_be_reached_again() {
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    let mut payments = Vec::new();
    for n in 1..=3 {
        let f = invited(&bot, n);
        payments.push((f.clone(), paid(&bot, &f, "monthly", &format!("stxF{n}")).1));
    }
    for (order, _, _) in bonuses(&bot) {
        bot.provision(&order).unwrap();
    }
    assert_eq!(panel_expiry(&bot, 1002), at_day(30 + 7 * 3 + 30));

    // Act: the third friend's payment (which completed the milestone) is refunded.
    let (third, payment) = &payments[2];
    bot.handle(third.is_refunded(payment)).unwrap();
    bot.jobs.take();

    // Assert: that friend's 7 days and the milestone's 30 are refunded orders, taken back.
    let after = bonuses(&bot);
    let statuses: Vec<&str> = after.iter().map(|b| b.2.as_str()).collect();
    assert_eq!(statuses, ["provisioned", "provisioned", "refunded", "refunded"]);
    for (order, _, status) in &after {
        if status == "refunded" {
            assert_eq!(bot.take_back(order).unwrap(), FulfilOutcome::Done("taken back"));
        }
    }
    assert_eq!(panel_expiry(&bot, 1002), at_day(30 + 7 * 2));
    let stats = futures::executor::block_on(wavegate_shared::shop::referral::ReferralStore::referral_stats(
        &bot.store.sql,
        bot.store.user(1002).unwrap().user.id,
    ))
    .unwrap();
    assert_eq!(stats.paying, 2);

    // A new paying friend reaches 3 again: the milestone is earned again.
    let f = invited(&bot, 4);
    paid(&bot, &f, "monthly", "stxF4");
    let days: Vec<i64> = bonuses(&bot).iter().filter(|b| b.2 == "paid").map(|b| b.1).collect();
    assert_eq!(days, [7, 30]);
}

#[test]
fn a_referrer_without_a_subscription_keeps_the_days_until_their_first_purchase() {
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    let f = invited(&bot, 1);
    paid(&bot, &f, "monthly", "stxF1");
    let reward = bonuses(&bot)[0].0.clone();

    // No panel user yet: the days wait, and Anna is told they are kept.
    assert_eq!(bot.provision(&reward).unwrap(), FulfilOutcome::Done("bonus waits for a first subscription"));
    let told = bot.telegram.take_calls();
    assert_eq!(told[0].text(), Texts::new(Locale::En).format("bonus-stored", &[("days", TextArg::Num(7))]));
    assert_eq!(bot.store.order_row(&reward).unwrap().status, OrderStatus::Paid);
    // The trial stays offered: a bonus is not a purchase.
    let summary = futures::executor::block_on(
        bot.store.sql.subscription_summary(bot.store.user(1002).unwrap().user.id),
    )
    .unwrap();
    assert!(!summary.has_purchases);

    // Anna buys: the waiting reward is found and added on top of her 30 days.
    let (order, _) = provisioned(&bot, &anna(), "monthly", "stxANNA");
    let waiting = futures::executor::block_on(bot.store.sql.waiting_rewards(&order)).unwrap();
    assert_eq!(waiting, vec![reward.clone()]);
    assert_eq!(bot.provision(&reward).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), NOW + 37 * DAY);
}

#[test]
fn a_milestone_stays_while_the_live_count_still_reaches_it() {
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    provisioned(&bot, &anna(), "monthly", "stxANNA");
    let mut payments = Vec::new();
    for n in 1..=4 {
        let f = invited(&bot, n);
        payments.push((f.clone(), paid(&bot, &f, "monthly", &format!("stxF{n}")).1));
    }
    // The first friend (not the one who completed the milestone) is refunded: 3 still pay.
    let (first, payment) = &payments[0];
    bot.handle(first.is_refunded(payment)).unwrap();
    let statuses: Vec<(i64, String)> = bonuses(&bot).into_iter().map(|b| (b.1, b.2)).collect();
    let expected: Vec<(i64, String)> = [(7, "refunded"), (7, "paid"), (7, "paid"), (30, "paid"), (7, "paid")]
        .map(|(d, s)| (d, s.to_string()))
        .to_vec();
    assert_eq!(statuses, expected);
    // Another refund takes the count to 2: now the milestone goes too.
    let (second, payment) = &payments[1];
    bot.handle(second.is_refunded(payment)).unwrap();
    let milestone = bonuses(&bot).into_iter().find(|b| b.1 == 30).unwrap();
    assert_eq!(milestone.2, "refunded");
}

#[test]
fn a_later_payment_is_not_a_first_payment() {
    // A friend who paid before (refunded) and pays again earns the inviter nothing.
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    let f = invited(&bot, 1);
    let (_, payment) = paid(&bot, &f, "monthly", "stxF1");
    bot.handle(f.is_refunded(&payment)).unwrap();
    paid(&bot, &f, "monthly", "stxF1b");
    let paid_bonuses: Vec<_> = bonuses(&bot).into_iter().filter(|b| b.2 != "refunded").collect();
    assert!(paid_bonuses.is_empty(), "{paid_bonuses:?}");
}

#[test]
fn a_waiting_bonus_does_not_block_the_free_trial_and_is_added_after_it() {
    let bot = TestBot::new();
    bot.given(&anna(), "/start");
    let f = invited(&bot, 1);
    paid(&bot, &f, "monthly", "stxF1");
    let reward = bonuses(&bot)[0].0.clone();
    assert_eq!(bot.provision(&reward).unwrap(), FulfilOutcome::Done("bonus waits for a first subscription"));
    // Told once, however often the job runs.
    assert_eq!(bot.provision(&reward).unwrap(), FulfilOutcome::Done("bonus waits for a first subscription"));
    let stored = Texts::new(Locale::En).format("bonus-stored", &[("days", TextArg::Num(7))]);
    assert_eq!(bot.telegram.take_calls().iter().filter(|c| c.text() == stored).count(), 1);

    bot.handle(anna().sends("/trial")).unwrap();
    let trial = bot.store.rows("SELECT public_id FROM orders WHERE kind = 'trial'", &[]);
    let trial = trial[0]["public_id"].as_str().unwrap().to_string();
    assert_eq!(bot.provision(&trial).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(bot.provision(&reward).unwrap(), FulfilOutcome::Done("provisioned"));
    assert_eq!(panel_expiry(&bot, 1002), NOW + (i64::from(support::TRIAL_DAYS) + 7) * DAY);
}

#[test]
fn the_orders_rebuild_keeps_every_row_and_every_reference_on_a_database_with_data() {
    use wavegate_shared::db::sqlite::SqliteDb;
    // Arrange: a database migrated up to 0009 with a customer, a paid order, its payment, its
    // subscription period and a promo redemption pointing at the order.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../d1-migrations");
    let before = std::env::temp_dir().join(format!("wavegate-migrations-{}", std::process::id()));
    std::fs::create_dir_all(&before).unwrap();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0010" {
            std::fs::copy(&path, before.join(&name)).unwrap();
        }
    }
    let db = SqliteDb::with_migrations(&before);
    db.exec("INSERT INTO users (id, telegram_id, referral_code, created_at, updated_at) VALUES (1, 42, 'abcdefgh', 0, 0)", &[]);
    db.exec(
        "INSERT INTO orders (id, public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                             created_at, updated_at, paid_at, target_expires_at, chat_id)
         VALUES (7, 'ab12cd34ef56gh78', 1, 1, 'purchase', 'stars', 100, 'XTR', 30, 'provisioned', 1, 2, 3, 4, 42)",
        &[],
    );
    db.exec(
        "INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, status, idempotency_key, created_at, updated_at)
         VALUES (7, 1, 'stars', 100, 'XTR', 'completed', 'stars:stx1', 0, 0)",
        &[],
    );
    db.exec(
        "INSERT INTO subscriptions (user_id, plan_id, order_id, source, days, starts_at, expires_at, created_at, updated_at)
         VALUES (1, 1, 7, 'purchase', 30, 0, 2592000, 0, 0)",
        &[],
    );
    db.exec("INSERT INTO promo_codes (id, code, kind, value, created_at) VALUES (1, 'X', 'days', 3, 0)", &[]);
    db.exec(
        "INSERT INTO promo_redemptions (promo_id, user_id, order_id, created_at) VALUES (1, 1, 7, 0)",
        &[],
    );

    // Act
    let migration = std::fs::read_to_string(root.join("0010_referral_rewards.sql")).unwrap();
    let applied = db.migrate(&migration);
    std::fs::remove_dir_all(&before).ok();

    // Assert
    assert_eq!(applied, Ok(()));
    let order = &db.rows("SELECT * FROM orders WHERE id = 7", &[])[0];
    assert_eq!(
        (
            order["public_id"].as_str(),
            order["status"].as_str(),
            order["target_expires_at"].as_i64(),
            order["chat_id"].as_i64()
        ),
        (Some("ab12cd34ef56gh78"), Some("provisioned"), Some(4), Some(42))
    );
    assert!(db.rows("PRAGMA foreign_key_check", &[]).is_empty());
    // The new kind is accepted.
    db.exec(
        "INSERT INTO orders (public_id, user_id, kind, provider, amount_minor, currency, days, status, created_at, updated_at)
         VALUES ('bonus00000000001', 1, 'bonus', 'bonus', 0, 'XTR', 7, 'paid', 0, 0)",
        &[],
    );
}
