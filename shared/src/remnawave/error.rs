//! Panel errors: the expected ones by name, the rest with status and panel error code.

/// Everything that can go wrong talking to the panel. Messages never include the API token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PanelError {
    /// 400 `A019`: the username exists. Callers look the user up and reuse it.
    #[error("panel: username already exists (A019)")]
    UsernameTaken,
    /// The panel's own "no such user" (`A025`, `A063`); any other 404 is `Unexpected`.
    #[error("panel: not found ({0})")]
    NotFound(String),
    /// 401: the API token is wrong or revoked.
    #[error("panel: unauthorized (check REMNAWAVE_TOKEN)")]
    Unauthorized,
    /// 403: the token lacks a scope for this call.
    #[error("panel: forbidden (the API token lacks a scope for {0})")]
    Forbidden(String),
    /// 400 validation or business error other than A019: our request was wrong; do not retry.
    #[error("panel rejected the request ({code}): {message}")]
    Rejected { code: String, message: String },
    /// 429, 5xx or no response at all, still failing after the bounded retries.
    #[error("panel unavailable: {0}")]
    Unavailable(String),
    /// Another status, or a body that does not parse as the contract says.
    #[error("panel: unexpected response: {0}")]
    Unexpected(String),
    #[error("panel version {0} is not supported (Wavegate needs Remnawave 3.0.0 or newer)")]
    UnsupportedVersion(String),
}

impl PanelError {
    /// Worth trying again later (a queue retry), as opposed to a request that will never work.
    pub fn is_retryable(&self) -> bool {
        matches!(self, PanelError::Unavailable(_) | PanelError::UsernameTaken)
    }
}
