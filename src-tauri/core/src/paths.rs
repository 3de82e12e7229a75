//! Where the app keeps its files, per the OS conventions (XDG on Linux).

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "clickatell-balance")
}

/// Whose files: the real account's, or the demo account's, kept in a `demo` folder of their own
/// so demo data never mixes with a real account's history, alerts or settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    #[default]
    Real,
    Demo,
}

impl Profile {
    fn within(self, dir: &std::path::Path) -> PathBuf {
        match self {
            Self::Real => dir.to_owned(),
            Self::Demo => dir.join("demo"),
        }
    }
}

/// Settings live here (`$XDG_CONFIG_HOME/clickatell-balance` on Linux).
pub fn config_dir(profile: Profile) -> Option<PathBuf> {
    project().map(|p| profile.within(p.config_dir()))
}

/// History and alert state live here (`$XDG_DATA_HOME/clickatell-balance` on Linux).
pub fn data_dir(profile: Profile) -> Option<PathBuf> {
    project().map(|p| profile.within(p.data_dir()))
}

/// Logs live here, where each OS keeps an app's logs: `$XDG_STATE_HOME/clickatell-balance/logs`
/// on Linux, `~/Library/Logs/clickatell-balance` on macOS, the local app data folder on Windows.
/// Demo runs log beside real ones (each line says which profile started), so one file tells the
/// whole story of a session.
pub fn log_dir() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        return directories::BaseDirs::new()
            .map(|b| b.home_dir().join("Library/Logs/clickatell-balance"));
    }
    project().map(|p| p.state_dir().unwrap_or(p.data_local_dir()).join("logs"))
}
