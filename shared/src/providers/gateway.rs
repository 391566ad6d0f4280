//! Creating what a customer pays (a Razorpay UPI payment link, a Xendit QRIS code, a Crypto Pay
//! invoice) and refunding, behind one [`Gateway`] for every channel: the bot's checkout, the
//! checkout API and the admins' refunds call the same functions.
//!
//! ```text
//! create(razorpay, order ab12…, ₹169, now) → POST /v1/payment_links {amount 16900, INR,
//!     reference_id ab12…, expire_by now+30 min, upi_link, notes {order}} → plink_…, https://rzp.io/…
//! create(xendit, …, Rp 32,000)  → POST /v3/payment_requests {QRIS, request_amount 32000} → pr-…, QR string
//! create(cryptopay, …, $2.00)   → createInvoice {fiat USD, amount "2.00", USDT,TON, payload order:ab12…}
//! refund(razorpay, pay_…, ₹169) → POST /v1/payments/pay_…/refund; the days go back when the
//!     provider's refund webhook arrives (one path for every refund)
//! ```

use base64::Engine;
use serde_json::{json, Value};

use super::{cryptopay, decimal_text, integer, text, xendit, ChannelEvent, ChannelPayment};
use crate::config::Config;
use crate::http::{encode_component, join_url, HttpClient, HttpRequest, Method, TransportError};
use crate::money::{Currency, Money};
use crate::shop::catalog::Provider;

/// How long a customer has to pay a provider object. The order itself stays open
/// [`ORDER_MARGIN_SECONDS`] longer (a payment at the last second still finds it pending); a
/// payment after that is still honoured, as a new order.
pub const PAYMENT_WINDOW_SECONDS: i64 = 30 * 60;
pub const ORDER_MARGIN_SECONDS: i64 = 10 * 60;

/// What to create.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutRequest<'a> {
    pub order: &'a str,
    pub amount: Money,
    pub description: &'a str,
    pub telegram_id: i64,
    pub now: i64,
}

/// What the customer pays: a page to open, or a QR code to scan.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderObject {
    pub id: String,
    pub pay_url: Option<String>,
    pub qr_string: Option<String>,
    /// When the provider stops taking money for it.
    pub expires_at: i64,
}

/// A payment to give back.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRequest<'a> {
    pub payment_key: &'a str,
    /// The provider object the payment paid (Xendit refunds name the payment request).
    pub object_id: Option<&'a str>,
    pub amount: Money,
    pub order: &'a str,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GatewayError {
    #[error("{0} is not configured")]
    NotConfigured(Provider),
    #[error("{0} has no refund API: refund by hand")]
    Unsupported(Provider),
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The provider answered with an error (its message, never our keys).
    #[error("{provider} refused ({status}): {message}")]
    Refused { provider: Provider, status: u16, message: String },
    #[error("{provider} answered something unexpected: {message}")]
    Malformed { provider: Provider, message: String },
}

impl GatewayError {
    /// Worth trying again later (the provider or the network hiccuped).
    pub fn is_retryable(&self) -> bool {
        matches!(self, GatewayError::Transport(_) | GatewayError::Refused { status: 429 | 500..=599, .. })
    }
}

/// Every configured channel's API.
pub struct Gateway<'a, H> {
    config: &'a Config,
    http: &'a H,
}

impl<'a, H: HttpClient> Gateway<'a, H> {
    pub fn new(config: &'a Config, http: &'a H) -> Self {
        Self { config, http }
    }

