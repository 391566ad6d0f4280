//! The core's `HttpClient`, `Sleeper` and `Clock` on the Workers runtime.

use std::cell::RefCell;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::{select, Either};
use wavegate_shared::clock::Clock;
use wavegate_shared::http::{HttpClient, HttpRequest, HttpResponse, Sleeper, TransportError};
use worker::wasm_bindgen::JsValue;
use worker::{web_sys, AbortController, Delay, Fetch, Request};

/// Outbound HTTP through the runtime's `fetch`, with a timeout so a hung upstream cannot hold
/// a webhook (or a queue batch) until the runtime kills it. It counts its calls and their wall
/// time per host (subrequests are a per-invocation budget: 50 on the free plan), for the log.
pub struct FetchClient {
    pub timeout: Duration,
    calls: RefCell<Vec<HostCalls>>,
}

/// Calls to one host in this invocation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HostCalls {
    pub host: String,
    pub calls: u32,
    pub ms: u64,
}

impl Default for FetchClient {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(10), calls: RefCell::new(Vec::new()) }
    }
}

impl FetchClient {
    /// Outbound calls so far (every attempt of a retried call counts: each is a subrequest).
    pub fn calls(&self) -> u32 {
        self.calls.borrow().iter().map(|h| h.calls).sum()
    }

    /// Calls and wall time per host so far (hosts only: paths can carry the bot token).
    pub fn by_host(&self) -> Vec<HostCalls> {
        self.calls.borrow().clone()
    }

    fn record(&self, url: &str, ms: u64) {
        let host = host_of(url);
        let mut calls = self.calls.borrow_mut();
        match calls.iter_mut().find(|h| h.host == host) {
            Some(h) => {
                h.calls += 1;
                h.ms += ms;
            }
            None => calls.push(HostCalls { host: host.to_string(), calls: 1, ms }),
        }
    }
}

/// `https://api.telegram.org/bot…/sendMessage` → `api.telegram.org`.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    // Never userinfo (`user:password@host`), even with a `?` or `#` in the password.
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    host.split(['?', '#']).next().unwrap_or_default()
}

impl HttpClient for FetchClient {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let started = worker::Date::now().as_millis();
        let url = request.url.clone();
        let result = self.fetch(request).await;
        self.record(&url, worker::Date::now().as_millis().saturating_sub(started));
        result
    }
}

impl FetchClient {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let transport = |e: worker::Error| TransportError(e.to_string());
        let js = |e: JsValue| TransportError(format!("{e:?}"));
        // Built on web_sys directly: worker's `RequestInit` carries Cloudflare's `cf` options,
        // whose conversion code costs the bundle ~4 KiB gzipped for options we never set.
        let headers = web_sys::Headers::new().map_err(js)?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(js)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(match request.method {
            wavegate_shared::http::Method::Get => "GET",
            wavegate_shared::http::Method::Post => "POST",
            wavegate_shared::http::Method::Patch => "PATCH",
            wavegate_shared::http::Method::Delete => "DELETE",
        });
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&worker::js_sys::Uint8Array::from(body.as_slice()));
        }
        let outbound =
            Request::from(web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(js)?);
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

/// Random bytes for secrets (session tokens): an error instead of zeros if the runtime's CSPRNG
/// fails.
pub fn secret_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)?;
    Ok(bytes)
}

/// Bytes from `crypto.getRandomValues`. If the runtime refused (it does not), the bytes stay
/// zero: callers use them for codes whose uniqueness D1 enforces, never for secrets.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let _ = getrandom::getrandom(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn the_host_of_a_url_never_includes_its_path_or_credentials() {
        assert_eq!(host_of("https://api.telegram.org/bot123:ABC/sendMessage"), "api.telegram.org");
        assert_eq!(host_of("http://127.0.0.1:8080/api/users?x=1"), "127.0.0.1:8080");
        assert_eq!(host_of("https://user:secret@panel.example.com/api"), "panel.example.com");
        assert_eq!(host_of("https://u:pa?ss#w@panel.example.com/api"), "panel.example.com");
    }
}
