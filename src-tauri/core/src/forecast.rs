//! How long the balance will last at the current rate of use, from recent history.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use time::OffsetDateTime;

/// Shortest span of readings a forecast is made from; less says nothing about a daily rate.
const MIN_SPAN_HOURS: f64 = 6.0;
/// A rise larger than this share of the previous balance is a top-up, not noise.
const TOP_UP_SHARE: f64 = 0.01;

/// The estimate: usage per day and when the balance reaches the warning level and zero.
/// Rates are estimates, so plain floats are fine here; money itself stays decimal elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Units used per day; `None` when there is not enough data.
    pub burn_per_day: Option<f64>,
    pub days_to_warning: Option<f64>,
    pub days_to_zero: Option<f64>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub warning_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub zero_at: Option<OffsetDateTime>,
}

impl Forecast {
    /// Nothing can be said yet.
    pub fn not_enough_data() -> Self {
        Self {
            burn_per_day: None,
            days_to_warning: None,
            days_to_zero: None,
            warning_at: None,
            zero_at: None,
        }
    }

    /// A forecast with only `days_to_warning` set, for tests of what consumes forecasts.
    #[cfg(test)]
    pub fn for_test(days_to_warning: Option<f64>) -> Self {
        Self {
            days_to_warning,
            ..Self::not_enough_data()
        }
    }

    /// A short phrase for people: "≈ 12 days left at current usage".
    pub fn summary(&self) -> String {
        match (self.burn_per_day, self.days_to_zero) {
            (None, _) => "not enough data for a forecast yet".into(),
            (Some(_), None) => "no usage lately".into(),
            (Some(_), Some(days)) if days < 1.0 => "less than a day left at current usage".into(),
            (Some(_), Some(days)) => {
                format!("≈ {} days left at current usage", days.round() as i64)
            }
        }
    }
}

