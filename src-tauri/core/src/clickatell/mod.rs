//! The Clickatell balance APIs: the legacy REST API of the seed page and the current One API,
//! behind one [`BalanceSource`] trait so the monitor does not care which one is in use.

mod body;
mod endpoint;
mod error;
mod http;
mod number;
mod retry_after;
mod source;

pub use endpoint::{endpoint_url, is_loopback};
pub use error::{ApiError, ApiErrorKind, Disposition, FetchError};
pub use http::{HttpClient, RawResponse, MAX_BODY_BYTES};
pub use number::{parse_exact, NumberError};
pub use retry_after::parse_retry_after;
pub use source::ClickatellSource;

use crate::network::NetworkConfig;
use crate::{ApiToken, Balance};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;
use url::Url;

/// Which Clickatell API the token belongs to; its name (`rest`, `one-api`) is the same in
/// settings and on the command line.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Api {
    /// The legacy SMS REST API (`/rest/account/balance`, `Bearer` token).
    #[default]
    Rest,
    /// The current platform's One API (`/v1/balance`, raw API key).
    OneApi,
}

impl Api {
    /// Clickatell's own address for this API.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::Rest => "https://api.clickatell.com",
            Self::OneApi => "https://platform.clickatell.com",
        }
    }

    /// The balance endpoint's path under the base URL.
    pub fn path(self) -> &'static str {
        match self {
            Self::Rest => "/rest/account/balance",
            Self::OneApi => "/v1/balance",
        }
    }

    /// The `Authorization` header's value: `Bearer` and the token for the legacy REST API,
    /// the bare API key for the One API.
    fn authorization(self, token: &ApiToken) -> String {
        match self {
            Self::Rest => format!("Bearer {}", token.expose()),
            Self::OneApi => token.expose().to_owned(),
        }
    }

    /// The name used on the command line and in settings.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The body format asked of the legacy REST API (the One API speaks JSON only).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Xml,
}

impl Format {
    /// The `Accept` header asking for this format.
    pub fn accept(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Xml => "application/xml",
        }
    }

    /// The name used on the command line and in settings.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Everything needed to build a balance source, merged from flags, settings and defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceConfig {
    pub api: Api,
    pub format: Format,
    pub base_url: Option<String>,
    /// How the shared HTTP client connects: timeout, proxy, trusted authorities.
    pub network: NetworkConfig,
}

/// A future returned by [`BalanceSource::fetch`].
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Balance, FetchError>> + Send + 'a>>;

/// Something that can tell the current balance: a Clickatell API, or later a simulated account.
pub trait BalanceSource: Send + Sync {
    /// Fetches the balance once, authenticating with `token`.
    fn fetch<'a>(&'a self, token: &'a ApiToken) -> FetchFuture<'a>;
}

/// The source for the configured API, refusing an unsafe base URL before any request is made.
pub fn balance_source(
    client: HttpClient,
    config: &SourceConfig,
) -> Result<Arc<dyn BalanceSource>, FetchError> {
    let base = config
        .base_url
        .as_deref()
        .unwrap_or(config.api.default_base_url());
    Ok(Arc::new(ClickatellSource::new(
        client,
        config.api,
        base,
        config.format,
    )?))
}

/// Turns a raw answer into a balance or a typed error. Pure, so every status is unit tested.
pub fn interpret(
    api: Api,
    format: Format,
    url: &Url,
    response: &RawResponse,
    now: SystemTime,
) -> Result<Balance, FetchError> {
    let host = url.host_str().unwrap_or("-").to_owned();
    match response.status {
        200..=299 => {
            let expected = match (api, format) {
                (Api::Rest, Format::Xml) => Format::Xml,
                _ => Format::Json,
            };
            check_content_type(response.content_type.as_deref(), expected)?;
            let malformed = |detail: String| FetchError::Malformed { detail };
            match (api, expected) {
                (Api::Rest, Format::Json) => Ok(Balance {
                    amount: body::rest_json_balance(&response.body).map_err(malformed)?,
                    currency: None,
                }),
                (Api::Rest, Format::Xml) => Ok(Balance {
                    amount: body::rest_xml_balance(&response.body).map_err(malformed)?,
                    currency: None,
                }),
                (Api::OneApi, _) => {
                    let (amount, currency) =
                        body::one_api_balance(&response.body).map_err(malformed)?;
                    Ok(Balance { amount, currency })
                }
            }
        }
        300..=399 => Err(FetchError::Redirect {
            status: response.status,
            target: redirect_target(url, response.location.as_deref()),
            host,
        }),
        status => {
            let details = body::error_details(&response.body);
            let kind = classify(api, status, details.code.as_deref());
            let retry_after = response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, now));
            Err(FetchError::Api(ApiError {
                status,
                code: details.code,
                description: details.description,
                kind,
                retry_after,
                via_proxy: response.via_proxy.clone(),
            }))
        }
    }
}

/// Names where a redirect pointed (host only), so the user sees it without any path or query.
fn redirect_target(url: &Url, location: Option<&str>) -> String {
    match location.map(|l| url.join(l)) {
        Some(Ok(target)) => target
            .host_str()
            .unwrap_or("an address without a host")
            .to_owned(),
        Some(Err(_)) => "an unreadable address".into(),
        None => "nowhere (no Location header)".into(),
    }
}

fn check_content_type(content_type: Option<&str>, expected: Format) -> Result<(), FetchError> {
    let Some(ct) = content_type else {
        return Ok(());
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ok = match expected {
        Format::Json => essence == "application/json" || essence.ends_with("+json"),
        Format::Xml => {
            essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
        }
    };
    if ok {
        Ok(())
    } else {
        Err(FetchError::UnexpectedContentType {
            content_type: number::shorten(ct),
            expected: expected.accept(),
        })
    }
}

/// What an error answer means, from Clickatell's code when it sent a known one, else from the
/// HTTP status.
pub fn classify(api: Api, status: u16, code: Option<&str>) -> ApiErrorKind {
    use ApiErrorKind::*;
    let code = code.and_then(|c| c.trim().parse::<u32>().ok());
    let by_code = match (api, code) {
        (Api::Rest, Some(1..=3)) => Some(TokenRejected),
        (Api::Rest, Some(4)) => Some(AccountFrozen),
        (Api::Rest, Some(7)) => Some(IpLockdown),
        (Api::Rest, Some(100 | 101)) => Some(BadRequest),
        (Api::Rest, Some(301)) => Some(NoCredit),
        (Api::Rest, Some(901)) => Some(Temporary),
        (Api::OneApi, Some(1)) => Some(TokenRejected),
        (Api::OneApi, Some(2)) => Some(AccountInactive),
        (Api::OneApi, Some(7)) => Some(IpLockdown),
        (Api::OneApi, Some(18 | 19)) => Some(Temporary),
        (Api::OneApi, Some(20)) => Some(NoCredit),
        (Api::OneApi, Some(43)) => Some(RateLimited),
        (Api::OneApi, Some(46)) => Some(DemoExpired),
        _ => None,
    };
    by_code.unwrap_or(match status {
        401 => TokenRejected,
        402 => NoCredit,
        429 => RateLimited,
        400 => BadRequest,
        404 | 405 | 410 => NotFound,
        500..=599 => Temporary,
        _ => Unexpected,
    })
}

#[cfg(test)]
mod tests;
