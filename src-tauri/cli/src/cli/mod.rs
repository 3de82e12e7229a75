//! The command line: argument definitions and the commands behind them.

mod alert;
mod balance;
mod check;
pub mod generate_assets;
mod history;
mod metrics;
mod proxy;
mod token;
mod watch;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};
use clickatell_core::account::Account;
use clickatell_core::clickatell::parse_exact;
use clickatell_core::context::{Choice, Context, NoToken, RunOptions};
use clickatell_core::history_export::ExportFormat;
use clickatell_core::limits;
use clickatell_core::network::ProxySetting;
use clickatell_core::plugin_range::PluginRange;
use clickatell_core::remedy::Remedy;
use clickatell_core::token_names::{TOKEN_ENV, TOKEN_FILE_ENV};
use clickatell_core::{Api, ApiToken, Decimal, Format};
use strum::VariantNames;

use crate::exit::{CliError, Outcome};

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
    /// `token`, `watch`, `history`); without it, `watch` and `balance --all` take every
    /// enabled one, `history` every one.
    #[arg(long, global = true, value_name = "NAME|ID")]
    pub account: Option<String>,
    /// Which Clickatell API the token belongs to: rest (legacy) or one-api.
    #[arg(long, global = true, value_parser = one_of::<Api>(), value_name = "rest|one-api")]
    pub api: Option<Api>,
    /// Response format asked of the legacy REST API (json, xml); for `history`, the
    /// export's (csv, the default, or json).
    #[arg(long, global = true, value_parser = one_of::<FormatFlag>(), value_name = "json|xml|csv")]
    pub format: Option<FormatFlag>,
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

/// What `--format` names: the legacy REST API's response format, or the history export's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum FormatFlag {
    Json,
    Xml,
    Csv,
}

impl Cli {
    /// Gives `history` its export format from `--format`, and refuses a format the command
    /// cannot use (`csv` for the API, `xml` for an export).
    fn settle_format(mut self) -> Result<Self, CliError> {
        let flag = self.global.format;
        match (&mut self.command, flag) {
            (Some(Command::History { .. }), Some(FormatFlag::Xml)) => {
                return Err(CliError::Usage(
                    "history exports csv or json, not xml: give --format csv or --format json."
                        .into(),
                ));
            }
            (Some(Command::History { format, .. }), flag) => {
                *format = Some(match flag {
                    Some(FormatFlag::Json) => ExportFormat::Json,
                    _ => ExportFormat::Csv,
                });
            }
            (_, Some(FormatFlag::Csv)) => {
                return Err(CliError::Usage(
                    "--format csv is for `history`; the API's formats are json and xml.".into(),
                ))
            }
            _ => {}
        }
        Ok(self)
    }

