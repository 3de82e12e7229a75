//! Alerts by email: a plain-text message with the alert's facts, over SMTP with STARTTLS or
//! TLS (rustls, verified against the machine's trust store and the settings' CA file), plain
//! only to this machine. The password, when the server asks for one, is the channel's secret.

use super::event::AlertEvent;
use super::refusal::Refusal;
use super::secret::ChannelSecret;
use crate::balance::group_thousands;
use crate::clickatell::is_loopback;
use crate::network::NetworkConfig;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

/// How the connection to the SMTP server is protected.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to this machine (a local relay).
    Plain,
}

impl SmtpSecurity {
    fn default_port(self) -> u16 {
        match self {
            Self::Starttls => 587,
            Self::Tls => 465,
            Self::Plain => 25,
        }
    }
}

/// An email channel's settings (its password is its secret, in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    /// The SMTP server's name.
    pub host: String,
    /// Default: 587 for STARTTLS, 465 for TLS, 25 for plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// The login, when the server asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// "Clickatell Balance <alerts@example.com>"
    pub from: String,
    pub to: Vec<String>,
}

impl EmailSettings {
    /// Every problem with these settings, in words.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.host.trim().is_empty() {
            problems.push("the SMTP host is empty".to_owned());
        }
        problems.extend(self.plain_to_elsewhere());
        if let Err(e) = self.from.parse::<Mailbox>() {
            problems.push(format!(
                "the sender {:?} is not an address ({e})",
                self.from
            ));
        }
        if self.to.is_empty() {
            problems.push("it names no recipient".to_owned());
        }
        for to in &self.to {
            if let Err(e) = to.parse::<Mailbox>() {
                problems.push(format!("the recipient {to:?} is not an address ({e})"));
            }
        }
        problems
    }

    /// Why these settings would send in clear text over a network, if they would: plain
    /// SMTP is for a relay on this machine only. Checked when the settings are, and again
    /// before each message.
    fn plain_to_elsewhere(&self) -> Option<String> {
        let here = url::Host::parse(self.host.trim()).is_ok_and(|h| is_loopback(&h));
        (self.security == SmtpSecurity::Plain && !here).then(|| {
            format!(
                "plain SMTP to {} would send the alert and the password unencrypted: use \
                 starttls or tls (plain is for a relay on this machine)",
                self.host
            )
        })
    }
}

/// The message for `event`: subject, and a plain-text body with the same facts as the
/// webhooks'.
fn message(email: &EmailSettings, event: &AlertEvent) -> Result<Message, String> {
    let from: Mailbox = email.from.parse().map_err(|e| format!("the sender: {e}"))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(format!("{} ({})", event.summary, event.account_name))
        .header(lettre::message::header::ContentType::TEXT_PLAIN);
    for to in &email.to {
        builder = builder.to(to
            .parse()
            .map_err(|e| format!("the recipient {to:?}: {e}"))?);
    }
    let mut body = format!("{}\n\n", event.message);
    body.push_str(&format!(
        "Account: {} ({})\n",
        event.account_name, event.account_id
    ));
    if let Some(amount) = event.amount {
        body.push_str(&format!(
            "Balance: {} {}\n",
            group_thousands(amount),
            event.unit
        ));
    }
    if let Some(threshold) = event.threshold {
        body.push_str(&format!("Level: {}\n", group_thousands(threshold)));
    }
    body.push_str(&format!("Severity: {}\n", event.severity.as_str()));
    body.push_str(&format!(
        "Time: {}\n",
        event.at.format(&Rfc3339).unwrap_or_default()
    ));
    body.push_str(&format!("Top up: {}\n", event.top_up_url));
    builder.body(body).map_err(|e| e.to_string())
}

