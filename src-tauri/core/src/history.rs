//! Every successful reading, in an embedded SQLite database, for the chart and the forecast.
//! Each row names its account; a database of the single-account versions (schema 0) gains the
//! column on open, its rows becoming the first account's.

use crate::Balance;
use parking_lot::Mutex;
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;
use time::OffsetDateTime;

/// How long readings are kept.
pub const RETENTION_DAYS: i64 = 400;
/// The schema this version writes (`PRAGMA user_version`): 1 added the account column.
const SCHEMA_VERSION: i64 = 1;

/// Why the history could not be used.
#[derive(Debug, Error)]
pub enum HistoryError {
    #[error("no data directory could be found for this user")]
    NoDataDir,
    #[error("the history database {path} failed: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("could not create {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One point of a series for the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// One reading as an export holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub at: OffsetDateTime,
    pub amount: Decimal,
    /// The currency, or `None` for credits.
    pub currency: Option<String>,
    /// Higher than the reading before it.
    pub top_up: bool,
}

/// The readings database (WAL journal, so a crash never corrupts committed readings).
pub struct History {
    conn: Mutex<rusqlite::Connection>,
    path: PathBuf,
    set_aside: Mutex<Option<KeptAside>>,
}

/// How many recent days keep every reading; older ones keep the last reading of each hour,
/// so the file stays small however long it is kept (20 accounts read every 30 s: about 95,000
/// rows an account instead of 1.15 million over 400 days).
pub const FULL_RESOLUTION_DAYS: i64 = 30;
const HOUR: i64 = 3600;

impl History {
    /// The database under the OS data dir (`$XDG_DATA_HOME/clickatell-balance/` on Linux).
    pub fn open_default(profile: crate::paths::Profile) -> Result<Self, HistoryError> {
        let dir = crate::paths::data_dir(profile).ok_or(HistoryError::NoDataDir)?;
        Self::open(&dir.join("history.sqlite3"))
    }

