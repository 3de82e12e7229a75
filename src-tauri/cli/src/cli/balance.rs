//! `clickatell-balance balance`: fetch once and print.

use super::fail;
use clickatell_core::context::Context;
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
pub fn run(context: &Context, json: bool) -> ExitCode {
    let source = context.settings().source_config();
    let token = match context.token() {
        Ok(t) => t,
        Err(message) => return fail(&message),
    };
    let balance = match context.fetch_once(&source, &token) {
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
    } else if let Some(label) = context.account_label() {
        println!("{balance} ({})", label.to_lowercase());
    } else {
        println!("{balance}");
    }
    ExitCode::SUCCESS
}
