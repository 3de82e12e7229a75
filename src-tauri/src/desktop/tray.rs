//! The tray icon: a picture drawn from the balance, the balance and state as a two-line
//! tooltip, and the menu.

use super::window::{self, View};
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::tray_icon::{render, IconStyle, IconView};
use clickatell_core::tray_text::TrayView;
use clickatell_core::Decimal;
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

/// The tray's id.
pub const TRAY: &str = "main";

/// The size the picture is drawn at: what panels show without scaling it, where known
/// (22 px is the freedesktop panel size; Windows and macOS scale a 32 px icon down).
pub const ICON_SIZE: u32 = if cfg!(target_os = "linux") { 22 } else { 32 };

/// The menu items whose text or state follows the snapshot.
pub struct TrayMenu<R: Runtime> {
    balance: MenuItem<R>,
    refresh: MenuItem<R>,
    settings: MenuItem<R>,
}

/// What the tray last showed and what it is drawn from, shared by the tray's updates.
#[derive(Default)]
pub struct TrayState {
    /// What was last pushed to the tray host, so unchanged parts are not pushed again (each
    /// push is a D-Bus signal the host answers with calls: wake-ups for both).
    shown: Mutex<Shown>,
    /// The highest balance of the last 30 days, which the meter fills against.
    pub peak: Mutex<Option<Decimal>>,
}

/// The parts of the tray that are pushed separately.
#[derive(Default, PartialEq)]
struct Shown {
    picture: Option<(IconView, IconStyle)>,
    title: Option<String>,
    tooltip: Option<String>,
    /// The balance line, whether Refresh is enabled, and the Settings item's text.
    menu: Option<(String, bool, &'static str)>,
}

/// The picture for a view in a style, as an image for the tray.
pub fn picture(view: &IconView, style: IconStyle) -> Image<'static> {
    Image::new_owned(render(view, style, ICON_SIZE), ICON_SIZE, ICON_SIZE)
}

/// Creates the tray. Fails when the desktop has no tray host (no StatusNotifierWatcher).
pub fn install<R: Runtime>(
    app: &AppHandle<R>,
    view: &TrayView,
    style: IconStyle,
) -> tauri::Result<()> {
    let balance = MenuItem::with_id(app, "balance", &view.menu_line, false, None::<&str>)?;
    let refresh = MenuItem::with_id(app, "refresh", "Refresh now", true, None::<&str>)?;
    let top_up = MenuItem::with_id(app, "top-up", "Top up…", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Clickatell Balance", true, None::<&str>)?;
    let settings = MenuItem::with_id(app, "settings", "Settings…", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[
            &balance, &separator, &refresh, &top_up, &open, &settings, &quit,
        ],
    )?;
    let (title, tooltip) = texts(view);
    TrayIconBuilder::with_id(TRAY)
        .icon(picture(&view.picture, style))
        .title(&title)
        .tooltip(&tooltip)
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
            "top-up" => clickatell_core::top_up::open_in_browser(
                &app.state::<super::state::AppState>().settings().top_up_url,
            ),
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
    if let Some(state) = app.try_state::<TrayState>() {
        *state.shown.lock().unwrap_or_else(|p| p.into_inner()) = Shown {
            picture: Some((view.picture.clone(), style)),
            ..Shown::default()
        };
    }
    Ok(())
}

/// The item's title and tooltip. StatusNotifierItem hosts show the title in bold above the
/// tooltip, so there the tooltip is only the second line; elsewhere the tooltip has both and
/// the title is the label beside the icon (macOS).
fn texts(view: &TrayView) -> (String, String) {
    if cfg!(target_os = "linux") {
        (view.headline.clone(), view.detail.clone())
    } else {
        (view.label.clone(), view.tooltip())
    }
}

/// Shows a new view in the tray, if there is one, pushing only the parts that changed.
pub fn update<R: Runtime>(
    app: &AppHandle<R>,
    view: &TrayView,
    style: IconStyle,
    snapshot: &Snapshot,
) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let Some(state) = app.try_state::<TrayState>() else {
        return;
    };
    let mut shown = state.shown.lock().unwrap_or_else(|p| p.into_inner());
    let (title, tooltip) = texts(view);
    let token_problem = matches!(
        snapshot.status,
        Status::TokenMissing | Status::TokenRejected
    );
    let next = Shown {
        picture: Some((view.picture.clone(), style)),
        title: Some(title),
        tooltip: Some(tooltip),
        menu: Some((
            view.menu_line.clone(),
            snapshot.status != Status::TokenMissing,
            if token_problem {
                "Set the API token…"
            } else {
                "Settings…"
            },
        )),
    };
    if next.picture != shown.picture {
        if let Some((picture_view, style)) = &next.picture {
            let _ = tray.set_icon(Some(picture(picture_view, *style)));
        }
    }
    if next.title != shown.title {
        let _ = tray.set_title(next.title.as_deref());
    }
    if next.tooltip != shown.tooltip {
        let _ = tray.set_tooltip(next.tooltip.as_deref());
    }
    if next.menu != shown.menu {
        if let (Some(menu), Some((line, refresh, settings))) =
            (app.try_state::<TrayMenu<R>>(), &next.menu)
        {
            let _ = menu.balance.set_text(line);
            let _ = menu.refresh.set_enabled(*refresh);
            let _ = menu.settings.set_text(*settings);
        }
    }
    *shown = next;
}
