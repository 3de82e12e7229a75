//! The tray icon: a picture drawn from the balance (the account most in need of the user's
//! attention, when several are watched), the balance in words beside it where the panel shows
//! a label, the balance and state as the tooltip, and the menu with a line per account. What
//! the tray shows is decided here, once; the platform's tray item shows it: the app's own
//! StatusNotifierItem on Linux (`status_notifier`), Tauri's tray elsewhere (`tauri_tray`).

#[cfg(target_os = "linux")]
mod status_notifier;
#[cfg(not(target_os = "linux"))]
mod tauri_tray;

use super::contract;
use super::contract::View;
use super::state::AppState;
use super::window_host;
use clickatell_core::settings::Settings;
use clickatell_core::snapshot::Status;
use clickatell_core::tray_icon::{IconStyle, IconView};
use clickatell_core::tray_text::{label_guide, TrayLabel, TrayOverview, TrayView};
use clickatell_core::Decimal;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};

#[cfg(target_os = "linux")]
use status_notifier::TrayItem;
#[cfg(not(target_os = "linux"))]
use tauri_tray::TrayItem;

/// What a click in the tray asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    Refresh,
    TopUp,
    Open,
    Settings,
    Quit,
    /// An account's line in the menu: the window, showing that account.
    Account(String),
}

/// What a click on the item or in its menu asks of the app, from whichever thread the tray
/// item hears of it.
pub type OnAction = Arc<dyn Fn(TrayAction) + Send + Sync>;

/// A line of the tray's menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuEntry {
    Item {
        label: String,
        enabled: bool,
        /// What clicking it does; `None` for a line that only informs.
        action: Option<TrayAction>,
    },
    Separator,
}

/// How the settings want the tray drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appearance {
    pub style: IconStyle,
    pub label: TrayLabel,
}

impl Appearance {
    pub fn of(settings: &Settings) -> Self {
        Self {
            style: settings.tray_icon,
            label: settings.tray_label,
        }
    }
}

/// Everything the tray item shows, each part pushed to the host only when it changes (each
/// push is a D-Bus signal the host answers with calls: wake-ups for both).
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub picture: (IconView, IconStyle),
    /// The tooltip's bold first line (the item's title too, where hosts show one) and its
    /// body.
    pub tooltip: (String, String),
    /// Beside the icon (empty: none), and a text as wide as any label of its shape.
    pub label: (String, String),
    pub menu: Vec<MenuEntry>,
}

/// The tray item and what it last showed, shared by the tray's updates.
#[derive(Default)]
pub struct TrayState {
    shown: Mutex<Option<(TrayItem, Look)>>,
    /// Each account's highest balance of the last 30 days, which the meter fills against.
    pub peaks: Mutex<BTreeMap<String, Option<Decimal>>>,
}

/// The menu's account lines: with one account, its balance line, disabled, as the
/// single-account versions had it; with several, a line per account that opens the window.
fn account_lines(overview: &TrayOverview) -> Vec<MenuEntry> {
    let line = |label: &str, action: Option<TrayAction>| MenuEntry::Item {
        label: label.to_owned(),
        enabled: action.is_some(),
        action,
    };
    match overview.lines.as_slice() {
        [] | [_] => vec![line(&overview.view.menu_line, None)],
        several => several
            .iter()
            .map(|(id, text)| line(text, Some(TrayAction::Account(id.clone()))))
            .collect(),
    }
}

/// What the tray shows for an overview; `primary` is the state of the account the window
/// shows, which Refresh and Settings follow.
fn look(overview: &TrayOverview, appearance: Appearance, primary: Status) -> Look {
    let view: &TrayView = &overview.view;
    let token_problem = matches!(primary, Status::TokenMissing | Status::TokenRejected);
    let item = |label: &str, enabled: bool, action: TrayAction| MenuEntry::Item {
        label: label.to_owned(),
        enabled,
        action: Some(action),
    };
    let mut menu = account_lines(overview);
    menu.extend([
        MenuEntry::Separator,
        item(
            if primary == Status::KeyringLocked {
                "Unlock keyring…"
            } else {
                "Refresh now"
            },
            primary != Status::TokenMissing,
            TrayAction::Refresh,
        ),
        item("Top up…", true, TrayAction::TopUp),
        item("Open Clickatell Balance", true, TrayAction::Open),
        item(
            if token_problem {
                "Set the API token…"
            } else {
                "Settings…"
            },
            true,
            TrayAction::Settings,
        ),
        item("Quit", true, TrayAction::Quit),
    ]);
    let label = match appearance.label {
        TrayLabel::Balance => view.label.clone(),
        TrayLabel::Off => String::new(),
    };
    Look {
        picture: (view.picture.clone(), appearance.style),
        tooltip: (view.headline.clone(), view.detail.clone()),
        label: (label.clone(), label_guide(&label)),
        menu,
    }
}

/// Does what a click in the tray asks for.
fn perform<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Refresh => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                app.state::<AppState>().refresh(None).await;
            });
        }
        TrayAction::TopUp => app.state::<AppState>().open_top_up(),
        TrayAction::Open => window_host::open(app, View::Overview, None),
        TrayAction::Settings => window_host::open(app, View::Settings, None),
        TrayAction::Quit => app.exit(0),
        TrayAction::Account(account) => {
            let state = app.state::<AppState>();
            *state.focus.lock() = Some(account.clone());
            window_host::emit(app, contract::FOCUS_EVENT, account);
            window_host::open(app, View::Overview, None);
        }
    }
}

/// Creates the tray. Fails when the desktop has no tray host (no StatusNotifierWatcher).
pub fn install<R: Runtime>(
    app: &AppHandle<R>,
    overview: &TrayOverview,
    appearance: Appearance,
    primary: Status,
) -> Result<(), String> {
    let Some(state) = app.try_state::<TrayState>() else {
        return Err("the tray's state is not set up".into());
    };
    let look = look(overview, appearance, primary);
    let handle = app.clone();
    let on_action: OnAction = Arc::new(move |action| perform(&handle, action));
    let item = TrayItem::install(app, &look, on_action)?;
    *state.shown.lock() = Some((item, look));
    Ok(())
}

/// Shows a new overview in the tray, if there is one, pushing only the parts that changed.
pub fn update<R: Runtime>(
    app: &AppHandle<R>,
    overview: &TrayOverview,
    appearance: Appearance,
    primary: Status,
) {
    let Some(state) = app.try_state::<TrayState>() else {
        return;
    };
    let mut shown = state.shown.lock();
    let Some((item, before)) = shown.as_mut() else {
        return;
    };
    let next = look(overview, appearance, primary);
    if next.picture != before.picture {
        item.set_picture(&next.picture.0, next.picture.1);
    }
    if next.tooltip != before.tooltip {
        item.set_tooltip(&next.tooltip.0, &next.tooltip.1);
    }
    if next.label != before.label {
        item.set_label(&next.label.0, &next.label.1);
    }
    if next.menu != before.menu {
        item.set_menu(&next.menu);
    }
    *before = next;
}
