//! A W3C WebDriver client over plain HTTP, for the real webview through tauri-driver and
//! WebKitWebDriver.

use super::app::{binary, Sandbox};
use serde_json::{json, Value};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// tauri-driver running in the sandbox's desktop session; stopped when dropped.
pub struct Driver {
    child: Child,
    base: String,
}

/// A port free at the moment of asking. tauri-driver binds it itself, so it may be taken by
/// the time it starts: [`Driver::start`] then tries again with other ports.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where `cargo install tauri-driver` put it.
fn tauri_driver() -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let path = home.join("bin").join("tauri-driver");
    assert!(
        path.exists(),
        "tauri-driver is missing: tests/run.sh installs it (cargo install tauri-driver --locked)"
    );
    path
}

impl Driver {
    /// Starts tauri-driver with `extra_env` passed on to the app it launches.
    pub fn start(home: &Sandbox, extra_env: &[(&str, &str)]) -> Self {
        for _ in 0..5 {
            let port = free_port();
            let mut child = home
                .command(tauri_driver())
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &free_port().to_string(),
                ])
                .envs(extra_env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start tauri-driver");
            let base = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                // Exited: its port was taken meanwhile; try others.
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if ureq::get(&format!("{base}/status")).call().is_ok() {
                    return Self { child, base };
                }
                assert!(Instant::now() < deadline, "tauri-driver did not start");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!("tauri-driver exited at start five times (ports taken?)");
    }

    /// Opens a session on the app binary, launched with `args`.
    pub fn session(&self, args: &[&str]) -> Session {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "tauri:options": { "application": binary(), "args": args }
        }}});
        let reply: Value = ureq::post(&format!("{}/session", self.base))
            .timeout(Duration::from_secs(60))
            .send_json(caps)
            .expect("a WebDriver session on the app")
            .into_json()
            .unwrap();
        let id = reply["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        Session {
            url: format!("{}/session/{id}", self.base),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver session: the app's window.
pub struct Session {
    url: String,
}

impl Session {
    fn post(&self, path: &str, body: Value) -> Value {
        ureq::post(&format!("{}{path}", self.url))
            .send_json(body)
            .unwrap_or_else(|e| match e {
                ureq::Error::Status(code, answer) => panic!(
                    "POST {path}: status {code}: {}",
                    answer.into_string().unwrap_or_default()
                ),
                other => panic!("POST {path}: {other}"),
            })
            .into_json::<Value>()
            .unwrap()["value"]
            .clone()
    }

    fn get(&self, path: &str) -> Value {
        ureq::get(&format!("{}{path}", self.url))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .into_json::<Value>()
            .unwrap()["value"]
            .clone()
    }

    /// The element matching a CSS selector.
    pub fn find(&self, css: &str) -> String {
        let v = self.post("/element", json!({ "using": "css selector", "value": css }));
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned()
    }

    pub fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.get(&format!("/element/{id}/text"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The element's text, or `None` when it is not there (or was just replaced, as a
    /// re-rendered list's items are).
    fn try_text(&self, css: &str) -> Option<String> {
        let found = ureq::post(&format!("{}/element", self.url))
            .send_json(json!({ "using": "css selector", "value": css }))
            .ok()?
            .into_json::<Value>()
            .ok()?;
        let id = found["value"]
            .as_object()?
            .values()
            .next()?
            .as_str()?
            .to_owned();
        let text = ureq::get(&format!("{}/element/{id}/text", self.url))
            .call()
            .ok()?
            .into_json::<Value>()
            .ok()?;
        Some(text["value"].as_str().unwrap_or_default().to_owned())
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.post(&format!("/element/{id}/click"), json!({}));
    }

    /// Replaces an input's value by typing, as a user does.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.post(&format!("/element/{id}/clear"), json!({}));
        self.post(&format!("/element/{id}/value"), json!({ "text": text }));
    }

    /// Presses and releases a key (a WebDriver key code such as `\u{E010}` for End) on
    /// whatever has the focus, as a keyboard does.
    pub fn press(&self, key: &str) {
        let actions = json!({ "actions": [{
            "type": "key", "id": "keyboard",
            "actions": [{ "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }],
        }]});
        self.post("/actions", actions);
    }

    /// Moves the mouse pointer over the element's centre, as a user pointing at it does.
    pub fn point_at(&self, css: &str) {
        let centre = self.execute(&format!(
            "const r = document.querySelector({css:?}).getBoundingClientRect(); \
             return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];"
        ));
        let actions = json!({ "actions": [{
            "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
            "actions": [{
                "type": "pointerMove", "origin": "viewport", "duration": 0,
                "x": centre[0], "y": centre[1],
            }],
        }]});
        self.post("/actions", actions);
    }

    /// Closes the window, as its close button does.
    pub fn close_window(&self) {
        let _ = ureq::delete(&format!("{}/window", self.url)).call();
    }

    pub fn execute(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs a script that ends by calling `arguments[0]` with its result (for promises).
    pub fn execute_async(&self, script: &str) -> Value {
        self.post("/timeouts", json!({ "script": 60_000 }));
        self.post("/execute/async", json!({ "script": script, "args": [] }))
    }

    /// Waits until the element's text satisfies `check` and returns it; fails the test with
    /// the last text seen when it does not within `within`.
    pub fn wait_text(&self, css: &str, within: Duration, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let text = self.try_text(css).unwrap_or_default();
            if check(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} still reads {text:?} after {within:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.url).call();
    }
}
