//! One Clickatell account the app watches: how to reach it, how often, and when to worry.
//! Settings hold an ordered list of them; each has a stable id that names its token in the
//! keyring, its rows in the history and its alert state, so renaming or reordering loses
//! nothing.

use crate::clickatell::{endpoint_url, Api, Format, SourceConfig};
use crate::decimal_text;
use crate::field_error::FieldError;
use crate::levels::{Level, Thresholds};
use crate::limits;
use crate::network::NetworkConfig;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;

/// The most accounts one app watches.
pub const MAX_ACCOUNTS: usize = 20;
/// The id of the first account, the one an older single-account installation becomes.
pub const FIRST_ID: &str = "main";
/// The first account's name until the user gives it another.
const FIRST_NAME: &str = "Main";
/// Longest id, so it fits an environment variable's name.
const MAX_ID_LEN: usize = 24;
/// Ids that would collide with the single-account keyring entry or environment variables.
const RESERVED_IDS: [&str; 2] = ["api-token", "file"];

/// One watched account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Account {
    /// Lowercase letters, digits and dashes; never changes once made.
    pub id: String,
    /// What the app calls it ("EU"); unique, case-insensitively.
    pub name: String,
    pub api: Api,
    pub format: Format,
    pub base_url: Option<String>,
    pub poll_interval_secs: u64,
    #[serde(with = "decimal_text")]
    pub warning_level: Option<Decimal>,
    #[serde(with = "decimal_text")]
    pub critical_level: Option<Decimal>,
    /// A disabled account is kept, with its token and history, but not polled.
    pub enabled: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Account {
    fn default() -> Self {
        Self {
            id: FIRST_ID.into(),
            name: FIRST_NAME.into(),
            api: Api::default(),
            format: Format::default(),
            base_url: None,
            poll_interval_secs: 300,
            warning_level: Some(Decimal::from(100)),
            critical_level: None,
            enabled: true,
            extra: Map::new(),
        }
    }
}

impl Account {
    /// A new account named `name`, with the default settings and an id unlike any in `taken`.
    pub fn named(name: &str, taken: &[Account]) -> Self {
        Self {
            id: new_id(name, taken),
            name: name.trim().to_owned(),
            ..Self::default()
        }
    }

    /// The warning and critical levels for checks and alerts.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            warning: self.warning_level,
            critical: self.critical_level,
        }
    }

    /// How to reach Clickatell for this account, over the app-wide network settings.
    pub fn source_config(&self, network: NetworkConfig) -> SourceConfig {
        SourceConfig {
            api: self.api,
            format: self.format,
            base_url: self.base_url.clone(),
            network,
        }
    }

    /// How often this account is read.
    pub fn interval(&self) -> Duration {
        Duration::from_secs(self.poll_interval_secs)
    }

    /// The environment variable holding this account's token for headless use.
    pub fn token_env(&self) -> String {
        crate::token_names::token_env(&self.id)
    }

    /// The environment variable naming a file with this account's token.
    pub fn token_file_env(&self) -> String {
        crate::token_names::token_file_env(&self.id)
    }

    /// Whether `key` (an id or a name, any case) names this account.
    pub fn answers_to(&self, key: &str) -> bool {
        let key = key.trim();
        self.id == key || self.name.eq_ignore_ascii_case(key)
    }

    /// Every problem with this account, each for one field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, message: String| {
            errors.push(FieldError::of_account(&self.id, field, message));
        };
        if let Err(message) = check_id(&self.id) {
            bad("id", message);
        }
        let name = limits::ACCOUNT_NAME;
        if !name.allows(self.name.trim().chars().count() as u64) {
            bad(name.field, name.message());
        }
        if !limits::POLL_INTERVAL.allows(self.poll_interval_secs) {
            bad(limits::POLL_INTERVAL.field, limits::POLL_INTERVAL.message());
        }
        if let Some(base) = &self.base_url {
            if let Err(e) = endpoint_url(base, "/") {
                bad("base_url", e.to_string());
            }
        }
        for problem in self.thresholds().problems() {
            let field = match problem.level {
                Level::Critical => "critical_level",
                Level::Warning | Level::Ok => "warning_level",
            };
            bad(field, problem.message);
        }
        errors
    }
}

