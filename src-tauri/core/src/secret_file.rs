//! A file holding a secret, for services without a keyring (an API token, an alert channel's
//! webhook address or SMTP password): refused when group or others may read it, as ssh does
//! with keys, before a byte of it is read.

use std::path::Path;

/// Why a secret file was not read.
#[derive(Debug)]
pub enum SecretFileError {
    Unreadable(std::io::Error),
    /// Group or others may read it: its permission bits.
    TooOpen {
        mode: u32,
    },
}

/// The file's text; with `private`, only if its owner alone may read it. A systemd credential
/// is read without the check: systemd keeps its directory to the service alone.
pub fn read(path: &Path, private: bool) -> Result<String, SecretFileError> {
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(SecretFileError::Unreadable)?
            .permissions()
            .mode()
            & 0o7777;
        if mode & 0o077 != 0 {
            return Err(SecretFileError::TooOpen { mode });
        }
    }
    #[cfg(not(unix))]
    let _ = private;
    std::fs::read_to_string(path).map_err(SecretFileError::Unreadable)
}
