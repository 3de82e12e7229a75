//! The desktop tray app: wires the monitor to the tray, the window and the IPC commands. All
//! decisions live in `clickatell_core`; this layer only connects them to the desktop.

pub mod command_list;
pub mod commands;
pub mod contract;
pub mod link;
pub mod monitors;
pub mod state;
pub mod tray;
pub mod tray_host;
pub mod window_host;
pub mod window_process;

use clickatell_core::context::Context;
use clickatell_core::monitor::SystemClock;
use clickatell_core::notifier::{Action, ActionHandler, DesktopNotifier};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::tray_icon::IconStyle;
use clickatell_core::tray_text::{tray_overview, AccountState, TrayOverview};
use clickatell_core::Decimal;
use contract::View;
use state::AppState;
use std::collections::BTreeMap;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Manager, RunEvent, Runtime};
use tray_host::HostEvent;
use window_host::WindowHost;

/// How far back the meter looks for the balance it fills against.
const METER_WINDOW_DAYS: i64 = 30;
/// How often the tooltip's and the window's "Updated 2 min ago" are refreshed: ages are said
/// in whole minutes, and the tick restarts with each new reading, so it falls just after
/// each minute of the reading's age turns.
const AGE_TICK: Duration = Duration::from_secs(60);

/// The async runtime's worker threads. The tray app's async work is a few monitors' timers
/// and requests, the tray host's signals and the link to the window: one worker does it all,
/// and a poll then stays on one thread (with a worker per core, tokio's default, a second
/// worker was woken for most tasks a poll schedules: about 9 context switches a poll instead of
/// 7 on two cores, more threads on more). Blocking work still goes to the blocking pool.
const ASYNC_WORKERS: usize = 1;

/// Runs the tray app until the user chooses Quit; an error is the sentence saying why it could
/// not start.
pub fn run(context: Context) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(ASYNC_WORKERS)
        .enable_all()
        .build()
        .map_err(|e| format!("the desktop app could not start its async runtime: {e}"))?;
    tauri::async_runtime::set(runtime.handle().clone());
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window_host::open(app, View::Overview, None);
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
            Ok(())
        }
        Err(e) => Err(format!("the desktop app could not start: {e}")),
    }
}

fn setup<R: Runtime>(app: &AppHandle<R>, context: Context) {
    let (history, notice) = context.start_history();
    if let Some(notice) = notice {
        tracing::warn!("{notice}");
    }
    let (demo, at_login) = (context.is_demo(), context.at_login());
    let (changes, changed) = tokio::sync::mpsc::unbounded_channel();
    app.manage(AppState {
        watched: parking_lot::Mutex::default(),
        context,
        notifier: Arc::new(DesktopNotifier::default()),
        history,
        clock: Arc::new(SystemClock),
        changes,
        focus: parking_lot::Mutex::default(),
        notification_actions: action_handler(app),
    });
    let configure = tauri::async_runtime::block_on(async { monitors::watch_accounts(app) });
    debug_assert!(configure.is_empty(), "nothing runs yet to reconfigure");
    follow_alert_channels(app);
    app.manage(tray::TrayState::default());
    match WindowHost::start(app) {
        Ok(host) => {
            app.manage(host);
        }
        Err(e) => tracing::error!(error = %e, "the window cannot be opened"),
    }
    let overview = current_overview(app);
    let installed = match tray::install(app, &overview, appearance(app), primary_status(app)) {
        Ok(()) => true,
        Err(e) => {
            tracing::info!(error = %e, "no tray host yet; waiting for one");
            false
        }
    };
    let patience = if at_login {
        tray_host::PATIENCE_AT_LOGIN
    } else {
        tray_host::PATIENCE
    };
    follow_tray_host(app.clone(), patience, installed);
    if demo {
        window_host::open(app, View::Overview, None);
    }
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").is_ok_and(|v| v == "true") {
        window_host::open(app, View::Overview, None);
    }
    forward_snapshots(app.clone(), changed);
}

/// Redraws the tray and the window when an alert channel starts or stops failing.
fn follow_alert_channels<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let outbox = tauri::async_runtime::block_on(async { state.context.alert_outbox() });
    let (Some(mut problems), changes) = (outbox.problems(), state.changes.clone()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        while problems.changed().await.is_ok() {
            if changes.send(()).is_err() {
                return;
            }
        }
    });
}

/// The tray's view of every watched account now.
fn current_overview<R: Runtime>(app: &AppHandle<R>) -> TrayOverview {
    let state = app.state::<AppState>();
    let watched = state.watched();
    let snapshots: Vec<Snapshot> = watched
        .iter()
        .map(|w| w.monitor.subscribe().borrow().clone())
        .collect();
    let peaks = app.state::<tray::TrayState>().peaks.lock().clone();
    let accounts: Vec<AccountState<'_>> = watched
        .iter()
        .zip(&snapshots)
        .map(|(w, snapshot)| AccountState {
            id: &w.account.id,
            name: &w.account.name,
            snapshot,
            thresholds: w.account.thresholds(),
            peak: peaks.get(&w.account.id).copied().flatten(),
        })
        .collect();
    let mut overview = tray_overview(
        &accounts,
        time::OffsetDateTime::now_utc(),
        state.context.is_demo(),
    );
    for failing in state.context.alerts_failing() {
        overview.view.detail.push('\n');
        overview.view.detail.push_str(&failing);
    }
    overview
}

/// What a notification's button does in the tray app.
fn action_handler<R: Runtime>(app: &AppHandle<R>) -> ActionHandler {
    let app = app.clone();
    Arc::new(move |action| match action {
        Action::TopUp => app.state::<AppState>().open_top_up(),
        Action::Open => window_host::open(&app, View::Overview, None),
    })
}

