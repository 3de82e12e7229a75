//! Real proxies on loopback for the company-network tests, from Debian's packages: mitmproxy
//! (TLS-inspecting, re-signing with a company CA of the test's own, in front of the loopback
//! Clickatell) and tinyproxy (CONNECT, with BasicAuth). Nothing they do leaves the machine:
//! mitmproxy never connects to the host a client names (`upstream_cert=false`, `lazy`) but
//! to the stand-in, and tinyproxy is only ever asked for `localhost`.

use super::clickatell::FakeClickatell;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A company's certificate authority, made for one test.
pub struct TestCa {
    dir: tempfile::TempDir,
    pub name: String,
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::Builder::new().prefix("cb-ca-").tempdir().unwrap();
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
            .arg("-subj")
            .arg(format!("/O=Example Corp/CN={name}"))
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            .arg("-keyout")
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("ca.pem"))
            .output()
            .expect("openssl (Debian package openssl) must be installed");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        Self {
            dir,
            name: name.into(),
        }
    }

    /// The CA's certificate (PEM), as IT hands it out.
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// A certificate for `localhost` (and 127.0.0.1) signed by this CA, with its key, for a
    /// server of the test's own: (certificate, key).
    pub fn server_cert(&self) -> (PathBuf, PathBuf) {
        let (key, csr, cert, ext) = (
            self.dir.path().join("server-key.pem"),
            self.dir.path().join("server.csr"),
            self.dir.path().join("server.pem"),
            self.dir.path().join("server.ext"),
        );
        std::fs::write(&ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
        let run = |cmd: &mut Command| {
            let out = cmd.output().expect("openssl");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(Command::new("openssl")
            .args(["req", "-new", "-newkey", "ec", "-pkeyopt"])
            .args([
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=localhost",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&csr));
        run(Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-in"])
            .arg(&csr)
            .arg("-CA")
            .arg(self.cert())
            .arg("-CAkey")
            .arg(self.dir.path().join("key.pem"))
            .args(["-CAcreateserial", "-extfile"])
            .arg(&ext)
            .arg("-out")
            .arg(&cert));
        (cert, key)
    }

    /// The machine's own bundle with this CA added, as `update-ca-certificates` writes it.
    pub fn system_bundle_with_it(&self) -> PathBuf {
        let path = self.dir.path().join("ca-certificates.crt");
        let mut bundle = std::fs::read("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default();
        bundle.extend(std::fs::read(self.cert()).unwrap());
        std::fs::write(&path, bundle).unwrap();
        path
    }

    /// A mitmproxy configuration folder that signs with this CA.
    fn mitmproxy_confdir(&self) -> tempfile::TempDir {
        let conf = tempfile::Builder::new()
            .prefix("cb-mitm-")
            .tempdir()
            .unwrap();
        let mut pem = std::fs::read(self.dir.path().join("key.pem")).unwrap();
        pem.extend(std::fs::read(self.cert()).unwrap());
        std::fs::write(conf.path().join("mitmproxy-ca.pem"), pem).unwrap();
        conf
    }
}

/// A server process bound to a loopback port of its choosing, logging to a file.
pub struct Daemon {
    pub port: u16,
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Daemon {
    /// Starts `command(port)` on free ports until one stays up and accepts connections
    /// (the port may be taken between finding it free and the daemon binding it).
    pub fn start(dir: tempfile::TempDir, what: &str, command: impl Fn(u16) -> Command) -> Self {
        let log = dir.path().join(format!("{what}.log"));
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let out = std::fs::File::create(&log).unwrap();
            let mut child = command(port)
                .stdin(Stdio::null())
                .stdout(out.try_clone().unwrap())
                .stderr(out)
                .spawn()
                .unwrap_or_else(|e| panic!("{what} (Debian package) must be installed: {e}"));
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Self {
                        port,
                        child,
                        log,
                        _dir: dir,
                    };
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "{what} did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// `http://127.0.0.1:PORT`, as a proxy address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What the daemon has logged so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// mitmproxy as a company's TLS-inspecting proxy: a CONNECT proxy that answers every https
/// host with a certificate signed by `ca`, and hands the requests to `standin`.
pub fn intercepting_proxy(ca: &TestCa, standin: &FakeClickatell) -> Daemon {
    let conf = ca.mitmproxy_confdir();
    let addon = conf.path().join("to_standin.py");
    let standin_port = standin.url().rsplit(':').next().unwrap().to_owned();
    std::fs::write(
        &addon,
        format!(
            "def request(flow):\n    flow.request.scheme = 'http'\n    \
             flow.request.host = '127.0.0.1'\n    flow.request.port = {standin_port}\n"
        ),
    )
    .unwrap();
    let confdir = conf.path().to_owned();
    Daemon::start(conf, "mitmdump", move |port| {
        let mut cmd = mitmdump(&confdir, port);
        cmd.args([
            "--set",
            "connection_strategy=lazy",
            "--set",
            "upstream_cert=false",
        ])
        .arg("-s")
        .arg(&addon);
        cmd
    })
}

/// mitmproxy as a TLS front for `standin`: https on loopback with a certificate for
/// `localhost` signed by `ca`, so a proxy can be asked to connect there.
pub fn tls_front(ca: &TestCa, standin: &FakeClickatell) -> Daemon {
    let conf = ca.mitmproxy_confdir();
    let confdir = conf.path().to_owned();
    let upstream = standin.url();
    Daemon::start(conf, "mitmdump", move |port| {
        let mut cmd = mitmdump(&confdir, port);
        cmd.arg("--mode").arg(format!("reverse:{upstream}"));
        cmd
    })
}

fn mitmdump(confdir: &Path, port: u16) -> Command {
    let mut cmd = Command::new("mitmdump");
    cmd.args(["--listen-host", "127.0.0.1", "--listen-port"])
        .arg(port.to_string())
        .arg("--set")
        .arg(format!("confdir={}", confdir.display()))
        .env("HOME", confdir);
    cmd
}

/// tinyproxy on loopback, asking for `credentials` (user, password) when given.
pub fn tinyproxy(credentials: Option<(&str, &str)>) -> Daemon {
    let dir = tempfile::Builder::new()
        .prefix("cb-tinyproxy-")
        .tempdir()
        .unwrap();
    let conf = dir.path().join("tinyproxy.conf");
    let auth = credentials
        .map(|(user, password)| format!("BasicAuth {user} {password}\n"))
        .unwrap_or_default();
    let base = format!(
        "Listen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\nLogLevel Info\n{auth}"
    );
    Daemon::start(dir, "tinyproxy", move |port| {
        std::fs::write(&conf, format!("Port {port}\n{base}")).unwrap();
        let mut cmd = Command::new("tinyproxy");
        cmd.arg("-d").arg("-c").arg(&conf);
        cmd
    })
}
