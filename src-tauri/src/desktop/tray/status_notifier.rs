//! The tray item on Linux: a StatusNotifierItem and its `com.canonical.dbusmenu` menu, served
//! on the session bus by the app itself. Written here rather than taken from a crate: the
//! StatusNotifierItem library under Tauri's tray (ksni) declares the item's interface in one
//! fixed block, so it cannot publish the Ayatana label GNOME's top bar shows beside the icon,
//! and Tauri hands it one picture where hosts pick one of several sizes.

mod menu;

use super::{Look, MenuEntry, OnAction, TrayAction};
use crate::desktop::tray_host::WATCHER;
use clickatell_core::tray_icon::{render_set, IconStyle, IconView, Pixmap};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tauri::{AppHandle, Runtime};
use zbus::blocking::{connection, proxy, Connection, Proxy};
use zbus::zvariant::{ObjectPath, OwnedObjectPath};

/// Where the item and its menu are served.
const ITEM_PATH: &str = "/StatusNotifierItem";
const MENU_PATH: &str = "/MenuBar";
const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
/// The item's id: hosts use it to remember an item's place and whether it is hidden.
const ITEM_ID: &str = "clickatell-balance";

/// Each item a process registers has a bus name of its own (`-<pid>-<n>`), so a new one
/// never waits for the name an earlier, failed one is still giving up.
static INSTANCE: AtomicU32 = AtomicU32::new(1);

/// The item's properties, read by hosts whenever a signal says one changed.
struct Shown {
    /// The tooltip's headline, which is the title too, and its body.
    tooltip: (String, String),
    /// Converted once per picture, read by every host after each `NewIcon`.
    pixmaps: Pixmaps,
    label: (String, String),
}

/// The item, registered with the desktop's StatusNotifierWatcher while this lives.
pub struct TrayItem {
    connection: Connection,
    shown: Arc<Mutex<Shown>>,
    menu: Arc<Mutex<menu::Menu>>,
}

impl TrayItem {
    /// Serves the item and registers it with the watcher; fails when there is none (no tray
    /// host on this desktop, or not yet).
    pub fn install<R: Runtime>(
        _app: &AppHandle<R>,
        look: &Look,
        on_action: OnAction,
    ) -> Result<Self, String> {
        let error = |e: zbus::Error| e.to_string();
        let shown = Arc::new(Mutex::new(Shown {
            tooltip: look.tooltip.clone(),
            pixmaps: pixmaps(&look.picture.0, look.picture.1),
            label: look.label.clone(),
        }));
        let menu = Arc::new(Mutex::new(menu::Menu::new(look.menu.clone())));
        let name = format!(
            "org.kde.StatusNotifierItem-{}-{}",
            std::process::id(),
            INSTANCE.fetch_add(1, Ordering::Relaxed)
        );
        let item = Item {
            shown: shown.clone(),
            on_action: on_action.clone(),
        };
        let connection = connection::Builder::session()
            .and_then(|b| b.name(name.as_str()))
            .and_then(|b| b.serve_at(ITEM_PATH, item))
            .and_then(|b| b.serve_at(MENU_PATH, menu::MenuObject::new(menu.clone(), on_action)))
            .and_then(connection::Builder::build)
            .map_err(error)?;
        let watcher: Proxy<'_> = proxy::Builder::new(&connection)
            .destination(WATCHER)
            .and_then(|b| b.path("/StatusNotifierWatcher"))
            .and_then(|b| b.interface(WATCHER))
            .and_then(|b| b.cache_properties(zbus::proxy::CacheProperties::No).build())
            .map_err(error)?;
        watcher
            .call::<_, _, ()>("RegisterStatusNotifierItem", &(name.as_str(),))
            .map_err(error)?;
        Ok(Self {
            connection,
            shown,
            menu,
        })
    }

    pub fn set_picture(&self, view: &IconView, style: IconStyle) {
        self.shown.lock().pixmaps = pixmaps(view, style);
        self.signal("NewIcon", &());
    }

    pub fn set_tooltip(&self, headline: &str, detail: &str) {
        let retitled = {
            let mut shown = self.shown.lock();
            let retitled = shown.tooltip.0 != headline;
            shown.tooltip = (headline.to_owned(), detail.to_owned());
            retitled
        };
        if retitled {
            self.signal("NewTitle", &());
        }
        self.signal("NewToolTip", &());
    }

    pub fn set_label(&self, label: &str, guide: &str) {
        self.shown.lock().label = (label.to_owned(), guide.to_owned());
        self.signal("XAyatanaNewLabel", &(label, guide));
    }

