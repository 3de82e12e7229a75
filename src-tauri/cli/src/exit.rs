//! How a run ends: what a command reports by its exit status, why it failed, and the one place
//! (`report`, called by both programs' `main`) that says it and picks the exit code, as
//! sharkdp/bat's `main.rs` does.

use clickatell_core::check::CheckStatus;
use std::process::ExitCode;

/// What a command that ran to its end says by its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done: exit 0.
    Done,
    /// The command's own output already says what failed (an account in `balance --all`'s
    /// table, no stored token for `token status`): exit 1 with nothing more said.
    Shown,
    /// `check`'s plugin status: exit 0, 1, 2 or 3 as the monitoring-plugin API defines.
    Plugin(CheckStatus),
    /// The tray app's own exit status, where it cannot take over this process (Windows).
    Exited(u8),
}

/// Why a run failed, each with the sentence that tells the user what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The arguments could not be parsed (help and version come this way too, from clap);
    /// `plugin` when they were for `check`, whose callers read any failure as UNKNOWN.
    #[error("{error}")]
    Arguments { error: clap::Error, plugin: bool },
    /// The arguments parse but do not say enough to act on, such as which account.
    #[error("{0}")]
    Usage(String),
    /// The command ran and failed.
    #[error("{0}")]
    Failed(String),
}

/// Ends the run: says the outcome's failure, if any, on stderr and gives its exit code: usage
/// errors 2 (3 for `check`), failures 1, help and version 0.
pub fn report(result: Result<Outcome, CliError>) -> ExitCode {
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Shown) => ExitCode::FAILURE,
        Ok(Outcome::Plugin(status)) => ExitCode::from(status.exit_code()),
        Ok(Outcome::Exited(code)) => ExitCode::from(code),
        Err(CliError::Arguments { error, plugin }) => {
            let _ = error.print();
            match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ if plugin => ExitCode::from(CheckStatus::Unknown.exit_code()),
                _ => ExitCode::from(2),
            }
        }
        Err(CliError::Usage(message)) => {
            say(&message);
            ExitCode::from(2)
        }
        Err(CliError::Failed(message)) => {
            say(&message);
            ExitCode::FAILURE
        }
    }
}

/// One line for the user on stderr, named after the program.
fn say(message: &str) {
    eprintln!("clickatell-balance: {}", message.replace('\n', " "));
}
