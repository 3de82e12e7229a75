// The window's commands, each declared once: the name the UI invokes, its request's variant and
// the request's fields with their types. Everything that needs them expands this one list:
// the window process's relays (`window_process`), the typed request the link carries and the
// tray process matches (`contract::CommandRequest`), the permissions `build.rs` makes,
// `ui/contract.js` (checked by the commands' tests) and the test that holds the capability
// file to it. (Plain comments: `build.rs` includes this file, where inner docs cannot be.)

/// Calls `$then!` with every window command: `name Variant { field: Type, ... }`.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            get_snapshot GetSnapshot { account: Option<String> }
            get_accounts GetAccounts {}
            get_settings GetSettings {}
            field_limits FieldLimits {}
            save_settings SaveSettings { settings: Value }
            test_token TestToken { token: String, account: Option<String> }
            save_token SaveToken { token: String, account: Option<String> }
            delete_token DeleteToken { account: Option<String> }
            token_status TokenStatus { account: Option<String> }
            refresh_now RefreshNow { account: Option<String> }
            get_history GetHistory { range: HistoryRange, account: Option<String> }
            send_test_notification SendTestNotification {}
            test_connection TestConnection {
                settings: Value,
                proxy_password: Option<String>,
                account: Option<String>
            }
            save_proxy_password SaveProxyPassword { password: String }
            proxy_password_status ProxyPasswordStatus {}
            channel_secrets ChannelSecrets {}
            save_channel_secret SaveChannelSecret { channel: String, secret: String }
            send_test_alert SendTestAlert { channel: String }
            export_history ExportHistory { path: String, account: Option<String> }
        }
    };
}
// Used by path in the app; `build.rs` needs only the names.
#[allow(unused_imports)]
pub(crate) use with_commands;

/// The names alone.
macro_rules! command_names {
    ($($name:ident $variant:ident { $($field:ident: $ty:ty),* })*) => {
        /// Every window command's name, in the list's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

with_commands!(command_names);
