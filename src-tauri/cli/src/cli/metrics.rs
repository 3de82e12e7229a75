//! `watch --metrics-listen`: the monitor's state at `/metrics` for Prometheus, read from the
//! latest snapshot at each scrape. Served by hyper on the runtime `watch` already runs.

use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::Decimal;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{header, Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use strum::VariantArray;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// Scrapes served at once; more wait in the listen backlog, so a flood of them cannot starve
/// the monitor of memory or time.
const CONCURRENT_SCRAPES: usize = 8;
/// How long a client may take to send its request, and a whole connection may last.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECTION_LIMIT: Duration = Duration::from_secs(30);

/// Why the metrics endpoint cannot start.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error(
        "{0} is not a loopback address. Serving an account's balance to the network is a \
         decision: add --metrics-allow-remote to make it, or listen on 127.0.0.1."
    )]
    NotLoopback(SocketAddr),
    #[error("Could not listen on {addr} for metrics: {source}. Choose another address or port.")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Where to serve metrics, and whether a non-loopback address was allowed on purpose.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub allow_remote: bool,
}

impl Endpoint {
    /// Listens on the address, refusing a non-loopback one that was not allowed.
    pub async fn bind(self) -> Result<TcpListener, MetricsError> {
        if !self.addr.ip().is_loopback() && !self.allow_remote {
            return Err(MetricsError::NotLoopback(self.addr));
        }
        TcpListener::bind(self.addr)
            .await
            .map_err(|source| MetricsError::Listen {
                addr: self.addr,
                source,
            })
    }
}

/// One watched account as every scrape reports it: its fixed facts and its latest snapshot.
/// Every series carries its `account` label (the id), even with one account, so a series
/// keeps its identity when another account is added.
#[derive(Debug, Clone)]
pub struct Watched {
    pub account: String,
    /// Which Clickatell API is read ("rest" or "one-api").
    pub api: &'static str,
    pub warning_level: Option<Decimal>,
    pub critical_level: Option<Decimal>,
    pub snapshots: watch::Receiver<Snapshot>,
}

/// Serves `/metrics` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, accounts: Vec<Watched>) {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(SnapshotCollector { accounts }));
    let registry = Arc::new(registry);
    let permits = Arc::new(Semaphore::new(CONCURRENT_SCRAPES));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "metrics: could not accept a connection");
                continue;
            }
        };
        let registry = registry.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let registry = registry.clone();
                async move { Ok::<_, std::convert::Infallible>(respond(&request, &registry)) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(REQUEST_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIMIT, connection).await;
            drop(permit);
        });
    }
}

/// The answer to one request: the metrics for `GET /metrics`, in OpenMetrics when the client
/// asks for it (Prometheus does), else in the classic text format (promtool, curl).
fn respond(request: &Request<Incoming>, registry: &Registry) -> Response<Full<Bytes>> {
    let plain = |status: StatusCode, text: &'static str| {
        let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
        *response.status_mut() = status;
        response
    };
    if request.uri().path() != "/metrics" {
        return plain(StatusCode::NOT_FOUND, "Metrics are at /metrics.\n");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Use GET.\n");
    }
    let open_metrics = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/openmetrics-text"));
    let mut text = String::new();
    let (encoded, content_type) = if open_metrics {
        (
            prometheus_client::encoding::text::encode(&mut text, registry),
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )
    } else {
        (
            prometheus_client::encoding::prometheus_text::encode(&mut text, registry),
            prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        )
    };
    if encoded.is_err() {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "Encoding failed.\n");
    }
    let mut response = Response::new(Full::new(Bytes::from(text)));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

/// Reads the latest snapshots at each scrape, so what Prometheus sees is never behind them.
#[derive(Debug)]
struct SnapshotCollector {
    accounts: Vec<Watched>,
}

/// One sample of a family: its labels and value.
type Sample<'a> = (Vec<(&'static str, &'a str)>, f64);

impl Collector for SnapshotCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let now: Vec<(&Watched, Snapshot)> = self
            .accounts
            .iter()
            .map(|w| (w, w.snapshots.borrow().clone()))
            .collect();
        let seconds = |t: time::OffsetDateTime| t.unix_timestamp_nanos() as f64 / 1e9;
        let per_account = |value: &dyn Fn(&Watched, &Snapshot) -> Option<f64>| -> Vec<Sample<'_>> {
            now.iter()
                .filter_map(|(w, s)| Some((vec![("account", w.account.as_str())], value(w, s)?)))
                .collect()
        };
        let balances: Vec<Sample<'_>> = now
            .iter()
            .filter_map(|(w, s)| {
                let b = s.balance.as_ref()?;
                let labels = vec![
                    ("account", w.account.as_str()),
                    ("api", w.api),
                    ("unit", b.unit()),
                ];
                Some((labels, amount(b.amount)))
            })
            .collect();
        gauges(
            &mut encoder,
            "clickatell_balance",
            "The account's balance at the last successful read",
            &balances,
        )?;
        gauges(
            &mut encoder,
            "clickatell_warning_level",
            "The balance below which the monitor warns",
            &per_account(&|w, _| w.warning_level.map(amount)),
        )?;
        gauges(
            &mut encoder,
            "clickatell_critical_level",
            "The balance below which the monitor reports critical",
            &per_account(&|w, _| w.critical_level.map(amount)),
        )?;
        gauges(
            &mut encoder,
            "clickatell_up",
            "1 when the last attempt read the balance, 0 when it failed or none was made yet",
            &per_account(&|_, s| {
                let up = s.attempted_at.is_some() && s.error.is_none();
                Some(if up { 1.0 } else { 0.0 })
            }),
        )?;
        gauges(
            &mut encoder,
            "clickatell_last_success_timestamp_seconds",
            "When the balance was last read successfully (Unix time)",
            &per_account(&|_, s| s.fetched_at.map(seconds)),
        )?;
        gauges(
            &mut encoder,
            "clickatell_last_attempt_timestamp_seconds",
            "When the last attempt to read the balance ended (Unix time)",
            &per_account(&|_, s| s.attempted_at.map(seconds)),
        )?;
        let mut errors = encoder.encode_descriptor(
            "clickatell_errors",
            "Failed attempts to read the balance since start, by the state they led to",
            None,
            MetricType::Counter,
        )?;
        for (w, s) in &now {
            for kind in Status::VARIANTS.iter().copied().filter(|s| s.is_failure()) {
                let count = s.failures.get(&kind).copied().unwrap_or(0);
                let labels = [("account", w.account.as_str()), ("kind", kind.as_str())];
                ConstCounter::new(count).encode(errors.encode_family(&labels)?)?;
            }
        }
        gauges(
            &mut encoder,
            "clickatell_forecast_days_left",
            "Days until the balance reaches zero at the recent rate of use",
            &per_account(&|_, s| s.forecast.as_ref().and_then(|f| f.days_to_zero)),
        )?;
        Ok(())
    }
}

/// Encodes one gauge family with a sample per account that has a value; nothing when none
/// has.
fn gauges(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    samples: &[Sample<'_>],
) -> Result<(), std::fmt::Error> {
    if samples.is_empty() {
        return Ok(());
    }
    let mut family = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, value) in samples {
        ConstGauge::new(*value).encode(family.encode_family(labels)?)?;
    }
    Ok(())
}

/// An amount as Prometheus stores it (a float; balances are far inside its exact range).
fn amount(value: Decimal) -> f64 {
    f64::try_from(value).unwrap_or(f64::NAN)
}
