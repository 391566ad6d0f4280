//! One JSON log line per event: Workers observability indexes the fields. Every line of one
//! request or job carries its request id, its route or job ([`Scope`]) and an outcome: what
//! that step came to, or `"progress"` for a line that only records a step on the way; the last
//! line of a request or job carries the final outcome and the D1 round trips. Never log secrets, tokens or payment payloads; pass
//! identifiers and outcomes only (transport errors are scrubbed of Bot API tokens at the source).

use serde_json::{json, Value};

use crate::http::random_bytes;

/// The request or job a log line belongs to.
#[derive(Debug, Clone)]
pub struct Scope {
    pub request_id: String,
    pub route: String,
}

impl Scope {
    pub fn new(route: impl Into<String>) -> Scope {
        let id: String = random_bytes::<6>().iter().map(|b| format!("{b:02x}")).collect();
        Scope { request_id: id, route: route.into() }
    }

    pub fn info(&self, event: &str, fields: Value) {
        self.emit("info", event, fields);
    }

    pub fn warn(&self, event: &str, fields: Value) {
        self.emit("warn", event, fields);
    }

    pub fn error(&self, event: &str, fields: Value) {
        self.emit("error", event, fields);
    }

    fn emit(&self, level: &str, event: &str, fields: Value) {
        let mut line =
            json!({ "level": level, "event": event, "request_id": self.request_id, "route": self.route });
        if let (Some(line), Value::Object(fields)) = (line.as_object_mut(), fields) {
            line.extend(fields);
            line.entry("outcome").or_insert_with(|| Value::from("progress"));
        }
        worker::console_log!("{line}");
    }
}

/// The whole `source()` chain of an error, outermost first, one entry per error.
pub fn causes(error: &dyn std::error::Error) -> Vec<String> {
    let mut causes = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    causes
}

/// The whole `source()` chain of an error, outermost first.
pub fn chain(error: &dyn std::error::Error) -> String {
    causes(error).join(": ")
}
