//! Time as an injected dependency: core code never reads the wall clock itself, so tests can
//! pin "now" and the expiry arithmetic stays deterministic.

use chrono::{DateTime, Utc};

/// A source of the current time.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// A clock stopped at one instant (tests, and one request's consistent view of "now").
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
