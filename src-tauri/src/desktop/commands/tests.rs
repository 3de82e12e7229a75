//! The commands as the window calls them, through Tauri's mock runtime with the app's real
//! capabilities and plugins, relayed over the link (an in-memory pipe here) to the tray
//! side's dispatch: what the window may call, what it gets back, and what is refused. The UI's
//! IPC fixtures (`tests/fixtures/ipc/`) are written from these answers, so the UI's tests see
//! what the app really sends.

use super::super::command_list::COMMANDS;
use super::super::contract::{CommandRequest, ProxyPasswordStatus, TokenStatus, EVENTS};
use super::super::link::{self, Request, ToWindow};
use super::super::state::{AppState, Watched};
use super::super::{window_host, window_process};
use clickatell::{FakeClickatell, Reply};
use clickatell_core::alert_channel::SecretSources;
use clickatell_core::context::{Context, RunOptions};
use clickatell_core::history::History;
use clickatell_core::monitor::{self, Clock, MonitorDeps};
use clickatell_core::notifier::{Notification, Notifier, NotifyError};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::token_store::TokenStoreError;
use clickatell_core::{Api, ApiToken, Balance, Settings, SettingsStore};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindowBuilder};
use time::macros::datetime;
use time::OffsetDateTime;

/// The Rust tests' one Clickatell stand-in.
#[allow(dead_code)]
#[path = "../../../../tests/support/clickatell.rs"]
mod clickatell;

/// The moment every fixture is taken at.
const NOW: OffsetDateTime = datetime!(2026-11-28 14:28 UTC);

struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        NOW
    }
}

struct Quiet;

impl Notifier for Quiet {
    fn notify(&self, _: &Notification) -> Result<(), NotifyError> {
        Ok(())
    }
}

/// What a rig's app is connected to.
struct Setup {
    api: Api,
    /// The loopback Clickatell's answer to every request.
    answer: (u16, &'static str),
    token: Option<&'static str>,
    /// The keyring answers that it is locked.
    locked: bool,
    /// Readings already in the history before the app starts.
    history: Vec<(OffsetDateTime, &'static str)>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            api: Api::Rest,
            answer: (200, r#"{"data":{"balance":"300.50"}}"#),
            token: Some("unit-test"),
            locked: false,
            history: Vec::new(),
        }
    }
}

struct Rig {
    _dir: tempfile::TempDir,
    _clickatell: FakeClickatell,
    store: SettingsStore,
    app: tauri::App<tauri::test::MockRuntime>,
}

fn rig() -> Rig {
    rig_with(Setup::default())
}

fn rig_with(setup: Setup) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::new(dir.path().join("settings.json"));
    let history = Arc::new(History::open(&dir.path().join("history.sqlite3")).unwrap());
    for (at, amount) in &setup.history {
        let balance = Balance {
            amount: clickatell_core::Decimal::from_str(amount).unwrap(),
            currency: None,
        };
        history.record("main", *at, &balance).unwrap();
    }
    let clickatell = FakeClickatell::always(Reply::json(setup.answer.0, setup.answer.1));
    let mut context = Context::with(
        RunOptions {
            api: Some(setup.api),
            base_url: Some(clickatell.url()),
            ..RunOptions::default()
        },
        Some(store.clone()),
        Settings::default(),
        Vec::new(),
    );
    // Accounts the tests add read their tokens from their own variables, never a keyring.
    for var in [
        "CLICKATELL_TOKEN_MAIN",
        "CLICKATELL_TOKEN_EU",
        "CLICKATELL_TOKEN_US_WEST",
    ] {
        context
            .token_sources
            .per_account
            .insert(var.into(), "unit-test".into());
    }
    // The alert channel "team" reads its secret from a file of the rig's, never a keyring.
    context.secret_sources.files.insert(
        SecretSources::file_env("team"),
        dir.path().join("team-secret"),
    );
    let clock: Arc<dyn Clock> = Arc::new(FixedClock);
    let (token, locked) = (setup.token, setup.locked);
    let deps = MonitorDeps {
        make_source: context.source_factory(Settings::default().first()),
        token: Arc::new(move || match locked {
            true => Err(TokenStoreError::Locked {
                detail: "locked".into(),
            }),
            false => Ok(token.map(|t| ApiToken::parse(t).unwrap())),
        }),
        notifier: Arc::new(Quiet),
        history: Some(history.clone()),
        alert_state: None,
        clock: clock.clone(),
        keyring: context.keyring.clone(),
        channels: Default::default(),
    };
    let saved = Settings::default();
    let config = context.monitor_config(saved.first(), 0);
    let account = config.account.clone();
    let handle = tauri::async_runtime::block_on(async move { monitor::spawn(config, deps) });
    let (changes, _) = tokio::sync::mpsc::unbounded_channel();
    let app = mock_builder()
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(AppState {
            watched: parking_lot::Mutex::new(vec![Watched {
                account,
                label: None,
                monitor: handle,
            }]),
            context,
            notifier: Arc::new(Quiet),
            history: Some(history),
            clock,
            changes,
            focus: parking_lot::Mutex::default(),
            notification_actions: Arc::new(|_| {}),
        })
        .invoke_handler(window_process::handler())
        .build(tauri::generate_context!())
        .expect("mock app");
    // The window's side and the tray's side of the link, joined by a pipe.
    let (window_end, tray_end) = tokio::io::duplex(1 << 22);
    let (tray_reader, tray_writer) = tokio::io::split(tray_end);
    let (to_window, outgoing) = tokio::sync::mpsc::unbounded_channel();
    tauri::async_runtime::spawn(window_host::serve(
        tray_reader,
        tray_writer,
        to_window,
        outgoing,
        tauri::Manager::app_handle(&app).clone(),
    ));
    let (window_reader, window_writer) = tokio::io::split(window_end);
    let (relay, _events) = window_process::connect(window_reader, window_writer);
    tauri::Manager::manage(&app, relay);
    Rig {
        _dir: dir,
        _clickatell: clickatell,
        store,
        app,
    }
}

