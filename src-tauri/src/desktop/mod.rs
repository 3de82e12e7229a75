//! The desktop tray app: wires the monitor to the tray, the window and the IPC commands. All
//! decisions live in `clickatell_core`; this layer only connects them to the desktop.

pub mod command_list;
pub mod commands;
pub mod contract;
pub mod link;
pub mod state;
pub mod tray;
pub mod tray_host;
pub mod window;
pub mod window_host;
pub mod window_process;

use clickatell_core::context::Context;
use clickatell_core::monitor::{self, Clock, SystemClock};
use clickatell_core::notifier::{Action, ActionHandler};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::tray_icon::IconStyle;
use clickatell_core::tray_text::{tray_view, TrayView};
use clickatell_core::Decimal;
use clickatell_core::TokenStore;
use state::AppState;
use std::process::ExitCode;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Manager, RunEvent, Runtime};
use window::View;
use window_host::WindowHost;

/// How far back the meter looks for the balance it fills against.
const METER_WINDOW_DAYS: i64 = 30;
/// How often the tooltip's and the window's "Updated 2 min ago" are refreshed: ages are said
/// in whole minutes, and the tick restarts with each new reading, so it falls just after
/// each minute of the reading's age turns.
const AGE_TICK: Duration = Duration::from_secs(60);

