//! The web cabinet's sign-in and sessions, without I/O: the Telegram Login Widget check
//! ([`login`]), and the session tokens and cookies ([`session`]). The Mini App's `initData`
//! check is [`crate::telegram::webapp`].

pub mod login;
pub mod session;
