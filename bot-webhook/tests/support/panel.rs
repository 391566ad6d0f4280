//! The Remnawave panel in memory, behind the core's `Panel` trait.
//!
//! It answers as the panel 3.x does where Wavegate can tell (see `tests/fakes/remnawave.mjs`,
//! which checks the same rules over HTTP against the panel's published contract): numeric ids
//! from 1, a taken username is `UsernameTaken` (A019), an unknown user is `NotFound`, an update
//! with an `expireAt` that is not in the future is rejected, `extend` restarts an EXPIRED user
//! from now, a new future expiry revives an EXPIRED user. Faults are scripted per call: fail
//! the next calls as unavailable, lose a create's response after it was applied, or lose a
//! race for a username. "Now" is the test's clock.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use wavegate_shared::remnawave::{
    CreateUser, InternalSquad, Node, OnlineStats, Panel, PanelError, PanelMetadata, PanelUser, PanelUserId,
    SystemStats, TrafficLimitStrategy, UpdateUser, UserStats, UserStatus, UserTraffic,
};

use super::NOW;

/// The internal squad the test panel has (and the test config names in `REMNAWAVE_SQUADS`).
pub const SQUAD: &str = "a1b2c3d4-0000-4000-8000-000000000001";
/// Where subscription links point unless a test changes it.
pub const SUBSCRIPTION_BASE: &str = "https://sub.example.test";

/// What the fake does with the next call.
#[derive(Debug, Clone)]
enum Fault {
    Pass,
    Fail(PanelError),
}

pub struct FakePanel {
    users: RefCell<BTreeMap<i64, PanelUser>>,
    squads_of: RefCell<HashMap<i64, Vec<String>>>,
    next_id: Cell<i64>,
    next_short: Cell<u64>,
    now: Cell<i64>,
    subscription_base: RefCell<String>,
    calls: RefCell<Vec<String>>,
    script: RefCell<VecDeque<Fault>>,
    down: Cell<bool>,
    lose_next_create: Cell<bool>,
    race_next_create: Cell<bool>,
    lose_next_update: Cell<bool>,
}

impl Default for FakePanel {
    fn default() -> Self {
        Self {
            users: RefCell::default(),
            squads_of: RefCell::default(),
            next_id: Cell::new(1),
            next_short: Cell::new(1),
            now: Cell::new(NOW),
            subscription_base: RefCell::new(SUBSCRIPTION_BASE.to_string()),
            calls: RefCell::default(),
            script: RefCell::default(),
            down: Cell::new(false),
            lose_next_create: Cell::new(false),
            race_next_create: Cell::new(false),
            lose_next_update: Cell::new(false),
        }
    }
}

pub fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("a test time")
}

// ------------------------------------------------------------------------- test helpers

impl FakePanel {
    pub fn set_now(&self, now: i64) {
        self.now.set(now);
    }

    /// Links issued from now on start with `base` (followed by `/<shortUuid>`).
    pub fn set_subscription_base(&self, base: &str) {
        *self.subscription_base.borrow_mut() = base.to_string();
    }

    /// The next `n` calls fail as if the panel were unreachable (after the client's retries).
    pub fn fail_next(&self, n: usize) {
        self.fail_after(0, n);
    }

    /// `skip` calls go through, then `n` calls fail as unavailable.
    pub fn fail_after(&self, skip: usize, n: usize) {
        let mut script = self.script.borrow_mut();
        script.extend(std::iter::repeat_n(Fault::Pass, skip));
        let down = PanelError::Unavailable("HTTP 503 A001 Service Unavailable".into());
        script.extend(std::iter::repeat_n(Fault::Fail(down), n));
    }

    /// Every call fails until [`FakePanel::come_back`].
    pub fn go_down(&self) {
        self.down.set(true);
    }

    pub fn come_back(&self) {
        self.down.set(false);
    }

    /// The next create is applied by the panel, but its response never arrives.
    pub fn lose_next_create_response(&self) {
        self.lose_next_create.set(true);
    }

