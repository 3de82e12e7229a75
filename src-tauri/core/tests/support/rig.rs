//! The monitor as the app runs it (real HTTP client, system clock), with notifications
//! recorded instead of shown and no history (the forecast would read the whole history on
//! every poll, which at test speeds measures SQLite rather than the monitor; the history has
//! tests of its own).

use clickatell_core::monitor::{self, MonitorConfig, MonitorDeps, MonitorHandle, SystemClock};
use clickatell_core::notifier::{Notification, Notifier, NotifyError};
use clickatell_core::{balance_source, ApiToken, HttpClient, Settings};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every notification the monitor asked for.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<Notification>>);

impl Notifier for Recorder {
    fn notify(&self, n: &Notification) -> Result<(), NotifyError> {
        self.0.lock().unwrap().push(n.clone());
        Ok(())
    }
}

pub struct Rig {
    pub handle: MonitorHandle,
    pub notes: Arc<Recorder>,
}

/// A monitor on `settings`, with `token`, polling every `interval` when given, keeping its
/// alert state at `alert_state_path` when given.
pub fn monitor(
    settings: Settings,
    token: &str,
    interval: Option<Duration>,
    alert_state_path: Option<PathBuf>,
) -> Rig {
    let notes = Arc::new(Recorder::default());
    let token = token.to_owned();
    let deps = MonitorDeps {
        make_source: Arc::new(|config| balance_source(HttpClient::new(&config.network)?, config)),
        token: Arc::new(move || Ok(Some(ApiToken::parse(&token).unwrap()))),
        notifier: notes.clone(),
        history: None,
        alert_state: alert_state_path.map(clickatell_core::alert_state::AlertStateFile::at),
        clock: Arc::new(SystemClock),
        keyring: clickatell_core::keyring_gate::KeyringGate::new(),
        channels: Default::default(),
    };
    let handle = monitor::spawn(
        MonitorConfig {
            account: settings.first().clone(),
            settings,
            interval_override: interval,
            stagger: Duration::ZERO,
        },
        deps,
    );
    Rig { handle, notes }
}
