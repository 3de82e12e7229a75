//! `clickatell-balance check`: the monitoring-plugin mode.

use super::{config, GlobalArgs};
use clickatell_core::check::{
    report_balance, report_fetch_error, report_unknown, CheckReport, Thresholds,
};
use clickatell_core::Decimal;
use std::process::ExitCode;

/// Prints one plugin line and exits 0, 1, 2 or 3. Levels come from the flags, else settings.
pub fn run(global: &GlobalArgs, warning: Option<Decimal>, critical: Option<Decimal>) -> ExitCode {
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
    warning: Option<Decimal>,
    critical: Option<Decimal>,
) -> CheckReport {
    let settings = config::load_settings(global);
    let saved = settings.thresholds();
    let thresholds = Thresholds {
        warning: warning.or(saved.warning),
        critical: critical.or(saved.critical),
    };
    if let Err(message) = thresholds.validate() {
        return report_unknown(&format!("invalid levels: {message}"));
    }
    let source = config::source_config(global, &settings);
    let token = match config::resolve_token(global) {
        Ok(t) => t,
        Err(message) => return report_unknown(&message),
    };
    match config::fetch_once(global, &source, &token) {
        Ok(balance) => report_balance(&balance, &thresholds),
        Err(e) => report_fetch_error(&e),
    }
}
