//! An account's alert state kept across restarts (what has been said, so that a restart does
//! not say it again): where its file is, read when the monitor starts, written atomically
//! after each alert, removed with the account.

use crate::alert_policy::AlertState;
use crate::atomic_file::write_atomically;
use crate::paths::Profile;
use std::path::{Path, PathBuf};

/// One account's alert-state file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertStateFile {
    path: PathBuf,
}

impl AlertStateFile {
    /// The file at `path`.
    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    /// The usual place of `account`'s alert state, beside the history. The single-account
    /// versions' `alert-state.json` becomes the first account's the first time it is asked
    /// for.
    pub fn for_account(profile: Profile, account: &str, first: bool) -> Option<Self> {
        let dir = crate::paths::data_dir(profile)?;
        let path = dir.join(format!("alert-state-{account}.json"));
        let legacy = dir.join("alert-state.json");
        if first && !path.exists() && legacy.exists() {
            if let Err(e) = std::fs::rename(&legacy, &path) {
                tracing::warn!(error = %e, "could not move the alert state to the first account's");
                return Some(Self::at(legacy));
            }
        }
        Some(Self::at(path))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was saved; a fresh state when there is none or it cannot be read (the worst
    /// that costs is one alert said again).
    pub fn load(&self) -> AlertState {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves `state`, atomically and fsync'd, so a crash leaves the old state or the new.
    pub fn save(&self, state: &AlertState) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(state).expect("alert state serializes");
        write_atomically(&self.path, &json)
    }

    /// Removes the file, if there is one (its account was removed).
    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_is_read_back_and_a_bad_one_reads_as_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let file = AlertStateFile::at(dir.path().join("alert-state-main.json"));
        assert_eq!(file.load(), AlertState::default());
        let said = AlertState {
            token_rejected: true,
            ..AlertState::default()
        };
        file.save(&said).unwrap();
        assert_eq!(file.load(), said);
        std::fs::write(file.path(), b"{not json").unwrap();
        assert_eq!(file.load(), AlertState::default());
        file.remove();
        assert!(!file.path().exists());
    }
}
