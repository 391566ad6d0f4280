//! The outbound HTTP boundary of the core.
//!
//! Clients in this crate (Telegram, Remnawave) build an [`HttpRequest`] and hand it to an
//! [`HttpClient`]. The Worker implements it on the runtime's `fetch`; unit tests implement it
//! with scripted fakes. Keeping reqwest out saves ~110 KB gzipped of wasm (toolchain.md).

use std::time::Duration;

/// HTTP methods the clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A fully built outbound request.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self { method, url: url.into(), headers: Vec::new(), body: None }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json(mut self, body: &impl serde::Serialize) -> Result<Self, serde_json::Error> {
        self.body = Some(serde_json::to_vec(body)?);
        Ok(self.header("Content-Type", "application/json"))
    }

    /// Sets a raw body with the given content type (multipart uploads).
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self.header("Content-Type", content_type)
    }
}

/// A received response: status and the whole body.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The request never produced a response (connection refused or reset, DNS, timeout). The
/// runtime's text can quote the URL, and a Bot API URL carries the token (`/bot<token>/`):
/// the message is scrubbed when shown, so it can never reach a log line.
#[derive(Clone, PartialEq, thiserror::Error)]
#[error("transport error: {}", scrub(.0))]
pub struct TransportError(pub String);

impl std::fmt::Debug for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TransportError").field(&scrub(&self.0)).finish()
    }
}

/// `text` with every Bot API token in a URL path (`/bot<digits>:<secret>`) replaced.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("/bot") {
        out.push_str(&rest[..at + 4]);
        let after = &rest[at + 4..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let secret = if digits > 0 && after[digits..].starts_with(':') {
            let tail = &after[digits + 1..];
            digits
                + 1
                + tail.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count()
        } else {
            0
        };
        if secret > 0 {
            out.push_str("<redacted>");
        }
        rest = &after[secret..];
    }
    out.push_str(rest);
    out
}

/// Sends HTTP requests. Not `Send`: the Worker runtime is single-threaded.
#[allow(async_fn_in_trait)]
pub trait HttpClient {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Waits between retries. The Worker uses the runtime's timer (waiting costs no CPU time).
#[allow(async_fn_in_trait)]
pub trait Sleeper {
    async fn sleep(&self, duration: Duration);
}

/// Joins a configured base (scheme, host, port; maybe a trailing slash) and an absolute path.
pub fn join_url(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// Two hex digits as a byte. Not `u8::from_str_radix`, which takes a sign (`+A` is 10).
pub fn hex_byte(hex: &str) -> Option<u8> {
    if hex.len() != 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters pass).
/// URL-decoding of a query-string component: `+` and `%20` both mean a space.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(hex_byte(text.get(i + 1..i + 3)?)?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_url_tolerates_a_trailing_slash_on_the_base() {
        assert_eq!(join_url("http://a:1/", "/api/x"), "http://a:1/api/x");
        assert_eq!(join_url("http://a:1", "/api/x"), "http://a:1/api/x");
    }

    #[test]
    fn encode_component_escapes_everything_but_unreserved() {
        assert_eq!(encode_component("tg_1-a.b~"), "tg_1-a.b~");
        assert_eq!(encode_component("a b/c?d"), "a%20b%2Fc%3Fd");
    }
}

#[cfg(test)]
mod scrub_tests {
    use super::*;

    #[test]
    fn bot_tokens_in_urls_never_reach_the_message() {
        let e = TransportError(
            "fetch failed: https://api.telegram.org/bot123456:AAE-x_Yz9/sendMessage reset".into(),
        );
        let shown = e.to_string();
        assert!(!shown.contains("AAE-x_Yz9") && !shown.contains("123456:"), "{shown}");
        assert!(shown.contains("https://api.telegram.org/bot<redacted>/sendMessage reset"), "{shown}");
        assert!(!format!("{e:?}").contains("AAE-x_Yz9"));
        assert_eq!(scrub("no token /bots here, /bot/x"), "no token /bots here, /bot/x");
    }
}
