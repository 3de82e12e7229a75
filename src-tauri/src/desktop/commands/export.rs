//! "Export CSV…" in the window's history: the readings of one account (or all) written as
//! CSV to the file the user chose in the save dialog, atomically.

use super::blocking;
use crate::desktop::contract::CommandError;
use crate::desktop::state::AppState;
use clickatell_core::history_export::{render, rows, ExportFormat};
use std::path::PathBuf;

/// Writes the export to `path` (from the save dialog); the sentence saying how many readings.
pub(super) async fn export_history(
    state: &AppState,
    path: &str,
    account: Option<&str>,
) -> Result<String, CommandError> {
    let path = PathBuf::from(path);
    if !path.is_absolute() {
        return Err(CommandError::message(
            "Choose where to save the export in the dialog.",
        ));
    }
    let Some(history) = state.history.clone() else {
        return Err(CommandError::message(
            "The history cannot be read, so there is nothing to export.",
        ));
    };
    let accounts: Vec<_> = state
        .settings()
        .accounts
        .into_iter()
        .filter(|a| account.is_none_or(|id| a.id == id))
        .collect();
    let now = state.clock.now();
    let written = path.clone();
    let count = blocking(move || {
        let rows = rows(&history, &accounts, time::OffsetDateTime::UNIX_EPOCH, now)
            .map_err(|e| format!("The history could not be read: {e}."))?;
        clickatell_core::atomic_file::write_atomically(&written, &render(&rows, ExportFormat::Csv))
            .map_err(|e| format!("Could not write {}: {e}.", written.display()))?;
        Ok::<_, String>(rows.len())
    })
    .await?
    .map_err(CommandError::message)?;
    Ok(format!(
        "Exported {count} reading{} to {}.",
        if count == 1 { "" } else { "s" },
        path.display()
    ))
}
