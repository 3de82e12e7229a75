//! One run's context: flags, environment and files resolved once, at start, into what every
//! command and the tray app borrow (the settings, where the token comes from, how the balance
//! is read, how the user is told, whether this is the demo). Nothing else decides these.

use crate::demo::{demo_settings, demo_token, DemoSource, DEMO_INTERVAL};
use crate::history::History;
use crate::monitor::{self, Clock, MonitorConfig, MonitorDeps, SourceFactory, TokenLookup};
use crate::notifier::{Action, ActionHandler, DesktopNotifier, Labelled, Notifier};
use crate::paths::Profile;
use crate::token_store::{TokenSources, TOKEN_ENV, TOKEN_FILE_ENV};
use crate::{
    balance_source, Api, ApiToken, Balance, BalanceSource, FetchError, Format, HttpClient,
    Settings, SettingsStore, SourceConfig, TokenStore,
};
use std::path::PathBuf;
use std::sync::Arc;

/// The name the demo account goes by wherever the app speaks of it.
const DEMO_LABEL: &str = "Demo";

/// What the command line asked of this run, before anything is read: the parts of the
/// settings it overrides for this run only, and where the token may come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// The built-in simulated account, with its own settings and history.
    pub demo: bool,
    pub api: Option<Api>,
    pub format: Option<Format>,
    pub base_url: Option<String>,
    pub timeout_secs: Option<u64>,
    /// A file holding the token, for services without a keyring.
    pub token_file: Option<PathBuf>,
    /// Started at login, when the desktop's panel may still be starting.
    pub at_login: bool,
}

impl RunOptions {
    /// Whose settings and history the run uses.
    fn profile(&self) -> Profile {
        if self.demo {
            Profile::Demo
        } else {
            Profile::Real
        }
    }
}

/// Everything a run needs, resolved once.
pub struct Context {
    options: RunOptions,
    /// Whose settings and history this run uses.
    pub profile: Profile,
    /// Where settings are saved, if there is a place for them.
    pub store: Option<SettingsStore>,
    /// The settings as saved (or the defaults, or the demo's): what a settings form edits.
    pub saved: Settings,
    /// Where the token may come from, in order.
    pub token_sources: TokenSources,
    /// What the user should be told once about how the context was made (a settings file set
    /// aside, settings that could not be read); the edge decides where to say it.
    pub notices: Vec<String>,
}

impl Context {
    /// Reads the settings and the environment for `options`. A settings file that cannot be
    /// read leaves the defaults in use and a notice; a corrupt one has been set aside.
    pub fn resolve(options: RunOptions) -> Self {
        let profile = options.profile();
        let mut notices = Vec::new();
        let store = SettingsStore::at_default_location(profile);
        let saved = match &store {
            Ok(store) if options.demo && !store.path().exists() => demo_settings(),
            Ok(store) => match store.load() {
                Ok(loaded) => {
                    notices.extend(loaded.set_aside.map(|aside| aside.user_message()));
                    loaded.settings
                }
                Err(e) => {
                    notices.push(format!("{e}; default settings are in use."));
                    Settings::default()
                }
            },
            Err(e) => {
                notices.push(format!("{e}; default settings are in use."));
                Settings::default()
            }
        };
        Self::with(options, store.ok(), saved, notices)
    }

    /// A context from parts already at hand (tests, and settings given by the caller).
    pub fn with(
        options: RunOptions,
        store: Option<SettingsStore>,
        saved: Settings,
        notices: Vec<String>,
    ) -> Self {
        let profile = options.profile();
        let token_sources = TokenSources::from_environment(options.token_file.clone());
        Self {
            options,
            profile,
            store,
            saved,
            token_sources,
            notices,
        }
    }

    /// Whether this is the demo account.
    pub fn is_demo(&self) -> bool {
        self.options.demo
    }

