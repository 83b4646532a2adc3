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
        let http = reqwest_builder()?
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
        Ok(ReqwestClient { http })
    }
}

/// A [`reqwest::ClientBuilder`] set up as the runtime sets up its own: the crate's TLS
/// feature and redirects off (the runtime follows them by its own rules). Start here to
/// build a client of your own (a proxy, a pool size) for [`ReqwestClient::new`] or
/// `ClientBuilder::http_client`.
///
/// With the `rustls` features, the reqwest the runtime depends on carries no crypto provider
/// of its own (the runtime brings *ring*, where reqwest 0.13 would build aws-lc from source),
/// so `reqwest::Client::new()` panics unless something else in your tree enables reqwest's
/// `rustls` feature, a process-wide rustls provider is installed (the runtime installs *ring*
/// as one, if none is, when it first builds a client), or you start from this builder.
pub fn reqwest_builder() -> Result<reqwest::ClientBuilder, TransportError> {
    // Redirects are the transport's to follow, by its rules (transport/redirect.rs).
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    #[cfg(any(feature = "rustls", feature = "rustls-native-roots"))]
    let builder = builder.tls_backend_preconfigured(rustls_config()?);
    #[cfg(all(
        feature = "native-tls",
        not(any(feature = "rustls", feature = "rustls-native-roots"))
    ))]
    let builder = builder.tls_backend_native();
    Ok(builder)
}

/// rustls with *ring* and the roots the crate's feature names: Mozilla's, bundled
/// (`rustls`), and the operating system's (`rustls-native-roots`), both if both are on.
/// HTTP/1.1 only, as the reqwest build the runtime asks for speaks no HTTP/2.
#[cfg(any(feature = "rustls", feature = "rustls-native-roots"))]
fn rustls_config() -> Result<rustls::ClientConfig, TransportError> {
    let mut roots = rustls::RootCertStore::empty();
    #[cfg(feature = "rustls")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    #[cfg(feature = "rustls-native-roots")]
    {
        // Certificates the system store holds but rustls cannot parse are skipped, as
        // reqwest 0.12 did; a store with none usable fails below, at the first handshake.
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
    }
    let mut config = rustls::ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The process's rustls provider when the application installed one (aws-lc-rs, say, for
/// post-quantum key exchange), else *ring*, installed as that default so that reqwest clients
/// the application builds itself afterwards (`reqwest::get`) work too instead of panicking.
#[cfg(any(feature = "rustls", feature = "rustls-native-roots"))]
#[allow(
    deprecated,
    reason = "rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange; \
              its replacement, aws-lc-rs, builds C from source, too heavy a default. An \
              application that wants it installs it, and that one is used."
)]
fn crypto_provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    use rustls::crypto::{ring, CryptoProvider};
    if CryptoProvider::get_default().is_none() {
        // Fails only when another thread installed one meanwhile: that one is used.
        let _ = ring::default_provider().install_default();
    }
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| std::sync::Arc::new(ring::default_provider()))
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
