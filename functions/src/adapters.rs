//! The bot's small effect traits on Workers bindings: the job queue, the KV cache, and
//! random identifiers.

use wavegate_bot::shop::{Cache, Job, Jobs};
use wavegate_bot::store::StoreError;
use wavegate_bot::Ids;
use wavegate_shared::domain::ReferralCode;
use worker::kv::KvStore;
use worker::Env;

use crate::app;
use crate::http::random_bytes;

/// Jobs go to the `JOBS` queue.
pub struct QueueJobs<'a> {
    pub env: &'a Env,
}

impl Jobs for QueueJobs<'_> {
    async fn enqueue(&self, job: &Job) -> Result<(), StoreError> {
        let queue = self.env.queue(app::JOBS).map_err(|e| StoreError(format!("queue binding: {e}")))?;
        queue.send(job).await.map_err(|e| StoreError(format!("enqueue: {e}")))
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
