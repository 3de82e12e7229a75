//! Company networks, end to end, with real proxies from Debian on loopback: mitmproxy
//! inspecting HTTPS with a company CA, tinyproxy asking for a password, and the desktop's
//! proxy settings (GNOME's, in gsettings) read through the real xdg-desktop-portal. The app
//! always targets Clickatell's own addresses or `localhost`; the proxies hand every request
//! to the loopback stand-in, so nothing leaves the machine.

mod support;

use std::process::Child;
use std::time::Duration;
use support::app::{App, Outcome, Sandbox};
use support::clickatell::{FakeClickatell, Reply};
use support::desktop::{eventually, TrayItem};
use support::network::{intercepting_proxy, tinyproxy, tls_front, Daemon, TestCa};

const TOKEN: &str = "tok_NET-7c1d2e3f4a";
const CA_NAME: &str = "Example Corp TLS Inspection CA";
const PROXY_USER: &str = "alice";
const PROXY_PASSWORD: &str = "Pr0xy-pass.5b7e";

/// Both APIs: the flags that choose one, and the stand-in's answer for it.
fn apis() -> [(&'static [&'static str], Reply, &'static str); 2] {
    [
        (&[], Reply::rest_balance("300.50"), "300.50 credits"),
        (
            &["--api", "one-api"],
            Reply::json(200, r#"{"balance": 1267.92865, "currency": "ZAR"}"#),
            "1267.92865 ZAR",
        ),
    ]
}

fn run(home: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let mut all_env = vec![("CLICKATELL_TOKEN", TOKEN)];
    all_env.extend_from_slice(env);
    home.run(args, None, &all_env)
}

fn assert_no_secret(out: &Outcome, secret: &str) {
    assert!(
        !out.stdout.contains(secret) && !out.stderr.contains(secret),
        "{secret:?} was shown: {out:#?}"
    );
}

#[test]
fn an_inspecting_proxy_whose_ca_is_not_trusted_is_named_and_nothing_is_sent() {
    let ca = TestCa::new(CA_NAME);
    for (api, reply, _) in apis() {
        let standin = FakeClickatell::always(reply);
        let proxy = intercepting_proxy(&ca, &standin);
        let home = Sandbox::new();
        // The proxy from the setting flag and from the environment, as IT sets either.
        let url = proxy.url();
        let by_flag = [&["--proxy", &url][..], api, &["balance"]].concat();
        let by_env = [api, &["balance"]].concat();
        for out in [
            run(&home, &by_flag, &[]),
            run(&home, &by_env, &[("HTTPS_PROXY", &url)]),
        ] {
            out.expect_code(1);
            assert_eq!(out.stderr.trim_end().lines().count(), 1, "{out:#?}");
            for phrase in [
                "Cannot reach Clickatell securely",
                &format!("is signed by \"{CA_NAME}\", which this machine does not trust"),
                &format!("through the proxy 127.0.0.1:{}", proxy.port),
                "update-ca-certificates",
                "ca_file",
            ] {
                assert!(out.stderr.contains(phrase), "{phrase:?} missing: {out:#?}");
            }
            assert_no_secret(&out, TOKEN);
        }
        assert!(
            standin.requests().is_empty(),
            "a request got past the untrusted proxy: {:?}",
            standin.requests()
        );
    }
}

#[test]
fn an_inspecting_proxy_trusted_through_ssl_cert_file_or_ca_file_gives_the_balance() {
    let ca = TestCa::new(CA_NAME);
    let bundle = ca.system_bundle_with_it();
    let ca_file = ca.cert().display().to_string();
    for (api, reply, shown) in apis() {
        let standin = FakeClickatell::always(reply);
        let proxy = intercepting_proxy(&ca, &standin);
        let home = Sandbox::new();
        let bundle = bundle.display().to_string();
        let by_variable = run(
            &home,
            &[api, &["balance", "--verbose"]].concat(),
            &[("HTTPS_PROXY", &proxy.url()), ("SSL_CERT_FILE", &bundle)],
        );
        let by_setting = run(
            &home,
            &[
                &["--proxy", &proxy.url(), "--ca-file", &ca_file][..],
                api,
                &["balance"],
            ]
            .concat(),
            &[],
        );
        for out in [&by_variable, &by_setting] {
            out.expect_code(0);
            assert_eq!(out.stdout.trim(), shown, "{out:#?}");
            assert_no_secret(out, TOKEN);
        }
        for line in [
            format!(
                "Route: through the proxy 127.0.0.1:{} (from HTTPS_PROXY)",
                proxy.port
            ),
            format!("Certificate: signed by \"{CA_NAME}\"; trusted: the trust store SSL_CERT_FILE names ("),
        ] {
            assert!(
                by_variable.stderr.contains(&line),
                "{line:?}: {by_variable:#?}"
            );
        }
        // The token travelled inside the tunnel, and reached the host it was meant for.
        let seen = standin.requests();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen
            .iter()
            .all(|r| r.header("authorization").is_some_and(|a| a.contains(TOKEN))));
    }
}

