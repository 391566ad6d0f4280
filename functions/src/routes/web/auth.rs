//! Sign-in (docs/API.md "Sessions"): the Login Widget and the Mini App's `initData` start a
//! session; refresh rotates it; logout ends it.
//!
//! ```text
//! POST /api/auth/telegram {id, first_name, …, auth_date, hash}   → 200, wg_session + wg_refresh
//! POST /api/auth/webapp   {"initData": "query_id=…&user=…&hash=…"} → 200, the same cookies
//! POST /api/auth/refresh  (wg_refresh)  → 200 and a new pair; a spent token → 401, family revoked
//! POST /api/auth/logout   → 200, cookies cleared, the token and its family denied
//! ```

use serde::Deserialize;
use serde_json::{json, Map, Value};
use wavegate_shared::clock::Clock;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::ports::{Cache, Ids};
use wavegate_shared::shop::store::{TelegramProfile, UserStore};
use wavegate_shared::telegram::webapp;
use wavegate_shared::web::login;
use wavegate_shared::web::session::{
    self, Rotation, SessionClaims, SessionStore, Via, ACCESS_COOKIE, ACCESS_TTL, REFRESH_COOKIE,
    REFRESH_PATH, REFRESH_TTL,
};
use worker::js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Env, Request, Response};

use session::token_text;

use super::{deny_key, json_body, json_with, unavailable};
use crate::adapters::RandomIds;
use crate::app::App;
use crate::error::AppError;
use crate::http::secret_bytes;
use crate::log::Scope;

/// The rate-limiting bindings of wrangler.toml: 20 a minute per key for sign-in, checkout and
/// promo codes; 120 a minute per address for the public reads (`GET /api/plans`).
const RATE_LIMITER: &str = "RATE_LIMITER";
pub const PUBLIC_RATE_LIMITER: &str = "PUBLIC_RATE_LIMITER";

/// 429 when `key` has used its attempts for the minute (of the `RATE_LIMITER` binding).
pub async fn rate_limit(env: &Env, key: String, app: &App<'_>) -> Result<(), AppError> {
    limit(env, RATE_LIMITER, key, app).await
}

/// 429 when `key` has used its attempts for the minute of `binding`. Without the binding (an
/// operator removed it) nothing is limited, and the log says so.
pub async fn limit(env: &Env, binding: &str, key: String, app: &App<'_>) -> Result<(), AppError> {
    let Ok(limiter) = env.rate_limiter(binding) else {
        app.scope.warn("ratelimit.off", json!({ "reason": "no binding", "binding": binding }));
        return Ok(());
    };
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => {
            Err(AppError::Refused { status: 429, reason: "too many attempts" })
        }
        _ => Ok(()),
    }
}

/// The client's address (`CF-Connecting-IP`, set by Cloudflare); an IPv6 address by its /64,
/// which one customer usually holds whole.
pub fn client(req: &Request) -> String {
    let ip = req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default();
    match ip.parse::<std::net::Ipv6Addr>() {
        // Parsed, so `2001:db8::5` and `2001:db8:0:0:1::` are the same /64.
        Ok(v6) => v6.segments()[..4].iter().map(|s| format!("{s:x}")).collect::<Vec<_>>().join(":"),
        Err(_) => ip,
    }
}

/// Sign-in attempts count per client address.
async fn limit_sign_in(env: &Env, req: &Request, app: &App<'_>) -> Result<(), AppError> {
    rate_limit(env, format!("signin:{}", client(req)), app).await
}

/// A Mini App's `initData`: the HMAC with the bot token, fresh, and Telegram's own Ed25519
/// signature too when the client sent one (current clients do). The one check for sign-in,
/// checkout and every call from inside Telegram.
pub async fn verify_init_data(app: &App<'_>, raw: &str) -> Result<webapp::WebAppUser, AppError> {
    let token = app.config.telegram.bot_token.expose();
    let signed =
        webapp::verify(raw, token, app.clock.now().timestamp()).map_err(|_| AppError::Unauthorized)?;
    let bot_id: i64 = token.split(':').next().and_then(|id| id.parse().ok()).unwrap_or_default();
    if let Some((message, signature)) =
        webapp::third_party(raw, bot_id).map_err(|_| AppError::Unauthorized)?
    {
        if !ed25519_verify(&app.config.webapp_public_key, message.as_bytes(), &signature).await {
            return Err(AppError::Unauthorized);
        }
    }
    Ok(signed)
}

