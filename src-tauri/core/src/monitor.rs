//! The polling engine: one task that fetches the balance on a timer, backs off on transient
//! failures, pauses on permanent ones, raises alerts and publishes a [`Snapshot`].
//!
//! Invariants: at most one request in flight; a refresh during a request joins it; the task
//! wakes at least once a minute and compares wall-clock time, so a machine waking from sleep is
//! polled within about a minute.

use crate::account::Account;
use crate::alert_channel::{AlertEvent, AlertOutbox};
use crate::alert_policy::{AlertPolicy, AlertState};
use crate::alert_state::AlertStateFile;
use crate::backoff::retry_delay;
use crate::clickatell::{Disposition, FetchError};
use crate::forecast::{Forecast, RecentReadings};
use crate::history::History;
use crate::keyring_gate::KeyringGate;
use crate::notifier::Notifier;
use crate::snapshot::{Snapshot, Status};
use crate::token_store::TokenStoreError;
use crate::{ApiToken, Balance, BalanceSource, Settings, SourceConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot, watch};

/// Longest the task sleeps before looking at the wall clock again.
const MAX_NAP: Duration = Duration::from_secs(60);
/// A refresh asked for within this time of the last reading is answered with that reading.
const REFRESH_DEBOUNCE: Duration = Duration::from_secs(2);
/// Readings older than this many intervals make the snapshot stale.
const STALE_AFTER_INTERVALS: u32 = 3;

/// The wall clock, injectable so time-dependent rules can be tested.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Finds the token: `Ok(None)` when none is stored, `Err` when the keyring cannot be read.
/// Blocking (keyring I/O); the monitor runs it off the runtime, when it starts, when the token
/// or the settings change and after the token was rejected, and keeps the token in memory
/// for the polls in between.
pub type TokenLookup = Arc<dyn Fn() -> Result<Option<ApiToken>, TokenStoreError> + Send + Sync>;

/// Builds a balance source for the current settings.
pub type SourceFactory =
    Arc<dyn Fn(&SourceConfig) -> Result<Arc<dyn BalanceSource>, FetchError> + Send + Sync>;

/// Everything the monitor talks to, so the desktop app, `watch` and tests can each supply theirs.
pub struct MonitorDeps {
    pub make_source: SourceFactory,
    pub token: TokenLookup,
    pub notifier: Arc<dyn Notifier>,
    pub history: Option<Arc<History>>,
    /// Where the alert state is kept across restarts; `None` keeps it in memory only.
    pub alert_state: Option<AlertStateFile>,
    pub clock: Arc<dyn Clock>,
    /// Closed while the keyring is locked; the monitor resumes when it opens.
    pub keyring: Arc<KeyringGate>,
    /// Where alerts go besides the desktop; takes them without waiting.
    pub channels: AlertOutbox,
}

/// One account's monitor: the account, the app-wide settings (timeout, notifications) and
/// run-time overrides (e.g. `watch --interval 1s`, below the settings' minimum).
#[derive(Debug, Clone)]
pub struct MonitorConfig {
    pub account: Account,
    pub settings: Settings,
    pub interval_override: Option<Duration>,
    /// How long after start (or a change of settings) the first poll waits, so accounts
    /// polled at the same interval are not all read in the same second.
    pub stagger: Duration,
}

impl MonitorConfig {
    fn interval(&self) -> Duration {
        self.interval_override.unwrap_or(self.account.interval())
    }

    fn source_config(&self) -> SourceConfig {
        self.settings.source_config(&self.account)
    }

    fn policy(&self) -> AlertPolicy {
        let n = &self.settings.notifications;
        AlertPolicy {
            thresholds: self.account.thresholds(),
            reminder: n
                .reminder_hours
                .map(|h| Duration::from_secs(u64::from(h) * 3600)),
            blind_after: Duration::from_secs(u64::from(n.blind_after_minutes) * 60),
            top_up_notice: n.top_up_notice,
            forecast_days: n.forecast_alert_days,
        }
    }
}

enum Command {
    Refresh(oneshot::Sender<Snapshot>),
    Configure(Box<MonitorConfig>),
    TokenChanged,
}

