//! `clickatell-balance balance`: fetch once and print.

use super::{config, fail, GlobalArgs};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;

/// Prints `300.50 credits`, or with `--json` one object with the exact balance as a string.
pub fn run(global: &GlobalArgs, json: bool) -> ExitCode {
    let settings = config::load_settings();
    let source = config::source_config(global, &settings);
    let token = match config::resolve_token() {
        Ok(t) => t,
        Err(message) => return fail(&message),
    };
    let balance = match config::fetch_once(&source, &token) {
        Ok(b) => b,
        Err(e) => return fail(&e.user_message()),
    };
    if json {
        let fetched_at = time::OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let object = serde_json::json!({
            "balance": balance.amount.to_string(),
            "currency": balance.currency,
            "api": source.api.as_str(),
            "fetched_at": fetched_at,
        });
        println!("{object}");
    } else {
        println!("{balance}");
    }
    ExitCode::SUCCESS
}
