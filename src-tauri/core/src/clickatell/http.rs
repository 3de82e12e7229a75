//! The one HTTP client every balance source shares: rustls, no redirects, bounded time and size.

use super::FetchError;
use std::time::Duration;
use url::Url;

/// Largest response body read; a balance answer is tiny, so anything bigger is an error.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The timeout used when nothing else is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// A shared `reqwest` client. Redirects are never followed, so the token can only ever reach
/// the host it was meant for.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    timeout: Duration,
}

/// A response read in full (up to [`MAX_BODY_BYTES`]), ready to be interpreted per API.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl HttpClient {
    /// A client whose connect and total timeouts are both `timeout`.
    pub fn new(timeout: Duration) -> Result<Self, FetchError> {
        let inner = reqwest::Client::builder()
            .user_agent(concat!("clickatell-balance/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| FetchError::Network {
                host: "-".into(),
                detail: format!("the HTTP client could not start: {}", error_chain(&e)),
            })?;
        Ok(Self { inner, timeout })
    }

    /// The connect and total timeout this client was made with.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends a GET with the given headers and reads the answer, mapping every transport
    /// failure to a typed error.
    pub async fn get(
        &self,
        url: &Url,
        headers: &[(&str, &str)],
    ) -> Result<RawResponse, FetchError> {
        let host = url.host_str().unwrap_or("-").to_owned();
        let mut request = self.inner.get(url.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| self.transport(&host, &e))?;
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let location = header(reqwest::header::LOCATION);
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|len| len > MAX_BODY_BYTES as u64)
        {
            return Err(FetchError::BodyTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport(&host, &e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(FetchError::BodyTooLarge {
                    limit: MAX_BODY_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            content_type,
            retry_after,
            location,
            body,
        })
    }

    fn transport(&self, host: &str, e: &reqwest::Error) -> FetchError {
        let host = host.to_owned();
        if e.is_timeout() {
            FetchError::Timeout {
                host,
                after: self.timeout,
            }
        } else if e.is_connect() {
            FetchError::Connect {
                host,
                detail: error_chain(e),
            }
        } else {
            FetchError::Network {
                host,
                detail: error_chain(e),
            }
        }
    }
}

/// The error's causes in one line, without the generic wrappers ("error sending request for
/// url (...)", "client error (Connect)") that only repeat what the message already says.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        let generic = text.starts_with("error sending request")
            || text.starts_with("error decoding response body")
            || text.starts_with("client error");
        if !generic && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}
