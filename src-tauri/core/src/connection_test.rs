//! "Test connection": one request to an account's balance endpoint, and the way it took
//! there (direct or which proxy, and where that proxy came from) and whose certificate it
//! met, so a user on a company network sees what the app sees.

use crate::clickatell::{ClickatellSource, FetchError, HttpClient, SourceConfig};
use crate::{ApiToken, Balance};
use serde::Serialize;

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionReport {
    /// "through the proxy proxy.corp:3128 (from the desktop's proxy settings)".
    pub route: String,
    /// Who signed the server's certificate; none for plain http or when no TLS session
    /// was made.
    pub issuer: Option<String>,
    /// The authorities trusted: "the system's trust store".
    pub trust: String,
    /// Whether Clickatell answered at all (even to refuse a token).
    pub reached: bool,
    /// The balance, or the sentence saying what went wrong and what to do.
    pub outcome: String,
}

/// A connection test's report, and the reading itself.
#[derive(Debug, Clone)]
pub struct ConnectionTest {
    pub report: ConnectionReport,
    pub result: Result<Balance, FetchError>,
}

/// Reads the balance at `config`'s endpoint through `client`, with `token` if there is one,
/// and reports the way.
pub async fn test_connection(
    client: HttpClient,
    config: &SourceConfig,
    token: Option<&ApiToken>,
) -> Result<ConnectionTest, FetchError> {
    let base = config
        .base_url
        .as_deref()
        .unwrap_or(config.api.default_base_url());
    let source = ClickatellSource::new(client, config.api, base, config.format)?;
    let result = source.read(token).await;
    let url = source.url();
    let route = source.client().route(url).await;
    let issuer = url
        .host_str()
        .filter(|_| url.scheme() == "https")
        .and_then(|host| source.client().issuer(host.trim_matches(['[', ']'])));
    let reached = matches!(&result, Ok(_) | Err(FetchError::Api(_)));
    let outcome = match (&result, token) {
        (Ok(balance), _) => format!("Clickatell answered: {balance}."),
        (Err(FetchError::Api(_)), None) => {
            "Clickatell answered (no token is stored yet, so it refused the request).".into()
        }
        (Err(e), _) => e.user_message(),
    };
    let report = ConnectionReport {
        route: route.to_string(),
        issuer,
        trust: source.client().trust_summary().to_owned(),
        reached,
        outcome,
    };
    Ok(ConnectionTest { report, result })
}
