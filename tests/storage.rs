//! Storage faults as a user meets them: a locked keyring, an unusable settings file, a history
//! database that is not one any more. Each gives a clear state, loses nothing, stores no token
//! in plain text, and monitoring goes on.

mod support;

use clickatell_core::history::History;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::busctl;

const TOKEN: &str = "tok_STORAGE-6c5d4e3f2a";

/// Runs the binary with a deadline, so a keyring that waits for a password prompt nobody
/// answers fails the test instead of hanging it.
fn run_within(home: &Sandbox, args: &[&str], stdin: &str, within: Duration) -> (i32, String) {
    let mut child = home
        .command(support::app::binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let deadline = Instant::now() + within;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} still waiting after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_locked_keyring_is_a_clear_state_and_nothing_is_stored_in_plain_text() {
    let home = Sandbox::with_keyring();
    let locked = busctl(
        &home,
        &[
            "call",
            "org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service",
            "Lock",
            "ao",
            "1",
            "/org/freedesktop/secrets/collection/login",
        ],
    );
    assert!(locked.is_some(), "could not lock the keyring");
    let (code, text) = run_within(&home, &["token", "set"], TOKEN, Duration::from_secs(30));
    println!("token set with a locked keyring: exit {code}: {text}");
    assert_ne!(code, 0, "{text}");
    assert!(text.to_lowercase().contains("locked"), "{text}");
    assert!(!text.contains(TOKEN));
    assert!(
        home.files_containing(TOKEN).is_empty(),
        "the token reached a file"
    );
}

#[test]
fn truncated_or_garbage_settings_are_kept_aside_and_defaults_used() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let valid = r#"{"api": "rest", "warning_level": "100", "poll_interval_secs": 600}"#;
    let cases: [(&str, Vec<u8>); 4] = [
        ("truncated", valid.as_bytes()[..30].to_vec()),
        ("binary garbage", (0u8..=255).cycle().take(700).collect()),
        ("empty", Vec::new()),
        ("an absurd value", br#"{"poll_interval_secs": -5}"#.to_vec()),
    ];
    for (what, bytes) in cases {
        let home = Sandbox::new();
        std::fs::create_dir_all(home.settings_path().parent().unwrap()).unwrap();
        std::fs::write(home.settings_path(), &bytes).unwrap();
        let out = home.run_with_token(&server.url(), TOKEN, &["balance"]);
        out.expect_code(0);
        assert_eq!(out.stdout, "300.50 credits\n", "{what}");
        assert!(
            out.stderr.contains("kept as") && out.stderr.contains("default settings"),
            "{what}: {out:#?}"
        );
        let dir = home.settings_path().parent().unwrap().to_owned();
        let kept: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1, "{what}");
        assert_eq!(
            std::fs::read(kept[0].path()).unwrap(),
            bytes,
            "{what}: not kept as it was"
        );
    }
}

#[test]
fn an_unreadable_settings_file_is_reported_and_left_in_place() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let home = Sandbox::new();
    // A folder where the file should be: unreadable even for root.
    std::fs::create_dir_all(home.settings_path()).unwrap();
    let out = home.run_with_token(&server.url(), TOKEN, &["balance"]);
    out.expect_code(0);
    assert!(
        out.stderr.contains("could not read") && out.stderr.contains("default settings"),
        "{out:#?}"
    );
    assert!(home.settings_path().is_dir(), "it was moved or removed");
}

#[test]
fn a_corrupt_history_database_is_kept_aside_and_monitoring_goes_on() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let home = Sandbox::new();
    let data = home.home().join("data/clickatell-balance");
    std::fs::create_dir_all(&data).unwrap();
    let garbage = b"SQLite format 3\0 but then nothing a database would hold".repeat(100);
    std::fs::write(data.join("history.sqlite3"), &garbage).unwrap();
    let watch = home.spawn(
        &["--base-url", &server.url(), "watch", "--interval", "1s"],
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.requests().len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = support::app::terminate(watch);
    let stderr = out.stderr;
    assert_eq!(out.code, 0, "{stderr}");
    assert!(server.requests().len() >= 3, "monitoring stopped: {stderr}");
    assert!(stderr.contains("history database unreadable"), "{stderr}");
    assert!(
        stderr.contains("warning: The history database could not be read"),
        "not said to the user: {stderr}"
    );
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("history.sqlite3.corrupt-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "the unreadable database was not kept aside");
    assert_eq!(std::fs::read(kept[0].path()).unwrap(), garbage);
    // The new database opens as it is (nothing more set aside) and holds this run's readings.
    let fresh = History::open(&data.join("history.sqlite3")).expect("the new history opens");
    assert_eq!(
        fresh.set_aside(),
        None,
        "the new database is unreadable too"
    );
    let now = time::OffsetDateTime::now_utc();
    let readings = fresh
        .range("main", now - time::Duration::hours(1), now)
        .expect("the new history reads");
    assert!(readings.len() >= 3, "readings recorded: {readings:?}");
    assert!(
        readings.iter().all(|p| p.amount.to_string() == "300.50"),
        "{readings:?}"
    );
}
