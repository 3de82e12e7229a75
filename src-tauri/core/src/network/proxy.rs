//! Which proxy a request takes: the `proxy` setting (`system`, `none` or an address), and for
//! `system` the environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, as curl reads them), then
//! the desktop's proxy settings. Plain `http://` (to this machine only) is never proxied, so
//! the token never reaches a proxy outside a TLS tunnel.

use super::desktop_proxy;
use super::proxy_password::{ProxyPassword, ProxyPasswordStore};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use thiserror::Error;
use url::Url;

/// The proxy variables read for https requests, in the order curl reads them.
const PROXY_VARS: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];
/// The variables listing hosts reached directly.
const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];
/// How long the desktop's answer is used before it is asked again (it may change when the
/// user moves between networks); the settings' and the environment's never change in a run.
const DESKTOP_ANSWER_TTL: Duration = Duration::from_secs(300);

/// Why a proxy address cannot be used.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ProxyError {
    #[error("{0:?} is not an address: {1}")]
    Unparsable(String, String),
    #[error(
        "the proxy scheme {0}:// is not supported: use http://, https://, socks5:// or socks5h://"
    )]
    Scheme(String),
    #[error("the proxy address has no host")]
    NoHost,
    #[error("the proxy address must be only scheme, host and port, with no path or query")]
    Path,
}

/// The `proxy` setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// The environment's proxy, else the desktop's.
    #[default]
    System,
    /// Always direct, whatever the environment or the desktop say.
    None,
    /// This proxy for every https request.
    Url(ProxyUrl),
}

impl ProxySetting {
    /// Reads `system`, `none` or a proxy address.
    pub fn parse(text: &str) -> Result<Self, ProxyError> {
        match text.trim() {
            "" | "system" => Ok(Self::System),
            "none" => Ok(Self::None),
            other => ProxyUrl::parse(other).map(Self::Url),
        }
    }
}

/// A proxy's address. Its password, when the address carries one (from the environment or
/// `--proxy`), is never shown: `Display` and `Debug` give scheme, user, host and port only.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: Url,
}

impl ProxyUrl {
    /// Reads a proxy address; one without a scheme (`proxy:3128`, as the environment often
    /// has it) is `http://`.
    pub fn parse(text: &str) -> Result<Self, ProxyError> {
        let text = text.trim();
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("http://{text}")
        };
        let url = Url::parse(&with_scheme)
            .map_err(|e| ProxyError::Unparsable(redacted_text(text), e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
            return Err(ProxyError::Scheme(url.scheme().to_owned()));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ProxyError::NoHost);
        }
        if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
            return Err(ProxyError::Path);
        }
        Ok(Self { url })
    }

    /// `host:port`, as sentences name the proxy.
    pub fn host_port(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        match self
            .url
            .port_or_known_default()
            .or(default_port(self.url.scheme()))
        {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// The user name the address carries, if any.
    pub fn user(&self) -> Option<String> {
        let user = self.url.username();
        (!user.is_empty()).then(|| decode(user))
    }

    /// The password the address carries, if any.
    pub fn password(&self) -> Option<ProxyPassword> {
        self.url.password().map(|p| ProxyPassword::new(decode(p)))
    }

    /// The address as the settings keep it: with the user name, never the password.
    pub fn without_password(&self) -> String {
        let mut url = self.url.clone();
        let _ = url.set_password(None);
        url.as_str().trim_end_matches('/').to_owned()
    }

    /// The user of this proxy's keyring entry: `user@host:port`.
    pub fn keyring_user(&self) -> Option<String> {
        self.user()
            .map(|user| format!("{user}@{}", self.host_port()))
    }

    /// This address carrying `password`, for a connection test with a password typed but
    /// not stored yet.
    pub fn carrying(&self, password: &ProxyPassword) -> Self {
        Self {
            url: self.with_password(Some(password)),
        }
    }

    /// The address handed to the HTTP client, with `password` when given.
    fn with_password(&self, password: Option<&ProxyPassword>) -> Url {
        let mut url = self.url.clone();
        if let Some(password) = password {
            let _ = url.set_password(Some(password.expose()));
        }
        url
    }
}

impl std::fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.without_password())
    }
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProxyUrl({self})")
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    matches!(scheme, "socks5" | "socks5h").then_some(1080)
}

