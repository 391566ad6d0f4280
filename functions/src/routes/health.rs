//! `GET /healthz`: is this Worker configured and can it reach D1? No secrets, no third parties
//! (a panel outage must not make the load balancer think the Worker is down).

use serde_json::json;
use wavegate_shared::db::Db;
use wavegate_shared::stmt;
use wavegate_shared::VERSION;
use worker::{Env, Response};

use crate::app;
use crate::error::json_response;
use crate::log::Scope;
use crate::store::D1Db;

pub async fn healthz(env: &Env) -> Response {
    let scope = Scope::new("/healthz");
    let d1 = match env.d1(app::DB) {
        Ok(db) => D1Db::new(db).first(&stmt!("SELECT 1 AS ok")).await.ok().flatten().is_some(),
        Err(_) => false,
    };
    let config = app::config(env, &scope).is_ok();
    let ok = d1 && config;
    let body = json!({ "ok": ok, "version": VERSION, "checks": { "d1": d1, "config": config } });
    json_response(if ok { 200 } else { 503 }, &body)
}
