//! The core's `HttpClient`, `Sleeper` and `Clock` on the Workers runtime.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::{select, Either};
use wavegate_shared::clock::Clock;
use wavegate_shared::http::{HttpClient, HttpRequest, HttpResponse, Sleeper, TransportError};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

/// Outbound HTTP through the runtime's `fetch`, with a timeout so a hung upstream cannot hold
/// a webhook (or a queue batch) until the runtime kills it.
pub struct FetchClient {
    pub timeout: Duration,
}

impl Default for FetchClient {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(10) }
    }
}

impl HttpClient for FetchClient {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let transport = |e: worker::Error| TransportError(e.to_string());
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(transport)?;
        }
        let mut init = RequestInit::new();
        init.with_method(match request.method {
            wavegate_shared::http::Method::Get => Method::Get,
            wavegate_shared::http::Method::Post => Method::Post,
            wavegate_shared::http::Method::Patch => Method::Patch,
            wavegate_shared::http::Method::Delete => Method::Delete,
        });
        init.with_headers(headers);
        if let Some(body) = &request.body {
            init.with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
        }
        let outbound = Request::new_with_init(&request.url, &init).map_err(transport)?;
        let controller = AbortController::default();
        let signal = controller.signal();
        let fetch = Box::pin(async move {
            let mut response = Fetch::Request(outbound).send_with_signal(&signal).await?;
            let status = response.status_code();
            let body = response.bytes().await?;
            Ok::<_, worker::Error>(HttpResponse { status, body })
        });
        let timer = Box::pin(Delay::from(self.timeout));
        match select(fetch, timer).await {
            Either::Left((result, _)) => result.map_err(transport),
            Either::Right(_) => {
                controller.abort();
                Err(TransportError(format!("no response within {:?}", self.timeout)))
            }
        }
    }
}

/// Waits on the runtime's timer; waiting costs wall time, not CPU time.
pub struct TimerSleeper;

impl Sleeper for TimerSleeper {
    async fn sleep(&self, duration: Duration) {
        Delay::from(duration).await;
    }
}

/// `Date.now()`; in Workers it advances only across I/O, which is all we need.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        let millis = worker::Date::now().as_millis() as i64;
        DateTime::from_timestamp_millis(millis).unwrap_or_default()
    }
}

/// Bytes from `crypto.getRandomValues`. If the runtime refused (it does not), the bytes stay
/// zero: callers use them for codes whose uniqueness D1 enforces, never for secrets.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let _ = getrandom::getrandom(&mut bytes);
    bytes
}
