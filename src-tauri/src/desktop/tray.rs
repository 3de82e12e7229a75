//! The tray icon: a picture drawn from the balance (the account most in need of the user's
//! attention, when several are watched), the balance and state as the tooltip, and the menu
//! with a line per account.

use super::contract;
use super::contract::View;
use super::state::AppState;
use super::window_host;
use clickatell_core::snapshot::Status;
use clickatell_core::tray_icon::{render, IconStyle, IconView};
use clickatell_core::tray_text::{TrayOverview, TrayView};
use clickatell_core::Decimal;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

/// The tray's id.
pub const TRAY: &str = "main";

/// The size the picture is drawn at: what panels show without scaling it, where known
/// (22 px is the freedesktop panel size; Windows and macOS scale a 32 px icon down).
pub const ICON_SIZE: u32 = if cfg!(target_os = "linux") { 22 } else { 32 };

/// The menu items whose text or state follows the snapshots.
pub struct TrayMenu<R: Runtime> {
    /// The account lines at the top, with the ids they were made for.
    accounts: Vec<(String, MenuItem<R>)>,
    refresh: MenuItem<R>,
    settings: MenuItem<R>,
}

/// What the tray last showed and what it is drawn from, shared by the tray's updates.
#[derive(Default)]
pub struct TrayState {
    /// What was last pushed to the tray host, so unchanged parts are not pushed again (each
    /// push is a D-Bus signal the host answers with calls: wake-ups for both).
    shown: Mutex<Shown>,
    /// Each account's highest balance of the last 30 days, which the meter fills against.
    pub peaks: Mutex<BTreeMap<String, Option<Decimal>>>,
}

/// The parts of the tray that are pushed separately.
#[derive(Default, PartialEq)]
struct Shown {
    picture: Option<(IconView, IconStyle)>,
    title: Option<String>,
    tooltip: Option<String>,
    menu: Option<MenuTexts>,
}

/// What the menu says: the account lines (id, text), whether Refresh is enabled and its
/// text, and the Settings item's text.
#[derive(PartialEq)]
struct MenuTexts {
    lines: Vec<(String, String)>,
    refresh: bool,
    refresh_text: &'static str,
    settings: &'static str,
}

/// The picture for a view in a style, as an image for the tray.
pub fn picture(view: &IconView, style: IconStyle) -> Image<'static> {
    Image::new_owned(render(view, style, ICON_SIZE), ICON_SIZE, ICON_SIZE)
}

/// The menu's account lines: with one account, its balance line, disabled, as the
/// single-account versions had it; with several, a line per account that opens the window.
fn account_lines(overview: &TrayOverview) -> Vec<(String, String)> {
    match overview.lines.as_slice() {
        [] => vec![(String::new(), overview.view.menu_line.clone())],
        [(id, _)] => vec![(id.clone(), overview.view.menu_line.clone())],
        several => several.to_vec(),
    }
}

