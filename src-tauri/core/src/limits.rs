//! The allowed range of every number the user sets, in one table: settings validation, the
//! command-line flags and the settings form (which gets the table over IPC) all read it.
//! The alert levels' own rule (not negative, critical not above warning) is in `levels`.

use serde::Serialize;
use std::ops::RangeInclusive;

/// The unit a setting is stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    /// A text's length.
    Characters,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
            Self::Characters => "characters",
        }
    }
}

/// One setting's allowed range, inclusive, in its stored unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldLimit {
    /// The setting's name as in `settings.json` (dotted inside a group).
    pub field: &'static str,
    pub min: u64,
    pub max: u64,
    pub unit: Unit,
}

/// How long one request may take.
pub const TIMEOUT: FieldLimit = FieldLimit {
    field: "timeout_secs",
    min: 1,
    max: 120,
    unit: Unit::Seconds,
};
/// How often the balance is read: 30 s to 24 h.
pub const POLL_INTERVAL: FieldLimit = FieldLimit {
    field: "poll_interval_secs",
    min: 30,
    max: 86_400,
    unit: Unit::Seconds,
};
/// How often a low balance is mentioned again: up to a week.
pub const REMINDER: FieldLimit = FieldLimit {
    field: "notifications.reminder_hours",
    min: 1,
    max: 168,
    unit: Unit::Hours,
};
/// How far ahead the forecast warns.
pub const FORECAST_DAYS: FieldLimit = FieldLimit {
    field: "notifications.forecast_alert_days",
    min: 1,
    max: 60,
    unit: Unit::Days,
};
/// How long without a reading before the user is told: 5 minutes to a week.
pub const BLIND_AFTER: FieldLimit = FieldLimit {
    field: "notifications.blind_after_minutes",
    min: 5,
    max: 10_080,
    unit: Unit::Minutes,
};

/// An account's name, so it fits a tooltip's line and the menu.
pub const ACCOUNT_NAME: FieldLimit = FieldLimit {
    field: "name",
    min: 1,
    max: 40,
    unit: Unit::Characters,
};

/// Every limit, for the settings form.
pub const ALL: [FieldLimit; 6] = [
    TIMEOUT,
    POLL_INTERVAL,
    REMINDER,
    FORECAST_DAYS,
    BLIND_AFTER,
    ACCOUNT_NAME,
];

impl FieldLimit {
    /// The allowed values.
    pub const fn range(&self) -> RangeInclusive<u64> {
        self.min..=self.max
    }

    /// Whether `value` is allowed.
    pub fn allows(&self, value: u64) -> bool {
        self.range().contains(&value)
    }

    /// What a value out of range is told: "must be between 1 and 120 seconds".
    pub fn message(&self) -> String {
        format!(
            "must be between {} and {} {}",
            self.min,
            self.max,
            self.unit.name()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_allows_its_ends_and_says_its_range() {
        assert!(TIMEOUT.allows(1) && TIMEOUT.allows(120));
        assert!(!TIMEOUT.allows(0) && !TIMEOUT.allows(121));
        assert_eq!(
            POLL_INTERVAL.message(),
            "must be between 30 and 86400 seconds"
        );
        let fields: Vec<_> = ALL.iter().map(|l| l.field).collect();
        let mut unique = fields.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            fields.len(),
            unique.len(),
            "a field named twice: {fields:?}"
        );
    }
}
