//! `watch --metrics-listen` as Prometheus meets it: a real Prometheus server (Debian's
//! `prometheus`) scrapes it on loopback and sees the balance change; `promtool` lints the
//! exposition and the alerting rules (and runs their unit tests); and the bad cases: a
//! non-loopback address, a port in use, and a flood of scrapes while polling goes on.

mod support;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::app::Sandbox;
use support::clickatell::{FakeClickatell, Reply};

const TOKEN: &str = "tok_METRICS-7e57ab1e";

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `watch` polling `server` every second with metrics on a fresh loopback port; returns once
/// `/metrics` answers.
fn watch_with_metrics(home: &Sandbox, server: &FakeClickatell, extra: &[&str]) -> (Child, u16) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["--metrics-listen", &listen];
    args.extend_from_slice(extra);
    let child = home.spawn_watch(&server.url(), TOKEN, &args);
    let deadline = Instant::now() + Duration::from_secs(15);
    while scrape(port).is_err() {
        assert!(Instant::now() < deadline, "/metrics never answered");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

/// The exposition as curl or promtool gets it (no Accept header: the classic text format).
fn scrape(port: u16) -> Result<String, String> {
    ureq::get(&format!("http://127.0.0.1:{port}/metrics"))
        .timeout(Duration::from_secs(60))
        .call()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|e| e.to_string())
}

/// The value of the sample `name{labels}` in a text exposition.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().unwrap())
}

/// Waits for the exposition to satisfy `check`, returning it.
fn scrape_until(port: u16, what: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = scrape(port).unwrap();
        if check(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "never {what}:\n{text}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A Prometheus server on loopback scraping `target` every second; stopped when dropped.
struct Prometheus {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    fn start(target: u16) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
                 scrape_configs:\n  - job_name: clickatell-balance\n    static_configs:\n\
                 \x20     - targets: ['127.0.0.1:{target}']\n"
            ),
        )
        .unwrap();
        let port = free_port();
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus (Debian package prometheus) must be installed");
        Self {
            child,
            port,
            _dir: dir,
        }
    }

    /// The instant query's result vector (empty until the series exists).
    fn query(&self, promql: &str) -> Vec<Value> {
        let answer: Result<Value, _> =
            ureq::get(&format!("http://127.0.0.1:{}/api/v1/query", self.port))
                .query("query", promql)
                .call()
                .map_err(|e| e.to_string())
                .and_then(|r| r.into_json().map_err(|e| e.to_string()));
        answer
            .ok()
            .and_then(|v| v["data"]["result"].as_array().cloned())
            .unwrap_or_default()
    }

    /// Waits until `promql` has one sample with this value, returning the sample.
    fn wait_for(&self, promql: &str, value: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let result = self.query(promql);
            if let [only] = result.as_slice() {
                if only["value"][1] == value {
                    return only.clone();
                }
            }
            assert!(
                Instant::now() < deadline,
                "Prometheus never saw {promql} = {value}: {result:?}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_real_prometheus_scrapes_the_balance_and_sees_it_change() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let (watch, port) =
        watch_with_metrics(&home, &server, &["--warning", "400", "--critical", "100"]);
    let prometheus = Prometheus::start(port);

    let balance = prometheus.wait_for("clickatell_balance", "300.5");
    let labels = &balance["metric"];
    assert_eq!(
        (
            &labels["account"],
            &labels["api"],
            &labels["unit"],
            &labels["job"]
        ),
        (
            &Value::from("main"),
            &Value::from("rest"),
            &Value::from("credits"),
            &Value::from("clickatell-balance")
        ),
        "{balance}"
    );
    prometheus.wait_for("clickatell_warning_level", "400");
    prometheus.wait_for("clickatell_critical_level", "100");
    prometheus.wait_for("clickatell_up", "1");
    prometheus.wait_for("up{job=\"clickatell-balance\"}", "1");
    // The timestamps are recent Unix times, the attempt no older than the success.
    prometheus.wait_for(
        "time() - clickatell_last_success_timestamp_seconds < bool 30",
        "1",
    );
    prometheus.wait_for(
        "clickatell_last_attempt_timestamp_seconds >= bool clickatell_last_success_timestamp_seconds",
        "1",
    );

    // The account is charged: the next reading reaches Prometheus.
    server.switch_to(Reply::rest_balance("250.00"));
    prometheus.wait_for("clickatell_balance", "250");
    // Clickatell fails: the balance stays as last read, up drops, and the error is counted.
    server.switch_to(Reply::rest_error(500, "", "Internal error"));
    prometheus.wait_for("clickatell_up", "0");
    prometheus.wait_for("clickatell_balance", "250");
    prometheus.wait_for(
        "clickatell_errors_total{account=\"main\",kind=\"error\"} > bool 0",
        "1",
    );
    prometheus.wait_for(
        "clickatell_errors_total{account=\"main\",kind=\"offline\"}",
        "0",
    );
    drop(prometheus);
    let out = support::app::terminate(watch);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains(TOKEN));
}