    /// The next update is applied by the panel, but its response never arrives.
    pub fn lose_next_update_response(&self) {
        self.lose_next_update.set(true);
    }

    /// Just before the next create, an earlier attempt with the same body lands first (its
    /// response was lost), so the create itself finds the username taken.
    pub fn lose_race_on_next_create(&self) {
        self.race_next_create.set(true);
    }

    /// A user the panel already has (made by hand, or by an earlier Wavegate).
    pub fn seed_user(
        &self,
        username: &str,
        telegram_id: Option<i64>,
        expire_at: i64,
        status: UserStatus,
    ) -> PanelUser {
        let mut user = self.build(username, at(expire_at));
        user.telegram_id = telegram_id;
        user.status = status;
        self.users.borrow_mut().insert(user.id.0, user.clone());
        user
    }

    pub fn user(&self, id: i64) -> Option<PanelUser> {
        self.users.borrow().get(&id).cloned()
    }

    pub fn user_named(&self, username: &str) -> Option<PanelUser> {
        self.users.borrow().values().find(|u| u.username == username).cloned()
    }

    pub fn users(&self) -> Vec<PanelUser> {
        self.users.borrow().values().cloned().collect()
    }

    pub fn squads_of(&self, id: i64) -> Vec<String> {
        self.squads_of.borrow().get(&id).cloned().unwrap_or_default()
    }

    /// The user has used `bytes` of traffic.
    pub fn use_traffic(&self, id: i64, bytes: i64) {
        if let Some(user) = self.users.borrow_mut().get_mut(&id) {
            user.user_traffic.used_traffic_bytes = bytes;
            user.user_traffic.lifetime_used_traffic_bytes += bytes;
        }
    }

    /// The calls received so far (failed ones included), e.g. `update_user 1`; forgets them.
    pub fn take_calls(&self) -> Vec<String> {
        self.calls.take()
    }