/// Whether this process may make a mount namespace (root, as in CI).
fn can_unshare_mounts() -> bool {
    std::process::Command::new("unshare")
        .args(["--mount", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[ignore = "needs a mount namespace (root); tests/run.sh runs it as root"]
fn an_inspecting_proxy_trusted_in_the_system_store_gives_the_balance() {
    assert!(
        can_unshare_mounts(),
        "unshare --mount needs root: run as root, or the other tests without --ignored"
    );
    let ca = TestCa::new(CA_NAME);
    let bundle = ca.system_bundle_with_it();
    for (api, reply, shown) in apis() {
        let standin = FakeClickatell::always(reply);
        let proxy = intercepting_proxy(&ca, &standin);
        let home = Sandbox::new();
        // The company CA in the system bundle, as update-ca-certificates leaves it, for
        // this process alone: a bind mount in a mount namespace of its own.
        let out: Outcome = home
            .command("unshare")
            .args(["--mount", "sh", "-c"])
            .arg("mount --bind \"$0\" /etc/ssl/certs/ca-certificates.crt && shift && exec \"$@\"")
            .arg(&bundle)
            .arg("--")
            .arg(support::app::binary())
            .args(["--proxy", &proxy.url()])
            .args(api)
            .arg("balance")
            .env("CLICKATELL_TOKEN", TOKEN)
            .output()
            .expect("unshare (util-linux)")
            .into();
        out.expect_code(0);
        assert_eq!(out.stdout.trim(), shown, "{out:#?}");
        assert_eq!(standin.requests().len(), 1);
    }
}

/// A TLS Clickatell on `localhost` behind tinyproxy, trusted through `ca_file`.
struct BehindTinyproxy {
    ca: TestCa,
    standin: FakeClickatell,
    front: Daemon,
    proxy: Daemon,
}

impl BehindTinyproxy {
    fn new(credentials: Option<(&str, &str)>) -> Self {
        let ca = TestCa::new(CA_NAME);
        let standin = FakeClickatell::always(Reply::rest_balance("300.50"));
        let front = tls_front(&ca, &standin);
        let proxy = tinyproxy(credentials);
        Self {
            ca,
            standin,
            front,
            proxy,
        }
    }

    fn base_url(&self) -> String {
        format!("https://localhost:{}", self.front.port)
    }

    /// The flags that reach Clickatell here, through `proxy` (none: the settings' own).
    fn args<'a>(&'a self, proxy: Option<&'a str>, rest: &[&'a str]) -> Vec<String> {
        let mut args = vec![
            "--base-url".to_owned(),
            self.base_url(),
            "--ca-file".to_owned(),
            self.ca.cert().display().to_string(),
        ];
        if let Some(proxy) = proxy {
            args.extend(["--proxy".to_owned(), proxy.to_owned()]);
        }
        args.extend(rest.iter().map(|s| s.to_string()));
        args
    }

    /// How many tunnels tinyproxy opened to the TLS front.
    fn tunnels(&self) -> usize {
        let want = format!("CONNECT localhost:{}", self.front.port);
        self.proxy.log().matches(&want).count()
    }
}

fn run_strings(home: &Sandbox, args: &[String], env: &[(&str, &str)]) -> Outcome {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(home, &args, env)
}

#[test]
fn a_proxy_asking_for_a_password_gets_it_from_the_address_or_says_where_it_goes() {
    let net = BehindTinyproxy::new(Some((PROXY_USER, PROXY_PASSWORD)));
    let home = Sandbox::new();
    let port = net.proxy.port;
    let with_password = format!("http://{PROXY_USER}:Pr0xy%2Dpass.5b7e@127.0.0.1:{port}");

    let out = run_strings(&home, &net.args(Some(&with_password), &["balance"]), &[]);
    out.expect_code(0);
    assert_eq!(out.stdout.trim(), "300.50 credits", "{out:#?}");
    let out = run_strings(
        &home,
        &net.args(None, &["balance", "--verbose"]),
        &[("https_proxy", &with_password)],
    );
    out.expect_code(0);
    assert!(
        out.stderr.contains(&format!(
            "through the proxy 127.0.0.1:{port} (from https_proxy)"
        )),
        "{out:#?}"
    );
    assert_eq!(net.tunnels(), 2, "{}", net.proxy.log());

    let asks = run_strings(&home, &net.args(Some(&net.proxy.url()), &["balance"]), &[]);
    asks.expect_code(1);
    for phrase in [
        &format!("the proxy 127.0.0.1:{port} asks for a user name and password (HTTP 407)"),
        &format!("http://USER@127.0.0.1:{port}"),
        "clickatell-balance proxy set-password",
    ] {
        assert!(asks.stderr.contains(phrase), "{phrase:?}: {asks:#?}");
    }
    let wrong = format!("http://{PROXY_USER}:wrong@127.0.0.1:{port}");
    let refused = run_strings(&home, &net.args(Some(&wrong), &["balance"]), &[]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains(&format!(
            "did not accept the password of {PROXY_USER} (HTTP 407)"
        )),
        "{refused:#?}"
    );
    for out in [&out, &asks, &refused] {
        assert_no_secret(out, "Pr0xy");
        assert_no_secret(out, TOKEN);
    }
    assert!(home.files_containing("Pr0xy").is_empty());
    assert_eq!(net.standin.requests().len(), 2);
}

#[test]
fn a_proxy_password_in_the_keyring_is_used_and_never_written_anywhere() {
    let net = BehindTinyproxy::new(Some((PROXY_USER, PROXY_PASSWORD)));
    let home = Sandbox::with_keyring();
    let port = net.proxy.port;
    home.write_settings(&format!(
        r#"{{"proxy": "http://{PROXY_USER}@127.0.0.1:{port}", "ca_file": {:?},
            "accounts": [{{"id": "main", "name": "Main", "base_url": "{}"}}]}}"#,
        net.ca.cert().display().to_string(),
        net.base_url()
    ));
    let before = home.run(&["balance"], None, &[("CLICKATELL_TOKEN", TOKEN)]);
    before.expect_code(1);
    assert!(
        before.stderr.contains("asks for a user name and password")
            || before.stderr.contains("did not accept"),
        "{before:#?}"
    );

    let stored = home.run(
        &["proxy", "set-password"],
        Some(&format!("{PROXY_PASSWORD}\n")),
        &[],
    );
    stored.expect_code(0);
    assert!(
        stored.stdout.contains(&format!(
            "service clickatell-balance-proxy, user {PROXY_USER}@127.0.0.1:{port}"
        )),
        "{stored:#?}"
    );
    let out = home.run(
        &["balance", "--verbose"],
        None,
        &[("CLICKATELL_TOKEN", TOKEN)],
    );
    out.expect_code(0);
    assert_eq!(out.stdout.trim(), "300.50 credits", "{out:#?}");
    assert!(
        out.stderr.contains(&format!(
            "through the proxy 127.0.0.1:{port} (from the proxy setting)"
        )),
        "{out:#?}"
    );
    for out in [&before, &stored, &out] {
        assert_no_secret(out, "Pr0xy");
    }
    let settings = std::fs::read_to_string(home.settings_path()).unwrap();
    assert!(!settings.contains("Pr0xy"), "{settings}");
    assert!(home.files_containing("Pr0xy").is_empty());

    let deleted = home.run(&["proxy", "delete-password"], None, &[]);
    deleted.expect_code(0);
    let after = home.run(&["balance"], None, &[("CLICKATELL_TOKEN", TOKEN)]);
    after.expect_code(1);
    assert!(after.stderr.contains("(HTTP 407)"), "{after:#?}");
}

