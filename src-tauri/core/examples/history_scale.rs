//! History at scale: 20 accounts read every 30 s (the shortest interval) for 1, 100 and 400
//! days, as the app keeps them (every reading of the last 30 days, the last of each hour
//! before), generated straight into SQLite. Prints, for each, the file's size and what
//! start-up and each poll cost, as `tests/bench/run.sh` records in BENCHMARKS.md:
//!
//! `cargo run --release -p clickatell-balance-core --example history_scale`

use clickatell_core::forecast::RecentReadings;
use clickatell_core::history::{History, FULL_RESOLUTION_DAYS};
use clickatell_core::Balance;
use rust_decimal::Decimal;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const ACCOUNTS: usize = 20;
const INTERVAL_SECS: i64 = 30;
const POLLS_MEASURED: u32 = 200;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Writes `days` of readings for every account, ending at `now`, in one transaction.
fn generate(path: &std::path::Path, days: i64, now: OffsetDateTime) -> u64 {
    drop(History::open(path).expect("a new history"));
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    let mut rows = 0;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO readings (account, at, amount, currency) VALUES (?1, ?2, ?3, NULL)",
            )
            .unwrap();
        let end = now.unix_timestamp();
        let start = end - days * 86_400;
        let full_from = end - FULL_RESOLUTION_DAYS * 86_400;
        for account in 0..ACCOUNTS {
            let id = format!("account-{account}");
            let mut at = start;
            while at <= end {
                // A balance spent down slowly, topped up every 10 days.
                let cents = 5_000_000 - (at - start) % (10 * 86_400) / 10;
                insert
                    .execute(rusqlite::params![
                        id,
                        at,
                        Decimal::new(cents, 2).to_string()
                    ])
                    .unwrap();
                rows += 1;
                at += if at < full_from { 3_600 } else { INTERVAL_SECS };
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    rows
}

fn main() {
    let now = OffsetDateTime::now_utc();
    println!("| days kept | rows (raw would be) | file | open | upkeep (background) | a poll: record + forecast | forecast's first read | chart \"All\" (400 points) | the old per-poll read (every row of 7 days) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for days in [1, 100, 400] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let rows = generate(&path, days, now);
        let size = std::fs::metadata(&path).unwrap().len();
        let raw = ACCOUNTS as i64 * days * 86_400 / INTERVAL_SECS;

        let opens: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                drop(History::open(&path).unwrap());
                started.elapsed()
            })
            .collect();
        let history = History::open(&path).unwrap();
        let started = Instant::now();
        history.maintain(now).unwrap();
        let upkeep = started.elapsed();

        let balance = Balance {
            amount: Decimal::new(4_000_000, 2),
            currency: None,
        };
        // A poll as the monitor makes it: the reading recorded, the forecast's recent readings
        // (read from the history once, at the first) brought up to date and the forecast made.
        let week = RecentReadings::WINDOW;
        let mut recent = RecentReadings::default();
        let started = Instant::now();
        let points = history
            .series("account-7", now - week, now, RecentReadings::POINTS)
            .unwrap();
        recent.load(points.into_iter().map(|p| (p.at, p.amount)));
        let first_load = started.elapsed();
        let polls: Vec<Duration> = (1..=POLLS_MEASURED)
            .map(|i| {
                let at = now + time::Duration::seconds(i64::from(i) * INTERVAL_SECS);
                let started = Instant::now();
                history.record("account-7", at, &balance).unwrap();
                recent.push(at, balance.amount);
                recent.forecast(None);
                started.elapsed()
            })
            .collect();
        let end = now + time::Duration::seconds(i64::from(POLLS_MEASURED) * INTERVAL_SECS);
        let charts: Vec<Duration> = (0..20)
            .map(|_| {
                let started = Instant::now();
                let from = end - time::Duration::days(400);
                history.series("account-3", from, end, 400).unwrap();
                started.elapsed()
            })
            .collect();
        let old_reads: Vec<Duration> = (0..20)
            .map(|_| {
                let started = Instant::now();
                history.range("account-3", end - week, end).unwrap();
                started.elapsed()
            })
            .collect();
        println!(
            "| {days} | {rows} ({raw}) | {:.1} MB | {} | {} | {} | {} | {} | {} |",
            size as f64 / 1e6,
            ms(median(opens)),
            ms(upkeep),
            ms(median(polls)),
            ms(first_load),
            ms(median(charts)),
            ms(median(old_reads)),
        );
    }
}
