//! Where the API token lives: the OS keyring; for services, a file only its owner can read,
//! a systemd credential, or `CLICKATELL_TOKEN`. The app never writes a token to a file, and if
//! the keyring cannot be used the caller is told: there is no plain-text fallback.

use crate::account::Account;
use crate::remedy::Remedy;
use crate::secret_file::SecretFileError;
use crate::token::{ApiToken, TokenError};
use crate::token_names::{CREDENTIAL, TOKEN_ENV, TOKEN_FILE_ENV};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Keyring service name under which the token is stored.
pub const SERVICE: &str = "clickatell-balance";
/// Keyring user name of the token entry of the single-account versions; its token moves to
/// the first account's entry (user = the account's id) when that is first looked up.
pub const LEGACY_USER: &str = "api-token";

pub use crate::keyring_entry::KEYRING_NAME;
use crate::keyring_entry::{KeyringEntry, KeyringError};

/// Why the keyring could not be used. The messages never include the token.
#[derive(Debug, Error)]
pub enum TokenStoreError {
    #[error("no {KEYRING_NAME} is available ({detail})")]
    Unavailable { detail: String },
    #[error("the {KEYRING_NAME} is locked or access was refused ({detail})")]
    Locked { detail: String },
    #[error("the token stored in the {KEYRING_NAME} is unusable: {0}")]
    StoredTokenInvalid(TokenError),
    #[error("{var} is set but unusable: {source}")]
    EnvTokenInvalid { var: String, source: TokenError },
    #[error("the token file {} cannot be read ({detail})", path.display())]
    FileUnreadable { path: PathBuf, detail: String },
    #[error("the token file {} can be read by other users (mode {mode:04o})", path.display())]
    FileTooOpen { path: PathBuf, mode: u32 },
    #[error("the token in {} is unusable: {source}", path.display())]
    FileTokenInvalid { path: PathBuf, source: TokenError },
    #[error("the {KEYRING_NAME} failed ({detail})")]
    Failed { detail: String },
}

impl TokenStoreError {
    /// A sentence for the user: what happened and what to do about it.
    pub fn user_message(&self) -> String {
        match self {
            Self::Unavailable { .. } => format!(
                "{self}. Start a Secret Service provider such as gnome-keyring or KeePassXC in \
                 your desktop session."
            ),
            Self::Locked { .. } => {
                format!("{self}. Unlock your keyring (log in to the desktop) and try again.")
            }
            Self::StoredTokenInvalid(_) => format!("{self}."),
            Self::EnvTokenInvalid { var, .. } => {
                format!("{self}. Fix or unset {var}.")
            }
            Self::FileUnreadable { .. } => format!("{self}."),
            Self::FileTooOpen { path, .. } => format!(
                "{self}; a token must be readable by its owner only. Run `chmod 600 {}`, then \
                 try again. Nothing was fetched.",
                path.display()
            ),
            Self::FileTokenInvalid { .. } => {
                format!("{self}. Put only the token in the file.")
            }
            Self::Failed { .. } => format!("{self}. Try again; if it persists, check the keyring."),
        }
    }

    /// What the user can do that depends on where they are (each edge words it).
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            Self::Unavailable { .. } => Some(Remedy::TokenWithoutKeyring),
            Self::StoredTokenInvalid(_) => Some(Remedy::NewToken),
            Self::FileUnreadable { .. } => Some(Remedy::TokenFilePath),
            Self::Locked { .. }
            | Self::EnvTokenInvalid { .. }
            | Self::FileTooOpen { .. }
            | Self::FileTokenInvalid { .. }
            | Self::Failed { .. } => None,
        }
    }
}

impl std::fmt::Display for TokenOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "the token file {}", path.display()),
            Self::Environment(var) => write!(f, "{var}"),
            Self::Credential(path) => write!(f, "the systemd credential {}", path.display()),
            Self::Keyring => write!(f, "the {KEYRING_NAME}"),
        }
    }
}

/// Where a token in use came from, so status lines can say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// `--token-file`, `CLICKATELL_TOKEN_FILE` or `CLICKATELL_TOKEN_FILE_<ID>`.
    File(PathBuf),
    /// `CLICKATELL_TOKEN` or `CLICKATELL_TOKEN_<ID>`: the variable's name.
    Environment(String),
    /// `$CREDENTIALS_DIRECTORY/clickatell-token`.
    Credential(PathBuf),
    Keyring,
}

