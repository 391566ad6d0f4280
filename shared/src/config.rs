//! The typed configuration, parsed once per isolate from the Worker's vars and secrets.
//!
//! Every key of interface.md is read here by name. Required keys that are missing or invalid
//! produce one [`ConfigError`] naming all of them, so an operator fixes everything in one go;
//! the Worker logs it and answers 503 instead of panicking. A payment channel whose keys are
//! missing is switched off (`None`), not an error. Secrets are wrapped in [`Secret`], whose
//! `Debug` never prints the value.

use std::fmt;

use crate::domain::TelegramUserId;

/// A secret value: usable, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub telegram: TelegramConfig,
    pub admin_ids: Vec<TelegramUserId>,
    pub remnawave: RemnawaveConfig,
    pub razorpay: Option<RazorpayConfig>,
    pub xendit: Option<XenditConfig>,
    pub cryptopay: Option<CryptoPayConfig>,
    /// Signs cabinet/admin sessions; without it the cabinet API is off.
    pub jwt_secret: Option<Secret>,
    pub public_base_url: Option<String>,
    /// The Ed25519 key Mini App `initData` signatures are checked with (hex, 32 bytes):
    /// Telegram's production key unless `TELEGRAM_WEBAPP_PUBLIC_KEY` names another (Telegram's
    /// test environment, or the integration tests' own key).
    pub webapp_public_key: [u8; 32],
    /// Bearer token for `/metrics`; without it the route is off.
    pub metrics_token: Option<Secret>,
    /// Where error reports also go (`SENTRY_DSN`). Parsed by the operator's Worker, which posts
    /// them ([`crate::sentry::Dsn`]); a DSN that does not parse is logged there and the reports
    /// dropped (the shop runs; every error is in the logs).
    pub sentry_dsn: Option<Secret>,
    pub trial: TrialConfig,
    /// Hours before expiry at which customers are reminded (`REMINDER_HOURS`, default
    /// `72,24`), largest first, each once per subscription period.
    pub reminder_hours: Vec<u32>,
    /// Optional support contact shown in /help (e.g. `@wavegate_support` or a URL).
    pub support_contact: Option<String>,
    /// Things worth a log line that do not stop the Worker (a half-configured channel).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    pub bot_token: Secret,
    pub webhook_secret: Secret,
    pub api_base: String,
    pub bot_username: String,
}

#[derive(Debug, Clone)]
pub struct RemnawaveConfig {
    pub url: String,
    pub token: Secret,
    pub webhook_secret: Option<Secret>,
    pub squads: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RazorpayConfig {
    pub key_id: String,
    pub key_secret: Secret,
    pub webhook_secret: Secret,
    pub api_base: String,
}

#[derive(Debug, Clone)]
pub struct XenditConfig {
    pub secret_key: Secret,
    pub callback_token: Secret,
    pub api_base: String,
}

#[derive(Debug, Clone)]
pub struct CryptoPayConfig {
    pub token: Secret,
    pub api_base: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrialConfig {
    pub days: u32,
    pub traffic_limit_bytes: u64,
}

/// Every problem with the configuration, by key. Values are never included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {}", .problems.join("; "))]
pub struct ConfigError {
    pub problems: Vec<String>,
}

const DEFAULT_TELEGRAM_API: &str = "https://api.telegram.org";
const DEFAULT_RAZORPAY_API: &str = "https://api.razorpay.com";
const DEFAULT_XENDIT_API: &str = "https://api.xendit.co";
const DEFAULT_CRYPTOPAY_API: &str = "https://pay.crypt.bot";
const GIB: u64 = 1 << 30;

impl Config {
    /// Parses the configuration from a key lookup (the Worker passes its env; tests a map).
    /// Empty values count as missing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut p = Parser { lookup: &lookup, problems: Vec::new(), warnings: Vec::new() };