impl Rig {
    /// The first snapshot after the monitor's first poll.
    fn first_reading(&self) -> Snapshot {
        let state = tauri::Manager::state::<AppState>(&self.app);
        let mut rx = state.primary().unwrap().monitor.subscribe();
        tauri::async_runtime::block_on(async move {
            let settled = rx.wait_for(|s| s.status != Status::Starting);
            tokio::time::timeout(Duration::from_secs(10), settled)
                .await
                .expect("the monitor's first poll")
                .unwrap()
                .clone()
        })
    }
}

fn invoke(rig: &Rig, window: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_in(&rig.app, window, cmd, args)
}

/// Calls `cmd` as the UI of the window `window` of `app` would.
fn invoke_in(
    app: &tauri::App<tauri::test::MockRuntime>,
    window: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let webview = match tauri::Manager::get_webview_window(app, window) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, window, WebviewUrl::default())
            .build()
            .unwrap(),
    };
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

fn save(rig: &Rig, settings: &Value) -> Result<Value, Value> {
    invoke(
        rig,
        "main",
        "save_settings",
        json!({ "settings": settings }),
    )
}

#[test]
fn settings_round_trip_and_are_saved() {
    let rig = rig();
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    assert_eq!(settings["accounts"][0]["warning_level"], "100");
    settings["accounts"][0]["warning_level"] = json!("250.50");
    settings["accounts"][0]["critical_level"] = json!("20");
    let saved = save(&rig, &settings).unwrap();
    assert_eq!(saved["accounts"][0]["warning_level"], "250.50");
    let on_disk = rig.store.load().unwrap().settings;
    assert_eq!(on_disk.first().warning_level.unwrap().to_string(), "250.50");
    assert_eq!(
        invoke(&rig, "main", "get_settings", json!({})).unwrap()["accounts"][0]["critical_level"],
        "20"
    );
}

#[test]
fn invalid_settings_give_field_errors_and_save_nothing() {
    let rig = rig();
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    let main = &mut settings["accounts"][0];
    main["warning_level"] = json!("50");
    main["critical_level"] = json!("80");
    main["poll_interval_secs"] = json!(5);
    let err = save(&rig, &settings).unwrap_err();
    let fields: Vec<(&str, &str)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["account"].as_str().unwrap(), f["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("main", "poll_interval_secs"), ("main", "critical_level")]
    );
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("nothing was saved"));
    settings["accounts"][0]["poll_interval_secs"] = json!(300);
    settings["accounts"][0]["warning_level"] = json!("lots");
    let err = save(&rig, &settings).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "warning_level");
    assert_eq!(err["fields"][0]["account"], "main");
    assert!(
        !rig.store.path().exists(),
        "an invalid form reached the disk"
    );
}

