//! Which URLs the token may be sent to: https anywhere, plain http only to this machine.

use super::FetchError;
use std::net::IpAddr;
use url::{Host, Url};

/// Builds the request URL from a base URL and an API path, refusing before any request a base
/// that would send the token in clear text over a network or to somewhere odd.
pub fn endpoint_url(base: &str, path: &str) -> Result<Url, FetchError> {
    let invalid = |reason: &str| FetchError::InvalidBaseUrl {
        url: base.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = Url::parse(base.trim()).map_err(|e| invalid(&e.to_string()))?;
    let host = parsed.host().ok_or_else(|| invalid("it has no host"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not contain a query or fragment"));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(FetchError::InsecureBaseUrl {
                host: host.to_string(),
            })
        }
        other => return Err(invalid(&format!("the scheme {other}:// is not supported"))),
    }
    let joined = format!("{}{}", parsed.as_str().trim_end_matches('/'), path);
    Url::parse(&joined).map_err(|e| invalid(&e.to_string()))
}

/// Whether `host` is this machine: the only place plain `http://` (or plain SMTP) may go.
pub fn is_loopback<S: AsRef<str>>(host: &Host<S>) -> bool {
    match host {
        Host::Domain(d) => d.as_ref().eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "/rest/account/balance";

    #[test]
    fn joins_base_and_path() {
        assert_eq!(
            endpoint_url("https://api.clickatell.com", P)
                .unwrap()
                .as_str(),
            "https://api.clickatell.com/rest/account/balance"
        );
        assert_eq!(
            endpoint_url("http://127.0.0.1:8080/mock/", P)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/mock/rest/account/balance"
        );
    }

    #[test]
    fn allows_http_for_loopback_only() {
        for ok in ["http://localhost:1", "http://127.0.0.9:1", "http://[::1]:1"] {
            assert!(endpoint_url(ok, P).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.clickatell.com",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "http://[::ffff:10.0.0.1]",
        ] {
            assert!(
                matches!(
                    endpoint_url(bad, P),
                    Err(FetchError::InsecureBaseUrl { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_odd_urls() {
        for bad in [
            "ftp://x",
            "file:///etc/passwd",
            "https://user:pw@api.clickatell.com",
            "https://api.clickatell.com/?a=b",
            "not a url",
        ] {
            assert!(
                matches!(endpoint_url(bad, P), Err(FetchError::InvalidBaseUrl { .. })),
                "{bad}"
            );
        }
    }
}
