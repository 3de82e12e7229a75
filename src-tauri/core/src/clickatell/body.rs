//! Reading Clickatell's JSON and XML bodies: the balance on success, code and description on
//! failure. Pure functions, so every documented body is unit tested.

use super::number::{parse_exact, shorten};
use quick_xml::events::Event;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// Clickatell's own error code and description, when an error body carried them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ErrorDetails {
    pub code: Option<String>,
    pub description: Option<String>,
}

/// The balance in a legacy REST JSON body: `{"data":{"balance":"300.50"}}`.
pub fn rest_json_balance(body: &[u8]) -> Result<Decimal, String> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        data: Option<Data<'a>>,
    }
    #[derive(Deserialize)]
    struct Data<'a> {
        #[serde(borrow)]
        balance: Option<&'a RawValue>,
    }
    let env: Envelope<'_> =
        serde_json::from_slice(body).map_err(|e| format!("invalid JSON ({e})"))?;
    let raw = env
        .data
        .and_then(|d| d.balance)
        .ok_or("the JSON has no data.balance field")?;
    raw_number(raw)
}

/// The balance and currency in a One API body: `{"balance": 1267.92865, "currency": "ZAR"}`.
pub fn one_api_balance(body: &[u8]) -> Result<(Decimal, Option<String>), String> {
    #[derive(Deserialize)]
    struct Body<'a> {
        #[serde(borrow)]
        balance: Option<&'a RawValue>,
        currency: Option<String>,
    }
    let b: Body<'_> = serde_json::from_slice(body).map_err(|e| format!("invalid JSON ({e})"))?;
    let raw = b.balance.ok_or("the JSON has no balance field")?;
    let currency = b
        .currency
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if let Some(c) = &currency {
        if c.len() > 8 || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(format!(
                "the currency {:?} is not a currency code",
                shorten(c)
            ));
        }
    }
    Ok((raw_number(raw)?, currency))
}

/// A JSON value holding a number, either bare (1267.92865) or as a string ("300.50"), read
/// from its text so no digit is lost.
fn raw_number(raw: &RawValue) -> Result<Decimal, String> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        let s: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
        balance_number(&s)
    } else if text == "null" {
        Err("the balance is null".into())
    } else {
        balance_number(text)
    }
}

/// A balance's text as an exact number, or the reason it is not one.
fn balance_number(text: &str) -> Result<Decimal, String> {
    parse_exact(text).map_err(|e| format!("the balance {e}"))
}

/// The balance in a legacy REST XML body: `<response><data><balance>300.50</balance>...`.
pub fn rest_xml_balance(body: &[u8]) -> Result<Decimal, String> {
    let fields = xml_fields(body, &[&["response", "data", "balance"]])?;
    let text = fields[0]
        .as_deref()
        .ok_or("the XML has no response/data/balance element")?;
    balance_number(text)
}

/// Code and description from an error body in any shape Clickatell uses: the legacy JSON
/// `{"error":{"code":"001","description":...}}`, its XML twin, or One API's loosely documented
/// fields (`error`, `errorCode`, `errorDescription`, `code`, `description`, `message`).
pub fn error_details(body: &[u8]) -> ErrorDetails {
    let trimmed = body.trim_ascii_start();
    let details = match trimmed.first() {
        Some(b'<') => xml_error(trimmed),
        Some(b'{') => serde_json::from_slice::<Value>(trimmed)
            .map(|v| json_error(&v))
            .unwrap_or_default(),
        _ => ErrorDetails::default(),
    };
    ErrorDetails {
        code: details
            .code
            .map(|c| clean_text(&c, 16))
            .filter(|c| !c.is_empty()),
        description: details
            .description
            .map(|d| clean_text(&d, 200))
            .filter(|d| !d.is_empty()),
    }
}

fn json_error(v: &Value) -> ErrorDetails {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let first = |obj: &Value, keys: &[&str]| keys.iter().find_map(|k| text(obj.get(*k)));
    const CODE: &[&str] = &["code", "errorCode", "error_code"];
    const DESC: &[&str] = &[
        "description",
        "errorDescription",
        "error_description",
        "message",
    ];
    match v.get("error") {
        Some(inner @ Value::Object(_)) => ErrorDetails {
            code: first(inner, CODE).or_else(|| first(v, CODE)),
            description: first(inner, DESC).or_else(|| first(v, DESC)),
        },
        Some(Value::String(s)) => ErrorDetails {
            code: first(v, CODE),
            description: first(v, DESC).or_else(|| Some(s.clone())),
        },
        _ => ErrorDetails {
            code: first(v, CODE),
            description: first(v, DESC),
        },
    }
}

fn xml_error(body: &[u8]) -> ErrorDetails {
    match xml_fields(
        body,
        &[
            &["response", "error", "code"],
            &["response", "error", "description"],
        ],
    ) {
        Ok(mut f) => ErrorDetails {
            description: f.pop().flatten(),
            code: f.pop().flatten(),
        },
        Err(_) => ErrorDetails::default(),
    }
}

