//! The Clickatell Balance domain, free of any desktop toolkit so that the command line, the
//! tray app and the tests all share one tested core.

pub mod account;
pub mod alert_channel;
pub mod alert_policy;
pub mod alert_state;
pub mod atomic_file;
pub mod backoff;
pub mod balance;
pub mod check;
pub mod clickatell;
pub mod connection_test;
pub mod context;
pub mod decimal_text;
pub mod demo;
pub mod field_error;
pub mod forecast;
pub mod history;
pub mod history_export;
pub mod keyring_entry;
pub mod keyring_gate;
pub mod levels;
pub mod limits;
pub mod monitor;
pub mod network;
pub mod notifier;
pub mod paths;
pub mod plugin_range;
pub mod remedy;
pub mod runtime;
mod secret_file;
pub mod settings;
pub mod snapshot;
pub mod token;
pub mod token_names;
pub mod token_store;
pub mod top_up;
pub mod tray_icon;
pub mod tray_text;
pub mod window_text;

pub use balance::Balance;
pub use clickatell::{
    balance_source, Api, BalanceSource, FetchError, Format, HttpClient, SourceConfig,
};
pub use rust_decimal::Decimal;
pub use settings::{Settings, SettingsStore};
pub use token::ApiToken;
pub use token_store::TokenStore;
