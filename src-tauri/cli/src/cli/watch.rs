//! `clickatell-balance watch`: the monitor without a desktop shell, notifying through the
//! desktop's notification server, logging each state change as one line on stderr and, if
//! asked, serving Prometheus metrics.

use super::{fail, metrics};
use clickatell_core::balance::group_thousands;
use clickatell_core::context::Context;
use clickatell_core::monitor::{self, MonitorConfig, SystemClock};
use clickatell_core::notifier::{Action, ActionHandler};
use clickatell_core::snapshot::Snapshot;
use clickatell_core::Decimal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;

/// What `watch` was asked for beyond the global options.
pub struct Options {
    /// Poll interval for this run instead of the saved one.
    pub interval: Option<Duration>,
    pub warning: Option<Decimal>,
    pub critical: Option<Decimal>,
    /// Where to serve Prometheus metrics, if anywhere.
    pub metrics: Option<metrics::Endpoint>,
}

/// Runs until Ctrl-C or SIGTERM, then exits 0.
pub fn run(context: &Context, options: Options) -> ExitCode {
    let mut config = context.monitor_config(&context.saved);
    let settings = &mut config.settings;
    if options.warning.is_some() {
        settings.warning_level = options.warning;
    }
    if options.critical.is_some() {
        settings.critical_level = options.critical;
    }
    if options.interval.is_some() {
        config.interval_override = options.interval;
    }
    if let Err(message) = config.settings.thresholds().validate() {
        return fail(&format!("Invalid levels: {message}."));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("Could not start the async runtime: {e}.")),
    };
    runtime.block_on(watch(context, config, options.metrics))
}

/// A low balance's "Top up" button opens the top-up page; `watch` has no window to open.
fn top_up_action(config: &MonitorConfig) -> ActionHandler {
    let url = config.settings.top_up_url.clone();
    Arc::new(move |action| {
        if action == Action::TopUp {
            clickatell_core::top_up::open_in_browser(&url);
        }
    })
}

async fn watch(
    context: &Context,
    config: MonitorConfig,
    metrics: Option<metrics::Endpoint>,
) -> ExitCode {
    // Bound before anything starts, so a bad address fails at once and polls nothing.
    let listener = match metrics {
        Some(endpoint) => match endpoint.bind().await {
            Ok(listener) => Some(listener),
            Err(e) => return fail(&e.to_string()),
        },
        None => None,
    };
    let labels = metrics::Labels {
        api: config.settings.api.as_str(),
        warning_level: config.settings.warning_level,
        critical_level: config.settings.critical_level,
    };
    let history = match context.open_history() {
        Ok(h) => Some(Arc::new(h)),
        Err(e) => {
            eprintln!("clickatell-balance: warning: {e}; readings are not recorded.");
            None
        }
    };
    let notifier = context.notifier(Some((top_up_action(&config), &[Action::TopUp])));
    let deps = context.monitor_deps(notifier, history, Arc::new(SystemClock));
    let handle = monitor::spawn(config, deps);
    let mut snapshots = handle.subscribe();
    if let Some(listener) = listener {
        if let Ok(addr) = listener.local_addr() {
            eprintln!("Serving metrics at http://{addr}/metrics");
        }
        tokio::spawn(metrics::serve(listener, handle.subscribe(), labels));
    }
    let mut last_line = String::new();
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            changed = snapshots.changed() => {
                if changed.is_err() {
                    return fail("The monitor stopped unexpectedly.");
                }
                let line = describe(&snapshots.borrow_and_update());
                if line != last_line {
                    let at = time::OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
                    eprintln!("{at} {line}");
                    last_line = line;
                }
            }
            _ = &mut stop => return ExitCode::SUCCESS,
        }
    }
}

/// One line for a snapshot: the state, the balance and what went wrong, if anything.
fn describe(s: &Snapshot) -> String {
    let mut line = s.status.as_str().to_owned();
    if let Some(b) = &s.balance {
        line.push_str(&format!(" {} {}", group_thousands(b.amount), b.unit()));
    }
    if let Some(error) = &s.error {
        line.push_str(&format!(" - {error}"));
    }
    if let Some(e) = &s.notification_error {
        line.push_str(&format!(" [{e}]"));
    }
    line
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
