//! The current platform's One API: `GET /v1/balance` with the raw API key, balance in the
//! account's currency.

use super::{
    endpoint_url, interpret, Api, BalanceSource, FetchError, FetchFuture, Format, HttpClient,
};
use crate::ApiToken;
use std::time::SystemTime;
use url::Url;

/// The One API (JSON only).
#[derive(Debug, Clone)]
pub struct OneApiSource {
    client: HttpClient,
    url: Url,
}

impl OneApiSource {
    /// The source at `base` (e.g. `https://platform.clickatell.com`), refusing unsafe URLs.
    pub fn new(client: HttpClient, base: &str) -> Result<Self, FetchError> {
        Ok(Self {
            url: endpoint_url(base, Api::OneApi.path())?,
            client,
        })
    }
}

impl BalanceSource for OneApiSource {
    fn fetch<'a>(&'a self, token: &'a ApiToken) -> FetchFuture<'a> {
        Box::pin(async move {
            let headers = [
                ("Accept", "application/json"),
                ("Authorization", token.expose()),
            ];
            let response = self.client.get(&self.url, &headers).await;
            response
                .and_then(|r| {
                    interpret(Api::OneApi, Format::Json, &self.url, &r, SystemTime::now())
                })
                .map_err(|e| e.redact(token.expose()))
        })
    }
}