    pub async fn create(
        &self,
        provider: Provider,
        req: &CheckoutRequest<'_>,
    ) -> Result<ProviderObject, GatewayError> {
        let expires_at = req.now + PAYMENT_WINDOW_SECONDS;
        match provider {
            Provider::Razorpay => {
                let c = self.config.razorpay.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let body = json!({
                    "amount": req.amount.minor(), "currency": req.amount.currency().code(),
                    "accept_partial": false, "reference_id": req.order, "description": req.description,
                    "expire_by": expires_at, "upi_link": true, "reminder_enable": false,
                    "notify": { "sms": false, "email": false },
                    "notes": { "order": req.order, "telegram_id": req.telegram_id.to_string() },
                });
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, "/v1/payment_links"))
                    .header("Authorization", basic(&c.key_id, c.key_secret.expose()));
                let link = self.call(provider, request, &body).await?;
                Ok(ProviderObject {
                    id: field(provider, &link, "id")?,
                    pay_url: Some(field(provider, &link, "short_url")?),
                    qr_string: None,
                    expires_at,
                })
            }
            Provider::Xendit => {
                let c = self.config.xendit.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let expiry = crate::subscription::utc_iso_seconds(expires_at).unwrap_or_default();
                let body = json!({
                    "reference_id": req.order, "type": "PAY", "country": "ID",
                    "currency": req.amount.currency().code(), "request_amount": req.amount.minor(),
                    "channel_code": "QRIS", "channel_properties": { "expires_at": expiry },
                    "description": req.description, "metadata": { "order": req.order },
                });
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, "/v3/payment_requests"))
                    .header("Authorization", basic(c.secret_key.expose(), ""))
                    .header("api-version", "2024-11-11");
                let pr = self.call(provider, request, &body).await?;
                let qr = xendit::qr_string(&pr)
                    .ok_or_else(|| malformed(provider, "no QR string in the payment request"))?;
                Ok(ProviderObject {
                    id: field(provider, &pr, "payment_request_id")?,
                    pay_url: None,
                    qr_string: Some(qr),
                    expires_at,
                })
            }
            Provider::CryptoPay => {
                let c = self.config.cryptopay.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let body = json!({
                    "currency_type": "fiat", "fiat": req.amount.currency().code(), "accepted_assets": "USDT,TON",
                    "amount": req.amount.to_decimal(), "description": req.description,
                    "payload": format!("order:{}", req.order), "expires_in": PAYMENT_WINDOW_SECONDS,
                    "allow_comments": false, "allow_anonymous": false,
                });
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, "/api/createInvoice"))
                    .header("Crypto-Pay-API-Token", c.token.expose());
                let answer = self.call(provider, request, &body).await?;
                let invoice = answer
                    .get("result")
                    .filter(|r| r.is_object())
                    .ok_or_else(|| malformed(provider, "no result"))?;
                let id = match invoice.get("invoice_id") {
                    Some(Value::Number(n)) => n.to_string(),
                    _ => return Err(malformed(provider, "no invoice_id")),
                };
                Ok(ProviderObject {
                    id,
                    pay_url: Some(field(provider, invoice, "bot_invoice_url")?),
                    qr_string: None,
                    expires_at,
                })
            }
            Provider::Stars => Err(GatewayError::NotConfigured(provider)),
        }
    }

    /// Asks the provider to give the money back; returns its refund id. The days come back
    /// when the provider's refund webhook arrives, through the same `accept` as every refund.
    pub async fn refund(&self, provider: Provider, req: &RefundRequest<'_>) -> Result<String, GatewayError> {
        match provider {
            Provider::Razorpay => {
                let c = self.config.razorpay.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let path = format!("/v1/payments/{}/refund", encode_component(req.payment_key));
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, &path))
                    .header("Authorization", basic(&c.key_id, c.key_secret.expose()));
                let body = json!({ "amount": req.amount.minor(), "notes": { "order": req.order } });
                field(provider, &self.call(provider, request, &body).await?, "id")
            }
            Provider::Xendit => {
                let c = self.config.xendit.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let object =
                    req.object_id.ok_or_else(|| malformed(provider, "the order has no payment request"))?;
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, "/refunds"))
                    .header("Authorization", basic(c.secret_key.expose(), ""))
                    .header("api-version", "2024-11-11");
                let body = json!({ "payment_request_id": object, "amount": req.amount.minor(),
                                   "currency": req.amount.currency().code(), "reason": "REQUESTED_BY_CUSTOMER",
                                   "reference_id": format!("refund-{}", req.order) });
                field(provider, &self.call(provider, request, &body).await?, "id")
            }
            Provider::CryptoPay | Provider::Stars => Err(GatewayError::Unsupported(provider)),
        }
    }

    /// The money paid to a provider object, if the provider says it is paid: what the hourly
    /// reconciliation feeds to the pipeline when a webhook never came.
    pub async fn paid(
        &self,
        provider: Provider,
        object_id: &str,
    ) -> Result<Option<ChannelPayment>, GatewayError> {
        match provider {
            Provider::Razorpay => {
                let c = self.config.razorpay.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let path = format!("/v1/payment_links/{}", encode_component(object_id));
                let request = HttpRequest::new(Method::Get, join_url(&c.api_base, &path))
                    .header("Authorization", basic(&c.key_id, c.key_secret.expose()));
                let link = self.send(provider, request).await?;
                if text(link.get("status")).as_deref() != Some("paid") {
                    return Ok(None);
                }
                let payments = link.get("payments").and_then(Value::as_array);
                let captured = payments
                    .and_then(|p| p.iter().find(|x| text(x.get("status")).as_deref() == Some("captured")));
                let Some(payment) = captured else { return Ok(None) };
                let currency = link.get("currency").and_then(Value::as_str).and_then(Currency::parse);
                let amount =
                    integer(payment.get("amount")).zip(currency).and_then(|(m, c)| Money::new(m, c).ok());
                Ok(Some(ChannelPayment {
                    key: field(provider, payment, "payment_id")?,
                    object_id: Some(object_id.to_string()),
                    order: text(link.get("reference_id")),
                    amount,
                    reported: json!({ "amount": decimal_text(payment.get("amount")), "currency": link.get("currency") }),
                }))
            }
            Provider::Xendit => {
                let c = self.config.xendit.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let path = format!("/v3/payment_requests/{}", encode_component(object_id));
                let request = HttpRequest::new(Method::Get, join_url(&c.api_base, &path))
                    .header("Authorization", basic(c.secret_key.expose(), ""))
                    .header("api-version", "2024-11-11");
                let pr = self.send(provider, request).await?;
                if text(pr.get("status")).as_deref() != Some("SUCCEEDED") {
                    return Ok(None);
                }
                let Some(key) = text(pr.get("payment_id")).or_else(|| text(pr.get("latest_payment_id")))
                else {
                    return Ok(None);
                };
                let currency = pr.get("currency").and_then(Value::as_str).and_then(Currency::parse);
                let amount = decimal_text(pr.get("request_amount"))
                    .zip(currency)
                    .and_then(|(a, c)| Money::from_decimal(&a, c));
                Ok(Some(ChannelPayment {
                    key,
                    object_id: Some(object_id.to_string()),
                    order: text(pr.get("reference_id")),
                    amount,
                    reported: json!({ "amount": decimal_text(pr.get("request_amount")), "currency": pr.get("currency") }),
                }))
            }
            Provider::CryptoPay => {
                let c = self.config.cryptopay.as_ref().ok_or(GatewayError::NotConfigured(provider))?;
                let request = HttpRequest::new(Method::Post, join_url(&c.api_base, "/api/getInvoices"))
                    .header("Crypto-Pay-API-Token", c.token.expose());
                let answer = self.call(provider, request, &json!({ "invoice_ids": object_id })).await?;
                let items = answer.get("result").and_then(|r| r.get("items")).and_then(Value::as_array);
                let invoice = items.and_then(|i| {
                    i.iter().find(|x| x.get("invoice_id").map(Value::to_string).as_deref() == Some(object_id))
                });
                let Some(invoice) = invoice else { return Ok(None) };
                let update = json!({ "update_type": "invoice_paid", "payload": invoice });
                match cryptopay::parse(update.to_string().as_bytes()) {
                    Ok(ChannelEvent::Paid(paid)) => Ok(Some(paid)),
                    _ => Ok(None),
                }
            }
            Provider::Stars => Err(GatewayError::NotConfigured(provider)),
        }
    }

    async fn call(
        &self,
        provider: Provider,
        request: HttpRequest,
        body: &Value,
    ) -> Result<Value, GatewayError> {
        let request = request.json(body).map_err(|e| malformed(provider, e.to_string()))?;
        self.send(provider, request).await
    }

    async fn send(&self, provider: Provider, request: HttpRequest) -> Result<Value, GatewayError> {
        let response = self.http.send(request).await?;
        let parsed: Option<Value> = serde_json::from_slice(&response.body).ok();
        if !(200..300).contains(&response.status) {
            let message = error_message(parsed.as_ref());
            return Err(GatewayError::Refused { provider, status: response.status, message });
        }
        parsed.ok_or_else(|| malformed(provider, "not JSON"))
    }
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

