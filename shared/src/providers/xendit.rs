//! Xendit (Indonesia, QRIS), Payments API v3 (`payments.md` §3).
//!
//! Webhooks carry the static `x-callback-token` from the dashboard (no HMAC): compared in
//! constant time. `payment.capture` with `data.status == "SUCCEEDED"` is the money; the key is
//! `data.payment_id`. IDR amounts are whole rupiah, sent as a number or a string.

use serde_json::{json, Value};

use super::{
    decimal_text, malformed, order_ref, text, ChannelEvent, ChannelPayment, ChannelRefund, WebhookError,
};
use crate::money::{Currency, Money};
use crate::secure::secret_eq;

/// The `x-callback-token` header against the configured token, in constant time.
pub fn verify(callback_token: &str, given: &str) -> bool {
    !given.is_empty() && secret_eq(given.as_bytes(), callback_token.as_bytes())
}

pub fn parse(body: &[u8]) -> Result<ChannelEvent, WebhookError> {
    let root: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let event = text(root.get("event")).ok_or_else(|| malformed("no event"))?;
    let data = root.get("data").filter(|d| d.is_object()).ok_or_else(|| malformed("no data"))?;
    let status = text(data.get("status")).unwrap_or_default();
    match event.as_str() {
        "payment.capture" if status == "SUCCEEDED" => Ok(ChannelEvent::Paid(ChannelPayment {
            key: text(data.get("payment_id")).ok_or_else(|| malformed("payment without a payment_id"))?,
            object_id: text(data.get("payment_request_id")),
            order: order_ref(text(data.get("reference_id"))),
            amount: amount(data, "request_amount"),
            reported: reported(data, "request_amount"),
        })),
        "refund.succeeded" => {
            // The refund names its payment; should it name only the payment request, the shop
            // finds the payment recorded for that request.
            let payment_key = text(data.get("payment_id")).unwrap_or_default();
            let object_id = text(data.get("payment_request_id"));
            if payment_key.is_empty() && object_id.is_none() {
                return Err(malformed("refund without a payment_id or payment_request_id"));
            }
            Ok(ChannelEvent::Refunded(ChannelRefund {
                payment_key,
                object_id,
                refund_id: text(data.get("id")).ok_or_else(|| malformed("refund without an id"))?,
                amount: amount(data, "amount"),
                reported: reported(data, "amount"),
            }))
        }
        _ => Ok(ChannelEvent::Ignored {
            event: if status.is_empty() { event } else { format!("{event}:{status}") },
        }),
    }
}

/// Whole rupiah (or another currency's decimal), as a number or a string.
fn amount(data: &Value, field: &str) -> Option<Money> {
    let currency = data.get("currency").and_then(Value::as_str).and_then(Currency::parse)?;
    Money::from_decimal(&decimal_text(data.get(field))?, currency)
}

fn reported(data: &Value, field: &str) -> Value {
    json!({ "amount": decimal_text(data.get(field)), "currency": data.get("currency") })
}

/// The QR string of a v3 payment request: the `PRESENT_TO_CUSTOMER` action with `QR_STRING`.
pub fn qr_string(payment_request: &Value) -> Option<String> {
    payment_request.get("actions")?.as_array()?.iter().find_map(|a| {
        let wanted = a.get("descriptor").and_then(Value::as_str) == Some("QR_STRING");
        wanted.then(|| text(a.get("value"))).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(amount: &str, status: &str) -> String {
        format!(
            r#"{{"event":"payment.capture","business_id":"b","created":"2026-12-01T00:00:00Z","data":{{"payment_id":"py-1","payment_request_id":"pr-1","reference_id":"ab12cd34ef56gh78","request_amount":{amount},"currency":"IDR","channel_code":"QRIS","status":"{status}"}}}}"#
        )
    }

    #[test]
    fn the_token_is_compared_whole() {
        assert!(verify("tok_secret", "tok_secret"));
        assert!(!verify("tok_secret", "tok_secre"));
        assert!(!verify("tok_secret", ""));
    }

    #[test]
    fn a_succeeded_capture_is_money_with_the_amount_as_number_or_string() {
        for amount in ["32000", "\"32000\""] {
            let ChannelEvent::Paid(p) = parse(capture(amount, "SUCCEEDED").as_bytes()).unwrap() else {
                panic!("paid")
            };
            assert_eq!(p.key, "py-1");
            assert_eq!(p.object_id.as_deref(), Some("pr-1"));
            assert_eq!(p.order.as_deref(), Some("ab12cd34ef56gh78"));
            assert_eq!(p.amount, Money::new(32000, Currency::Idr).ok());
        }
        let ChannelEvent::Paid(p) = parse(capture("32000.5", "SUCCEEDED").as_bytes()).unwrap() else {
            panic!("paid")
        };
        assert_eq!(p.amount, None, "no fractions of a rupiah");
    }

    #[test]
    fn failures_are_ignored_refunds_named_and_garbage_refused() {
        assert_eq!(
            parse(capture("32000", "FAILED").as_bytes()).unwrap(),
            ChannelEvent::Ignored { event: "payment.capture:FAILED".into() }
        );
        let refund = r#"{"event":"refund.succeeded","data":{"id":"rfd-1","payment_id":"py-1","payment_request_id":"pr-1","amount":32000,"currency":"IDR","status":"SUCCEEDED"}}"#;
        let ChannelEvent::Refunded(r) = parse(refund.as_bytes()).unwrap() else { panic!("refund") };
        assert_eq!((r.payment_key.as_str(), r.refund_id.as_str()), ("py-1", "rfd-1"));
        for bad in [
            "",
            "{}",
            r#"{"event":"payment.capture"}"#,
            r#"{"event":"payment.capture","data":{"status":"SUCCEEDED"}}"#,
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_qr_string_comes_from_the_present_to_customer_action() {
        let pr = json!({ "actions": [{ "type": "REDIRECT_CUSTOMER", "descriptor": "WEB_URL", "value": "https://x" },
                                     { "type": "PRESENT_TO_CUSTOMER", "descriptor": "QR_STRING", "value": "0002010102" }] });
        assert_eq!(qr_string(&pr).as_deref(), Some("0002010102"));
        assert_eq!(qr_string(&json!({ "actions": [] })), None);
    }
}
