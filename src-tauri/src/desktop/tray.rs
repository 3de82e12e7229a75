//! The tray icon: balance in the title and tooltip, an icon per state, and the menu.

use super::window::{self, View};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::tray_text::{TrayIconKind, TrayView};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

/// The tray's id.
pub const TRAY: &str = "main";

/// The menu items whose text or state follows the snapshot.
pub struct TrayMenu<R: Runtime> {
    balance: MenuItem<R>,
    refresh: MenuItem<R>,
    settings: MenuItem<R>,
}

/// The icon image for a state.
pub fn icon(kind: TrayIconKind) -> Image<'static> {
    let bytes: &'static [u8] = match kind {
        TrayIconKind::Ok => include_bytes!("../../../icons/tray-ok.png"),
        TrayIconKind::Warning => include_bytes!("../../../icons/tray-warning.png"),
        TrayIconKind::Critical => include_bytes!("../../../icons/tray-critical.png"),
        TrayIconKind::Error => include_bytes!("../../../icons/tray-error.png"),
        TrayIconKind::NoToken => include_bytes!("../../../icons/tray-no-token.png"),
    };
    Image::from_bytes(bytes).expect("tray icons are valid PNG files")
}

/// Creates the tray. Fails when the desktop has no tray host (no StatusNotifierWatcher).
pub fn install<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<()> {
    let balance = MenuItem::with_id(app, "balance", &view.menu_line, false, None::<&str>)?;
    let refresh = MenuItem::with_id(app, "refresh", "Refresh now", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Clickatell Balance", true, None::<&str>)?;
    let settings = MenuItem::with_id(app, "settings", "Settings…", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[&balance, &separator, &refresh, &open, &settings, &quit],
    )?;
    TrayIconBuilder::with_id(TRAY)
        .icon(icon(view.icon))
        .title(&view.title)
        .tooltip(&view.tooltip)
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "refresh" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    app.state::<super::state::AppState>()
                        .monitor
                        .refresh()
                        .await;
                });
            }
            "open" => window::open(app, View::Overview, None),
            "settings" => window::open(app, View::Settings, None),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::open(tray.app_handle(), View::Overview, None);
            }
        })
        .build(app)?;
    app.manage(TrayMenu {
        balance,
        refresh,
        settings,
    });
    Ok(())
}

/// Shows a new view in the tray, if there is one.
pub fn update<R: Runtime>(app: &AppHandle<R>, view: &TrayView, snapshot: &Snapshot) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let _ = tray.set_icon(Some(icon(view.icon)));
    let _ = tray.set_title(Some(&view.title));
    let _ = tray.set_tooltip(Some(&view.tooltip));
    if let Some(menu) = app.try_state::<TrayMenu<R>>() {
        let token_problem = matches!(
            snapshot.status,
            Status::TokenMissing | Status::TokenRejected
        );
        let _ = menu.balance.set_text(&view.menu_line);
        let _ = menu
            .refresh
            .set_enabled(snapshot.status != Status::TokenMissing);
        let _ = menu.settings.set_text(if token_problem {
            "Set the API token…"
        } else {
            "Settings…"
        });
    }
}
