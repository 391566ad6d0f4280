//! `GET /metrics`: the shop in the Prometheus text format (version 0.0.4), for the operator's
//! Prometheus and the Grafana dashboard in `docs/grafana-dashboard.json`.
//!
//! Nothing is kept in memory: an isolate lives minutes, and many run at once. Two sources,
//! both in D1, read in one round trip when scraped ([`super::sql`], `metrics_rows`):
//! - the shop's own tables, for what they already record (payments, revenue, provisioning
//!   lag, active subscriptions, reminders, broadcast sends), so the numbers cannot drift from
//!   the money;
//! - `metric_counters`, one UPSERT per event no table records (webhook rejects, 5xx answers,
//!   queue retries, dead letters; [`Counter`]).
//!
//! Every family is printed with its `HELP` and `TYPE` even when it has no sample yet, so a
//! dashboard's queries resolve on a new shop.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::db::Row;

/// Upper bounds (seconds) of the provisioning lag histogram: from a payment's acceptance to
/// the panel's confirmation. Seconds when healthy; minutes to hours while the panel is down.
pub const LAG_BUCKETS: [i64; 9] = [1, 5, 15, 60, 300, 900, 3600, 21_600, 86_400];

/// An event counted in `metric_counters`. Its labels come from fixed words only (never from
/// request data), so the label set is bounded and needs no escaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// A webhook refused before it could take effect: `route` is the webhook, `reason` the
    /// refusal (`unauthorized`, `malformed`, `too_large`, `method`, `refused`).
    WebhookReject { route: &'static str, reason: &'static str },
    /// A 5xx answer, by route family.
    ServerError { route: &'static str },
    /// A queue job that failed and was retried, by job kind.
    QueueRetry { job: &'static str },
    /// A job that exhausted its retries and reached the dead-letter queue.
    DeadLetter { job: &'static str },
}

impl Counter {
    /// The `metric_counters` key: the family name and its label set.
    pub fn key(&self) -> (&'static str, String) {
        match self {
            Counter::WebhookReject { route, reason } => {
                ("webhook_rejects", format!("route=\"{route}\",reason=\"{reason}\""))
            }
            Counter::ServerError { route } => ("http_errors", format!("route=\"{route}\"")),
            // Not `job`: Prometheus sets its own `job` label on every series it scrapes.
            Counter::QueueRetry { job } => ("queue_retries", format!("queue_job=\"{}\"", bare(job))),
            Counter::DeadLetter { job } => ("dead_letters", format!("queue_job=\"{}\"", bare(job))),
        }
    }
}

/// A job's name without the log's `job:` prefix.
fn bare(job: &str) -> &str {
    job.strip_prefix("job:").unwrap_or(job)
}

/// The families `/metrics` prints, in order: name, type, help.
const FAMILIES: [(&str, &str, &str); 14] = [
    (
        "payments_total",
        "counter",
        "Payments by channel and status (a refund moves one from completed to refunded).",
    ),
    (
        "revenue_minor_units_total",
        "counter",
        "Money taken, in minor units per currency (refunded payments included; see refunds).",
    ),
    ("refunds_minor_units_total", "counter", "Money refunded, in minor units per currency."),
    ("provisioning_lag_seconds", "histogram", "From a paid order's acceptance to the panel's confirmation."),
    ("orders_awaiting_provisioning", "gauge", "Paid orders the panel has not confirmed yet (a referral bonus waiting for its customer's first subscription is not counted)."),
    (
        "oldest_awaiting_provisioning_seconds",
        "gauge",
        "Age of the oldest paid, unprovisioned order (0 when none).",
    ),
    ("active_subscriptions", "gauge", "Customers with time left, by whether they ever paid."),
    ("users", "gauge", "Customers who ever started the bot or signed in."),
    ("reminders_sent_total", "counter", "Expiry reminders and notices done, by kind."),
    ("broadcast_sends_total", "counter", "Broadcast messages by outcome (sent, blocked, failed)."),
    ("webhook_rejects_total", "counter", "Webhooks refused, by route and reason."),
    ("http_errors_total", "counter", "5xx answers, by route."),
    ("queue_retries_total", "counter", "Queue jobs that failed and were retried, by job."),
    ("dead_letters_total", "counter", "Queue jobs that exhausted their retries, by job."),
];

/// One row of the scrape query: a metric key, up to two label values, a number.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    metric: String,
    a: String,
    b: String,
    value: i64,
}

impl Sample {
    fn from_row(row: &Row) -> Option<Sample> {
        let text = |key: &str| row.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let value = match row.get("v") {
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
            _ => 0,
        };
        Some(Sample { metric: text("m"), a: text("a"), b: text("b"), value })
    }
}

/// A label value as the text format wants it (`\`, `"` and line breaks escaped). Values come
/// from the shop's own vocabulary (channels, statuses, currencies), escaped all the same.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Renders the scrape query's rows (see `SqlStore::metrics_rows`).
pub fn render(rows: &[Row]) -> String {
    let samples: Vec<Sample> = rows.iter().filter_map(Sample::from_row).collect();
    let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut push = |family: &'static str, labels: String, value: i64| {
        let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
        lines.entry(family).or_default().push(format!("wavegate_{family}{braces} {value}"));
    };
    let mut lag_buckets = [0_i64; LAG_BUCKETS.len() + 1];
    let (mut lag_sum, mut lag_count) = (0_i64, 0_i64);
    for s in &samples {
        let (a, b) = (escape(&s.a), escape(&s.b));
        match s.metric.as_str() {
            "payments" => push("payments_total", format!("channel=\"{a}\",status=\"{b}\""), s.value),
            "revenue" => push("revenue_minor_units_total", format!("currency=\"{a}\""), s.value),
            "refunds" => push("refunds_minor_units_total", format!("currency=\"{a}\""), s.value),
            "lag" => {
                let index = s.a.parse::<usize>().unwrap_or(LAG_BUCKETS.len()).min(LAG_BUCKETS.len());
                lag_buckets[index] += s.value;
                lag_count += s.value;
            }
            "lag_sum" => lag_sum += s.value,
            "awaiting" => push("orders_awaiting_provisioning", String::new(), s.value),
            "awaiting_oldest" => push("oldest_awaiting_provisioning_seconds", String::new(), s.value),
            "active" => push("active_subscriptions", format!("paying=\"{a}\""), s.value),
            "users" => push("users", String::new(), s.value),
            "reminders" => push("reminders_sent_total", format!("kind=\"{a}\""), s.value),
            "broadcast" => push("broadcast_sends_total", format!("outcome=\"{a}\""), s.value),
            // `metric_counters`: `a` is the label set the Worker wrote (fixed words only).
            "webhook_rejects" | "http_errors" | "queue_retries" | "dead_letters" => {
                let family = match s.metric.as_str() {
                    "webhook_rejects" => "webhook_rejects_total",
                    "http_errors" => "http_errors_total",
                    "queue_retries" => "queue_retries_total",
                    _ => "dead_letters_total",
                };
                push(family, s.a.clone(), s.value)
            }
            _ => {}
        }
    }
    // The histogram: cumulative buckets, then +Inf, sum and count.
    let mut cumulative = 0;
    for (i, bound) in LAG_BUCKETS.iter().enumerate() {
        cumulative += lag_buckets[i];
        push("provisioning_lag_seconds", format!("le=\"{bound}\""), cumulative);
    }
    push("provisioning_lag_seconds", "le=\"+Inf\"".to_string(), lag_count);
    let mut out = String::new();
    for (family, kind, help) in FAMILIES {
        let _ = writeln!(out, "# HELP wavegate_{family} {help}");
        let _ = writeln!(out, "# TYPE wavegate_{family} {kind}");
        for line in lines.get(family).into_iter().flatten() {
            // The histogram's series are named `_bucket`; its sum and count follow them.
            if family == "provisioning_lag_seconds" {
                let _ = writeln!(
                    out,
                    "{}",
                    line.replacen(
                        "wavegate_provisioning_lag_seconds{",
                        "wavegate_provisioning_lag_seconds_bucket{",
                        1
                    )
                );
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        if family == "provisioning_lag_seconds" {
            let _ = writeln!(out, "wavegate_provisioning_lag_seconds_sum {lag_sum}");
            let _ = writeln!(out, "wavegate_provisioning_lag_seconds_count {lag_count}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(m: &str, a: &str, b: &str, v: i64) -> Row {
        json!({ "m": m, "a": a, "b": b, "v": v }).as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn every_family_is_declared_even_without_samples() {
        let text = render(&[]);
        for (family, kind, _) in FAMILIES {
            assert!(text.contains(&format!("# TYPE wavegate_{family} {kind}\n")), "{family}");
        }
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"+Inf\"} 0\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_count 0\n"));
    }

    #[test]
    fn the_lag_histogram_is_cumulative() {
        let text = render(&[
            row("lag", "0", "", 2),
            row("lag", "3", "", 1),
            row("lag", "9", "", 1),
            row("lag_sum", "", "", 90_000),
        ]);
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"1\"} 2\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"15\"} 2\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"60\"} 3\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"86400\"} 3\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"+Inf\"} 4\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_sum 90000\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_count 4\n"));
    }

    #[test]
    fn samples_carry_their_labels_escaped() {
        let text = render(&[
            row("payments", "stars", "completed", 3),
            row("revenue", "XTR", "", 450),
            row("webhook_rejects", "route=\"razorpay\",reason=\"unauthorized\"", "", 2),
            row("active", "tr\"ue", "", 1),
        ]);
        assert!(text.contains("wavegate_payments_total{channel=\"stars\",status=\"completed\"} 3\n"));
        assert!(text.contains("wavegate_revenue_minor_units_total{currency=\"XTR\"} 450\n"));
        assert!(
            text.contains("wavegate_webhook_rejects_total{route=\"razorpay\",reason=\"unauthorized\"} 2\n")
        );
        assert!(text.contains("wavegate_active_subscriptions{paying=\"tr\\\"ue\"} 1\n"));
    }

    #[test]
    fn counter_keys_are_fixed_words() {
        let key = Counter::WebhookReject { route: "xendit", reason: "malformed" }.key();
        assert_eq!(key, ("webhook_rejects", "route=\"xendit\",reason=\"malformed\"".to_string()));
        assert_eq!(Counter::DeadLetter { job: "job:provision" }.key().1, "queue_job=\"provision\"");
    }
}
