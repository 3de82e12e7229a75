//! Team alerts end to end: `watch` with webhook channels whose addresses are in the real
//! keyring (gnome-keyring in a private session), against loopback receivers playing Slack,
//! Microsoft Teams, ntfy and a JSON receiver (scripted: 200, 404, 429 with Retry-After, 500,
//! a hang), and `alert test`.

mod support;

use serde_json::Value;
use std::process::Child;
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{Act, FakeClickatell, Reply, Seen};

const TOKEN: &str = "tok_ALERTS-8c7b6a5d";
/// The part of every webhook address that is its receiver's token.
const HOOK_SECRET: &str = "hook_SECRET-1f2e3d4c5b";

/// A receiver's address, carrying the secret as Slack's and Teams' do.
fn hook_url(receiver: &FakeClickatell) -> String {
    format!("{}/services/T0001/B0001/{HOOK_SECRET}", receiver.url())
}

/// Settings with the main account's levels and these channels.
fn settings(channels: &str, extra: &str) -> String {
    format!(
        r#"{{"accounts":[{{"id":"main","name":"Main","warning_level":"100","critical_level":"50"}}],
            "alert_channels":[{channels}]{extra}}}"#
    )
}

/// Stores `url` as `channel`'s webhook address with `alert set-secret`.
fn store_secret(home: &Sandbox, channel: &str, url: &str) {
    let out = home.run(
        &["alert", "set-secret", "--channel", channel],
        Some(&format!("{url}\n")),
        &[],
    );
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("was stored in the Secret Service keyring"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(HOOK_SECRET) && !out.stderr.contains(HOOK_SECRET));
}

fn watch(home: &Sandbox, server: &FakeClickatell) -> Child {
    home.spawn_watch(&server.url(), TOKEN, &[])
}

