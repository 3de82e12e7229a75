//! End-to-end tests of `clickatell-balance balance` against a loopback Clickatell.

mod support;

use std::time::{Duration, Instant};
use support::app::{Outcome, Sandbox};
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_E2E-9f8e7d6c5b4a";

const SEED_XML: &str = "<?xml version=\"1.0\"?>\n<response>\n    <data>\n        \
                        <balance>300.50</balance>\n    </data>\n</response>";

fn assert_no_token(out: &Outcome) {
    assert!(!out.stdout.contains(TOKEN), "token in stdout: {out:#?}");
    assert!(!out.stderr.contains(TOKEN), "token in stderr: {out:#?}");
}

fn assert_one_line_failure(out: &Outcome, phrase: &str) {
    out.expect_code(1);
    assert!(out.stdout.is_empty(), "{out:#?}");
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{out:#?}");
    assert!(
        out.stderr.contains(phrase),
        "expected {phrase:?} in {out:#?}"
    );
    assert_no_token(out);
}

#[test]
fn legacy_rest_json_request_and_exact_balance() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let home = Sandbox::new();
    let out = home.run_with_token(&server.url(), TOKEN, &["balance"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "300.50 credits\n");
    assert_no_token(&out);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", "/rest/account/balance")
    );
    assert_eq!(r.header("X-Version"), Some("1"));
    assert_eq!(r.header("Accept"), Some("application/json"));
    assert_eq!(
        r.header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(r
        .header("User-Agent")
        .unwrap()
        .starts_with("clickatell-balance/"));
}

#[test]
fn legacy_rest_xml_format() {
    let server = FakeClickatell::always(Reply::xml(200, SEED_XML));
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["--format", "xml", "balance"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "300.50 credits\n");
    assert_eq!(
        server.requests()[0].header("Accept"),
        Some("application/xml")
    );
}

#[test]
fn one_api_request_and_currency() {
    let server = FakeClickatell::always(Reply::json(
        200,
        r#"{"balance": 1267.92865, "currency": "ZAR"}"#,
    ));
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["--api", "one-api", "balance"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "1267.92865 ZAR\n");
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/balance");
    assert_eq!(r.header("Authorization"), Some(TOKEN));
    assert_eq!(r.header("X-Version"), None);
}

#[test]
fn json_output_keeps_the_balance_exact() {
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["balance", "--json"]);
    out.expect_code(0);
    assert_eq!(out.stdout.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["balance"], "300.50");
    assert_eq!(v["currency"], serde_json::Value::Null);
    assert_eq!(v["api"], "rest");
    let at = v["fetched_at"].as_str().unwrap();
    assert!(
        at.len() >= 20 && at.as_bytes()[10] == b'T' && at.ends_with('Z'),
        "{at}"
    );
}

