//! One JSON log line per event: Workers observability indexes the fields. Never log secrets,
//! tokens or payment payloads; pass identifiers and outcomes only.

use serde_json::{json, Value};

pub fn info(event: &str, fields: Value) {
    emit("info", event, fields);
}

pub fn warn(event: &str, fields: Value) {
    emit("warn", event, fields);
}

pub fn error(event: &str, fields: Value) {
    emit("error", event, fields);
}

fn emit(level: &str, event: &str, fields: Value) {
    let mut line = json!({ "level": level, "event": event });
    if let (Some(line), Value::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    worker::console_log!("{line}");
}

/// The whole `source()` chain of an error, outermost first.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
