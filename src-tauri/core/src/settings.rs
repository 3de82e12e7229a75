//! The user's settings in `settings.json`: validated, written atomically, never lost.
//! The token is not a setting and never appears here.

use crate::account::{self, Account};
use crate::alert_channel::{self, ChannelSettings};
use crate::atomic_file::write_atomically;
use crate::clickatell::SourceConfig;
use crate::field_error::FieldError;
use crate::limits::{self, FieldLimit};
use crate::network::{NetworkConfig, ProxySetting};
use crate::tray_icon::IconStyle;
use crate::tray_text::TrayLabel;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// Everything the user can configure. Unknown fields, from a newer version, survive a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The accounts watched, in the order the tray and the window list them.
    pub accounts: Vec<Account>,
    pub timeout_secs: u64,
    pub notifications: Notifications,
    /// Start the tray app when the user logs in.
    pub start_at_login: bool,
    /// What the tray icon draws.
    pub tray_icon: IconStyle,
    /// What is written beside the icon, where the panel shows a label (GNOME, macOS).
    pub tray_label: TrayLabel,
    /// The page "Top up…" opens: the Clickatell portal, where Billing and Payments has the
    /// Top Up tab, unless the user has a better address.
    pub top_up_url: String,
    /// How requests reach Clickatell: `system` (the environment's proxy, else the
    /// desktop's), `none`, or a proxy address (`http://USER@HOST:PORT`; its password lives in
    /// the keyring, never here).
    pub proxy: String,
    /// A PEM file of CA certificates trusted besides the machine's store (a company's
    /// TLS-inspecting proxy).
    pub ca_file: Option<PathBuf>,
    /// Where alerts go besides the desktop: webhooks (their addresses live in the keyring).
    pub alert_channels: Vec<ChannelSettings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where "Top up…" goes unless the settings say otherwise.
pub const DEFAULT_TOP_UP_URL: &str = "https://portal.clickatell.com/";

/// How the user wants to be told about the balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notifications {
    pub enabled: bool,
    pub reminder_hours: Option<u32>,
    pub forecast_alert_days: Option<u32>,
    pub top_up_notice: bool,
    /// Minutes without a successful reading before the user is told the monitor is blind.
    pub blind_after_minutes: u32,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            accounts: vec![Account::default()],
            timeout_secs: 15,
            notifications: Notifications::default(),
            start_at_login: false,
            tray_icon: IconStyle::default(),
            tray_label: TrayLabel::default(),
            top_up_url: DEFAULT_TOP_UP_URL.to_owned(),
            proxy: "system".to_owned(),
            ca_file: None,
            alert_channels: Vec::new(),
            extra: Map::new(),
        }
    }
}

impl Default for Notifications {
    fn default() -> Self {
        Self {
            enabled: true,
            reminder_hours: None,
            forecast_alert_days: Some(3),
            top_up_notice: false,
            blind_after_minutes: 60,
            extra: Map::new(),
        }
    }
}

