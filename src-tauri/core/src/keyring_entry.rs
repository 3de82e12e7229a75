//! One secret's entry in the OS keyring (Secret Service, Keychain, Credential Manager), by
//! service and user: the API tokens and the proxy passwords are both kept this way. Knows
//! nothing of what the secret is for.

use thiserror::Error;

/// Name of the OS credential store in sentences shown to the user.
pub const KEYRING_NAME: &str = if cfg!(target_os = "macos") {
    "macOS Keychain"
} else if cfg!(target_os = "windows") {
    "Windows Credential Manager"
} else {
    "Secret Service keyring"
};

/// Why the keyring could not be used. The messages never include the secret.
#[derive(Debug, Error)]
pub enum KeyringError {
    #[error("no {KEYRING_NAME} is available ({detail})")]
    Unavailable { detail: String },
    #[error("the {KEYRING_NAME} is locked or access was refused ({detail})")]
    Locked { detail: String },
    #[error("the {KEYRING_NAME} failed ({detail})")]
    Failed { detail: String },
}

impl KeyringError {
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
            Self::Failed { .. } => format!("{self}. Try again; if it persists, check the keyring."),
        }
    }
}

/// A service and a user, as every OS credential store names an entry.
#[derive(Debug, Clone)]
pub struct KeyringEntry {
    service: String,
    user: String,
}

impl KeyringEntry {
    pub fn new(service: &str, user: &str) -> Self {
        Self {
            service: service.to_owned(),
            user: user.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, KeyringError> {
        keyring::Entry::new(&self.service, &self.user).map_err(map_keyring_error)
    }

    /// Stores (or replaces) the secret.
    pub fn set(&self, secret: &str) -> Result<(), KeyringError> {
        self.entry()?
            .set_password(secret)
            .map_err(map_keyring_error)
    }

    /// The stored secret, or `None` when there is none.
    pub fn get(&self) -> Result<Option<String>, KeyringError> {
        match self.entry()?.get_password() {
            Ok(raw) => Ok(Some(raw)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    /// Removes the secret; `false` when there was none to remove.
    pub fn delete(&self) -> Result<bool, KeyringError> {
        match self.entry()?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

fn map_keyring_error(e: keyring::Error) -> KeyringError {
    match e {
        keyring::Error::NoDefaultStore => KeyringError::Unavailable {
            detail: "no credential store could be opened; is a D-Bus session running?".into(),
        },
        keyring::Error::NoStorageAccess(inner) => KeyringError::Locked {
            detail: inner.to_string(),
        },
        keyring::Error::PlatformFailure(inner) => {
            let detail = inner.to_string();
            if looks_unavailable(&detail) {
                KeyringError::Unavailable { detail }
            } else {
                KeyringError::Failed { detail }
            }
        }
        keyring::Error::BadEncoding(_) => KeyringError::Failed {
            detail: "the stored entry is not valid text".into(),
        },
        other => KeyringError::Failed {
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
