//! Error tracking (the original plan's Sentry): every 5xx and every dead letter becomes an
//! [`ErrorReport`] with its cause chain and request id. The log line is always written; when
//! `SENTRY_DSN` is set, the report also goes to the `wavegate-errors` queue, whose consumer
//! (the operator's Worker) posts it to Sentry's envelope endpoint. A slow or down tracker
//! therefore never delays a webhook, and a failed post is retried by the queue.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A parsed DSN: `https://<public key>@<host>[/<path>]/<project id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    raw: String,
    scheme: String,
    public_key: String,
    host: String,
    path: String,
    project_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SENTRY_DSN is not a Sentry DSN ({0})")]
pub struct DsnError(&'static str);

impl Dsn {
    pub fn parse(raw: &str) -> Result<Dsn, DsnError> {
        let raw = raw.trim();
        let (scheme, rest) = raw.split_once("://").ok_or(DsnError("no scheme"))?;
        if scheme != "https" && scheme != "http" {
            return Err(DsnError("the scheme must be https or http"));
        }
        let (key, rest) = rest.split_once('@').ok_or(DsnError("no public key"))?;
        // `key:secret` is the legacy form; only the public key is used.
        let public_key = key.split(':').next().unwrap_or_default();
        let (host, path) = rest.split_once('/').ok_or(DsnError("no project id"))?;
        let (path, project_id) = match path.rsplit_once('/') {
            Some((prefix, id)) => (format!("/{prefix}"), id),
            None => (String::new(), path),
        };
        let plain = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:[]".contains(&b));
        if public_key.is_empty() || !public_key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(DsnError("bad public key"));
        }
        if host.is_empty() || !plain(host) {
            return Err(DsnError("bad host"));
        }
        if project_id.is_empty() || !project_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DsnError("the project id must be a number"));
        }
        if !path.split('/').all(plain) {
            return Err(DsnError("bad path"));
        }
        Ok(Dsn {
            raw: raw.to_string(),
            scheme: scheme.to_string(),
            public_key: public_key.to_string(),
            host: host.to_string(),
            path,
            project_id: project_id.to_string(),
        })
    }

    /// The DSN without a legacy secret part (`key:secret@`): what the envelope header carries.
    pub fn public(&self) -> String {
        format!("{}://{}@{}{}/{}", self.scheme, self.public_key, self.host, self.path, self.project_id)
    }

    /// Where envelopes go.
    pub fn envelope_url(&self) -> String {
        format!("{}://{}{}/api/{}/envelope/", self.scheme, self.host, self.path, self.project_id)
    }

    /// The `X-Sentry-Auth` header (the public key is not a secret: browsers carry it).
    pub fn auth_header(&self) -> String {
        format!("Sentry sentry_version=7, sentry_client=wavegate/1, sentry_key={}", self.public_key)
    }
}

/// What failed, as the queue carries it. No request body, no secret: the route, the request
/// id, the status or job, and the error's text (whose sources are scrubbed of tokens where
/// they are made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorReport {
    /// `http` (a 5xx answer) or `dead_letter` (a job out of retries).
    pub kind: String,
    pub request_id: String,
    /// The route (`/webhooks/razorpay`) or the job (`provision`).
    pub route: String,
    /// The HTTP status, 0 for a dead letter.
    pub status: u16,
    /// The cause chain, outermost first.
    pub causes: Vec<String>,
    /// Unix seconds.
    pub at: i64,
}

impl ErrorReport {
    /// The event's id, the same for every post of this report (32 hex digits): a retry after a
    /// lost answer is one event in Sentry, not two.
    pub fn event_id(&self) -> String {
        use sha2::{Digest, Sha256};
        let seed = format!("{}|{}|{}|{}|{}", self.kind, self.request_id, self.route, self.status, self.at);
        Sha256::digest(seed.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    /// A Sentry envelope with one event: a header line, an item header, the event. The
    /// exception values are innermost first, as Sentry orders them; `event_id` is 32 hex
    /// digits the caller draws at random.
    pub fn envelope(&self, dsn: &Dsn, event_id: &str, sent_at: &str) -> String {
        let values: Vec<Value> = self
            .causes
            .iter()
            .rev()
            .enumerate()
            .map(|(i, cause)| {
                let kind = if i + 1 == self.causes.len() { self.kind.as_str() } else { "cause" };
                json!({ "type": kind, "value": cause })
            })
            .collect();
        let title = self.causes.first().map(String::as_str).unwrap_or("error");
        let event = json!({
            "event_id": event_id,
            "timestamp": self.at,
            "platform": "other",
            "level": "error",
            "logger": "wavegate",
            "server_name": "wavegate",
            "transaction": self.route,
            "message": { "formatted": format!("{} {}: {title}", self.kind, self.route) },
            "exception": { "values": values },
            "tags": { "route": self.route, "request_id": self.request_id, "status": self.status.to_string(), "kind": self.kind },
        });
        let header = json!({ "event_id": event_id, "sent_at": sent_at, "dsn": dsn.public() });
        let item = json!({ "type": "event", "content_type": "application/json" });
        format!("{header}\n{item}\n{event}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsn_gives_the_envelope_endpoint_and_auth() {
        let dsn = Dsn::parse("https://abc123@o42.ingest.sentry.io/4505").expect("dsn");
        assert_eq!(dsn.envelope_url(), "https://o42.ingest.sentry.io/api/4505/envelope/");
        assert!(dsn.auth_header().ends_with("sentry_key=abc123"));
        let self_hosted = Dsn::parse("http://k1:legacy@127.0.0.1:9000/sentry/7").expect("dsn");
        assert_eq!(self_hosted.envelope_url(), "http://127.0.0.1:9000/sentry/api/7/envelope/");
        assert!(self_hosted.auth_header().ends_with("sentry_key=k1"));
    }

    #[test]
    fn bad_dsns_are_typed_errors() {
        for bad in [
            "",
            "abc",
            "ftp://k@h/1",
            "https://h/1",
            "https://k@h",
            "https://k@h/x",
            "https://k@/1",
            "https://k y@h/1",
        ] {
            assert!(Dsn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_envelope_is_three_json_lines_with_the_chain_innermost_first() {
        let dsn = Dsn::parse("https://abc@sentry.example/1").expect("dsn");
        let report = ErrorReport {
            kind: "http".into(),
            request_id: "a1b2c3".into(),
            route: "/webhooks/xendit".into(),
            status: 503,
            causes: vec!["payment webhook".into(), "D1 is down".into()],
            at: 1_800_000_000,
        };
        let text = report.envelope(&dsn, "0123456789abcdef0123456789abcdef", "2027-01-15T08:00:00Z");
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["dsn"], "https://abc@sentry.example/1");
        assert_eq!(lines[2]["tags"]["status"], "503");
        assert_eq!(report.event_id().len(), 32);
        assert_eq!(report.event_id(), report.clone().event_id(), "the same report, the same id");
        let legacy = Dsn::parse("https://key1:secret2@sentry.example/7").expect("dsn");
        assert_eq!(legacy.public(), "https://key1@sentry.example/7", "never the secret half");
        assert_eq!(lines[1]["type"], "event");
        assert_eq!(lines[2]["tags"]["request_id"], "a1b2c3");
        assert_eq!(lines[2]["exception"]["values"][0]["value"], "D1 is down");
        assert_eq!(lines[2]["exception"]["values"][1]["type"], "http");
    }
}
