//! Desktop notifications. A missing or failing notification server is an error to report,
//! never a crash.

use thiserror::Error;

/// How insistent a notification is; critical ones stay until dismissed on most desktops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    Critical,
}

/// A notification as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
}

/// Why a notification could not be shown.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("the desktop notification could not be shown ({0})")]
pub struct NotifyError(pub String);

/// Something that shows notifications; the monitor does not care which desktop it is.
pub trait Notifier: Send + Sync {
    /// Shows the notification; blocking, so call it off the async runtime.
    fn notify(&self, notification: &Notification) -> Result<(), NotifyError>;
}

/// The desktop's notification server (org.freedesktop.Notifications on Linux).
#[derive(Debug, Clone, Default)]
pub struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn notify(&self, n: &Notification) -> Result<(), NotifyError> {
        let mut note = notify_rust::Notification::new();
        note.appname("Clickatell Balance")
            .summary(&n.summary)
            .body(&n.body)
            .icon("dialog-information");
        #[cfg(all(unix, not(target_os = "macos")))]
        note.urgency(match n.urgency {
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        });
        note.show()
            .map(|_| ())
            .map_err(|e| NotifyError(e.to_string()))
    }
}
