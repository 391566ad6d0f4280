//! `GET /metrics`: the shop in the Prometheus text format (version 0.0.4), for the operator's
//! Prometheus and the Grafana dashboard in `docs/grafana-dashboard.json`.
//!
//! Nothing is kept in memory: an isolate lives minutes, and many run at once. Everything is in
//! D1's `metric_counters`, read in one round trip when scraped (plus the paid orders still
//! waiting), so a scrape costs the same ~60 rows whatever the shop's size:
//! - money (payments, revenue, refunds), the provisioning lag, reminders, broadcast sends,
//!   customers and active subscriptions are recomputed from the shop's tables by the hourly
//!   cron (`SqlStore::refresh_hourly_gauges`), so they cannot drift from the money; they are as
//!   of the last hourly run;
//! - events no table records are counted by the Worker as they happen ([`Counter`]: webhook
//!   rejects, 5xx answers, queue retries, dead letters);
//! - what alerts need live is live: the paid orders waiting for the panel (read at scrape
//!   time through an index), the counters above, and the last successful hourly run.
//!
//! (Triggers would keep the money counts live, but D1 reports a statement's `changes`
//! including its triggers' writes, and the shop's guarded updates read that count.)
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

/// The families `/metrics` prints, in order: family, type, help, and the `metric_counters`
/// name it is read from.
const FAMILIES: [(&str, &str, &str, &str); 15] = [
    ("payments_total", "gauge", "Payments by channel and status, as of the last hourly run (a refund moves one from completed to refunded).", "payments"),
    ("revenue_minor_units_total", "counter", "Money taken, in minor units per currency, refunded payments included, as of the last hourly run.", "revenue"),
    ("refunds_minor_units_total", "counter", "Money refunded, in minor units per currency, as of the last hourly run.", "refunds"),
    ("provisioning_lag_seconds", "histogram", "From a paid order's acceptance to the panel's confirmation, as of the last hourly run.", "lag"),
    ("orders_awaiting_provisioning", "gauge", "Paid orders the panel has not confirmed yet (a referral bonus waiting for its customer's first subscription is not counted).", "awaiting"),
    ("oldest_awaiting_provisioning_seconds", "gauge", "Age of the oldest paid, unprovisioned order (0 when none).", "awaiting_oldest"),
    ("active_subscriptions", "gauge", "Customers with time left, by whether they ever paid (as of the last hourly run).", "active"),
    ("users", "gauge", "Customers who ever started the bot or signed in, as of the last hourly run.", "users"),
    ("reminders_sent_total", "counter", "Expiry reminders and notices done, by kind, as of the last hourly run.", "reminders"),
    ("broadcast_sends_total", "counter", "Broadcast messages by outcome (sent, blocked, failed), as of the last hourly run.", "broadcast"),
    ("webhook_rejects_total", "counter", "Webhooks refused, by route and reason.", "webhook_rejects"),
    ("http_errors_total", "counter", "5xx answers, by route.", "http_errors"),
    ("queue_retries_total", "counter", "Queue jobs that failed and were retried, by job.", "queue_retries"),
    ("dead_letters_total", "counter", "Queue jobs that exhausted their retries, by job.", "dead_letters"),
    ("cron_last_success_timestamp_seconds", "gauge", "When the hourly cron last ran to the end (unix seconds).", "cron_last_success"),
];

/// One row of the scrape: a `metric_counters` name, its label set, a number.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    metric: String,
    labels: String,
    value: i64,
}

impl Sample {
    fn from_row(row: &Row) -> Option<Sample> {
        let text = |key: &str| row.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let value = match row.get("v") {
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
            _ => 0,
        };
        Some(Sample { metric: text("m"), labels: text("a"), value })
    }
}

/// A label set as stored is made by the Worker or a trigger from fixed words and
/// CHECK-constrained columns; anything else (a hand-edited row) is not printed, so the output
/// always parses.
fn well_formed(labels: &str) -> bool {
    labels.is_empty()
        || labels.split(',').all(|pair| {
            pair.split_once("=\"").is_some_and(|(name, value)| {
                !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    && value.strip_suffix('"').is_some_and(|v| {
                        v.bytes().all(|b| b.is_ascii_alphanumeric() || b"_:-. ".contains(&b))
                    })
            })
        })
}