/// `view` with each sparkline's repeated readings taken as one: the rig's clock stands still,
/// so every poll (how many, depends on how busy the machine is when settings are saved and
/// refreshed) records the same instant and amount.
fn without_repeats(mut view: Value) -> Value {
    for card in view["cards"].as_array_mut().unwrap() {
        if let Some(points) = card["sparkline"].as_array_mut() {
            points.dedup();
        }
    }
    view
}

/// Reads every account now (the rig's clock stands still, so a staggered first poll would
/// never come), waits until `get_accounts` shows each enabled one read, and returns it.
fn accounts_read(rig: &Rig) -> Value {
    invoke(rig, "main", "refresh_now", json!({})).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let view = invoke(rig, "main", "get_accounts", json!({})).unwrap();
        let read =
            view["cards"].as_array().unwrap().iter().all(|c| {
                !c["enabled"].as_bool().unwrap() || !c["snapshot"]["fetched_at"].is_null()
            });
        if read {
            return without_repeats(view);
        }
        assert!(std::time::Instant::now() < deadline, "not read: {view}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn accounts_are_added_renamed_reordered_disabled_and_removed() {
    let rig = rig();
    rig.first_reading();
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    // Added by the form: no id yet, one is made from the name.
    settings["accounts"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "", "name": "EU", "warning_level": "400" }));
    let saved = save(&rig, &settings).unwrap();
    assert_eq!(saved["accounts"][1]["id"], "eu");
    let view = accounts_read(&rig);
    let cards = view["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[1]["snapshot"]["status"], "warning", "{view}");
    let eu = invoke(&rig, "main", "get_snapshot", json!({ "account": "eu" })).unwrap();
    assert_eq!(eu["status"], "warning");
    let history = invoke(
        &rig,
        "main",
        "get_history",
        json!({ "range": "24h", "account": "eu" }),
    )
    .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");

    // Renamed and moved first: the same account (its id, its monitor, its history).
    let mut settings = saved;
    settings["accounts"][1]["name"] = json!("Europe");
    let accounts = settings["accounts"].as_array_mut().unwrap();
    accounts.swap(0, 1);
    let saved = save(&rig, &settings).unwrap();
    let ids: Vec<&str> = saved["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["eu", "main"]);
    let view = accounts_read(&rig);
    assert_eq!(view["cards"][0]["name"], "Europe");
    assert!(
        !view["cards"][0]["sparkline"].as_array().unwrap().is_empty(),
        "its readings stay with it: {view}"
    );

    // Disabled: kept, not watched.
    let mut settings = saved;
    settings["accounts"][0]["enabled"] = json!(false);
    let saved = save(&rig, &settings).unwrap();
    let view = invoke(&rig, "main", "get_accounts", json!({})).unwrap();
    assert!(view["cards"][0]["snapshot"].is_null(), "{view}");
    assert_eq!(view["cards"][0]["enabled"], false);

    // Removed: its readings go with it. There is no keyring here, so its token cannot be
    // deleted: the account is gone all the same, and the answer says what was left behind.
    let mut settings = saved;
    settings["accounts"].as_array_mut().unwrap().remove(0);
    let left = save(&rig, &settings).unwrap_err();
    let message = left["message"].as_str().unwrap();
    assert!(
        message.starts_with("Europe was removed, but not all it left behind could be deleted")
            && message.contains("keyring"),
        "{message}"
    );
    let view = invoke(&rig, "main", "get_accounts", json!({})).unwrap();
    assert_eq!(view["cards"].as_array().unwrap().len(), 1);
    let gone = invoke(
        &rig,
        "main",
        "get_history",
        json!({ "range": "24h", "account": "eu" }),
    );
    assert!(gone.is_err(), "no such account any more: {gone:?}");
    let state = tauri::Manager::state::<AppState>(&rig.app);
    let history = state.history.clone().unwrap();
    assert!(history
        .range("eu", NOW - time::Duration::days(1), NOW)
        .unwrap()
        .is_empty());

    // Two accounts may not share a name; the error names the account and the field.
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    settings["accounts"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "", "name": "main" }));
    let err = save(&rig, &settings).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "name", "{err}");
    assert_eq!(err["fields"][0]["account"], "main-2", "{err}");
}

