//! Everything that can go wrong fetching a balance, typed, with the sentence a user needs.

use crate::network::{RouteOrigin, TrustError};
use crate::remedy::Remedy;
use crate::snapshot::Status;
use std::time::Duration;
use thiserror::Error;

/// What a failed fetch means for polling, decided here for every error so the monitor only
/// carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Trying again soon may help (network trouble, overload, rate limits): back off and retry.
    Retry,
    /// Nothing changes until the user acts (token, IP allow-list, account, settings): stop
    /// polling until they do.
    Pause,
    /// Worth another try at the usual interval (an answer we did not understand).
    NextInterval,
}

/// What Clickatell's answer means for the user, whatever the API and status it came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    TokenRejected,
    IpLockdown,
    AccountFrozen,
    AccountInactive,
    DemoExpired,
    NoCredit,
    RateLimited,
    Temporary,
    BadRequest,
    NotFound,
    Unexpected,
}

/// An error answer from Clickatell: the HTTP status, Clickatell's own code and description
/// when the body had them, and how long it asked us to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: Option<String>,
    pub description: Option<String>,
    pub kind: ApiErrorKind,
    pub retry_after: Option<Duration>,
    /// The proxy the request went through (`host:port`): Clickatell saw its address.
    pub via_proxy: Option<String>,
}

impl ApiError {
    /// "HTTP 401, code 001: Authentication failed": the facts, for messages and logs.
    pub fn facts(&self) -> String {
        let mut s = format!("HTTP {}", self.status);
        if let Some(code) = &self.code {
            s.push_str(&format!(", code {code}"));
        }
        if let Some(desc) = &self.description {
            s.push_str(&format!(": {desc}"));
        }
        s
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clickatell answered {}", self.facts())
    }
}

/// Why a balance could not be fetched.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("the base URL {url:?} is not usable: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error("refusing plain http:// to {host}: only loopback addresses may use http://")]
    InsecureBaseUrl { host: String },
    #[error("could not connect to {host}: {detail}")]
    Connect { host: String, detail: String },
    #[error("{0}")]
    Trust(TrustError),
    #[error("{}", untrusted(host, issuer, *self_signed, proxy.as_deref()))]
    UntrustedCertificate {
        host: String,
        issuer: String,
        self_signed: bool,
        /// The proxy the connection went through, if any.
        proxy: Option<String>,
    },
    #[error("{}", match user {
        Some(user) => format!("the proxy {proxy} did not accept the password of {user} (HTTP 407)"),
        None => format!("the proxy {proxy} asks for a user name and password (HTTP 407)"),
    })]
    ProxyAuthRequired {
        proxy: String,
        user: Option<String>,
        origin: RouteOrigin,
    },
    #[error("the proxy {proxy} refused to connect to {host} ({detail})")]
    ProxyRefused {
        proxy: String,
        host: String,
        detail: String,
    },
    #[error("could not reach the proxy {proxy} (from {origin}): {detail}")]
    ProxyUnreachable {
        proxy: String,
        origin: RouteOrigin,
        detail: String,
    },
    #[error("{host} did not answer within {} s", after.as_secs())]
    Timeout { host: String, after: Duration },
    #[error("the connection to {host} failed: {detail}")]
    Network { host: String, detail: String },
    #[error("{host} answered with a redirect (HTTP {status}) to {target}; it was not followed")]
    Redirect {
        host: String,
        status: u16,
        target: String,
    },
    #[error("{0}")]
    Api(ApiError),
    #[error("the response is larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("the response has content type {content_type:?} where {expected} was expected")]
    UnexpectedContentType {
        content_type: String,
        expected: &'static str,
    },
    #[error("the response could not be read: {detail}")]
    Malformed { detail: String },
}

impl FetchError {
    /// What polling does after this error. Exhaustive, so a new error must be decided here.
    pub fn disposition(&self) -> Disposition {
        match self {
            // A wrong proxy password is not tried again until the user acts: proxies lock
            // accounts after a few failed logins.
            Self::InvalidBaseUrl { .. }
            | Self::InsecureBaseUrl { .. }
            | Self::Trust(_)
            | Self::ProxyAuthRequired { .. } => Disposition::Pause,
            // A laptop may move to a network without the intercepting proxy.
            Self::Connect { .. }
            | Self::Timeout { .. }
            | Self::Network { .. }
            | Self::UntrustedCertificate { .. }
            | Self::ProxyUnreachable { .. } => Disposition::Retry,
            Self::ProxyRefused { .. } => Disposition::NextInterval,
            Self::Api(e) => match e.kind {
                ApiErrorKind::TokenRejected
                | ApiErrorKind::IpLockdown
                | ApiErrorKind::AccountFrozen
                | ApiErrorKind::AccountInactive
                | ApiErrorKind::DemoExpired => Disposition::Pause,
                ApiErrorKind::RateLimited | ApiErrorKind::Temporary => Disposition::Retry,
                ApiErrorKind::NoCredit
                | ApiErrorKind::BadRequest
                | ApiErrorKind::NotFound
                | ApiErrorKind::Unexpected => Disposition::NextInterval,
            },
            Self::Redirect { .. }
            | Self::BodyTooLarge { .. }
            | Self::UnexpectedContentType { .. }
            | Self::Malformed { .. } => Disposition::NextInterval,
        }
    }

