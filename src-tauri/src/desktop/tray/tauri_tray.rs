//! The tray item on macOS and Windows: Tauri's tray. There the tooltip is one plain text with
//! both lines, and the title is the label beside the icon (the macOS menu bar).

use super::{Look, MenuEntry, OnAction, TrayAction};
use clickatell_core::tray_icon::{render, IconStyle, IconView};
use clickatell_core::tray_text::plain_tooltip;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

/// The tray's id.
const TRAY: &str = "main";
/// The size the picture is drawn at: Windows and macOS scale a 32 px icon down.
const ICON_SIZE: u32 = 32;

/// The calls a tray needs, whatever runtime it runs on.
trait Tray: Send + Sync {
    fn icon(&self, image: Image<'static>);
    fn title(&self, title: &str);
    fn tooltip(&self, tooltip: &str);
    fn menu(&self, entries: &[MenuEntry]);
}

/// Tauri's tray item, with the app it belongs to.
struct Installed<R: Runtime> {
    app: AppHandle<R>,
    tray: TrayIcon<R>,
}

impl<R: Runtime> Tray for Installed<R> {
    fn icon(&self, image: Image<'static>) {
        let _ = self.tray.set_icon(Some(image));
    }

    fn title(&self, title: &str) {
        let _ = self.tray.set_title(Some(title));
    }

    fn tooltip(&self, tooltip: &str) {
        let _ = self.tray.set_tooltip(Some(tooltip));
    }

    fn menu(&self, entries: &[MenuEntry]) {
        match build_menu(&self.app, entries) {
            Ok(menu) => {
                let _ = self.tray.set_menu(Some(menu));
            }
            Err(e) => tracing::warn!(error = %e, "could not rebuild the tray menu"),
        }
    }
}

/// The tray item, as long as the app runs.
pub struct TrayItem(Box<dyn Tray>);

impl TrayItem {
    pub fn install<R: Runtime>(
        app: &AppHandle<R>,
        look: &Look,
        on_action: OnAction,
    ) -> Result<Self, String> {
        let on_click = on_action.clone();
        let tray = TrayIconBuilder::with_id(TRAY)
            .icon(picture(&look.picture.0, look.picture.1))
            .title(&look.label.0)
            .tooltip(plain_tooltip(&look.tooltip.0, &look.tooltip.1))
            .menu(&build_menu(app, &look.menu).map_err(|e| e.to_string())?)
            .show_menu_on_left_click(false)
            .on_menu_event(move |_, event| {
                if let Some(action) = action_of(event.id().as_ref()) {
                    on_action(action);
                }
            })
            .on_tray_icon_event(move |_, event| {
                if let TrayIconEvent::Click {
                    button: MouseButton::Left,
                    button_state: MouseButtonState::Up,
                    ..
                } = event
                {
                    on_click(TrayAction::Open);
                }
            })
            .build(app)
            .map_err(|e| e.to_string())?;
        Ok(Self(Box::new(Installed {
            app: app.clone(),
            tray,
        })))
    }

    pub fn set_picture(&self, view: &IconView, style: IconStyle) {
        self.0.icon(picture(view, style));
    }

    pub fn set_tooltip(&self, headline: &str, detail: &str) {
        self.0.tooltip(&plain_tooltip(headline, detail));
    }

    /// The title beside the icon is the label here; the headline is in the tooltip.
    pub fn set_label(&self, label: &str, _guide: &str) {
        self.0.title(label);
    }

    pub fn set_menu(&self, entries: &[MenuEntry]) {
        self.0.menu(entries);
    }
}

fn picture(view: &IconView, style: IconStyle) -> Image<'static> {
    Image::new_owned(render(view, style, ICON_SIZE), ICON_SIZE, ICON_SIZE)
}

/// A menu item's id for an action, and back.
fn action_id(action: &TrayAction) -> String {
    match action {
        TrayAction::Refresh => "refresh".into(),
        TrayAction::TopUp => "top-up".into(),
        TrayAction::Open => "open".into(),
        TrayAction::Settings => "settings".into(),
        TrayAction::Quit => "quit".into(),
        TrayAction::Account(id) => format!("account:{id}"),
    }
}

fn action_of(id: &str) -> Option<TrayAction> {
    Some(match id {
        "refresh" => TrayAction::Refresh,
        "top-up" => TrayAction::TopUp,
        "open" => TrayAction::Open,
        "settings" => TrayAction::Settings,
        "quit" => TrayAction::Quit,
        other => TrayAction::Account(other.strip_prefix("account:")?.to_owned()),
    })
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, entries: &[MenuEntry]) -> tauri::Result<Menu<R>> {
    let items = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| -> tauri::Result<Box<dyn IsMenuItem<R>>> {
            Ok(match entry {
                MenuEntry::Separator => Box::new(PredefinedMenuItem::separator(app)?),
                MenuEntry::Item {
                    label,
                    enabled,
                    action,
                } => {
                    let id = action
                        .as_ref()
                        .map_or_else(|| format!("line:{index}"), action_id);
                    Box::new(MenuItem::with_id(app, id, label, *enabled, None::<&str>)?)
                }
            })
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let refs: Vec<&dyn IsMenuItem<R>> = items.iter().map(AsRef::as_ref).collect();
    Menu::with_items(app, &refs)
}
