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
    assert!(
        status.contains("The token in use comes from CLICKATELL_TOKEN."),
        "{status}"
    );
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

fn saved_accounts(home: &Sandbox) -> Vec<(String, String, bool)> {
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.settings_path()).unwrap()).unwrap();
    saved["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["name"].as_str().unwrap().to_owned(),
                a["enabled"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn save_settings(window: &support::webdriver::Session, outcome: &str) -> String {
    window.click("#settings-form button[type=submit]");
    window.wait_text("#settings-result", Duration::from_secs(10), |t| {
        t.starts_with(outcome)
    })
}

#[test]
fn several_accounts_in_the_real_window_cards_chart_and_account_management() {
    let home = Sandbox::with_tray();
    let main = FakeClickatell::always(Reply::rest_balance("300.50"));
    let eu = FakeClickatell::always(Reply::rest_balance("97.25"));
    home.write_settings(&format!(
        r#"{{"accounts": [
            {{"id": "main", "name": "Main", "base_url": "{}"}},
            {{"id": "eu", "name": "EU", "base_url": "{}", "warning_level": "100"}},
            {{"id": "old", "name": "Old", "base_url": "{}", "enabled": false}}
        ]}}"#,
        main.url(),
        eu.url(),
        eu.url()
    ));
    let mut store = home
        .command("secret-tool")
        .args([
            "store",
            "--label=Old",
            "service",
            "clickatell-balance",
            "username",
            "old",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    store.stdin.take().unwrap().write_all(b"tok-old").unwrap();
    assert!(store.wait().unwrap().success());
    let driver = Driver::start(
        &home,
        &[
            ("CLICKATELL_TOKEN_MAIN", TOKEN),
            ("CLICKATELL_TOKEN_EU", "tok-eu"),
            // A US user's locale, whose dates WebKit writes month first.
            ("LANG", "en_US.UTF-8"),
        ],
    );
    let window = driver.session(&[]);

    // A card per account; choosing one shows it in full.
    let cards = || window.execute("return document.querySelectorAll('.account-card').length");
    let deadline = Instant::now() + Duration::from_secs(30);
    while cards() != 3 {
        assert!(Instant::now() < deadline, "no three cards");
        std::thread::sleep(Duration::from_millis(200));
    }
    window.wait_text(
        ".account-card[data-account='eu'] .amount",
        Duration::from_secs(20),
        |t| t == "97.25 credits",
    );
    window.click(".account-card[data-account='eu']");
    window.wait_text("#account-title", Duration::from_secs(5), |t| t == "EU");
    assert_eq!(window.text("#balance"), "97.25 credits");

    // A second reading of EU (a refresh asked for after the debounce), so it has a chart.
    std::thread::sleep(Duration::from_millis(2500));
    window.click("#refresh");
    assert!(
        eventually(Duration::from_secs(10), || eu.requests().len() >= 2),
        "Refresh now did not read EU"
    );

    // EU's chart, read with the keyboard and with the mouse.
    window.execute("window.location.hash = '#history'");
    window.wait_text("#history-account", Duration::from_secs(10), |t| {
        t == "Account: EU"
    });
    // The second reading reaches the history just after its answer: redraw until it is there.
    let deadline = Instant::now() + Duration::from_secs(10);
    while window.execute("return document.querySelector('#chart svg') !== null") != true {
        assert!(
            Instant::now() < deadline,
            "EU's chart never had two readings"
        );
        window.click("[data-range='7d']");
        std::thread::sleep(Duration::from_millis(200));
    }
    window.execute("document.querySelector('#chart svg').focus()");
    window.press("\u{E010}");
    let readout = window.wait_text("#chart-readout", Duration::from_secs(5), |t| {
        t.starts_with("97.25 credits")
    });
    assert!(readout.contains(" · "), "{readout}");
    window.execute("document.getElementById('chart-readout').textContent = ''");
    window.point_at("#chart svg");
    window.wait_text("#chart-readout", Duration::from_secs(5), |t| {
        t.starts_with("97.25 credits")
    });
    // What was spent per day, its days written in the user's locale.
    let summary = window.wait_text("#spend p", Duration::from_secs(5), |t| !t.is_empty());
    let days = window.execute(
        "return [...document.querySelectorAll('#spend td:first-child')].map((c) => c.textContent)",
    );
    assert!(
        !summary.contains("Invalid") && !days.to_string().contains("Invalid"),
        "the spend's days are not dates: {summary} {days}"
    );
    assert!(summary.contains("a day; the most, "), "{summary}");

    // Add, rename, reorder and stop watching accounts; a field error for one account.
    window.execute("window.location.hash = '#settings'");
    window.wait_text("#account-list", Duration::from_secs(10), |t| !t.is_empty());
    window.type_into("#new-account-name", "Asia");
    window.click("#add-account");
    window.type_into("#account-list li:nth-child(3) .account-name", "Legacy");
    window.click("button[aria-label='Move Asia up']");
    window.click("#account-list li:nth-child(2) input[type=checkbox]");
    window.execute(
        "const s = document.getElementById('account-select'); s.value = '1'; \
         s.dispatchEvent(new Event('change'));",
    );
    assert_eq!(
        window.execute("return document.getElementById('warning_level').value"),
        "100"
    );
    window.type_into("#critical_level", "500");
    save_settings(&window, "One setting needs fixing");
    let error = window.wait_text("#critical_level-error", Duration::from_secs(5), |t| {
        !t.is_empty()
    });
    assert_eq!(error, "must not be above the warning level (100)");
    window.execute("document.getElementById('critical_level').value = ''");
    save_settings(&window, "Saved");
    assert_eq!(
        saved_accounts(&home),
        [
            ("main".to_owned(), "Main".to_owned(), true),
            ("eu".into(), "EU".into(), false),
            ("asia".into(), "Asia".into(), true),
            ("old".into(), "Legacy".into(), false),
        ]
    );

    // Removing an account asks first, then deletes its token from the keyring.
    assert_eq!(home.stored_token("old").as_deref(), Some("tok-old"));
    window.click("button[aria-label='Remove Legacy']");
    let confirm = window.text("#account-list .confirm");
    assert!(
        confirm.contains("deletes its token from the keyring"),
        "{confirm}"
    );
    window.click("#account-list .confirm button");
    save_settings(&window, "Saved");
    let ids: Vec<String> = saved_accounts(&home).into_iter().map(|a| a.0).collect();
    assert_eq!(ids, ["main", "eu", "asia"]);
    assert_eq!(home.stored_token("old"), None, "its token went with it");

    // The tray has a line for each watched account.
    let pid = support::desktop::app_pid(&home).expect("the app's process");
    let item = TrayItem::wait(&home, pid, Duration::from_secs(20)).expect("tray item");
    let want = "Clickatell: Asia no token\nMain: 300.50 credits — ok\nAsia: — — no token";
    assert!(
        eventually(Duration::from_secs(15), || item.tooltip() == want),
        "tooltip: {:?}",
        item.tooltip()
    );
}

#[test]
fn the_history_is_exported_through_the_real_save_dialog() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let driver = Driver::start(&home, &[("CLICKATELL_TOKEN", TOKEN)]);
    let window = driver.session(&["--base-url", &server.url()]);
    window.wait_text("#balance", Duration::from_secs(30), |t| {
        t == "300.50 credits"
    });
    window.execute("window.location.hash = '#history'");
    window.wait_text("#history-title", Duration::from_secs(10), |t| {
        t == "History"
    });
    window.click("#export-csv");
    let target = home.home().join("exports").join("history.csv");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    support::desktop::answer_save_dialog(&home, "Export the history as CSV", &target);
    let said = window.wait_text("#export-result", Duration::from_secs(20), |t| {
        t.starts_with("Exported")
    });
    assert!(
        said.ends_with(&format!("to {}.", target.display())),
        "{said}"
    );
    let csv = std::fs::read_to_string(&target).unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("account,account_name,time,amount,unit,top_up")
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("main,Main,") && row.ends_with(",300.50,credits,false"),
        "{row}"
    );
}

