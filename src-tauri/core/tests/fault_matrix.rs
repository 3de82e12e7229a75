//! The fault matrix: the monitor, with the real HTTP client, against a loopback Clickatell that
//! fails in every way we know of. For each fault it checks the status, the sentence shown to the
//! user, when it will try again, that nothing crashed and that the token appears nowhere, and
//! prints the whole matrix as a table (`cargo test --test fault_matrix -- --nocapture`).

mod support;

use clickatell_core::account::Account;
use clickatell_core::remedy::Remedy;
use clickatell_core::snapshot::{Snapshot, Status};
use clickatell_core::{Api, Decimal, Format, Settings};
use std::time::{Duration, SystemTime};
use support::clickatell::{Act, FakeClickatell, Reply};
use support::network_faults::{ClosedPort, SelfSignedTls, Unanswered};

const TOKEN: &str = "tok_MATRIX-5e6f7a8b9c";
const INTERVAL_SECS: i64 = 300;

/// When the monitor will try again.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Retry {
    /// At the next regular poll.
    Interval,
    /// Sooner, backing off from about 30 s.
    Backoff,
    /// No sooner than the server's Retry-After, in seconds.
    NotBefore(i64),
    /// Not until the user changes the token or settings.
    Paused,
}

impl Retry {
    fn of(snapshot: &Snapshot) -> String {
        match snapshot.next_poll_at {
            None => "paused".into(),
            Some(at) => {
                let secs = (at - time::OffsetDateTime::now_utc()).whole_seconds();
                if secs >= INTERVAL_SECS - 10 {
                    "interval".into()
                } else {
                    format!("in {secs} s")
                }
            }
        }
    }

    fn matches(self, snapshot: &Snapshot) -> bool {
        let secs = snapshot
            .next_poll_at
            .map(|at| (at - time::OffsetDateTime::now_utc()).whole_seconds());
        match (self, secs) {
            (Self::Paused, None) => true,
            (Self::Interval, Some(s)) => (INTERVAL_SECS - 10..=INTERVAL_SECS).contains(&s),
            // 30 s ± 20 % jitter.
            (Self::Backoff, Some(s)) => (22..=37).contains(&s),
            (Self::NotBefore(min), Some(s)) => s >= min - 2 && s <= INTERVAL_SECS,
            _ => false,
        }
    }
}

struct Row {
    fault: String,
    api: Api,
    format: Format,
    base_url: String,
    status: Status,
    phrases: Vec<&'static str>,
    /// What the user can do, as the snapshot names it for the edges to word.
    remedy: Option<Remedy>,
    retry: Retry,
    /// The proxy setting the row runs with (`none` unless it is about a proxy, so the
    /// machine's own proxy variables never change a row).
    proxy: String,
    /// Keeps the server (or the unanswering listener) alive while the row runs.
    _server: Option<Box<dyn std::any::Any>>,
}

fn row(fault: impl Into<String>, server: FakeClickatell, status: Status, retry: Retry) -> Row {
    Row {
        fault: fault.into(),
        api: Api::Rest,
        format: Format::Json,
        base_url: server.url(),
        status,
        phrases: Vec::new(),
        remedy: None,
        retry,
        proxy: "none".into(),
        _server: Some(Box::new(server)),
    }
}

impl Row {
    fn api(mut self, api: Api) -> Self {
        self.api = api;
        self
    }
    fn xml(mut self) -> Self {
        self.format = Format::Xml;
        self
    }
    fn says(mut self, phrases: &[&'static str]) -> Self {
        self.phrases.extend_from_slice(phrases);
        self
    }
    fn remedy(mut self, remedy: Remedy) -> Self {
        self.remedy = Some(remedy);
        self
    }
    /// The row's request goes through `proxy` to Clickatell's own address (never resolved
    /// here: the proxy is asked to connect, and answers itself).
    fn through(mut self, proxy: String) -> Self {
        self.proxy = proxy;
        self.base_url = "https://api.clickatell.com".into();
        self
    }
}

fn rest_error_json(code: &str, description: &str) -> String {
    format!(
        r#"{{"error":{{"code":"{code}","description":"{description}","documentation":"http://www.clickatell.com/help/apidocs/error/{code}.htm"}}}}"#
    )
}

fn rest_error_xml(code: &str, description: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><response><error><code>{code}</code>\
         <description>{description}</description></error></response>"
    )
}

