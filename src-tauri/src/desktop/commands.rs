//! The commands the window may call, served by the tray process (the window process relays
//! them over the link). Thin: each turns a request into a call on the domain and the
//! domain's typed errors into sentences. The token goes in, never out.

use super::contract::{
    AccountCard, AccountsView, Balance, CommandError, CommandRequest, ConnectionReport,
    HistoryRange, Point, ProxyPasswordStatus, Settings, SnapshotView, TokenStatus,
};
use super::monitors;

mod channels;
mod demo;
mod export;
use super::state::{AppState, Watched};
use clickatell_core::account::Account;
use clickatell_core::alert_state::AlertStateFile;
use clickatell_core::decimal_text;
use clickatell_core::field_error::FieldError;
use clickatell_core::history::RETENTION_DAYS;
use clickatell_core::limits;
use clickatell_core::network::{ProxyPassword, ProxyPasswordStore, ProxySetting};
use clickatell_core::notifier::{Notification, Urgency};
use clickatell_core::remedy::Remedy;
use clickatell_core::token_store::TokenFor;
use clickatell_core::window_text;
use clickatell_core::{ApiToken, HttpClient};
use serde_json::Value;
use tauri::{AppHandle, Manager, Runtime};

/// Runs one window command, answering in JSON. The account a command is about is its id;
/// the window's first account when not given.
pub async fn dispatch<R: Runtime>(
    app: &AppHandle<R>,
    call: CommandRequest,
) -> Result<Value, CommandError> {
    let state = app.state::<AppState>();
    let state = state.inner();
    if let Some(answer) = demo::answer(state, &call) {
        return answer;
    }
    match call {
        CommandRequest::GetSnapshot { account } => answer(get_snapshot(state, account.as_deref())),
        CommandRequest::GetAccounts {} => answer(get_accounts(state).await?),
        CommandRequest::GetSettings {} => answer(get_settings(state)),
        CommandRequest::FieldLimits {} => answer(limits::ALL),
        CommandRequest::SaveSettings { settings } => {
            answer(save_settings(app, state, settings).await?)
        }
        CommandRequest::TestToken { token, account } => {
            answer(test_token(state, account.as_deref(), &token).await?)
        }
        CommandRequest::SaveToken { token, account } => {
            answer(save_token(state, account.as_deref(), &token).await?)
        }
        CommandRequest::DeleteToken { account } => {
            answer(delete_token(state, account.as_deref()).await?)
        }
        CommandRequest::TokenStatus { account } => {
            answer(read_token_status(state, account.as_deref()).await)
        }
        CommandRequest::RefreshNow { account } => {
            answer(refresh_now(state, account.as_deref()).await)
        }
        CommandRequest::GetHistory { range, account } => {
            answer(get_history(state, account.as_deref(), range).await?)
        }
        CommandRequest::SendTestNotification {} => answer(send_test_notification(state).await?),
        CommandRequest::TestConnection {
            settings,
            proxy_password,
            account,
        } => answer(test_connection(state, account.as_deref(), settings, proxy_password).await?),
        CommandRequest::SaveProxyPassword { password } => {
            answer(save_proxy_password(state, password).await?)
        }
        CommandRequest::ProxyPasswordStatus {} => answer(read_proxy_password_status(state).await),
        CommandRequest::ChannelSecrets {} => answer(channels::secrets(state).await),
        CommandRequest::SaveChannelSecret { channel, secret } => {
            answer(channels::save_secret(state, &channel, secret).await?)
        }
        CommandRequest::SendTestAlert { channel } => {
            answer(channels::send_test_alert(state, &channel).await?)
        }
        CommandRequest::ExportHistory { path, account } => {
            answer(export::export_history(state, &path, account.as_deref()).await?)
        }
    }
}

/// A sentence from the core with the window's words for its remedy after it.
fn say(sentence: String, remedy: Option<Remedy>) -> String {
    match remedy {
        Some(remedy) => format!("{sentence} {}", window_text::remedy_words(remedy)),
        None => sentence,
    }
}

