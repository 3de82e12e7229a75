//! `clickatell-balance balance`: fetch once and print, for one account or, with `--all`,
//! for every enabled one at once.

use super::{failed, one_account};
use crate::exit::{CliError, Outcome};
use clickatell_core::account::Account;
use clickatell_core::context::Context;
use clickatell_core::snapshot::Status;
use clickatell_core::Balance;
use time::format_description::well_known::Rfc3339;

/// The `--json` output: the balance as an exact string, in a fixed field order; with
/// `--all`, the account and, for an account that could not be read, the error instead.
#[derive(serde::Serialize)]
struct Reading<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    balance: Option<String>,
    currency: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    api: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Prints `300.50 credits`, or with `--json` one object with the exact balance as a string;
/// with `--all`, a table (or an array) of every enabled account, exiting 1 if any failed.
pub fn run(context: &Context, json: bool, all: bool, verbose: bool) -> Result<Outcome, CliError> {
    if all {
        return run_all(context, json);
    }
    let account = one_account(context)?;
    let source = context.settings().source_config(&account);
    let token = super::token(context, &account).map_err(failed)?;
    let read = if verbose {
        context.test_connection_once(&account, &token).map(|test| {
            eprintln!("Route: {}", test.report.route);
            match &test.report.issuer {
                Some(issuer) => eprintln!(
                    "Certificate: signed by {issuer:?}; trusted: {}",
                    test.report.trust
                ),
                None => eprintln!("Certificate: none seen; trusted: {}", test.report.trust),
            }
            test.result
        })
    } else {
        context.fetch_once(&account, &token).map(Ok)
    };
    let balance = read
        .and_then(|r| r)
        .map_err(|e| failed(super::say(e.user_message(), e.remedy())))?;
    if json {
        let reading = Reading {
            balance: Some(balance.amount.to_string()),
            currency: balance.currency.as_deref(),
            api: source.api.as_str(),
            fetched_at: Some(now()),
            ..Reading::empty(&account)
        };
        println!("{}", serde_json::to_string(&reading).unwrap_or_default());
    } else if let Some(label) = context.account_label(&account) {
        println!("{balance} ({label})");
    } else {
        println!("{balance}");
    }
    Ok(Outcome::Done)
}

impl<'a> Reading<'a> {
    fn empty(account: &'a Account) -> Self {
        Self {
            account: None,
            name: None,
            balance: None,
            currency: None,
            level: None,
            api: account.api.as_str(),
            fetched_at: None,
            error: None,
        }
    }
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Reads every enabled account at once (one shared HTTP client, one request each).
fn run_all(context: &Context, json: bool) -> Result<Outcome, CliError> {
    let accounts = context
        .accounts()
        .map_err(|choice| failed(super::choice_message(context, &choice)))?;
    let results = read_all(context, &accounts)?;
    let fetched_at = now();
    if json {
        let readings: Vec<Reading<'_>> = accounts
            .iter()
            .zip(&results)
            .map(|(account, result)| {
                let base = Reading {
                    account: Some(&account.id),
                    name: Some(&account.name),
                    ..Reading::empty(account)
                };
                match result {
                    Ok(b) => Reading {
                        balance: Some(b.amount.to_string()),
                        currency: b.currency.as_deref(),
                        level: Some(level(account, b)),
                        fetched_at: Some(fetched_at.clone()),
                        ..base
                    },
                    Err(message) => Reading {
                        error: Some(message.clone()),
                        ..base
                    },
                }
            })
            .collect();
        println!("{}", serde_json::to_string(&readings).unwrap_or_default());
    } else {
        print!("{}", table(&accounts, &results));
    }
    if results.iter().all(Result::is_ok) {
        Ok(Outcome::Done)
    } else {
        Ok(Outcome::Shown)
    }
}

/// Each account's balance, or the sentence saying why it could not be read, in order.
fn read_all(
    context: &Context,
    accounts: &[Account],
) -> Result<Vec<Result<Balance, String>>, CliError> {
    let runtime = clickatell_core::runtime::current_thread().map_err(super::no_runtime)?;
    let settings = context.settings();
    let tasks: Vec<_> = accounts
        .iter()
        .map(|account| {
            let token = super::token(context, account);
            let source = (context.source_factory(account))(&settings.source_config(account));
            runtime.spawn(async move {
                let source = source.map_err(|e| super::say(e.user_message(), e.remedy()))?;
                let token = token?;
                source
                    .fetch(&token)
                    .await
                    .map_err(|e| super::say(e.user_message(), e.remedy()))
            })
        })
        .collect();
    Ok(runtime.block_on(async {
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(task.await.unwrap_or_else(|e| Err(e.to_string())));
        }
        results
    }))
}

/// Where a balance stands against the account's levels.
fn level(account: &Account, balance: &Balance) -> &'static str {
    Status::from(account.thresholds().level(balance.amount)).as_str()
}

/// The text table: one line per account, columns aligned, amounts right-aligned.
fn table(accounts: &[Account], results: &[Result<Balance, String>]) -> String {
    let rows: Vec<[String; 4]> = accounts
        .iter()
        .zip(results)
        .map(|(account, result)| match result {
            Ok(b) => [
                account.name.clone(),
                clickatell_core::balance::group_thousands(b.amount),
                b.unit().to_owned(),
                level(account, b).to_owned(),
            ],
            Err(message) => [
                account.name.clone(),
                "-".into(),
                String::new(),
                format!("error: {}", message.replace('\n', " ")),
            ],
        })
        .collect();
    let header = [
        "ACCOUNT".to_owned(),
        "BALANCE".into(),
        "UNIT".into(),
        "STATE".into(),
    ];
    let width = |i: usize| {
        rows.iter()
            .chain(std::iter::once(&header))
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    std::iter::once(&header)
        .chain(&rows)
        .map(|[name, amount, unit, state]| {
            let line = format!("{name:<w0$}  {amount:>w1$}  {unit:<w2$}  {state}");
            format!("{}\n", line.trim_end())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clickatell_core::clickatell::parse_exact;

    #[test]
    fn the_table_lines_up_and_says_why_an_account_is_missing() {
        let main = Account::default();
        let eu = Account::named("EU West", std::slice::from_ref(&main));
        let results = vec![
            Ok(Balance {
                amount: parse_exact("1234.5").unwrap(),
                currency: None,
            }),
            Err("The token was rejected.".to_owned()),
        ];
        let text = table(&[main, eu], &results);
        assert_eq!(
            text,
            "ACCOUNT  BALANCE  UNIT     STATE\n\
             Main     1,234.5  credits  ok\n\
             EU West        -           error: The token was rejected.\n"
        );
    }
}
