//! Subscription arithmetic and the order state machine: the rules that decide how many days a
//! customer has. Pure functions over explicit times, so every edge is unit-tested.
//!
//! - A purchase extends from max(now, current expiry) by the plan's days: stacking never loses
//!   time already paid for, and an expired user starts from now.
//! - Days are exact 24-hour days in UTC. A "30-day" plan bought on Jan 31 ends on Mar 2:
//!   months play no part, so month ends and time zones cannot shift an expiry.
//! - Refunds follow the refund rule in `shop::fulfil` (the unused part of the order's own
//!   period only); the SQL of `shop::sql` applies both rules, these functions state them.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike, Utc};

/// The expiry after adding `days` to a subscription that currently ends at `current`.
pub fn extend(now: DateTime<Utc>, current: Option<DateTime<Utc>>, days: u32) -> DateTime<Utc> {
    let start = current.filter(|c| *c > now).unwrap_or(now);
    start + Duration::days(i64::from(days))
}

/// An expiry as the user reads it: in their locale's time zone, day first, 24-hour clock.
pub fn format_expiry(at: DateTime<Utc>, zone: FixedOffset) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        local.day(),
        local.month(),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// ISO 8601 / RFC 3339 in UTC (`2026-12-05T12:30:00Z`, or `…00.000Z` with `millis`): API
/// responses, provider requests and the panel's request format. Written out for the bundle's
/// sake, like [`utc_date`].
pub fn utc_iso(at: DateTime<Utc>, millis: bool) -> String {
    let date = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if millis {
        format!("{date}.{:03}Z", at.timestamp_subsec_millis())
    } else {
        format!("{date}Z")
    }
}

/// [`utc_iso`] of a Unix time in seconds.
pub fn utc_iso_seconds(at: i64) -> Option<String> {
    DateTime::from_timestamp(at, 0).map(|t| utc_iso(t, false))
}

/// `YYYY-MM-DD` (and ` HH:MM` with `time`) in UTC, for admins' screens. Written out rather than
/// with chrono's `format`, whose format-string interpreter costs the bundle ~3 KiB gzipped.
pub fn utc_date(at: i64, time: bool) -> Option<String> {
    let d = DateTime::from_timestamp(at, 0)?;
    let date = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    Some(if time { format!("{date} {:02}:{:02} UTC", d.hour(), d.minute()) } else { date })
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    /// Created, invoice sent, not paid.
    Pending,
    /// Money received; provisioning queued.
    Paid,
    /// Days are on the panel.
    Provisioned,
    /// Money received but the order cannot be fulfilled (amount mismatch): needs an admin.
    Failed,
    /// Abandoned before payment.
    Cancelled,
    /// Money returned; days taken back.
    Refunded,
}

/// What can happen to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvent {
    PaymentReceived,
    PaymentMismatched,
    Provisioned,
    Cancelled,
    Refunded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {from:?} cannot take {event:?}")]
pub struct InvalidTransition {
    pub from: OrderStatus,
    pub event: OrderEvent,
}

