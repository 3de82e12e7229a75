//! Where log lines go: a daily-rotated file in the OS log folder (so a tray app that has no
//! terminal still leaves a trail to read after a problem) and stderr (for the command line and
//! systemd's journal). No log line ever holds the token: it is only reachable through
//! `ApiToken::expose`, and that is only called to build the request.

use std::path::PathBuf;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

/// How many daily files are kept: a week, enough to look back over a problem noticed late.
const KEPT_FILES: usize = 7;

/// Sets up both outputs. `RUST_LOG` sets both levels when given; otherwise the file keeps `info`
/// (starts, state changes, failures) and stderr stays quiet at `warn`.
pub fn init() {
    let from_env = || EnvFilter::try_from_default_env().ok();
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .with_filter(from_env().unwrap_or_else(|| EnvFilter::new("warn")));
    let (file, file_problem) = match open_file() {
        Ok(appender) => (
            Some(
                fmt::layer()
                    .with_writer(appender)
                    .with_ansi(false)
                    .with_filter(from_env().unwrap_or_else(|| EnvFilter::new("info"))),
            ),
            None,
        ),
        Err(problem) => (None, Some(problem)),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .init();
    if let Some(problem) = file_problem {
        tracing::warn!("{problem}; logging to stderr only");
    }
}

fn open_file() -> Result<RollingFileAppender, String> {
    let dir: PathBuf =
        clickatell_core::paths::log_dir().ok_or("no home folder to keep a log file in")?;
    let cannot =
        |e: &dyn std::fmt::Display| format!("cannot write a log file in {}: {e}", dir.display());
    // Made first: the appender prunes old files before it creates the folder.
    std::fs::create_dir_all(&dir).map_err(|e| cannot(&e))?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("clickatell-balance")
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(&dir)
        .map_err(|e| cannot(&e))
}
