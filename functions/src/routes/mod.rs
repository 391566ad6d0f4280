//! HTTP routing. Static assets are matched by the runtime first; everything else lands here.

mod api;
mod health;
mod payments;
mod remnawave;
mod telegram;

use wavegate_shared::shop::catalog::Provider;
use worker::{Env, Method, Request, Response};

use crate::error::{secure, AppError};
use crate::log::Scope;

/// Bodies larger than this are refused with 413 before parsing. Telegram updates and provider
/// webhooks are a few KB; this leaves room for long messages and still bounds CPU and memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    // One request id for every log line of this request, the error line included.
    let scope = Scope::new(path.as_str());
    let result = match (req.method(), path.as_str()) {
        (Method::Post, "/telegram/webhook") => telegram::webhook(req, env, &scope).await,
        (_, "/telegram/webhook") => Err(AppError::MethodNotAllowed),
        (Method::Post, "/api/checkout") => api::checkout(req, env, &scope).await,
        (_, "/api/checkout") => Err(AppError::MethodNotAllowed),
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
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(response) => secure(response),
        Err(error) => error.into_response(&scope),
    }
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