    /// Opens or creates the database at `path`, with checks whose cost does not grow with
    /// the file (the header and the schema). A file that is not a database is kept as
    /// `<path>.corrupt-<time>` (with its journal) and a new one is started: losing the chart's
    /// past beats losing monitoring, and the old file stays for anyone who wants to recover
    /// it. Damage deeper in the file is found by [`History::maintain`], off the start-up path.
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        match connect(path) {
            Err(HistoryError::Sqlite { source, .. }) if is_corruption(&source) => {
                let kept = set_aside_files(path, &source.to_string())?;
                Ok(Self {
                    conn: Mutex::new(connect(path)?),
                    path: path.to_owned(),
                    set_aside: Mutex::new(Some(kept)),
                })
            }
            Ok(conn) => Ok(Self {
                conn: Mutex::new(conn),
                path: path.to_owned(),
                set_aside: Mutex::default(),
            }),
            Err(e) => Err(e),
        }
    }

    /// Runs [`History::maintain`] on a thread of its own, so start-up does not wait for it;
    /// what it finds is logged.
    pub fn maintain_in_background(self: &std::sync::Arc<Self>) {
        let history = self.clone();
        let spawned = std::thread::Builder::new()
            .name("history-upkeep".into())
            .spawn(move || {
                if let Err(e) = history.maintain(OffsetDateTime::now_utc()) {
                    tracing::warn!(error = %e, "history upkeep failed");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "could not start the history upkeep");
        }
    }

    /// The unreadable database this one replaced, and where it was kept.
    pub fn set_aside(&self) -> Option<KeptAside> {
        self.set_aside.lock().clone()
    }

    /// The work whose cost grows with the file, for a background task after start: the full
    /// integrity check (a damaged file is kept aside and replaced, as at open) and the
    /// downsampling of readings older than [`FULL_RESOLUTION_DAYS`] (normally done a little at
    /// a time as readings come in; this catches up after the app was off).
    pub fn maintain(&self, now: OffsetDateTime) -> Result<(), HistoryError> {
        let mut conn = self.conn.lock();
        let verdict: String = conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .unwrap_or_else(|e| e.to_string());
        if verdict != "ok" {
            // Close the damaged file before moving it, then start anew in its place.
            *conn = rusqlite::Connection::open_in_memory().map_err(|e| self.sql(e))?;
            let kept = set_aside_files(&self.path, &verdict)?;
            *conn = connect(&self.path)?;
            *self.set_aside.lock() = Some(kept);
            return Ok(());
        }
        let before = (now - time::Duration::days(FULL_RESOLUTION_DAYS)).unix_timestamp();
        conn.execute(
            "DELETE FROM readings WHERE at < ?1 AND rowid NOT IN \
             (SELECT max(rowid) FROM readings WHERE at < ?1 GROUP BY account, at / 3600)",
            [before],
        )
        .map_err(|e| self.sql(e))?;
        conn.execute_batch("PRAGMA optimize")
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    fn sql(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Records a reading of `account`, drops that account's readings older than the
    /// retention period, and keeps one an hour of those that just left the full-resolution
    /// window: a few rows of work whatever the size of the file.
    pub fn record(
        &self,
        account: &str,
        at: OffsetDateTime,
        balance: &Balance,
    ) -> Result<(), HistoryError> {
        let conn = self.conn.lock();
        let now = at.unix_timestamp();
        let cutoff = (at - time::Duration::days(RETENTION_DAYS)).unix_timestamp();
        let full_from = (at - time::Duration::days(FULL_RESOLUTION_DAYS)).unix_timestamp();
        let tx = conn.unchecked_transaction().map_err(|e| self.sql(e))?;
        tx.execute(
            "INSERT INTO readings (account, at, amount, currency) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![account, now, balance.amount.to_string(), balance.currency],
        )
        .map_err(|e| self.sql(e))?;
        tx.execute(
            "DELETE FROM readings WHERE account = ?1 AND at < ?2",
            rusqlite::params![account, cutoff],
        )
        .map_err(|e| self.sql(e))?;
        tx.execute(
            "DELETE FROM readings WHERE account = ?1 AND at >= ?2 AND at < ?3 AND rowid NOT IN \
             (SELECT max(rowid) FROM readings WHERE account = ?1 AND at >= ?2 AND at < ?3 \
              GROUP BY at / 3600)",
            rusqlite::params![account, full_from - 2 * HOUR, full_from],
        )
        .map_err(|e| self.sql(e))?;
        tx.commit().map_err(|e| self.sql(e))
    }

    /// Deletes every reading of `account` (when the user removes it); how many there were.
    pub fn remove_account(&self, account: &str) -> Result<usize, HistoryError> {
        let conn = self.conn.lock();
        conn.execute("DELETE FROM readings WHERE account = ?1", [account])
            .map_err(|e| self.sql(e))
    }

    /// All readings of `account` from `from` to `to`, oldest first.
    pub fn range(
        &self,
        account: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<Point>, HistoryError> {
        self.query(
            "SELECT at, amount FROM readings WHERE account = ?1 AND at >= ?2 AND at <= ?3 \
             ORDER BY at, rowid",
            rusqlite::params![account, from.unix_timestamp(), to.unix_timestamp()],
        )
    }

    /// Every reading of `account` from `from` to `to`, oldest first, each with its unit and
    /// whether it was a top-up (higher than the reading before it, the one just before `from`
    /// included): what an export holds.
    pub fn readings(
        &self,
        account: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<Reading>, HistoryError> {
        let conn = self.conn.lock();
        let (from, to) = (from.unix_timestamp(), to.unix_timestamp());
        let mut before = conn
            .prepare_cached(
                "SELECT amount FROM readings WHERE account = ?1 AND at < ?2 \
                 ORDER BY at DESC, rowid DESC LIMIT 1",
            )
            .map_err(|e| self.sql(e))?;
        let mut previous: Option<Decimal> = before
            .query_map(rusqlite::params![account, from], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|e| self.sql(e))?
            .find_map(|r| r.ok().and_then(|a| Decimal::from_str(&a).ok()));
        let mut stmt = conn
            .prepare_cached(
                "SELECT at, amount, currency FROM readings \
                 WHERE account = ?1 AND at >= ?2 AND at <= ?3 ORDER BY at, rowid",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(rusqlite::params![account, from, to], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| self.sql(e))?;
        let mut readings = Vec::new();
        for row in rows {
            let (at, amount, currency) = row.map_err(|e| self.sql(e))?;
            let Some((at, amount)) = reading_of(at, &amount) else {
                continue;
            };
            let top_up = previous.is_some_and(|p| amount > p);
            previous = Some(amount);
            readings.push(Reading {
                at,
                amount,
                currency,
                top_up,
            });
        }
        Ok(readings)
    }

    /// At most `max_points` points covering `from..=to` for a chart or a forecast: the range
    /// is cut into equal buckets and the last reading of each bucket is kept. SQLite does the
    /// bucketing, so only the points kept are read out.
    pub fn series(
        &self,
        account: &str,
        from: OffsetDateTime,
        to: OffsetDateTime,
        max_points: usize,
    ) -> Result<Vec<Point>, HistoryError> {
        let (from_t, to_t) = (from.unix_timestamp(), to.unix_timestamp());
        let count: i64 = {
            let conn = self.conn.lock();
            conn.prepare_cached(
                "SELECT count(*) FROM readings WHERE account = ?1 AND at >= ?2 AND at <= ?3",
            )
            .and_then(|mut stmt| {
                stmt.query_row(rusqlite::params![account, from_t, to_t], |row| row.get(0))
            })
            .map_err(|e| self.sql(e))?
        };
        if count <= max_points as i64 {
            return self.range(account, from, to);
        }
        let (from, to) = (from_t, to_t);
        let span = (to - from).max(1);
        self.query(
            "SELECT at, amount FROM readings WHERE rowid IN \
             (SELECT max(rowid) FROM readings WHERE account = ?1 AND at >= ?2 AND at <= ?3 \
              GROUP BY ((at - ?2) * ?4) / ?5) \
             ORDER BY at, rowid",
            rusqlite::params![account, from, to, max_points.max(1) as i64, span],
        )
    }

    fn query(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Point>, HistoryError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params, |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql(e))?;
        let mut points = Vec::new();
        for row in rows {
            let (at, amount) = row.map_err(|e| self.sql(e))?;
            if let Some((at, amount)) = reading_of(at, &amount) {
                points.push(Point { at, amount });
            }
        }
        Ok(points)
    }
}

/// A row's time and amount; `None` for a row no reading could have written (skipped).
fn reading_of(at: i64, amount: &str) -> Option<(OffsetDateTime, Decimal)> {
    Some((
        OffsetDateTime::from_unix_timestamp(at).ok()?,
        Decimal::from_str(amount).ok()?,
    ))
}

/// Opens the file with the checks whose cost does not grow with it: that it is a database
/// whose schema can be read, then brings the schema up to date.
fn connect(path: &Path) -> Result<rusqlite::Connection, HistoryError> {
    let sql = |source| HistoryError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let conn = rusqlite::Connection::open(path).map_err(sql)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(sql)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    migrate(&conn).map_err(sql)?;
    Ok(conn)
}

/// An unreadable database, kept under a new name when a new one took its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAside {
    pub reason: String,
    pub kept_as: PathBuf,
}

impl KeptAside {
    /// The sentence telling the user what happened and what to do.
    pub fn user_message(&self) -> String {
        format!(
            "The history database could not be read ({}); it was kept as {} and a new one was \
             started, so the history begins again now. Delete that file once you no longer \
             need its readings.",
            self.reason,
            self.kept_as.display()
        )
    }
}

/// Moves an unusable database (and its journal) to `<path>.corrupt-<time>`; where it went.
fn set_aside_files(path: &Path, reason: &str) -> Result<KeptAside, HistoryError> {
    let kept_as = crate::atomic_file::set_aside_path(path);
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", path.display()));
        let to = PathBuf::from(format!("{}{suffix}", kept_as.display()));
        if from.exists() {
            std::fs::rename(&from, &to).map_err(|source| HistoryError::Io {
                path: from.clone(),
                source,
            })?;
        }
    }
    tracing::warn!(
        reason = %reason,
        kept_as = %kept_as.display(),
        "history database unreadable; kept aside and started anew"
    );
    Ok(KeptAside {
        reason: reason.to_owned(),
        kept_as,
    })
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction: a new file gets the tables, a
/// single-account file its account column (its rows are the first account's).
fn migrate(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let has_readings: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'readings'",
        [],
        |row| row.get(0),
    )?;
    let change = if has_readings {
        format!(
            "ALTER TABLE readings ADD COLUMN account TEXT NOT NULL DEFAULT '{}';
             DROP INDEX IF EXISTS readings_at;",
            crate::account::FIRST_ID
        )
    } else {
        "CREATE TABLE readings (
             account TEXT NOT NULL,
             at INTEGER NOT NULL,
             amount TEXT NOT NULL,
             currency TEXT
         );"
        .to_owned()
    };
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE;
         {change}
         CREATE INDEX IF NOT EXISTS readings_account_at ON readings(account, at);
         PRAGMA user_version = {SCHEMA_VERSION};
         COMMIT;"
    ))
}