/// Problems with the list as a whole: how many, and ids and names each used once.
pub fn validate_list(accounts: &[Account]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if accounts.is_empty() || accounts.len() > MAX_ACCOUNTS {
        errors.push(FieldError::new(
            "accounts",
            format!("there must be 1 to {MAX_ACCOUNTS} accounts"),
        ));
    }
    for (i, a) in accounts.iter().enumerate() {
        let earlier = &accounts[..i];
        if earlier.iter().any(|b| b.id == a.id) {
            errors.push(FieldError::of_account(
                &a.id,
                "id",
                "is used by another account".into(),
            ));
        }
        if earlier
            .iter()
            .any(|b| b.name.trim().eq_ignore_ascii_case(a.name.trim()))
        {
            errors.push(FieldError::of_account(
                &a.id,
                "name",
                "is already another account's name".into(),
            ));
        }
    }
    errors
}

fn check_id(id: &str) -> Result<(), String> {
    check_slug(id)?;
    if RESERVED_IDS.contains(&id) || id.starts_with("file-") {
        return Err(format!("{id:?} is reserved"));
    }
    Ok(())
}

/// The shape of a name that goes into keyring entries, file and variable names (an
/// account's id, an alert channel's name): lowercase letters, digits and inner dashes.
pub(crate) fn check_slug(id: &str) -> Result<(), String> {
    let shaped = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !shaped {
        return Err(format!(
            "must be 1 to {MAX_ID_LEN} lowercase letters, digits or inner dashes"
        ));
    }
    Ok(())
}

/// An id from `name` ("EU West" → "eu-west"), numbered when taken ("eu-west-2").
fn new_id(name: &str, taken: &[Account]) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(MAX_ID_LEN - 3);
    let mut base = slug.trim_end_matches('-').to_owned();
    if check_id(&base).is_err() {
        base = "account".into();
    }
    let free = |id: &str| !taken.iter().any(|a| a.id == id);
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| free(id))
        .expect("a free number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_names_and_never_collide() {
        let mut accounts = vec![Account::default()];
        for name in ["EU West", "eu west", "  Main ", "Ünïcode", "file", "-"] {
            let a = Account::named(name, &accounts);
            assert!(check_id(&a.id).is_ok(), "{name:?} gave {:?}", a.id);
            accounts.push(a);
        }
        let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "main",
                "eu-west",
                "eu-west-2",
                "main-2",
                "n-code",
                "account",
                "account-2"
            ]
        );
        assert_eq!(accounts[2].token_env(), "CLICKATELL_TOKEN_EU_WEST_2");
        assert_eq!(
            accounts[1].token_file_env(),
            "CLICKATELL_TOKEN_FILE_EU_WEST"
        );
    }

    #[test]
    fn the_list_needs_one_to_twenty_accounts_with_distinct_ids_and_names() {
        let one = Account::default();
        let mut twin = Account::named("main", std::slice::from_ref(&one));
        twin.id = "main".into();
        let errors = validate_list(&[one.clone(), twin]);
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.account.as_deref(), e.field.as_str()))
            .collect();
        assert_eq!(fields, [(Some("main"), "id"), (Some("main"), "name")]);
        assert_eq!(validate_list(&[]).len(), 1);
        let many: Vec<Account> = (0..=MAX_ACCOUNTS)
            .map(|i| Account {
                id: format!("a{i}"),
                name: format!("A{i}"),
                ..Account::default()
            })
            .collect();
        assert_eq!(validate_list(&many)[0].field, "accounts");
        assert!(validate_list(&many[..MAX_ACCOUNTS]).is_empty());
    }

    #[test]
    fn each_bad_field_is_named_with_its_account() {
        let a = Account {
            id: "File".into(),
            name: " ".into(),
            poll_interval_secs: 5,
            ..Account::default()
        };
        let fields: Vec<_> = a.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["id", "name", "poll_interval_secs"]);
        assert!(check_id("file").is_err() && check_id("api-token").is_err());
    }

    #[test]
    fn an_account_answers_to_its_id_or_name() {
        let eu = Account::named("EU", &[]);
        assert!(eu.answers_to("eu") && eu.answers_to("Eu") && !eu.answers_to("us"));
    }
}
