//! What the user can do about a problem, where the answer depends on where they are. The core
//! says what happened and names the remedy; each edge words it: the window points into its
//! Settings, the command line names its command or flag.

use serde::{Deserialize, Serialize};

/// A remedy the user's own place decides the words of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[serde(rename_all = "kebab-case")]
pub enum Remedy {
    /// Store a new API token: the stored one is unusable, or Clickatell rejected it.
    NewToken,
    /// Give the token some way other than the keyring (none runs here).
    TokenWithoutKeyring,
    /// Check where the token file is said to be.
    TokenFilePath,
    /// Trust the company's CA certificates through the CA file.
    CaFile,
    /// Put the proxy's user in its address, and store the password in the keyring.
    ProxyUserAndPassword,
    /// Store the proxy user's right password in the keyring.
    ProxyPassword,
}
