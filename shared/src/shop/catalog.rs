//! What is on sale: plans with their prices, the payment providers, and which ways to pay a
//! customer is offered.

use std::fmt;

use crate::config::Config;
use crate::money::{Currency, Money};
use crate::remnawave::TrafficLimitStrategy;

/// Who took the money, by the names the schema's `CHECK`s use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Stars,
    Razorpay,
    Xendit,
    CryptoPay,
}

impl Provider {
    pub const ALL: [Provider; 4] =
        [Provider::Stars, Provider::Razorpay, Provider::Xendit, Provider::CryptoPay];

    /// The name in `orders.provider`, `payments.provider` and idempotency keys.
    pub fn code(self) -> &'static str {
        match self {
            Provider::Stars => "stars",
            Provider::Razorpay => "razorpay",
            Provider::Xendit => "xendit",
            Provider::CryptoPay => "cryptopay",
        }
    }

    pub fn parse(code: &str) -> Option<Provider> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A plan's slug: what buttons and payloads carry. Short and plain (`[a-z0-9_-]`, 1–24
/// characters), so that every callback naming it fits Telegram's 64 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlanSlug(String);

impl PlanSlug {
    pub const MAX_LEN: usize = 24;

    pub fn parse(raw: &str) -> Option<PlanSlug> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        valid.then(|| PlanSlug(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PlanSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A plan with its prices, as the admin configured it in D1.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: i64,
    pub slug: PlanSlug,
    pub name: String,
    pub days: u32,
    /// 0 = unlimited.
    pub traffic_limit_bytes: u64,
    pub traffic_strategy: TrafficLimitStrategy,
    pub device_limit: u32,
    pub prices: Vec<Money>,
}

impl Plan {
    pub fn price(&self, currency: Currency) -> Option<Money> {
        self.prices.iter().copied().find(|p| p.currency() == currency)
    }
}

/// How a customer pays. Stars is built in; the others appear when configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayMethod {
    /// A one-time Stars invoice.
    Stars,
    /// A Stars subscription renewing every 30 days (30-day plans only).
    StarsSubscription,
    Razorpay,
    Xendit,
    CryptoPay,
}

impl PayMethod {
    pub const ALL: [PayMethod; 5] = [
        PayMethod::Stars,
        PayMethod::StarsSubscription,
        PayMethod::Razorpay,
        PayMethod::Xendit,
        PayMethod::CryptoPay,
    ];

    /// The method's code in callbacks (not stored: the provider is).
    pub fn code(self) -> &'static str {
        match self {
            PayMethod::Stars => "stars",
            PayMethod::StarsSubscription => "starsub",
            PayMethod::Razorpay => "razorpay",
            PayMethod::Xendit => "xendit",
            PayMethod::CryptoPay => "cryptopay",
        }
    }

    pub fn parse(code: &str) -> Option<PayMethod> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Who takes the money: the name the order stores.
    pub fn provider(self) -> Provider {
        match self {
            PayMethod::Stars | PayMethod::StarsSubscription => Provider::Stars,
            PayMethod::Razorpay => Provider::Razorpay,
            PayMethod::Xendit => Provider::Xendit,
            PayMethod::CryptoPay => Provider::CryptoPay,
        }
    }

    /// The currency the method charges in.
    pub fn currency(self) -> Currency {
        match self {
            PayMethod::Stars | PayMethod::StarsSubscription => Currency::Xtr,
            PayMethod::Razorpay => Currency::Inr,
            PayMethod::Xendit => Currency::Idr,
            PayMethod::CryptoPay => Currency::Usd,
        }
    }
}

/// Telegram's ceiling for a Stars subscription price.
const MAX_SUBSCRIPTION_STARS: i64 = 10_000;