/// How the settings want the tray drawn.
fn appearance<R: Runtime>(app: &AppHandle<R>) -> tray::Appearance {
    tray::Appearance::of(&app.state::<AppState>().settings())
}

/// Creates the tray when a tray host appears on the bus (unless it is `installed` already),
/// and keeps it shown when the panel restarts. Meanwhile monitoring and alerts run; if no host
/// is there for `patience` (at start, or after one went away), the window opens with a hint,
/// which goes away when a host appears.
fn follow_tray_host<R: Runtime>(app: AppHandle<R>, patience: Duration, installed: bool) {
    let (events, host) = std::sync::mpsc::channel();
    if let Err(e) = tray_host::watch(move |event| {
        let _ = events.send(event);
    }) {
        tracing::warn!(error = %e, "cannot watch the session bus for a tray host");
        if !installed {
            window_host::open(&app, View::Overview, Some("no-tray"));
        }
        return;
    }
    std::thread::spawn(move || {
        let mut installed = installed;
        // The host went away after the tray was made.
        let mut outage = false;
        // When the window opens with the hint, while no host is there.
        let mut hint_at = (!installed).then(|| std::time::Instant::now() + patience);
        let mut hinted = false;
        loop {
            let event = match hint_at {
                Some(at) => {
                    host.recv_timeout(at.saturating_duration_since(std::time::Instant::now()))
                }
                None => host.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match event {
                Ok(HostEvent::Appeared) => {
                    if !installed {
                        if !install_tray(&app) {
                            continue;
                        }
                        tracing::info!("tray host appeared; tray created");
                        installed = true;
                    } else if !tray_host::register_again() {
                        tracing::warn!("a tray host is there but does not list the tray item");
                    } else if outage {
                        tracing::info!("the tray host is back; the tray item is registered again");
                    }
                    outage = false;
                    hint_at = None;
                    if hinted {
                        window_host::emit(&app, contract::TRAY_READY_EVENT, ());
                        hinted = false;
                    }
                }
                Ok(HostEvent::Vanished) if installed && !outage => {
                    tracing::warn!("the tray host went away; the tray item waits for it to return");
                    outage = true;
                    hint_at = Some(std::time::Instant::now() + patience);
                }
                Ok(HostEvent::Vanished) => {}
                Err(RecvTimeoutError::Timeout) => {
                    tracing::warn!(?patience, "no tray host is there; showing the window");
                    window_host::open(&app, View::Overview, Some("no-tray"));
                    hinted = true;
                    hint_at = None;
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
            let overview = current_overview(&handle);
            let installed = tray::install(
                &handle,
                &overview,
                appearance(&handle),
                primary_status(&handle),
            );
            let _ = tx.send(installed.is_ok());
        });
        if rx.recv().unwrap_or(false) {
            return true;
        }
    }
    false
}

/// The state of the account the window shows, which the menu's Refresh and Settings items
/// follow.
fn primary_status<R: Runtime>(app: &AppHandle<R>) -> Status {
    app.state::<AppState>()
        .primary()
        .map_or(Status::Starting, |w| w.monitor.subscribe().borrow().status)
}

/// Each watched account's highest balance of the last 30 days, for the meter; read off the
/// async runtime.
async fn recent_peaks<R: Runtime>(app: &AppHandle<R>) -> BTreeMap<String, Option<Decimal>> {
    let state = app.state::<AppState>();
    let Some(history) = state.history.clone() else {
        return BTreeMap::new();
    };
    let now = state.clock.now();
    let ids: Vec<String> = state.watched().into_iter().map(|w| w.account.id).collect();
    tauri::async_runtime::spawn_blocking(move || {
        let from = now - time::Duration::days(METER_WINDOW_DAYS);
        ids.into_iter()
            .map(|id| {
                let peak = history
                    .range(&id, from, now)
                    .ok()
                    .and_then(|points| points.into_iter().map(|p| p.amount).max());
                (id, peak)
            })
            .collect()
    })
    .await
    .unwrap_or_default()
}

/// Brings the tray and the window up to date with every change, and keeps the ages both show
/// current. On a first run with no token, opens the window so the user sees where to add one.
fn forward_snapshots<R: Runtime>(
    app: AppHandle<R>,
    mut changed: tokio::sync::mpsc::UnboundedReceiver<()>,
) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(AGE_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut first_reading = true;
        loop {
            let fresh = tokio::select! {
                change = changed.recv() => {
                    if change.is_none() {
                        return;
                    }
                    // A burst of changes (every account starting) is drawn once.
                    while changed.try_recv().is_ok() {}
                    tick.reset();
                    true
                }
                _ = tick.tick() => false,
            };
            // Only the meter draws against the peak: the history is read for it alone.
            if fresh && appearance(&app).style == IconStyle::Meter {
                let peaks = recent_peaks(&app).await;
                *app.state::<tray::TrayState>().peaks.lock() = peaks;
            }
            let primary = app
                .state::<AppState>()
                .primary()
                .map(|w| w.monitor.subscribe().borrow().clone())
                .unwrap_or_default();
            if first_reading && primary.status != Status::Starting {
                first_reading = false;
                if primary.status == Status::TokenMissing {
                    window_host::open(&app, View::Overview, None);
                }
            }
            let overview = current_overview(&app);
            tray::update(&app, &overview, appearance(&app), primary.status);
            window_host::emit(
                &app,
                contract::SNAPSHOT_EVENT,
                app.state::<AppState>().snapshot_view(primary),
            );
        }
    });
}
