//! A real HTTP server on loopback that plays Clickatell: scripted replies, faults and delays,
//! and a record of every request it saw (method, path, headers).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One reply the server gives.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
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

struct State {
    script: VecDeque<Reply>,
    seen: Vec<Seen>,
}

/// The server; it stops when dropped.
pub struct FakeClickatell {
    port: u16,
    state: Arc<Mutex<State>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FakeClickatell {
    /// A server that gives the replies in order, repeating the last one.
    pub fn scripted(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a script needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let server = Self {
            port,
            state: Arc::new(Mutex::new(State {
                script: replies.into(),
                seen: Vec::new(),
            })),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
            stop: Arc::default(),
        };
        let (state, in_flight, max, stop) = (
            server.state.clone(),
            server.in_flight.clone(),
            server.max_in_flight.clone(),
            server.stop.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (state, in_flight, max) = (state.clone(), in_flight.clone(), max.clone());
                thread::spawn(move || {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(now, Ordering::SeqCst);
                    serve(stream, &state);
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        server
    }

    /// A server that always gives the same reply.
    pub fn always(reply: Reply) -> Self {
        Self::scripted(vec![reply])
    }

    /// From now on, gives this reply to every request (the account's balance changed).
    pub fn switch_to(&self, reply: Reply) {
        self.state.lock().unwrap().script = vec![reply].into();
    }

    /// The base URL to pass as `--base-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// The most requests that were ever being served at once.
    pub fn max_concurrent(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FakeClickatell {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let reply = {
        let mut state = state.lock().unwrap();
        state.seen.push(Seen {
            method,
            path,
            headers,
            at: Instant::now(),
        });
        if state.script.len() > 1 {
            state.script.pop_front().unwrap()
        } else {
            state.script.front().unwrap().clone()
        }
    };
    thread::sleep(reply.delay);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&reply.body);
    let _ = out.flush();
    let _ = out.shutdown(Shutdown::Write);
    let _ = reader.read(&mut [0u8; 64]);
}
