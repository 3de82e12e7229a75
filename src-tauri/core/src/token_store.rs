//! Where the API token lives: the OS keyring, or for headless scripts `CLICKATELL_TOKEN`.
//! There is deliberately no file fallback: if the keyring cannot be used, the caller is told.

use crate::token::{ApiToken, TokenError};
use thiserror::Error;

/// Keyring service name under which the token is stored.
pub const SERVICE: &str = "clickatell-balance";
/// Keyring user name of the token entry.
pub const USER: &str = "api-token";
/// Environment variable that overrides the keyring, for monitoring systems without a desktop.
pub const TOKEN_ENV: &str = "CLICKATELL_TOKEN";

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
    #[error("the {KEYRING_NAME} failed ({detail})")]
    Failed { detail: String },
}

impl TokenStoreError {
    /// A sentence for the user: what happened and what to do about it.
    pub fn user_message(&self) -> String {
        match self {
            Self::Unavailable { .. } => format!(
                "{self}. Start a Secret Service provider such as gnome-keyring or KeePassXC in \
                 your desktop session, or set {TOKEN_ENV} for headless use."
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
            Self::Failed { .. } => format!("{self}. Try again; if it persists, check the keyring."),
        }
    }
}

/// Where a token in use came from, so status lines can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenOrigin {
    Environment,
    Keyring,
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

    /// The token to use: `CLICKATELL_TOKEN` when set (given here as `env_value`), else the
    /// keyring's. `None` when neither has one.
    pub fn resolve(
        &self,
        env_value: Option<&str>,
    ) -> Result<Option<(ApiToken, TokenOrigin)>, TokenStoreError> {
        if let Some(raw) = env_value {
            let token = ApiToken::parse(raw).map_err(TokenStoreError::EnvTokenInvalid)?;
            return Ok(Some((token, TokenOrigin::Environment)));
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
        let (t, origin) = store.resolve(Some("  tok123 ")).unwrap().unwrap();
        assert_eq!(t.expose(), "tok123");
        assert_eq!(origin, TokenOrigin::Environment);
        let err = store.resolve(Some("a b")).unwrap_err();
        assert!(matches!(
            err,
            TokenStoreError::EnvTokenInvalid(TokenError::InnerWhitespace)
        ));
        assert!(err.user_message().contains(TOKEN_ENV));
    }
}
