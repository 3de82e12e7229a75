//! `clickatell-balance history`: the recorded readings on stdout, as CSV or JSON, for
//! accounting.

use super::failed;
use crate::exit::{CliError, Outcome};
use clickatell_core::context::Context;
use clickatell_core::history::History;
use clickatell_core::history_export::{render, rows, ExportFormat};
use std::io::Write;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

/// A `--since`/`--until` value: a whole day (UTC) or an exact time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(Date),
    At(OffsetDateTime),
}

/// Reads `2026-12-01` or `2026-12-01T09:00:00Z`.
pub fn parse_when(s: &str) -> Result<When, String> {
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(date) = Date::parse(s, day) {
        return Ok(When::Day(date));
    }
    OffsetDateTime::parse(s, &Rfc3339)
        .map(When::At)
        .map_err(|_| {
            format!("{s:?} is not a date like 2026-12-01 or a time like 2026-12-01T09:00:00Z")
        })
}

/// Prints the readings of every account (or the one `--account` names) between the dates.
pub fn run(
    context: &Context,
    format: ExportFormat,
    since: Option<When>,
    until: Option<When>,
) -> Result<Outcome, CliError> {
    let accounts = context
        .named_or_every_account()
        .map_err(|choice| CliError::Usage(super::choice_message(context, &choice)))?;
    let from = match since {
        Some(When::Day(date)) => date.midnight().assume_utc(),
        Some(When::At(at)) => at,
        None => OffsetDateTime::UNIX_EPOCH,
    };
    let to = match until {
        Some(When::Day(date)) => date.with_time(Time::MAX).assume_utc(),
        Some(When::At(at)) => at,
        None => OffsetDateTime::now_utc(),
    };
    if from > to {
        return Err(CliError::Usage(
            "--since is after --until: nothing lies between them.".into(),
        ));
    }
    let history = History::open_default(context.profile).map_err(|e| failed(e.to_string()))?;
    if let Some(kept) = history.set_aside() {
        eprintln!("clickatell-balance: warning: {}", kept.user_message());
    }
    let rows = rows(&history, &accounts, from, to).map_err(|e| failed(e.to_string()))?;
    std::io::stdout()
        .lock()
        .write_all(&render(&rows, format))
        .map_err(|e| failed(format!("Could not write the export: {e}.")))?;
    Ok(Outcome::Done)
}
