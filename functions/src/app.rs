//! Per-invocation wiring: configuration from the Worker env and the bindings.

use wavegate_shared::config::{Config, ConfigError};
use worker::Env;

use crate::log;

/// Binding names of wrangler.toml.
pub const DB: &str = "DB";
pub const KV: &str = "KV";
pub const JOBS: &str = "JOBS";

/// Reads every configuration key from the Worker's secrets and vars (secrets first; locally
/// both come from `.dev.vars`). A broken configuration is logged with every problem, by key.
pub fn config(env: &Env) -> Result<Config, ConfigError> {
    let lookup = |key: &str| {
        env.secret(key).map(|s| s.to_string()).or_else(|_| env.var(key).map(|v| v.to_string())).ok()
    };
    let config = Config::from_lookup(lookup);
    match &config {
        Ok(config) => {
            for warning in &config.warnings {
                log::warn("config.warning", serde_json::json!({ "message": warning }));
            }
        }
        Err(e) => log::error("config.invalid", serde_json::json!({ "problems": e.problems })),
    }
    config
}
