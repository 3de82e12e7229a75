//! The IPC contract with the web UI: every payload type crossing the bridge, defined once here
//! with serde. `tests/fixtures/ipc/` holds one example of each, checked against these types by
//! the contract test below and used by the UI's tests, so both sides agree on the shape.

use clickatell_core::settings::FieldError;
use serde::{Deserialize, Serialize};

pub use clickatell_core::history::Point;
pub use clickatell_core::snapshot::Snapshot;
pub use clickatell_core::{Balance, Settings};

/// The event that carries every new snapshot to the UI.
pub const SNAPSHOT_EVENT: &str = "snapshot";

/// An error for the UI: a sentence to show, and per-field messages for forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl CommandError {
    /// An error with only a sentence.
    pub fn message(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// An error about form fields.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        let message = if fields.len() == 1 {
            "One setting needs fixing; nothing was saved.".to_owned()
        } else {
            format!("{} settings need fixing; nothing was saved.", fields.len())
        };
        Self { message, fields }
    }
}

/// Whether a token is stored, and where; never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenStatus {
    pub stored: bool,
    pub keyring: String,
    /// `CLICKATELL_TOKEN` is set and is used instead of the keyring.
    pub env_override: bool,
    /// Why the keyring could not be read, if it could not.
    pub error: Option<String>,
}

/// The time ranges the history chart offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryRange {
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    #[serde(rename = "all")]
    All,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clickatell_core::forecast::Forecast;
    use clickatell_core::snapshot::Status;
    use serde_json::Value;
    use std::path::PathBuf;
    use std::str::FromStr;
    use time::macros::datetime;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ipc")
    }

    /// Compares a payload with its fixture; `UPDATE_FIXTURES=1` rewrites the fixture instead.
    fn check(name: &str, payload: &impl Serialize) {
        let actual = serde_json::to_value(payload).unwrap();
        let path = fixtures().join(format!("{name}.json"));
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::create_dir_all(fixtures()).unwrap();
            let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("{} is missing: run with UPDATE_FIXTURES=1", path.display())
        });
        let expected: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            actual, expected,
            "{name}: the Rust payload and the UI fixture disagree"
        );
    }

    fn d(s: &str) -> clickatell_core::Decimal {
        clickatell_core::Decimal::from_str(s).unwrap()
    }

    #[test]
    fn payloads_match_the_ui_fixtures() {
        let at = datetime!(2026-11-28 14:28 UTC);
        check(
            "snapshot-ok",
            &Snapshot {
                status: Status::Ok,
                balance: Some(Balance {
                    amount: d("300.50"),
                    currency: None,
                }),
                fetched_at: Some(at),
                failing_since: None,
                error: None,
                next_poll_at: Some(at + time::Duration::minutes(5)),
                forecast: Some(Forecast {
                    burn_per_day: Some(25.0),
                    days_to_warning: Some(8.02),
                    days_to_zero: Some(12.02),
                    warning_at: Some(datetime!(2026-12-06 14:57 UTC)),
                    zero_at: Some(datetime!(2026-12-10 14:57 UTC)),
                }),
                notification_error: None,
            },
        );
        check(
            "snapshot-token-rejected",
            &Snapshot {
                status: Status::TokenRejected,
                balance: None,
                fetched_at: None,
                failing_since: Some(at),
                error: Some("Clickatell rejected the API token (HTTP 401, code 001: Authentication failed). Paste a new token from the Clickatell portal (Settings, or `clickatell-balance token set`).".into()),
                next_poll_at: None,
                forecast: None,
                notification_error: None,
            },
        );
        check(
            "snapshot-token-missing",
            &Snapshot {
                status: Status::TokenMissing,
                error: Some("No Clickatell token is stored. Add one in Settings (or with `clickatell-balance token set`).".into()),
                ..Snapshot::default()
            },
        );
        check("settings", &Settings::default());
        check(
            "settings-invalid",
            &CommandError::fields(vec![FieldError {
                field: "critical_level".into(),
                message: "must not be above the warning level (100)".into(),
            }]),
        );
        check(
            "token-status",
            &TokenStatus {
                stored: true,
                keyring: "Secret Service keyring".into(),
                env_override: false,
                error: None,
            },
        );
        check(
            "balance",
            &Balance {
                amount: d("1267.92865"),
                currency: Some("ZAR".into()),
            },
        );
        check(
            "history",
            &vec![
                Point {
                    at: datetime!(2026-11-27 10:00 UTC),
                    amount: d("420.00"),
                },
                Point {
                    at: datetime!(2026-11-28 10:00 UTC),
                    amount: d("300.50"),
                },
            ],
        );
    }

    #[test]
    fn settings_fixture_deserializes_back() {
        let text = std::fs::read_to_string(fixtures().join("settings.json")).unwrap();
        let settings: Settings = serde_json::from_str(&text).unwrap();
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn history_ranges_use_the_ui_names() {
        for (name, range) in [
            ("24h", HistoryRange::Day),
            ("7d", HistoryRange::Week),
            ("30d", HistoryRange::Month),
            ("all", HistoryRange::All),
        ] {
            assert_eq!(
                serde_json::from_value::<HistoryRange>(Value::from(name)).unwrap(),
                range
            );
        }
    }
}
