//! End-to-end tests of `clickatell-balance watch`: the monitor polling a scripted loopback
//! Clickatell, inside a private desktop session with a real notification server (dunst).

mod support;

use std::process::Child;
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_WATCH-55aa11bb";

fn watch(home: &Sandbox, server: &FakeClickatell, extra: &[&str]) -> Child {
    home.spawn_watch(&server.url(), TOKEN, extra)
}

fn wait_for_requests(server: &FakeClickatell, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().len() < count {
        assert!(
            Instant::now() < deadline,
            "only {} requests arrived",
            server.requests().len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Stops `watch` with SIGTERM and returns its stderr after checking it exited 0.
fn stop(child: Child) -> String {
    let out = support::app::terminate(child);
    assert_eq!(out.code, 0, "watch did not exit cleanly: {}", out.stderr);
    assert!(!out.stderr.contains(TOKEN) && !out.stdout.contains(TOKEN));
    out.stderr
}

#[test]
fn notifies_each_crossing_once_and_again_after_a_top_up() {
    let home = Sandbox::with_notifications();
    let script = ["150.00", "90.00", "40.00", "35.00", "500.00", "80.00"];
    let server = FakeClickatell::scripted(script.iter().map(|b| Reply::rest_balance(b)).collect());
    let child = watch(&home, &server, &["--warning", "100", "--critical", "50"]);
    wait_for_requests(&server, script.len() + 2);
    let log = stop(child);

    let shown = home.wait_for_notifications(3);
    assert_eq!(
        shown,
        [
            (
                "Clickatell balance low".to_owned(),
                "90.00 credits left, below your warning level of 100.00.".to_owned()
            ),
            (
                "Clickatell balance critical".to_owned(),
                "40.00 credits left, below your critical level of 50.00.".to_owned()
            ),
            (
                "Clickatell balance low".to_owned(),
                "80.00 credits left, below your warning level of 100.00.".to_owned()
            ),
        ],
        "log:\n{log}"
    );
    assert_eq!(
        server.max_concurrent(),
        1,
        "more than one request at a time"
    );
    for line in [
        "ok 150.00 credits",
        "warning 90.00 credits",
        "critical 40.00 credits",
        "ok 500.00 credits",
        "warning 80.00 credits",
    ] {
        assert!(log.contains(line), "{line:?} missing from the log:\n{log}");
    }
    // One line per state change: the repeated 80.00 readings add none.
    assert_eq!(log.matches("warning 80.00 credits").count(), 1, "{log}");
}

#[test]
fn a_restart_does_not_repeat_the_same_low_alert() {
    let home = Sandbox::with_notifications();
    let server = FakeClickatell::always(Reply::rest_balance("90.00"));
    let child = watch(&home, &server, &["--warning", "100"]);
    wait_for_requests(&server, 2);
    stop(child);
    let child = watch(&home, &server, &["--warning", "100"]);
    wait_for_requests(&server, 4);
    stop(child);
    assert_eq!(home.wait_for_notifications(1).len(), 1);
    let data = home.home().join("data").join("clickatell-balance");
    assert!(data.join("alert-state-main.json").exists());
    assert!(data.join("history.sqlite3").exists());
}

#[test]
fn a_rejected_token_stops_polling_and_notifies_once() {
    let home = Sandbox::with_notifications();
    let server = FakeClickatell::always(Reply::rest_error(401, "001", "Authentication failed"));
    let child = watch(&home, &server, &[]);
    wait_for_requests(&server, 1);
    std::thread::sleep(Duration::from_secs(4));
    let log = stop(child);
    assert_eq!(
        server.requests().len(),
        1,
        "polling went on against a rejected token"
    );
    assert!(
        log.contains("token-rejected - Clickatell rejected the API token"),
        "{log}"
    );
    // The command line's words for the remedy, not the window's.
    assert!(
        log.contains("Store a new token with `clickatell-balance token set`."),
        "{log}"
    );
    assert!(!log.contains("in Settings"), "{log}");
    let shown = home.wait_for_notifications(1);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].0, "Clickatell token rejected");
}

#[test]
fn transient_failures_back_off_and_recover() {
    let home = Sandbox::with_notifications();
    let server = FakeClickatell::scripted(vec![
        Reply::json(503, ""),
        Reply::json(429, "").header("Retry-After", "3"),
        Reply::rest_balance("300.00"),
    ]);
    let child = watch(&home, &server, &[]);
    wait_for_requests(&server, 5);
    let log = stop(child);
    for line in [
        "error - Clickatell is temporarily unavailable",
        "rate-limited - ",
        "ok 300.00 credits",
    ] {
        assert!(log.contains(line), "{line:?} missing:\n{log}");
    }
    // The schedule as the server saw it: the backoff (30 s and up) is capped at the 1 s
    // interval, Retry-After holds the next request back 3 s, and after the recovery the
    // interval is back.
    let at: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    let gaps: Vec<f64> = at.windows(2).map(|w| (w[1] - w[0]).as_secs_f64()).collect();
    println!("gaps between requests: {gaps:.2?}");
    let within = |gap: f64, from: f64, to: f64| (from..=to).contains(&gap);
    assert!(within(gaps[0], 0.9, 2.0), "after the 503: {gaps:.2?}");
    assert!(
        within(gaps[1], 3.0, 4.0),
        "after Retry-After: 3: {gaps:.2?}"
    );
    assert!(within(gaps[2], 0.9, 2.0), "after the recovery: {gaps:.2?}");
    assert!(home.wait_for_notifications(0).is_empty());
}

#[test]
fn without_a_notification_server_monitoring_goes_on() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("10.00"));
    let child = watch(&home, &server, &["--warning", "100"]);
    wait_for_requests(&server, 3);
    let log = stop(child);
    assert!(log.contains("warning 10.00 credits"), "{log}");
    assert!(log.contains("notification could not be shown"), "{log}");
}

#[test]
fn without_a_token_watch_says_how_to_store_one_and_polls_nothing() {
    let home = Sandbox::with_keyring();
    let server = FakeClickatell::always(Reply::rest_balance("10.00"));
    let child = home.spawn(
        &["--base-url", &server.url(), "watch", "--interval", "1s"],
        &[],
    );
    // It waits for the user: there is no request to wait for, so give it a few polls' time.
    std::thread::sleep(Duration::from_secs(3));
    let log = stop(child);
    assert!(
        log.contains(
            "token-missing - No Clickatell token is stored. Store one with \
             `clickatell-balance token set` (or, for headless use, give --token-file"
        ),
        "{log}"
    );
    assert!(
        !log.contains("Add one in Settings"),
        "the window's words: {log}"
    );
    assert!(server.requests().is_empty());
}
