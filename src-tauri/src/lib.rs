//! The tray app: the tray, the window and the IPC commands, wiring `clickatell_core` to the
//! desktop. The command line it shares its flags with is `clickatell_balance_cli`.

pub mod desktop;
