//! The Worker's error type and its one mapping to HTTP.
//!
//! Expected failures (bad auth, bad body) get their status and a short public message;
//! unexpected ones are logged with their whole cause chain and answered with an opaque 5xx.

use serde_json::json;
use worker::{Headers, Response};

use crate::log;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("malformed body: {0}")]
    BadRequest(String),
    #[error("body too large")]
    PayloadTooLarge,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("not found")]
    NotFound,
    /// Understood and refused, with a reason the caller may read (no secrets, no internals).
    #[error("{reason}")]
    Refused { status: u16, reason: &'static str },
    /// The Worker is misconfigured (details are in the `config.invalid` log line).
    #[error("service not configured")]
    NotConfigured,
    /// Something we depend on failed; the caller should retry later.
    #[error("{context}: {message}")]
    Unavailable { context: &'static str, message: String },
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::BadRequest(_) => 400,
            AppError::PayloadTooLarge => 413,
            AppError::MethodNotAllowed => 405,
            AppError::NotFound => 404,
            AppError::Refused { status, .. } => *status,
            AppError::NotConfigured | AppError::Unavailable { .. } => 503,
        }
    }

    /// What the caller reads: `{"ok": false, "error": …}`, never an internal detail.
    pub fn public_body(&self) -> serde_json::Value {
        let public = match self {
            AppError::BadRequest(_) => "malformed body".to_string(),
            AppError::Unavailable { .. } => "temporarily unavailable".to_string(),
            other => other.to_string(),
        };
        json!({ "ok": false, "error": public })
    }

    pub fn into_response(self, scope: &log::Scope) -> Response {
        let status = self.status();
        let body = self.public_body();
        if status >= 500 {
            scope.error(
                "request.failed",
                json!({ "status": status, "outcome": "failed", "error": log::chain(&self) }),
            );
        } else {
            scope.info(
                "request.rejected",
                json!({ "status": status, "outcome": "rejected", "reason": self.to_string() }),
            );
        }
        json_response(status, &body)
    }
}

impl From<crate::app::WiringError> for AppError {
    fn from(e: crate::app::WiringError) -> Self {
        match e {
            crate::app::WiringError::Config => AppError::NotConfigured,
            other => AppError::Unavailable { context: "wiring", message: other.to_string() },
        }
    }
}

impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        AppError::Unavailable { context: "runtime", message: e.to_string() }
    }
}

/// A JSON response with the security headers every Worker response carries.
pub fn json_response(status: u16, body: &serde_json::Value) -> Response {
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "application/json");
    secure(Response::builder().with_status(status).with_headers(headers).fixed(body.to_string().into_bytes()))
}

/// Adds the headers of the security checklist to a response.
pub fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        // HTTPS only, for a year, on the shop's host (Workers serve HTTPS; this keeps browsers
        // from ever trying plain HTTP). Not `includeSubDomains`: the operator's other hosts
        // are theirs to decide.
        ("Strict-Transport-Security", "max-age=31536000"),
    ] {
        let _ = headers.set(name, value);
    }
    // Nothing the Worker answers is cacheable unless the route says so (`GET /api/plans`).
    if !headers.has("Cache-Control").unwrap_or(false) {
        let _ = headers.set("Cache-Control", "no-store");
    }
    response
}
