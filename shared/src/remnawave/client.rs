//! The HTTP client for the panel.
//!
//! Every request carries `Authorization: Bearer`, and the `X-Forwarded-For` /
//! `X-Forwarded-Proto: https` pair: without it the panel's proxy check drops the connection
//! with no response. Success bodies are unwrapped from `{"response": …}`.
//!
//! Retries: 429, 5xx and transport failures are retried a bounded number of times with growing
//! waits, but only for calls that are safe to repeat. `extend` adds days relative to the
//! current expiry, so after a 5xx (which may have been applied) it is not retried here; the
//! caller decides with what it knows.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::error::PanelError;
use super::types::*;
use super::Panel;
use crate::http::{encode_component, join_url, HttpClient, HttpRequest, HttpResponse, Method, Sleeper};

/// How often and how patiently to retry a failing call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts, including the first.
    pub attempts: u32,
    /// Wait before the first retry; each later wait is four times longer.
    pub first_delay: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts over about one second: enough for a panel restart blip, short enough to
    /// stay inside a webhook's time. Longer outages are the queue's job.
    fn default() -> Self {
        Self { attempts: 3, first_delay: Duration::from_millis(200) }
    }
}

pub struct RemnawaveClient<'a, H, S> {
    http: &'a H,
    sleeper: &'a S,
    base: &'a str,
    token: &'a str,
    retry: RetryPolicy,
}

/// Whether a call may be repeated after the panel might already have applied it.
#[derive(Clone, Copy, PartialEq)]
enum Repeat {
    Safe,
    /// Only retried on 429 (the panel refused before doing anything).
    OnlyWhenThrottled,
}

#[derive(Deserialize)]
struct Envelope<T> {
    response: T,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    message: Option<serde_json::Value>,
    error_code: Option<String>,
}

