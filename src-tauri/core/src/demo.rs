//! Simulated accounts for trying the app without a Clickatell account: three of them, in
//! different units and at different speeds, whose balances drain visibly, cross their warning
//! and critical levels, and are topped up, every few minutes.

use crate::account::Account;
use crate::clickatell::FetchFuture;
use crate::{ApiToken, Balance, BalanceSource, Settings};
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

/// How often the demo polls: often enough to see it move.
pub const DEMO_INTERVAL: Duration = Duration::from_secs(10);

/// What refuses, in the demo, a command that would read or change a stored secret or alert a
/// channel. The demo's accounts, settings and channels are simulated, but their ids and names
/// ("main", a channel's name, a proxy's user) are the keys the user's own tokens and secrets
/// are kept under: a token saved in the demo would be the real account's, a simulated low
/// balance would reach the real team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "The demo's accounts are simulated and need no token: the demo reads and keeps nothing in \
     your keyring, and sends no alert to your team's channels."
)]
pub struct DemoKeepsNoSecrets;

/// How one simulated account moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Drain {
    /// The balance at the start of each cycle, in hundredths.
    top_cents: i64,
    /// Used per second, in hundredths.
    cents_per_second: i64,
    /// Seconds from one top-up to the next.
    cycle_seconds: u64,
    currency: Option<&'static str>,
}

/// The demo accounts: id, name, how each drains, and its warning and critical levels.
const ACCOUNTS: [(&str, &str, Drain, i64, i64); 3] = [
    (
        crate::account::FIRST_ID,
        "Demo",
        // 160.00 credits draining 0.70 a second: below 100 after 86 s, 50 after 158 s.
        Drain {
            top_cents: 16_000,
            cents_per_second: 70,
            cycle_seconds: 200,
            currency: None,
        },
        100,
        50,
    ),
    (
        "us",
        "Demo US",
        // 80.00 USD draining 0.15 a second: below 50 after 200 s, 20 after 400 s.
        Drain {
            top_cents: 8_000,
            cents_per_second: 15,
            cycle_seconds: 480,
            currency: Some("USD"),
        },
        50,
        20,
    ),
    (
        "za",
        "Demo ZA",
        // 2,500.00 ZAR draining 9.00 a second: below 1,000 after 167 s, 400 after 234 s.
        Drain {
            top_cents: 250_000,
            cents_per_second: 900,
            cycle_seconds: 260,
            currency: Some("ZAR"),
        },
        1000,
        400,
    ),
];

impl Drain {
    /// The balance `elapsed` after start.
    fn amount(self, elapsed: Duration) -> Decimal {
        let into_cycle = elapsed.as_millis() as i64 % (self.cycle_seconds as i64 * 1000);
        Decimal::new(
            self.top_cents - self.cents_per_second * into_cycle / 1000,
            2,
        )
    }
}

/// The first demo account's balance `elapsed` after start: 160.00 draining 0.70 a second,
/// topped up back to 160.00 every 200 s.
pub fn demo_amount(elapsed: Duration) -> Decimal {
    ACCOUNTS[0].2.amount(elapsed)
}

/// A demo account; no network, no token.
#[derive(Debug, Clone)]
pub struct DemoSource {
    started: Instant,
    drain: Drain,
}

impl DemoSource {
    /// The demo account `id` (the first one's drain for an id it does not know), its cycle
    /// starting now.
    pub fn for_account(id: &str) -> Self {
        let drain = ACCOUNTS
            .iter()
            .find(|(demo_id, ..)| *demo_id == id)
            .map_or(ACCOUNTS[0].2, |account| account.2);
        Self {
            started: Instant::now(),
            drain,
        }
    }
}

impl BalanceSource for DemoSource {
    fn fetch<'a>(&'a self, _token: &'a ApiToken) -> FetchFuture<'a> {
        let amount = self.drain.amount(self.started.elapsed());
        let currency = self.drain.currency.map(str::to_owned);
        Box::pin(async move { Ok(Balance { amount, currency }) })
    }
}

/// The demo's stand-in token: the monitor needs one, the demo source ignores it.
pub fn demo_token() -> ApiToken {
    ApiToken::parse("demo").expect("a valid token")
}

/// Settings a first demo starts with: three accounts, both levels set on each, so every alert
/// shows.
pub fn demo_settings() -> Settings {
    let accounts = ACCOUNTS
        .iter()
        .map(|(id, name, _, warning, critical)| Account {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            warning_level: Some(Decimal::from(*warning)),
            critical_level: Some(Decimal::from(*critical)),
            poll_interval_secs: DEMO_INTERVAL.as_secs().max(30),
            ..Account::default()
        })
        .collect();
    Settings {
        accounts,
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levels::Level;

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

    #[test]
    fn three_accounts_in_their_own_units_each_crossing_both_levels() {
        let settings = demo_settings();
        assert!(settings.validate().is_empty(), "{:?}", settings.validate());
        for account in &settings.accounts {
            let source = DemoSource::for_account(&account.id);
            let levels = account.thresholds();
            let seen: Vec<_> = (0..source.drain.cycle_seconds)
                .map(|s| levels.level(source.drain.amount(Duration::from_secs(s))))
                .collect();
            for level in [Level::Ok, Level::Warning, Level::Critical] {
                assert!(seen.contains(&level), "{} never {level:?}", account.name);
            }
        }
        let units: Vec<_> = ACCOUNTS.iter().map(|a| a.2.currency).collect();
        assert_eq!(units, [None, Some("USD"), Some("ZAR")]);
    }
}
