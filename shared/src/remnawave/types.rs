//! Wire types of the panel API 3.x, with the panel's camelCase field names.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// A panel user id (3.x: a positive integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PanelUserId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Active,
    Disabled,
    Limited,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TrafficLimitStrategy {
    NoReset,
    Day,
    Week,
    Month,
    MonthRolling,
}

/// The user object (`ExtendedUsersSchema`), trimmed to what Wavegate reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelUser {
    pub id: PanelUserId,
    pub short_uuid: String,
    pub username: String,
    pub status: UserStatus,
    pub traffic_limit_bytes: i64,
    pub traffic_limit_strategy: TrafficLimitStrategy,
    pub expire_at: DateTime<Utc>,
    pub telegram_id: Option<i64>,
    pub hwid_device_limit: Option<i64>,
    pub description: Option<String>,
    pub tag: Option<String>,
    pub subscription_url: String,
    pub user_traffic: UserTraffic,
    /// The last traffic-warning threshold the panel triggered (percent), if any.
    #[serde(default)]
    pub last_triggered_threshold: Option<i64>,
    /// When the panel last reset the user's traffic counter (its traffic period began).
    #[serde(default)]
    pub last_traffic_reset_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTraffic {
    pub used_traffic_bytes: i64,
    pub lifetime_used_traffic_bytes: i64,
    pub online_at: Option<DateTime<Utc>>,
}

/// A user as the sync reads it from `GET /api/users/stream`: only what the mirror keeps, so a
/// page of a thousand users costs little CPU to parse (the rest is skipped, not allocated).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelUserState {
    pub id: PanelUserId,
    pub short_uuid: String,
    pub status: UserStatus,
    pub traffic_limit_bytes: i64,
    pub expire_at: DateTime<Utc>,
    pub subscription_url: String,
    pub user_traffic: UsedTraffic,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsedTraffic {
    pub used_traffic_bytes: i64,
}

impl From<&PanelUser> for PanelUserState {
    fn from(user: &PanelUser) -> Self {
        PanelUserState {
            id: user.id,
            short_uuid: user.short_uuid.clone(),
            status: user.status,
            traffic_limit_bytes: user.traffic_limit_bytes,
            expire_at: user.expire_at,
            subscription_url: user.subscription_url.clone(),
            user_traffic: UsedTraffic { used_traffic_bytes: user.user_traffic.used_traffic_bytes },
        }
    }
}

/// One page of `GET /api/users/stream`, in id order.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersPage {
    pub users: Vec<PanelUserState>,
    /// Where the next page starts; `None` after the last page.
    pub next_cursor: Option<i64>,
}

/// `POST /api/users` body. `None` fields are omitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    pub username: String,
    #[serde(serialize_with = "panel_datetime")]
    pub expire_at: DateTime<Utc>,
    /// 0 means unlimited.
    pub traffic_limit_bytes: u64,
    pub traffic_limit_strategy: TrafficLimitStrategy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hwid_device_limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telegram_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `^[A-Z0-9_]+$`, at most 16 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub active_internal_squads: Vec<String>,
}

/// `PATCH /api/users` body: the user by `id`, then only the fields to change.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUser {
    pub id: Option<PanelUserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_limit_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_limit_strategy: Option<TrafficLimitStrategy>,
    /// Must be in the future: the panel rejects a past `expireAt` on update.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "panel_datetime_opt")]
    pub expire_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hwid_device_limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telegram_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_internal_squads: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PanelMetadata {
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InternalSquad {
    pub uuid: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub uuid: String,
    pub name: String,
    pub address: String,
    pub country_code: String,
    pub is_connected: bool,
    pub is_disabled: bool,
    #[serde(default)]
    pub users_online: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemStats {
    pub users: UserStats,
    pub online_stats: OnlineStats,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserStats {
    pub total_users: i64,
    pub status_counts: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnlineStats {
    pub online_now: i64,
    pub last_day: i64,
}

/// The panel's request datetime format: UTC with milliseconds and `Z`.
pub fn format_panel_datetime(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn panel_datetime<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_panel_datetime(at))
}

fn panel_datetime_opt<S: serde::Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => panel_datetime(at, s),
        None => s.serialize_none(),
    }
}
