//! The window's alert channels: whether each one's secret is stored (never the secret),
//! storing it, and "Send test alert".

use super::blocking;
use crate::desktop::contract::{ChannelSecretStatus, CommandError};
use crate::desktop::state::AppState;
use clickatell_core::alert_channel::{
    ChannelSecret, ChannelSecretStore, ChannelSettings, DeliveryError,
};

/// The saved channel `name`, or the sentence saying it is not saved yet.
fn saved_channel(state: &AppState, name: &str) -> Result<ChannelSettings, CommandError> {
    state
        .settings()
        .alert_channels
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            CommandError::message(format!(
                "There is no saved alert channel {name:?}: save the settings first."
            ))
        })
}

/// Whether each saved channel's secret is stored, and where it comes from.
pub(super) async fn secrets(state: &AppState) -> Vec<ChannelSecretStatus> {
    let channels = state.settings().alert_channels;
    let lookup = state.context.secret_lookup();
    blocking(move || {
        channels
            .iter()
            .map(|channel| {
                let stored = lookup(&channel.name)
                    .map(|found| found.is_some())
                    .map_err(|e| e.to_string());
                ChannelSecretStatus::new(channel, stored)
            })
            .collect()
    })
    .await
    .unwrap_or_default()
}

/// Stores (or, when empty, removes) the secret of the saved channel `name`.
pub(super) async fn save_secret(
    state: &AppState,
    name: &str,
    secret: String,
) -> Result<Vec<ChannelSecretStatus>, CommandError> {
    let channel = saved_channel(state, name)?;
    let secret = ChannelSecret::new(&secret);
    // Empty removes it.
    if !secret.expose().is_empty() {
        channel.kind.check_secret(&secret).map_err(|reason| {
            CommandError::message(format!(
                "That {} cannot be used: {reason}. Nothing was stored.",
                channel.kind.secret_name()
            ))
        })?;
    }
    let store = ChannelSecretStore::for_channel(&channel.name);
    blocking(move || {
        if secret.expose().is_empty() {
            store.delete().map(|_| ())
        } else {
            store.set(&secret)
        }
    })
    .await?
    .map_err(|e| CommandError::message(format!("{} Nothing was stored.", e.user_message())))?;
    Ok(secrets(state).await)
}

/// Sends the saved channel `name` one test alert; the sentence saying it went.
pub(super) async fn send_test_alert(state: &AppState, name: &str) -> Result<String, CommandError> {
    let channel = saved_channel(state, name)?;
    match state.context.send_test_alert(&channel).await {
        Ok(()) => Ok(format!("A test alert was sent to {}.", channel.describe())),
        Err(e) => {
            let fix = match e {
                DeliveryError::NoSecret(what) => format!(" Enter its {what} above and save it."),
                DeliveryError::BadAddress(_) => " Enter a new address above and save it.".into(),
                _ => String::new(),
            };
            Err(CommandError::message(format!(
                "The test alert to {} failed: {e}.{fix}",
                channel.describe()
            )))
        }
    }
}