fn wait_until(what: &str, deadline: Duration, done: impl Fn() -> bool) {
    let until = Instant::now() + deadline;
    while !done() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(child: Child) -> String {
    let out = support::app::terminate(child);
    assert_eq!(out.code, 0, "watch did not exit cleanly: {}", out.stderr);
    for text in [&out.stdout, &out.stderr] {
        assert!(
            !text.contains(TOKEN) && !text.contains(HOOK_SECRET),
            "{text}"
        );
    }
    out.stderr
}

fn json(seen: &Seen) -> Value {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    serde_json::from_slice(&seen.body).expect("a JSON payload")
}

fn ok() -> Reply {
    Reply::new(200, "text/plain", "ok")
}

#[test]
fn each_format_gets_its_payload_once_per_crossing_even_across_a_restart() {
    let home = Sandbox::with_keyring();
    let (slack, teams, ntfy, receiver, critical_only) = (
        FakeClickatell::always(ok()),
        FakeClickatell::always(Reply::new(202, "text/plain", "")),
        FakeClickatell::always(Reply::json(200, r#"{"id":"x"}"#)),
        FakeClickatell::always(ok()),
        FakeClickatell::always(ok()),
    );
    home.write_settings(&settings(
        r#"{"name":"team","kind":"webhook","format":"slack"},
           {"name":"teams","kind":"webhook","format":"teams"},
           {"name":"phone","kind":"webhook","format":"ntfy"},
           {"name":"receiver","kind":"webhook","format":"json","min_severity":"info"},
           {"name":"pager","kind":"webhook","format":"json","min_severity":"critical"}"#,
        "",
    ));
    for (name, server) in [
        ("team", &slack),
        ("teams", &teams),
        ("phone", &ntfy),
        ("receiver", &receiver),
        ("pager", &critical_only),
    ] {
        store_secret(&home, name, &hook_url(server));
    }
    let script = ["150.00", "90.00", "90.00", "40.00", "40.00"];
    let clickatell =
        FakeClickatell::scripted(script.iter().map(|b| Reply::rest_balance(b)).collect());
    let child = watch(&home, &clickatell);
    wait_until(
        "two alerts at each channel",
        Duration::from_secs(30),
        || {
            [&slack, &teams, &ntfy, &receiver]
                .iter()
                .all(|s| s.requests().len() >= 2)
                && !critical_only.requests().is_empty()
        },
    );
    // A few more polls at 40.00: no more alerts.
    let polled = clickatell.requests().len();
    wait_until("three more polls", Duration::from_secs(10), || {
        clickatell.requests().len() >= polled + 3
    });
    let log = stop(child);
    for (name, server) in [("slack", &slack), ("teams", &teams), ("ntfy", &ntfy)] {
        assert_eq!(server.requests().len(), 2, "{name}: {log}");
        assert!(
            server.requests()[0]
                .path
                .ends_with(&format!("/services/T0001/B0001/{HOOK_SECRET}")),
            "posted to the stored address"
        );
    }
    assert_eq!(receiver.requests().len(), 2, "{log}");
    assert_eq!(critical_only.requests().len(), 1, "only the critical alert");

    let slack_low = json(&slack.requests()[0]);
    assert_eq!(
        slack_low["text"],
        "Clickatell balance low: 90.00 credits left, below your warning level of 100.00. (Main)"
    );
    assert_eq!(slack_low["blocks"][0]["type"], "header");
    assert_eq!(
        slack_low["blocks"][0]["text"]["text"],
        "Clickatell balance low"
    );
    let fields: Vec<&str> = slack_low["blocks"][1]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"Account: Main (main)"), "{fields:?}");
    assert!(fields.contains(&"Balance: 90.00 credits"), "{fields:?}");
    assert_eq!(
        slack_low["blocks"][2]["elements"][0]["url"],
        "https://portal.clickatell.com/"
    );

    let card_message = json(&teams.requests()[1]);
    assert_eq!(card_message["type"], "message");
    let attachment = &card_message["attachments"][0];
    assert_eq!(
        attachment["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let card = &attachment["content"];
    // The Adaptive Card schema's required fields: type, version, and typed elements.
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(
        card["$schema"],
        "http://adaptivecards.io/schemas/adaptive-card.json"
    );
    assert!(card["version"].as_str().unwrap().starts_with("1."));
    let body = card["body"].as_array().unwrap();
    assert!(body.iter().all(|e| e["type"].is_string()));
    assert_eq!(body[0]["text"], "Clickatell balance critical");
    assert_eq!(body[0]["color"], "Attention");
    assert!(body[2]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["title"].is_string() && f["value"].is_string()));
    assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");

    let push = &ntfy.requests()[0];
    assert_eq!(push.method, "POST");
    assert_eq!(push.header("title"), Some("Clickatell balance low (Main)"));
    assert_eq!(push.header("priority"), Some("4"));
    assert_eq!(push.header("tags"), Some("warning,clickatell"));
    assert_eq!(push.header("click"), Some("https://portal.clickatell.com/"));
    assert_eq!(
        String::from_utf8_lossy(&push.body),
        "90.00 credits left, below your warning level of 100.00.\nBalance: 90.00 credits"
    );
    assert_eq!(ntfy.requests()[1].header("priority"), Some("5"));

    let low = json(&receiver.requests()[0]);
    assert_eq!(low["version"], 1);
    assert_eq!(low["kind"], "low");
    assert_eq!(low["severity"], "warning");
    assert_eq!(low["test"], false);
    assert_eq!(low["account"]["id"], "main");
    assert_eq!(low["account"]["name"], "Main");
    assert_eq!(low["amount"], "90.00");
    assert_eq!(low["unit"], "credits");
    assert_eq!(low["threshold"], "100");
    assert_eq!(low["forecast_days"], Value::Null);
    assert_eq!(low["top_up_url"], "https://portal.clickatell.com/");
    let at = low["at"].as_str().unwrap();
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .expect("an RFC 3339 time");
    assert!(at.ends_with('Z'), "UTC: {at}");
    let critical = json(&critical_only.requests()[0]);
    assert_eq!(
        (&critical["kind"], &critical["amount"]),
        (&"critical".into(), &"40.00".into())
    );

    // A restart at the same balance says nothing again to any channel.
    clickatell.switch_to(Reply::rest_balance("40.00"));
    let child = watch(&home, &clickatell);
    let polled = clickatell.requests().len();
    wait_until("polls after the restart", Duration::from_secs(15), || {
        clickatell.requests().len() >= polled + 3
    });
    stop(child);
    std::thread::sleep(Duration::from_millis(500));
    for server in [&slack, &teams, &ntfy, &receiver] {
        assert_eq!(
            server.requests().len(),
            2,
            "an alert was said again after a restart"
        );
    }
    assert!(
        home.files_containing(HOOK_SECRET).is_empty(),
        "{:?}",
        home.files_containing(HOOK_SECRET)
    );
}

#[test]
fn retries_are_bounded_honour_retry_after_and_a_failing_channel_is_said_once() {
    let home = Sandbox::with_keyring();
    let busy = FakeClickatell::scripted(vec![
        Reply::new(429, "text/plain", "slow down").header("Retry-After", "2"),
        Reply::new(500, "text/plain", "oops"),
        ok(),
    ]);
    let broken = FakeClickatell::always(Reply::new(404, "text/plain", "no such hook"));
    let down = FakeClickatell::always(Reply::new(503, "text/plain", "down"));
    home.write_settings(&settings(
        r#"{"name":"busy","kind":"webhook","format":"json"},
           {"name":"broken","kind":"webhook","format":"slack"},
           {"name":"down","kind":"webhook","format":"json"}"#,
        "",
    ));
    for (name, server) in [("busy", &busy), ("broken", &broken), ("down", &down)] {
        store_secret(&home, name, &hook_url(server));
    }
    let clickatell = FakeClickatell::scripted(vec![
        Reply::rest_balance("90.00"),
        Reply::rest_balance("90.00"),
        Reply::rest_balance("40.00"),
    ]);
    let child = watch(&home, &clickatell);
    wait_until("the retries", Duration::from_secs(40), || {
        busy.requests().len() >= 4 && down.requests().len() >= 6
    });
    std::thread::sleep(Duration::from_secs(1));
    let log = stop(child);
    // Two alerts (low, critical): the first took three tries, the second one.
    let tries = busy.requests();
    assert_eq!(tries.len(), 4, "{log}");
    let waited = tries[1].at - tries[0].at;
    assert!(
        waited >= Duration::from_secs(2),
        "Retry-After not honoured: {waited:?}"
    );
    assert_eq!(
        json(&tries[2])["kind"],
        "low",
        "the same alert, tried again"
    );
    assert_eq!(json(&tries[3])["kind"], "critical");
    // A 404 is not tried again; a 503 is tried three times per alert, no more.
    assert_eq!(broken.requests().len(), 2, "{log}");
    assert_eq!(down.requests().len(), 6, "{log}");
    assert_eq!(
        log.matches("Alerts to \"broken\" (Slack) failing since")
            .count(),
        1,
        "{log}"
    );
    assert!(
        log.contains(": HTTP 404 from 127.0.0.1."),
        "the failure said with its status and host: {log}"
    );
    assert_eq!(
        log.matches("Alerts to \"down\" (JSON webhook) failing")
            .count(),
        1,
        "{log}"
    );
    assert!(
        !log.contains("\"busy\""),
        "a channel that got through is not failing: {log}"
    );
}

#[test]
fn a_hanging_receiver_delays_no_poll() {
    let home = Sandbox::with_keyring();
    let hanging = FakeClickatell::always(Reply::fault(Act::Silent));
    home.write_settings(&settings(
        r#"{"name":"hang","kind":"webhook","format":"json"}"#,
        r#","timeout_secs":5"#,
    ));
    store_secret(&home, "hang", &hook_url(&hanging));
    let clickatell = FakeClickatell::always(Reply::rest_balance("90.00"));
    let child = watch(&home, &clickatell);
    wait_until("the alert", Duration::from_secs(15), || {
        !hanging.requests().is_empty()
    });
    let alerted_at = hanging.requests()[0].at;
    std::thread::sleep(Duration::from_secs(4));
    let log = stop(child);
    let polls_while_hanging = clickatell
        .requests()
        .iter()
        .filter(|r| r.at > alerted_at)
        .count();
    assert!(
        polls_while_hanging >= 3,
        "only {polls_while_hanging} polls in the 4 s the receiver hung: {log}"
    );
}

#[test]
fn alert_test_sends_each_channel_one_test_and_says_which_failed() {
    let home = Sandbox::with_keyring();
    let good = FakeClickatell::always(ok());
    let bad = FakeClickatell::always(Reply::new(404, "text/plain", "gone"));
    home.write_settings(&settings(
        r#"{"name":"team","kind":"webhook","format":"slack"},
           {"name":"gone","kind":"webhook","format":"teams"},
           {"name":"unset","kind":"webhook","format":"ntfy"}"#,
        "",
    ));
    store_secret(&home, "team", &hook_url(&good));
    store_secret(&home, "gone", &hook_url(&bad));

    let one = home.run(&["alert", "test", "--channel", "team"], None, &[]);
    one.expect_code(0);
    assert_eq!(
        one.stdout.trim(),
        "A test alert was sent to \"team\" (Slack)."
    );
    let test = json(&good.requests()[0]);
    assert_eq!(
        test["text"].as_str().map(|t| t.contains("test")),
        Some(true),
        "{test}"
    );

    let all = home.run(&["alert", "test"], None, &[]);
    all.expect_code(1);
    assert!(all
        .stdout
        .contains("A test alert was sent to \"team\" (Slack)."));
    assert!(
        all.stderr.contains(
            "The test alert to \"gone\" (Microsoft Teams) failed: HTTP 404 from 127.0.0.1."
        ),
        "{}",
        all.stderr
    );
    assert!(
        all.stderr.contains(
            "The test alert to \"unset\" (ntfy) failed: no webhook address is stored for it. \
             Store its webhook address with `clickatell-balance alert set-secret --channel unset`."
        ),
        "{}",
        all.stderr
    );
    assert_eq!(bad.requests().len(), 1, "a test is sent once");

    let unknown = home.run(&["alert", "test", "--channel", "nope"], None, &[]);
    unknown.expect_code(1);
    assert!(
        unknown
            .stderr
            .contains("No alert channel is named \"nope\"; the channels are: team, gone, unset."),
        "{}",
        unknown.stderr
    );
    let refused = home.run(
        &["alert", "set-secret", "--channel", "team"],
        Some("http://hooks.example.com/services/T0/B0/plain\n"),
        &[],
    );
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("use https://"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("/services/T0/B0/plain"));
    for out in [&one, &all, &unknown] {
        assert!(!out.stdout.contains(HOOK_SECRET) && !out.stderr.contains(HOOK_SECRET));
    }
}

#[test]
fn email_arrives_over_starttls_with_the_facts_and_the_password_stays_secret() {
    const PASSWORD: &str = "smtp_PASSWORD-9e8d7c";
    let home = Sandbox::with_keyring();
    let ca = support::network::TestCa::new("Example Corp Mail CA");
    let smtp = support::mail::SmtpServer::start(&ca, "alerts", PASSWORD);
    let channel = |port: u16| {
        format!(
            r#"{{"name":"ops-mail","kind":"email","host":"localhost","port":{port},
                "security":"starttls","username":"alerts",
                "from":"Clickatell Balance <alerts@example.com>",
                "to":["ops@example.com","Finance <finance@example.com>"]}}"#
        )
    };
    let with_ca = format!(r#","ca_file":"{}""#, ca.cert().display());
    home.write_settings(&settings(&channel(smtp.daemon.port), &with_ca));

    // Without the password stored, a test says how to store it.
    let unset = home.run(&["alert", "test"], None, &[]);
    unset.expect_code(1);
    assert!(
        unset.stderr.contains(
            "no SMTP password is stored for it. Store its SMTP password with \
             `clickatell-balance alert set-secret --channel ops-mail`."
        ),
        "{}",
        unset.stderr
    );
    let stored = home.run(
        &["alert", "set-secret", "--channel", "ops-mail"],
        Some(&format!("{PASSWORD}\n")),
        &[],
    );
    stored.expect_code(0);
    assert!(stored
        .stdout
        .contains("The SMTP password of \"ops-mail\" (email) was stored"));

    let clickatell = FakeClickatell::scripted(vec![
        Reply::rest_balance("150.00"),
        Reply::rest_balance("40.00"),
    ]);
    let child = watch(&home, &clickatell);
    let messages = smtp.wait_for(1);
    let polled = clickatell.requests().len();
    wait_until("more polls", Duration::from_secs(10), || {
        clickatell.requests().len() >= polled + 2
    });
    let log = stop(child);
    assert_eq!(smtp.messages().len(), 1, "one message per crossing: {log}");
    let mail = &messages[0];
    for line in [
        "X-Envelope-To: ops@example.com,finance@example.com",
        "X-Auth-User: alerts",
        "X-Tls: yes",
        "From: \"Clickatell Balance\" <alerts@example.com>",
        "To: ops@example.com, Finance <finance@example.com>",
        "Subject: Clickatell balance critical (Main)",
        "Content-Type: text/plain; charset=utf-8",
        "40.00 credits left, below your critical level of 50.00.",
        "Account: Main (main)",
        "Balance: 40.00 credits",
        "Level: 50",
        "Severity: critical",
        "Top up: https://portal.clickatell.com/",
    ] {
        assert!(mail.contains(line), "{line:?} missing from:\n{mail}");
    }
    assert!(mail.contains("\r\nDate: "), "{mail}");

    let test = home.run(&["alert", "test", "--channel", "ops-mail"], None, &[]);
    test.expect_code(0);
    assert!(smtp.wait_for(2)[1].contains("Subject: Clickatell Balance test alert (Main)"));

    // A server whose certificate is not trusted is refused, saying so.
    home.write_settings(&settings(&channel(smtp.daemon.port), ""));
    let untrusted = home.run(&["alert", "test"], None, &[]);
    untrusted.expect_code(1);
    assert!(
        untrusted
            .stderr
            .contains("The test alert to \"ops-mail\" (email) failed"),
        "{}",
        untrusted.stderr
    );
    assert_eq!(smtp.messages().len(), 2, "nothing sent without trust");
    for out in [&unset, &stored, &test, &untrusted] {
        assert!(!out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD));
    }
    assert!(!log.contains(PASSWORD));
    assert!(home.files_containing(PASSWORD).is_empty());
}

#[test]
fn a_failing_channel_is_said_in_the_tray_tooltip() {
    let home = Sandbox::with_tray();
    let refusing = FakeClickatell::always(Reply::new(404, "text/plain", "no_service"));
    home.write_settings(&settings(
        r#"{"name":"team","kind":"webhook","format":"slack"}"#,
        "",
    ));
    store_secret(&home, "team", &hook_url(&refusing));
    let clickatell = FakeClickatell::always(Reply::rest_balance("90.00"));
    let app = support::app::App::spawn(
        &home,
        &["--base-url", &clickatell.url()],
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    let item = support::desktop::TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("tray item");
    let said = support::desktop::eventually(Duration::from_secs(30), || {
        item.tooltip()
            .contains("Alerts to \"team\" (Slack) failing since")
    });
    let tooltip = item.tooltip();
    assert!(said, "{tooltip:?}");
    assert!(
        tooltip.contains(": HTTP 404 from 127.0.0.1."),
        "{tooltip:?}"
    );
    assert!(!tooltip.contains(HOOK_SECRET));
    assert_eq!(refusing.requests().len(), 1, "a 404 is not tried again");
}