#[test]
fn the_demo_window_leaves_the_real_tokens_and_the_desktops_autostart_alone() {
    let home = Sandbox::with_tray();
    home.run(&["token", "set"], Some("tok_REAL-0a1b2c3d\n"), &[])
        .expect_code(0);
    // A real account whose id is a demo account's too.
    home.write_settings(r#"{"accounts": [{"id": "main"}, {"id": "us", "name": "US"}]}"#);
    home.run(
        &["--account", "us", "token", "set"],
        Some("tok_REAL-US-5e6f7a8b\n"),
        &[],
    )
    .expect_code(0);
    let driver = Driver::start(&home, &[]);
    let window = driver.session(&["--demo"]);
    window.execute("window.location.hash = '#settings'");
    let status = window.wait_text("#token-status", Duration::from_secs(20), |t| !t.is_empty());
    assert!(
        status.contains("the demo reads and keeps nothing in your keyring"),
        "{status}"
    );
    assert_eq!(
        window.execute("return document.getElementById('token-remove').disabled"),
        true,
        "the real token could be removed from the demo"
    );
    window.type_into("#token", "tok_DEMO-12345678");
    window.click("#token-form button[type=submit]");
    let result = window.wait_text("#token-result", Duration::from_secs(10), |t| {
        t.ends_with("The token was not saved.")
    });
    assert!(result.contains("simulated"), "{result}");
    assert_eq!(
        home.stored_token("main").as_deref(),
        Some("tok_REAL-0a1b2c3d"),
        "the demo's window changed the real account's token"
    );

    // Removing a demo account removes its readings, not the real account's token.
    window.click("button[aria-label='Remove Demo US']");
    window.click("#account-list .confirm button");
    save_settings(&window, "Saved");
    assert_eq!(
        home.stored_token("us").as_deref(),
        Some("tok_REAL-US-5e6f7a8b"),
        "removing the demo's US account deleted the real US account's token"
    );

    // Start at login, ticked in the demo's settings, does not register the desktop's autostart.
    window.click("#start_at_login");
    save_settings(&window, "Saved");
    let autostart: Vec<_> = [".config/autostart", "config/autostart"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(home.home().join(dir)).ok())
        .flatten()
        .collect();
    assert!(autostart.is_empty(), "the demo registered: {autostart:?}");
}
