//! One alert as every channel sends it: the facts (account, kind, severity, amount, unit,
//! threshold, forecast, time, where to top up) and the desktop notification's words.

use super::Severity;
use crate::account::Account;
use crate::alert_policy::Alert;
use crate::levels::Level;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// What happened, as the JSON payload names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AlertKind {
    /// The balance fell below the warning level.
    Low,
    /// The balance fell below the critical level.
    Critical,
    /// Still below a level, after the reminder interval.
    Reminder,
    /// At current usage the warning level is days away.
    RunningOut,
    /// The balance went up.
    TopUp,
    /// Clickatell refused the token.
    TokenRejected,
    /// A reading succeeded again after the token was refused.
    TokenAccepted,
    /// No reading has succeeded for too long.
    NoReading,
    /// Sent by "Send test alert" / `alert test`.
    Test,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// An alert on its way to the channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEvent {
    pub kind: AlertKind,
    pub severity: Severity,
    pub account_id: String,
    pub account_name: String,
    /// The balance the alert is about (after a top-up: the new one), when known.
    pub amount: Option<Decimal>,
    /// "credits" or the currency.
    pub unit: String,
    /// The level crossed (or, for a forecast, the warning level).
    pub threshold: Option<Decimal>,
    /// For a forecast: days until the warning level.
    pub forecast_days: Option<u32>,
    pub at: OffsetDateTime,
    pub top_up_url: String,
    /// The desktop notification's summary and body.
    pub summary: String,
    pub message: String,
}

impl AlertEvent {
    /// The event for `alert` about `account`, whose last known balance is `amount` in `unit`.
    pub fn new(
        alert: &Alert,
        account: &Account,
        amount: Option<Decimal>,
        unit: &str,
        at: OffsetDateTime,
        top_up_url: &str,
    ) -> Self {
        let note = alert.notification(unit);
        let severity_of = |level: Level| match level {
            Level::Critical => Severity::Critical,
            _ => Severity::Warning,
        };
        let (kind, severity, amount, threshold, forecast_days) = match alert {
            Alert::Low {
                level,
                amount,
                threshold,
                reminder,
            } => {
                let kind = match (reminder, level) {
                    (true, _) => AlertKind::Reminder,
                    (false, Level::Critical) => AlertKind::Critical,
                    (false, _) => AlertKind::Low,
                };
                (
                    kind,
                    severity_of(*level),
                    Some(*amount),
                    Some(*threshold),
                    None,
                )
            }
            Alert::TopUp { to, .. } => (AlertKind::TopUp, Severity::Info, Some(*to), None, None),
            Alert::TokenRejected { .. } => (
                AlertKind::TokenRejected,
                Severity::Critical,
                amount,
                None,
                None,
            ),
            Alert::TokenAccepted => (AlertKind::TokenAccepted, Severity::Info, amount, None, None),
            Alert::Blind { .. } => (AlertKind::NoReading, Severity::Critical, amount, None, None),
            Alert::RunningOut { days, threshold } => (
                AlertKind::RunningOut,
                Severity::Warning,
                amount,
                Some(*threshold),
                Some(*days),
            ),
        };
        Self {
            kind,
            severity,
            // Whole seconds: what people and receivers read.
            at: at.replace_nanosecond(0).unwrap_or(at),
            account_id: account.id.clone(),
            account_name: account.name.clone(),
            amount,
            unit: unit.to_owned(),
            threshold,
            forecast_days,
            top_up_url: top_up_url.to_owned(),
            summary: note.summary,
            message: note.body,
        }
    }

    /// The test alert a channel is sent when the user asks to try it: said to be a test in
    /// every format, so nobody tops up because of it.
    pub fn test(account: &Account, at: OffsetDateTime, top_up_url: &str) -> Self {
        Self {
            kind: AlertKind::Test,
            severity: Severity::Info,
            account_id: account.id.clone(),
            account_name: account.name.clone(),
            amount: None,
            unit: "credits".into(),
            threshold: account.warning_level,
            forecast_days: None,
            at,
            top_up_url: top_up_url.to_owned(),
            summary: "Clickatell Balance test alert".into(),
            message: "This is a test: alerts about your Clickatell balance will arrive here."
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn account() -> Account {
        Account {
            id: "eu".into(),
            name: "EU".into(),
            ..Account::default()
        }
    }

    #[test]
    fn each_alert_has_its_kind_severity_and_facts() {
        let at = datetime!(2026-12-03 10:05 UTC);
        let low = Alert::Low {
            level: Level::Warning,
            amount: Decimal::new(9725, 2),
            threshold: Decimal::from(100),
            reminder: false,
        };
        let event = AlertEvent::new(&low, &account(), None, "credits", at, "https://top.up/");
        assert_eq!(
            (event.kind, event.severity, event.amount, event.threshold),
            (
                AlertKind::Low,
                Severity::Warning,
                Some(Decimal::new(9725, 2)),
                Some(Decimal::from(100))
            )
        );
        assert_eq!(event.summary, "Clickatell balance low");
        assert_eq!(
            event.message,
            "97.25 credits left, below your warning level of 100.00."
        );
        let cases = [
            (
                Alert::Low {
                    level: Level::Critical,
                    amount: Decimal::from(5),
                    threshold: Decimal::from(10),
                    reminder: true,
                },
                AlertKind::Reminder,
                Severity::Critical,
            ),
            (
                Alert::TopUp {
                    from: Decimal::from(5),
                    to: Decimal::from(500),
                },
                AlertKind::TopUp,
                Severity::Info,
            ),
            (
                Alert::TokenRejected {
                    message: "refused".into(),
                },
                AlertKind::TokenRejected,
                Severity::Critical,
            ),
            (
                Alert::Blind {
                    minutes: 61,
                    message: "offline".into(),
                },
                AlertKind::NoReading,
                Severity::Critical,
            ),
            (
                Alert::RunningOut {
                    days: 2,
                    threshold: Decimal::from(100),
                },
                AlertKind::RunningOut,
                Severity::Warning,
            ),
        ];
        for (alert, kind, severity) in cases {
            let event = AlertEvent::new(&alert, &account(), Some(Decimal::ONE), "ZAR", at, "u");
            assert_eq!((event.kind, event.severity), (kind, severity), "{alert:?}");
        }
        let top_up = AlertEvent::new(&cases_top_up(), &account(), None, "ZAR", at, "u");
        assert_eq!(top_up.amount, Some(Decimal::from(500)));
    }

    fn cases_top_up() -> Alert {
        Alert::TopUp {
            from: Decimal::from(5),
            to: Decimal::from(500),
        }
    }
}
