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
    let out = home.run(&["--demo", "--account", "Demo", "balance"], None, &[]);
    out.expect_code(0);
    let line = out.stdout.trim_end();
    assert!(
        line.ends_with(" credits (Demo)") && demo_amount(line),
        "{out:#?}"
    );
    // Three simulated accounts, in their own units.
    let out = home.run(&["--demo", "balance", "--all"], None, &[]);
    out.expect_code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{out:#?}");
    assert!(lines[1].starts_with("Demo ") && lines[1].contains(" credits "));
    assert!(lines[2].starts_with("Demo US ") && lines[2].contains(" USD "));
    assert!(lines[3].starts_with("Demo ZA ") && lines[3].contains(" ZAR "));

    let out = home.run(
        &[
            "--demo",
            "--account",
            "demo",
            "check",
            "--warning",
            "10",
            "--critical",
            "5",
        ],
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
    let lines_for_each = || {
        let tooltip = item.tooltip();
        tooltip.starts_with("Demo accounts — Clickatell: ")
            && tooltip.contains("\nDemo: ")
            && tooltip.contains(" credits — ")
            && tooltip.contains("\nDemo US: ")
            && tooltip.contains(" USD — ")
            && tooltip.contains("\nDemo ZA: ")
            && tooltip.contains(" ZAR — ")
    };
    assert!(
        eventually(Duration::from_secs(15), lines_for_each),
        "tooltip: {:?}",
        item.tooltip()
    );
    let menu: Vec<String> = item.menu().into_iter().map(|(_, l, _)| l).collect();
    assert!(
        menu[0].starts_with("Demo: ")
            && menu[1].starts_with("Demo US: ")
            && menu[2].starts_with("Demo ZA: "),
        "{menu:?}"
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

#[test]
fn the_demo_leaves_the_keyring_and_the_team_channels_alone() {
    let home = Sandbox::with_keyring();
    home.run(&["token", "set"], Some("tok_REAL-0a1b2c3d\n"), &[])
        .expect_code(0);
    let refused = [
        (vec!["--demo", "token", "set"], Some("tok_DEMO-99999999\n")),
        (vec!["--demo", "token", "delete"], None),
        (vec!["--demo", "token", "status"], None),
        (vec!["--demo", "proxy", "delete-password"], None),
        (
            vec!["--demo", "alert", "set-secret", "--channel", "team"],
            Some("https://hooks.slack.com/services/T0/B0/x\n"),
        ),
        (vec!["--demo", "alert", "test"], None),
    ];
    for (args, stdin) in refused {
        let out = home.run(&args, stdin, &[]);
        out.expect_code(1);
        assert!(
            out.stderr
                .contains("the demo reads and keeps nothing in your keyring"),
            "{args:?}: {out:#?}"
        );
    }
    assert_eq!(
        home.stored_token("main").as_deref(),
        Some("tok_REAL-0a1b2c3d"),
        "the demo changed the real account's token"
    );
}
