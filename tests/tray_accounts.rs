//! Five accounts in one run of the real tray app, each against its own loopback stand-in for
//! Clickatell in a different state (ok, low, critical, token rejected, offline), read over
//! D-Bus as a panel reads them, with a real notification server.

mod support;

use std::time::Duration;
use support::app::{App, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, TrayItem};

const RED: (u8, u8, u8) = (0xD3, 0x2F, 0x2F);

/// An address on this machine where nothing listens: an account that is offline.
fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[test]
fn five_accounts_share_one_tray_and_each_alerts_once_by_name() {
    let home = Sandbox::with_tray();
    let main = FakeClickatell::always(Reply::rest_balance("1200.00"));
    let eu = FakeClickatell::always(Reply::rest_balance("97.25"));
    let us = FakeClickatell::always(Reply::rest_balance("12.50"));
    let asia = FakeClickatell::always(Reply::rest_error(401, "001", "Authentication failed"));
    home.write_settings(&format!(
        r#"{{"accounts": [
            {{"id": "main", "name": "Main", "base_url": "{}", "poll_interval_secs": 30}},
            {{"id": "eu", "name": "EU", "base_url": "{}", "poll_interval_secs": 30}},
            {{"id": "us", "name": "US", "base_url": "{}", "poll_interval_secs": 30,
              "critical_level": "50"}},
            {{"id": "asia", "name": "Asia", "base_url": "{}", "poll_interval_secs": 30}},
            {{"id": "za", "name": "ZA", "base_url": "{}", "poll_interval_secs": 30}}
        ]}}"#,
        main.url(),
        eu.url(),
        us.url(),
        asia.url(),
        nothing_listening(),
    ));
    let tokens = [
        ("CLICKATELL_TOKEN_MAIN", "tok-main"),
        ("CLICKATELL_TOKEN_EU", "tok-eu"),
        ("CLICKATELL_TOKEN_US", "tok-us"),
        ("CLICKATELL_TOKEN_ASIA", "tok-asia"),
        ("CLICKATELL_TOKEN_ZA", "tok-za"),
    ];
    let mut app = App::spawn(&home, &[], &tokens);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray item appears on the bus");

    // A panel shows the title in bold above the rest: one line per account.
    let lines = "Clickatell: 4 of 5 accounts need attention\n\
                 Main: 1,200.00 credits — ok\n\
                 EU: 97.25 credits — low\n\
                 US: 12.50 credits — critical\n\
                 Asia: — — token rejected\n\
                 ZA: — — offline";
    let settled = eventually(Duration::from_secs(30), || item.tooltip() == lines);
    assert!(settled, "the tooltip is {:?}", item.tooltip());
    assert_eq!(item.title(), "Clickatell: 4 of 5 accounts need attention");
    // Beside the icon (GNOME's top bar): how many need the user, for reasons of several kinds.
    assert_eq!(
        item.label(),
        ("4 need attention".to_owned(), "8 need attention".to_owned())
    );
    assert_eq!(
        item.state_colour(),
        (RED, 255),
        "the worst account: critical"
    );
    let menu = item.menu();
    let labels: Vec<&str> = menu.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Main: 1,200.00 credits — ok",
            "EU: 97.25 credits — low",
            "US: 12.50 credits — critical",
            "Asia: — — token rejected",
            "ZA: — — offline",
            "Refresh now",
            "Top up…",
            "Open Clickatell Balance",
            "Settings…",
            "Quit"
        ]
    );
    assert!(
        menu[..5].iter().all(|(_, _, enabled)| *enabled),
        "each account's line opens the window"
    );

    // Every account is polled again after its interval, except the one whose token was
    // rejected: it waits for the user.
    let polled_again = eventually(Duration::from_secs(60), || {
        [&main, &eu, &us].iter().all(|s| s.requests().len() >= 2)
    });
    assert!(polled_again, "the accounts were not polled again");
    assert_eq!(
        asia.requests().len(),
        1,
        "a rejected token pauses its account only"
    );
    for (server, token) in [(&main, "tok-main"), (&eu, "tok-eu"), (&asia, "tok-asia")] {
        let expected = format!("Bearer {token}");
        assert_eq!(
            server.requests()[0].header("Authorization"),
            Some(expected.as_str())
        );
    }

    // One notification per crossing per account, each naming its account; none repeated by
    // the second round of readings.
    let shown = home.wait_for_notifications(3);
    let mut summaries: Vec<&str> = shown.iter().map(|(s, _)| s.as_str()).collect();
    summaries.sort_unstable();
    assert_eq!(summaries.len(), 3, "{shown:?}");
    assert!(summaries[0].starts_with("Asia: "), "{shown:?}");
    assert!(
        summaries[1].starts_with("EU: ") && summaries[1].contains("low"),
        "{shown:?}"
    );
    assert!(
        summaries[2].starts_with("US: ") && summaries[2].contains("critical"),
        "{shown:?}"
    );
    assert!(
        !shown
            .iter()
            .any(|(s, b)| s.contains("tok-") || b.contains("tok-")),
        "no token in a notification"
    );

    item.click("Quit");
    assert!(
        eventually(Duration::from_secs(10), || !app.running()),
        "Quit did not end the app"
    );
}

#[test]
fn the_label_beside_the_icon_names_the_one_account_that_is_low_unless_turned_off() {
    let home = Sandbox::with_tray();
    let main = FakeClickatell::always(Reply::rest_balance("1200.00"));
    let eu = FakeClickatell::always(Reply::rest_balance("97.25"));
    let settings = |label: &str| {
        format!(
            r#"{{"tray_label": "{label}", "accounts": [
                {{"id": "main", "name": "Main", "base_url": "{}"}},
                {{"id": "eu", "name": "EU", "base_url": "{}"}}
            ]}}"#,
            main.url(),
            eu.url()
        )
    };
    let tokens = [
        ("CLICKATELL_TOKEN_MAIN", "tok-main"),
        ("CLICKATELL_TOKEN_EU", "tok-eu"),
    ];
    home.write_settings(&settings("balance"));
    let app = App::spawn(&home, &[], &tokens);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    let want = ("EU 97.25 low".to_owned(), "EU 88.88 low".to_owned());
    assert!(
        eventually(Duration::from_secs(20), || item.label() == want),
        "the label is {:?}",
        item.label()
    );
    drop(item);
    drop(app);

    home.write_settings(&settings("off"));
    let app = App::spawn(&home, &[], &tokens);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    assert!(eventually(Duration::from_secs(20), || item
        .tooltip()
        .contains("EU: 97.25 credits — low")));
    assert_eq!(item.label().0, "", "the label is off");
}