#[test]
fn snapshot_and_refresh() {
    let rig = rig();
    let snapshot = invoke(&rig, "main", "refresh_now", json!({})).unwrap();
    assert_eq!(snapshot["status"], "ok");
    assert_eq!(snapshot["balance"]["amount"], "300.50");
    let latest = invoke(&rig, "main", "get_snapshot", json!({})).unwrap();
    assert_eq!(latest["balance"]["amount"], "300.50");
}

#[test]
fn a_malformed_token_is_refused_before_any_request() {
    let rig = rig();
    let err = invoke(&rig, "main", "test_token", json!({ "token": "two words" })).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "token");
    assert!(!err.to_string().contains("two words"));
}

#[test]
fn history_is_read_up_to_the_monitors_clock() {
    let rig = rig_with(Setup {
        history: vec![(NOW - time::Duration::days(3), "420.00")],
        ..Setup::default()
    });
    rig.first_reading();
    let week = invoke(&rig, "main", "get_history", json!({ "range": "7d" })).unwrap();
    let amounts: Vec<&str> = week
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["420.00", "300.50"]);
    let day = invoke(&rig, "main", "get_history", json!({ "range": "24h" })).unwrap();
    assert_eq!(day.as_array().unwrap().len(), 1);
    assert!(invoke(&rig, "main", "get_history", json!({ "range": "1y" })).is_err());
}

#[test]
fn a_channel_is_tested_and_the_history_exported_from_the_window() {
    let rig = rig();
    rig.first_reading();
    let receiver = FakeClickatell::always(Reply::new(200, "text/plain", "ok"));
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    settings["alert_channels"] = json!([
        { "name": "team", "min_severity": "warning", "kind": "webhook", "format": "json" }
    ]);
    let saved = outcome(save(&rig, &settings));
    assert_eq!(saved["value"]["alert_channels"], settings["alert_channels"]);
    // Its secret file is named but not there yet: said, not taken for "none stored".
    let secret = rig._dir.path().join("team-secret");
    let unset = invoke(&rig, "main", "channel_secrets", json!({})).unwrap();
    assert_eq!(
        (&unset[0]["channel"], &unset[0]["stored"]),
        (&json!("team"), &json!(false))
    );
    let unreadable = format!("the secret file {} cannot be read", secret.display());
    assert!(
        unset[0]["error"].as_str().unwrap().starts_with(&unreadable),
        "{unset}"
    );
    let untested = outcome(invoke(
        &rig,
        "main",
        "send_test_alert",
        json!({ "channel": "team" }),
    ));
    let message = untested["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "The test alert to \"team\" (JSON webhook) failed: its webhook address cannot be \
             read: {unreadable}"
        )),
        "{message}"
    );
    let hook = format!("{}/hook/hook_SECRET-a1b2", receiver.url());
    std::fs::write(&secret, &hook).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let stored = invoke(&rig, "main", "channel_secrets", json!({})).unwrap();
    assert_eq!(stored[0]["stored"], true);
    let sent = outcome(invoke(
        &rig,
        "main",
        "send_test_alert",
        json!({ "channel": "team" }),
    ));
    assert_eq!(
        sent["value"],
        "A test alert was sent to \"team\" (JSON webhook)."
    );
    let test: Value = serde_json::from_slice(&receiver.requests()[0].body).unwrap();
    assert_eq!(
        (&test["kind"], &test["test"]),
        (&json!("test"), &json!(true))
    );
    let refused = invoke(
        &rig,
        "main",
        "save_channel_secret",
        json!({ "channel": "team", "secret": "http://example.com/hook/plain-secret" }),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("use https://"), "{refused}");
    assert!(!refused.to_string().contains("plain-secret"));
    let unknown = invoke(
        &rig,
        "main",
        "send_test_alert",
        json!({ "channel": "nope" }),
    );
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("save the settings first"));

    // A fixed path, so the UI fixture of the answer stays the same from run to run.
    let path = std::env::temp_dir().join("clickatell-balance-export-fixture.csv");
    let exported = invoke(
        &rig,
        "main",
        "export_history",
        json!({ "path": path, "account": "main" }),
    )
    .unwrap();
    // The first reading, and the one saving the settings made (at the rig's fixed time).
    assert_eq!(
        exported,
        format!("Exported 2 readings to {}.", path.display())
    );
    let row = "main,Main,2026-11-28T14:28:00Z,300.50,credits,false\r\n";
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("account,account_name,time,amount,unit,top_up\r\n{row}{row}")
    );
    let relative = invoke(
        &rig,
        "main",
        "export_history",
        json!({ "path": "export.csv" }),
    );
    assert!(relative.unwrap_err().to_string().contains("Choose where"));
    fixture("channel-secrets", &stored);
    fixture("test-alert", &sent);
    fixture(
        "save-settings-channels",
        &[json!({ "settings": settings, "reply": saved })],
    );
    fixture("export-history", &json!({ "value": exported }));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn every_listed_command_is_relayed_and_served() {
    let rig = rig();
    for &command in COMMANDS {
        // Called without arguments: some refuse them, but none may be unknown to the relay
        // (Tauri: "not found") or to the tray's dispatch ("There is no command").
        if let Err(error) = invoke(&rig, "main", command, json!({})) {
            let text = error.to_string();
            assert!(
                !text.contains("not found") && !text.contains("There is no command"),
                "{command}: {text}"
            );
        }
    }
}