/// Builds the menu for these account lines.
fn build_menu<R: Runtime>(
    app: &AppHandle<R>,
    lines: &[(String, String)],
) -> tauri::Result<(Menu<R>, TrayMenu<R>)> {
    let several = lines.len() > 1;
    let accounts = lines
        .iter()
        .map(|(id, text)| {
            let item_id = if several {
                format!("account:{id}")
            } else {
                "balance".into()
            };
            MenuItem::with_id(app, item_id, text, several, None::<&str>).map(|i| (id.clone(), i))
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let refresh = MenuItem::with_id(app, "refresh", "Refresh now", true, None::<&str>)?;
    let top_up = MenuItem::with_id(app, "top-up", "Top up…", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Clickatell Balance", true, None::<&str>)?;
    let settings = MenuItem::with_id(app, "settings", "Settings…", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let mut items: Vec<&dyn IsMenuItem<R>> = accounts
        .iter()
        .map(|(_, item)| item as &dyn IsMenuItem<R>)
        .collect();
    items.extend([
        &separator as &dyn IsMenuItem<R>,
        &refresh,
        &top_up,
        &open,
        &settings,
        &quit,
    ]);
    let menu = Menu::with_items(app, &items)?;
    Ok((
        menu,
        TrayMenu {
            accounts,
            refresh,
            settings,
        },
    ))
}

/// Creates the tray. Fails when the desktop has no tray host (no StatusNotifierWatcher).
pub fn install<R: Runtime>(
    app: &AppHandle<R>,
    overview: &TrayOverview,
    style: IconStyle,
) -> tauri::Result<()> {
    let (menu, items) = build_menu(app, &account_lines(overview))?;
    let view = &overview.view;
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
                    app.state::<AppState>().refresh(None).await;
                });
            }
            "top-up" => app.state::<AppState>().open_top_up(),
            "open" => window_host::open(app, View::Overview, None),
            "settings" => window_host::open(app, View::Settings, None),
            "quit" => app.exit(0),
            other => {
                if let Some(account) = other.strip_prefix("account:") {
                    let state = app.state::<AppState>();
                    *state.focus.lock() = Some(account.to_owned());
                    window_host::emit(app, contract::FOCUS_EVENT, account);
                    window_host::open(app, View::Overview, None);
                }
            }
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window_host::open(tray.app_handle(), View::Overview, None);
            }
        })
        .build(app)?;
    *app.state::<MenuSlot<R>>().0.lock() = Some(items);
    if let Some(state) = app.try_state::<TrayState>() {
        *state.shown.lock() = Shown {
            picture: Some((view.picture.clone(), style)),
            ..Shown::default()
        };
    }
    Ok(())
}

/// The current menu's items, replaced when the accounts in it change.
pub struct MenuSlot<R: Runtime>(Mutex<Option<TrayMenu<R>>>);

impl<R: Runtime> Default for MenuSlot<R> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
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

/// Shows a new overview in the tray, if there is one, pushing only the parts that changed.
/// `primary` is the state of the account the window shows, which Refresh and Settings follow.
pub fn update<R: Runtime>(
    app: &AppHandle<R>,
    overview: &TrayOverview,
    style: IconStyle,
    primary: Status,
) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let Some(state) = app.try_state::<TrayState>() else {
        return;
    };
    let mut shown = state.shown.lock();
    let view = &overview.view;
    let (title, tooltip) = texts(view);
    let token_problem = matches!(primary, Status::TokenMissing | Status::TokenRejected);
    let next = Shown {
        picture: Some((view.picture.clone(), style)),
        title: Some(title),
        tooltip: Some(tooltip),
        menu: Some(MenuTexts {
            lines: account_lines(overview),
            refresh: primary != Status::TokenMissing,
            refresh_text: if primary == Status::KeyringLocked {
                "Unlock keyring…"
            } else {
                "Refresh now"
            },
            settings: if token_problem {
                "Set the API token…"
            } else {
                "Settings…"
            },
        }),
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
        if let Some(texts) = &next.menu {
            update_menu(app, &tray, texts);
        }
    }
    *shown = next;
}

/// Sets the menu's texts, rebuilding it when the accounts in it changed.
fn update_menu<R: Runtime>(app: &AppHandle<R>, tray: &tauri::tray::TrayIcon<R>, texts: &MenuTexts) {
    let lines = &texts.lines;
    let slot = app.state::<MenuSlot<R>>();
    let mut items = slot.0.lock();
    let same_accounts = items.as_ref().is_some_and(|m| {
        m.accounts.len() == lines.len()
            && m.accounts.iter().zip(lines).all(|((a, _), (b, _))| a == b)
    });
    if !same_accounts {
        match build_menu(app, lines) {
            Ok((menu, built)) => {
                let _ = tray.set_menu(Some(menu));
                *items = Some(built);
            }
            Err(e) => tracing::warn!(error = %e, "could not rebuild the tray menu"),
        }
    }
    if let Some(menu) = items.as_ref() {
        for ((_, item), (_, text)) in menu.accounts.iter().zip(lines) {
            let _ = item.set_text(text);
        }
        let _ = menu.refresh.set_enabled(texts.refresh);
        let _ = menu.refresh.set_text(texts.refresh_text);
        let _ = menu.settings.set_text(texts.settings);
    }
}
