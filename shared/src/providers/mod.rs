//! The payment providers beyond Telegram Stars: Razorpay (UPI payment links), Xendit (QRIS,
//! Payments API v3) and Crypto Pay (invoices). Facts and vectors: `payments.md` §2–4.
//!
//! Each provider module does three things, all pure or behind [`HttpClient`]:
//! - `verify` a webhook on its raw bytes (HMAC-SHA256 or the static token, constant time);
//! - `parse` it into a [`ChannelEvent`] in the shop's terms (a payment, a refund, or an event
//!   the shop does not act on);
//! - create the provider object a customer pays (a link, a QR string, an invoice), and refund.
//!
//! ```text
//! checkout:  create(razorpay, order ab12…, ₹169)  → POST /v1/payment_links → plink_X, https://rzp.io/…
//! webhook:   payment_link.paid(plink_X, pay_Y, ₹169, reference ab12…)
//!            → Paid { key: pay_Y, object: plink_X, order: ab12…, ₹169 } → shop::channel::receive
//! webhook:   payment.captured(pay_Y, notes.order ab12…)  → Paid { key: pay_Y … } → a duplicate
//! ```
//!
//! API generation for Xendit: the Payments API v3 (`/v3/payment_requests`), the one Xendit's
//! current docs recommend: one object and one webhook shape for payment and refund, where the
//! 2022 QR Codes API needs a second API for refunds.

pub mod cryptopay;
pub mod gateway;
pub mod razorpay;
pub mod xendit;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::money::Money;

/// What a verified webhook says, in the shop's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelEvent {
    Paid(ChannelPayment),
    Refunded(ChannelRefund),
    /// Well-formed, but nothing the shop acts on (a failed attempt, an expired link, …).
    Ignored {
        event: String,
    },
}

/// Money received, as the provider reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPayment {
    /// The provider's id for this money: the idempotency key (Razorpay payment id, Xendit
    /// payment id, Crypto Pay invoice id).
    pub key: String,
    /// The object the customer paid (payment link, payment request, invoice), when named.
    pub object_id: Option<String>,
    /// Our order's public id as the provider echoes it (reference id, notes, payload).
    pub order: Option<String>,
    /// `None` when the amount or currency is not one the shop can express.
    pub amount: Option<Money>,
    /// The provider's amount and currency as sent, for the audit row when `amount` is `None`.
    pub reported: Value,
}

/// Money given back, as the provider reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelRefund {
    /// The refunded payment's key (the same as its [`ChannelPayment::key`]); empty when the
    /// provider names only the object it paid ([`ChannelRefund::object_id`]).
    pub payment_key: String,
    pub object_id: Option<String>,
    pub refund_id: String,
    pub amount: Option<Money>,
    pub reported: Value,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebhookError {
    #[error("bad or missing signature")]
    Unauthorized,
    #[error("malformed webhook: {0}")]
    Malformed(String),
}

fn malformed(what: impl Into<String>) -> WebhookError {
    WebhookError::Malformed(what.into())
}

/// Lowercase hex HMAC-SHA256.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    hex(&hmac_sha256(key, message))
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length: new_from_slice cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Whether `signature_hex` is the HMAC-SHA256 of `message` under `key`, compared in constant
/// time (the `hmac` crate's `verify_slice`). Upper- or lowercase hex; anything else is false.
pub fn verify_hmac_sha256_hex(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    let Some(given) = unhex(signature_hex.trim()) else { return false };
    verify_hmac_sha256(key, message, &given)
}

/// Whether `signature` is the HMAC-SHA256 of `message` under `key`, in constant time.
pub fn verify_hmac_sha256(key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.verify_slice(signature).is_ok()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// An integer that providers send as a number or a numeric string (`19900`, `"19900"`).
fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// A decimal that providers send as a string or a number (`"4.99"`, `4.99`), as its text.
fn decimal_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

/// `order:<id>` or a bare id, as our orders are named in payloads and references.
fn order_ref(raw: Option<String>) -> Option<String> {
    raw.map(|r| r.strip_prefix("order:").map(str::to_string).unwrap_or(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_verification_takes_either_hex_case_and_refuses_anything_else() {
        let sig = hmac_sha256_hex(b"key", b"body");
        assert!(verify_hmac_sha256_hex(b"key", b"body", &sig));
        assert!(verify_hmac_sha256_hex(b"key", b"body", &sig.to_uppercase()));
        assert!(!verify_hmac_sha256_hex(b"key", b"body ", &sig));
        assert!(!verify_hmac_sha256_hex(b"other", b"body", &sig));
        assert!(!verify_hmac_sha256_hex(b"key", b"body", &sig[..62]));
        assert!(!verify_hmac_sha256_hex(b"key", b"body", ""));
        assert!(!verify_hmac_sha256_hex(b"key", b"body", &format!("{}zz", &sig[..62])));
    }

    #[test]
    fn integers_come_as_numbers_or_digit_strings() {
        use serde_json::json;
        assert_eq!(integer(Some(&json!(19900))), Some(19900));
        assert_eq!(integer(Some(&json!("19900"))), Some(19900));
        assert_eq!(integer(Some(&json!("199.00"))), None);
        assert_eq!(integer(Some(&json!(199.5))), None);
        assert_eq!(integer(Some(&json!(null))), None);
        assert_eq!(decimal_text(Some(&json!(4.99))).as_deref(), Some("4.99"));
        assert_eq!(decimal_text(Some(&json!("4.99"))).as_deref(), Some("4.99"));
    }
}
