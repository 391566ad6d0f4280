//! The panel's webhooks (remnawave-api.md §8), verified and parsed.
//!
//! `X-Remnawave-Signature` is hex HMAC-SHA256 of the raw body with the panel's
//! `WEBHOOK_SECRET_HEADER`; `X-Remnawave-Timestamp` (ISO, equal to the body's `timestamp`) is
//! not signed, so the body's own signed `timestamp` is what the freshness window checks: a
//! captured delivery cannot be replayed later, and the panel's 3 retries 5 s apart still land.
//!
//! ```text
//! {"scope":"user","event":"user.modified","timestamp":"2026-12-05T10:00:00.000Z","data":<User>,"meta":null}
//!   → PanelEvent::User { event: "user.modified", user, expiration_hours: None }
//! {"scope":"node","event":"node.connection_lost","timestamp":…,"data":<Node>}
//!   → PanelEvent::Node { event: "node.connection_lost", node }
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{Node, PanelUser};
use crate::providers::verify_hmac_sha256_hex;

/// How far the body's `timestamp` may be from now: the panel retries 3 times 5 s apart, and
/// clocks drift; a captured delivery is refused once this has passed.
pub const WINDOW_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq)]
pub enum PanelEvent {
    User {
        event: String,
        user: Box<PanelUser>,
        expiration_hours: Option<i64>,
        /// The event's signed timestamp (unix seconds): mirrors apply events in this order.
        at: i64,
    },
    /// `user_hwid_devices.added` / `.deleted`: the user as it is after the change.
    Devices {
        event: String,
        user: Box<PanelUser>,
    },
    Node {
        event: String,
        node: Node,
    },
    Service {
        event: String,
        data: Value,
    },
    /// A scope the shop does not act on (errors, crm, torrent blocker, …).
    Other {
        event: String,
    },
}

