//! The web cabinet's API (docs/API.md, "The web cabinet's API"): who is signed in, CORS and
//! the same-origin rule, and the routes — sign-in ([`auth`]), the account ([`account`]), the
//! public plans ([`plans`]) and checkout ([`checkout`]).

pub mod account;
pub mod auth;
pub mod checkout;
pub mod plans;

use serde::de::DeserializeOwned;
use wavegate_shared::clock::Clock;
use wavegate_shared::config::Config;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::ports::Cache;
use wavegate_shared::shop::store::{BotUser, UserStore};
use wavegate_shared::web::session::SessionStore;
use wavegate_shared::web::session::{self, Session, ACCESS_COOKIE};
use worker::{Headers, Method, Request, Response};

use crate::app::App;
use crate::error::AppError;

/// The KV denylist key of a logged-out access token, kept until the token would have expired.
/// (A revoked sign-in is in D1, which every request asks: KV's reads may lag its writes.)
pub fn deny_key(jti: &str) -> String {
    format!("deny:jti:{jti}")
}

/// Who is calling: the Telegram id, and the shop's user id when it came from a session.
/// A session cookie is a valid access token whose `jti` is not denied and whose sign-in is not
/// revoked. Inside Telegram's web client the Mini App is a cross-site frame, where browsers
/// keep no cookies: there it sends its `initData` (`Authorization: tma …`), checked like a
/// sign-in on every call.
pub async fn caller(req: &Request, app: &App<'_>) -> Result<(i64, Option<i64>), AppError> {
    let auth = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    if let Some(init_data) = auth.strip_prefix("tma ") {
        let user = auth::verify_init_data(app, init_data).await?;
        return Ok((user.id, None));
    }
    let session = session(req, app).await?;
    Ok((session.telegram_id, Some(session.user_id)))
}

/// The cookie session (the admin console accepts nothing else: a Mini App's `initData` cannot be
/// signed out of).
pub async fn session(req: &Request, app: &App<'_>) -> Result<Session, AppError> {
    let secret = app.config.jwt_secret.as_ref().ok_or(AppError::NotConfigured)?;
    let cookies = req.headers().get("Cookie").ok().flatten().unwrap_or_default();
    let token = session::read_cookie(&cookies, ACCESS_COOKIE).ok_or(AppError::Unauthorized)?;
    let session = session::verify(secret.expose().as_bytes(), token, app.clock.now().timestamp())
        .map_err(|_| AppError::Unauthorized)?;
    let (denied, live) = futures_util::future::join(
        app.cache.get(&deny_key(&session.jti)),
        app.store.family_live(&session.family),
    )
    .await;
    if denied.is_some() || !live.map_err(|e| unavailable("session", &e))? {
        return Err(AppError::Unauthorized);
    }
    Ok(session)
}

/// The signed-in customer (who must have a record: the bot or the Mini App sign-in makes it).
pub async fn customer(req: &Request, app: &App<'_>) -> Result<BotUser, AppError> {
    let (telegram_id, user_id) = caller(req, app).await?;
    let id = TelegramUserId::parse(telegram_id).map_err(|_| AppError::Unauthorized)?;
    let user = app.store.find_user(id).await.map_err(|e| unavailable("user", &e))?;
    match user {
        Some(user) if user_id.is_none_or(|uid| uid == user.id) => Ok(user),
        Some(_) => Err(AppError::Unauthorized),
        None => Err(AppError::Refused { status: 404, reason: "open the bot first" }),
    }
}

pub fn unavailable(context: &'static str, error: &dyn std::error::Error) -> AppError {
    AppError::Unavailable { context, message: crate::log::chain(error) }
}

/// The request's URL as the runtime gives it. (`Request::url` parses it with the `url` crate,
/// whose IDNA tables cost the bundle ~100 KiB gzipped; the runtime's URL is already normalized.)
pub fn raw_url(req: &Request) -> String {
    req.inner().url()
}

/// The origin (`scheme://host[:port]`) of the request's own URL.
fn own_origin(req: &Request) -> Option<String> {
    let url = raw_url(req);
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{host}"))
}

/// A query parameter's raw value (the cabinet's parameters are plain words).
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    let url = raw_url(req);
    let query = url.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Browsers send `Origin` on every cross-site request and on same-origin writes: a write whose
/// `Origin` is neither the site's public origin nor the Worker's own is a cross-site request
/// riding the customer's cookies. 401, like every failed authentication. Clients that send no
/// `Origin` (not a browser) are not ambient-cookie attacks.
pub fn check_origin(req: &Request, config: &Config) -> Result<(), AppError> {
    if matches!(req.method(), Method::Get | Method::Head | Method::Options) {
        return Ok(());
    }
    let Some(origin) = req.headers().get("Origin").ok().flatten() else { return Ok(()) };
    let public = config.public_base_url.as_deref().unwrap_or_default();
    if origin.eq_ignore_ascii_case(public) || Some(&origin) == own_origin(req).as_ref() {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}

/// Whether `origin` may read `/api/` responses across origins: only `PUBLIC_BASE_URL`.
fn cors_allowed(origin: Option<&str>, config: &Config) -> bool {
    matches!((origin, config.public_base_url.as_deref()), (Some(o), Some(p)) if o.eq_ignore_ascii_case(p))
}

/// Adds the CORS headers for an allowed `Origin` to an `/api/` response.
pub fn with_cors(mut response: Response, origin: Option<&str>, config: Option<&Config>) -> Response {
    if let (Some(origin), Some(config)) = (origin, config) {
        if cors_allowed(Some(origin), config) {
            let headers = response.headers_mut();
            let _ = headers.set("Access-Control-Allow-Origin", origin);
            let _ = headers.set("Access-Control-Allow-Credentials", "true");
        }
    }
    let _ = response.headers_mut().append("Vary", "Origin");
    response
}

/// `OPTIONS /api/...`: 204, with the allow headers only for `PUBLIC_BASE_URL`.
pub fn preflight(origin: Option<&str>, config: Option<&Config>) -> Response {
    let headers = Headers::new();
    if config.is_some_and(|c| cors_allowed(origin, c)) {
        let _ = headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
        let _ = headers.set("Access-Control-Allow-Headers", "Content-Type, Authorization, Idempotency-Key");
        let _ = headers.set("Access-Control-Max-Age", "600");
    }
    Response::builder().with_status(204).with_headers(headers).empty()
}

/// The JSON body: 413 when oversized, 400 when it is not the expected shape.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> Result<T, AppError> {
    let body = super::read_body(req).await?;
    serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// A 200 JSON response with extra headers.
pub fn json_with(body: &serde_json::Value, extra: &[(&str, String)]) -> Response {
    let mut response = crate::error::json_response(200, body);
    let headers = response.headers_mut();
    for (name, value) in extra {
        let _ = headers.append(name, value);
    }
    response
}
