//! Demo mode: the whole app on a simulated account, with no network, no token and files of its
//! own, saying "Demo" wherever it shows a balance.

mod support;

use std::time::Duration;
use support::app::{App, Sandbox};
use support::desktop::{eventually, has_window, TrayItem};

fn demo_amount(text: &str) -> bool {
    let amount = text.split_whitespace().next().unwrap_or("");
    amount
        .parse::<f64>()
        .is_ok_and(|v| (20.0..=160.0).contains(&v))
        && amount.contains('.')
}

#[test]
fn balance_and_check_need_no_account_and_say_demo() {
    let home = Sandbox::new();
    let out = home.run(&["--demo", "balance"], None, &[]);
    out.expect_code(0);
    let line = out.stdout.trim_end();
    assert!(
        line.ends_with(" credits (Demo)") && demo_amount(line),
        "{out:#?}"
    );

    let out = home.run(
        &["--demo", "check", "--warning", "10", "--critical", "5"],
        None,
        &[],
    );
    out.expect_code(0);
    assert!(
        out.stdout.starts_with("CLICKATELL DEMO OK - balance "),
        "{out:#?}"
    );
    assert!(
        !home.settings_path().exists(),
        "the demo wrote the real settings"
    );
}

#[test]
fn the_tray_app_runs_the_demo_apart_from_real_data() {
    let home = Sandbox::with_tray();
    let app = App::spawn(&home, &["--demo"], &[]);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30)).expect("tray item");
    assert!(
        eventually(Duration::from_secs(15), || item
            .tooltip()
            .starts_with("Demo account — Clickatell: ")),
        "tooltip: {:?}",
        item.tooltip()
    );
    assert!(
        item.title().starts_with("Demo ") && item.title().ends_with(" credits"),
        "{}",
        item.title()
    );
    assert!(
        eventually(Duration::from_secs(20), || has_window(
            &home,
            "Clickatell Balance"
        )),
        "the demo did not open its window"
    );
    let data = home.home().join("data").join("clickatell-balance");
    assert!(eventually(Duration::from_secs(10), || data
        .join("demo")
        .join("history.sqlite3")
        .exists()));
    assert!(
        !data.join("history.sqlite3").exists(),
        "demo readings went into the real history"
    );
    assert!(!home.settings_path().exists());
}