impl PanelEvent {
    pub fn name(&self) -> &str {
        match self {
            PanelEvent::User { event, .. }
            | PanelEvent::Devices { event, .. }
            | PanelEvent::Node { event, .. }
            | PanelEvent::Service { event, .. }
            | PanelEvent::Other { event } => event,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelWebhookError {
    #[error("bad or missing signature")]
    Unauthorized,
    #[error("timestamp outside the {WINDOW_SECONDS} s window")]
    Stale,
    #[error("malformed webhook: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
struct Envelope {
    scope: String,
    event: String,
    #[serde(with = "crate::remnawave::types::panel_time")]
    timestamp: DateTime<Utc>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct Meta {
    #[serde(default)]
    expiration: Option<i64>,
}

/// Verifies the signature over the raw bytes, then the signed timestamp, then parses.
pub fn verify_and_parse(
    secret: &str,
    body: &[u8],
    signature: &str,
    now: DateTime<Utc>,
) -> Result<PanelEvent, PanelWebhookError> {
    if secret.is_empty() || !verify_hmac_sha256_hex(secret.as_bytes(), body, signature) {
        return Err(PanelWebhookError::Unauthorized);
    }
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| PanelWebhookError::Malformed(e.to_string()))?;
    if (now - envelope.timestamp).num_seconds().abs() > WINDOW_SECONDS {
        return Err(PanelWebhookError::Stale);
    }
    let malformed = |e: serde_json::Error| PanelWebhookError::Malformed(format!("{}: {e}", envelope.event));
    Ok(match envelope.scope.as_str() {
        "user" => PanelEvent::User {
            user: Box::new(serde_json::from_value(envelope.data).map_err(malformed)?),
            expiration_hours: envelope.meta.and_then(|m| m.expiration),
            at: envelope.timestamp.timestamp(),
            event: envelope.event,
        },
        "user_hwid_devices" => {
            #[derive(Deserialize)]
            struct DeviceEvent {
                user: Box<PanelUser>,
            }
            let data: DeviceEvent = serde_json::from_value(envelope.data).map_err(malformed)?;
            PanelEvent::Devices { user: data.user, event: envelope.event }
        }
        "node" => PanelEvent::Node {
            node: serde_json::from_value(envelope.data).map_err(malformed)?,
            event: envelope.event,
        },
        "service" => PanelEvent::Service { event: envelope.event, data: envelope.data },
        _ => PanelEvent::Other { event: envelope.event },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::hmac_sha256_hex;

    const SECRET: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";

    fn user_body(ts: &str) -> String {
        format!(
            r#"{{"scope":"user","event":"user.modified","timestamp":"{ts}","data":{{"id":7,"uuid":"u","shortUuid":"abc","username":"tg_42","status":"DISABLED","trafficLimitBytes":0,"trafficLimitStrategy":"NO_RESET","expireAt":"2027-01-01T00:00:00.000Z","telegramId":42,"hwidDeviceLimit":3,"description":null,"tag":null,"subscriptionUrl":"https://sub.example.test/abc","userTraffic":{{"usedTrafficBytes":5,"lifetimeUsedTrafficBytes":5,"onlineAt":null,"firstConnectedAt":null,"lastConnectedNodeUuid":null}}}},"meta":null}}"#
        )
    }

    fn at(ts: &str) -> DateTime<Utc> {
        ts.parse().unwrap()
    }

    #[test]
    fn a_signed_fresh_user_event_parses_into_the_panel_user() {
        let body = user_body("2026-12-05T10:00:00.000Z");
        let sig = hmac_sha256_hex(SECRET.as_bytes(), body.as_bytes());
        let event = verify_and_parse(SECRET, body.as_bytes(), &sig, at("2026-12-05T10:00:10Z")).unwrap();
        let PanelEvent::User { event, user, .. } = event else { panic!("a user event") };
        assert_eq!(event, "user.modified");
        assert_eq!(
            (user.id.0, user.telegram_id, user.subscription_url.as_str()),
            (7, Some(42), "https://sub.example.test/abc")
        );
    }

    #[test]
    fn bad_signatures_and_timestamps_outside_the_window_are_refused() {
        let body = user_body("2026-12-05T10:00:00.000Z");
        let sig = hmac_sha256_hex(SECRET.as_bytes(), body.as_bytes());
        let now = at("2026-12-05T10:00:10Z");
        assert_eq!(
            verify_and_parse(SECRET, body.as_bytes(), &sig[..63], now),
            Err(PanelWebhookError::Unauthorized)
        );
        assert_eq!(
            verify_and_parse("other", body.as_bytes(), &sig, now),
            Err(PanelWebhookError::Unauthorized)
        );
        assert_eq!(verify_and_parse("", body.as_bytes(), &sig, now), Err(PanelWebhookError::Unauthorized));
        assert_eq!(
            verify_and_parse(SECRET, body.as_bytes(), &sig, at("2026-12-05T10:05:01Z")),
            Err(PanelWebhookError::Stale)
        );
        assert_eq!(
            verify_and_parse(SECRET, body.as_bytes(), &sig, at("2026-12-05T09:54:59Z")),
            Err(PanelWebhookError::Stale)
        );
        // The panel's last retry, 15 s later, still lands.
        assert!(verify_and_parse(SECRET, body.as_bytes(), &sig, at("2026-12-05T10:00:15Z")).is_ok());
    }

    #[test]
    fn nodes_services_other_scopes_and_garbage() {
        let sign = |b: &str| hmac_sha256_hex(SECRET.as_bytes(), b.as_bytes());
        let now = at("2026-12-05T10:00:00Z");
        let node = r#"{"scope":"node","event":"node.connection_lost","timestamp":"2026-12-05T10:00:00Z","data":{"uuid":"n1","name":"DE-1","address":"10.0.0.1","countryCode":"DE","isConnected":false,"isDisabled":false}}"#;
        let PanelEvent::Node { node, .. } =
            verify_and_parse(SECRET, node.as_bytes(), &sign(node), now).unwrap()
        else {
            panic!("node")
        };
        assert!(!node.is_connected);
        let other = r#"{"scope":"crm","event":"crm.infra_billing_node_payment_in_7_days","timestamp":"2026-12-05T10:00:00Z","data":{}}"#;
        assert_eq!(
            verify_and_parse(SECRET, other.as_bytes(), &sign(other), now).unwrap().name(),
            "crm.infra_billing_node_payment_in_7_days"
        );
        let bad_user = r#"{"scope":"user","event":"user.modified","timestamp":"2026-12-05T10:00:00Z","data":{"id":"x"}}"#;
        assert!(matches!(
            verify_and_parse(SECRET, bad_user.as_bytes(), &sign(bad_user), now),
            Err(PanelWebhookError::Malformed(_))
        ));
        assert!(matches!(
            verify_and_parse(SECRET, b"[]", &sign("[]"), now),
            Err(PanelWebhookError::Malformed(_))
        ));
    }
}
