//! A loopback HTTP server that misbehaves on purpose: it writes whatever bytes a test
//! scripts (broken status lines, lying lengths, bodies that never end, no answer at all),
//! which a well-behaved mock such as wiremock cannot. Every connection answers one request
//! and closes; every request is recorded.
#![allow(dead_code, reason = "each test binary uses only some of these helpers")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Clone, Debug)]
pub(crate) struct RawRequest {
    /// The request line, e.g. `GET /v1/Things HTTP/1.1`.
    pub(crate) line: String,
    /// Header names (lower case) and values, in order.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl RawRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path and query of the request line.
    pub(crate) fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }
}

/// What the server does with a request.
pub(crate) enum Reply {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Writes `head` (status line and headers, blank line included), then `chunk` again
    /// and again up to `total` bytes of body (`u64::MAX`: until the client goes away),
    /// chunk-encoded if `chunked`.
    Stream {
        head: String,
        chunk: Vec<u8>,
        total: u64,
        chunked: bool,
    },
    /// Writes `head`, then one body byte per `every`, for ever.
    Trickle { head: String, every: Duration },
    /// Reads the request and never answers (the connection stays open until the test ends).
    Silent,
}

/// A JSON response with a correct `Content-Length`.
pub(crate) fn json(status: u16, extra_headers: &str, body: &str) -> Reply {
    Reply::Bytes(
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra_headers}\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

type Script = dyn Fn(usize, &RawRequest) -> Reply + Send + Sync;

/// A running server. Dropping it stops accepting; connections in progress end with the
/// test's runtime.
pub(crate) struct RawServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    body_bytes_sent: Arc<AtomicU64>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl RawServer {
    /// Starts a server on 127.0.0.1 that answers request number `n` (from 0) with
    /// `script(n, &request)`.
    pub(crate) async fn start(
        script: impl Fn(usize, &RawRequest) -> Reply + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let body_bytes_sent = Arc::new(AtomicU64::new(0));
        let script: Arc<Script> = Arc::new(script);
        let counter = Arc::new(AtomicUsize::new(0));
        let (recorded, sent) = (requests.clone(), body_bytes_sent.clone());
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (script, counter) = (script.clone(), counter.clone());
                let (recorded, sent) = (recorded.clone(), sent.clone());
                tokio::spawn(async move {
                    serve(stream, &*script, &counter, &recorded, &sent).await;
                });
            }
        });
        RawServer {
            addr,
            requests,
            body_bytes_sent,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub(crate) fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// Body bytes written by [`Reply::Stream`] and [`Reply::Trickle`] so far: how much a
    /// client read (plus what the socket buffers held) before it hung up.
    pub(crate) fn body_bytes_sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    script: &Script,
    counter: &AtomicUsize,
    recorded: &Mutex<Vec<RawRequest>>,
    sent: &AtomicU64,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let n = counter.fetch_add(1, Ordering::SeqCst);
    let reply = script(n, &request);
    recorded.lock().unwrap().push(request);
    // Write errors mean the client hung up, which is what many scenarios test for.
    match reply {
        Reply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Stream {
            head,
            chunk,
            total,
            chunked,
        } => {
            let _ = stream_body(&mut stream, &head, &chunk, total, chunked, sent).await;
        }
        Reply::Trickle { head, every } => {
            if stream.write_all(head.as_bytes()).await.is_ok() {
                while stream.write_all(b" ").await.is_ok() {
                    sent.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(every).await;
                }
            }
        }
        Reply::Silent => {
            // Hold the connection open without a word, until the client gives up.
            let mut byte = [0u8; 1];
            let _ = stream.read(&mut byte).await;
            return;
        }
    }
    let _ = stream.shutdown().await;
}

async fn stream_body(
    stream: &mut TcpStream,
    head: &str,
    chunk: &[u8],
    total: u64,
    chunked: bool,
    sent: &AtomicU64,
) -> std::io::Result<()> {
    stream.write_all(head.as_bytes()).await?;
    let frame = if chunked {
        let mut f = format!("{:x}\r\n", chunk.len()).into_bytes();
        f.extend_from_slice(chunk);
        f.extend_from_slice(b"\r\n");
        f
    } else {
        chunk.to_vec()
    };
    let mut written = 0u64;
    while written < total {
        stream.write_all(&frame).await?;
        written += chunk.len() as u64;
        sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
    }
    if chunked {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    Ok(())
}

/// Reads one request: the head up to the blank line (at most 64 KiB), then a body of its
/// `Content-Length`.
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 << 10 {
            return None;
        }
        let n = stream.read(&mut byte).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut byte).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&byte[..n]);
    }
    Some(RawRequest {
        line,
        headers,
        body,
    })
}
