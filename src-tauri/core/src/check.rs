//! Monitoring-plugin mode (Nagios, Icinga, Zabbix agents): a status, one line, an exit code.

use crate::levels::{Level, Thresholds};
use crate::plugin_range::PluginRange;
use crate::Balance;
use rust_decimal::Decimal;

/// The plugin states, whose numbers are the exit codes monitoring systems expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl From<Level> for CheckStatus {
    fn from(level: Level) -> Self {
        match level {
            Level::Ok => Self::Ok,
            Level::Warning => Self::Warning,
            Level::Critical => Self::Critical,
        }
    }
}

impl CheckStatus {
    /// The process exit code for this state.
    pub fn exit_code(self) -> u8 {
        self as u8
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

/// The result of a check: the state and the one line to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub status: CheckStatus,
    pub line: String,
}

/// The levels a check is run against, in the plugin guidelines' range syntax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckLevels {
    pub warning: Option<PluginRange>,
    pub critical: Option<PluginRange>,
}

impl From<Thresholds> for CheckLevels {
    fn from(t: Thresholds) -> Self {
        Self {
            warning: t.warning.map(PluginRange::below),
            critical: t.critical.map(PluginRange::below),
        }
    }
}

impl CheckLevels {
    /// Levels from the command line (each a plain amount, meaning below, or a range), each
    /// falling back to the saved one; plain levels must make sense together.
    pub fn resolve(
        warning: Option<PluginRange>,
        critical: Option<PluginRange>,
        saved: Thresholds,
    ) -> Result<Self, String> {
        let saved = Self::from(saved);
        let levels = Self {
            warning: warning.or(saved.warning),
            critical: critical.or(saved.critical),
        };
        let plain = |r: Option<PluginRange>| r.map(|r| r.as_below());
        match (plain(levels.warning), plain(levels.critical)) {
            (Some(None), _) | (_, Some(None)) => {}
            (warning, critical) => Thresholds {
                warning: warning.flatten(),
                critical: critical.flatten(),
            }
            .validate()?,
        }
        Ok(levels)
    }

    /// The level of a balance: critical when the critical range alerts, else warning when
    /// the warning range does. The same rule engines apply to the performance data; for
    /// plain levels it is [`Thresholds::level`].
    pub fn level(&self, amount: Decimal) -> Level {
        if self.critical.is_some_and(|r| r.alerts(amount)) {
            Level::Critical
        } else if self.warning.is_some_and(|r| r.alerts(amount)) {
            Level::Warning
        } else {
            Level::Ok
        }
    }
}

/// The report for a fetched balance, with performance data `balance=V;W;C;;` whose levels
/// are ranges (`400:` for "below 400"), so engines rate it as the exit code does.
pub fn report_balance(
    account: Option<&str>,
    balance: &Balance,
    levels: &CheckLevels,
) -> CheckReport {
    let status = CheckStatus::from(levels.level(balance.amount));
    let range = |r: Option<PluginRange>| r.map(|v| v.to_string()).unwrap_or_default();
    let why = match (status, levels.critical, levels.warning) {
        (CheckStatus::Critical, Some(r), _) => format!(" is {}", r.describe("critical")),
        (CheckStatus::Warning, _, Some(r)) => format!(" is {}", r.describe("warning")),
        _ => String::new(),
    };
    CheckReport {
        status,
        line: format!(
            "{} {} - balance {}{} | balance={};{};{};;",
            service(account),
            status.label(),
            balance,
            why,
            balance.amount,
            range(levels.warning),
            range(levels.critical),
        ),
    }
}

/// The UNKNOWN report for anything that kept the check from reading a balance.
pub fn report_unknown(account: Option<&str>, reason: &str) -> CheckReport {
    let one_line = reason.replace(['\n', '\r', '|'], " ");
    CheckReport {
        status: CheckStatus::Unknown,
        line: format!("{} UNKNOWN - {one_line}", service(account)),
    }
}

/// The line's first word, the service: `CLICKATELL`, or with the account that needs naming
/// (`CLICKATELL DEMO`).
fn service(account: Option<&str>) -> String {
    match account {
        Some(name) => format!("CLICKATELL {}", name.to_uppercase()),
        None => "CLICKATELL".to_owned(),
    }
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
    fn lines_follow_plugin_conventions() {
        let t = CheckLevels::from(Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        });
        assert_eq!(
            report_balance(None, &credits("300.50"), &t).line,
            "CLICKATELL OK - balance 300.50 credits | balance=300.50;100:;50:;;"
        );
        let r = report_balance(None, &credits("80.00"), &t);
        assert_eq!(r.status.exit_code(), 1);
        assert_eq!(
            r.line,
            "CLICKATELL WARNING - balance 80.00 credits is below the warning level 100 | balance=80.00;100:;50:;;"
        );
        assert_eq!(
            report_balance(None, &credits("1"), &CheckLevels::default()).line,
            "CLICKATELL OK - balance 1 credits | balance=1;;;;"
        );
        let ranges = CheckLevels {
            warning: Some(PluginRange::parse("@10:20").unwrap()),
            critical: Some(PluginRange::parse("@0:5").unwrap()),
        };
        let r = report_balance(None, &credits("15"), &ranges);
        assert_eq!(
            (r.status, r.line.as_str()),
            (
                CheckStatus::Warning,
                "CLICKATELL WARNING - balance 15 credits is inside the warning range @10:20 | balance=15;@10:20;@5;;"
            )
        );
        let u = report_unknown(None, "no token\nstored | here");
        assert_eq!(
            (u.status.exit_code(), u.line.as_str()),
            (3, "CLICKATELL UNKNOWN - no token stored   here")
        );
        assert!(report_unknown(Some("Demo"), "x")
            .line
            .starts_with("CLICKATELL DEMO UNKNOWN - "));
    }

    #[test]
    fn flags_fall_back_to_saved_levels_and_plain_ones_are_checked() {
        let saved = Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        };
        let l = CheckLevels::resolve(Some(PluginRange::below(d("400"))), None, saved).unwrap();
        assert_eq!(l.warning, Some(PluginRange::below(d("400"))));
        assert_eq!(l.critical, Some(PluginRange::below(d("50"))));
        let inverted = CheckLevels::resolve(None, Some(PluginRange::below(d("500"))), saved);
        assert!(inverted.unwrap_err().contains("must not be above"));
        // Ranges are the user's to shape: no ordering is imposed on them.
        let range = PluginRange::parse("@10:20").unwrap();
        assert!(CheckLevels::resolve(None, Some(range), saved).is_ok());
    }
}
