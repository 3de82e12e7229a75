//! The window: asked for by the tray process, built in the window process (see
//! `window_host` and `window_process`), so that closing it gives all its memory back.

use super::state::AppState;
use super::window_host::WindowHost;
use serde_json::Value;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// The window's label.
pub const MAIN: &str = "main";

/// Which part of the UI to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Settings,
}

impl View {
    /// The view's name in the UI's address (`#overview`) and on the link.
    pub fn fragment(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Settings => "settings",
        }
    }

    /// The view a fragment names, if any.
    pub fn from_fragment(fragment: &str) -> Option<Self> {
        [Self::Overview, Self::Settings]
            .into_iter()
            .find(|v| v.fragment() == fragment)
    }
}

/// Shows the window at `view`, starting the window process if none runs; `hint` is shown
/// above the content (e.g. that there is no tray on this desktop). The demo account's window
/// always says so.
pub fn open<R: Runtime>(app: &AppHandle<R>, view: View, hint: Option<&str>) {
    let demo = app
        .try_state::<AppState>()
        .is_some_and(|s| s.context.is_demo());
    let hint = hint.or(demo.then_some("demo"));
    match app.try_state::<WindowHost>() {
        Some(host) => host.open(view, hint),
        None => tracing::error!("no window host: the window cannot open"),
    }
}

/// Sends an event to the window's UI, if a window is open.
pub fn emit<R: Runtime>(app: &AppHandle<R>, event: &str, payload: impl serde::Serialize) {
    if let Some(host) = app.try_state::<WindowHost>() {
        host.emit(event, payload);
    }
}

/// Builds the window in the window process, at `view`, painting `snapshot` from the start.
pub fn build<R: Runtime>(
    app: &AppHandle<R>,
    view: View,
    hint: Option<&str>,
    snapshot: &Value,
) -> tauri::Result<()> {
    let mut url = "index.html".to_owned();
    if let Some(hint) = hint {
        url.push_str(&format!("?hint={hint}"));
    }
    url.push('#');
    url.push_str(view.fragment());
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App(url.into()))
        .title("Clickatell Balance")
        .inner_size(440.0, 620.0)
        .min_inner_size(360.0, 420.0)
        .initialization_script(format!("window.__CLICKATELL_SNAPSHOT__ = {snapshot};"))
        .build()
        .map(drop)
}

/// Raises the window and shows `view`.
pub fn show<R: Runtime>(app: &AppHandle<R>, view: &str) {
    use tauri::Emitter;
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        let _ = window.emit("navigate", view);
    }
}
