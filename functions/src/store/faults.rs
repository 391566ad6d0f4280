//! Injected D1 failures, for the fault tests only: this module exists only in the build with
//! the `faults` feature (`build-faults/`, made by `scripts/test`), never in what ships —
//! `scripts/test` checks the production bundle does not contain its header name.
//!
//! A request with `X-Wavegate-Fault: d1=<k>` sees its k-th D1 call fail before it reaches the
//! database; `d1-after=<k>` runs the k-th call and then fails it (the write committed, the
//! answer was lost: the nastiest case for idempotency). The plan is per isolate and the tests
//! send one request at a time.

use std::cell::Cell;

use wavegate_shared::db::DbError;

pub const HEADER: &str = "X-Wavegate-Fault";

thread_local! {
    /// (the call to fail, after it ran?, calls seen).
    static PLAN: Cell<(u32, bool, u32)> = const { Cell::new((0, false, 0)) };
}

/// Arms the plan from the request's header (or clears it).
pub fn arm(header: Option<&str>) {
    let plan = header
        .and_then(|h| {
            let (mode, k) = h.split_once('=')?;
            let k = k.trim().parse::<u32>().ok()?;
            match mode.trim() {
                "d1" => Some((k, false, 0)),
                "d1-after" => Some((k, true, 0)),
                _ => None,
            }
        })
        .unwrap_or((0, false, 0));
    PLAN.with(|p| p.set(plan));
}

/// Counts a D1 call; the error is injected when it is the planned one. Returns whether to fail
/// before the call (`Err`) or after it (`Ok(true)`).
pub fn next() -> Result<bool, DbError> {
    PLAN.with(|p| {
        let (at, after, seen) = p.get();
        let seen = seen + 1;
        p.set((at, after, seen));
        match (at == seen, after) {
            (true, false) => Err(injected()),
            (true, true) => Ok(true),
            _ => Ok(false),
        }
    })
}

pub fn injected() -> DbError {
    DbError::Unavailable("injected fault: D1 unavailable".to_string())
}
