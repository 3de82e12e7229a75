//! A problem with one field of the settings, named as `settings.json` names it, so the window
//! can put each message beside its field and the command line can name the field.

use serde::{Deserialize, Serialize};

/// One invalid field: its name as in `settings.json` (within its account, for an account's
/// field), and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The account's id, for a field of one account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// A problem with an app-wide field.
    pub fn new(field: &str, message: String) -> Self {
        Self {
            account: None,
            field: field.into(),
            message,
        }
    }

    /// A problem with a field of the account `id`.
    pub fn of_account(id: &str, field: &str, message: String) -> Self {
        Self {
            account: Some(id.into()),
            ..Self::new(field, message)
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.account {
            Some(id) => write!(f, "account {id}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}
