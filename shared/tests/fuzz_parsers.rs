//! Hostile input: property-based fuzzing (proptest) of every parser in the core that takes
//! outside bytes — Telegram updates, the payment providers' and the panel's webhooks, Mini App
//! `initData`, Login Widget payloads, session tokens, the configuration, upstream API
//! responses, and the small parsers of ids, codes and payloads.
//!
//! Each group says what it proves. Across all of them:
//! 1. arbitrary bytes and strings never panic (a panic in the Worker is an error page for a
//!    paying customer, style.md §7);
//! 2. every rejection is the parser's typed error, and every acceptance holds exactly what was
//!    sent (no coercion, no rounding, no garbage);
//! 3. structured generators build *almost valid* input (the real JSON shapes with mutated
//!    fields, a correct HMAC over the mutated body, amounts off by one, huge numbers, unicode,
//!    empty and very long strings) so the cases get past the first checks;
//! 4. round trips where a writer exists: signed payloads verify, and a single-byte change of
//!    the body or the signature is refused.
//!
//! Time-boxed by default ([`DEFAULT_CASES`] cases per property); `PROPTEST_CASES` overrides it
//! for a longer run (docs/SECURITY.md, "Hostile input"). Failures are kept in
//! `shared/proptest-regressions/fuzz_parsers.txt`, which is meant to be committed: proptest
//! replays those cases first on every run.
//!
//! The ten bugs the fuzzing found (overflows on signed but absurd dates, a line break merging
//! two initData fields under one hash, `+` taken as a digit, a broadcast length counted in
//! characters instead of UTF-16 units, …) are fixed; their tests are at the end of the file.

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use futures::executor::block_on;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use wavegate_shared::config::Config;
use wavegate_shared::domain::{referral_link, ReferralCode, StartPayload, TelegramUserId};
use wavegate_shared::http::{
    decode_component, encode_component, scrub, HttpClient, HttpRequest, HttpResponse, Sleeper, TransportError,
};
use wavegate_shared::i18n::Locale;
use wavegate_shared::money::{Currency, Money};
use wavegate_shared::providers::gateway::{CheckoutRequest, Gateway, RefundRequest};
use wavegate_shared::providers::{
    cryptopay, hmac_sha256, hmac_sha256_hex, razorpay, xendit, ChannelEvent, WebhookError,
};
use wavegate_shared::remnawave::webhook::{verify_and_parse, PanelEvent, PanelWebhookError, WINDOW_SECONDS};
use wavegate_shared::remnawave::{parse_panel_datetime, Panel, PanelUserId, RemnawaveClient};
use wavegate_shared::secure::secret_eq;
use wavegate_shared::sentry::Dsn;
use wavegate_shared::shop::broadcast::{Audience, Message as Broadcast, MAX_TEXT};
use wavegate_shared::shop::catalog::{PayMethod, PlanSlug, Provider};
use wavegate_shared::shop::console::{csv_cell, day_start, valid_key, PlanEditRequest};
use wavegate_shared::shop::order::{
    check_checkout, payment_matches, CheckoutRefusal, Mismatch, OrderId, OrderView,
};
use wavegate_shared::shop::payment::PaymentKey;
use wavegate_shared::shop::promo::{NewPromo, PromoCode, PromoKind, MAX_DAYS, MAX_PERCENT};
use wavegate_shared::shop::referral::Period;
use wavegate_shared::shop::sql::reports::UserSort;
use wavegate_shared::shop::stars::{ledger_event, parse_payload, payload, RenewalChange};
use wavegate_shared::shop::stats::CustomerQuery;
use wavegate_shared::subscription::OrderStatus;
use wavegate_shared::telegram::webapp::{self, InitDataError};
use wavegate_shared::telegram::{BotApi, SentMessage, StarTransaction, TelegramError, Update};
use wavegate_shared::web::login::{self, LoginError};
use wavegate_shared::web::session::{self, SessionClaims, SessionError, ACCESS_TTL};

// ------------------------------------------------------------------------------------ harness

/// Cases per property when `PROPTEST_CASES` is not set: the whole file then runs in about
/// 15 s of test time in a debug `cargo test` on the 2-core machine (docs/SECURITY.md,
/// "Hostile input").
const DEFAULT_CASES: u32 = 256;

/// The configuration of one group: `PROPTEST_CASES` (read by proptest itself) or
/// [`DEFAULT_CASES`], divided by `cost` for the groups whose cases are expensive; failures
/// persisted under the crate's `proptest-regressions/` (proptest's own default would put them
/// beside this file as `tests/fuzz_parsers.proptest-regressions`, since `tests/` has no lib.rs).
fn fuzz(cost: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { DEFAULT_CASES };
    let persistence = base.failure_persistence.is_some().then(|| {
        Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/fuzz_parsers.txt"
        ))) as Box<dyn proptest::test_runner::FailurePersistence>
    });
    let cases = (cases / cost).max(1);
    // Rejections (`prop_assume!`) scale with the cases, or a long run aborts on proptest's 1024.
    ProptestConfig { cases, max_global_rejects: cases.max(1024), failure_persistence: persistence, ..base }
}

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

// --------------------------------------------------------------------------------- generators

/// Characters parsers split on or trip over: separators, escapes, look-alike digits, controls,
/// bidi marks, and the edges of unicode.
fn tricky_char() -> BoxedStrategy<char> {
    prop_oneof![
        5 => select(vec![
            'a', 'Z', '0', '9', ':', '=', '&', '%', '+', ' ', '\n', '\r', '\t', '\0', '"', '\\', '.',
            '-', '_', '@', '/', '?', '#', ',', ';', '|', '{', '}', '[', ']', '\u{feff}', '\u{202e}',
            '\u{a0}', '\u{2028}', '١', '１', 'ß', 'İ', 'é', '🙂', '\u{10ffff}',
        ]),
        2 => any::<char>(),
        2 => proptest::char::range('0', '9'),
        1 => proptest::char::range('a', 'f'),
    ]
    .boxed()
}

/// Short text an attacker controls.
fn short_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[ -~]{0,24}",
        3 => vec(tricky_char(), 0..16).prop_map(String::from_iter),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// Text an attacker controls, now and then very long.
fn hostile_text() -> BoxedStrategy<String> {
    prop_oneof![
        9 => short_text(),
        1 => vec(tricky_char(), 1000..4000).prop_map(String::from_iter),
    ]
    .boxed()
}

/// Strings that look like numbers, or nearly.
fn numeric_text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (0u64..1_000_000, "[0-9]{0,18}").prop_map(|(w, f)| format!("{w}.{f}")),
        select(vec![
            "",
            "0",
            "-0",
            "+1",
            "1e3",
            "1E-2",
            "0x10",
            "1_000",
            " 1",
            "1 ",
            "１",
            "٣",
            "NaN",
            "inf",
            "-inf",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999",
            ".5",
            "5.",
            "1,5",
            "00000000000000000001",
            "0.00",
            "4.99",
            "4.990",
            "4.999",
            "1000000000000000",
        ])
        .prop_map(str::to_string),
    ]
    .boxed()
}

/// Names the parsers look for, so random objects hit real fields.
const FIELD_NAMES: &[&str] = &[
    "update_id",
    "message",
    "callback_query",
    "pre_checkout_query",
    "from",
    "chat",
    "id",
    "type",
    "text",
    "data",
    "currency",
    "total_amount",
    "invoice_payload",
    "successful_payment",
    "refunded_payment",
    "telegram_payment_charge_id",
    "event",
    "payload",
    "payment",
    "entity",
    "amount",
    "notes",
    "order",
    "receipt",
    "reference_id",
    "payment_link",
    "refund",
    "payment_id",
    "captured",
    "status",
    "request_amount",
    "payment_request_id",
    "update_type",
    "invoice_id",
    "currency_type",
    "fiat",
    "scope",
    "timestamp",
    "meta",
    "expiration",
    "user",
    "alg",
    "sub",
    "uid",
    "fam",
    "jti",
    "exp",
    "first_name",
    "auth_date",
    "hash",
    "ok",
    "result",
    "response",
    "error_code",
    "description",
    "parameters",
    "retry_after",
    "transactions",
];

fn field_name() -> BoxedStrategy<String> {
    prop_oneof![3 => select(FIELD_NAMES).prop_map(str::to_string), 1 => short_text()].boxed()
}

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        short_text().prop_map(Value::String),
        numeric_text().prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON, a few levels deep.
fn arb_json() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Value::Array),
                vec((field_name(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

/// Bytes from anywhere: random, text, JSON, and JSON with one byte changed.
fn hostile_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..512),
        hostile_text().prop_map(String::into_bytes),
        arb_json().prop_map(|v| v.to_string().into_bytes()),
        (arb_json(), any::<usize>(), any::<u8>()).prop_map(|(v, i, b)| {
            let mut bytes = v.to_string().into_bytes();
            let n = bytes.len();
            bytes[i % n] = b;
            bytes
        }),
    ]
    .boxed()
}

/// An amount as a provider might (mis)send it around `base`: exact, off by one, zero,
/// negative, huge, as a digit string, a decimal string, a float, or another type.
fn amount_near(base: i64) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (-2i64..=2).prop_map(move |d| json!(base + d)),
        2 => (-2i64..=2).prop_map(move |d| json!((base + d).to_string())),
        1 => select(vec![0i64, -1, 1, i64::MAX, i64::MIN]).prop_map(|n| json!(n)),
        1 => Just(json!(u64::MAX)),
        1 => Just(json!(base as f64 + 0.5)),
        1 => Just(json!(base as f64)),
        1 => numeric_text().prop_map(Value::String),
        1 => json_leaf(),
    ]
    .boxed()
}

fn currency_value() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => select(vec!["INR", "IDR", "USD", "XTR"]).prop_map(|c| json!(c)),
        1 => select(vec!["inr", "EUR", "", " INR", "INR ", "ＩＮＲ", "USDT"]).prop_map(|c| json!(c)),
        1 => json_leaf(),
    ]
    .boxed()
}

/// An id: plausible, empty, unicode, very long, or not a string at all.
fn id_value(prefix: &'static str) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => "[A-Za-z0-9]{1,20}".prop_map(move |s| json!(format!("{prefix}{s}"))),
        2 => hostile_text().prop_map(Value::String),
        1 => json_leaf(),
    ]
    .boxed()
}

/// An order reference: ours (`order:<16>` or bare), almost ours, or anything.
fn order_ref_value() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => "[a-z0-9]{16}".prop_map(|s| json!(s)),
        2 => "[a-z0-9]{16}".prop_map(|s| json!(format!("order:{s}"))),
        1 => "[a-z0-9]{15,17}".prop_map(|s| json!(format!("order:order:{s}"))),
        2 => json_leaf(),
    ]
    .boxed()
}

/// Applies up to three mutations to a template: a field at one of `paths` (JSON pointers) is
/// replaced by any value, or removed.
fn mutated(base: BoxedStrategy<Value>, paths: &'static [&'static str]) -> BoxedStrategy<Value> {
    let mutation =
        (select(paths), prop::option::weighted(0.8, prop_oneof![3 => json_leaf(), 1 => arb_json()]));
    (base, vec(mutation, 0..3))
        .prop_map(|(mut value, mutations)| {
            for (pointer, to) in mutations {
                set_or_remove(&mut value, pointer, to);
            }
            value
        })
        .boxed()
}

fn set_or_remove(value: &mut Value, pointer: &str, to: Option<Value>) {
    let Some((parent, key)) = pointer.rsplit_once('/') else { return };
    if let Some(Value::Object(object)) = value.pointer_mut(parent) {
        match to {
            Some(to) => object.insert(key.to_string(), to),
            None => object.remove(key),
        };
    }
}

/// A value serialized compactly or pretty (other bytes, same JSON).
fn bytes_of(value: &Value, pretty: bool) -> Vec<u8> {
    if pretty {
        serde_json::to_vec_pretty(value).unwrap_or_default()
    } else {
        serde_json::to_vec(value).unwrap_or_default()
    }
}

/// `text` with the byte at `at` replaced by `with`; `None` when that changes nothing.
fn mutate_byte(bytes: &[u8], at: usize, with: u8) -> Option<Vec<u8>> {
    if bytes.is_empty() {
        return None;
    }
    let i = at % bytes.len();
    (bytes[i] != with).then(|| {
        let mut out = bytes.to_vec();
        out[i] = with;
        out
    })
}

/// `text` with the character at `at` replaced by `with`; `None` when that changes nothing.
fn mutate_char(text: &str, at: usize, with: char) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let i = at % chars.len();
    (chars[i] != with).then(|| {
        let mut out = chars;
        out[i] = with;
        out.into_iter().collect()
    })
}

/// A lowercase hex signature with one character changed to something that is not the same hex
/// digit in another case (`verify` takes either case by design).
fn mutate_hex_signature(signature: &str, at: usize, with: char) -> Option<String> {
    let i = at % signature.len();
    let original = signature.as_bytes()[i] as char;
    (with.to_ascii_lowercase() != original).then(|| mutate_char(signature, i, with)).flatten()
}

// ======================================================================= Telegram updates
//
// `secure::secret_eq` on the `X-Telegram-Bot-Api-Secret-Token` header, then
// `serde_json::from_slice::<Update>` on the body. Proves: only the exact secret matches (a
// changed character, a prefix, anything else is refused); any bytes are an `Err` or an
// update, never a panic; serde never coerces (an amount sent as a string, float or
// out-of-range number is refused, not rounded); a well-formed update with any ids, amounts and
// unicode text parses to exactly what was sent; JSON nested past serde_json's recursion limit
// is an error, not a stack overflow.

fn user_json() -> BoxedStrategy<Value> {
    (
        any::<i64>(),
        any::<bool>(),
        short_text(),
        prop::option::of(short_text()),
        prop::option::of(short_text()),
    )
        .prop_map(|(id, is_bot, first_name, username, language_code)| {
            json!({ "id": id, "is_bot": is_bot, "first_name": first_name, "username": username,
                    "language_code": language_code })
        })
        .boxed()
}

