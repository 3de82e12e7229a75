//! Delivery off the poll path. The monitor hands each alert to the [`AlertOutbox`], which never
//! waits: each channel has its own worker and a bounded queue, so a receiver that hangs or
//! fails delays neither a reading nor another channel. A delivery has a bounded time (the
//! HTTP client's timeout) and a few attempts with backoff, honouring `Retry-After` on 429; a
//! channel that keeps failing is said once (the log, the tray, the window), never a storm.

use super::email;
use super::event::AlertEvent;
use super::refusal::Refusal;
use super::secret::{SecretError, SecretLookup};
use super::webhook::{request, webhook_url};
use super::{ChannelKind, ChannelSettings, EmailSettings, WebhookFormat};
use crate::account::Account;
use crate::clickatell::{parse_retry_after, Disposition, HttpClient};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use thiserror::Error;
use time::OffsetDateTime;
use tokio::sync::{mpsc, watch};
use url::Url;

/// Alerts waiting for one channel; more are dropped (and said) rather than held without end.
pub const QUEUE_LEN: usize = 16;

/// How often and how patiently one alert is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait before the second try; doubled before each further one.
    pub first_delay: Duration,
    /// The longest wait honoured, `Retry-After` included: a receiver asking for more is
    /// given up on for this alert.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            first_delay: Duration::from_secs(2),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// Why an alert did not reach a channel. Never holds the channel's secret.
#[derive(Debug, Error)]
pub enum DeliveryError {
    /// What the secret is: "webhook address", "SMTP password".
    #[error("no {0} is stored for it")]
    NoSecret(&'static str),
    #[error("its {0} cannot be read: {1}")]
    Secret(&'static str, SecretError),
    #[error("its stored webhook address is not usable: {0}")]
    BadAddress(String),
    #[error("the HTTP client could not start: {0}")]
    Client(String),
    #[error("{0}")]
    Failed(String),
}

/// Sends `channel` one test alert about `account` through `http`, tried once: "Send test
/// alert" and `alert test`.
pub async fn send_test(
    channel: &ChannelSettings,
    account: &Account,
    http: &HttpClient,
    top_up_url: &str,
    secrets: &SecretLookup,
) -> Result<(), DeliveryError> {
    let event = AlertEvent::test(account, OffsetDateTime::now_utc(), top_up_url);
    let once = RetryPolicy {
        attempts: 1,
        ..RetryPolicy::default()
    };
    deliver(channel, &event, http, secrets, &once).await
}

/// Where one channel's alert goes, its secret read and checked.
enum Target<'a> {
    Webhook(WebhookFormat, Url),
    Email(&'a EmailSettings),
}

/// Sends `event` to `channel`, trying as `retry` allows.
pub async fn deliver(
    channel: &ChannelSettings,
    event: &AlertEvent,
    http: &HttpClient,
    secrets: &SecretLookup,
    retry: &RetryPolicy,
) -> Result<(), DeliveryError> {
    let what = channel.kind.secret_name();
    let lookup = secrets.clone();
    let name = channel.name.clone();
    let secret = tokio::task::spawn_blocking(move || lookup(&name))
        .await
        .map_err(|e| DeliveryError::Failed(format!("the keyring lookup failed: {e}")))?
        .map_err(|e| DeliveryError::Secret(what, e))?
        .map(|(secret, _)| secret);
    let target = match (&channel.kind, &secret) {
        (ChannelKind::Webhook { .. }, None) => return Err(DeliveryError::NoSecret(what)),
        (ChannelKind::Webhook { format }, Some(secret)) => Target::Webhook(
            *format,
            webhook_url(secret.expose()).map_err(DeliveryError::BadAddress)?,
        ),
        (ChannelKind::Email(email), None) if email.username.is_some() => {
            return Err(DeliveryError::NoSecret(what))
        }
        (ChannelKind::Email(email), _) => Target::Email(email),
    };
    let mut delay = retry.first_delay;
    for attempt in 1..=retry.attempts.max(1) {
        let last = attempt >= retry.attempts;
        let sent = match &target {
            Target::Webhook(format, url) => post(http, *format, url, event).await,
            Target::Email(email) => {
                email::send(email, secret.as_ref(), event, http.network()).await
            }
        };
        match sent {
            Ok(()) => return Ok(()),
            Err(Refusal::Final(detail)) => return Err(DeliveryError::Failed(detail)),
            Err(Refusal::Retry(detail, _)) if last => return Err(DeliveryError::Failed(detail)),
            Err(Refusal::Retry(detail, asked)) => {
                let wait = asked.map_or(delay, |asked| asked.max(delay));
                if wait > retry.max_wait {
                    return Err(DeliveryError::Failed(format!(
                        "{detail}; it asked to wait {} s",
                        wait.as_secs()
                    )));
                }
                tracing::debug!(channel = %channel.name, attempt, detail, "alert delivery failed; retrying");
                tokio::time::sleep(wait).await;
                delay *= 2;
            }
        }
    }
    unreachable!("the last attempt returns")
}

async fn post(
    http: &HttpClient,
    format: WebhookFormat,
    url: &Url,
    event: &AlertEvent,
) -> Result<(), Refusal> {
    let sent = request(format, event);
    let headers: Vec<(&str, &str)> = sent.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let host = url.host_str().unwrap_or("-").to_owned();
    let response = match http.post(url, &headers, sent.body).await {
        Ok(response) => response,
        Err(e) => {
            let disposition = e.disposition();
            // The address's path and query hold the receiver's token: never said.
            let mut e = e.redact(url.as_str());
            for part in [url.path(), url.query().unwrap_or_default()] {
                if part.len() > 1 {
                    e = e.redact(part);
                }
            }
            let detail = e.to_string();
            return Err(match disposition {
                Disposition::Retry => Refusal::Retry(detail, None),
                _ => Refusal::Final(detail),
            });
        }
    };
    let status = response.status;
    let detail = format!("HTTP {status} from {host}");
    match status {
        200..=299 => Ok(()),
        300..=399 => Err(Refusal::Final(format!(
            "{detail} (a redirect, not followed)"
        ))),
        408 | 429 | 500..=599 => Err(Refusal::Retry(
            detail,
            response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, SystemTime::now())),
        )),
        _ => Err(Refusal::Final(detail)),
    }
}

