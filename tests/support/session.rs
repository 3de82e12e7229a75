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
    display: Option<(Child, String)>,
    notifications: Option<Child>,
    tray_host: Vec<Child>,
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
            display: None,
            notifications: None,
            tray_host: Vec::new(),
        };
        session.unlock_keyring(env);
        session
    }

    /// Adds an X display (Xvfb) and a real notification server (dunst) whose notifications
    /// time out after a second into its history, where tests read them.
    pub fn start_notifications(&mut self, env: &[(String, String)], config_dir: &std::path::Path) {
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "800x600x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (Debian package xvfb) must be installed");
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the display number");
        let display = format!(":{}", line.trim());
        self.display = Some((xvfb, display.clone()));
        let rc = config_dir.join("dunstrc");
        std::fs::write(
            &rc,
            "[global]\n    idle_threshold = 0\n    history_length = 100\n\
             [urgency_low]\n    timeout = 1\n[urgency_normal]\n    timeout = 1\n\
             [urgency_critical]\n    timeout = 1\n",
        )
        .unwrap();
        let dunst = Command::new("dunst")
            .arg("-config")
            .arg(&rc)
            .env_clear()
            .envs(env.iter().cloned())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst (Debian package dunst) must be installed");
        self.notifications = Some(dunst);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.owner_pid("org.freedesktop.Notifications").is_none() {
            assert!(
                Instant::now() < deadline,
                "dunst did not appear on the private bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Adds a real tray host: the StatusNotifierWatcher and a standalone SNI tray on the display.
    pub fn start_tray_host(&mut self, env: &[(String, String)]) {
        let display = self
            .display()
            .expect("a tray host needs the X display")
            .to_owned();
        for program in ["status-notifier-watcher", "gtk-sni-tray-standalone"] {
            let child = Command::new(program)
                .env_clear()
                .envs(env.iter().cloned())
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .env("DISPLAY", &display)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("{program} must be installed (tests/debian-packages.txt): {e}")
                });
            self.tray_host.push(child);
            if program == "status-notifier-watcher" {
                let deadline = Instant::now() + Duration::from_secs(10);
                while self.owner_pid("org.kde.StatusNotifierWatcher").is_none() {
                    assert!(
                        Instant::now() < deadline,
                        "the StatusNotifierWatcher did not appear"
                    );
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }

    /// The X display of this session, if it has one.
    pub fn display(&self) -> Option<&str> {
        self.display.as_ref().map(|(_, d)| d.as_str())
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
        for mut child in self.tray_host.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(mut dunst) = self.notifications.take() {
            let _ = dunst.kill();
            let _ = dunst.wait();
        }
        if let Some((mut xvfb, _)) = self.display.take() {
            let _ = xvfb.kill();
            let _ = xvfb.wait();
        }
        if let Some(pid) = self.keyring_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
