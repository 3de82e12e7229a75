//! A private desktop session: its own `dbus-daemon` and a gnome-keyring Secret Service,
//! unlocked on a fresh keyring directory, as a real desktop would have.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The running session; the daemons stop when it is dropped.
pub struct Session {
    bus: Child,
    address: String,
    keyring_pid: Option<u32>,
}

impl Session {
    /// Starts the bus with `env` (HOME and fresh XDG dirs) and unlocks a new keyring on it.
    pub fn start(env: &[(String, String)]) -> Self {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env_clear()
            .envs(env.iter().cloned())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian package dbus) must be installed: run tests/run.sh");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the bus address");
        let address = line.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let mut session = Self {
            bus,
            address,
            keyring_pid: None,
        };
        session.unlock_keyring(env);
        session
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    fn unlock_keyring(&mut self, env: &[(String, String)]) {
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env_clear()
            .envs(env.iter().cloned())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (Debian package gnome-keyring) must be installed");
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"test-keyring-password")
            .unwrap();
        keyring.wait().expect("gnome-keyring-daemon --unlock");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(pid) = self.owner_pid("org.freedesktop.secrets") {
                self.keyring_pid = Some(pid);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the Secret Service did not appear on the private bus");
    }

    /// The process owning a well-known name on this bus, if any.
    pub fn owner_pid(&self, name: &str) -> Option<u32> {
        let out = Command::new("dbus-send")
            .args([
                &format!("--bus={}", self.address),
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                &format!("string:{name}"),
            ])
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .last()?
            .parse()
            .ok()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(pid) = self.keyring_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
