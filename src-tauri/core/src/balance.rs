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