/// Forecasts from `(time, balance)` readings, oldest first, over the window the caller chose
/// (e.g. the last 7 days). Usage is the sum of drops between readings; rises above 1 % of the
/// balance are top-ups and are left out, smaller ones are noise and count against usage.
pub fn forecast(readings: &[(OffsetDateTime, Decimal)], warning: Option<Decimal>) -> Forecast {
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
        return Forecast::not_enough_data();
    };
    let span_days = (last.0 - first.0).as_seconds_f64() / 86_400.0;
    if readings.len() < 3 || span_days * 24.0 < MIN_SPAN_HOURS {
        return Forecast::not_enough_data();
    }
    let mut used = 0.0;
    for pair in readings.windows(2) {
        let (before, after) = (to_f64(pair[0].1), to_f64(pair[1].1));
        let rise = after - before;
        if rise > before.abs() * TOP_UP_SHARE {
            continue;
        }
        used -= rise;
    }
    let burn = used / span_days;
    let current = to_f64(last.1);
    if burn <= f64::EPSILON || !burn.is_finite() {
        return Forecast {
            burn_per_day: Some(0.0),
            ..Forecast::not_enough_data()
        };
    }
    let days_until = |level: f64| ((current - level) / burn).max(0.0);
    let at = |days: f64| last.0 + time::Duration::seconds_f64((days * 86_400.0).min(1e11));
    let days_to_zero = days_until(0.0);
    let days_to_warning = warning.map(|w| days_until(to_f64(w)));
    Forecast {
        burn_per_day: Some(burn),
        days_to_warning,
        days_to_zero: Some(days_to_zero),
        warning_at: days_to_warning.map(at),
        zero_at: Some(at(days_to_zero)),
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The recent readings a forecast is made from: the last of each hour over the forecast's
/// window, kept in memory and updated with each reading, so a poll reads nothing back from the
/// history (it is loaded from there once, at the first reading).
#[derive(Debug, Clone, Default)]
pub struct RecentReadings {
    points: std::collections::VecDeque<(OffsetDateTime, Decimal)>,
    loaded: bool,
}

impl RecentReadings {
    /// How far back the forecast looks.
    pub const WINDOW: time::Duration = time::Duration::days(7);
    /// At most this many readings are kept: one an hour.
    pub const POINTS: usize = 7 * 24;

    /// Whether the window still has to be read from the history.
    pub fn needs_loading(&self) -> bool {
        !self.loaded
    }

    /// Starts from `points` (oldest first, as the history's series gives them).
    pub fn load(&mut self, points: impl IntoIterator<Item = (OffsetDateTime, Decimal)>) {
        self.points.clear();
        self.loaded = true;
        for (at, amount) in points {
            self.push(at, amount);
        }
    }

    /// Adds a reading: it replaces an earlier one of the same hour, and readings that fell out
    /// of the window go.
    pub fn push(&mut self, at: OffsetDateTime, amount: Decimal) {
        let hour = |t: OffsetDateTime| t.unix_timestamp().div_euclid(3600);
        match self.points.back_mut() {
            Some(last) if hour(last.0) == hour(at) => *last = (at, amount),
            _ => self.points.push_back((at, amount)),
        }
        while self
            .points
            .front()
            .is_some_and(|(first, _)| *first < at - Self::WINDOW)
        {
            self.points.pop_front();
        }
    }

    /// The forecast from these readings.
    pub fn forecast(&self, warning: Option<Decimal>) -> Forecast {
        let readings: Vec<_> = self.points.iter().copied().collect();
        forecast(&readings, warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn series(points: &[(f64, f64)]) -> Vec<(OffsetDateTime, Decimal)> {
        let start = datetime!(2026-11-20 00:00 UTC);
        points
            .iter()
            .map(|&(hours, v)| {
                (
                    start + time::Duration::seconds_f64(hours * 3600.0),
                    Decimal::from_f64_retain(v).unwrap().round_dp(2),
                )
            })
            .collect()
    }

    fn w(v: i64) -> Option<Decimal> {
        Some(Decimal::from(v))
    }

    #[test]
    fn steady_drain() {
        // 1000 → 300 over 7 days at 100 a day, hourly readings.
        let pts: Vec<(f64, f64)> = (0..=168)
            .map(|h| (h as f64, 1000.0 - 100.0 * h as f64 / 24.0))
            .collect();
        let f = forecast(&series(&pts), w(100));
        assert!((f.burn_per_day.unwrap() - 100.0).abs() < 0.5, "{f:?}");
        assert!((f.days_to_zero.unwrap() - 3.0).abs() < 0.05, "{f:?}");
        assert!((f.days_to_warning.unwrap() - 2.0).abs() < 0.05, "{f:?}");
        assert_eq!(f.summary(), "≈ 3 days left at current usage");
    }

    #[test]
    fn top_ups_are_not_negative_usage() {
        // 50 a day, with a 1000 top-up in the middle.
        let mut pts: Vec<(f64, f64)> = (0..=72)
            .map(|h| (h as f64, 500.0 - 50.0 * h as f64 / 24.0))
            .collect();
        pts.extend((73..=144).map(|h| (h as f64, 1350.0 - 50.0 * (h - 72) as f64 / 24.0)));
        let f = forecast(&series(&pts), w(100));
        assert!((f.burn_per_day.unwrap() - 50.0).abs() < 1.5, "{f:?}");
    }

    #[test]
    fn flat_means_no_run_out() {
        let pts: Vec<(f64, f64)> = (0..=48).map(|h| (h as f64, 700.0)).collect();
        let f = forecast(&series(&pts), w(100));
        assert_eq!(f.burn_per_day, Some(0.0));
        assert_eq!(f.days_to_zero, None);
        assert_eq!(f.summary(), "no usage lately");
    }

    #[test]
    fn noise_cancels_out() {
        // 20 a day, with ±0.4 wobble on every reading.
        let pts: Vec<(f64, f64)> = (0..=96)
            .map(|h| {
                (
                    h as f64,
                    800.0 - 20.0 * h as f64 / 24.0 + if h % 2 == 0 { 0.4 } else { -0.4 },
                )
            })
            .collect();
        let f = forecast(&series(&pts), w(100));
        assert!((f.burn_per_day.unwrap() - 20.0).abs() < 0.5, "{f:?}");
    }

    #[test]
    fn too_little_data() {
        assert_eq!(forecast(&[], w(1)), Forecast::not_enough_data());
        let short = series(&[(0.0, 100.0), (1.0, 90.0), (2.0, 80.0)]);
        assert_eq!(
            forecast(&short, w(1)).summary(),
            "not enough data for a forecast yet"
        );
    }

    #[test]
    fn recent_readings_keep_the_last_of_each_hour_for_a_week() {
        let t0 = time::macros::datetime!(2026-11-01 00:00 UTC);
        let mut recent = RecentReadings::default();
        assert!(recent.needs_loading());
        recent.load([(t0, Decimal::from(1000))]);
        assert!(!recent.needs_loading());
        // Every 10 minutes for 10 days, spending 1 a reading.
        for i in 1..=(10 * 24 * 6) {
            recent.push(
                t0 + time::Duration::minutes(10 * i),
                Decimal::from(1000 - i),
            );
        }
        assert_eq!(recent.points.len(), RecentReadings::POINTS + 1);
        let (first, last) = (recent.points[0], *recent.points.back().unwrap());
        assert!(last.0 - first.0 <= RecentReadings::WINDOW);
        assert_eq!(last.1, Decimal::from(1000 - 10 * 24 * 6));
        let f = recent.forecast(Some(Decimal::from(-100)));
        assert_eq!(f.burn_per_day.map(f64::round), Some(144.0), "{f:?}");
    }
}
