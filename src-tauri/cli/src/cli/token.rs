//! `clickatell-balance token set|delete|status`.

use super::{fail, TokenAction};
use clickatell_core::context::Context;
use clickatell_core::token_store::{
    TokenOrigin, TokenSources, TokenStore, KEYRING_NAME, SERVICE, TOKEN_ENV, USER,
};
use clickatell_core::ApiToken;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// Most bytes read from standard input for a token; far above any real token.
const MAX_INPUT: u64 = 64 * 1024;

/// Runs a token action; the token's value is never printed.
pub fn run(context: &Context, action: TokenAction) -> ExitCode {
    let store = TokenStore::default();
    match action {
        TokenAction::Set => set(&store),
        TokenAction::Delete => match store.delete() {
            Ok(true) => ok(&format!("The token was removed from the {KEYRING_NAME}.")),
            Ok(false) => ok(&format!("No token was stored in the {KEYRING_NAME}.")),
            Err(e) => fail(&e.user_message()),
        },
        TokenAction::Status => status(&store, &context.token_sources),
    }
}

fn set(store: &TokenStore) -> ExitCode {
    let raw = match read_token() {
        Ok(raw) => raw,
        Err(e) => return fail(&format!("Could not read the token: {e}.")),
    };
    let token = match ApiToken::parse(&raw) {
        Ok(t) => t,
        Err(e) => {
            return fail(&format!(
                "That token cannot be used: {e}. Nothing was stored."
            ))
        }
    };
    match store.set(&token) {
        Ok(()) => ok(&format!(
            "The token was stored in the {KEYRING_NAME} (service {SERVICE}, user {USER})."
        )),
        Err(e) => fail(&format!("{} Nothing was stored.", e.user_message())),
    }
}

fn read_token() -> std::io::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        rpassword::prompt_password("Clickatell API token (input is hidden): ")
    } else {
        let mut raw = String::new();
        stdin.lock().take(MAX_INPUT).read_to_string(&mut raw)?;
        Ok(raw)
    }
}

/// Says which token would be used, and from where, in the documented order of sources.
fn status(store: &TokenStore, sources: &TokenSources) -> ExitCode {
    match store.resolve(sources) {
        Ok(Some((_, TokenOrigin::File(path)))) => ok(&format!(
            "The token is read from {} (readable by its owner only).",
            path.display()
        )),
        Ok(Some((_, TokenOrigin::Environment))) => ok(&format!(
            "{TOKEN_ENV} is set and is used instead of the keyring."
        )),
        Ok(Some((_, TokenOrigin::Credential(path)))) => ok(&format!(
            "The token is read from the systemd credential {}.",
            path.display()
        )),
        Ok(Some((_, TokenOrigin::Keyring))) => ok(&format!(
            "A token is stored in the {KEYRING_NAME} (service {SERVICE}, user {USER})."
        )),
        Ok(None) => {
            println!("No token is stored in the {KEYRING_NAME}.");
            ExitCode::FAILURE
        }
        Err(e) => fail(&e.user_message()),
    }
}

fn ok(message: &str) -> ExitCode {
    println!("{message}");
    ExitCode::SUCCESS
}
