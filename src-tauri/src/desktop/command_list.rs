/// The UI's commands, by name, in one place: `build.rs` grants the window a permission for
/// each, the window process relays each and the tray process serves each (a test of the
/// commands checks every name gets through both).
pub const COMMANDS: &[&str] = &[
    "get_snapshot",
    "get_accounts",
    "get_settings",
    "field_limits",
    "save_settings",
    "test_token",
    "save_token",
    "delete_token",
    "token_status",
    "refresh_now",
    "get_history",
    "send_test_notification",
    "test_connection",
    "save_proxy_password",
    "proxy_password_status",
];
