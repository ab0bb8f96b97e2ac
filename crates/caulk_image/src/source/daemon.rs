//! Images in a Docker daemon, exported through the Engine API as a `docker save` stream. The API
//! lives on a Unix socket, which general HTTP clients do not speak, so a minimal HTTP/1.1 client
//! for exactly one GET (with a chunked-transfer decoder) lives here.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::SourceError;

/// Where the daemon listens.
#[derive(Clone, Debug, Default)]
pub struct DaemonOptions {
    /// A `DOCKER_HOST`-style address (`unix:///run/docker.sock`, `tcp://127.0.0.1:2375`);
    /// `None` means `$DOCKER_HOST`, else `/var/run/docker.sock`.
    pub host: Option<String>,
}

const DEFAULT_SOCKET: &str = "/var/run/docker.sock";
/// Status line plus headers of the daemon's answer.
const HEAD_LIMIT: usize = 64 << 10;
/// An error body kept for its message.
const ERROR_BODY_LIMIT: u64 = 64 << 10;
/// The daemon may think for a while before the first tar bytes of a large image.
const READ_TIMEOUT: Duration = Duration::from_secs(300);

/// Opens `GET /images/{name}/get` on the daemon and returns the `docker save` tar stream.
pub fn export(name: &str, options: &DaemonOptions) -> Result<Box<dyn Read + Send>, SourceError> {
    if name.is_empty() {
        return Err(SourceError::Usage("`docker-daemon:` needs an image name, e.g. docker-daemon:alpine:3.19".into()));
    }
    let env_host = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
    let from_env = options.host.is_none() && env_host.is_some();
    let address = options.host.clone().or(env_host).unwrap_or_else(|| format!("unix://{DEFAULT_SOCKET}"));
    let endpoint = Endpoint::parse(&address)?;
    if from_env
        && matches!(endpoint, Endpoint::Tcp(_))
        && std::env::var_os("DOCKER_TLS_VERIFY").is_some_and(|v| !v.is_empty())
    {
        return Err(SourceError::Usage(format!(
            "DOCKER_TLS_VERIFY is set for `{address}`, but caulk speaks only plain HTTP to a daemon; \
             export the image with `docker save -o image.tar {name}` and scan `docker-archive:image.tar`"
        )));
    }
    let stream = endpoint.connect().map_err(|e| unreachable(&address, name, &e))?;
    let path = format!("/images/{}/get", encode_name(name));
    let host = match &endpoint {
        Endpoint::Unix(_) => "docker",
        Endpoint::Tcp(h) => h.as_str(),
    };
    let response = get(stream, host, &path)
        .map_err(|e| SourceError::Daemon(format!("exporting `{name}` from `{address}`: {e}")))?;
    if response.status == 200 {
        return Ok(response.body);
    }
    let status = response.status;
    let mut body = Vec::new();
    let _ = response.body.take(ERROR_BODY_LIMIT).read_to_end(&mut body);
    let message = daemon_message(&body);
    Err(SourceError::Daemon(match status {
        404 => format!("no such image in the daemon: `{name}` ({message}); `docker images` lists what `{address}` has"),
        _ => format!("exporting `{name}` from `{address}` failed with HTTP {status}: {message}"),
    }))
}

/// Where to connect.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Endpoint {
    Unix(PathBuf),
    /// `host:port`, plain HTTP.
    Tcp(String),
}

