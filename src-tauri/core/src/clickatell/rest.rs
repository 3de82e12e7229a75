//! The legacy SMS REST API of the seed page: `GET /rest/account/balance` with a Bearer token.

use super::{
    endpoint_url, interpret, Api, BalanceSource, FetchError, FetchFuture, Format, HttpClient,
};
use crate::ApiToken;
use std::time::SystemTime;
use url::Url;

/// The legacy REST API, asking for JSON or XML.
#[derive(Debug, Clone)]
pub struct LegacyRestSource {
    client: HttpClient,
    url: Url,
    format: Format,
}

impl LegacyRestSource {
    /// The source at `base` (e.g. `https://api.clickatell.com`), refusing unsafe URLs.
    pub fn new(client: HttpClient, base: &str, format: Format) -> Result<Self, FetchError> {
        Ok(Self {
            url: endpoint_url(base, Api::Rest.path())?,
            client,
            format,
        })
    }
}

impl BalanceSource for LegacyRestSource {
    fn fetch<'a>(&'a self, token: &'a ApiToken) -> FetchFuture<'a> {
        Box::pin(async move {
            let auth = format!("Bearer {}", token.expose());
            let headers = [
                ("X-Version", "1"),
                ("Accept", self.format.accept()),
                ("Authorization", auth.as_str()),
            ];
            let response = self.client.get(&self.url, &headers).await;
            response
                .and_then(|r| interpret(Api::Rest, self.format, &self.url, &r, SystemTime::now()))
                .map_err(|e| e.redact(token.expose()))
        })
    }
}
