//! The default [`HttpClient`]: reqwest, with redirects left to the client's own rules.

use std::time::Duration;

use super::seam::{
    HttpClient, HttpRequest, HttpResponse, ResponseBody, TransportError, TransportErrorKind,
};
use crate::time::BoxFuture;

/// Sends through a [`reqwest::Client`] (its connection pool, TLS and proxy settings).
#[derive(Clone, Debug)]
pub struct ReqwestClient {
    http: reqwest::Client,
}

impl ReqwestClient {
    /// Sends through `http`. Build it with `redirect(reqwest::redirect::Policy::none())`:
    /// otherwise reqwest follows redirects by its own rules before the client sees them.
    pub fn new(http: reqwest::Client) -> Self {
        ReqwestClient { http }
    }

    /// The client the runtime builds by default: the crate's TLS feature, `connect_timeout`,
    /// no redirects.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, TransportError> {
        // Redirects are the transport's to follow, by its rules (transport/redirect.rs).
        let builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        #[cfg(any(feature = "rustls", feature = "rustls-native-roots"))]
        let builder = builder.use_rustls_tls();
        #[cfg(all(
            feature = "native-tls",
            not(any(feature = "rustls", feature = "rustls-native-roots"))
        ))]
        let builder = builder.use_native_tls();
        let http = builder
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        Ok(ReqwestClient { http })
    }
}

impl HttpClient for ReqwestClient {
    fn send(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let mut r = reqwest::Request::new(request.method, request.url);
        *r.headers_mut() = request.headers;
        if !request.body.is_empty() {
            *r.body_mut() = Some(request.body.into());
        }
        let sending = self.http.execute(r);
        Box::pin(async move {
            let mut response = sending.await.map_err(from_reqwest)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            Ok(HttpResponse::new(
                status,
                headers,
                ResponseBody::from_reqwest(response),
            ))
        })
    }
}

/// The body of `response`, chunk by chunk. `chunk()` rather than reqwest's `stream`
/// feature: one dependency less.
pub(super) fn chunks(
    response: reqwest::Response,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, TransportError>> + Send {
    futures_util::stream::unfold(Some(response), |response| async move {
        let mut response = response?;
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
            Ok(None) => None,
            // The first error ends the body.
            Err(e) => Some((Err(from_reqwest(e)), None)),
        }
    })
}

/// A reqwest failure by what it means for a retry; its URL (which may hold personal data
/// in the query) is dropped.
pub(crate) fn from_reqwest(e: reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_decode() {
        TransportErrorKind::Protocol
    } else if e.is_body() || e.is_request() {
        TransportErrorKind::Io
    } else if e.is_builder() {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, e.without_url())
}