/// Payment methods offered for a plan: Stars always, a Stars subscription for 30-day plans,
/// the other channels only when configured and the plan has a price in their currency. A
/// channel that is not offered is refused by every checkout (bot and API).
pub fn offered(config: &Config, plan: &Plan) -> Vec<PayMethod> {
    let mut methods = Vec::new();
    if plan.price(Currency::Xtr).is_some() {
        methods.push(PayMethod::Stars);
        if plan.days == 30 && plan.price(Currency::Xtr).is_some_and(|p| p.minor() <= MAX_SUBSCRIPTION_STARS) {
            methods.push(PayMethod::StarsSubscription);
        }
    }
    let channels = [
        (PayMethod::Razorpay, config.razorpay.is_some()),
        (PayMethod::Xendit, config.xendit.is_some()),
        (PayMethod::CryptoPay, config.cryptopay.is_some()),
    ];
    for (method, on) in channels {
        if on && plan.price(method.currency()).is_some() {
            methods.push(method);
        }
    }
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_stores_a_provider_the_schema_accepts() {
        // d1-migrations/0001_initial.sql: provider IN ('stars', 'razorpay', 'xendit', 'cryptopay', 'trial').
        let schema = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../d1-migrations/0001_initial.sql"
        ))
        .expect("the schema");
        for method in PayMethod::ALL {
            let code = method.provider().code();
            assert!(schema.contains(&format!("'{code}'")), "{code} is not in the schema's CHECK");
            assert_eq!(PayMethod::parse(method.code()), Some(method));
        }
        assert_eq!(PayMethod::CryptoPay.provider().code(), "cryptopay");
    }

    #[test]
    fn plan_slugs_are_short_and_plain() {
        assert!(PlanSlug::parse("monthly").is_some());
        assert!(PlanSlug::parse("").is_none());
        assert!(PlanSlug::parse("Monthly").is_none());
        assert!(PlanSlug::parse("a b").is_none());
        assert!(PlanSlug::parse(&"x".repeat(25)).is_none());
    }

    #[test]
    fn a_channel_is_offered_only_with_its_keys_and_a_price_in_its_currency() {
        let config = |extra: &[(&str, &str)]| {
            let mut vars: std::collections::HashMap<&str, &str> = [
                ("TELEGRAM_BOT_TOKEN", "1:x"),
                ("TELEGRAM_WEBHOOK_SECRET", "s"),
                ("BOT_USERNAME", "b"),
                ("REMNAWAVE_URL", "https://panel.example.com"),
                ("REMNAWAVE_TOKEN", "t"),
            ]
            .into_iter()
            .collect();
            vars.extend(extra.iter().copied());
            Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).expect("config")
        };
        let money = |minor, currency| Money::new(minor, currency).expect("money");
        let plan = |prices: Vec<Money>| Plan {
            id: 1,
            slug: PlanSlug::parse("monthly").expect("slug"),
            name: "Monthly".into(),
            days: 30,
            traffic_limit_bytes: 0,
            traffic_strategy: TrafficLimitStrategy::NoReset,
            device_limit: 3,
            prices,
        };
        let all = plan(vec![
            money(100, Currency::Xtr),
            money(16900, Currency::Inr),
            money(32000, Currency::Idr),
            money(200, Currency::Usd),
        ]);
        assert_eq!(offered(&config(&[]), &all), [PayMethod::Stars, PayMethod::StarsSubscription]);
        let keys = [
            ("RAZORPAY_KEY_ID", "k"),
            ("RAZORPAY_KEY_SECRET", "s"),
            ("RAZORPAY_WEBHOOK_SECRET", "w"),
            ("XENDIT_SECRET_KEY", "x"),
            ("XENDIT_CALLBACK_TOKEN", "t"),
            ("CRYPTOPAY_TOKEN", "1:c"),
        ];
        assert_eq!(offered(&config(&keys), &all), PayMethod::ALL);
        // Razorpay without its webhook secret is off; a plan without a rupee price has no UPI.
        assert!(!offered(&config(&keys[1..]), &all).contains(&PayMethod::Razorpay));
        let no_inr = plan(vec![money(100, Currency::Xtr), money(200, Currency::Usd)]);
        assert_eq!(
            offered(&config(&keys), &no_inr),
            [PayMethod::Stars, PayMethod::StarsSubscription, PayMethod::CryptoPay]
        );
    }
}