/// One of the update kinds the shop reads, with random contents.
fn update_json() -> BoxedStrategy<Value> {
    let chat = (any::<i64>(), select(vec!["private", "group", "supergroup", "channel", ""]))
        .prop_map(|(id, kind)| json!({ "id": id, "type": kind }));
    let message = (any::<i64>(), user_json(), chat.clone(), any::<i64>(), hostile_text())
        .prop_map(|(message_id, from, chat, date, text)| {
            json!({ "message_id": message_id, "from": from, "chat": chat, "date": date, "text": text })
        });
    let money = (
        any::<i64>(),
        short_text(),
        short_text(),
        short_text(),
        any::<bool>(),
        prop::option::of(any::<i64>()),
    )
        .prop_map(|(amount, currency, payload, charge, recurring, expires)| {
            json!({ "currency": currency, "total_amount": amount, "invoice_payload": payload,
                    "telegram_payment_charge_id": charge, "provider_payment_charge_id": "",
                    "is_recurring": recurring, "subscription_expiration_date": expires })
        });
    let kinds = prop_oneof![
        message.clone().prop_map(|m| json!({ "message": m })),
        (message.clone(), money.clone()).prop_map(|(mut m, p)| {
            m["successful_payment"] = p;
            json!({ "message": m })
        }),
        (message, money).prop_map(|(mut m, mut p)| {
            if let Some(p) = p.as_object_mut() {
                p.remove("is_recurring");
            }
            m["refunded_payment"] = p;
            json!({ "message": m })
        }),
        (short_text(), user_json(), any::<i64>(), chat.clone(), prop::option::of(short_text())).prop_map(
            |(id, from, message_id, chat, data)| {
                json!({ "callback_query": { "id": id, "from": from, "data": data,
                        "message": { "message_id": message_id, "chat": chat, "date": 0 } } })
            }
        ),
        (short_text(), user_json(), short_text(), any::<i64>(), short_text()).prop_map(
            |(id, from, currency, amount, payload)| {
                json!({ "pre_checkout_query": { "id": id, "from": from, "currency": currency,
                        "total_amount": amount, "invoice_payload": payload } })
            }
        ),
        (user_json(), short_text(), short_text())
            .prop_map(|(user, payload, state)| json!({ "subscription": { "user": user,
                "invoice_payload": payload, "state": state } })),
    ];
    (any::<i64>(), kinds)
        .prop_map(|(update_id, kind)| {
            let mut update = json!({ "update_id": update_id });
            if let (Some(update), Some(kind)) = (update.as_object_mut(), kind.as_object()) {
                update.extend(kind.clone());
            }
            update
        })
        .boxed()
}

/// A struct's field as serde reads it: by name from an object, or by position from an array
/// (serde's derive takes a struct as a sequence of its fields too: `"chat":[42,"private"]` is
/// chat 42 — lax, but only Telegram, holding the secret, sends updates).
fn member<'v>(value: &'v Value, key: &str, index: usize) -> Option<&'v Value> {
    match value {
        Value::Array(items) => items.get(index),
        _ => value.get(key),
    }
}

/// HMAC pads a key to its 64-byte block with zeros, so keys that differ only in trailing zero
/// bytes are the same key.
fn same_hmac_key(a: &[u8], b: &[u8]) -> bool {
    let trim = |k: &[u8]| k.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    a == b || (a.len() <= 64 && b.len() <= 64 && a[..trim(a)] == b[..trim(b)])
}

const UPDATE_PATHS: &[&str] = &[
    "/update_id",
    "/message",
    "/message/from",
    "/message/from/id",
    "/message/chat",
    "/message/chat/id",
    "/message/date",
    "/message/text",
    "/message/successful_payment/total_amount",
    "/message/successful_payment/currency",
    "/message/successful_payment/telegram_payment_charge_id",
    "/message/successful_payment/is_recurring",
    "/message/refunded_payment/total_amount",
    "/callback_query/from",
    "/callback_query/data",
    "/callback_query/message",
    "/pre_checkout_query/total_amount",
    "/pre_checkout_query/from/id",
    "/pre_checkout_query/invoice_payload",
    "/subscription/state",
    "/edited_message",
];

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn the_secret_header_matches_only_the_exact_secret(
        secret in "[A-Za-z0-9_-]{1,256}",
        given in short_text(),
        at in any::<usize>(),
        with in tricky_char(),
    ) {
        prop_assert!(secret_eq(secret.as_bytes(), secret.as_bytes()));
        prop_assert_eq!(secret_eq(given.as_bytes(), secret.as_bytes()), given == secret);
        if let Some(changed) = mutate_char(&secret, at, with) {
            prop_assert!(!secret_eq(changed.as_bytes(), secret.as_bytes()));
        }
        prop_assert!(!secret_eq(&secret.as_bytes()[..secret.len() - 1], secret.as_bytes()));
    }

    #[test]
    fn any_bytes_are_an_update_or_an_error_never_a_panic(body in hostile_bytes()) {
        let _ = serde_json::from_slice::<Update>(&body);
    }

    #[test]
    fn a_well_formed_update_parses_to_exactly_what_was_sent(
        update in update_json(),
        pretty in any::<bool>(),
    ) {
        let parsed: Update = serde_json::from_slice(&bytes_of(&update, pretty))
            .map_err(|e| TestCaseError::fail(format!("{e}: {update}")))?;
        prop_assert_eq!(Some(parsed.update_id), update["update_id"].as_i64());
        if let Some(message) = &parsed.message {
            prop_assert_eq!(Some(message.message_id), update["message"]["message_id"].as_i64());
            prop_assert_eq!(message.text.as_deref(), update["message"]["text"].as_str());
            if let Some(paid) = &message.successful_payment {
                let sent = &update["message"]["successful_payment"];
                prop_assert_eq!(Some(paid.total_amount), sent["total_amount"].as_i64());
                prop_assert_eq!(Some(paid.currency.as_str()), sent["currency"].as_str());
                prop_assert_eq!(
                    Some(paid.telegram_payment_charge_id.as_str()),
                    sent["telegram_payment_charge_id"].as_str(),
                );
                prop_assert_eq!(
                    paid.subscription_expiration_date,
                    sent["subscription_expiration_date"].as_i64(),
                );
            }
        }
        if let Some(query) = &parsed.pre_checkout_query {
            let sent = &update["pre_checkout_query"];
            prop_assert_eq!(Some(query.total_amount), sent["total_amount"].as_i64());
            prop_assert_eq!(Some(query.from.id), sent["from"]["id"].as_i64());
            prop_assert_eq!(Some(query.invoice_payload.as_str()), sent["invoice_payload"].as_str());
        }
        if let Some(query) = &parsed.callback_query {
            prop_assert_eq!(query.data.as_deref(), update["callback_query"]["data"].as_str());
        }
    }

    #[test]
    fn a_mutated_update_never_coerces_a_field(update in mutated(update_json(), UPDATE_PATHS)) {
        let Ok(parsed) = serde_json::from_slice::<Update>(&bytes_of(&update, false)) else { return Ok(()) };
        // Whatever parsed is what the JSON says, with its own type: an amount that is a string,
        // a float or out of i64 never becomes a number.
        prop_assert_eq!(Some(parsed.update_id), update["update_id"].as_i64());
        if let Some(paid) = parsed.message.as_ref().and_then(|m| m.successful_payment.as_ref()) {
            prop_assert_eq!(
                Some(paid.total_amount),
                update["message"]["successful_payment"]["total_amount"].as_i64(),
            );
        }
        if let Some(query) = &parsed.pre_checkout_query {
            prop_assert_eq!(Some(query.total_amount), update["pre_checkout_query"]["total_amount"].as_i64());
            let from = &update["pre_checkout_query"]["from"];
            prop_assert_eq!(Some(query.from.id), member(from, "id", 0).and_then(Value::as_i64));
        }
        if let Some(message) = &parsed.message {
            prop_assert_eq!(message.text.as_deref(), update["message"]["text"].as_str());
            let chat = &update["message"]["chat"];
            prop_assert_eq!(Some(message.chat.id), member(chat, "id", 0).and_then(Value::as_i64));
        }
    }
}

#[test]
fn json_nested_past_the_recursion_limit_is_an_error_for_every_parser() {
    for open in ["[", "{\"a\":"] {
        let body = open.repeat(100_000).into_bytes();
        assert!(serde_json::from_slice::<Update>(&body).is_err());
        assert!(razorpay::parse(&body).is_err());
        assert!(xendit::parse(&body).is_err());
        assert!(cryptopay::parse(&body).is_err());
        let sig = hmac_sha256_hex(b"s", &body);
        let now = Utc.timestamp_opt(NOW, 0).single().expect("now");
        assert!(matches!(verify_and_parse("s", &body, &sig, now), Err(PanelWebhookError::Malformed(_))));
    }
    // Inside a field the parsers read as a string or an object, too.
    let deep = format!("{{\"update_id\":1,\"message\":{}}}", "[".repeat(100_000));
    assert!(serde_json::from_slice::<Update>(deep.as_bytes()).is_err());
}

// ======================================================== Telegram Stars: checkout and money
//
// The pre-checkout answer and the payment records trust what an update says only through
// `Money::parse`, `PaymentKey::parse`, `stars::parse_payload`, `check_checkout` and
// `payment_matches`, and the daily ledger check through `stars::ledger_event`. Proves: an
// amount is accepted only when it is exactly the order's price in the order's currency (off by
// one either way, another currency, another payer are each refused with their reason); an
// invoice payload names an order only when it is `order:` + a well-formed id; money with an
// unknown currency, a non-positive amount or an unusable charge id is never an amount; any
// ledger line is either not ours or a payment/refund of exactly its amount.

fn order_view(owner: i64, price: Money, status: OrderStatus, provider: Provider) -> OrderView {
    OrderView {
        id: 1,
        public_id: "ab12cd34ef56gh78".into(),
        user_id: 7,
        telegram_id: owner,
        status,
        provider: provider.code().into(),
        price,
        days: 30,
        plan_id: Some(1),
        subscription: false,
        current_price_minor: Some(price.minor()),
        locale: None,
        language_code: None,
        external_id: None,
        discount: None,
        gift: false,
    }
}

fn currency() -> BoxedStrategy<Currency> {
    select(Currency::ALL.to_vec()).boxed()
}

fn provider() -> BoxedStrategy<Provider> {
    select(Provider::ALL.to_vec()).boxed()
}

/// A Stars transaction as `getStarTransactions` returns it, with random numbers and partners.
fn star_transaction() -> BoxedStrategy<Value> {
    let partner = (
        select(vec!["user", "fragment", "telegram_ads", "other", ""]),
        prop::option::of(select(vec!["invoice_payment", "gift_purchase", "paid_media_payment", ""])),
        prop::option::of(user_json()),
        prop::option::of(prop_oneof!["[a-z0-9]{16}".prop_map(|s| format!("order:{s}")), short_text()]),
        // Bounded: see `a_stars_ledger_line_with_an_extreme_date_does_not_overflow`.
        prop::option::of(prop_oneof![Just(2_592_000i64), -1i64..=1, 0i64..(1 << 40)]),
    )
        .prop_map(|(kind, transaction_type, user, invoice_payload, subscription_period)| {
            json!({ "type": kind, "transaction_type": transaction_type, "user": user,
                    "invoice_payload": invoice_payload, "subscription_period": subscription_period })
        });
    (
        prop_oneof![3 => "stx[A-Za-z0-9_-]{1,40}".boxed(), 1 => short_text()],
        prop_oneof![3 => -1000i64..1000, 1 => any::<i64>()],
        prop_oneof![3 => 0i64..4_000_000_000, 1 => -(1i64 << 60)..(1i64 << 60)],
        prop::option::of(partner.clone()),
        prop::option::of(partner),
    )
        .prop_map(|(id, amount, date, source, receiver)| {
            json!({ "id": id, "amount": amount, "date": date, "source": source, "receiver": receiver })
        })
        .boxed()
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn a_checkout_passes_only_at_exactly_the_orders_price_currency_and_payer(
        owner in 1i64..(1 << 52),
        minor in 1i64..1_000_000_000,
        currency in currency(),
        payer_delta in prop_oneof![3 => Just(0i64), 1 => -2i64..=2],
        amount_delta in prop_oneof![2 => Just(0i64), 2 => -2i64..=2, 1 => Just(i64::MAX / 2)],
        paid_currency in currency(),
    ) {
        let price = Money::new(minor, currency).expect("positive");
        let order = order_view(owner, price, OrderStatus::Pending, Provider::Stars);
        let payer = owner.wrapping_add(payer_delta);
        let sent = minor.saturating_add(amount_delta);
        let verdict = match Money::new(sent, paid_currency) {
            Ok(amount) => check_checkout(&order, payer, amount),
            Err(_) => Err(CheckoutRefusal::AmountMismatch),
        };
        // A non-positive amount is no money at all: the bot refuses it as a mismatch first.
        let expected = if sent <= 0 {
            Err(CheckoutRefusal::AmountMismatch)
        } else if payer != owner {
            Err(CheckoutRefusal::UnknownOrder)
        } else if sent != minor || paid_currency != currency {
            Err(CheckoutRefusal::AmountMismatch)
        } else {
            Ok(())
        };
        prop_assert_eq!(verdict, expected);
    }

    #[test]
    fn money_taken_matches_an_order_only_at_its_exact_amount_provider_and_payer(
        owner in 1i64..(1 << 52),
        minor in 1i64..1_000_000_000,
        currency in currency(),
        ordered_with in provider(),
        paid_with in provider(),
        payer in prop_oneof![Just(None), (-1i64..=1).prop_map(Some)],
        amount_delta in -2i64..=2,
        paid_currency in currency(),
    ) {
        let order = order_view(
            owner,
            Money::new(minor, currency).expect("positive"),
            OrderStatus::Paid,
            ordered_with,
        );
        let payer = payer.map(|d| owner + d);
        let Ok(amount) = Money::new(minor + amount_delta, paid_currency) else { return Ok(()) };
        let verdict = payment_matches(&order, paid_with, payer, amount);
        let expected = if payer.is_some_and(|p| p != owner) {
            Err(Mismatch::OtherPayer)
        } else if paid_with != ordered_with {
            Err(Mismatch::OtherProvider)
        } else if amount_delta != 0 || paid_currency != currency {
            Err(Mismatch::Amount)
        } else {
            Ok(())
        };
        prop_assert_eq!(verdict, expected);
    }

    #[test]
    fn reported_money_is_an_amount_only_when_positive_and_in_a_known_currency(
        minor in prop_oneof![any::<i64>(), -2i64..=2],
        code in prop_oneof![3 => select(vec!["XTR", "USD", "INR", "IDR"]).prop_map(str::to_string), 1 => short_text()],
    ) {
        match Money::parse(minor, &code) {
            Ok(money) => {
                prop_assert!(minor > 0);
                prop_assert_eq!((money.minor(), money.currency().code()), (minor, code.as_str()));
            }
            Err(_) => prop_assert!(minor <= 0 || Currency::parse(&code).is_none()),
        }
    }

    #[test]
    fn a_charge_id_is_a_key_only_when_it_is_printable_ascii_without_spaces(raw in hostile_text()) {
        let expected = !raw.is_empty() && raw.len() <= PaymentKey::MAX_LEN && raw.bytes().all(|b| b.is_ascii_graphic());
        match PaymentKey::parse(&raw) {
            Some(key) => {
                prop_assert!(expected);
                prop_assert_eq!(key.as_str(), raw.as_str());
            }
            None => prop_assert!(!expected),
        }
    }

    #[test]
    fn an_invoice_payload_names_an_order_only_as_order_colon_id_and_round_trips(
        raw in prop_oneof![hostile_text(), "order:[a-z0-9]{14,18}", "(order:|ORDER:| order:)[a-zA-Z0-9]{16}"],
        id in "[a-z0-9]{16}",
    ) {
        if let Some(order) = parse_payload(&raw) {
            prop_assert_eq!(format!("order:{order}"), raw);
        }
        let order = OrderId::parse(&id).expect("16 of [a-z0-9]");
        prop_assert_eq!(parse_payload(&payload(&order)), Some(order));
    }

    #[test]
    fn a_stars_ledger_line_is_a_payment_or_refund_of_exactly_its_amount_or_nothing(tx in star_transaction()) {
        let Ok(tx) = serde_json::from_value::<StarTransaction>(tx) else { return Ok(()) };
        if let Some(event) = ledger_event(&tx, NOW) {
            prop_assert_eq!(event.provider, Provider::Stars);
            prop_assert_eq!(event.key.as_str(), tx.id.as_str());
            prop_assert_eq!(Some(event.amount.minor()), tx.amount.checked_abs());
            prop_assert_eq!(event.amount.currency(), Currency::Xtr);
            if let Some(order) = &event.order {
                let payload = Some(format!("order:{order}"));
                let named = |p: &Option<wavegate_shared::telegram::TransactionPartner>| {
                    p.as_ref().is_some_and(|p| p.invoice_payload == payload)
                };
                prop_assert!(named(&tx.source) || named(&tx.receiver));
            }
        }
    }

    #[test]
    fn renewal_states_are_only_telegrams_three(state in short_text()) {
        if RenewalChange::parse(&state).is_some() {
            prop_assert!(["canceled", "active", "failed"].contains(&state.as_str()));
        }
    }
}

