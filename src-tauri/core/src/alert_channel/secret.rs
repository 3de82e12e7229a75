//! A channel's secret (a webhook's address, which carries the receiver's token): in the OS
//! keyring, entry user = the channel's name; for services without a keyring, a file only its
//! owner can read (`CLICKATELL_ALERT_SECRET_FILE_<NAME>`) or the systemd credential
//! `clickatell-alert-<name>`. Never in `settings.json`, a log, an error or the UI.

use crate::keyring_entry::{KeyringEntry, KeyringError};
use crate::secret_file::SecretFileError;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

/// Keyring service of the channels' secrets.
pub const SECRET_SERVICE: &str = "clickatell-balance-alert";
/// Prefix of the variables naming a channel's secret file.
const FILE_ENV_PREFIX: &str = "CLICKATELL_ALERT_SECRET_FILE_";
/// Prefix of the systemd credentials holding a channel's secret.
const CREDENTIAL_PREFIX: &str = "clickatell-alert-";

/// A secret whose `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct ChannelSecret(String);

impl ChannelSecret {
    pub fn new(secret: &str) -> Self {
        Self(secret.trim().to_owned())
    }

    /// The raw secret, for the request and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ChannelSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChannelSecret(<redacted>)")
    }
}

impl std::fmt::Display for ChannelSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where a channel's secret came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretOrigin {
    File(PathBuf),
    Credential(PathBuf),
    Keyring,
}

/// Why a channel's secret could not be read. Never holds the secret.
#[derive(Debug, Error)]
pub enum SecretError {
    #[error("{0}")]
    Keyring(#[from] KeyringError),
    #[error("the secret file {} cannot be read ({detail})", path.display())]
    FileUnreadable { path: PathBuf, detail: String },
    #[error("the secret file {} can be read by other users (mode {mode:04o}); run `chmod 600 {}`", path.display(), path.display())]
    FileTooOpen { path: PathBuf, mode: u32 },
}

/// The keyring entry of one channel's secret.
#[derive(Debug, Clone)]
pub struct ChannelSecretStore {
    entry: KeyringEntry,
}

impl ChannelSecretStore {
    pub fn for_channel(name: &str) -> Self {
        Self {
            entry: KeyringEntry::new(SECRET_SERVICE, name),
        }
    }

    pub fn set(&self, secret: &ChannelSecret) -> Result<(), KeyringError> {
        self.entry.set(secret.expose())
    }

    pub fn get(&self) -> Result<Option<ChannelSecret>, KeyringError> {
        Ok(self.entry.get()?.map(|raw| ChannelSecret::new(&raw)))
    }

    /// Removes the secret; `false` when there was none.
    pub fn delete(&self) -> Result<bool, KeyringError> {
        self.entry.delete()
    }
}

/// Finds a channel's secret by its name; blocking (keyring I/O).
pub type SecretLookup =
    Arc<dyn Fn(&str) -> Result<Option<(ChannelSecret, SecretOrigin)>, SecretError> + Send + Sync>;

/// The places besides the keyring a channel's secret may come from, read from the
/// environment once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretSources {
    /// `CLICKATELL_ALERT_SECRET_FILE_<NAME>` values, by variable name.
    pub files: BTreeMap<String, PathBuf>,
    pub credentials_dir: Option<PathBuf>,
}

impl SecretSources {
    pub fn from_environment() -> Self {
        Self {
            files: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, PathBuf::from(v))))
                .filter(|(k, v)| k.starts_with(FILE_ENV_PREFIX) && !v.as_os_str().is_empty())
                .collect(),
            credentials_dir: std::env::var_os("CREDENTIALS_DIRECTORY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        }
    }

    /// The variable naming `channel`'s secret file: `CLICKATELL_ALERT_SECRET_FILE_TEAM_CHAT`
    /// for `team-chat`.
    pub fn file_env(channel: &str) -> String {
        format!(
            "{FILE_ENV_PREFIX}{}",
            channel.to_ascii_uppercase().replace('-', "_")
        )
    }

    /// `channel`'s secret: its file, its systemd credential, else the keyring.
    pub fn lookup(
        &self,
        channel: &str,
    ) -> Result<Option<(ChannelSecret, SecretOrigin)>, SecretError> {
        let read = |path: &PathBuf, private: bool| {
            crate::secret_file::read(path, private)
                .map(|text| ChannelSecret::new(&text))
                .map_err(|e| match e {
                    SecretFileError::Unreadable(e) => SecretError::FileUnreadable {
                        path: path.clone(),
                        detail: e.to_string(),
                    },
                    SecretFileError::TooOpen { mode } => SecretError::FileTooOpen {
                        path: path.clone(),
                        mode,
                    },
                })
        };
        if let Some(path) = self.files.get(&Self::file_env(channel)) {
            return Ok(Some((read(path, true)?, SecretOrigin::File(path.clone()))));
        }
        if let Some(dir) = &self.credentials_dir {
            let path = dir.join(format!("{CREDENTIAL_PREFIX}{channel}"));
            if path.exists() {
                return Ok(Some((read(&path, false)?, SecretOrigin::Credential(path))));
            }
        }
        Ok(ChannelSecretStore::for_channel(channel)
            .get()?
            .map(|secret| (secret, SecretOrigin::Keyring)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_and_a_file_must_be_private() {
        let secret = ChannelSecret::new(" https://hooks.slack.com/services/T0/B0/abc\n");
        assert_eq!(
            secret.expose(),
            "https://hooks.slack.com/services/T0/B0/abc"
        );
        assert_eq!(
            format!("{secret} {secret:?}"),
            "<redacted> ChannelSecret(<redacted>)"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hook");
        std::fs::write(&path, "https://example.com/hook\n").unwrap();
        let sources = SecretSources {
            files: [(SecretSources::file_env("team-chat"), path.clone())].into(),
            credentials_dir: None,
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let refused = sources.lookup("team-chat").unwrap_err().to_string();
            assert!(refused.contains("chmod 600") && !refused.contains("example.com"));
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let (found, origin) = sources.lookup("team-chat").unwrap().unwrap();
        assert_eq!(found.expose(), "https://example.com/hook");
        assert_eq!(origin, SecretOrigin::File(path));
        assert_eq!(
            SecretSources::file_env("team-chat"),
            "CLICKATELL_ALERT_SECRET_FILE_TEAM_CHAT"
        );
    }

    #[test]
    fn a_systemd_credential_is_read_as_systemd_hands_it_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clickatell-alert-ops");
        std::fs::write(&path, "smtp-password\n").unwrap();
        let sources = SecretSources {
            files: BTreeMap::new(),
            credentials_dir: Some(dir.path().to_owned()),
        };
        let (found, origin) = sources.lookup("ops").unwrap().unwrap();
        assert_eq!(found.expose(), "smtp-password");
        assert_eq!(origin, SecretOrigin::Credential(path));
    }
}
