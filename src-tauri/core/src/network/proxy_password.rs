//! A proxy's password: kept in the OS keyring (one entry per proxy user), never in
//! `settings.json`, and redacted wherever it could be shown.

use super::ProxyUrl;
use crate::keyring_entry::{KeyringEntry, KeyringError, KEYRING_NAME};

/// Keyring service of proxy passwords; the entry's user is `user@host:port`.
pub const PROXY_SERVICE: &str = "clickatell-balance-proxy";

/// A proxy password whose `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyPassword(String);

impl ProxyPassword {
    pub fn new(password: String) -> Self {
        Self(password)
    }

    /// The raw secret, for the proxy's `Proxy-Authorization` and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ProxyPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProxyPassword(<redacted>)")
    }
}

impl std::fmt::Display for ProxyPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The keyring entry of one proxy user's password.
#[derive(Debug, Clone)]
pub struct ProxyPasswordStore {
    user: String,
    entry: KeyringEntry,
}

impl ProxyPasswordStore {
    /// The entry for `proxy`'s user; none when the address names no user.
    pub fn for_proxy(proxy: &ProxyUrl) -> Option<Self> {
        proxy.keyring_user().map(|user| Self {
            entry: KeyringEntry::new(PROXY_SERVICE, &user),
            user,
        })
    }

    /// The entry's keyring user: `user@host:port`.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The entry of the proxy `setting` names, if it is an address with a user.
    pub fn for_setting(setting: &str) -> Option<Self> {
        match super::ProxySetting::parse(setting) {
            Ok(super::ProxySetting::Url(proxy)) => Self::for_proxy(&proxy),
            _ => None,
        }
    }

    /// Where the password is kept, for sentences: the keyring's service and user.
    pub fn describe(&self) -> String {
        format!(
            "the {} (service {PROXY_SERVICE}, user {})",
            KEYRING_NAME, self.user
        )
    }

    /// Stores (or replaces) the password.
    pub fn set(&self, password: &ProxyPassword) -> Result<(), KeyringError> {
        self.entry.set(password.expose())
    }

    /// The stored password, or `None` when there is none.
    pub fn get(&self) -> Result<Option<ProxyPassword>, KeyringError> {
        Ok(self.entry.get()?.map(ProxyPassword::new))
    }

    /// Removes the password; `false` when there was none.
    pub fn delete(&self) -> Result<bool, KeyringError> {
        self.entry.delete()
    }
}