/// Every place a token may come from besides the keyring, resolved once from the flags and
/// the environment. For an account, the first that holds one wins, in this documented order:
/// `CLICKATELL_TOKEN_FILE_<ID>`, `CLICKATELL_TOKEN_<ID>`, then for the run's primary account
/// `--token-file`, `CLICKATELL_TOKEN_FILE`, `CLICKATELL_TOKEN` and the systemd credential
/// `clickatell-token`, then the credential `clickatell-token-<id>`, then the keyring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSources {
    pub file_flag: Option<PathBuf>,
    pub file_env: Option<PathBuf>,
    pub env: Option<String>,
    pub credentials_dir: Option<PathBuf>,
    /// `CLICKATELL_TOKEN_<ID>` and `CLICKATELL_TOKEN_FILE_<ID>` values, by variable name.
    pub per_account: BTreeMap<String, String>,
}

impl TokenSources {
    /// The sources for this process: `file_flag` from `--token-file`, the rest from the
    /// environment (empty variables count as unset).
    pub fn from_environment(file_flag: Option<PathBuf>) -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let prefix = format!("{TOKEN_ENV}_");
        let per_account = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, v)| k.starts_with(&prefix) && k != TOKEN_FILE_ENV && !v.is_empty())
            .collect();
        Self {
            file_flag,
            file_env: var(TOKEN_FILE_ENV).map(PathBuf::from),
            env: var(TOKEN_ENV).map(|v| v.to_string_lossy().into_owned()),
            credentials_dir: var("CREDENTIALS_DIRECTORY").map(PathBuf::from),
            per_account,
        }
    }

    /// The token for `account` from the first source besides the keyring that holds one;
    /// the single-account ways count for the `primary` account only.
    fn resolve(
        &self,
        account: &Account,
        primary: bool,
    ) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
        if let Some(path) = self.per_account.get(&account.token_file_env()) {
            let path = PathBuf::from(path);
            let token = read_token_file(&path, true)?;
            return Ok(Some((token, TokenOrigin::File(path))));
        }
        let var = account.token_env();
        if let Some(raw) = self.per_account.get(&var) {
            return env_token(raw, var);
        }
        if primary {
            if let Some(path) = self.file_flag.as_ref().or(self.file_env.as_ref()) {
                let token = read_token_file(path, true)?;
                return Ok(Some((token, TokenOrigin::File(path.clone()))));
            }
            if let Some(raw) = &self.env {
                return env_token(raw, TOKEN_ENV.into());
            }
        }
        let Some(dir) = &self.credentials_dir else {
            return Ok(None);
        };
        let own = format!("{CREDENTIAL}-{}", account.id);
        let names = if primary {
            vec![CREDENTIAL.to_owned(), own]
        } else {
            vec![own]
        };
        for name in names {
            let path = dir.join(name);
            if path.exists() {
                // systemd keeps the credentials directory to the service alone.
                let token = read_token_file(&path, false)?;
                return Ok(Some((token, TokenOrigin::Credential(path))));
            }
        }
        Ok(None)
    }
}

fn env_token(raw: &str, var: String) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
    match ApiToken::parse(raw) {
        Ok(token) => Ok(Some((token, TokenOrigin::Environment(var)))),
        Err(source) => Err(TokenStoreError::EnvTokenInvalid { var, source }),
    }
}

/// Reads a token file; with `private`, refuses one that group or others may read.
fn read_token_file(path: &Path, private: bool) -> Result<ApiToken, TokenStoreError> {
    let text = crate::secret_file::read(path, private).map_err(|e| match e {
        SecretFileError::Unreadable(e) => TokenStoreError::FileUnreadable {
            path: path.to_owned(),
            detail: e.to_string(),
        },
        SecretFileError::TooOpen { mode } => TokenStoreError::FileTooOpen {
            path: path.to_owned(),
            mode,
        },
    })?;
    ApiToken::parse(&text).map_err(|source| TokenStoreError::FileTokenInvalid {
        path: path.to_owned(),
        source,
    })
}

/// The token entry in the OS keyring.
#[derive(Debug, Clone)]
pub struct TokenStore {
    entry: KeyringEntry,
}

impl TokenStore {
    /// The entry of the account `id`.
    pub fn for_account(id: &str) -> Self {
        Self::new(SERVICE, id)
    }

