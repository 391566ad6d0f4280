//! Localized texts from Fluent catalogs (`shared/locales/*.ftl`).
//!
//! One source for every text the bot sends and the web site shows. Natively (tests, tools) the
//! catalogs are compiled in. The Worker does not carry them: 17 KiB gzipped of text is better
//! spent on code under the 500 KiB bundle budget, and the site build already publishes them as
//! static assets (`/locales/<code>.ftl`), so the Worker reads them from its assets binding once
//! per isolate and hands them to [`install`] before any text is formatted. Each catalog is
//! parsed once per isolate, on first use, and kept in a thread-local (Workers run one thread
//! per isolate). A key missing from a
//! catalog falls back to English, then to the key itself: a missing translation must never
//! turn into an error for the user. Bidi isolation marks are off because Telegram renders them
//! as visible junk in some clients.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{FixedOffset, Offset};
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

/// The bot's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Ru,
    Hi,
    Id,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Ru, Locale::Hi, Locale::Id];

    /// Parses a stored choice (`en`, `ru`, `hi`, `id`).
    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first guess from Telegram's `language_code` (an IETF tag such as `ru`, `pt-br`).
    /// Java-era `in` still shows up for Indonesian. Anything else is English.
    pub fn from_telegram(language_code: Option<&str>) -> Locale {
        let primary = language_code
            .unwrap_or_default()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Locale::Ru,
            "hi" => Locale::Hi,
            "id" | "in" => Locale::Id,
            _ => Locale::En,
        }
    }

    /// The user's stored choice wins, then Telegram's language, then English.
    pub fn resolve(stored: Option<&str>, language_code: Option<&str>) -> Locale {
        stored.and_then(Locale::from_code).unwrap_or_else(|| Locale::from_telegram(language_code))
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
            Locale::Hi => "hi",
            Locale::Id => "id",
        }
    }

    /// The language's own name, for the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "🇬🇧 English",
            Locale::Ru => "🇷🇺 Русский",
            Locale::Hi => "🇮🇳 हिन्दी",
            Locale::Id => "🇮🇩 Bahasa Indonesia",
        }
    }

    /// The time zone dates are shown in (product.md): UTC, Europe/Moscow, Asia/Kolkata,
    /// Asia/Jakarta. None of these has daylight saving, so fixed offsets are exact and spare
    /// the bundle a time-zone database.
    pub fn time_zone(self) -> FixedOffset {
        let seconds = match self {
            Locale::En => 0,
            Locale::Ru => 3 * 3600,
            Locale::Hi => 5 * 3600 + 1800,
            Locale::Id => 7 * 3600,
        };
        // The offsets are constants well inside ±24 h, so `east_opt` cannot fail; UTC otherwise.
        FixedOffset::east_opt(seconds).unwrap_or(chrono::Utc.fix())
    }

    /// The catalog's text: the installed one, else (natively) the compiled-in one.
    fn source(self) -> Rc<str> {
        let installed = SOURCES.with(|s| s.borrow()[self.index()].clone());
        installed.unwrap_or_else(|| Rc::from(self.compiled_in()))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn compiled_in(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.ftl"),
            Locale::Ru => include_str!("../locales/ru.ftl"),
            Locale::Hi => include_str!("../locales/hi.ftl"),
            Locale::Id => include_str!("../locales/id.ftl"),
        }
    }

    /// Not in the Worker: [`install`] provides the catalogs there.
    #[cfg(target_arch = "wasm32")]
    fn compiled_in(self) -> &'static str {
        ""
    }

    /// The IANA name of [`Locale::time_zone`], for pages that format dates themselves.
    pub fn time_zone_name(self) -> &'static str {
        match self {
            Locale::En => "UTC",
            Locale::Ru => "Europe/Moscow",
            Locale::Hi => "Asia/Kolkata",
            Locale::Id => "Asia/Jakarta",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

type Bundle = FluentBundle<FluentResource>;

thread_local! {
    static SOURCES: RefCell<[Option<Rc<str>>; 4]> = const { RefCell::new([const { None }; 4]) };
    static BUNDLES: RefCell<[Option<Rc<Bundle>>; 4]> = const { RefCell::new([const { None }; 4]) };
}

/// Provides a catalog's text (the Worker's, read from its static assets). A bundle already
/// built for the locale is dropped, so the next text uses the new catalog.
pub fn install(locale: Locale, source: String) {
    SOURCES.with(|s| s.borrow_mut()[locale.index()] = Some(Rc::from(source)));
    BUNDLES.with(|b| b.borrow_mut()[locale.index()] = None);
}

/// Whether every catalog is available (always natively; in the Worker after [`install`]).
pub fn ready() -> bool {
    Locale::ALL.iter().all(|l| !l.source().is_empty())
}

fn bundle(locale: Locale) -> Rc<Bundle> {
    if let Some(bundle) = BUNDLES.with(|b| b.borrow()[locale.index()].clone()) {
        return bundle;
    }
    let bundle = Rc::new(build_bundle(locale));
    BUNDLES.with(|b| b.borrow_mut()[locale.index()] = Some(bundle.clone()));
    bundle
}

fn build_bundle(locale: Locale) -> Bundle {
    let lang = locale.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![lang]);
    bundle.set_use_isolating(false);
    // The catalogs are ours and checked by tests; a syntax error still keeps the valid entries.
    let resource = FluentResource::try_new(locale.source().to_string()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// Formats texts for one locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Texts {
    pub locale: Locale,
}

impl Texts {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    /// The message for `key` without arguments.
    pub fn get(&self, key: &str) -> String {
        self.format(key, &[])
    }

    /// The message for `key`, or `None` when no catalog has it (for keys built from data,
    /// such as `plan-<slug>`, where the caller has its own fallback).
    pub fn find(&self, key: &str) -> Option<String> {
        let args = FluentArgs::new();
        format_in(self.locale, key, &args).or_else(|| format_in(Locale::En, key, &args))
    }

    /// The message for `key` with named arguments (strings or numbers).
    pub fn format(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        format_in(self.locale, key, &fluent_args)
            .or_else(|| format_in(Locale::En, key, &fluent_args))
            .unwrap_or_else(|| key.to_string())
    }
}

/// An argument value for [`Texts::format`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

fn format_in(locale: Locale, key: &str, args: &FluentArgs) -> Option<String> {
    let bundle = bundle(locale);
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(args), &mut errors).into_owned();
    errors.is_empty().then_some(text)
}

