//! The seam every request goes through: [`HttpClient`] sends one request and hands back
//! the response with its body as a stream. reqwest is the default implementation
//! ([`ReqwestClient`](super::ReqwestClient)); a test can put a mock behind it (the
//! `test-util` feature's `mock`), and a user can wrap either (a proxy, a
//! recorder, a tower stack) without the rest of the client knowing.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

pub use crate::error::{TransportError, TransportErrorKind};
use crate::time::BoxFuture;

/// Sends HTTP requests: one request in, one response out. Redirects, retries, timeouts,
/// credentials and body limits are the client's, around this; an implementation only
/// moves bytes.
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    /// Sends `request`. The future resolves once the response's head has arrived; its
    /// body is read from [`HttpResponse::body`] as the client needs it.
    fn send(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'static, Result<HttpResponse, TransportError>>;
}

/// A request as it goes on the wire.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The whole URL, query included.
    pub url: Url,
    /// The headers, credentials included (marked sensitive).
    pub headers: HeaderMap,
    /// The encoded body; empty for none.
    pub body: Bytes,
}

impl HttpRequest {
    /// A request; the runtime makes these, a test or a wrapper may too.
    pub fn new(method: Method, url: Url, headers: HeaderMap, body: Bytes) -> Self {
        HttpRequest {
            method,
            url,
            headers,
            body,
        }
    }
}

impl fmt::Debug for HttpRequest {
    // Headers hold credentials and the body may hold personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("host", &self.url.host_str())
            .field("path", &self.url.path())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A response whose head has arrived; its body is still to be read.
#[non_exhaustive]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, as it arrives.
    pub body: ResponseBody,
}

impl HttpResponse {
    /// A response.
    pub fn new(status: StatusCode, headers: HeaderMap, body: ResponseBody) -> Self {
        HttpResponse {
            status,
            headers,
            body,
        }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("length", &self.body.length())
            .finish_non_exhaustive()
    }
}

type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// A response body: chunks as they arrive, and the length the server declared, if any.
pub struct ResponseBody {
    source: Source,
    length: Option<u64>,
}

enum Source {
    Chunks(ChunkStream),
    /// The default transport's body, kept as reqwest's own until it is read: a body read
    /// whole then takes reqwest's path, which hands on a one-chunk body uncopied.
    Reqwest(reqwest::Response),
    Done,
}

impl ResponseBody {
    /// A body already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let length = Some(bytes.len() as u64);
        let once = (!bytes.is_empty()).then_some(Ok(bytes));
        Self::from_stream(futures_util::stream::iter(once), length)
    }

    /// A body that arrives as `chunks`, of `length` bytes if known (a `Content-Length`).
    pub fn from_stream(
        chunks: impl Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
        length: Option<u64>,
    ) -> Self {
        ResponseBody {
            source: Source::Chunks(Box::pin(chunks)),
            length,
        }
    }

    pub(super) fn from_reqwest(response: reqwest::Response) -> Self {
        ResponseBody {
            length: response.content_length(),
            source: Source::Reqwest(response),
        }
    }

    /// The length the server declared (`Content-Length`), which the body may yet betray.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// The default transport's response, when this body is still one: read through reqwest
    /// directly rather than through a stream adapter.
    pub(super) fn take_reqwest(&mut self) -> Option<reqwest::Response> {
        if !matches!(self.source, Source::Reqwest(_)) {
            return None;
        }
        match std::mem::replace(&mut self.source, Source::Done) {
            Source::Reqwest(response) => Some(response),
            other => {
                self.source = other;
                None
            }
        }
    }
}

impl Stream for ResponseBody {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Source::Reqwest(_) = self.source {
            let Source::Reqwest(response) = std::mem::replace(&mut self.source, Source::Done)
            else {
                return Poll::Ready(None);
            };
            self.source = Source::Chunks(Box::pin(super::reqwest_client::chunks(response)));
        }
        match &mut self.source {
            Source::Chunks(chunks) => chunks.as_mut().poll_next(cx),
            Source::Reqwest(_) | Source::Done => Poll::Ready(None),
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}
