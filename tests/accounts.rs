//! Several accounts from the command line, each against its own loopback stand-in for
//! Clickatell with its own token: `--account` on each command, `balance --all` as a table and
//! as JSON, an ambiguous `check` (UNKNOWN, exit 3), `watch` of every enabled account, and the
//! move from a single-account installation's files.

mod support;

use clickatell_core::history::History;
use serde_json::Value;
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

/// Three accounts (and a disabled fourth), each on its own server.
struct Accounts {
    home: Sandbox,
    main: FakeClickatell,
    eu: FakeClickatell,
    us: FakeClickatell,
    /// The disabled account's server: read only when asked for by name.
    _old: FakeClickatell,
}

/// Each account's token, in its own variable.
const TOKENS: [(&str, &str); 3] = [
    ("CLICKATELL_TOKEN_MAIN", "tok-main"),
    ("CLICKATELL_TOKEN_EU", "tok-eu"),
    ("CLICKATELL_TOKEN_US_WEST", "tok-us"),
];

fn accounts(us: Reply) -> Accounts {
    let home = Sandbox::new();
    let main = FakeClickatell::always(Reply::rest_balance("1200.00"));
    let eu = FakeClickatell::always(Reply::rest_balance("97.25"));
    let us = FakeClickatell::always(us);
    let old = FakeClickatell::always(Reply::rest_balance("1"));
    home.write_settings(&format!(
        r#"{{"accounts": [
            {{"id": "main", "name": "Main", "base_url": "{}"}},
            {{"id": "eu", "name": "EU", "base_url": "{}", "warning_level": "100"}},
            {{"id": "us-west", "name": "US West", "base_url": "{}", "warning_level": "100",
              "critical_level": "50"}},
            {{"id": "old", "name": "Old", "base_url": "{}", "enabled": false}}
        ]}}"#,
        main.url(),
        eu.url(),
        us.url(),
        old.url()
    ));
    Accounts {
        home,
        main,
        eu,
        us,
        _old: old,
    }
}

fn run(a: &Accounts, args: &[&str]) -> support::app::Outcome {
    a.home.run(args, None, &TOKENS)
}

#[test]
fn balance_all_is_a_table_and_json_and_says_which_account_failed() {
    let a = accounts(Reply::rest_error(401, "001", "Authentication failed"));
    let out = run(&a, &["balance", "--all"]);
    out.expect_code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "ACCOUNT   BALANCE  UNIT     STATE",
            "Main     1,200.00  credits  ok",
            "EU          97.25  credits  warning",
        ],
        "{out:#?}"
    );
    assert!(
        lines[3].starts_with("US West         -           error: ")
            && lines[3].contains("rejected the API token"),
        "{out:#?}"
    );
    assert_eq!(lines.len(), 4, "the disabled account is left out");
    let out = run(&a, &["balance", "--all", "--json"]);
    out.expect_code(1);
    let readings: Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = readings.as_array().unwrap();
    assert_eq!(rows.len(), 3, "the disabled account is left out: {out:#?}");
    assert_eq!(rows[0]["account"], "main");
    assert_eq!(rows[0]["balance"], "1200.00");
    assert_eq!(rows[0]["level"], "ok");
    assert_eq!(rows[1]["name"], "EU");
    assert_eq!(rows[1]["level"], "warning");
    assert_eq!(rows[2]["account"], "us-west");
    assert!(rows[2]["balance"].is_null());
    assert!(rows[2]["error"].as_str().unwrap().contains("rejected"));
    for (server, token) in [(&a.main, "tok-main"), (&a.eu, "tok-eu"), (&a.us, "tok-us")] {
        let seen = server.requests();
        assert_eq!(seen.len(), 2, "one request per run");
        let expected = format!("Bearer {token}");
        assert!(seen
            .iter()
            .all(|r| r.header("Authorization") == Some(expected.as_str())));
    }
    assert!(!out.stdout.contains("tok-"), "no token in the output");
}