/// Runs the tray app until the user chooses Quit.
pub fn run(context: Context) -> ExitCode {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::open(app, View::Overview, None);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--at-login"]),
        ))
        .setup(move |app| {
            setup(app.handle(), context);
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => {
            app.run(|app, event| match event {
                // The tray app runs on with no window.
                RunEvent::ExitRequested {
                    code: None, api, ..
                } => api.prevent_exit(),
                RunEvent::Exit => {
                    if let Some(host) = app.try_state::<WindowHost>() {
                        host.close();
                    }
                }
                _ => {}
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clickatell-balance: the desktop app could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

fn setup<R: Runtime>(app: &AppHandle<R>, context: Context) {
    let history = match context.open_history() {
        Ok(h) => Some(Arc::new(h)),
        Err(e) => {
            tracing::warn!(error = %e, "history unavailable");
            None
        }
    };
    let notifier = context.notifier(Some((action_handler(app), &[Action::TopUp, Action::Open])));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let deps = context.monitor_deps(notifier.clone(), history.clone(), clock.clone());
    let config = context.monitor_config(&context.saved);
    let handle = tauri::async_runtime::block_on(async move { monitor::spawn(config, deps) });
    let (demo, at_login) = (context.is_demo(), context.at_login());
    app.manage(AppState {
        monitor: handle,
        settings: std::sync::Mutex::new(context.saved.clone()),
        context,
        tokens: TokenStore::default(),
        notifier,
        history,
        clock,
    });
    app.manage(tray::TrayState::default());
    match WindowHost::start(app) {
        Ok(host) => {
            app.manage(host);
        }
        Err(e) => tracing::error!(error = %e, "the window cannot be opened"),
    }
    let view = current_view(app, &Snapshot::default());
    if let Err(e) = tray::install(app, &view, tray_style(app)) {
        tracing::info!(error = %e, "no tray host yet; waiting for one");
        let patience = if at_login {
            tray_host::PATIENCE_AT_LOGIN
        } else {
            tray_host::PATIENCE
        };
        await_tray_host(app.clone(), patience);
    }
    if demo {
        window::open(app, View::Overview, None);
    }
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").is_ok_and(|v| v == "true") {
        window::open(app, View::Overview, None);
    }
    forward_snapshots(app.clone());
}

/// The tray's view of a snapshot, naming the account when it needs naming.
fn current_view<R: Runtime>(app: &AppHandle<R>, snapshot: &Snapshot) -> TrayView {
    let state = app.state::<AppState>();
    let thresholds = state.effective_settings().thresholds();
    let peak = *app
        .state::<tray::TrayState>()
        .peak
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    tray_view(
        snapshot,
        &thresholds,
        time::OffsetDateTime::now_utc(),
        peak,
        state.context.account_label(),
    )
}

/// What a notification's button does in the tray app.
fn action_handler<R: Runtime>(app: &AppHandle<R>) -> ActionHandler {
    let app = app.clone();
    Arc::new(move |action| match action {
        Action::TopUp => {
            clickatell_core::top_up::open_in_browser(&app.state::<AppState>().settings().top_up_url)
        }
        Action::Open => window::open(&app, View::Overview, None),
    })
}

/// The icon style the settings ask for.
fn tray_style<R: Runtime>(app: &AppHandle<R>) -> IconStyle {
    app.state::<AppState>().settings().tray_icon
}

/// Creates the tray when a tray host appears on the bus. Meanwhile monitoring and alerts run;
/// if none has appeared after `patience`, the window opens with a hint, which goes away when
/// a host does appear.
fn await_tray_host<R: Runtime>(app: AppHandle<R>, patience: Duration) {
    let (appeared, host) = std::sync::mpsc::channel();
    if let Err(e) = tray_host::watch(move || {
        let _ = appeared.send(());
    }) {
        tracing::warn!(error = %e, "cannot watch the session bus for a tray host");
        window::open(&app, View::Overview, Some("no-tray"));
        return;
    }
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + patience;
        let mut hinted = false;
        loop {
            let wait = deadline.saturating_duration_since(std::time::Instant::now());
            let event = if hinted {
                host.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                host.recv_timeout(wait)
            };
            match event {
                Ok(()) => {
                    if install_tray(&app) {
                        tracing::info!("tray host appeared; tray created");
                        if hinted {
                            window::emit(&app, contract::TRAY_READY_EVENT, ());
                        }
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    tracing::warn!(?patience, "no tray host appeared; showing the window");
                    window::open(&app, View::Overview, Some("no-tray"));
                    hinted = true;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
}

/// Creates the tray on the main thread; whether it worked. A host that has only just taken
/// its name may not answer yet, so a few tries a moment apart.
fn install_tray<R: Runtime>(app: &AppHandle<R>) -> bool {
    for attempt in 0..5 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(300));
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || {
            let snapshot = handle
                .state::<AppState>()
                .monitor
                .subscribe()
                .borrow()
                .clone();
            let view = current_view(&handle, &snapshot);
            let style = tray_style(&handle);
            let installed = tray::install(&handle, &view, style).is_ok();
            if installed {
                tray::update(&handle, &view, style, &snapshot);
            }
            let _ = tx.send(installed);
        });
        if rx.recv().unwrap_or(false) {
            return true;
        }
    }
    false
}

/// The highest balance of the last 30 days, for the meter; read off the async runtime.
async fn recent_peak<R: Runtime>(app: &AppHandle<R>) -> Option<Decimal> {
    let history = app.state::<AppState>().history.clone()?;
    let now = app.state::<AppState>().clock.now();
    tauri::async_runtime::spawn_blocking(move || {
        let from = now - time::Duration::days(METER_WINDOW_DAYS);
        history
            .range(from, now)
            .ok()?
            .into_iter()
            .map(|p| p.amount)
            .max()
    })
    .await
    .ok()
    .flatten()
}

/// Sends every snapshot to the tray and the window, and keeps the ages both show current. On
/// a first run with no token, opens the window so the user sees where to add one.
fn forward_snapshots<R: Runtime>(app: AppHandle<R>) {
    let mut snapshots = app.state::<AppState>().monitor.subscribe();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(AGE_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut first_reading = true;
        loop {
            let changed = tokio::select! {
                changed = snapshots.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    tick.reset();
                    true
                }
                _ = tick.tick() => false,
            };
            let snapshot = snapshots.borrow_and_update().clone();
            // Only the meter draws against the peak: the history is read for it alone.
            if changed && tray_style(&app) == IconStyle::Meter {
                let peak = recent_peak(&app).await;
                *app.state::<tray::TrayState>()
                    .peak
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = peak;
            }
            if first_reading && snapshot.status != Status::Starting {
                first_reading = false;
                if snapshot.status == Status::TokenMissing {
                    window::open(&app, View::Overview, None);
                }
            }
            let view = current_view(&app, &snapshot);
            tray::update(&app, &view, tray_style(&app), &snapshot);
            let now = app.state::<AppState>().clock.now();
            window::emit(
                &app,
                contract::SNAPSHOT_EVENT,
                contract::SnapshotView::new(snapshot, now),
            );
        }
    });
}
