//! What the desktop shell shares between the tray, the window and the IPC commands.

use clickatell_balance_cli::cli::config::apply_overrides;
use clickatell_balance_cli::cli::GlobalArgs;
use clickatell_core::demo::DEMO_INTERVAL;
use clickatell_core::history::History;
use clickatell_core::monitor::{Clock, MonitorConfig, MonitorHandle};
use clickatell_core::notifier::Notifier;
use clickatell_core::{Settings, SettingsStore, TokenStore};
use std::sync::{Arc, Mutex};

/// The shell's state, managed by Tauri.
pub struct AppState {
    pub monitor: MonitorHandle,
    /// The settings as saved (command-line overrides are applied on top, never saved).
    pub settings: Mutex<Settings>,
    pub store: Option<SettingsStore>,
    pub overrides: GlobalArgs,
    pub tokens: TokenStore,
    pub notifier: Arc<dyn Notifier>,
    pub history: Option<Arc<History>>,
    /// The monitor's clock, so the history's ranges end where its readings do.
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    /// The monitor's configuration for `settings`, with this run's command-line overrides.
    pub fn monitor_config(overrides: &GlobalArgs, settings: &Settings) -> MonitorConfig {
        let mut effective = settings.clone();
        apply_overrides(overrides, &mut effective);
        MonitorConfig {
            settings: effective,
            interval_override: overrides.demo.then_some(DEMO_INTERVAL),
        }
    }

    /// The saved settings.
    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The settings in force for this run (saved ones plus command-line overrides).
    pub fn effective_settings(&self) -> Settings {
        Self::monitor_config(&self.overrides, &self.settings()).settings
    }
}
