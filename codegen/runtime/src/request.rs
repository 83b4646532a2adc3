//! Building and sending requests.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::field::Empty;
use tracing::Instrument as _;

use crate::client::Client;
use crate::encoding;
use crate::error::{ApiError, Error};
use crate::multipart::Multipart;
use crate::pagination::{self, Page};
use crate::retry::{is_idempotent, retry_after};

/// One API operation; generated code declares one `static` per operation.
#[derive(Debug)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `FetchFlexUser`; used in errors and traces.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the server, e.g. `/Instances/{InstanceSid}`.
    pub path: &'static str,
    /// Index into [`ApiInfo::servers`](crate::ApiInfo::servers).
    pub server: usize,
}

#[derive(Clone, Debug)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: &'static str,
        bytes: Bytes,
    },
    Multipart(Multipart),
}

/// A request being assembled by generated code.
///
/// Setters never fail: the first problem (a value that cannot be encoded, an
/// unsafe path segment or header value) is remembered and returned as
/// [`Error::InvalidInput`] by `send*`/`paginate` before anything is sent.
pub struct RequestBuilder {
    client: Client,
    op: &'static Operation,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    error: Option<String>,
}

impl RequestBuilder {
    pub(crate) fn new(client: Client, op: &'static Operation) -> Self {
        Self {
            client,
            op,
            path: op.path.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            error: None,
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Fills `{name}` in the path with `value`, percent-encoded as one segment.
    ///
    /// Everything but RFC 3986 unreserved characters is encoded, so no value can
    /// change which resource is addressed; `""`, `"."` and `".."` are rejected.
    pub fn path_param(&mut self, name: &str, value: impl fmt::Display) {
        let Some(first) = placeholder(&self.path, name) else {
            return self.fail(format!("the path has no parameter `{name}`"));
        };
        match encoding::path_segment(&value.to_string()) {
            Ok(segment) => {
                // In place, every occurrence, left to right; a segment holds no `{`.
                let mut at = Some(first);
                while let Some(start) = at {
                    self.path
                        .replace_range(start..start + name.len() + 2, &segment);
                    let resume = start + segment.len();
                    at = placeholder(&self.path[resume..], name).map(|i| resume + i);
                }
            }
            Err(why) => self.fail(format!("path parameter `{name}` {why}")),
        }
    }

    /// Adds a query parameter: a scalar gives one pair, a sequence repeats the key
    /// per element, `None` adds nothing. Objects are rejected.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match encoding::to_scalars(value) {
            Ok(values) => self
                .query
                .extend(values.into_iter().map(|v| (name.to_owned(), v))),
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
    }

    /// Adds a header parameter, with the query rules; sequence elements are
    /// comma-separated. Values with CR, LF or other bytes not allowed in a header
    /// are rejected, so they can never inject headers.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let values = match encoding::to_scalars(value) {
            Ok(values) if values.is_empty() => return,
            Ok(values) => values.join(","),
            Err(e) => return self.fail(format!("header `{name}`: {e}")),
        };
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(format!("`{name}` is not a valid header name"));
        };
        match HeaderValue::from_str(&values) {
            Ok(value) => {
                self.headers.append(header, value);
            }
            // The value is left out of the message: it was just found to be unsafe.
            Err(_) => self.fail(format!(
                "header `{name}`: value contains characters not allowed in a header (such as CR or LF)"
            )),
        }
    }

    /// Sets an `application/json` body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Body::Bytes {
                    content_type: "application/json",
                    bytes: bytes.into(),
                }
            }
            Err(e) => self.fail(format!("JSON body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body: sequences repeat the key,
    /// `None` fields are left out, keys are used exactly as serialized.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match encoding::form(body) {
            Ok(text) => {
                self.body = Body::Bytes {
                    content_type: "application/x-www-form-urlencoded",
                    bytes: text.into(),
                }
            }
            Err(e) => self.fail(format!("form body: {e}")),
        }
    }

    /// Sets a `multipart/form-data` body. Such requests are never retried.
    pub fn multipart_body(&mut self, form: Multipart) {
        if let Some(e) = form.error() {
            self.fail(e.to_owned());
        }
        self.body = Body::Multipart(form);
    }

    /// Sends the request; any 2xx is `Ok`, anything else [`Error::Api`].
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        self.prepare()?.execute().await
    }

    /// Sends the request and decodes the JSON response.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let operation = self.op.id;
        self.send_raw().await?.json(operation)
    }

    /// Sends the request, ignoring the response body.
    pub async fn send_empty(self) -> Result<(), Error> {
        self.send_raw().await.map(drop)
    }

    /// Streams the items of every page, fetching pages lazily.
    ///
    /// Next-page links are followed only to the first page's scheme, host and
    /// port, so credentials never go elsewhere; a foreign link yields
    /// [`Error::Pagination`]. With `limit`, at most that many items are yielded
    /// and no page beyond them is fetched. The first error ends the stream.
    pub fn paginate<P: Page>(
        self,
        limit: Option<u64>,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'static {
        pagination::stream::<P>(self.prepare(), limit)
    }

    fn prepare(self) -> Result<Prepared, Error> {
        let op = self.op;
        if let Some(message) = self.error {
            return Err(Error::invalid_input(op.id, message));
        }
        if let Some(start) = self.path.find('{') {
            let name = self.path[start + 1..].split('}').next().unwrap_or_default();
            return Err(Error::invalid_input(
                op.id,
                format!("path parameter `{name}` was not set"),
            ));
        }
        let inner = &self.client.inner;
        let server = self.client.server(op.server).ok_or_else(|| {
            Error::Config(format!("{}: no server with index {}", op.id, op.server))
        })?;
        let mut url = Url::parse(&format!("{server}{}", self.path)).map_err(|e| {
            Error::Config(format!(
                "{}: cannot form a URL from server {server:?} (set a base URL?): {e}",
                op.id
            ))
        })?;
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = self.headers;
        headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, inner.user_agent.clone().map_err(Error::Config)?);
        if let Some(auth) = inner.auth_header.clone().map_err(Error::Config)? {
            headers.insert(AUTHORIZATION, auth);
        }
        if let Body::Bytes { content_type, .. } = &self.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        Ok(Prepared {
            client: self.client,
            op,
            method: op.method.clone(),
            url,
            headers,
            body: self.body,
        })
    }
}