/// Whether SQLite says the file is damaged or not a database at all (as opposed to, say, a
/// full disk or a permission problem, which a new file would not fix).
fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn credits(s: &str) -> Balance {
        Balance {
            amount: Decimal::from_str(s).unwrap(),
            currency: None,
        }
    }

    #[test]
    fn survives_reopening_and_keeps_exact_amounts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h").join("history.sqlite3");
        let t0 = datetime!(2026-11-28 10:00 UTC);
        {
            let h = History::open(&path).unwrap();
            h.record("main", t0, &credits("300.50")).unwrap();
            h.record("main", t0 + time::Duration::minutes(5), &credits("299.10"))
                .unwrap();
        }
        let h = History::open(&path).unwrap();
        let pts = h.range("main", t0, t0 + time::Duration::hours(1)).unwrap();
        let amounts: Vec<String> = pts.iter().map(|p| p.amount.to_string()).collect();
        assert_eq!(amounts, ["300.50", "299.10"]);
    }

    fn kept_aside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".corrupt-"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_that_is_not_a_database_is_kept_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        std::fs::write(&path, b"this is not a database, but it is someone's file").unwrap();
        let h = History::open(&path).unwrap();
        let kept = h.set_aside().expect("set aside").kept_as;
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            b"this is not a database, but it is someone's file"
        );
        let t0 = datetime!(2026-11-28 10:00 UTC);
        h.record("main", t0, &credits("12.00")).unwrap();
        assert_eq!(h.range("main", t0, t0).unwrap().len(), 1);
        assert_eq!(kept_aside(dir.path()).len(), 1);
    }

    #[test]
    fn a_damaged_database_is_kept_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let t0 = datetime!(2026-11-28 10:00 UTC);
        {
            let h = History::open(&path).unwrap();
            for i in 0..2000 {
                h.record("main", t0 + time::Duration::minutes(i), &credits("300.50"))
                    .unwrap();
            }
        }
        // Scribble over the pages after the header, as a failing disk might.
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 3 * 4096, "{} bytes", bytes.len());
        for b in &mut bytes[4096..3 * 4096] {
            *b = 0xA5;
        }
        std::fs::write(&path, &bytes).unwrap();
        let h = History::open(&path).unwrap();
        assert!(
            h.set_aside().is_none(),
            "opening reads the header and the schema only"
        );
        h.maintain(t0).unwrap();
        assert!(h.set_aside().is_some());
        assert!(h
            .range("main", t0, t0 + time::Duration::days(2))
            .unwrap()
            .is_empty());
        assert_eq!(kept_aside(dir.path()).len(), 1);
    }

    #[test]
    fn a_healthy_database_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        drop(History::open(&path).unwrap());
        let h = History::open(&path).unwrap();
        assert!(h.set_aside().is_none());
        assert!(kept_aside(dir.path()).is_empty());
    }

    #[test]
    fn old_readings_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let t0 = datetime!(2025-01-01 00:00 UTC);
        h.record("main", t0, &credits("1")).unwrap();
        h.record(
            "main",
            t0 + time::Duration::days(RETENTION_DAYS + 1),
            &credits("2"),
        )
        .unwrap();
        let all = h
            .range(
                "main",
                t0 - time::Duration::days(1),
                t0 + time::Duration::days(1000),
            )
            .unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].amount.to_string(), "2");
    }

    #[test]
    fn series_are_downsampled_to_the_last_point_per_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let t0 = datetime!(2026-11-01 00:00 UTC);
        for i in 0..1000 {
            h.record(
                "main",
                t0 + time::Duration::minutes(i),
                &credits(&format!("{}", 2000 - i)),
            )
            .unwrap();
        }
        let to = t0 + time::Duration::minutes(999);
        let s = h.series("main", t0, to, 100).unwrap();
        assert!(s.len() <= 101 && s.len() >= 99, "{}", s.len());
        assert_eq!(s.last().unwrap().amount.to_string(), "1001");
        assert!(s.windows(2).all(|w| w[0].at < w[1].at));
        assert_eq!(h.series("main", t0, to, 5000).unwrap().len(), 1000);
    }

    /// `tests/fixtures/single-account/history.sqlite3` was written by version 0.1.0 (schema 0,
    /// no account column): its readings become the first account's, and other accounts'
    /// readings are kept apart from them.
    #[test]
    fn a_single_account_database_keeps_its_readings_for_the_first_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        std::fs::write(
            &path,
            include_bytes!("../../../tests/fixtures/single-account/history.sqlite3"),
        )
        .unwrap();
        let h = History::open(&path).unwrap();
        assert!(h.set_aside().is_none());
        let (from, to) = (
            datetime!(2026-01-01 0:00 UTC),
            datetime!(2027-01-01 0:00 UTC),
        );
        let amounts: Vec<String> = h
            .range("main", from, to)
            .unwrap()
            .iter()
            .map(|p| p.amount.to_string())
            .collect();
        assert_eq!(
            amounts,
            ["150.00", "120.50", "95.25", "90.00", "40.10", "40.10"]
        );
        let at = datetime!(2026-12-01 02:00 UTC);
        h.record("eu", at, &credits("7.5")).unwrap();
        drop(h);
        let h = History::open(&path).unwrap();
        assert_eq!(h.range("eu", from, to).unwrap().len(), 1);
        assert_eq!(h.range("main", from, to).unwrap().len(), 6);
        assert_eq!(h.remove_account("eu").unwrap(), 1);
        assert!(h.range("eu", from, to).unwrap().is_empty());
        assert_eq!(h.range("main", from, to).unwrap().len(), 6);
    }

    #[test]
    fn readings_older_than_thirty_days_keep_one_an_hour() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let t0 = datetime!(2026-01-01 00:00 UTC);
        // 40 days of a reading every 10 minutes, for two accounts.
        let every = time::Duration::minutes(10);
        let count = 40 * 24 * 6;
        for i in 0..count {
            let at = t0 + every * i;
            for account in ["main", "eu"] {
                h.record(account, at, &credits(&format!("{}", 10_000 - i)))
                    .unwrap();
            }
        }
        let now = t0 + every * (count - 1);
        let old_until = now - time::Duration::days(FULL_RESOLUTION_DAYS);
        let all = |account| h.range(account, t0, now).unwrap();
        for account in ["main", "eu"] {
            let points = all(account);
            let (old, recent): (Vec<_>, Vec<_>) = points.iter().partition(|p| p.at < old_until);
            // As readings came in, the older ones were thinned to the last of each hour.
            assert_eq!(old.len(), 10 * 24, "{account}: {} old readings", old.len());
            // The last of each hour; the hour the window's edge falls in is thinned so far.
            assert!(old[..old.len() - 1].iter().all(|p| p.at.minute() == 50));
            assert_eq!(recent.len(), 30 * 24 * 6 + 1, "both ends of the 30 days");
            assert_eq!(
                points.last().unwrap().amount.to_string(),
                format!("{}", 10_000 - count + 1)
            );
        }
        h.maintain(now).unwrap();
        assert_eq!(
            all("main").len(),
            10 * 24 + 30 * 24 * 6 + 1,
            "nothing more to thin"
        );
    }

    #[test]
    fn maintenance_catches_up_on_readings_left_unthinned() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let t0 = datetime!(2026-01-01 00:00 UTC);
        for i in 0..(3 * 24 * 60) {
            h.record("main", t0 + time::Duration::minutes(i), &credits("5"))
                .unwrap();
        }
        // The app was off for 40 days: those three days are now old, and thinned on upkeep.
        let later = t0 + time::Duration::days(43);
        h.maintain(later).unwrap();
        assert_eq!(h.range("main", t0, later).unwrap().len(), 3 * 24);
    }
}