// =================================================================================== Razorpay
//
// `razorpay::verify` (X-Razorpay-Signature over the raw body) and `razorpay::parse`. Proves:
// a body signed with the webhook secret verifies, in either hex case; any single-byte change
// of the body, any changed signature digit, a truncated or extended signature, another secret
// are refused; any bytes parse to an event or `WebhookError::Malformed` (never `Unauthorized`,
// never a panic); an accepted payment names exactly the payment id and amount sent (a string
// amount, a float, an amount off by one are never rounded to something else) and a refund its
// ids.

fn razorpay_event() -> BoxedStrategy<Value> {
    (
        select(vec![
            "payment.captured",
            "payment_link.paid",
            "order.paid",
            "refund.processed",
            "payment.failed",
            "payment.authorized",
            "refund.created",
        ]),
        id_value("pay_"),
        amount_near(19_900),
        currency_value(),
        prop_oneof![Just(json!([])), order_ref_value().prop_map(|o| json!({ "order": o })), arb_json(),],
        prop::option::of((id_value("plink_"), order_ref_value())),
        prop::option::of(order_ref_value()),
        (id_value("rfnd_"), prop::option::of(any::<bool>())),
    )
        .prop_map(|(event, pay_id, amount, currency, notes, link, receipt, (refund_id, captured))| {
            let mut payload = json!({
                "payment": { "entity": { "id": pay_id, "amount": amount, "currency": currency,
                                         "status": "captured", "notes": notes, "captured": captured } },
                "refund": { "entity": { "id": refund_id, "payment_id": pay_id, "amount": amount,
                                        "currency": currency } },
            });
            if let Some((id, reference)) = link {
                payload["payment_link"] = json!({ "entity": { "id": id, "reference_id": reference } });
            }
            if let Some(receipt) = receipt {
                payload["order"] = json!({ "entity": { "receipt": receipt } });
            }
            json!({ "entity": "event", "event": event, "contains": ["payment"], "payload": payload,
                    "created_at": NOW })
        })
        .boxed()
}

const RAZORPAY_PATHS: &[&str] = &[
    "/event",
    "/payload",
    "/payload/payment",
    "/payload/payment/entity",
    "/payload/payment/entity/id",
    "/payload/payment/entity/amount",
    "/payload/payment/entity/currency",
    "/payload/payment/entity/notes",
    "/payload/payment/entity/captured",
    "/payload/refund/entity",
    "/payload/refund/entity/id",
    "/payload/refund/entity/payment_id",
    "/payload/payment_link/entity/reference_id",
];

