//! What a command needs before it can fetch: settings merged with flags, the token, the source.

use super::GlobalArgs;
use clickatell_core::demo::{demo_settings, demo_token, DemoSource};
use clickatell_core::monitor::{SourceFactory, TokenLookup};
use clickatell_core::notifier::{Action, ActionHandler, DesktopNotifier, Labelled, Notifier};
use clickatell_core::token_store::{TokenSources, TokenStore, TOKEN_ENV, TOKEN_FILE_ENV};
use clickatell_core::{
    balance_source, ApiToken, BalanceSource, HttpClient, Settings, SettingsStore, SourceConfig,
};
use std::sync::Arc;

/// The saved settings, or the defaults with a warning on stderr when they cannot be read. A demo
/// without saved settings of its own starts with both alert levels set.
pub fn load_settings(global: &GlobalArgs) -> Settings {
    let store = SettingsStore::at_default_location(global.profile());
    if global.demo && store.as_ref().is_ok_and(|s| !s.path().exists()) {
        return demo_settings();
    }
    match store.and_then(|store| store.load()) {
        Ok(loaded) => {
            if let Some(aside) = &loaded.set_aside {
                eprintln!("clickatell-balance: warning: {}", aside.user_message());
            }
            loaded.settings
        }
        Err(e) => {
            eprintln!("clickatell-balance: warning: {e}; default settings are in use.");
            Settings::default()
        }
    }
}

/// Flags override settings; settings override defaults. A different `--api` without
/// `--base-url` drops the saved base URL, which belonged to the other API.
pub fn apply_overrides(global: &GlobalArgs, settings: &mut Settings) {
    if let Some(api) = global.api {
        if global.base_url.is_none() && settings.api != api {
            settings.base_url = None;
        }
        settings.api = api;
    }
    if let Some(format) = global.format {
        settings.format = format;
    }
    if let Some(url) = &global.base_url {
        settings.base_url = Some(url.clone());
    }
    if let Some(secs) = global.timeout {
        settings.timeout_secs = secs;
    }
}

/// How to reach Clickatell for this run.
pub fn source_config(global: &GlobalArgs, settings: &Settings) -> SourceConfig {
    let mut merged = settings.clone();
    apply_overrides(global, &mut merged);
    merged.source_config()
}

/// The desktop's notifications, labelled "Demo" for the demo account; with `actions`, they
/// offer those actions and the handler carries them out.
pub fn notifier(
    global: &GlobalArgs,
    actions: Option<(ActionHandler, &[Action])>,
) -> Arc<dyn Notifier> {
    let desktop = match actions {
        Some((handler, supported)) => DesktopNotifier::with_actions(handler, supported),
        None => DesktopNotifier::default(),
    };
    if global.demo {
        Arc::new(Labelled {
            label: "Demo",
            inner: desktop,
        })
    } else {
        Arc::new(desktop)
    }
}

/// How the monitor finds its token: the demo's stand-in, or [`lookup_token`].
pub fn token_lookup(global: &GlobalArgs) -> TokenLookup {
    if global.demo {
        Arc::new(|| Ok(Some(demo_token())))
    } else {
        let sources = TokenSources::from_environment(global.token_file.clone());
        Arc::new(move || lookup_token(&sources))
    }
}

/// The token from the first source that has one (`--token-file`, `CLICKATELL_TOKEN_FILE`,
/// `CLICKATELL_TOKEN`, the systemd credential, the keyring); `None` when none has one.
pub fn lookup_token(sources: &TokenSources) -> Result<Option<ApiToken>, String> {
    TokenStore::default()
        .resolve(sources)
        .map(|found| found.map(|(token, _origin)| token))
        .map_err(|e| e.user_message())
}

/// The token to use, or the sentence saying why there is none.
pub fn resolve_token(global: &GlobalArgs) -> Result<ApiToken, String> {
    (token_lookup(global))()?.ok_or_else(|| {
        format!(
            "No Clickatell token is stored. Store one with `clickatell-balance token set` \
             (or, for headless use, give --token-file, {TOKEN_FILE_ENV} or {TOKEN_ENV})."
        )
    })
}

/// A balance source for the given settings, on its own client.
pub fn make_source(
    config: &SourceConfig,
) -> Result<Arc<dyn BalanceSource>, clickatell_core::FetchError> {
    balance_source(HttpClient::new(config.timeout)?, config)
}

/// How the monitor builds its source: the demo account, or Clickatell per the settings.
pub fn source_factory(global: &GlobalArgs) -> SourceFactory {
    if global.demo {
        let demo = Arc::new(DemoSource::new());
        Arc::new(move |_| Ok(demo.clone() as Arc<dyn BalanceSource>))
    } else {
        Arc::new(make_source)
    }
}

/// Fetches the balance once with a fresh client, on a small single-threaded runtime.
pub fn fetch_once(
    global: &GlobalArgs,
    config: &SourceConfig,
    token: &ApiToken,
) -> Result<clickatell_core::Balance, clickatell_core::FetchError> {
    let source = (source_factory(global))(config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| clickatell_core::FetchError::Network {
            host: "-".into(),
            detail: format!("could not start the async runtime: {e}"),
        })?;
    runtime.block_on(source.fetch(token))
}
