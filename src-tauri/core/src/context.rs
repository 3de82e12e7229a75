//! One run's context: flags, environment and files resolved once, at start, into what every
//! command and the tray app borrow (the settings, where the token comes from, how the balance
//! is read, how the user is told, whether this is the demo). Nothing else decides these.

use crate::account::Account;
use crate::alert_channel::{
    send_test, AlertOutbox, ChannelSettings, DeliveryError, RetryPolicy, SecretLookup,
    SecretSources,
};
use crate::alert_state::AlertStateFile;
use crate::connection_test::{test_connection, ConnectionTest};
use crate::demo::{demo_settings, demo_token, DemoKeepsNoSecrets, DemoSource, DEMO_INTERVAL};
use crate::history::History;
use crate::keyring_gate::KeyringGate;
use crate::monitor::{Clock, MonitorConfig, MonitorDeps, SourceFactory, TokenLookup};
use crate::network::NetworkConfig;
use crate::notifier::{Action, ActionHandler, DesktopNotifier, Labelled, Notifier};
use crate::paths::Profile;
use crate::token_store::{TokenFor, TokenSources, TokenStoreError};
use crate::{
    balance_source, Api, ApiToken, Balance, BalanceSource, FetchError, Format, HttpClient,
    Settings, SettingsStore, SourceConfig,
};
use parking_lot::{Mutex, RwLock};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// What the command line asked of this run, before anything is read: the parts of the
/// settings it overrides for this run only, and where the token may come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// The built-in simulated account, with its own settings and history.
    pub demo: bool,
    /// The one account this run is about (`--account NAME|ID`).
    pub account: Option<String>,
    pub api: Option<Api>,
    pub format: Option<Format>,
    pub base_url: Option<String>,
    pub timeout_secs: Option<u64>,
    /// The proxy for this run (`--proxy`): `system`, `none` or an address, which may carry
    /// its password here (it is never saved).
    pub proxy: Option<String>,
    /// A CA file trusted for this run (`--ca-file`).
    pub ca_file: Option<PathBuf>,
    /// A file holding the token, for services without a keyring.
    pub token_file: Option<PathBuf>,
    /// Started at login, when the desktop's panel may still be starting.
    pub at_login: bool,
    /// Alert levels for this run (`watch --warning`, `--critical`), for every account.
    pub warning_level: Option<Decimal>,
    pub critical_level: Option<Decimal>,
    /// How often to poll this run (`watch --interval`), which may go below the settings'
    /// minimum, for trying things out.
    pub interval: Option<Duration>,
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

/// Why a run that needs one account cannot tell which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// `--account` names none of them.
    Unknown(String),
    /// Several accounts are watched and none was named.
    Ambiguous,
}

/// Why an account has no token to read its balance with.
#[derive(Debug)]
pub enum NoToken {
    /// Where it would be could not be read (a locked or missing keyring, a bad file).
    Unreadable(TokenStoreError),
    /// None is stored anywhere this run looks.
    NotStored,
}

