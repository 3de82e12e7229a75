//! The commands through Tauri's mock runtime, with the app's real capabilities: what the
//! window may call, what it gets back, and what is refused.

use super::super::state::AppState;
use crate::cli::GlobalArgs;
use clickatell_core::clickatell::FetchFuture;
use clickatell_core::monitor::{self, MonitorDeps, SystemClock};
use clickatell_core::notifier::{Notification, Notifier, NotifyError};
use clickatell_core::{ApiToken, Balance, BalanceSource, Settings, SettingsStore, TokenStore};
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::Arc;
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindowBuilder};

struct FixedSource;

impl BalanceSource for FixedSource {
    fn fetch<'a>(&'a self, _token: &'a ApiToken) -> FetchFuture<'a> {
        Box::pin(async {
            Ok(Balance {
                amount: clickatell_core::Decimal::from_str("300.50").unwrap(),
                currency: None,
            })
        })
    }
}

struct Quiet;

impl Notifier for Quiet {
    fn notify(&self, _: &Notification) -> Result<(), NotifyError> {
        Ok(())
    }
}

struct Rig {
    _dir: tempfile::TempDir,
    store: SettingsStore,
    app: tauri::App<tauri::test::MockRuntime>,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::new(dir.path().join("settings.json"));
    let deps = MonitorDeps {
        make_source: Arc::new(|_| Ok(Arc::new(FixedSource) as Arc<dyn BalanceSource>)),
        token: Arc::new(|| Ok(Some(ApiToken::parse("unit-test").unwrap()))),
        notifier: Arc::new(Quiet),
        history: None,
        alert_state_path: None,
        clock: Arc::new(SystemClock),
    };
    let overrides = GlobalArgs::default();
    let config = AppState::monitor_config(&overrides, &Settings::default());
    let handle = tauri::async_runtime::block_on(async move { monitor::spawn(config, deps) });
    let app = mock_builder()
        .manage(AppState {
            monitor: handle,
            settings: std::sync::Mutex::new(Settings::default()),
            store: Some(store.clone()),
            overrides,
            tokens: TokenStore::new("clickatell-balance-unit-test", "unused"),
            notifier: Arc::new(Quiet),
            history: None,
        })
        .invoke_handler(crate::ipc_handler!())
        .build(tauri::generate_context!())
        .expect("mock app");
    Rig {
        _dir: dir,
        store,
        app,
    }
}

fn invoke(rig: &Rig, window: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    let webview = match tauri::Manager::get_webview_window(&rig.app, window) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(&rig.app, window, WebviewUrl::default())
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
    assert_eq!(settings["warning_level"], "100");
    settings["warning_level"] = json!("250.50");
    settings["critical_level"] = json!("20");
    let saved = save(&rig, &settings).unwrap();
    assert_eq!(saved["warning_level"], "250.50");
    let on_disk = rig.store.load().unwrap().settings;
    assert_eq!(on_disk.warning_level.unwrap().to_string(), "250.50");
    assert_eq!(
        invoke(&rig, "main", "get_settings", json!({})).unwrap()["critical_level"],
        "20"
    );
}

#[test]
fn invalid_settings_give_field_errors_and_save_nothing() {
    let rig = rig();
    let mut settings = invoke(&rig, "main", "get_settings", json!({})).unwrap();
    settings["warning_level"] = json!("50");
    settings["critical_level"] = json!("80");
    settings["poll_interval_secs"] = json!(5);
    let err = save(&rig, &settings).unwrap_err();
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["poll_interval_secs", "critical_level"]);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("nothing was saved"));
    settings["poll_interval_secs"] = json!(300);
    settings["warning_level"] = json!("lots");
    let err = save(&rig, &settings).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "warning_level");
    assert!(
        !rig.store.path().exists(),
        "an invalid form reached the disk"
    );
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
fn history_without_a_database_is_empty() {
    let rig = rig();
    assert_eq!(
        invoke(&rig, "main", "get_history", json!({ "range": "7d" })).unwrap(),
        json!([])
    );
    assert!(invoke(&rig, "main", "get_history", json!({ "range": "1y" })).is_err());
}

#[test]
fn only_the_main_window_may_call_and_only_listed_commands() {
    let rig = rig();
    let refused = invoke(&rig, "intruder", "get_snapshot", json!({}));
    assert!(
        refused.is_err(),
        "a window without a capability called a command"
    );
    let refused = invoke(&rig, "main", "plugin:autostart|enable", json!({}));
    assert!(
        refused.is_err(),
        "the autostart plugin's commands are not granted to the UI"
    );
}
