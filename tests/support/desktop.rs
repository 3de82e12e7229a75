//! Reading the running app from the outside, as a desktop does: its StatusNotifierItem (title,
//! tooltip, icon, menu) over D-Bus, and its windows on the X display.

use super::app::Sandbox;
use clickatell_core::tray_icon::{render, IconStyle, IconView, Tone, PIXMAP_SIZES};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Runs `busctl --user --json=short` on the sandbox's bus and parses the answer.
pub fn busctl(home: &Sandbox, args: &[&str]) -> Option<Value> {
    let out = home
        .command("busctl")
        .args(["--user", "--json=short", "--no-pager"])
        .args(args)
        .output()
        .expect("busctl (Debian package systemd) must be installed");
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

/// The app's StatusNotifierItem on the bus.
pub struct TrayItem<'a> {
    home: &'a Sandbox,
    name: String,
}

impl<'a> TrayItem<'a> {
    /// Waits for a tray item of process `pid` (`org.kde.StatusNotifierItem-<pid>-<n>`) to
    /// appear on the bus and answer.
    pub fn wait(home: &'a Sandbox, pid: u32, within: Duration) -> Option<Self> {
        let prefix = format!("org.kde.StatusNotifierItem-{pid}-");
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            let names = busctl(
                home,
                &[
                    "call",
                    "--",
                    "org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus",
                    "ListNames",
                ],
            );
            // An item the watcher has registered, as a panel finds it: one whose registration
            // failed (no host yet) and that was dropped may still be on the bus for a moment.
            let registered = busctl(
                home,
                &[
                    "get-property",
                    "org.kde.StatusNotifierWatcher",
                    "/StatusNotifierWatcher",
                    "org.kde.StatusNotifierWatcher",
                    "RegisteredStatusNotifierItems",
                ],
            )
            .map(|v| v["data"].to_string())
            .unwrap_or_default();
            let answers = |name: &&str| registered.contains(*name);
            let found = names.as_ref().and_then(|v| {
                v["data"][0]
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|n| n.starts_with(&prefix))
                    .find(answers)
                    .map(str::to_owned)
            });
            if let Some(name) = found {
                return Some(Self { home, name });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    fn property(&self, property: &str) -> Value {
        busctl(
            self.home,
            &[
                "get-property",
                &self.name,
                "/StatusNotifierItem",
                "org.kde.StatusNotifierItem",
                property,
            ],
        )
        .unwrap_or_else(|| panic!("could not read {property}"))["data"]
            .clone()
    }

    /// The item's title: the first, bold line of its tooltip on StatusNotifierItem hosts.
    pub fn title(&self) -> String {
        self.property("Title")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The label beside the icon, where the host shows one (`XAyatanaLabel`), and its guide.
    pub fn label(&self) -> (String, String) {
        let text = |property: &str| {
            self.property(property)
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        (text("XAyatanaLabel"), text("XAyatanaLabelGuide"))
    }

    /// The tooltip as a host shows it: its title, then its description, one line each.
    pub fn tooltip(&self) -> String {
        let tooltip = self.property("ToolTip");
        let text = |i: usize| tooltip[i].as_str().unwrap_or_default().to_owned();
        format!("{}\n{}", text(2), text(3))
    }

    /// Every icon pixmap, smallest first: its width, its height and its pixels as
    /// (R, G, B, A).
    pub fn pixmaps(&self) -> Vec<(usize, usize, Vec<Pixel>)> {
        let pixmaps = self.property("IconPixmap");
        let mut all: Vec<(usize, usize, Vec<Pixel>)> = pixmaps
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let side = |i: usize| p[i].as_u64().unwrap() as usize;
                let bytes: Vec<u8> = p[2]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b.as_u64().unwrap() as u8)
                    .collect();
                // Network-order ARGB, as the StatusNotifierItem spec has it.
                let pixels = bytes.chunks(4).map(|p| (p[1], p[2], p[3], p[0])).collect();
                (side(0), side(1), pixels)
            })
            .collect();
        all.sort_by_key(|(width, _, _)| *width);
        all
    }

    /// The largest icon pixmap: its size and its pixels.
    pub fn icon(&self) -> (usize, Vec<Pixel>) {
        let (width, _, pixels) = self.pixmaps().pop().expect("an icon pixmap");
        (width, pixels)
    }

    /// The colour (R, G, B) and opacity of the icon's left edge, halfway down: the colour the
    /// picture's shape says the state with, beside the number.
    pub fn state_colour(&self) -> ((u8, u8, u8), u8) {
        let (width, pixels) = self.icon();
        let (r, g, b, a) = pixels[(width / 2) * width + 1];
        ((r, g, b), a)
    }

