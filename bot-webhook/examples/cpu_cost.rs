//! CPU cost of the pure work in the hot handlers (no I/O): parsing the update, deciding, and
//! formatting what is sent. `scripts/bench` runs it compiled to WebAssembly (wasm32-wasip1
//! under Node's WASI, the closest stand-in for workerd's V8) and natively, and prints
//! microseconds per call. Against the free plan's 10 ms CPU per invocation, I/O waits do not
//! count: this is what does.

use std::hint::black_box;
use std::time::Instant;

use wavegate_bot::buy::{payload, plans_screen};
use wavegate_bot::screens;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::money::{Currency, Money};
use wavegate_shared::qr;
use wavegate_shared::remnawave::{PanelUserState, TrafficLimitStrategy};
use wavegate_shared::shop::broadcast::Message;
use wavegate_shared::shop::catalog::{Plan, PlanSlug, Provider};
use wavegate_shared::shop::fulfil::PanelRecord;
use wavegate_shared::shop::order::{check_checkout, payment_matches, OrderId, OrderView};
use wavegate_shared::shop::sql::sync::page_json;
use wavegate_shared::subscription::OrderStatus;
use wavegate_shared::telegram::Update;

const START: &str = r#"{"update_id":830412951,"message":{"message_id":17,"from":{"id":123456789,"is_bot":false,"first_name":"Иван","username":"ivan_vpn","language_code":"ru"},"chat":{"id":123456789,"type":"private"},"date":1767225600,"text":"/start ref_abcdefgh","entities":[{"offset":0,"length":6,"type":"bot_command"}]}}"#;
const PRE_CHECKOUT: &str = r#"{"update_id":1001,"pre_checkout_query":{"id":"4458712394","from":{"id":42,"is_bot":false,"first_name":"Ivan"},"currency":"XTR","total_amount":100,"invoice_payload":"order:ab12cd34ef56gh78"}}"#;
const PAYMENT: &str = r#"{"update_id":9,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ivan"},"successful_payment":{"currency":"XTR","total_amount":100,"invoice_payload":"order:ab12cd34ef56gh78","telegram_payment_charge_id":"stxAbCdEf0123456789","provider_payment_charge_id":""}}}"#;

fn time(name: &str, iterations: u32, mut f: impl FnMut()) {
    f(); // warm: the first call per isolate parses the Fluent catalog
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let micros = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!("  {name:<58} {micros:>9.1} µs");
}

fn plans() -> Vec<Plan> {
    let plan = |id, slug: &str, days, gb: u64, devices, prices: [(i64, Currency); 4]| Plan {
        id,
        slug: PlanSlug::parse(slug).unwrap_or_else(|| std::process::abort()),
        name: slug.into(),
        days,
        traffic_limit_bytes: gb << 30,
        traffic_strategy: TrafficLimitStrategy::NoReset,
        device_limit: devices,
        prices: prices.iter().filter_map(|(m, c)| Money::new(*m, *c).ok()).collect(),
    };
    use Currency::*;
    vec![
        plan(1, "monthly", 30, 100, 3, [(100, Xtr), (200, Usd), (16900, Inr), (32000, Idr)]),
        plan(2, "quarterly", 90, 300, 3, [(250, Xtr), (500, Usd), (41900, Inr), (79000, Idr)]),
        plan(3, "yearly", 365, 0, 5, [(800, Xtr), (1600, Usd), (133900, Inr), (255000, Idr)]),
    ]
}