/// The integer an amount field holds, as providers send it: a JSON integer, or a string of at
/// most 18 ASCII digits.
fn sent_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// What `order_ref` leaves of a reference: one `order:` prefix taken off.
fn order_ref_of(value: &Value) -> Option<String> {
    let text = value.as_str().filter(|s| !s.is_empty())?;
    Some(text.strip_prefix("order:").unwrap_or(text).to_string())
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn razorpay_signed_bodies_verify_and_any_single_change_is_refused(
        secret in short_text(),
        body in hostile_bytes(),
        at in any::<usize>(),
        byte in any::<u8>(),
        with in tricky_char(),
        other_secret in short_text(),
    ) {
        let signature = hmac_sha256_hex(secret.as_bytes(), &body);
        prop_assert!(razorpay::verify(&secret, &body, &signature));
        prop_assert!(razorpay::verify(&secret, &body, &signature.to_uppercase()));
        if let Some(changed) = mutate_byte(&body, at, byte) {
            prop_assert!(!razorpay::verify(&secret, &changed, &signature));
        }
        let mut longer = body.clone();
        longer.push(byte);
        prop_assert!(!razorpay::verify(&secret, &longer, &signature));
        if let Some(changed) = mutate_hex_signature(&signature, at, with) {
            prop_assert!(!razorpay::verify(&secret, &body, &changed), "{changed}");
        }
        prop_assert!(!razorpay::verify(&secret, &body, &signature[..at % 64]));
        let extended = format!("{signature}{with}");
        prop_assert!(!razorpay::verify(&secret, &body, &extended) || with.is_whitespace());
        if !same_hmac_key(other_secret.as_bytes(), secret.as_bytes()) {
            prop_assert!(!razorpay::verify(&other_secret, &body, &signature));
        }
    }

    #[test]
    fn razorpay_any_bytes_are_an_event_or_malformed(body in hostile_bytes()) {
        match razorpay::parse(&body) {
            Ok(_) | Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }

    #[test]
    fn razorpay_events_name_exactly_what_was_sent(
        event in mutated(razorpay_event(), RAZORPAY_PATHS),
        pretty in any::<bool>(),
    ) {
        let payment = &event["payload"]["payment"]["entity"];
        match razorpay::parse(&bytes_of(&event, pretty)) {
            Ok(ChannelEvent::Paid(paid)) => {
                prop_assert!(["payment.captured", "payment_link.paid", "order.paid"].contains(&event["event"].as_str().unwrap_or("")));
                prop_assert!(!paid.key.is_empty());
                prop_assert_eq!(Some(paid.key.as_str()), payment["id"].as_str());
                match paid.amount {
                    Some(amount) => {
                        prop_assert_eq!(Some(amount.minor()), sent_integer(&payment["amount"]));
                        prop_assert_eq!(Some(amount.currency().code()), payment["currency"].as_str());
                        prop_assert!(amount.minor() > 0);
                    }
                    None => prop_assert!(
                        sent_integer(&payment["amount"]).is_none_or(|m| m <= 0)
                            || payment["currency"].as_str().and_then(Currency::parse).is_none()
                    ),
                }
                let candidates = [
                    &event["payload"]["payment_link"]["entity"]["reference_id"],
                    &event["payload"]["order"]["entity"]["receipt"],
                    &payment["notes"]["order"],
                ];
                if let Some(order) = &paid.order {
                    prop_assert!(candidates.iter().any(|c| order_ref_of(c).as_ref() == Some(order)));
                }
            }
            Ok(ChannelEvent::Refunded(refund)) => {
                let sent = &event["payload"]["refund"]["entity"];
                prop_assert_eq!(event["event"].as_str(), Some("refund.processed"));
                prop_assert_eq!(Some(refund.refund_id.as_str()), sent["id"].as_str());
                prop_assert_eq!(Some(refund.payment_key.as_str()), sent["payment_id"].as_str());
                prop_assert!(!refund.refund_id.is_empty() && !refund.payment_key.is_empty());
                if let Some(amount) = refund.amount {
                    prop_assert_eq!(Some(amount.minor()), sent_integer(&sent["amount"]));
                }
            }
            Ok(ChannelEvent::Ignored { event: name }) => {
                prop_assert!(!name.is_empty());
                if name == "refund.processed:uncaptured" {
                    prop_assert_eq!(payment["captured"].as_bool(), Some(false));
                } else {
                    prop_assert_eq!(Some(name.as_str()), event["event"].as_str());
                    prop_assert!(!["payment.captured", "payment_link.paid", "order.paid", "refund.processed"].contains(&name.as_str()));
                }
            }
            Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }
}

// ===================================================================================== Xendit
//
// `xendit::verify` (the static `x-callback-token`, constant time) and `xendit::parse` (Payments
// API v3 webhooks). Proves: only the exact token verifies (any change, prefix, extension or an
// empty header is refused); any bytes are an event or `Malformed`; a succeeded capture is
// money keyed by exactly its `payment_id`, with an amount only when the decimal is exact in the
// currency (never rounded: `"32000.5"` rupiah is no amount); a refund names its ids.

fn xendit_event() -> BoxedStrategy<Value> {
    (
        select(vec!["payment.capture", "refund.succeeded", "payment.failure", "payment.authorization", ""]),
        select(vec!["SUCCEEDED", "FAILED", "PENDING", "succeeded", ""]),
        id_value("py-"),
        id_value("pr-"),
        order_ref_value(),
        prop_oneof![3 => amount_near(32_000), 1 => numeric_text().prop_map(Value::String)],
        currency_value(),
        id_value("rfd-"),
    )
        .prop_map(|(event, status, payment_id, request_id, reference, amount, currency, refund_id)| {
            json!({ "event": event, "business_id": "b", "created": "2026-12-01T00:00:00Z",
                    "data": { "id": refund_id, "payment_id": payment_id, "payment_request_id": request_id,
                              "reference_id": reference, "request_amount": amount, "amount": amount,
                              "currency": currency, "channel_code": "QRIS", "status": status } })
        })
        .boxed()
}

const XENDIT_PATHS: &[&str] = &[
    "/event",
    "/data",
    "/data/id",
    "/data/status",
    "/data/payment_id",
    "/data/payment_request_id",
    "/data/reference_id",
    "/data/request_amount",
    "/data/amount",
    "/data/currency",
];

/// A decimal as providers write it, checked the slow way: digits, at most one dot, the fraction
/// no longer than the currency's (unless zeros). `None` for anything else.
fn reference_decimal(text: &str, currency: Currency) -> Option<i128> {
    let exponent = currency.exponent() as usize;
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let fraction = fraction.unwrap_or("");
    let significant = fraction.trim_end_matches('0');
    if significant.len() > exponent || whole.len() > 30 {
        return None;
    }
    let mut value: i128 = whole.parse().ok()?;
    let padded = format!("{significant:0<exponent$}");
    for b in padded.bytes() {
        value = value * 10 + i128::from(b - b'0');
    }
    Some(value)
}

/// Past `Money::from_decimal`'s deliberate bounds (15 digits on either side of the dot).
fn beyond_bounds(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    whole.len() > 15 || fraction.len() > 15
}

/// The text `decimal_text` reads from an amount field.
fn sent_decimal(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn xendit_only_the_exact_callback_token_verifies(
        token in short_text(),
        given in short_text(),
        at in any::<usize>(),
        with in tricky_char(),
    ) {
        prop_assert_eq!(xendit::verify(&token, &given), !given.is_empty() && given == token);
        prop_assert_eq!(xendit::verify(&token, &token), !token.is_empty());
        if let Some(changed) = mutate_char(&token, at, with) {
            prop_assert!(!xendit::verify(&token, &changed));
        }
        let extended = format!("{token}{with}");
        prop_assert!(!xendit::verify(&token, &extended));
        prop_assert!(!xendit::verify(&token, ""));
    }

    #[test]
    fn xendit_any_bytes_are_an_event_or_malformed(body in hostile_bytes()) {
        match xendit::parse(&body) {
            Ok(_) | Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }

    #[test]
    fn xendit_events_name_exactly_what_was_sent(
        event in mutated(xendit_event(), XENDIT_PATHS),
        pretty in any::<bool>(),
    ) {
        let data = &event["data"];
        match xendit::parse(&bytes_of(&event, pretty)) {
            Ok(ChannelEvent::Paid(paid)) => {
                prop_assert_eq!(event["event"].as_str(), Some("payment.capture"));
                prop_assert_eq!(data["status"].as_str(), Some("SUCCEEDED"));
                prop_assert_eq!(Some(paid.key.as_str()), data["payment_id"].as_str());
                prop_assert!(!paid.key.is_empty());
                prop_assert_eq!(paid.order, order_ref_of(&data["reference_id"]));
                let currency = data["currency"].as_str().and_then(Currency::parse);
                let text = sent_decimal(&data["request_amount"]);
                let exact = text.clone().zip(currency).and_then(|(text, c)| reference_decimal(&text, c));
                match paid.amount {
                    Some(amount) => {
                        prop_assert_eq!(Some(amount.currency()), currency);
                        prop_assert_eq!(Some(i128::from(amount.minor())), exact);
                    }
                    // No amount: not exact, not positive, or past the parser's 15-digit bounds.
                    None => prop_assert!(exact.is_none_or(|v| v <= 0 || text.as_deref().is_some_and(beyond_bounds))),
                }
            }
            Ok(ChannelEvent::Refunded(refund)) => {
                prop_assert_eq!(event["event"].as_str(), Some("refund.succeeded"));
                prop_assert_eq!(Some(refund.refund_id.as_str()), data["id"].as_str());
                prop_assert!(!refund.refund_id.is_empty());
                prop_assert!(!refund.payment_key.is_empty() || refund.object_id.is_some());
            }
            Ok(ChannelEvent::Ignored { event: name }) => {
                prop_assert!(!name.is_empty());
                let sent = event["event"].as_str().unwrap_or("");
                prop_assert!(!sent.is_empty() && name.starts_with(sent));
            }
            Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }
}

// ================================================================================= Crypto Pay
//
// `cryptopay::verify` (crypto-pay-api-signature: HMAC keyed with SHA-256 of the API token) and
// `cryptopay::parse`. Proves the same as for Razorpay, plus: an invoice id is a key only when it
// is an unsigned integer or a digit string (a negative, fractional or textual id is
// `Malformed`); an amount only for a fiat invoice in a known currency, exact.

fn cryptopay_update() -> BoxedStrategy<Value> {
    (
        select(vec!["invoice_paid", "invoice_expired", ""]),
        prop_oneof![
            3 => any::<u32>().prop_map(|n| json!(n)),
            1 => any::<i64>().prop_map(|n| json!(n)),
            1 => "[0-9]{1,24}".prop_map(|s| json!(s)),
            1 => json_leaf(),
        ],
        select(vec!["paid", "active", "expired", "PAID", ""]),
        select(vec!["fiat", "crypto", ""]),
        currency_value(),
        prop_oneof![3 => decimal_near(), 2 => amount_near(5), 2 => numeric_text().prop_map(Value::String)],
        order_ref_value(),
    )
        .prop_map(|(kind, invoice_id, status, currency_type, fiat, amount, payload)| {
            json!({ "update_id": 101, "update_type": kind, "request_date": "2026-01-01T00:00:05.123Z",
                    "payload": { "invoice_id": invoice_id, "status": status, "currency_type": currency_type,
                                 "fiat": fiat, "amount": amount, "paid_asset": "USDT", "paid_amount": amount,
                                 "payload": payload } })
        })
        .boxed()
}

/// A decimal amount around `4.99`: exact, a cent off, more digits, a number instead of text.
fn decimal_near() -> BoxedStrategy<Value> {
    prop_oneof![
        (0i64..1000, 0u32..100).prop_map(|(w, c)| json!(format!("{w}.{c:02}"))),
        select(vec!["4.99", "4.98", "5.00", "5", "4.990", "4.991", "4.9", "04.99", "4,99", " 4.99"])
            .prop_map(|t| json!(t)),
        Just(json!(4.99)),
    ]
    .boxed()
}

const CRYPTOPAY_PATHS: &[&str] = &[
    "/update_type",
    "/payload",
    "/payload/invoice_id",
    "/payload/status",
    "/payload/currency_type",
    "/payload/fiat",
    "/payload/amount",
    "/payload/payload",
];

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn cryptopay_signed_bodies_verify_and_any_single_change_is_refused(
        token in short_text(),
        body in hostile_bytes(),
        at in any::<usize>(),
        byte in any::<u8>(),
        with in tricky_char(),
    ) {
        let key = Sha256::digest(token.as_bytes());
        let signature = hmac_sha256_hex(&key, &body);
        prop_assert!(cryptopay::verify(&token, &body, &signature));
        // Keyed by the token's hash, not the token: the raw token as the key is refused. (A key
        // over HMAC's 64-byte block is hashed by HMAC itself, so there the two coincide.)
        if token.len() <= 64 {
            let raw_key = hmac_sha256_hex(token.as_bytes(), &body);
            prop_assert!(!cryptopay::verify(&token, &body, &raw_key));
        }
        if let Some(changed) = mutate_byte(&body, at, byte) {
            prop_assert!(!cryptopay::verify(&token, &changed, &signature));
        }
        if let Some(changed) = mutate_hex_signature(&signature, at, with) {
            prop_assert!(!cryptopay::verify(&token, &body, &changed));
        }
        prop_assert!(!cryptopay::verify(&token, &body, ""));
    }

    #[test]
    fn cryptopay_any_bytes_are_an_update_or_malformed(body in hostile_bytes()) {
        match cryptopay::parse(&body) {
            Ok(_) | Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }

    #[test]
    fn cryptopay_updates_name_exactly_what_was_sent(
        update in mutated(cryptopay_update(), CRYPTOPAY_PATHS),
        pretty in any::<bool>(),
    ) {
        let invoice = &update["payload"];
        match cryptopay::parse(&bytes_of(&update, pretty)) {
            Ok(ChannelEvent::Paid(paid)) => {
                prop_assert_eq!(update["update_type"].as_str(), Some("invoice_paid"));
                prop_assert_eq!(invoice["status"].as_str(), Some("paid"));
                prop_assert!(!paid.key.is_empty() && paid.key.bytes().all(|b| b.is_ascii_digit()));
                let sent_id = match &invoice["invoice_id"] {
                    Value::Number(n) => n.as_u64().map(|n| n.to_string()),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                };
                prop_assert_eq!(Some(&paid.key), sent_id.as_ref());
                prop_assert_eq!(paid.object_id.as_ref(), Some(&paid.key));
                prop_assert_eq!(paid.order, order_ref_of(&invoice["payload"]));
                if let Some(amount) = paid.amount {
                    prop_assert_eq!(invoice["currency_type"].as_str(), Some("fiat"));
                    prop_assert_eq!(Some(amount.currency().code()), invoice["fiat"].as_str());
                    let exact = sent_decimal(&invoice["amount"]).and_then(|t| reference_decimal(&t, amount.currency()));
                    prop_assert_eq!(Some(i128::from(amount.minor())), exact);
                }
            }
            Ok(ChannelEvent::Refunded(_)) => prop_assert!(false, "Crypto Pay has no refunds"),
            Ok(ChannelEvent::Ignored { event }) => {
                prop_assert!(!event.is_empty());
                prop_assert!(
                    update["update_type"].as_str() != Some("invoice_paid")
                        || invoice["status"].as_str() != Some("paid")
                );
            }
            Err(WebhookError::Malformed(_)) => {}
            Err(other) => prop_assert!(false, "parse said {other:?}"),
        }
    }
}

// ============================================================================ Remnawave panel
//
// `remnawave::webhook::verify_and_parse` (X-Remnawave-Signature over the raw body, then the
// signed timestamp's window, then the event) and `parse_panel_datetime`, which every panel
// timestamp goes through. Proves: without the secret's HMAC nothing is parsed (any single-byte
// change of body or signature, an empty secret, another secret: `Unauthorized`); a signed body
// outside the window is `Stale` and inside it is parsed; a signed body of any shape is an event
// or `Malformed`, never a panic; a user event carries exactly the user sent; every RFC 3339
// timestamp chrono reads, the panel parser reads the same, and what it accepts chrono accepts.

const PANEL_SECRET: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";

/// An RFC 3339 timestamp of any instant in years 1–9998, with any offset and precision.
fn rfc3339() -> BoxedStrategy<(String, DateTime<Utc>)> {
    (
        -62_135_596_800i64..253_370_764_800,
        0u32..1_000_000_000,
        -1439i32..=1439,
        select(vec![SecondsFormat::Secs, SecondsFormat::Millis, SecondsFormat::Micros, SecondsFormat::Nanos]),
        any::<bool>(),
    )
        .prop_map(|(secs, nanos, offset_minutes, format, z)| {
            let at = Utc.timestamp_opt(secs, nanos).single().expect("in range");
            let offset = FixedOffset::east_opt(offset_minutes * 60).expect("under a day");
            let text = if z && offset_minutes == 0 {
                at.to_rfc3339_opts(format, true)
            } else {
                at.with_timezone(&offset).to_rfc3339_opts(format, false)
            };
            let truncated =
                DateTime::parse_from_rfc3339(&text).expect("chrono reads its own").with_timezone(&Utc);
            (text, truncated)
        })
        .boxed()
}

fn panel_user(id: i64, username: &str, expire_at: &str, telegram_id: Option<i64>) -> Value {
    json!({ "id": id, "uuid": "u", "shortUuid": "abc", "username": username, "status": "ACTIVE",
            "trafficLimitBytes": 0, "trafficLimitStrategy": "NO_RESET", "expireAt": expire_at,
            "telegramId": telegram_id, "hwidDeviceLimit": 3, "description": null, "tag": null,
            "subscriptionUrl": "https://sub.example.test/abc",
            "userTraffic": { "usedTrafficBytes": 5, "lifetimeUsedTrafficBytes": 5, "onlineAt": null,
                             "firstConnectedAt": null, "lastConnectedNodeUuid": null } })
}

fn panel_event() -> BoxedStrategy<Value> {
    (
        select(vec!["user", "user_hwid_devices", "node", "service", "crm", "errors", ""]),
        short_text(),
        any::<i64>(),
        short_text(),
        rfc3339(),
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
    )
        .prop_map(|(scope, event, id, username, (expire_at, _), telegram_id, expiration)| {
            let user = panel_user(id, &username, &expire_at, telegram_id);
            let data = match scope {
                "user" => user,
                "user_hwid_devices" => json!({ "user": user, "hwidUserDevice": {} }),
                "node" => json!({ "uuid": "n1", "name": username, "address": "10.0.0.1", "countryCode": "DE",
                                   "isConnected": id % 2 == 0, "isDisabled": false }),
                _ => json!({}),
            };
            json!({ "scope": scope, "event": event, "timestamp": "2026-01-01T00:00:00.000Z", "data": data,
                    "meta": expiration.map(|e| json!({ "expiration": e })) })
        })
        .boxed()
}

const PANEL_PATHS: &[&str] = &[
    "/scope",
    "/event",
    "/timestamp",
    "/data",
    "/data/id",
    "/data/expireAt",
    "/data/status",
    "/data/user",
    "/data/user/id",
    "/data/isConnected",
    "/meta",
    "/meta/expiration",
];

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn panel_timestamps_read_as_chrono_reads_rfc3339((text, at) in rfc3339()) {
        prop_assert_eq!(parse_panel_datetime(&text), Some(at));
    }

    #[test]
    fn what_the_panel_parser_accepts_chrono_accepts_too(
        text in prop_oneof![
            short_text(),
            (rfc3339(), any::<usize>(), tricky_char()).prop_map(|((t, _), at, with)| mutate_char(&t, at, with).unwrap_or(t)),
        ],
    ) {
        if let Some(at) = parse_panel_datetime(&text) {
            let chrono = DateTime::parse_from_rfc3339(&text).map(|t| t.with_timezone(&Utc));
            prop_assert_eq!(Ok(at), chrono, "{:?}", text);
        }
    }

    #[test]
    fn panel_webhooks_refuse_anything_not_signed_with_the_secret(
        body in hostile_bytes(),
        signature in prop_oneof![short_text(), "[0-9a-f]{64}"],
        secret in prop_oneof![Just(PANEL_SECRET.to_string()), short_text()],
        at in any::<usize>(),
        byte in any::<u8>(),
        with in tricky_char(),
        now in 0i64..4_000_000_000,
    ) {
        let now = Utc.timestamp_opt(now, 0).single().expect("in range");
        let real = hmac_sha256_hex(secret.as_bytes(), &body);
        if signature != real {
            prop_assert_eq!(
                verify_and_parse(&secret, &body, &signature, now),
                Err(PanelWebhookError::Unauthorized),
            );
        }
        if let Some(changed) = mutate_byte(&body, at, byte) {
            prop_assert_eq!(
                verify_and_parse(&secret, &changed, &real, now),
                Err(PanelWebhookError::Unauthorized),
            );
        }
        if let Some(changed) = mutate_hex_signature(&real, at, with) {
            prop_assert_eq!(
                verify_and_parse(&secret, &body, &changed, now),
                Err(PanelWebhookError::Unauthorized),
            );
        }
        // An empty secret authenticates nothing, not even a body signed with the empty key.
        prop_assert_eq!(
            verify_and_parse("", &body, &hmac_sha256_hex(b"", &body), now),
            Err(PanelWebhookError::Unauthorized)
        );
    }

    #[test]
    fn a_signed_panel_body_of_any_shape_is_an_event_or_a_typed_refusal(
        body in hostile_bytes(),
        now in 0i64..4_000_000_000,
    ) {
        let now = Utc.timestamp_opt(now, 0).single().expect("in range");
        let signature = hmac_sha256_hex(PANEL_SECRET.as_bytes(), &body);
        match verify_and_parse(PANEL_SECRET, &body, &signature, now) {
            Ok(_) | Err(PanelWebhookError::Stale) | Err(PanelWebhookError::Malformed(_)) => {}
            Err(PanelWebhookError::Unauthorized) => prop_assert!(false, "a correct signature was refused"),
        }
    }

    #[test]
    fn signed_panel_events_are_fresh_and_carry_exactly_the_user_sent(
        event in mutated(panel_event(), PANEL_PATHS),
        (timestamp, at) in rfc3339(),
        skew in prop_oneof![3 => -WINDOW_SECONDS - 2..=WINDOW_SECONDS + 2, 1 => -(1i64 << 40)..(1i64 << 40)],
        whole_seconds in any::<bool>(),
        pretty in any::<bool>(),
    ) {
        let mut event = event;
        // Whole seconds keep the window's edge exact; fractions elsewhere.
        let (timestamp, at) = if whole_seconds {
            let at = Utc.timestamp_opt(at.timestamp(), 0).single().expect("in range");
            (at.to_rfc3339_opts(SecondsFormat::Secs, true), at)
        } else {
            (timestamp, at)
        };
        if event["timestamp"].is_string() {
            event["timestamp"] = json!(timestamp);
        }
        let Some(now) = at.timestamp().checked_add(skew).and_then(|s| Utc.timestamp_opt(s, 0).single()) else {
            return Ok(());
        };
        let body = bytes_of(&event, pretty);
        let signature = hmac_sha256_hex(PANEL_SECRET.as_bytes(), &body);
        let result = verify_and_parse(PANEL_SECRET, &body, &signature, now);
        let sent_time = event["timestamp"].as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        match &result {
            Err(PanelWebhookError::Stale) => {
                let sent = sent_time.expect("a stale event had a readable timestamp");
                prop_assert!((now - sent.with_timezone(&Utc)).num_seconds().abs() > WINDOW_SECONDS);
            }
            Err(PanelWebhookError::Unauthorized) => prop_assert!(false, "signed with the secret"),
            Err(PanelWebhookError::Malformed(_)) => {}
            Ok(parsed) => {
                let sent = sent_time.expect("an accepted event had a readable timestamp").with_timezone(&Utc);
                prop_assert!((now - sent).num_seconds().abs() <= WINDOW_SECONDS);
                prop_assert_eq!(Some(parsed.name()), event["event"].as_str());
                match parsed {
                    PanelEvent::User { user, expiration_hours, at: signed_at, .. } => {
                        prop_assert_eq!(event["scope"].as_str(), Some("user"));
                        let data = &event["data"];
                        prop_assert_eq!(Some(user.id.0), member(data, "id", 0).and_then(Value::as_i64));
                        prop_assert_eq!(
                            Some(user.username.as_str()),
                            member(data, "username", 2).and_then(Value::as_str),
                        );
                        prop_assert_eq!(
                            user.telegram_id,
                            member(data, "telegramId", 7).and_then(Value::as_i64),
                        );
                        let meta = &event["meta"];
                        prop_assert_eq!(
                            *expiration_hours,
                            member(meta, "expiration", 0).and_then(Value::as_i64),
                        );
                        prop_assert_eq!(*signed_at, sent.timestamp());
                    }
                    PanelEvent::Devices { user, .. } => {
                        prop_assert_eq!(event["scope"].as_str(), Some("user_hwid_devices"));
                        let user_sent = member(&event["data"], "user", 0).and_then(|u| member(u, "id", 0));
                        prop_assert_eq!(Some(user.id.0), user_sent.and_then(Value::as_i64));
                    }
                    PanelEvent::Node { node, .. } => {
                        prop_assert_eq!(event["scope"].as_str(), Some("node"));
                        let connected = member(&event["data"], "isConnected", 4).and_then(Value::as_bool);
                        prop_assert_eq!(Some(node.is_connected), connected);
                    }
                    PanelEvent::Service { .. } => prop_assert_eq!(event["scope"].as_str(), Some("service")),
                    PanelEvent::Other { .. } => {
                        prop_assert!(!["user", "user_hwid_devices", "node", "service"].contains(&event["scope"].as_str().unwrap_or("")));
                    }
                }
            }
        }
    }
}

// =========================================================================== Mini App initData
//
// `telegram::webapp::verify` (the bot-token HMAC, `Authorization: tma <initData>`) and
// `webapp::third_party` (the message Telegram's Ed25519 signature covers). Proves: any string
// is a user or `InitDataError`, never a panic; an initData signed for the bot token, with any
// field values, keys and percent-encodings, verifies to exactly the user sent while fresh and
// is `Stale` outside the window; a single changed byte is refused unless it decodes to the same
// fields (hex case in an escape, `+` for a space); the Ed25519 message is exactly the sorted
// fields, and a signature over it verifies (independent Ed25519) while any change fails.

const BOT_TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// Percent-encodes `text` for a query string: minimal (only what must be), everything, or with
/// `+` for spaces.
fn query_encode(text: &str, style: u8) -> String {
    text.bytes()
        .map(|b| match (b, style % 3) {
            (b' ', 2) => "+".to_string(),
            (b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~', _) => {
                (b as char).to_string()
            }
            (
                b'!' | b'$' | b'\'' | b'(' | b')' | b'*' | b',' | b'/' | b':' | b';' | b'@' | b'"' | b'{'
                | b'}',
                0,
            ) => (b as char).to_string(),
            _ if style % 5 == 4 => format!("%{b:02x}"),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The fields of an initData as the real decoder reads them, sorted; `None` if it cannot.
fn decoded_fields(raw: &str) -> Option<Vec<(String, String)>> {
    let mut fields = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=')?;
        fields.push((decode_component(key)?, decode_component(value)?));
    }
    fields.sort();
    Some(fields)
}

#[derive(Debug, Clone)]
struct InitData {
    /// Decoded fields, without `hash`, in send order.
    fields: Vec<(String, String)>,
    user_id: i64,
    first_name: String,
    auth_date: i64,
    style: u8,
}

impl InitData {
    /// Sorted by key, as Telegram's own checks sort (`sorted(fields.items())`); sorting the
    /// `k=v` lines instead differs once a key is a prefix of another followed by a character
    /// below `=`.
    fn data_check_string(&self) -> String {
        let mut sorted: Vec<_> = self.fields.iter().collect();
        sorted.sort();
        sorted.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n")
    }

    fn signed(&self, token: &str) -> String {
        let secret = hmac_sha256(b"WebAppData", token.as_bytes());
        let hash = hmac_sha256_hex(&secret, self.data_check_string().as_bytes());
        let mut pairs: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{}={}", query_encode(k, self.style), query_encode(v, self.style)))
            .collect();
        pairs.push(format!("hash={hash}"));
        pairs.join("&")
    }
}

fn init_data() -> BoxedStrategy<InitData> {
    (
        any::<i64>(),
        short_text(),
        prop::option::of(short_text()),
        prop_oneof![3 => NOW - 100..NOW + 100, 1 => NOW - 200_000..NOW + 200_000, 1 => any::<i64>()],
        vec((short_text(), short_text()), 0..4),
        any::<u8>(),
        any::<u64>(),
    )
        .prop_map(|(user_id, first_name, username, auth_date, extra, style, seed)| {
            let user = json!({ "id": user_id, "first_name": first_name, "username": username,
                               "language_code": "ru", "allows_write_to_pm": true });
            let mut fields = vec![
                ("auth_date".to_string(), auth_date.to_string()),
                ("query_id".to_string(), format!("AAE{seed}")),
                ("user".to_string(), user.to_string()),
            ];
            for (key, value) in extra {
                // Telegram's fields hold no line break (values are JSON or plain tokens); one
                // would be refused (`initdata_whose_fields_merge_across_a_line_break_is_refused`).
                if key.contains('\n') || value.contains('\n') {
                    continue;
                }
                if key != "hash" && !fields.iter().any(|(k, _)| *k == key) {
                    fields.push((key, value));
                }
            }
            // Any order: the data-check string is sorted.
            let n = fields.len();
            fields.rotate_left((seed as usize) % n);
            InitData { fields, user_id, first_name, auth_date, style }
        })
        .boxed()
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn any_initdata_is_a_user_or_a_typed_refusal(
        raw in hostile_text(),
        now in any::<i64>(),
        bot_id in any::<i64>(),
    ) {
        let _: Result<_, InitDataError> = webapp::verify(&raw, BOT_TOKEN, now);
        let _: Result<_, InitDataError> = webapp::third_party(&raw, bot_id);
    }

    #[test]
    fn signed_initdata_verifies_to_exactly_the_user_while_fresh(data in init_data(), late in -100i64..100) {
        let raw = data.signed(BOT_TOKEN);
        let now = data.auth_date.saturating_add(late);
        let fresh = now - data.auth_date <= webapp::MAX_AGE_SECONDS && data.auth_date - now <= 60;
        match webapp::verify(&raw, BOT_TOKEN, now) {
            Ok(user) => {
                prop_assert!(fresh);
                prop_assert_eq!(user.id, data.user_id);
                prop_assert_eq!(&user.first_name, &data.first_name);
            }
            Err(InitDataError::Stale) => prop_assert!(!fresh),
            Err(other) => prop_assert!(false, "{other:?} for {raw}"),
        }
        prop_assert_eq!(webapp::verify(&raw, "123456789:other", now).err(), Some(InitDataError::BadHash));
    }

    #[test]
    fn a_changed_initdata_byte_is_refused_unless_it_means_the_same(
        data in init_data(),
        at in any::<usize>(),
        with in tricky_char(),
    ) {
        let raw = data.signed(BOT_TOKEN);
        let Some(changed) = mutate_char(&raw, at, with) else { return Ok(()) };
        if webapp::verify(&changed, BOT_TOKEN, data.auth_date).is_ok() {
            let (mut before, mut after) = (decoded_fields(&raw), decoded_fields(&changed));
            // The hash itself may change case.
            for fields in [&mut before, &mut after].into_iter().flatten() {
                for (k, v) in fields.iter_mut() {
                    if k == "hash" {
                        *v = v.to_ascii_lowercase();
                    }
                }
            }
            prop_assert_eq!(before, after, "{} accepted", changed);
        }
    }

    #[test]
    fn the_ed25519_message_is_the_sorted_fields_and_a_signature_over_it_verifies(
        data in init_data(),
        bot_id in any::<i64>(),
        seed in any::<[u8; 32]>().prop_filter("ed25519-compact refuses the all-zero seed", |s| s.iter().any(|b| *b != 0)),
        at in any::<usize>(),
        with in tricky_char(),
    ) {
        let key = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(seed));
        let mut rest: Vec<_> = data.fields.iter().filter(|(k, _)| k != "signature").collect();
        rest.sort();
        let lines: Vec<String> = rest.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let message = format!("{bot_id}:WebAppData\n{}", lines.join("\n"));
        let signature = key.sk.sign(message.as_bytes(), None);
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature.as_ref());
        let fields: Vec<_> = data.fields.iter().filter(|(k, _)| k != "signature").cloned()
            .chain([("signature".to_string(), encoded)]).collect();
        let raw = InitData { fields, ..data }.signed(BOT_TOKEN);
        let checks = |raw: &str| -> bool {
            match webapp::third_party(raw, bot_id) {
                Ok(Some((message, signature))) => key.pk.verify(message.as_bytes(), &ed25519_compact::Signature::new(signature)).is_ok(),
                _ => false,
            }
        };
        let (built, sig) = webapp::third_party(&raw, bot_id)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?
            .expect("signed");
        prop_assert_eq!(built, message);
        prop_assert_eq!(&sig[..], signature.as_ref());
        prop_assert!(checks(&raw));
        if let Some(changed) = mutate_char(&raw, at, with) {
            if checks(&changed) {
                let strip = |raw: &str| decoded_fields(raw).map(|f| f.into_iter().filter(|(k, _)| k != "hash").collect::<Vec<_>>());
                let (before, after) = (strip(&raw), strip(&changed));
                prop_assert_eq!(before, after, "{} verified", changed);
            }
        }
    }
}

// ======================================================================== Login Widget payload
//
// `web::login::verify` on the widget's JSON object. Proves: any object is a user or a
// `LoginError`, never a panic; a payload signed for the bot token verifies to exactly the
// user while fresh (`Stale` outside); a changed value, an added signed field or another
// token is `BadHash`; an unknown field, a nested value or a line break is `Malformed`.

#[derive(Debug, Clone)]
struct Widget {
    fields: Map<String, Value>,
    id: i64,
    auth_date: i64,
}

fn widget_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn widget_hash(fields: &Map<String, Value>, token: &str) -> String {
    let mut lines: Vec<String> = fields
        .iter()
        .filter(|(k, _)| *k != "hash")
        .filter_map(|(k, v)| widget_text(v).map(|t| format!("{k}={t}")))
        .collect();
    lines.sort();
    let secret = Sha256::digest(token.as_bytes());
    hmac_sha256_hex(&secret, lines.join("\n").as_bytes())
}

fn widget() -> BoxedStrategy<Widget> {
    (
        1i64..(1 << 52),
        any::<bool>(),
        short_text().prop_map(|s| s.replace('\n', " ")),
        prop::option::of("[A-Za-z0-9_]{5,32}"),
        prop::option::of(short_text().prop_map(|s| s.replace('\n', " "))),
        // Bounded: see `a_login_with_an_extreme_auth_date_is_refused_without_overflow`.
        prop_oneof![3 => NOW - 100..NOW + 100, 1 => -(1i64 << 62)..(1i64 << 62)],
        any::<bool>(),
    )
        .prop_map(|(id, id_as_text, first_name, username, photo_url, auth_date, date_as_text)| {
            let mut fields = Map::new();
            fields.insert("id".into(), if id_as_text { json!(id.to_string()) } else { json!(id) });
            fields.insert("first_name".into(), json!(first_name));
            if let Some(username) = username {
                fields.insert("username".into(), json!(username));
            }
            if let Some(photo) = photo_url {
                fields.insert("photo_url".into(), json!(photo));
            }
            let date = if date_as_text { json!(auth_date.to_string()) } else { json!(auth_date) };
            fields.insert("auth_date".into(), date);
            let hash = widget_hash(&fields, BOT_TOKEN);
            fields.insert("hash".into(), json!(hash));
            Widget { fields, id, auth_date }
        })
        .boxed()
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn any_widget_object_is_a_user_or_a_typed_refusal(
        fields in vec(
            (prop_oneof![select(vec!["id", "first_name", "last_name", "username", "photo_url", "auth_date", "hash"]).prop_map(str::to_string), short_text()], arb_json()),
            0..8,
        ),
        now in any::<i64>(),
        sign in any::<bool>(),
    ) {
        let mut fields: Map<String, Value> = fields.into_iter().collect();
        if sign {
            let hash = widget_hash(&fields, BOT_TOKEN);
            fields.insert("hash".into(), json!(hash));
        }
        let _: Result<_, LoginError> = login::verify(&fields, BOT_TOKEN, now);
    }

    #[test]
    fn a_signed_widget_login_verifies_to_exactly_the_user_while_fresh(w in widget(), late in -100i64..100) {
        let now = w.auth_date.saturating_add(late);
        let fresh = now - w.auth_date <= login::MAX_AGE_SECONDS && w.auth_date - now <= 60;
        match login::verify(&w.fields, BOT_TOKEN, now) {
            Ok(user) => {
                prop_assert!(fresh);
                prop_assert_eq!(user.id, w.id);
                prop_assert_eq!(Some(user.first_name.as_str()), w.fields["first_name"].as_str());
                prop_assert_eq!(user.username.as_deref(), w.fields.get("username").and_then(Value::as_str));
            }
            Err(LoginError::Stale) => prop_assert!(!fresh),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
        prop_assert_eq!(login::verify(&w.fields, "123456789:other", now).err(), Some(LoginError::BadHash));
    }

    #[test]
    fn a_changed_or_added_widget_field_is_refused(
        w in widget(),
        key in select(vec!["id", "first_name", "last_name", "username", "photo_url", "auth_date", "is_admin"]),
        suffix in "[a-z0-9]{1,4}",
        newline in any::<bool>(),
    ) {
        let mut fields = w.fields.clone();
        let before = fields.get(key).and_then(widget_text).unwrap_or_default();
        let after = if newline { format!("{before}\n{suffix}") } else { format!("{before}{suffix}") };
        fields.insert(key.into(), json!(after));
        let verdict = login::verify(&fields, BOT_TOKEN, w.auth_date);
        let expected = if key == "is_admin" || newline { LoginError::Malformed } else { LoginError::BadHash };
        prop_assert_eq!(verdict.err(), Some(expected));
    }
}

// ===================================================================== JWT session tokens
//
// `web::session::{decode, verify}` on the `wg_session` cookie, and `read_cookie` on the
// `Cookie` header. Proves: any string is `Invalid`/`Expired`, never a session, never a panic;
// a token we issued, with any claims, verifies to exactly those claims until `exp`; every
// single-character change of a token, another secret, and a header naming another algorithm
// (even correctly signed) are `Invalid`; any cookie header reads without a panic and a cookie
// we set reads back.

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn any_string_is_never_a_session(
        token in prop_oneof![hostile_text(), "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,80}\\.[A-Za-z0-9_-]{0,43}"],
        secret in vec(any::<u8>(), 0..48),
        now in any::<i64>(),
    ) {
        prop_assert!(matches!(session::verify(&secret, &token, now), Err(SessionError::Invalid | SessionError::Expired)));
        prop_assert!(session::decode(&secret, &token).is_err());
    }

    #[test]
    fn an_issued_token_verifies_to_its_claims_until_it_expires_and_any_change_is_invalid(
        secret in vec(any::<u8>(), 0..48),
        sub in prop_oneof![3 => any::<i64>().prop_map(|n| n.to_string()), 1 => short_text()],
        uid in any::<i64>(),
        fam in short_text(),
        jti in short_text(),
        now in 0i64..(1i64 << 40),
        after in 0i64..2 * ACCESS_TTL,
        at in any::<usize>(),
        with in tricky_char(),
        other in vec(any::<u8>(), 0..48),
    ) {
        let claims = SessionClaims { sub: sub.clone(), uid, fam: fam.clone(), jti: jti.clone() };
        let token = session::issue(&secret, claims, now).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let verdict = session::verify(&secret, &token, now + after);
        match sub.parse::<i64>() {
            Ok(telegram_id) if after < ACCESS_TTL => {
                let s = verdict.map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!((s.telegram_id, s.user_id, s.family.as_str(), s.jti.as_str(), s.expires_at),
                                (telegram_id, uid, fam.as_str(), jti.as_str(), now + ACCESS_TTL));
            }
            Ok(_) => prop_assert_eq!(verdict, Err(SessionError::Expired)),
            Err(_) => prop_assert_eq!(verdict, Err(SessionError::Invalid)),
        }
        if let Some(changed) = mutate_char(&token, at, with) {
            prop_assert_eq!(session::decode(&secret, &changed), Err(SessionError::Invalid), "{}", changed);
        }
        if !same_hmac_key(&other, &secret) {
            prop_assert_eq!(session::decode(&other, &token), Err(SessionError::Invalid));
        }
    }

    #[test]
    fn a_correctly_signed_token_naming_another_algorithm_is_invalid(
        secret in vec(any::<u8>(), 0..48),
        alg in prop_oneof![select(vec!["none", "HS384", "HS512", "RS256", "hs256", "HS256 ", "", "ES256"]).prop_map(str::to_string), short_text()],
        uid in any::<i64>(),
    ) {
        prop_assume!(alg != "HS256");
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let header = b64(json!({ "alg": alg, "typ": "JWT" }).to_string().as_bytes());
        let payload = b64(json!({ "sub": "42", "uid": uid, "fam": "f", "jti": "j", "iat": NOW, "exp": NOW + 60 }).to_string().as_bytes());
        let signed = format!("{header}.{payload}");
        let token = format!("{signed}.{}", b64(&hmac_sha256(&secret, signed.as_bytes())));
        prop_assert_eq!(session::decode(&secret, &token), Err(SessionError::Invalid));
    }

    #[test]
    fn any_cookie_header_reads_and_a_cookie_we_set_reads_back(
        header in hostile_text(),
        name in "[a-z_]{1,12}",
        value in "[A-Za-z0-9_-]{0,64}",
        others in vec(("[a-z_]{1,12}", "[A-Za-z0-9_=-]{0,20}"), 0..4),
    ) {
        let _ = session::read_cookie(&header, &name);
        let mut pairs: Vec<String> = others
            .iter()
            .filter(|(k, _)| *k != name)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.insert(pairs.len() / 2, format!("{name}={value}"));
        let header = pairs.join("; ");
        prop_assert_eq!(session::read_cookie(&header, &name), Some(value.as_str()));
        let set = session::cookie(&name, &value, "/", ACCESS_TTL, "Lax");
        prop_assert!(set.contains("HttpOnly") && set.contains("Secure"));
    }
}

// ============================================================================== Configuration
//
// `Config::from_lookup` on the Worker's vars and secrets (strings an operator typed, or pasted
// with stray whitespace and unicode). Proves: any map of any strings is a config or a
// `ConfigError`, never a panic; an accepted config holds only valid values (webhook secret in
// Telegram's alphabet, username, base URLs without a path, uuids, ranges); every problem names
// its key and never quotes a value; no secret reaches `Debug` output.

const CONFIG_KEYS: &[&str] = &[
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
    "BOT_USERNAME",
    "TELEGRAM_API_BASE",
    "ADMIN_TELEGRAM_IDS",
    "REMNAWAVE_URL",
    "REMNAWAVE_TOKEN",
    "REMNAWAVE_WEBHOOK_SECRET",
    "REMNAWAVE_SQUADS",
    "RAZORPAY_KEY_ID",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
    "RAZORPAY_API_BASE",
    "XENDIT_SECRET_KEY",
    "XENDIT_CALLBACK_TOKEN",
    "XENDIT_API_BASE",
    "CRYPTOPAY_TOKEN",
    "CRYPTOPAY_API_BASE",
    "JWT_SECRET",
    "PUBLIC_BASE_URL",
    "TELEGRAM_WEBAPP_PUBLIC_KEY",
    "METRICS_TOKEN",
    "SENTRY_DSN",
    "TRIAL_DAYS",
    "TRIAL_TRAFFIC_GB",
    "REMINDER_HOURS",
    "SUPPORT_CONTACT",
];

const SECRET_KEYS: &[&str] = &[
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
    "REMNAWAVE_TOKEN",
    "REMNAWAVE_WEBHOOK_SECRET",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
    "XENDIT_SECRET_KEY",
    "XENDIT_CALLBACK_TOKEN",
    "CRYPTOPAY_TOKEN",
    "JWT_SECRET",
    "METRICS_TOKEN",
    "SENTRY_DSN",
];

/// Marks every secret value, so a leak into `Debug` or a problem text is visible.
const MARK: char = '\u{e000}';

/// A value for `key`: valid, almost valid (padded, a character off, a neighbour's format), or
/// anything.
fn config_value(key: &'static str) -> BoxedStrategy<String> {
    let valid: BoxedStrategy<String> = match key {
        "TELEGRAM_WEBHOOK_SECRET" => "[A-Za-z0-9_-]{1,256}".boxed(),
        "BOT_USERNAME" => "@?[A-Za-z0-9_]{1,32}".boxed(),
        k if k.ends_with("_URL") || k.ends_with("_BASE") => {
            "(https?://)[a-z0-9.-]{1,20}(:[0-9]{1,5})?/?(/api|/x y|\\?q|#f)?".boxed()
        }
        "ADMIN_TELEGRAM_IDS" => {
            vec(prop_oneof![any::<i64>().prop_map(|n| n.to_string()), "[0-9]{1,16}".boxed()], 0..4)
                .prop_map(|ids| ids.join(","))
                .boxed()
        }
        "REMNAWAVE_SQUADS" => vec("[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{11,13}", 0..3)
            .prop_map(|s| s.join(", "))
            .boxed(),
        "TELEGRAM_WEBAPP_PUBLIC_KEY" => "[0-9a-fA-F]{62,66}".boxed(),
        "TRIAL_DAYS" | "TRIAL_TRAFFIC_GB" => {
            prop_oneof![0u64..40, 9_990u64..10_010, any::<u64>()].prop_map(|n| n.to_string()).boxed()
        }
        "REMINDER_HOURS" => vec(prop_oneof![0u32..800, any::<u32>()], 0..7)
            .prop_map(|h| h.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
            .boxed(),
        "JWT_SECRET" => "[ -~]{28,36}".boxed(),
        "SENTRY_DSN" => "https://[a-f0-9]{32}@o[0-9]{1,6}\\.ingest\\.sentry\\.io/[0-9]{1,7}".boxed(),
        _ => "[A-Za-z0-9:_-]{1,40}".boxed(),
    };
    let padded = (
        valid.clone(),
        select(vec!["", " ", "\t", "\n", "\u{a0}", "\u{feff}"]),
        select(vec!["", " ", "\r\n", "\u{2028}", "/"]),
    )
        .prop_map(|(v, before, after)| format!("{before}{v}{after}"));
    let off_by_one = (valid.clone(), any::<usize>(), tricky_char())
        .prop_map(|(v, at, with)| mutate_char(&v, at, with).unwrap_or(v));
    let value = prop_oneof![4 => valid, 2 => padded, 2 => off_by_one, 1 => hostile_text()];
    if SECRET_KEYS.contains(&key) {
        value.prop_map(|v| format!("{MARK}{v}")).boxed()
    } else {
        value.prop_map(|v| v.replace(MARK, "")).boxed()
    }
}

fn config_vars() -> BoxedStrategy<BTreeMap<&'static str, String>> {
    let entries: Vec<BoxedStrategy<Option<(&'static str, String)>>> = CONFIG_KEYS
        .iter()
        .map(|key| prop::option::weighted(0.7, config_value(key).prop_map(move |v| (*key, v))).boxed())
        .collect();
    entries.prop_map(|entries| entries.into_iter().flatten().collect()).boxed()
}

fn is_base_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty() && !host.contains(['/', '?', '#']) && !host.chars().any(char::is_whitespace)
    })
}

proptest! {
    #![proptest_config(fuzz(4))]

    #[test]
    fn any_environment_is_a_valid_config_or_problems_by_key_without_values(vars in config_vars()) {
        match Config::from_lookup(|key| vars.get(key).cloned()) {
            Ok(config) => {
                let secret = config.telegram.webhook_secret.expose();
                prop_assert!((1..=256).contains(&secret.len()));
                prop_assert!(secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
                prop_assert!(!config.telegram.bot_token.expose().is_empty());
                prop_assert!(!config.remnawave.token.expose().is_empty());
                let username = &config.telegram.bot_username;
                prop_assert!(
                    !username.is_empty()
                        && username.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                );
                for url in [&config.telegram.api_base, &config.remnawave.url] {
                    prop_assert!(is_base_url(url), "{url:?}");
                }
                for url in config.public_base_url.iter()
                    .chain(config.razorpay.as_ref().map(|c| &c.api_base))
                    .chain(config.xendit.as_ref().map(|c| &c.api_base))
                    .chain(config.cryptopay.as_ref().map(|c| &c.api_base))
                {
                    prop_assert!(is_base_url(url), "{url:?}");
                }
                prop_assert!(config.admin_ids.iter().all(|id| TelegramUserId::parse(id.get()).is_ok()));
                for squad in &config.remnawave.squads {
                    prop_assert_eq!(squad.len(), 36);
                    prop_assert!(squad.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                }
                prop_assert!((1..=30).contains(&config.trial.days));
                prop_assert!(config.trial.traffic_limit_bytes <= 10_000 << 30);
                let hours = &config.reminder_hours;
                prop_assert!((1..=5).contains(&hours.len()) && hours.windows(2).all(|w| w[0] > w[1]));
                prop_assert!(hours.iter().all(|h| (1..=720).contains(h)));
                if let Some(jwt) = &config.jwt_secret {
                    prop_assert!(jwt.expose().len() >= 32);
                }
                let printed = format!("{config:?}");
                prop_assert!(!printed.contains(MARK), "a secret reached Debug: {printed}");
                for warning in &config.warnings {
                    prop_assert!(!warning.contains(MARK));
                }
            }
            Err(error) => {
                prop_assert!(!error.problems.is_empty());
                for problem in &error.problems {
                    prop_assert!(CONFIG_KEYS.iter().any(|k| problem.starts_with(k)), "{problem}");
                    prop_assert!(!problem.contains(MARK), "a secret in a problem: {problem}");
                }
                prop_assert!(!error.to_string().contains(MARK));
            }
        }
    }
}

// ================================================================== ids, codes and payloads
//
// The small parsers behind buttons, deep links, admin commands and console requests:
// `TelegramUserId`, `ReferralCode`, `StartPayload` (`/start ref_…`, `gift_…`), `OrderId`,
// `PlanSlug`, the code enums, `PromoCode`, `NewPromo` (`/promo_new`), `CustomerQuery`
// (`/user`), broadcast `Message`, `Money::from_decimal`, percent-decoding, log scrubbing, the
// console's `PlanEditRequest`, `Idempotency-Key` and CSV cells. Proves: no input panics; each
// accepts exactly its documented alphabet and bounds; writers and readers round-trip;
// `from_decimal` agrees with a slow reference (exact, never rounded); `scrub` leaves no bot
// token in any text; a CSV cell is never a formula.

fn valid_date() -> BoxedStrategy<NaiveDate> {
    (0i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .boxed()
}

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn telegram_user_ids_are_exactly_1_to_2_pow_52_minus_1(raw in prop_oneof![any::<i64>(), -2i64..=2, TelegramUserId::MAX - 2..=TelegramUserId::MAX + 2]) {
        prop_assert_eq!(TelegramUserId::parse(raw).is_ok(), (1..=TelegramUserId::MAX).contains(&raw));
    }

    #[test]
    fn referral_codes_and_deep_links_round_trip(
        raw in prop_oneof![hostile_text(), "(ref_|REF_| ref_|gift_)?[a-zA-Z0-9]{7,17} ?"],
        bytes in any::<[u8; 8]>(),
    ) {
        if let Ok(code) = ReferralCode::parse(&raw) {
            prop_assert_eq!(code.as_str(), raw.trim().to_ascii_lowercase());
            prop_assert!(
                code.as_str().len() == 8
                    && code.as_str().bytes().all(|b| ReferralCode::ALPHABET.contains(&b))
            );
        }
        match StartPayload::parse(&raw) {
            StartPayload::Referral(code) => prop_assert_eq!(Ok(code), ReferralCode::parse(raw.trim().strip_prefix("ref_").unwrap_or("-"))),
            StartPayload::Gift(code) => {
                prop_assert_eq!(format!("gift_{code}"), raw.trim());
                prop_assert!(
                    code.len() == 16
                        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                );
            }
            StartPayload::None => {}
        }
        let code = ReferralCode::from_random(bytes);
        prop_assert_eq!(ReferralCode::parse(code.as_str()), Ok(code.clone()));
        let link = referral_link("WavegateBot", &code);
        let start = link.split_once("?start=").map(|(_, p)| p).unwrap_or_default();
        prop_assert_eq!(StartPayload::parse(start), StartPayload::Referral(code));
    }

    #[test]
    fn ids_slugs_and_codes_accept_exactly_their_alphabet(raw in prop_oneof![hostile_text(), "[a-z0-9_-]{0,26}", "[a-z0-9]{15,17}"]) {
        match OrderId::parse(&raw) {
            Some(id) => prop_assert_eq!(id.as_str(), raw.as_str()),
            None => prop_assert!(raw.len() != 16 || !raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
        }
        let slug_ok = (1..=PlanSlug::MAX_LEN).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        prop_assert_eq!(PlanSlug::parse(&raw).map(|s| s.as_str().to_string()), slug_ok.then(|| raw.clone()));
        if let Some(code) = PromoCode::parse(&raw) {
            prop_assert_eq!(code.as_str(), raw.trim().to_ascii_uppercase());
            prop_assert!((3..=32).contains(&code.as_str().len()));
            prop_assert_eq!(PromoCode::parse(code.as_str()), Some(code.clone()));
        }
        prop_assert_eq!(
            valid_key(&raw),
            (8..=100).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        );
    }

    #[test]
    fn code_enums_parse_only_their_own_codes(raw in prop_oneof![short_text(), select(vec![
        "stars", "starsub", "razorpay", "xendit", "cryptopay", "XTR", "USD", "INR", "IDR", "en", "ru", "hi", "id",
        "week", "month", "all", "active", "expired", "never_paid", "pending", "paid", "provisioned", "failed",
        "cancelled", "refunded", "newest", "oldest", "expires", "-expires", "Stars", "usd", " en",
    ]).prop_map(str::to_string)]) {
        if let Some(m) = PayMethod::parse(&raw) { prop_assert_eq!(m.code(), raw.as_str()); }
        if let Some(p) = Provider::parse(&raw) { prop_assert_eq!(p.code(), raw.as_str()); }
        if let Some(c) = Currency::parse(&raw) { prop_assert_eq!(c.code(), raw.as_str()); }
        if let Some(l) = Locale::from_code(&raw) { prop_assert_eq!(l.code(), raw.as_str()); }
        if let Some(p) = Period::parse(&raw) { prop_assert_eq!(p.code(), raw.as_str()); }
        if let Some(a) = Audience::parse(&raw) { prop_assert_eq!(a.code(), raw.as_str()); }
        if let Some(s) = OrderStatus::parse(&raw) { prop_assert_eq!(s.as_str(), raw.as_str()); }
        if UserSort::parse(&raw).is_some() { prop_assert!(["newest", "oldest", "expires", "-expires"].contains(&raw.as_str())); }
        let _ = Locale::from_telegram(Some(&raw));
        let _ = Locale::resolve(Some(&raw), Some(&raw));
    }

    #[test]
    fn new_promo_arguments_parse_to_what_was_typed_or_say_what_is_wrong(
        raw in hostile_text(),
        code in "[A-Za-z0-9_-]{3,32}",
        kind in prop_oneof![(0u32..=MAX_DAYS + 2).prop_map(|d| ("days", d)), (0u32..=u32::from(MAX_PERCENT) + 2).prop_map(|p| ("PERCENT", p))],
        uses in prop::option::of(0u32..5),
        date in prop::option::of(valid_date()),
    ) {
        if let Ok(promo) = NewPromo::parse(&raw) {
            prop_assert!(promo.max_uses.is_none_or(|n| n > 0));
            match promo.kind {
                PromoKind::Days(d) => prop_assert!((1..=MAX_DAYS).contains(&d)),
                PromoKind::Percent(p) => prop_assert!((1..=MAX_PERCENT).contains(&p)),
            }
        }
        let mut args = format!("{code} {} {}", kind.0, kind.1);
        if let Some(n) = uses { args.push_str(&format!("  {n}")); }
        if let Some(d) = date { args.push_str(&format!("\t{}", d.format("%Y-%m-%d"))); }
        let in_range = match kind.0 { "days" => (1..=MAX_DAYS).contains(&kind.1), _ => (1..=u32::from(MAX_PERCENT)).contains(&kind.1) };
        match NewPromo::parse(&args) {
            Ok(promo) => {
                prop_assert!(in_range && uses != Some(0));
                prop_assert_eq!(promo.code.as_str(), code.to_ascii_uppercase());
                prop_assert_eq!(promo.kind.value(), i64::from(kind.1));
                prop_assert_eq!(promo.max_uses, uses);
                let end = date
                    .and_then(|d| d.succ_opt())
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t.and_utc().timestamp());
                prop_assert_eq!(promo.valid_until, end);
            }
            Err(why) => {
                prop_assert!(!why.is_empty());
                prop_assert!(
                    !in_range || uses == Some(0) || date.is_some_and(|d| d.succ_opt().is_none()),
                    "{args}: {why}",
                );
            }
        }
    }

    #[test]
    fn customer_queries_are_a_positive_id_or_a_telegram_username(raw in prop_oneof![hostile_text(), "@?[A-Za-z0-9_]{1,34}", "-?[0-9]{1,20}"]) {
        match CustomerQuery::parse(&raw) {
            Some(CustomerQuery::TelegramId(id)) => {
                prop_assert!(id > 0);
                prop_assert_eq!(raw.trim().parse::<i64>(), Ok(id));
            }
            Some(CustomerQuery::Username(name)) => {
                prop_assert!(
                    (3..=32).contains(&name.len())
                        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                );
                prop_assert_eq!(raw.trim().strip_prefix('@').unwrap_or(raw.trim()), name.as_str());
            }
            None => {}
        }
    }

    #[test]
    fn broadcast_texts_parse_within_bounds_and_a_button_line_round_trips(
        raw in hostile_text(),
        body in "[A-Za-z][A-Za-z0-9 ,.!?\n]{0,200}",
        label in "[A-Za-z][A-Za-z0-9 ]{0,62}",
        url in "https://[a-z0-9./-]{1,100}",
    ) {
        if let Ok(message) = Broadcast::parse(&raw) {
            prop_assert!(!message.text.is_empty() && message.text.chars().count() <= MAX_TEXT);
            if let Some((label, url)) = &message.button {
                prop_assert!((1..=64).contains(&label.chars().count()));
                prop_assert!(
                    url.starts_with("https://")
                        && url.len() <= 512
                        && !url.contains(char::is_whitespace)
                );
            }
        }
        let body = body.trim().to_string();
        let parsed = Broadcast::parse(&format!("{body}\nbutton: {label} | {url}"));
        prop_assert_eq!(parsed, Ok(Broadcast { text: body, button: Some((label.trim().to_string(), url)) }));
    }

    #[test]
    fn decimal_amounts_agree_with_a_slow_reference_and_round_trip(
        text in prop_oneof![numeric_text(), hostile_text()],
        currency in currency(),
        minor in 1i64..100_000_000_000_000,
    ) {
        match Money::from_decimal(&text, currency) {
            Some(money) => {
                prop_assert_eq!(money.currency(), currency);
                prop_assert_eq!(Some(i128::from(money.minor())), reference_decimal(&text, currency));
            }
            // Refused: not exact, not positive, or past the 15-digit bounds.
            None => prop_assert!(reference_decimal(&text, currency).is_none_or(|v| v <= 0 || beyond_bounds(&text))),
        }
        let money = Money::new(minor, currency).expect("positive");
        prop_assert_eq!(Money::from_decimal(&money.to_decimal(), currency), Some(money));
    }

    #[test]
    fn percent_decoding_never_panics_and_inverts_encoding(raw in hostile_text(), text in hostile_text()) {
        let _ = decode_component(&raw);
        prop_assert_eq!(decode_component(&encode_component(&text)), Some(text));
    }

    #[test]
    fn scrubbed_text_never_holds_a_bot_token(
        parts in vec(
            prop_oneof![short_text(), "/bot[0-9]{1,12}:[A-Za-z0-9_-]{1,40}", Just("/bot".to_string()), Just("/bot1:".to_string())],
            0..8,
        ),
    ) {
        let text = parts.concat();
        let shown = scrub(&text);
        let mut rest = shown.as_str();
        while let Some(at) = rest.find("/bot") {
            let after = &rest[at + 4..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let leaked = digits > 0 && after[digits..].starts_with(':')
                && after[digits + 1..].bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            prop_assert!(!leaked, "{text:?} → {shown:?}");
            rest = after;
        }
    }

    #[test]
    fn console_plan_edits_are_valid_or_say_why(body in prop_oneof![
        arb_json(),
        (short_text(), any::<u32>(), prop_oneof![0u64..2_000_000, any::<u64>()], 0u32..200, any::<bool>(),
         vec((prop_oneof![select(vec!["XTR", "USD", "INR", "IDR", "EUR"]).prop_map(str::to_string), short_text()], prop_oneof![any::<i64>(), -1i64..20_000_000]), 0..4))
            .prop_map(|(name, days, gb, devices, active, prices)| json!({ "name": name, "days": days, "traffic_gb": gb,
                "devices": devices, "active": active,
                "prices": prices.into_iter().map(|(c, m)| (c, json!(m))).collect::<Map<String, Value>>() })),
    ]) {
        let Ok(request) = serde_json::from_value::<PlanEditRequest>(body) else { return Ok(()) };
        if let Ok(edit) = request.validate() {
            prop_assert!(
                !edit.name.is_empty()
                    && edit.name.chars().count() <= 64
                    && !edit.name.chars().any(char::is_control)
            );
            prop_assert!((1..=3650).contains(&edit.days) && edit.device_limit <= 100);
            prop_assert!(edit.traffic_limit_bytes >= 0 && edit.traffic_limit_bytes % (1 << 30) == 0);
            prop_assert!(!edit.active || !edit.prices.is_empty());
            prop_assert!(edit.prices.iter().all(|(_, m)| *m >= 1));
        }
    }

    #[test]
    fn a_csv_cell_is_never_a_formula(value in prop_oneof![hostile_text(), "[=+@\t\r-][ -~]{0,10}"]) {
        let cell = csv_cell(&value);
        let inner = match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => cell.clone(),
        };
        prop_assert!(
            !inner.starts_with(['=', '+', '-', '@', '\t', '\r']) || inner.parse::<f64>().is_ok(),
            "{cell:?}",
        );
        let escaped = format!("'{value}");
        prop_assert!(inner == value || inner == escaped);
    }

    #[test]
    fn console_days_are_exact_dates(
        text in prop_oneof![hostile_text(), "[0-9]{4}-[0-9]{2}-[0-9]{2}"],
        date in valid_date(),
    ) {
        if let Some(start) = day_start(&text) {
            let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0));
            prop_assert_eq!(Some(start), parsed.map(|t| t.and_utc().timestamp()));
        }
        let expected = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        prop_assert_eq!(day_start(&date.format("%Y-%m-%d").to_string()), expected);
    }
}

// ================================================================================ Sentry DSN
//
// `sentry::Dsn::parse` on `SENTRY_DSN` (the operator's string, parsed by the Worker that posts
// error reports). Proves: any string is a DSN or a `DsnError`, never a panic; an accepted DSN
// yields an envelope URL on its own scheme and host without whitespace, and an auth header
// without a line break (no header injection); a DSN built from valid parts round-trips to the
// envelope URL Sentry documents.

proptest! {
    #![proptest_config(fuzz(1))]

    #[test]
    fn any_dsn_is_a_dsn_or_an_error_and_yields_clean_urls_and_headers(
        raw in prop_oneof![
            hostile_text(),
            "(https?|ftp)://[a-f0-9:]{0,34}@[a-z0-9.@/:-]{0,30}/[0-9a-z]{0,4}",
            ("https://[a-f0-9]{8}@[a-z.]{1,12}/[0-9]{1,4}", any::<usize>(), tricky_char())
                .prop_map(|(t, at, with)| mutate_char(&t, at, with).unwrap_or(t)),
        ],
    ) {
        if let Ok(dsn) = Dsn::parse(&raw) {
            let url = dsn.envelope_url();
            prop_assert!(url.starts_with("https://") || url.starts_with("http://"), "{url}");
            prop_assert!(url.ends_with("/envelope/") && !url.chars().any(char::is_whitespace), "{url}");
            let header = dsn.auth_header();
            prop_assert!(!header.contains(['\r', '\n']), "{header:?}");
        }
    }

    #[test]
    fn a_dsn_from_valid_parts_round_trips_to_its_envelope_url(
        key in "[a-f0-9]{32}",
        secret in prop::option::of("[a-f0-9]{32}"),
        host in "[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,12}){0,3}(:[0-9]{2,5})?",
        path in "(/[a-z0-9_-]{1,8}){0,2}",
        project in "[0-9]{1,9}",
        scheme in select(vec!["https", "http"]),
    ) {
        let credentials = match &secret { Some(s) => format!("{key}:{s}"), None => key.clone() };
        let dsn = Dsn::parse(&format!(" {scheme}://{credentials}@{host}{path}/{project}\n"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(dsn.envelope_url(), format!("{scheme}://{host}{path}/api/{project}/envelope/"));
        let key_field = format!("sentry_key={key}");
        prop_assert!(dsn.auth_header().ends_with(&key_field));
    }
}

// ===================================================================== upstream responses
//
// What the Bot API, the panel and the providers' APIs answer is outside bytes too (a proxy's
// error page, a misrouted base URL, a truncated body). Proves: any status with any body is an
// `Ok` only when it is the documented shape, and otherwise the client's typed error
// (`TelegramError`, `PanelError`, `GatewayError`), never a panic.

/// Answers every request with the same status and body.
struct Answers(u16, Vec<u8>);

impl HttpClient for Answers {
    async fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse { status: self.0, body: self.1.clone() })
    }
}

struct NoSleep;

impl Sleeper for NoSleep {
    async fn sleep(&self, _: std::time::Duration) {}
}

fn status() -> BoxedStrategy<u16> {
    prop_oneof![3 => Just(200u16), 1 => select(vec![201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503]), 1 => any::<u16>()].boxed()
}

/// A body that is nearly an upstream's answer.
fn upstream_body() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        2 => hostile_bytes(),
        1 => (any::<bool>(), arb_json(), prop::option::of(any::<i64>()), prop::option::of(short_text()), prop::option::of(any::<i64>()))
            .prop_map(|(ok, result, code, description, retry)| json!({ "ok": ok, "result": result, "error_code": code,
                "description": description, "parameters": { "retry_after": retry } }).to_string().into_bytes()),
        1 => (arb_json(), prop::option::of(short_text()), prop::option::of(short_text()))
            .prop_map(|(response, code, message)| json!({ "response": response, "errorCode": code, "message": message }).to_string().into_bytes()),
        1 => (any::<i64>(), short_text()).prop_map(|(id, name)| json!({ "response": panel_user(id, &name, "2026-01-01T00:00:00Z", None) }).to_string().into_bytes()),
    ]
    .boxed()
}

