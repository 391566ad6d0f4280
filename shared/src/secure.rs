//! Constant-time comparison of secrets.
//!
//! A plain `==` returns at the first differing byte, which leaks how much of a guessed secret
//! was right through timing. `subtle` compares every byte; the length is not secret.

use subtle::ConstantTimeEq;

/// True when `given` equals `expected`, compared in time independent of where they differ.
pub fn secret_eq(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && bool::from(given.ct_eq(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_secrets_match_and_any_difference_does_not() {
        assert!(secret_eq(b"s3cret", b"s3cret"));
        assert!(!secret_eq(b"s3cret", b"s3cres"));
        assert!(!secret_eq(b"s3cret", b"s3cret-longer"));
        assert!(!secret_eq(b"", b"x"));
    }
}
