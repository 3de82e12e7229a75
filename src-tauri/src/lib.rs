//! The `clickatell-balance` program: the command line and the desktop tray app, both thin
//! layers over `clickatell_core`.

pub mod cli;
pub mod desktop;
mod logging;
pub mod top_up;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line and runs the chosen command, or the tray app when none is given.
pub fn run() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::usage_error(e),
    };
    logging::init();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command = cli.command.as_ref().map_or("tray app", cli::Command::name),
        demo = cli.global.demo,
        "started"
    );
    match cli.command {
        Some(command) => cli::execute(&cli.global, command),
        None => desktop::run(&cli.global),
    }
}
