//! When to tell the user something: once per crossing, again on escalation, re-armed only by a
//! top-up, never a stream of repeats. Pure: the monitor feeds it observations and a clock.

use crate::balance::{group_thousands, with_scale_of};
use crate::forecast::Forecast;
use crate::levels::{Level, Thresholds};
use crate::notifier::{Action, Notification, Urgency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use time::OffsetDateTime;

/// What has already been said, persisted so a restart does not say it again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertState {
    /// The lowest level the user was told about and that has not been re-armed by a top-up.
    pub notified_level: Level,
    #[serde(with = "time::serde::rfc3339::option")]
    pub notified_at: Option<OffsetDateTime>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub last_amount: Option<Decimal>,
    pub token_rejected: bool,
    pub blind: bool,
    pub forecast_warned: bool,
}

/// The user's alert preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPolicy {
    pub thresholds: Thresholds,
    pub reminder: Option<Duration>,
    pub blind_after: Duration,
    pub top_up_notice: bool,
    pub forecast_days: Option<u32>,
}

/// Something worth a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    Low {
        level: Level,
        amount: Decimal,
        threshold: Decimal,
        reminder: bool,
    },
    TopUp {
        from: Decimal,
        to: Decimal,
    },
    TokenRejected {
        message: String,
    },
    TokenAccepted,
    Blind {
        minutes: u64,
        message: String,
    },
    RunningOut {
        days: u32,
        threshold: Decimal,
    },
}

impl AlertPolicy {
    /// A successful reading.
    pub fn on_balance(
        &self,
        state: &mut AlertState,
        amount: Decimal,
        at: OffsetDateTime,
        forecast: Option<&Forecast>,
    ) -> Vec<Alert> {
        let mut alerts = Vec::new();
        if std::mem::take(&mut state.token_rejected) {
            alerts.push(Alert::TokenAccepted);
        }
        state.blind = false;
        if let Some(from) = state.last_amount.filter(|from| amount > *from) {
            state.forecast_warned = false;
            if self.top_up_notice {
                alerts.push(Alert::TopUp { from, to: amount });
            }
        }
        let level = self.thresholds.level(amount);
        let threshold = |level| match level {
            Level::Critical => self.thresholds.critical,
            _ => self.thresholds.warning,
        };
        if level > state.notified_level {
            alerts.push(Alert::Low {
                level,
                amount,
                threshold: threshold(level).unwrap_or_default(),
                reminder: false,
            });
            state.notified_level = level;
            state.notified_at = Some(at);
        } else if level < state.notified_level {
            state.notified_level = level;
            state.forecast_warned = false;
            if level == Level::Ok {
                state.notified_at = None;
            }
        } else if level != Level::Ok {
            let due = match (self.reminder, state.notified_at) {
                (Some(every), Some(last)) => at - last >= every,
                _ => false,
            };
            if due {
                alerts.push(Alert::Low {
                    level,
                    amount,
                    threshold: threshold(level).unwrap_or_default(),
                    reminder: true,
                });
                state.notified_at = Some(at);
            }
        }
        if level == Level::Ok {
            self.check_forecast(state, forecast, &mut alerts);
        }
        state.last_amount = Some(amount);
        alerts
    }

    fn check_forecast(
        &self,
        state: &mut AlertState,
        forecast: Option<&Forecast>,
        alerts: &mut Vec<Alert>,
    ) {
        let (Some(days), Some(warning)) = (self.forecast_days, self.thresholds.warning) else {
            return;
        };
        match forecast.and_then(|f| f.days_to_warning) {
            Some(left) if left <= f64::from(days) => {
                if !state.forecast_warned {
                    state.forecast_warned = true;
                    alerts.push(Alert::RunningOut {
                        days: left.ceil().max(1.0) as u32,
                        threshold: warning,
                    });
                }
            }
            _ => state.forecast_warned = false,
        }
    }

    /// Clickatell refused the token: said once, until a reading succeeds again.
    pub fn on_token_rejected(&self, state: &mut AlertState, message: &str) -> Vec<Alert> {
        if std::mem::replace(&mut state.token_rejected, true) {
            return Vec::new();
        }
        vec![Alert::TokenRejected {
            message: message.to_owned(),
        }]
    }

    /// Any other failed reading. `since` is the last success, or when monitoring started.
    pub fn on_failure(
        &self,
        state: &mut AlertState,
        at: OffsetDateTime,
        since: OffsetDateTime,
        message: &str,
    ) -> Vec<Alert> {
        let blind_for = at - since;
        if state.blind || state.token_rejected || blind_for < self.blind_after {
            return Vec::new();
        }
        state.blind = true;
        vec![Alert::Blind {
            minutes: blind_for.whole_minutes().max(0) as u64,
            message: message.to_owned(),
        }]
    }
}

impl Alert {
    /// The desktop notification for this alert; `unit` is "credits" or the currency.
    pub fn notification(&self, unit: &str) -> Notification {
        let (summary, body, urgency) = match self {
            Self::Low {
                level,
                amount,
                threshold,
                reminder,
            } => {
                let (name, urgency) = match level {
                    Level::Critical => ("critical", Urgency::Critical),
                    _ => ("warning", Urgency::Normal),
                };
                let summary = if *reminder {
                    "Clickatell balance still low".to_owned()
                } else if *level == Level::Critical {
                    "Clickatell balance critical".to_owned()
                } else {
                    "Clickatell balance low".to_owned()
                };
                let level_text = with_scale_of(*threshold, amount.scale());
                let body = format!(
                    "{} {unit} left, below your {name} level of {}.",
                    group_thousands(*amount),
                    group_thousands(level_text)
                );
                (summary, body, urgency)
            }
            Self::TopUp { from, to } => (
                "Clickatell balance topped up".to_owned(),
                format!(
                    "Balance topped up: {} → {} {unit}.",
                    group_thousands(*from),
                    group_thousands(*to)
                ),
                Urgency::Normal,
            ),
            Self::TokenRejected { message } => (
                "Clickatell token rejected".to_owned(),
                message.clone(),
                Urgency::Critical,
            ),
            Self::TokenAccepted => (
                "Clickatell token works again".to_owned(),
                "Balance readings have resumed.".to_owned(),
                Urgency::Normal,
            ),
            Self::Blind { minutes, message } => (
                "Clickatell balance unknown".to_owned(),
                format!("No balance reading has succeeded for {minutes} minutes. {message}"),
                Urgency::Critical,
            ),
            Self::RunningOut { days, threshold } => (
                "Clickatell balance running low soon".to_owned(),
                format!(
                    "At current usage the balance reaches your warning level of {} in about \
                     {days} day{}.",
                    group_thousands(*threshold),
                    if *days == 1 { "" } else { "s" }
                ),
                Urgency::Normal,
            ),
        };
        // Where buying credit is the answer, the notification offers it.
        let actions = match self {
            Self::Low { .. } | Self::RunningOut { .. } => vec![Action::TopUp, Action::Open],
            _ => vec![Action::Open],
        };
        Notification {
            summary,
            body,
            urgency,
            actions,
        }
    }
}

#[cfg(test)]
mod tests;