/// Where `{name}` starts in `path`. Found without building the placeholder string: this
/// runs for every path parameter of every request (see BENCHMARKS.md).
fn placeholder(path: &str, name: &str) -> Option<usize> {
    path.match_indices('{').map(|(i, _)| i).find(|&i| {
        path[i + 1..]
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('}'))
    })
}

impl fmt::Debug for RequestBuilder {
    // Parameter values may be personal data; show only what identifies the call.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("path", &self.op.path)
            .finish_non_exhaustive()
    }
}

/// A fully encoded request, ready to be sent (and re-sent on retry).
pub(crate) struct Prepared {
    pub(crate) client: Client,
    pub(crate) op: &'static Operation,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
}

impl Prepared {
    /// The request for a next-page link: same headers and auth, no body.
    pub(crate) fn follow(&self, url: Url) -> Prepared {
        let mut headers = self.headers.clone();
        headers.remove(CONTENT_TYPE);
        Prepared {
            client: self.client.clone(),
            op: self.op,
            method: Method::GET,
            url,
            headers,
            body: Body::Empty,
        }
    }

    pub(crate) async fn execute(&self) -> Result<RawResponse, Error> {
        let op = self.op;
        let span = tracing::info_span!(
            "sdk.request",
            operation = op.id,
            method = %op.method,
            path = op.path,
            attempt = Empty,
            status = Empty,
        );
        self.execute_with_retries(&span)
            .instrument(span.clone())
            .await
    }

    async fn execute_with_retries(&self, span: &tracing::Span) -> Result<RawResponse, Error> {
        let policy = &self.client.inner.retry;
        let may_retry = is_idempotent(&self.method) && !matches!(self.body, Body::Multipart(_));
        let max_attempts = if may_retry { policy.attempts() } else { 1 };
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let error = match self.attempt(span).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if attempt >= max_attempts || !error.is_retryable() {
                return Err(error);
            }
            let delay = error
                .api_error()
                .and_then(|e| retry_after(&e.headers))
                .unwrap_or_else(|| policy.backoff(attempt - 1));
            if started.elapsed() + delay > policy.elapsed_budget() {
                tracing::debug!(
                    ?delay,
                    "not retrying: the wait would exceed the time budget"
                );
                return Err(error);
            }
            tracing::debug!(?delay, error = %error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt(&self, span: &tracing::Span) -> Result<RawResponse, Error> {
        let inner = &self.client.inner;
        let op = self.op.id;
        let request = match &self.body {
            // Multipart goes through the builder, which adds the boundary's content type.
            Body::Multipart(form) => inner
                .http
                .request(self.method.clone(), self.url.clone())
                .headers(self.headers.clone())
                .timeout(inner.timeout)
                .multipart(form.to_form().map_err(|e| Error::invalid_input(op, e))?)
                .build()
                .map_err(|e| Error::from_reqwest(op, e))?,
            // Otherwise the request is built whole: the builder would insert every header
            // into an empty map one by one, hashing each again (see BENCHMARKS.md).
            Body::Empty | Body::Bytes { .. } => {
                let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
                *request.headers_mut() = self.headers.clone();
                *request.timeout_mut() = Some(inner.timeout);
                if let Body::Bytes { bytes, .. } = &self.body {
                    *request.body_mut() = Some(bytes.clone().into());
                }
                request
            }
        };
        let mut response = inner
            .http
            .execute(request)
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
        if status.is_success() {
            Ok(RawResponse {
                status,
                headers,
                body,
            })
        } else {
            Err(Error::Api(Box::new(ApiError::new(
                op, status, headers, body,
            ))))
        }
    }
}

/// A successful response, undecoded.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// The HTTP status (2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body.
    pub body: Bytes,
}

const EXCERPT_CHARS: usize = 512;

impl RawResponse {
    /// Decodes the body as JSON. On failure, [`Error::Decode`] carries the status,
    /// the path of the offending value (e.g. `items[0].id`) and a body excerpt.
    pub fn json<T: DeserializeOwned>(&self, operation: &'static str) -> Result<T, Error> {
        // Tracking the path of every value costs as much again as decoding (half the time
        // of a 50-item page, see BENCHMARKS.md), so only a body that fails to decode is
        // decoded a second time, with tracking, to say where it failed.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let decode_error = |path: String, source| Error::Decode {
            operation,
            status: self.status.as_u16(),
            path,
            excerpt: excerpt(&self.body),
            source,
        };
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| decode_error(e.path().to_string(), e.into_inner()))?;
        // Trailing data is an error, as with serde_json::from_slice.
        de.end().map_err(|e| decode_error(".".to_owned(), e))?;
        Ok(value)
    }
}

fn excerpt(body: &[u8]) -> String {
    // Four bytes per char at most, so this prefix holds the first EXCERPT_CHARS chars.
    let prefix = &body[..body.len().min(EXCERPT_CHARS * 4)];
    String::from_utf8_lossy(prefix)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}
