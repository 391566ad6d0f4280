//! Promo codes: what a code is, what redeeming one gives, and the discount rule every checkout
//! and payment check shares.
//!
//! ```text
//! admin:  /promo_new SPRING25 percent 25 100 2027-03-31   → 25% off, 100 uses, through 31 March
//! anna:   /promo spring25
//!   → redeem: one batch claims a use (active, not expired, uses left, not hers yet) and
//!     records her redemption; the count of redemptions is the code's `used_count`
//!   → a days code: a free bonus order, put on the panel by the provisioning queue
//!   → a percent code: her next order is priced at the discount (the invoice, pre-checkout
//!     and every webhook's amount check see that price); paying it spends the discount
//! ```
//!
//! A code is redeemed at most `max_uses` times even when many customers race for the last
//! use: the claim is one guarded `INSERT … SELECT` inside the batch, and D1 runs batches one
//! at a time, so the second racer's guard already counts the first one's redemption.

use chrono::NaiveDate;

use crate::money::Money;

use super::catalog::{PayMethod, Plan};
use super::ports::{Job, Jobs};
use super::store::StoreError;

/// The longest code an admin can create (and so a customer can type).
pub const MAX_CODE_LEN: usize = 32;
/// Bounds on what one code gives: days codes up to ten years, discounts up to 90% (a free
/// plan is a days code; a 99% price would fall under the providers' minimum amounts).
pub const MAX_DAYS: u32 = 3650;
pub const MAX_PERCENT: u8 = 90;

/// A promo code: 3–32 ASCII letters, digits, `_` or `-`, compared without case (stored and
/// shown upper-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PromoCode(String);

impl PromoCode {
    pub fn parse(text: &str) -> Option<PromoCode> {
        let code = text.trim();
        let valid = (3..=MAX_CODE_LEN).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        valid.then(|| PromoCode(code.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PromoCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a code gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromoKind {
    /// Days added to the subscription (kept until the first one, like referral days).
    Days(u32),
    /// A percentage off the next purchase.
    Percent(u8),
}

impl PromoKind {
    pub fn code(self) -> &'static str {
        match self {
            PromoKind::Days(_) => "days",
            PromoKind::Percent(_) => "percent",
        }
    }

    pub fn value(self) -> i64 {
        match self {
            PromoKind::Days(d) => i64::from(d),
            PromoKind::Percent(p) => i64::from(p),
        }
    }

    /// From the stored columns; `None` for a row out of bounds (a hand edit).
    pub fn from_row(kind: &str, value: i64) -> Option<PromoKind> {
        match kind {
            "days" => u32::try_from(value).ok().filter(|d| (1..=MAX_DAYS).contains(d)).map(PromoKind::Days),
            "percent" => {
                u8::try_from(value).ok().filter(|p| (1..=MAX_PERCENT).contains(p)).map(PromoKind::Percent)
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for PromoKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromoKind::Days(d) => write!(f, "+{d} days"),
            PromoKind::Percent(p) => write!(f, "{p}% off"),
        }
    }
}

/// A code an admin creates: `/promo_new CODE days|percent VALUE [max uses] [expiry YYYY-MM-DD]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromo {
    pub code: PromoCode,
    pub kind: PromoKind,
    pub max_uses: Option<u32>,
    /// Redeemable before this time: the end (UTC) of the expiry day given.
    pub valid_until: Option<i64>,
}

impl NewPromo {
    /// Parses the command's arguments; the error says what is wrong, for the admin.
    pub fn parse(args: &str) -> Result<NewPromo, String> {
        let words: Vec<&str> = args.split_whitespace().collect();
        let (code, kind, value, rest) = match words.as_slice() {
            [code, kind, value, rest @ ..] if rest.len() <= 2 => (*code, *kind, *value, rest),
            _ => return Err("expected CODE days|percent VALUE [max uses] [expiry YYYY-MM-DD]".into()),
        };
        let code =
            PromoCode::parse(code).ok_or("the code must be 3–32 letters, digits, dashes or underscores")?;
        let kind = match (kind.to_ascii_lowercase().as_str(), value.parse::<u32>()) {
            ("days", Ok(d)) if (1..=MAX_DAYS).contains(&d) => PromoKind::Days(d),
            ("percent", Ok(p)) if (1..=u32::from(MAX_PERCENT)).contains(&p) => {
                PromoKind::Percent(u8::try_from(p).map_err(|_| "percent out of range")?)
            }
            ("days", _) => return Err(format!("days must be a whole number from 1 to {MAX_DAYS}")),
            ("percent", _) => return Err(format!("percent must be a whole number from 1 to {MAX_PERCENT}")),
            _ => return Err("the kind is days or percent".into()),
        };
        let mut max_uses = None;
        let mut valid_until = None;
        for (i, word) in rest.iter().enumerate() {
            if let Some(date) = parse_date(word) {
                if i + 1 != rest.len() {
                    return Err("the expiry comes last".into());
                }
                let end = date.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or("bad expiry date")?;
                valid_until = Some(end.and_utc().timestamp());
            } else {
                match word.parse::<u32>() {
                    Ok(n) if n > 0 && i == 0 => max_uses = Some(n),
                    _ => return Err(format!("\"{word}\" is neither a number of uses nor a YYYY-MM-DD date")),
                }
            }
        }
        Ok(NewPromo { code, kind, max_uses, valid_until })
    }
}

/// `YYYY-MM-DD` (chrono's format parser would add tens of KB to the Worker for one field).
fn parse_date(word: &str) -> Option<NaiveDate> {
    let bytes = word.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        let part = word.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse::<u32>().ok()).flatten()
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// A code as the admins' list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PromoInfo {
    pub code: String,
    pub kind: Option<PromoKind>,
    pub max_uses: Option<i64>,
    pub used: i64,
    pub valid_until: Option<i64>,
    pub active: bool,
}

/// A discount the customer holds (redeemed, not spent yet) or an order carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discount {
    pub redemption_id: i64,
    pub percent: u8,
}

/// What redeeming a code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// Free days: a bonus order (provisioning is queued).
    Days { days: u32, order: String },
    /// A discount on the next purchase.
    Discount { percent: u8 },
}

