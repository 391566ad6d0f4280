//! The shop's ports on Workers bindings: the job queue, the KV cache, and random identifiers.

use wavegate_shared::domain::ReferralCode;
use wavegate_shared::shop::ports::{Cache, Ids, Job, Jobs};
use wavegate_shared::shop::store::StoreError;
use worker::kv::KvStore;
use worker::{Env, MessageBuilder};

use crate::app;
use crate::http::random_bytes;

/// Cloudflare Queues refuse a delay over 12 hours (and workers-rs would fail the call).
pub const MAX_QUEUE_DELAY_SECONDS: u32 = 43_200;

/// A delay the queue accepts.
pub fn clamp_delay(seconds: u32) -> u32 {
    seconds.min(MAX_QUEUE_DELAY_SECONDS)
}

/// Jobs go to one of three queues: money and alerts to `JOBS` (as many consumers as the runtime
/// likes: a paid customer's link never waits behind a reminder run), customer notices and
/// sync pages to `NOTICES` (one paced consumer: Telegram's limit, see `jobs::PACE_MS`), and
/// broadcast batches to `BROADCASTS` (one consumer that delivers without a batching wait: each
/// job is a second of paced sends that queues the next).
pub struct QueueJobs<'a> {
    pub env: &'a Env,
}

/// The binding a job is sent to.
pub fn queue_of(job: &Job) -> &'static str {
    match job {
        Job::Provision { .. } | Job::TakeBack { .. } | Job::AdminAlert { .. } => app::JOBS,
        Job::Remind { .. } | Job::Notify { .. } | Job::SyncUsers { .. } => app::NOTICES,
        Job::Broadcast { .. } => app::BROADCASTS,
    }
}

impl QueueJobs<'_> {
    fn queue(&self, job: &Job) -> Result<worker::Queue, StoreError> {
        self.env.queue(queue_of(job)).map_err(|e| StoreError::Unavailable(format!("queue binding: {e}")))
    }

    /// Sends a job to run after `delay_seconds` (clamped to what the queue accepts).
    pub async fn enqueue_later(&self, job: &Job, delay_seconds: u32) -> Result<(), StoreError> {
        let queue = self.queue(job)?;
        let message = MessageBuilder::new(job).delay_seconds(clamp_delay(delay_seconds)).build();
        queue.send(message).await.map_err(|e| StoreError::Unavailable(format!("enqueue: {e}")))
    }
}

impl Jobs for QueueJobs<'_> {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError> {
        let queue = self.queue(job)?;
        queue.send(job).await.map_err(|e| StoreError::Unavailable(format!("enqueue: {e}")))
    }

    async fn enqueue_all(&self, jobs: &[Job]) -> Result<(), StoreError> {
        // A sendBatch goes to one queue and takes at most 100 messages.
        for binding in [app::JOBS, app::NOTICES, app::BROADCASTS] {
            let mine: Vec<Job> = jobs.iter().filter(|j| queue_of(j) == binding).cloned().collect();
            if mine.is_empty() {
                continue;
            }
            let queue = self
                .env
                .queue(binding)
                .map_err(|e| StoreError::Unavailable(format!("queue binding: {e}")))?;
            for chunk in mine.chunks(100) {
                queue
                    .send_batch(chunk.to_vec())
                    .await
                    .map_err(|e| StoreError::Unavailable(format!("enqueue batch: {e}")))?;
            }
        }
        Ok(())
    }
}

/// A cache on KV. Cache failures are ignored: the caller falls back to the source.
pub struct KvCache {
    pub kv: Option<KvStore>,
}

impl KvCache {
    pub fn new(env: &Env) -> Self {
        Self { kv: env.kv(app::KV).ok() }
    }
}

impl Cache for KvCache {
    async fn get(&self, key: &str) -> Option<String> {
        self.kv.as_ref()?.get(key).text().await.ok().flatten()
    }

    async fn put(&self, key: &str, value: &str, ttl_seconds: u64) {
        if let Some(kv) = &self.kv {
            // KV's minimum TTL is 60 seconds.
            if let Ok(put) = kv.put(key, value) {
                let _ = put.expiration_ttl(ttl_seconds.max(60)).execute().await;
            }
        }
    }

    async fn delete(&self, key: &str) {
        if let Some(kv) = &self.kv {
            let _ = kv.delete(key).await;
        }
    }
}

/// Identifiers from `crypto.getRandomValues`.
pub struct RandomIds;

impl Ids for RandomIds {
    fn referral_code(&self) -> ReferralCode {
        ReferralCode::from_random(random_bytes())
    }

    fn order_id(&self) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        random_bytes::<16>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_delays_are_clamped_to_twelve_hours() {
        assert_eq!(clamp_delay(10), 10);
        assert_eq!(clamp_delay(43_200), 43_200);
        assert_eq!(clamp_delay(86_400), 43_200);
        assert_eq!(clamp_delay(u32::MAX), 43_200);
    }
}