/// The handle the tray, the UI and `watch` use; dropping every handle stops the monitor.
#[derive(Clone)]
pub struct MonitorHandle {
    commands: mpsc::Sender<Command>,
    snapshots: watch::Receiver<Snapshot>,
}

impl MonitorHandle {
    /// Receives every new snapshot.
    pub fn subscribe(&self) -> watch::Receiver<Snapshot> {
        self.snapshots.clone()
    }

    /// Fetches now (joining a request already in flight) and returns the resulting snapshot.
    pub async fn refresh(&self) -> Snapshot {
        let (tx, rx) = oneshot::channel();
        if self.commands.send(Command::Refresh(tx)).await.is_err() {
            return self.snapshots.borrow().clone();
        }
        rx.await.unwrap_or_else(|_| self.snapshots.borrow().clone())
    }

    /// Applies new settings at once, without a restart.
    pub async fn configure(&self, config: MonitorConfig) {
        let _ = self
            .commands
            .send(Command::Configure(Box::new(config)))
            .await;
    }

    /// The stored token changed: resume polling if it was paused for the token.
    pub async fn token_changed(&self) {
        let _ = self.commands.send(Command::TokenChanged).await;
    }
}

/// Starts the monitor on the current tokio runtime.
pub fn spawn(config: MonitorConfig, deps: MonitorDeps) -> MonitorHandle {
    spawn_with_debounce(config, deps, REFRESH_DEBOUNCE)
}

/// [`spawn`] with another refresh debounce, so tests can tell a joined request from a
/// debounced one.
fn spawn_with_debounce(
    config: MonitorConfig,
    deps: MonitorDeps,
    refresh_debounce: Duration,
) -> MonitorHandle {
    let (commands, rx) = mpsc::channel(16);
    let (snapshot_tx, snapshots) = watch::channel(Snapshot::default());
    let engine = Engine::new(config, deps, snapshot_tx, refresh_debounce);
    tokio::spawn(engine.run(rx));
    MonitorHandle {
        commands,
        snapshots,
    }
}

/// Why the monitor is not polling on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pause {
    No,
    /// Needs the user: bad token, IP lockdown, no token, unusable settings.
    UntilUserActs,
    /// The keyring is locked: until it is unlocked (or the user asks to try again).
    UntilKeyringOpens,
}

struct Engine {
    config: MonitorConfig,
    source: Result<Arc<dyn BalanceSource>, FetchError>,
    policy: AlertPolicy,
    alerts: AlertState,
    deps: MonitorDeps,
    publish: watch::Sender<Snapshot>,
    snapshot: Snapshot,
    started_at: OffsetDateTime,
    last_success: Option<OffsetDateTime>,
    failures: u32,
    pause: Pause,
    next_due: OffsetDateTime,
    last_fetch_done: Option<Instant>,
    refresh_debounce: Duration,
    /// The readings the forecast is made from.
    recent: RecentReadings,
    /// The token as last looked up, for the polls in between lookups.
    token: Option<ApiToken>,
    /// Changes when the keyring gate opens.
    keyring_opened: watch::Receiver<u64>,
}