/// A channel whose last delivery failed: since when, and the last failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelProblem {
    pub channel: String,
    pub since: OffsetDateTime,
    pub error: String,
}

impl ChannelProblem {
    /// "Alerts to "team" (Slack) failing since 10:05 UTC: HTTP 404 from hooks.slack.com."
    pub fn sentence(&self) -> String {
        let since = self
            .since
            .format(time::macros::format_description!(
                "[hour]:[minute] UTC on [year]-[month]-[day]"
            ))
            .unwrap_or_default();
        format!(
            "Alerts to {} failing since {since}: {}.",
            self.channel, self.error
        )
    }
}

/// The channels in force and the client they are reached with (or why it could not start).
struct Channels {
    list: Vec<ChannelSettings>,
    http: Result<HttpClient, String>,
}

struct Shared {
    runtime: tokio::runtime::Handle,
    channels: Mutex<Arc<Channels>>,
    workers: Mutex<HashMap<String, mpsc::Sender<AlertEvent>>>,
    problems: watch::Sender<Vec<ChannelProblem>>,
    secrets: SecretLookup,
    retry: RetryPolicy,
}

/// Where the monitors post their alerts for the channels; cheap to clone. Without channels
/// (the default) it takes alerts and does nothing.
#[derive(Clone, Default)]
pub struct AlertOutbox {
    shared: Option<Arc<Shared>>,
}

