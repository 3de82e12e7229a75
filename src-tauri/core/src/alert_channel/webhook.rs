//! What each webhook receiver is sent: Slack's incoming-webhook JSON, a Teams Workflows
//! message with an Adaptive Card, an ntfy publish (text body, headers), or the app's own
//! versioned JSON. Pure: the delivery sends what this builds.

use super::event::{AlertEvent, AlertKind};
use super::{Severity, WebhookFormat};
use crate::balance::group_thousands;
use base64::Engine as _;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use url::Url;

/// The version of the JSON payload (docs/alert-payload.md); raised when a field changes
/// meaning or goes away, not when one is added.
pub const PAYLOAD_VERSION: u32 = 1;

/// One POST: its headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRequest {
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// A webhook's address, checked as the Clickatell address is: `https://` to any host,
/// plain `http://` only to this machine. The message never repeats the address (it holds
/// the receiver's token).
pub fn webhook_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw.trim()).map_err(|e| format!("it is not a web address ({e})"))?;
    let host = url.host().ok_or("it has no host")?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if crate::clickatell::is_loopback(&host) => Ok(url),
        "http" => Err(format!(
            "plain http:// to {host} would send the alert unencrypted: use https://"
        )),
        other => Err(format!(
            "the scheme {other}:// is not supported: use https://"
        )),
    }
}

/// The request `format`'s receiver expects for `event`.
pub fn request(format: WebhookFormat, event: &AlertEvent) -> WebhookRequest {
    let json_body = |value: Value| WebhookRequest {
        headers: vec![("Content-Type", "application/json".into())],
        body: serde_json::to_vec(&value).expect("a payload serializes"),
    };
    match format {
        WebhookFormat::Slack => json_body(slack(event)),
        WebhookFormat::Teams => json_body(teams(event)),
        WebhookFormat::Json => json_body(payload(event)),
        WebhookFormat::Ntfy => ntfy(event),
    }
}

/// "97.25 credits", or nothing when the amount is unknown.
fn amount_text(event: &AlertEvent) -> Option<String> {
    event
        .amount
        .map(|a| format!("{} {}", group_thousands(a), event.unit))
}

/// The facts beside the message, as label and value.
fn facts(event: &AlertEvent) -> Vec<(&'static str, String)> {
    let mut facts = vec![(
        "Account",
        format!("{} ({})", event.account_name, event.account_id),
    )];
    if let Some(amount) = amount_text(event) {
        facts.push(("Balance", amount));
    }
    if let Some(threshold) = event.threshold {
        facts.push(("Level", group_thousands(threshold)));
    }
    facts.push(("Severity", event.severity.as_str().into()));
    facts.push(("Time", time_text(event)));
    facts
}

fn time_text(event: &AlertEvent) -> String {
    event.at.format(&Rfc3339).unwrap_or_default()
}

fn slack(event: &AlertEvent) -> Value {
    let fields: Vec<Value> = facts(event)
        .into_iter()
        .map(|(label, value)| json!({"type": "plain_text", "text": format!("{label}: {value}")}))
        .collect();
    json!({
        // Shown in notifications and where blocks cannot be.
        "text": format!("{}: {} ({})", event.summary, event.message, event.account_name),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": event.summary}},
            {"type": "section", "text": {"type": "plain_text", "text": event.message},
             "fields": fields},
            {"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Top up"},
                 "url": event.top_up_url}
            ]}
        ]
    })
}

fn teams(event: &AlertEvent) -> Value {
    let color = match event.severity {
        Severity::Critical => "Attention",
        Severity::Warning => "Warning",
        Severity::Info => "Good",
    };
    let facts: Vec<Value> = facts(event)
        .into_iter()
        .map(|(title, value)| json!({"title": title, "value": value}))
        .collect();
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": event.summary, "weight": "Bolder",
                     "size": "Medium", "color": color, "wrap": true},
                    {"type": "TextBlock", "text": event.message, "wrap": true},
                    {"type": "FactSet", "facts": facts}
                ],
                "actions": [
                    {"type": "Action.OpenUrl", "title": "Top up", "url": event.top_up_url}
                ]
            }
        }]
    })
}

/// The versioned payload of the `json` format, every field documented in
/// docs/alert-payload.md.
pub fn payload(event: &AlertEvent) -> Value {
    json!({
        "version": PAYLOAD_VERSION,
        "kind": event.kind.as_str(),
        "severity": event.severity.as_str(),
        "test": event.kind == AlertKind::Test,
        "account": {"id": event.account_id, "name": event.account_name},
        "amount": event.amount.map(|a| a.to_string()),
        "unit": event.unit,
        "threshold": event.threshold.map(|t| t.to_string()),
        "forecast_days": event.forecast_days,
        "at": time_text(event),
        "top_up_url": event.top_up_url,
        "summary": event.summary,
        "message": event.message,
    })
}

