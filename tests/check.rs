//! End-to-end tests of `clickatell-balance check`, the monitoring-plugin mode.

mod support;

use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_CHECK-0a1b2c3d";

fn check(balance_reply: Reply, args: &[&str]) -> support::app::Outcome {
    let server = FakeClickatell::always(balance_reply);
    let mut full = vec!["check"];
    full.extend_from_slice(args);
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &full);
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    assert_eq!(out.stdout.lines().count(), 1, "{out:#?}");
    out
}

#[test]
fn thresholds_decide_state_and_exit_code() {
    let levels = ["--warning", "100", "--critical", "50"];
    let table = [
        ("300.50", 0, "CLICKATELL OK - balance 300.50 credits | balance=300.50;100;50;;"),
        ("100.00", 0, "CLICKATELL OK - balance 100.00 credits | balance=100.00;100;50;;"),
        ("80.00", 1, "CLICKATELL WARNING - balance 80.00 credits is below the warning level 100 | balance=80.00;100;50;;"),
        ("49.99", 2, "CLICKATELL CRITICAL - balance 49.99 credits is below the critical level 50 | balance=49.99;100;50;;"),
    ];
    for (balance, code, line) in table {
        let out = check(Reply::rest_balance(balance), &levels);
        out.expect_code(code);
        assert_eq!(out.stdout.trim_end(), line);
    }
}

#[test]
fn failures_are_unknown_with_the_reason() {
    let out = check(Reply::rest_error(401, "001", "Authentication failed"), &[]);
    out.expect_code(3);
    assert!(
        out.stdout
            .starts_with("CLICKATELL UNKNOWN - Clickatell rejected the API token"),
        "{out:#?}"
    );
    let out = check(Reply::json(200, "garbage"), &[]);
    out.expect_code(3);
    assert!(out.stdout.starts_with("CLICKATELL UNKNOWN - "));
}

#[test]
fn critical_above_warning_is_refused() {
    let out = check(
        Reply::rest_balance("10"),
        &["--warning", "50", "--critical", "100"],
    );
    out.expect_code(3);
    assert!(
        out.stdout.contains("must not be above the warning level"),
        "{out:#?}"
    );
}

#[test]
fn levels_come_from_settings_unless_flags_are_given() {
    let server = FakeClickatell::always(Reply::rest_balance("300"));
    let home = Sandbox::new();
    home.write_settings(r#"{"warning_level":"500","critical_level":"250"}"#);
    let out = home.run_with_token(&server.url(), TOKEN, &["check"]);
    out.expect_code(1);
    assert!(
        out.stdout.ends_with("| balance=300;500;250;;\n"),
        "{out:#?}"
    );
    let out = home.run_with_token(
        &server.url(),
        TOKEN,
        &["check", "--warning", "200", "--critical", "100"],
    );
    out.expect_code(0);
    let out = home.run_with_token(&server.url(), TOKEN, &["check", "--critical", "400"]);
    out.expect_code(2);
}

#[test]
fn no_token_is_unknown() {
    let out = Sandbox::new().run(&["check"], None, &[]);
    out.expect_code(3);
    assert!(out.stdout.starts_with("CLICKATELL UNKNOWN - "), "{out:#?}");
}

#[test]
fn bad_arguments_are_unknown_for_monitoring_systems() {
    let home = Sandbox::new();
    let out = home.run(&["check", "--warning", "lots"], None, &[]);
    out.expect_code(3);
    assert!(out.stderr.contains("\"lots\" is not a number"), "{out:#?}");
    home.run(&["balance", "--bogus"], None, &[]).expect_code(2);
    let out = home.run(&["--version"], None, &[]);
    out.expect_code(0);
    assert!(out.stdout.starts_with("clickatell-balance "), "{out:#?}");
    home.run(&["check", "--help"], None, &[]).expect_code(0);
}

#[test]
fn every_command_explains_itself_with_help() {
    let home = Sandbox::new();
    let commands: [&[&str]; 8] = [
        &[],
        &["balance"],
        &["check"],
        &["watch"],
        &["token"],
        &["token", "set"],
        &["token", "delete"],
        &["token", "status"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = home.run(&args, None, &[]);
        out.expect_code(0);
        let usage = format!("Usage: clickatell-balance {}", command.join(" "));
        assert!(out.stdout.contains(usage.trim_end()), "{args:?}: {out:#?}");
        assert!(
            out.stdout.lines().next().is_some_and(|l| l.len() > 10),
            "{args:?}: no description"
        );
    }
}