impl OrderStatus {
    pub fn parse(s: &str) -> Option<OrderStatus> {
        Some(match s {
            "pending" => OrderStatus::Pending,
            "paid" => OrderStatus::Paid,
            "provisioned" => OrderStatus::Provisioned,
            "failed" => OrderStatus::Failed,
            "cancelled" => OrderStatus::Cancelled,
            "refunded" => OrderStatus::Refunded,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::Provisioned => "provisioned",
            OrderStatus::Failed => "failed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// The state after `event`, or why it cannot happen. Only these paths exist:
    /// pending → paid → provisioned; pending → cancelled; pending → failed;
    /// paid | provisioned → refunded.
    pub fn apply(self, event: OrderEvent) -> Result<OrderStatus, InvalidTransition> {
        use OrderEvent as E;
        use OrderStatus as S;
        match (self, event) {
            (S::Pending, E::PaymentReceived) => Ok(S::Paid),
            (S::Pending, E::PaymentMismatched) => Ok(S::Failed),
            (S::Pending, E::Cancelled) => Ok(S::Cancelled),
            (S::Paid, E::Provisioned) => Ok(S::Provisioned),
            (S::Paid | S::Provisioned, E::Refunded) => Ok(S::Refunded),
            (from, event) => Err(InvalidTransition { from, event }),
        }
    }

    /// Money was received for this order (it counts for stacking and refunds).
    pub fn is_paid(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Provisioned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_first_purchase_starts_now() {
        assert_eq!(extend(at(2026, 1, 10, 12), None, 30), at(2026, 2, 9, 12));
    }

    #[test]
    fn a_purchase_stacks_on_time_still_left() {
        let now = at(2026, 1, 10, 12);
        assert_eq!(extend(now, Some(at(2026, 1, 20, 0)), 90), at(2026, 4, 20, 0));
    }

    #[test]
    fn an_expired_subscription_restarts_from_now() {
        let now = at(2026, 3, 1, 8);
        assert_eq!(extend(now, Some(at(2026, 2, 1, 0)), 30), at(2026, 3, 31, 8));
    }

    #[test]
    fn days_ignore_month_ends_and_leap_years() {
        assert_eq!(extend(at(2026, 1, 31, 0), None, 30), at(2026, 3, 2, 0));
        assert_eq!(extend(at(2028, 1, 31, 0), None, 30), at(2028, 3, 1, 0)); // leap year
        assert_eq!(extend(at(2026, 12, 31, 23), None, 365), at(2027, 12, 31, 23));
        assert_eq!(extend(at(2027, 3, 1, 0), None, 365), at(2028, 2, 29, 0));
    }

    #[test]
    fn stacking_three_purchases_adds_every_day() {
        let now = at(2026, 5, 1, 0);
        let once = extend(now, None, 30);
        let twice = extend(now, Some(once), 90);
        let thrice = extend(now, Some(twice), 365);
        assert_eq!(thrice - now, Duration::days(485));
    }

    #[test]
    fn expiries_are_shown_in_the_users_time_zone() {
        let end = at(2026, 12, 31, 22);
        let zone = |h: i32, m: i32| FixedOffset::east_opt(h * 3600 + m * 60).unwrap();
        assert_eq!(format_expiry(end, zone(0, 0)), "31.12.2026 22:00");
        assert_eq!(format_expiry(end, zone(3, 0)), "01.01.2027 01:00"); // Moscow: next year
        assert_eq!(format_expiry(end, zone(5, 30)), "01.01.2027 03:30"); // Kolkata
        assert_eq!(format_expiry(end, zone(7, 0)), "01.01.2027 05:00"); // Jakarta
    }

    #[test]
    fn orders_move_only_along_the_allowed_paths() {
        use OrderEvent as E;
        use OrderStatus as S;
        let all = [S::Pending, S::Paid, S::Provisioned, S::Failed, S::Cancelled, S::Refunded];
        let events = [E::PaymentReceived, E::PaymentMismatched, E::Provisioned, E::Cancelled, E::Refunded];
        let allowed = [
            (S::Pending, E::PaymentReceived, S::Paid),
            (S::Pending, E::PaymentMismatched, S::Failed),
            (S::Pending, E::Cancelled, S::Cancelled),
            (S::Paid, E::Provisioned, S::Provisioned),
            (S::Paid, E::Refunded, S::Refunded),
            (S::Provisioned, E::Refunded, S::Refunded),
        ];
        for from in all {
            for event in events {
                let expected =
                    allowed.iter().find(|(f, e, _)| *f == from && *e == event).map(|(_, _, to)| *to);
                assert_eq!(from.apply(event).ok(), expected, "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn a_second_payment_or_provisioning_of_the_same_order_is_refused() {
        let paid = OrderStatus::Pending.apply(OrderEvent::PaymentReceived).unwrap();
        assert!(paid.apply(OrderEvent::PaymentReceived).is_err());
        let done = paid.apply(OrderEvent::Provisioned).unwrap();
        assert!(done.apply(OrderEvent::Provisioned).is_err());
        assert!(OrderStatus::Refunded.apply(OrderEvent::Refunded).is_err());
    }

    #[test]
    fn statuses_round_trip_through_their_database_names() {
        for s in ["pending", "paid", "provisioned", "failed", "cancelled", "refunded"] {
            assert_eq!(OrderStatus::parse(s).map(OrderStatus::as_str), Some(s));
        }
        assert_eq!(OrderStatus::parse("PAID"), None);
    }
}

#[cfg(test)]
mod iso_tests {
    use super::*;

    #[test]
    fn utc_iso_matches_rfc3339() {
        let at = DateTime::from_timestamp_millis(1_780_000_000_123).expect("time");
        assert_eq!(utc_iso(at, true), at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        assert_eq!(utc_iso(at, false), at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        assert_eq!(utc_iso_seconds(0).as_deref(), Some("1970-01-01T00:00:00Z"));
    }
}
