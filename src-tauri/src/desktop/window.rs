//! The window: created on demand and destroyed when closed, so the WebKit processes and their
//! memory are gone while the app sits in the tray.

use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// The window's label.
pub const MAIN: &str = "main";

/// Which part of the UI to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Settings,
}

impl View {
    fn fragment(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Settings => "settings",
        }
    }
}

/// Shows the window at `view`, creating it if needed; `hint` is shown above the content
/// (e.g. that there is no tray on this desktop). The demo account's window always says so.
pub fn open<R: Runtime>(app: &AppHandle<R>, view: View, hint: Option<&str>) {
    let demo = app
        .try_state::<super::state::AppState>()
        .is_some_and(|s| s.overrides.demo);
    let hint = hint.or(demo.then_some("demo"));
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        let _ = window.emit("navigate", view.fragment());
        return;
    }
    let mut url = "index.html".to_owned();
    if let Some(hint) = hint {
        url.push_str(&format!("?hint={hint}"));
    }
    url.push('#');
    url.push_str(view.fragment());
    let built = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App(url.into()))
        .title("Clickatell Balance")
        .inner_size(440.0, 620.0)
        .min_inner_size(360.0, 420.0)
        .build();
    if let Err(e) = built {
        tracing::error!(error = %e, "could not open the window");
    }
}

/// After the window is destroyed, hands the heap its WebKit view freed back to the system, so
/// the app sitting in the tray is as small again as it can be.
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(2));
        // SAFETY: malloc_trim only returns free heap pages to the kernel; it is thread-safe.
        unsafe {
            libc::malloc_trim(0);
        }
    });
}
