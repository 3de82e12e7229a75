//! The tray item's menu as `com.canonical.dbusmenu`: one level of items under the root, each
//! item's id its place in the list (from 1; the root is 0). A change sends every item's
//! properties again (`ItemsPropertiesUpdated`: hosts such as GNOME's AppIndicator extension
//! read only items' types from a new layout), and a new layout revision when the lines are
//! not the same kinds as before: the menu is a dozen lines.

use crate::desktop::tray::{MenuEntry, OnAction};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use zbus::zvariant::{OwnedValue, Structure, Type, Value};

pub const INTERFACE: &str = "com.canonical.dbusmenu";

/// An item's properties by name.
pub type Properties = HashMap<String, OwnedValue>;

/// An item and, for the root, the items under it: `(ia{sv}av)`.
#[derive(serde::Serialize, Type)]
pub struct Layout {
    id: i32,
    properties: Properties,
    children: Vec<OwnedValue>,
}

/// The menu's lines and the revision hosts last saw of them.
pub struct Menu {
    entries: Vec<MenuEntry>,
    revision: u32,
}

impl Menu {
    pub fn new(entries: Vec<MenuEntry>) -> Self {
        Self {
            entries,
            revision: 1,
        }
    }

    /// Replaces the lines: every item's properties now, and the new layout revision when the
    /// layout changed (more or fewer lines, or of other kinds).
    pub fn replace(&mut self, entries: Vec<MenuEntry>) -> (Vec<(i32, Properties)>, Option<u32>) {
        let kind = |e: &MenuEntry| matches!(e, MenuEntry::Separator);
        let same_layout = self.entries.len() == entries.len()
            && self
                .entries
                .iter()
                .zip(&entries)
                .all(|(a, b)| kind(a) == kind(b));
        self.entries = entries;
        let revision = (!same_layout).then(|| {
            self.revision += 1;
            self.revision
        });
        let properties = (1..=self.entries.len())
            .filter_map(|index| {
                let id = i32::try_from(index).ok()?;
                Some((id, self.properties(id, &[])?))
            })
            .collect();
        (properties, revision)
    }

    /// The entry behind an item id.
    fn entry(&self, id: i32) -> Option<&MenuEntry> {
        let index = usize::try_from(id).ok()?.checked_sub(1)?;
        self.entries.get(index)
    }

    /// The properties of item `id` (the root's for 0), only those `names` asks for unless it
    /// is empty.
    fn properties(&self, id: i32, names: &[String]) -> Option<Properties> {
        let all: Vec<(&str, Value<'static>)> = if id == 0 {
            vec![("children-display", Value::from("submenu"))]
        } else {
            match self.entry(id)? {
                MenuEntry::Separator => vec![("type", Value::from("separator"))],
                MenuEntry::Item { label, enabled, .. } => vec![
                    ("label", Value::from(escape_mnemonics(label))),
                    ("enabled", Value::from(*enabled)),
                ],
            }
        };
        Some(
            all.into_iter()
                .filter(|(name, _)| names.is_empty() || names.iter().any(|n| n == name))
                .filter_map(|(name, value)| Some((name.to_owned(), value.try_to_owned().ok()?)))
                .collect(),
        )
    }

    /// The layout under `parent`, `depth` levels down (-1: all).
    fn layout(&self, parent: i32, depth: i32, names: &[String]) -> Option<Layout> {
        let properties = self.properties(parent, names)?;
        let children = if parent == 0 && depth != 0 {
            (1..=self.entries.len())
                .filter_map(|index| {
                    let id = i32::try_from(index).ok()?;
                    let child = self.layout(id, 0, names)?;
                    Value::from(Structure::from((
                        child.id,
                        child.properties,
                        child.children,
                    )))
                    .try_to_owned()
                    .ok()
                })
                .collect()
        } else {
            Vec::new()
        };
        Some(Layout {
            id: parent,
            properties,
            children,
        })
    }
}

/// dbusmenu labels take `_` as the mnemonic mark; a literal one is doubled.
fn escape_mnemonics(label: &str) -> String {
    label.replace('_', "__")
}

/// The `com.canonical.dbusmenu` object.
pub struct MenuObject {
    menu: Arc<Mutex<Menu>>,
    on_action: OnAction,
}

impl MenuObject {
    pub fn new(menu: Arc<Mutex<Menu>>, on_action: OnAction) -> Self {
        Self { menu, on_action }
    }

    /// A click on item `id`; whether there is such an item.
    fn clicked(&self, id: i32) -> bool {
        let action = match self.menu.lock().entry(id) {
            Some(MenuEntry::Item {
                action: Some(action),
                enabled: true,
                ..
            }) => Some(action.clone()),
            Some(_) => None,
            None => return false,
        };
        if let Some(action) = action {
            (self.on_action)(action);
        }
        true
    }
}

fn unknown(id: i32) -> zbus::fdo::Error {
    zbus::fdo::Error::InvalidArgs(format!("no menu item {id}"))
}

#[zbus::interface(name = "com.canonical.dbusmenu")]
impl MenuObject {
    fn get_layout(
        &self,
        parent_id: i32,
        recursion_depth: i32,
        property_names: Vec<String>,
    ) -> zbus::fdo::Result<(u32, Layout)> {
        let menu = self.menu.lock();
        let layout = menu
            .layout(parent_id, recursion_depth, &property_names)
            .ok_or_else(|| unknown(parent_id))?;
        Ok((menu.revision, layout))
    }

    fn get_group_properties(
        &self,
        ids: Vec<i32>,
        property_names: Vec<String>,
    ) -> Vec<(i32, Properties)> {
        let menu = self.menu.lock();
        let ids = if ids.is_empty() {
            (0..=i32::try_from(menu.entries.len()).unwrap_or(0)).collect()
        } else {
            ids
        };
        ids.into_iter()
            .filter_map(|id| Some((id, menu.properties(id, &property_names)?)))
            .collect()
    }

    fn get_property(&self, id: i32, name: String) -> zbus::fdo::Result<OwnedValue> {
        self.menu
            .lock()
            .properties(id, std::slice::from_ref(&name))
            .ok_or_else(|| unknown(id))?
            .remove(&name)
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("no property {name}")))
    }

    fn event(
        &self,
        id: i32,
        event_id: &str,
        _data: OwnedValue,
        _timestamp: u32,
    ) -> zbus::fdo::Result<()> {
        if event_id != "clicked" || self.clicked(id) {
            Ok(())
        } else {
            Err(unknown(id))
        }
    }

    /// Several events at once; the ids not found.
    fn event_group(&self, events: Vec<(i32, String, OwnedValue, u32)>) -> Vec<i32> {
        events
            .into_iter()
            .filter(|(id, event_id, _, _)| event_id == "clicked" && !self.clicked(*id))
            .map(|(id, ..)| id)
            .collect()
    }

    /// The menu is always up to date before it is shown: nothing to update.
    fn about_to_show(&self, _id: i32) -> bool {
        false
    }

    /// The items needing an update (none) and the ids not found (none are refused).
    fn about_to_show_group(&self, _ids: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
        (Vec::new(), Vec::new())
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        3
    }

    #[zbus(property)]
    fn text_direction(&self) -> &str {
        "ltr"
    }

    #[zbus(property)]
    fn status(&self) -> &str {
        "normal"
    }

    #[zbus(property)]
    fn icon_theme_path(&self) -> Vec<String> {
        Vec::new()
    }
}
