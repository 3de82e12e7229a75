//! The real app under Xvfb in a private desktop session with a real tray host
//! (status-notifier-watcher + gtk-sni-tray-standalone, or XFCE's panel), read over D-Bus as a
//! panel reads it.

mod support;

use clickatell_core::tray_icon::{Tone, PIXMAP_SIZES};
use std::time::Duration;
use support::app::{App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{
    balance_icon, close_window, descendants, eventually, golden_icon, has_window, same_picture,
    window_processes, TrayItem,
};

const TOKEN: &str = "tok_TRAY-31c0ffee";
const GREEN: (u8, u8, u8) = (0x1E, 0x8E, 0x3E);
const AMBER: (u8, u8, u8) = (0xE0, 0x8A, 0x00);
const BLUE: (u8, u8, u8) = (0x3D, 0x5A, 0xFE);

/// Starts the tray app against `server` with a token.
fn start(home: &Sandbox, server: &FakeClickatell) -> App {
    App::spawn(
        home,
        &["--base-url", &server.url()],
        &[("CLICKATELL_TOKEN", TOKEN)],
    )
}

fn wait_for_tooltip(item: &TrayItem<'_>, want: &str) {
    let ok = eventually(Duration::from_secs(15), || item.tooltip() == want);
    assert!(ok, "tooltip is {:?}, expected {want:?}", item.tooltip());
}

#[test]
fn tooltip_title_icon_and_menu_follow_the_balance() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("300.50"),
        Reply::rest_balance("80.00"),
        Reply::rest_error(401, "001", "Authentication failed"),
    ]);
    let mut app = start(&home, &server);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray item appears on the bus");

    wait_for_tooltip(&item, "Clickatell: 300.50 credits\nUpdated just now");
    assert_eq!(item.title(), "Clickatell: 300.50 credits");
    assert_eq!(item.state_colour(), (GREEN, 255));
    let menu = item.menu();
    let labels: Vec<&str> = menu.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Balance: 300.50 credits",
            "Refresh now",
            "Top up…",
            "Open Clickatell Balance",
            "Settings…",
            "Quit"
        ]
    );
    assert!(!menu[0].2, "the balance line is disabled");
    assert!(menu[1..].iter().all(|(_, _, enabled)| *enabled));

    // Refreshes within two seconds of a reading are answered from it (debounce).
    std::thread::sleep(Duration::from_millis(2500));
    item.click("Refresh now");
    assert!(
        eventually(Duration::from_secs(10), || server.requests().len() == 2),
        "Refresh now made no request"
    );
    wait_for_tooltip(
        &item,
        "Clickatell: 80.00 credits\nUpdated just now · warning below 100.00",
    );
    assert_eq!(item.title(), "Clickatell: 80.00 credits");
    assert_eq!(item.state_colour(), (AMBER, 255));

    std::thread::sleep(Duration::from_millis(2500));
    item.click("Refresh now");
    wait_for_tooltip(
        &item,
        "Clickatell: 80.00 credits\nToken rejected — open settings",
    );
    assert_eq!(item.state_colour(), (BLUE, 255));
    let labels: Vec<String> = item.menu().into_iter().map(|(_, l, _)| l).collect();
    assert!(
        labels.contains(&"Set the API token…".to_owned()),
        "{labels:?}"
    );

    // A left click on the icon opens the window, in a process of its own.
    assert!(!has_window(&home, "Clickatell Balance"));
    item.activate();
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "a left click did not open the window"
    );
    assert_eq!(window_processes(app.pid()).len(), 1);

    // Closing the window ends its process, and every WebKit process with it; the app and its
    // tray stay.
    close_window(&home, "Clickatell Balance");
    assert!(
        eventually(Duration::from_secs(15), || descendants(app.pid())
            .is_empty()),
        "processes left after the window closed: {:?}",
        descendants(app.pid())
    );
    assert!(!has_window(&home, "Clickatell Balance"));
    assert!(app.running(), "closing the window quit the app");
    assert_eq!(item.title(), "Clickatell: 80.00 credits");

    assert_eq!(server.max_concurrent(), 1);
    item.click("Quit");
    assert!(
        eventually(Duration::from_secs(10), || !app.running()),
        "Quit did not end the app"
    );
}