    /// The account's name where the app must say which one it shows: "Demo" for the demo,
    /// none for the user's own single account.
    pub fn account_label(&self) -> Option<&'static str> {
        self.options.demo.then_some(DEMO_LABEL)
    }

    /// Whether the run was started at login.
    pub fn at_login(&self) -> bool {
        self.options.at_login
    }

    /// `saved` with this run's overrides on top: flags override settings, settings override
    /// defaults. A different API without a base URL drops the saved base URL, which belonged
    /// to the other API.
    pub fn effective(&self, saved: &Settings) -> Settings {
        let o = &self.options;
        let mut settings = saved.clone();
        if let Some(api) = o.api {
            if o.base_url.is_none() && settings.api != api {
                settings.base_url = None;
            }
            settings.api = api;
        }
        if let Some(format) = o.format {
            settings.format = format;
        }
        if let Some(url) = &o.base_url {
            settings.base_url = Some(url.clone());
        }
        if let Some(secs) = o.timeout_secs {
            settings.timeout_secs = secs;
        }
        settings
    }

    /// The settings in force at start.
    pub fn settings(&self) -> Settings {
        self.effective(&self.saved)
    }

    /// The monitor's configuration for `saved` settings; the demo polls faster.
    pub fn monitor_config(&self, saved: &Settings) -> MonitorConfig {
        MonitorConfig {
            settings: self.effective(saved),
            interval_override: self.options.demo.then_some(DEMO_INTERVAL),
        }
    }

    /// Desktop notifications, named after the account when it needs naming; with `actions`,
    /// they offer those buttons and the handler carries them out.
    pub fn notifier(&self, actions: Option<(ActionHandler, &[Action])>) -> Arc<dyn Notifier> {
        let desktop = match actions {
            Some((handler, supported)) => DesktopNotifier::with_actions(handler, supported),
            None => DesktopNotifier::default(),
        };
        match self.account_label() {
            Some(label) => Arc::new(Labelled {
                label,
                inner: desktop,
            }),
            None => Arc::new(desktop),
        }
    }

    /// How the monitor finds its token: the demo's stand-in, or the first source that has one
    /// (`--token-file`, `CLICKATELL_TOKEN_FILE`, `CLICKATELL_TOKEN`, the systemd credential,
    /// the keyring).
    pub fn token_lookup(&self) -> TokenLookup {
        if self.options.demo {
            return Arc::new(|| Ok(Some(demo_token())));
        }
        let sources = self.token_sources.clone();
        Arc::new(move || {
            TokenStore::default()
                .resolve(&sources)
                .map(|found| found.map(|(token, _origin)| token))
                .map_err(|e| e.user_message())
        })
    }

    /// The token to use, or the sentence saying why there is none.
    pub fn token(&self) -> Result<ApiToken, String> {
        (self.token_lookup())()?.ok_or_else(|| {
            format!(
                "No Clickatell token is stored. Store one with `clickatell-balance token set` \
                 (or, for headless use, give --token-file, {TOKEN_FILE_ENV} or {TOKEN_ENV})."
            )
        })
    }

    /// How balance sources are built: the demo account, or Clickatell per the settings.
    pub fn source_factory(&self) -> SourceFactory {
        if self.options.demo {
            let demo = Arc::new(DemoSource::new());
            Arc::new(move |_| Ok(demo.clone() as Arc<dyn BalanceSource>))
        } else {
            Arc::new(|config: &SourceConfig| {
                balance_source(HttpClient::new(config.timeout)?, config)
            })
        }
    }

    /// Reads the balance once with `token`, per `config`, on a small single-threaded runtime.
    pub fn fetch_once(
        &self,
        config: &SourceConfig,
        token: &ApiToken,
    ) -> Result<Balance, FetchError> {
        let source = (self.source_factory())(config)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| FetchError::Network {
                host: "-".into(),
                detail: format!("could not start the async runtime: {e}"),
            })?;
        runtime.block_on(source.fetch(token))
    }

    /// This profile's history of readings.
    pub fn open_history(&self) -> Result<History, crate::history::HistoryError> {
        History::open_default(self.profile)
    }

    /// Everything the monitor talks to, for this run.
    pub fn monitor_deps(
        &self,
        notifier: Arc<dyn Notifier>,
        history: Option<Arc<History>>,
        clock: Arc<dyn Clock>,
    ) -> MonitorDeps {
        MonitorDeps {
            make_source: self.source_factory(),
            token: self.token_lookup(),
            notifier,
            history,
            alert_state_path: monitor::default_alert_state_path(self.profile),
            clock,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(options: RunOptions) -> Context {
        Context::with(options, None, Settings::default(), Vec::new())
    }

    #[test]
    fn flags_override_the_saved_settings_for_the_run_only() {
        let saved = Settings {
            base_url: Some("https://rest.example".into()),
            ..Settings::default()
        };
        let other_api = context(RunOptions {
            api: Some(Api::OneApi),
            timeout_secs: Some(7),
            ..RunOptions::default()
        });
        let run = other_api.effective(&saved);
        assert_eq!(
            (run.api, run.base_url, run.timeout_secs),
            (Api::OneApi, None, 7)
        );
        let same_api = context(RunOptions {
            api: Some(Api::Rest),
            ..RunOptions::default()
        });
        assert_eq!(same_api.effective(&saved).base_url, saved.base_url);
        assert_eq!(saved.api, Api::Rest, "the saved settings are untouched");
    }

    #[test]
    fn only_the_demo_is_named_and_polls_faster() {
        let demo = context(RunOptions {
            demo: true,
            ..RunOptions::default()
        });
        assert_eq!(demo.account_label(), Some("Demo"));
        assert_eq!(demo.profile, Profile::Demo);
        assert_eq!(
            demo.monitor_config(&demo.saved).interval_override,
            Some(DEMO_INTERVAL)
        );
        let real = context(RunOptions::default());
        assert_eq!(real.account_label(), None);
        assert_eq!(real.monitor_config(&real.saved).interval_override, None);
    }
}
