//! The layering the folder tree promises: the domain (`src-tauri/core`) knows no desktop
//! toolkit and no command line; the desktop shell borrows the core's resolved context and
//! imports no command-line module (only `main.rs` hands the parsed command line over); no two
//! modules of a crate import each other, round a circle; and the window may call exactly the
//! commands of the one command list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

// The window's command list, as build.rs reads it: `COMMANDS`.
include!("../src-tauri/src/desktop/command_list.rs");

fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            found.push((path, text));
        }
    }
    found
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_domain_uses_neither_the_desktop_toolkit_nor_the_command_line() {
    let manifest = std::fs::read_to_string(root().join("src-tauri/core/Cargo.toml")).unwrap();
    for crate_name in ["tauri", "clickatell-balance ", "clap", "tray-icon", "wry"] {
        assert!(
            !manifest.contains(&format!("\n{crate_name}")),
            "src-tauri/core depends on {crate_name}"
        );
    }
    for (path, text) in sources(&root().join("src-tauri/core/src")) {
        assert!(!text.contains("tauri::"), "{} uses tauri", path.display());
    }
}

#[test]
fn the_desktop_shell_imports_no_command_line_module() {
    let desktop = sources(&root().join("src-tauri/src/desktop"));
    assert!(
        desktop.len() > 5,
        "the desktop shell's sources were not found"
    );
    for (path, text) in desktop {
        assert!(
            !text.contains("clickatell_balance_cli"),
            "{} imports the command line; borrow clickatell_core::context::Context instead",
            path.display()
        );
    }
}

/// A crate's modules and the others each one names. A module is a file or a folder right
/// under `dir` (a folder's files are one module; `mod.rs` or `lib.rs` is the root, named
/// `root`). A module names another by `crate::NAME` (a name the root re-exports counts as its
/// module) or, under a `mod.rs` root, `super::NAME`. Test code (a `tests.rs`, and all after
/// `#[cfg(test)]`) is left out: tests may reach anywhere.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn module_graph(dir: &Path, root_file: &str, prefix: &str) -> Graph {
    let module_of = |path: &Path| -> String {
        let relative = path.strip_prefix(dir).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let first = first.to_string_lossy();
        match first.strip_suffix(".rs") {
            Some(name) if name == root_file.trim_end_matches(".rs") => "root".to_owned(),
            Some(name) => name.to_owned(),
            None => first.into_owned(),
        }
    };
    let files: Vec<(PathBuf, String)> = sources(dir)
        .into_iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|(path, text)| {
            let product = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_owned();
            (path, product)
        })
        .collect();
    let modules: BTreeSet<String> = files.iter().map(|(p, _)| module_of(p)).collect();
    // What the root re-exports (`pub use settings::{Settings, SettingsStore};`), by name.
    let root_text = std::fs::read_to_string(dir.join(root_file)).unwrap();
    let mut reexported = BTreeMap::new();
    for statement in root_text.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names
            .split([',', '{', '}', ' ', '\n'])
            .filter(|n| !n.is_empty())
        {
            reexported.insert(name.to_owned(), module.to_owned());
        }
    }
    let mut graph = Graph::new();
    for (path, text) in &files {
        let from = module_of(path);
        let in_folder = path.parent() != Some(dir);
        let mut named = BTreeSet::new();
        for (at, _) in text.match_indices(prefix) {
            if prefix == "super::" && in_folder {
                continue; // a folder's files naming each other
            }
            let rest = &text[at + prefix.len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let to = if modules.contains(&name) {
                    name
                } else if let Some(module) = reexported.get(&name) {
                    module.clone()
                } else {
                    "root".to_owned()
                };
                if to != from && !(prefix == "crate::" && to == "root") {
                    named.insert(to);
                }
            }
        }
        graph.entry(from).or_default().extend(named);
    }
    // The root names its children by their own names (`tray::install(...)`).
    if prefix == "super::" {
        let root = files.iter().find(|(p, _)| module_of(p) == "root");
        if let Some((_, text)) = root {
            let children: BTreeSet<String> = modules
                .iter()
                .filter(|m| *m != "root" && text.contains(&format!("{m}::")))
                .cloned()
                .collect();
            graph.entry("root".into()).or_default().extend(children);
        }
    }
    graph
}

/// A circle of modules, each naming the next and the last the first, if there is one.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            return Some(path[start..].to_vec());
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(graph, next, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn a_circle_of_imports_is_found() {
    let graph: Graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_owned(), BTreeSet::from([to.to_owned()])))
        .collect();
    assert_eq!(
        find_circle(&graph),
        Some(vec!["a".to_owned(), "b".into(), "c".into()])
    );
    let line: Graph = [("a", "b"), ("b", "c")]
        .into_iter()
        .map(|(from, to)| (from.to_owned(), BTreeSet::from([to.to_owned()])))
        .collect();
    assert_eq!(find_circle(&line), None);
}

#[test]
fn no_two_modules_import_each_other_in_the_core_or_the_desktop() {
    for (dir, root_file, prefix, at_least) in [
        ("src-tauri/core/src", "lib.rs", "crate::", 30),
        ("src-tauri/src/desktop", "mod.rs", "super::", 10),
        ("src-tauri/cli/src", "lib.rs", "crate::", 4),
    ] {
        let graph = module_graph(&root().join(dir), root_file, prefix);
        assert!(
            graph.len() >= at_least,
            "{dir}: modules not found: {graph:?}"
        );
        if let Some(circle) = find_circle(&graph) {
            panic!("{dir}: these modules import each other in a circle: {circle:?}");
        }
    }
}

/// The plugins' permissions the window has besides its own commands: the history export's
/// save dialog alone (no open dialog, no message boxes, no file system access).
const PLUGIN_PERMISSIONS: &[&str] = &["dialog:allow-save"];

#[test]
fn the_capability_grants_exactly_the_listed_commands() {
    let path = root().join("src-tauri/capabilities/default.json");
    let capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let granted: BTreeSet<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .filter(|p| !p.starts_with("core:event:"))
        .filter(|p| !PLUGIN_PERMISSIONS.contains(p))
        .collect();
    for plugin in PLUGIN_PERMISSIONS {
        assert!(
            capability["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == plugin),
            "{plugin} is not granted"
        );
    }
    let listed: Vec<String> = COMMANDS
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    let listed: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    assert_eq!(
        granted.difference(&listed).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "{} grants what the command list does not have",
        path.display()
    );
    assert_eq!(
        listed.difference(&granted).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "{} does not grant every listed command",
        path.display()
    );
}
