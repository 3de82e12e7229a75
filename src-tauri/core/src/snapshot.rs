//! What the monitor knows right now, published to the tray, the UI and `watch`.

use crate::forecast::Forecast;
use crate::levels::Level;
use crate::remedy::Remedy;
use crate::Balance;
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// The one-word state of the monitor; its name (`token-missing`) is the same in logs, the UI
/// and metrics.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Status {
    /// Nothing read yet.
    #[default]
    Starting,
    Ok,
    Warning,
    Critical,
    /// The last good reading is older than three poll intervals.
    Stale,
    TokenMissing,
    TokenRejected,
    /// The keyring holding the token is locked: waiting for the user to unlock it.
    KeyringLocked,
    Offline,
    RateLimited,
    Error,
}

impl Status {
    /// Whether an attempt that ends in this state failed to read the balance (what metrics
    /// count as errors, by state).
    pub fn is_failure(self) -> bool {
        match self {
            Self::TokenMissing
            | Self::TokenRejected
            | Self::KeyringLocked
            | Self::Offline
            | Self::RateLimited
            | Self::Error => true,
            Self::Starting | Self::Ok | Self::Warning | Self::Critical | Self::Stale => false,
        }
    }

    /// How much this state needs the user, for the account the tray's icon shows when
    /// several are watched: money running out first, then an account that cannot be read
    /// until the user acts, then a low balance, then one that cannot be read for now.
    pub fn severity(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Starting => 1,
            Self::Stale => 2,
            Self::Offline | Self::RateLimited | Self::Error => 3,
            Self::Warning => 4,
            Self::TokenMissing | Self::TokenRejected | Self::KeyringLocked => 5,
            Self::Critical => 6,
        }
    }

    /// A few words for the state, as the tooltip's line per account says it ("low").
    pub fn words(self) -> &'static str {
        match self {
            Self::Starting => "checking",
            Self::Ok => "ok",
            Self::Warning => "low",
            Self::Critical => "critical",
            Self::Stale => "not updated",
            Self::TokenMissing => "no token",
            Self::TokenRejected => "token rejected",
            Self::KeyringLocked => "keyring locked",
            Self::Offline => "offline",
            Self::RateLimited => "rate limited",
            Self::Error => "error",
        }
    }

    /// The name used in logs and the UI.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<Level> for Status {
    fn from(level: Level) -> Self {
        match level {
            Level::Ok => Self::Ok,
            Level::Warning => Self::Warning,
            Level::Critical => Self::Critical,
        }
    }
}

/// The state published after every poll and every change.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snapshot {
    pub status: Status,
    /// The last known balance, kept (with its age) when later readings fail.
    pub balance: Option<Balance>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub fetched_at: Option<OffsetDateTime>,
    /// When readings started failing, if the last attempts failed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub failing_since: Option<OffsetDateTime>,
    /// What went wrong with the last attempt, as a sentence for the user.
    pub error: Option<String>,
    /// What the user can do about it, where that depends on where they are (each edge words
    /// it beside the sentence).
    pub remedy: Option<Remedy>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_poll_at: Option<OffsetDateTime>,
    pub forecast: Option<Forecast>,
    /// Why the last notification could not be shown, if it could not.
    pub notification_error: Option<String>,
    /// When the last attempt to read the balance ended, whatever its outcome (for metrics).
    #[serde(skip)]
    pub attempted_at: Option<OffsetDateTime>,
    /// Failed attempts since the monitor started, by the state each failure led to (for
    /// metrics: counted here, where every attempt is seen, not from published snapshots).
    #[serde(skip)]
    pub failures: BTreeMap<Status, u64>,
}
