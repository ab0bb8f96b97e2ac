//! A small HTTP/1.1 server on 127.0.0.1 for the download tests: serves byte bodies with ETags,
//! honours `Range: bytes=N-` (with `If-Range`) and `If-None-Match`, logs every request, and
//! misbehaves on demand (cuts a body short, answers with an error status, redirects).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// What a path should do instead of answering normally.
#[derive(Debug, Clone)]
pub(crate) enum Fault {
    /// Send the headers of the normal answer, then only `bytes` of its body, then close the
    /// connection; for the next `times` requests.
    CloseAfter { bytes: usize, times: usize },
    /// Answer with this status, every time.
    Status(u16),
}

/// One request and what the server answered.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub method: String,
    pub path: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    pub status: u16,
    /// Body bytes written (fewer than `Content-Length` when a fault cut it short).
    pub body_bytes: usize,
}

impl Exchange {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
struct Resource {
    body: Arc<Vec<u8>>,
    etag: String,
}

#[derive(Debug, Default)]
struct State {
    resources: BTreeMap<String, Resource>,
    faults: BTreeMap<String, Fault>,
    redirects: BTreeMap<String, String>,
    log: Vec<Exchange>,
}

/// The server; stops accepting when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || serve(&stream, &state));
                }
            })
        };
        Self { addr, state, stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves `body` at `path` (as sent on the request line, percent-encoded), with an ETag
    /// derived from its content.
    pub(crate) fn put(&self, path: &str, body: Vec<u8>) {
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        self.lock().resources.insert(path.to_owned(), Resource { body: Arc::new(body), etag });
    }

    pub(crate) fn etag(&self, path: &str) -> Option<String> {
        self.lock().resources.get(path).map(|r| r.etag.clone())
    }

    pub(crate) fn fail(&self, path: &str, fault: Fault) {
        self.lock().faults.insert(path.to_owned(), fault);
    }

    pub(crate) fn heal(&self, path: &str) {
        self.lock().faults.remove(path);
    }

    /// Answers `path` with `302 Found` to `location`.
    pub(crate) fn redirect(&self, path: &str, location: &str) {
        self.lock().redirects.insert(path.to_owned(), location.to_owned());
    }

    /// Every exchange so far, in the order the requests were answered.
    pub(crate) fn log(&self) -> Vec<Exchange> {
        self.lock().log.clone()
    }

    pub(crate) fn requests_for(&self, path: &str) -> Vec<Exchange> {
        self.log().into_iter().filter(|e| e.path == path).collect()
    }

    pub(crate) fn clear_log(&self) {
        self.lock().log.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The answer to one request, decided under the lock and written outside it.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
    /// Body bytes to actually send before closing (a fault), if fewer than the range.
    cut: Option<usize>,
}

fn serve(stream: &TcpStream, state: &Mutex<State>) {
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half.take(64 << 10));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else { return };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.is_empty() {
            return;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let mut exchange = Exchange { method, path, headers, status: 0, body_bytes: 0 };
    let answer = {
        let mut state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let answer = decide(&mut state, &exchange);
        exchange.status = answer.status;
        exchange.body_bytes = answer.cut.unwrap_or(answer.range.len()).min(answer.range.len());
        // Logged before writing, so a client that sees the answer also finds it in the log.
        state.log.push(exchange.clone());
        answer
    };
    let _ = write_answer(stream, &exchange, &answer);
    let _ = stream.shutdown(Shutdown::Both);
}

fn decide(state: &mut State, req: &Exchange) -> Answer {
    let empty = Arc::new(Vec::new());
    let plain = |status: u16, text: &str| Answer {
        status,
        headers: vec![("Content-Type", "text/plain".to_owned())],
        range: 0..text.len(),
        body: Arc::new(text.as_bytes().to_vec()),
        cut: None,
    };
    if req.method != "GET" {
        return plain(405, "only GET");
    }
    if let Some(location) = state.redirects.get(&req.path) {
        return Answer {
            status: 302,
            headers: vec![("Location", location.clone())],
            body: empty,
            range: 0..0,
            cut: None,
        };
    }
    let mut cut = None;
    match state.faults.get_mut(&req.path) {
        Some(Fault::Status(s)) => return plain(*s, "injected failure"),
        Some(Fault::CloseAfter { bytes, times }) if *times > 0 => {
            *times -= 1;
            cut = Some(*bytes);
        }
        _ => {}
    }
    let Some(resource) = state.resources.get(&req.path) else { return plain(404, "no such export") };
    let etag = resource.etag.clone();
    let len = resource.body.len();
    let mut headers = vec![
        ("ETag", etag.clone()),
        ("Last-Modified", "Mon, 01 Sep 2025 00:00:00 GMT".to_owned()),
        ("Accept-Ranges", "bytes".to_owned()),
        ("Content-Type", "application/zip".to_owned()),
    ];
    if req.header("if-none-match").is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")) {
        return Answer { status: 304, headers, body: empty, range: 0..0, cut: None };
    }
    let from = req
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|_| req.header("if-range").is_none_or(|v| v == etag));
    match from {
        Some(from) if from >= len => {
            headers.push(("Content-Range", format!("bytes */{len}")));
            Answer { status: 416, headers, body: empty, range: 0..0, cut: None }
        }
        Some(from) => {
            headers.push(("Content-Range", format!("bytes {from}-{}/{len}", len - 1)));
            Answer { status: 206, headers, body: Arc::clone(&resource.body), range: from..len, cut }
        }
        None => Answer { status: 200, headers, body: Arc::clone(&resource.body), range: 0..len, cut },
    }
}

fn write_answer(mut stream: &TcpStream, req: &Exchange, answer: &Answer) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    for (name, value) in &answer.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if answer.status != 304 {
        let _ = write!(head, "Content-Length: {}\r\n", answer.range.len());
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    let body = &answer.body[answer.range.clone()];
    stream.write_all(&body[..req.body_bytes])?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        _ => "Other",
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
