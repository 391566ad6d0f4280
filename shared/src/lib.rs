//! Wavegate's pure core.
//!
//! Everything here is plain Rust with no `worker` dependency, so it is unit-tested natively
//! (`cargo test -p wavegate-shared`) and compiled unchanged into the Worker's wasm32 bundle.
//! I/O is behind small traits ([`http::HttpClient`], [`http::Sleeper`], [`clock::Clock`]) that
//! the Worker implements on `fetch`, `Delay` and `Date.now()`; tests implement them in memory.
//!
//! Layout:
//! - [`config`]: the typed configuration, parsed once from the Worker's vars and secrets.
//! - [`domain`]: newtypes that validate at the boundary (Telegram ids, referral codes, locales).
//! - [`i18n`]: Fluent catalogs for en, ru, hi, id; every text the bot sends comes from here.
//! - [`telegram`]: the subset of Bot API types the shop uses, and a Bot API client.
//! - [`remnawave`]: a client for the Remnawave panel API 3.x.
//! - [`node_health`]: which nodes went down or came back since the last check.
//! - [`money`]: amounts in integer minor units with their currency.
//! - [`providers`]: Razorpay, Xendit and Crypto Pay: webhooks verified and parsed, checkout
//!   objects created, refunds.
//! - [`subscription`]: the order state machine and expiry formatting.
//! - [`qr`]: the subscription link as a QR code PNG.
//! - [`db`]: the database trait the shop's SQL runs on (D1 in the Worker, SQLite in tests).
//! - [`shop`]: catalog, orders, the one payment pipeline, fulfilment, and their storage in SQL.
//! - [`http`], [`clock`]: the I/O traits the Worker implements.
//! - [`sentry`]: error reports (5xx, dead letters) and Sentry's envelope format.
//! - [`secure`]: constant-time comparisons for secrets.
//! - [`web`]: the cabinet's sign-in (Login Widget) and sessions (JWTs, refresh tokens).

pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod i18n;
pub mod money;
pub mod node_health;
pub mod providers;
pub mod qr;
pub mod remnawave;
pub mod secure;
pub mod sentry;
pub mod shop;
pub mod subscription;
pub mod telegram;
pub mod web;

/// The version reported by `/healthz` and in logs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
