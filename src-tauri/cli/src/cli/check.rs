//! `clickatell-balance check`: the monitoring-plugin mode, one account per check.

use clickatell_core::check::{report_balance, report_unknown, CheckLevels, CheckReport};
use clickatell_core::context::Context;
use clickatell_core::plugin_range::PluginRange;

use crate::exit::Outcome;

/// Prints one plugin line; its status is the exit code. Levels come from the flags, else the
/// account's settings. With several accounts and no `--account`, UNKNOWN naming them.
pub fn run(
    context: &Context,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> Outcome {
    let report = evaluate(context, warning, critical);
    println!("{}", report.line);
    Outcome::Plugin(report.status)
}

fn evaluate(
    context: &Context,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> CheckReport {
    let account = match context.account() {
        Ok(a) => a,
        Err(choice) => return report_unknown(None, &super::choice_message(context, &choice)),
    };
    let label = context.account_label(&account);
    let label = label.as_deref();
    let levels = match CheckLevels::resolve(warning, critical, account.thresholds()) {
        Ok(levels) => levels,
        Err(message) => return report_unknown(label, &format!("invalid levels: {message}")),
    };
    let token = match super::token(context, &account) {
        Ok(t) => t,
        Err(message) => return report_unknown(label, &message),
    };
    match context.fetch_once(&account, &token) {
        Ok(balance) => report_balance(label, &balance, &levels),
        Err(e) => report_unknown(label, &super::say(e.user_message(), e.remedy())),
    }
}
