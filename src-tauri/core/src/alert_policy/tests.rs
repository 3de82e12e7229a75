use super::*;
use std::str::FromStr;
use time::macros::datetime;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn policy() -> AlertPolicy {
    AlertPolicy {
        thresholds: Thresholds {
            warning: Some(d("100")),
            critical: Some(d("50")),
        },
        reminder: None,
        blind_after: Duration::from_secs(3600),
        top_up_notice: false,
        forecast_days: Some(3),
    }
}

/// Feeds balances one minute apart and returns, per reading, the alert kinds in short form.
fn run(policy: &AlertPolicy, state: &mut AlertState, balances: &[&str]) -> Vec<Vec<String>> {
    let start = datetime!(2026-11-28 10:00 UTC);
    balances
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let at = start + time::Duration::minutes(i as i64);
            policy
                .on_balance(state, d(b), at, None)
                .into_iter()
                .map(|a| match a {
                    Alert::Low {
                        level,
                        reminder: false,
                        ..
                    } => format!("low:{level:?}"),
                    Alert::Low {
                        level,
                        reminder: true,
                        ..
                    } => format!("remind:{level:?}"),
                    Alert::TopUp { from, to } => format!("topup:{from}->{to}"),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn crossings_escalation_and_rearm_table() {
    let table: &[(&[&str], &[&[&str]])] = &[
        // The scenario: warning, critical, then warning again after the top-up.
        (
            &["150", "90", "40", "35", "500", "80"],
            &[
                &[],
                &["low:Warning"],
                &["low:Critical"],
                &[],
                &[],
                &["low:Warning"],
            ],
        ),
        // Below at the very first reading.
        (&["40"], &[&["low:Critical"]]),
        (
            &["99.99", "100", "99"],
            &[&["low:Warning"], &[], &["low:Warning"]],
        ),
        // Staying below, wobbling: no repeats.
        (
            &["90", "95", "90", "99", "80"],
            &[&["low:Warning"], &[], &[], &[], &[]],
        ),
        // A partial top-up out of critical re-arms critical only.
        (
            &["40", "70", "45", "60", "120"],
            &[&["low:Critical"], &[], &["low:Critical"], &[], &[]],
        ),
        // Straight from ok to critical: one notification, the worst.
        (&["500", "10", "60"], &[&[], &["low:Critical"], &[]]),
    ];
    for (balances, want) in table {
        let mut state = AlertState::default();
        let got = run(&policy(), &mut state, balances);
        let want: Vec<Vec<String>> = want
            .iter()
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(got, want, "{balances:?}");
    }
}

#[test]
fn a_restart_with_saved_state_does_not_repeat() {
    let mut state = AlertState::default();
    run(&policy(), &mut state, &["90"]);
    let saved = serde_json::to_string(&state).unwrap();
    let mut restored: AlertState = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, state);
    assert_eq!(
        run(&policy(), &mut restored, &["90", "85"]),
        vec![Vec::<String>::new(), vec![]]
    );
}

#[test]
fn reminders_repeat_only_at_their_interval() {
    let p = AlertPolicy {
        reminder: Some(Duration::from_secs(2 * 60)),
        ..policy()
    };
    let mut state = AlertState::default();
    let got = run(&p, &mut state, &["90", "90", "90", "90", "90", "120", "90"]);
    assert_eq!(
        got,
        [
            vec!["low:Warning"],
            vec![],
            vec!["remind:Warning"],
            vec![],
            vec!["remind:Warning"],
            vec![],
            vec!["low:Warning"]
        ]
    );
}

#[test]
fn top_up_notice_when_enabled() {
    let p = AlertPolicy {
        top_up_notice: true,
        ..policy()
    };
    let mut state = AlertState::default();
    let got = run(&p, &mut state, &["120.00", "110.00", "1120.00"]);
    assert_eq!(got, [vec![], vec![], vec!["topup:110.00->1120.00"]]);
    let n = Alert::TopUp {
        from: d("120.00"),
        to: d("1120.00"),
    }
    .notification("credits");
    assert_eq!(n.body, "Balance topped up: 120.00 → 1,120.00 credits.");
}

#[test]
fn token_rejection_is_said_once_and_recovery_once() {
    let p = policy();
    let mut state = AlertState::default();
    let at = datetime!(2026-11-28 10:00 UTC);
    assert_eq!(p.on_token_rejected(&mut state, "bad").len(), 1);
    assert!(p.on_token_rejected(&mut state, "bad").is_empty());
    assert!(
        p.on_failure(&mut state, at + time::Duration::hours(5), at, "x")
            .is_empty(),
        "no blind alert on top of a token alert"
    );
    assert_eq!(
        p.on_balance(&mut state, d("500"), at, None),
        vec![Alert::TokenAccepted]
    );
    assert!(p.on_balance(&mut state, d("500"), at, None).is_empty());
}

#[test]
fn a_blind_monitor_says_so_once() {
    let p = policy();
    let mut state = AlertState::default();
    let start = datetime!(2026-11-28 10:00 UTC);
    assert!(p
        .on_failure(
            &mut state,
            start + time::Duration::minutes(59),
            start,
            "offline"
        )
        .is_empty());
    let alerts = p.on_failure(
        &mut state,
        start + time::Duration::minutes(61),
        start,
        "offline",
    );
    assert!(matches!(&alerts[..], [Alert::Blind { minutes: 61, .. }]));
    assert!(p
        .on_failure(
            &mut state,
            start + time::Duration::minutes(200),
            start,
            "offline"
        )
        .is_empty());
    p.on_balance(&mut state, d("500"), start, None);
    assert!(!state.blind, "a success re-arms the blind alert");
}

#[test]
fn forecast_alert_once_until_topped_up() {
    let p = policy();
    let mut state = AlertState::default();
    let at = datetime!(2026-11-28 10:00 UTC);
    let soon = Forecast::for_test(Some(2.5));
    let far = Forecast::for_test(Some(10.0));
    assert_eq!(
        p.on_balance(&mut state, d("200"), at, Some(&soon)),
        vec![Alert::RunningOut {
            days: 3,
            threshold: d("100")
        }]
    );
    assert!(p
        .on_balance(&mut state, d("190"), at, Some(&soon))
        .is_empty());
    assert!(p
        .on_balance(&mut state, d("900"), at, Some(&far))
        .is_empty());
    assert_eq!(p.on_balance(&mut state, d("850"), at, Some(&soon)).len(), 1);
}

#[test]
fn notification_texts() {
    let n = Alert::Low {
        level: Level::Warning,
        amount: d("80.00"),
        threshold: d("100"),
        reminder: false,
    }
    .notification("credits");
    assert_eq!(n.summary, "Clickatell balance low");
    assert_eq!(
        n.body,
        "80.00 credits left, below your warning level of 100.00."
    );
    assert_eq!(n.urgency, Urgency::Normal);
    let n = Alert::Low {
        level: Level::Critical,
        amount: d("40"),
        threshold: d("50"),
        reminder: false,
    }
    .notification("ZAR");
    assert_eq!(n.body, "40 ZAR left, below your critical level of 50.");
    assert_eq!(n.urgency, Urgency::Critical);
}
