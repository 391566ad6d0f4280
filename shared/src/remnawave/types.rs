//! Wire types of the panel API 3.x, with the panel's camelCase field names.

use chrono::{DateTime, Utc};
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
    #[serde(with = "panel_time")]
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
    #[serde(with = "panel_time::option")]
    pub last_traffic_reset_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTraffic {
    pub used_traffic_bytes: i64,
    pub lifetime_used_traffic_bytes: i64,
    #[serde(with = "panel_time::option")]
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
    #[serde(with = "panel_time")]
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
    crate::subscription::utc_iso(*at, true)
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

/// A device (HWID) the panel saw on the user's subscription; the fields the cabinet shows.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub hwid: String,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub os_version: Option<String>,
    #[serde(default)]
    pub device_model: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DeviceList {
    pub devices: Vec<Device>,
}

/// Parses the panel's timestamps: RFC 3339 (`2026-12-05T12:30:00.000Z`, or with an offset
/// `+03:00`, fractions optional). Written out because chrono's general parser costs the bundle
/// ~2.5 KiB gzipped for a format that never varies.
pub fn parse_panel_datetime(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    // Digits only: `str::parse` would take a sign (`+1`).
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits.bytes().all(|c| c.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = text.get(start..i.min(start + 9))?;
        if digits.is_empty() {
            return None;
        }
        nanos = digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32);
    }
    let time = chrono::NaiveTime::from_hms_nano_opt(num(11..13)?, num(14..16)?, num(17..19)?, nanos)?;
    let offset_seconds: i64 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (hours, minutes) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = i64::from(hours) * 60 + i64::from(minutes);
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    let local = date.and_time(time).and_utc();
    Some(local - chrono::Duration::seconds(offset_seconds))
}

pub(crate) mod panel_time {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_panel_datetime(&text)
            .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 timestamp"))
    }

    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) => super::super::parse_panel_datetime(&text)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 timestamp")),
            }
        }
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn panel_timestamps_parse_like_chrono() {
        for text in [
            "2026-12-05T12:30:00.000Z",
            "2026-12-05T12:30:00Z",
            "2026-12-05T12:30:00.123456789Z",
            "2026-12-05T15:30:00.5+03:00",
            "2026-12-05T07:00:00-05:30",
            "2024-02-29T23:59:59.999Z",
        ] {
            let expected = DateTime::parse_from_rfc3339(text).expect("chrono").with_timezone(&Utc);
            assert_eq!(parse_panel_datetime(text), Some(expected), "{text}");
        }
        for bad in [
            "",
            "2026-12-05",
            "2026-13-05T12:30:00Z",
            "2026-12-05T12:30:00",
            "2026-12-05T12:30:00.Z",
            "2026-12-05T12:30:00+0300",
            "2026-12-05T25:30:00Z",
            "2026-12-05T12:30:00Zjunk",
        ] {
            assert_eq!(parse_panel_datetime(bad), None, "{bad}");
        }
    }
}
