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
pub const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// What the session bus says of the tray host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostEvent {
    /// A tray host is there (at start if it already is), or came back.
    Appeared,
    /// The watcher left the bus: the panel quit, crashed or is restarting.
    Vanished,
}

/// Calls `event` when a tray host is there (at once if it already is), each time one
/// returns, and each time the watcher leaves, from threads of its own. A watcher alone is not
/// enough: a standalone watcher (status-notifier-watcher) can start before the tray that
/// shows items, and an item registered then is refused until the tray registers as a host.
#[cfg(target_os = "linux")]
pub fn watch(event: impl Fn(HostEvent) + Send + Sync + 'static) -> Result<(), String> {
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
    let event = Arc::new(event);
    let on_host = event.clone();
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
                on_host(HostEvent::Appeared);
            }
        }),
    )?;
    spawn(
        "tray-watcher-watch",
        Box::new(move || {
            if has_host(&connection) {
                event(HostEvent::Appeared);
            }
            for change in watchers {
                match change.args() {
                    Ok(args) if args.new_owner().is_none() => event(HostEvent::Vanished),
                    Ok(_) if has_host(&connection) => event(HostEvent::Appeared),
                    _ => {}
                }
            }
        }),
    )
}

/// Registers this process's tray items with the watcher again, until it lists them: a new
/// watcher (a panel that restarted) knows nothing of them, and the one try the tray library
/// makes when the watcher appears can come before the watcher answers. Whether the watcher
/// lists them all.
#[cfg(target_os = "linux")]
pub fn register_again() -> bool {
    use zbus::blocking::{fdo::DBusProxy, proxy::Builder, Connection, Proxy};
    let Ok(connection) = Connection::session() else {
        return false;
    };
    let prefix = format!("org.kde.StatusNotifierItem-{}-", std::process::id());
    let ours: Vec<String> = DBusProxy::new(&connection)
        .and_then(|bus| Ok(bus.list_names()?))
        .map(|names| {
            names
                .into_iter()
                .map(|n| n.to_string())
                .filter(|n| n.starts_with(&prefix))
                .collect()
        })
        .unwrap_or_default();
    if ours.is_empty() {
        return false;
    }
    for attempt in 0..10 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(300));
        }
        let Ok(watcher) = Builder::<Proxy<'_>>::new(&connection)
            .destination(WATCHER)
            .and_then(|b| b.path("/StatusNotifierWatcher"))
            .and_then(|b| b.interface(WATCHER))
            .and_then(|b| b.cache_properties(zbus::proxy::CacheProperties::No).build())
        else {
            continue;
        };
        let listed = watcher
            .get_property::<Vec<String>>("RegisteredStatusNotifierItems")
            .unwrap_or_default();
        let missing: Vec<&String> = ours
            .iter()
            .filter(|name| !listed.iter().any(|l| l.starts_with(name.as_str())))
            .collect();
        if missing.is_empty() {
            return true;
        }
        for name in missing {
            let _: Result<(), _> = watcher.call("RegisterStatusNotifierItem", &(name.as_str(),));
        }
    }
    false
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
pub fn watch(event: impl Fn(HostEvent) + Send + Sync + 'static) -> Result<(), String> {
    event(HostEvent::Appeared);
    Ok(())
}

/// Elsewhere the tray item needs no registering.
#[cfg(not(target_os = "linux"))]
pub fn register_again() -> bool {
    true
}
