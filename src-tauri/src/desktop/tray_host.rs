//! Waiting for a tray host. At login the panel, and with it the StatusNotifierWatcher, often
//! appears seconds after the app; the session bus says when, so nothing polls.

use std::time::Duration;

/// How long the app waits for a tray host before showing its window instead.
pub const PATIENCE: Duration = Duration::from_secs(20);
/// The same when started at login, when the panel may still be starting.
pub const PATIENCE_AT_LOGIN: Duration = Duration::from_secs(60);

/// The name a tray host (or the watcher it runs) owns on the session bus.
#[cfg(target_os = "linux")]
const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// Calls `appeared` once the watcher is on the bus (at once if it already is) and again each
/// time it returns after going away, from a thread of its own.
#[cfg(target_os = "linux")]
pub fn watch(appeared: impl Fn() + Send + 'static) -> Result<(), String> {
    use zbus::blocking::{fdo::DBusProxy, Connection};
    let connection = Connection::session().map_err(|e| e.to_string())?;
    let bus = DBusProxy::new(&connection).map_err(|e| e.to_string())?;
    // Subscribed before asking, so an appearance in between is not missed.
    let changes = bus
        .receive_name_owner_changed_with_args(&[(0, WATCHER)])
        .map_err(|e| e.to_string())?;
    let present = bus
        .name_has_owner(
            WATCHER
                .try_into()
                .map_err(|e: zbus::names::Error| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    std::thread::Builder::new()
        .name("tray-host-watch".into())
        .spawn(move || {
            let _connection = connection;
            if present {
                appeared();
            }
            for change in changes {
                if change.args().is_ok_and(|a| a.new_owner().is_some()) {
                    appeared();
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Elsewhere the system tray is part of the desktop and always there.
#[cfg(not(target_os = "linux"))]
pub fn watch(appeared: impl Fn() + Send + 'static) -> Result<(), String> {
    appeared();
    Ok(())
}
