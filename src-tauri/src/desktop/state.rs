//! What the desktop shell shares between the tray, the window and the IPC commands.

use super::contract::SnapshotView;
use clickatell_core::account::Account;
use clickatell_core::context::Context;
use clickatell_core::history::History;
use clickatell_core::monitor::{Clock, MonitorHandle};
use clickatell_core::notifier::{ActionHandler, Notifier};
use clickatell_core::snapshot::Snapshot;
use clickatell_core::Settings;
use parking_lot::Mutex;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// One watched account: its settings as in force, the name it goes by in notifications (if
/// it needs one), and its monitor. Dropping the last clone stops the monitor.
#[derive(Clone)]
pub struct Watched {
    pub account: Account,
    pub label: Option<String>,
    pub monitor: MonitorHandle,
}

/// The shell's state, managed by Tauri.
pub struct AppState {
    /// The enabled accounts' monitors, in the settings' order.
    pub watched: Mutex<Vec<Watched>>,
    /// The run's context, resolved once at start.
    pub context: Context,
    /// Notifications not about one account (the test notification).
    pub notifier: Arc<dyn Notifier>,
    pub history: Option<Arc<History>>,
    /// The monitors' clock, so the history's ranges end where their readings do.
    pub clock: Arc<dyn Clock>,
    /// Told whenever an account's snapshot changes or the accounts watched do, so the tray
    /// and the window are brought up to date.
    pub changes: UnboundedSender<()>,
    /// The account the tray's menu asked the window to show, until the window has read it.
    pub focus: Mutex<Option<String>>,
    /// What a notification's buttons (Top up, Open) do in this app.
    pub notification_actions: ActionHandler,
}

impl AppState {
    /// The saved settings (the run's overrides are applied on top, never saved).
    pub fn settings(&self) -> Settings {
        self.context.saved()
    }

    /// The settings in force for this run (saved ones plus the run's overrides).
    pub fn effective_settings(&self) -> Settings {
        self.context.effective(&self.settings())
    }

    /// `snapshot` as the window shows it now, with the alert channels failing.
    pub fn snapshot_view(&self, snapshot: Snapshot) -> SnapshotView {
        SnapshotView::new(snapshot, self.clock.now(), self.context.alerts_failing())
    }

    /// Every watched account, in order.
    pub fn watched(&self) -> Vec<Watched> {
        self.watched.lock().clone()
    }

    /// The account the tray asked the window to show, once.
    pub fn take_focus(&self) -> Option<String> {
        self.focus.lock().take()
    }

    /// The account the window shows first: the first watched one.
    pub fn primary(&self) -> Option<Watched> {
        self.watched.lock().first().cloned()
    }

    /// Reads account `id` now, or every watched account when none is named, asking a locked
    /// keyring again (the user asked: it may prompt once more); the first one's snapshot.
    pub async fn refresh(&self, id: Option<&str>) -> Option<Snapshot> {
        self.context.keyring.open();
        let targets: Vec<Watched> = match id {
            Some(id) => self
                .watched()
                .into_iter()
                .filter(|w| w.account.id == id)
                .collect(),
            None => self.watched(),
        };
        let mut first = None;
        for w in targets {
            let snapshot = w.monitor.refresh().await;
            first.get_or_insert(snapshot);
        }
        first
    }

    /// Opens the saved top-up page in the default browser.
    pub fn open_top_up(&self) {
        clickatell_core::top_up::open_in_browser(&self.settings().top_up_url);
    }
}