fn all_channels() -> Config {
    let vars: BTreeMap<&str, &str> = [
        ("TELEGRAM_BOT_TOKEN", "123:abc"),
        ("TELEGRAM_WEBHOOK_SECRET", "hook"),
        ("BOT_USERNAME", "WavegateBot"),
        ("REMNAWAVE_URL", "http://panel.test"),
        ("REMNAWAVE_TOKEN", "t"),
        ("RAZORPAY_KEY_ID", "k"),
        ("RAZORPAY_KEY_SECRET", "s"),
        ("RAZORPAY_WEBHOOK_SECRET", "w"),
        ("XENDIT_SECRET_KEY", "x"),
        ("XENDIT_CALLBACK_TOKEN", "c"),
        ("CRYPTOPAY_TOKEN", "p"),
    ]
    .into_iter()
    .collect();
    Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).expect("a valid configuration")
}

proptest! {
    #![proptest_config(fuzz(2))]

    #[test]
    fn bot_api_answers_are_the_result_or_a_telegram_error(status in status(), body in upstream_body()) {
        let http = Answers(status, body.clone());
        let api = BotApi::new(&http, "http://telegram.test", "1:t");
        let sent: Result<SentMessage, TelegramError> = block_on(api.send_message(1, "hi", None));
        if sent.is_ok() {
            let value: Value = serde_json::from_slice(&body).expect("an Ok came from JSON");
            prop_assert_eq!(value["ok"].as_bool(), Some(true));
        }
        let _ = block_on(api.get_star_transactions(0, 100));
        let _ = block_on(api.answer_callback_query("q", Some("t")));
    }

    #[test]
    fn panel_answers_are_the_contract_or_a_panel_error(status in status(), body in upstream_body()) {
        let http = Answers(status, body.clone());
        let client = RemnawaveClient::new(&http, &NoSleep, "http://panel.test", "t");
        if let Ok(Some(user)) = block_on(client.get_user(PanelUserId(7))) {
            prop_assert!((200..300).contains(&status));
            let value: Value = serde_json::from_slice(&body).expect("an Ok came from JSON");
            prop_assert_eq!(Some(user.id.0), value["response"]["id"].as_i64());
        }
        let _ = block_on(client.users_page(None, 500));
        let _ = block_on(client.nodes());
        let _ = block_on(client.device_count(PanelUserId(7)));
        let _ = block_on(client.metadata());
        let _ = block_on(client.delete_user(PanelUserId(7)));
    }

    #[test]
    fn provider_api_answers_are_an_object_or_a_gateway_error(
        status in status(),
        body in upstream_body(),
        provider in provider(),
    ) {
        let config = all_channels();
        let http = Answers(status, body);
        let gateway = Gateway::new(&config, &http);
        let amount = Money::new(16_900, Currency::Inr).expect("positive");
        let request = CheckoutRequest { order: "ab12cd34ef56gh78", amount, description: "Monthly", telegram_id: 42, now: NOW };
        if let Ok(object) = block_on(gateway.create(provider, &request)) {
            prop_assert!(!object.id.is_empty());
            prop_assert!(object.pay_url.is_some() || object.qr_string.is_some());
        }
        let refund = RefundRequest { payment_key: "pay_1", object_id: Some("pr-1"), amount, order: "ab12cd34ef56gh78" };
        let _ = block_on(gateway.refund(provider, &refund));
        let _ = block_on(gateway.paid(provider, "plink_1"));
    }
}