#[derive(Deserialize)]
struct UserPage {
    users: Vec<PanelUser>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamPage {
    users: Vec<PanelUserState>,
    next_cursor: Option<String>,
    has_more: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SquadList {
    internal_squads: Vec<InternalSquad>,
}

impl<'a, H: HttpClient, S: Sleeper> RemnawaveClient<'a, H, S> {
    pub fn new(http: &'a H, sleeper: &'a S, base: &'a str, token: &'a str) -> Self {
        Self { http, sleeper, base, token, retry: RetryPolicy::default() }
    }

    /// One page of every panel user, `size` (1–1000) after `cursor`, in id order: the bulk
    /// read the usage and expiry sync walks (remnawave-api.md §4, `GET /api/users/stream`).
    pub async fn users_page(&self, cursor: Option<i64>, size: u32) -> Result<UsersPage, PanelError> {
        let mut path = format!("/api/users/stream?size={}", size.clamp(1, 1000));
        if let Some(cursor) = cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page: StreamPage = self.call(self.request(Method::Get, &path), Repeat::Safe).await?;
        let next_cursor = match (page.has_more, page.next_cursor) {
            (true, Some(next)) => Some(
                next.parse()
                    .map_err(|_| PanelError::Unexpected(format!("stream cursor {next:?} is not a number")))?,
            ),
            (true, None) => return Err(PanelError::Unexpected("stream has more but no cursor".into())),
            (false, _) => None,
        };
        Ok(UsersPage { users: page.users, next_cursor })
    }

    /// How many devices (HWIDs) the user has (`GET /api/hwid/devices/{userId}`).
    pub async fn device_count(&self, id: PanelUserId) -> Result<u32, PanelError> {
        #[derive(Deserialize)]
        struct Devices {
            total: u32,
        }
        let path = format!("/api/hwid/devices/{}", id.0);
        let devices: Devices = self.call(self.request(Method::Get, &path), Repeat::Safe).await?;
        Ok(devices.total)
    }

    /// The devices (HWIDs) the panel knows for the user (`GET /api/hwid/devices/{userId}`).
    pub async fn devices(&self, id: PanelUserId) -> Result<Vec<Device>, PanelError> {
        let path = format!("/api/hwid/devices/{}", id.0);
        let list: DeviceList = self.call(self.request(Method::Get, &path), Repeat::Safe).await?;
        Ok(list.devices)
    }

    /// Forgets one device (`POST /api/hwid/devices/delete`); returns the devices left. Deleting
    /// is idempotent, so a lost response is retried.
    pub async fn delete_device(&self, id: PanelUserId, hwid: &str) -> Result<Vec<Device>, PanelError> {
        let body = json!({ "userId": id.0, "hwid": hwid });
        let request = self.with_body(self.request(Method::Post, "/api/hwid/devices/delete"), &body)?;
        let list: DeviceList = self.call(request, Repeat::Safe).await?;
        Ok(list.devices)
    }

    /// A read whose `response` the caller takes as it is (the console's node and system views,
    /// which show the panel's fields rather than act on them). GET only; retried like any read.
    pub async fn read_json(&self, path: &str) -> Result<serde_json::Value, PanelError> {
        self.call(self.request(Method::Get, path), Repeat::Safe).await
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    fn request(&self, method: Method, path: &str) -> HttpRequest {
        HttpRequest::new(method, join_url(self.base, path))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Accept", "application/json")
            .header("X-Forwarded-For", "127.0.0.1")
            .header("X-Forwarded-Proto", "https")
    }

    fn with_body(
        &self,
        request: HttpRequest,
        body: &impl serde::Serialize,
    ) -> Result<HttpRequest, PanelError> {
        request.json(body).map_err(|e| PanelError::Unexpected(format!("request body: {e}")))
    }

    /// Sends with bounded retries and returns a 2xx response, or the mapped error.
    async fn send(&self, request: HttpRequest, repeat: Repeat) -> Result<HttpResponse, PanelError> {
        let mut delay = self.retry.first_delay;
        let mut attempt = 1;
        loop {
            let outcome = self.http.send(request.clone()).await;
            let retryable = match &outcome {
                Ok(r) if (200..300).contains(&r.status) => return outcome.map_err(|_| unreachable_err()),
                Ok(r) if r.status == 429 => true,
                Ok(r) if r.status >= 500 => repeat == Repeat::Safe,
                Ok(_) => false,
                Err(_) => repeat == Repeat::Safe,
            };
            if !retryable || attempt >= self.retry.attempts {
                return Err(match outcome {
                    Ok(response) => map_error(&request, &response),
                    Err(transport) => PanelError::Unavailable(transport.0),
                });
            }
            self.sleeper.sleep(delay).await;
            delay *= 4;
            attempt += 1;
        }
    }

    async fn call<T: DeserializeOwned>(&self, request: HttpRequest, repeat: Repeat) -> Result<T, PanelError> {
        let response = self.send(request, repeat).await?;
        serde_json::from_slice::<Envelope<T>>(&response.body)
            .map(|e| e.response)
            .map_err(|e| PanelError::Unexpected(format!("response body: {e}")))
    }

    /// A lookup where 404 means "no such user" rather than an error.
    async fn find<T: DeserializeOwned>(&self, request: HttpRequest) -> Result<Option<T>, PanelError> {
        match self.call(request, Repeat::Safe).await {
            Ok(found) => Ok(Some(found)),
            Err(PanelError::NotFound(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn user_action(&self, id: PanelUserId, action: &str) -> Result<PanelUser, PanelError> {
        let path = format!("/api/users/{}/actions/{action}", id.0);
        self.call(self.request(Method::Post, &path), Repeat::Safe).await
    }
}

fn unreachable_err() -> PanelError {
    PanelError::Unexpected("transport error after success".into())
}

/// 404 for an update, action or delete of a user that does not exist.
const USER_NOT_FOUND: &str = "A025";
/// 404 for a lookup (by id, username, short uuid) that matched no user.
const USER_LOOKUP_NOT_FOUND: &str = "A063";

/// Maps a non-2xx response to the error the callers branch on.
fn map_error(request: &HttpRequest, response: &HttpResponse) -> PanelError {
    let body: ErrorBody = serde_json::from_slice(&response.body).unwrap_or_default();
    let code = body.error_code.unwrap_or_default();
    let message = match body.message {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::from_utf8_lossy(&response.body).chars().take(200).collect(),
    };
    let path = request.url.split("/api/").nth(1).unwrap_or_default();
    match (response.status, code.as_str()) {
        (400, "A019") => PanelError::UsernameTaken,
        // Only the panel's own "no such user" answers mean not found. Any other 404 (a proxy's,
        // a misrouted REMNAWAVE_URL, a route this panel lacks) must not mark a refund done or
        // show "no subscription".
        (404, USER_NOT_FOUND | USER_LOOKUP_NOT_FOUND) => PanelError::NotFound(code),
        (404, _) => PanelError::Unexpected(format!(
            "HTTP 404 {code} {message} at /api/{path} (is REMNAWAVE_URL right?)"
        )),
        (401, _) => PanelError::Unauthorized,
        (403, _) => PanelError::Forbidden(format!("/api/{path}")),
        (400, _) => {
            PanelError::Rejected { code: if code.is_empty() { "validation".into() } else { code }, message }
        }
        (429, _) | (500..=599, _) => {
            PanelError::Unavailable(format!("HTTP {} {code} {message}", response.status))
        }
        (status, _) => PanelError::Unexpected(format!("HTTP {status} {code} {message}")),
    }
}

impl<H: HttpClient, S: Sleeper> Panel for RemnawaveClient<'_, H, S> {
    async fn metadata(&self) -> Result<PanelMetadata, PanelError> {
        self.call(self.request(Method::Get, "/api/system/metadata"), Repeat::Safe).await
    }

    async fn internal_squads(&self) -> Result<Vec<InternalSquad>, PanelError> {
        let list: SquadList =
            self.call(self.request(Method::Get, "/api/internal-squads"), Repeat::Safe).await?;
        Ok(list.internal_squads)
    }

    async fn create_user(&self, user: &CreateUser) -> Result<PanelUser, PanelError> {
        // Safe to repeat: a create that went through answers the retry with A019, which
        // `create_or_reuse_user` turns into a lookup.
        let request = self.with_body(self.request(Method::Post, "/api/users"), user)?;
        self.call(request, Repeat::Safe).await
    }

    async fn get_user(&self, id: PanelUserId) -> Result<Option<PanelUser>, PanelError> {
        self.find(self.request(Method::Get, &format!("/api/users/{}", id.0))).await
    }

    async fn get_user_by_username(&self, username: &str) -> Result<Option<PanelUser>, PanelError> {
        let path = format!("/api/users/by-username/{}", encode_component(username));
        self.find(self.request(Method::Get, &path)).await
    }

    async fn users_by_telegram_id(&self, telegram_id: i64) -> Result<Vec<PanelUser>, PanelError> {
        let path = format!("/api/users/stream?telegramId={telegram_id}&size=10");
        let page: UserPage = self.call(self.request(Method::Get, &path), Repeat::Safe).await?;
        Ok(page.users)
    }

    async fn update_user(&self, update: &UpdateUser) -> Result<PanelUser, PanelError> {
        // Absolute values only: repeating the same PATCH gives the same result.
        let request = self.with_body(self.request(Method::Patch, "/api/users"), update)?;
        self.call(request, Repeat::Safe).await
    }

    async fn extend_user(&self, id: PanelUserId, days: u32) -> Result<PanelUser, PanelError> {
        let path = format!("/api/users/{}/actions/extend", id.0);
        let request = self.with_body(self.request(Method::Post, &path), &json!({ "days": days }))?;
        self.call(request, Repeat::OnlyWhenThrottled).await
    }

    async fn enable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        match self.user_action(id, "enable").await {
            Err(PanelError::Rejected { code, .. }) if code == "A030" => self.current(id).await,
            other => other,
        }
    }

    async fn disable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        match self.user_action(id, "disable").await {
            Err(PanelError::Rejected { code, .. }) if code == "A029" => self.current(id).await,
            other => other,
        }
    }

    async fn revoke_subscription(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        let path = format!("/api/users/{}/actions/revoke", id.0);
        let request = self.with_body(self.request(Method::Post, &path), &json!({}))?;
        self.call(request, Repeat::Safe).await
    }

    async fn reset_traffic(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.user_action(id, "reset-traffic").await
    }

    async fn delete_all_devices(&self, id: PanelUserId) -> Result<(), PanelError> {
        let request = self.request(Method::Post, "/api/hwid/devices/delete-all");
        let request = self.with_body(request, &json!({ "userId": id.0 }))?;
        self.send(request, Repeat::Safe).await.map(|_| ())
    }

    async fn delete_user(&self, id: PanelUserId) -> Result<(), PanelError> {
        // 204 with an empty body on success.
        let request = self.request(Method::Delete, &format!("/api/users/{}", id.0));
        self.send(request, Repeat::Safe).await.map(|_| ())
    }

    async fn nodes(&self) -> Result<Vec<Node>, PanelError> {
        self.call(self.request(Method::Get, "/api/nodes"), Repeat::Safe).await
    }

    async fn system_stats(&self) -> Result<SystemStats, PanelError> {
        self.call(self.request(Method::Get, "/api/system/stats"), Repeat::Safe).await
    }
}

impl<H: HttpClient, S: Sleeper> RemnawaveClient<'_, H, S> {
    async fn current(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.get_user(id).await?.ok_or_else(|| PanelError::NotFound(format!("user {}", id.0)))
    }
}
