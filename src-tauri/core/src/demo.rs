//! A simulated account for trying the app without a Clickatell account: its balance drains
//! visibly, crosses the warning and critical levels, and is topped up, every few minutes.

use crate::account::Account;
use crate::clickatell::FetchFuture;
use crate::{ApiToken, Balance, BalanceSource, Settings};
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

/// How often the demo polls: often enough to see it move.
pub const DEMO_INTERVAL: Duration = Duration::from_secs(10);
/// The balance at the start of each cycle.
const TOP: i64 = 160;
/// Credits used per second, in hundredths.
const CENTS_PER_SECOND: i64 = 70;
/// Seconds from one top-up to the next.
const CYCLE_SECONDS: u64 = 200;

/// The demo balance `elapsed` after start: 160.00 draining 0.70 a second (below 100 after
/// 86 s, below 50 after 158 s), topped up back to 160.00 every 200 s.
pub fn demo_amount(elapsed: Duration) -> Decimal {
    let into_cycle = elapsed.as_millis() as i64 % (CYCLE_SECONDS as i64 * 1000);
    let cents = TOP * 100 - CENTS_PER_SECOND * into_cycle / 1000;
    Decimal::new(cents, 2)
}

/// The demo account; no network, no token.
#[derive(Debug, Clone)]
pub struct DemoSource {
    started: Instant,
}

impl DemoSource {
    /// A demo account whose cycle starts now.
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
        }
    }
}

impl Default for DemoSource {
    fn default() -> Self {
        Self::new()
    }
}

impl BalanceSource for DemoSource {
    fn fetch<'a>(&'a self, _token: &'a ApiToken) -> FetchFuture<'a> {
        let amount = demo_amount(self.started.elapsed());
        Box::pin(async move {
            Ok(Balance {
                amount,
                currency: None,
            })
        })
    }
}

/// The demo's stand-in token: the monitor needs one, the demo source ignores it.
pub fn demo_token() -> ApiToken {
    ApiToken::parse("demo").expect("a valid token")
}

/// Settings a first demo starts with: both levels set, so both alerts show.
pub fn demo_settings() -> Settings {
    Settings {
        accounts: vec![Account {
            name: "Demo".into(),
            warning_level: Some(Decimal::from(100)),
            critical_level: Some(Decimal::from(50)),
            poll_interval_secs: DEMO_INTERVAL.as_secs().max(30),
            ..Account::default()
        }],
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: f64) -> String {
        demo_amount(Duration::from_secs_f64(secs)).to_string()
    }

    #[test]
    fn drains_crosses_both_levels_and_is_topped_up() {
        assert_eq!(at(0.0), "160.00");
        assert_eq!(at(10.0), "153.00");
        assert_eq!(at(85.0), "100.50");
        assert_eq!(at(87.0), "99.10");
        assert_eq!(at(158.0), "49.40");
        assert_eq!(at(199.0), "20.70");
        assert_eq!(at(200.0), "160.00");
        assert_eq!(at(287.0), "99.10");
    }
}
