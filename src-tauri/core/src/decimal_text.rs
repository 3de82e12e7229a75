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
    let text = match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "expected a number, found {other}"
            )))
        }
    };
    parse_exact(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("the level {e}")))
}
