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
    /// A system bus of the session's own, for desktops that insist on one (GNOME Shell).
    system_bus: Option<(Child, String)>,
}

impl Session {
    /// Starts the bus with `env` (HOME and fresh XDG dirs) and unlocks a new keyring on it.
    pub fn start(env: &[(String, String)]) -> Self {
        let mut daemon = Command::new("dbus-daemon");
        daemon
            .args(["--session", "--nofork", "--print-address=1"])
            .env_clear()
            .envs(env.iter().cloned());
        let (bus, address) = spawn_reading_line(daemon, "dbus-daemon (Debian package dbus)");
        let mut session = Self {
            bus,
            address,
            keyring_pid: None,
            display: None,
            notifications: None,
            tray_host: Vec::new(),
            system_bus: None,
        };
        session.unlock_keyring(env);
        session
    }

    /// Adds an X display (Xvfb) and a real notification server (dunst) whose notifications
    /// time out after a second into its history, where tests read them.
    pub fn start_notifications(&mut self, env: &[(String, String)], config_dir: &std::path::Path) {
        self.start_display();
        self.start_dunst(
            env,
            config_dir,
            "[global]\n    idle_threshold = 0\n    history_length = 100\n\
             [urgency_low]\n    timeout = 1\n[urgency_normal]\n    timeout = 1\n\
             [urgency_critical]\n    timeout = 1\n",
        );
    }

    /// Like [`Self::start_notifications`], but notifications stay until acted on, and dunst's
    /// menu of actions (`dunstctl context`) picks the first whose label starts with `choose`.
    pub fn start_notifications_with_actions(
        &mut self,
        env: &[(String, String)],
        config_dir: &std::path::Path,
        choose: &str,
    ) {
        self.start_display();
        let menu = config_dir.join("choose-action.sh");
        std::fs::write(&menu, format!("#!/bin/sh\nexec grep -m1 '^#{choose}'\n")).unwrap();
        make_executable(&menu);
        let rc = format!(
            "[global]\n    idle_threshold = 0\n    history_length = 100\n    dmenu = {}\n\
             [urgency_low]\n    timeout = 0\n[urgency_normal]\n    timeout = 0\n\
             [urgency_critical]\n    timeout = 0\n",
            menu.display()
        );
        self.start_dunst(env, config_dir, &rc);
    }

    fn start_display(&mut self) {
        self.start_display_of("800x600x24");
    }

