//! Alerts that reach the team where it works: webhooks (Slack, Microsoft Teams, ntfy, any
//! JSON receiver) and email, for the same alerts the desktop notification gets, from the tray
//! app and `watch` alike. A channel is an app-wide setting; its secret (a webhook's address,
//! which carries its own token; an SMTP password) lives in the keyring, never in
//! `settings.json`. Delivery is off the poll path: a channel that fails never costs a reading.

mod delivery;
mod email;
mod event;
mod refusal;
mod secret;
mod webhook;

pub(crate) use delivery::send_test;
pub use delivery::{deliver, AlertOutbox, ChannelProblem, DeliveryError, RetryPolicy};
pub use email::{EmailSettings, SmtpSecurity};
pub use event::{AlertEvent, AlertKind};
pub use secret::{
    ChannelSecret, ChannelSecretStore, SecretError, SecretLookup, SecretOrigin, SecretSources,
    SECRET_SERVICE,
};
pub use webhook::{webhook_url, PAYLOAD_VERSION};

use crate::field_error::FieldError;
use serde::{Deserialize, Serialize};

/// Most channels the settings may hold.
pub const MAX_CHANNELS: usize = 10;

/// How much an alert matters; a channel takes those at or above its minimum.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Severity {
    /// Good news: a top-up, a token that works again.
    Info,
    /// The balance is low or will be soon.
    #[default]
    Warning,
    /// Critical: almost out, the token refused, no reading for too long.
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a webhook's receiver expects.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum WebhookFormat {
    /// A Slack incoming webhook: text and Block Kit blocks.
    Slack,
    /// A Microsoft Teams Workflows webhook: a message carrying an Adaptive Card.
    Teams,
    /// An ntfy topic address: the text as the body, title, priority and tags as headers.
    Ntfy,
    /// The app's own documented, versioned JSON (docs/alert-payload.md).
    Json,
}

impl WebhookFormat {
    /// What people call the receiver, in sentences.
    pub fn label(self) -> &'static str {
        match self {
            Self::Slack => "Slack",
            Self::Teams => "Microsoft Teams",
            Self::Ntfy => "ntfy",
            Self::Json => "JSON webhook",
        }
    }
}

/// How a channel delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChannelKind {
    /// An HTTP POST to the address kept in the keyring.
    Webhook { format: WebhookFormat },
    /// A plain-text email over SMTP; the password (if the server asks for one) in the keyring.
    Email(EmailSettings),
}

impl ChannelKind {
    /// What its secret is, in sentences.
    pub fn secret_name(&self) -> &'static str {
        match self {
            Self::Webhook { .. } => "webhook address",
            Self::Email(_) => "SMTP password",
        }
    }

    /// Why `secret` cannot serve as this kind's secret, before it is stored: a webhook's must
    /// be a usable address, a password must not be empty.
    pub fn check_secret(&self, secret: &ChannelSecret) -> Result<(), String> {
        match self {
            Self::Webhook { .. } => webhook_url(secret.expose()).map(|_| ()),
            Self::Email(_) if secret.expose().is_empty() => Err("it is empty".to_owned()),
            Self::Email(_) => Ok(()),
        }
    }
}

/// One alert channel, as `settings.json` keeps it (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    /// Lowercase letters, digits and dashes: names the keyring entry and `--channel`.
    pub name: String,
    /// The least severe alert the channel takes.
    #[serde(default)]
    pub min_severity: Severity,
    #[serde(flatten)]
    pub kind: ChannelKind,
}

impl ChannelSettings {
    /// The channel in sentences: `"team" (Slack)`.
    pub fn describe(&self) -> String {
        let what = match &self.kind {
            ChannelKind::Webhook { format } => format.label(),
            ChannelKind::Email(_) => "email",
        };
        format!("{:?} ({what})", self.name)
    }

    /// Whether an alert of `severity` goes to this channel.
    pub fn takes(&self, severity: Severity) -> bool {
        severity >= self.min_severity
    }

    /// Whether the channel answers to `key` (its name, any case).
    pub fn answers_to(&self, key: &str) -> bool {
        self.name.eq_ignore_ascii_case(key.trim())
    }
}

/// Every problem with the channel list: how many, each name's shape, no name twice.
pub fn validate_list(channels: &[ChannelSettings]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if channels.len() > MAX_CHANNELS {
        errors.push(FieldError::new(
            "alert_channels",
            format!("must hold at most {MAX_CHANNELS} channels"),
        ));
    }
    for (i, channel) in channels.iter().enumerate() {
        if let Err(message) = crate::account::check_slug(&channel.name) {
            errors.push(FieldError::new(
                "alert_channels",
                format!("the name {:?} {message}", channel.name),
            ));
        }
        if let ChannelKind::Email(email) = &channel.kind {
            errors.extend(
                email
                    .validate()
                    .into_iter()
                    .map(|m| FieldError::new("alert_channels", format!("{:?}: {m}", channel.name))),
            );
        }
        if channels[..i].iter().any(|c| c.name == channel.name) {
            errors.push(FieldError::new(
                "alert_channels",
                format!("the name {:?} is used twice", channel.name),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slack(name: &str) -> ChannelSettings {
        ChannelSettings {
            name: name.into(),
            min_severity: Severity::Warning,
            kind: ChannelKind::Webhook {
                format: WebhookFormat::Slack,
            },
        }
    }

    #[test]
    fn a_channel_reads_as_settings_json_spells_it() {
        let channel: ChannelSettings = serde_json::from_str(
            r#"{"name":"ops","kind":"webhook","format":"ntfy","min_severity":"critical"}"#,
        )
        .unwrap();
        assert_eq!(channel.name, "ops");
        assert_eq!(channel.min_severity, Severity::Critical);
        assert_eq!(
            channel.kind,
            ChannelKind::Webhook {
                format: WebhookFormat::Ntfy
            }
        );
        let defaulted: ChannelSettings =
            serde_json::from_str(r#"{"name":"team","kind":"webhook","format":"slack"}"#).unwrap();
        assert_eq!(defaulted, slack("team"));
        assert_eq!(defaulted.describe(), "\"team\" (Slack)");
        assert!(!defaulted.takes(Severity::Info));
        assert!(defaulted.takes(Severity::Warning) && defaulted.takes(Severity::Critical));
    }

    #[test]
    fn names_are_shaped_and_distinct_and_the_list_is_bounded() {
        assert!(validate_list(&[slack("team"), slack("ops-2")]).is_empty());
        let errors = validate_list(&[slack("team"), slack("team"), slack("Team Chat")]);
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("used twice"));
        assert!(messages[1].contains("\"Team Chat\""));
        let many: Vec<_> = (0..=MAX_CHANNELS)
            .map(|i| slack(&format!("c{i}")))
            .collect();
        assert_eq!(validate_list(&many).len(), 1);
    }
}