impl Settings {
    /// Every problem with these settings, one per field; empty when they are valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut check = |limit: FieldLimit, value: Option<u64>| {
            if value.is_some_and(|v| !limit.allows(v)) {
                errors.push(FieldError::new(limit.field, limit.message()));
            }
        };
        let n = &self.notifications;
        check(limits::TIMEOUT, Some(self.timeout_secs));
        check(limits::REMINDER, n.reminder_hours.map(u64::from));
        check(limits::FORECAST_DAYS, n.forecast_alert_days.map(u64::from));
        check(limits::BLIND_AFTER, Some(u64::from(n.blind_after_minutes)));
        match url::Url::parse(&self.top_up_url) {
            Ok(url) if url.scheme() == "https" && url.host_str().is_some() => {}
            _ => errors.push(FieldError::new(
                "top_up_url",
                "must be an https:// address, like https://portal.clickatell.com/".into(),
            )),
        }
        match ProxySetting::parse(&self.proxy) {
            Ok(ProxySetting::Url(proxy)) if proxy.password().is_some() => {
                errors.push(FieldError::new(
                    "proxy",
                    "must not hold the password: keep it in the keyring and write \
                     http://USER@HOST:PORT"
                        .into(),
                ))
            }
            Ok(_) => {}
            Err(e) => errors.push(FieldError::new(
                "proxy",
                format!("must be system, none or a proxy address like http://proxy:3128 ({e})"),
            )),
        }
        if self.ca_file.as_ref().is_some_and(|p| !p.is_absolute()) {
            errors.push(FieldError::new(
                "ca_file",
                "must be a full path, like /usr/local/share/ca-certificates/company.crt".into(),
            ));
        }
        errors.extend(alert_channel::validate_list(&self.alert_channels));
        errors.extend(account::validate_list(&self.accounts));
        errors.extend(self.accounts.iter().flat_map(Account::validate));
        errors
    }

    /// Problems with the files the settings name (the CA file: readable, with a PEM
    /// certificate), for a form before it saves. Not part of [`Settings::validate`]: a file
    /// that went missing later makes requests fail with its sentence, and must not make the
    /// settings file itself be set aside.
    pub fn check_files(&self) -> Vec<FieldError> {
        self.ca_file
            .as_deref()
            .and_then(|path| crate::network::TrustStore::check_ca_file(path).err())
            .map(|e| FieldError::new("ca_file", e.to_string()))
            .into_iter()
            .collect()
    }

    /// How to reach Clickatell for `account`.
    pub fn source_config(&self, account: &Account) -> SourceConfig {
        account.source_config(self.network())
    }

    /// How the HTTP client connects. A proxy setting that does not parse (the settings'
    /// validation reports it) is taken as `system`.
    pub fn network(&self) -> NetworkConfig {
        NetworkConfig {
            timeout: Duration::from_secs(self.timeout_secs),
            proxy: ProxySetting::parse(&self.proxy).unwrap_or_default(),
            ca_file: self.ca_file.clone(),
        }
    }

    /// The account named `key` (its id or its name, any case).
    pub fn find(&self, key: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.answers_to(key))
    }

    /// The first account: the one the single-account ways of giving a token serve.
    pub fn first(&self) -> &Account {
        self.accounts
            .first()
            .expect("settings always hold an account")
    }

    /// The accounts that are polled.
    pub fn enabled(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().filter(|a| a.enabled)
    }
}

/// The per-account fields an older, single-account `settings.json` kept at the top level.
const SINGLE_ACCOUNT_FIELDS: [&str; 6] = [
    "api",
    "format",
    "base_url",
    "poll_interval_secs",
    "warning_level",
    "critical_level",
];

/// Settings from JSON of this version or an older one: a file without `accounts` is a
/// single-account file, whose account fields become the first account's (id `main`).
pub fn from_json(bytes: &[u8]) -> Result<Settings, serde_json::Error> {
    let mut value: Value = serde_json::from_slice(bytes)?;
    if let Value::Object(fields) = &mut value {
        if !fields.contains_key("accounts") {
            let mut first = Map::new();
            for key in SINGLE_ACCOUNT_FIELDS {
                if let Some(v) = fields.remove(key) {
                    first.insert(key.into(), v);
                }
            }
            fields.insert("accounts".into(), Value::Array(vec![Value::Object(first)]));
        }
    }
    serde_json::from_value(value)
}

/// Why settings could not be loaded or saved.
#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("no configuration directory could be found for this user")]
    NoConfigDir,
    #[error("the settings are not valid: {}", join(.0))]
    Invalid(Vec<FieldError>),
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What loading found: the settings in force, and a notice when the file had to be set aside.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub set_aside: Option<SetAside>,
}

/// A settings file that could not be used, kept under a new name rather than discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub reason: String,
    pub kept_as: PathBuf,
}

impl SetAside {
    /// The sentence telling the user what happened and what to do.
    pub fn user_message(&self) -> String {
        format!(
            "The settings file could not be used ({}); it was kept as {} and default settings \
             are in use. Fix or delete that file, or set your settings again.",
            self.reason,
            self.kept_as.display()
        )
    }
}

/// The settings file on disk.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
}

impl SettingsStore {
    /// The file under the OS config dir (`$XDG_CONFIG_HOME/clickatell-balance/` on Linux).
    pub fn at_default_location(profile: crate::paths::Profile) -> Result<Self, SettingsError> {
        let dir = crate::paths::config_dir(profile).ok_or(SettingsError::NoConfigDir)?;
        Ok(Self::new(dir.join("settings.json")))
    }

