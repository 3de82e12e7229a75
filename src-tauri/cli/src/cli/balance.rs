//! `clickatell-balance balance`: fetch once and print.

use super::{config, fail, GlobalArgs};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;

/// The `--json` output: the balance as an exact string, in a fixed field order.
#[derive(serde::Serialize)]
struct Reading<'a> {
    balance: String,
    currency: Option<&'a str>,
    api: &'a str,
    fetched_at: String,
}

/// Prints `300.50 credits`, or with `--json` one object with the exact balance as a string.
pub fn run(global: &GlobalArgs, json: bool) -> ExitCode {
    let settings = config::load_settings(global);
    let source = config::source_config(global, &settings);
    let token = match config::resolve_token(global) {
        Ok(t) => t,
        Err(message) => return fail(&message),
    };
    let balance = match config::fetch_once(global, &source, &token) {
        Ok(b) => b,
        Err(e) => return fail(&e.user_message()),
    };
    if json {
        let fetched_at = time::OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let reading = Reading {
            balance: balance.amount.to_string(),
            currency: balance.currency.as_deref(),
            api: source.api.as_str(),
            fetched_at,
        };
        println!("{}", serde_json::to_string(&reading).unwrap_or_default());
    } else if global.demo {
        println!("{balance} (demo)");
    } else {
        println!("{balance}");
    }
    ExitCode::SUCCESS
}
