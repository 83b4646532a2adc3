//! Reading a response body into memory, never past a limit: a `Content-Length` over the
//! limit fails before a byte is read, and a body without one (chunked, or a lying length)
//! fails as soon as it crosses it. Dropping the response then closes the connection, so
//! the rest is never read.

use bytes::Bytes;
use futures_util::StreamExt as _;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::seam::{ResponseBody, TransportError};
use crate::error::Error;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    TooLarge { limit: u64 },
    Transport(TransportError),
}

impl ReadError {
    /// The error of the call; a body over the limit keeps what the status and headers said
    /// (a 503's `Retry-After`, the request id), so it is retried like the status it is.
    pub(crate) fn into_error(
        self,
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        now: std::time::SystemTime,
    ) -> Error {
        match self {
            ReadError::TooLarge { limit } => Error::BodyTooLarge {
                operation,
                status: status.as_u16(),
                limit,
                retry_after: crate::wire::retry_after(headers, now),
            },
            ReadError::Transport(e) => Error::from_transport(operation, e),
        }
    }
}

/// The first allocation for a body of unknown length: most JSON bodies fit.
const INITIAL_CAPACITY: usize = 16 << 10;
/// A body at least this long is read by reqwest whole rather than a chunk at a time.
const MANY_CHUNKS: u64 = 16 << 10;
/// The most allocated up front for a declared length: a server that claims a length it
/// never sends costs no more than this before its bytes arrive.
const MAX_UPFRONT: usize = 1 << 20;

/// Reads all of `response`'s body, or fails once it exceeds `limit` bytes. The buffer
/// grows by doubling but never beyond `limit`, so memory stays within the limit plus one
/// network chunk.
pub(crate) async fn read_limited(mut body: ResponseBody, limit: u64) -> Result<Bytes, ReadError> {
    let declared = body.length();
    if declared.is_some_and(|len| len > limit) {
        return Err(ReadError::TooLarge { limit });
    }
    let mut chunks = Chunks::of(&mut body, declared);
    // A declared length within the limit, large enough to come in many chunks: reqwest's
    // own read of exactly that much costs less than a chunk at a time (the paginated
    // client benchmark; a small body is cheaper the other way, see BENCHMARKS.md).
    if let Chunks::Reqwest(response) = &mut chunks {
        if declared.is_some_and(|len| len >= MANY_CHUNKS) {
            if let Some(response) = response.take() {
                return response
                    .bytes()
                    .await
                    .map_err(|e| ReadError::Transport(super::reqwest_client::from_reqwest(e)));
            }
        }
    }
    // A body that arrives in one chunk (most JSON) is handed on as it is, uncopied.
    let Some(only) = chunks.next().await? else {
        return Ok(Bytes::new());
    };
    if only.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let Some(second) = chunks.next().await? else {
        return Ok(only);
    };
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let first = declared
        .and_then(|len| usize::try_from(len).ok())
        .map_or(INITIAL_CAPACITY, |len| len.min(MAX_UPFRONT))
        .min(limit_usize);
    let mut buf: Vec<u8> = Vec::with_capacity(first);
    let mut next = Some(only);
    let mut then = Some(second);
    loop {
        let chunk = match next.take() {
            Some(chunk) => chunk,
            None => match then.take() {
                Some(chunk) => chunk,
                None => match chunks.next().await? {
                    Some(chunk) => chunk,
                    None => break,
                },
            },
        };
        let needed = buf.len().saturating_add(chunk.len());
        if needed > limit_usize {
            return Err(ReadError::TooLarge { limit });
        }
        if needed > buf.capacity() {
            let target = needed
                .max(buf.capacity().saturating_mul(2))
                .min(limit_usize);
            buf.reserve_exact(target - buf.len());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// Where the chunks come from: reqwest's response itself for the default transport (no
/// stream adapter, no box), any other body as the stream it is.
enum Chunks<'b> {
    Reqwest(Option<reqwest::Response>),
    Stream(&'b mut ResponseBody),
}

impl<'b> Chunks<'b> {
    fn of(body: &'b mut ResponseBody, declared: Option<u64>) -> Self {
        let _ = declared;
        match body.take_reqwest() {
            Some(response) => Chunks::Reqwest(Some(response)),
            None => Chunks::Stream(body),
        }
    }

    async fn next(&mut self) -> Result<Option<Bytes>, ReadError> {
        match self {
            Chunks::Reqwest(Some(response)) => response
                .chunk()
                .await
                .map_err(|e| ReadError::Transport(super::reqwest_client::from_reqwest(e))),
            Chunks::Reqwest(None) => Ok(None),
            Chunks::Stream(body) => body.next().await.transpose().map_err(ReadError::Transport),
        }
    }
}
