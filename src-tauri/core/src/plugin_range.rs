//! Levels as monitoring plugins write them (the Monitoring Plugins Development Guidelines'
//! range syntax), so the performance data means to Nagios, Icinga and their graphs what the
//! exit code says: a low-balance level of 400 is the range `400:`, "alert below 400".

use crate::clickatell::parse_exact;
use rust_decimal::Decimal;

/// `[@][start:][end]`: alert when the value is outside `start..=end` (inside with `@`); a
/// missing or `~` start is minus infinity, a missing end plus infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginRange {
    start: Option<Decimal>,
    end: Option<Decimal>,
    inside: bool,
}

impl PluginRange {
    /// "Alert below `level`": how the app's own levels read as a range (`level:`).
    pub fn below(level: Decimal) -> Self {
        Self {
            start: Some(level),
            end: None,
            inside: false,
        }
    }

    /// A level as given on the command line: the guidelines' syntax when it has a colon or
    /// starts with `@`; otherwise a plain amount, which means "below" as everywhere in the app.
    pub fn parse_level(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.contains(':') || text.starts_with('@') {
            Self::parse(text)
        } else {
            parse_exact(text)
                .map(Self::below)
                .map_err(|e| format!("the level {e}"))
        }
    }

    /// The guidelines' syntax only: `10` is `0:10` there.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (inside, rest) = match text.strip_prefix('@') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let number = |s: &str, what: &str| {
            parse_exact(s).map_err(|e| format!("the range {text:?} has an unreadable {what}: {e}"))
        };
        let (start, end) = match rest.split_once(':') {
            Some((start, end)) => {
                let start = match start {
                    "~" => None,
                    "" => Some(Decimal::ZERO),
                    s => Some(number(s, "start")?),
                };
                let end = if end.is_empty() {
                    None
                } else {
                    Some(number(end, "end")?)
                };
                (start, end)
            }
            None => (Some(Decimal::ZERO), Some(number(rest, "end")?)),
        };
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                return Err(format!(
                    "the range {text:?} starts above its end; write the lower bound first"
                ));
            }
        }
        Ok(Self { start, end, inside })
    }

    /// Whether `value` is in the alerting part of the range.
    pub fn alerts(&self, value: Decimal) -> bool {
        let outside = self.start.is_some_and(|s| value < s) || self.end.is_some_and(|e| value > e);
        outside != self.inside
    }

    /// The plain level when the range is "below a level", as the app's own levels are.
    pub fn as_below(&self) -> Option<Decimal> {
        match (self.start, self.end, self.inside) {
            (Some(level), None, false) => Some(level),
            _ => None,
        }
    }

    /// Where the value is, for the plugin's sentence: "below the warning level 400",
    /// "outside the critical range 10:20".
    pub fn describe(&self, name: &str) -> String {
        match self.as_below() {
            Some(level) => format!("below the {name} level {level}"),
            None if self.inside => format!("inside the {name} range {self}"),
            None => format!("outside the {name} range {self}"),
        }
    }
}

impl std::fmt::Display for PluginRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.inside {
            f.write_str("@")?;
        }
        match self.start {
            None => f.write_str("~:")?,
            Some(s) if s.is_zero() && self.end.is_some() => {}
            Some(s) => write!(f, "{s}:")?,
        }
        if let Some(e) = self.end {
            write!(f, "{e}")?;
        }
        Ok(())
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
    fn ranges_alert_as_the_guidelines_say() {
        // (range, value, alerts) from the guidelines' table of examples.
        let table = [
            ("10", "-1", true),
            ("10", "0", false),
            ("10", "10", false),
            ("10", "10.01", true),
            ("10:", "9.99", true),
            ("10:", "10", false),
            ("10:", "1e6", false),
            ("~:10", "-1e6", false),
            ("~:10", "10.5", true),
            ("10:20", "9", true),
            ("10:20", "15", false),
            ("10:20", "21", true),
            ("@10:20", "9", false),
            ("@10:20", "10", true),
            ("@10:20", "20", true),
            ("@10:20", "21", false),
        ];
        for (range, value, alerts) in table {
            let r = PluginRange::parse(range).unwrap();
            assert_eq!(r.alerts(d(value)), alerts, "{range} at {value}");
        }
    }

    #[test]
    fn a_plain_amount_means_below_and_is_written_as_a_range() {
        let r = PluginRange::parse_level("400").unwrap();
        assert_eq!(r, PluginRange::below(d("400")));
        assert_eq!(r.to_string(), "400:");
        assert!(r.alerts(d("300.50")));
        assert!(!r.alerts(d("400")));
        assert_eq!(r.describe("warning"), "below the warning level 400");
        for text in ["400:", "~:400", "@10:20", "10:20", "@~:3"] {
            assert_eq!(PluginRange::parse_level(text).unwrap().to_string(), text);
        }
        assert_eq!(
            PluginRange::parse_level("0:10.5").unwrap().to_string(),
            "10.5"
        );
        assert_eq!(PluginRange::parse("10").unwrap().to_string(), "10");
        assert_eq!(
            PluginRange::parse_level("@10:20")
                .unwrap()
                .describe("critical"),
            "inside the critical range @10:20"
        );
    }

    #[test]
    fn unreadable_ranges_say_why() {
        for bad in ["20:10", "a:", ":b", "@", "1:2:3", "lots"] {
            let err = PluginRange::parse_level(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(PluginRange::parse("20:10")
            .unwrap_err()
            .contains("lower bound first"));
    }
}
