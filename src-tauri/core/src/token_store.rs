//! Where the API token lives: the OS keyring; for services, a file only its owner can read,
//! a systemd credential, or `CLICKATELL_TOKEN`. The app never writes a token to a file, and if
//! the keyring cannot be used the caller is told: there is no plain-text fallback.

use crate::token::{ApiToken, TokenError};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Keyring service name under which the token is stored.
pub const SERVICE: &str = "clickatell-balance";
/// Keyring user name of the token entry.
pub const USER: &str = "api-token";
/// Environment variable that overrides the keyring, for monitoring systems without a desktop.
pub const TOKEN_ENV: &str = "CLICKATELL_TOKEN";
/// Environment variable naming a file that holds the token (as `--token-file` does).
pub const TOKEN_FILE_ENV: &str = "CLICKATELL_TOKEN_FILE";
/// The systemd credential (`LoadCredential=clickatell-token:…`) the token is read from.
pub const CREDENTIAL: &str = "clickatell-token";

/// Name of the OS credential store in sentences shown to the user.
pub const KEYRING_NAME: &str = if cfg!(target_os = "macos") {
    "macOS Keychain"
} else if cfg!(target_os = "windows") {
    "Windows Credential Manager"
} else {
    "Secret Service keyring"
};

/// Why the keyring could not be used. The messages never include the token.
#[derive(Debug, Error)]
pub enum TokenStoreError {
    #[error("no {KEYRING_NAME} is available ({detail})")]
    Unavailable { detail: String },
    #[error("the {KEYRING_NAME} is locked or access was refused ({detail})")]
    Locked { detail: String },
    #[error("the token stored in the {KEYRING_NAME} is unusable: {0}")]
    StoredTokenInvalid(TokenError),
    #[error("{TOKEN_ENV} is set but unusable: {0}")]
    EnvTokenInvalid(TokenError),
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
                 your desktop session, or for headless use give --token-file, {TOKEN_FILE_ENV} \
                 or {TOKEN_ENV}."
            ),
            Self::Locked { .. } => {
                format!("{self}. Unlock your keyring (log in to the desktop) and try again.")
            }
            Self::StoredTokenInvalid(_) => {
                format!("{self}. Store a new one with `clickatell-balance token set`.")
            }
            Self::EnvTokenInvalid(_) => {
                format!("{self}. Fix or unset {TOKEN_ENV}.")
            }
            Self::FileUnreadable { .. } => {
                format!("{self}. Check the path (--token-file or {TOKEN_FILE_ENV}).")
            }
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
}

/// Where a token in use came from, so status lines can say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// `--token-file` or `CLICKATELL_TOKEN_FILE`.
    File(PathBuf),
    Environment,
    /// `$CREDENTIALS_DIRECTORY/clickatell-token`.
    Credential(PathBuf),
    Keyring,
}

/// Every place a token may come from besides the keyring, resolved once from the flags and
/// the environment. The first that holds one wins, in this documented order: `--token-file`,
/// `CLICKATELL_TOKEN_FILE`, `CLICKATELL_TOKEN`, the systemd credential, the keyring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSources {
    pub file_flag: Option<PathBuf>,
    pub file_env: Option<PathBuf>,
    pub env: Option<String>,
    pub credentials_dir: Option<PathBuf>,
}

impl TokenSources {
    /// The sources for this process: `file_flag` from `--token-file`, the rest from the
    /// environment (empty variables count as unset).
    pub fn from_environment(file_flag: Option<PathBuf>) -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Self {
            file_flag,
            file_env: var(TOKEN_FILE_ENV).map(PathBuf::from),
            env: var(TOKEN_ENV).map(|v| v.to_string_lossy().into_owned()),
            credentials_dir: var("CREDENTIALS_DIRECTORY").map(PathBuf::from),
        }
    }

    /// The token from the first source besides the keyring that holds one.
    fn resolve(&self) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
        if let Some(path) = self.file_flag.as_ref().or(self.file_env.as_ref()) {
            let token = read_token_file(path, true)?;
            return Ok(Some((token, TokenOrigin::File(path.clone()))));
        }
        if let Some(raw) = &self.env {
            let token = ApiToken::parse(raw).map_err(TokenStoreError::EnvTokenInvalid)?;
            return Ok(Some((token, TokenOrigin::Environment)));
        }
        if let Some(dir) = &self.credentials_dir {
            let path = dir.join(CREDENTIAL);
            if path.exists() {
                // systemd keeps the credentials directory to the service alone.
                let token = read_token_file(&path, false)?;
                return Ok(Some((token, TokenOrigin::Credential(path))));
            }
        }
        Ok(None)
    }
}

