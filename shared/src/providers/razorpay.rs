//! Razorpay (India, UPI): payment links, webhooks, refunds (`payments.md` §2).
//!
//! One payment arrives as two events (`payment_link.paid` and `payment.captured`, or
//! `order.paid` and `payment.captured`), in any order; both name the same payment id, which is
//! the idempotency key, so together they extend once. `payment.failed` changes nothing (a
//! later capture of a retry is normal). `notes` is `[]` when empty and an object otherwise.

use serde_json::{json, Value};

use super::{
    decimal_text, integer, malformed, order_ref, text, ChannelEvent, ChannelPayment, ChannelRefund,
    WebhookError,
};
use crate::money::{Currency, Money};

/// `X-Razorpay-Signature`: lowercase hex HMAC-SHA256 of the raw body with the webhook secret
/// (not the API key secret).
pub fn verify(webhook_secret: &str, body: &[u8], signature: &str) -> bool {
    super::verify_hmac_sha256_hex(webhook_secret.as_bytes(), body, signature)
}

/// The Standard Checkout signature: `hex(HMAC(key_secret, "{order_id}|{payment_id}"))`.
pub fn checkout_signature(key_secret: &str, order_id: &str, payment_id: &str) -> String {
    super::hmac_sha256_hex(key_secret.as_bytes(), format!("{order_id}|{payment_id}").as_bytes())
}

/// The payment link callback signature: `"{plink_id}|{reference_id}|{status}|{payment_id}"`.
pub fn payment_link_signature(
    key_secret: &str,
    link: &str,
    reference: &str,
    status: &str,
    payment: &str,
) -> String {
    super::hmac_sha256_hex(key_secret.as_bytes(), format!("{link}|{reference}|{status}|{payment}").as_bytes())
}

/// A verified webhook body, in the shop's terms.
pub fn parse(body: &[u8]) -> Result<ChannelEvent, WebhookError> {
    let root: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let event = text(root.get("event")).ok_or_else(|| malformed("no event"))?;
    let payload = root.get("payload").ok_or_else(|| malformed("no payload"))?;
    let entity = |name: &str| payload.get(name).and_then(|p| p.get("entity"));
    match event.as_str() {
        "payment.captured" | "payment_link.paid" | "order.paid" => {
            let payment = entity("payment").ok_or_else(|| malformed(format!("{event} without a payment")))?;
            let key = text(payment.get("id")).ok_or_else(|| malformed("payment without an id"))?;
            let link = entity("payment_link");
            let object_id = link.and_then(|l| text(l.get("id")));
            // Our order: the link's reference id, the order's receipt, or the payment's notes.
            let order = link
                .and_then(|l| text(l.get("reference_id")))
                .or_else(|| entity("order").and_then(|o| text(o.get("receipt"))))
                .or_else(|| note(payment, "order"));
            Ok(ChannelEvent::Paid(ChannelPayment {
                key,
                object_id,
                order: order_ref(order),
                amount: minor_amount(payment),
                reported: reported(payment),
            }))
        }
        // Razorpay also refunds, by itself, payments it never captured (authorized, then not
        // captured in time): no money ever reached us, so nothing to take back.
        "refund.processed"
            if entity("payment").and_then(|p| p.get("captured")) == Some(&Value::Bool(false)) =>
        {
            Ok(ChannelEvent::Ignored { event: "refund.processed:uncaptured".into() })
        }
        "refund.processed" => {
            let refund = entity("refund").ok_or_else(|| malformed("refund.processed without a refund"))?;
            Ok(ChannelEvent::Refunded(ChannelRefund {
                payment_key: text(refund.get("payment_id"))
                    .ok_or_else(|| malformed("refund without a payment id"))?,
                object_id: None,
                refund_id: text(refund.get("id")).ok_or_else(|| malformed("refund without an id"))?,
                amount: minor_amount(refund),
                reported: reported(refund),
            }))
        }
        _ => Ok(ChannelEvent::Ignored { event }),
    }
}

/// A string note; `notes` may be `[]` (no notes) or an object.
fn note(entity: &Value, name: &str) -> Option<String> {
    entity.get("notes").and_then(Value::as_object).and_then(|n| text(n.get(name)))
}

/// Razorpay amounts are integer minor units (paise), as a number or a string.
fn minor_amount(entity: &Value) -> Option<Money> {
    let currency = entity.get("currency").and_then(Value::as_str).and_then(Currency::parse)?;
    Money::new(integer(entity.get("amount"))?, currency).ok()
}

fn reported(entity: &Value) -> Value {
    json!({ "amount": decimal_text(entity.get("amount")), "currency": entity.get("currency") })
}

#[cfg(test)]
mod tests {
    use super::*;

    const R1_BODY: &str = r#"{"entity":"event","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_TEST0000000001","amount":19900,"currency":"INR","status":"captured","order_id":"order_TEST000000001","notes":{"user_id":"42"}}}},"created_at":1767225601}"#;

