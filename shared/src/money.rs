//! Money as integer minor units with a currency. Never floats.
//!
//! Minor units per currency: USD cents, INR paise, IDR whole rupiah (what Xendit takes),
//! XTR whole Telegram Stars.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Usd,
    Xtr,
    Inr,
    Idr,
}

impl Currency {
    pub const ALL: [Currency; 4] = [Currency::Xtr, Currency::Usd, Currency::Inr, Currency::Idr];

    pub fn parse(code: &str) -> Option<Currency> {
        match code {
            "USD" => Some(Currency::Usd),
            "XTR" => Some(Currency::Xtr),
            "INR" => Some(Currency::Inr),
            "IDR" => Some(Currency::Idr),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Xtr => "XTR",
            Currency::Inr => "INR",
            Currency::Idr => "IDR",
        }
    }

    /// Digits after the decimal point in the minor unit.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Usd | Currency::Inr => 2,
            Currency::Xtr | Currency::Idr => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency {0}")]
    Currency(String),
    #[error("amounts must be positive")]
    NotPositive,
}

impl Money {
    /// A positive amount in minor units.
    pub fn new(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        if minor > 0 {
            Ok(Money { minor, currency })
        } else {
            Err(MoneyError::NotPositive)
        }
    }

    pub fn parse(minor: i64, code: &str) -> Result<Money, MoneyError> {
        let currency = Currency::parse(code).ok_or_else(|| MoneyError::Currency(code.to_string()))?;
        Money::new(minor, currency)
    }

    /// A decimal amount in major units as providers write it (`"2.00"`, `"2"`, `"169.5"`), exact:
    /// more fraction digits than the currency has (unless zeros), signs, exponents or anything
    /// else is `None`, never rounded.
    pub fn from_decimal(text: &str, currency: Currency) -> Option<Money> {
        let exponent = currency.exponent() as usize;
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (text.contains('.') && !digits(fraction)) {
            return None;
        }
        let (kept, dropped) = fraction.split_at(fraction.len().min(exponent));
        if dropped.bytes().any(|b| b != b'0') {
            return None;
        }
        let mut minor: i64 = whole.parse().ok()?;
        for i in 0..exponent {
            let digit = kept.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
            minor = minor.checked_mul(10)?.checked_add(digit)?;
        }
        Money::new(minor, currency).ok()
    }

    /// The amount in major units with all of the currency's fraction digits (`"2.00"`, `"32000"`),
    /// as provider APIs take decimal strings.
    pub fn to_decimal(self) -> String {
        let exponent = self.currency.exponent();
        if exponent == 0 {
            return self.minor.to_string();
        }
        let scale = 10i64.pow(exponent);
        format!("{}.{:0width$}", self.minor / scale, self.minor % scale, width = exponent as usize)
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }
}

impl fmt::Display for Money {
    /// Human form with the currency's symbol and digit grouping: `⭐100`, `$2.00`, `₹1,339`,
    /// `Rp 32,000`. Whole rupees drop the paise (prices are whole).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10i64.pow(self.currency.exponent());
        let (whole, cents) = (self.minor / scale, self.minor % scale);
        let grouped = group_thousands(whole);
        match self.currency {
            Currency::Xtr => write!(f, "⭐{grouped}"),
            Currency::Usd => write!(f, "${grouped}.{cents:02}"),
            Currency::Inr if cents == 0 => write!(f, "₹{grouped}"),
            Currency::Inr => write!(f, "₹{grouped}.{cents:02}"),
            Currency::Idr => write!(f, "Rp {grouped}"),
        }
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_render_with_symbols_and_grouping() {
        let cases = [
            (100, "XTR", "⭐100"),
            (200, "USD", "$2.00"),
            (1600, "USD", "$16.00"),
            (16900, "INR", "₹169"),
            (133900, "INR", "₹1,339"),
            (133950, "INR", "₹1,339.50"),
            (32000, "IDR", "Rp 32,000"),
            (255000, "IDR", "Rp 255,000"),
            (1234567, "IDR", "Rp 1,234,567"),
        ];
        for (minor, code, expected) in cases {
            assert_eq!(Money::parse(minor, code).unwrap().to_string(), expected);
        }
    }

    #[test]
    fn amounts_must_be_positive_and_currencies_known() {
        assert_eq!(Money::parse(0, "XTR"), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse(-5, "USD"), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse(5, "EUR"), Err(MoneyError::Currency("EUR".into())));
    }

    #[test]
    fn decimal_amounts_are_exact_or_refused() {
        let usd = |m| Money::new(m, Currency::Usd).ok();
        assert_eq!(Money::from_decimal("2.00", Currency::Usd), usd(200));
        assert_eq!(Money::from_decimal("2", Currency::Usd), usd(200));
        assert_eq!(Money::from_decimal("4.99", Currency::Usd), usd(499));
        assert_eq!(Money::from_decimal("2.5", Currency::Usd), usd(250));
        assert_eq!(Money::from_decimal("2.000000", Currency::Usd), usd(200));
        for bad in ["2.001", "-2", "+2", "2e2", "", ".5", "2.", " 2", "0", "0.00", "1,5", "99999999999999999"]
        {
            assert_eq!(Money::from_decimal(bad, Currency::Usd), None, "{bad}");
        }
        assert_eq!(Money::from_decimal("32000", Currency::Idr).map(Money::minor), Some(32000));
        assert_eq!(Money::from_decimal("32000.5", Currency::Idr), None);
        assert_eq!(usd(200).map(Money::to_decimal).as_deref(), Some("2.00"));
        assert_eq!(Money::new(32000, Currency::Idr).map(Money::to_decimal).as_deref(), Ok("32000"));
    }
}
