//! The accounts' monitors, brought in line with the settings: started, kept, reconfigured or
//! stopped as accounts are added, changed or removed.

use super::state::{AppState, Watched};
use clickatell_core::monitor::{self, MonitorConfig};
use clickatell_core::notifier::Action;
use tauri::{AppHandle, Manager, Runtime};

/// Brings the monitors in line with the saved settings: one per enabled account, in order.
/// An account
/// already watched under the same name keeps its monitor (returned with its new
/// configuration, to apply once the lock is released); a new one, or one whose name in
/// notifications changed, gets a new monitor; one no longer enabled stops. Must run on the
/// async runtime (monitors are spawned on it).
pub fn watch_accounts<R: Runtime>(app: &AppHandle<R>) -> Vec<(Watched, MonitorConfig)> {
    let state = app.state::<AppState>();
    let context = &state.context;
    let saved = context.saved();
    let mut running = state.watched.lock();
    let mut next = Vec::new();
    let mut reconfigure = Vec::new();
    for (position, account) in saved.enabled().enumerate() {
        let label = context.account_label(account);
        let config = context.monitor_config(account, position);
        let kept = running
            .iter()
            .position(|w| w.account.id == account.id && w.label == label);
        let watched = match kept {
            Some(i) => {
                let mut w = running.remove(i);
                w.account = config.account.clone();
                reconfigure.push((w.clone(), config));
                w
            }
            None => {
                let notifier = context.notifier(
                    label.clone(),
                    Some((
                        state.notification_actions.clone(),
                        &[Action::TopUp, Action::Open],
                    )),
                );
                let deps = context.monitor_deps(
                    account,
                    notifier,
                    state.history.clone(),
                    state.clock.clone(),
                );
                let account = config.account.clone();
                let monitor = monitor::spawn(config, deps);
                let mut snapshots = monitor.subscribe();
                let changes = state.changes.clone();
                tauri::async_runtime::spawn(async move {
                    while snapshots.changed().await.is_ok() {
                        if changes.send(()).is_err() {
                            return;
                        }
                    }
                });
                Watched {
                    account,
                    label,
                    monitor,
                }
            }
        };
        next.push(watched);
    }
    *running = next;
    let _ = state.changes.send(());
    reconfigure
}

/// Applies the saved settings to the monitors (see [`watch_accounts`]), on the async runtime.
pub async fn apply_settings<R: Runtime>(app: &AppHandle<R>) {
    for (watched, config) in watch_accounts(app) {
        watched.monitor.configure(config).await;
    }
}