pub async fn telegram(mut req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    super::check_origin(&req, &app.config)?;
    limit_sign_in(env, &req, &app).await?;
    let fields: Map<String, Value> = json_body(&mut req).await?;
    let now = app.clock.now().timestamp();
    let signed = login::verify(&fields, app.config.telegram.bot_token.expose(), now)
        .map_err(|_| AppError::Unauthorized)?;
    let id = TelegramUserId::parse(signed.id).map_err(|_| AppError::Unauthorized)?;
    // The shop's customer record (referral code, locale) is made when they start the bot.
    let Some(user) = app.store.find_user(id).await.map_err(|e| unavailable("user", &e))? else {
        return Err(AppError::Refused { status: 404, reason: "open the bot first" });
    };
    start(&app, user.id, signed.id, Via::Widget, now).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebAppBody {
    init_data: String,
}

pub async fn webapp(mut req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    super::check_origin(&req, &app.config)?;
    limit_sign_in(env, &req, &app).await?;
    let body: WebAppBody = json_body(&mut req).await?;
    let now = app.clock.now().timestamp();
    let signed = verify_init_data(&app, &body.init_data).await?;
    // The Mini App may be a customer's first contact: make the record as `/start` would.
    let profile = TelegramProfile {
        telegram_id: TelegramUserId::parse(signed.id).map_err(|_| AppError::Unauthorized)?,
        username: signed.username.clone(),
        first_name: signed.first_name.clone(),
        last_name: signed.last_name.clone(),
        language_code: signed.language_code.clone(),
    };
    let upsert = app
        .store
        .upsert_user(&profile, &|| RandomIds.referral_code(), now)
        .await
        .map_err(|e| unavailable("user", &e))?;
    start(&app, upsert.user.id, signed.id, Via::WebApp, now).await
}

/// A new sign-in: its family, a refresh token, an access token, both cookies.
async fn start(
    app: &App<'_>,
    user_id: i64,
    telegram_id: i64,
    via: Via,
    now: i64,
) -> Result<Response, AppError> {
    let family = token_text(&secret_bytes::<16>().map_err(random_failed)?);
    let refresh = token_text(&secret_bytes::<32>().map_err(random_failed)?);
    app.store
        .start_session(&family, user_id, via, &session::token_hash(&refresh), now)
        .await
        .map_err(|e| unavailable("session", &e))?;
    app.scope.info("signin", json!({ "via": via.code(), "outcome": "signed_in" }));
    issue(app, user_id, telegram_id, family, &refresh, now)
}

/// The response carrying a fresh access token for `family` and the refresh token.
fn issue(
    app: &App<'_>,
    user_id: i64,
    telegram_id: i64,
    family: String,
    refresh: &str,
    now: i64,
) -> Result<Response, AppError> {
    let secret = app.config.jwt_secret.as_ref().ok_or(AppError::NotConfigured)?;
    let jti = token_text(&secret_bytes::<16>().map_err(random_failed)?);
    let claims = SessionClaims { sub: telegram_id.to_string(), uid: user_id, fam: family, jti };
    let access = session::issue(secret.expose().as_bytes(), claims, now)
        .map_err(|e| AppError::Unavailable { context: "session", message: e.to_string() })?;
    Ok(json_with(
        &json!({ "ok": true }),
        &[
            ("Set-Cookie", session::cookie(ACCESS_COOKIE, &access, "/api", ACCESS_TTL, "Lax")),
            ("Set-Cookie", session::cookie(REFRESH_COOKIE, refresh, REFRESH_PATH, REFRESH_TTL, "Strict")),
        ],
    ))
}

/// Not rate limited: it takes a 256-bit token, and customers behind one carrier NAT would
/// otherwise share a limit on staying signed in.
pub async fn refresh(req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    super::check_origin(&req, &app.config)?;
    let cookies = req.headers().get("Cookie").ok().flatten().unwrap_or_default();
    let old = session::read_cookie(&cookies, REFRESH_COOKIE).ok_or(AppError::Unauthorized)?;
    let new = token_text(&secret_bytes::<32>().map_err(random_failed)?);
    let now = app.clock.now().timestamp();
    let rotation = app
        .store
        .rotate_refresh(&session::token_hash(old), &session::token_hash(&new), now)
        .await
        .map_err(|e| unavailable("session", &e))?;
    match rotation {
        Rotation::Rotated { family, user_id, telegram_id } => {
            issue(&app, user_id, telegram_id, family, &new, now)
        }
        Rotation::Reused { .. } => {
            // A spent token again, past the grace seconds: someone holds a copy. The store
            // ended the whole sign-in, its access tokens included (checked in D1 per request).
            app.scope.warn("signin.refresh_reused", json!({ "outcome": "family_revoked" }));
            Err(AppError::Unauthorized)
        }
        Rotation::Invalid => Err(AppError::Unauthorized),
    }
}

pub async fn logout(req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    super::check_origin(&req, &app.config)?;
    let cookies = req.headers().get("Cookie").ok().flatten().unwrap_or_default();
    let secret = app.config.jwt_secret.as_ref().ok_or(AppError::NotConfigured)?;
    // Expired or not, a token we signed names the sign-in to end; after an idle hour the
    // browser has dropped it, and the refresh token (sent to /api/auth) names it instead.
    let now = app.clock.now().timestamp();
    let signed = session::read_cookie(&cookies, ACCESS_COOKIE)
        .and_then(|token| session::decode(secret.expose().as_bytes(), token).ok());
    if let Some(session) = signed {
        let ttl = (session.expires_at - now).max(60) as u64;
        app.cache.put(&deny_key(&session.jti), "logout", ttl).await;
        app.store.revoke_family(&session.family, now).await.map_err(|e| unavailable("session", &e))?;
    }
    if let Some(refresh) = session::read_cookie(&cookies, REFRESH_COOKIE) {
        let hash = session::token_hash(refresh);
        app.store.revoke_by_refresh(&hash, now).await.map_err(|e| unavailable("session", &e))?;
    }
    Ok(json_with(
        &json!({ "ok": true }),
        &[
            ("Set-Cookie", session::cookie(ACCESS_COOKIE, "", "/api", 0, "Lax")),
            ("Set-Cookie", session::cookie(REFRESH_COOKIE, "", REFRESH_PATH, 0, "Strict")),
        ],
    ))
}

fn random_failed(e: getrandom::Error) -> AppError {
    AppError::Unavailable { context: "random", message: e.to_string() }
}

/// Ed25519 verification by the runtime's WebCrypto (`crypto.subtle`), so the bundle carries
/// no curve arithmetic. Any failure (no support, a bad key) is "not verified".
async fn ed25519_verify(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    async fn run(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> Result<bool, JsValue> {
        let subtle =
            Reflect::get(&Reflect::get(&worker::js_sys::global(), &"crypto".into())?, &"subtle".into())?;
        let algorithm = Object::new();
        Reflect::set(&algorithm, &"name".into(), &"Ed25519".into())?;
        let usages = Array::of1(&"verify".into());
        let import: Function = Reflect::get(&subtle, &"importKey".into())?.dyn_into()?;
        let args = Array::of5(
            &"raw".into(),
            &Uint8Array::from(&public_key[..]),
            &algorithm,
            &JsValue::FALSE,
            &usages,
        );
        let key = worker::wasm_bindgen_futures::JsFuture::from(
            import.apply(&subtle, &args)?.dyn_into::<Promise>()?,
        )
        .await?;
        let verify: Function = Reflect::get(&subtle, &"verify".into())?.dyn_into()?;
        let args =
            Array::of4(&algorithm, &key, &Uint8Array::from(&signature[..]), &Uint8Array::from(message));
        let ok = worker::wasm_bindgen_futures::JsFuture::from(
            verify.apply(&subtle, &args)?.dyn_into::<Promise>()?,
        )
        .await?;
        Ok(ok.as_bool() == Some(true))
    }
    run(public_key, message, signature).await.unwrap_or(false)
}
