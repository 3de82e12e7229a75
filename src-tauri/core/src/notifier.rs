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

/// Shows another notifier's notifications with a label before the summary ("Demo: …"), so a
/// simulated account's alerts can never be mistaken for a real one's.
pub struct Labelled<N> {
    pub label: &'static str,
    pub inner: N,
}

impl<N: Notifier> Notifier for Labelled<N> {
    fn notify(&self, n: &Notification) -> Result<(), NotifyError> {
        self.inner.notify(&Notification {
            summary: format!("{}: {}", self.label, n.summary),
            ..n.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<Notification>>);

    impl Notifier for &Recorder {
        fn notify(&self, n: &Notification) -> Result<(), NotifyError> {
            self.0.lock().unwrap().push(n.clone());
            Ok(())
        }
    }

    #[test]
    fn labelled_notifications_say_so_in_the_summary() {
        let recorder = Recorder::default();
        let demo = Labelled {
            label: "Demo",
            inner: &recorder,
        };
        let n = Notification {
            summary: "Clickatell balance low".into(),
            body: "80.00 credits left".into(),
            urgency: Urgency::Critical,
        };
        demo.notify(&n).unwrap();
        let shown = recorder.0.lock().unwrap().pop().unwrap();
        assert_eq!(shown.summary, "Demo: Clickatell balance low");
        assert_eq!(
            (shown.body.as_str(), shown.urgency),
            ("80.00 credits left", Urgency::Critical)
        );
    }
}
