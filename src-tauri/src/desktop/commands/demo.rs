//! What the window's commands on stored secrets answer in the demo, which leaves the user's
//! keyring and channels alone (the core's `Context::allow_secrets` says why): the statuses
//! say so in place of what is stored, and storing, removing or a test alert is refused.

use crate::desktop::contract::{
    ChannelSecretStatus, CommandError, CommandRequest, ProxyPasswordStatus, TokenStatus,
};
use crate::desktop::state::AppState;
use serde_json::Value;

/// The demo's answer to `call` when it is about a stored secret or alerts a channel; `None`
/// outside the demo or for any other command (which then runs as usual).
pub(super) fn answer(
    state: &AppState,
    call: &CommandRequest,
) -> Option<Result<Value, CommandError>> {
    let refusal = state.context.allow_secrets().err()?.to_string();
    match call {
        CommandRequest::TokenStatus { .. } => {
            Some(super::answer(TokenStatus::new(Err(refusal), None)))
        }
        CommandRequest::ProxyPasswordStatus {} => {
            Some(super::answer(ProxyPasswordStatus::new(None, Err(refusal))))
        }
        CommandRequest::ChannelSecrets {} => {
            let statuses: Vec<ChannelSecretStatus> = state
                .settings()
                .alert_channels
                .iter()
                .map(|channel| ChannelSecretStatus::new(channel, Err(refusal.clone())))
                .collect();
            Some(super::answer(statuses))
        }
        CommandRequest::SaveToken { .. }
        | CommandRequest::DeleteToken { .. }
        | CommandRequest::SaveProxyPassword { .. }
        | CommandRequest::SaveChannelSecret { .. }
        | CommandRequest::SendTestAlert { .. } => Some(Err(CommandError::message(refusal))),
        _ => None,
    }
}
