//! The `clickatell-balance` program: the command line and the desktop tray app, both thin
//! layers over `clickatell_core`.

pub mod cli;
pub mod desktop;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line and runs the chosen command, or the tray app when none is given.
pub fn run() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::usage_error(e),
    };
    init_logging();
    match cli.command {
        Some(command) => cli::execute(&cli.global, command),
        None => desktop::run(&cli.global),
    }
}

/// Logs go to stderr, quiet by default; `RUST_LOG` raises the level. No log line ever holds the
/// token: it is only reachable through `ApiToken::expose`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}