#[test]
fn promtool_accepts_the_exposition_and_the_alert_rules() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("1234.56"));
    let (watch, port) =
        watch_with_metrics(&home, &server, &["--warning", "400", "--critical", "100"]);
    let text = scrape_until(port, "read the balance", |t| {
        sample(
            t,
            "clickatell_balance{account=\"main\",api=\"rest\",unit=\"credits\"}",
        ) == Some(1234.56)
    });
    let mut lint = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian package prometheus) must be installed");
    lint.stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let lint = lint.wait_with_output().unwrap();
    assert!(
        lint.status.success() && lint.stdout.is_empty() && lint.stderr.is_empty(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );

    // Prometheus asks for OpenMetrics; that answer is one too.
    let open = ureq::get(&format!("http://127.0.0.1:{port}/metrics"))
        .set(
            "Accept",
            "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
        )
        .call()
        .unwrap();
    assert!(open
        .content_type()
        .starts_with("application/openmetrics-text"));
    assert!(open.into_string().unwrap().ends_with("# EOF\n"));
    // Anything but /metrics is not found.
    match ureq::get(&format!("http://127.0.0.1:{port}/")).call() {
        Err(ureq::Error::Status(404, _)) => {}
        other => panic!("/ answered {other:?}"),
    }
    support::app::terminate(watch).expect_code(0);

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The README's Prometheus configuration, with the rules where this checkout has them.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("# /etc/prometheus/prometheus.yml")
        .expect("the README's Prometheus configuration");
    let config = &readme[start..];
    let config = config[..config.find("```").unwrap()].replace(
        "/etc/prometheus/clickatell-balance.rules.yml",
        root.join("docs/prometheus/clickatell-balance.rules.yml")
            .to_str()
            .unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("prometheus.yml");
    std::fs::write(&config_path, config).unwrap();
    let config_path = config_path.to_str().unwrap().to_owned();
    for args in [
        vec!["check", "config", &config_path],
        vec![
            "check",
            "rules",
            "docs/prometheus/clickatell-balance.rules.yml",
        ],
        vec!["test", "rules", "tests/prometheus/alerts.test.yml"],
    ] {
        let out = Command::new("promtool")
            .args(&args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_non_loopback_address_needs_metrics_allow_remote_and_nothing_is_polled() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let port = free_port().to_string();
    let out = home.run_with_token(
        &server.url(),
        TOKEN,
        &["watch", "--metrics-listen", &format!("0.0.0.0:{port}")],
    );
    out.expect_code(1);
    assert!(
        out.stderr.contains("0.0.0.0")
            && out.stderr.contains("not a loopback address")
            && out.stderr.contains("--metrics-allow-remote"),
        "{}",
        out.stderr
    );
    assert!(server.requests().is_empty());
    // The flag alone, without an address, is a usage error.
    home.run_with_token(&server.url(), TOKEN, &["watch", "--metrics-allow-remote"])
        .expect_code(2);
}

#[test]
fn a_port_in_use_is_said_plainly_and_nothing_is_polled() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = home.run_with_token(&server.url(), TOKEN, &["watch", "--metrics-listen", &addr]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains(&format!("Could not listen on {addr} for metrics"))
            && out.stderr.contains("in use")
            && out.stderr.contains("Choose another address or port"),
        "{}",
        out.stderr
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_flood_of_scrapes_and_idle_connections_does_not_stop_polling() {
    let home = Sandbox::new();
    let server = FakeClickatell::always(Reply::rest_balance("300.50"));
    let (watch, port) = watch_with_metrics(&home, &server, &[]);
    scrape_until(port, "read the balance", |t| {
        sample(t, "clickatell_up{account=\"main\"}") == Some(1.0)
    });
    // Connections that never send a request hold a slot only until the request timeout.
    let idle: Vec<TcpStream> = (0..12)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let before = server.requests().len();
    let scrapers: Vec<_> = (0..200)
        .map(|_| std::thread::spawn(move || scrape(port).map(|t| t.len())))
        .collect();
    let answered = scrapers
        .into_iter()
        .map(|s| s.join().unwrap())
        .filter(|r| matches!(r, Ok(len) if *len > 0))
        .count();
    assert_eq!(answered, 200, "every scrape is answered, if after a wait");
    assert!(
        server.requests().len() > before,
        "polling stopped during the flood"
    );
    for mut connection in idle {
        connection
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut rest = Vec::new();
        let closed = connection.read_to_end(&mut rest).is_ok();
        assert!(closed, "an idle connection was kept open");
    }
    let out = support::app::terminate(watch);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
