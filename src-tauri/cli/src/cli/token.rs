//! `clickatell-balance token set|delete|status`, for one account.

use super::{done, failed, one_account, TokenAction};
use crate::exit::{CliError, Outcome};
use clickatell_core::context::Context;
use clickatell_core::token_store::{TokenFor, TokenOrigin, TokenSources, KEYRING_NAME, SERVICE};
use clickatell_core::ApiToken;
use std::io::{IsTerminal, Read};

/// Most bytes read from standard input for a secret; far above any real token or password.
const MAX_INPUT: u64 = 64 * 1024;

/// Runs a token action on the account the run is about; the token's value is never printed.
pub fn run(context: &Context, action: TokenAction) -> Result<Outcome, CliError> {
    let account = one_account(context)?;
    let whose = context.token_for(&account);
    let entry = format!(
        "the {KEYRING_NAME} (service {SERVICE}, user {})",
        account.id
    );
    let of = match context.account_label(&account) {
        Some(name) => format!(" of {name}"),
        None => String::new(),
    };
    match action {
        TokenAction::Set => set(&whose, &entry, &of),
        TokenAction::Delete => match whose.delete() {
            Ok(true) => done(&format!("The token{of} was removed from {entry}.")),
            Ok(false) => done(&format!("No token{of} was stored in {entry}.")),
            Err(e) => Err(failed(super::say(e.user_message(), e.remedy()))),
        },
        TokenAction::Status => status(&whose, &context.token_sources, &entry, &of),
    }
}

fn set(whose: &TokenFor, entry: &str, of: &str) -> Result<Outcome, CliError> {
    let raw = read_secret("Clickatell API token (input is hidden): ")
        .map_err(|e| failed(format!("Could not read the token: {e}.")))?;
    let token = ApiToken::parse(&raw).map_err(|e| {
        failed(format!(
            "That token cannot be used: {e}. Nothing was stored."
        ))
    })?;
    whose.set(&token).map_err(|e| {
        let sentence = super::say(e.user_message(), e.remedy());
        failed(format!("{sentence} Nothing was stored."))
    })?;
    done(&format!("The token{of} was stored in {entry}."))
}

/// A secret from standard input when piped, else asked for at the terminal without echo.
pub(super) fn read_secret(prompt: &str) -> std::io::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        rpassword::prompt_password(prompt)
    } else {
        let mut raw = String::new();
        stdin.lock().take(MAX_INPUT).read_to_string(&mut raw)?;
        Ok(raw)
    }
}

/// Says which token would be used, and from where, in the documented order of sources.
fn status(
    whose: &TokenFor,
    sources: &TokenSources,
    entry: &str,
    of: &str,
) -> Result<Outcome, CliError> {
    match whose.resolve(sources) {
        Ok(Some((_, TokenOrigin::File(path)))) => done(&format!(
            "The token{of} is read from {} (readable by its owner only).",
            path.display()
        )),
        Ok(Some((_, TokenOrigin::Environment(var)))) => {
            done(&format!("{var} is set and is used instead of the keyring."))
        }
        Ok(Some((_, TokenOrigin::Credential(path)))) => done(&format!(
            "The token{of} is read from the systemd credential {}.",
            path.display()
        )),
        Ok(Some((_, TokenOrigin::Keyring))) => done(&format!("A token{of} is stored in {entry}.")),
        Ok(None) => {
            println!("No token{of} is stored in {entry}.");
            Ok(Outcome::Shown)
        }
        Err(e) => Err(failed(super::say(e.user_message(), e.remedy()))),
    }
}