/// Percent-decodes a user name or password from an address (`%40` is `@`).
pub fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// An address as typed, with whatever stands between `://` and `@` hidden, for messages
/// about an address that could not be read.
fn redacted_text(text: &str) -> String {
    match (text.find("://"), text.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            format!("{}<redacted>@{}", &text[..start + 3], &text[at + 1..])
        }
        (None, Some(at)) => format!("<redacted>@{}", &text[at + 1..]),
        _ => text.to_owned(),
    }
}

/// Where the proxy in use was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteOrigin {
    /// The `proxy` setting or `--proxy`.
    Settings,
    /// This environment variable.
    Environment(&'static str),
    /// The desktop's proxy settings, through the XDG desktop portal.
    Desktop,
}

impl std::fmt::Display for RouteOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Settings => f.write_str("the proxy setting"),
            Self::Environment(var) => f.write_str(var),
            Self::Desktop => f.write_str("the desktop's proxy settings"),
        }
    }
}

/// The way a request takes to its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Straight to the host, and why.
    Direct(Direct),
    /// Through this proxy (a tunnel for https), found there.
    Proxy {
        proxy: ProxyUrl,
        origin: RouteOrigin,
    },
}

/// Why a request goes straight to its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direct {
    /// No proxy is set anywhere.
    NoProxySet,
    /// The setting is `none`.
    Disabled,
    /// Plain http to this machine, never proxied.
    Loopback,
    /// `NO_PROXY` lists the host.
    Excepted,
    /// The desktop's proxy settings say so.
    Desktop,
}

impl Route {
    /// The proxy, if the route takes one.
    pub fn proxy(&self) -> Option<&ProxyUrl> {
        match self {
            Self::Proxy { proxy, .. } => Some(proxy),
            Self::Direct(_) => None,
        }
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Proxy { proxy, origin } => {
                write!(f, "through the proxy {} (from {origin})", proxy.host_port())
            }
            Self::Direct(why) => f.write_str(match why {
                Direct::NoProxySet => "direct (no proxy is set)",
                Direct::Disabled => "direct (the proxy setting is none)",
                Direct::Loopback => "direct (plain http to this machine is never proxied)",
                Direct::Excepted => "direct (NO_PROXY lists the host)",
                Direct::Desktop => "direct (as the desktop's proxy settings say)",
            }),
        }
    }
}

/// A route, and the proxy address with its credentials as the HTTP client needs it.
#[derive(Clone)]
struct Resolved {
    route: Route,
    client_url: Option<Url>,
    /// When the desktop's answer is to be asked again; the settings' and environment's
    /// routes hold for the whole run.
    expires: Option<Instant>,
}

/// The environment's proxy for https, read once.
#[derive(Debug, Clone)]
struct EnvProxy {
    proxy: ProxyUrl,
    var: &'static str,
    no_proxy: Option<String>,
}

impl EnvProxy {
    fn from_environment() -> Option<Self> {
        let (var, value) = PROXY_VARS.iter().find_map(|var| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (*var, v))
        })?;
        let proxy = match ProxyUrl::parse(&value) {
            Ok(proxy) => proxy,
            Err(e) => {
                tracing::warn!(variable = var, error = %e, "the proxy variable is not usable; ignored");
                return None;
            }
        };
        let no_proxy = NO_PROXY_VARS.iter().find_map(|var| std::env::var(var).ok());
        Some(Self {
            proxy,
            var,
            no_proxy,
        })
    }

    /// Whether `NO_PROXY` sends `url` direct, by the rules curl and reqwest share.
    fn excepts(&self, url: &Url) -> bool {
        let Some(list) = &self.no_proxy else {
            return false;
        };
        let Ok(uri) = url.as_str().parse::<http::Uri>() else {
            return false;
        };
        hyper_util::client::proxy::matcher::Matcher::builder()
            .https(self.proxy.without_password())
            .no(list.clone())
            .build()
            .intercept(&uri)
            .is_none()
    }
}