    /// A store at an explicit path.
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// Where the settings live.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads the settings. A missing file gives the defaults; an unreadable-as-settings file
    /// (bad JSON, invalid values) is renamed `settings.json.corrupt-<timestamp>` and the
    /// defaults are used, with a notice to show the user.
    pub fn load(&self) -> Result<Loaded, SettingsError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    settings: Settings::default(),
                    set_aside: None,
                })
            }
            Err(source) => {
                return Err(SettingsError::Io {
                    action: "read",
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let reason = match from_json(&bytes) {
            Ok(settings) => {
                let errors = settings.validate();
                if errors.is_empty() {
                    return Ok(Loaded {
                        settings,
                        set_aside: None,
                    });
                }
                format!("invalid values: {}", join(&errors))
            }
            Err(e) => format!("not valid settings JSON: {e}"),
        };
        let kept_as = crate::atomic_file::set_aside_path(&self.path);
        std::fs::rename(&self.path, &kept_as).map_err(|source| SettingsError::Io {
            action: "set aside",
            path: self.path.clone(),
            source,
        })?;
        tracing::warn!(reason = %reason, kept_as = %kept_as.display(), "settings file set aside");
        Ok(Loaded {
            settings: Settings::default(),
            set_aside: Some(SetAside { reason, kept_as }),
        })
    }

    /// Validates, then writes atomically, so a crash leaves either the old or the new file.
    pub fn save(&self, settings: &Settings) -> Result<(), SettingsError> {
        let errors = settings.validate();
        if !errors.is_empty() {
            return Err(SettingsError::Invalid(errors));
        }
        let mut json = serde_json::to_vec_pretty(settings).expect("settings always serialize");
        json.push(b'\n');
        write_atomically(&self.path, &json).map_err(|source| SettingsError::Io {
            action: "write",
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clickatell::{parse_exact, Api, Format};

    fn store() -> (tempfile::TempDir, SettingsStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::new(dir.path().join("cfg").join("settings.json"));
        (dir, store)
    }

    #[test]
    fn missing_file_gives_defaults_and_save_round_trips() {
        let (_dir, store) = store();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert!(loaded.set_aside.is_none());
        let s = Settings {
            accounts: vec![Account {
                api: Api::OneApi,
                warning_level: Some(parse_exact("120.50").unwrap()),
                critical_level: Some(parse_exact("20").unwrap()),
                ..Account::default()
            }],
            ..Settings::default()
        };
        store.save(&s).unwrap();
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"warning_level\": \"120.50\""), "{text}");
        assert_eq!(store.load().unwrap().settings, s);
    }

    #[test]
    fn unknown_fields_survive_a_save() {
        let (_dir, store) = store();
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        std::fs::write(
            store.path(),
            r#"{"api":"rest","future_field":{"a":1},"notifications":{"enabled":false,"sound":"ping"}}"#,
        )
        .unwrap();
        let mut s = store.load().unwrap().settings;
        assert!(!s.notifications.enabled);
        s.accounts[0].poll_interval_secs = 600;
        store.save(&s).unwrap();
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(store.path()).unwrap()).unwrap();
        assert_eq!(v["future_field"]["a"], 1);
        assert_eq!(v["notifications"]["sound"], "ping");
        assert_eq!(v["accounts"][0]["poll_interval_secs"], 600);
    }

    #[test]
    fn corrupt_or_invalid_files_are_kept_aside() {
        for content in [
            "{not json",
            r#"{"poll_interval_secs": 1}"#,
            r#"{"warning_level":"abc"}"#,
        ] {
            let (_dir, store) = store();
            std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
            std::fs::write(store.path(), content).unwrap();
            let loaded = store.load().unwrap();
            assert_eq!(loaded.settings, Settings::default());
            let aside = loaded.set_aside.expect("set aside");
            assert_eq!(std::fs::read_to_string(&aside.kept_as).unwrap(), content);
            assert!(aside
                .kept_as
                .to_string_lossy()
                .contains("settings.json.corrupt-"));
            assert!(!store.path().exists());
            assert!(aside.user_message().contains("default settings are in use"));
        }
    }

    #[test]
    fn validation_names_each_bad_field() {
        let s = Settings {
            timeout_secs: 0,
            accounts: vec![Account {
                poll_interval_secs: 10,
                base_url: Some("http://example.com".into()),
                warning_level: Some(parse_exact("10").unwrap()),
                critical_level: Some(parse_exact("20").unwrap()),
                ..Account::default()
            }],
            notifications: Notifications {
                reminder_hours: Some(0),
                ..Notifications::default()
            },
            ..Settings::default()
        };
        let fields: Vec<String> = s.validate().iter().map(ToString::to_string).collect();
        let fields: Vec<&str> = fields
            .iter()
            .map(|f| f.split(':').next().unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "timeout_secs",
                "notifications.reminder_hours",
                "account main",
                "account main",
                "account main",
            ]
        );
        let account_fields: Vec<String> =
            s.validate()[2..].iter().map(|e| e.field.clone()).collect();
        assert_eq!(
            account_fields,
            ["poll_interval_secs", "base_url", "critical_level"]
        );
        let (_dir, store) = store();
        assert!(matches!(store.save(&s), Err(SettingsError::Invalid(_))));
        assert!(
            !store.path().exists(),
            "nothing written for invalid settings"
        );
    }

    #[test]
    fn accepts_hand_written_numbers_for_levels() {
        let s = from_json(br#"{"warning_level": 250, "critical_level": "12.5"}"#).unwrap();
        assert_eq!(s.first().warning_level.unwrap().to_string(), "250");
        assert_eq!(s.first().critical_level.unwrap().to_string(), "12.5");
    }

    /// `tests/fixtures/single-account/settings.json` was written for version 0.1.0, which
    /// knew one account; its account fields become the first account's, the rest stays.
    #[test]
    fn a_single_account_file_becomes_the_first_account_with_nothing_lost() {
        let (_dir, store) = store();
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        let old = include_str!("../../../tests/fixtures/single-account/settings.json");
        std::fs::write(store.path(), old).unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.set_aside.is_none());
        let s = loaded.settings;
        assert_eq!(s.accounts.len(), 1);
        let main = s.first();
        assert_eq!((main.id.as_str(), main.name.as_str()), ("main", "Main"));
        assert_eq!((main.api, main.format), (Api::Rest, Format::Json));
        assert_eq!(main.base_url.as_deref(), Some("http://127.0.0.1:18999"));
        assert_eq!(main.poll_interval_secs, 600);
        assert_eq!(main.warning_level.unwrap().to_string(), "100.50");
        assert_eq!(main.critical_level.unwrap().to_string(), "50");
        assert!(main.enabled);
        assert_eq!(s.timeout_secs, 20);
        assert_eq!(s.notifications.reminder_hours, Some(24));
        assert_eq!(s.tray_icon, IconStyle::Meter);
        assert_eq!(
            s.tray_label,
            TrayLabel::Balance,
            "an older file shows the label"
        );
        assert_eq!(s.extra["future_field"]["kept"], true);
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            old,
            "loading does not rewrite the file"
        );
        store.save(&s).unwrap();
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(store.path()).unwrap()).unwrap();
        assert!(v.get("warning_level").is_none());
        assert_eq!(v["accounts"][0]["warning_level"], "100.50");
        assert_eq!(store.load().unwrap().settings, s);
    }

    #[test]
    fn the_proxy_is_system_none_or_an_address_without_its_password() {
        let with = |proxy: &str| Settings {
            proxy: proxy.into(),
            ..Settings::default()
        };
        for ok in [
            "system",
            "none",
            "http://proxy.corp:3128",
            "socks5://alice@s.corp:1080",
        ] {
            assert!(with(ok).validate().is_empty(), "{ok}");
        }
        for bad in ["ftp://proxy.corp", "http://alice:s3cret@proxy.corp:3128"] {
            let errors = with(bad).validate();
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert_eq!(errors[0].field, "proxy");
            assert!(!errors[0].message.contains("s3cret"), "{errors:?}");
        }
        assert_eq!(
            with("http://proxy.corp:3128").network().proxy,
            ProxySetting::parse("http://proxy.corp:3128").unwrap()
        );
    }

    #[test]
    fn a_ca_file_that_went_missing_does_not_make_the_settings_invalid() {
        let (dir, store) = store();
        let missing = dir.path().join("company-ca.pem");
        let settings = Settings {
            ca_file: Some(missing.clone()),
            ..Settings::default()
        };
        assert!(settings.validate().is_empty());
        assert_eq!(settings.check_files()[0].field, "ca_file");
        store.save(&settings).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.set_aside, None);
        assert_eq!(loaded.settings.ca_file, Some(missing));
        let relative = Settings {
            ca_file: Some("company-ca.pem".into()),
            ..Settings::default()
        };
        assert_eq!(relative.validate()[0].field, "ca_file");
    }
}