#[test]
fn account_picks_one_by_name_or_id_and_none_is_a_clear_error() {
    let a = accounts(Reply::rest_balance("12.5"));
    let out = run(&a, &["balance"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("--account")
            && out
                .stderr
                .contains("Main (main), EU (eu), US West (us-west), Old (old)"),
        "{out:#?}"
    );
    let out = run(&a, &["--account", "eu", "balance"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "97.25 credits (EU)\n");
    let out = run(&a, &["--account", "us west", "balance", "--json"]);
    out.expect_code(0);
    let reading: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(reading["balance"], "12.5");
    // CLICKATELL_TOKEN is the token of the account the run is about.
    let out = a.home.run(
        &["--account", "old", "balance"],
        None,
        &[("CLICKATELL_TOKEN", "tok-old")],
    );
    out.expect_code(0);
    assert_eq!(
        out.stdout, "1 credits (Old)\n",
        "a disabled account can be read"
    );
    let out = run(&a, &["--account", "nope", "balance"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("No account is called \"nope\""),
        "{out:#?}"
    );
    let out = run(&a, &["--account", "EU", "token", "status"]);
    out.expect_code(0);
    assert!(
        out.stdout.contains("CLICKATELL_TOKEN_EU is set"),
        "{out:#?}"
    );
}

#[test]
fn check_needs_an_account_when_there_are_several() {
    let a = accounts(Reply::rest_balance("12.5"));
    let out = run(&a, &["check"]);
    out.expect_code(3);
    assert!(
        out.stdout
            .starts_with("CLICKATELL UNKNOWN - Several accounts are watched")
            && out.stdout.contains("US West (us-west)"),
        "{out:#?}"
    );
    assert!(a.main.requests().is_empty(), "nothing was read");
    let out = run(&a, &["--account", "us-west", "check"]);
    out.expect_code(2);
    assert!(
        out.stdout
            .starts_with("CLICKATELL US WEST CRITICAL - balance 12.5 credits"),
        "{out:#?}"
    );
    let out = run(&a, &["--account", "eu", "check", "--warning", "50"]);
    out.expect_code(0);
    assert!(out.stdout.starts_with("CLICKATELL EU OK"), "{out:#?}");
    let out = run(&a, &["--account", "nope", "check"]);
    out.expect_code(3);
    assert!(out.stdout.contains("No account is called"), "{out:#?}");
}

#[test]
fn watch_watches_every_enabled_account_with_its_own_token() {
    let a = accounts(Reply::rest_balance("12.5"));
    let watch = a.home.spawn(&["watch", "--interval", "1s"], &TOKENS);
    let deadline = Instant::now() + Duration::from_secs(20);
    while [&a.main, &a.eu, &a.us]
        .iter()
        .any(|s| s.requests().len() < 3)
    {
        assert!(Instant::now() < deadline, "not every account was polled");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = support::app::terminate(watch);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "Main: ok 1,200.00 credits",
        "EU: warning 97.25 credits",
        "US West: critical 12.5 credits",
    ] {
        assert!(out.stderr.contains(line), "no {line:?} in {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("Old:"),
        "a disabled account is not watched"
    );
    assert!(!out.stderr.contains("tok-"), "no token in the log");
    assert_eq!(
        a.us.requests()[0].header("Authorization"),
        Some("Bearer tok-us")
    );
    let history = History::open(
        &a.home
            .home()
            .join("data/clickatell-balance/history.sqlite3"),
    )
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let from = now - time::Duration::hours(1);
    let amounts = |id: &str| -> Vec<String> {
        history
            .range(id, from, now)
            .unwrap()
            .iter()
            .map(|p| p.amount.to_string())
            .collect()
    };
    assert!(amounts("eu").iter().all(|v| v == "97.25"));
    assert!(amounts("us-west").iter().all(|v| v == "12.5"));
    assert!(amounts("eu").len() >= 3 && amounts("old").is_empty());
}

#[test]
fn watch_with_account_watches_that_one_alone() {
    let a = accounts(Reply::rest_balance("12.5"));
    let watch = a
        .home
        .spawn(&["--account", "EU", "watch", "--interval", "1s"], &TOKENS);
    let deadline = Instant::now() + Duration::from_secs(15);
    while a.eu.requests().len() < 3 {
        assert!(Instant::now() < deadline, "EU was not polled");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = support::app::terminate(watch);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("EU: warning 97.25 credits"),
        "{}",
        out.stderr
    );
    assert!(
        a.main.requests().is_empty() && a.us.requests().is_empty(),
        "only EU is watched"
    );
}

/// The files version 0.1.0 wrote (`tests/fixtures/single-account/`: its settings, history and
/// alert state) become the first account's on first start, with nothing lost or asked.
#[test]
fn a_single_account_installation_moves_to_the_first_account() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("35.00"));
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/single-account");
    let old = std::fs::read_to_string(fixtures.join("settings.json"))
        .unwrap()
        .replace("http://127.0.0.1:18999", &server.url());
    home.write_settings(&old);
    let data = home.home().join("data/clickatell-balance");
    std::fs::create_dir_all(&data).unwrap();
    for file in ["history.sqlite3", "alert-state.json"] {
        std::fs::copy(fixtures.join(file), data.join(file)).unwrap();
    }
    let out = home.run(&["balance"], None, &[("CLICKATELL_TOKEN", "tok-old")]);
    out.expect_code(0);
    assert_eq!(out.stdout, "35.00 credits\n", "one account: named nowhere");
    let watch = home.spawn(
        &["watch", "--interval", "1s"],
        &[("CLICKATELL_TOKEN", "tok-old")],
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while server.requests().len() < 4 {
        assert!(Instant::now() < deadline, "not polled");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = support::app::terminate(watch);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("critical 35.00 credits") && !out.stderr.contains("Main:"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(home.settings_path()).unwrap(),
        old,
        "the settings file is read as it is, not rewritten"
    );
    assert!(!data.join("alert-state.json").exists());
    let state: Value =
        serde_json::from_slice(&std::fs::read(data.join("alert-state-main.json")).unwrap())
            .unwrap();
    assert_eq!(
        state["notified_level"], "critical",
        "the alert already given at 40.10 is not given again: {state}"
    );
    let history = History::open(&data.join("history.sqlite3")).unwrap();
    let from = time::macros::datetime!(2026-01-01 0:00 UTC);
    let amounts: Vec<String> = history
        .range("main", from, time::OffsetDateTime::now_utc())
        .unwrap()
        .iter()
        .map(|p| p.amount.to_string())
        .collect();
    assert_eq!(
        &amounts[..6],
        ["150.00", "120.50", "95.25", "90.00", "40.10", "40.10"]
    );
    assert!(
        amounts[6..].iter().all(|a| a == "35.00") && amounts.len() >= 9,
        "{amounts:?}"
    );
}
