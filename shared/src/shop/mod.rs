//! The shop: everything that sells, takes money and gives days, channel-neutral and
//! worker-free. Channels (the Telegram bot, the provider webhooks, the web cabinet) parse their
//! input and call in here; the Worker supplies storage ([`crate::db::Db`]) and the ports.
//!
//! - [`catalog`]: plans, prices, providers, and which ways to pay are offered.
//! - [`order`]: the order's id, views, and the checkout and matching rules.
//! - [`payment`]: [`payment::accept`], the one entry point for money, and the refund rule.
//! - [`checkout`]: opening a provider checkout (bot and API share it).
//! - [`channel`]: provider webhooks (Razorpay, Xendit, Crypto Pay) into [`payment::accept`].
//! - [`fulfil`]: exactly-once provisioning and taking back, under a per-user lease.
//! - [`stars`]: the Stars invoice payload, renewal states, and the daily ledger reconciliation.
//! - [`promo`]: promo codes: days through the pipeline, discounts every amount check honours.
//! - [`referral`]: referral standing (`/mypoints`, the leaderboard) and the milestones.
//! - [`stats`]: the shop at a glance for the admins' `/stats`.
//! - [`reminders`]: reminders before expiry and the expiry notice, once per period.
//! - [`sync`]: the hourly usage and expiry sync from the panel, a page per queue job.
//! - [`admin`]: admins' refunds and actions on a customer, each audit-logged.
//! - [`console`]: the web console's plan edits and its retried-write journal (the reports are
//!   in [`sql::reports`]).
//! - [`broadcast`]: an admin's message to many customers, paced, each at most once.
//! - [`gift`]: gift subscriptions: a paid order issues a one-time link; the opener gets the days.
//! - [`metrics`]: `GET /metrics` in the Prometheus text format, and the counters it adds.
//! - [`account`]: the "my subscription" view and the trial rule.
//! - [`store`]: the storage traits; [`sql`]: their one implementation, in SQL.
//! - [`ports`]: the queue contract ([`ports::Job`]), cache, ids, and the [`ports::Notifier`].

pub mod account;
pub mod admin;
pub mod broadcast;
pub mod catalog;
pub mod channel;
pub mod checkout;
pub mod console;
pub mod fulfil;
pub mod gift;
pub mod metrics;
pub mod order;
pub mod payment;
pub mod ports;
pub mod promo;
pub mod referral;
pub mod reminders;
pub mod sql;
pub mod stars;
pub mod stats;
pub mod store;
pub mod sync;
