//! The one HTTP stand-in of the Rust tests, playing Clickatell and the webhook receivers
//! alike: a real HTTP/1.1 server on loopback, on raw sockets so it can fail where a real
//! network fails (before the headers, in the middle of the body, with a reset). It answers
//! from a script (in order, or by request number), keeps connections open as a real server
//! does, and records every request it saw (method, path, headers, body) and the most ever in
//! flight at once. The end-to-end tests, the core's fault matrix and soak, and the desktop's
//! command tests all use it (the last two through `#[path]`).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What the server does with one request: an answer, or a fault.
#[derive(Debug, Clone)]
pub enum Act {
    /// A complete answer.
    Answer,
    /// Reads the request and never answers (a header timeout for the client).
    Silent,
    /// Sends the headers of a 40-byte JSON body, then one byte every `every`.
    Trickle { every: Duration },
    /// Sends the headers and 10 of 100 body bytes, then resets the connection.
    ResetMidBody,
    /// Reads the request and closes the connection without a byte.
    CloseWithoutReply,
}

/// One reply the server gives.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// How long the server waits before it answers.
    pub delay: Duration,
    pub act: Act,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            act: Act::Answer,
        }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self::new(status, "application/json", body)
    }

    pub fn xml(status: u16, body: &str) -> Self {
        Self::new(status, "application/xml", body)
    }

    /// The seed page's JSON success body with the given balance.
    pub fn rest_balance(balance: &str) -> Self {
        Self::json(200, &format!(r#"{{"data":{{"balance":"{balance}"}}}}"#))
    }

    /// The legacy error body as real responses carry it.
    pub fn rest_error(status: u16, code: &str, description: &str) -> Self {
        Self::json(
            status,
            &format!(
                r#"{{"error":{{"code":"{code}","description":"{description}","documentation":"http://www.clickatell.com/help/apidocs/error/{code}.htm"}}}}"#
            ),
        )
    }

    /// A fault instead of an answer.
    pub fn fault(act: Act) -> Self {
        Self {
            act,
            ..Self::json(200, "")
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it; header names are lower-cased.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// What it carried (a webhook's payload); empty for a GET.
    pub body: Vec<u8>,
    /// When its head had arrived, for tests of the schedule.
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }
}

/// Where the replies come from: a list given in order (its last one repeated), or a function
/// of the request's number (from 0).
enum Script {
    Queue(VecDeque<Reply>),
    ByNumber(Box<dyn Fn(usize) -> Reply + Send>),
}

struct State {
    script: Script,
    seen: Vec<Seen>,
}

/// Counts kept as requests come and go.
#[derive(Default)]
struct Counters {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// The server; it stops accepting when dropped.
pub struct FakeClickatell {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    counters: Arc<Counters>,
    stop: Arc<AtomicBool>,
}

impl FakeClickatell {
    fn serving(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let server = Self {
            addr: listener.local_addr().unwrap(),
            state: Arc::new(Mutex::new(State {
                script,
                seen: Vec::new(),
            })),
            counters: Arc::default(),
            stop: Arc::default(),
        };
        let (state, counters, stop) = (
            server.state.clone(),
            server.counters.clone(),
            server.stop.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (state, counters) = (state.clone(), counters.clone());
                thread::spawn(move || serve(stream, &state, &counters));
            }
        });
        server
    }

    /// A server that gives the replies in order, repeating the last one.
    pub fn scripted(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a script needs at least one reply");
        Self::serving(Script::Queue(replies.into()))
    }

    /// A server that always gives the same reply.
    pub fn always(reply: Reply) -> Self {
        Self::scripted(vec![reply])
    }

    /// A server that answers request number n (from 0) with `script(n)`. It only counts
    /// its requests (`request_count`) and records none, so a soak of many thousands measures
    /// the client's memory, not the server's.
    pub fn by_number(script: impl Fn(usize) -> Reply + Send + 'static) -> Self {
        Self::serving(Script::ByNumber(Box::new(script)))
    }

    /// From now on, gives this reply to every request (the account's balance changed).
    pub fn switch_to(&self, reply: Reply) {
        self.state.lock().unwrap().script = Script::Queue(vec![reply].into());
    }

    /// The base URL to pass as `--base-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request seen, in order (none for a server made `by_number`).
    pub fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// How many requests arrived, without copying them.
    pub fn request_count(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// The most requests that were ever being served at once.
    pub fn max_concurrent(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FakeClickatell {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request: its head, and the body its `Content-Length` announces; `None` when the
/// client closed or went quiet. Clients wait for the answer before their next request, so a
/// read never takes bytes of the next request.
fn read_request(stream: &mut TcpStream) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 16 * 1024 {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    };
    let body = data.split_off(end);
    let length = seen(&data, Vec::new())
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = body;
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some((data, body))
}

/// The request line and headers of `head`, with its `body`.
fn seen(head: &[u8], body: Vec<u8>) -> Seen {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Seen {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, counters: &Counters) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    // Trickled bytes go out one by one, as a slow server sends them.
    let _ = stream.set_nodelay(true);
    while let Some((head, body)) = read_request(&mut stream) {
        let number = counters.requests.fetch_add(1, Ordering::SeqCst);
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let reply = {
            let mut state = state.lock().unwrap();
            if matches!(state.script, Script::Queue(_)) {
                state.seen.push(seen(&head, body));
            }
            match &mut state.script {
                Script::Queue(queue) if queue.len() > 1 => queue.pop_front().unwrap(),
                Script::Queue(queue) => queue.front().unwrap().clone(),
                Script::ByNumber(script) => script(number),
            }
        };
        thread::sleep(reply.delay);
        let keep_open = act(&mut stream, reply);
        counters.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !keep_open {
            return;
        }
    }
}

/// Carries out one reply; whether the connection can serve another request.
fn act(stream: &mut TcpStream, reply: Reply) -> bool {
    match reply.act {
        Act::Answer => {
            let mut head = format!(
                "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\n",
                reply.status,
                reply.body.len()
            );
            for (name, value) in &reply.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut answer = head.into_bytes();
            answer.extend_from_slice(&reply.body);
            stream.write_all(&answer).is_ok()
        }
        Act::Silent => {
            // Until the client gives up and closes.
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut sink = [0u8; 64];
            while Instant::now() < deadline && matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            false
        }
        Act::Trickle { every } => {
            let body = br#"{"data":{"balance":"300.50"}}          "#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return false;
            }
            for b in body {
                thread::sleep(every);
                if stream.write_all(&[*b]).is_err() {
                    return false;
                }
            }
            false
        }
        Act::ResetMidBody => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(br#"{"data":{""#);
            let _ = stream.flush();
            thread::sleep(Duration::from_millis(50));
            let _ = socket2::SockRef::from(&*stream).set_linger(Some(Duration::ZERO));
            false
        }
        Act::CloseWithoutReply => false,
    }
}