impl Endpoint {
    fn parse(address: &str) -> Result<Self, SourceError> {
        if let Some(path) = address.strip_prefix("unix://") {
            if path.is_empty() {
                return Err(SourceError::Usage(format!("`{address}` names no socket")));
            }
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        if address.starts_with('/') {
            return Ok(Self::Unix(PathBuf::from(address)));
        }
        if let Some(rest) = address.strip_prefix("tcp://").or_else(|| address.strip_prefix("http://")) {
            let hostport = rest.trim_end_matches('/');
            if hostport.is_empty() || hostport.contains('/') {
                return Err(SourceError::Usage(format!("`{address}` is not tcp://host:port")));
            }
            let has_port = hostport.rsplit_once(':').is_some_and(|(h, p)| {
                !h.is_empty() && !h.ends_with(':') && p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty()
            });
            let hostport = if has_port { hostport.to_owned() } else { format!("{hostport}:2375") };
            return Ok(Self::Tcp(hostport));
        }
        Err(SourceError::Usage(format!(
            "daemon address `{address}` is not supported (use unix:///path/docker.sock or tcp://host:port); \
             otherwise export the image with `docker save` and scan `docker-archive:FILE`"
        )))
    }

    fn connect(&self) -> io::Result<Box<dyn Conn>> {
        match self {
            Self::Unix(path) => {
                let s = UnixStream::connect(path)?;
                s.set_read_timeout(Some(READ_TIMEOUT))?;
                s.set_write_timeout(Some(Duration::from_secs(30)))?;
                Ok(Box::new(s))
            }
            Self::Tcp(hostport) => {
                let mut last = io::Error::new(io::ErrorKind::NotFound, "the host name resolves to no address");
                for addr in hostport.to_socket_addrs()? {
                    match TcpStream::connect_timeout(&addr, Duration::from_secs(10)) {
                        Ok(s) => {
                            s.set_read_timeout(Some(READ_TIMEOUT))?;
                            s.set_write_timeout(Some(Duration::from_secs(30)))?;
                            return Ok(Box::new(s));
                        }
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
        }
    }
}

/// A byte stream to the daemon.
trait Conn: Read + Write + Send {}
impl<T: Read + Write + Send> Conn for T {}

fn unreachable(address: &str, name: &str, e: &io::Error) -> SourceError {
    let why = match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "permission denied (run as a member of the `docker` group, or as root)".to_owned()
        }
        io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => format!("{e}; is dockerd running?"),
        _ => e.to_string(),
    };
    SourceError::Daemon(format!(
        "cannot connect to the Docker daemon at `{address}`: {why}. Without a daemon, export the image with \
         `docker save -o image.tar {name}` and scan `docker-archive:image.tar`"
    ))
}

/// Percent-encodes what may not appear raw in a path segment; `/`, `:` and `@` stay, since the
/// Engine routes `/images/{name:.*}/get` on the decoded path anyway.
fn encode_name(name: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':' | b'@') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `{"message": "…"}` from the daemon, or the body's text.
fn daemon_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Message {
        message: String,
    }
    let text = match serde_json::from_slice::<Message>(body) {
        Ok(m) => m.message,
        Err(_) => String::from_utf8_lossy(body).trim().to_owned(),
    };
    let text: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    if text.is_empty() { "no message".to_owned() } else { text }
}

/// A status and the body to read.
struct HttpResponse {
    status: u16,
    body: Box<dyn Read + Send>,
}

/// Sends one `GET` and reads the answer's head; the body is decoded as it is read.
fn get(mut conn: Box<dyn Conn>, host: &str, path: &str) -> io::Result<HttpResponse> {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: caulk/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    conn.write_all(request.as_bytes())?;
    conn.flush()?;
    read_response(BufReader::with_capacity(64 << 10, conn))
}

/// Parses a response head from `reader` and wraps the body in the right framing.
fn read_response<R: BufRead + Send + 'static>(mut reader: R) -> io::Result<HttpResponse> {
    let mut budget = HEAD_LIMIT;
    let (status, headers) = loop {
        let line = read_line(&mut reader, &mut budget)?;
        let status = parse_status(&line)?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(&mut reader, &mut budget)?;
            if line.is_empty() {
                break;
            }
            let (k, v) = line
                .split_once(':')
                .ok_or_else(|| invalid(format!("malformed header line `{}`", line.escape_debug())))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
        // Informational answers (100 Continue) precede the real one.
        if !(100..200).contains(&status) {
            break (status, headers);
        }
    };
    let find = |name: &str| headers.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    let chunked = find("transfer-encoding")
        .last()
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
    let body: Box<dyn Read + Send> = if chunked {
        Box::new(Chunked::new(reader))
    } else if let Some(len) = find("content-length").first() {
        let len = len.parse::<u64>().map_err(|_| invalid(format!("bad Content-Length `{len}`")))?;
        Box::new(Exact { inner: reader, remaining: len })
    } else {
        Box::new(reader)
    };
    Ok(HttpResponse { status, body })
}

fn parse_status(line: &str) -> io::Result<u16> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(invalid(format!("not an HTTP/1.x status line: `{}`", line.escape_debug())));
    }
    code.parse().map_err(|_| invalid(format!("bad status code `{code}`")))
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// One CRLF- (or LF-) terminated line, charged against `budget` bytes.
fn read_line(reader: &mut impl BufRead, budget: &mut usize) -> io::Result<String> {
    let mut line = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed mid-line"));
        }
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if take > *budget {
            return Err(invalid("an over-long line in the HTTP framing".to_owned()));
        }
        *budget -= take;
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if done {
            break;
        }
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| invalid("a non-UTF-8 line in the HTTP framing".to_owned()))
}

