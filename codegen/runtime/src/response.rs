//! Successful responses: the decoded body with its metadata (status, headers, request id,
//! rate limits), and the raw response for anything the spec does not type.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// What every response says besides its body.
#[derive(Clone, Debug)]
pub struct Metadata {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    request_id_header: Option<&'static str>,
}

impl Metadata {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        request_id_header: Option<&'static str>,
    ) -> Self {
        Metadata {
            operation,
            status,
            headers,
            request_id_header,
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status (2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave the request (Twilio's `Twilio-Request-Id`), to
    /// correlate with the vendor's logs.
    pub fn request_id(&self) -> Option<&str> {
        crate::wire::request_id(&self.headers, self.request_id_header)
    }

    /// The rate limit the server reported, from `X-RateLimit-*` (or `RateLimit-*`) headers.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        let number = |names: &[&str]| crate::wire::header_u64(&self.headers, names);
        let limit = number(&["x-ratelimit-limit", "ratelimit-limit"]);
        let remaining = number(&["x-ratelimit-remaining", "ratelimit-remaining"]);
        let reset = number(&["x-ratelimit-reset", "ratelimit-reset"]);
        (limit.is_some() || remaining.is_some() || reset.is_some()).then_some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }
}

/// A server's rate-limit headers. `reset` is as the server sent it: seconds until the
/// window resets (`RateLimit-Reset`) or a Unix time (Front's `X-RateLimit-Reset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<u64>,
}

/// A decoded body with the response's [`Metadata`].
#[derive(Clone, Debug)]
pub struct Response<T> {
    body: T,
    metadata: Metadata,
}

impl<T> Response<T> {
    /// The same response with its body converted, metadata kept (generated operations whose
    /// success statuses carry different bodies wrap each in their enum's variant).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            body: f(self.body),
            metadata: self.metadata,
        }
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, without the metadata.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Body and metadata.
    pub fn into_parts(self) -> (T, Metadata) {
        (self.body, self.metadata)
    }

    /// Status, headers, request id and rate limits.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.metadata.status
    }

    /// The request id (see [`Metadata::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.metadata.request_id()
    }
}

/// A successful response, undecoded.
#[derive(Clone)]
pub struct RawResponse {
    metadata: Metadata,
    body: Bytes,
}

const EXCERPT_CHARS: usize = 512;

impl RawResponse {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        request_id_header: Option<&'static str>,
    ) -> Self {
        RawResponse {
            metadata: Metadata {
                operation,
                status,
                headers,
                request_id_header,
            },
            body,
        }
    }

    pub(crate) fn from_parts(metadata: Metadata, body: Bytes) -> Self {
        RawResponse { metadata, body }
    }

    pub(crate) fn into_parts(self) -> (Metadata, Bytes) {
        (self.metadata, self.body)
    }

    /// Status, headers and request id.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.metadata.status
    }

    /// The body.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON. On failure, [`Error::Decode`] carries the status, the
    /// path of the offending value (e.g. `items[0].id`) and a body excerpt.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let body = decode(&self.metadata, &self.body)?;
        Ok(Response {
            body,
            metadata: self.metadata,
        })
    }

    /// The body for an operation whose spec declares no body type: see [`Body`].
    pub fn untyped(self) -> Response<Body> {
        let content_type = self
            .metadata
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Response {
            body: Body {
                operation: self.metadata.operation,
                status: self.metadata.status,
                content_type,
                bytes: self.body,
            },
            metadata: self.metadata,
        }
    }

    /// The body as text, for an operation whose spec declares a `text/*` response (invalid
    /// UTF-8 replaced with U+FFFD).
    pub fn text(self) -> Response<String> {
        let text = match String::from_utf8(Vec::from(self.body)) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Response {
            body: text,
            metadata: self.metadata,
        }
    }

    /// For an operation the spec says answers with no body (204).
    pub fn empty(self) -> Response<()> {
        Response {
            body: (),
            metadata: self.metadata,
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("metadata", &self.metadata)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A response body the spec does not describe: bytes with their content type, decoded on
/// request. Operations whose success response declares no schema return this, so nothing
/// the server sends is thrown away.
#[derive(Clone)]
pub struct Body {
    operation: &'static str,
    status: StatusCode,
    content_type: Option<String>,
    bytes: Bytes,
}

impl Body {
    /// The body's `Content-Type`, if the server sent one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// Whether the server sent no body at all.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Decodes the body as JSON into `T` (`serde_json::Value` for any JSON).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let metadata = Metadata {
            operation: self.operation,
            status: self.status,
            headers: HeaderMap::new(),
            request_id_header: None,
        };
        decode(&metadata, &self.bytes)
    }
}

impl fmt::Debug for Body {
    // The body may be personal data: only its size and type are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

pub(crate) fn decode<T: DeserializeOwned>(metadata: &Metadata, body: &[u8]) -> Result<T, Error> {
    // Tracking the path of every value costs as much again as decoding (half the time
    // of a 50-item page, see BENCHMARKS.md), so only a body that fails to decode is
    // decoded a second time, with tracking, to say where it failed.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let decode_error = |path: String, source| Error::Decode {
        operation: metadata.operation,
        status: metadata.status.as_u16(),
        path,
        excerpt: crate::Secret::new(excerpt(body)),
        source,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| decode_error(e.path().to_string(), e.into_inner()))?;
    // Trailing data is an error, as with serde_json::from_slice.
    de.end().map_err(|e| decode_error(".".to_owned(), e))?;
    Ok(value)
}

fn excerpt(body: &[u8]) -> String {
    // Four bytes per char at most, so this prefix holds the first EXCERPT_CHARS chars.
    let prefix = &body[..body.len().min(EXCERPT_CHARS * 4)];
    String::from_utf8_lossy(prefix)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn raw(headers: &[(&'static str, &'static str)], body: &'static [u8]) -> RawResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_static(v));
        }
        RawResponse::new(
            "Op",
            StatusCode::OK,
            map,
            Bytes::from_static(body),
            Some("twilio-request-id"),
        )
    }

    #[test]
    fn metadata_reads_request_id_and_rate_limits() {
        let r = raw(
            &[
                ("twilio-request-id", "RQabc"),
                ("x-request-id", "other"),
                ("x-ratelimit-limit", "50"),
                ("x-ratelimit-remaining", "49"),
            ],
            b"{}",
        );
        assert_eq!(r.metadata().request_id(), Some("RQabc"));
        let limit = r.metadata().rate_limit().unwrap();
        assert_eq!(
            (limit.limit, limit.remaining, limit.reset),
            (Some(50), Some(49), None)
        );
        assert_eq!(raw(&[], b"").metadata().rate_limit(), None);
    }

    #[test]
    fn untyped_bodies_keep_bytes_and_content_type() {
        let r = raw(&[("content-type", "application/json")], br#"{"a":1}"#).untyped();
        let body = r.body();
        assert_eq!(body.content_type(), Some("application/json"));
        assert_eq!(body.json::<serde_json::Value>().unwrap()["a"], 1);
        assert!(!body.is_empty());
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code, reason = "only decoding is tested")]
        struct Page {
            items: Vec<u32>,
        }
        let err = raw(&[], br#"{"items":[1,"x"]}"#)
            .json::<Page>()
            .unwrap_err();
        match err {
            Error::Decode { path, status, .. } => {
                assert_eq!(path, "items[1]");
                assert_eq!(status, 200);
            }
            other => panic!("{other:?}"),
        }
    }
}