        let telegram = TelegramConfig {
            bot_token: p.required_secret("TELEGRAM_BOT_TOKEN"),
            webhook_secret: p.webhook_secret("TELEGRAM_WEBHOOK_SECRET"),
            api_base: p.base_url("TELEGRAM_API_BASE", DEFAULT_TELEGRAM_API),
            bot_username: p.bot_username("BOT_USERNAME"),
        };
        let admin_ids = p.admin_ids("ADMIN_TELEGRAM_IDS");
        let remnawave = RemnawaveConfig {
            url: p.required_base_url("REMNAWAVE_URL"),
            token: p.required_secret("REMNAWAVE_TOKEN"),
            webhook_secret: p.optional("REMNAWAVE_WEBHOOK_SECRET").map(Secret::new),
            squads: p.squads("REMNAWAVE_SQUADS"),
        };
        let razorpay = p
            .channel("Razorpay", &["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"])
            .map(|v| RazorpayConfig {
                key_id: v[0].clone(),
                key_secret: Secret::new(v[1].clone()),
                webhook_secret: Secret::new(v[2].clone()),
                api_base: p.base_url("RAZORPAY_API_BASE", DEFAULT_RAZORPAY_API),
            });
        let xendit =
            p.channel("Xendit", &["XENDIT_SECRET_KEY", "XENDIT_CALLBACK_TOKEN"]).map(|v| XenditConfig {
                secret_key: Secret::new(v[0].clone()),
                callback_token: Secret::new(v[1].clone()),
                api_base: p.base_url("XENDIT_API_BASE", DEFAULT_XENDIT_API),
            });
        let cryptopay = p.channel("Crypto Pay", &["CRYPTOPAY_TOKEN"]).map(|v| CryptoPayConfig {
            token: Secret::new(v[0].clone()),
            api_base: p.base_url("CRYPTOPAY_API_BASE", DEFAULT_CRYPTOPAY_API),
        });
        let trial = TrialConfig {
            days: p.number("TRIAL_DAYS", 3, 1..=30) as u32,
            traffic_limit_bytes: p.number("TRIAL_TRAFFIC_GB", 10, 0..=10_000) * GIB,
        };
        let config = Config {
            telegram,
            admin_ids,
            remnawave,
            razorpay,
            xendit,
            cryptopay,
            jwt_secret: p.jwt_secret("JWT_SECRET"),
            public_base_url: p.optional_base_url("PUBLIC_BASE_URL"),
            webapp_public_key: p.webapp_public_key("TELEGRAM_WEBAPP_PUBLIC_KEY"),
            metrics_token: p.optional("METRICS_TOKEN").map(Secret::new),
            sentry_dsn: p.optional("SENTRY_DSN").map(Secret::new),
            trial,
            reminder_hours: p.hours("REMINDER_HOURS", &[72, 24]),
            support_contact: p.optional("SUPPORT_CONTACT"),
            warnings: Vec::new(),
        };
        if p.problems.is_empty() {
            Ok(Config { warnings: p.warnings, ..config })
        } else {
            Err(ConfigError { problems: p.problems })
        }
    }

    pub fn is_admin(&self, id: TelegramUserId) -> bool {
        self.admin_ids.contains(&id)
    }
}

struct Parser<'a, F> {
    lookup: &'a F,
    problems: Vec<String>,
    warnings: Vec<String>,
}