#[test]
fn without_a_tray_host_the_window_opens_and_the_tray_follows_later() {
    let mut home = Sandbox::with_notifications();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let started = std::time::Instant::now();
    let mut app = start(&home, &server);
    // It waits for a tray host (20 s) before it shows the window instead.
    assert!(
        eventually(Duration::from_secs(35), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "no window opened without a tray host"
    );
    let waited = started.elapsed();
    println!(
        "the window opened {} ms after the start",
        waited.as_millis()
    );
    assert!(
        waited >= Duration::from_secs(19),
        "the window opened after {waited:?}, before the wait for a tray host ended"
    );
    assert!(app.running(), "the app quit without a tray host");
    assert!(
        eventually(Duration::from_secs(10), || !server.requests().is_empty()),
        "monitoring did not start"
    );

    home.start_tray_host();
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray appears once a host does");
    wait_for_tooltip(&item, "Clickatell: 300.50 credits\nUpdated just now");
    assert!(app.running());
}

#[test]
fn a_second_launch_opens_the_first_and_starts_no_second_monitor() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let mut first = start(&home, &server);
    let item = TrayItem::wait(&home, first.pid(), Duration::from_secs(30)).expect("tray item");
    wait_for_tooltip(&item, "Clickatell: 300.50 credits\nUpdated just now");
    assert!(
        !has_window(&home, "Clickatell Balance"),
        "the app starts in the tray, without a window"
    );

    let mut second = start(&home, &server);
    assert!(
        eventually(Duration::from_secs(20), || !second.running()),
        "the second launch kept running"
    );
    assert_eq!(second.wait(), Some(0));
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "the running instance did not open its window"
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1, "a second monitor polled");
    assert!(first.running());
}

#[test]
fn a_first_run_without_a_token_opens_the_window() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let app = App::spawn(&home, &["--base-url", &server.url()], &[]);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    wait_for_tooltip(&item, "Clickatell Balance\nNo token — open settings");
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "the first run did not open the window"
    );
    assert!(
        server.requests().is_empty(),
        "a request was made without a token"
    );
}

fn wait_for_icon(item: &TrayItem<'_>, want: &[(u8, u8, u8, u8)], what: &str) {
    assert!(
        eventually(Duration::from_secs(20), || item.icon().1 == want),
        "the tray icon does not show {what}: {:?}",
        item.tooltip()
    );
}

/// The icon over the states, as `host` shows it: ok → warning → critical → offline, dimmed.
fn the_icon_follows_the_balance(home: Sandbox, host: &str) {
    home.write_settings(r#"{"warning_level": "100", "critical_level": "50", "timeout_secs": 1}"#);
    let server = FakeClickatell::scripted(vec![
        Reply::rest_balance("300.50"),
        Reply::rest_balance("80.00"),
        Reply::rest_balance("40.00"),
        Reply::rest_balance("40.00").delay(Duration::from_secs(3)),
    ]);
    let app = start(&home, &server);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    wait_for_icon(&item, &balance_icon(Tone::Ok, "300", false), "300 in green");
    // A picture for every size a host may draw, each drawn at its size: the goldens.
    let pixmaps = item.pixmaps();
    let sizes: Vec<usize> = pixmaps.iter().map(|(w, _, _)| *w).collect();
    assert_eq!(sizes, PIXMAP_SIZES.map(|s| s as usize), "the pixmap set");
    for (width, height, pixels) in &pixmaps {
        let (golden_size, golden) = golden_icon(&format!("balance-ok-{width}"));
        assert_eq!((*height, golden_size), (*width, *width));
        assert!(
            same_picture(pixels, &golden),
            "the {width} px picture is not its golden one"
        );
    }
    home.screenshot(&format!("tray-{host}-ok.png"));
    let steps = [
        (Tone::Warning, "80", false, "80 in amber"),
        (Tone::Critical, "40", false, "40 in red"),
        (
            Tone::Error,
            "40",
            true,
            "the last number, grey and dimmed, offline",
        ),
    ];
    for (tone, text, dimmed, what) in steps {
        std::thread::sleep(Duration::from_millis(2500));
        item.click("Refresh now");
        wait_for_icon(&item, &balance_icon(tone, text, dimmed), what);
    }
    assert!(item.tooltip().contains("Offline"), "{}", item.tooltip());
    home.screenshot(&format!("tray-{host}-offline.png"));
}

#[test]
fn the_icon_shows_the_number_in_the_states_colour_and_dims_when_offline() {
    the_icon_follows_the_balance(Sandbox::with_tray(), "gtk-sni-tray");
}

#[test]
fn on_xfces_panel_too() {
    the_icon_follows_the_balance(Sandbox::with_xfce_panel(), "xfce4-panel");
}

/// Kills a process as a crash or the OOM killer would.
fn kill(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill (procps)");
    assert!(status.success());
}

/// Opens the window with a click on the icon and returns its process, once it shows.
fn open_window(home: &Sandbox, app: &App, item: &TrayItem<'_>) -> u32 {
    item.activate();
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            home,
            "Clickatell Balance"
        )),
        "the window did not open"
    );
    let windows = window_processes(app.pid());
    assert_eq!(windows.len(), 1, "window processes: {windows:?}");
    let web = |pid: u32| {
        descendants(pid)
            .iter()
            .any(|(_, name)| name.starts_with("WebKitWebProces"))
    };
    assert!(
        eventually(Duration::from_secs(15), || web(windows[0])),
        "the window process has no WebKit web process"
    );
    windows[0]
}