/// Everything a run needs, resolved once.
pub struct Context {
    options: RunOptions,
    /// Whose settings and history this run uses.
    pub profile: Profile,
    /// Where settings are saved, if there is a place for them.
    pub store: Option<SettingsStore>,
    /// The settings as saved (or the defaults, or the demo's): what a settings form edits,
    /// kept current as the window saves them.
    saved: RwLock<Settings>,
    /// Where the token may come from, in order.
    pub token_sources: TokenSources,
    /// What the user should be told once about how the context was made (a settings file set
    /// aside, settings that could not be read); the edge decides where to say it.
    pub notices: Vec<String>,
    /// The one HTTP client every account's requests share (made on first use).
    http: Arc<Mutex<Option<HttpClient>>>,
    /// Closed while the keyring is locked, for every account at once.
    pub keyring: Arc<KeyringGate>,
    /// Where the alert channels' secrets may come from besides the keyring.
    pub secret_sources: SecretSources,
    /// The alert channels' outbox, started with the first monitor.
    outbox: Mutex<Option<AlertOutbox>>,
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
            saved: RwLock::new(saved),
            token_sources,
            notices,
            http: Arc::default(),
            keyring: KeyringGate::new(),
            secret_sources: SecretSources::from_environment(),
            outbox: Mutex::new(None),
        }
    }

    /// Whether this is the demo account.
    pub fn is_demo(&self) -> bool {
        self.options.demo
    }

    /// Refuses, in the demo, what would read or change a stored secret (a token, the proxy's
    /// password, a channel's secret) or alert a channel.
    pub fn allow_secrets(&self) -> Result<(), DemoKeepsNoSecrets> {
        if self.options.demo {
            Err(DemoKeepsNoSecrets)
        } else {
            Ok(())
        }
    }

    /// The settings as saved now.
    pub fn saved(&self) -> Settings {
        self.saved.read().clone()
    }

    /// Takes `saved` as the settings saved now (the window saved them).
    pub fn set_saved(&self, saved: Settings) {
        let settings = self.effective(&saved);
        *self.saved.write() = saved;
        if let Some(outbox) = self.outbox.lock().as_ref() {
            outbox.configure(
                self.alert_channels(&settings),
                self.channel_client(&settings),
            );
        }
    }

    /// The channels `settings` alert: none in the demo, whose simulated balances alert the
    /// desktop alone.
    fn alert_channels(&self, settings: &Settings) -> Vec<ChannelSettings> {
        match self.allow_secrets() {
            Ok(()) => settings.alert_channels.clone(),
            Err(DemoKeepsNoSecrets) => Vec::new(),
        }
    }

    /// The client the alert channels are reached with: the accounts' own, for `settings`'
    /// network (or why it could not start, said when an alert is due).
    fn channel_client(&self, settings: &Settings) -> Result<HttpClient, String> {
        self.shared_client(&settings.network())
            .map_err(|e| e.to_string())
    }

    /// The alert channels failing now, in sentences (none before the outbox started).
    pub fn alerts_failing(&self) -> Vec<String> {
        self.outbox
            .lock()
            .as_ref()
            .and_then(AlertOutbox::problems)
            .map(|problems| problems.borrow().iter().map(|p| p.sentence()).collect())
            .unwrap_or_default()
    }

    /// Sends `channel` one test alert about the first account, as this run's settings reach
    /// it: "Send test alert" and `alert test`.
    pub async fn send_test_alert(&self, channel: &ChannelSettings) -> Result<(), DeliveryError> {
        let settings = self.settings();
        let http = self
            .shared_client(&settings.network())
            .map_err(|e| DeliveryError::Client(e.user_message()))?;
        let secrets = self.secret_lookup();
        send_test(
            channel,
            settings.first(),
            &http,
            &settings.top_up_url,
            &secrets,
        )
        .await
    }

    /// Finds an alert channel's secret: its file or credential, else the keyring.
    pub fn secret_lookup(&self) -> SecretLookup {
        let sources = self.secret_sources.clone();
        Arc::new(move |channel: &str| sources.lookup(channel))
    }

    /// The outbox every monitor hands its alerts to for the channels; started on the current
    /// tokio runtime the first time it is asked for.
    pub fn alert_outbox(&self) -> AlertOutbox {
        self.outbox
            .lock()
            .get_or_insert_with(|| {
                let settings = self.settings();
                AlertOutbox::start(
                    self.alert_channels(&settings),
                    self.channel_client(&settings),
                    self.secret_lookup(),
                    RetryPolicy::default(),
                )
            })
            .clone()
    }

    /// `account`'s name where the app must say which account it speaks of: always in the
    /// demo, and whenever several accounts are set up; none for a single account of the
    /// user's own.
    pub fn account_label(&self, account: &Account) -> Option<String> {
        (self.options.demo || self.saved.read().accounts.len() > 1).then(|| account.name.clone())
    }

    /// Whether the run was started at login.
    pub fn at_login(&self) -> bool {
        self.options.at_login
    }

    /// `saved` with this run's overrides on top: flags override settings, settings override
    /// defaults, for every account. A different API without a base URL drops the saved base
    /// URL, which belonged to the other API. The one place the run's overrides are applied.
    pub fn effective(&self, saved: &Settings) -> Settings {
        let o = &self.options;
        let mut settings = saved.clone();
        for account in &mut settings.accounts {
            if o.warning_level.is_some() {
                account.warning_level = o.warning_level;
            }
            if o.critical_level.is_some() {
                account.critical_level = o.critical_level;
            }
            if let Some(api) = o.api {
                if o.base_url.is_none() && account.api != api {
                    account.base_url = None;
                }
                account.api = api;
            }
            if let Some(format) = o.format {
                account.format = format;
            }
            if let Some(url) = &o.base_url {
                account.base_url = Some(url.clone());
            }
        }
        if let Some(secs) = o.timeout_secs {
            settings.timeout_secs = secs;
        }
        if let Some(proxy) = &o.proxy {
            settings.proxy = proxy.clone();
        }
        if let Some(path) = &o.ca_file {
            settings.ca_file = Some(path.clone());
        }
        settings
    }

    /// The settings in force now: the saved ones with the run's overrides.
    pub fn settings(&self) -> Settings {
        self.effective(&self.saved.read())
    }

    /// The accounts this run watches: the one `--account` names (even if disabled), else
    /// every enabled one, as in force at start.
    pub fn accounts(&self) -> Result<Vec<Account>, Choice> {
        let settings = self.settings();
        match &self.options.account {
            Some(key) => settings
                .find(key)
                .map(|a| vec![a.clone()])
                .ok_or_else(|| Choice::Unknown(key.clone())),
            None => Ok(settings.enabled().cloned().collect()),
        }
    }

    /// The one account `--account` names, else every account set up, enabled or not (an
    /// export of the history).
    pub fn named_or_every_account(&self) -> Result<Vec<Account>, Choice> {
        match &self.options.account {
            Some(_) => self.accounts(),
            None => Ok(self.settings().accounts),
        }
    }

    /// The one account a single-account command acts on: the one `--account` names, else
    /// the only enabled one.
    pub fn account(&self) -> Result<Account, Choice> {
        let mut accounts = self.accounts()?;
        match accounts.len() {
            1 => Ok(accounts.remove(0)),
            0 => Ok(self.settings().first().clone()),
            _ => Err(Choice::Ambiguous),
        }
    }

    /// `account`'s monitor configuration from the settings in force; the demo polls faster,
    /// and a run may set its own interval. `position` is its place among the accounts
    /// watched, which staggers its first poll.
    pub fn monitor_config(&self, account: &Account, position: usize) -> MonitorConfig {
        let settings = self.settings();
        let account = settings
            .accounts
            .iter()
            .find(|a| a.id == account.id)
            .cloned()
            .unwrap_or_else(|| account.clone());
        let count = settings.accounts.len().max(1) as u32;
        let interval_override = self
            .options
            .interval
            .or(self.options.demo.then_some(DEMO_INTERVAL));
        let interval = interval_override.unwrap_or(account.interval());
        MonitorConfig {
            account,
            settings,
            interval_override,
            stagger: stagger(position as u32, count, interval),
        }
    }

    /// Desktop notifications, named after the account when it needs naming; with `actions`,
    /// they offer those buttons and the handler carries them out.
    pub fn notifier(
        &self,
        label: Option<String>,
        actions: Option<(ActionHandler, &[Action])>,
    ) -> Arc<dyn Notifier> {
        let desktop = match actions {
            Some((handler, supported)) => DesktopNotifier::with_actions(handler, supported),
            None => DesktopNotifier::default(),
        };
        match label {
            Some(label) => Arc::new(Labelled {
                label,
                inner: desktop,
            }),
            None => Arc::new(desktop),
        }
    }

    /// Who `account`'s token is for: whether the single-account ways of giving a token
    /// serve it (it is the account `--account` names, or the first), and whether it is the
    /// first, which inherits the single-account versions' keyring entry.
    pub fn token_for(&self, account: &Account) -> TokenFor {
        let first = self.saved.read().first().id == account.id;
        let primary = match &self.options.account {
            Some(key) => account.answers_to(key),
            None => first,
        };
        TokenFor {
            account: account.clone(),
            primary,
            first,
        }
    }

    /// How the monitor finds `account`'s token: the demo's stand-in, or the first source
    /// that has one (its own variables, the single-account ways if they serve it, the
    /// systemd credential, the keyring). While the keyring is locked, it is left alone.
    pub fn token_lookup(&self, account: &Account) -> TokenLookup {
        if self.options.demo {
            return Arc::new(|| Ok(Some(demo_token())));
        }
        let sources = self.token_sources.clone();
        let whose = self.token_for(account);
        let gate = self.keyring.clone();
        Arc::new(move || {
            if gate.is_closed() && whose.outside_keyring(&sources).is_none() {
                return Err(TokenStoreError::Locked {
                    detail: "waiting for it to be unlocked".into(),
                });
            }
            let found = whose.resolve(&sources);
            if matches!(found, Err(TokenStoreError::Locked { .. })) {
                gate.close();
            }
            found.map(|found| found.map(|(token, _origin)| token))
        })
    }

    /// `account`'s token (as this run's settings have it), or why there is none.
    pub fn token(&self, account: &Account) -> Result<ApiToken, NoToken> {
        (self.token_lookup(account))()
            .map_err(NoToken::Unreadable)?
            .ok_or(NoToken::NotStored)
    }

    /// How `account`'s balance source is built: its demo account, or Clickatell per the
    /// settings, all accounts on one shared HTTP client.
    pub fn source_factory(&self, account: &Account) -> SourceFactory {
        if self.options.demo {
            let demo = Arc::new(DemoSource::for_account(&account.id));
            return Arc::new(move |_| Ok(demo.clone() as Arc<dyn BalanceSource>));
        }
        let shared = self.http.clone();
        Arc::new(move |config: &SourceConfig| {
            balance_source(shared_client(&shared, &config.network)?, config)
        })
    }

    /// The client the accounts and the alert channels share for `network`, made if need be.
    pub fn shared_client(&self, network: &NetworkConfig) -> Result<HttpClient, FetchError> {
        shared_client(&self.http, network)
    }

    /// Makes the shared client find its routes again (the desktop, the keyring), after a
    /// proxy password was stored or removed.
    pub fn forget_proxy_routes(&self) {
        if let Some(client) = self.http.lock().as_ref() {
            client.forget_routes();
        }
    }

    /// Reads `account`'s balance once with `token`, as this run's settings have it, on a
    /// small single-threaded runtime.
    pub fn fetch_once(&self, account: &Account, token: &ApiToken) -> Result<Balance, FetchError> {
        let config = self.settings().source_config(account);
        let source = (self.source_factory(account))(&config)?;
        current_thread_runtime()?.block_on(source.fetch(token))
    }

    /// Reads `account`'s balance once like [`Context::fetch_once`], reporting the way the
    /// request took (for `balance --verbose`).
    pub fn test_connection_once(
        &self,
        account: &Account,
        token: &ApiToken,
    ) -> Result<ConnectionTest, FetchError> {
        let config = self.settings().source_config(account);
        let client = self.shared_client(&config.network)?;
        current_thread_runtime()?.block_on(test_connection(client, &config, Some(token)))
    }

    /// This profile's history of readings, its upkeep started in the background, or `None`
    /// when it cannot be opened; and the sentence for the user, if there is one to say: an
    /// unreadable database replaced, or why readings go unrecorded.
    pub fn start_history(&self) -> (Option<Arc<History>>, Option<String>) {
        match History::open_default(self.profile) {
            Ok(history) => {
                let notice = history.set_aside().map(|kept| kept.user_message());
                let history = Arc::new(history);
                history.maintain_in_background();
                (Some(history), notice)
            }
            Err(e) => (None, Some(format!("{e}; readings are not recorded."))),
        }
    }

    /// Everything `account`'s monitor talks to, for this run.
    pub fn monitor_deps(
        &self,
        account: &Account,
        notifier: Arc<dyn Notifier>,
        history: Option<Arc<History>>,
        clock: Arc<dyn Clock>,
    ) -> MonitorDeps {
        let first = self.token_for(account).first;
        MonitorDeps {
            make_source: self.source_factory(account),
            token: self.token_lookup(account),
            notifier,
            history,
            alert_state: AlertStateFile::for_account(self.profile, &account.id, first),
            clock,
            keyring: self.keyring.clone(),
            channels: self.alert_outbox(),
        }
    }
}

