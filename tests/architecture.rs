//! The layering the folder tree promises: the domain (`src-tauri/core`) knows no desktop
//! toolkit and no command line; the desktop shell borrows the core's resolved context and
//! imports no command-line module (only `main.rs` hands the parsed command line over).

use std::path::{Path, PathBuf};

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