    /// What the flags ask of the run, for the context that resolves them: the global ones,
    /// and `watch`'s levels and interval.
    pub fn run_options(&self) -> RunOptions {
        let g = &self.global;
        let mut options = RunOptions {
            demo: g.demo,
            account: g.account.clone(),
            api: g.api,
            format: g.format.and_then(|f| match f {
                FormatFlag::Json => Some(Format::Json),
                FormatFlag::Xml => Some(Format::Xml),
                FormatFlag::Csv => None,
            }),
            base_url: g.base_url.clone(),
            timeout_secs: g.timeout,
            proxy: g.proxy.clone(),
            ca_file: g.ca_file.clone(),
            token_file: g.token_file.clone(),
            at_login: g.at_login,
            ..RunOptions::default()
        };
        if let Some(Command::Watch {
            interval,
            warning,
            critical,
            ..
        }) = &self.command
        {
            options.interval = *interval;
            options.warning_level = *warning;
            options.critical_level = *critical;
        }
        options
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
        #[arg(long, value_parser = PluginRange::parse_level, value_name = "AMOUNT|RANGE")]
        warning: Option<PluginRange>,
        /// Critical below this balance, or outside a plugin range (default: the saved critical
        /// level).
        #[arg(long, value_parser = PluginRange::parse_level, value_name = "AMOUNT|RANGE")]
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
    /// Print the recorded readings, for accounting: every account's (or --account's), as
    /// CSV with a header (RFC 4180) or, with --format json, as JSON; exact amounts, UTC
    /// times, top-ups flagged.
    History {
        /// The export's format, from --format.
        #[arg(skip)]
        format: Option<ExportFormat>,
        /// From this day (YYYY-MM-DD, UTC) or time (RFC 3339); default: all kept.
        #[arg(long, value_name = "DATE", value_parser = history::parse_when)]
        since: Option<history::When>,
        /// Up to the end of this day (YYYY-MM-DD, UTC) or this time (RFC 3339); default: now.
        #[arg(long, value_name = "DATE", value_parser = history::parse_when)]
        until: Option<history::When>,
    },
    /// Team alert channels (webhooks and email, set up in the settings): store a channel's
    /// secret in the OS keyring, or send a test alert.
    Alert {
        #[command(subcommand)]
        action: AlertAction,
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
            Self::Alert { .. } => "alert",
            Self::History { .. } => "history",
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

/// What to do with a team alert channel.
#[derive(Debug, Clone, Subcommand)]
pub enum AlertAction {
    /// Store a channel's secret (a webhook's address, which carries the receiver's token, or
    /// an SMTP password): read from standard input when piped, else asked for without echo.
    SetSecret {
        /// The channel, by its name in the settings.
        #[arg(long)]
        channel: String,
    },
    /// Remove a channel's stored secret.
    DeleteSecret {
        /// The channel, by its name in the settings.
        #[arg(long)]
        channel: String,
    },
    /// Send a test alert to every channel (or the one named) once; fails if one fails.
    Test {
        /// Only this channel, by its name in the settings.
        #[arg(long)]
        channel: Option<String>,
    },
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

/// One of an enum's names, as the core spells them; clap lists them when another is given,
/// and the completions offer them.
fn one_of<T>() -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr<Err = strum::ParseError> + VariantNames + Clone + Send + Sync + 'static,
{
    clap::builder::PossibleValuesParser::new(T::VARIANTS).try_map(|name| name.parse::<T>())
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
    parse_exact(s).map_err(|e| format!("the level {e}"))
}

/// Runs one subcommand.
pub fn execute(context: &Context, command: Command) -> Result<Outcome, CliError> {
    // The commands on stored secrets and channels, which the demo leaves alone.
    if let (Command::Token { .. } | Command::Proxy { .. } | Command::Alert { .. }, Err(refusal)) =
        (&command, context.allow_secrets())
    {
        return Err(failed(refusal.to_string()));
    }
    match command {
        Command::Balance { json, all, verbose } => balance::run(context, json, all, verbose),
        Command::Check { warning, critical } => Ok(check::run(context, warning, critical)),
        Command::Token { action } => token::run(context, action),
        Command::Proxy { action } => proxy::run(context, action),
        Command::Alert { action } => alert::run(context, action),
        Command::History {
            format,
            since,
            until,
        } => history::run(context, format.unwrap_or(ExportFormat::Csv), since, until),
        Command::Watch {
            metrics_listen,
            metrics_allow_remote,
            ..
        } => watch::run(
            context,
            watch::Options {
                metrics: metrics_listen.map(|addr| metrics::Endpoint {
                    addr,
                    allow_remote: metrics_allow_remote,
                }),
            },
        ),
    }
}

/// What a run was asked for: the user's command line, or where the packaging scripts want the
/// man page and completions written (a command that `--help`, the man page and the
/// completions never show, as it is not the user's).
#[derive(Debug)]
pub enum Invocation {
    Cli(Box<Cli>),
    GenerateAssets(std::path::PathBuf),
}

/// Parses the command line. A refusal says whether it was meant for `check`, read from the
/// arguments leniently (the subcommand clap finds when it ignores the errors).
pub fn parse() -> Result<Invocation, CliError> {
    parse_from(std::env::args_os().collect())
}

fn parse_from(args: Vec<std::ffi::OsString>) -> Result<Invocation, CliError> {
    let command_line = <Cli as clap::CommandFactory>::command().subcommand(
        clap::Command::new(generate_assets::COMMAND).hide(true).arg(
            clap::Arg::new("dir")
                .required(true)
                .value_parser(clap::value_parser!(std::path::PathBuf)),
        ),
    );
    let refused = |error| CliError::Arguments {
        error,
        plugin: command_line
            .clone()
            .ignore_errors(true)
            .try_get_matches_from(&args)
            .is_ok_and(|matches| matches.subcommand_name() == Some("check")),
    };
    let matches = command_line
        .clone()
        .try_get_matches_from(&args)
        .map_err(refused)?;
    if let Some((generate_assets::COMMAND, sub)) = matches.subcommand() {
        let dir = sub
            .get_one::<std::path::PathBuf>("dir")
            .cloned()
            .unwrap_or_default();
        return Ok(Invocation::GenerateAssets(dir));
    }
    let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches).map_err(refused)?;
    Ok(Invocation::Cli(Box::new(cli.settle_format()?)))
}

/// The one account a command acts on; a run that did not say which is a usage error, with
/// the accounts to choose from.
fn one_account(context: &Context) -> Result<Account, CliError> {
    context
        .account()
        .map_err(|choice| CliError::Usage(choice_message(context, &choice)))
}

/// The command line's sentence for a run that does not say which account: what went wrong
/// and the names to choose from.
fn choice_message(context: &Context, choice: &Choice) -> String {
    let names = context
        .saved()
        .accounts
        .iter()
        .map(|a| format!("{} ({})", a.name, a.id))
        .collect::<Vec<_>>()
        .join(", ");
    match choice {
        Choice::Unknown(key) => format!("No account is called {key:?}. The accounts are: {names}."),
        Choice::Ambiguous => {
            format!("Several accounts are watched; say which with --account NAME (or ID): {names}.")
        }
    }
}

/// `account`'s token, or the sentence saying why there is none.
fn token(context: &Context, account: &Account) -> Result<ApiToken, String> {
    context.token(account).map_err(|e| match e {
        NoToken::Unreadable(e) => say(e.user_message(), e.remedy()),
        NoToken::NotStored => no_token(context, account),
    })
}

/// A sentence from the core with the command line's words for its remedy after it.
fn say(sentence: String, remedy: Option<Remedy>) -> String {
    match remedy {
        Some(remedy) => format!("{sentence} {}", remedy_words(remedy)),
        None => sentence,
    }
}

/// What the command line tells the user to do, by its commands and flags.
fn remedy_words(remedy: Remedy) -> String {
    match remedy {
        Remedy::NewToken => "Store a new token with `clickatell-balance token set`.".into(),
        Remedy::TokenWithoutKeyring => {
            format!("For headless use, give --token-file, {TOKEN_FILE_ENV} or {TOKEN_ENV} instead.")
        }
        Remedy::TokenFilePath => format!("Check the path (--token-file or {TOKEN_FILE_ENV})."),
        Remedy::CaFile => "The CA file is --ca-file, or ca_file in settings.json.".into(),
        Remedy::ProxyUserAndPassword => "The proxy is --proxy, or proxy in settings.json; store \
                                         its password with `clickatell-balance proxy \
                                         set-password`."
            .into(),
        Remedy::ProxyPassword => {
            "Store the password with `clickatell-balance proxy set-password`.".into()
        }
    }
}

/// The command line's one sentence for an account with no token: how to store one, and the
/// ways to give one without a keyring.
fn no_token(context: &Context, account: &Account) -> String {
    let headless = if context.token_for(account).primary {
        format!("--token-file, {TOKEN_FILE_ENV} or {TOKEN_ENV}")
    } else {
        format!("{} or {}", account.token_file_env(), account.token_env())
    };
    let set = if context.saved().accounts.len() > 1 {
        format!("clickatell-balance token set --account {}", account.id)
    } else {
        "clickatell-balance token set".into()
    };
    let whose = match context.account_label(account) {
        Some(name) => format!(" for {name}"),
        None => String::new(),
    };
    format!(
        "No Clickatell token is stored{whose}. Store one with `{set}` (or, for headless use, \
         give {headless})."
    )
}

/// A failure from the core, worded by it.
fn failed(message: impl Into<String>) -> CliError {
    CliError::Failed(message.into())
}

/// The runtime a command needs could not start (the machine is out of threads or files).
fn no_runtime(e: std::io::Error) -> CliError {
    failed(format!("Could not start the async runtime: {e}."))
}

/// Prints a command's confirmation on stdout.
fn done(message: &str) -> Result<Outcome, CliError> {
    println!("{message}");
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal_is_for_check(args: &[&str]) -> bool {
        let args = std::iter::once("clickatell-balance").chain(args.iter().copied());
        match parse_from(args.map(Into::into).collect()) {
            Err(CliError::Arguments { plugin, .. }) => plugin,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_command_line_words_each_remedy_by_its_commands_and_flags() {
        assert_eq!(say("Something failed.".into(), None), "Something failed.");
        let said = say("The token was rejected.".into(), Some(Remedy::NewToken));
        assert_eq!(
            said,
            "The token was rejected. Store a new token with `clickatell-balance token set`."
        );
        let headless = remedy_words(Remedy::TokenWithoutKeyring);
        assert!(
            headless.contains("--token-file") && headless.contains(TOKEN_ENV),
            "{headless}"
        );
        for &remedy in <Remedy as strum::VariantArray>::VARIANTS {
            let words = remedy_words(remedy);
            assert!(!words.contains("Settings"), "the window's words: {words}");
            assert!(
                words.contains("--") || words.contains("clickatell-balance"),
                "{words}"
            );
        }
    }

    #[test]
    fn a_refusal_knows_whether_it_was_meant_for_check() {
        assert!(refusal_is_for_check(&["check", "--warning", "lots"]));
        assert!(refusal_is_for_check(&["--timeout", "0", "check"]));
        assert!(refusal_is_for_check(&["check", "--bogus"]));
        assert!(!refusal_is_for_check(&["balance", "--bogus"]));
        assert!(!refusal_is_for_check(&["--account", "check", "--bogus"]));
        assert!(!refusal_is_for_check(&["bogus"]));
    }
}
