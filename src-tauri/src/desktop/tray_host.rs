//! Waiting for a tray host. At login the panel, and with it the StatusNotifierWatcher, often
//! appears seconds after the app; the session bus says when, so nothing polls.

use std::time::Duration;

/// How long the app waits for a tray host before showing its window instead.
pub const PATIENCE: Duration = Duration::from_secs(20);
/// The same when started at login, when the panel may still be starting.
pub const PATIENCE_AT_LOGIN: Duration = Duration::from_secs(60);

/// The name a tray host (or the watcher it runs) owns on the session bus, and the watcher's
/// interface.
#[cfg(target_os = "linux")]
const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// Calls `appeared` once a tray host is there (at once if it already is) and again each time
/// one returns, from threads of its own. A watcher alone is not enough: a standalone watcher
/// (status-notifier-watcher) can start before the tray that shows items, and an item
/// registered then is refused until the tray registers as a host.
#[cfg(target_os = "linux")]
pub fn watch(appeared: impl Fn() + Send + Sync + 'static) -> Result<(), String> {
    use std::sync::Arc;
    use zbus::blocking::{fdo::DBusProxy, Connection, MessageIterator};
    use zbus::{message::Type, MatchRule};
    let error = |e: zbus::Error| e.to_string();
    let connection = Connection::session().map_err(error)?;
    // Both subscribed before asking, so an appearance in between is not missed.
    let watchers = DBusProxy::new(&connection)
        .and_then(|bus| bus.receive_name_owner_changed_with_args(&[(0, WATCHER)]))
        .map_err(error)?;
    let host_rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(WATCHER)
        .and_then(|rule| rule.member("StatusNotifierHostRegistered"))
        .map_err(error)?
        .build();
    let hosts = MessageIterator::for_match_rule(host_rule, &connection, None).map_err(error)?;
    let appeared = Arc::new(appeared);
    let on_host = appeared.clone();
    let spawn = |name: &str, work: Box<dyn FnOnce() + Send>| {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(work)
            .map(drop)
            .map_err(|e| e.to_string())
    };
    spawn(
        "tray-host-registered",
        Box::new(move || {
            for _ in hosts {
                on_host();
            }
        }),
    )?;
    spawn(
        "tray-watcher-watch",
        Box::new(move || {
            if has_host(&connection) {
                appeared();
            }
            for change in watchers {
                if change.args().is_ok_and(|a| a.new_owner().is_some()) && has_host(&connection) {
                    appeared();
                }
            }
        }),
    )
}

/// Whether a watcher is on the bus and says a host shows its items. One that cannot say is
/// taken as having one: trying costs little.
#[cfg(target_os = "linux")]
fn has_host(connection: &zbus::blocking::Connection) -> bool {
    use zbus::blocking::{fdo::DBusProxy, proxy::Builder, Proxy};
    let present = DBusProxy::new(connection)
        .and_then(|bus| Ok(bus.name_has_owner(WATCHER.try_into()?)?))
        .unwrap_or(false);
    present
        && Builder::<Proxy<'_>>::new(connection)
            .destination(WATCHER)
            .and_then(|b| b.path("/StatusNotifierWatcher"))
            .and_then(|b| b.interface(WATCHER))
            .and_then(|b| b.cache_properties(zbus::proxy::CacheProperties::No).build())
            .and_then(|watcher| watcher.get_property::<bool>("IsStatusNotifierHostRegistered"))
            .unwrap_or(true)
}

/// Elsewhere the system tray is part of the desktop and always there.
#[cfg(not(target_os = "linux"))]
pub fn watch(appeared: impl Fn() + Send + Sync + 'static) -> Result<(), String> {
    appeared();
    Ok(())
}
