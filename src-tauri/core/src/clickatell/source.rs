//! The one Clickatell balance source: the legacy REST API of the seed page
//! (`GET /rest/account/balance`, `Bearer` token, JSON or XML) and the One API
//! (`GET /v1/balance`, the raw API key, JSON only) differ only in what [`Api`] says.

use super::{
    endpoint_url, interpret, Api, BalanceSource, FetchError, FetchFuture, Format, HttpClient,
};
use crate::ApiToken;
use std::time::SystemTime;
use url::Url;

/// A Clickatell account's balance endpoint, on either API.
#[derive(Debug, Clone)]
pub struct ClickatellSource {
    client: HttpClient,
    api: Api,
    format: Format,
    url: Url,
}

impl ClickatellSource {
    /// The source for `api` at `base` (e.g. `https://api.clickatell.com`), refusing unsafe
    /// URLs. The One API speaks JSON only, whatever `format` asks.
    pub fn new(
        client: HttpClient,
        api: Api,
        base: &str,
        format: Format,
    ) -> Result<Self, FetchError> {
        Ok(Self {
            url: endpoint_url(base, api.path())?,
            client,
            api,
            format: match api {
                Api::Rest => format,
                Api::OneApi => Format::Json,
            },
        })
    }
}

impl ClickatellSource {
    /// The balance endpoint this source reads.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The client requests go through.
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// Reads the balance with `token`, or without one (a connection test before any token
    /// is stored: Clickatell's 401 then shows the way there works).
    pub async fn read(&self, token: Option<&ApiToken>) -> Result<crate::Balance, FetchError> {
        let authorization = token.map(|t| self.api.authorization(t));
        let mut headers = vec![("Accept", self.format.accept())];
        if let Some(value) = &authorization {
            headers.push(("Authorization", value.as_str()));
        }
        if self.api == Api::Rest {
            headers.push(("X-Version", "1"));
        }
        let response = self.client.get(&self.url, &headers).await;
        let result = response
            .and_then(|r| interpret(self.api, self.format, &self.url, &r, SystemTime::now()));
        match token {
            Some(token) => result.map_err(|e| e.redact(token.expose())),
            None => result,
        }
    }
}

impl BalanceSource for ClickatellSource {
    fn fetch<'a>(&'a self, token: &'a ApiToken) -> FetchFuture<'a> {
        Box::pin(self.read(Some(token)))
    }
}