#[test]
fn every_documented_error_gives_a_one_line_sentence_with_the_fix() {
    let cases: Vec<(&[&str], Reply, &str)> = vec![
        (&[], Reply::rest_error(401, "001", "Authentication failed"), "rejected the API token"),
        (&[], Reply::rest_error(401, "002", "Unknown username or password"), "Paste a new token"),
        (&[], Reply::rest_error(401, "001", "Authentication failed"), "`clickatell-balance token set`"),
        (&[], Reply::rest_error(401, "007", "IP lockdown violation"), "IP lockdown"),
        (&[], Reply::rest_error(401, "004", "Account frozen"), "frozen"),
        (&[], Reply::rest_error(402, "301", "No credit left"), "no credit left"),
        (&[], Reply::rest_error(400, "101", "Invalid or missing parameters"), "did not accept"),
        (&[], Reply::json(404, ""), "no balance endpoint"),
        (&[], Reply::json(405, ""), "HTTP 405"),
        (&[], Reply::json(410, ""), "HTTP 410"),
        (&[], Reply::json(429, "").header("Retry-After", "30"), "retry after 30 s"),
        (&[], Reply::json(503, ""), "temporarily unavailable"),
        (&[], Reply::rest_error(500, "901", "Internal error"), "code 901"),
        (&["--format", "xml"],
         Reply::xml(401, "<?xml version=\"1.0\"?><response><error><code>001</code><description>Authentication failed</description></error></response>"),
         "code 001: Authentication failed"),
        (&["--api", "one-api"], Reply::json(400, r#"{"error":{"code":43,"description":"Rate limit"}}"#), "rate limiting"),
        (&["--api", "one-api"], Reply::json(401, r#"{"error":{"code":7,"description":"IP not approved"}}"#), "IP lockdown"),
        (&["--api", "one-api"], Reply::json(402, r#"{"error":{"code":20,"description":"Insufficient balance"}}"#), "Top up"),
    ];
    for (flags, reply, phrase) in cases {
        let server = FakeClickatell::always(reply);
        let mut args = flags.to_vec();
        args.push("balance");
        let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &args);
        assert_one_line_failure(&out, phrase);
    }
}

#[test]
fn unreadable_answers_are_clear_errors() {
    let cases = [
        (Reply::json(200, "{\"data\":"), "not understood"),
        (Reply::json(200, ""), "not understood"),
        (
            Reply::json(200, r#"{"data":{"balance":"lots"}}"#),
            "is not a number",
        ),
        (Reply::json(200, r#"{"data":{}}"#), "no data.balance"),
        (
            Reply::new(200, "text/html", "<html>login</html>"),
            "content type",
        ),
        (
            Reply::json(
                200,
                &format!(
                    r#"{{"data":{{"balance":"1","pad":"{}"}}}}"#,
                    "x".repeat(100_000)
                ),
            ),
            "larger than 65536 bytes",
        ),
    ];
    for (reply, phrase) in cases {
        let server = FakeClickatell::always(reply);
        let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["balance"]);
        assert_one_line_failure(&out, phrase);
    }
}

#[test]
fn a_slow_server_hits_the_timeout() {
    let server = FakeClickatell::always(Reply::rest_balance("1").delay(Duration::from_secs(8)));
    let started = Instant::now();
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["--timeout", "1", "balance"]);
    assert_one_line_failure(&out, "did not answer within 1 s");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the timeout was not honoured"
    );
}

#[test]
fn a_cross_host_redirect_is_not_followed() {
    let other = FakeClickatell::always(Reply::rest_balance("999"));
    let other_url = other.url().replace("127.0.0.1", "localhost");
    let server = FakeClickatell::always(
        Reply::json(302, "").header("Location", &format!("{other_url}/rest/account/balance")),
    );
    let out = Sandbox::new().run_with_token(&server.url(), TOKEN, &["balance"]);
    assert_one_line_failure(&out, "redirect (HTTP 302) to localhost");
    assert!(other.requests().is_empty(), "the second host saw a request");
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_request() {
    let out = Sandbox::new().run_with_token("http://api.clickatell.com", TOKEN, &["balance"]);
    assert_one_line_failure(&out, "only loopback addresses may use http://");
}

#[test]
fn connection_refused_says_so() {
    // Bound but not listening: refused, and no other test can take the port meanwhile.
    let closed = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    closed
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    let addr = closed.local_addr().unwrap().as_socket().unwrap();
    let out = Sandbox::new().run_with_token(&format!("http://{addr}"), TOKEN, &["balance"]);
    assert_one_line_failure(&out, "Cannot reach Clickatell");
}

/// Whether this machine lets an unprivileged process make a user and network namespace.
fn namespaces_allowed() -> bool {
    std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--net", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[ignore = "needs user namespaces (unshare --user --net); tests/run.sh runs it where they are allowed"]
fn an_unresolvable_host_says_so() {
    assert!(
        namespaces_allowed(),
        "this machine does not allow user and network namespaces (unshare --user \
         --map-root-user --net true fails), so a lookup cannot be made to fail without \
         touching the network; run the other tests without --ignored"
    );
    // In a network namespace of its own (no interface up, so no DNS query leaves the machine),
    // looking up the host fails as it does on a machine without network.
    let home = Sandbox::new();
    let out: Outcome = home
        .command("unshare")
        .args(["--user", "--map-root-user", "--net"])
        .arg(support::app::binary())
        .args(["--base-url", "https://api.clickatell.test", "balance"])
        .env("CLICKATELL_TOKEN", TOKEN)
        .output()
        .expect("unshare (util-linux)")
        .into();
    assert_one_line_failure(&out, "Cannot reach Clickatell");
    assert!(
        out.stderr.contains("api.clickatell.test") && out.stderr.contains("dns error"),
        "{out:#?}"
    );
}

#[test]
fn settings_choose_the_api_and_flags_override_them() {
    let server = FakeClickatell::always(Reply::json(200, r#"{"balance": 5, "currency": "EUR"}"#));
    let home = Sandbox::new();
    home.write_settings(&format!(
        r#"{{"api":"one-api","base_url":"{}"}}"#,
        server.url()
    ));
    let out = home.run(&["balance"], None, &[("CLICKATELL_TOKEN", TOKEN)]);
    out.expect_code(0);
    assert_eq!(out.stdout, "5 EUR\n");
    let out = home.run(
        &["--api", "rest", "--base-url", &server.url(), "balance"],
        None,
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    assert_one_line_failure(&out, "no data.balance");
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1/balance", "/rest/account/balance"]);
}

#[test]
fn a_corrupt_settings_file_is_kept_aside_and_reported() {
    let server = FakeClickatell::always(Reply::rest_balance("12.00"));
    let home = Sandbox::new();
    home.write_settings("{ this is not json");
    let out = home.run_with_token(&server.url(), TOKEN, &["balance"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "12.00 credits\n");
    assert!(out.stderr.contains("settings.json.corrupt-"), "{out:#?}");
    let dir = home.settings_path().parent().unwrap().to_owned();
    let kept: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).unwrap(),
        "{ this is not json"
    );
}

#[test]
fn no_token_anywhere_is_a_clear_error() {
    let server = FakeClickatell::always(Reply::rest_balance("1"));
    let out = Sandbox::new().run(&["--base-url", &server.url(), "balance"], None, &[]);
    out.expect_code(1);
    assert!(out.stderr.contains("Secret Service"), "{out:#?}");
    assert!(out.stderr.contains("CLICKATELL_TOKEN"), "{out:#?}");
    assert!(server.requests().is_empty());
}
