//! `clickatell-balance proxy set-password|delete-password`: the password of the proxy in
//! force, kept in the OS keyring under the user its address names.

use super::token::read_secret;
use super::{done, failed, ProxyAction};
use crate::exit::{CliError, Outcome};
use clickatell_core::context::Context;
use clickatell_core::network::{ProxyPassword, ProxyPasswordStore, ProxySetting};

/// Stores or removes the password of the proxy the settings (or `--proxy`) name.
pub fn run(context: &Context, action: ProxyAction) -> Result<Outcome, CliError> {
    let settings = context.settings();
    let proxy = match ProxySetting::parse(&settings.proxy) {
        Ok(ProxySetting::Url(proxy)) => proxy,
        Ok(_) => {
            return Err(failed(
                "No proxy address is set: set one with a user name (http://USER@HOST:PORT) in \
                 Settings, in settings.json's \"proxy\", or with --proxy, then store its password.",
            ))
        }
        Err(e) => return Err(failed(format!("The proxy setting cannot be used: {e}."))),
    };
    let Some(store) = ProxyPasswordStore::for_proxy(&proxy) else {
        return Err(failed(format!(
            "The proxy address {proxy} names no user: write it as http://USER@{} so the \
             password can be stored for that user.",
            proxy.host_port()
        )));
    };
    let entry = store.describe();
    match action {
        ProxyAction::SetPassword => {
            let raw = read_secret(&format!("Password for {proxy} (input is hidden): "))
                .map_err(|e| failed(format!("Could not read the password: {e}.")))?;
            let password = raw.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return Err(failed("The password is empty. Nothing was stored."));
            }
            store
                .set(&ProxyPassword::new(password.to_owned()))
                .map_err(|e| failed(format!("{} Nothing was stored.", e.user_message())))?;
            done(&format!("The password for {proxy} was stored in {entry}."))
        }
        ProxyAction::DeletePassword => match store.delete() {
            Ok(true) => done(&format!(
                "The password for {proxy} was removed from {entry}."
            )),
            Ok(false) => done(&format!("No password for {proxy} was stored in {entry}.")),
            Err(e) => Err(failed(e.user_message())),
        },
    }
}
