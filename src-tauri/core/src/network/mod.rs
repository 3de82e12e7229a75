//! How requests leave the machine on a company network: which proxy carries them (the
//! settings, the environment, or the desktop's own proxy settings) and which certificate
//! authorities are trusted (the machine's store, plus a CA file of the user's).

mod connect_probe;
mod desktop_proxy;
mod proxy;
mod proxy_password;
mod trust;

pub use connect_probe::connect_status;
pub use proxy::{
    decode as decode_userinfo, ProxyError, ProxySetting, ProxyUrl, Route, RouteOrigin, Router,
};
pub use proxy_password::{ProxyPassword, ProxyPasswordStore};
pub use trust::{untrusted_issuer, IssuerLog, TrustError, TrustStore, UntrustedIssuer};

use std::path::PathBuf;
use std::time::Duration;

/// The request timeout used when nothing else is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Everything that decides how the shared HTTP client connects; a change of any of it makes
/// a new client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    /// The connect and total timeout of one request.
    pub timeout: Duration,
    pub proxy: ProxySetting,
    /// A PEM file of CA certificates trusted besides the machine's store.
    pub ca_file: Option<PathBuf>,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            proxy: ProxySetting::System,
            ca_file: None,
        }
    }
}
