//! The IPC contract with the web UI: every payload type crossing the bridge, defined once here
//! with serde. `tests/fixtures/ipc/` holds what the commands really answer (written and checked
//! by the commands' tests through the mock runtime) and is what the UI's tests are fed, so both
//! sides agree on the shape.

use super::command_list::with_commands;
use clickatell_core::alert_channel::ChannelSettings;
use clickatell_core::field_error::FieldError;
use clickatell_core::token_store::KEYRING_NAME;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use clickatell_core::connection_test::ConnectionReport;
pub use clickatell_core::history::Point;
pub use clickatell_core::snapshot::Snapshot;
pub use clickatell_core::window_text::SnapshotTexts;
pub use clickatell_core::{Balance, Settings};

/// A snapshot as the window shows it: the monitor's facts, and the core's words for them at
/// the moment it was sent (re-sent as they age).
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotView {
    #[serde(flatten)]
    pub snapshot: Snapshot,
    pub texts: SnapshotTexts,
    /// The alert channels failing now, each in a sentence ("Alerts to "team" (Slack) failing
    /// since …").
    pub alerts_failing: Vec<String>,
}

impl SnapshotView {
    /// `snapshot` with its texts at `now`, and the alert channels failing.
    pub fn new(snapshot: Snapshot, now: time::OffsetDateTime, alerts_failing: Vec<String>) -> Self {
        let texts = clickatell_core::window_text::snapshot_texts(&snapshot, now);
        Self {
            snapshot,
            texts,
            alerts_failing,
        }
    }
}

/// Every account for the overview, and the one the tray's menu asked the window to show (said
/// once).
#[derive(Debug, Clone, Serialize)]
pub struct AccountsView {
    pub focus: Option<String>,
    pub cards: Vec<AccountCard>,
}

/// One account as the overview's card shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountCard {
    pub id: String,
    pub name: String,
    pub enabled: bool,
    /// Its latest snapshot; none while it is disabled.
    pub snapshot: Option<SnapshotView>,
    /// Its last 7 days, downsampled, for the sparkline.
    pub sparkline: Vec<Point>,
}

/// The request type of the command list.
macro_rules! command_requests {
    ($($name:ident $variant:ident { $($field:ident: $ty:ty),* })*) => {
        /// A window command with its arguments, typed: what the relay sends over the link and
        /// the tray process serves. Its wire name is the command's (`get_snapshot`).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "command", content = "args", rename_all = "snake_case")]
        pub enum CommandRequest {
            $($variant { $($field: $ty),* }),*
        }
    };
}

with_commands!(command_requests);

/// The event that carries every new snapshot to the UI.
pub const SNAPSHOT_EVENT: &str = "snapshot";
/// The event that asks the window to show one account (its id), chosen in the tray's menu.
pub const FOCUS_EVENT: &str = "focus-account";
/// The event that tells the UI a tray host appeared, so "no tray" no longer holds.
pub const TRAY_READY_EVENT: &str = "tray-ready";
/// The event that asks the open window to show a view (its fragment, as `View` names it).
pub const NAVIGATE_EVENT: &str = "navigate";
/// Every event the tray sends the UI.
pub const EVENTS: &[&str] = &[
    SNAPSHOT_EVENT,
    FOCUS_EVENT,
    TRAY_READY_EVENT,
    NAVIGATE_EVENT,
];

/// Which part of the UI to show: its name is the UI's address (`#overview`), on the link and
/// on the window process's command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    Overview,
    Settings,
}

impl View {
    /// The view's name in the UI's address.
    pub fn fragment(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Settings => "settings",
        }
    }

    /// The view a fragment names, if any.
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        [Self::Overview, Self::Settings]
            .into_iter()
            .find(|v| v.fragment() == fragment)
    }
}

/// An error for the UI: a sentence to show, and per-field messages for forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// What gives the token instead of the keyring (`CLICKATELL_TOKEN_EU`, a token file),
    /// if anything does.
    pub used_instead: Option<String>,
    /// Why the keyring could not be read, if it could not.
    pub error: Option<String>,
}

impl TokenStatus {
    /// The status from a keyring lookup (whether a token is stored, or why that is unknown)
    /// and what gives the token instead, if anything does.
    pub fn new(stored: Result<bool, String>, used_instead: Option<String>) -> Self {
        let (stored, error) = match stored {
            Ok(stored) => (stored, None),
            Err(message) => (false, Some(message)),
        };
        Self {
            stored,
            keyring: KEYRING_NAME.into(),
            used_instead,
            error,
        }
    }
}

/// Whether a password is stored for the saved proxy's user; never the password itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProxyPasswordStatus {
    /// The keyring entry's user (`alice@proxy.example.com:3128`), when the saved proxy
    /// address names a user.
    pub user: Option<String>,
    pub stored: bool,
    pub keyring: String,
    /// Why the keyring could not be read, if it could not.
    pub error: Option<String>,
}

impl ProxyPasswordStatus {
    /// The status of `user`'s entry from a keyring lookup (or why it is unknown).
    pub fn new(user: Option<String>, stored: Result<bool, String>) -> Self {
        let (stored, error) = match stored {
            Ok(stored) => (stored, None),
            Err(message) => (false, Some(message)),
        };
        Self {
            user,
            stored,
            keyring: KEYRING_NAME.into(),
            error,
        }
    }
}

/// Whether a channel's secret is stored (never the secret itself), for its write-only field.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelSecretStatus {
    pub channel: String,
    /// What the secret is: "webhook address", "SMTP password".
    pub what: String,
    pub stored: bool,
    /// Why the keyring could not be read, if it could not.
    pub error: Option<String>,
}

impl ChannelSecretStatus {
    /// The status of `channel`'s secret from a lookup (whether one is stored, or why that is
    /// unknown).
    pub fn new(channel: &ChannelSettings, stored: Result<bool, String>) -> Self {
        let (stored, error) = match stored {
            Ok(stored) => (stored, None),
            Err(message) => (false, Some(message)),
        };
        Self {
            channel: channel.name.clone(),
            what: channel.kind.secret_name().into(),
            stored,
            error,
        }
    }
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
    use std::path::PathBuf;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ipc")
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
