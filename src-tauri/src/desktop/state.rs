//! What the desktop shell shares between the tray, the window and the IPC commands.

use clickatell_core::context::Context;
use clickatell_core::history::History;
use clickatell_core::monitor::{Clock, MonitorHandle};
use clickatell_core::notifier::Notifier;
use clickatell_core::{Settings, TokenStore};
use std::sync::{Arc, Mutex};

/// The shell's state, managed by Tauri.
pub struct AppState {
    pub monitor: MonitorHandle,
    /// The settings as saved now (the run's overrides are applied on top, never saved).
    pub settings: Mutex<Settings>,
    /// The run's context, resolved once at start.
    pub context: Context,
    pub tokens: TokenStore,
    pub notifier: Arc<dyn Notifier>,
    pub history: Option<Arc<History>>,
    /// The monitor's clock, so the history's ranges end where its readings do.
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    /// The saved settings.
    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The settings in force for this run (saved ones plus the run's overrides).
    pub fn effective_settings(&self) -> Settings {
        self.context.effective(&self.settings())
    }
}
