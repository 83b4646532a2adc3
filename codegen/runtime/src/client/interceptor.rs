//! Interceptors: code of the user's that runs inside every attempt of every call, at three
//! points (the hooks of aws-sdk-rust's interceptors, reduced to the ones a client of these
//! APIs needs): before the credentials go on (add a header, rewrite the URL for a proxy),
//! after they are on (sign the final request for a gateway), and after the response is read
//! (inspect or rewrite status, headers and body before the client decodes them).

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

pub use crate::error::InterceptorError;

/// Hooks into every attempt; each does nothing unless implemented. Interceptors run in
/// the order they were added to the [`ClientBuilder`](crate::ClientBuilder), for every
/// attempt (retries included), so what one adds is there on a retry too.
///
/// ```
/// use sdk_runtime::client::{Interceptor, InterceptorError, RequestContext};
/// use sdk_runtime::reqwest::header::HeaderValue;
///
/// /// Tags every request for the proxy in front of the API.
/// #[derive(Debug)]
/// struct Tenant(&'static str);
///
/// impl Interceptor for Tenant {
///     fn before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
///         request.headers_mut().insert("x-tenant", HeaderValue::from_static(self.0));
///         Ok(())
///     }
/// }
/// ```
pub trait Interceptor: Send + Sync + fmt::Debug + 'static {
    /// Before the auth provider adds credentials: change headers or the URL.
    fn before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
        let _ = request;
        Ok(())
    }

    /// After the credentials are added, just before the request is sent.
    fn after_signing(&self, request: &mut RequestContext<'_>) -> Result<(), InterceptorError> {
        let _ = request;
        Ok(())
    }

    /// After the response (its whole body, within the client's limits) is read, before it
    /// is decoded or judged an error.
    fn after_response(&self, response: &mut ResponseContext<'_>) -> Result<(), InterceptorError> {
        let _ = response;
        Ok(())
    }
}

/// A request about to be sent, as an [`Interceptor`] sees it.
pub struct RequestContext<'a> {
    pub(super) operation: &'static str,
    pub(super) attempt: u32,
    pub(super) method: &'a Method,
    pub(super) url: &'a mut Url,
    pub(super) headers: &'a mut HeaderMap,
    pub(super) body: Option<&'a [u8]>,
}

impl RequestContext<'_> {
    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL the request goes to.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The URL, to change (a proxy's path prefix, a query parameter).
    pub fn url_mut(&mut self) -> &mut Url {
        self.url
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// The encoded body, for signing; `None` for a body-less or multipart request.
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }
}

impl fmt::Debug for RequestContext<'_> {
    // Headers hold credentials after signing, and the body may hold personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// A response as an [`Interceptor`] sees it.
pub struct ResponseContext<'a> {
    pub(super) operation: &'static str,
    pub(super) attempt: u32,
    pub(super) status: &'a mut StatusCode,
    pub(super) headers: &'a mut HeaderMap,
    pub(super) body: &'a mut Bytes,
}

impl ResponseContext<'_> {
    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        *self.status
    }

    /// Replaces the status (the client then judges success by the new one).
    pub fn set_status(&mut self, status: StatusCode) {
        *self.status = status;
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// The body as read.
    pub fn body(&self) -> &Bytes {
        self.body
    }

    /// Replaces the body.
    pub fn set_body(&mut self, body: impl Into<Bytes>) {
        *self.body = body.into();
    }
}

impl fmt::Debug for ResponseContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseContext")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}
