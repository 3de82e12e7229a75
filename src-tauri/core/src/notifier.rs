//! Desktop notifications. A missing or failing notification server is an error to report,
//! never a crash.

#[cfg(all(unix, not(target_os = "macos")))]
mod with_buttons;

use std::sync::Arc;
use thiserror::Error;

/// How insistent a notification is; critical ones stay until dismissed on most desktops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    Critical,
}

/// Something the user can do straight from a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the Clickatell portal to buy credit.
    TopUp,
    /// Open the app's window (also a click on the notification's body).
    Open,
}

/// A notification as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
    pub urgency: Urgency,
    /// What it offers to do, where the notification server shows actions.
    pub actions: Vec<Action>,
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

/// Carries out an action the user chose on a notification.
pub type ActionHandler = Arc<dyn Fn(Action) + Send + Sync>;

/// The installed desktop entry (`Clickatell Balance.desktop`), named in every notification so
/// desktops file them under the app and let the user manage them per app.
pub const DESKTOP_ENTRY: &str = "Clickatell Balance";
/// The name notifications are shown under.
const APP_NAME: &str = "Clickatell Balance";
/// The app's icon in the icon theme, as the package installs it.
pub const APP_ICON: &str = "clickatell-balance-app";
/// Said instead of a "Top up" button where the notification server shows no actions.
const TOP_UP_HINT: &str = "Top up in the Clickatell portal: Billing and Payments, Top Up.";

/// The desktop's notification server (org.freedesktop.Notifications on Linux).
#[derive(Clone, Default)]
pub struct DesktopNotifier {
    /// Who carries out the actions, and which of them this program can carry out; without
    /// one, no actions are offered.
    actions: Option<(ActionHandler, Vec<Action>)>,
}

impl DesktopNotifier {
    /// A notifier whose notifications offer `supported` actions, carried out by `handler`.
    pub fn with_actions(handler: ActionHandler, supported: &[Action]) -> Self {
        Self {
            actions: Some((handler, supported.to_vec())),
        }
    }
}

/// Whether the notification server shows action buttons (its `actions` capability).
fn server_shows_actions() -> bool {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == "actions"))
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        false
    }
}

/// The actions a notification shows: those it offers that this program can carry out, when
/// the server shows actions at all.
fn shown_actions(n: &Notification, supported: &[Action], server_shows: bool) -> Vec<Action> {
    if !server_shows {
        return Vec::new();
    }
    n.actions
        .iter()
        .copied()
        .filter(|a| supported.contains(a))
        .collect()
}

/// The body, saying where to top up when the notification cannot offer the button.
fn body_with_hints(n: &Notification, shown: &[Action]) -> String {
    if n.actions.contains(&Action::TopUp) && !shown.contains(&Action::TopUp) {
        format!("{} {TOP_UP_HINT}", n.body)
    } else {
        n.body.clone()
    }
}

impl Notifier for DesktopNotifier {
    fn notify(&self, n: &Notification) -> Result<(), NotifyError> {
        let offered = match &self.actions {
            Some((_, supported)) if !n.actions.is_empty() => {
                shown_actions(n, supported, server_shows_actions())
            }
            _ => Vec::new(),
        };
        let body = body_with_hints(n, &offered);
        #[cfg(all(unix, not(target_os = "macos")))]
        if let (Some((handler, _)), false) = (&self.actions, offered.is_empty()) {
            return with_buttons::show(n, &body, &offered, handler.clone());
        }
        let mut note = notify_rust::Notification::new();
        note.appname(APP_NAME)
            .summary(&n.summary)
            .body(&body)
            .icon(APP_ICON);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            note.hint(notify_rust::Hint::DesktopEntry(DESKTOP_ENTRY.to_owned()));
            note.urgency(match n.urgency {
                Urgency::Normal => notify_rust::Urgency::Normal,
                Urgency::Critical => notify_rust::Urgency::Critical,
            });
        }
        note.show().map_err(|e| NotifyError(e.to_string()))?;
        Ok(())
    }
}

/// Shows another notifier's notifications with a label before the summary ("Demo: …"), so a
/// simulated account's alerts can never be mistaken for a real one's.
pub struct Labelled<N> {
    pub label: String,
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
    fn actions_are_offered_only_where_shown_and_the_text_says_what_to_do_elsewhere() {
        let low = Notification {
            summary: "Clickatell balance low".into(),
            body: "80.00 credits left, below your warning level of 100.00.".into(),
            urgency: Urgency::Normal,
            actions: vec![Action::TopUp, Action::Open],
        };
        let both = [Action::TopUp, Action::Open];
        assert_eq!(shown_actions(&low, &both, true), both);
        assert_eq!(shown_actions(&low, &[Action::TopUp], true), [Action::TopUp]);
        assert_eq!(shown_actions(&low, &both, false), []);
        assert_eq!(body_with_hints(&low, &both), low.body);
        assert_eq!(
            body_with_hints(&low, &[]),
            "80.00 credits left, below your warning level of 100.00. Top up in the Clickatell \
             portal: Billing and Payments, Top Up."
        );
        let rejected = Notification {
            actions: vec![Action::Open],
            ..low
        };
        assert_eq!(body_with_hints(&rejected, &[]), rejected.body);
    }

    #[test]
    fn labelled_notifications_say_so_in_the_summary() {
        let recorder = Recorder::default();
        let demo = Labelled {
            label: "Demo".into(),
            inner: &recorder,
        };
        let n = Notification {
            summary: "Clickatell balance low".into(),
            body: "80.00 credits left".into(),
            urgency: Urgency::Critical,
            actions: vec![Action::TopUp],
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