fn field(provider: Provider, value: &Value, name: &str) -> Result<String, GatewayError> {
    text(value.get(name)).ok_or_else(|| malformed(provider, format!("no {name}")))
}

fn malformed(provider: Provider, message: impl Into<String>) -> GatewayError {
    GatewayError::Malformed { provider, message: message.into() }
}

/// The provider's own words for an error, bounded (Razorpay `error.description`, Xendit
/// `message`, Crypto Pay `error.name`).
fn error_message(body: Option<&Value>) -> String {
    let Some(body) = body else { return "no JSON body".into() };
    let error = body.get("error");
    let message = error
        .and_then(|e| e.get("description").or_else(|| e.get("name")))
        .or_else(|| body.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("no message");
    message.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpResponse;
    use crate::money::Currency;
    use futures::executor::block_on;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// Answers each request with the next scripted response and records it.
    struct Scripted {
        answers: RefCell<Vec<(u16, Value)>>,
        seen: RefCell<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(answers: Vec<(u16, Value)>) -> Self {
            Self { answers: RefCell::new(answers), seen: RefCell::new(Vec::new()) }
        }
        fn body(&self, i: usize) -> Value {
            serde_json::from_slice(self.seen.borrow()[i].body.as_deref().unwrap_or_default()).unwrap()
        }
        fn header(&self, i: usize, name: &str) -> Option<String> {
            self.seen.borrow()[i]
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        }
    }

    impl HttpClient for Scripted {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.seen.borrow_mut().push(request);
            let (status, body) = self.answers.borrow_mut().remove(0);
            Ok(HttpResponse { status, body: serde_json::to_vec(&body).unwrap() })
        }
    }

    fn config() -> Config {
        let vars: HashMap<&str, &str> = [
            ("TELEGRAM_BOT_TOKEN", "1:x"),
            ("TELEGRAM_WEBHOOK_SECRET", "s"),
            ("BOT_USERNAME", "b"),
            ("REMNAWAVE_URL", "https://panel.example.com"),
            ("REMNAWAVE_TOKEN", "t"),
            ("RAZORPAY_KEY_ID", "rzp_id"),
            ("RAZORPAY_KEY_SECRET", "rzp_secret"),
            ("RAZORPAY_WEBHOOK_SECRET", "wh"),
            ("XENDIT_SECRET_KEY", "xnd_key"),
            ("XENDIT_CALLBACK_TOKEN", "cb"),
            ("CRYPTOPAY_TOKEN", "1:cp"),
        ]
        .into_iter()
        .collect();
        Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).unwrap()
    }

    fn req(amount: Money) -> CheckoutRequest<'static> {
        CheckoutRequest {
            order: "ab12cd34ef56gh78",
            amount,
            description: "Monthly",
            telegram_id: 42,
            now: 1_000_000,
        }
    }

    #[test]
    fn razorpay_links_carry_paise_the_order_and_basic_auth() {
        let http =
            Scripted::new(vec![(200, json!({ "id": "plink_1", "short_url": "https://rzp.io/rzp/1" }))]);
        let config = config();
        let got = block_on(
            Gateway::new(&config, &http)
                .create(Provider::Razorpay, &req(Money::new(16900, Currency::Inr).unwrap())),
        );
        assert_eq!(
            got.unwrap(),
            ProviderObject {
                id: "plink_1".into(),
                pay_url: Some("https://rzp.io/rzp/1".into()),
                qr_string: None,
                expires_at: 1_000_000 + 1800
            }
        );
        let body = http.body(0);
        assert_eq!(
            (body["amount"].as_i64(), body["currency"].as_str(), body["reference_id"].as_str()),
            (Some(16900), Some("INR"), Some("ab12cd34ef56gh78"))
        );
        assert_eq!(body["notes"]["order"], "ab12cd34ef56gh78");
        assert_eq!(http.header(0, "authorization").as_deref(), Some("Basic cnpwX2lkOnJ6cF9zZWNyZXQ="));
    }

    #[test]
    fn xendit_qris_in_whole_rupiah_and_the_qr_string() {
        let answer = json!({ "payment_request_id": "pr-1", "actions": [{ "descriptor": "QR_STRING", "value": "000201" }] });
        let http = Scripted::new(vec![(200, answer)]);
        let config = config();
        let got = block_on(
            Gateway::new(&config, &http)
                .create(Provider::Xendit, &req(Money::new(32000, Currency::Idr).unwrap())),
        )
        .unwrap();
        assert_eq!((got.id.as_str(), got.qr_string.as_deref()), ("pr-1", Some("000201")));
        assert_eq!(http.body(0)["request_amount"], 32000);
        assert_eq!(http.header(0, "api-version").as_deref(), Some("2024-11-11"));
        assert_eq!(http.header(0, "authorization").as_deref(), Some("Basic eG5kX2tleTo="));
    }

    #[test]
    fn crypto_pay_invoices_in_usd_as_a_decimal_string() {
        let answer = json!({ "ok": true, "result": { "invoice_id": 77, "bot_invoice_url": "https://t.me/CryptoBot?start=IV1" } });
        let http = Scripted::new(vec![(200, answer)]);
        let config = config();
        let got = block_on(
            Gateway::new(&config, &http)
                .create(Provider::CryptoPay, &req(Money::new(200, Currency::Usd).unwrap())),
        )
        .unwrap();
        assert_eq!(got.id, "77");
        let body = http.body(0);
        assert_eq!(
            (body["amount"].as_str(), body["fiat"].as_str(), body["payload"].as_str()),
            (Some("2.00"), Some("USD"), Some("order:ab12cd34ef56gh78"))
        );
    }

    #[test]
    fn provider_errors_keep_their_words_and_say_whether_to_retry() {
        let http = Scripted::new(vec![
            (400, json!({ "error": { "description": "The amount must be atleast INR 1.00." } })),
            (503, json!({})),
        ]);
        let config = config();
        let gw = Gateway::new(&config, &http);
        let err = block_on(gw.create(Provider::Razorpay, &req(Money::new(50, Currency::Inr).unwrap())))
            .unwrap_err();
        assert_eq!(err.to_string(), "razorpay refused (400): The amount must be atleast INR 1.00.");
        assert!(!err.is_retryable());
        assert!(block_on(gw.create(Provider::Razorpay, &req(Money::new(16900, Currency::Inr).unwrap())))
            .unwrap_err()
            .is_retryable());
    }

    #[test]
    fn refunds_go_to_each_providers_refund_api() {
        let http = Scripted::new(vec![(200, json!({ "id": "rfnd_1" })), (200, json!({ "id": "rfd-1" }))]);
        let config = config();
        let gw = Gateway::new(&config, &http);
        let inr = Money::new(16900, Currency::Inr).unwrap();
        let got = block_on(gw.refund(
            Provider::Razorpay,
            &RefundRequest { payment_key: "pay_1", object_id: None, amount: inr, order: "o1" },
        ));
        assert_eq!(got.as_deref(), Ok("rfnd_1"));
        assert!(http.seen.borrow()[0].url.ends_with("/v1/payments/pay_1/refund"));
        let idr = Money::new(32000, Currency::Idr).unwrap();
        let got = block_on(gw.refund(
            Provider::Xendit,
            &RefundRequest { payment_key: "py-1", object_id: Some("pr-1"), amount: idr, order: "o1" },
        ));
        assert_eq!(got.as_deref(), Ok("rfd-1"));
        assert_eq!(http.body(1)["payment_request_id"], "pr-1");
        let usd = Money::new(200, Currency::Usd).unwrap();
        let none = block_on(gw.refund(
            Provider::CryptoPay,
            &RefundRequest { payment_key: "7", object_id: Some("7"), amount: usd, order: "o1" },
        ));
        assert_eq!(none, Err(GatewayError::Unsupported(Provider::CryptoPay)));
    }
}