/// Renders the scrape's rows (see `SqlStore::metrics_rows`).
pub fn render(rows: &[Row]) -> String {
    let samples: Vec<Sample> = rows.iter().filter_map(Sample::from_row).collect();
    let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut lag_buckets = [0_i64; LAG_BUCKETS.len() + 1];
    let (mut lag_sum, mut lag_count) = (0_i64, 0_i64);
    for s in &samples {
        match s.metric.as_str() {
            "lag" => {
                let index = s.labels.parse::<usize>().unwrap_or(LAG_BUCKETS.len()).min(LAG_BUCKETS.len());
                lag_buckets[index] += s.value;
                lag_count += s.value;
            }
            "lag_sum" => lag_sum += s.value,
            metric => {
                let Some((family, ..)) = FAMILIES.iter().find(|f| f.3 == metric) else { continue };
                if !well_formed(&s.labels) {
                    continue;
                }
                let braces = if s.labels.is_empty() { String::new() } else { format!("{{{}}}", s.labels) };
                lines.entry(family).or_default().push(format!("wavegate_{family}{braces} {}", s.value));
            }
        }
    }
    let mut out = String::new();
    for (family, kind, help, _) in FAMILIES {
        let _ = writeln!(out, "# HELP wavegate_{family} {help}");
        let _ = writeln!(out, "# TYPE wavegate_{family} {kind}");
        if family == "provisioning_lag_seconds" {
            // Cumulative buckets, then +Inf, the sum and the count.
            let mut cumulative = 0;
            for (i, bound) in LAG_BUCKETS.iter().enumerate() {
                cumulative += lag_buckets[i];
                let _ =
                    writeln!(out, "wavegate_provisioning_lag_seconds_bucket{{le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "wavegate_provisioning_lag_seconds_bucket{{le=\"+Inf\"}} {lag_count}");
            let _ = writeln!(out, "wavegate_provisioning_lag_seconds_sum {lag_sum}");
            let _ = writeln!(out, "wavegate_provisioning_lag_seconds_count {lag_count}");
        }
        for line in lines.get(family).into_iter().flatten() {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(m: &str, a: &str, v: i64) -> Row {
        json!({ "m": m, "a": a, "b": "", "v": v }).as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn every_family_is_declared_even_without_samples() {
        let text = render(&[]);
        for (family, kind, _, _) in FAMILIES {
            assert!(text.contains(&format!("# TYPE wavegate_{family} {kind}\n")), "{family}");
        }
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"+Inf\"} 0\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_count 0\n"));
    }

    #[test]
    fn the_lag_histogram_is_cumulative() {
        let text =
            render(&[row("lag", "0", 2), row("lag", "3", 1), row("lag", "9", 1), row("lag_sum", "", 90_000)]);
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"1\"} 2\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"15\"} 2\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"60\"} 3\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"86400\"} 3\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_bucket{le=\"+Inf\"} 4\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_sum 90000\n"));
        assert!(text.contains("wavegate_provisioning_lag_seconds_count 4\n"));
    }

    #[test]
    fn samples_carry_their_labels_and_malformed_ones_are_dropped() {
        let text = render(&[
            row("payments", "channel=\"stars\",status=\"completed\"", 3),
            row("revenue", "currency=\"XTR\"", 450),
            row("webhook_rejects", "route=\"razorpay\",reason=\"unauthorized\"", 2),
            row("users", "", 7),
            row("active", "paying=\"tr\"ue\"", 1),
            row("active", "paying=\"x\"} 5\nwavegate_evil 1", 1),
            row("unknown_metric", "", 9),
        ]);
        assert!(text.contains("wavegate_payments_total{channel=\"stars\",status=\"completed\"} 3\n"));
        assert!(text.contains("wavegate_revenue_minor_units_total{currency=\"XTR\"} 450\n"));
        assert!(
            text.contains("wavegate_webhook_rejects_total{route=\"razorpay\",reason=\"unauthorized\"} 2\n")
        );
        assert!(text.contains("wavegate_users 7\n"));
        assert!(!text.contains("wavegate_active_subscriptions{"), "malformed label sets are not printed");
        assert!(!text.contains("evil") && !text.contains("unknown_metric"));
    }

    #[test]
    fn counter_keys_are_fixed_words() {
        let key = Counter::WebhookReject { route: "xendit", reason: "malformed" }.key();
        assert_eq!(key, ("webhook_rejects", "route=\"xendit\",reason=\"malformed\"".to_string()));
        assert_eq!(Counter::DeadLetter { job: "job:provision" }.key().1, "queue_job=\"provision\"");
    }
}
