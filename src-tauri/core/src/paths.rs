//! Where the app keeps its files, per the OS conventions (XDG on Linux).

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "clickatell-balance")
}

/// Settings live here (`$XDG_CONFIG_HOME/clickatell-balance` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_owned())
}

/// History and alert state live here (`$XDG_DATA_HOME/clickatell-balance` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    project().map(|p| p.data_dir().to_owned())
}