    fn menu_path(&self) -> String {
        self.property("Menu").as_str().unwrap().to_owned()
    }

    fn menu_call(&self, method: &str, signature: &str, args: &[&str]) -> Option<Value> {
        let path = self.menu_path();
        let mut full = vec![
            "call",
            "--",
            &self.name,
            &path,
            "com.canonical.dbusmenu",
            method,
            signature,
        ];
        full.extend_from_slice(args);
        busctl(self.home, &full)
    }

    /// The menu's items as (id, label, enabled), in order, separators left out.
    pub fn menu(&self) -> Vec<(i64, String, bool)> {
        let layout = self
            .menu_call("GetLayout", "iias", &["0", "-1", "0"])
            .expect("GetLayout");
        let root = &layout["data"][1];
        let mut items = Vec::new();
        for child in root[2].as_array().into_iter().flatten() {
            let node = &child["data"];
            let props = &node[1];
            if props["type"]["data"] == "separator" {
                continue;
            }
            items.push((
                node[0].as_i64().unwrap(),
                props["label"]["data"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                props["enabled"]["data"].as_bool().unwrap_or(true),
            ));
        }
        items
    }

    /// A left click on the icon, as a tray host sends it.
    pub fn activate(&self) {
        busctl(
            self.home,
            &[
                "call",
                "--",
                &self.name,
                "/StatusNotifierItem",
                "org.kde.StatusNotifierItem",
                "Activate",
                "ii",
                "0",
                "0",
            ],
        );
    }

    /// Clicks the menu item with this label, as a tray host does.
    pub fn click(&self, label: &str) {
        let (id, _, _) = self
            .menu()
            .into_iter()
            .find(|(_, l, _)| l == label)
            .unwrap_or_else(|| panic!("no menu item {label:?}"));
        self.menu_call("Event", "isvu", &[&id.to_string(), "clicked", "s", "", "0"]);
    }
}

/// Whether a top-level window with this title is on the sandbox's display.
pub fn has_window(home: &Sandbox, title: &str) -> bool {
    let out = home
        .command("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .expect("xwininfo (Debian package x11-utils) must be installed");
    String::from_utf8_lossy(&out.stdout).contains(&format!("\"{title}\""))
}

/// Asks the window titled `title` to close, as a window manager's close button does.
pub fn close_window(home: &Sandbox, title: &str) {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/close_window.py");
    let out = home
        .command("/usr/bin/python3")
        .arg(script)
        .arg(title)
        .output()
        .expect("Debian's python3 runs close_window.py");
    assert!(
        out.status.success(),
        "close_window.py failed (Debian package python3-xlib needed): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Sandbox {
    /// Saves the top-left corner of this session's screen (where the panels put the tray) as
    /// `tests/artifacts/<name>` and returns its path.
    pub fn screenshot(&self, name: &str) -> std::path::PathBuf {
        self.screenshot_top(name, 40, 240)
    }

    /// Saves the top `height` rows of the screen, `width` pixels from the left (0: all), as
    /// `tests/artifacts/<name>` and returns its path.
    pub fn screenshot_top(&self, name: &str, height: u32, width: u32) -> std::path::PathBuf {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("tests/artifacts").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let out = self
            .command("/usr/bin/python3")
            .arg(root.join("tests/support/screenshot.py"))
            .arg(&path)
            .args([height.to_string(), width.to_string()])
            .output()
            .expect("Debian's python3 runs screenshot.py");
        assert!(
            out.status.success(),
            "screenshot.py failed (Debian package python3-xlib needed): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    }
}

/// The pixels (R, G, B, A) the app must publish for a balance-style icon, drawn by the core's
/// renderer at the largest size of the tray's set.
pub fn balance_icon(tone: Tone, text: &str, dimmed: bool) -> Vec<Pixel> {
    let view = IconView {
        tone,
        text: text.into(),
        dimmed,
        fill: None,
    };
    let largest = PIXMAP_SIZES[PIXMAP_SIZES.len() - 1];
    pixels(&render(&view, IconStyle::Balance, largest))
}

/// A pixel as (R, G, B, A).
pub type Pixel = (u8, u8, u8, u8);

fn pixels(rgba: &[u8]) -> Vec<Pixel> {
    rgba.chunks(4).map(|p| (p[0], p[1], p[2], p[3])).collect()
}

/// A PNG file of this colour type: its width, height and bytes.
fn read_png(path: &std::path::Path, colour: png::ColorType) -> (usize, usize, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, colour, "{}", path.display());
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

/// A golden picture of the tray icon (`src-tauri/core/tests/golden/tray-icons/<name>.png`):
/// its size and pixels.
pub fn golden_icon(name: &str) -> (usize, Vec<Pixel>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/golden/tray-icons")
        .join(format!("{name}.png"));
    let (width, _, rgba) = read_png(&path, png::ColorType::Rgba);
    (width, pixels(&rgba))
}

/// A screenshot (an RGB PNG, as screenshot.py writes them): its width, height and pixels.
pub fn read_screenshot(path: &std::path::Path) -> (usize, usize, Vec<(u8, u8, u8)>) {
    let (width, height, rgb) = read_png(path, png::ColorType::Rgb);
    let pixels = rgb.chunks(3).map(|p| (p[0], p[1], p[2])).collect();
    (width, height, pixels)
}

/// Whether two pictures are the same but for float rounding (the goldens' tolerance).
pub fn same_picture(a: &[Pixel], b: &[Pixel]) -> bool {
    let channels = |p: &Pixel| [p.0, p.1, p.2, p.3];
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            channels(x)
                .iter()
                .zip(channels(y))
                .all(|(c, d)| c.abs_diff(d) <= 3)
        })
}

/// Waits up to `within` for `check` to hold.
pub fn eventually(within: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    check()
}

/// The pid of the sandbox's running tray app (its HOME tells it apart from others'; its
/// window process runs the same binary with `--window-link`).
pub fn app_pid(home: &Sandbox) -> Option<u32> {
    let wanted_home = format!("HOME={}", home.home().display());
    // The command line hands over to the tray app in the same process (exec).
    let binary = super::app::binary()
        .with_file_name("clickatell-balance-app")
        .canonicalize()
        .ok()?;
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            if std::fs::read_link(entry.path().join("exe")).ok()? != binary {
                return None;
            }
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            if cmdline
                .split(|b| *b == 0)
                .any(|arg| arg == b"--window-link")
            {
                return None;
            }
            let environ = std::fs::read(entry.path().join("environ")).ok()?;
            environ
                .split(|b| *b == 0)
                .any(|kv| kv == wanted_home.as_bytes())
                .then_some(pid)
        })
}

/// The window processes the tray app `pid` started (`clickatell-balance-app --window-link`).
pub fn window_processes(pid: u32) -> Vec<u32> {
    children(pid)
        .into_iter()
        .filter(|child| {
            std::fs::read(format!("/proc/{child}/cmdline")).is_ok_and(|cmdline| {
                cmdline
                    .split(|b| *b == 0)
                    .any(|arg| arg == b"--window-link")
            })
        })
        .collect()
}

/// Every process below `pid`, however deep, by the name the kernel keeps (15 bytes at most).
pub fn descendants(pid: u32) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let mut parents = vec![pid];
    while let Some(parent) = parents.pop() {
        for child in children(parent) {
            let comm = std::fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            found.push((child, comm.trim().to_owned()));
            parents.push(child);
        }
    }
    found
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let child: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let after_name = &stat[stat.rfind(')')? + 2..];
            let ppid: u32 = after_name.split_whitespace().nth(1)?.parse().ok()?;
            (ppid == pid).then_some(child)
        })
        .collect()
}