    pub fn set_menu(&self, entries: &[MenuEntry]) {
        let (properties, revision) = self.menu.lock().replace(entries.to_vec());
        let removed: Vec<(i32, Vec<String>)> = Vec::new();
        let _ = self.connection.emit_signal(
            None::<&str>,
            MENU_PATH,
            menu::INTERFACE,
            "ItemsPropertiesUpdated",
            &(properties, removed),
        );
        if let Some(revision) = revision {
            let _ = self.connection.emit_signal(
                None::<&str>,
                MENU_PATH,
                menu::INTERFACE,
                "LayoutUpdated",
                &(revision, 0i32),
            );
        }
    }

    /// Tells hosts a property changed; they read it again. A host gone meanwhile is no
    /// error: the next one reads everything anew.
    fn signal<B>(&self, member: &str, body: &B)
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
    {
        let _ = self
            .connection
            .emit_signal(None::<&str>, ITEM_PATH, ITEM_INTERFACE, member, body);
    }
}

/// Pictures as the StatusNotifierItem specification has them: width, height and pixels in
/// network-order ARGB, `a(iiay)`.
type Pixmaps = Vec<(i32, i32, Vec<u8>)>;

/// The picture at every size, as hosts read it.
fn pixmaps(view: &IconView, style: IconStyle) -> Pixmaps {
    render_set(view, style).iter().map(argb).collect()
}

/// A picture in network-order ARGB.
fn argb(pixmap: &Pixmap) -> (i32, i32, Vec<u8>) {
    let bytes = pixmap
        .rgba
        .chunks_exact(4)
        .flat_map(|p| [p[3], p[0], p[1], p[2]])
        .collect();
    let side = i32::try_from(pixmap.size).unwrap_or(i32::MAX);
    (side, side, bytes)
}

/// The `org.kde.StatusNotifierItem` object. Its signals (`NewIcon`, `XAyatanaNewLabel`…)
/// are sent by name from `TrayItem`, on whichever thread the change comes from.
struct Item {
    shown: Arc<Mutex<Shown>>,
    on_action: OnAction,
}

#[zbus::interface(name = "org.kde.StatusNotifierItem")]
impl Item {
    /// A left click, where the host does not open the menu itself: the window.
    fn activate(&self, _x: i32, _y: i32) {
        (self.on_action)(TrayAction::Open);
    }

    /// A middle click: nothing the user would expect of a balance.
    fn secondary_activate(&self, _x: i32, _y: i32) {}

    /// Hosts that want the app to draw its own menu: the menu is the dbusmenu one.
    fn context_menu(&self, _x: i32, _y: i32) {}

    fn scroll(&self, _delta: i32, _orientation: &str) {}

    #[zbus(property)]
    fn category(&self) -> &str {
        "ApplicationStatus"
    }

    #[zbus(property)]
    fn id(&self) -> &str {
        ITEM_ID
    }

    #[zbus(property)]
    fn title(&self) -> String {
        self.shown.lock().tooltip.0.clone()
    }

    #[zbus(property)]
    fn status(&self) -> &str {
        "Active"
    }

    #[zbus(property)]
    fn window_id(&self) -> i32 {
        0
    }

    #[zbus(property)]
    fn icon_theme_path(&self) -> &str {
        ""
    }

    #[zbus(property)]
    fn icon_name(&self) -> &str {
        ""
    }

    #[zbus(property)]
    fn icon_pixmap(&self) -> Pixmaps {
        self.shown.lock().pixmaps.clone()
    }

    #[zbus(property)]
    fn overlay_icon_name(&self) -> &str {
        ""
    }

    #[zbus(property)]
    fn overlay_icon_pixmap(&self) -> Pixmaps {
        Vec::new()
    }

    #[zbus(property)]
    fn attention_icon_name(&self) -> &str {
        ""
    }

    #[zbus(property)]
    fn attention_icon_pixmap(&self) -> Pixmaps {
        Vec::new()
    }

    #[zbus(property)]
    fn attention_movie_name(&self) -> &str {
        ""
    }

    /// Icon name, icon pixmaps, title and body.
    #[zbus(property)]
    fn tool_tip(&self) -> (String, Pixmaps, String, String) {
        let (title, body) = self.shown.lock().tooltip.clone();
        (String::new(), Vec::new(), title, body)
    }

    #[zbus(property)]
    fn item_is_menu(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn menu(&self) -> OwnedObjectPath {
        ObjectPath::from_static_str_unchecked(MENU_PATH).into()
    }

    #[zbus(property, name = "XAyatanaLabel")]
    fn ayatana_label(&self) -> String {
        self.shown.lock().label.0.clone()
    }

    #[zbus(property, name = "XAyatanaLabelGuide")]
    fn ayatana_label_guide(&self) -> String {
        self.shown.lock().label.1.clone()
    }
}
