//! The one HTTP client every balance source shares: rustls verifying against the machine's
//! trust store, the proxy the settings, environment or desktop give, no redirects, bounded
//! time and size.

use super::FetchError;
use crate::network::{
    connect_status, decode_userinfo, untrusted_issuer, IssuerLog, NetworkConfig, ProxyUrl, Route,
    RouteOrigin, Router, TrustStore,
};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Largest response body read; a balance answer is tiny, so anything bigger is an error.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How reqwest (through hyper-util's tunnel) words a proxy's answers to CONNECT: 407, any
/// other refusal, and a proxy that hung up. Matched here only; the tests against real
/// proxies (tinyproxy) and the fault matrix keep them honest across upgrades.
const TUNNEL_AUTH_REQUIRED: &str = "tunnel error: proxy authorization required";
const TUNNEL_REFUSED: [&str; 2] = [
    "tunnel error: unsuccessful",
    "tunnel error: unexpected end of file",
];
/// Failures that, through a proxy, can only be the proxy's: its name or port.
const PROXY_UNREACHABLE: [&str; 3] = [
    "tcp connect error",
    "dns error",
    "tunnel error: failed to create underlying connection",
];

/// A shared `reqwest` client. Redirects are never followed, so the token can only ever reach
/// the host it was meant for.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    network: NetworkConfig,
    router: Arc<Router>,
    issuers: IssuerLog,
    trust: Arc<str>,
}

/// A response read in full (up to [`MAX_BODY_BYTES`]), ready to be interpreted per API.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
    /// The proxy the request went through (`host:port`), if any: Clickatell saw its address.
    pub via_proxy: Option<String>,
}