    /// The monitor's state after this error.
    pub fn status(&self) -> Status {
        match self {
            Self::Api(e) if e.kind == ApiErrorKind::TokenRejected => Status::TokenRejected,
            Self::Api(e) if e.kind == ApiErrorKind::RateLimited => Status::RateLimited,
            Self::Connect { .. }
            | Self::Timeout { .. }
            | Self::Network { .. }
            | Self::ProxyUnreachable { .. } => Status::Offline,
            _ => Status::Error,
        }
    }

    /// What the user can do that depends on where they are (each edge words it).
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            Self::Trust(_) | Self::UntrustedCertificate { .. } => Some(Remedy::CaFile),
            Self::ProxyAuthRequired {
                user: None,
                origin: RouteOrigin::Settings,
                ..
            } => Some(Remedy::ProxyUserAndPassword),
            Self::ProxyAuthRequired { user: Some(_), .. } => Some(Remedy::ProxyPassword),
            Self::Api(e) if e.kind == ApiErrorKind::TokenRejected => Some(Remedy::NewToken),
            _ => None,
        }
    }

    /// The wait Clickatell asked for with `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// A sentence for the user: what happened and what to do about it.
    pub fn user_message(&self) -> String {
        match self {
            Self::InvalidBaseUrl { .. } | Self::InsecureBaseUrl { .. } => format!(
                "Cannot use that address: {self}. Use an https:// base URL, or leave it unset \
                 for Clickatell's own."
            ),
            Self::Connect { detail, .. } if detail.contains("certificate") => format!(
                "Cannot reach Clickatell securely: {self}. The server's certificate is not \
                 trusted: a proxy or captive portal may be intercepting HTTPS, or the base URL \
                 points elsewhere. Check the network and the base URL."
            ),
            Self::Connect { .. } => format!(
                "Cannot reach Clickatell: {self}. Check the network connection and try again."
            ),
            Self::Trust(_) => format!(
                "Cannot check Clickatell's certificate: {self}. Fix the CA file: it must name a \
                 PEM file of CA certificates."
            ),
            Self::UntrustedCertificate { .. } => format!(
                "Cannot reach Clickatell securely: {self}. If your company inspects HTTPS, \
                 install its CA certificate system-wide (`update-ca-certificates`) or trust it \
                 with the CA file; otherwise this network is intercepting the connection. \
                 Nothing was sent."
            ),
            Self::ProxyAuthRequired {
                proxy,
                user: None,
                origin,
            } => {
                let where_ = match origin {
                    RouteOrigin::Environment(var) => {
                        format!("put them in {var} (http://USER:PASSWORD@{proxy})")
                    }
                    RouteOrigin::Desktop => "enter them in the desktop's proxy settings".to_owned(),
                    RouteOrigin::Settings => format!(
                        "put the user in the proxy address (http://USER@{proxy}) and store the \
                         password in the keyring"
                    ),
                };
                format!(
                    "Cannot reach Clickatell through the proxy: {self}. To give them, {where_}. \
                     Polling waits until then."
                )
            }
            Self::ProxyAuthRequired {
                user: Some(user), ..
            } => format!(
                "Cannot reach Clickatell through the proxy: {self}. Store {user}'s right \
                 password in the keyring. Polling waits until then, so the proxy does not lock \
                 the account."
            ),
            Self::ProxyRefused { host, .. } => format!(
                "Cannot reach Clickatell through the proxy: {self}. The proxy does not let this machine reach Clickatell: ask your IT \
                 department to allow {host} on port 443, or choose another proxy."
            ),
            Self::ProxyUnreachable { origin, .. } => format!(
                "Cannot reach the proxy: {self}. Clickatell was not tried: check the proxy ({origin}) and the network \
                 connection."
            ),
            Self::Timeout { .. } => format!(
                "Clickatell did not answer in time: {self}. Try again; raise the timeout if the \
                 connection is slow."
            ),
            Self::Network { .. } => {
                format!("The network failed: {self}. Try again.")
            }
            Self::Redirect { .. } => format!(
                "Unexpected redirect: {self}, so the token was not sent there. Check the base \
                 URL and the API choice."
            ),
            Self::Api(e) => api_message(e),
            Self::BodyTooLarge { .. }
            | Self::UnexpectedContentType { .. }
            | Self::Malformed { .. } => format!(
                "Clickatell's answer was not understood: {self}. Check the base URL and the API \
                 choice; if they are right, try again later."
            ),
        }
    }

    /// Replaces every occurrence of `secret` in the error's texts, so a server that echoes the
    /// token back can never make us print it.
    pub fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |s: String| s.replace(secret, "<redacted>");
        match self {
            Self::Api(mut e) => {
                e.code = e.code.map(clean);
                e.description = e.description.map(clean);
                Self::Api(e)
            }
            Self::Malformed { detail } => Self::Malformed {
                detail: clean(detail),
            },
            Self::Network { host, detail } => Self::Network {
                host,
                detail: clean(detail),
            },
            Self::Connect { host, detail } => Self::Connect {
                host,
                detail: clean(detail),
            },
            Self::ProxyRefused {
                proxy,
                host,
                detail,
            } => Self::ProxyRefused {
                proxy,
                host,
                detail: clean(detail),
            },
            Self::ProxyUnreachable {
                proxy,
                origin,
                detail,
            } => Self::ProxyUnreachable {
                proxy,
                origin,
                detail: clean(detail),
            },
            Self::Redirect {
                host,
                status,
                target,
            } => Self::Redirect {
                host,
                status,
                target: clean(target),
            },
            Self::UnexpectedContentType {
                content_type,
                expected,
            } => Self::UnexpectedContentType {
                content_type: clean(content_type),
                expected,
            },
            Self::InvalidBaseUrl { url, reason } => Self::InvalidBaseUrl {
                url: clean(url),
                reason: clean(reason),
            },
            // Texts of our own making, from the settings or a certificate, never from an answer.
            Self::InsecureBaseUrl { .. }
            | Self::Timeout { .. }
            | Self::BodyTooLarge { .. }
            | Self::Trust(_)
            | Self::UntrustedCertificate { .. }
            | Self::ProxyAuthRequired { .. } => self,
        }
    }
}

