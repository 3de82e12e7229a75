//! Narrow tests of the engine with a stand-in source and clock; the end-to-end behaviour is
//! tested against a real HTTP server in `tests/watch.rs`.

use super::*;
use crate::account::Account;
use crate::clickatell::FetchFuture;
use crate::notifier::{Notification, NotifyError};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

struct CountingSource {
    calls: Arc<AtomicUsize>,
    amount: Arc<Mutex<&'static str>>,
    delay: Duration,
}

impl BalanceSource for CountingSource {
    fn fetch<'a>(&'a self, _token: &'a ApiToken) -> FetchFuture<'a> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            Ok(Balance {
                amount: Decimal::from_str(&self.amount.lock().unwrap()).unwrap(),
                currency: None,
            })
        })
    }
}

struct ManualClock(Mutex<OffsetDateTime>);

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

struct Silent;

impl Notifier for Silent {
    fn notify(&self, _: &Notification) -> Result<(), NotifyError> {
        Ok(())
    }
}

use rust_decimal::Decimal;

struct Rig {
    handle: MonitorHandle,
    calls: Arc<AtomicUsize>,
    amount: Arc<Mutex<&'static str>>,
    clock: Arc<ManualClock>,
    token: Arc<Mutex<Option<&'static str>>>,
    lookups: Arc<AtomicUsize>,
}

fn rig(interval: Duration, delay: Duration) -> Rig {
    rig_with_debounce(interval, delay, REFRESH_DEBOUNCE)
}

fn rig_with_debounce(interval: Duration, delay: Duration, debounce: Duration) -> Rig {
    let calls = Arc::new(AtomicUsize::new(0));
    let amount = Arc::new(Mutex::new("300.00"));
    let clock = Arc::new(ManualClock(Mutex::new(
        time::macros::datetime!(2026-11-28 10:00 UTC),
    )));
    let token = Arc::new(Mutex::new(Some("t")));
    let lookups = Arc::new(AtomicUsize::new(0));
    let (c, a, t, l) = (
        calls.clone(),
        amount.clone(),
        token.clone(),
        lookups.clone(),
    );
    let deps = MonitorDeps {
        make_source: Arc::new(move |_| {
            Ok(Arc::new(CountingSource {
                calls: c.clone(),
                amount: a.clone(),
                delay,
            }) as Arc<dyn BalanceSource>)
        }),
        token: Arc::new(move || {
            l.fetch_add(1, Ordering::SeqCst);
            Ok(t.lock().unwrap().map(|s| ApiToken::parse(s).unwrap()))
        }),
        notifier: Arc::new(Silent),
        history: None,
        alert_state: None,
        clock: clock.clone(),
        keyring: KeyringGate::new(),
        channels: Default::default(),
    };
    let handle = spawn_with_debounce(
        MonitorConfig {
            account: Account::default(),
            settings: Settings::default(),
            interval_override: Some(interval),
            stagger: Duration::ZERO,
        },
        deps,
        debounce,
    );
    Rig {
        handle,
        calls,
        amount,
        clock,
        token,
        lookups,
    }
}

async fn next_status(rx: &mut watch::Receiver<Snapshot>) -> Status {
    rx.changed().await.unwrap();
    let status = rx.borrow_and_update().status;
    status
}

#[tokio::test]
async fn refreshes_during_a_request_join_it() {
    // No debounce, so only the join can keep the later refreshes from making requests.
    let rig = rig_with_debounce(
        Duration::from_secs(3600),
        Duration::from_millis(400),
        Duration::ZERO,
    );
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    *rig.amount.lock().unwrap() = "250.00";
    let first = tokio::spawn({
        let handle = rig.handle.clone();
        async move { handle.refresh().await }
    });
    // The first refresh's request is in flight (it takes 400 ms) when the others arrive.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(rig.calls.load(Ordering::SeqCst), 2, "the request started");
    let (b, c) = tokio::join!(rig.handle.refresh(), rig.handle.refresh());
    let a = first.await.unwrap();
    assert_eq!(
        rig.calls.load(Ordering::SeqCst),
        2,
        "refreshes during a request made requests of their own"
    );
    for snapshot in [&a, &b, &c] {
        assert_eq!(snapshot.status, Status::Ok);
        assert_eq!(
            snapshot.balance.as_ref().unwrap().amount.to_string(),
            "250.00"
        );
        assert_eq!(snapshot.fetched_at, a.fetched_at, "not the joined reading");
    }
}

