//! `clickatell-balance check`: the monitoring-plugin mode.

use super::{config, GlobalArgs};
use clickatell_core::check::{
    report_balance, report_fetch_error, report_unknown, CheckLevels, CheckReport,
};
use clickatell_core::plugin_range::PluginRange;
use std::process::ExitCode;

/// Prints one plugin line and exits 0, 1, 2 or 3. Levels come from the flags, else settings.
pub fn run(
    global: &GlobalArgs,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> ExitCode {
    let report = evaluate(global, warning, critical);
    if global.demo {
        println!(
            "{}",
            report.line.replacen("CLICKATELL", "CLICKATELL DEMO", 1)
        );
    } else {
        println!("{}", report.line);
    }
    ExitCode::from(report.status.exit_code() as u8)
}

fn evaluate(
    global: &GlobalArgs,
    warning: Option<PluginRange>,
    critical: Option<PluginRange>,
) -> CheckReport {
    let settings = config::load_settings(global);
    let levels = match CheckLevels::resolve(warning, critical, settings.thresholds()) {
        Ok(levels) => levels,
        Err(message) => return report_unknown(&format!("invalid levels: {message}")),
    };
    let source = config::source_config(global, &settings);
    let token = match config::resolve_token(global) {
        Ok(t) => t,
        Err(message) => return report_unknown(&message),
    };
    match config::fetch_once(global, &source, &token) {
        Ok(balance) => report_balance(&balance, &levels),
        Err(e) => report_fetch_error(&e),
    }
}
