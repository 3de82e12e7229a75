//! One locked keyring, one unlock prompt. Reading from a locked Secret Service collection
//! makes the keyring daemon show its password dialog (auto-login leaves the login keyring
//! locked); a user who dismissed it must not see it again at every poll of every account. So
//! the first lookup that finds the keyring locked closes this gate, shared by every account:
//! no lookup touches the keyring until the Secret Service says the collection is unlocked
//! (its signals: `PropertiesChanged` of `Locked`, `CollectionChanged`) or the user asks to
//! try again ("Unlock keyring…"), each of which opens it and wakes the monitors.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::watch;

/// Shared by every account's token lookup in one run.
#[derive(Debug)]
pub struct KeyringGate {
    closed: AtomicBool,
    /// Whether closing watches the Secret Service for the unlocking.
    watches: bool,
    /// Counts openings; monitors waiting for the keyring watch it.
    opened: watch::Sender<u64>,
}

impl KeyringGate {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            closed: AtomicBool::new(false),
            watches: true,
            opened: watch::Sender::new(0),
        })
    }

    /// A gate that, closed, waits for [`KeyringGate::open`] alone: for runs with no Secret
    /// Service to watch (the monitor's unit tests).
    pub fn unwatched() -> Arc<Self> {
        Arc::new(Self {
            watches: false,
            ..Arc::into_inner(Self::new()).expect("a new gate is not shared")
        })
    }

    /// Whether lookups must leave the keyring alone (it was found locked).
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// A lookup found the keyring locked: no more lookups until it is unlocked. Watches the
    /// Secret Service for that (once, however many accounts found it locked).
    pub fn close(self: &Arc<Self>) {
        // Only the Secret Service says when it is unlocked; elsewhere (Keychain, Credential
        // Manager) lookups go on as the retries schedule them.
        let watchable = cfg!(all(unix, not(target_os = "macos")));
        if (self.watches && !watchable) || self.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        tracing::warn!("the keyring is locked; waiting for it to be unlocked");
        #[cfg(all(unix, not(target_os = "macos")))]
        if self.watches {
            let gate = self.clone();
            let watching = std::thread::Builder::new()
                .name("keyring-unlock-watch".into())
                .spawn(move || secret_service::wait_for_unlock(&gate));
            if let Err(e) = watching {
                tracing::warn!(error = %e, "cannot watch the keyring for its unlocking");
            }
        }
    }

    /// Lets lookups use the keyring again (it was unlocked, or the user asked to try again:
    /// one more prompt) and wakes the monitors waiting for it.
    pub fn open(&self) {
        if self.closed.swap(false, Ordering::SeqCst) {
            tracing::info!("the keyring may be read again");
            self.opened.send_modify(|n| *n += 1);
        }
    }

    /// Changes each time the gate opens.
    pub fn opened(&self) -> watch::Receiver<u64> {
        self.opened.subscribe()
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
mod secret_service {
    use super::KeyringGate;
    use zbus::blocking::{Connection, MessageIterator, Proxy};
    use zbus::zvariant::OwnedObjectPath;

    const SERVICE: &str = "org.freedesktop.secrets";

    /// Opens the gate once the default collection is unlocked, woken by any signal of the
    /// Secret Service (or at once if it already is). Returns when the gate opens, whoever
    /// opened it.
    pub fn wait_for_unlock(gate: &KeyringGate) {
        let watched = (|| -> zbus::Result<()> {
            let connection = Connection::session()?;
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .sender(SERVICE)?
                .build();
            let signals = MessageIterator::for_match_rule(rule, &connection, None)?;
            if !default_locked(&connection) {
                gate.open();
                return Ok(());
            }
            for _ in signals {
                if !gate.is_closed() {
                    return Ok(());
                }
                if !default_locked(&connection) {
                    tracing::info!("the keyring was unlocked");
                    gate.open();
                    return Ok(());
                }
            }
            Ok(())
        })();
        if let Err(e) = watched {
            tracing::warn!(error = %e, "cannot watch the keyring for its unlocking");
        }
    }

    /// Whether the default collection (where the token is) is locked; one that cannot be
    /// read is taken as locked.
    fn default_locked(connection: &Connection) -> bool {
        let path: zbus::Result<OwnedObjectPath> = Proxy::new(
            connection,
            SERVICE,
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service",
        )
        .and_then(|service| service.call("ReadAlias", &("default",)));
        let Ok(path) = path else {
            return true;
        };
        Proxy::new(
            connection,
            SERVICE,
            path,
            "org.freedesktop.Secret.Collection",
        )
        .and_then(|collection| collection.get_property::<bool>("Locked"))
        .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_wakes_the_waiting_monitors_once() {
        let gate = KeyringGate::unwatched();
        let mut opened = gate.opened();
        gate.open();
        assert!(
            !opened.has_changed().unwrap(),
            "an open gate does not open again"
        );
        gate.close();
        assert!(gate.is_closed());
        gate.open();
        assert!(!gate.is_closed());
        assert!(opened.has_changed().unwrap());
        opened.mark_unchanged();
        gate.open();
        assert!(!opened.has_changed().unwrap());
    }
}