    #[test]
    fn vector_r1_webhook_signature_over_the_raw_body() {
        let sig = "ff96ebef7b280bfac37b12bf005385cc7a57b24c3e76e570bf2ea1401638b928";
        assert!(verify("rzp_wh_secret_123", R1_BODY.as_bytes(), sig));
        // The same JSON re-serialized (key order, spacing) is other bytes: refused.
        let reserialized =
            serde_json::to_vec_pretty(&serde_json::from_str::<Value>(R1_BODY).unwrap()).unwrap();
        assert!(!verify("rzp_wh_secret_123", &reserialized, sig));
        assert!(
            !verify("rzp_key_secret_abc", R1_BODY.as_bytes(), sig),
            "the key secret is not the webhook secret"
        );
    }

    #[test]
    fn vectors_r2_r3_checkout_and_payment_link_signatures() {
        assert_eq!(
            checkout_signature("rzp_key_secret_abc", "order_TEST000000001", "pay_TEST0000000001"),
            "c8d1207cc47e4899ac0f0a77b10082bde48f365e5191094eaf17e6ff1fcef35a"
        );
        assert_eq!(
            payment_link_signature(
                "rzp_key_secret_abc",
                "plink_TEST00000001",
                "ref_42",
                "paid",
                "pay_TEST0000000001"
            ),
            "205bb29d4275eeec11da7462de25314855d447d2d1f6a4eddb73be6f6c43d5a2"
        );
    }

    #[test]
    fn a_captured_payment_names_its_key_amount_and_order_from_notes() {
        let ChannelEvent::Paid(p) = parse(R1_BODY.as_bytes()).unwrap() else { panic!("a payment") };
        assert_eq!(p.key, "pay_TEST0000000001");
        assert_eq!(p.amount, Money::new(19900, Currency::Inr).ok());
        assert_eq!(p.order, None, "R1's notes name no order");
        let with_order = R1_BODY.replace(r#"{"user_id":"42"}"#, r#"{"order":"ab12cd34ef56gh78"}"#);
        let ChannelEvent::Paid(p) = parse(with_order.as_bytes()).unwrap() else { panic!("a payment") };
        assert_eq!(p.order.as_deref(), Some("ab12cd34ef56gh78"));
    }

    #[test]
    fn notes_as_an_empty_array_and_amounts_as_strings_are_accepted() {
        let body = R1_BODY.replace(r#"{"user_id":"42"}"#, "[]").replace("19900", "\"19900\"");
        let ChannelEvent::Paid(p) = parse(body.as_bytes()).unwrap() else { panic!("a payment") };
        assert_eq!(p.amount, Money::new(19900, Currency::Inr).ok());
        assert_eq!(p.order, None);
    }

    #[test]
    fn a_payment_link_event_names_the_link_and_its_reference() {
        let body = r#"{"event":"payment_link.paid","payload":{"payment_link":{"entity":{"id":"plink_1","reference_id":"ab12cd34ef56gh78","status":"paid"}},"payment":{"entity":{"id":"pay_1","amount":16900,"currency":"INR","notes":[]}}}}"#;
        let ChannelEvent::Paid(p) = parse(body.as_bytes()).unwrap() else { panic!("a payment") };
        assert_eq!(
            (p.key.as_str(), p.object_id.as_deref(), p.order.as_deref()),
            ("pay_1", Some("plink_1"), Some("ab12cd34ef56gh78"))
        );
    }

    #[test]
    fn an_unknown_currency_is_kept_for_the_audit_not_guessed() {
        let body = R1_BODY.replace("\"INR\"", "\"EUR\"");
        let ChannelEvent::Paid(p) = parse(body.as_bytes()).unwrap() else { panic!("a payment") };
        assert_eq!(p.amount, None);
        assert_eq!(p.reported, json!({ "amount": "19900", "currency": "EUR" }));
    }

    #[test]
    fn refunds_failures_and_malformed_bodies() {
        let refund = r#"{"event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_1","payment_id":"pay_1","amount":16900,"currency":"INR"}}}}"#;
        let ChannelEvent::Refunded(r) = parse(refund.as_bytes()).unwrap() else { panic!("a refund") };
        assert_eq!((r.payment_key.as_str(), r.refund_id.as_str()), ("pay_1", "rfnd_1"));
        let auto = r#"{"event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_2","payment_id":"pay_2","amount":100,"currency":"INR"}},"payment":{"entity":{"id":"pay_2","captured":false}}}}"#;
        assert_eq!(
            parse(auto.as_bytes()).unwrap(),
            ChannelEvent::Ignored { event: "refund.processed:uncaptured".into() }
        );
        let failed = r#"{"event":"payment.failed","payload":{"payment":{"entity":{"id":"pay_1"}}}}"#;
        assert_eq!(
            parse(failed.as_bytes()).unwrap(),
            ChannelEvent::Ignored { event: "payment.failed".into() }
        );
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"event":"payment.captured"}"#,
            r#"{"event":"payment.captured","payload":{}}"#,
        ] {
            assert!(matches!(parse(bad.as_bytes()), Err(WebhookError::Malformed(_))), "{bad}");
        }
    }
}