/// Why a code was not redeemed; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such code.
    Unknown,
    /// Switched off by an admin, or past its expiry.
    Expired,
    /// Every use taken.
    Exhausted,
    /// This customer redeemed it before.
    AlreadyUsed,
    /// A discount code while the customer still holds an unspent discount.
    DiscountWaiting,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::Unknown => "promo-unknown",
            Refusal::Expired => "promo-expired",
            Refusal::Exhausted => "promo-exhausted",
            Refusal::AlreadyUsed => "promo-used",
            Refusal::DiscountWaiting => "promo-discount-waiting",
        }
    }
}

/// A code's state as the store reads it after a redemption did not happen.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeState {
    pub active: bool,
    pub valid_until: Option<i64>,
    pub max_uses: Option<i64>,
    pub used: i64,
    pub kind: Option<PromoKind>,
    /// The customer redeemed this code before.
    pub used_by_customer: bool,
    /// The customer holds an unspent discount.
    pub discount_waiting: bool,
}

/// Why a code that was not redeemed was refused (the first rule it breaks).
pub fn refusal(state: Option<&CodeState>, now: i64) -> Refusal {
    let Some(s) = state else { return Refusal::Unknown };
    if s.used_by_customer {
        Refusal::AlreadyUsed
    } else if !s.active || s.valid_until.is_some_and(|until| until <= now) || s.kind.is_none() {
        Refusal::Expired
    } else if s.max_uses.is_some_and(|max| s.used >= max) {
        Refusal::Exhausted
    } else {
        Refusal::DiscountWaiting
    }
}

/// A price after a percentage off: rounded to the nearest minor unit, never below one.
pub fn discounted(price: Money, percent: u8) -> Money {
    let minor = discounted_minor(price.minor(), percent);
    Money::new(minor, price.currency()).unwrap_or(price)
}

/// What a plan costs a customer paying with `method`: its price, less the discount they hold,
/// except on a Stars subscription (its price repeats every period; a one-off discount must not).
/// The discount comes back when it applies.
pub fn price_for(
    plan: &Plan,
    method: PayMethod,
    discount: Option<Discount>,
) -> Option<(Money, Option<Discount>)> {
    let price = plan.price(method.currency())?;
    Some(match discount {
        Some(d) if method != PayMethod::StarsSubscription => (discounted(price, d.percent), Some(d)),
        _ => (price, None),
    })
}

pub fn discounted_minor(minor: i64, percent: u8) -> i64 {
    let keep = 100 - i64::from(percent.min(100));
    ((minor.saturating_mul(keep) + 50) / 100).max(1)
}

/// What storage does for promo codes; every write is one guarded statement or batch.
#[allow(async_fn_in_trait)]
pub trait PromoStore {
    /// Creates the code; `false` if a code with that name exists (in any case).
    async fn create_promo(&self, promo: &NewPromo, admin: i64, now: i64) -> Result<bool, StoreError>;
    /// The newest codes first, at most `limit`.
    async fn promos(&self, limit: u32) -> Result<Vec<PromoInfo>, StoreError>;
    /// Switches a code off; `false` if there is no such active code.
    async fn deactivate_promo(&self, code: &PromoCode, admin: i64, now: i64) -> Result<bool, StoreError>;
    /// Redeems the code for the user, atomically (see the module docs).
    async fn redeem_promo(
        &self,
        user_id: i64,
        code: &PromoCode,
        now: i64,
    ) -> Result<Result<Redeemed, Refusal>, StoreError>;
    /// The discount the user holds and has not spent, if any.
    async fn pending_discount(&self, user_id: i64) -> Result<Option<Discount>, StoreError>;
}

