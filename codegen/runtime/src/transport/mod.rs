//! One HTTP exchange: a [`Prepared`] request goes out through reqwest, redirects are
//! followed by the client's own rules ([`redirect`]), and the body is read up to a limit
//! ([`body`]). Knows nothing of retries, credentials or clients: those layers sit above
//! and hand this one finished headers.

pub(crate) mod body;
mod redirect;

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};

use crate::encoding::Body;
use crate::error::Error;
use crate::operation::Operation;

pub(crate) use redirect::DEFAULT_MAX_REDIRECTS;

/// A request with its URL, ready to send and to send again.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) op: &'static Operation,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) path_params: Vec<(&'static str, String)>,
    /// With the credentials already in, when the auth provider's are fixed.
    pub(crate) headers: HeaderMap,
    /// The names of the fixed credentials in `headers`, to leave behind on a redirect to
    /// another origin.
    pub(crate) credential_headers: Vec<HeaderName>,
    /// Whether the provider must be asked before each attempt (credentials that change).
    pub(crate) ask_auth: bool,
    pub(crate) body: Body,
}

impl Prepared {
    /// The request for a next-page link: same headers, no body.
    pub(crate) fn follow(&self, url: Url) -> Prepared {
        let mut headers = self.headers.clone();
        headers.remove(CONTENT_TYPE);
        Prepared {
            op: self.op,
            method: Method::GET,
            url,
            path_params: self.path_params.clone(),
            headers,
            credential_headers: self.credential_headers.clone(),
            ask_auth: self.ask_auth,
            body: Body::Empty,
        }
    }
}

/// What bounds one exchange.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// The largest 2xx body read, in bytes.
    pub(crate) body: u64,
    /// The largest body of any other status read, in bytes.
    pub(crate) error_body: u64,
    /// Redirects followed per attempt before giving up.
    pub(crate) max_redirects: u8,
    /// The timeout of each request, from connecting to the body's last byte.
    pub(crate) attempt_timeout: Duration,
}

/// The default [`Limits::body`]: 64 MiB, far above any JSON page these APIs send.
pub(crate) const DEFAULT_BODY_LIMIT: u64 = 64 << 20;
/// The default [`Limits::error_body`]: 8 MiB, more than any error document needs.
pub(crate) const DEFAULT_ERROR_BODY_LIMIT: u64 = 8 << 20;

/// A response as the layers above see it: status, headers and the whole (bounded) body.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Sends `request` to `url` with `headers` (credentials included), follows redirects, and
/// reads the final response's body within `limits`. `credentials` names the headers that
/// must not follow the request to another origin.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    request: &Prepared,
    url: &Url,
    headers: HeaderMap,
    credentials: &[HeaderName],
    limits: &Limits,
) -> Result<Exchange, Error> {
    let op = request.op.id;
    let mut hop = redirect::Hop::first(request, url, headers);
    let mut redirects = 0u8;
    let mut response = loop {
        let http_request = hop.build(http, op, limits.attempt_timeout)?;
        let response = http
            .execute(http_request)
            .await
            .map_err(|e| Error::from_reqwest(op, e))?;
        match hop.next(&response, credentials, limits.max_redirects, &mut redirects) {
            Ok(Some(next)) => hop = next,
            Ok(None) => break response,
            Err(message) => {
                return Err(Error::Redirect {
                    operation: op,
                    message,
                })
            }
        }
    };
    let status = response.status();
    let limit = if status.is_success() {
        limits.body
    } else {
        limits.error_body
    };
    // Taken, not cloned: the body is all that is read from the response after this.
    let headers = std::mem::take(response.headers_mut());
    let body = body::read_limited(response, limit)
        .await
        .map_err(|e| e.into_error(op, status))?;
    Ok(Exchange {
        status,
        headers,
        body,
    })
}