/// The desktop's proxy settings as GNOME keeps them, and the real portal answering from
/// them; no proxy variable is set anywhere. GNOME sends `localhost` direct unless told
/// otherwise: here the company proxies everything, the TLS Clickatell on `localhost` too.
fn desktop_proxy(home: &Sandbox, proxy: &Daemon) -> Child {
    for (key, value) in [
        ("org.gnome.system.proxy ignore-hosts", "[]".to_owned()),
        ("org.gnome.system.proxy.https host", "127.0.0.1".to_owned()),
        ("org.gnome.system.proxy.https port", proxy.port.to_string()),
        ("org.gnome.system.proxy mode", "manual".to_owned()),
    ] {
        let (schema, key) = key.split_once(' ').unwrap();
        let set = home
            .command("gsettings")
            .args(["set", schema, key, &value])
            .output()
            .expect("gsettings (Debian package libglib2.0-bin)");
        assert!(
            set.status.success(),
            "{}",
            String::from_utf8_lossy(&set.stderr)
        );
    }
    let portal = home
        .command("/usr/libexec/xdg-desktop-portal")
        .arg("--replace")
        .env("XDG_CURRENT_DESKTOP", "GNOME")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("xdg-desktop-portal (Debian package)");
    let up = eventually(Duration::from_secs(15), || {
        home.command("busctl")
            .args(["--user", "call", "org.freedesktop.portal.Desktop"])
            .args(["/org/freedesktop/portal/desktop"])
            .args(["org.freedesktop.portal.ProxyResolver", "Lookup", "s"])
            .arg("https://localhost/")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("127.0.0.1"))
    });
    assert!(up, "the portal did not answer with the desktop's proxy");
    portal
}