fn answer<T: serde::Serialize>(value: T) -> Result<Value, CommandError> {
    serde_json::to_value(value)
        .map_err(|e| CommandError::message(format!("The answer could not be written: {e}.")))
}

/// The watched account `id`, or the window's first one.
fn watched(state: &AppState, id: Option<&str>) -> Option<Watched> {
    match id {
        Some(id) => state.watched().into_iter().find(|w| w.account.id == id),
        None => state.primary(),
    }
}

/// The latest snapshot of account `id` (or the window's first); a disabled account has
/// none yet.
fn get_snapshot(state: &AppState, id: Option<&str>) -> SnapshotView {
    let snapshot = watched(state, id)
        .map(|w| w.monitor.subscribe().borrow().clone())
        .unwrap_or_default();
    state.snapshot_view(snapshot)
}

/// Every account, in order, for the overview's cards: its latest snapshot (none while
/// disabled) and the last 7 days for its sparkline.
async fn get_accounts(state: &AppState) -> Result<AccountsView, CommandError> {
    let now = state.clock.now();
    let failing = state.context.alerts_failing();
    let watched = state.watched();
    let mut cards: Vec<AccountCard> = state
        .settings()
        .accounts
        .into_iter()
        .map(|a| {
            let snapshot = watched.iter().find(|w| w.account.id == a.id).map(|w| {
                SnapshotView::new(w.monitor.subscribe().borrow().clone(), now, failing.clone())
            });
            AccountCard {
                id: a.id,
                name: a.name,
                enabled: a.enabled,
                snapshot,
                sparkline: Vec::new(),
            }
        })
        .collect();
    if let Some(history) = state.history.clone() {
        let ids: Vec<String> = cards.iter().map(|c| c.id.clone()).collect();
        let from = now - time::Duration::days(7);
        let lines = blocking(move || {
            ids.iter()
                .map(|id| history.series(id, from, now, SPARKLINE_POINTS))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?
        .map_err(|e| CommandError::message(format!("The history could not be read: {e}.")))?;
        for (card, line) in cards.iter_mut().zip(lines) {
            card.sparkline = line;
        }
    }
    Ok(AccountsView {
        focus: state.take_focus(),
        cards,
    })
}

/// Reads account `id` now, or every watched account when none is named (asking a locked
/// keyring again); answers with that account's (or the window's first account's) snapshot.
async fn refresh_now(state: &AppState, id: Option<&str>) -> SnapshotView {
    let first = state.refresh(id).await;
    state.snapshot_view(first.unwrap_or_default())
}

/// The account a token command acts on (`id`, else the window's first), as saved now.
fn token_account(state: &AppState, id: Option<&str>) -> Result<Account, CommandError> {
    let saved = state.settings();
    let id = match id {
        Some(id) => Some(id.to_owned()),
        None => state.primary().map(|w| w.account.id),
    };
    let account = match id {
        Some(id) => saved
            .accounts
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| CommandError::message("There is no such account; reopen Settings."))?,
        None => saved.first().clone(),
    };
    Ok(account)
}

/// Tells the account's monitor its token changed, if it is watched.
async fn token_changed(state: &AppState, account: &Account) {
    if let Some(w) = watched(state, Some(&account.id)) {
        w.monitor.token_changed().await;
    }
}

/// The saved settings.
fn get_settings(state: &AppState) -> Settings {
    state.settings()
}

/// How many points an overview card's sparkline has.
const SPARKLINE_POINTS: usize = 60;

/// Validates, saves and applies settings at once; nothing is saved while a field is invalid.
async fn save_settings<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    settings: Value,
) -> Result<Settings, CommandError> {
    let settings = parse_settings(settings)?;
    let mut errors = settings.validate();
    errors.extend(settings.check_files());
    if !errors.is_empty() {
        return Err(CommandError::fields(errors));
    }
    if let Some(store) = state.context.store.clone() {
        let saving = settings.clone();
        blocking(move || store.save(&saving))
            .await?
            .map_err(|e| CommandError::message(format!("The settings could not be saved: {e}.")))?;
    }
    let previous = state.context.saved();
    // Whose tokens the removed accounts had, as the settings they were in say.
    let removed: Vec<TokenFor> = previous
        .accounts
        .iter()
        .filter(|a| settings.accounts.iter().all(|b| b.id != a.id))
        .map(|a| state.context.token_for(a))
        .collect();
    state.context.set_saved(settings.clone());
    monitors::apply_settings(app).await;
    forget_removed(state, removed).await?;
    // The demo's settings are its own; the desktop's autostart is the real app's.
    if previous.start_at_login != settings.start_at_login && !state.context.is_demo() {
        let (app, enabled) = (app.clone(), settings.start_at_login);
        blocking(move || set_autostart(&app, enabled)).await??;
    }
    Ok(settings)
}

