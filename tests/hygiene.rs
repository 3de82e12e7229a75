//! Secret hygiene: every command and the tray app run with a known token, a known proxy
//! password and alert channels with a known webhook address and SMTP password, at the most
//! verbose log level, against a Clickatell that sometimes echoes the token back and receivers
//! that refuse the alerts. Then every file under the sandbox's HOME (which holds all its XDG
//! folders, logs included), every stdout and stderr and every IPC payload the window can
//! obtain are searched for them all: they must appear nowhere.

mod support;

use std::time::{Duration, Instant};
use support::app::{Outcome, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::webdriver::Driver;

const TOKEN: &str = "tok_HYGIENE-3f2e1d0c9b8a7";
const PROXY_SECRET: &str = "pxy_HYGIENE-77aa1b";
/// A proxy address with a user, whose password is kept in the keyring; nothing listens there.
const PROXY: &str = "http://alice@127.0.0.1:9";
/// The token part of the Slack channel's webhook address.
const WEBHOOK_SECRET: &str = "whk_HYGIENE-5c4b3a29";
const SMTP_SECRET: &str = "smtp_HYGIENE-d00d";
/// Two alert channels: a Slack webhook (its receiver refuses) and email to a port where
/// nothing listens.
const CHANNELS: &str = r#"{"alert_channels":[
    {"name":"team","kind":"webhook","format":"slack","min_severity":"info"},
    {"name":"mail","kind":"email","host":"127.0.0.1","port":9,"security":"plain",
     "username":"alerts","from":"alerts@example.com","to":["ops@example.com"]}]}"#;

/// Everything the window can get from the app: each command's answer (or error), a token
/// test and save, and the `snapshot` events a refresh sends.
const EVERY_PAYLOAD: &str = r#"
const done = arguments[arguments.length - 1];
const tauri = window.__TAURI__;
const out = { events: [] };
const call = (name, args) => tauri.core.invoke(name, args || {}).then(
  (value) => { out[name] = value === undefined ? null : value; },
  (error) => { out[name] = { error }; });
(async () => {
  await tauri.event.listen('snapshot', (e) => out.events.push(e.payload));
  await call('get_snapshot');
  await call('get_settings');
  await call('token_status');
  await call('test_token', { token: TOKEN });
  await call('save_token', { token: TOKEN });
  await call('save_settings', { settings: out.get_settings });
  const withProxy = { ...out.get_settings, proxy: PROXY };
  await call('save_settings', { settings: withProxy });
  await call('save_proxy_password', { password: PROXY_SECRET });
  await call('proxy_password_status');
  await call('test_connection', { settings: withProxy, proxy_password: PROXY_SECRET });
  await new Promise((r) => setTimeout(r, 2500));
  await call('refresh_now');
  await call('get_history', { range: 'all' });
  await call('send_test_notification');
  await call('channel_secrets');
  await call('save_channel_secret', { channel: 'team', secret: WEBHOOK });
  await call('send_test_alert', { channel: 'team' });
  await call('send_test_alert', { channel: 'mail' });
  await call('export_history', { path: EXPORT });
  await new Promise((r) => setTimeout(r, 500));
  done(JSON.stringify(out));
})().catch((e) => done('failed: ' + e));
"#;

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(TOKEN),
        "the token appears in {what}:\n{text}"
    );
    assert!(
        !text.contains(PROXY_SECRET),
        "the proxy password appears in {what}:\n{text}"
    );
    assert!(
        !text.contains(WEBHOOK_SECRET),
        "the webhook address appears in {what}:\n{text}"
    );
    assert!(
        !text.contains(SMTP_SECRET),
        "the SMTP password appears in {what}:\n{text}"
    );
}

fn assert_clean_outcome(what: &str, out: &Outcome) {
    assert_clean(&format!("the stdout of {what}"), &out.stdout);
    assert_clean(&format!("the stderr of {what}"), &out.stderr);
}