impl Engine {
    fn new(
        config: MonitorConfig,
        deps: MonitorDeps,
        publish: watch::Sender<Snapshot>,
        refresh_debounce: Duration,
    ) -> Self {
        let now = deps.clock.now();
        let alerts = deps
            .alert_state
            .as_ref()
            .map(AlertStateFile::load)
            .unwrap_or_default();
        let keyring_opened = deps.keyring.opened();
        Self {
            keyring_opened,
            token: None,
            source: (deps.make_source)(&config.source_config()),
            policy: config.policy(),
            next_due: now + config.stagger,
            config,
            alerts,
            deps,
            publish,
            snapshot: Snapshot::default(),
            started_at: now,
            last_success: None,
            failures: 0,
            pause: Pause::No,
            last_fetch_done: None,
            refresh_debounce,
            recent: RecentReadings::default(),
        }
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let mut waiters: Vec<oneshot::Sender<Snapshot>> = Vec::new();
        loop {
            let now = self.deps.clock.now();
            let due = self.pause == Pause::No && now >= self.next_due;
            if due || !waiters.is_empty() {
                let mut deferred = Vec::new();
                let result = {
                    let poll = self.fetch();
                    tokio::pin!(poll);
                    loop {
                        tokio::select! {
                            result = &mut poll => break result,
                            command = rx.recv() => match command {
                                Some(Command::Refresh(w)) => waiters.push(w),
                                Some(other) => deferred.push(other),
                                None => return,
                            },
                        }
                    }
                };
                if let Some(token) = result.looked_up {
                    self.token = Some(token);
                }
                self.settle(result.outcome).await;
                self.last_fetch_done = Some(Instant::now());
                for w in waiters.drain(..) {
                    let _ = w.send(self.snapshot.clone());
                }
                for command in deferred {
                    self.apply(command, &mut waiters);
                }
                continue;
            }
            let nap = if self.pause == Pause::No {
                let until = (self.next_due - now).unsigned_abs();
                until.min(MAX_NAP)
            } else {
                MAX_NAP
            };
            tokio::select! {
                command = rx.recv() => match command {
                    Some(command) => self.apply(command, &mut waiters),
                    None => return,
                },
                Ok(()) = self.keyring_opened.changed() => {
                    if self.pause == Pause::UntilKeyringOpens {
                        self.resume();
                    }
                }
                _ = tokio::time::sleep(nap) => self.refresh_staleness(),
            }
        }
    }

    fn apply(&mut self, command: Command, waiters: &mut Vec<oneshot::Sender<Snapshot>>) {
        match command {
            Command::Refresh(w) => {
                let recent = self
                    .last_fetch_done
                    .is_some_and(|t| t.elapsed() < self.refresh_debounce);
                if recent {
                    let _ = w.send(self.snapshot.clone());
                } else {
                    waiters.push(w);
                }
            }
            Command::Configure(config) => {
                let source_changed = config.source_config() != self.config.source_config();
                if source_changed {
                    self.source = (self.deps.make_source)(&config.source_config());
                }
                self.config = *config;
                self.policy = self.config.policy();
                self.token = None;
                self.resume();
                self.next_due += self.config.stagger;
            }
            Command::TokenChanged => {
                self.token = None;
                self.resume();
            }
        }
    }

    fn resume(&mut self) {
        self.pause = Pause::No;
        self.failures = 0;
        self.next_due = self.deps.clock.now();
    }

    /// One poll: the token kept from the last lookup, or looked up now (returned, to be
    /// kept), then the request.
    async fn fetch(&self) -> Fetched {
        let failed = |outcome| Fetched {
            outcome,
            looked_up: None,
        };
        let source = match &self.source {
            Ok(source) => source.clone(),
            Err(e) => return failed(Outcome::Failed(e.clone())),
        };
        let (token, looked_up) = match &self.token {
            Some(token) => (token.clone(), None),
            None => {
                let lookup = self.deps.token.clone();
                match tokio::task::spawn_blocking(move || lookup()).await {
                    Ok(Ok(Some(token))) => (token.clone(), Some(token)),
                    Ok(Ok(None)) => return failed(Outcome::NoToken),
                    Ok(Err(e)) => return failed(Outcome::KeyringFailed(e)),
                    Err(e) => {
                        return failed(Outcome::KeyringFailed(TokenStoreError::Failed {
                            detail: format!("the keyring lookup failed: {e}"),
                        }))
                    }
                }
            }
        };
        let outcome = match source.fetch(&token).await {
            Ok(balance) => Outcome::Read(balance),
            Err(e) => Outcome::Failed(e),
        };
        Fetched { outcome, looked_up }
    }