/// The Worker's allocator (functions/src/lib.rs), so the WebAssembly numbers are the Worker's.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    let order = OrderView {
        id: 1,
        public_id: "ab12cd34ef56gh78".into(),
        user_id: 1,
        telegram_id: 42,
        status: OrderStatus::Pending,
        provider: "stars".into(),
        price: Money::new(100, Currency::Xtr).unwrap_or_else(|_| std::process::abort()),
        days: 30,
        plan_id: Some(1),
        subscription: false,
        current_price_minor: Some(100),
        locale: None,
        language_code: None,
        external_id: None,
        discount: None,
        gift: false,
    };
    let order_id = OrderId::parse(&order.public_id).unwrap_or_else(|| std::process::abort());
    let plans = plans();

    let cold = Instant::now();
    black_box(Texts::new(Locale::Hi).get("welcome"));
    println!(
        "  {:<58} {:>9.1} µs",
        "first text in a locale (parses its catalog, once per isolate)",
        cold.elapsed().as_secs_f64() * 1e6
    );

    time("/start: parse update + welcome screen + sendMessage JSON", 2000, || {
        let update: Update = serde_json::from_str(black_box(START)).unwrap_or_else(|_| std::process::abort());
        let from = update.message.and_then(|m| m.from).map(|u| u.first_name).unwrap_or_default();
        let screen = screens::welcome(Texts::new(Locale::Ru), &from, 3, false, true);
        black_box(
            serde_json::json!({ "chat_id": 1, "text": screen.text, "reply_markup": screen.keyboard })
                .to_string(),
        );
    });
    time("pre_checkout_query: parse + check + answer JSON", 2000, || {
        let update: Update =
            serde_json::from_str(black_box(PRE_CHECKOUT)).unwrap_or_else(|_| std::process::abort());
        if let Some(q) = update.pre_checkout_query {
            let amount = Money::parse(q.total_amount, &q.currency).unwrap_or_else(|_| std::process::abort());
            let verdict = check_checkout(&order, q.from.id, amount);
            black_box(
                serde_json::json!({ "pre_checkout_query_id": q.id, "ok": verdict.is_ok() }).to_string(),
            );
        }
    });
    time("successful_payment: parse + match + thank-you text", 2000, || {
        let update: Update =
            serde_json::from_str(black_box(PAYMENT)).unwrap_or_else(|_| std::process::abort());
        if let Some(p) = update.message.and_then(|m| m.successful_payment) {
            let amount = Money::parse(p.total_amount, &p.currency).unwrap_or_else(|_| std::process::abort());
            black_box(payment_matches(&order, Provider::Stars, Some(42), amount).is_ok());
            black_box(payload(&order_id));
            black_box(Texts::new(Locale::En).get("payment-received"));
        }
    });
    time("/buy: plans screen with all prices", 2000, || {
        black_box(plans_screen(Texts::new(Locale::Id), black_box(&plans)));
    });
    time("provisioning: QR code PNG of a subscription link", 50, || {
        black_box(
            qr::png(black_box("https://sub.example.com/x7Kp2mQa9LdR4tVz")).map(|p| p.len()).unwrap_or(0),
        );
    });
    // A broadcast job's own work: the 25 request bodies (escaped text, keyboard), the 25 Bot API
    // answers parsed, and the result lists of the recording batch (the sends themselves are I/O).
    let message = Message::parse(
        "Wavegate news: new servers in Jakarta & Mumbai <3\nbutton: Open | https://t.me/WavegateBot",
    )
    .unwrap_or_else(|_| std::process::abort());
    let answer = r#"{"ok":true,"result":{"message_id":4711,"from":{"id":7000000001,"is_bot":true,"first_name":"Wavegate","username":"WavegateBot"},"chat":{"id":123456789,"first_name":"Ivan","type":"private"},"date":1767225600,"text":"Wavegate news: new servers in Jakarta & Mumbai <3"}}"#;
    time("broadcast: one batch of 25 (bodies, answers, result lists)", 500, || {
        let mut sent = Vec::with_capacity(25);
        for chat in 0..25_i64 {
            let keyboard = message.button.as_ref().map(
                |(label, url)| serde_json::json!({ "inline_keyboard": [[{ "text": label, "url": url }]] }),
            );
            let body = serde_json::json!({ "chat_id": 100_000 + chat, "text": screens::escape_html(&message.text),
                "parse_mode": "HTML", "reply_markup": keyboard });
            black_box(body.to_string());
            let parsed: serde_json::Value = serde_json::from_str(black_box(answer)).unwrap_or_default();
            if parsed["ok"] == true {
                sent.push(chat);
            }
        }
        black_box(serde_json::json!(sent).to_string());
    });
    for size in [500, 1000] {
        let page = stream_page(size);
        let name =
            format!("sync: parse a stream page of {size} users ({} KB) + mirror JSON", page.len() / 1024);
        time(&name, 20, || {
            let users: Vec<PanelUserState> =
                serde_json::from_str(black_box(&page)).unwrap_or_else(|_| std::process::abort());
            let records: Vec<PanelRecord> = users.iter().map(PanelRecord::from).collect();
            black_box(page_json(&records).map(|j| j.len()).unwrap_or(0));
        });
    }
}

/// `size` users as `GET /api/users/stream` returns them (the full user object, ~1 KB each).
fn stream_page(size: i64) -> String {
    let users: Vec<String> = (1..=size)
        .map(|id| {
            format!(
                r#"{{"uuid":"9e3b1c2a-5d4f-4a6b-8c7d-{id:012}","id":{id},"shortUuid":"x7Kp2mQa9LdR{id:04}","username":"tg_{tg}","status":"ACTIVE","trafficLimitBytes":107374182400,"trafficLimitStrategy":"MONTH","expireAt":"2027-01-15T10:20:30.000Z","telegramId":{tg},"email":null,"description":"order #{id}","tag":"SHOP","hwidDeviceLimit":3,"externalSquadUuid":null,"trojanPassword":"k3Jd8sLq0PzX7vB2nM5c","vlessUuid":"0f6a3e2d-1b4c-4d5e-9f8a-7b6c5d4e3f2a","ssPassword":"Zx8cVb7nM6lK5jH4","lastTriggeredThreshold":0,"subRevokedAt":null,"lastTrafficResetAt":null,"createdAt":"2026-06-01T08:00:00.000Z","updatedAt":"2026-12-01T08:00:00.000Z","subscriptionUrl":"https://sub.example.com/x7Kp2mQa9LdR{id:04}","activeInternalSquads":[{{"uuid":"a1b2c3d4-0000-4000-8000-000000000001","name":"Default"}}],"userTraffic":{{"usedTrafficBytes":{used},"lifetimeUsedTrafficBytes":{used},"onlineAt":"2026-12-05T09:00:00.000Z","firstConnectedAt":"2026-06-01T09:00:00.000Z","lastConnectedNodeUuid":"b1b2c3d4-0000-4000-8000-000000000002"}}}}"#,
                tg = 100_000_000 + id,
                used = id * 7_654_321
            )
        })
        .collect();
    format!("[{}]", users.join(","))
}