impl<F> Parser<'_, F>
where
    F: Fn(&str) -> Option<String>,
{
    /// A session key short enough to guess offline from one's own token would let a customer
    /// sign sessions for anyone: under 32 bytes, the cabinet stays off (and a warning says why).
    fn jwt_secret(&mut self, key: &str) -> Option<Secret> {
        let value = self.optional(key)?;
        if value.len() < 32 {
            self.warnings.push(format!("{key} is shorter than 32 bytes: the cabinet API is off"));
            return None;
        }
        Some(Secret::new(value))
    }

    fn webapp_public_key(&mut self, key: &str) -> [u8; 32] {
        let text =
            self.optional(key).unwrap_or_else(|| crate::telegram::webapp::TELEGRAM_PUBLIC_KEY.to_string());
        let bytes: Option<Vec<u8>> = (text.len() == 64)
            .then(|| (0..32).map(|i| text.get(2 * i..2 * i + 2).and_then(crate::http::hex_byte)).collect())
            .flatten();
        match bytes.and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            Some(key) => key,
            None => {
                self.problems.push(format!("{key} must be 64 hex characters (an Ed25519 public key)"));
                [0; 32]
            }
        }
    }

    fn optional(&self, key: &str) -> Option<String> {
        (self.lookup)(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    fn required(&mut self, key: &str) -> String {
        self.optional(key).unwrap_or_else(|| {
            self.problems.push(format!("{key} is required"));
            String::new()
        })
    }

    fn required_secret(&mut self, key: &str) -> Secret {
        Secret::new(self.required(key))
    }

    /// Telegram's `secret_token`: 1–256 characters of `A-Z a-z 0-9 _ -`.
    fn webhook_secret(&mut self, key: &str) -> Secret {
        let value = self.required(key);
        let valid =
            value.len() <= 256 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !value.is_empty() && !valid {
            self.problems.push(format!("{key} must be 1-256 characters of A-Z a-z 0-9 _ -"));
        }
        Secret::new(value)
    }

    fn bot_username(&mut self, key: &str) -> String {
        let value = self.required(key);
        let name = value.trim_start_matches('@').to_string();
        let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !value.is_empty() && !valid {
            self.problems.push(format!("{key} must be a Telegram username (letters, digits, _)"));
        }
        name
    }

    fn base_url(&mut self, key: &str, default: &str) -> String {
        self.optional_base_url(key).unwrap_or_else(|| default.to_string())
    }

    fn required_base_url(&mut self, key: &str) -> String {
        match self.optional_base_url(key) {
            Some(url) => url,
            None if self.optional(key).is_none() => self.required(key),
            None => String::new(),
        }
    }

    /// A base URL is scheme, host and port, no path (clients add `/api/...` themselves).
    fn optional_base_url(&mut self, key: &str) -> Option<String> {
        let value = self.optional(key)?;
        let trimmed = value.trim_end_matches('/');
        let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
        match rest {
            Some(host)
                if !host.is_empty()
                    && !host.contains(['/', '?', '#'])
                    && !host.chars().any(|c| c.is_whitespace() || c.is_control()) =>
            {
                Some(trimmed.to_string())
            }
            _ => {
                self.problems.push(format!("{key} must be http(s)://host[:port] without a path"));
                None
            }
        }
    }

    fn admin_ids(&mut self, key: &str) -> Vec<TelegramUserId> {
        let Some(value) = self.optional(key) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<i64>().ok().and_then(|n| TelegramUserId::parse(n).ok()) {
                Some(id) => ids.push(id),
                None => self.problems.push(format!("{key} has an entry that is not a user id")),
            }
        }
        ids
    }

    fn squads(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.optional(key) else {
            return Vec::new();
        };
        let mut squads = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if is_uuid(part) {
                squads.push(part.to_ascii_lowercase());
            } else {
                self.problems.push(format!("{key} has an entry that is not a uuid"));
            }
        }
        squads
    }

    fn number(&mut self, key: &str, default: u64, range: std::ops::RangeInclusive<u64>) -> u64 {
        let Some(value) = self.optional(key) else {
            return default;
        };
        match value.parse::<u64>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                let (lo, hi) = (range.start(), range.end());
                self.problems.push(format!("{key} must be a whole number from {lo} to {hi}"));
                default
            }
        }
    }

    /// A comma-separated list of 1 to 5 distinct hours (1–720), largest first.
    fn hours(&mut self, key: &str, default: &[u32]) -> Vec<u32> {
        let Some(value) = self.optional(key) else {
            return default.to_vec();
        };
        // Insertion into place keeps them largest first without pulling a sort into the wasm.
        let mut hours: Vec<u32> = Vec::new();
        for hour in value.split(',').filter_map(|h| h.trim().parse::<u32>().ok()) {
            if !hours.contains(&hour) {
                let at = hours.iter().position(|h| *h < hour).unwrap_or(hours.len());
                hours.insert(at, hour);
            }
        }
        let count = value.split(',').count();
        if hours.is_empty()
            || hours.len() != count
            || count > 5
            || hours.iter().any(|h| !(1..=720).contains(h))
        {
            self.problems
                .push(format!("{key} must be 1 to 5 distinct whole hours from 1 to 720, comma-separated"));
            return default.to_vec();
        }
        hours
    }

    /// All keys present → the channel is on; none → off; some → off with a warning.
    fn channel(&mut self, name: &str, keys: &[&str]) -> Option<Vec<String>> {
        let values: Vec<Option<String>> = keys.iter().map(|k| self.optional(k)).collect();
        let missing: Vec<&str> =
            keys.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
        if missing.is_empty() {
            return Some(values.into_iter().flatten().collect());
        }
        if missing.len() < keys.len() {
            let list = missing.join(", ");
            self.warnings.push(format!("{name} is switched off: {list} missing"));
        }
        None
    }
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups.iter().zip(lens).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn minimal() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            ("TELEGRAM_BOT_TOKEN", "123:abc"),
            ("TELEGRAM_WEBHOOK_SECRET", "hook-secret_1"),
            ("BOT_USERNAME", "@WavegateBot"),
            ("REMNAWAVE_URL", "https://panel.example.com/"),
            ("REMNAWAVE_TOKEN", "panel-token"),
        ])
    }

    fn parse(vars: &HashMap<&str, &str>) -> Result<Config, ConfigError> {
        Config::from_lookup(|k| vars.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn minimal_config_parses_with_defaults_and_channels_off() {
        let config = parse(&minimal()).unwrap();
        assert_eq!(config.telegram.api_base, "https://api.telegram.org");
        assert_eq!(config.telegram.bot_username, "WavegateBot");
        assert_eq!(config.remnawave.url, "https://panel.example.com");
        assert!(config.razorpay.is_none() && config.xendit.is_none() && config.cryptopay.is_none());
        assert!(config.admin_ids.is_empty() && config.remnawave.squads.is_empty());
        assert_eq!(config.trial, TrialConfig { days: 3, traffic_limit_bytes: 10 * GIB });
        assert!(config.warnings.is_empty());
    }

    #[test]
    fn a_short_jwt_secret_turns_the_cabinet_off_with_a_warning() {
        let mut vars = minimal();
        vars.insert("JWT_SECRET", "short-secret");
        let config = parse(&vars).unwrap();
        assert!(config.jwt_secret.is_none());
        assert!(config.warnings[0].starts_with("JWT_SECRET"));
        vars.insert("JWT_SECRET", "0123456789abcdef0123456789abcdef");
        assert!(parse(&vars).unwrap().jwt_secret.is_some());
    }

    #[test]
    fn the_mini_app_signature_key_is_telegrams_unless_set_and_must_be_32_bytes_of_hex() {
        let production = parse(&minimal()).unwrap().webapp_public_key;
        assert_eq!(production[..4], [0xe7, 0xbf, 0x03, 0xa2]);
        let mut vars = minimal();
        vars.insert("TELEGRAM_WEBAPP_PUBLIC_KEY", crate::telegram::webapp::TELEGRAM_TEST_PUBLIC_KEY);
        assert_eq!(parse(&vars).unwrap().webapp_public_key[..2], [0x40, 0x05]);
        vars.insert("TELEGRAM_WEBAPP_PUBLIC_KEY", "abcd");
        assert!(parse(&vars).unwrap_err().problems[0].starts_with("TELEGRAM_WEBAPP_PUBLIC_KEY"));
    }

    #[test]
    fn every_missing_required_key_is_reported_at_once() {
        let err = parse(&HashMap::new()).unwrap_err();
        for key in [
            "TELEGRAM_BOT_TOKEN",
            "TELEGRAM_WEBHOOK_SECRET",
            "BOT_USERNAME",
            "REMNAWAVE_URL",
            "REMNAWAVE_TOKEN",
        ] {
            assert!(err.problems.iter().any(|p| p.starts_with(key)), "{key}: {err}");
        }
    }

    #[test]
    fn reminder_hours_default_to_72_and_24_and_are_sorted_largest_first() {
        assert_eq!(parse(&minimal()).unwrap().reminder_hours, vec![72, 24]);
        let mut vars = minimal();
        vars.insert("REMINDER_HOURS", "1, 168,24");
        assert_eq!(parse(&vars).unwrap().reminder_hours, vec![168, 24, 1]);
    }

    #[test]
    fn empty_values_count_as_missing() {
        let mut vars = minimal();
        vars.insert("TELEGRAM_BOT_TOKEN", "  ");
        assert!(parse(&vars).unwrap_err().problems[0].contains("TELEGRAM_BOT_TOKEN"));
    }

    #[test]
    fn invalid_values_are_rejected_by_key() {
        let cases = [
            ("REMNAWAVE_URL", "https://panel.example.com/api"),
            ("REMNAWAVE_URL", "panel.example.com"),
            ("TELEGRAM_API_BASE", "ftp://x"),
            ("TELEGRAM_WEBHOOK_SECRET", "has space"),
            ("ADMIN_TELEGRAM_IDS", "1,abc"),
            ("REMNAWAVE_SQUADS", "not-a-uuid"),
            ("TRIAL_DAYS", "0"),
            ("TRIAL_DAYS", "many"),
            ("REMINDER_HOURS", "72,abc"),
            ("REMINDER_HOURS", "0"),
            ("REMINDER_HOURS", "24,24"),
            ("REMINDER_HOURS", "1,2,3,4,5,6"),
        ];
        for (key, value) in cases {
            let mut vars = minimal();
            vars.insert(key, value);
            let err = parse(&vars).unwrap_err();
            assert!(err.problems.iter().any(|p| p.starts_with(key)), "{key}={value}: {err}");
        }
    }

    #[test]
    fn lists_and_channels_parse() {
        let mut vars = minimal();
        vars.insert("ADMIN_TELEGRAM_IDS", " 11, 22 ,");
        vars.insert("REMNAWAVE_SQUADS", "A1B2C3D4-0000-4000-8000-000000000001");
        vars.insert("CRYPTOPAY_TOKEN", "12345:AAkat");
        vars.insert("XENDIT_SECRET_KEY", "xnd_secret");
        let config = parse(&vars).unwrap();
        assert_eq!(config.admin_ids.iter().map(|i| i.get()).collect::<Vec<_>>(), vec![11, 22]);
        assert_eq!(config.remnawave.squads, vec!["a1b2c3d4-0000-4000-8000-000000000001"]);
        assert_eq!(config.cryptopay.unwrap().api_base, "https://pay.crypt.bot");
        assert!(config.xendit.is_none());
        assert_eq!(config.warnings, vec!["Xendit is switched off: XENDIT_CALLBACK_TOKEN missing"]);
    }

    #[test]
    fn secrets_never_appear_in_debug_output_or_errors() {
        let config = parse(&minimal()).unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains("123:abc") && !printed.contains("panel-token"));
        let mut vars = minimal();
        vars.insert("TELEGRAM_WEBHOOK_SECRET", "bad secret value");
        assert!(!parse(&vars).unwrap_err().to_string().contains("bad secret value"));
    }
}