/// Decides and remembers the route of each host the client talks to. Routes are found
/// before a request is sent (the desktop is asked over D-Bus, the keyring for a proxy's
/// password), so the HTTP client's own proxy hook only reads what is remembered here.
pub struct Router {
    setting: ProxySetting,
    env: Option<EnvProxy>,
    routes: Mutex<HashMap<String, Resolved>>,
}

impl Router {
    /// A router for `setting`, reading the environment now.
    pub fn new(setting: ProxySetting) -> Self {
        let env = match setting {
            ProxySetting::System => EnvProxy::from_environment(),
            _ => None,
        };
        Self {
            setting,
            env,
            routes: Mutex::new(HashMap::new()),
        }
    }

    /// The route to `url`'s host, found now or remembered.
    pub async fn route(&self, url: &Url) -> Route {
        let key = origin_key(url);
        if let Some(known) = self.fresh(&key) {
            return known.route;
        }
        let (route, from_desktop) = self.decide(url).await;
        let password = match &route {
            Route::Proxy { proxy, .. } if proxy.password().is_none() => {
                stored_password(proxy.clone()).await
            }
            _ => None,
        };
        let client_url = route.proxy().map(|p| p.with_password(password.as_ref()));
        let resolved = Resolved {
            route: route.clone(),
            client_url,
            expires: from_desktop.then(|| Instant::now() + DESKTOP_ANSWER_TTL),
        };
        self.routes.lock().insert(key, resolved);
        route
    }

    /// The proxy address (with credentials) for `url`, as remembered by [`Router::route`].
    pub fn client_proxy(&self, url: &Url) -> Option<Url> {
        self.routes
            .lock()
            .get(&origin_key(url))
            .and_then(|r| r.client_url.clone())
    }

    /// Forgets every route, so the next request asks again (a proxy password was stored, or
    /// the proxy refused the one it had).
    pub fn forget(&self) {
        self.routes.lock().clear();
    }

    fn fresh(&self, key: &str) -> Option<Resolved> {
        let routes = self.routes.lock();
        let known = routes.get(key)?;
        let expired = known.expires.is_some_and(|at| Instant::now() > at);
        (!expired).then(|| known.clone())
    }

    /// The route and whether the desktop decided it.
    async fn decide(&self, url: &Url) -> (Route, bool) {
        if url.scheme() == "http" {
            return (Route::Direct(Direct::Loopback), false);
        }
        match &self.setting {
            ProxySetting::None => (Route::Direct(Direct::Disabled), false),
            ProxySetting::Url(proxy) => (
                Route::Proxy {
                    proxy: proxy.clone(),
                    origin: RouteOrigin::Settings,
                },
                false,
            ),
            ProxySetting::System => match &self.env {
                Some(env) if env.excepts(url) => (Route::Direct(Direct::Excepted), false),
                Some(env) => (
                    Route::Proxy {
                        proxy: env.proxy.clone(),
                        origin: RouteOrigin::Environment(env.var),
                    },
                    false,
                ),
                None => match desktop_proxy::lookup(url).await {
                    Some(Some(proxy)) => (
                        Route::Proxy {
                            proxy,
                            origin: RouteOrigin::Desktop,
                        },
                        true,
                    ),
                    Some(None) => (Route::Direct(Direct::Desktop), true),
                    None => (Route::Direct(Direct::NoProxySet), true),
                },
            },
        }
    }
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("setting", &self.setting)
            .finish_non_exhaustive()
    }
}

