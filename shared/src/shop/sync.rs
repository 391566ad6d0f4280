//! The usage and expiry sync: every hour a sweep reads every panel user through the panel's
//! bulk stream (`GET /api/users/stream`, [`PAGE_SIZE`] a page) and mirrors expiry, status,
//! traffic and link into D1, so `/status`, reminders and the cabinet use what the panel says
//! even when a webhook was lost. Each page is one queue job that queues the next, so 100,000
//! users spread over 100 small invocations (one panel call, two D1 round trips and one queue
//! send each) instead of one invocation that would blow the free plan's CPU and subrequests.
//!
//! ```text
//! hourly cron: begin_sweep → idle? Job::SyncUsers { sweep 7, cursor 0 }
//! job: read page after 0 → mirror changed rows → CAS cursor 0 → 1000 → Job::SyncUsers { 7, 1000 }
//! … last page: CAS cursor → NULL (finished_at)          a repeated job: CAS fails → nothing
//! chain broken (crash between CAS and send): silent 15 min → the next hourly cron resumes it
//! ```

use super::fulfil::PanelRecord;
use super::ports::{Job, Jobs};
use super::store::StoreError;
use crate::remnawave::UsersPage;

/// Users per page: the stream's maximum is 1000; parsing 500 costs about 2 ms of CPU in the
/// Worker (measured with `scripts/bench`), well inside the 10 ms of the free plan.
pub const PAGE_SIZE: u32 = 500;
/// A sweep with no progress for this long is resumed by the next hourly cron.
pub const STALL_SECONDS: i64 = 15 * 60;

/// Where a sweep stands: which sweep, and the stream cursor of its next page (0 = first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub sweep: i64,
    pub cursor: i64,
}

impl Page {
    /// The cursor to send to the panel (`None` for the first page).
    pub fn panel_cursor(&self) -> Option<i64> {
        (self.cursor > 0).then_some(self.cursor)
    }
}

#[allow(async_fn_in_trait)]
pub trait SyncStore {
    /// Starts a sweep when none runs, or resumes one silent since `stalled_before`; `None`
    /// while a sweep is making progress.
    async fn begin_sweep(&self, now: i64, stalled_before: i64) -> Result<Option<Page>, StoreError>;
    /// Mirrors the customers among `users` (panel users nobody bought are skipped), as seen
    /// at `seen_at`; returns how many rows changed.
    async fn mirror_page(&self, users: &[PanelRecord], seen_at: i64) -> Result<u64, StoreError>;
    /// Moves the cursor from `from` to `next` (`None`: the sweep is finished) if it still
    /// stands at `from`; `false` if another job moved it (this one is a repeat).
    async fn advance_sweep(
        &self,
        from: &Page,
        next: Option<i64>,
        mirrored: u64,
        now: i64,
    ) -> Result<bool, StoreError>;
}

/// The hourly cron's part: queue the first page of a new sweep, or resume a stalled one.
pub async fn start<S: SyncStore, J: Jobs>(store: &S, jobs: &J, now: i64) -> Result<Option<Page>, StoreError> {
    let Some(page) = store.begin_sweep(now, now - STALL_SECONDS).await? else { return Ok(None) };
    jobs.enqueue(&Job::SyncUsers { sweep: page.sweep, cursor: page.cursor }).await?;
    Ok(Some(page))
}

/// What one page came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Mirrored this many rows and queued the next page.
    More { mirrored: u64 },
    /// The last page: the sweep is finished.
    Finished { mirrored: u64 },
    /// Another job already took this page (a repeated delivery, or a resumed sweep).
    Superseded,
}

/// One page's job: mirror what `fetched` says, as of `now` (taken before the panel was read, so
/// anything newer — an event, a provisioning — wins), move the cursor, queue the next page.
pub async fn step<S: SyncStore, J: Jobs>(
    store: &S,
    jobs: &J,
    page: &Page,
    fetched: &UsersPage,
    now: i64,
) -> Result<Step, StoreError> {
    let records: Vec<PanelRecord> = fetched.users.iter().map(PanelRecord::from).collect();
    let mirrored = store.mirror_page(&records, now).await?;
    if !store.advance_sweep(page, fetched.next_cursor, mirrored, now).await? {
        return Ok(Step::Superseded);
    }
    match fetched.next_cursor {
        // If this send fails the cursor has moved but no job carries it: the sweep stalls and
        // the next hourly cron resumes it from here.
        Some(cursor) => {
            jobs.enqueue(&Job::SyncUsers { sweep: page.sweep, cursor }).await?;
            Ok(Step::More { mirrored })
        }
        None => Ok(Step::Finished { mirrored }),
    }
}
