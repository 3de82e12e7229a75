//! The desktop tray app: wires the monitor to the tray, the window and the IPC commands. All
//! decisions live in `clickatell_core`; this layer only connects them to the desktop.

pub mod commands;
pub mod contract;
pub mod state;
pub mod tray;
pub mod window;

use crate::cli::config::{load_settings, notifier, source_factory, token_lookup};
use crate::cli::GlobalArgs;
use clickatell_core::history::History;
use clickatell_core::monitor::{self, Clock, MonitorDeps, SystemClock};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::tray_text::{tray_view, TrayView};
use clickatell_core::{Settings, SettingsStore, TokenStore};
use state::AppState;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, RunEvent, Runtime};
use window::View;

/// How often the tray retries when the desktop has no tray host yet.
const TRAY_RETRY: Duration = Duration::from_secs(5);
/// How often the tooltip's "Updated 2 min ago" is refreshed.
const TOOLTIP_TICK: Duration = Duration::from_secs(30);

/// Runs the tray app until the user chooses Quit.
pub fn run(global: &GlobalArgs) -> ExitCode {
    let store = SettingsStore::at_default_location(global.profile()).ok();
    let settings = load_settings(global);
    let overrides = global.clone();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::open(app, View::Overview, None);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .invoke_handler(crate::ipc_handler!())
        .on_window_event(|_, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window::release_memory();
            }
        })
        .setup(move |app| {
            setup(app.handle(), overrides, store, settings);
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => {
            app.run(|_, event| {
                if let RunEvent::ExitRequested {
                    code: None, api, ..
                } = event
                {
                    api.prevent_exit();
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clickatell-balance: the desktop app could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

fn setup<R: Runtime>(
    app: &AppHandle<R>,
    overrides: GlobalArgs,
    store: Option<SettingsStore>,
    settings: Settings,
) {
    let history = match History::open_default(overrides.profile()) {
        Ok(h) => Some(Arc::new(h)),
        Err(e) => {
            tracing::warn!(error = %e, "history unavailable");
            None
        }
    };
    let notifier = notifier(&overrides);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let deps = MonitorDeps {
        make_source: source_factory(&overrides),
        token: token_lookup(&overrides),
        notifier: notifier.clone(),
        history: history.clone(),
        alert_state_path: monitor::default_alert_state_path(overrides.profile()),
        clock: clock.clone(),
    };
    let demo = overrides.demo;
    let config = AppState::monitor_config(&overrides, &settings);
    let handle = tauri::async_runtime::block_on(async move { monitor::spawn(config, deps) });
    app.manage(AppState {
        monitor: handle,
        settings: std::sync::Mutex::new(settings),
        store,
        overrides,
        tokens: TokenStore::default(),
        notifier,
        history,
        clock,
    });
    let view = current_view(app, &Snapshot::default());
    if let Err(e) = tray::install(app, &view) {
        tracing::warn!(error = %e, "no tray host yet; showing the window instead");
        window::open(app, View::Overview, Some("no-tray"));
        retry_tray(app.clone());
    }
    if demo {
        window::open(app, View::Overview, None);
    }
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").is_ok_and(|v| v == "true") {
        window::open(app, View::Overview, None);
    }
    forward_snapshots(app.clone());
}

/// The tray's view of a snapshot; the demo account's says "Demo" everywhere.
fn current_view<R: Runtime>(app: &AppHandle<R>, snapshot: &Snapshot) -> TrayView {
    let state = app.state::<AppState>();
    let thresholds = state.effective_settings().thresholds();
    let view = tray_view(snapshot, &thresholds, time::OffsetDateTime::now_utc());
    if !state.overrides.demo {
        return view;
    }
    TrayView {
        title: format!("Demo {}", view.title),
        tooltip: format!("Demo account — {}", view.tooltip),
        menu_line: format!("Demo {}", view.menu_line),
        ..view
    }
}

/// Creates the tray as soon as a tray host appears on the desktop.
fn retry_tray<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(TRAY_RETRY).await;
            let (tx, rx) = tokio::sync::oneshot::channel();
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || {
                let snapshot = handle
                    .state::<AppState>()
                    .monitor
                    .subscribe()
                    .borrow()
                    .clone();
                let view = current_view(&handle, &snapshot);
                let installed = tray::install(&handle, &view).is_ok();
                if installed {
                    tray::update(&handle, &view, &snapshot);
                }
                let _ = tx.send(installed);
            });
            if rx.await.unwrap_or(false) {
                tracing::info!("tray host appeared; tray created");
                return;
            }
        }
    });
}

/// Sends every snapshot to the tray and the window, and keeps the tooltip's age current. On a
/// first run with no token, opens the window so the user sees where to add one.
fn forward_snapshots<R: Runtime>(app: AppHandle<R>) {
    let mut snapshots = app.state::<AppState>().monitor.subscribe();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(TOOLTIP_TICK);
        let mut first_reading = true;
        loop {
            let changed = tokio::select! {
                changed = snapshots.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    true
                }
                _ = tick.tick() => false,
            };
            let snapshot = snapshots.borrow_and_update().clone();
            if first_reading && snapshot.status != Status::Starting {
                first_reading = false;
                if snapshot.status == Status::TokenMissing {
                    window::open(&app, View::Overview, None);
                }
            }
            let view = current_view(&app, &snapshot);
            tray::update(&app, &view, &snapshot);
            if changed {
                let _ = app.emit(contract::SNAPSHOT_EVENT, &snapshot);
            }
        }
    });
}