/// Reads a token file; with `private`, refuses one that group or others may read, as ssh does
/// with keys, before reading a byte of it.
fn read_token_file(path: &Path, private: bool) -> Result<ApiToken, TokenStoreError> {
    let unreadable = |e: std::io::Error| TokenStoreError::FileUnreadable {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(unreadable)?
            .permissions()
            .mode()
            & 0o7777;
        if mode & 0o077 != 0 {
            return Err(TokenStoreError::FileTooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    ApiToken::parse(&text).map_err(|source| TokenStoreError::FileTokenInvalid {
        path: path.to_owned(),
        source,
    })
}

/// The token entry in the OS keyring.
#[derive(Debug, Clone)]
pub struct TokenStore {
    service: String,
    user: String,
}

impl Default for TokenStore {
    fn default() -> Self {
        Self::new(SERVICE, USER)
    }
}

impl TokenStore {
    /// An entry under another service/user, so tests and demo data never touch the real one.
    pub fn new(service: &str, user: &str) -> Self {
        Self {
            service: service.to_owned(),
            user: user.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, TokenStoreError> {
        keyring::Entry::new(&self.service, &self.user).map_err(map_keyring_error)
    }

    /// Stores (or replaces) the token.
    pub fn set(&self, token: &ApiToken) -> Result<(), TokenStoreError> {
        self.entry()?
            .set_password(token.expose())
            .map_err(map_keyring_error)
    }

    /// The stored token, or `None` when there is none.
    pub fn get(&self) -> Result<Option<ApiToken>, TokenStoreError> {
        match self.entry()?.get_password() {
            Ok(raw) => ApiToken::parse(&raw)
                .map(Some)
                .map_err(TokenStoreError::StoredTokenInvalid),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    /// Removes the token; `false` when there was none to remove.
    pub fn delete(&self) -> Result<bool, TokenStoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    /// The token to use: from the first of `sources` that holds one, else the keyring's.
    /// `None` when none has one.
    pub fn resolve(
        &self,
        sources: &TokenSources,
    ) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
        if let Some(found) = sources.resolve()? {
            return Ok(Some(found));
        }
        Ok(self.get()?.map(|t| (t, TokenOrigin::Keyring)))
    }
}

fn map_keyring_error(e: keyring::Error) -> TokenStoreError {
    match e {
        keyring::Error::NoDefaultStore => TokenStoreError::Unavailable {
            detail: "no credential store could be opened; is a D-Bus session running?".into(),
        },
        keyring::Error::NoStorageAccess(inner) => TokenStoreError::Locked {
            detail: inner.to_string(),
        },
        keyring::Error::PlatformFailure(inner) => {
            let detail = inner.to_string();
            if looks_unavailable(&detail) {
                TokenStoreError::Unavailable { detail }
            } else {
                TokenStoreError::Failed { detail }
            }
        }
        keyring::Error::BadEncoding(_) => TokenStoreError::Failed {
            detail: "the stored entry is not valid text".into(),
        },
        other => TokenStoreError::Failed {
            detail: other.to_string(),
        },
    }
}

fn looks_unavailable(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    [
        "dbus",
        "d-bus",
        "no such file",
        "connection refused",
        "serviceunknown",
        "not provided",
    ]
    .iter()
    .any(|needle| d.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_token_wins_and_is_validated() {
        let store = TokenStore::new("clickatell-balance-unit-test", "never-used");
        let env = |v: &str| TokenSources {
            env: Some(v.into()),
            ..TokenSources::default()
        };
        let (t, origin) = store.resolve(&env("  tok123 ")).unwrap().unwrap();
        assert_eq!(t.expose(), "tok123");
        assert_eq!(origin, TokenOrigin::Environment);
        let err = store.resolve(&env("a b")).unwrap_err();
        assert!(matches!(
            err,
            TokenStoreError::EnvTokenInvalid(TokenError::InnerWhitespace)
        ));
        assert!(err.user_message().contains(TOKEN_ENV));
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
        let all = TokenSources {
            file_flag: Some(file(dir.path(), "flag", "from-flag", 0o600)),
            file_env: Some(file(dir.path(), "env-file", "from-env-file", 0o600)),
            env: Some("from-env".into()),
            credentials_dir: Some(creds.clone()),
        };
        let winner = |s: &TokenSources| s.resolve().unwrap().map(|(t, _)| t.expose().to_owned());
        let mut sources = all.clone();
        assert_eq!(winner(&sources).as_deref(), Some("from-flag"));
        sources.file_flag = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-env-file"));
        sources.file_env = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-env"));
        sources.env = None;
        assert_eq!(winner(&sources).as_deref(), Some("from-credential"));
        sources.credentials_dir = Some(dir.path().join("no-such-credentials"));
        assert_eq!(winner(&sources), None, "then the keyring is asked");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let sources = TokenSources {
                file_flag: Some(file(dir.path(), "token", "tok-secret-1", mode)),
                ..TokenSources::default()
            };
            let err = sources.resolve().unwrap_err();
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
            .resolve()
            .unwrap_err()
            .user_message()
            .contains("cannot be read"));
    }
}
