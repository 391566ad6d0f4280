//! What the operator's console writes that no other console does: plan edits, and the journal
//! that makes every console write answer a retried request once (`Idempotency-Key`).
//!
//! ```text
//! PUT /api/admin/plans/monthly {days 30, prices {XTR 120, INR 16900}}   Idempotency-Key: k1
//!   → journal k1 claimed → plan row and prices replaced in one batch, audit row with before/after
//!   → answer stored under k1
//! the same request again (lost response, double click) → the stored answer, nothing written
//! ```
//!
//! A price edit never touches an order already created: orders carry their own amount. Before
//! money is taken, the plan's current price wins (a Stars pre-checkout of an older invoice is
//! refused as "price changed" and the customer buys again at the new price); once money is
//! taken, the order's price wins (a provider payment of an older checkout is accepted at the
//! amount the customer was shown). See `order::check_checkout` and `order::payment_matches`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::db::Row;
use crate::money::Currency;
use crate::subscription::utc_iso_seconds;

/// Longest plan name.
pub const MAX_NAME: usize = 64;
pub const MAX_DAYS: u32 = 3650;
pub const MAX_DEVICES: u32 = 100;
/// 1 PB: a typo guard, not a business rule.
pub const MAX_TRAFFIC_GB: u64 = 1_000_000;
/// The largest price in minor units (10 billion of a currency's units with two decimals).
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000_000;
const GIB: i64 = 1 << 30;

/// A plan as the console sends it (`PUT /api/admin/plans/{slug}`): the whole plan.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEditRequest {
    pub name: String,
    pub days: u32,
    /// 0 = unlimited.
    pub traffic_gb: u64,
    pub devices: u32,
    pub active: bool,
    /// Minor units by currency code; a currency left out has no price (the channels selling in
    /// it do not offer the plan).
    pub prices: BTreeMap<String, i64>,
}

/// A validated plan edit.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEdit {
    pub name: String,
    pub days: u32,
    pub traffic_limit_bytes: i64,
    pub device_limit: u32,
    pub active: bool,
    pub prices: Vec<(Currency, i64)>,
}

impl PlanEditRequest {
    /// The edit, or what is wrong with it (for the operator).
    pub fn validate(self) -> Result<PlanEdit, String> {
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
            return Err(format!("the name must be 1–{MAX_NAME} characters"));
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(format!("days must be 1–{MAX_DAYS}"));
        }
        if self.devices > MAX_DEVICES {
            return Err(format!("devices must be 0–{MAX_DEVICES} (0 = no limit)"));
        }
        if self.traffic_gb > MAX_TRAFFIC_GB {
            return Err(format!("traffic must be 0–{MAX_TRAFFIC_GB} GB (0 = unlimited)"));
        }
        let mut prices = Vec::new();
        for (code, minor) in self.prices {
            let currency = Currency::parse(&code).ok_or_else(|| format!("unknown currency {code}"))?;
            if !(1..=MAX_PRICE_MINOR).contains(&minor) {
                return Err(format!("the {code} price must be a positive whole number of minor units"));
            }
            // What the channel selling in the currency accepts (payments.md): a price above it
            // would only break that checkout.
            let channel_max = match currency {
                Currency::Xtr => Some(10_000),     // Stars (and Stars subscriptions)
                Currency::Idr => Some(10_000_000), // QRIS
                Currency::Usd | Currency::Inr => None,
            };
            if channel_max.is_some_and(|max| minor > max) {
                return Err(format!("the {code} price is above what its channel accepts"));
            }
            prices.push((currency, minor));
        }
        if self.active && prices.is_empty() {
            return Err("an active plan needs at least one price".into());
        }
        let traffic = i64::try_from(self.traffic_gb).map_err(|_| "traffic out of range")? * GIB;
        Ok(PlanEdit {
            name,
            days: self.days,
            traffic_limit_bytes: traffic,
            device_limit: self.devices,
            active: self.active,
            prices,
        })
    }
}

impl PlanEdit {
    /// The plan as the console's list shows it (the audit row's `after`).
    pub fn view(&self, slug: &str) -> Value {
        let prices: serde_json::Map<String, Value> =
            self.prices.iter().map(|(c, m)| (c.code().to_string(), json!(m))).collect();
        json!({
            "slug": slug, "name": self.name, "days": self.days,
            "traffic_limit_bytes": self.traffic_limit_bytes, "device_limit": self.device_limit,
            "is_active": i64::from(self.active), "prices": prices,
        })
    }
}

/// A console write's journal entry, as found when its key is claimed again.
#[derive(Debug, Clone, PartialEq)]
pub enum Journal {
    /// First time: run it.
    Claimed,
    /// Done before: answer this (status, JSON body).
    Done(u16, Value),
    /// The first attempt is still running.
    Running,
    /// The first attempt started long ago and never recorded its answer (its invocation died,
    /// or the database failed at the end): whether it took effect is unknown.
    Unknown,
    /// The key was used for another admin or another route.
    Conflict,
}

/// How long a claim without an answer counts as running (a console write takes seconds).
pub const RUNNING_SECONDS: i64 = 120;