#[tokio::test]
async fn a_refresh_right_after_a_reading_is_answered_from_it() {
    let rig = rig(Duration::from_secs(3600), Duration::ZERO);
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    rig.handle.refresh().await;
    assert_eq!(
        rig.calls.load(Ordering::SeqCst),
        1,
        "a refresh within the debounce made a request"
    );
    tokio::time::sleep(REFRESH_DEBOUNCE).await;
    rig.handle.refresh().await;
    assert_eq!(rig.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn new_settings_apply_at_once() {
    let rig = rig(Duration::from_secs(3600), Duration::ZERO);
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    let account = Account {
        warning_level: Some(Decimal::from(500)),
        ..Account::default()
    };
    rig.handle
        .configure(MonitorConfig {
            account,
            settings: Settings::default(),
            interval_override: Some(Duration::from_secs(3600)),
            stagger: Duration::ZERO,
        })
        .await;
    assert_eq!(next_status(&mut rx).await, Status::Warning);
    assert_eq!(rig.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_missing_token_pauses_until_one_is_stored() {
    let rig = rig(Duration::from_millis(100), Duration::ZERO);
    *rig.token.lock().unwrap() = None;
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::TokenMissing);
    // Ten intervals pass: the paused monitor neither asks the keyring again nor polls, even
    // once a token could be found, until it is told the token changed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    *rig.amount.lock().unwrap() = "20.00";
    *rig.token.lock().unwrap() = Some("new");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        rig.lookups.load(Ordering::SeqCst),
        1,
        "the keyring was asked again while paused"
    );
    assert_eq!(
        rig.calls.load(Ordering::SeqCst),
        0,
        "a request was made while paused"
    );
    rig.handle.token_changed().await;
    assert_eq!(next_status(&mut rx).await, Status::Warning);
    assert_eq!(rig.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_wall_clock_jump_after_sleep_polls_within_a_minute() {
    let rig = rig(Duration::from_secs(300), Duration::ZERO);
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    // Two minutes of monotonic time: not due yet, no request.
    for _ in 0..2 {
        *rig.clock.0.lock().unwrap() += time::Duration::seconds(61);
        tokio::time::sleep(Duration::from_secs(61)).await;
    }
    assert_eq!(rig.calls.load(Ordering::SeqCst), 1);
    // The machine slept for an hour: the wall clock jumps, the monotonic clock did not run.
    *rig.clock.0.lock().unwrap() += time::Duration::hours(1);
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    assert_eq!(rig.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn every_attempt_is_stamped_and_each_failure_counted_by_kind() {
    let rig = rig(Duration::from_secs(3600), Duration::ZERO);
    *rig.token.lock().unwrap() = None;
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::TokenMissing);
    let first = rx.borrow().clone();
    let start = rig.clock.now();
    assert_eq!(first.attempted_at, Some(start));
    assert_eq!(first.fetched_at, None);
    assert_eq!(first.failures, BTreeMap::from([(Status::TokenMissing, 1)]));

    *rig.clock.0.lock().unwrap() += time::Duration::seconds(90);
    *rig.token.lock().unwrap() = Some("new");
    rig.handle.token_changed().await;
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    let second = rx.borrow().clone();
    let later = start + time::Duration::seconds(90);
    assert_eq!(second.attempted_at, Some(later));
    assert_eq!(second.fetched_at, Some(later));
    assert_eq!(
        second.failures, first.failures,
        "a success counts as no failure"
    );
}

#[tokio::test]
async fn the_token_is_looked_up_once_for_many_polls_and_again_when_it_changes() {
    let rig = rig(Duration::from_millis(50), Duration::ZERO);
    let mut rx = rig.handle.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    while rig.calls.load(Ordering::SeqCst) < 6 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        *rig.clock.0.lock().unwrap() += time::Duration::milliseconds(100);
    }
    assert_eq!(
        rig.lookups.load(Ordering::SeqCst),
        1,
        "a poll asked the keyring"
    );
    rig.handle.token_changed().await;
    let polled = rig.calls.load(Ordering::SeqCst);
    while rig.calls.load(Ordering::SeqCst) < polled + 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        *rig.clock.0.lock().unwrap() += time::Duration::milliseconds(100);
    }
    assert_eq!(
        rig.lookups.load(Ordering::SeqCst),
        2,
        "a new token was not looked up"
    );
}

/// A monitor whose token lookup finds the keyring locked until `unlocked` is set, counting
/// lookups that reached the keyring, through the gate the run shares.
fn locked_rig(
    gate: Arc<KeyringGate>,
    unlocked: Arc<std::sync::atomic::AtomicBool>,
    asked: Arc<AtomicUsize>,
) -> MonitorHandle {
    let lookup_gate = gate.clone();
    let deps = MonitorDeps {
        make_source: Arc::new(|_| {
            Ok(Arc::new(CountingSource {
                calls: Arc::new(AtomicUsize::new(0)),
                amount: Arc::new(Mutex::new("300.00")),
                delay: Duration::ZERO,
            }) as Arc<dyn BalanceSource>)
        }),
        // As the run's lookup does: the closed gate answers for the keyring, and the first
        // "locked" closes it.
        token: Arc::new(move || {
            if lookup_gate.is_closed() {
                return Err(TokenStoreError::Locked {
                    detail: "gate".into(),
                });
            }
            asked.fetch_add(1, Ordering::SeqCst);
            if unlocked.load(Ordering::SeqCst) {
                Ok(Some(ApiToken::parse("t").unwrap()))
            } else {
                lookup_gate.close();
                Err(TokenStoreError::Locked {
                    detail: "locked".into(),
                })
            }
        }),
        notifier: Arc::new(Silent),
        history: None,
        alert_state: None,
        clock: Arc::new(SystemClock),
        keyring: gate,
        channels: Default::default(),
    };
    spawn(
        MonitorConfig {
            account: Account::default(),
            settings: Settings::default(),
            interval_override: Some(Duration::from_millis(50)),
            stagger: Duration::ZERO,
        },
        deps,
    )
}

#[tokio::test]
async fn a_locked_keyring_is_asked_once_for_every_account_and_read_when_it_opens() {
    use std::sync::atomic::AtomicBool;
    // No Secret Service to watch in unit tests: the test opens the gate as it would.
    let gate = KeyringGate::unwatched();
    let unlocked = Arc::new(AtomicBool::new(false));
    let asked = Arc::new(AtomicUsize::new(0));
    // The gate closes as the real lookup closes it, on the first "locked".
    let first = locked_rig(gate.clone(), unlocked.clone(), asked.clone());
    let mut rx = first.subscribe();
    assert_eq!(next_status(&mut rx).await, Status::KeyringLocked);
    let others: Vec<MonitorHandle> = (0..2)
        .map(|_| locked_rig(gate.clone(), unlocked.clone(), asked.clone()))
        .collect();
    for other in &others {
        let mut rx = other.subscribe();
        assert_eq!(next_status(&mut rx).await, Status::KeyringLocked);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "the locked keyring was asked again"
    );
    assert!(
        rx.borrow().next_poll_at.is_none(),
        "waits for the keyring, not the clock"
    );
    unlocked.store(true, Ordering::SeqCst);
    gate.open();
    assert_eq!(next_status(&mut rx).await, Status::Ok);
    for other in &others {
        let mut rx = other.subscribe();
        let read = rx.wait_for(|s| s.status == Status::Ok);
        tokio::time::timeout(Duration::from_secs(2), read)
            .await
            .unwrap()
            .unwrap();
    }
}
