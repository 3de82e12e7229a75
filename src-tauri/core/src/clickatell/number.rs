//! Balance numbers read from their text into exact decimals, never through a float.

use rust_decimal::Decimal;

/// Why a text is not an exact number; the caller names what the number was ("the balance",
/// "the level") before it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("{0:?} is not a number")]
    NotANumber(String),
    #[error("{0:?} is too large or too precise to hold exactly")]
    Inexact(String),
}

/// Parses a JSON/XML number text ("300.50", "1267.92865", "-3", "1.5e3") exactly. Anything
/// else (empty, "NaN", "1,000", "0x10") or beyond a decimal's 28 digits is refused with a reason.
pub fn parse_exact(text: &str) -> Result<Decimal, NumberError> {
    let text = text.trim();
    if !is_plain_number(text) {
        return Err(NumberError::NotANumber(shorten(text)));
    }
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    parsed.map_err(|_| NumberError::Inexact(shorten(text)))
}

fn is_plain_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && frac.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// Keeps quoted server text short in messages.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly() {
        assert_eq!(parse_exact("300.50").unwrap().to_string(), "300.50");
        assert_eq!(parse_exact("1267.92865").unwrap().to_string(), "1267.92865");
        assert_eq!(parse_exact("-12.5").unwrap().to_string(), "-12.5");
        assert_eq!(parse_exact("0").unwrap().to_string(), "0");
        assert_eq!(parse_exact("1.5e3").unwrap().to_string(), "1500");
    }

    #[test]
    fn refuses_non_numbers_and_absurd_values() {
        for bad in [
            "", "NaN", "abc", "1,000", "1_000", "+5", "1.", ".5", "0x10", "1e", "--1",
        ] {
            assert!(parse_exact(bad).is_err(), "{bad:?}");
        }
        assert!(parse_exact("123456789012345678901234567890123").is_err());
        assert!(parse_exact("0.00000000000000000000000000000001").is_err());
    }
}
