//! The one place an invocation is wired: configuration (parsed once per isolate), bindings,
//! clients and the shop's ports. Routes, jobs and crons ask [`App`] for what they need instead
//! of building clients themselves.

use std::cell::RefCell;
use std::rc::Rc;

use wavegate_bot::notifier::TelegramNotifier;
use wavegate_bot::Bot;
use wavegate_shared::clock::Clock;
use wavegate_shared::config::{Config, ConfigError};
use wavegate_shared::db::Counted;
use wavegate_shared::node_health::{self, Change, HealthState};
use wavegate_shared::remnawave::RemnawaveClient;
use wavegate_shared::shop::fulfil::Fulfiller;
use wavegate_shared::shop::ports::{Job, Jobs};
use wavegate_shared::shop::sql::SqlStore;
use worker::Env;

use crate::adapters::{KvCache, QueueJobs, RandomIds};
use crate::http::{FetchClient, SystemClock, TimerSleeper};
use crate::log::Scope;
use crate::store::D1Db;

/// Binding names of wrangler.toml.
pub const DB: &str = "DB";
pub const KV: &str = "KV";
pub const JOBS: &str = "JOBS";
/// Customer notices and sync pages: one paced consumer.
pub const NOTICES: &str = "NOTICES";
/// Broadcast batches: one consumer, no batching wait (each job queues the next).
pub const BROADCASTS: &str = "BROADCASTS";
/// The operator's Worker (`wavegate-admin`), which serves `/api/admin/...`.
pub const ADMIN: &str = "ADMIN";

thread_local! {
    /// The parsed configuration: an isolate serves one deployment, whose vars and secrets do
    /// not change under it. A broken configuration is not kept, so it is reported each time.
    static CONFIG: RefCell<Option<Rc<Config>>> = const { RefCell::new(None) };
}

/// Reads every configuration key from the Worker's secrets and vars (secrets first; locally
/// both come from `.dev.vars`), once per isolate. Problems are logged by key.
pub fn config(env: &Env, scope: &Scope) -> Result<Rc<Config>, ConfigError> {
    if let Some(config) = CONFIG.with(|c| c.borrow().clone()) {
        return Ok(config);
    }
    let lookup = |key: &str| {
        env.secret(key).map(|s| s.to_string()).or_else(|_| env.var(key).map(|v| v.to_string())).ok()
    };
    match Config::from_lookup(lookup) {
        Ok(config) => {
            for warning in &config.warnings {
                scope.warn("config.warning", serde_json::json!({ "message": warning }));
            }
            let config = Rc::new(config);
            CONFIG.with(|c| *c.borrow_mut() = Some(config.clone()));
            Ok(config)
        }
        Err(e) => {
            scope.error("config.invalid", serde_json::json!({ "problems": e.problems }));
            Err(e)
        }
    }
}

pub type Store = SqlStore<Counted<D1Db>>;
pub type Panel<'a> = RemnawaveClient<'a, FetchClient, TimerSleeper>;

/// Everything one invocation works with.
pub struct App<'e> {
    pub config: Rc<Config>,
    pub store: Store,
    pub http: FetchClient,
    pub jobs: QueueJobs<'e>,
    pub cache: KvCache,
    pub clock: SystemClock,
    pub scope: Scope,
}

#[derive(Debug, thiserror::Error)]
pub enum WiringError {
    #[error("configuration is invalid")]
    Config,
    #[error("binding: {0}")]
    Binding(String),
}

impl<'e> App<'e> {
    pub fn new(env: &'e Env, scope: Scope) -> Result<App<'e>, WiringError> {
        let config = config(env, &scope).map_err(|_| WiringError::Config)?;
        let db = env.d1(DB).map_err(|e| WiringError::Binding(e.to_string()))?;
        Ok(App {
            config,
            store: SqlStore::new(Counted::new(D1Db::new(db))),
            http: FetchClient::default(),
            jobs: QueueJobs { env },
            cache: KvCache::new(env),
            clock: SystemClock,
            scope,
        })
    }

    pub fn panel(&self) -> Panel<'_> {
        RemnawaveClient::new(
            &self.http,
            &TimerSleeper,
            &self.config.remnawave.url,
            self.config.remnawave.token.expose(),
        )
    }

    pub fn notifier(&self) -> TelegramNotifier<'_, FetchClient> {
        TelegramNotifier { config: &self.config, http: &self.http }
    }

    pub fn bot<'a>(
        &'a self,
        panel: &'a Panel<'a>,
    ) -> Bot<'a, Store, FetchClient, Panel<'a>, QueueJobs<'e>, KvCache> {
        Bot {
            config: &self.config,
            store: &self.store,
            http: &self.http,
            panel,
            jobs: &self.jobs,
            cache: &self.cache,
            clock: &self.clock,
            ids: &RandomIds,
        }
    }

    pub fn fulfiller<'a>(
        &'a self,
        panel: &'a Panel<'a>,
        notifier: &'a TelegramNotifier<'a, FetchClient>,
    ) -> Fulfiller<'a, Store, Panel<'a>, TelegramNotifier<'a, FetchClient>> {
        Fulfiller { config: &self.config, store: &self.store, panel, notifier, clock: &self.clock }
    }

    /// D1 round trips so far (a batch is one), for the outcome log line.
    pub fn round_trips(&self) -> u32 {
        self.store.db.round_trips()
    }

    /// What this invocation cost in I/O, for its last log line: D1 round trips, outbound calls
    /// (subrequests) and their wall time per host.
    pub fn costs(&self) -> serde_json::Value {
        serde_json::json!({
            "d1_round_trips": self.round_trips(),
            "d1_rows_read": self.store.db.inner.rows().0,
            "d1_rows_written": self.store.db.inner.rows().1,
            "outbound_calls": self.http.calls(),
            "outbound": self.http.by_host(),
        })
    }

    /// `line` (a JSON object) with [`App::costs`] added: the last log line of an invocation.
    pub fn with_costs(&self, mut line: serde_json::Value) -> serde_json::Value {
        if let (Some(fields), serde_json::Value::Object(costs)) = (line.as_object_mut(), self.costs()) {
            fields.extend(costs);
        }
        line
    }

    /// Reads the node-health state (D1), applies `check`, saves it and queues an admin alert
    /// per change this invocation won — the one sequence the 5-minute cron and the panel's node
    /// webhooks share. A change is saved with a conditional update, so when both see it only
    /// one alerts; a change whose alert cannot be queued is given back, so it is found again.
    /// `full` is a complete observation (the cron's), which forgets nodes no longer watched.
    /// Returns the new state and how many alerts were queued.
    pub async fn update_node_health(
        &self,
        full: bool,
        check: impl FnOnce(Option<&HealthState>) -> (HealthState, Vec<Change>),
    ) -> Result<(HealthState, usize), String> {
        let db = &self.store.db;
        let previous = node_health::load(db).await.map_err(|e| e.to_string())?;
        let (next, changes) = check(previous.as_ref());
        let now = self.clock.now().timestamp();
        let won = node_health::save(db, &next, changes, full, now).await.map_err(|e| e.to_string())?;
        for (i, change) in won.iter().enumerate() {
            let job = Job::AdminAlert { text: node_health::alert_text(change) };
            if let Err(e) = self.jobs.enqueue(&job).await {
                // This change and every later one are given back, so the next check finds them.
                for change in &won[i..] {
                    let _ = node_health::undo(db, change).await;
                }
                return Err(e.to_string());
            }
        }
        Ok((next, won.len()))
    }
}