    /// An X display (Xvfb) of this size and depth.
    fn start_display_of(&mut self, screen: &str) {
        let mut server = Command::new("Xvfb");
        server.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            screen,
            "-nolisten",
            "tcp",
        ]);
        let (xvfb, number) = spawn_reading_line(server, "Xvfb (Debian package xvfb)");
        let display = format!(":{number}");
        self.display = Some((xvfb, display));
    }

    fn start_dunst(&mut self, env: &[(String, String)], config_dir: &std::path::Path, rc: &str) {
        let path = config_dir.join("dunstrc");
        std::fs::write(&path, rc).unwrap();
        let path = path.to_string_lossy().into_owned();
        self.notifications = Some(self.client(env, "dunst", &["-config", &path]));
        self.wait_for_name("org.freedesktop.Notifications");
    }

    /// Adds XFCE's panel (xfce4-panel 4.18) with only its system tray plugin, which is its own
    /// StatusNotifierWatcher and host: a second tray host, of another code base.
    pub fn start_xfce_panel(&mut self, env: &[(String, String)], config_dir: &std::path::Path) {
        let channels = config_dir.join("xfce4/xfconf/xfce-perchannel-xml");
        std::fs::create_dir_all(&channels).unwrap();
        std::fs::write(
            channels.join("xfce4-panel.xml"),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="26"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
"#,
        )
        .unwrap();
        // No window manager runs in the test session.
        let panel = self.client(env, "xfce4-panel", &["--disable-wm-check"]);
        self.tray_host.push(panel);
        self.wait_for_name("org.kde.StatusNotifierWatcher");
    }

    /// Adds a display and GNOME Shell (Debian's 43) on it, in X11 mode, with the AppIndicator
    /// extension Ubuntu ships enabled: the top bar and its tray, and the session's notification
    /// server. `scale` is the display scale (2: HiDPI). The shell wants a system bus (for
    /// logind, accounts, polkit): it gets one of its own, where those lookups fail politely.
    pub fn start_gnome_shell(
        &mut self,
        env: &[(String, String)],
        config_dir: &std::path::Path,
        scale: u32,
    ) {
        self.start_display_of("1024x768x24");
        let config = config_dir.join("system-bus.conf");
        let socket = config_dir.join("system_bus_socket");
        let address = format!("unix:path={}", socket.display());
        let policy = include_str!("gnome-system-bus.conf");
        std::fs::write(
            &config,
            policy.replace("SOCKET", &socket.display().to_string()),
        )
        .unwrap();
        let daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .arg("--nofork")
            .env_clear()
            .envs(env.iter().cloned())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian package dbus)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "the system bus did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.system_bus = Some((daemon, address));
        let gsettings = |args: &[&str]| {
            let status = Command::new("gsettings")
                .args(args)
                .env_clear()
                .envs(env.iter().cloned())
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .status()
                .expect("gsettings (Debian package libglib2.0-bin)");
            assert!(status.success(), "gsettings {args:?}");
        };
        gsettings(&[
            "set",
            "org.gnome.shell",
            "enabled-extensions",
            "['ubuntu-appindicators@ubuntu.com']",
        ]);
        gsettings(&["set", "org.gnome.shell", "disable-user-extensions", "false"]);
        gsettings(&[
            "set",
            "org.gnome.desktop.interface",
            "scaling-factor",
            &scale.to_string(),
        ]);
        self.launch_gnome_shell(env, config_dir);
    }

    /// Starts GNOME Shell (again, as a restart or a crash and relaunch does) on this session's
    /// display and buses; returns once its AppIndicator extension's watcher is on the bus.
    pub fn launch_gnome_shell(&mut self, env: &[(String, String)], config_dir: &std::path::Path) {
        let system_bus = &self
            .system_bus
            .as_ref()
            .expect("GNOME Shell needs the private system bus of start_gnome_shell")
            .1;
        let shell_env: Vec<(String, String)> = env
            .iter()
            .cloned()
            .chain(
                [
                    ("DBUS_SYSTEM_BUS_ADDRESS", system_bus.as_str()),
                    ("LIBGL_ALWAYS_SOFTWARE", "1"),
                    ("XDG_SESSION_TYPE", "x11"),
                    ("XDG_CURRENT_DESKTOP", "GNOME"),
                ]
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
            )
            .collect();
        // Its messages, for a test that fails, beside the sandbox's other files.
        let log = std::fs::File::create(config_dir.join("gnome-shell.log")).unwrap();
        let shell = Command::new("gnome-shell")
            .args(["--x11", "--replace", "--sm-disable"])
            .env_clear()
            .envs(shell_env)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("DISPLAY", self.display().unwrap())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("gnome-shell must be installed (tests/debian-packages.txt)");
        self.tray_host.push(shell);
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.owner_pid("org.kde.StatusNotifierWatcher").is_none() {
            assert!(
                Instant::now() < deadline,
                "GNOME Shell's AppIndicator extension did not start: {}",
                std::fs::read_to_string(config_dir.join("gnome-shell.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts a desktop program on this session's bus and display.
    fn client(&self, env: &[(String, String)], program: &str, args: &[&str]) -> Child {
        let display = self.display().expect("desktop programs need the X display");
        Command::new(program)
            .args(args)
            .env_clear()
            .envs(env.iter().cloned())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{program} must be installed (tests/debian-packages.txt): {e}")
            })
    }

    /// Waits until a well-known name is owned on the bus, returning its owner's pid.
    fn wait_for_name(&self, name: &str) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = self.owner_pid(name) {
                return pid;
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not appear on the private bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Adds the StatusNotifierWatcher alone, as a desktop whose tray starts later has it: items
    /// can register, but no host shows them yet.
    pub fn start_status_notifier_watcher(&mut self, env: &[(String, String)]) {
        let watcher = self.client(env, "status-notifier-watcher", &[]);
        self.tray_host.push(watcher);
        self.wait_for_name("org.kde.StatusNotifierWatcher");
    }

    /// Adds a real tray host: the StatusNotifierWatcher (unless already there) and a standalone
    /// SNI tray on the display.
    pub fn start_tray_host(&mut self, env: &[(String, String)]) {
        if self.owner_pid("org.kde.StatusNotifierWatcher").is_none() {
            self.start_status_notifier_watcher(env);
        }
        let tray = self.client(env, "gtk-sni-tray-standalone", &[]);
        self.tray_host.push(tray);
    }

    /// Stops the tray host and its watcher, as a panel that quits, crashes or restarts does;
    /// returns once the watcher's name has left the bus.
    pub fn stop_tray_host(&mut self) {
        for mut child in self.tray_host.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.owner_pid("org.kde.StatusNotifierWatcher").is_some() {
            assert!(
                Instant::now() < deadline,
                "the watcher did not leave the bus"
            );
            std::thread::sleep(Duration::from_millis(50));
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
        self.keyring_pid = Some(self.wait_for_name("org.freedesktop.secrets"));
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

/// Starts a daemon that prints what a client needs (a bus address, a display number) as its
/// first line, and returns it with that line.
fn spawn_reading_line(mut command: Command, what: &str) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} must be installed (tests/run.sh installs it): {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{what} printed nothing: {e}"));
    let line = line.trim().to_owned();
    assert!(!line.is_empty(), "{what} printed an empty line");
    (child, line)
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
        if let Some((mut bus, _)) = self.system_bus.take() {
            let _ = bus.kill();
            let _ = bus.wait();
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

/// Marks a script the tests wrote as executable.
pub fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}
