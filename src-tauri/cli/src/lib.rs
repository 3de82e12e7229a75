//! The `clickatell-balance` command: `balance`, `check`, `token` and `watch`, thin layers over
//! `clickatell_core` with no desktop library, so a server runs them without GTK or WebKit.
//! With no subcommand it hands over to the tray app, installed beside it.

pub mod cli;
pub mod exit;
pub mod logging;

use cli::{generate_assets, Invocation};
use clickatell_core::context::{Context, RunOptions};
use exit::{CliError, Outcome};
use std::path::PathBuf;

/// The tray app's binary, installed beside this one.
pub const APP_BINARY: &str = "clickatell-balance-app";

/// The command line: a subcommand runs here; without one the tray app takes over, with the
/// same arguments, in this process (exec), so its single instance and pid are the user's.
pub fn run() -> Result<Outcome, CliError> {
    let cli = match cli::parse()? {
        Invocation::Cli(cli) => cli,
        Invocation::GenerateAssets(dir) => return generate_assets::run(&dir),
    };
    let options = cli.run_options();
    match cli.command {
        Some(command) => {
            started(&cli.global, command.name());
            cli::execute(&context(options), command)
        }
        None => launch_app(),
    }
}

/// The tray app's entry: the same command line, with `desktop` run when no subcommand is given
/// (its error the sentence to say).
pub fn run_app(desktop: impl FnOnce(Context) -> Result<(), String>) -> Result<Outcome, CliError> {
    let cli = match cli::parse()? {
        Invocation::Cli(cli) => cli,
        Invocation::GenerateAssets(dir) => return generate_assets::run(&dir),
    };
    started(
        &cli.global,
        cli.command.as_ref().map_or("tray app", cli::Command::name),
    );
    let context = context(cli.run_options());
    match cli.command {
        Some(command) => cli::execute(&context, command),
        None => desktop(context)
            .map(|()| Outcome::Done)
            .map_err(CliError::Failed),
    }
}

/// The run's context from its flags, its notices said once on stderr.
fn context(options: RunOptions) -> Context {
    let context = Context::resolve(options);
    for notice in &context.notices {
        eprintln!("clickatell-balance: warning: {notice}");
    }
    context
}

fn started(global: &cli::GlobalArgs, command: &str) {
    logging::init();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command,
        demo = global.demo,
        "started"
    );
}

/// The tray app beside this program (as the package installs both), else on `PATH`.
fn app_binary() -> Option<PathBuf> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(APP_BINARY)))
        .filter(|path| path.is_file());
    beside.or_else(|| which::which(APP_BINARY).ok())
}

fn launch_app() -> Result<Outcome, CliError> {
    let Some(app) = app_binary() else {
        return Err(CliError::Failed(format!(
            "the tray app is not installed ({APP_BINARY} is neither beside this program nor on \
             PATH). Install the desktop package for it, or use a command: see \
             `clickatell-balance --help`."
        )));
    };
    let mut command = std::process::Command::new(&app);
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    let error = {
        use std::os::unix::process::CommandExt;
        command.exec()
    };
    #[cfg(not(unix))]
    let error = match command.status() {
        Ok(status) => return Ok(Outcome::Exited(status.code().unwrap_or(1) as u8)),
        Err(e) => e,
    };
    Err(CliError::Failed(format!(
        "the tray app {} could not be started: {error}",
        app.display()
    )))
}
