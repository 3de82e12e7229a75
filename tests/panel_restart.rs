//! Panels that restart (`xfce4-panel -r`, a plasmashell restart, a crash, an update): the
//! real tray hosts (status-notifier-watcher with gtk-sni-tray, XFCE's panel, and GNOME Shell
//! with its AppIndicator extension) are killed under the running app and started again, after
//! 2 s and after 30 s (longer than the wait for a tray host, so the window's no-tray hint opens
//! meanwhile).

mod support;

use std::time::{Duration, Instant};
use support::app::{App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, has_window, TrayItem};

const TOKEN: &str = "tok_PANEL-0a1b2c3d";
const WINDOW: &str = "Clickatell Balance";

#[derive(Clone, Copy)]
enum Host {
    GtkSniTray,
    Xfce,
    GnomeShell,
}

fn sandbox(host: Host) -> Sandbox {
    match host {
        Host::GtkSniTray => Sandbox::with_tray(),
        Host::Xfce => Sandbox::with_xfce_panel(),
        Host::GnomeShell => Sandbox::with_gnome_shell(1),
    }
}

fn start_host(home: &mut Sandbox, host: Host) {
    match host {
        Host::GtkSniTray => home.start_tray_host(),
        Host::Xfce => home.start_xfce_panel(),
        Host::GnomeShell => home.start_gnome_shell(),
    }
}

/// The app with the host there; the host killed, `outage` later started again: the item is
/// registered with the new watcher and shows the balance as it is now. A short outage opens
/// no window; a long one opens the no-tray hint meanwhile, and reads the balance again
/// (every 30 s) while the panel is away, which the item shows when it is back.
fn comes_back(host: Host, outage: Duration) {
    let mut home = sandbox(host);
    home.write_settings(
        r#"{"accounts": [{"id": "main", "name": "Main", "poll_interval_secs": 30}]}"#,
    );
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("300.50"),
        Reply::rest_balance("275.25"),
    ]);
    let mut app = App::spawn(
        &home,
        &["--base-url", &server.url()],
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray item appears on the bus");
    assert!(eventually(Duration::from_secs(15), || item
        .tooltip()
        .starts_with("Clickatell: 300.50 credits")));
    drop(item);

    home.stop_tray_host();
    let gone = Instant::now();
    let long = outage > Duration::from_secs(20);
    if long {
        assert!(
            eventually(outage, || has_window(&home, WINDOW)),
            "no window with the no-tray hint during a long outage"
        );
    }
    std::thread::sleep(outage.saturating_sub(gone.elapsed()));
    start_host(&mut home, host);

    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(15))
        .expect("the tray item is registered with the new watcher");
    let now = if long { "275.25" } else { "300.50" };
    let shown = eventually(Duration::from_secs(20), || {
        item.tooltip()
            .starts_with(&format!("Clickatell: {now} credits"))
    });
    assert!(shown, "the item shows {:?}, not {now}", item.tooltip());
    if !long {
        std::thread::sleep(Duration::from_secs(3));
        assert!(!has_window(&home, WINDOW), "a 2 s outage opened the window");
    }
    assert!(app.running(), "the app quit when the panel went away");
    let said = eventually(Duration::from_secs(10), || {
        let log = home.log_text();
        log.contains("the tray host went away") && log.contains("the tray host is back")
    });
    assert!(
        said,
        "the log does not say the host went and came back:\n{}",
        home.log_text()
    );
}

#[test]
fn gtk_sni_tray_restarted_after_2_s_shows_the_item_again_and_no_window() {
    comes_back(Host::GtkSniTray, Duration::from_secs(2));
}

#[test]
fn xfce_panel_restarted_after_2_s_shows_the_item_again_and_no_window() {
    comes_back(Host::Xfce, Duration::from_secs(2));
}

#[test]
fn gnome_shell_restarted_after_2_s_shows_the_item_again_and_no_window() {
    comes_back(Host::GnomeShell, Duration::from_secs(2));
}

#[test]
fn gtk_sni_tray_restarted_after_30_s_shows_the_item_and_the_balance_read_meanwhile() {
    comes_back(Host::GtkSniTray, Duration::from_secs(30));
}

#[test]
fn xfce_panel_restarted_after_30_s_shows_the_item_and_the_balance_read_meanwhile() {
    comes_back(Host::Xfce, Duration::from_secs(30));
}
