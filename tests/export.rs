//! `clickatell-balance history`: readings recorded by a real `watch` run against the loopback
//! Clickatell, exported as CSV (read back by Python's `csv` module) and as JSON.

mod support;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_EXPORT-41d2c3b4";

/// Python's csv module's reading of `text`, as JSON objects (every value a string).
fn python_csv(text: &str) -> Value {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import csv, io, json, sys\n\
             text = sys.stdin.buffer.read().decode('utf-8')\n\
             print(json.dumps(list(csv.DictReader(io.StringIO(text, newline='')))))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_history_exports_as_csv_and_json_equal_to_what_was_read() {
    let home = Sandbox::new();
    home.write_settings(
        r#"{"accounts":[{"id":"eu","name":"EU, \"West\""},{"id":"us","name":"US","enabled":false}]}"#,
    );
    let script = ["150.00", "90.5", "90.5", "1267.930", "1200.00"];
    let server = FakeClickatell::scripted(script.iter().map(|b| Reply::rest_balance(b)).collect());
    let child = home.spawn(
        &[
            "--base-url",
            &server.url(),
            "--account",
            "eu",
            "watch",
            "--interval",
            "1s",
        ],
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().len() < script.len() + 1 {
        assert!(Instant::now() < deadline, "the polls did not come");
        std::thread::sleep(Duration::from_millis(100));
    }
    support::app::terminate(child);

    let csv = home.run(&["history", "--format", "csv"], None, &[]);
    csv.expect_code(0);
    assert!(
        csv.stdout
            .starts_with("account,account_name,time,amount,unit,top_up\r\n"),
        "{}",
        csv.stdout
    );
    let rows = python_csv(&csv.stdout);
    let rows = rows.as_array().unwrap();
    let amounts: Vec<&str> = rows.iter().map(|r| r["amount"].as_str().unwrap()).collect();
    let expected: Vec<&str> = script
        .iter()
        .copied()
        .chain(std::iter::repeat("1200.00"))
        .take(amounts.len())
        .collect();
    assert_eq!(amounts, expected, "exact decimals, in order");
    let top_ups: Vec<&str> = rows.iter().map(|r| r["top_up"].as_str().unwrap()).collect();
    assert_eq!(&top_ups[..5], ["false", "false", "false", "true", "false"]);
    for row in rows {
        assert_eq!(row["account"], "eu");
        assert_eq!(row["account_name"], "EU, \"West\"");
        assert_eq!(row["unit"], "credits");
        let time = row["time"].as_str().unwrap();
        assert!(time.ends_with('Z'), "UTC: {time}");
        time::OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
            .expect("ISO-8601");
    }

    let json = home.run(&["history", "--format", "json"], None, &[]);
    json.expect_code(0);
    let exported: Value = serde_json::from_str(&json.stdout).unwrap();
    let exported = exported.as_array().unwrap();
    assert_eq!(exported.len(), rows.len());
    for (json_row, csv_row) in exported.iter().zip(rows) {
        for field in ["account", "account_name", "time", "amount", "unit"] {
            assert_eq!(json_row[field], csv_row[field], "{field}");
        }
        assert_eq!(
            json_row["top_up"].to_string(),
            csv_row["top_up"].as_str().unwrap()
        );
    }

    // A range that holds nothing gives the header alone; the other account has no readings.
    let none = home.run(
        &["history", "--since", "2000-01-01", "--until", "2000-01-02"],
        None,
        &[],
    );
    none.expect_code(0);
    assert_eq!(
        none.stdout,
        "account,account_name,time,amount,unit,top_up\r\n"
    );
    let us = home.run(
        &["--account", "us", "history", "--format", "json"],
        None,
        &[],
    );
    us.expect_code(0);
    assert_eq!(us.stdout.trim(), "[]");
    let bad = home.run(
        &["history", "--since", "2026-12-02", "--until", "2026-12-01"],
        None,
        &[],
    );
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("--since is after --until"),
        "{}",
        bad.stderr
    );
}
