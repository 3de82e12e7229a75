//! The network faults beside the Clickatell stand-in (`tests/support/clickatell.rs`): an
//! address that never accepts, a closed port, and TLS servers whose certificate no client
//! trusts.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// A loopback address that accepts no connection in time: a listener that never accepts,
/// whose queue is already full, so new connection attempts go unanswered. Keep the returned
/// value alive while it is used.
pub struct Unanswered {
    pub addr: SocketAddr,
    _socket: socket2::Socket,
    _queued: Vec<TcpStream>,
}

impl Unanswered {
    pub fn new() -> Self {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket
            .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
            .unwrap();
        socket.listen(0).unwrap();
        let addr = socket.local_addr().unwrap().as_socket().unwrap();
        let mut queued = Vec::new();
        while let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            queued.push(s);
            assert!(queued.len() < 64, "the listen queue never filled");
        }
        Self {
            addr,
            _socket: socket,
            _queued: queued,
        }
    }
}

/// A loopback port that refuses connections: bound, so nothing else can take it while a test
/// uses it, but never listening. Keep the value alive while it is used.
pub struct ClosedPort {
    pub addr: SocketAddr,
    _socket: socket2::Socket,
}

impl ClosedPort {
    pub fn new() -> Self {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket
            .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
            .unwrap();
        let addr = socket.local_addr().unwrap().as_socket().unwrap();
        Self {
            addr,
            _socket: socket,
        }
    }
}

/// A real TLS server on loopback with a self-signed certificate (`openssl s_server`), which
/// the client must refuse to trust. Stopped when dropped.
pub struct SelfSignedTls {
    pub port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl SelfSignedTls {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-keyout",
            &path(&key),
            "-out",
            &path(&cert),
        ]);
        Self::serve(dir, &cert, &key)
    }

    /// The same server, its certificate signed by a CA named `ca_name` that nobody trusts
    /// (a company's TLS-inspecting proxy, seen from a machine without its CA).
    pub fn signed_by_untrusted_ca(ca_name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str| path(&dir.path().join(name));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            &format!("/CN={ca_name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
            "-keyout",
            &file("ca-key.pem"),
            "-out",
            &file("ca.pem"),
        ]);
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            &file("key.pem"),
            "-out",
            &file("leaf.csr"),
        ]);
        std::fs::write(
            dir.path().join("leaf.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            &file("leaf.csr"),
            "-CA",
            &file("ca.pem"),
            "-CAkey",
            &file("ca-key.pem"),
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            &file("leaf.ext"),
            "-out",
            &file("cert.pem"),
        ]);
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        Self::serve(dir, &cert, &key)
    }

    fn serve(dir: tempfile::TempDir, cert: &std::path::Path, key: &std::path::Path) -> Self {
        // s_server binds the port itself, so a port found free may be taken by the time it
        // starts: it then exits, and another port is tried.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut child = std::process::Command::new("openssl")
                .args(["s_server", "-quiet", "-www", "-accept"])
                .arg(format!("127.0.0.1:{port}"))
                .arg("-cert")
                .arg(cert)
                .arg("-key")
                .arg(key)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                // Answering, and still running: the port is s_server's, not another's.
                if TcpStream::connect(("127.0.0.1", port)).is_ok() && {
                    std::thread::sleep(Duration::from_millis(100));
                    child.try_wait().unwrap().is_none()
                } {
                    return Self {
                        port,
                        child,
                        _dir: dir,
                    };
                }
                assert!(Instant::now() < deadline, "openssl s_server did not start");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("openssl s_server could not bind a loopback port in five tries");
    }
}

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn openssl(args: &[&str]) {
    let made = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl (Debian package openssl) must be installed");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

impl Drop for SelfSignedTls {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