    /// An entry under another service/user, so tests and demo data never touch the real one.
    pub fn new(service: &str, user: &str) -> Self {
        Self {
            entry: KeyringEntry::new(service, user),
        }
    }

    /// Stores (or replaces) the token.
    pub fn set(&self, token: &ApiToken) -> Result<(), TokenStoreError> {
        Ok(self.entry.set(token.expose())?)
    }

    /// The stored token, or `None` when there is none.
    pub fn get(&self) -> Result<Option<ApiToken>, TokenStoreError> {
        self.entry
            .get()?
            .map(|raw| ApiToken::parse(&raw).map_err(TokenStoreError::StoredTokenInvalid))
            .transpose()
    }

    /// Removes the token; `false` when there was none to remove.
    pub fn delete(&self) -> Result<bool, TokenStoreError> {
        Ok(self.entry.delete()?)
    }
}

/// Whose token is looked up, and what the single-account ways of giving one count for. Owns
/// its account, so it can go to a blocking task (keyring I/O) whole.
#[derive(Debug, Clone)]
pub struct TokenFor {
    pub account: Account,
    /// The account this run is about (`--account`, else the first): `--token-file`,
    /// `CLICKATELL_TOKEN` and its siblings are its token.
    pub primary: bool,
    /// The first account, to which the single-account versions' keyring entry moves.
    pub first: bool,
}

impl TokenFor {
    /// The account's own keyring entry.
    pub fn store(&self) -> TokenStore {
        TokenStore::for_account(&self.account.id)
    }

    /// Where the token comes from when not from the keyring (a variable, a file, a systemd
    /// credential), for saying that the keyring's is not the one in use; `None` when the
    /// keyring's is.
    pub fn outside_keyring(&self, sources: &TokenSources) -> Option<TokenOrigin> {
        sources
            .resolve(&self.account, self.primary)
            .ok()
            .flatten()
            .map(|(_, origin)| origin)
    }

    /// Stores (or replaces) the account's token. For the first account, a single-account
    /// version's entry still waiting to move is superseded and removed.
    pub fn set(&self, token: &ApiToken) -> Result<(), TokenStoreError> {
        self.store().set(token)?;
        if self.first {
            TokenStore::new(SERVICE, LEGACY_USER).delete()?;
        }
        Ok(())
    }

    /// Removes the account's token (and, for the first account, a single-account version's
    /// entry, which would otherwise come back as its token); `false` when there was none.
    pub fn delete(&self) -> Result<bool, TokenStoreError> {
        let own = self.store().delete()?;
        let legacy = self.first && TokenStore::new(SERVICE, LEGACY_USER).delete()?;
        Ok(own || legacy)
    }

    /// The token to use: from the first of `sources` that holds one, else the keyring's
    /// (moving a single-account version's entry to the first account's, once). `None` when
    /// none has one.
    pub fn resolve(
        &self,
        sources: &TokenSources,
    ) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
        if let Some(found) = sources.resolve(&self.account, self.primary)? {
            return Ok(Some(found));
        }
        let own = TokenStore::for_account(&self.account.id);
        if let Some(token) = own.get()? {
            return Ok(Some((token, TokenOrigin::Keyring)));
        }
        if !self.first {
            return Ok(None);
        }
        let legacy = TokenStore::new(SERVICE, LEGACY_USER);
        let Some(token) = legacy.get()? else {
            return Ok(None);
        };
        own.set(&token)?;
        legacy.delete()?;
        tracing::info!(account = %self.account.id, "moved the single-account token to the first account's keyring entry");
        Ok(Some((token, TokenOrigin::Keyring)))
    }
}