#[test]
fn the_desktops_proxy_settings_are_used_unless_the_setting_says_none() {
    let net = BehindTinyproxy::new(None);
    let home = Sandbox::with_keyring();
    let mut portal = desktop_proxy(&home, &net.proxy);

    let out = run_strings(&home, &net.args(None, &["balance", "--verbose"]), &[]);
    out.expect_code(0);
    assert_eq!(out.stdout.trim(), "300.50 credits", "{out:#?}");
    assert!(
        out.stderr.contains(&format!(
            "Route: through the proxy 127.0.0.1:{} (from the desktop's proxy settings)",
            net.proxy.port
        )),
        "{out:#?}"
    );
    assert_eq!(net.tunnels(), 1);

    let direct = run_strings(
        &home,
        &net.args(Some("none"), &["balance", "--verbose"]),
        &[],
    );
    direct.expect_code(0);
    assert!(
        direct
            .stderr
            .contains("Route: direct (the proxy setting is none)"),
        "{direct:#?}"
    );
    assert_eq!(
        net.tunnels(),
        1,
        "proxy: none went through the desktop's proxy"
    );
    assert_eq!(net.standin.requests().len(), 2);
    let _ = portal.kill();
    let _ = portal.wait();
}

#[test]
fn the_tray_app_reads_the_balance_through_the_desktops_proxy() {
    let net = BehindTinyproxy::new(None);
    let home = Sandbox::with_tray();
    let mut portal = desktop_proxy(&home, &net.proxy);
    let args = net.args(None, &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = App::spawn(&home, &args, &[("CLICKATELL_TOKEN", TOKEN)]);
    let item = TrayItem::wait(&home, app.pid(), Duration::from_secs(30))
        .expect("the tray item appears on the bus");
    let read = eventually(Duration::from_secs(20), || {
        item.tooltip().starts_with("Clickatell: 300.50 credits")
    });
    assert!(read, "tooltip is {:?}", item.tooltip());
    assert!(net.tunnels() >= 1, "{}", net.proxy.log());
    assert!(app.running());
    let _ = portal.kill();
    let _ = portal.wait();
}