#[test]
fn the_window_runs_in_a_process_of_its_own_that_ends_with_it() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let mut app = start(&home, &server);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    wait_for_tooltip(&item, "Clickatell: 300.50 credits\nUpdated just now");
    assert!(
        descendants(app.pid()).is_empty(),
        "the tray process started helpers without a window: {:?}",
        descendants(app.pid())
    );

    // Open and close twice: each close ends the window's process and all WebKit processes,
    // and the tray process goes on polling.
    for _ in 0..2 {
        open_window(&home, &app, &item);
        close_window(&home, "Clickatell Balance");
        assert!(
            eventually(Duration::from_secs(15), || descendants(app.pid())
                .is_empty()),
            "left after the window closed: {:?}",
            descendants(app.pid())
        );
        // (Refreshes closer together than the monitor's debounce join the last reading.)
        let before = server.requests().len();
        assert!(
            eventually(Duration::from_secs(15), || {
                item.click("Refresh now");
                std::thread::sleep(Duration::from_millis(500));
                server.requests().len() > before
            }),
            "the tray process stopped polling"
        );
    }

    // Asked again while it is open (the menu, a second launch), the one window is shown: no
    // second window process.
    let window = open_window(&home, &app, &item);
    item.click("Open Clickatell Balance");
    item.click("Settings…");
    let mut second = App::spawn(
        &home,
        &["--base-url", &server.url()],
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    assert_eq!(
        second.wait(),
        Some(0),
        "the second launch did not hand over"
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(window_processes(app.pid()), vec![window]);

    // A crashed window process leaves the tray working; the next click opens a fresh one.
    kill(window);
    assert!(
        eventually(Duration::from_secs(10), || !has_window(
            &home,
            "Clickatell Balance"
        )),
        "the killed window is still shown"
    );
    assert!(app.running(), "the tray process died with its window");
    assert_eq!(item.title(), "Clickatell: 300.50 credits");
    let fresh = open_window(&home, &app, &item);
    assert_ne!(fresh, window);

    // Without the tray process, the window process ends too.
    kill(app.pid());
    let _ = app.wait();
    assert!(
        eventually(Duration::from_secs(10), || !std::path::Path::new(&format!(
            "/proc/{fresh}"
        ))
        .exists()),
        "the window process outlived the tray process"
    );
}

#[test]
fn only_the_window_process_may_use_the_tray_apps_socket() {
    use std::io::{Read, Write};
    use std::os::unix::fs::PermissionsExt;
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let app = start(&home, &server);
    TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    let dir = home.home().join("runtime/clickatell-balance");
    let socket = dir.join(format!("window-{}.sock", app.pid()));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&socket), 0o600);
    // Same user, but not the window process it started: the link says nothing and closes.
    let mut stranger = std::os::unix::net::UnixStream::connect(&socket).unwrap();
    stranger
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stranger.write_all(b"{\"id\":1,\"command\":\"get_settings\",\"args\":{}}\n");
    let mut answer = Vec::new();
    // Closed at once (reset, as the request went unread), not kept open until the timeout.
    let closed = match stranger.read_to_end(&mut answer) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(
        closed && answer.is_empty(),
        "a stranger got {:?} ({closed})",
        String::from_utf8_lossy(&answer)
    );
    // The app is unharmed: its window still opens.
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(5)).unwrap();
    item.activate();
    assert!(eventually(Duration::from_secs(20), || has_window(
        &home,
        "Clickatell Balance"
    )));
}