/// Redeems a code and queues what it gives (a days code's bonus order).
pub async fn redeem<S: PromoStore, J: Jobs>(
    store: &S,
    jobs: &J,
    user_id: i64,
    code: &PromoCode,
    now: i64,
) -> Result<Result<Redeemed, Refusal>, StoreError> {
    let outcome = store.redeem_promo(user_id, code, now).await?;
    if let Ok(Redeemed::Days { order, .. }) = &outcome {
        // If this fails the order stays paid and unprovisioned: the hourly reconciliation
        // queues it (a redeemed code is never lost).
        jobs.enqueue(&Job::Provision { order: order.clone() }).await?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn codes_are_short_words_of_letters_digits_dashes_and_underscores() {
        assert_eq!(PromoCode::parse(" spring_25 ").map(|c| c.0), Some("SPRING_25".into()));
        assert_eq!(PromoCode::parse("NEW-YEAR").map(|c| c.0), Some("NEW-YEAR".into()));
        for bad in ["", "ab", "spring 25", "code!", "кириллица", &"X".repeat(MAX_CODE_LEN + 1)] {
            assert_eq!(PromoCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn admins_create_codes_with_optional_uses_and_expiry() {
        let p = NewPromo::parse("spring25 percent 25 100 2027-03-31").expect("valid");
        assert_eq!(p.code.as_str(), "SPRING25");
        assert_eq!(p.kind, PromoKind::Percent(25));
        assert_eq!(p.max_uses, Some(100));
        // Redeemable through the whole of 31 March (UTC).
        assert_eq!(p.valid_until, Some(1_806_537_600));
        let p = NewPromo::parse("FREE7 days 7 2027-01-01").expect("valid");
        assert_eq!((p.kind, p.max_uses), (PromoKind::Days(7), None));
        let p = NewPromo::parse("FREE7 DAYS 7").expect("valid");
        assert_eq!((p.max_uses, p.valid_until), (None, None));
        for bad in [
            "",
            "FREE7 days",
            "FREE7 hours 7",
            "FREE7 days 0",
            "FREE7 days 3651",
            "FREE7 percent 91",
            "FREE7 percent -5",
            "FREE7 days 7 0",
            "FREE7 days 7 2027-01-01 5",
            "FREE7 days 7 5 6",
            "FREE7 days 7 tomorrow",
            "FREE7 days 7 2027-02-30",
            "FREE7 days 7 2027-1-01",
            "F! days 7",
        ] {
            assert!(NewPromo::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn discounts_round_to_the_nearest_minor_unit_and_never_reach_zero() {
        let stars = |n| Money::new(n, Currency::Xtr).expect("stars");
        assert_eq!(discounted(stars(100), 25), stars(75));
        assert_eq!(discounted(stars(250), 15), stars(213)); // 212.5 → 213
        assert_eq!(discounted(Money::new(16900, Currency::Inr).expect("inr"), 10).minor(), 15210);
        assert_eq!(discounted(Money::new(32000, Currency::Idr).expect("idr"), 33).minor(), 21440);
        assert_eq!(discounted_minor(1, 90), 1);
        assert_eq!(discounted(stars(100), 25).currency(), Currency::Xtr);
    }

    #[test]
    fn a_refusal_names_the_first_rule_the_code_breaks() {
        let now = 1_800_000_000;
        let ok = CodeState {
            active: true,
            valid_until: Some(now + 1),
            max_uses: Some(5),
            used: 4,
            kind: Some(PromoKind::Percent(10)),
            used_by_customer: false,
            discount_waiting: true,
        };
        assert_eq!(refusal(None, now), Refusal::Unknown);
        assert_eq!(refusal(Some(&ok), now), Refusal::DiscountWaiting);
        assert_eq!(
            refusal(Some(&CodeState { used_by_customer: true, ..ok.clone() }), now),
            Refusal::AlreadyUsed
        );
        assert_eq!(refusal(Some(&CodeState { active: false, ..ok.clone() }), now), Refusal::Expired);
        assert_eq!(refusal(Some(&CodeState { valid_until: Some(now), ..ok.clone() }), now), Refusal::Expired);
        assert_eq!(refusal(Some(&CodeState { used: 5, ..ok.clone() }), now), Refusal::Exhausted);
    }

    #[test]
    fn stored_kinds_out_of_bounds_are_no_kind() {
        assert_eq!(PromoKind::from_row("days", 7), Some(PromoKind::Days(7)));
        assert_eq!(PromoKind::from_row("percent", 100), None);
        assert_eq!(PromoKind::from_row("hours", 1), None);
    }
}
