//! The desktop tray app. For now a tray icon with a Quit item; the monitor, tooltip and window
//! arrive with the desktop shell.

use crate::cli::GlobalArgs;
use std::process::ExitCode;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::RunEvent;

/// Runs the tray app until the user chooses Quit.
pub fn run(_global: &GlobalArgs) -> ExitCode {
    let app = tauri::Builder::default()
        .setup(|app| {
            let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
            let menu = Menu::with_items(app, &[&quit])?;
            let icon = tauri::image::Image::from_bytes(include_bytes!(
                "../../../icons/tray-no-token.png"
            ))?;
            TrayIconBuilder::with_id("main")
                .icon(icon)
                .tooltip("Clickatell Balance")
                .menu(&menu)
                .on_menu_event(|app, event| {
                    if event.id() == "quit" {
                        app.exit(0);
                    }
                })
                .build(app)?;
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => {
            app.run(|_, event| {
                if let RunEvent::ExitRequested {
                    code: None, api, ..
                } = event
                {
                    api.prevent_exit();
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clickatell-balance: the desktop app could not start: {e}");
            ExitCode::FAILURE
        }
    }
}
