//! The Fluent catalogs, read from the Worker's static assets (`/locales/<code>.ftl`, published
//! by the site build from `shared/locales/`) once per isolate: the bundle does not carry them
//! (see `wavegate_shared::i18n`). An asset read is a call into the same deployment, not a
//! subrequest to the internet; it happens on an isolate's first event only.

use wavegate_shared::i18n::{self, Locale};
use worker::Env;

use crate::log::Scope;

/// The assets binding of wrangler.toml.
pub const ASSETS: &str = "ASSETS";

/// Installs any catalog this isolate does not have yet. A failure is logged and retried on the
/// next event; texts fall back to English, then to their keys, meanwhile.
pub async fn ensure(env: &Env) {
    if i18n::ready() {
        return;
    }
    let scope = Scope::new("catalogs");
    let assets = match env.assets(ASSETS) {
        Ok(assets) => assets,
        Err(e) => return scope.error("catalogs.unavailable", serde_json::json!({ "error": e.to_string() })),
    };
    for locale in Locale::ALL {
        let url = format!("https://assets.local/locales/{}.ftl", locale.code());
        // A plain GET `Request` (not `Fetcher::fetch`, whose `RequestInit` conversion carries
        // code for Cloudflare's `cf` options).
        let request = match worker::web_sys::Request::new_with_str(&url) {
            Ok(request) => worker::Request::from(request),
            Err(e) => {
                return scope.error("catalogs.unavailable", serde_json::json!({ "error": format!("{e:?}") }))
            }
        };
        let text = match assets.fetch_request(request).await {
            Ok(mut response) if response.status_code() == 200 => response.text().await,
            Ok(response) => Err(worker::Error::RustError(format!("status {}", response.status_code()))),
            Err(e) => Err(e),
        };
        match text {
            Ok(text) => i18n::install(locale, text),
            Err(e) => scope.error(
                "catalogs.unavailable",
                serde_json::json!({ "locale": locale.code(), "error": e.to_string() }),
            ),
        }
    }
}
