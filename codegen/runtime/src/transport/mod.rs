//! Sending: the [`HttpClient`] seam that every request goes through (reqwest behind it by
//! default, [`ReqwestClient`]), and one exchange over it: redirects followed by the
//! client's own rules (`redirect.rs`), the body read up to a limit (`body.rs`), the whole
//! within the attempt's timeout. Knows nothing of retries, credentials or clients: those
//! layers sit above and hand this one finished headers.

pub(crate) mod body;
mod redirect;
mod reqwest_client;
mod seam;

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};

use crate::encoding::Body;
use crate::error::Error;
use crate::operation::Operation;
use crate::time::Timer;

pub(crate) use redirect::DEFAULT_MAX_REDIRECTS;
pub use reqwest_client::{reqwest_builder, ReqwestClient};
pub use seam::{
    HttpClient, HttpRequest, HttpResponse, ResponseBody, TransportError, TransportErrorKind,
};

/// A request with its URL, ready to send and to send again.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) op: &'static Operation,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) path_params: Vec<(&'static str, String)>,
    /// With the credentials already in, when the auth provider's are fixed.
    pub(crate) headers: HeaderMap,
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
    /// The timeout of one attempt, from connecting to the body's last byte, redirects
    /// included.
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

/// One attempt's request as it leaves: the prepared request, the URL and headers the
/// interceptors and the auth provider made of it, and the names of its credential headers.
pub(crate) struct Outgoing<'a> {
    pub(crate) request: &'a Prepared,
    pub(crate) url: &'a Url,
    pub(crate) headers: Cow<'a, HeaderMap>,
    pub(crate) credentials: &'a [HeaderName],
}

/// What an exchange brought: a whole response, or (when the caller streams and the status
/// is a success) the head with the body still to come.
#[derive(Debug)]
pub(crate) enum Received {
    Whole(Exchange),
    Head(HttpResponse),
}

impl Received {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Received::Whole(e) => e.status,
            Received::Head(h) => h.status,
        }
    }
}

/// Sends `request` to `url` with `headers` (credentials included) and follows redirects;
/// then reads the final response's body within `limits`, unless `stream` asks for a
/// successful one's head alone. All within the attempt's timeout. `credentials` names the
/// headers that must not follow the request to another origin.
pub(crate) async fn exchange(
    http: &dyn HttpClient,
    outgoing: Outgoing<'_>,
    limits: &Limits,
    timer: &dyn Timer,
    stream: bool,
) -> Result<Received, Error> {
    let op = outgoing.request.op.id;
    // A timeout no clock can reach (`Duration::MAX`) is as good as none.
    let now = tokio::time::Instant::now();
    let deadline = now
        .checked_add(limits.attempt_timeout)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 86_400));
    let exchange = async {
        let response = follow(http, outgoing, limits.max_redirects).await?;
        if stream && response.status.is_success() {
            return Ok(Received::Head(response));
        }
        let HttpResponse {
            status,
            headers,
            body,
        } = response;
        let limit = if status.is_success() {
            limits.body
        } else {
            limits.error_body
        };
        let body = body::read_limited(body, limit)
            .await
            .map_err(|e| e.into_error(op, status, &headers, timer.now()))?;
        Ok(Received::Whole(Exchange {
            status,
            headers,
            body,
        }))
    };
    // One timer for the head and, when it is read here, the body.
    tokio::time::timeout_at(deadline, exchange)
        .await
        .unwrap_or(Err(Error::Timeout { operation: op }))
}

/// Sends the request and follows its redirects: the final response's head.
async fn follow(
    http: &dyn HttpClient,
    outgoing: Outgoing<'_>,
    max_redirects: u8,
) -> Result<HttpResponse, Error> {
    let Outgoing {
        request,
        url,
        headers,
        credentials,
    } = outgoing;
    let op = request.op.id;
    let mut hop = redirect::Hop::first(request, url, headers);
    let mut redirects = 0u8;
    loop {
        let response = http
            .send(hop.build(op)?)
            .await
            .map_err(|e| Error::from_transport(op, e))?;
        match hop.next(&response, credentials, max_redirects, &mut redirects) {
            Ok(Some(next)) => hop = next,
            Ok(None) => return Ok(response),
            Err(message) => {
                return Err(Error::Redirect {
                    operation: op,
                    message,
                })
            }
        }
    }
}
