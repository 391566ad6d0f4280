//! Crypto Pay (@CryptoBot): invoices priced in USD, paid in USDT or TON (`payments.md` §4).
//!
//! `crypto-pay-api-signature` is hex HMAC-SHA256 of the raw body keyed by SHA-256 of the API
//! token. An invoice is paid once, so its id is the idempotency key; our order rides in the
//! invoice's `payload` (`order:<id>`). Crypto Pay has no refund API: refunds are transfers an
//! admin makes by hand.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{decimal_text, malformed, order_ref, text, ChannelEvent, ChannelPayment, WebhookError};
use crate::money::{Currency, Money};

pub fn verify(token: &str, body: &[u8], signature: &str) -> bool {
    let key = Sha256::digest(token.as_bytes());
    super::verify_hmac_sha256_hex(&key, body, signature)
}

pub fn parse(body: &[u8]) -> Result<ChannelEvent, WebhookError> {
    let root: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let kind = text(root.get("update_type")).ok_or_else(|| malformed("no update_type"))?;
    if kind != "invoice_paid" {
        return Ok(ChannelEvent::Ignored { event: kind });
    }
    let invoice = root.get("payload").filter(|p| p.is_object()).ok_or_else(|| malformed("no invoice"))?;
    let id = match invoice.get("invoice_id") {
        Some(Value::Number(n)) if n.is_u64() => n.to_string(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
        _ => return Err(malformed("invoice without an invoice_id")),
    };
    if text(invoice.get("status")).as_deref() != Some("paid") {
        return Ok(ChannelEvent::Ignored {
            event: format!("invoice_paid:{}", text(invoice.get("status")).unwrap_or_default()),
        });
    }
    Ok(ChannelEvent::Paid(ChannelPayment {
        key: id.clone(),
        object_id: Some(id),
        order: order_ref(text(invoice.get("payload"))),
        amount: amount(invoice),
        reported: json!({ "amount": decimal_text(invoice.get("amount")), "fiat": invoice.get("fiat"),
                          "asset": invoice.get("asset"), "paid_asset": invoice.get("paid_asset"),
                          "paid_amount": decimal_text(invoice.get("paid_amount")) }),
    }))
}

/// What the invoice was for: only fiat invoices in a currency the shop prices in have an
/// amount we can compare (a crypto-asset invoice is never one we issued).
fn amount(invoice: &Value) -> Option<Money> {
    if text(invoice.get("currency_type")).as_deref() != Some("fiat") {
        return None;
    }
    let currency = invoice.get("fiat").and_then(Value::as_str).and_then(Currency::parse)?;
    Money::from_decimal(&decimal_text(invoice.get("amount"))?, currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    const C1_BODY: &str = r#"{"update_id":101,"update_type":"invoice_paid","request_date":"2026-01-01T00:00:05.123Z","payload":{"invoice_id":528890,"status":"paid","currency_type":"fiat","fiat":"USD","amount":"4.99","paid_asset":"USDT","paid_amount":"4.99","payload":"sub:42:vpn_1m"}}"#;

    #[test]
    fn vector_c0_signature() {
        let sig = "3fe6fa1f99eab081755f517980f8210ffb048bfe6e1cd6f2133db45acf2552d5";
        assert!(verify("12345:AAkat", br#"{"update_type":"invoice_paid"}"#, sig));
        assert!(!verify("12345:AAkat", br#"{"update_type": "invoice_paid"}"#, sig));
    }

    #[test]
    fn vector_c1_signature_and_parse() {
        let sig = "4f2f6b0799ddff820646a0bd4ce80a5cbe4c0c99f4a42c27e8d57b4e173ced8a";
        assert!(verify("12345:AAtestnetTokenExample", C1_BODY.as_bytes(), sig));
        assert!(!verify("12345:AAkat", C1_BODY.as_bytes(), sig));
        let ChannelEvent::Paid(p) = parse(C1_BODY.as_bytes()).unwrap() else { panic!("paid") };
        assert_eq!(p.key, "528890");
        assert_eq!(p.amount, Money::new(499, Currency::Usd).ok());
        assert_eq!(p.order.as_deref(), Some("sub:42:vpn_1m"));
    }

    #[test]
    fn amounts_as_numbers_our_payload_and_other_updates() {
        let body = C1_BODY
            .replace(r#""amount":"4.99""#, r#""amount":4.99"#)
            .replace("sub:42:vpn_1m", "order:ab12cd34ef56gh78");
        let ChannelEvent::Paid(p) = parse(body.as_bytes()).unwrap() else { panic!("paid") };
        assert_eq!(p.amount, Money::new(499, Currency::Usd).ok());
        assert_eq!(p.order.as_deref(), Some("ab12cd34ef56gh78"));
        let crypto = C1_BODY
            .replace(r#""currency_type":"fiat","fiat":"USD""#, r#""currency_type":"crypto","asset":"USDT""#);
        let ChannelEvent::Paid(p) = parse(crypto.as_bytes()).unwrap() else { panic!("paid") };
        assert_eq!(p.amount, None, "an invoice in a crypto asset is not one we priced");
        assert_eq!(
            parse(br#"{"update_type":"invoice_expired","payload":{}}"#).unwrap(),
            ChannelEvent::Ignored { event: "invoice_expired".into() }
        );
        assert!(parse(br#"{"update_type":"invoice_paid","payload":{"status":"paid"}}"#).is_err());
        assert!(parse(b"nope").is_err());
    }
}
