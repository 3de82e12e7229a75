//! The alert outbox as the tray app uses it when the window saves new settings: channels set
//! up, changed or removed while it runs take the next alert, against loopback receivers.

mod support;

use clickatell_core::account::Account;
use clickatell_core::alert_channel::{
    AlertEvent, AlertOutbox, ChannelKind, ChannelSecret, ChannelSettings, RetryPolicy,
    SecretLookup, SecretOrigin, Severity, WebhookFormat,
};
use clickatell_core::alert_policy::Alert;
use clickatell_core::network::NetworkConfig;
use clickatell_core::{Decimal, HttpClient};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::clickatell::{FakeClickatell, Reply};

fn channel(name: &str) -> ChannelSettings {
    ChannelSettings {
        name: name.into(),
        min_severity: Severity::Warning,
        kind: ChannelKind::Webhook {
            format: WebhookFormat::Json,
        },
    }
}

fn low() -> AlertEvent {
    let alert = Alert::Low {
        level: clickatell_core::levels::Level::Warning,
        amount: Decimal::new(9000, 2),
        threshold: Decimal::from(100),
        reminder: false,
    };
    AlertEvent::new(
        &alert,
        &Account::default(),
        None,
        "credits",
        time::OffsetDateTime::now_utc(),
        "https://portal.clickatell.com/",
    )
}

async fn settle(done: impl Fn() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while !done() {
        if Instant::now() > until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_set_up_changed_or_removed_while_running_take_the_next_alert() {
    let good = FakeClickatell::always(Reply::new(200, "text/plain", "ok"));
    let gone = FakeClickatell::always(Reply::new(404, "text/plain", "gone"));
    let (good_url, gone_url) = (
        format!("{}/hook", good.url()),
        format!("{}/hook", gone.url()),
    );
    let secrets: SecretLookup = Arc::new(move |name: &str| {
        let url = if name == "team" { &good_url } else { &gone_url };
        Ok(Some((ChannelSecret::new(url), SecretOrigin::Keyring)))
    });
    let http = || Ok(HttpClient::new(&NetworkConfig::default()).expect("the HTTP client starts"));
    let once = RetryPolicy {
        attempts: 1,
        ..RetryPolicy::default()
    };
    let outbox = AlertOutbox::start(Vec::new(), http(), secrets, once);
    let mut problems = outbox.problems().expect("an outbox that was started");
    outbox.send(&low());
    outbox.configure(vec![channel("team")], http());
    outbox.send(&low());
    assert!(
        settle(|| good.requests().len() == 1).await,
        "the new channel took the alert"
    );
    // An informational alert is below the channel's minimum.
    let top_up = AlertEvent::new(
        &Alert::TopUp {
            from: Decimal::from(90),
            to: Decimal::from(500),
        },
        &Account::default(),
        None,
        "credits",
        time::OffsetDateTime::now_utc(),
        "https://portal.clickatell.com/",
    );
    outbox.send(&top_up);
    outbox.configure(vec![channel("gone")], http());
    outbox.send(&low());
    assert!(settle(|| gone.requests().len() == 1).await);
    assert!(
        tokio::time::timeout(
            Duration::from_secs(10),
            problems.wait_for(|p| !p.is_empty())
        )
        .await
        .is_ok(),
        "the failing channel is said"
    );
    let said = problems.borrow().clone();
    assert_eq!(said.len(), 1);
    assert!(said[0]
        .sentence()
        .starts_with("Alerts to \"gone\" (JSON webhook) failing since "));
    assert!(said[0].sentence().ends_with(": HTTP 404 from 127.0.0.1."));
    // Removing the failing channel clears what was said of it.
    outbox.configure(Vec::new(), http());
    assert!(problems.borrow().is_empty());
    outbox.send(&low());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!((good.requests().len(), gone.requests().len()), (1, 1));
}
