//! Notifications with buttons on freedesktop desktops, sent over D-Bus directly. The server
//! tells only the connection that showed a notification which button was clicked, and that
//! connection must already be listening: notify-rust starts listening after showing, so a
//! click that comes first is lost.

use super::{
    Action, ActionHandler, Notification, NotifyError, Urgency, APP_ICON, APP_NAME, DESKTOP_ENTRY,
};
use std::collections::HashMap;
use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::Value;

const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// Shows the notification with `offered` buttons, then waits on a thread of its own for the
/// click (or the notification closing) and hands the chosen action to `handler`.
pub fn show(
    n: &Notification,
    body: &str,
    offered: &[Action],
    handler: ActionHandler,
) -> Result<(), NotifyError> {
    let failed = |e: zbus::Error| NotifyError(e.to_string());
    let connection = Connection::session().map_err(failed)?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(SERVER)
        .map_err(failed)?
        .build();
    let signals = MessageIterator::for_match_rule(rule, &connection, None).map_err(failed)?;
    let actions: Vec<&str> = offered
        .iter()
        .flat_map(|a| match a {
            Action::TopUp => ["top-up", "Top up"],
            Action::Open => ["default", "Open"],
        })
        .collect();
    let urgency: u8 = match n.urgency {
        Urgency::Normal => 1,
        Urgency::Critical => 2,
    };
    let hints = HashMap::from([
        ("urgency", Value::from(urgency)),
        ("desktop-entry", Value::from(DESKTOP_ENTRY)),
    ]);
    let id: u32 = connection
        .call_method(
            Some(SERVER),
            PATH,
            Some(SERVER),
            "Notify",
            &(
                APP_NAME,
                0u32,
                APP_ICON,
                n.summary.as_str(),
                body,
                actions,
                hints,
                -1i32,
            ),
        )
        .and_then(|reply| reply.body().deserialize())
        .map_err(failed)?;
    std::thread::spawn(move || match chosen(signals, id).as_deref() {
        Some("top-up") => handler(Action::TopUp),
        Some("default") => handler(Action::Open),
        _ => {}
    });
    Ok(())
}

/// Waits until notification `id` is acted on or closed: the chosen action's key, if any.
fn chosen(signals: MessageIterator, id: u32) -> Option<String> {
    for message in signals.flatten() {
        let body = message.body();
        match message.header().member().map(|m| m.as_str()) {
            Some("ActionInvoked") => match body.deserialize::<(u32, String)>() {
                Ok((shown, key)) if shown == id => return Some(key),
                _ => {}
            },
            Some("NotificationClosed") => match body.deserialize::<(u32, u32)>() {
                Ok((shown, _)) if shown == id => return None,
                _ => {}
            },
            _ => {}
        }
    }
    None
}