impl HttpClient {
    /// A client for `network`: its trust store is loaded now, once for the client's life.
    pub fn new(network: &NetworkConfig) -> Result<Self, FetchError> {
        let trust = TrustStore::load(network.ca_file.as_deref()).map_err(FetchError::Trust)?;
        let issuers = IssuerLog::default();
        let setup = |detail: String| FetchError::Network {
            host: "-".into(),
            detail: format!("the HTTP client could not start: {detail}"),
        };
        let tls = trust
            .client_config(issuers.clone())
            .map_err(|e| setup(e.to_string()))?;
        let router = Arc::new(Router::new(network.proxy.clone()));
        let hook = router.clone();
        let inner = reqwest::Client::builder()
            .user_agent(concat!("clickatell-balance/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(network.timeout)
            .timeout(network.timeout)
            .use_preconfigured_tls(tls)
            .proxy(reqwest::Proxy::custom(move |url| hook.client_proxy(url)))
            .build()
            .map_err(|e| setup(error_chain(&e)))?;
        Ok(Self {
            inner,
            network: network.clone(),
            router,
            issuers,
            trust: trust.summary.into(),
        })
    }

    /// The network settings this client was made with.
    pub fn network(&self) -> &NetworkConfig {
        &self.network
    }

    /// The connect and total timeout this client was made with.
    pub fn timeout(&self) -> Duration {
        self.network.timeout
    }

    /// The way requests to `url` take (asking the desktop if the settings say to).
    pub async fn route(&self, url: &Url) -> Route {
        self.router.route(url).await
    }

    /// Who signed `host`'s certificate, once a request to it has been made.
    pub fn issuer(&self, host: &str) -> Option<String> {
        self.issuers.issuer(host)
    }

    /// The authorities this client trusts, in words.
    pub fn trust_summary(&self) -> &str {
        &self.trust
    }

    /// Forgets the routes found so far, so the next request asks the settings, the
    /// desktop and the keyring again (after a proxy password was stored).
    pub fn forget_routes(&self) {
        self.router.forget();
    }

    /// Sends a GET with the given headers and reads the answer, mapping every transport
    /// failure to a typed error.
    pub async fn get(
        &self,
        url: &Url,
        headers: &[(&str, &str)],
    ) -> Result<RawResponse, FetchError> {
        self.send(reqwest::Method::GET, url, headers, None).await
    }

    /// Sends a POST of `body` (an alert to a webhook) and reads the answer, as [`Self::get`].
    pub async fn post(
        &self,
        url: &Url,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<RawResponse, FetchError> {
        self.send(reqwest::Method::POST, url, headers, Some(body))
            .await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse, FetchError> {
        let host = url.host_str().unwrap_or("-").to_owned();
        let route = self.router.route(url).await;
        // A proxy's password, in both spellings, kept out of every error text.
        let secrets: Vec<String> = self
            .router
            .client_proxy(url)
            .and_then(|u| u.password().map(str::to_owned))
            .map(|raw| {
                let decoded = decode_userinfo(&raw);
                vec![raw, decoded]
            })
            .unwrap_or_default();
        // The address stays out of every error text too: a webhook's carries its secret.
        let fail = |e: reqwest::Error| {
            secrets
                .iter()
                .fold(self.transport(&host, &route, &e.without_url()), |err, s| {
                    err.redact(s)
                })
        };
        let mut request = self.inner.request(method, url.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                let explained = self.explain_refusal(url, &route, fail(e)).await;
                return Err(secrets.iter().fold(explained, |err, s| err.redact(s)));
            }
        };
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
        while let Some(chunk) = response.chunk().await.map_err(fail)? {
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
            via_proxy: route.proxy().map(|p| p.host_port()),
        })
    }

    /// A proxy's refusal made exact: the status it gives the same CONNECT again (a wrong
    /// password is 401 or 407; anything else is a refusal), when it is an http proxy.
    async fn explain_refusal(&self, url: &Url, route: &Route, error: FetchError) -> FetchError {
        let FetchError::ProxyRefused { proxy, host, .. } = &error else {
            return error;
        };
        let (Some(via), Some(port)) = (self.router.client_proxy(url), url.port_or_known_default())
        else {
            return error;
        };
        let target = format!("{host}:{port}");
        match connect_status(&via, &target, self.network.timeout).await {
            Some(401 | 407) => FetchError::ProxyAuthRequired {
                proxy: proxy.clone(),
                user: route.proxy().and_then(ProxyUrl::user),
                origin: match route {
                    Route::Proxy { origin, .. } => origin.clone(),
                    Route::Direct(_) => RouteOrigin::Settings,
                },
            },
            Some(status) => FetchError::ProxyRefused {
                proxy: proxy.clone(),
                host: host.clone(),
                detail: format!("it answered CONNECT with HTTP {status}"),
            },
            None => error,
        }
    }

    fn transport(&self, host: &str, route: &Route, e: &reqwest::Error) -> FetchError {
        let host = host.to_owned();
        let proxy = route.proxy().map(|p| p.host_port());
        if let Some(untrusted) = untrusted_issuer(e) {
            return FetchError::UntrustedCertificate {
                host,
                issuer: untrusted.issuer,
                self_signed: untrusted.self_signed,
                proxy,
            };
        }
        let detail = error_chain(e);
        if let Route::Proxy { proxy, origin } = route {
            let named = proxy.host_port();
            if detail.contains(TUNNEL_AUTH_REQUIRED) {
                return FetchError::ProxyAuthRequired {
                    proxy: named,
                    user: proxy.user(),
                    origin: origin.clone(),
                };
            }
            if TUNNEL_REFUSED.iter().any(|t| detail.contains(t)) {
                return FetchError::ProxyRefused {
                    proxy: named,
                    host,
                    detail,
                };
            }
            if PROXY_UNREACHABLE.iter().any(|t| detail.contains(t)) {
                return FetchError::ProxyUnreachable {
                    proxy: named,
                    origin: origin.clone(),
                    detail,
                };
            }
        }
        if e.is_timeout() {
            FetchError::Timeout {
                host,
                after: self.network.timeout,
            }
        } else if e.is_connect() {
            FetchError::Connect { host, detail }
        } else {
            FetchError::Network { host, detail }
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
