//! The command line: argument definitions and the commands behind them.

mod balance;
mod check;
mod metrics;
mod proxy;
mod token;
mod watch;

use clap::{Args, Parser, Subcommand};
use clickatell_core::account::Account;
use clickatell_core::clickatell::parse_exact;
use clickatell_core::context::{Context, RunOptions};
use clickatell_core::limits;
use clickatell_core::network::ProxySetting;
use clickatell_core::plugin_range::PluginRange;
use clickatell_core::{Api, Decimal, Format};
use std::process::ExitCode;

/// Watches a Clickatell account's credit balance from the tray, or checks it from scripts.
#[derive(Debug, Parser)]
#[command(name = "clickatell-balance", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; with none, the tray app starts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options that apply to every command; each overrides the saved settings for this run.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// The account to act on, by name or id, when several are set up (`balance`, `check`,
    /// `token`, `watch`); without it, `watch` and `balance --all` take every enabled one.
    #[arg(long, global = true, value_name = "NAME|ID")]
    pub account: Option<String>,
    /// Which Clickatell API the token belongs to: rest (legacy) or one-api.
    #[arg(long, global = true, value_parser = parse_api, value_name = "rest|one-api")]
    pub api: Option<Api>,
    /// Response format asked of the legacy REST API.
    #[arg(long, global = true, value_parser = parse_format, value_name = "json|xml")]
    pub format: Option<Format>,
    /// Another address for the API (https://, or http:// to this machine for testing).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Connect and total timeout of a request, in seconds (as the timeout setting allows).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<u64>,
    /// How to reach Clickatell for this run: system (the environment's proxy, else the
    /// desktop's), none, or a proxy address such as http://USER:PASSWORD@proxy:3128 (http,
    /// https, socks5).
    #[arg(long, global = true, value_name = "system|none|URL", value_parser = parse_proxy)]
    pub proxy: Option<String>,
    /// Trust the CA certificates in this PEM file besides the machine's store (a company's
    /// TLS-inspecting proxy).
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Option<std::path::PathBuf>,
    /// Use a built-in simulated account (no network, no token) with its own settings and
    /// history, to try the app without a Clickatell account.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Read the token from this file, which only its owner may read (also
    /// CLICKATELL_TOKEN_FILE); for services without a keyring.
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<std::path::PathBuf>,
    /// Started by the desktop's autostart at login, when the panel may still be starting:
    /// the tray app waits longer for a tray host before showing its window.
    #[arg(long, global = true, hide = true)]
    pub at_login: bool,
}

impl GlobalArgs {
    /// What these flags ask of the run, for the context that resolves them.
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            demo: self.demo,
            account: self.account.clone(),
            api: self.api,
            format: self.format,
            base_url: self.base_url.clone(),
            timeout_secs: self.timeout,
            proxy: self.proxy.clone(),
            ca_file: self.ca_file.clone(),
            token_file: self.token_file.clone(),
            at_login: self.at_login,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch the balance once and print it.
    Balance {
        /// Print JSON instead of text: one object, or with --all an array of them.
        #[arg(long)]
        json: bool,
        /// Every enabled account, as a table (or a JSON array), read at once.
        #[arg(long, conflicts_with = "account")]
        all: bool,
        /// Also say, on standard error, the way the request took (direct or which proxy,
        /// and where it was set) and who signed the server's certificate.
        #[arg(long, short, conflicts_with = "all")]
        verbose: bool,
    },
    /// Monitoring-plugin check: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    Check {
        /// Warn below this balance, or outside a plugin range such as 400:, ~:400, 10:20 or
        /// @10:20 (default: the saved warning level).
        #[arg(long, value_parser = parse_plugin_level, value_name = "AMOUNT|RANGE")]
        warning: Option<PluginRange>,
        /// Critical below this balance, or outside a plugin range (default: the saved critical
        /// level).
        #[arg(long, value_parser = parse_plugin_level, value_name = "AMOUNT|RANGE")]
        critical: Option<PluginRange>,
    },
    /// Keep watching: poll on a timer, notify on the desktop, log each change on stderr.
    Watch {
        /// Poll interval for this run, e.g. 90s or 5m (default: the saved one); at least 1s.
        #[arg(long, value_parser = parse_interval, value_name = "DURATION")]
        interval: Option<std::time::Duration>,
        /// Warn below this balance (default: the saved warning level).
        #[arg(long, value_parser = parse_level, value_name = "AMOUNT")]
        warning: Option<Decimal>,
        /// Critical below this balance (default: the saved critical level).
        #[arg(long, value_parser = parse_level, value_name = "AMOUNT")]
        critical: Option<Decimal>,
        /// Serve Prometheus metrics at http://ADDR:PORT/metrics (loopback only, unless
        /// --metrics-allow-remote), e.g. 127.0.0.1:9773.
        #[arg(long, value_name = "ADDR:PORT")]
        metrics_listen: Option<std::net::SocketAddr>,
        /// Allow --metrics-listen on an address other machines can reach.
        #[arg(long, requires = "metrics_listen")]
        metrics_allow_remote: bool,
    },
    /// Store, remove or inspect the API token in the OS keyring.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Store or remove the password of the proxy in force (its address names the user, as
    /// in http://USER@proxy:3128), in the OS keyring.
    Proxy {
        #[command(subcommand)]
        action: ProxyAction,
    },
}

