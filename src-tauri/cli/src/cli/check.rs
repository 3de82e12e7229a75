//! `clickatell-balance check`: the monitoring-plugin mode.

use clickatell_core::check::{
    report_balance, report_fetch_error, report_unknown, CheckLevels, CheckReport,
};
use clickatell_core::context::Context;
use clickatell_core::plugin_range::PluginRange;
use std::process::ExitCode;

/// Prints one plugin line and exits 0, 1, 2 or 3. Levels come from the flags, else settings.
pub fn run(
    context: &Context,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> ExitCode {
    let report = evaluate(context, warning, critical);
    println!("{}", report.line);
    ExitCode::from(report.status.exit_code() as u8)
}

fn evaluate(
    context: &Context,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> CheckReport {
    let account = context.account_label();
    let settings = context.settings();
    let levels = match CheckLevels::resolve(warning, critical, settings.thresholds()) {
        Ok(levels) => levels,
        Err(message) => return report_unknown(account, &format!("invalid levels: {message}")),
    };
    let token = match context.token() {
        Ok(t) => t,
        Err(message) => return report_unknown(account, &message),
    };
    match context.fetch_once(&settings.source_config(), &token) {
        Ok(balance) => report_balance(account, &balance, &levels),
        Err(e) => report_fetch_error(account, &e),
    }
}