#[test]
fn only_the_main_window_may_call_and_only_listed_commands() {
    let rig = rig();
    assert!(invoke(&rig, "main", "get_snapshot", json!({})).is_ok());
    let refused = invoke(&rig, "intruder", "get_snapshot", json!({}));
    assert!(
        refused.is_err(),
        "a window without a capability called a command"
    );
    // The autostart plugin is registered, as in the app: its commands exist, and the
    // capability is what refuses them to the UI.
    assert!(
        tauri::Manager::try_state::<tauri_plugin_autostart::AutoLaunchManager>(&rig.app).is_some()
    );
    for command in ["enable", "disable", "is_enabled"] {
        let refused = invoke(
            &rig,
            "main",
            &format!("plugin:autostart|{command}"),
            json!({}),
        )
        .expect_err("the autostart plugin's commands are not granted to the UI");
        let text = refused.to_string();
        assert!(
            text.contains("not allowed") && text.contains("autostart"),
            "refused for another reason than the capability: {text}"
        );
    }
}

/// `ui/contract.js`: the command and event names for the UI, from the one list.
fn ui_contract() -> String {
    fn camel(name: &str) -> String {
        let mut words = name.split(['_', '-']);
        let mut out = words.next().unwrap_or_default().to_owned();
        for word in words {
            let mut chars = word.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
        }
        out
    }
    let entries = |names: &[&str]| -> String {
        names
            .iter()
            .map(|name| format!("  {}: '{name}',\n", camel(name)))
            .collect()
    };
    format!(
        "// The window's commands and events by name, written from the app's one list\n\
         // (src-tauri/src/desktop/command_list.rs, contract.rs) by its tests:\n\
         // UPDATE_FIXTURES=1 cargo test -p clickatell-balance-app rewrites it. Do not edit.\n\
         export const commands = Object.freeze({{\n{}}});\n\n\
         export const events = Object.freeze({{\n{}}});\n",
        entries(COMMANDS),
        entries(EVENTS)
    )
}

