//! The glance, as a user meets it: the balance drawn in the tray icon on XFCE's panel (the
//! states on both real hosts are followed in tests/tray.rs), a tray host that appears after the
//! app, and the "Top up" and "Open" buttons of a low-balance notification on a real
//! notification server.

mod support;

use clickatell_core::tray_icon::Tone;
use std::time::{Duration, Instant};
use support::app::{App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{balance_icon, eventually, has_window, TrayItem};

const TOKEN: &str = "tok_GLANCE-0a1b2c3d";

fn start(home: &Sandbox, server: &FakeClickatell, extra_env: &[(&str, &str)]) -> App {
    let mut env = vec![("CLICKATELL_TOKEN", TOKEN)];
    env.extend_from_slice(extra_env);
    App::spawn(home, &["--base-url", &server.url()], &env)
}

#[test]
fn xfces_panel_shows_the_number_and_a_two_line_tooltip() {
    let home = Sandbox::with_xfce_panel();
    let server = FakeClickatell::always(Reply::rest_balance("1267.50"));
    let app = start(&home, &server, &[]);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    let want = balance_icon(Tone::Ok, "1.2k", false);
    assert!(
        eventually(Duration::from_secs(20), || item.icon().1 == want),
        "the icon does not show 1.2k: {}",
        item.tooltip()
    );
    // The host's bold first line and the body: the balance once, then the state.
    assert_eq!(
        item.tooltip(),
        "Clickatell: 1,267.50 credits\nUpdated just now"
    );
    assert!(!has_window(&home, "Clickatell Balance"));
    home.screenshot("tray-xfce4-panel.png");
}

#[test]
fn a_tray_host_that_appears_late_gets_the_icon_and_no_window_opens() {
    let mut home = Sandbox::with_notifications();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let started = Instant::now();
    let app = start(&home, &server, &[]);
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        !server.requests().is_empty(),
        "monitoring waited for the tray host"
    );
    // The watcher first, the tray that shows items seconds later, as a panel started at login
    // with a standalone watcher does: an item registered meanwhile is refused.
    home.start_status_notifier_watcher();
    std::thread::sleep(Duration::from_secs(6));
    home.start_tray_host();
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(20))
        .expect("the tray appears when the host does");
    assert!(eventually(Duration::from_secs(10), || item.icon().1
        == balance_icon(Tone::Ok, "300", false)));
    // Past the time the app would have given up waiting: still no window.
    while started.elapsed() < Duration::from_secs(25) {
        assert!(
            !has_window(&home, "Clickatell Balance"),
            "a window opened although a tray host appeared"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn a_low_balance_notification_tops_up_in_the_browser_and_opens_the_window() {
    let home = Sandbox::with_tray_and_notification_actions("Top up");
    let (opened, browser_env) = home.stand_in_browser();
    let top_up = "https://portal.clickatell.com/billing/top-up-test";
    home.write_settings(&format!(
        r#"{{"warning_level": "100", "critical_level": "50", "top_up_url": "{top_up}"}}"#
    ));
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("80.00"),
        Reply::rest_balance("40.00"),
    ]);
    let env: Vec<(&str, &str)> = browser_env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = start(&home, &server, &env);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    let displayed = || {
        let out = home
            .command("dunstctl")
            .args(["count", "displayed"])
            .output()
            .expect("dunstctl");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<u32>()
            .unwrap_or(0)
    };
    assert!(
        eventually(Duration::from_secs(20), || displayed() == 1),
        "no low-balance notification is shown"
    );

    // "Top up", chosen from the notification's actions, opens the configured page.
    let chose = home.command("dunstctl").arg("context").status().unwrap();
    assert!(chose.success());
    assert!(
        eventually(Duration::from_secs(20), || std::fs::read_to_string(&opened)
            .is_ok_and(|t| t.lines().any(|l| l == top_up))),
        "the stand-in browser was not asked to open {top_up}: {:?}",
        std::fs::read_to_string(&opened)
    );
    assert!(!has_window(&home, "Clickatell Balance"));

    // The critical crossing's notification: its default action ("Open", a click on the
    // body) opens the window. dunst keeps the first one after its action, and sorts the
    // critical one above it (position 0).
    std::thread::sleep(Duration::from_millis(2500));
    item.click("Refresh now");
    assert!(
        eventually(Duration::from_secs(20), || displayed() == 2),
        "no critical notification is shown"
    );
    let acted = home
        .command("dunstctl")
        .args(["action", "0"])
        .status()
        .unwrap();
    assert!(acted.success());
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "Open did not open the window: {}",
        home.log_text()
    );
    let urls = std::fs::read_to_string(&opened).unwrap();
    assert_eq!(urls.lines().count(), 1, "{urls}");
}
