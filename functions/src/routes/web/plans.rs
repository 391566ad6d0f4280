//! `GET /api/plans` (public): the plans on sale with every price, formatted as the bot formats
//! it, and the channels offered for each. The site's pricing reads it (the plans are data an
//! admin edits); browsers and the edge may keep it a minute.

use serde_json::{json, Value};
use wavegate_shared::shop::catalog::offered;
use wavegate_shared::shop::store::ShopStore;
use worker::Response;

use super::unavailable;
use crate::app::App;
use crate::error::{json_response, AppError};

pub async fn plans(app: &App<'_>) -> Result<Response, AppError> {
    let plans = app.store.active_plans().await.map_err(|e| unavailable("plans", &e))?;
    let plans: Vec<Value> = plans
        .iter()
        .map(|plan| {
            let prices: Vec<Value> = plan
                .prices
                .iter()
                .map(|p| json!({ "currency": p.currency().code(), "amount": p.minor(), "display": p.to_string() }))
                .collect();
            let methods: Vec<&str> = offered(&app.config, plan).iter().map(|m| m.code()).collect();
            json!({ "slug": plan.slug.as_str(), "name": plan.name, "days": plan.days,
                    "trafficBytes": plan.traffic_limit_bytes, "devices": plan.device_limit,
                    "prices": prices, "methods": methods })
        })
        .collect();
    let mut response =
        json_response(200, &json!({ "bot": app.config.telegram.bot_username, "plans": plans }));
    let _ = response.headers_mut().set("Cache-Control", "public, max-age=60");
    Ok(response)
}
