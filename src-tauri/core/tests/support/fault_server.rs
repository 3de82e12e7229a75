//! A loopback HTTP/1.1 server on raw sockets, so faults can happen where a real network fails:
//! before the headers, in the middle of the body, or with a reset. It counts requests and the
//! most ever in flight at once.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// A complete answer; the connection stays open for the next request.
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers (a header timeout for the client).
    Silent,
    /// Sends the headers of a 40-byte JSON body, then one byte every `every`.
    Trickle { every: Duration },
    /// Sends the headers and 10 of 100 body bytes, then resets the connection.
    ResetMidBody,
    /// Reads the request and closes the connection without a byte.
    CloseWithoutReply,
}

impl Fault {
    pub fn reply(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self::reply(status, "application/json", body)
    }

    pub fn xml(status: u16, body: &str) -> Self {
        Self::reply(status, "application/xml", body)
    }

    /// The same fault with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// Counts kept by the server.
#[derive(Debug, Default)]
pub struct Counters {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// The running server; it stops accepting when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    counters: Arc<Counters>,
    stop: Arc<AtomicBool>,
}

type Script = dyn Fn(usize) -> Fault + Send + Sync;

impl FaultServer {
    /// Answers request number n (from 0) with `script(n)`.
    pub fn start(script: impl Fn(usize) -> Fault + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let counters = Arc::new(Counters::default());
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let (c, s) = (counters.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (c, script) = (c.clone(), script.clone());
                std::thread::spawn(move || serve(stream, &c, &*script));
            }
        });
        Self {
            addr,
            counters,
            stop,
        }
    }

    /// Always the same fault.
    pub fn always(fault: Fault) -> Self {
        Self::start(move |_| fault.clone())
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    pub fn max_in_flight(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request head; `None` when the client closed or went quiet. The client sends a
/// GET without a body and waits for the answer before its next request, so a read never
/// takes bytes of the next request.
fn read_head(stream: &mut TcpStream) -> Option<()> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if head.len() > 16 * 1024 {
            return None;
        }
    }
    Some(())
}

fn serve(mut stream: TcpStream, counters: &Counters, script: &Script) {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // Trickled bytes go out one by one, as a slow server sends them.
    stream.set_nodelay(true).unwrap();
    while read_head(&mut stream).is_some() {
        let n = counters.requests.fetch_add(1, Ordering::SeqCst);
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let keep_open = act(&mut stream, script(n));
        counters.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !keep_open {
            return;
        }
    }
}

/// Carries out one fault; whether the connection can serve another request.
fn act(stream: &mut TcpStream, fault: Fault) -> bool {
    match fault {
        Fault::Reply {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Fault\r\nContent-Length: {}\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut answer = head.into_bytes();
            answer.extend_from_slice(&body);
            stream.write_all(&answer).is_ok()
        }
        Fault::Silent => {
            // Until the client gives up and closes.
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut sink = [0u8; 64];
            while Instant::now() < deadline && matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            false
        }
        Fault::Trickle { every } => {
            let body = br#"{"data":{"balance":"300.50"}}          "#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return false;
            }
            for b in body {
                std::thread::sleep(every);
                if stream.write_all(&[*b]).is_err() {
                    return false;
                }
            }
            false
        }
        Fault::ResetMidBody => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(br#"{"data":{""#);
            let _ = stream.flush();
            std::thread::sleep(Duration::from_millis(50));
            let _ = socket2::SockRef::from(&*stream).set_linger(Some(Duration::ZERO));
            false
        }
        Fault::CloseWithoutReply => false,
    }
}

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
