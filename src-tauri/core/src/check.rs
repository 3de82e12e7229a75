//! Monitoring-plugin mode (Nagios, Icinga, Zabbix agents): a status, one line, an exit code.

use crate::{Balance, FetchError};
use rust_decimal::Decimal;

/// The plugin states, whose numbers are the exit codes monitoring systems expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl CheckStatus {
    /// The process exit code for this state.
    pub fn exit_code(self) -> i32 {
        self as i32
    }

    fn label(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }
}

/// Warning and critical levels; a balance strictly below a level is in that state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Thresholds {
    pub warning: Option<Decimal>,
    pub critical: Option<Decimal>,
}

impl Thresholds {
    /// Refuses levels that make no sense together, with the sentence to show.
    pub fn validate(&self) -> Result<(), String> {
        for (name, level) in [("warning", self.warning), ("critical", self.critical)] {
            if level.is_some_and(|l| l.is_sign_negative() && !l.is_zero()) {
                return Err(format!("the {name} level must not be negative"));
            }
        }
        if let (Some(w), Some(c)) = (self.warning, self.critical) {
            if c > w {
                return Err(format!(
                    "the critical level ({c}) must not be above the warning level ({w})"
                ));
            }
        }
        Ok(())
    }

    /// The state of a balance against these levels.
    pub fn evaluate(&self, amount: Decimal) -> CheckStatus {
        if self.critical.is_some_and(|c| amount < c) {
            CheckStatus::Critical
        } else if self.warning.is_some_and(|w| amount < w) {
            CheckStatus::Warning
        } else {
            CheckStatus::Ok
        }
    }
}

/// The result of a check: the state and the one line to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub status: CheckStatus,
    pub line: String,
}

/// The report for a fetched balance, with performance data `balance=V;W;C;;`.
pub fn report_balance(balance: &Balance, thresholds: &Thresholds) -> CheckReport {
    let status = thresholds.evaluate(balance.amount);
    let level = |l: Option<Decimal>| l.map(|v| v.to_string()).unwrap_or_default();
    let why = match status {
        CheckStatus::Critical => format!(
            " is below the critical level {}",
            level(thresholds.critical)
        ),
        CheckStatus::Warning => {
            format!(" is below the warning level {}", level(thresholds.warning))
        }
        _ => String::new(),
    };
    CheckReport {
        status,
        line: format!(
            "CLICKATELL {} - balance {}{} | balance={};{};{};;",
            status.label(),
            balance,
            why,
            balance.amount,
            level(thresholds.warning),
            level(thresholds.critical),
        ),
    }
}

/// The UNKNOWN report for anything that kept the check from reading a balance.
pub fn report_unknown(reason: &str) -> CheckReport {
    let one_line = reason.replace(['\n', '\r', '|'], " ");
    CheckReport {
        status: CheckStatus::Unknown,
        line: format!("CLICKATELL UNKNOWN - {one_line}"),
    }
}

/// The UNKNOWN report for a failed fetch.
pub fn report_fetch_error(error: &FetchError) -> CheckReport {
    report_unknown(&error.user_message())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn credits(s: &str) -> Balance {
        Balance {
            amount: d(s),
            currency: None,
        }
    }

    #[test]
    fn states_follow_the_levels() {
        let t = Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        };
        let table = [
            ("300.50", CheckStatus::Ok),
            ("100", CheckStatus::Ok),
            ("99.99", CheckStatus::Warning),
            ("50", CheckStatus::Warning),
            ("49.99", CheckStatus::Critical),
            ("-1", CheckStatus::Critical),
        ];
        for (amount, want) in table {
            assert_eq!(t.evaluate(d(amount)), want, "{amount}");
        }
        assert_eq!(Thresholds::default().evaluate(d("-5")), CheckStatus::Ok);
    }

    #[test]
    fn lines_follow_plugin_conventions() {
        let t = Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        };
        assert_eq!(
            report_balance(&credits("300.50"), &t).line,
            "CLICKATELL OK - balance 300.50 credits | balance=300.50;100;50;;"
        );
        let r = report_balance(&credits("80.00"), &t);
        assert_eq!(r.status.exit_code(), 1);
        assert_eq!(
            r.line,
            "CLICKATELL WARNING - balance 80.00 credits is below the warning level 100 | balance=80.00;100;50;;"
        );
        assert_eq!(
            report_balance(&credits("1"), &Thresholds::default()).line,
            "CLICKATELL OK - balance 1 credits | balance=1;;;;"
        );
        let u = report_unknown("no token\nstored | here");
        assert_eq!(
            (u.status.exit_code(), u.line.as_str()),
            (3, "CLICKATELL UNKNOWN - no token stored   here")
        );
    }

    #[test]
    fn refuses_inverted_or_negative_levels() {
        let inverted = Thresholds {
            warning: Some(d("50")),
            critical: Some(d("100")),
        };
        assert!(inverted
            .validate()
            .unwrap_err()
            .contains("must not be above"));
        let negative = Thresholds {
            warning: Some(d("-1")),
            critical: None,
        };
        assert!(negative.validate().is_err());
        let equal = Thresholds {
            warning: Some(d("50")),
            critical: Some(d("50")),
        };
        assert!(equal.validate().is_ok());
    }
}
