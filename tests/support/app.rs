//! The built `clickatell-balance` binary, run in a throw-away home so tests never touch the
//! user's settings, keyring or config.

use super::session::Session;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test: `CLICKATELL_BALANCE_BIN`, else the one cargo built beside the tests.
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CLICKATELL_BALANCE_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile dir");
    let bin = profile_dir.join(format!(
        "clickatell-balance{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build --workspace` (tests/run.sh does)",
        bin.display()
    );
    bin
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Outcome {
    fn from(out: std::process::Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Asks a long-running command (`watch`) to stop as systemd does, with SIGTERM, and returns
/// what it printed and how it exited.
pub fn terminate(child: std::process::Child) -> Outcome {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill (procps)");
    assert!(status.success(), "could not signal process {}", child.id());
    child
        .wait_with_output()
        .expect("wait for clickatell-balance")
        .into()
}

impl Outcome {
    /// Fails the test, showing both streams, unless the exit code is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code; {self:#?}");
        self
    }
}

/// An isolated HOME with its own XDG directories and, optionally, a private desktop session.
pub struct Sandbox {
    dir: tempfile::TempDir,
    session: Option<Session>,
}

impl Sandbox {
    /// A home with no D-Bus session at all: any keyring or notification use must fail cleanly.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cb-home-")
            .tempdir()
            .expect("temp home");
        for sub in ["config", "data", "cache", "state", "runtime"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.path().join("runtime"),
                std::fs::Permissions::from_mode(0o700),
            )
            .unwrap();
        }
        Self { dir, session: None }
    }

    /// A home with a private D-Bus session and an unlocked gnome-keyring on a fresh keyring.
    pub fn with_keyring() -> Self {
        let mut sandbox = Self::new();
        sandbox.session = Some(Session::start(&sandbox.env_without_bus()));
        sandbox
    }

    /// Adds a part to this sandbox's desktop session, started with its environment and its
    /// config folder.
    fn with_session_part(
        mut self,
        start: impl FnOnce(&mut Session, &[(String, String)], &Path),
    ) -> Self {
        let env = self.env();
        let config = self.home().join("config");
        let session = self.session.as_mut().expect("a desktop session");
        start(session, &env, &config);
        self
    }

    /// A home with the keyring session plus an X display and a real notification server.
    pub fn with_notifications() -> Self {
        Self::with_keyring().with_session_part(Session::start_notifications)
    }

    /// Adds a real tray host to a session that has a display.
    /// Adds the StatusNotifierWatcher without a tray to show items.
    pub fn start_status_notifier_watcher(&mut self) {
        let env = self.env();
        self.session
            .as_mut()
            .expect("a watcher needs a desktop session")
            .start_status_notifier_watcher(&env);
    }

    pub fn start_tray_host(&mut self) {
        let env = self.env();
        self.session
            .as_mut()
            .expect("a tray host needs a desktop session")
            .start_tray_host(&env);
    }

    /// Stops the tray host and its watcher (a panel restarting, or crashed).
    pub fn stop_tray_host(&mut self) {
        self.session
            .as_mut()
            .expect("a tray host needs a desktop session")
            .stop_tray_host();
    }

    /// Starts XFCE's panel (again) in this sandbox's session.
    pub fn start_xfce_panel(&mut self) {
        let env = self.env();
        let config = self.home().join("config");
        self.session
            .as_mut()
            .expect("a panel needs a desktop session")
            .start_xfce_panel(&env, &config);
    }

    /// A home with a full desktop session: keyring, display, notifications and a tray host.
    pub fn with_tray() -> Self {
        let mut sandbox = Self::with_notifications();
        sandbox.start_tray_host();
        sandbox
    }

    /// A desktop session as Ubuntu's: GNOME Shell's top bar, with the AppIndicator extension,
    /// at display scale `scale`; the shell is the notification server too.
    pub fn with_gnome_shell(scale: u32) -> Self {
        Self::with_keyring()
            .with_session_part(|session, env, config| session.start_gnome_shell(env, config, scale))
    }

    /// Starts GNOME Shell again in this sandbox's session (after `stop_tray_host`).
    pub fn start_gnome_shell(&mut self) {
        let env = self.env();
        let config = self.home().join("config");
        self.session
            .as_mut()
            .expect("GNOME Shell needs a desktop session")
            .launch_gnome_shell(&env, &config);
    }

    /// A full desktop session whose tray host is XFCE's panel instead.
    pub fn with_xfce_panel() -> Self {
        Self::with_notifications().with_session_part(Session::start_xfce_panel)
    }

    /// A full desktop session whose notifications stay until acted on; dunst's menu of actions
    /// (`dunstctl context`) picks the action labelled `choose`.
    pub fn with_tray_and_notification_actions(choose: &str) -> Self {
        let mut sandbox = Self::with_keyring().with_session_part(|session, env, config| {
            session.start_notifications_with_actions(env, config, choose)
        });
        sandbox.start_tray_host();
        sandbox
    }

    /// Makes a stand-in the session's default web browser (for xdg-open, through the session's
    /// own mimeapps.list, and for `$BROWSER`): it only records each address it is asked to
    /// open, one a line, in the returned file. Nothing leaves the machine.
    pub fn stand_in_browser(&self) -> (PathBuf, Vec<(String, String)>) {
        let record = self.home().join("browser-opened.txt");
        let script = self.home().join("stand-in-browser.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                record.display()
            ),
        )
        .unwrap();
        super::session::make_executable(&script);
        let apps = self.home().join("data/applications");
        std::fs::create_dir_all(&apps).unwrap();
        std::fs::write(
            apps.join("stand-in-browser.desktop"),
            format!(
                "[Desktop Entry]\nType=Application\nName=Stand-in browser\nExec={} %u\n\
                 MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                script.display()
            ),
        )
        .unwrap();
        std::fs::write(
            self.home().join("config/mimeapps.list"),
            "[Default Applications]\nx-scheme-handler/https=stand-in-browser.desktop\n\
             x-scheme-handler/http=stand-in-browser.desktop\n",
        )
        .unwrap();
        let env = vec![("BROWSER".to_owned(), script.display().to_string())];
        (record, env)
    }

    /// The private session, for D-Bus queries.
    pub fn session(&self) -> &Session {
        self.session.as_ref().expect("this sandbox has no session")
    }

    /// The notifications the server has shown and closed, oldest first, as (summary, body).
    pub fn shown_notifications(&self) -> Vec<(String, String)> {
        let out = self
            .command("dunstctl")
            .arg("history")
            .output()
            .expect("dunstctl (Debian package dunst) must be installed");
        assert!(out.status.success(), "dunstctl history failed: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("dunstctl JSON");
        // An answer of another shape fails here rather than reading as "nothing shown".
        let entries = v["data"][0]
            .as_array()
            .unwrap_or_else(|| panic!("dunstctl history has no list of notifications: {v}"));
        let field = |n: &serde_json::Value, name: &str| {
            n[name]["data"]
                .as_str()
                .unwrap_or_else(|| panic!("a notification without a {name}: {n}"))
                .to_owned()
        };
        let mut shown: Vec<(i64, String, String)> = entries
            .iter()
            .map(|n| {
                let id = n["id"]["data"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("a notification without an id: {n}"));
                (id, field(n, "summary"), field(n, "body"))
            })
            .collect();
        shown.sort();
        shown.into_iter().map(|(_, s, b)| (s, b)).collect()
    }

    /// Waits until `count` notifications are in the history, then a little longer to be sure
    /// no more arrive, and returns them.
    pub fn wait_for_notifications(&self, count: usize) -> Vec<(String, String)> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while self.shown_notifications().len() < count && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        std::thread::sleep(std::time::Duration::from_millis(2500));
        self.shown_notifications()
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// The secret this sandbox's keyring holds for the app's keyring user `user` (an
    /// account's id, or the single-account versions' `api-token`), read with secret-tool.
    pub fn stored_token(&self, user: &str) -> Option<String> {
        let out = self
            .command("secret-tool")
            .args(["lookup", "service", "clickatell-balance", "username", user])
            .output()
            .expect("secret-tool (Debian package libsecret-tools) must be installed");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn settings_path(&self) -> PathBuf {
        self.home()
            .join("config")
            .join("clickatell-balance")
            .join("settings.json")
    }

    pub fn write_settings(&self, json: &str) {
        let path = self.settings_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, json).unwrap();
    }

    fn env_without_bus(&self) -> Vec<(String, String)> {
        let h = self.home();
        let p = |sub: &str| h.join(sub).to_string_lossy().into_owned();
        vec![
            ("HOME".into(), h.to_string_lossy().into_owned()),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_CACHE_HOME".into(), p("cache")),
            ("XDG_STATE_HOME".into(), p("state")),
            ("XDG_RUNTIME_DIR".into(), p("runtime")),
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("LANG".into(), "C.UTF-8".into()),
            ("NO_AT_BRIDGE".into(), "1".into()),
        ]
    }

    /// The environment every process of this sandbox gets.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = self.env_without_bus();
        let bus = match &self.session {
            Some(s) => s.address().to_owned(),
            None => format!("unix:path={}/no-such-bus", self.home().display()),
        };
        env.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus));
        if let Some(display) = self.session.as_ref().and_then(|s| s.display()) {
            env.push(("DISPLAY".into(), display.to_owned()));
        }
        env
    }

    /// A command for `program` with only this sandbox's environment.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear().envs(self.env()).current_dir(self.home());
        cmd
    }

    /// Starts the binary in the background with stderr captured, for long-running commands.
    pub fn spawn(&self, args: &[&str], extra_env: &[(&str, &str)]) -> std::process::Child {
        self.command(binary())
            .args(args)
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn clickatell-balance")
    }

    /// Runs the binary with `args`, optional standard input and extra environment.
    pub fn run(&self, args: &[&str], stdin: Option<&str>, extra_env: &[(&str, &str)]) -> Outcome {
        let mut cmd = self.command(binary());
        cmd.args(args)
            .envs(extra_env.iter().copied())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn clickatell-balance");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        child
            .wait_with_output()
            .expect("wait for clickatell-balance")
            .into()
    }

    /// Runs the binary against `base_url` with the token in `CLICKATELL_TOKEN`.
    pub fn run_with_token(&self, base_url: &str, token: &str, args: &[&str]) -> Outcome {
        let mut full = vec!["--base-url", base_url];
        full.extend_from_slice(args);
        self.run(&full, None, &[("CLICKATELL_TOKEN", token)])
    }

    /// Starts `watch` against `base_url`, polling every second, with the token in
    /// `CLICKATELL_TOKEN` and `extra` arguments.
    pub fn spawn_watch(&self, base_url: &str, token: &str, extra: &[&str]) -> std::process::Child {
        let mut args = vec!["--base-url", base_url, "watch", "--interval", "1s"];
        args.extend_from_slice(extra);
        self.spawn(&args, &[("CLICKATELL_TOKEN", token)])
    }

    /// The app's log files (`$XDG_STATE_HOME/clickatell-balance/logs`), oldest first.
    pub fn log_files(&self) -> Vec<PathBuf> {
        let dir = self.home().join("state/clickatell-balance/logs");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// All the app's log lines.
    pub fn log_text(&self) -> String {
        self.log_files()
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .collect()
    }

    /// Every file under the home whose bytes contain `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        fn walk(dir: &Path, needle: &[u8], hits: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    walk(&path, needle, hits);
                } else if kind.is_file() {
                    if let Ok(bytes) = std::fs::read(&path) {
                        if bytes.windows(needle.len()).any(|w| w == needle) {
                            hits.push(path);
                        }
                    }
                }
            }
        }
        let mut hits = Vec::new();
        walk(self.home(), needle.as_bytes(), &mut hits);
        hits
    }
}

/// A long-running instance of the binary (the tray app, `watch`), killed when dropped.
pub struct App(std::process::Child);

impl App {
    /// Starts the binary in `home` with `args` and extra environment.
    pub fn spawn(home: &Sandbox, args: &[&str], extra_env: &[(&str, &str)]) -> Self {
        Self(home.spawn(args, extra_env))
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    pub fn running(&mut self) -> bool {
        self.0.try_wait().unwrap().is_none()
    }

    /// Waits for the process to end and returns its exit code.
    pub fn wait(&mut self) -> Option<i32> {
        self.0.wait().unwrap().code()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
