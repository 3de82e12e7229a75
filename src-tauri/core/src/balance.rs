//! The account balance as Clickatell reports it, kept exact.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A balance reading: an exact decimal (never a float, so "300.50" stays "300.50") and the
/// currency when the API names one (the legacy REST API counts credits and names none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: Option<String>,
}

impl Balance {
    /// The unit a person reads after the amount: the currency code, or "credits".
    pub fn unit(&self) -> &str {
        self.currency.as_deref().unwrap_or("credits")
    }
}

/// An amount with thousands separators for people ("1,120.00"), keeping every decimal.
pub fn group_thousands(amount: Decimal) -> String {
    let text = amount.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `level` written with at least `scale` decimals, so a level of 100 next to a balance of
/// 80.00 reads "100.00".
pub fn with_scale_of(mut level: Decimal, scale: u32) -> Decimal {
    if level.scale() < scale {
        level.rescale(scale);
    }
    level
}

impl std::fmt::Display for Balance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount, self.unit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn groups_thousands_for_people() {
        let g = |s: &str| group_thousands(Decimal::from_str(s).unwrap());
        assert_eq!(g("1120.00"), "1,120.00");
        assert_eq!(g("120.00"), "120.00");
        assert_eq!(g("1234567.891"), "1,234,567.891");
        assert_eq!(g("-1000"), "-1,000");
        assert_eq!(g("0.5"), "0.5");
    }

    #[test]
    fn keeps_scale_when_printed() {
        let b = Balance {
            amount: Decimal::from_str("300.50").unwrap(),
            currency: None,
        };
        assert_eq!(b.to_string(), "300.50 credits");
        let b = Balance {
            amount: Decimal::from_str("1267.92865").unwrap(),
            currency: Some("ZAR".into()),
        };
        assert_eq!(b.to_string(), "1267.92865 ZAR");
    }
}