// ================================================================ bugs the fuzzing found
//
// Each test states the input the fuzzing found and what should happen. Each failed before its
// fix (the same commit), and the properties above no longer step around these inputs.

/// A signed Mini App `initData` whose `auth_date` is far in the past overflows `now - auth_date`
/// (webapp.rs, `verify`): a panic in debug builds, a wrapped comparison in release.
#[test]
fn initdata_with_an_extreme_auth_date_is_refused_without_overflow() {
    let data = InitData {
        fields: vec![
            ("auth_date".into(), i64::MIN.to_string()),
            ("user".into(), json!({ "id": 42, "first_name": "Ivan" }).to_string()),
        ],
        user_id: 42,
        first_name: "Ivan".into(),
        auth_date: i64::MIN,
        style: 0,
    };
    let raw = data.signed(BOT_TOKEN);
    assert_eq!(webapp::verify(&raw, BOT_TOKEN, NOW), Err(InitDataError::Stale));
}

/// The same in the Login Widget check (login.rs, `verify`).
#[test]
fn a_login_with_an_extreme_auth_date_is_refused_without_overflow() {
    let mut fields = Map::new();
    fields.insert("id".into(), json!(42));
    fields.insert("auth_date".into(), json!(i64::MIN));
    let hash = widget_hash(&fields, BOT_TOKEN);
    fields.insert("hash".into(), json!(hash));
    assert_eq!(login::verify(&fields, BOT_TOKEN, NOW), Err(LoginError::Stale));
}

