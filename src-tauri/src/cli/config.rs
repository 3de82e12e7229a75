//! What a command needs before it can fetch: settings merged with flags, the token, the source.

use super::GlobalArgs;
use clickatell_core::token_store::{TokenStore, TOKEN_ENV};
use clickatell_core::{
    ApiToken, ClickatellSource, HttpClient, Settings, SettingsStore, SourceConfig,
};
use std::time::Duration;

/// The saved settings, or the defaults with a warning on stderr when they cannot be read.
pub fn load_settings() -> Settings {
    let loaded = SettingsStore::at_default_location().and_then(|store| store.load());
    match loaded {
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

/// Flags override settings; settings override defaults.
pub fn source_config(global: &GlobalArgs, settings: &Settings) -> SourceConfig {
    let mut config = settings.source_config();
    if let Some(api) = global.api {
        config.api = api;
        if global.base_url.is_none() && settings.api != api {
            config.base_url = None;
        }
    }
    if let Some(format) = global.format {
        config.format = format;
    }
    if let Some(url) = &global.base_url {
        config.base_url = Some(url.clone());
    }
    if let Some(secs) = global.timeout {
        config.timeout = Duration::from_secs(secs);
    }
    config
}

/// The token to use, or the sentence saying why there is none.
pub fn resolve_token() -> Result<ApiToken, String> {
    let env = std::env::var(TOKEN_ENV).ok().filter(|v| !v.is_empty());
    match TokenStore::default().resolve(env.as_deref()) {
        Ok(Some((token, _origin))) => Ok(token),
        Ok(None) => Err(format!(
            "No Clickatell token is stored. Store one with `clickatell-balance token set` \
             (or set {TOKEN_ENV} for headless use)."
        )),
        Err(e) => Err(e.user_message()),
    }
}

/// Fetches the balance once with a fresh client, on a small single-threaded runtime.
pub fn fetch_once(
    config: &SourceConfig,
    token: &ApiToken,
) -> Result<clickatell_core::Balance, clickatell_core::FetchError> {
    use clickatell_core::BalanceSource;
    let source = ClickatellSource::new(HttpClient::new(config.timeout)?, config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| clickatell_core::FetchError::Network {
            host: "-".into(),
            detail: format!("could not start the async runtime: {e}"),
        })?;
    runtime.block_on(source.fetch(token))
}
