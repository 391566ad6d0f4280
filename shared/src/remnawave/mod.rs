//! The Remnawave panel API 3.x: wire types, errors, the [`Panel`] trait and its HTTP client.
//!
//! Panel 3.0 identifies users by a numeric `id` (2.x used a uuid); the client refuses older
//! panels through [`check_version`]. Every field name here is the panel's own
//! (`remnawave-api.md`, contract 3.4.15).

mod client;
mod error;
mod types;

pub mod webhook;

pub use client::{RemnawaveClient, RetryPolicy};
pub use error::PanelError;
pub use types::*;

/// The calls Wavegate makes to the panel. Implemented by [`RemnawaveClient`] over HTTP and by
/// in-memory fakes in tests of the code that provisions users.
#[allow(async_fn_in_trait)]
pub trait Panel {
    async fn metadata(&self) -> Result<PanelMetadata, PanelError>;
    async fn internal_squads(&self) -> Result<Vec<InternalSquad>, PanelError>;
    /// Creates a user. A taken username is [`PanelError::UsernameTaken`]; see
    /// [`create_or_reuse_user`] for the retry-safe form.
    async fn create_user(&self, user: &CreateUser) -> Result<PanelUser, PanelError>;
    async fn get_user(&self, id: PanelUserId) -> Result<Option<PanelUser>, PanelError>;
    async fn get_user_by_username(&self, username: &str) -> Result<Option<PanelUser>, PanelError>;
    async fn users_by_telegram_id(&self, telegram_id: i64) -> Result<Vec<PanelUser>, PanelError>;
    async fn update_user(&self, update: &UpdateUser) -> Result<PanelUser, PanelError>;
    /// Adds days with the panel's own semantics (an EXPIRED user restarts from now).
    /// Not idempotent: never retried after the panel may have applied it.
    async fn extend_user(&self, id: PanelUserId, days: u32) -> Result<PanelUser, PanelError>;
    /// Enables a user; enabling an already active user is not an error.
    async fn enable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError>;
    /// Disables a user; disabling an already disabled user is not an error.
    async fn disable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError>;
    /// Issues a new subscription link; the old one stops working.
    async fn revoke_subscription(&self, id: PanelUserId) -> Result<PanelUser, PanelError>;
    async fn reset_traffic(&self, id: PanelUserId) -> Result<PanelUser, PanelError>;
    /// Forgets every device (HWID) of the user, so new devices can connect.
    async fn delete_all_devices(&self, id: PanelUserId) -> Result<(), PanelError>;
    async fn delete_user(&self, id: PanelUserId) -> Result<(), PanelError>;
    async fn nodes(&self) -> Result<Vec<Node>, PanelError>;
    async fn system_stats(&self) -> Result<SystemStats, PanelError>;
}

/// Creates the user, or, when the username is already taken (a retry after a create whose
/// response was lost, or a user made by hand), returns the existing one. Provisioning uses
/// this so that creating is safe to repeat.
pub async fn create_or_reuse_user<P: Panel>(
    panel: &P,
    user: &CreateUser,
) -> Result<(PanelUser, Created), PanelError> {
    match panel.create_user(user).await {
        Ok(created) => Ok((created, Created::New)),
        Err(PanelError::UsernameTaken) => match panel.get_user_by_username(&user.username).await? {
            Some(existing) => Ok((existing, Created::Reused)),
            // Taken a moment ago and gone now (deleted in between): report, the caller retries.
            None => Err(PanelError::UsernameTaken),
        },
        Err(other) => Err(other),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New,
    Reused,
}

/// Refuses panels older than 3.0.0: their user routes are uuid-based and incompatible.
pub fn check_version(metadata: &PanelMetadata) -> Result<(), PanelError> {
    let major =
        metadata.version.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(major) if major >= 3 => Ok(()),
        _ => Err(PanelError::UnsupportedVersion(metadata.version.clone())),
    }
}