#[test]
fn the_ui_takes_command_and_event_names_from_the_list() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/contract.js");
    let expected = ui_contract();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual,
        expected,
        "{} is not the command list's (UPDATE_FIXTURES=1 rewrites it)",
        path.display()
    );
    // No name is spelled out anywhere else in the UI.
    let ui = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui");
    for entry in std::fs::read_dir(&ui).unwrap().flatten() {
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "js") && file != path {
            let text = std::fs::read_to_string(&file).unwrap();
            for name in COMMANDS.iter().chain(EVENTS) {
                for quoted in [format!("'{name}'"), format!("\"{name}\"")] {
                    assert!(
                        !text.contains(&quoted),
                        "{} spells out {quoted}: take it from contract.js",
                        file.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_ui_arguments_reach_the_tray_by_the_names_the_contract_gives_them() {
    let app = mock_builder()
        .invoke_handler(window_process::handler())
        .build(tauri::generate_context!())
        .expect("mock app");
    let (window_end, tray_end) = tokio::io::duplex(1 << 16);
    let (window_reader, window_writer) = tokio::io::split(window_end);
    let (relay, _events) = window_process::connect(window_reader, window_writer);
    tauri::Manager::manage(&app, relay);
    let (received, heard) = std::sync::mpsc::channel();
    tauri::async_runtime::spawn(async move {
        let (reader, mut writer) = tokio::io::split(tray_end);
        let mut reader = tokio::io::BufReader::new(reader);
        while let Ok(Some(request)) = link::read::<Request, _>(&mut reader).await {
            let reply = ToWindow::Reply {
                id: request.id,
                result: Ok(Value::Null),
            };
            received.send(request.call).unwrap();
            link::write(&mut writer, &reply).await.unwrap();
        }
    });
    let args = json!({ "settings": {}, "proxy_password": "typed", "account": "eu" });
    invoke_in(&app, "main", "test_connection", args).expect("relayed");
    assert_eq!(
        heard.recv_timeout(Duration::from_secs(5)).unwrap(),
        CommandRequest::TestConnection {
            settings: json!({}),
            proxy_password: Some("typed".into()),
            account: Some("eu".into()),
        }
    );
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ipc")
}

/// Compares a command's real answer with its fixture; `UPDATE_FIXTURES=1` writes the fixture
/// from the answer instead.
fn fixture(name: &str, payload: &impl Serialize) {
    let actual = serde_json::to_value(payload).unwrap();
    let path = fixtures().join(format!("{name}.json"));
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(fixtures()).unwrap();
        let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_FIXTURES=1", path.display()));
    let expected: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        actual, expected,
        "{name}: the command's answer and the UI fixture disagree (UPDATE_FIXTURES=1 rewrites it)"
    );
}

/// The answer or the error, as the UI's `invoke` resolves or rejects.
fn outcome(result: Result<Value, Value>) -> Value {
    match result {
        Ok(value) => json!({ "value": value }),
        Err(error) => json!({ "error": error }),
    }
}

#[test]
fn the_ui_fixtures_are_what_the_commands_answer() {
    // 25 credits a day over four days, so the snapshot carries a forecast.
    let rig = rig_with(Setup {
        history: vec![
            (NOW - time::Duration::days(4), "400.50"),
            (NOW - time::Duration::days(2), "350.50"),
        ],
        ..Setup::default()
    });
    rig.first_reading();
    fixture(
        "snapshot-ok",
        &invoke(&rig, "main", "get_snapshot", json!({})).unwrap(),
    );
    fixture(
        "accounts-one",
        &invoke(&rig, "main", "get_accounts", json!({})).unwrap(),
    );
    fixture(
        "history",
        &invoke(&rig, "main", "get_history", json!({ "range": "7d" })).unwrap(),
    );
    let settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    fixture("settings", &settings);
    fixture(
        "field-limits",
        &invoke(&rig, "main", "field_limits", json!({})).unwrap(),
    );
    // The form's two answers the UI tests use: levels the wrong way round, then fixed.
    let form = |warning: &str, critical: &str| {
        let mut form = settings.clone();
        form["accounts"][0]["warning_level"] = json!(warning);
        form["accounts"][0]["critical_level"] = json!(critical);
        form
    };
    let exchanges: Vec<Value> = [("50", "80"), ("50", "20")]
        .into_iter()
        .map(|(warning, critical)| {
            let request = form(warning, critical);
            let reply = outcome(save(&rig, &request));
            json!({ "settings": request, "reply": reply })
        })
        .collect();
    assert!(exchanges[0]["reply"]["error"].is_object());
    assert!(exchanges[1]["reply"]["value"].is_object());
    fixture("save-settings", &exchanges);

    // Three accounts: the overview's cards, and the settings that list them.
    let mut several = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    let accounts = several["accounts"].as_array_mut().unwrap();
    accounts.push(json!({ "id": "", "name": "EU", "warning_level": "400" }));
    accounts.push(json!({ "id": "", "name": "US West", "enabled": false }));
    // No desktop notifications: whether EU's low balance is announced (and fails, with no
    // notification server here) depends on the alert state earlier runs left on this
    // machine, not on the commands.
    several["notifications"]["enabled"] = json!(false);
    let saved = save(&rig, &several).unwrap();
    fixture("settings-accounts", &saved);
    fixture("accounts", &accounts_read(&rig));
    fixture(
        "snapshot-eu",
        &invoke(&rig, "main", "get_snapshot", json!({ "account": "eu" })).unwrap(),
    );
    // What the browser test does with them, answered by the app: EU's critical level above
    // its warning level; then Asia added (like the account being edited, Main), US West
    // renamed Americas, Asia moved above it and EU no longer watched; then Americas removed.
    let mut misleveled = saved.clone();
    misleveled["accounts"][1]["critical_level"] = json!("500");
    let mut managed = saved.clone();
    let accounts = managed["accounts"].as_array_mut().unwrap();
    let mut asia = accounts[0].clone();
    asia["id"] = json!("");
    asia["name"] = json!("Asia");
    asia["enabled"] = json!(true);
    asia["base_url"] = Value::Null;
    accounts[1]["enabled"] = json!(false);
    accounts[2]["name"] = json!("Americas");
    accounts.insert(2, asia);
    let mut exchanges = Vec::new();
    for request in [misleveled, managed] {
        let reply = outcome(save(&rig, &request));
        exchanges.push(json!({ "settings": request, "reply": reply }));
    }
    let mut removed = exchanges[1]["reply"]["value"].clone();
    removed["accounts"].as_array_mut().unwrap().remove(3);
    let reply = outcome(save(&rig, &removed));
    exchanges.push(json!({ "settings": removed, "reply": reply }));
    assert_eq!(exchanges[0]["reply"]["error"]["fields"][0]["account"], "eu");
    assert_eq!(exchanges[1]["reply"]["value"]["accounts"][2]["id"], "asia");
    assert!(exchanges[2]["reply"]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Americas was removed"));
    fixture("save-settings-accounts", &exchanges);

    let one_api = rig_with(Setup {
        api: Api::OneApi,
        answer: (200, r#"{"balance": 1267.92865, "currency": "ZAR"}"#),
        ..Setup::default()
    });
    fixture(
        "balance",
        &invoke(
            &one_api,
            "main",
            "test_token",
            json!({ "token": "candidate" }),
        )
        .unwrap(),
    );

    let rejected = rig_with(Setup {
        answer: (
            401,
            r#"{"error":{"code":"001","description":"Authentication failed","documentation":"http://www.clickatell.com/help/apidocs/error/001.htm"}}"#,
        ),
        ..Setup::default()
    });
    rejected.first_reading();
    fixture(
        "snapshot-token-rejected",
        &invoke(&rejected, "main", "get_snapshot", json!({})).unwrap(),
    );

    let low = rig_with(Setup {
        answer: (200, r#"{"data":{"balance":"80.00"}}"#),
        ..Setup::default()
    });
    low.first_reading();
    fixture(
        "snapshot-warning",
        &invoke(&low, "main", "get_snapshot", json!({})).unwrap(),
    );

    let first_run = rig_with(Setup {
        token: None,
        ..Setup::default()
    });
    first_run.first_reading();
    fixture(
        "snapshot-token-missing",
        &invoke(&first_run, "main", "get_snapshot", json!({})).unwrap(),
    );
    fixture(
        "history-empty",
        &invoke(&first_run, "main", "get_history", json!({ "range": "24h" })).unwrap(),
    );

    let locked = rig_with(Setup {
        locked: true,
        ..Setup::default()
    });
    locked.first_reading();
    fixture(
        "snapshot-keyring-locked",
        &invoke(&locked, "main", "get_snapshot", json!({})).unwrap(),
    );

    // The keyring is not reachable from unit tests: the status is built as the command
    // builds it, from a lookup that found a token.
    fixture("token-status", &TokenStatus::new(Ok(true), None));

    // The form's network settings tested against the loopback Clickatell (plain http to this
    // machine: direct, no certificate), and a proxy address the form cannot use.
    let settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    let mut report = invoke(
        &rig,
        "main",
        "test_connection",
        json!({ "settings": settings }),
    )
    .unwrap();
    // How this machine's own store is found (SSL_CERT_FILE or not) is not the UI's concern.
    assert!(report["trust"].as_str().unwrap().starts_with("the "));
    report["trust"] = json!("the system's trust store");
    fixture("connection-report", &report);
    let mut bad = settings.clone();
    bad["proxy"] = json!("ftp://proxy.example.com:21");
    fixture(
        "connection-bad-proxy",
        &outcome(invoke(
            &rig,
            "main",
            "test_connection",
            json!({ "settings": bad }),
        )),
    );
    fixture(
        "proxy-password-status",
        &invoke(&rig, "main", "proxy_password_status", json!({})).unwrap(),
    );
    fixture(
        "proxy-password-stored",
        &ProxyPasswordStatus::new(Some("alice@proxy.example.com:3128".into()), Ok(true)),
    );
}
