//! Soak: the monitor polling a loopback Clickatell as fast as it can for 20,000 requests, mixing
//! readings that cross both levels and are topped up with server errors, resets and malformed
//! answers. Memory and open file descriptors must stay flat, requests must never overlap, and
//! the notifications and the saved alert state must be exactly right at the end. Prints its
//! figures (`cargo test --test soak -- --nocapture`).

mod support;

use clickatell_core::account::Account;
use clickatell_core::alert_policy::AlertState;
use clickatell_core::{Decimal, Settings};
use std::time::{Duration, Instant};
use support::clickatell::{Act, FakeClickatell, Reply};

const POLLS: usize = 20_000;
const WARM_UP: usize = 2_000;
/// Requests per phase of a cycle; a cycle is ok → warning → critical → topped up.
const PHASE: usize = 100;
const CYCLE_AMOUNTS: [&str; 4] = ["150.00", "90.00", "40.00", "200.00"];

fn script(n: usize) -> Reply {
    if n >= POLLS {
        return Reply::json(200, r#"{"data":{"balance":"200.00"}}"#);
    }
    match n % 50 {
        7 => {
            return Reply::json(
                503,
                r#"{"error":{"code":"901","description":"Internal error"}}"#,
            )
        }
        19 => return Reply::fault(Act::ResetMidBody),
        31 => return Reply::json(200, r#"{"data":{"bal"#),
        43 => return Reply::fault(Act::CloseWithoutReply),
        _ => {}
    }
    let amount = CYCLE_AMOUNTS[(n / PHASE) % CYCLE_AMOUNTS.len()];
    Reply::json(200, &format!(r#"{{"data":{{"balance":"{amount}"}}}}"#))
}

/// Resident memory of this process, in kB.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Waits until the server has seen `n` requests, lets the answer settle, and returns
/// (rss kB, open fds) then.
async fn sample_at(server: &FakeClickatell, n: usize) -> (u64, usize) {
    while server.request_count() < n {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    (rss_kb(), open_fds())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_polls_with_faults_stay_flat_and_alert_exactly() {
    let server = FakeClickatell::by_number(script);
    let dir = tempfile::tempdir().unwrap();
    let state_path = dir.path().join("alert-state.json");
    let settings = Settings {
        accounts: vec![Account {
            base_url: Some(server.url()),
            warning_level: Some(Decimal::from(100)),
            critical_level: Some(Decimal::from(50)),
            ..Account::default()
        }],
        timeout_secs: 5,
        ..Settings::default()
    };
    let started = Instant::now();
    let rig = support::rig::monitor(
        settings,
        "tok_SOAK-0a1b2c3d",
        Some(Duration::from_millis(1)),
        Some(state_path.clone()),
    );
    let (rss_start, fds_start) = sample_at(&server, WARM_UP).await;
    let (rss_end, fds_end) = sample_at(&server, POLLS).await;
    let elapsed = started.elapsed();
    // The last readings (200.00, after a top-up) are in; nothing more can alert.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let snapshot = rig.handle.subscribe().borrow().clone();
    drop(rig.handle);

    let notes: Vec<String> = rig
        .notes
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|n| n.summary.clone())
        .collect();
    let cycles = POLLS / (PHASE * CYCLE_AMOUNTS.len());
    let kinds: Vec<&str> = notes
        .iter()
        .map(|s| match s.as_str() {
            "Clickatell balance low" => "warning",
            "Clickatell balance critical" => "critical",
            other => other,
        })
        .collect();
    let warnings = kinds.iter().filter(|k| **k == "warning").count();
    let criticals = kinds.iter().filter(|k| **k == "critical").count();
    println!(
        "\nsoak: {} requests in {:.1} s ({:.0}/s), at most {} in flight; RSS {} → {} kB ({:+} kB) \
         after {WARM_UP} warm-up requests; open fds {fds_start} → {fds_end}; {} notifications \
         ({warnings} warning, {criticals} critical) for {cycles} cycles; final status {}\n",
        server.request_count(),
        elapsed.as_secs_f64(),
        server.request_count() as f64 / elapsed.as_secs_f64(),
        server.max_concurrent(),
        rss_start,
        rss_end,
        rss_end as i64 - rss_start as i64,
        notes.len(),
        snapshot.status.as_str(),
    );

    assert_eq!(
        server.max_concurrent(),
        1,
        "two requests were in flight at once"
    );
    assert!(
        rss_end < rss_start + 2048,
        "memory grew by {} kB",
        rss_end - rss_start
    );
    assert_eq!(fds_end, fds_start, "open file descriptors changed");
    let expected: Vec<&str> = (0..cycles).flat_map(|_| ["warning", "critical"]).collect();
    assert_eq!(kinds, expected, "notifications in order");
    let saved: AlertState =
        serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    assert_eq!(
        saved.notified_level,
        AlertState::default().notified_level,
        "{saved:?}"
    );
    assert_eq!(
        saved.last_amount,
        Some("200.00".parse().unwrap()),
        "{saved:?}"
    );
    assert!(!saved.token_rejected && !saved.blind, "{saved:?}");
}
