//! Responses read as they arrive ([`Client::execute_streaming`](super::Client::execute_streaming)):
//! call recordings, media, exports, in constant memory whatever their size. Retries and
//! redirects apply until the response's head arrives; after that, each chunk must come
//! within the attempt timeout, so a stalled download ends instead of hanging.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _};

use crate::error::Error;
use crate::response::{Metadata, RawResponse};
use crate::transport::ResponseBody;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A successful response whose body is still arriving. Its metadata is there at once; read
/// the body with the [`Stream`] of chunks it is, or as an `AsyncRead`
/// ([`into_async_read`](Self::into_async_read)).
#[must_use = "the body is not read unless polled"]
pub struct Streaming {
    metadata: Metadata,
    length: Option<u64>,
    chunks: Chunks,
}

impl Streaming {
    pub(super) fn new(metadata: Metadata, body: ResponseBody, idle_timeout: Duration) -> Self {
        let operation = metadata.operation();
        let length = body.length();
        // Each chunk within the idle timeout; the first error ends the stream.
        let chunks = futures_util::stream::unfold(Some(body), move |body| async move {
            let mut body = body?;
            match tokio::time::timeout(idle_timeout, body.next()).await {
                Err(_) => Some((Err(Error::Timeout { operation }), None)),
                Ok(None) => None,
                Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
                Ok(Some(Err(e))) => Some((Err(Error::from_transport(operation, e)), None)),
            }
        });
        Streaming {
            metadata,
            length,
            chunks: Box::pin(chunks),
        }
    }

    /// Status, headers and request id.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The length the server declared (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The body as a `futures::io::AsyncRead` (errors become `std::io::Error`s carrying
    /// the [`Error`]): for `futures::io::copy` into a file, or `tokio_util::compat` for
    /// tokio's `AsyncRead`.
    pub fn into_async_read(self) -> impl futures_util::io::AsyncRead + Send + Unpin {
        self.chunks.map_err(std::io::Error::other).into_async_read()
    }

    /// Reads the whole body into memory, up to `limit` bytes (past it:
    /// [`Error::BodyTooLarge`]), for a response that turned out small.
    pub async fn collect(mut self, limit: u64) -> Result<RawResponse, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunks.next().await {
            let chunk = chunk?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(Error::BodyTooLarge {
                    operation: self.metadata.operation(),
                    status: self.metadata.status().as_u16(),
                    limit,
                    retry_after: None,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse::from_parts(self.metadata, body.into()))
    }
}

impl Stream for Streaming {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for Streaming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streaming")
            .field("metadata", &self.metadata)
            .field("content_length", &self.length)
            .finish_non_exhaustive()
    }
}
