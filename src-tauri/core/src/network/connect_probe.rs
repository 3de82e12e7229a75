//! Why an http proxy refused a tunnel. The HTTP client says only "unsuccessful" for any
//! answer to CONNECT but 200 and 407, and real proxies answer a wrong password otherwise
//! (tinyproxy: 401). So after such a refusal the same CONNECT, with the same credentials, is
//! sent once more by hand and the status line read: no crate exposes it.

use super::decode_userinfo as decode;
use base64::Engine;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

/// The status an http proxy at `proxy` (with its credentials, if any) answers to
/// `CONNECT target`, or `None` if it could not be asked (not an http proxy, no answer).
pub async fn connect_status(proxy: &Url, target: &str, wait: Duration) -> Option<u16> {
    if proxy.scheme() != "http" {
        return None;
    }
    let addr = format!("{}:{}", proxy.host_str()?, proxy.port_or_known_default()?);
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
        if !proxy.username().is_empty() {
            let pair = format!(
                "{}:{}",
                decode(proxy.username()),
                decode(proxy.password().unwrap_or_default())
            );
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            request.push_str(&format!("Proxy-Authorization: Basic {encoded}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut head = vec![0u8; 512];
        let read = stream.read(&mut head).await.ok()?;
        let line = String::from_utf8_lossy(&head[..read]);
        line.split_whitespace().nth(1)?.parse().ok()
    };
    tokio::time::timeout(wait, ask).await.ok().flatten()
}