/// The message ids of a catalog (used by tests to compare catalogs).
pub fn message_ids(locale: Locale) -> Vec<String> {
    let resource = match FluentResource::try_new(locale.source().to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_parses_without_errors() {
        for locale in Locale::ALL {
            assert!(FluentResource::try_new(locale.source().to_string()).is_ok(), "{locale:?}");
        }
    }

    #[test]
    fn every_key_is_present_in_all_four_catalogs() {
        let english = message_ids(Locale::En);
        assert!(english.len() >= 10);
        for locale in Locale::ALL {
            let mut ids = message_ids(locale);
            let mut expected = english.clone();
            ids.sort();
            expected.sort();
            assert_eq!(ids, expected, "{locale:?} differs from en");
        }
    }

    #[test]
    fn translations_are_real_not_english_copies() {
        for locale in [Locale::Ru, Locale::Hi, Locale::Id] {
            let texts = Texts::new(locale);
            for key in message_ids(Locale::En).into_iter().filter(|k| bot_key(k)) {
                if SAME_IN_EVERY_LANGUAGE.contains(&key.as_str()) {
                    continue;
                }
                let args = sample_args();
                let english = Texts::new(Locale::En).format(&key, &args);
                let translated = texts.format(&key, &args);
                assert_ne!(english, translated, "{locale:?}/{key} is an English copy");
            }
        }
    }

    #[test]
    fn every_message_formats_with_its_arguments_in_every_locale() {
        for locale in Locale::ALL {
            for key in message_ids(locale).into_iter().filter(|k| bot_key(k)) {
                let text = Texts::new(locale).format(&key, &sample_args());
                assert!(!text.contains('{') && text != key, "{locale:?}/{key}: {text}");
                assert!(format_in(locale, &key, &FluentArgs::new()).is_some() || text.len() > 1);
            }
        }
    }

    #[test]
    fn arguments_are_substituted_without_isolation_marks() {
        let text = Texts::new(Locale::Ru).format("welcome-back", &[("name", "Иван".into())]);
        assert_eq!(text, "С возвращением, Иван! Что хотите сделать?");
    }

    #[test]
    fn unknown_keys_fall_back_to_the_key_itself() {
        assert_eq!(Texts::new(Locale::Hi).get("no-such-key"), "no-such-key");
        assert_eq!(Texts::new(Locale::Hi).find("no-such-key"), None);
        assert!(Texts::new(Locale::Ru).find("plan-monthly").is_some());
    }

    #[test]
    fn locale_resolution_prefers_the_stored_choice_then_telegram_then_english() {
        assert_eq!(Locale::resolve(Some("hi"), Some("ru")), Locale::Hi);
        assert_eq!(Locale::resolve(None, Some("ru")), Locale::Ru);
        assert_eq!(Locale::resolve(Some("xx"), Some("id")), Locale::Id);
        assert_eq!(Locale::resolve(None, Some("in")), Locale::Id);
        assert_eq!(Locale::resolve(None, Some("hi-IN")), Locale::Hi);
        assert_eq!(Locale::resolve(None, Some("pt-br")), Locale::En);
        assert_eq!(Locale::resolve(None, None), Locale::En);
    }

    #[test]
    fn time_zones_follow_the_locale() {
        assert_eq!(Locale::Hi.time_zone().local_minus_utc(), 19800);
        assert_eq!(Locale::Ru.time_zone().local_minus_utc(), 10800);
        assert_eq!(Locale::Id.time_zone().local_minus_utc(), 25200);
        assert_eq!(Locale::En.time_zone().local_minus_utc(), 0);
    }

    /// The site's, the cabinet's and the operator console's keys (`site-`, `app-`, `adm-`) are
    /// rendered by the site build, which checks their variables and plurals in every locale itself
    /// (tests/site.test.mjs).
    fn bot_key(key: &str) -> bool {
        !key.starts_with("site-") && !key.starts_with("app-") && !key.starts_with("adm-")
    }

    fn sample_args() -> Vec<(&'static str, Arg)> {
        vec![
            ("name", "Ivan".into()),
            ("trialDays", 3.into()),
            ("bonusDays", 7.into()),
            ("link", "https://t.me/bot?start=ref_abcdefgh".into()),
            ("invited", 2.into()),
            ("contact", "@support".into()),
            ("days", 30.into()),
            ("traffic", "100 GB".into()),
            ("devices", 3.into()),
            ("prices", "⭐100 · $2.00".into()),
            ("gb", 100.into()),
            ("price", "⭐100".into()),
            ("expires", "31.12.2026 23:59".into()),
            ("amount", "⭐100".into()),
            ("plan", "Monthly".into()),
            ("percent", 80.into()),
            ("paying", 1.into()),
            ("at", 3.into()),
            ("toGo", 2.into()),
            ("rank", 2.into()),
            ("period", "This week".into()),
            ("status", "active".into()),
            ("used", "1.2 GB".into()),
            ("limit", "100 GB".into()),
            ("code", "SPRING25".into()),
        ]
    }

    /// Messages that are the same in every language: brand names and prices, a dash, the
    /// Latin "GB" that Hindi and Indonesian apps use.
    const SAME_IN_EVERY_LANGUAGE: &[&str] = &[
        "method-stars",
        "method-razorpay",
        "method-xendit",
        "invoice-title",
        "status-unknown-plan",
        "traffic-gb",
    ];
}
