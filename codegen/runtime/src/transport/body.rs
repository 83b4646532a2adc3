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
    // A declared length within the limit, large enough to come in many chunks: reqwest's
    // own read of exactly that much costs less than a chunk at a time (the paginated
    // client benchmark; a small body is cheaper the other way, see BENCHMARKS.md).
    if let Some(response) = declared
        .is_some_and(|len| len >= MANY_CHUNKS)
        .then(|| body.take_reqwest())
        .flatten()
    {
        return response
            .bytes()
            .await
            .map_err(|e| ReadError::Transport(super::reqwest_client::from_reqwest(e)));
    }
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let first = declared
        .and_then(|len| usize::try_from(len).ok())
        .map_or(INITIAL_CAPACITY, |len| len.min(MAX_UPFRONT))
        .min(limit_usize);
    let mut buf: Vec<u8> = Vec::with_capacity(first);
    while let Some(chunk) = body
        .next()
        .await
        .transpose()
        .map_err(ReadError::Transport)?
    {
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