/// The one client in `shared` while its network settings are `network`; a new one (trust
/// store loaded, routes forgotten) when they change.
fn shared_client(
    shared: &Mutex<Option<HttpClient>>,
    network: &NetworkConfig,
) -> Result<HttpClient, FetchError> {
    let mut client = shared.lock();
    match client.as_ref() {
        Some(http) if http.network() == network => Ok(http.clone()),
        _ => {
            let http = HttpClient::new(network)?;
            *client = Some(http.clone());
            Ok(http)
        }
    }
}

/// A small single-threaded runtime for one request from the command line.
fn current_thread_runtime() -> Result<tokio::runtime::Runtime, FetchError> {
    crate::runtime::current_thread().map_err(|e| FetchError::Network {
        host: "-".into(),
        detail: format!("could not start the async runtime: {e}"),
    })
}

/// How long the account at `position` of `count` waits before its first poll: spread evenly
/// over a tenth of the interval (at most a minute), so no two start in the same second.
fn stagger(position: u32, count: u32, interval: Duration) -> Duration {
    if count <= 1 {
        return Duration::ZERO;
    }
    let spread = (interval / 10).min(Duration::from_secs(60));
    let step = (spread / count).max(Duration::from_secs(1));
    step * position
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
            accounts: vec![Account {
                base_url: Some("https://rest.example".into()),
                ..Account::default()
            }],
            ..Settings::default()
        };
        let other_api = context(RunOptions {
            api: Some(Api::OneApi),
            timeout_secs: Some(7),
            ..RunOptions::default()
        });
        let run = other_api.effective(&saved);
        assert_eq!(
            (
                run.first().api,
                run.first().base_url.clone(),
                run.timeout_secs
            ),
            (Api::OneApi, None, 7)
        );
        let same_api = context(RunOptions {
            api: Some(Api::Rest),
            ..RunOptions::default()
        });
        assert_eq!(
            same_api.effective(&saved).first().base_url,
            saved.first().base_url
        );
        assert_eq!(
            saved.first().api,
            Api::Rest,
            "the saved settings are untouched"
        );
    }

    #[test]
    fn only_the_demo_is_named_and_polls_faster() {
        let demo = context(RunOptions {
            demo: true,
            ..RunOptions::default()
        });
        let main = Account::default();
        assert_eq!(demo.account_label(&main).as_deref(), Some("Main"));
        assert_eq!(demo.profile, Profile::Demo);
        assert_eq!(
            demo.monitor_config(&main, 0).interval_override,
            Some(DEMO_INTERVAL)
        );
        let real = context(RunOptions::default());
        assert_eq!(real.account_label(&main), None);
        assert_eq!(real.monitor_config(&main, 0).interval_override, None);
    }

    #[test]
    fn the_demo_refuses_secrets_and_alerts_no_channel() {
        let settings = crate::settings::from_json(
            br#"{"alert_channels": [{"name": "team", "kind": "webhook", "format": "slack"}]}"#,
        )
        .unwrap();
        let demo = context(RunOptions {
            demo: true,
            ..RunOptions::default()
        });
        assert_eq!(demo.allow_secrets(), Err(DemoKeepsNoSecrets));
        assert!(demo.alert_channels(&settings).is_empty());
        let real = context(RunOptions::default());
        assert_eq!(real.allow_secrets(), Ok(()));
        assert_eq!(real.alert_channels(&settings), settings.alert_channels);
    }

    fn several() -> Settings {
        let main = Account::default();
        let eu = Account::named("EU", std::slice::from_ref(&main));
        let mut off = Account::named("Old", &[main.clone(), eu.clone()]);
        off.enabled = false;
        Settings {
            accounts: vec![main, eu, off],
            ..Settings::default()
        }
    }

    #[test]
    fn the_run_acts_on_the_named_account_or_needs_one_named() {
        let pick = |key: Option<&str>| {
            let options = RunOptions {
                account: key.map(Into::into),
                ..RunOptions::default()
            };
            Context::with(options, None, several(), Vec::new())
        };
        let all = pick(None);
        let ids = |c: &Context| -> Vec<String> {
            c.accounts().unwrap().into_iter().map(|a| a.id).collect()
        };
        assert_eq!(ids(&all), ["main", "eu"], "enabled ones, in order");
        assert_eq!(all.account(), Err(Choice::Ambiguous));
        assert_eq!(pick(Some("eu")).account().unwrap().name, "EU");
        assert_eq!(
            pick(Some("old")).account().unwrap().id,
            "old",
            "even disabled"
        );
        assert_eq!(
            pick(Some("nope")).account(),
            Err(Choice::Unknown("nope".into()))
        );
        let saved = several();
        let eu = &saved.accounts[1];
        assert_eq!(all.account_label(eu).as_deref(), Some("EU"));
        let whose = all.token_for(eu);
        assert!(!whose.primary && !whose.first);
        assert!(pick(Some("EU")).token_for(eu).primary);
        assert!(all.token_for(&saved.accounts[0]).first);
    }

    #[test]
    fn first_polls_are_spread_over_a_tenth_of_the_interval() {
        let five_min = Duration::from_secs(300);
        let starts: Vec<u64> = (0..10)
            .map(|i| stagger(i, 10, five_min).as_secs())
            .collect();
        assert_eq!(starts, [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
        assert_eq!(
            stagger(3, 20, Duration::from_secs(30)),
            Duration::from_secs(3)
        );
        assert_eq!(stagger(0, 1, five_min), Duration::ZERO);
        let ctx = Context::with(RunOptions::default(), None, several(), Vec::new());
        let eu = &ctx.saved().accounts[1].clone();
        assert_eq!(ctx.monitor_config(eu, 1).stagger, Duration::from_secs(10));
    }
}