/// Deletes what belonged to the accounts no longer set up (`removed`, by their tokens): the
/// token in the keyring, the readings in the history and the alert state. The settings were
/// saved first, so an error here leaves no account behind, only its leftovers (and says so).
async fn forget_removed(state: &AppState, removed: Vec<TokenFor>) -> Result<(), CommandError> {
    // The demo's accounts have no token: their ids are the user's own accounts' keys.
    let has_token = state.context.allow_secrets().is_ok();
    for token in removed {
        let name = token.account.name.clone();
        let profile = state.context.profile;
        let history = state.history.clone();
        let failed = blocking(move || {
            let mut failed = Vec::new();
            let id = &token.account.id;
            if has_token {
                if let Err(e) = token.delete() {
                    failed.push(e.user_message());
                }
            }
            if let Some(history) = history {
                if let Err(e) = history.remove_account(id) {
                    failed.push(e.to_string());
                }
            }
            if let Some(file) = AlertStateFile::for_account(profile, id, false) {
                file.remove();
            }
            failed
        })
        .await?;
        if !failed.is_empty() {
            return Err(CommandError::message(format!(
                "{name} was removed, but not all it left behind could be deleted: {}",
                failed.join(" ")
            )));
        }
    }
    Ok(())
}

fn set_autostart<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<(), CommandError> {
    let Some(autostart) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return Ok(());
    };
    let result = if enabled {
        autostart.enable()
    } else {
        autostart.disable()
    };
    result.map_err(|e| {
        CommandError::message(format!(
            "The settings were saved, but start at login could not be changed: {e}."
        ))
    })
}