impl AlertOutbox {
    /// An outbox for `channels`, reached through `http`, its workers on the current tokio
    /// runtime.
    pub fn start(
        channels: Vec<ChannelSettings>,
        http: Result<HttpClient, String>,
        secrets: SecretLookup,
        retry: RetryPolicy,
    ) -> Self {
        let (problems, _) = watch::channel(Vec::new());
        Self {
            shared: Some(Arc::new(Shared {
                runtime: tokio::runtime::Handle::current(),
                channels: Mutex::new(Arc::new(Channels {
                    list: channels,
                    http,
                })),
                workers: Mutex::new(HashMap::new()),
                problems,
                secrets,
                retry,
            })),
        }
    }

    /// Takes effect for the next alert; a removed channel's queued alerts are dropped.
    pub fn configure(&self, channels: Vec<ChannelSettings>, http: Result<HttpClient, String>) {
        let Some(shared) = &self.shared else { return };
        let next = Channels {
            list: channels,
            http,
        };
        shared.problems.send_if_modified(|problems| {
            let before = problems.len();
            problems.retain(|p| next.list.iter().any(|c| c.describe() == p.channel));
            problems.len() != before
        });
        *shared.channels.lock() = Arc::new(next);
    }

    /// Hands `event` to every channel that takes its severity; never waits.
    pub fn send(&self, event: &AlertEvent) {
        let Some(shared) = &self.shared else { return };
        let channels = shared.channels.lock().clone();
        for channel in channels.list.iter().filter(|c| c.takes(event.severity)) {
            let queue = shared
                .workers
                .lock()
                .entry(channel.name.clone())
                .or_insert_with(|| spawn_worker(shared.clone(), channel.name.clone()))
                .clone();
            if queue.try_send(event.clone()).is_err() {
                note(
                    shared,
                    channel,
                    Err(format!(
                        "{QUEUE_LEN} alerts are still waiting, so a new one was dropped"
                    )),
                );
            }
        }
    }

    /// The channels failing now, as they change.
    pub fn problems(&self) -> Option<watch::Receiver<Vec<ChannelProblem>>> {
        self.shared.as_ref().map(|s| s.problems.subscribe())
    }
}

fn spawn_worker(shared: Arc<Shared>, name: String) -> mpsc::Sender<AlertEvent> {
    let (tx, mut rx) = mpsc::channel::<AlertEvent>(QUEUE_LEN);
    let runtime = shared.runtime.clone();
    runtime.spawn(async move {
        while let Some(event) = rx.recv().await {
            let channels = shared.channels.lock().clone();
            let Some(channel) = channels.list.iter().find(|c| c.name == name) else {
                continue;
            };
            let result = match &channels.http {
                Ok(http) => deliver(channel, &event, http, &shared.secrets, &shared.retry)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(DeliveryError::Client(e.clone()).to_string()),
            };
            note(&shared, channel, result);
        }
    });
    tx
}

/// Records a delivery's outcome: a first failure is logged and published once, later ones
/// only update the error; a success clears it.
fn note(shared: &Shared, channel: &ChannelSettings, result: Result<(), String>) {
    let name = channel.describe();
    shared.problems.send_if_modified(|problems| {
        let at = problems.iter().position(|p| p.channel == name);
        match (result, at) {
            (Ok(()), None) => false,
            (Ok(()), Some(i)) => {
                problems.remove(i);
                tracing::info!(channel = %channel.name, "alerts are delivered again");
                true
            }
            (Err(error), Some(i)) => {
                tracing::debug!(channel = %channel.name, error, "alert delivery still failing");
                let changed = problems[i].error != error;
                problems[i].error = error;
                changed
            }
            (Err(error), None) => {
                let problem = ChannelProblem {
                    channel: name.clone(),
                    since: OffsetDateTime::now_utc(),
                    error,
                };
                tracing::warn!("{}", problem.sentence());
                problems.push(problem);
                true
            }
        }
    });
}
