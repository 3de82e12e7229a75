//! The low-balance levels and what they make of an amount: the one rule the monitor, the
//! alerts, the tray, the settings and the monitoring-plugin mode all derive their states from.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How low the balance is, ordered from fine to worst.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    #[default]
    Ok,
    Warning,
    Critical,
}

/// Warning and critical levels; a balance strictly below a level is in that state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Thresholds {
    pub warning: Option<Decimal>,
    pub critical: Option<Decimal>,
}

/// One level that makes no sense, and why, for the field or flag it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelProblem {
    /// The level at fault.
    pub level: Level,
    /// What is wrong, to follow the level's name ("must not be negative").
    pub message: String,
}

impl Level {
    /// The level's name in sentences ("the warning level").
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

impl Thresholds {
    /// The level of an amount: critical below the critical level, else warning below the
    /// warning level, else ok.
    pub fn level(&self, amount: Decimal) -> Level {
        if self.critical.is_some_and(|c| amount < c) {
            Level::Critical
        } else if self.warning.is_some_and(|w| amount < w) {
            Level::Warning
        } else {
            Level::Ok
        }
    }

    /// Every level that makes no sense on its own or with the other.
    pub fn problems(&self) -> Vec<LevelProblem> {
        let mut problems = Vec::new();
        for (level, value) in [
            (Level::Warning, self.warning),
            (Level::Critical, self.critical),
        ] {
            if value.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
                problems.push(LevelProblem {
                    level,
                    message: "must not be negative".into(),
                });
            }
        }
        if let (Some(w), Some(c)) = (self.warning, self.critical) {
            if c > w {
                problems.push(LevelProblem {
                    level: Level::Critical,
                    message: format!("must not be above the warning level ({w})"),
                });
            }
        }
        problems
    }

    /// Refuses levels that make no sense together, with the sentence to show.
    pub fn validate(&self) -> Result<(), String> {
        match self.problems().first() {
            Some(p) => Err(format!("the {} level {}", p.level.name(), p.message)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_balance_is_in_a_level_strictly_below_it() {
        let t = Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        };
        let table = [
            ("300.50", Level::Ok),
            ("100", Level::Ok),
            ("99.99", Level::Warning),
            ("50", Level::Warning),
            ("49.99", Level::Critical),
            ("-1", Level::Critical),
        ];
        for (amount, want) in table {
            assert_eq!(t.level(d(amount)), want, "{amount}");
        }
        assert_eq!(Thresholds::default().level(d("-5")), Level::Ok);
    }

    #[test]
    fn levels_that_make_no_sense_are_named() {
        let inverted = Thresholds {
            warning: Some(d("10")),
            critical: Some(d("20")),
        };
        assert_eq!(
            inverted.validate(),
            Err("the critical level must not be above the warning level (10)".into())
        );
        let negative = Thresholds {
            warning: Some(d("-1")),
            critical: None,
        };
        assert_eq!(negative.problems()[0].level, Level::Warning);
        let equal = Thresholds {
            warning: Some(d("10")),
            critical: Some(d("10")),
        };
        assert!(equal.problems().is_empty());
    }
}
