//! `clickatell-balance proxy set-password|delete-password`: the password of the proxy in
//! force, kept in the OS keyring under the user its address names.

use super::token::read_secret;
use super::{fail, ProxyAction};
use clickatell_core::context::Context;
use clickatell_core::network::{ProxyPassword, ProxyPasswordStore, ProxySetting};
use std::process::ExitCode;

/// Stores or removes the password of the proxy the settings (or `--proxy`) name.
pub fn run(context: &Context, action: ProxyAction) -> ExitCode {
    let settings = context.settings();
    let proxy = match ProxySetting::parse(&settings.proxy) {
        Ok(ProxySetting::Url(proxy)) => proxy,
        Ok(_) => {
            return fail(
                "No proxy address is set: set one with a user name (http://USER@HOST:PORT) in \
                 Settings, in settings.json's \"proxy\", or with --proxy, then store its password.",
            )
        }
        Err(e) => return fail(&format!("The proxy setting cannot be used: {e}.")),
    };
    let Some(store) = ProxyPasswordStore::for_proxy(&proxy) else {
        return fail(&format!(
            "The proxy address {proxy} names no user: write it as http://USER@{} so the \
             password can be stored for that user.",
            proxy.host_port()
        ));
    };
    let entry = store.describe();
    match action {
        ProxyAction::SetPassword => {
            let raw = match read_secret(&format!("Password for {proxy} (input is hidden): ")) {
                Ok(raw) => raw,
                Err(e) => return fail(&format!("Could not read the password: {e}.")),
            };
            let password = raw.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return fail("The password is empty. Nothing was stored.");
            }
            match store.set(&ProxyPassword::new(password.to_owned())) {
                Ok(()) => ok(&format!("The password for {proxy} was stored in {entry}.")),
                Err(e) => fail(&format!("{} Nothing was stored.", e.user_message())),
            }
        }
        ProxyAction::DeletePassword => match store.delete() {
            Ok(true) => ok(&format!(
                "The password for {proxy} was removed from {entry}."
            )),
            Ok(false) => ok(&format!("No password for {proxy} was stored in {entry}.")),
            Err(e) => fail(&e.user_message()),
        },
    }
}

fn ok(message: &str) -> ExitCode {
    println!("{message}");
    ExitCode::SUCCESS
}