/// A body with a Content-Length: ends there, and fails if the connection ends first.
struct Exact<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let max = usize::try_from(self.remaining).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the daemon closed the connection {} bytes early", self.remaining),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Where a chunked body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChunkState {
    /// Expecting a `<hex>[;ext]` line.
    Size,
    /// Inside chunk data.
    Data(u64),
    /// Expecting the CRLF after chunk data.
    DataEnd,
    /// After the last chunk: trailer lines until an empty one.
    Trailers,
    Done,
}

/// Decodes `Transfer-Encoding: chunked` (RFC 9112 §7.1), refusing malformed framing and a
/// connection that closes before the last chunk.
pub(crate) struct Chunked<R> {
    inner: R,
    state: ChunkState,
    /// Bytes of trailer lines allowed, so junk cannot run forever.
    budget: usize,
}

impl<R: BufRead> Chunked<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, state: ChunkState::Size, budget: HEAD_LIMIT }
    }

    /// A size line or the CRLF after data: short, so each gets a small allowance.
    fn line(&mut self) -> io::Result<String> {
        let mut allowance = 4096;
        read_line(&mut self.inner, &mut allowance)
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state {
                ChunkState::Done => return Ok(0),
                ChunkState::Size => {
                    let line = self.line()?;
                    let hex = line.split(';').next().unwrap_or("").trim();
                    if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(invalid(format!("bad chunk size line `{}`", line.escape_debug())));
                    }
                    let size = u64::from_str_radix(hex, 16).map_err(|e| invalid(format!("bad chunk size: {e}")))?;
                    self.state = if size == 0 { ChunkState::Trailers } else { ChunkState::Data(size) };
                }
                ChunkState::Data(left) => {
                    let max = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
                    let n = self.inner.read(&mut buf[..max])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the daemon closed the connection inside a chunk",
                        ));
                    }
                    let left = left - n as u64;
                    self.state = if left == 0 { ChunkState::DataEnd } else { ChunkState::Data(left) };
                    return Ok(n);
                }
                ChunkState::DataEnd => {
                    let line = self.line()?;
                    if !line.is_empty() {
                        return Err(invalid("chunk data longer than its size".to_owned()));
                    }
                    self.state = ChunkState::Size;
                }
                ChunkState::Trailers => {
                    let line = read_line(&mut self.inner, &mut self.budget)?;
                    if line.is_empty() {
                        self.state = ChunkState::Done;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives out at most `step` bytes per read, to hit every boundary.
    struct Drip {
        data: Vec<u8>,
        pos: usize,
        step: usize,
    }

    impl Read for Drip {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    fn dechunk(data: &[u8], step: usize) -> io::Result<Vec<u8>> {
        let drip = Drip { data: data.to_vec(), pos: 0, step };
        let mut out = Vec::new();
        Chunked::new(BufReader::with_capacity(step.max(1), drip)).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn chunked_bodies_decode_at_every_read_size() {
        let body = b"4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n";
        for step in [1, 2, 3, 7, 64, 4096] {
            assert_eq!(dechunk(body, step).unwrap(), b"Wikipedia in\r\n\r\nchunks.", "step {step}");
        }
        // Bare LF framing is tolerated; uppercase hex too.
        assert_eq!(dechunk(b"A\nabcdefghij\n0\n\n", 3).unwrap(), b"abcdefghij");
        // Data after the terminating chunk is not read.
        assert_eq!(dechunk(b"1\r\nx\r\n0\r\n\r\nGARBAGE", 5).unwrap(), b"x");
    }

    #[test]
    fn broken_chunked_bodies_fail() {
        let cases: &[(&[u8], io::ErrorKind)] = &[
            (b"4\r\nWi", io::ErrorKind::UnexpectedEof),
            (b"4\r\nWiki\r\n", io::ErrorKind::UnexpectedEof),
            (b"4\r\nWiki\r\n0\r\n", io::ErrorKind::UnexpectedEof),
            (b"zz\r\nWiki\r\n0\r\n\r\n", io::ErrorKind::InvalidData),
            (b"\r\n", io::ErrorKind::InvalidData),
            (b"+4\r\nWiki\r\n0\r\n\r\n", io::ErrorKind::InvalidData),
            (b"11111111111111111\r\n", io::ErrorKind::InvalidData),
            (b"2\r\nWiki\r\n0\r\n\r\n", io::ErrorKind::InvalidData),
        ];
        for (body, kind) in cases {
            for step in [1, 4, 4096] {
                let err = dechunk(body, step).unwrap_err();
                assert_eq!(err.kind(), *kind, "{:?} step {step}: {err}", String::from_utf8_lossy(body));
            }
        }
        // An endless size line is cut off.
        let mut long = vec![b'0'; 100_000];
        long.extend_from_slice(b"1\r\n");
        assert_eq!(dechunk(&long, 4096).unwrap_err().kind(), io::ErrorKind::InvalidData);
        // Endless trailers are cut off too.
        let mut trailers = b"0\r\n".to_vec();
        for _ in 0..10_000 {
            trailers.extend_from_slice(b"X-A: 1234567890\r\n");
        }
        assert_eq!(dechunk(&trailers, 4096).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    fn response(raw: &[u8]) -> io::Result<(u16, Vec<u8>)> {
        let r = read_response(BufReader::new(io::Cursor::new(raw.to_vec())))?;
        let mut body = Vec::new();
        let mut reader = r.body;
        reader.read_to_end(&mut body)?;
        Ok((r.status, body))
    }

    #[test]
    fn responses_are_framed_by_chunks_length_or_close() {
        let (s, b) = response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").unwrap();
        assert_eq!((s, b.as_slice()), (200, &b"abc"[..]));
        let (s, b) = response(b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nhello-extra").unwrap();
        assert_eq!((s, b.as_slice()), (404, &b"hello"[..]));
        let (_, b) = response(b"HTTP/1.0 200 OK\r\n\r\nuntil close").unwrap();
        assert_eq!(b, b"until close");
        let (s, b) = response(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz").unwrap();
        assert_eq!((s, b.as_slice()), (200, &b"z"[..]));
        let err = response(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(response(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 200 OK\r\n").is_err());
    }

    #[test]
    fn addresses_and_names() {
        assert_eq!(Endpoint::parse("unix:///run/d.sock").unwrap(), Endpoint::Unix("/run/d.sock".into()));
        assert_eq!(Endpoint::parse("/run/d.sock").unwrap(), Endpoint::Unix("/run/d.sock".into()));
        assert_eq!(Endpoint::parse("tcp://127.0.0.1:2376").unwrap(), Endpoint::Tcp("127.0.0.1:2376".into()));
        assert_eq!(Endpoint::parse("tcp://docker").unwrap(), Endpoint::Tcp("docker:2375".into()));
        assert_eq!(Endpoint::parse("tcp://[::1]:1/").unwrap(), Endpoint::Tcp("[::1]:1".into()));
        for bad in ["npipe:////./pipe/docker_engine", "ssh://me@host", "unix://", "tcp://", "tcp://h/x"] {
            assert!(matches!(Endpoint::parse(bad), Err(SourceError::Usage(_))), "{bad}");
        }
        assert_eq!(encode_name("reg:5000/app:1.0"), "reg:5000/app:1.0");
        assert_eq!(encode_name("a b?c#d%"), "a%20b%3Fc%23d%25");
        assert_eq!(daemon_message(br#"{"message":"No such image: x:1"}"#), "No such image: x:1");
        assert_eq!(daemon_message(b"plain\n"), "plain");
        assert_eq!(daemon_message(b""), "no message");
    }

    #[test]
    fn a_missing_socket_suggests_docker_save() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("absent.sock");
        let options = DaemonOptions { host: Some(format!("unix://{}", sock.display())) };
        let err = export("app:1", &options).err().unwrap().to_string();
        assert!(err.contains("cannot connect to the Docker daemon at `unix://"), "{err}");
        assert!(err.contains("docker save -o image.tar app:1") && err.contains("docker-archive:"), "{err}");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = DaemonOptions { host: Some(format!("tcp://127.0.0.1:{port}")) };
        let err = export("app:1", &options).err().unwrap().to_string();
        assert!(err.contains("cannot connect") && err.contains("refused"), "{err}");
    }

    #[test]
    fn a_fake_daemon_over_a_unix_socket() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("d.sock");
        let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        let server = std::thread::spawn(move || {
            let mut requests = Vec::new();
            for answer in [
                &b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"[..],
                &b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 37\r\n\r\n{\"message\":\"No such image: nope:1\"}\n\n"[..],
            ] {
                let (mut conn, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                requests.push(head);
                conn.write_all(answer).unwrap();
            }
            requests
        });
        let options = DaemonOptions { host: Some(format!("unix://{}", sock.display())) };
        let mut body = Vec::new();
        export("my app:1", &options).unwrap().read_to_end(&mut body).unwrap();
        assert_eq!(body, b"hello");
        let err = export("nope:1", &options).err().unwrap().to_string();
        assert!(err.contains("no such image in the daemon: `nope:1` (No such image: nope:1)"), "{err}");
        let requests = server.join().unwrap();
        assert!(requests[0].starts_with("GET /images/my%20app:1/get HTTP/1.1\r\n"), "{}", requests[0]);
        assert!(requests[0].contains("Host: docker\r\n"));
    }
}