impl From<KeyringError> for TokenStoreError {
    fn from(e: KeyringError) -> Self {
        match e {
            KeyringError::Unavailable { detail } => Self::Unavailable { detail },
            KeyringError::Locked { detail } => Self::Locked { detail },
            KeyringError::Failed { detail } => Self::Failed { detail },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eu() -> Account {
        Account::named("EU", &[Account::default()])
    }

    #[test]
    fn env_token_wins_and_is_validated() {
        let main = Account::default();
        let env = |v: &str| TokenSources {
            env: Some(v.into()),
            ..TokenSources::default()
        };
        let (t, origin) = env("  tok123 ").resolve(&main, true).unwrap().unwrap();
        assert_eq!(t.expose(), "tok123");
        assert_eq!(origin, TokenOrigin::Environment(TOKEN_ENV.into()));
        let err = env("a b").resolve(&main, true).unwrap_err();
        assert!(matches!(
            err,
            TokenStoreError::EnvTokenInvalid {
                source: TokenError::InnerWhitespace,
                ..
            }
        ));
        assert!(err.user_message().contains(TOKEN_ENV));
        assert!(
            env("tok123").resolve(&eu(), false).unwrap().is_none(),
            "CLICKATELL_TOKEN is the primary account's alone"
        );
    }

    #[test]
    fn each_account_has_its_own_variable() {
        let sources = TokenSources {
            env: Some("tok-main".into()),
            per_account: [("CLICKATELL_TOKEN_EU".to_owned(), "tok-eu".to_owned())].into(),
            ..TokenSources::default()
        };
        let (t, origin) = sources.resolve(&eu(), false).unwrap().unwrap();
        assert_eq!(
            (t.expose(), origin),
            (
                "tok-eu",
                TokenOrigin::Environment("CLICKATELL_TOKEN_EU".into())
            )
        );
        let (t, _) = sources.resolve(&eu(), true).unwrap().unwrap();
        assert_eq!(
            t.expose(),
            "tok-eu",
            "an account's own variable comes first"
        );
        let (t, _) = sources.resolve(&Account::default(), true).unwrap().unwrap();
        assert_eq!(t.expose(), "tok-main");
    }

    #[cfg(unix)]
    fn file(dir: &Path, name: &str, token: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("{token}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn sources_in_the_documented_order() {
        let dir = tempfile::tempdir().unwrap();
        let creds = dir.path().join("credentials");
        std::fs::create_dir(&creds).unwrap();
        file(&creds, CREDENTIAL, "from-credential", 0o400);
        file(
            &creds,
            "clickatell-token-main",
            "from-own-credential",
            0o400,
        );
        let own_file = file(dir.path(), "own-file", "from-own-file", 0o600);
        let all = TokenSources {
            file_flag: Some(file(dir.path(), "flag", "from-flag", 0o600)),
            file_env: Some(file(dir.path(), "env-file", "from-env-file", 0o600)),
            env: Some("from-env".into()),
            credentials_dir: Some(creds.clone()),
            per_account: [
                (
                    "CLICKATELL_TOKEN_FILE_MAIN".to_owned(),
                    own_file.to_string_lossy().into_owned(),
                ),
                (
                    "CLICKATELL_TOKEN_MAIN".to_owned(),
                    "from-own-env".to_owned(),
                ),
            ]
            .into(),
        };
        let main = Account::default();
        let winner = |s: &TokenSources| {
            s.resolve(&main, true)
                .unwrap()
                .map(|(t, _)| t.expose().to_owned())
        };
        let mut sources = all.clone();
        assert_eq!(winner(&sources).as_deref(), Some("from-own-file"));
        sources.per_account.remove("CLICKATELL_TOKEN_FILE_MAIN");
        assert_eq!(winner(&sources).as_deref(), Some("from-own-env"));
        sources.per_account.clear();
        assert_eq!(winner(&sources).as_deref(), Some("from-flag"));
        sources.file_flag = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-env-file"));
        sources.file_env = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-env"));
        sources.env = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-credential"));
        std::fs::remove_file(creds.join(CREDENTIAL)).unwrap();
        assert_eq!(winner(&sources).as_deref(), Some("from-own-credential"));
        sources.credentials_dir = Some(dir.path().join("no-such-credentials"));
        assert_eq!(winner(&sources), None, "then the keyring is asked");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let main = Account::default();
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let sources = TokenSources {
                file_flag: Some(file(dir.path(), "token", "tok-secret-1", mode)),
                ..TokenSources::default()
            };
            let err = sources.resolve(&main, true).unwrap_err();
            assert!(
                matches!(err, TokenStoreError::FileTooOpen { .. }),
                "{mode:o}"
            );
            let message = err.user_message();
            assert!(message.contains("chmod 600"), "{message}");
            assert!(!message.contains("tok-secret-1"));
        }
        let missing = TokenSources {
            file_env: Some(dir.path().join("missing")),
            ..TokenSources::default()
        };
        assert!(missing
            .resolve(&main, true)
            .unwrap_err()
            .user_message()
            .contains("cannot be read"));
    }
}
