//! Telegram: the Bot API types the shop reads and writes, and a small Bot API client.
//!
//! The types are a hand-written subset: a full type crate costs ~500 KB gzipped of wasm
//! (toolchain.md), while a shop reads a dozen fields. Unknown fields are ignored, so new Bot API
//! versions do not break parsing.

mod api;
mod types;

pub mod webapp;

pub use api::{BotApi, BotCommand, StarsInvoice, TelegramError, WebhookReply, STARS_SUBSCRIPTION_PERIOD};
pub use types::*;