/// Reads the form's JSON into settings, with a field error for each account's level that is
/// not a number.
fn parse_settings(mut value: Value) -> Result<Settings, CommandError> {
    let mut errors = Vec::new();
    let accounts = value
        .get_mut("accounts")
        .and_then(Value::as_array_mut)
        .map(|a| a.iter_mut())
        .into_iter()
        .flatten();
    for account in accounts {
        let id = account
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        for field in ["warning_level", "critical_level"] {
            let Some(level) = account.get_mut(field) else {
                continue;
            };
            match decimal_text::from_json(level) {
                Ok(None) => *level = Value::Null,
                Ok(Some(_)) => {}
                Err(_) => errors.push(FieldError::of_account(
                    &id,
                    field,
                    "must be a number, like 100 or 25.50".into(),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(CommandError::fields(errors));
    }
    let mut settings: Settings = serde_json::from_value(value)
        .map_err(|e| CommandError::message(format!("The settings could not be read: {e}.")))?;
    // An account the form added has no id yet: it gets one from its name, once.
    for i in 0..settings.accounts.len() {
        if settings.accounts[i].id.is_empty() {
            let name = settings.accounts[i].name.clone();
            settings.accounts[i].id = Account::named(&name, &settings.accounts).id;
        }
    }
    Ok(settings)
}

/// Fetches the balance with a candidate token, storing nothing, so the user knows it works
/// before saving it.
async fn test_token(
    state: &AppState,
    id: Option<&str>,
    token: &str,
) -> Result<Balance, CommandError> {
    let token = parse_token(token)?;
    let account = token_account(state, id)?;
    let settings = state.effective_settings();
    let account = settings
        .accounts
        .iter()
        .find(|a| a.id == account.id)
        .unwrap_or(&account);
    let config = settings.source_config(account);
    let source = (state.context.source_factory(account))(&config)
        .map_err(|e| CommandError::message(say(e.user_message(), e.remedy())))?;
    source
        .fetch(&token)
        .await
        .map_err(|e| CommandError::message(say(e.user_message(), e.remedy())))
}

fn parse_token(raw: &str) -> Result<ApiToken, CommandError> {
    ApiToken::parse(raw).map_err(|e| CommandError {
        message: format!("That token cannot be used: {e}."),
        fields: vec![FieldError::new("token", e.to_string())],
    })
}

/// Stores the token in the OS keyring and resumes monitoring with it.
async fn save_token(
    state: &AppState,
    id: Option<&str>,
    token: &str,
) -> Result<TokenStatus, CommandError> {
    let token = parse_token(token)?;
    let account = token_account(state, id)?;
    let whose = state.context.token_for(&account);
    blocking(move || whose.set(&token)).await?.map_err(|e| {
        CommandError::message(format!(
            "{} Nothing was stored.",
            say(e.user_message(), e.remedy())
        ))
    })?;
    token_changed(state, &account).await;
    Ok(read_token_status(state, Some(&account.id)).await)
}

/// Removes the token from the OS keyring.
async fn delete_token(state: &AppState, id: Option<&str>) -> Result<TokenStatus, CommandError> {
    let account = token_account(state, id)?;
    let whose = state.context.token_for(&account);
    blocking(move || whose.delete())
        .await?
        .map_err(|e| CommandError::message(say(e.user_message(), e.remedy())))?;
    token_changed(state, &account).await;
    Ok(read_token_status(state, Some(&account.id)).await)
}

/// Whether a token is stored, and in which keyring.
async fn read_token_status(state: &AppState, id: Option<&str>) -> TokenStatus {
    let account = match token_account(state, id) {
        Ok(found) => found,
        Err(e) => return TokenStatus::new(Err(e.message), None),
    };
    let whose = state.context.token_for(&account);
    let sources = state.context.token_sources.clone();
    let looked_up = blocking(move || {
        let instead = whose.outside_keyring(&sources).map(|o| o.to_string());
        (whose.store().get(), instead)
    })
    .await;
    match looked_up {
        Ok((Ok(token), instead)) => TokenStatus::new(Ok(token.is_some()), instead),
        Ok((Err(e), instead)) => TokenStatus::new(Err(say(e.user_message(), e.remedy())), instead),
        Err(e) => TokenStatus::new(Err(e.message), None),
    }
}

/// The balance history for the chart, at most 400 points.
async fn get_history(
    state: &AppState,
    id: Option<&str>,
    range: HistoryRange,
) -> Result<Vec<Point>, CommandError> {
    let Some(history) = state.history.clone() else {
        return Ok(Vec::new());
    };
    let now = state.clock.now();
    let from = now
        - match range {
            HistoryRange::Day => time::Duration::days(1),
            HistoryRange::Week => time::Duration::days(7),
            HistoryRange::Month => time::Duration::days(30),
            HistoryRange::All => time::Duration::days(RETENTION_DAYS),
        };
    let account = token_account(state, id)?;
    blocking(move || history.series(&account.id, from, now, 400))
        .await?
        .map_err(|e| CommandError::message(format!("The history could not be read: {e}.")))
}

/// Reads the account's balance once with the form's network settings (not saved yet), and
/// the password typed for the proxy if any, on a client of its own (so its certificate is
/// seen afresh); says the way the request took and whose certificate it met.
async fn test_connection(
    state: &AppState,
    id: Option<&str>,
    form: Value,
    proxy_password: Option<String>,
) -> Result<ConnectionReport, CommandError> {
    if state.context.is_demo() {
        return Err(CommandError::message(
            "The demo accounts are simulated: they use no network to test.",
        ));
    }
    let form = parse_settings(form)?;
    let mut errors = form.validate();
    errors.extend(form.check_files());
    if !errors.is_empty() {
        return Err(CommandError::fields(errors));
    }
    let settings = state.context.effective(&form);
    let account = token_account(state, id)?;
    let account = settings
        .accounts
        .iter()
        .find(|a| a.id == account.id)
        .cloned()
        .unwrap_or(account);
    let mut config = settings.source_config(&account);
    if let (ProxySetting::Url(proxy), Some(password)) = (&config.network.proxy, proxy_password) {
        if !password.is_empty() {
            config.network.proxy = ProxySetting::Url(proxy.carrying(&ProxyPassword::new(password)));
        }
    }
    let lookup = state.context.token_lookup(&account);
    let token = blocking(move || lookup()).await?.ok().flatten();
    let client = HttpClient::new(&config.network)
        .map_err(|e| CommandError::message(say(e.user_message(), e.remedy())))?;
    clickatell_core::connection_test::test_connection(client, &config, token.as_ref())
        .await
        .map(|test| test.report)
        .map_err(|e| CommandError::message(say(e.user_message(), e.remedy())))
}

/// The keyring entry of the saved proxy's user, or why there is none.
fn proxy_password_store(state: &AppState) -> Result<ProxyPasswordStore, CommandError> {
    ProxyPasswordStore::for_setting(&state.settings().proxy).ok_or_else(|| CommandError {
        message: "Save a proxy address with a user name (http://USER@HOST:PORT) first; the \
                  password is kept for that user."
            .into(),
        fields: vec![FieldError::new(
            "proxy",
            "needs a user name (http://USER@HOST:PORT) for a password".into(),
        )],
    })
}

/// Stores (an empty password: removes) the saved proxy's password in the keyring; the
/// accounts try again with it at once.
async fn save_proxy_password(
    state: &AppState,
    password: String,
) -> Result<ProxyPasswordStatus, CommandError> {
    let store = proxy_password_store(state)?;
    blocking(move || {
        if password.is_empty() {
            store.delete().map(|_| ())
        } else {
            store.set(&ProxyPassword::new(password))
        }
    })
    .await?
    .map_err(|e| CommandError::message(format!("{} Nothing was stored.", e.user_message())))?;
    state.context.forget_proxy_routes();
    for w in state.watched() {
        w.monitor.token_changed().await;
    }
    Ok(read_proxy_password_status(state).await)
}

/// Whether a password is stored for the saved proxy's user.
async fn read_proxy_password_status(state: &AppState) -> ProxyPasswordStatus {
    let Ok(store) = proxy_password_store(state) else {
        return ProxyPasswordStatus::new(None, Ok(false));
    };
    let user = Some(store.user().to_owned());
    match blocking(move || store.get()).await {
        Ok(Ok(found)) => ProxyPasswordStatus::new(user, Ok(found.is_some())),
        Ok(Err(e)) => ProxyPasswordStatus::new(user, Err(e.user_message())),
        Err(e) => ProxyPasswordStatus::new(user, Err(e.message)),
    }
}

/// Shows a notification so the user can see that alerts will reach them.
async fn send_test_notification(state: &AppState) -> Result<(), CommandError> {
    let notifier = state.notifier.clone();
    let note = Notification {
        summary: "Clickatell Balance".into(),
        body: "Notifications work: you will be told here when the balance runs low.".into(),
        urgency: Urgency::Normal,
        actions: Vec::new(),
    };
    blocking(move || notifier.notify(&note))
        .await?
        .map_err(|e| {
            CommandError::message(format!(
                "{e}. Check that a notification service is running in your desktop session."
            ))
        })
}

/// Runs blocking work (keyring, SQLite, D-Bus notifications) off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::message(format!("A background task failed: {e}.")))
}

#[cfg(test)]
mod tests;