/// The text of each element at the given paths from the root, in one pass over the document.
fn xml_fields(body: &[u8], paths: &[&[&str]]) -> Result<Vec<Option<String>>, String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut stack: Vec<String> = Vec::new();
    let mut found: Vec<Option<String>> = vec![None; paths.len()];
    let mut buf = Vec::new();
    let mut saw_root = false;
    let bad = |e: &dyn std::fmt::Display| format!("invalid XML ({e})");
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| bad(&e))? {
            Event::Start(e) => {
                if stack.is_empty() && saw_root {
                    return Err(bad(&"more than one root element"));
                }
                saw_root = true;
                stack.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Empty(_) => saw_root = true,
            Event::Text(t) => {
                let text = t.decode().map_err(|e| bad(&e))?;
                append_at(&stack, paths, &mut found, &text);
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                append_at(&stack, paths, &mut found, &text);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| bad(&e))?;
                let text = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => return Err(bad(&format!("unknown entity &{other};"))),
                };
                append_at(&stack, paths, &mut found, text);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err("the XML document is empty".into());
    }
    if !stack.is_empty() {
        return Err(bad(&"the document ends inside an element"));
    }
    Ok(found
        .into_iter()
        .map(|f| f.map(|s| s.trim().to_owned()))
        .collect())
}

fn append_at(stack: &[String], paths: &[&[&str]], found: &mut [Option<String>], text: &str) {
    for (i, path) in paths.iter().enumerate() {
        if stack.len() == path.len() && stack.iter().zip(path.iter()).all(|(a, b)| a == b) {
            found[i].get_or_insert_with(String::new).push_str(text);
        }
    }
}

/// Server text shown to users: control characters dropped, length capped.
fn clean_text(s: &str, max_chars: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.chars().count() > max_chars {
        format!("{}…", cleaned.chars().take(max_chars).collect::<String>())
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_JSON: &str = "{\n \"data\":{\n   \"balance\":\"300.50\"\n  }\n}";
    const SEED_XML: &str = "<?xml version=\"1.0\"?>\n<response>\n    <data>\n        \
                            <balance>300.50</balance>\n    </data>\n</response>";

    #[test]
    fn reads_the_seed_json_exactly() {
        assert_eq!(
            rest_json_balance(SEED_JSON.as_bytes()).unwrap().to_string(),
            "300.50"
        );
    }

    #[test]
    fn reads_the_seed_xml_exactly() {
        assert_eq!(
            rest_xml_balance(SEED_XML.as_bytes()).unwrap().to_string(),
            "300.50"
        );
    }

    #[test]
    fn reads_the_one_api_body_exactly() {
        let (amount, currency) =
            one_api_balance(br#"{"balance": 1267.92865, "currency": "ZAR"}"#).unwrap();
        assert_eq!(amount.to_string(), "1267.92865");
        assert_eq!(currency.as_deref(), Some("ZAR"));
        let (amount, _) =
            one_api_balance(br#"{"balance": 0.10000000000000000555, "currency": "USD"}"#).unwrap();
        assert_eq!(amount.to_string(), "0.10000000000000000555");
    }

    #[test]
    fn refuses_bodies_without_a_usable_balance() {
        for body in [
            "",
            "{}",
            "[]",
            r#"{"data":{}}"#,
            r#"{"data":{"balance":null}}"#,
            r#"{"data":{"balance":"lots"}}"#,
            r#"{"data":{"balance":true}}"#,
            r#"{"data":{"balance":"300.50"}"#,
        ] {
            assert!(rest_json_balance(body.as_bytes()).is_err(), "{body:?}");
        }
        for body in [
            "",
            "<response><data></data></response>",
            "<response><data><balance>x</balance></data></response>",
            "<response><data><balance>1</balance></data>",
            "<response/><response/>",
            "not xml at all",
        ] {
            assert!(rest_xml_balance(body.as_bytes()).is_err(), "{body:?}");
        }
        for body in [
            r#"{"currency":"ZAR"}"#,
            r#"{"balance":"1","currency":"Z A R"}"#,
        ] {
            assert!(one_api_balance(body.as_bytes()).is_err(), "{body:?}");
        }
    }

    #[test]
    fn reads_legacy_error_bodies() {
        let json = br#"{"error":{"code":"001","description":"Authentication failed","documentation":"http://www.clickatell.com/help/apidocs/error/001.htm"}}"#;
        let want = ErrorDetails {
            code: Some("001".into()),
            description: Some("Authentication failed".into()),
        };
        assert_eq!(error_details(json), want);
        let xml = b"<?xml version=\"1.0\"?><response><error><code>001</code>\
                    <description>Authentication failed</description></error></response>";
        assert_eq!(error_details(xml), want);
    }

    #[test]
    fn reads_one_api_error_bodies_defensively() {
        let cases: [(&[u8], Option<&str>, Option<&str>); 6] = [
            (
                br#"{"error":{"code":1,"description":"Invalid API key"}}"#,
                Some("1"),
                Some("Invalid API key"),
            ),
            (
                br#"{"errorCode":43,"errorDescription":"Rate limit"}"#,
                Some("43"),
                Some("Rate limit"),
            ),
            (
                br#"{"error":"Invalid key","code":"7"}"#,
                Some("7"),
                Some("Invalid key"),
            ),
            (br#"{"message":"boom"}"#, None, Some("boom")),
            (b"<html>oops</html>", None, None),
            (b"garbage", None, None),
        ];
        for (body, code, desc) in cases {
            let d = error_details(body);
            assert_eq!(d.code.as_deref(), code);
            assert_eq!(d.description.as_deref(), desc);
        }
    }

    #[test]
    fn cleans_server_text() {
        let d = error_details(
            format!(
                r#"{{"error":{{"description":"a\u001b[31mb{}"}}}}"#,
                "x".repeat(500)
            )
            .as_bytes(),
        );
        let desc = d.description.unwrap();
        assert!(!desc.contains('\u{1b}'));
        assert!(desc.chars().count() <= 201);
    }
}
