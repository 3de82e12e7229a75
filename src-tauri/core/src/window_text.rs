//! The words the window shows for a snapshot: the state, the reading's age, the next check,
//! the forecast and what to do about a problem (the window's words for a remedy, which its
//! commands' errors use too), computed here (with the tray's own rules for ages) and sent
//! with the snapshot, so the UI only places them.

use crate::remedy::Remedy;
use crate::snapshot::{Snapshot, Status};
use crate::tray_text::{ago, duration_text};
use serde::Serialize;
use time::OffsetDateTime;

/// A snapshot's texts at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotTexts {
    /// The state in a word or two: "OK", "Low", "Out of date".
    pub state: &'static str,
    /// "Updated 2 min ago", once there is a reading.
    pub updated: Option<String>,
    /// "Next check in 4 min", while polling.
    pub next_check: Option<String>,
    /// "≈ 12 days left at current usage.", once there is a forecast.
    pub forecast: Option<String>,
    /// What to do about the problem, in the window's words, when it depends on where.
    pub fix: Option<&'static str>,
}

/// The texts for `s` at `now`.
pub fn snapshot_texts(s: &Snapshot, now: OffsetDateTime) -> SnapshotTexts {
    SnapshotTexts {
        state: state_label(s.status),
        updated: s.fetched_at.map(|at| format!("Updated {}", ago(now - at))),
        next_check: s.next_poll_at.map(|at| {
            if at - now < time::Duration::minutes(1) {
                "Next check in less than a minute".to_owned()
            } else {
                format!("Next check in {}", duration_text(at - now))
            }
        }),
        forecast: s.forecast.as_ref().map(|f| sentence(&f.summary())),
        fix: s.remedy.map(remedy_words),
    }
}

/// What the window tells the user to do, pointing into its Settings.
pub fn remedy_words(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::NewToken => "Paste a new token from the Clickatell portal in Settings.",
        Remedy::TokenWithoutKeyring => {
            "Or start the app with CLICKATELL_TOKEN_FILE or CLICKATELL_TOKEN set."
        }
        Remedy::TokenFilePath => "Check the path in CLICKATELL_TOKEN_FILE (or --token-file).",
        Remedy::CaFile => "Set the CA file in Settings, under Network.",
        Remedy::ProxyUserAndPassword => {
            "In Settings, under Network, put the user in the proxy address and store its \
             password."
        }
        Remedy::ProxyPassword => "Store the proxy's password in Settings, under Network.",
    }
}

/// The state as the window's badge says it.
fn state_label(status: Status) -> &'static str {
    match status {
        Status::Starting => "Checking…",
        Status::Ok => "OK",
        Status::Warning => "Low",
        Status::Critical => "Critical",
        Status::Stale => "Out of date",
        Status::TokenMissing => "No token",
        Status::TokenRejected => "Token rejected",
        Status::KeyringLocked => "Keyring locked",
        Status::Offline => "Offline",
        Status::RateLimited => "Rate limited",
        Status::Error => "Error",
    }
}

/// "no usage lately" → "No usage lately."
fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_words_each_remedy_by_its_settings_never_a_command() {
        for &remedy in <Remedy as strum::VariantArray>::VARIANTS {
            let words = remedy_words(remedy);
            assert!(!words.contains("clickatell-balance "), "a command: {words}");
        }
        assert!(remedy_words(Remedy::NewToken).contains("in Settings"));
        let rejected = Snapshot {
            status: Status::TokenRejected,
            remedy: Some(Remedy::NewToken),
            ..Snapshot::default()
        };
        let now = OffsetDateTime::now_utc();
        assert_eq!(
            snapshot_texts(&rejected, now).fix,
            Some("Paste a new token from the Clickatell portal in Settings.")
        );
        assert_eq!(snapshot_texts(&Snapshot::default(), now).fix, None);
    }
    use crate::forecast::Forecast;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-30 12:00 UTC);

    #[test]
    fn ages_and_the_next_check_are_said_as_the_tray_says_them() {
        let s = Snapshot {
            status: Status::Warning,
            fetched_at: Some(NOW - time::Duration::minutes(2)),
            next_poll_at: Some(NOW + time::Duration::minutes(3)),
            forecast: Some(Forecast {
                burn_per_day: Some(25.0),
                days_to_zero: Some(12.2),
                ..Forecast::not_enough_data()
            }),
            ..Snapshot::default()
        };
        let t = snapshot_texts(&s, NOW);
        assert_eq!(t.state, "Low");
        assert_eq!(t.updated.as_deref(), Some("Updated 2 min ago"));
        assert_eq!(t.next_check.as_deref(), Some("Next check in 3 min"));
        assert_eq!(
            t.forecast.as_deref(),
            Some("≈ 12 days left at current usage.")
        );
        let soon = Snapshot {
            next_poll_at: Some(NOW + time::Duration::seconds(20)),
            ..Snapshot::default()
        };
        let t = snapshot_texts(&soon, NOW);
        assert_eq!(
            (t.state, t.updated, t.next_check.as_deref()),
            ("Checking…", None, Some("Next check in less than a minute"))
        );
    }
}
