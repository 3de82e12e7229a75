//! The history as accounting asks for it: every reading of the chosen accounts in a time range,
//! as RFC 4180 CSV with a header or as JSON, with exact decimals, UTC ISO-8601 times and
//! top-ups flagged.

use crate::account::Account;
use crate::history::{History, HistoryError, Reading};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The export's formats.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantNames,
)]
#[strum(serialize_all = "kebab-case")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// One exported row; the CSV header is these field names, in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub account: String,
    pub account_name: String,
    /// UTC, RFC 3339 ("2026-12-03T10:05:00Z").
    pub time: String,
    /// Exactly as Clickatell gave it.
    pub amount: String,
    /// The currency, or "credits".
    pub unit: String,
    pub top_up: bool,
}

/// The readings of `accounts` from `from` to `to`, account by account, oldest first.
pub fn rows(
    history: &History,
    accounts: &[Account],
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<ExportRow>, HistoryError> {
    let mut rows = Vec::new();
    for account in accounts {
        for reading in history.readings(&account.id, from, to)? {
            rows.push(row(account, &reading));
        }
    }
    Ok(rows)
}

fn row(account: &Account, reading: &Reading) -> ExportRow {
    ExportRow {
        account: account.id.clone(),
        account_name: account.name.clone(),
        time: reading
            .at
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_default(),
        amount: reading.amount.to_string(),
        unit: reading.currency.clone().unwrap_or_else(|| "credits".into()),
        top_up: reading.top_up,
    }
}

/// `rows` written in `format`.
pub fn render(rows: &[ExportRow], format: ExportFormat) -> Vec<u8> {
    match format {
        ExportFormat::Json => {
            let mut json = serde_json::to_vec_pretty(rows).expect("rows serialize");
            json.push(b'\n');
            json
        }
        ExportFormat::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            if rows.is_empty() {
                writer
                    .write_record([
                        "account",
                        "account_name",
                        "time",
                        "amount",
                        "unit",
                        "top_up",
                    ])
                    .expect("writing to memory");
            }
            for row in rows {
                writer.serialize(row).expect("writing to memory");
            }
            writer.into_inner().expect("writing to memory")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Balance;
    use rust_decimal::Decimal;
    use time::macros::datetime;

    #[test]
    fn readings_become_rows_with_top_ups_flagged_and_quoted_where_needed() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let account = Account {
            id: "eu".into(),
            name: "EU, \"West\"".into(),
            ..Account::default()
        };
        let read = |amount: &str| Balance {
            amount: amount.parse::<Decimal>().unwrap(),
            currency: Some("ZAR".into()),
        };
        history
            .record("eu", datetime!(2026-12-01 09:00 UTC), &read("10.50"))
            .unwrap();
        history
            .record("eu", datetime!(2026-12-02 09:00 UTC), &read("1267.930"))
            .unwrap();
        history
            .record("eu", datetime!(2026-12-03 09:00 UTC), &read("1200.00"))
            .unwrap();
        let from = datetime!(2026-12-02 00:00 UTC);
        let rows = rows(&history, &[account], from, datetime!(2026-12-31 00:00 UTC)).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].top_up, "higher than the reading before the range");
        assert!(!rows[1].top_up);
        assert_eq!(rows[0].amount, "1267.930");
        let csv = String::from_utf8(render(&rows, ExportFormat::Csv)).unwrap();
        assert_eq!(
            csv,
            "account,account_name,time,amount,unit,top_up\r\n\
             eu,\"EU, \"\"West\"\"\",2026-12-02T09:00:00Z,1267.930,ZAR,true\r\n\
             eu,\"EU, \"\"West\"\"\",2026-12-03T09:00:00Z,1200.00,ZAR,false\r\n"
        );
        let empty = String::from_utf8(render(&[], ExportFormat::Csv)).unwrap();
        assert_eq!(empty, "account,account_name,time,amount,unit,top_up\r\n");
        let json: serde_json::Value =
            serde_json::from_slice(&render(&rows, ExportFormat::Json)).unwrap();
        assert_eq!(json[1]["amount"], "1200.00");
        assert_eq!(json[0]["top_up"], true);
    }
}
