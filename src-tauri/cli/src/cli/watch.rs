//! `clickatell-balance watch`: the monitor without a desktop shell, notifying through the
//! desktop's notification server, logging each state change as one line on stderr and, if
//! asked, serving Prometheus metrics.

use super::{failed, metrics};
use crate::exit::{CliError, Outcome};
use clickatell_core::balance::group_thousands;
use clickatell_core::context::Context;
use clickatell_core::monitor::{self, MonitorConfig, SystemClock};
use clickatell_core::notifier::{Action, ActionHandler};
use clickatell_core::snapshot::{Snapshot, Status};
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;

/// What `watch` was asked for beyond the run's options (its levels and interval are those:
/// see `Cli::run_options`).
pub struct Options {
    /// Where to serve Prometheus metrics, if anywhere.
    pub metrics: Option<metrics::Endpoint>,
}

/// Runs until Ctrl-C or SIGTERM, then exits 0: every enabled account (or the one
/// `--account` names), each with its own monitor, all on one runtime and one HTTP client.
pub fn run(context: &Context, options: Options) -> Result<Outcome, CliError> {
    let accounts = match context.accounts() {
        Ok(a) if !a.is_empty() => a,
        Ok(_) => {
            return Err(failed(
                "Every account is disabled; enable one in the settings.",
            ))
        }
        Err(choice) => return Err(failed(super::choice_message(context, &choice))),
    };
    let mut configs = Vec::with_capacity(accounts.len());
    for (position, account) in accounts.iter().enumerate() {
        let config = context.monitor_config(account, position);
        if let Err(message) = config.account.thresholds().validate() {
            return Err(failed(format!("Invalid levels: {message}.")));
        }
        configs.push(config);
    }
    let runtime = clickatell_core::runtime::current_thread().map_err(super::no_runtime)?;
    runtime.block_on(watch(context, configs, options.metrics))
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
    configs: Vec<MonitorConfig>,
    metrics: Option<metrics::Endpoint>,
) -> Result<Outcome, CliError> {
    // Bound before anything starts, so a bad address fails at once and polls nothing.
    let listener = match metrics {
        Some(endpoint) => match endpoint.bind().await {
            Ok(listener) => Some(listener),
            Err(e) => return Err(failed(e.to_string())),
        },
        None => None,
    };
    let (history, notice) = context.start_history();
    if let Some(notice) = notice {
        eprintln!("clickatell-balance: warning: {notice}");
    }
    let mut watched = Vec::with_capacity(configs.len());
    let mut handles = Vec::with_capacity(configs.len());
    let (changes, mut lines) = tokio::sync::mpsc::unbounded_channel();
    for (i, config) in configs.into_iter().enumerate() {
        let account = config.account.clone();
        let label = context.account_label(&account);
        let notifier = context.notifier(
            label.clone(),
            Some((top_up_action(&config), &[Action::TopUp])),
        );
        let deps = context.monitor_deps(&account, notifier, history.clone(), Arc::new(SystemClock));
        let handle = monitor::spawn(config, deps);
        let mut snapshots = handle.subscribe();
        let changes = changes.clone();
        tokio::spawn(async move {
            while snapshots.changed().await.is_ok() {
                let snapshot = snapshots.borrow_and_update().clone();
                if changes.send((i, snapshot)).is_err() {
                    break;
                }
            }
        });
        watched.push(metrics::Watched {
            account: account.id.clone(),
            api: account.api.as_str(),
            warning_level: account.warning_level,
            critical_level: account.critical_level,
            snapshots: handle.subscribe(),
        });
        handles.push((handle, label, super::no_token(context, &account)));
    }
    drop(changes);
    if let Some(listener) = listener {
        if let Ok(addr) = listener.local_addr() {
            eprintln!("Serving metrics at http://{addr}/metrics");
        }
        tokio::spawn(metrics::serve(listener, watched));
    }
    let mut last_lines = vec![String::new(); handles.len()];
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            next = lines.recv() => {
                let Some((i, snapshot)) = next else {
                    return Err(failed("The monitor stopped unexpectedly."));
                };
                let mut line = describe(&snapshot, &handles[i].2);
                if let Some(label) = &handles[i].1 {
                    line = format!("{label}: {line}");
                }
                if line != last_lines[i] {
                    let at = time::OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
                    eprintln!("{at} {line}");
                    last_lines[i] = line;
                }
            }
            _ = &mut stop => return Ok(Outcome::Done),
        }
    }
}

/// One line for a snapshot: the state, the balance and what went wrong, if anything (for a
/// missing token, `no_token`: how to store one).
fn describe(s: &Snapshot, no_token: &str) -> String {
    let mut line = s.status.as_str().to_owned();
    if let Some(b) = &s.balance {
        line.push_str(&format!(" {} {}", group_thousands(b.amount), b.unit()));
    }
    let problem = match s.status {
        Status::TokenMissing => Some(no_token),
        _ => s.error.as_deref(),
    };
    if let Some(problem) = problem {
        line.push_str(&format!(" - {problem}"));
    }
    if let Some(remedy) = s.remedy {
        line.push_str(&format!(" {}", super::remedy_words(remedy)));
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
