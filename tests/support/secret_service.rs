//! The test session's gnome-keyring, locked and unlocked from outside the app as the desktop
//! does it, and a `dbus-monitor` counting what the app asks of it.

use super::app::Sandbox;
use std::io::Read;
use std::process::{Child, Stdio};
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{OwnedObjectPath, Value};

/// The collection the session's keyring made, where the tokens are.
pub const LOGIN: &str = "/org/freedesktop/secrets/collection/login";
/// The password `Session` unlocked it with.
const PASSWORD: &str = "test-keyring-password";

fn connection(home: &Sandbox) -> Connection {
    let address = home
        .env()
        .into_iter()
        .find(|(k, _)| k == "DBUS_SESSION_BUS_ADDRESS")
        .map(|(_, v)| v)
        .expect("a session bus");
    zbus::blocking::connection::Builder::address(address.as_str())
        .and_then(|b| b.build())
        .expect("connect to the test session's bus")
}

fn service(connection: &Connection) -> Proxy<'_> {
    Proxy::new(
        connection,
        "org.freedesktop.secrets",
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service",
    )
    .unwrap()
}

/// Locks the login collection, as logging in without the keyring's password leaves it.
pub fn lock(home: &Sandbox) {
    let connection = connection(home);
    let path = OwnedObjectPath::try_from(LOGIN).unwrap();
    // On a busy machine the daemon can answer before the collection reads as locked: asked
    // again a moment later, it is.
    for _ in 0..10 {
        let _: (Vec<OwnedObjectPath>, OwnedObjectPath) = service(&connection)
            .call("Lock", &(vec![path.clone()],))
            .expect("lock the login collection");
        if locked(home) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("the collection is still unlocked");
}

/// Whether the login collection is locked.
pub fn locked(home: &Sandbox) -> bool {
    let connection = connection(home);
    Proxy::new(
        &connection,
        "org.freedesktop.secrets",
        LOGIN,
        "org.freedesktop.Secret.Collection",
    )
    .and_then(|c| c.get_property::<bool>("Locked"))
    .expect("read the collection's Locked property")
}

/// Unlocks it with its password, standing for the user typing it in the keyring's dialog:
/// gnome-keyring's own call for that, on a plain session of the same connection.
pub fn unlock(home: &Sandbox) {
    let connection = connection(home);
    let (_, session): (zbus::zvariant::OwnedValue, OwnedObjectPath) = service(&connection)
        .call("OpenSession", &("plain", Value::from("")))
        .expect("open a plain session");
    let collection = OwnedObjectPath::try_from(LOGIN).unwrap();
    let secret = (
        session,
        Vec::<u8>::new(),
        PASSWORD.as_bytes().to_vec(),
        "text/plain",
    );
    let unlocker = Proxy::new(
        &connection,
        "org.freedesktop.secrets",
        "/org/freedesktop/secrets",
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
    )
    .unwrap();
    let _: () = unlocker
        .call("UnlockWithMasterPassword", &(collection, secret))
        .expect("unlock with the password");
    assert!(!locked(home), "the collection is still locked");
}

/// `dbus-monitor` on the sandbox's bus, recording the calls matching `rule`.
pub struct Monitor {
    child: Child,
}

impl Monitor {
    pub fn start(home: &Sandbox, rule: &str) -> Self {
        let child = home
            .command("dbus-monitor")
            .args(["--session", rule])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (Debian package dbus) must be installed");
        // Subscribed once it prints its own NameAcquired.
        std::thread::sleep(std::time::Duration::from_millis(500));
        Self { child }
    }

    /// Stops it and counts the recorded calls to `member`.
    pub fn count(mut self, member: &str) -> usize {
        let _ = self.child.kill();
        let mut text = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            let _ = out.read_to_string(&mut text);
        }
        let _ = self.child.wait();
        text.matches(&format!("member={member}")).count()
    }
}