/// An `Idempotency-Key`: 8–100 characters of `[A-Za-z0-9_-]` (a UUID fits).
pub fn valid_key(key: &str) -> bool {
    (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The CSV of payment rows: a header line, then one line per payment, CRLF-terminated.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "id,created_at,telegram_id,username,provider,status,amount,currency,order_id,kind,plan,external_id\r\n",
    );
    for row in rows {
        let text = |key: &str| match row.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let when =
            row.get("created_at").and_then(Value::as_i64).and_then(utc_iso_seconds).unwrap_or_default();
        let amount = match (row.get("amount_minor").and_then(Value::as_i64), row.get("currency")) {
            (Some(minor), Some(Value::String(code))) => decimal(minor, code),
            _ => String::new(),
        };
        let cells = [
            text("id"),
            when,
            text("telegram_id"),
            text("username"),
            text("provider"),
            text("status"),
            amount,
            text("currency"),
            text("order_id"),
            text("kind"),
            text("plan"),
            text("external_id"),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `minor` units of `code` as a plain decimal (`16900` INR → `169.00`).
pub fn decimal(minor: i64, code: &str) -> String {
    let exponent = Currency::parse(code).map_or(0, |c| c.exponent());
    if exponent == 0 {
        return minor.to_string();
    }
    let unit = 10_i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:0width$}", minor.abs() / unit, minor.abs() % unit, width = exponent as usize)
}

/// One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'` (OWASP's CSV injection advice).
pub fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The start (UTC) of day `YYYY-MM-DD`.
pub fn day_start(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Digits only: `str::parse` would take a sign (`2026-+1-05`).
    let num = |r: std::ops::Range<usize>| {
        let digits = text.get(r)?;
        digits.bytes().all(|c| c.is_ascii_digit()).then(|| digits.parse::<u32>().ok())?
    };
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(prices: &[(&str, i64)]) -> PlanEditRequest {
        PlanEditRequest {
            name: "Monthly".into(),
            days: 30,
            traffic_gb: 100,
            devices: 3,
            active: true,
            prices: prices.iter().map(|(c, m)| (c.to_string(), *m)).collect(),
        }
    }

    #[test]
    fn a_plan_edit_is_checked_field_by_field() {
        let edit = request(&[("XTR", 120), ("INR", 16900)]).validate().expect("valid");
        assert_eq!(edit.traffic_limit_bytes, 107_374_182_400);
        assert_eq!(edit.prices, vec![(Currency::Inr, 16900), (Currency::Xtr, 120)]);
        assert_eq!(edit.view("monthly")["prices"], json!({ "INR": 16900, "XTR": 120 }));
        assert!(request(&[("EUR", 100)]).validate().unwrap_err().contains("EUR"));
        assert!(request(&[("XTR", 0)]).validate().is_err());
        assert!(request(&[("XTR", -5)]).validate().is_err());
        assert!(request(&[("XTR", 10_001)]).validate().unwrap_err().contains("channel"));
        assert!(request(&[("XTR", 10_000), ("IDR", 10_000_000)]).validate().is_ok());
        assert!(request(&[("IDR", 10_000_001)]).validate().is_err());
        assert!(request(&[]).validate().unwrap_err().contains("active plan"));
        let inactive = PlanEditRequest { active: false, ..request(&[]) };
        assert!(inactive.validate().is_ok());
        for bad in [
            PlanEditRequest { days: 0, ..request(&[("XTR", 1)]) },
            PlanEditRequest { devices: 101, ..request(&[("XTR", 1)]) },
            PlanEditRequest { traffic_gb: MAX_TRAFFIC_GB + 1, ..request(&[("XTR", 1)]) },
            PlanEditRequest { name: " ".into(), ..request(&[("XTR", 1)]) },
            PlanEditRequest { name: "a\nb".into(), ..request(&[("XTR", 1)]) },
        ] {
            assert!(bad.validate().is_err());
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@admin"), "'@admin");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(decimal(16900, "INR"), "169.00");
        assert_eq!(decimal(205, "USD"), "2.05");
        assert_eq!(decimal(100, "XTR"), "100");
        assert_eq!(day_start("2026-12-05"), Some(1_796_428_800));
        assert_eq!(day_start("2026-13-05"), None);
        let mut row = Row::new();
        for (k, v) in [
            ("id", json!(7)),
            ("created_at", json!(1_796_428_800)),
            ("telegram_id", json!(42)),
            ("username", json!("a,b")),
            ("amount_minor", json!(16900)),
            ("currency", json!("INR")),
        ] {
            row.insert(k.into(), v);
        }
        let text = csv(&[row]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[1], "7,2026-12-05T00:00:00Z,42,\"a,b\",,,169.00,INR,,,,");
    }

    #[test]
    fn idempotency_keys_are_plain_and_bounded() {
        assert!(valid_key("0b6f7c1e-8d4a-4e1b-9a51-1f2d3c4b5a69"));
        for bad in ["short", "has space in it", "semi;colon-key", &"k".repeat(101)] {
            assert!(!valid_key(bad), "{bad}");
        }
    }
}