/// Sends `event` once.
pub(super) async fn send(
    email: &EmailSettings,
    password: Option<&ChannelSecret>,
    event: &AlertEvent,
    network: &NetworkConfig,
) -> Result<(), Refusal> {
    let message = message(email, event).map_err(Refusal::Final)?;
    if let Some(refused) = email.plain_to_elsewhere() {
        return Err(Refusal::Final(refused));
    }
    let host = email.host.trim().to_owned();
    let tls = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(host.clone());
        if let Some(path) = &network.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| format!("the CA file {} cannot be read ({e})", path.display()))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| format!("the CA file {} cannot be used ({e})", path.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| e.to_string())
    };
    let tls = match email.security {
        SmtpSecurity::Starttls => Tls::Required(tls().map_err(Refusal::Final)?),
        SmtpSecurity::Tls => Tls::Wrapper(tls().map_err(Refusal::Final)?),
        SmtpSecurity::Plain => Tls::None,
    };
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
        .port(email.port.unwrap_or(email.security.default_port()))
        .timeout(Some(network.timeout))
        .tls(tls);
    // A login without a password was refused before the first try.
    if let (Some(user), Some(password)) = (&email.username, password) {
        transport =
            transport.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
    }
    let transport = transport.build();
    match tokio::time::timeout(network.timeout * 2, transport.send(message)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            let mut detail = format!("the SMTP server {host} refused or failed: {e}");
            if let Some(password) = password.filter(|p| !p.expose().is_empty()) {
                detail = detail.replace(password.expose(), "<redacted>");
            }
            if e.is_permanent() || e.is_tls() {
                Err(Refusal::Final(detail))
            } else {
                Err(Refusal::Retry(detail, None))
            }
        }
        Err(_) => Err(Refusal::Retry(
            format!(
                "the SMTP server {host} did not finish within {} s",
                (network.timeout * 2).as_secs()
            ),
            None,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::alert_policy::Alert;
    use crate::levels::Level;
    use rust_decimal::Decimal;

    fn settings() -> EmailSettings {
        serde_json::from_str(
            r#"{"host":"smtp.example.com","from":"Clickatell Balance <alerts@example.com>",
                "to":["ops@example.com","Finance <finance@example.com>"],"username":"alerts"}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_message_has_the_subject_recipients_and_facts() {
        let alert = Alert::Low {
            level: Level::Critical,
            amount: Decimal::new(4000, 2),
            threshold: Decimal::from(50),
            reminder: false,
        };
        let event = AlertEvent::new(
            &alert,
            &Account::default(),
            None,
            "credits",
            time::macros::datetime!(2026-12-03 10:05 UTC),
            "https://portal.clickatell.com/",
        );
        let text = String::from_utf8(message(&settings(), &event).unwrap().formatted()).unwrap();
        for line in [
            "Subject: Clickatell balance critical (Main)",
            "To: ops@example.com, Finance <finance@example.com>",
            "From: \"Clickatell Balance\" <alerts@example.com>",
            "40.00 credits left, below your critical level of 50.00.",
            "Balance: 40.00 credits",
            "Severity: critical",
            "Time: 2026-12-03T10:05:00Z",
            "Top up: https://portal.clickatell.com/",
        ] {
            assert!(text.contains(line), "{line:?} missing from:\n{text}");
        }
    }

    #[test]
    fn settings_are_checked_and_plain_smtp_is_for_this_machine_only() {
        let good = settings();
        assert_eq!(good.security, SmtpSecurity::Starttls);
        assert!(good.validate().is_empty());
        let plain_remote = EmailSettings {
            security: SmtpSecurity::Plain,
            ..settings()
        };
        assert!(plain_remote.validate()[0].contains("unencrypted"));
        let plain_local = EmailSettings {
            host: "127.0.0.1".into(),
            security: SmtpSecurity::Plain,
            ..settings()
        };
        assert!(plain_local.validate().is_empty());
        let bad = EmailSettings {
            from: "not an address".into(),
            to: vec![],
            ..settings()
        };
        assert_eq!(bad.validate().len(), 2, "{:?}", bad.validate());
    }
}