#[test]
fn the_token_appears_in_no_file_log_output_or_ipc_payload() {
    let home = Sandbox::with_tray();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let echo = FakeClickatell::always(Reply::rest_error(
        401,
        "001",
        &format!("Authentication failed for token {TOKEN}"),
    ));
    let url = server.url();
    let echo_url = echo.url();
    let verbose = [("RUST_LOG", "trace")];
    let proxy_with_secret = PROXY.replace("alice@", &format!("alice:{PROXY_SECRET}@"));

    let refusing = FakeClickatell::always(Reply::new(404, "text/plain", "no_service"));
    let webhook = format!("{}/services/T0/B0/{WEBHOOK_SECRET}", refusing.url());
    home.write_settings(CHANNELS);
    for (channel, secret) in [("team", webhook.as_str()), ("mail", SMTP_SECRET)] {
        let out = home.run(
            &["alert", "set-secret", "--channel", channel],
            Some(secret),
            &verbose,
        );
        out.expect_code(0);
        assert_clean_outcome("alert set-secret", &out);
    }
    let tested = home.run(&["alert", "test"], None, &verbose);
    tested.expect_code(1);
    assert!(
        tested.stderr.contains("HTTP 404 from 127.0.0.1"),
        "{tested:#?}"
    );
    assert_clean_outcome("alert test", &tested);

    // Every command, with the token in the keyring.
    let set = home.run(&["token", "set"], Some(TOKEN), &verbose);
    set.expect_code(0);
    // Each with the exit code it must give, so a run that failed early (and so printed
    // nothing) cannot pass for a clean one.
    let runs: Vec<(&str, Vec<&str>, i32)> = vec![
        ("token status", vec!["token", "status"], 0),
        ("balance", vec!["--base-url", &url, "balance"], 0),
        (
            "balance --json",
            vec!["--base-url", &url, "balance", "--json"],
            0,
        ),
        (
            "check",
            vec!["--base-url", &url, "check", "--warning", "500"],
            1,
        ),
        (
            "balance, token echoed",
            vec!["--base-url", &echo_url, "balance"],
            1,
        ),
        (
            "check, token echoed",
            vec!["--base-url", &echo_url, "check"],
            3,
        ),
        ("--help", vec!["--help"], 0),
        (
            "balance --verbose through a proxy with its password",
            vec![
                "--proxy",
                &proxy_with_secret,
                "--base-url",
                "https://localhost:1",
                "balance",
                "--verbose",
            ],
            1,
        ),
    ];
    assert_clean_outcome("token set", &set);
    let stored = home.run(
        &["--proxy", PROXY, "proxy", "set-password"],
        Some(PROXY_SECRET),
        &verbose,
    );
    stored.expect_code(0);
    assert_clean_outcome("proxy set-password", &stored);
    for (what, args, code) in &runs {
        let out = home.run(args, None, &verbose);
        assert_eq!(out.code, *code, "{what}: {out:#?}");
        assert_clean_outcome(what, &out);
    }
    // The same with the token in the environment instead.
    let env = [("RUST_LOG", "trace"), ("CLICKATELL_TOKEN", TOKEN)];
    for (what, args, code) in &runs {
        let out = home.run(args, None, &env);
        assert_eq!(out.code, *code, "{what} (CLICKATELL_TOKEN): {out:#?}");
        assert_clean_outcome(&format!("{what} (CLICKATELL_TOKEN)"), &out);
    }
    // watch, through a rejection echoing the token: stopped once it has logged the rejection.
    let asked_before = echo.requests().len();
    let rejections = || home.log_text().matches("token-rejected").count();
    let logged_before = rejections();
    let watch = home.spawn(
        &["--base-url", &echo_url, "watch", "--interval", "1s"],
        &verbose,
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while echo.requests().len() == asked_before || rejections() == logged_before {
        assert!(
            Instant::now() < deadline,
            "watch neither asked nor logged the rejection in 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The rejection is an alert: wait until both channels have failed with it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while refusing.requests().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the alert did not reach the webhook"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = support::app::terminate(watch);
    out.expect_code(0);
    assert!(out.stderr.contains("<redacted>"), "{out:#?}");
    assert!(
        out.stderr.contains("Alerts to \"team\" (Slack) failing"),
        "{out:#?}"
    );
    assert_clean_outcome("watch", &out);

    // The tray app and its window: every IPC payload.
    let driver = Driver::start(&home, &verbose);
    let window = driver.session(&["--base-url", &url]);
    window.wait_text("#balance", Duration::from_secs(30), |t| {
        t == "300.50 credits"
    });
    let payloads = window
        .execute_async(
            &EVERY_PAYLOAD
                .replace("WEBHOOK", &format!("{webhook:?}"))
                .replace(
                    "EXPORT",
                    &format!("{:?}", home.home().join("export.csv").display().to_string()),
                )
                .replace("PROXY_SECRET", &format!("{PROXY_SECRET:?}"))
                .replace("PROXY", &format!("{PROXY:?}"))
                .replace("TOKEN", &format!("{TOKEN:?}")),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let parsed: serde_json::Value = serde_json::from_str(&payloads)
        .unwrap_or_else(|_| panic!("the IPC script failed: {payloads}"));
    for name in [
        "get_snapshot",
        "get_settings",
        "token_status",
        "test_token",
        "save_token",
        "save_settings",
        "refresh_now",
        "get_history",
        "send_test_notification",
        "save_proxy_password",
        "proxy_password_status",
        "test_connection",
        "channel_secrets",
        "save_channel_secret",
        "send_test_alert",
        "export_history",
    ] {
        assert!(
            parsed.get(name).is_some(),
            "{name} gave nothing: {payloads}"
        );
    }
    assert!(
        !parsed["events"].as_array().unwrap().is_empty(),
        "no snapshot event: {payloads}"
    );
    assert_eq!(parsed["save_proxy_password"]["stored"], true, "{payloads}");
    assert_eq!(
        parsed["proxy_password_status"]["user"], "alice@127.0.0.1:9",
        "{payloads}"
    );
    assert_eq!(parsed["test_connection"]["reached"], true, "{payloads}");
    assert!(
        parsed["get_history"]
            .as_array()
            .is_some_and(|h| !h.is_empty()),
        "{payloads}"
    );
    assert_clean("an IPC payload", &payloads);
    assert_clean(
        "the page",
        &window
            .execute("return document.documentElement.outerHTML")
            .to_string(),
    );
    drop(window);
    drop(driver);

    // The token was really used, and the logs really were written at trace level.
    assert!(server
        .requests()
        .iter()
        .any(|r| r.header("Authorization") == Some(&format!("Bearer {TOKEN}"))));
    let log_text = home.log_text();
    assert!(
        log_text.contains("TRACE") && log_text.contains("tray app"),
        "{log_text}"
    );
    assert_eq!(
        home.files_containing(TOKEN),
        Vec::<std::path::PathBuf>::new(),
        "files under HOME holding the token"
    );
    assert_eq!(
        home.files_containing(PROXY_SECRET),
        Vec::<std::path::PathBuf>::new(),
        "files under HOME holding the proxy password"
    );
    for secret in [WEBHOOK_SECRET, SMTP_SECRET] {
        assert_eq!(
            home.files_containing(secret),
            Vec::<std::path::PathBuf>::new(),
            "files under HOME holding an alert channel's secret"
        );
    }
    assert!(std::fs::read_to_string(home.home().join("export.csv"))
        .unwrap()
        .starts_with("account,account_name,time,amount,unit,top_up\r\n"));
}
