// The app's IPC commands. Each gets an `allow-<command>` permission; a command not granted by
// a capability in `capabilities/` is refused, so the window can call only what is listed there.
include!("src/desktop/command_list.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
