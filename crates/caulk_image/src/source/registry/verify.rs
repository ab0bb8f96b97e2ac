//! Content addressing: a blob is trusted only once its bytes hash to the digest that named it,
//! checked while streaming so nothing is buffered.

use std::io::{self, Read};

use sha2::{Digest as _, Sha256, Sha512};

/// A running hash for a `sha256:`/`sha512:` digest.
#[derive(Clone)]
pub(crate) enum Hasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl Hasher {
    /// The hasher for `digest`'s algorithm; `None` for algorithms we cannot check.
    pub(crate) fn for_digest(digest: &str) -> Option<Self> {
        match digest.split_once(':')?.0 {
            "sha256" => Some(Self::Sha256(Sha256::new())),
            "sha512" => Some(Self::Sha512(Sha512::new())),
            _ => None,
        }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(bytes),
            Self::Sha512(h) => h.update(bytes),
        }
    }

    /// `alg:hex` of everything hashed so far.
    pub(crate) fn finish(self) -> String {
        match self {
            Self::Sha256(h) => format!("sha256:{}", hex(&h.finalize())),
            Self::Sha512(h) => format!("sha512:{}", hex(&h.finalize())),
        }
    }
}

/// `alg:hex` of `bytes` with the algorithm of `like` (sha256 when `like` names none we know).
pub(crate) fn digest_like(like: &str, bytes: &[u8]) -> String {
    let mut h = Hasher::for_digest(like).unwrap_or(Hasher::Sha256(Sha256::new()));
    h.update(bytes);
    h.finish()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Bytes at the end of a blob that are fetched ahead and checked as soon as a read comes this
/// close to the end. Layer readers stop at the tar end-of-archive marker and never ask for the
/// compressed padding and trailer behind it; without this their blob would never be checked.
const TAIL_WINDOW: u64 = 1 << 20;

/// Passes a blob through, hashing it; fails the read that completes the blob (or hits EOF) when
/// the bytes do not match the digest or the size the manifest promised. Never a silent success:
/// the error sticks, so every later read fails too. With a known size, the last
/// [`TAIL_WINDOW`] bytes are read ahead so a reader that stops just short of the end still
/// gets the verdict.
pub(crate) struct Verified<R> {
    inner: R,
    /// The verified tail, read ahead, and how much of it was handed out.
    tail: Vec<u8>,
    tail_pos: usize,
    hasher: Option<Hasher>,
    digest: String,
    size: Option<u64>,
    read: u64,
    /// Set once the blob is proven good; later reads must find EOF.
    checked: bool,
    failed: Option<(io::ErrorKind, String)>,
    /// Names the blob in messages (`registry/repo@digest`).
    what: String,
}

impl<R: Read> Verified<R> {
    /// Checks `inner` against `digest` (which must be `sha256:` or `sha512:`) and `size`.
    pub(crate) fn new(inner: R, digest: &str, size: Option<u64>, what: String) -> Self {
        Self {
            inner,
            tail: Vec::new(),
            tail_pos: 0,
            hasher: Hasher::for_digest(digest),
            digest: digest.to_owned(),
            size,
            read: 0,
            checked: false,
            failed: None,
            what,
        }
    }

    fn fail(&mut self, kind: io::ErrorKind, msg: String) -> io::Error {
        self.failed = Some((kind, msg.clone()));
        io::Error::new(kind, msg)
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.checked {
            return Ok(());
        }
        if let Some(size) = self.size
            && self.read != size
        {
            let msg = format!("{} ended after {} of {size} bytes", self.what, self.read);
            return Err(self.fail(io::ErrorKind::UnexpectedEof, msg));
        }
        let Some(h) = self.hasher.take() else {
            let msg = format!("{}: cannot verify digest `{}`", self.what, self.digest);
            return Err(self.fail(io::ErrorKind::InvalidData, msg));
        };
        let got = h.finish();
        if got != self.digest {
            let msg = format!("{} failed verification: its content hashes to {got}", self.what);
            return Err(self.fail(io::ErrorKind::InvalidData, msg));
        }
        self.checked = true;
        Ok(())
    }
}

impl<R: Read> Read for Verified<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some((kind, msg)) = &self.failed {
            return Err(io::Error::new(*kind, msg.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if self.tail_pos < self.tail.len() {
            let n = (self.tail.len() - self.tail_pos).min(buf.len());
            buf[..n].copy_from_slice(&self.tail[self.tail_pos..self.tail_pos + n]);
            self.tail_pos += n;
            return Ok(n);
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                let msg = format!("{}: {e}", self.what);
                return Err(self.fail(e.kind(), msg));
            }
        };
        if n == 0 {
            self.finish()?;
            return Ok(0);
        }
        if self.checked {
            let msg = format!("{} is longer than the {} bytes its descriptor gives", self.what, self.read);
            return Err(self.fail(io::ErrorKind::InvalidData, msg));
        }
        self.read += n as u64;
        if let Some(size) = self.size
            && self.read > size
        {
            let msg = format!("{} is longer than the {size} bytes its descriptor gives", self.what);
            return Err(self.fail(io::ErrorKind::InvalidData, msg));
        }
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        if let Some(size) = self.size
            && size > self.read
            && size - self.read <= TAIL_WINDOW
        {
            self.read_tail(size - self.read)?;
        }
        // Check before handing over the last bytes: readers such as tar stop at the end-of-archive
        // marker and may never ask for EOF.
        if self.size == Some(self.read) {
            self.finish()?;
        }
        Ok(n)
    }
}

impl<R: Read> Verified<R> {
    /// Reads the last `left` bytes (and one more, to catch an overlong blob) ahead of the caller.
    fn read_tail(&mut self, left: u64) -> io::Result<()> {
        let mut tail = Vec::with_capacity(usize::try_from(left).unwrap_or(0));
        if let Err(e) = (&mut self.inner).take(left + 1).read_to_end(&mut tail) {
            let msg = format!("{}: {e}", self.what);
            return Err(self.fail(e.kind(), msg));
        }
        self.read += tail.len() as u64;
        if tail.len() as u64 > left {
            let msg = format!("{} is longer than the {} bytes its descriptor gives", self.what, self.read - 1);
            return Err(self.fail(io::ErrorKind::InvalidData, msg));
        }
        if (tail.len() as u64) < left {
            let msg =
                format!("{} ended after {} of {} bytes", self.what, self.read, self.read - tail.len() as u64 + left);
            return Err(self.fail(io::ErrorKind::UnexpectedEof, msg));
        }
        if let Some(h) = &mut self.hasher {
            h.update(&tail);
        }
        self.tail = tail;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read, to exercise every boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn read_all(r: impl Read) -> io::Result<Vec<u8>> {
        let mut r = r;
        let mut out = Vec::new();
        r.read_to_end(&mut out)?;
        Ok(out)
    }

    const DATA: &[u8] = b"hello, layer";

    #[test]
    fn good_blobs_pass_with_or_without_a_size() {
        let d = digest_like("sha256:", DATA);
        assert_eq!(read_all(Verified::new(DATA, &d, Some(DATA.len() as u64), "b".into())).unwrap(), DATA);
        assert_eq!(read_all(Verified::new(Trickle(DATA), &d, None, "b".into())).unwrap(), DATA);
        let d512 = digest_like("sha512:", DATA);
        assert!(d512.starts_with("sha512:") && d512.len() == 7 + 128);
        assert_eq!(read_all(Verified::new(Trickle(DATA), &d512, Some(12), "b".into())).unwrap(), DATA);
    }

    #[test]
    fn a_wrong_digest_fails_on_the_last_bytes_and_stays_failed() {
        let d = digest_like("sha256:", b"something else");
        let mut r = Verified::new(DATA, &d, Some(DATA.len() as u64), "reg/app@x".into());
        let mut buf = [0u8; 64];
        let err = r.read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("reg/app@x failed verification"), "{err}");
        assert!(r.read(&mut buf).is_err(), "the failure must stick");
        // Without a size, the check happens at EOF.
        let err = read_all(Verified::new(Trickle(DATA), &d, None, "b".into())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn sizes_are_enforced_both_ways() {
        let d = digest_like("sha256:", DATA);
        let err = read_all(Verified::new(Trickle(DATA), &d, Some(100), "b".into())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("ended after 12 of 100 bytes"), "{err}");
        // The descriptor's size cuts the blob short: the first 5 bytes do not hash to the digest.
        let err = read_all(Verified::new(Trickle(DATA), &d, Some(5), "b".into())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // A blob whose first 5 bytes are right but which goes on is refused too.
        let short = digest_like("sha256:", &DATA[..5]);
        let err = read_all(Verified::new(Trickle(DATA), &short, Some(5), "b".into())).unwrap_err();
        assert!(err.to_string().contains("longer than the 5 bytes"), "{err}");
    }

    #[test]
    fn a_reader_that_stops_short_of_the_end_still_gets_the_verdict() {
        let blob: Vec<u8> = (0..100_000u32).flat_map(u32::to_le_bytes).collect();
        let d = digest_like("sha256:", &blob);
        let mut bad = blob.clone();
        *bad.last_mut().unwrap() ^= 1;
        // Stops 10 bytes before the end, as tar does before a gzip trailer.
        let stop_short = |data: &[u8]| {
            let mut r = Verified::new(Trickle(data), &d, Some(data.len() as u64), "b".into());
            let mut out = vec![0u8; data.len() - 10];
            r.read_exact(&mut out).map(|()| out)
        };
        assert_eq!(stop_short(&blob).unwrap(), blob[..blob.len() - 10]);
        assert_eq!(stop_short(&bad).unwrap_err().kind(), io::ErrorKind::InvalidData);
        // The read-ahead tail is handed out intact, and a byte too many is refused.
        assert_eq!(read_all(Verified::new(Trickle(&blob), &d, Some(blob.len() as u64), "b".into())).unwrap(), blob);
        let mut long = blob.clone();
        long.push(0);
        let err = read_all(Verified::new(&long[..], &d, Some(blob.len() as u64), "b".into())).unwrap_err();
        assert!(err.to_string().contains("longer than"), "{err}");
        // A blob cut short inside the tail fails at once, not when (if ever) EOF is asked for.
        let mut r = Verified::new(Trickle(&blob[..blob.len() - 5]), &d, Some(blob.len() as u64), "b".into());
        let err = r.read_exact(&mut [0u8; 100]).unwrap_err();
        assert!(err.to_string().contains("ended after 399995 of 400000 bytes"), "{err}");
    }

    #[test]
    fn unknown_algorithms_are_never_trusted() {
        let err = read_all(Verified::new(DATA, "md5:00", None, "b".into())).unwrap_err();
        assert!(err.to_string().contains("cannot verify"), "{err}");
    }
}
