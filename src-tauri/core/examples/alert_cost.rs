//! Benchmark, not a test: what team alerts cost. (1) A poll's cost through the monitor with
//! two alert channels configured and idle (the balance above every level, so no alert) against
//! the same monitor without channels, in the same run: CPU time and context switches per poll,
//! `COUNT` polls each (default 500) as fast as the loopback stand-in at `URL` answers.
//! (2) The time to deliver one alert to a loopback webhook receiver (the same stand-in, which
//! also takes POSTs), median and 95th percentile of `COUNT` deliveries.
//! `cargo run --release --example alert_cost -- URL [COUNT]`.

use clickatell_core::account::Account;
use clickatell_core::alert_channel::{
    deliver, AlertEvent, AlertOutbox, ChannelKind, ChannelSecret, ChannelSettings, EmailSettings,
    RetryPolicy, SecretLookup, SecretOrigin, Severity, WebhookFormat,
};
use clickatell_core::alert_policy::Alert;
use clickatell_core::keyring_gate::KeyringGate;
use clickatell_core::levels::Level;
use clickatell_core::monitor::{self, MonitorConfig, MonitorDeps, SystemClock};
use clickatell_core::network::NetworkConfig;
use clickatell_core::notifier::{Notification, Notifier, NotifyError};
use clickatell_core::{balance_source, ApiToken, Decimal, HttpClient, Settings};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/proc_usage.rs"]
mod proc_usage;
use proc_usage::usage;

struct Quiet;

impl Notifier for Quiet {
    fn notify(&self, _: &Notification) -> Result<(), NotifyError> {
        Ok(())
    }
}

fn account(url: &str) -> Account {
    Account {
        base_url: Some(url.to_owned()),
        warning_level: Some(Decimal::from(100)),
        ..Account::default()
    }
}

/// Polls `count` times through a monitor handing alerts to `channels`; CPU ms and context
/// switches per poll.
async fn polls(url: &str, count: u32, channels: AlertOutbox) -> (f64, f64) {
    let config = MonitorConfig {
        account: account(url),
        settings: Settings::default(),
        interval_override: Some(Duration::from_millis(1)),
        stagger: Duration::ZERO,
    };
    let token = ApiToken::parse("bench-token").unwrap();
    let deps = MonitorDeps {
        make_source: Arc::new(|config| {
            let client = HttpClient::new(&config.network)?;
            balance_source(client, config)
        }),
        token: Arc::new(move || Ok(Some(token.clone()))),
        notifier: Arc::new(Quiet),
        history: None,
        alert_state: None,
        clock: Arc::new(SystemClock),
        keyring: KeyringGate::new(),
        channels,
    };
    let handle = monitor::spawn(config, deps);
    let mut snapshots = handle.subscribe();
    snapshots.changed().await.expect("a first poll");
    let (cpu0, switches0) = usage();
    for _ in 0..count {
        snapshots.changed().await.expect("a poll");
    }
    let (cpu, switches) = usage();
    (
        (cpu - cpu0) / f64::from(count),
        (switches - switches0) as f64 / f64::from(count),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: alert_cost URL [COUNT]");
    let count: u32 = args.next().map_or(500, |c| c.parse().expect("COUNT"));
    let hook = format!("{url}/services/T0/B0/bench");
    let secrets: SecretLookup =
        Arc::new(move |_: &str| Ok(Some((ChannelSecret::new(&hook), SecretOrigin::Keyring))));
    let slack = ChannelSettings {
        name: "team".into(),
        min_severity: Severity::Info,
        kind: ChannelKind::Webhook {
            format: WebhookFormat::Slack,
        },
    };
    let email = ChannelSettings {
        name: "mail".into(),
        min_severity: Severity::Info,
        kind: ChannelKind::Email(EmailSettings {
            host: "127.0.0.1".into(),
            port: Some(9),
            security: clickatell_core::alert_channel::SmtpSecurity::Plain,
            username: None,
            from: "alerts@example.com".into(),
            to: vec!["ops@example.com".into()],
        }),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let network = NetworkConfig::default();
        for round in 0..2 {
            let none = polls(&url, count, AlertOutbox::default()).await;
            let outbox = AlertOutbox::start(
                vec![slack.clone(), email.clone()],
                HttpClient::new(&network).map_err(|e| e.to_string()),
                secrets.clone(),
                RetryPolicy::default(),
            );
            let two = polls(&url, count, outbox).await;
            println!(
                "round {}: a poll without channels {:.3} ms CPU, {:.1} context switches; with \
                 two idle channels {:.3} ms CPU, {:.1} context switches ({count} polls each)",
                round + 1,
                none.0,
                none.1,
                two.0,
                two.1
            );
        }
        let http = HttpClient::new(&network).expect("the HTTP client starts");
        let alert = Alert::Low {
            level: Level::Warning,
            amount: Decimal::new(9725, 2),
            threshold: Decimal::from(100),
            reminder: false,
        };
        let event = AlertEvent::new(
            &alert,
            &account(&url),
            None,
            "credits",
            time::OffsetDateTime::now_utc(),
            "https://portal.clickatell.com/",
        );
        let mut times = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let started = Instant::now();
            deliver(&slack, &event, &http, &secrets, &RetryPolicy::default())
                .await
                .expect("delivered");
            times.push(started.elapsed());
        }
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
        println!(
            "one alert to a loopback Slack-format receiver: median {:.2} ms, 95th percentile \
             {:.2} ms ({count} deliveries, the keyring lookup stubbed)",
            at(0.5),
            at(0.95)
        );
    });
}
