//! The names a token is found under outside the keyring, for services: the environment
//! variables (app-wide, and one per account: `CLICKATELL_TOKEN_EU` for the account `eu`) and
//! the systemd credential. Every message and lookup takes them from here.

/// Environment variable that overrides the keyring, for monitoring systems without a desktop.
pub const TOKEN_ENV: &str = "CLICKATELL_TOKEN";
/// Environment variable naming a file that holds the token (as `--token-file` does).
pub const TOKEN_FILE_ENV: &str = "CLICKATELL_TOKEN_FILE";
/// The systemd credential (`LoadCredential=clickatell-token:…`) the token is read from.
pub const CREDENTIAL: &str = "clickatell-token";

/// The environment variable holding the token of the account `id`: `CLICKATELL_TOKEN_EU` for
/// `eu`, `CLICKATELL_TOKEN_US_2` for `us-2`.
pub fn token_env(id: &str) -> String {
    format!("{TOKEN_ENV}_{}", env_suffix(id))
}

/// The environment variable naming a file with the token of the account `id`.
pub fn token_file_env(id: &str) -> String {
    format!("{TOKEN_FILE_ENV}_{}", env_suffix(id))
}

fn env_suffix(id: &str) -> String {
    id.to_ascii_uppercase().replace('-', "_")
}
