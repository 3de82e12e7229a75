//! The desktop's own proxy settings (GNOME's, KDE's, a PAC file), which are not in the
//! environment of an app started from the menu or at login. The XDG desktop portal's
//! `org.freedesktop.portal.ProxyResolver.Lookup` answers from them on every desktop that has
//! a portal, so the app asks it rather than reading each desktop's settings itself.

use super::ProxyUrl;
use url::Url;

/// `None` when no desktop answered; `Some(None)` when it says direct; else its proxy.
pub async fn lookup(url: &Url) -> Option<Option<ProxyUrl>> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let uri = url.as_str().to_owned();
        let answer = tokio::task::spawn_blocking(move || portal::lookup(&uri))
            .await
            .ok()?;
        match answer {
            Ok(proxies) => Some(first_usable(&proxies)),
            Err(e) => {
                tracing::debug!(error = %e, "no desktop proxy settings (the portal did not answer)");
                None
            }
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = url;
        None
    }
}

/// The first answer the HTTP client can use: `direct://` is direct, `socks://` is SOCKS 5
/// (as GLib names it); kinds it cannot use (SOCKS 4) are passed over.
fn first_usable(answers: &[String]) -> Option<ProxyUrl> {
    for answer in answers {
        if answer.starts_with("direct://") {
            return None;
        }
        let answer = match answer.strip_prefix("socks://") {
            Some(rest) => format!("socks5://{rest}"),
            None => answer.clone(),
        };
        if let Ok(proxy) = ProxyUrl::parse(&answer) {
            return Some(proxy);
        }
    }
    None
}

#[cfg(all(unix, not(target_os = "macos")))]
mod portal {
    use std::time::Duration;

    /// How long the portal may take, D-Bus activation included.
    const PORTAL_WAIT: Duration = Duration::from_secs(5);

    /// The portal's answer for `uri`: proxy addresses in order of preference.
    pub fn lookup(uri: &str) -> zbus::Result<Vec<String>> {
        let connection = zbus::blocking::connection::Builder::session()?
            .method_timeout(PORTAL_WAIT)
            .build()?;
        let reply = connection.call_method(
            Some("org.freedesktop.portal.Desktop"),
            "/org/freedesktop/portal/desktop",
            Some("org.freedesktop.portal.ProxyResolver"),
            "Lookup",
            &(uri,),
        )?;
        reply.body().deserialize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portals_answers_are_read_as_glib_writes_them() {
        let answers =
            |list: &[&str]| first_usable(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(answers(&["direct://"]), None);
        assert_eq!(
            answers(&["http://proxy.corp:3128"]).map(|p| p.host_port()),
            Some("proxy.corp:3128".into())
        );
        assert_eq!(
            answers(&["socks4://old:1080", "socks://s.corp:1080"]).map(|p| p.to_string()),
            Some("socks5://s.corp:1080".into())
        );
    }
}