    async fn settle(&mut self, outcome: Outcome) {
        let now = self.deps.clock.now();
        let interval = self.config.interval();
        let alerts_before = self.alerts.clone();
        let status_before = self.snapshot.status;
        let alerts = match outcome {
            Outcome::Read(balance) => {
                tracing::debug!(balance = %balance.amount, "balance fetched");
                self.failures = 0;
                self.pause = Pause::No;
                self.next_due = now + interval;
                self.last_success = Some(now);
                let forecast = self.record(now, &balance).await;
                let alerts = self.policy.on_balance(
                    &mut self.alerts,
                    balance.amount,
                    now,
                    forecast.as_ref(),
                );
                self.snapshot.status = Status::from(self.policy.thresholds.level(balance.amount));
                self.snapshot.balance = Some(balance);
                self.snapshot.fetched_at = Some(now);
                self.snapshot.error = None;
                self.snapshot.remedy = None;
                self.snapshot.failing_since = None;
                self.snapshot.forecast = forecast;
                alerts
            }
            Outcome::NoToken => {
                self.pause = Pause::UntilUserActs;
                // Each edge says where to store one (the window, the command line).
                self.snapshot.status = Status::TokenMissing;
                self.snapshot.error = None;
                self.snapshot.remedy = None;
                Vec::new()
            }
            Outcome::KeyringFailed(TokenStoreError::Locked { .. }) => {
                self.pause = Pause::UntilKeyringOpens;
                self.snapshot.status = Status::KeyringLocked;
                let message = "The keyring is locked: unlock it (with your login password) to \
                               read the balance. It is read as soon as the keyring is \
                               unlocked; Refresh asks for the password again."
                    .to_owned();
                let alerts = self.blind_check(now, &message);
                self.snapshot.error = Some(message);
                self.snapshot.remedy = None;
                alerts
            }
            Outcome::KeyringFailed(e) => {
                let message = e.user_message();
                self.snapshot.remedy = e.remedy();
                self.failures += 1;
                self.next_due = now + retry_delay(self.failures, interval, None, fastrand::f64());
                self.snapshot.status = Status::Error;
                let alerts = self.blind_check(now, &message);
                self.snapshot.error = Some(message);
                alerts
            }
            Outcome::Failed(e) => {
                if e.status() == Status::TokenRejected {
                    // Looked up again next time: the user may have stored a new one.
                    self.token = None;
                }
                self.failed(now, interval, &e)
            }
        };
        self.snapshot.attempted_at = Some(now);
        if self.snapshot.status.is_failure() {
            *self
                .snapshot
                .failures
                .entry(self.snapshot.status)
                .or_default() += 1;
            if self.snapshot.failing_since.is_none() {
                self.snapshot.failing_since = Some(now);
            }
        }
        self.snapshot.next_poll_at = (self.pause == Pause::No).then_some(self.next_due);
        if self.snapshot.status != status_before {
            tracing::info!(
                from = status_before.as_str(),
                to = self.snapshot.status.as_str(),
                "status changed"
            );
        }
        self.notify(alerts).await;
        if self.alerts != alerts_before {
            self.save_alert_state().await;
        }
        self.refresh_staleness();
        self.publish.send_replace(self.snapshot.clone());
    }

    fn failed(
        &mut self,
        now: OffsetDateTime,
        interval: Duration,
        e: &FetchError,
    ) -> Vec<crate::alert_policy::Alert> {
        let message = e.user_message();
        self.snapshot.status = e.status();
        self.snapshot.remedy = e.remedy();
        let alerts = if self.snapshot.status == Status::TokenRejected {
            self.policy.on_token_rejected(&mut self.alerts, &message)
        } else {
            self.blind_check(now, &message)
        };
        match e.disposition() {
            Disposition::Pause => self.pause = Pause::UntilUserActs,
            Disposition::Retry => {
                self.failures += 1;
                self.next_due =
                    now + retry_delay(self.failures, interval, e.retry_after(), fastrand::f64());
            }
            Disposition::NextInterval => self.next_due = now + interval,
        }
        tracing::info!(status = self.snapshot.status.as_str(), error = %e, "balance fetch failed");
        self.snapshot.error = Some(message);
        alerts
    }

    fn blind_check(
        &mut self,
        now: OffsetDateTime,
        message: &str,
    ) -> Vec<crate::alert_policy::Alert> {
        let since = self.last_success.unwrap_or(self.started_at);
        self.policy
            .on_failure(&mut self.alerts, now, since, message)
    }

