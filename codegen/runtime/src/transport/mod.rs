//! Sending requests: the URL from the client's servers, the auth provider's headers, the
//! per-attempt timeout, tracing, and the retry loop (`retry.rs`, beside its
//! [`RetryPolicy`]). Builds on [`encoding`](crate::encoding);
//! [`pagination`](crate::pagination) builds on this.

mod retry;

use std::time::Instant;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, Url};
use tracing::field::Empty;
use tracing::Instrument as _;

pub use retry::RetryPolicy;

use crate::api::Operation;
use crate::auth::AuthRequest;
use crate::client::Client;
use crate::encoding::{Body, Encoded, Request};
use crate::error::{ApiError, Error};
use crate::response::RawResponse;

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

impl Client {
    /// Sends a request: encodes it, asks the auth provider for credentials, and retries
    /// as the [`RetryPolicy`] allows. Any 2xx is `Ok`; anything else is [`Error::Api`].
    ///
    /// Generated builders call this; it is public for requests built by hand (a
    /// builder's `request()`), whose response the spec does not type.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let prepared = self.prepare(request.encode()?)?;
        self.send(&prepared).await
    }

    pub(crate) fn prepare(&self, encoded: Encoded) -> Result<Prepared, Error> {
        let op = encoded.op;
        let server = self.server_url(op.server).ok_or_else(|| {
            Error::Config(format!("{}: no server with index {}", op.id, op.server))
        })?;
        let mut url = Url::parse(&format!("{server}{}", encoded.path)).map_err(|e| {
            Error::Config(format!(
                "{}: cannot form a URL from server {server:?} (set a base URL?): {e}",
                op.id
            ))
        })?;
        if !encoded.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &encoded.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = encoded.headers;
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.config.user_agent.clone());
        if let Body::Bytes { content_type, .. } = &encoded.body {
            // A `Content-Type` the caller chose among the spec's (a header input) is kept.
            headers
                .entry(CONTENT_TYPE)
                .or_insert_with(|| content_type.clone());
        }
        let ask_auth = match self.config.auth.fixed_headers() {
            Some(Ok(fixed)) => {
                for (name, value) in fixed.iter() {
                    headers.insert(name.clone(), value.clone());
                }
                false
            }
            Some(Err(source)) => {
                return Err(Error::Auth {
                    operation: op.id,
                    source,
                })
            }
            None => true,
        };
        Ok(Prepared {
            op,
            method: op.method.clone(),
            url,
            path_params: encoded.path_params,
            headers,
            ask_auth,
            body: encoded.body,
        })
    }

    /// Sends a prepared request, with retries, in a tracing span.
    pub(crate) async fn send(&self, request: &Prepared) -> Result<RawResponse, Error> {
        let op = request.op;
        let span = tracing::info_span!(
            "sdk.request",
            operation = op.id,
            method = %op.method,
            path = op.path,
            attempt = Empty,
            status = Empty,
        );
        let config = &self.config;
        retry::run(&config.retry, &*config.timer, request, |attempt| {
            span.record("attempt", attempt);
            self.attempt(request, &span)
        })
        .instrument(span.clone())
        .await
    }

    async fn attempt(
        &self,
        request: &Prepared,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let config = &self.config;
        let op = request.op.id;
        let mut headers = request.headers.clone();
        if request.ask_auth {
            let auth_request = AuthRequest {
                operation: op,
                method: &request.method,
                url: &request.url,
                path_params: &request.path_params,
                now: config.timer.now(),
                http: &config.http,
            };
            let auth = config
                .auth
                .authorize(&auth_request)
                .await
                .map_err(|source| Error::Auth {
                    operation: op,
                    source,
                })?;
            for (name, value) in auth.into_inner() {
                headers.insert(name, value);
            }
        }
        let http_request = match &request.body {
            // Multipart goes through the builder, which adds the boundary's content type.
            Body::Multipart(form) => config
                .http
                .request(request.method.clone(), request.url.clone())
                .headers(headers)
                .timeout(config.timeout)
                .multipart(form.to_form().map_err(|e| Error::invalid_input(op, e))?)
                .build()
                .map_err(|e| Error::from_reqwest(op, e))?,
            // Otherwise the request is built whole: the builder would insert every header
            // into an empty map one by one, hashing each again (see BENCHMARKS.md).
            Body::Empty | Body::Bytes { .. } => {
                let mut r = reqwest::Request::new(request.method.clone(), request.url.clone());
                *r.headers_mut() = headers;
                *r.timeout_mut() = Some(config.timeout);
                if let Body::Bytes { bytes, .. } = &request.body {
                    *r.body_mut() = Some(bytes.clone().into());
                }
                r
            }
        };
        let started = Instant::now();
        let mut response = config
            .http
            .execute(http_request)
            .await
            .map_err(|e| Error::from_reqwest(op, e))?;
        let status = response.status();
        span.record("status", status.as_u16());
        // Taken, not cloned: the body is all that is read from the response after this.
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::from_reqwest(op, e))?;
        tracing::debug!(elapsed = ?started.elapsed(), "response");
        let request_id_header = config.api.request_id_header;
        if status.is_success() {
            return Ok(RawResponse::new(
                op,
                status,
                headers,
                body,
                request_id_header,
            ));
        }
        let typed = request
            .op
            .errors
            .iter()
            .filter_map(|e| Some((e.rank(status.as_u16())?, e)))
            .max_by_key(|(rank, _)| *rank)
            .and_then(|(_, e)| (e.decode)(&body));
        let mut error = ApiError::received(
            op,
            status,
            headers,
            body,
            request_id_header,
            config.timer.now(),
        );
        error.set_typed(typed);
        Err(error.into())
    }
}