/// The WebKit helper processes under `pid` whose name starts with `prefix` ("WebKitWebProces"
/// for web content, "WebKitNetworkPr" for the network process; names are cut at 15 bytes).
pub fn webkit_children(pid: u32, prefix: &str) -> Vec<u32> {
    children(pid)
        .into_iter()
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/comm"))
                .is_ok_and(|comm| comm.starts_with(prefix))
        })
        .collect()
}

/// Answers the save dialog titled `title` with `path`, as a user types it: xdotool (XTEST)
/// focuses the dialog, replaces the proposed name with the whole path and presses Return.
pub fn answer_save_dialog(home: &Sandbox, title: &str, path: &std::path::Path) {
    let xdotool = |args: &[&str]| {
        let out = home
            .command("xdotool")
            .args(args)
            .output()
            .expect("xdotool (Debian package xdotool) must be installed");
        assert!(
            out.status.success(),
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let found = xdotool(&["search", "--sync", "--onlyvisible", "--name", title]);
    let window = found
        .lines()
        .next()
        .expect("the dialog's window")
        .to_owned();
    xdotool(&["windowfocus", "--sync", &window]);
    // The dialog proposes a name, selected: typed text takes its place.
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
    xdotool(&["type", "--delay", "15", &path.to_string_lossy()]);
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&["key", "Return"]);
}
