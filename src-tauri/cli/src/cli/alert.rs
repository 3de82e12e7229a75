//! `clickatell-balance alert set-secret|delete-secret|test`: a channel's secret (a webhook's
//! address, an SMTP password) in the OS keyring, and a test alert through the same delivery
//! the monitors use.

use super::token::read_secret;
use super::{done, failed, AlertAction};
use crate::exit::{CliError, Outcome};
use clickatell_core::alert_channel::{
    ChannelSecret, ChannelSecretStore, ChannelSettings, DeliveryError, SECRET_SERVICE,
};
use clickatell_core::context::Context;
use clickatell_core::keyring_entry::KEYRING_NAME;

/// Carries out `action`.
pub fn run(context: &Context, action: AlertAction) -> Result<Outcome, CliError> {
    match action {
        AlertAction::SetSecret { channel } => set_secret(&channel_named(context, &channel)?),
        AlertAction::DeleteSecret { channel } => {
            let channel = channel_named(context, &channel)?;
            let entry = entry(&channel);
            let what = channel.kind.secret_name();
            match ChannelSecretStore::for_channel(&channel.name).delete() {
                Ok(true) => done(&format!(
                    "The {what} of {} was removed from {entry}.",
                    channel.describe()
                )),
                Ok(false) => done(&format!(
                    "No {what} of {} was stored in {entry}.",
                    channel.describe()
                )),
                Err(e) => Err(failed(e.user_message())),
            }
        }
        AlertAction::Test { channel } => test(context, channel.as_deref()),
    }
}

/// The channel `key` names, or the sentence listing those there are.
fn channel_named(context: &Context, key: &str) -> Result<ChannelSettings, CliError> {
    let channels = context.settings().alert_channels;
    channels
        .iter()
        .find(|c| c.answers_to(key))
        .cloned()
        .ok_or_else(|| {
            let names: Vec<_> = channels.iter().map(|c| c.name.as_str()).collect();
            if names.is_empty() {
                failed(no_channels())
            } else {
                failed(format!(
                    "No alert channel is named {key:?}; the channels are: {}.",
                    names.join(", ")
                ))
            }
        })
}

fn no_channels() -> String {
    "No alert channels are set up: add one to \"alert_channels\" in settings.json (see the \
     README's \"Team alerts\") or in the window's Settings."
        .into()
}

fn entry(channel: &ChannelSettings) -> String {
    format!(
        "the {KEYRING_NAME} (service {SECRET_SERVICE}, user {})",
        channel.name
    )
}

fn set_secret(channel: &ChannelSettings) -> Result<Outcome, CliError> {
    let what = channel.kind.secret_name();
    let raw = read_secret(&format!(
        "The {what} of {} (input is hidden): ",
        channel.describe()
    ))
    .map_err(|e| failed(format!("Could not read the {what}: {e}.")))?;
    let secret = ChannelSecret::new(&raw);
    if let Err(reason) = channel.kind.check_secret(&secret) {
        return Err(failed(format!(
            "That {what} cannot be used: {reason}. Nothing was stored."
        )));
    }
    ChannelSecretStore::for_channel(&channel.name)
        .set(&secret)
        .map_err(|e| failed(format!("{} Nothing was stored.", e.user_message())))?;
    done(&format!(
        "The {what} of {} was stored in {}.",
        channel.describe(),
        entry(channel)
    ))
}

/// Sends one test alert to each channel (or the one named), once each, and says how each
/// went; a failure makes the run fail.
fn test(context: &Context, key: Option<&str>) -> Result<Outcome, CliError> {
    let settings = context.settings();
    let channels = match key {
        Some(key) => vec![channel_named(context, key)?],
        None if settings.alert_channels.is_empty() => return Err(failed(no_channels())),
        None => settings.alert_channels.clone(),
    };
    let runtime = clickatell_core::runtime::current_thread().map_err(super::no_runtime)?;
    let mut failures = Vec::new();
    for channel in &channels {
        match runtime.block_on(context.send_test_alert(channel)) {
            Ok(()) => println!("A test alert was sent to {}.", channel.describe()),
            Err(e) => failures.push(format!(
                "The test alert to {} failed: {e}.{}",
                channel.describe(),
                remedy(channel, &e)
            )),
        }
    }
    if failures.is_empty() {
        Ok(Outcome::Done)
    } else {
        Err(failed(failures.join("\n")))
    }
}

/// What to do about a failure, by the command line's commands.
fn remedy(channel: &ChannelSettings, e: &DeliveryError) -> String {
    match e {
        DeliveryError::NoSecret(what) => format!(
            " Store its {what} with `clickatell-balance alert set-secret --channel {}`.",
            channel.name
        ),
        DeliveryError::BadAddress(_) => format!(
            " Store a new one with `clickatell-balance alert set-secret --channel {}`.",
            channel.name
        ),
        _ => String::new(),
    }
}
