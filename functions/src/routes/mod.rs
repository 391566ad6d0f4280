//! HTTP routing. Static assets are matched by the runtime first; everything else lands here.

mod health;
mod payments;
mod remnawave;
mod telegram;
pub(crate) mod web;

use wavegate_shared::shop::catalog::Provider;
use worker::{Env, Headers, Method, Request, Response};

use crate::app::{self, App};
use crate::error::{secure, AppError};
use crate::log::Scope;
use crate::telemetry;

/// Bodies larger than this are refused with 413 before parsing. Telegram updates and provider
/// webhooks are a few KB; this leaves room for long messages and still bounds CPU and memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    // One request id for every log line of this request, the error line included.
    let scope = Scope::new(path.as_str());
    #[cfg(feature = "faults")]
    crate::store::faults::arm(req.headers().get(crate::store::faults::HEADER).ok().flatten().as_deref());
    let result = match (req.method(), path.as_str()) {
        (Method::Post, "/telegram/webhook") => telegram::webhook(req, env, &scope).await,
        (_, "/telegram/webhook") => Err(AppError::MethodNotAllowed),
        (_, api) if api.starts_with("/api/") => return api_route(req, env, &scope).await,
        (Method::Post, "/webhooks/razorpay") => payments::webhook(Provider::Razorpay, req, env, &scope).await,
        (Method::Post, "/webhooks/xendit") => payments::webhook(Provider::Xendit, req, env, &scope).await,
        (Method::Post, "/webhooks/cryptopay") => {
            payments::webhook(Provider::CryptoPay, req, env, &scope).await
        }
        (Method::Post, "/webhooks/remnawave") => remnawave::webhook(req, env, &scope).await,
        (_, "/webhooks/razorpay" | "/webhooks/xendit" | "/webhooks/cryptopay" | "/webhooks/remnawave") => {
            Err(AppError::MethodNotAllowed)
        }
        (Method::Get | Method::Head, "/healthz") => Ok(health::healthz(env).await),
        (_, "/healthz") => Err(AppError::MethodNotAllowed),
        // Prometheus: served by the operator's Worker, which checks the bearer token.
        (Method::Get, "/metrics") => forward_admin(req, env).await,
        (_, "/metrics") => Err(AppError::MethodNotAllowed),
        _ => Err(AppError::NotFound),
    };
    #[cfg(feature = "faults")]
    crate::store::faults::arm(None);
    telemetry::observe(env, &scope, &path, &result).await;
    match result {
        Ok(response) => secure(response),
        Err(error) => error.into_response(&scope),
    }
}

/// `/api/...`: the web cabinet's API (docs/API.md), with CORS for `PUBLIC_BASE_URL` only.
async fn api_route(req: Request, env: &Env, scope: &Scope) -> Response {
    let origin = req.headers().get("Origin").ok().flatten();
    let config = app::config(env, scope).ok();
    let result = if req.method() == Method::Options {
        Ok(web::preflight(origin.as_deref(), config.as_deref()))
    } else {
        api(req, env, scope).await
    };
    telemetry::observe(env, scope, "/api/", &result).await;
    let response = match result {
        Ok(response) => secure(response),
        Err(error) => error.into_response(scope),
    };
    web::with_cors(response, origin.as_deref(), config.as_deref())
}

async fn api(req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let (method, path) = (req.method(), req.path());
    // Sign-in and checkout wire themselves (sign-in is rate limited before any work).
    match (&method, path.as_str()) {
        (Method::Post, "/api/auth/telegram") => return web::auth::telegram(req, env, scope).await,
        (Method::Post, "/api/auth/webapp") => return web::auth::webapp(req, env, scope).await,
        (Method::Post, "/api/auth/refresh") => return web::auth::refresh(req, env, scope).await,
        (Method::Post, "/api/auth/logout") => return web::auth::logout(req, env, scope).await,
        (Method::Post, "/api/checkout") => return web::checkout::checkout(req, env, scope).await,
        (
            _,
            "/api/auth/telegram" | "/api/auth/webapp" | "/api/auth/refresh" | "/api/auth/logout"
            | "/api/checkout",
        ) => return Err(AppError::MethodNotAllowed),
        // The console's API is the operator's Worker (functions/src/admin), behind the `ADMIN`
        // service binding: it checks the session and the admin list itself.
        (_, admin) if admin.starts_with("/api/admin/") => return forward_admin(req, env).await,
        _ => {}
    }
    let app = App::new(env, scope.clone())?;
    web::check_origin(&req, &app.config)?;
    let result = cabinet(req, env, &app, method, &path).await;
    // One line per cabinet request with its costs (the cost model in docs/OPERATIONS.md).
    let status = result.as_ref().map_or_else(AppError::status, Response::status_code);
    app.scope.info("api.done", app.with_costs(serde_json::json!({ "status": status, "outcome": "done" })));
    result
}

async fn cabinet(
    req: Request,
    env: &Env,
    app: &App<'_>,
    method: Method,
    path: &str,
) -> Result<Response, AppError> {
    match (method, path) {
        (Method::Get | Method::Head, "/api/plans") => {
            let key = format!("plans:{}", web::auth::client(&req));
            web::auth::limit(env, web::auth::PUBLIC_RATE_LIMITER, key, app).await?;
            web::plans::plans(app).await
        }
        (Method::Get, "/api/me") => web::account::me(&req, app).await,
        (Method::Put, "/api/me/locale") => web::account::set_locale(req, app).await,
        (Method::Get, "/api/me/devices") => web::account::devices(&req, app).await,
        (Method::Post, "/api/me/devices/delete") => web::account::delete_device(req, app).await,
        (Method::Post, "/api/me/devices/reset") => web::account::reset_devices(&req, app).await,
        (Method::Post, "/api/me/link/revoke") => web::account::revoke_link(&req, app).await,
        (Method::Get, "/api/me/qr.svg") => web::account::qr_svg(&req, app).await,
        (Method::Get, "/api/qr.svg") => web::account::qr_of(&req, app).await,
        (Method::Get, "/api/referrals") => web::account::referrals(&req, app).await,
        (Method::Post, "/api/promo") => web::account::redeem_promo(req, env, app).await,
        (
            _,
            "/api/plans"
            | "/api/me"
            | "/api/me/locale"
            | "/api/me/devices"
            | "/api/me/devices/delete"
            | "/api/me/devices/reset"
            | "/api/me/link/revoke"
            | "/api/me/qr.svg"
            | "/api/qr.svg"
            | "/api/referrals"
            | "/api/promo",
        ) => Err(AppError::MethodNotAllowed),
        _ => Err(AppError::NotFound),
    }
}

/// Hands `/api/admin/...` to the operator's Worker. Without the binding (a deployment without
/// the console) nobody is let in: 401, as for any caller who is not an admin.
async fn forward_admin(req: Request, env: &Env) -> Result<Response, AppError> {
    let admin = env.service(app::ADMIN).map_err(|_| AppError::Unauthorized)?;
    let mut answer = admin.fetch_request(req).await?;
    // A fetched response's headers are immutable: copy it into one ours, so the security
    // headers and CORS are added here even when the admin Worker failed without them.
    let headers = Headers::new();
    for (name, value) in answer.headers().entries() {
        let _ = headers.set(&name, &value);
    }
    let body = answer.bytes().await?;
    Ok(Response::builder().with_status(answer.status_code()).with_headers(headers).fixed(body))
}

/// Reads the body, refusing oversized ones early (by `Content-Length`) and late (by bytes read).
pub async fn read_body(req: &mut Request) -> Result<Vec<u8>, AppError> {
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge);
    }
    let body = req.bytes().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    Ok(body)
}