fn untrusted(host: &str, issuer: &str, self_signed: bool, proxy: Option<&str>) -> String {
    let through = match proxy {
        Some(proxy) => format!(" (through the proxy {proxy})"),
        None => String::new(),
    };
    if self_signed {
        format!(
            "{host}{through} presents a self-signed certificate ({issuer:?}), which this \
             machine does not trust"
        )
    } else {
        format!(
            "the certificate of {host}{through} is signed by {issuer:?}, which this machine \
             does not trust"
        )
    }
}

fn api_message(e: &ApiError) -> String {
    let facts = e.facts();
    match e.kind {
        ApiErrorKind::TokenRejected => format!(
            "Clickatell rejected the API token ({facts}). Paste a new token from the Clickatell \
             portal."
        ),
        ApiErrorKind::IpLockdown => match &e.via_proxy {
            Some(proxy) => format!(
                "Clickatell refused this machine's IP address (IP lockdown; {facts}). Requests \
                 go through the proxy {proxy}, so Clickatell sees the proxy's public address, \
                 not this machine's: allow that address (your IT department knows it) for the \
                 API in the Clickatell portal."
            ),
            None => format!(
                "Clickatell refused this machine's IP address (IP lockdown; {facts}). Allow this \
                 machine's public IP address for the API in the Clickatell portal."
            ),
        },
        ApiErrorKind::AccountFrozen => {
            format!("The Clickatell account is frozen ({facts}). Contact Clickatell support.")
        }
        ApiErrorKind::AccountInactive => format!(
            "The Clickatell account is not active ({facts}). Activate it in the Clickatell portal."
        ),
        ApiErrorKind::DemoExpired => format!(
            "Clickatell demo access has expired ({facts}). Upgrade the account in the Clickatell \
             portal."
        ),
        ApiErrorKind::NoCredit => format!(
            "Clickatell reports no credit left ({facts}). Top up the account in the Clickatell \
             portal."
        ),
        ApiErrorKind::RateLimited => match e.retry_after {
            Some(wait) => format!(
                "Clickatell is rate limiting requests ({facts}); retry after {} s. Poll less \
                 often if this keeps happening.",
                wait.as_secs()
            ),
            None => format!(
                "Clickatell is rate limiting requests ({facts}). Wait a little, and poll less \
                 often if this keeps happening."
            ),
        },
        ApiErrorKind::Temporary => format!(
            "Clickatell is temporarily unavailable ({facts}). Try again later; nothing to do \
             unless it persists."
        ),
        ApiErrorKind::BadRequest => format!(
            "Clickatell did not accept the request ({facts}). Check that the right API is \
             selected (legacy REST or One API) for this token."
        ),
        ApiErrorKind::NotFound => format!(
            "There is no balance endpoint at this address ({facts}). Check the API choice and \
             the base URL."
        ),
        ApiErrorKind::Unexpected => {
            format!("Clickatell gave an unexpected answer ({facts}). Try again later.")
        }
    }
}
