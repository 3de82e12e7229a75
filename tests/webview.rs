//! The real app in the real webview (WebKitGTK through tauri-driver and WebKitWebDriver), in a
//! private desktop session with a tray host, against a loopback Clickatell.

mod support;

use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, TrayItem};
use support::webdriver::Driver;

const TOKEN: &str = "tok_WEBVIEW-77d1e5";

#[test]
fn the_window_shows_the_balance_and_settings_reach_disk_and_tray() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let driver = Driver::start(&home, &[("CLICKATELL_TOKEN", TOKEN)]);
    let opened = Instant::now();
    let window = driver.session(&["--base-url", &server.url()]);

    let balance = window.wait_text("#balance", Duration::from_secs(30), |t| {
        t == "300.50 credits"
    });
    assert_eq!(balance, "300.50 credits");
    println!(
        "window showing the balance {} ms after the session was requested",
        opened.elapsed().as_millis()
    );
    assert_eq!(window.text("#state-badge"), "OK");

    window.execute("window.location.hash = '#settings'");
    let status = window.wait_text("#token-status", Duration::from_secs(10), |t| !t.is_empty());
    assert!(status.contains("CLICKATELL_TOKEN is set"), "{status}");
    window.type_into("#warning_level", "500");
    window.click("#settings-form button[type=submit]");
    let result = window.wait_text("#settings-result", Duration::from_secs(10), |t| {
        t.starts_with("Saved")
    });
    assert!(result.starts_with("Saved"), "{result}");

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.settings_path()).unwrap()).unwrap();
    assert_eq!(saved["accounts"][0]["warning_level"], "500");

    let pid = support::desktop::app_pid(&home).expect("the app's process");
    let item = TrayItem::wait(&home, pid, Duration::from_secs(20)).expect("tray item");
    let want = "Clickatell: 300.50 credits\nUpdated just now · warning below 500.00";
    assert!(
        eventually(Duration::from_secs(15), || item.tooltip() == want),
        "tooltip: {:?}",
        item.tooltip()
    );
    assert!(!window
        .execute("return document.documentElement.outerHTML")
        .to_string()
        .contains(TOKEN));
}

#[test]
fn an_invalid_level_is_refused_by_the_app_beside_its_field_and_nothing_is_saved() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let driver = Driver::start(&home, &[("CLICKATELL_TOKEN", TOKEN)]);
    let window = driver.session(&["--base-url", &server.url()]);
    window.wait_text("#balance", Duration::from_secs(30), |t| {
        t == "300.50 credits"
    });

    window.execute("window.location.hash = '#settings'");
    window.wait_text("#token-status", Duration::from_secs(10), |t| !t.is_empty());
    window.type_into("#warning_level", "50");
    window.type_into("#critical_level", "80");
    window.click("#settings-form button[type=submit]");
    // The app's own validation answers, through the real IPC: its sentence beside the field.
    let error = window.wait_text("#critical_level-error", Duration::from_secs(10), |t| {
        !t.is_empty()
    });
    assert_eq!(error, "must not be above the warning level (50)");
    assert_eq!(
        window.execute(
            "return document.getElementById('critical_level').getAttribute('aria-invalid')"
        ),
        "true"
    );
    let result = window.text("#settings-result");
    assert!(result.contains("nothing was saved"), "{result}");
    assert!(
        !home.settings_path().exists(),
        "a refused form reached the disk"
    );

    // Fixed, it is saved.
    window.type_into("#critical_level", "20");
    window.click("#settings-form button[type=submit]");
    window.wait_text("#settings-result", Duration::from_secs(10), |t| {
        t.starts_with("Saved")
    });
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.settings_path()).unwrap()).unwrap();
    assert_eq!(
        (
            &saved["accounts"][0]["warning_level"],
            &saved["accounts"][0]["critical_level"]
        ),
        (&serde_json::json!("50"), &serde_json::json!("20"))
    );
}
