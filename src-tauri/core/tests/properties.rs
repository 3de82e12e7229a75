//! Properties that must hold for every input, not just the examples in the unit tests: the
//! parsers keep any balance exactly and never panic on any bytes, formatting round-trips, and
//! the alert policy says exactly one thing per crossing of a level, whatever happens between.

use clickatell_core::alert_policy::{Alert, AlertPolicy, AlertState};
use clickatell_core::balance::{group_thousands, with_scale_of};
use clickatell_core::clickatell::{interpret, parse_exact, RawResponse};
use clickatell_core::levels::{Level, Thresholds};
use clickatell_core::{Api, Decimal, Format};
use proptest::prelude::*;
use std::time::SystemTime;

/// Decimals as the API might send them: any sign, up to 96-bit mantissas, up to 10 places.
fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..=10).prop_map(|(m, s)| Decimal::new(m, s)),
        (any::<i128>(), 0u32..=10)
            .prop_map(|(m, s)| { Decimal::from_i128_with_scale(m % (1i128 << 95), s) }),
    ]
}

fn answer(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> RawResponse {
    RawResponse {
        status,
        content_type: Some(content_type.into()),
        retry_after: None,
        location: None,
        body: body.into(),
        via_proxy: None,
    }
}

fn read(
    api: Api,
    format: Format,
    response: &RawResponse,
) -> Result<(Decimal, Option<String>), String> {
    let url = url::Url::parse("https://platform.clickatell.com/v1/balance").unwrap();
    interpret(api, format, &url, response, SystemTime::now())
        .map(|b| (b.amount, b.currency))
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn legacy_json_keeps_every_balance_exactly(d in decimal()) {
        let body = format!(r#"{{"data":{{"balance":"{d}"}}}}"#);
        let (amount, _) = read(Api::Rest, Format::Json, &answer(200, "application/json", body)).unwrap();
        prop_assert_eq!(amount.to_string(), d.to_string());
    }

    #[test]
    fn legacy_xml_keeps_every_balance_exactly(d in decimal()) {
        let body = format!("<?xml version=\"1.0\"?><response><data><balance>{d}</balance></data></response>");
        let (amount, _) = read(Api::Rest, Format::Xml, &answer(200, "application/xml", body)).unwrap();
        prop_assert_eq!(amount.to_string(), d.to_string());
    }

    #[test]
    fn one_api_keeps_every_number_exactly(d in decimal(), currency in "[A-Z]{3}") {
        let body = format!(r#"{{"balance": {d}, "currency": "{currency}"}}"#);
        let (amount, got) = read(Api::OneApi, Format::Json, &answer(200, "application/json", body)).unwrap();
        prop_assert_eq!(amount.to_string(), d.to_string());
        prop_assert_eq!(got, Some(currency));
    }

    #[test]
    fn scientific_notation_is_the_same_number(m in any::<i64>(), e in 0u32..=10) {
        let text = format!("{m}e-{e}");
        prop_assert_eq!(parse_exact(&text).unwrap(), Decimal::new(m, e));
    }

    #[test]
    fn no_bytes_make_a_parser_panic(
        status in prop_oneof![Just(200u16), Just(401), Just(429), Just(503), 100u16..600],
        content_type in prop_oneof![
            Just("application/json".to_owned()),
            Just("application/xml".to_owned()),
            Just("text/html".to_owned()),
            ".{0,20}",
        ],
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            // Near misses of real answers, which reach deeper into the parsers.
            r#"\{"(data|error|balance|errorCode)":(\{"(balance|code|description)":("[0-9.e-]{0,12}"|[0-9.e-]{1,12}|null|\[\]|\{\})\}|[0-9.]{1,8}|"x")\}"#
                .prop_map(String::into_bytes),
            "<response><(data|error)><(balance|code|description)>[0-9.a-z<>/&;]{0,16}</(balance|code|description)></(data|error)></response>"
                .prop_map(String::into_bytes),
        ],
    ) {
        for (api, format) in [(Api::Rest, Format::Json), (Api::Rest, Format::Xml), (Api::OneApi, Format::Json)] {
            let _ = read(api, format, &answer(status, &content_type, body.clone()));
        }
    }

    #[test]
    fn thousands_grouping_round_trips(d in decimal()) {
        let grouped = group_thousands(d);
        prop_assert_eq!(grouped.replace(',', ""), d.to_string());
        let int = grouped.trim_start_matches('-').split('.').next().unwrap();
        let groups: Vec<&str> = int.split(',').collect();
        prop_assert!(groups[0].len() <= 3 && !groups[0].is_empty());
        prop_assert!(groups[1..].iter().all(|g| g.len() == 3), "{}", grouped);
    }

    #[test]
    fn padding_a_level_keeps_its_value(d in decimal(), scale in 0u32..=10) {
        let padded = with_scale_of(d, scale);
        prop_assert_eq!(padded, d);
        // The places are added when a decimal's 96-bit mantissa can hold them.
        let room = d
            .mantissa()
            .checked_mul(10i128.pow(scale.saturating_sub(d.scale())))
            .is_some_and(|m| m.abs() < 1i128 << 96);
        if room {
            prop_assert!(padded.scale() >= scale, "{} padded to {} places is {}", d, scale, padded);
        }
    }
}

/// One thing the monitor can tell the policy.
#[derive(Debug, Clone)]
enum Event {
    Reading(Decimal),
    Failure,
    TokenRejected,
    /// The app restarts: the alert state is saved and read back.
    Restart,
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        6 => (0i64..30_000).prop_map(|c| Event::Reading(Decimal::new(c, 2))),
        1 => Just(Event::Failure),
        1 => Just(Event::TokenRejected),
        1 => Just(Event::Restart),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// A model of "one notification per crossing": a level is armed at first and by any
    /// reading at or above it; a reading below it fires once and disarms it. Falling below
    /// critical also disarms the warning, which the critical alert covers. And of "no reading
    /// for too long": said once when failures have lasted `blind_after` since the last
    /// success, unless the token was rejected (which was said instead), and again only after
    /// a reading.
    #[test]
    fn one_notification_per_crossing_whatever_the_sequence(
        events in proptest::collection::vec(event(), 1..120),
        warning in 50i64..200,
        gap in 0i64..100,
        minutes_between in 1i64..30,
        blind_minutes in 1u64..240,
        top_up_notice in any::<bool>(),
    ) {
        let warning = Decimal::from(warning);
        let critical = warning - Decimal::from(gap);
        let policy = AlertPolicy {
            thresholds: Thresholds { warning: Some(warning), critical: Some(critical) },
            reminder: None,
            blind_after: std::time::Duration::from_secs(blind_minutes * 60),
            top_up_notice,
            forecast_days: None,
        };
        let mut state = AlertState::default();
        let mut now = time::macros::datetime!(2026-11-28 10:00 UTC);
        let mut last_success = now;
        let (mut warning_armed, mut critical_armed) = (true, true);
        let mut blind_said = false;
        let mut token_rejected = false;
        for event in events {
            now += time::Duration::minutes(minutes_between);
            match event {
                Event::Reading(amount) => {
                    let alerts = policy.on_balance(&mut state, amount, now, None);
                    last_success = now;
                    blind_said = false;
                    token_rejected = false;
                    let lows: Vec<Level> = alerts.iter().filter_map(|a| match a {
                        Alert::Low { level, reminder: false, .. } => Some(*level),
                        _ => None,
                    }).collect();
                    let expected: Vec<Level> = if amount < critical {
                        let fire = critical_armed;
                        critical_armed = false;
                        warning_armed = false;
                        if fire { vec![Level::Critical] } else { vec![] }
                    } else if amount < warning {
                        critical_armed = true;
                        let fire = warning_armed;
                        warning_armed = false;
                        if fire { vec![Level::Warning] } else { vec![] }
                    } else {
                        critical_armed = true;
                        warning_armed = true;
                        vec![]
                    };
                    prop_assert_eq!(lows, expected, "reading {} at {}", amount, now);
                }
                Event::Failure => {
                    let alerts = policy.on_failure(&mut state, now, last_success, "offline");
                    let blind: Vec<u64> = alerts.iter().filter_map(|a| match a {
                        Alert::Blind { minutes, .. } => Some(*minutes),
                        _ => None,
                    }).collect();
                    let blind_for = now - last_success;
                    let due = blind_for >= time::Duration::minutes(blind_minutes as i64);
                    let expected: Vec<u64> = if due && !blind_said && !token_rejected {
                        blind_said = true;
                        vec![blind_for.whole_minutes() as u64]
                    } else {
                        vec![]
                    };
                    prop_assert_eq!(
                        blind, expected,
                        "failure {} min after the last success (blind after {} min, said {}, token rejected {})",
                        blind_for.whole_minutes(), blind_minutes, blind_said, token_rejected
                    );
                    prop_assert!(alerts.iter().all(|a| !matches!(a, Alert::Low { .. })), "a low-balance alert without a reading");
                }
                Event::TokenRejected => {
                    let alerts = policy.on_token_rejected(&mut state, "rejected");
                    token_rejected = true;
                    prop_assert!(alerts.iter().all(|a| !matches!(a, Alert::Low { .. })), "a low-balance alert without a reading");
                }
                Event::Restart => {
                    let saved = serde_json::to_string(&state).unwrap();
                    state = serde_json::from_str(&saved).unwrap();
                }
            }
        }
    }
}