    fn enter(&self, call: String) -> Result<(), PanelError> {
        self.calls.borrow_mut().push(call);
        if self.down.get() {
            return Err(PanelError::Unavailable("HTTP 503 A001 Service Unavailable".into()));
        }
        match self.script.borrow_mut().pop_front() {
            Some(Fault::Fail(e)) => Err(e),
            Some(Fault::Pass) | None => Ok(()),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        at(self.now.get())
    }

    fn short_uuid(&self) -> String {
        let n = self.next_short.replace(self.next_short.get() + 1);
        format!("Sh{n:014}")
    }

    fn build(&self, username: &str, expire_at: DateTime<Utc>) -> PanelUser {
        let id = self.next_id.replace(self.next_id.get() + 1);
        let short_uuid = self.short_uuid();
        PanelUser {
            id: PanelUserId(id),
            subscription_url: format!("{}/{short_uuid}", self.subscription_base.borrow()),
            short_uuid,
            username: username.to_string(),
            status: UserStatus::Active,
            traffic_limit_bytes: 0,
            traffic_limit_strategy: TrafficLimitStrategy::NoReset,
            expire_at,
            telegram_id: None,
            hwid_device_limit: None,
            description: None,
            tag: None,
            user_traffic: UserTraffic {
                used_traffic_bytes: 0,
                lifetime_used_traffic_bytes: 0,
                online_at: None,
            },
            last_triggered_threshold: None,
            last_traffic_reset_at: None,
        }
    }

    fn insert_created(&self, create: &CreateUser) -> PanelUser {
        let mut user = self.build(&create.username, create.expire_at);
        user.traffic_limit_bytes = create.traffic_limit_bytes as i64;
        user.traffic_limit_strategy = create.traffic_limit_strategy;
        user.telegram_id = create.telegram_id;
        user.hwid_device_limit = create.hwid_device_limit.map(i64::from);
        user.description = create.description.clone();
        user.tag = create.tag.clone();
        self.users.borrow_mut().insert(user.id.0, user.clone());
        self.squads_of.borrow_mut().insert(user.id.0, create.active_internal_squads.clone());
        user
    }

    fn with_user(
        &self,
        id: PanelUserId,
        change: impl FnOnce(&mut PanelUser, DateTime<Utc>),
    ) -> Result<PanelUser, PanelError> {
        let mut users = self.users.borrow_mut();
        let user = users.get_mut(&id.0).ok_or_else(|| PanelError::NotFound("A025".into()))?;
        change(user, self.now());
        Ok(user.clone())
    }
}

fn rejected(message: &str) -> PanelError {
    PanelError::Rejected { code: "validation".into(), message: message.into() }
}

/// `^[a-zA-Z0-9_-]+$`, 3–36 characters (the contract's username rule).
fn valid_username(name: &str) -> bool {
    (3..=36).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `^[A-Z0-9_]+$`, at most 16 characters.
fn valid_tag(tag: &str) -> bool {
    tag.len() <= 16 && tag.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

impl Panel for FakePanel {
    async fn metadata(&self) -> Result<PanelMetadata, PanelError> {
        self.enter("metadata".into())?;
        Ok(PanelMetadata { version: "3.4.4".into() })
    }

    async fn internal_squads(&self) -> Result<Vec<InternalSquad>, PanelError> {
        self.enter("internal_squads".into())?;
        Ok(vec![InternalSquad { uuid: SQUAD.into(), name: "Default-Squad".into() }])
    }

    async fn create_user(&self, create: &CreateUser) -> Result<PanelUser, PanelError> {
        self.enter(format!("create_user {}", create.username))?;
        if !valid_username(&create.username) {
            return Err(rejected("username must be 3-36 characters of a-z A-Z 0-9 _ -"));
        }
        if create.tag.as_deref().is_some_and(|t| !valid_tag(t)) {
            return Err(rejected("tag must match ^[A-Z0-9_]+$ and be at most 16 characters"));
        }
        if create.active_internal_squads.iter().any(|s| s != SQUAD) {
            return Err(PanelError::Unavailable(
                "HTTP 500 A036 create user with internal squad error".into(),
            ));
        }
        if self.race_next_create.replace(false) {
            self.insert_created(create);
        }
        if self.user_named(&create.username).is_some() {
            return Err(PanelError::UsernameTaken);
        }
        let user = self.insert_created(create);
        if self.lose_next_create.replace(false) {
            return Err(PanelError::Unavailable("transport error: connection reset".into()));
        }
        Ok(user)
    }

    async fn get_user(&self, id: PanelUserId) -> Result<Option<PanelUser>, PanelError> {
        self.enter(format!("get_user {}", id.0))?;
        Ok(self.user(id.0))
    }

    async fn get_user_by_username(&self, username: &str) -> Result<Option<PanelUser>, PanelError> {
        self.enter(format!("get_user_by_username {username}"))?;
        Ok(self.user_named(username))
    }

    async fn users_by_telegram_id(&self, telegram_id: i64) -> Result<Vec<PanelUser>, PanelError> {
        self.enter(format!("users_by_telegram_id {telegram_id}"))?;
        Ok(self.users().into_iter().filter(|u| u.telegram_id == Some(telegram_id)).collect())
    }

    async fn update_user(&self, update: &UpdateUser) -> Result<PanelUser, PanelError> {
        let id = update.id.ok_or_else(|| rejected("id or username is required"))?;
        self.enter(format!("update_user {}", id.0))?;
        if update.expire_at.is_some_and(|at| at <= self.now()) {
            return Err(rejected("expireAt must be in the future"));
        }
        if update.active_internal_squads.as_ref().is_some_and(|s| s.iter().any(|s| s != SQUAD)) {
            return Err(PanelError::Unavailable("HTTP 500 A037 update user error".into()));
        }
        let updated = self.with_user(id, |user, now| {
            let mut status = update.status;
            // LIMITED users come back when the limit is raised or removed.
            if let (Some(limit), UserStatus::Limited) = (update.traffic_limit_bytes, user.status) {
                if limit == 0 || limit as i64 > user.traffic_limit_bytes {
                    status = Some(UserStatus::Active);
                }
            }
            // EXPIRED users come back when given a new future expiry (and no explicit status).
            if let (Some(expire), UserStatus::Expired, None) = (update.expire_at, user.status, update.status)
            {
                if expire != user.expire_at && expire > now {
                    status = Some(UserStatus::Active);
                }
            }
            if let Some(expire) = update.expire_at {
                user.expire_at = expire;
            }
            if let Some(limit) = update.traffic_limit_bytes {
                user.traffic_limit_bytes = limit as i64;
            }
            if let Some(strategy) = update.traffic_limit_strategy {
                user.traffic_limit_strategy = strategy;
            }
            if let Some(status) = status {
                user.status = status;
            }
            if let Some(devices) = update.hwid_device_limit {
                user.hwid_device_limit = Some(i64::from(devices));
            }
            if let Some(telegram_id) = update.telegram_id {
                user.telegram_id = Some(telegram_id);
            }
            if let Some(description) = &update.description {
                user.description = Some(description.clone());
            }
        })?;
        if let Some(squads) = &update.active_internal_squads {
            self.squads_of.borrow_mut().insert(id.0, squads.clone());
        }
        if self.lose_next_update.replace(false) {
            return Err(PanelError::Unavailable("transport error: connection reset".into()));
        }
        Ok(updated)
    }

    async fn extend_user(&self, id: PanelUserId, days: u32) -> Result<PanelUser, PanelError> {
        self.enter(format!("extend_user {} {days}", id.0))?;
        self.with_user(id, |user, now| {
            let add = Duration::days(i64::from(days));
            if user.status == UserStatus::Expired {
                // Counted from now, and the user is active again.
                user.expire_at = now + add;
                user.status = UserStatus::Active;
            } else {
                user.expire_at += add;
            }
        })
    }

    async fn enable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.enter(format!("enable_user {}", id.0))?;
        self.with_user(id, |user, _| user.status = UserStatus::Active)
    }

    async fn disable_user(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.enter(format!("disable_user {}", id.0))?;
        self.with_user(id, |user, _| user.status = UserStatus::Disabled)
    }

    async fn revoke_subscription(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.enter(format!("revoke_subscription {}", id.0))?;
        let short_uuid = self.short_uuid();
        let url = format!("{}/{short_uuid}", self.subscription_base.borrow());
        self.with_user(id, |user, _| {
            user.short_uuid = short_uuid;
            user.subscription_url = url;
        })
    }

    async fn reset_traffic(&self, id: PanelUserId) -> Result<PanelUser, PanelError> {
        self.enter(format!("reset_traffic {}", id.0))?;
        self.with_user(id, |user, _| {
            if user.status == UserStatus::Limited {
                user.status = UserStatus::Active;
            }
            user.user_traffic.used_traffic_bytes = 0;
        })
    }

    async fn delete_all_devices(&self, id: PanelUserId) -> Result<(), PanelError> {
        self.enter(format!("delete_all_devices {}", id.0))?;
        self.with_user(id, |_, _| {}).map(|_| ())
    }

    async fn delete_user(&self, id: PanelUserId) -> Result<(), PanelError> {
        self.enter(format!("delete_user {}", id.0))?;
        let removed = self.users.borrow_mut().remove(&id.0);
        removed.map(|_| ()).ok_or_else(|| PanelError::NotFound("A025".into()))
    }

    async fn nodes(&self) -> Result<Vec<Node>, PanelError> {
        self.enter("nodes".into())?;
        Ok(Vec::new())
    }

    async fn system_stats(&self) -> Result<SystemStats, PanelError> {
        self.enter("system_stats".into())?;
        let users = self.users.borrow();
        let mut status_counts = BTreeMap::new();
        for user in users.values() {
            *status_counts.entry(format!("{:?}", user.status).to_uppercase()).or_insert(0) += 1;
        }
        Ok(SystemStats {
            users: UserStats { total_users: users.len() as i64, status_counts },
            online_stats: OnlineStats { online_now: 0, last_day: 0 },
        })
    }
}