/// A Stars ledger line with a huge `date` and a `subscription_period` overflows `tx.date + p`
/// (shop/stars.rs, `ledger_event`).
#[test]
fn a_stars_ledger_line_with_an_extreme_date_does_not_overflow() {
    let tx: StarTransaction = serde_json::from_value(json!({
        "id": "stx1", "amount": 100, "date": i64::MAX,
        "source": { "type": "user", "transaction_type": "invoice_payment", "user": { "id": 42, "first_name": "A" },
                    "invoice_payload": "order:ab12cd34ef56gh78", "subscription_period": 2_592_000 }
    }))
    .expect("a transaction");
    let _ = ledger_event(&tx, NOW);
}

/// `BOT_USERNAME=@` is accepted as an empty username (config.rs, `bot_username`): invite links
/// become `https://t.me/?start=…`.
#[test]
fn a_bot_username_of_only_at_signs_is_refused() {
    let vars = BTreeMap::from([
        ("TELEGRAM_BOT_TOKEN", "123:abc"),
        ("TELEGRAM_WEBHOOK_SECRET", "hook"),
        ("BOT_USERNAME", "@"),
        ("REMNAWAVE_URL", "https://panel.example.com"),
        ("REMNAWAVE_TOKEN", "t"),
    ]);
    let result = Config::from_lookup(|k| vars.get(k).map(|v| v.to_string()));
    assert!(result.is_err(), "accepted username {:?}", result.map(|c| c.telegram.bot_username));
}