impl Command {
    /// The subcommand's name, for the log line that marks each start.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Balance { .. } => "balance",
            Self::Check { .. } => "check",
            Self::Watch { .. } => "watch",
            Self::Token { .. } => "token",
            Self::Proxy { .. } => "proxy",
        }
    }
}

/// What to do with the stored token.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum TokenAction {
    /// Store the token: read from standard input when piped, else asked for without echo.
    Set,
    /// Remove the stored token.
    Delete,
    /// Say whether a token is stored and where (never its value).
    Status,
}

/// What to do with the proxy's stored password.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum ProxyAction {
    /// Store the password: read from standard input when piped, else asked for without echo.
    SetPassword,
    /// Remove the stored password.
    DeletePassword,
}

fn parse_proxy(s: &str) -> Result<String, String> {
    ProxySetting::parse(s)
        .map(|_| s.trim().to_owned())
        .map_err(|e| e.to_string())
}

fn parse_api(s: &str) -> Result<Api, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_timeout(s: &str) -> Result<u64, String> {
    let secs: u64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number of seconds"))?;
    if limits::TIMEOUT.allows(secs) {
        Ok(secs)
    } else {
        Err(format!("the timeout {}", limits::TIMEOUT.message()))
    }
}

/// A run's interval may go below the setting's minimum, down to a second, for trying things
/// out against a test server; the setting's maximum holds.
fn parse_interval(s: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("{s:?} is not a duration ({e})"))?;
    let max = std::time::Duration::from_secs(limits::POLL_INTERVAL.max);
    if d < std::time::Duration::from_secs(1) || d > max {
        return Err(format!(
            "the interval must be between 1s and {}",
            humantime::format_duration(max)
        ));
    }
    Ok(d)
}

fn parse_level(s: &str) -> Result<Decimal, String> {
    parse_exact(s).map_err(|e| e.replace("the balance", "the level"))
}

fn parse_plugin_level(s: &str) -> Result<PluginRange, String> {
    PluginRange::parse_level(s).map_err(|e| e.replace("the balance", "the level"))
}

/// Runs one subcommand and returns its exit code.
pub fn execute(context: &Context, command: Command) -> ExitCode {
    match command {
        Command::Balance { json, all, verbose } => balance::run(context, json, all, verbose),
        Command::Check { warning, critical } => check::run(context, warning, critical),
        Command::Token { action } => token::run(context, action),
        Command::Proxy { action } => proxy::run(context, action),
        Command::Watch {
            interval,
            warning,
            critical,
            metrics_listen,
            metrics_allow_remote,
        } => watch::run(
            context,
            watch::Options {
                interval,
                warning,
                critical,
                metrics: metrics_listen.map(|addr| metrics::Endpoint {
                    addr,
                    allow_remote: metrics_allow_remote,
                }),
            },
        ),
    }
}

/// Reports bad arguments. Help and version exit 0 as usual; a usage error exits 2, except for
/// `check`, whose callers (monitoring systems) read any failure as UNKNOWN, exit 3.
pub fn usage_error(e: clap::Error) -> ExitCode {
    let is_check = std::env::args().skip(1).any(|a| a == "check");
    let _ = e.print();
    match e.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            ExitCode::SUCCESS
        }
        _ if is_check => ExitCode::from(3),
        _ => ExitCode::from(2),
    }
}

/// Prints a one-line error for the user on stderr.
fn fail(message: &str) -> ExitCode {
    eprintln!("clickatell-balance: {}", message.replace('\n', " "));
    ExitCode::FAILURE
}

/// The one account a command acts on, or the exit for a run that did not say which (a usage
/// error: exit 2, with the accounts to choose from).
fn one_account(context: &Context) -> Result<Account, ExitCode> {
    context.account().map_err(|choice| {
        fail(&context.choice_message(&choice));
        ExitCode::from(2)
    })
}