/// The password stored in the keyring for `proxy`'s user, if it names one; a keyring that
/// cannot be read leaves the proxy to ask (and the 407 sentence says where it goes).
async fn stored_password(proxy: ProxyUrl) -> Option<ProxyPassword> {
    let store = ProxyPasswordStore::for_proxy(&proxy)?;
    match tokio::task::spawn_blocking(move || store.get()).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => {
            tracing::warn!(proxy = %proxy, error = %e, "the proxy's password could not be read");
            None
        }
        Err(_) => None,
    }
}

/// `scheme://host:port`: what a route is decided for.
fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_system_none_or_an_address() {
        assert_eq!(ProxySetting::parse("system"), Ok(ProxySetting::System));
        assert_eq!(ProxySetting::parse(""), Ok(ProxySetting::System));
        assert_eq!(ProxySetting::parse("none"), Ok(ProxySetting::None));
        let ProxySetting::Url(proxy) = ProxySetting::parse("proxy.corp:3128").unwrap() else {
            panic!("an address");
        };
        assert_eq!(proxy.host_port(), "proxy.corp:3128");
        assert_eq!(proxy.without_password(), "http://proxy.corp:3128");
        assert_eq!(
            ProxyUrl::parse("socks5://10.1.2.3").unwrap().host_port(),
            "10.1.2.3:1080"
        );
        assert_eq!(
            ProxyUrl::parse("https://proxy.corp").unwrap().host_port(),
            "proxy.corp:443"
        );
        for bad in ["ftp://x:1", "http://", "http://p:1/path", "http://p:1/?q"] {
            assert!(ProxySetting::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_password_is_never_shown() {
        let proxy = ProxyUrl::parse("http://ali%40ce:s3cr%3At@proxy.corp:3128").unwrap();
        assert_eq!(proxy.user().as_deref(), Some("ali@ce"));
        assert_eq!(proxy.password().unwrap().expose(), "s3cr:t");
        for shown in [
            proxy.to_string(),
            format!("{proxy:?}"),
            proxy.without_password(),
        ] {
            assert!(!shown.contains("s3cr"), "{shown}");
        }
        assert_eq!(
            proxy.keyring_user().as_deref(),
            Some("ali@ce@proxy.corp:3128")
        );
        let bad = ProxySetting::parse("http://al:s3cr@t@[bad").unwrap_err();
        assert!(!bad.to_string().contains("s3cr"), "{bad}");
    }

    #[test]
    fn plain_http_to_this_machine_is_never_proxied() {
        let router = Router::new(ProxySetting::parse("http://proxy.corp:3128").unwrap());
        let local = Url::parse("http://127.0.0.1:8080/rest/account/balance").unwrap();
        let remote = Url::parse("https://api.clickatell.com/rest/account/balance").unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert_eq!(
            runtime.block_on(router.route(&local)),
            Route::Direct(Direct::Loopback)
        );
        assert_eq!(router.client_proxy(&local), None);
        let route = runtime.block_on(router.route(&remote));
        assert_eq!(
            route.to_string(),
            "through the proxy proxy.corp:3128 (from the proxy setting)"
        );
        assert_eq!(
            router.client_proxy(&remote).map(|u| u.to_string()),
            Some("http://proxy.corp:3128/".into())
        );
    }

    #[test]
    fn no_proxy_follows_curls_rules() {
        let env = EnvProxy {
            proxy: ProxyUrl::parse("http://proxy.corp:3128").unwrap(),
            var: "HTTPS_PROXY",
            no_proxy: Some("clickatell.com, 10.0.0.0/8".into()),
        };
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(env.excepts(&url("https://api.clickatell.com/x")));
        assert!(env.excepts(&url("https://10.1.2.3/x")));
        assert!(!env.excepts(&url("https://platform.example/x")));
    }
}