/// A base URL with a tab or line break inside the host passes `optional_base_url` (config.rs),
/// which refuses only the ASCII space.
#[test]
fn a_base_url_with_whitespace_inside_is_refused() {
    let urls =
        ["https://panel.\texample.com", "https://panel\n.example.com", "https://panel\u{a0}example.com"];
    let accepted: Vec<&str> = urls
        .into_iter()
        .filter(|url| {
            let vars = BTreeMap::from([
                ("TELEGRAM_BOT_TOKEN", "123:abc"),
                ("TELEGRAM_WEBHOOK_SECRET", "hook"),
                ("BOT_USERNAME", "Bot"),
                ("REMNAWAVE_URL", *url),
                ("REMNAWAVE_TOKEN", "t"),
            ]);
            Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).is_ok()
        })
        .collect();
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}

/// `u8::from_str_radix` takes a leading `+`, so `%+A` decodes as `%0A` (http.rs,
/// `decode_component`) and a Mini App public key may hold `+` digits (config.rs,
/// `webapp_public_key`).
#[test]
fn a_plus_sign_is_not_a_hex_digit() {
    assert_eq!(decode_component("%+A"), None, "%+A decodes");
    let key = format!("+f{}", "0".repeat(62));
    let vars = BTreeMap::from([
        ("TELEGRAM_BOT_TOKEN", "123:abc"),
        ("TELEGRAM_WEBHOOK_SECRET", "hook"),
        ("BOT_USERNAME", "Bot"),
        ("REMNAWAVE_URL", "https://panel.example.com"),
        ("REMNAWAVE_TOKEN", "t"),
        ("TELEGRAM_WEBAPP_PUBLIC_KEY", key.as_str()),
    ]);
    assert!(Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).is_err());
}

/// The panel's timestamp parser reads numbers with `str::parse`, which takes a leading `+`,
/// and does not bound the offset (remnawave/types.rs, `parse_panel_datetime`): text that is
/// not RFC 3339 is read as a time.
#[test]
fn panel_timestamps_with_signs_or_impossible_offsets_are_refused() {
    let texts = [
        "+026-12-05T12:30:00Z",
        "2026-+1-05T12:30:00Z",
        "2026-12-05T+1:30:00Z",
        "2026-12-05T12:30:00+99:99",
        "2026-12-05T12:30:00+01:+1",
    ];
    let accepted: Vec<_> =
        texts.into_iter().filter_map(|t| parse_panel_datetime(t).map(|at| (t, at))).collect();
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}

/// The console's `day_start` reads `2026-+1-05` as 5 January (shop/console.rs).
#[test]
fn console_days_with_a_plus_sign_are_refused() {
    assert_eq!(day_start("2026-+1-05"), None);
    assert_eq!(day_start("2026-01-+5"), None);
}

/// A broadcast text is bounded at [`MAX_TEXT`] (4000) *characters* (shop/broadcast.rs,
/// `Message::parse`), but Telegram bounds a message at 4096 UTF-16 code units: 2100 emoji (4200
/// units) pass, and every send of that broadcast is then refused ("message is too long"). The
/// bot's `/broadcast` cannot receive such a text (Telegram splits it first), but the console's
/// `POST /api/admin/broadcasts` can.
#[test]
fn a_broadcast_text_telegram_would_refuse_is_refused() {
    let text = "🙂".repeat(2100);
    let parsed = Broadcast::parse(&text).map(|m| m.text.encode_utf16().count());
    assert!(parsed.is_err(), "accepted {parsed:?} UTF-16 units");
}

/// A value may hold a line break (telegram/webapp.rs, `fields` decodes `%0A` and keeps it), and
/// the data-check string joins fields with line breaks: `chat_instance=1&chat_type=private`
/// and `chat_instance=1%0Achat_type=private` sign the same bytes. So a signed initData can be
/// re-split into other fields that still verify (fields merged away, here `chat_type`); the
/// same holds for the Ed25519 message of `third_party`. Login Widget payloads already refuse
/// line breaks for this reason (web/login.rs).
#[test]
fn initdata_whose_fields_merge_across_a_line_break_is_refused() {
    let data = InitData {
        fields: vec![
            ("auth_date".into(), NOW.to_string()),
            ("chat_instance".into(), "8134722200314281151".into()),
            ("chat_type".into(), "private".into()),
            ("user".into(), json!({ "id": 42, "first_name": "Ivan" }).to_string()),
        ],
        user_id: 42,
        first_name: "Ivan".into(),
        auth_date: NOW,
        style: 0,
    };
    let raw = data.signed(BOT_TOKEN);
    assert!(webapp::verify(&raw, BOT_TOKEN, NOW).is_ok());
    let merged = raw.replace("&chat_type=", "%0Achat_type=");
    assert_eq!(webapp::verify(&merged, BOT_TOKEN, NOW), Err(InitDataError::Malformed), "{merged}");
}