fn ntfy(event: &AlertEvent) -> WebhookRequest {
    // ntfy's priorities: 5 max, 4 high, 3 default.
    let (priority, tag) = match event.severity {
        Severity::Critical => ("5", "rotating_light"),
        Severity::Warning => ("4", "warning"),
        Severity::Info => ("3", "white_check_mark"),
    };
    let title = format!("{} ({})", event.summary, event.account_name);
    let mut body = event.message.clone();
    if let Some(amount) = amount_text(event) {
        body.push_str(&format!("\nBalance: {amount}"));
    }
    WebhookRequest {
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".into()),
            ("Title", header_text(&title)),
            ("Priority", priority.into()),
            ("Tags", format!("{tag},clickatell")),
            ("Click", event.top_up_url.clone()),
        ],
        body: body.into_bytes(),
    }
}

/// A header value as ntfy reads it: plain ASCII as it is, anything else (an account named
/// "Zürich") as an RFC 2047 encoded word, since header values are bytes, not text.
fn header_text(text: &str) -> String {
    if text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        text.to_owned()
    } else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(text);
        format!("=?UTF-8?B?{encoded}?=")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::alert_policy::Alert;
    use crate::levels::Level;
    use rust_decimal::Decimal;
    use time::macros::datetime;

    fn low() -> AlertEvent {
        let account = Account {
            id: "eu".into(),
            name: "EU".into(),
            ..Account::default()
        };
        let alert = Alert::Low {
            level: Level::Warning,
            amount: Decimal::new(9725, 2),
            threshold: Decimal::from(100),
            reminder: false,
        };
        AlertEvent::new(
            &alert,
            &account,
            None,
            "credits",
            datetime!(2026-12-03 10:05 UTC),
            "https://portal.clickatell.com/",
        )
    }

    fn json_of(format: WebhookFormat) -> Value {
        serde_json::from_slice(&request(format, &low()).body).unwrap()
    }

    #[test]
    fn the_json_payload_names_every_fact() {
        assert_eq!(
            json_of(WebhookFormat::Json),
            json!({
                "version": 1, "kind": "low", "severity": "warning", "test": false,
                "account": {"id": "eu", "name": "EU"},
                "amount": "97.25", "unit": "credits", "threshold": "100",
                "forecast_days": null, "at": "2026-12-03T10:05:00Z",
                "top_up_url": "https://portal.clickatell.com/",
                "summary": "Clickatell balance low",
                "message": "97.25 credits left, below your warning level of 100.00.",
            })
        );
    }

    #[test]
    fn slack_gets_text_and_blocks_and_teams_an_adaptive_card() {
        let slack = json_of(WebhookFormat::Slack);
        assert_eq!(
            slack["text"],
            "Clickatell balance low: 97.25 credits left, below your warning level of 100.00. (EU)"
        );
        assert_eq!(slack["blocks"][0]["type"], "header");
        assert_eq!(
            slack["blocks"][1]["fields"][1]["text"],
            "Balance: 97.25 credits"
        );
        let teams = json_of(WebhookFormat::Teams);
        let card = &teams["attachments"][0];
        assert_eq!(
            card["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert_eq!(card["content"]["type"], "AdaptiveCard");
        assert_eq!(card["content"]["body"][2]["facts"][0]["value"], "EU (eu)");
    }

    #[test]
    fn ntfy_gets_the_text_with_title_priority_and_tags_headers() {
        let sent = request(WebhookFormat::Ntfy, &low());
        let header = |name| {
            sent.headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("Title"), Some("Clickatell balance low (EU)"));
        assert_eq!(header("Priority"), Some("4"));
        assert_eq!(header("Tags"), Some("warning,clickatell"));
        assert!(String::from_utf8(sent.body)
            .unwrap()
            .ends_with("Balance: 97.25 credits"));
        assert_eq!(header_text("Zürich"), "=?UTF-8?B?WsO8cmljaA==?=");
    }

    #[test]
    fn a_webhook_address_is_https_or_to_this_machine() {
        assert!(webhook_url("https://hooks.slack.com/services/T0/B0/x").is_ok());
        assert!(webhook_url("http://127.0.0.1:8080/hook").is_ok());
        let refused = webhook_url("http://hooks.example.com/secret-token").unwrap_err();
        assert!(refused.contains("use https://") && !refused.contains("secret-token"));
        assert!(webhook_url("ftp://example.com/").is_err());
        assert!(webhook_url("not a url").is_err());
    }
}
