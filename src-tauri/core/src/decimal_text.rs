//! Levels in `settings.json`, kept exact: written as strings ("100.50"), read from a string or
//! a hand-written number, never through a float (serde's `with` for `Option<Decimal>`).

use crate::clickatell::parse_exact;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value;

pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let value = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
    from_json(&value).map_err(serde::de::Error::custom)
}

/// A level as JSON holds it: a number, a string with one, or none (null, or a blank string
/// as an emptied form field sends); anything else is refused with the reason.
pub fn from_json(value: &Value) -> Result<Option<Decimal>, String> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(format!("expected a number, found {other}")),
    };
    parse_exact(&text)
        .map(Some)
        .map_err(|e| format!("the level {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_level_is_a_number_a_string_with_one_or_none() {
        let level = |v: Value| from_json(&v).map(|d| d.map(|d| d.to_string()));
        assert_eq!(level(json!(null)), Ok(None));
        assert_eq!(level(json!("  ")), Ok(None));
        assert_eq!(level(json!("100.50")), Ok(Some("100.50".into())));
        assert_eq!(level(json!(25)), Ok(Some("25".into())));
        assert_eq!(
            level(json!("lots")).unwrap_err(),
            "the level \"lots\" is not a number"
        );
        assert!(level(json!([1])).unwrap_err().contains("expected a number"));
    }
}