    /// Records the reading (SQLite, off the runtime's workers) and returns the forecast from
    /// the recent readings, read from the history once and then kept up to date in memory.
    async fn record(&mut self, now: OffsetDateTime, balance: &Balance) -> Option<Forecast> {
        let history = self.deps.history.clone()?;
        let reading = balance.clone();
        let account = self.config.account.id.clone();
        let load = self.recent.needs_loading();
        let work = move || {
            if let Err(e) = history.record(&account, now, &reading) {
                tracing::warn!(error = %e, "could not record the reading in the history");
                return None;
            }
            if !load {
                return Some(None);
            }
            let from = now - RecentReadings::WINDOW;
            let points = history
                .series(&account, from, now, RecentReadings::POINTS)
                .ok()?;
            Some(Some(points))
        };
        match tokio::task::spawn_blocking(work).await.ok().flatten()? {
            Some(points) => self
                .recent
                .load(points.into_iter().map(|p| (p.at, p.amount))),
            None => self.recent.push(now, balance.amount),
        }
        Some(self.recent.forecast(self.config.account.warning_level))
    }

    /// Tells the alert channels (handed over, never awaited) and the desktop (unless its
    /// notifications are off).
    async fn notify(&mut self, alerts: Vec<crate::alert_policy::Alert>) {
        if alerts.is_empty() {
            return;
        }
        let unit = self
            .snapshot
            .balance
            .as_ref()
            .map(|b| b.unit().to_owned())
            .unwrap_or_else(|| "credits".into());
        let amount = self.snapshot.balance.as_ref().map(|b| b.amount);
        let now = self.deps.clock.now();
        for alert in &alerts {
            self.deps.channels.send(&AlertEvent::new(
                alert,
                &self.config.account,
                amount,
                &unit,
                now,
                &self.config.settings.top_up_url,
            ));
        }
        if !self.config.settings.notifications.enabled {
            return;
        }
        let notes: Vec<_> = alerts.iter().map(|a| a.notification(&unit)).collect();
        let notifier = self.deps.notifier.clone();
        let result = tokio::task::spawn_blocking(move || {
            notes
                .iter()
                .map(|n| notifier.notify(n))
                .find_map(Result::err)
        })
        .await;
        self.snapshot.notification_error = match result {
            Ok(None) => None,
            Ok(Some(e)) => {
                tracing::info!(error = %e, "notification failed");
                Some(e.to_string())
            }
            Err(e) => Some(format!("the notification task failed: {e}")),
        };
    }

    /// Saves what has been said (an fsync'd write, off the runtime's workers; awaited, so
    /// saves land in order).
    async fn save_alert_state(&self) {
        let Some(file) = self.deps.alert_state.clone() else {
            return;
        };
        let state = self.alerts.clone();
        let saved =
            tokio::task::spawn_blocking(move || file.save(&state).map_err(|e| (e, file))).await;
        if let Ok(Err((e, file))) = saved {
            tracing::warn!(error = %e, path = %file.path().display(), "could not save the alert state");
        }
    }

    /// Marks the snapshot stale when the last good reading is older than three intervals.
    fn refresh_staleness(&mut self) {
        let Some(fetched_at) = self.snapshot.fetched_at else {
            return;
        };
        let limit = self.config.interval() * STALE_AFTER_INTERVALS;
        let old = (self.deps.clock.now() - fetched_at).unsigned_abs() > limit;
        let shows_reading = matches!(
            self.snapshot.status,
            Status::Ok
                | Status::Warning
                | Status::Critical
                | Status::Offline
                | Status::RateLimited
                | Status::Error
        );
        if old && shows_reading && self.snapshot.status != Status::Stale {
            self.snapshot.status = Status::Stale;
            self.publish.send_replace(self.snapshot.clone());
        }
    }
}

enum Outcome {
    Read(Balance),
    NoToken,
    KeyringFailed(TokenStoreError),
    Failed(FetchError),
}

/// A poll's outcome, and the token if it was looked up for it.
struct Fetched {
    outcome: Outcome,
    looked_up: Option<ApiToken>,
}

#[cfg(test)]
mod tests;