fn json_balance(balance: &str) -> Reply {
    Reply::json(200, &format!(r#"{{"data":{{"balance":"{balance}"}}}}"#))
}

/// What each documented status means when its body says nothing more.
fn bare_status(status: u16) -> (Status, Retry, &'static str) {
    match status {
        401 => (Status::TokenRejected, Retry::Paused, "token"),
        429 => (Status::RateLimited, Retry::Backoff, "HTTP 429"),
        500 | 503 => (Status::Error, Retry::Backoff, "HTTP 5"),
        _ => (Status::Error, Retry::Interval, "HTTP 4"),
    }
}

fn documented_status_rows(rows: &mut Vec<Row>) {
    // (status, legacy code, description, expected status, retry, phrase)
    let coded = [
        (
            400,
            "101",
            "Invalid or missing parameters",
            Status::Error,
            Retry::Interval,
            "code 101",
        ),
        (
            401,
            "001",
            "Authentication failed",
            Status::TokenRejected,
            Retry::Paused,
            "token",
        ),
        (
            401,
            "007",
            "IP lockdown violation",
            Status::Error,
            Retry::Paused,
            "IP",
        ),
        (
            401,
            "004",
            "Account frozen",
            Status::Error,
            Retry::Paused,
            "frozen",
        ),
        (
            402,
            "301",
            "No credit left",
            Status::Error,
            Retry::Interval,
            "credit",
        ),
        (
            500,
            "901",
            "Internal error",
            Status::Error,
            Retry::Backoff,
            "code 901",
        ),
        (
            503,
            "901",
            "Internal error, please retry",
            Status::Error,
            Retry::Backoff,
            "code 901",
        ),
    ];
    for (status, code, description, expected, retry, phrase) in coded {
        let body = rest_error_json(code, description);
        rows.push(
            row(
                format!("{status} + JSON error {code}"),
                FakeClickatell::always(Reply::json(status, &body)),
                expected,
                retry,
            )
            .says(&[phrase]),
        );
        let body = rest_error_xml(code, description);
        rows.push(
            row(
                format!("{status} + XML error {code}"),
                FakeClickatell::always(Reply::xml(status, &body)),
                expected,
                retry,
            )
            .xml()
            .says(&[phrase]),
        );
    }
    for status in [400, 401, 402, 404, 405, 410, 429, 500, 503] {
        let (expected, retry, phrase) = bare_status(status);
        rows.push(
            row(
                format!("{status}, no body"),
                FakeClickatell::always(Reply::new(status, "text/plain", "")),
                expected,
                retry,
            )
            .says(&[phrase]),
        );
        rows.push(
            row(
                format!("{status}, HTML body"),
                FakeClickatell::always(Reply::new(status, "text/html", "<h1>Error</h1>")),
                expected,
                retry,
            )
            .xml()
            .says(&[phrase]),
        );
    }
    for status in [202, 207] {
        rows.push(row(
            format!("{status} with a balance"),
            FakeClickatell::always(Reply::json(status, r#"{"data":{"balance":"300.50"}}"#)),
            Status::Ok,
            Retry::Interval,
        ));
    }
    // The One API's documented codes; its error body shape is not documented, so both shapes.
    let one_api = [
        (401, 1, Status::TokenRejected, Retry::Paused, "token"),
        (400, 2, Status::Error, Retry::Paused, "not active"),
        (401, 7, Status::Error, Retry::Paused, "IP"),
        (500, 18, Status::Error, Retry::Backoff, "HTTP 500"),
        (503, 19, Status::Error, Retry::Backoff, "HTTP 503"),
        (402, 20, Status::Error, Retry::Interval, "credit"),
        (400, 43, Status::RateLimited, Retry::Backoff, "HTTP 400"),
        (400, 46, Status::Error, Retry::Paused, "demo"),
    ];
    for (status, code, expected, retry, phrase) in one_api {
        let nested = format!(r#"{{"error":{{"code":{code},"description":"error {code}"}}}}"#);
        rows.push(
            row(
                format!("One API {status} + error {code}"),
                FakeClickatell::always(Reply::json(status, &nested)),
                expected,
                retry,
            )
            .api(Api::OneApi)
            .says(&[phrase]),
        );
        let flat = format!(r#"{{"errorCode":{code},"errorDescription":"error {code}"}}"#);
        rows.push(
            row(
                format!("One API {status} + errorCode {code}"),
                FakeClickatell::always(Reply::json(status, &flat)),
                expected,
                retry,
            )
            .api(Api::OneApi)
            .says(&[phrase]),
        );
    }
    for status in [401, 402, 429, 503] {
        let (expected, retry, phrase) = bare_status(status);
        rows.push(
            row(
                format!("One API {status}, no body"),
                FakeClickatell::always(Reply::new(status, "text/plain", "")),
                expected,
                retry,
            )
            .api(Api::OneApi)
            .says(&[phrase]),
        );
    }
}

fn retry_after_rows(rows: &mut Vec<Row>) {
    rows.push(
        row(
            "429 + Retry-After: 120",
            FakeClickatell::always(Reply::json(429, "{}").header("Retry-After", "120")),
            Status::RateLimited,
            Retry::NotBefore(120),
        )
        .says(&["HTTP 429"]),
    );
    // The date is written when the request arrives, as a server does, not when the row is made.
    let in_200_s = || httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(200));
    rows.push(
        row(
            "503 + Retry-After: <date in 200 s>",
            FakeClickatell::by_number(move |_| {
                Reply::json(503, "{}").header("Retry-After", &in_200_s())
            }),
            Status::Error,
            Retry::NotBefore(200),
        )
        .says(&["HTTP 503"]),
    );
    rows.push(
        row(
            "429 + Retry-After: garbage",
            FakeClickatell::always(Reply::json(429, "{}").header("Retry-After", "soon")),
            Status::RateLimited,
            Retry::Backoff,
        )
        .says(&["HTTP 429"]),
    );
}

fn transport_rows(rows: &mut Vec<Row>) {
    let closed = ClosedPort::new();
    let mut refused = row(
        "connection refused",
        FakeClickatell::always(Reply::fault(Act::CloseWithoutReply)),
        Status::Offline,
        Retry::Backoff,
    )
    .says(&["Cannot reach Clickatell", "refused"]);
    refused.base_url = format!("http://{}", closed.addr);
    refused._server = Some(Box::new(closed));
    rows.push(refused);

    // A label longer than DNS allows is refused before any lookup. A real lookup failure (in
    // a network namespace with no network) is tested end to end in tests/balance.rs.
    let mut unresolvable = row(
        "impossible host name (label > 63 bytes)",
        FakeClickatell::always(Reply::fault(Act::CloseWithoutReply)),
        Status::Offline,
        Retry::Backoff,
    )
    .says(&["Cannot reach Clickatell", "dns"]);
    unresolvable.base_url = format!("https://{}.invalid", "a".repeat(70));
    rows.push(unresolvable);

    let tls = SelfSignedTls::start();
    rows.push(Row {
        fault: "TLS: self-signed certificate".into(),
        api: Api::Rest,
        format: Format::Json,
        base_url: format!("https://127.0.0.1:{}", tls.port),
        status: Status::Error,
        phrases: vec!["self-signed certificate (\"127.0.0.1\")", "does not trust"],
        remedy: Some(Remedy::CaFile),
        retry: Retry::Backoff,
        proxy: "none".into(),
        _server: Some(Box::new(tls)),
    });

    let inspected = SelfSignedTls::signed_by_untrusted_ca("Example Corp TLS Inspection CA");
    rows.push(Row {
        fault: "TLS: signed by an untrusted CA".into(),
        api: Api::Rest,
        format: Format::Json,
        base_url: format!("https://127.0.0.1:{}", inspected.port),
        status: Status::Error,
        phrases: vec![
            "is signed by \"Example Corp TLS Inspection CA\", which this machine does not trust",
            "update-ca-certificates",
        ],
        remedy: Some(Remedy::CaFile),
        retry: Retry::Backoff,
        proxy: "none".into(),
        _server: Some(Box::new(inspected)),
    });

    let unanswered = Unanswered::new();
    rows.push(Row {
        fault: "connect timeout (no answer to SYN)".into(),
        api: Api::Rest,
        format: Format::Json,
        base_url: format!("http://{}", unanswered.addr),
        status: Status::Offline,
        phrases: vec!["did not answer within 1 s"],
        remedy: None,
        retry: Retry::Backoff,
        proxy: "none".into(),
        _server: Some(Box::new(unanswered)),
    });
    rows.push(
        row(
            "header timeout (request read, no answer)",
            FakeClickatell::always(Reply::fault(Act::Silent)),
            Status::Offline,
            Retry::Backoff,
        )
        .says(&["did not answer within 1 s"]),
    );
    rows.push(
        row(
            "body timeout (trickling body)",
            FakeClickatell::always(Reply::fault(Act::Trickle {
                every: Duration::from_millis(200),
            })),
            Status::Offline,
            Retry::Backoff,
        )
        .says(&["did not answer within 1 s"]),
    );
    rows.push(
        row(
            "reset in the middle of the body",
            FakeClickatell::always(Reply::fault(Act::ResetMidBody)),
            Status::Offline,
            Retry::Backoff,
        )
        .says(&["connection"]),
    );
    rows.push(
        row(
            "connection closed, no answer",
            FakeClickatell::always(Reply::fault(Act::CloseWithoutReply)),
            Status::Offline,
            Retry::Backoff,
        )
        .says(&["connection"]),
    );
}

fn body_rows(rows: &mut Vec<Row>) {
    let cases: [(&str, Reply, Status, &[&'static str]); 10] = [
        (
            "200, empty body",
            Reply::json(200, ""),
            Status::Error,
            &["could not be read"],
        ),
        (
            "200, 100 kB body",
            Reply::json(
                200,
                &format!(
                    r#"{{"data":{{"balance":"1","pad":"{}"}}}}"#,
                    "x".repeat(100_000)
                ),
            ),
            Status::Error,
            &["larger than 65536 bytes"],
        ),
        (
            "200, wrong content type",
            Reply::new(200, "text/html", "<html>login</html>"),
            Status::Error,
            &["content type \"text/html\""],
        ),
        (
            "200, malformed JSON",
            Reply::json(200, r#"{"data":{"bal"#),
            Status::Error,
            &["could not be read"],
        ),
        (
            "200, JSON without a balance",
            Reply::json(200, r#"{"data":{}}"#),
            Status::Error,
            &["balance"],
        ),
        (
            "200, balance \"abc\"",
            json_balance("abc"),
            Status::Error,
            &["\"abc\" is not a number"],
        ),
        (
            "200, balance 1e40",
            Reply::json(200, r#"{"data":{"balance":1e40}}"#),
            Status::Error,
            &["too large"],
        ),
        (
            "200, balance with 30 decimals",
            json_balance("0.123456789012345678901234567890"),
            Status::Error,
            &["too precise"],
        ),
        (
            "200, balance as an object",
            Reply::json(200, r#"{"data":{"balance":{"v":1}}}"#),
            Status::Error,
            &["balance"],
        ),
        (
            "200, negative balance -5.00",
            json_balance("-5.00"),
            Status::Critical,
            &[],
        ),
    ];
    for (name, fault, status, phrases) in cases {
        let retry = Retry::Interval;
        rows.push(row(name, FakeClickatell::always(fault), status, retry).says(phrases));
    }
    rows.push(
        row(
            "200, malformed XML",
            FakeClickatell::always(Reply::xml(200, "<response><data><balance>3")),
            Status::Error,
            Retry::Interval,
        )
        .xml()
        .says(&["could not be read"]),
    );
    rows.push(
        row(
            "200, XML without a balance",
            FakeClickatell::always(Reply::xml(200, "<response><data/></response>")),
            Status::Error,
            Retry::Interval,
        )
        .xml()
        .says(&["balance"]),
    );
    rows.push(
        row(
            "One API 200, balance as a string \"x\"",
            FakeClickatell::always(Reply::json(200, r#"{"balance":"x","currency":"ZAR"}"#)),
            Status::Error,
            Retry::Interval,
        )
        .api(Api::OneApi)
        .says(&["balance"]),
    );
    rows.push(
        row(
            "401 echoing the token back",
            FakeClickatell::always(Reply::json(
                401,
                &rest_error_json("001", &format!("Authentication failed for {TOKEN}")),
            )),
            Status::TokenRejected,
            Retry::Paused,
        )
        .says(&["<redacted>"]),
    );
}

fn redirect_row(rows: &mut Vec<Row>, elsewhere: &FakeClickatell) {
    let to = format!("http://localhost:{}/steal", elsewhere.port());
    rows.push(
        row(
            "302 to another host",
            FakeClickatell::always(Reply::json(302, "").header("Location", &to)),
            Status::Error,
            Retry::Interval,
        )
        .says(&["redirect", "localhost", "not followed"]),
    );
}

/// A proxy that answers CONNECT itself: with 407, with a refusal, or not at all.
fn proxy_rows(rows: &mut Vec<Row>) {
    let asks = FakeClickatell::always(Reply::new(407, "text/plain", ""));
    let proxy = asks.url();
    rows.push(
        row("proxy: 407 to CONNECT", asks, Status::Error, Retry::Paused)
            .through(proxy)
            .says(&["asks for a user name and password (HTTP 407)"])
            .remedy(Remedy::ProxyUserAndPassword),
    );
    let refuses = FakeClickatell::always(Reply::new(403, "text/html", "<h1>Forbidden</h1>"));
    let proxy = refuses.url();
    rows.push(
        row(
            "proxy: refuses CONNECT (403)",
            refuses,
            Status::Error,
            Retry::Interval,
        )
        .through(proxy)
        .says(&["refused to connect to api.clickatell.com", "IT department"]),
    );
    let closed = ClosedPort::new();
    let proxy = format!("http://{}", closed.addr);
    let mut unreachable = row(
        "proxy: unreachable",
        FakeClickatell::always(json_balance("1")),
        Status::Offline,
        Retry::Backoff,
    )
    .through(proxy)
    .says(&[
        "could not reach the proxy 127.0.0.1",
        "Clickatell was not tried",
    ]);
    unreachable._server = Some(Box::new(closed));
    rows.push(unreachable);
}

/// Runs one row: a fresh monitor, its first poll, the snapshot it publishes.
async fn run(row: &Row) -> Snapshot {
    let settings = Settings {
        accounts: vec![Account {
            api: row.api,
            format: row.format,
            base_url: Some(row.base_url.clone()),
            poll_interval_secs: INTERVAL_SECS as u64,
            warning_level: Some(Decimal::from(100)),
            critical_level: Some(Decimal::from(50)),
            ..Account::default()
        }],
        timeout_secs: 1,
        proxy: row.proxy.clone(),
        ..Settings::default()
    };
    let rig = support::rig::monitor(settings, TOKEN, None, None);
    let mut snapshots = rig.handle.subscribe();
    let first = tokio::time::timeout(
        Duration::from_secs(15),
        snapshots.wait_for(|s| s.fetched_at.is_some() || s.error.is_some()),
    )
    .await
    .unwrap_or_else(|_| panic!("{}: no snapshot within 15 s", row.fault))
    .unwrap_or_else(|_| panic!("{}: the monitor stopped", row.fault))
    .clone();
    first
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gives_the_right_state_sentence_and_retry() {
    let elsewhere = FakeClickatell::always(json_balance("1"));
    let mut rows = Vec::new();
    documented_status_rows(&mut rows);
    retry_after_rows(&mut rows);
    transport_rows(&mut rows);
    body_rows(&mut rows);
    redirect_row(&mut rows, &elsewhere);
    proxy_rows(&mut rows);

    let mut table = vec![format!(
        "| {:<42} | {:<14} | {:<8} | {} |",
        "fault", "status", "retry", "sentence shown"
    )];
    table.push(format!("|{:-<44}|{:-<16}|{:-<10}|{:-<17}|", "", "", "", ""));
    let mut failures = Vec::new();
    for row in &rows {
        let snapshot = run(row).await;
        let sentence = snapshot.error.clone().unwrap_or_else(|| {
            snapshot
                .balance
                .as_ref()
                .map(|b| format!("(reading {})", b.amount))
                .unwrap_or_default()
        });
        table.push(format!(
            "| {:<42} | {:<14} | {:<8} | {} |",
            row.fault,
            snapshot.status.as_str(),
            Retry::of(&snapshot),
            sentence
        ));
        let mut wrong = Vec::new();
        if snapshot.status != row.status {
            wrong.push(format!(
                "status {:?}, expected {:?}",
                snapshot.status, row.status
            ));
        }
        if !row.retry.matches(&snapshot) {
            wrong.push(format!(
                "retry {}, expected {:?}",
                Retry::of(&snapshot),
                row.retry
            ));
        }
        for phrase in &row.phrases {
            if !sentence.to_lowercase().contains(&phrase.to_lowercase()) {
                wrong.push(format!("sentence lacks {phrase:?}"));
            }
        }
        if row.remedy.is_some() && snapshot.remedy != row.remedy {
            wrong.push(format!(
                "remedy {:?}, expected {:?}",
                snapshot.remedy, row.remedy
            ));
        }
        if sentence.contains(TOKEN) || format!("{snapshot:?}").contains(TOKEN) {
            wrong.push("the token leaked into the snapshot".into());
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", row.fault, wrong.join("; ")));
        }
    }
    println!("\n{}\n", table.join("\n"));
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the redirect target was contacted"
    );
    assert!(
        failures.is_empty(),
        "{} rows wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
