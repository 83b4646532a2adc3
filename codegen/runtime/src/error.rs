//! The single error type returned by every SDK call, and what a non-2xx response carries.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything that can go wrong when calling an API.
///
/// `Display` never includes credentials, request URLs or bodies. The helpers
/// ([`status`](Self::status), [`code`](Self::code), [`request_id`](Self::request_id),
/// [`is_not_found`](Self::is_not_found), ...) answer the usual questions without matching.
/// Every variant can be built in a test (see [`ApiError::new`]), to fake any failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read.
    #[error("{operation}: transport error")]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// What the [`HttpClient`](crate::transport::HttpClient) reported (never the URL,
        /// which may carry personal data in the query).
        #[source]
        source: TransportError,
    },
    /// An attempt's timeout or the whole call's elapsed (after any retries), or a server
    /// accepted the connection and never answered.
    #[error("{operation}: request timed out")]
    Timeout {
        /// The operation id.
        operation: &'static str,
    },
    /// The server answered with a non-2xx status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A 2xx response body did not match the expected type.
    #[error("{operation}: could not decode HTTP {status} response at `{path}`")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// Where in the document decoding failed, e.g. `items[0].id` (`.` for the root).
        path: String,
        /// The start of the body (lossy UTF-8). It may hold personal data or secrets (a
        /// created API key's secret, say), so `Debug` and `Display` print `<redacted>`:
        /// read it with [`Secret::expose`](crate::Secret::expose) where it is safe to.
        excerpt: crate::Secret,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// An argument could not be encoded; nothing was sent.
    #[error("{operation}: invalid input: {message}")]
    InvalidInput {
        /// The operation id.
        operation: &'static str,
        /// What was wrong, naming the parameter.
        message: String,
    },
    /// The auth provider could not authenticate the request; nothing was sent.
    #[error("{operation}: authentication failed: {source}")]
    Auth {
        /// The operation id.
        operation: &'static str,
        /// What the provider reported (never the secret).
        #[source]
        source: AuthError,
    },
    /// A response body was larger than the client's limit for it; the connection was
    /// dropped without reading the rest. Raise the limit with
    /// [`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size) (or
    /// [`max_error_body_size`](crate::ClientBuilder::max_error_body_size) for error
    /// responses).
    #[error(
        "{operation}: the HTTP {status} response body is larger than the limit of {limit} bytes"
    )]
    BodyTooLarge {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status of the response: a 429 or 503 is retried as such.
        status: u16,
        /// The limit that was exceeded, in bytes.
        limit: u64,
        /// The response's `Retry-After`, if it had one.
        retry_after: Option<Duration>,
    },
    /// The server redirected the request somewhere the client will not follow: from
    /// `https` to `http`, to a scheme other than those two, or too many times. Nothing was
    /// sent to the new location.
    #[error("{operation}: redirect not followed: {message}")]
    Redirect {
        /// The operation id.
        operation: &'static str,
        /// Why (never the URL's query, which may carry personal data).
        message: String,
    },
    /// The server returned a next-page link that cannot be followed, or the listing does
    /// not end (a link seen before, too many pages, a run of empty pages).
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// An [`Interceptor`](crate::client::Interceptor) failed the call.
    #[error("{operation}: an interceptor failed: {source}")]
    Interceptor {
        /// The operation id.
        operation: &'static str,
        /// What the interceptor reported.
        #[source]
        source: InterceptorError,
    },
    /// The client configuration is invalid (bad base URL, missing credentials, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, for errors that came with a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode { status, .. } | Self::BodyTooLarge { status, .. } => {
                StatusCode::from_u16(*status).ok()
            }
            _ => None,
        }
    }

    /// The API error, if the server answered with a non-2xx status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The vendor's error code from the body (Twilio's `code`, e.g. `20404`).
    pub fn code(&self) -> Option<i64> {
        self.api_error()?.details()?.code
    }

    /// The vendor's error message from the body (`message`, or a problem's `title`/`detail`).
    pub fn message(&self) -> Option<&str> {
        self.api_error()?.details()?.text()
    }

    /// The request id the server gave the failed request (Twilio's `Twilio-Request-Id`),
    /// to quote to the vendor's support.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error()?.request_id()
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::BodyTooLarge { retry_after, .. } => *retry_after,
            _ => self.api_error()?.retry_after(),
        }
    }

    /// The operation that failed, where known.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Transport { operation, .. }
            | Self::Timeout { operation }
            | Self::Decode { operation, .. }
            | Self::InvalidInput { operation, .. }
            | Self::Auth { operation, .. }
            | Self::Pagination { operation, .. }
            | Self::BodyTooLarge { operation, .. }
            | Self::Redirect { operation, .. }
            | Self::Interceptor { operation, .. } => Some(operation),
            Self::Api(e) => Some(e.operation),
            Self::Config(_) => None,
        }
    }

    /// HTTP 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// HTTP 429: the request was not processed; it may be sent again after
    /// [`retry_after`](Self::retry_after).
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// The attempt timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether trying the same request again may succeed: throttling (429),
    /// unavailability (503), connection failures and timeouts. Says nothing about whether
    /// repeating it is safe; see [`RetryPolicy`](crate::RetryPolicy) for the rule the client
    /// follows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => matches!(
                e.status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ),
            Self::BodyTooLarge { status, .. } => matches!(*status, 429 | 503),
            Self::Timeout { .. } => true,
            Self::Transport { source, .. } => source.kind() != TransportErrorKind::Other,
            _ => false,
        }
    }

    /// An [`Error::InvalidInput`].
    pub fn invalid_input(operation: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            operation,
            message: message.into(),
        }
    }

    /// Maps a transport failure, separating timeouts so callers can match on them. A
    /// connect timeout stays a transport error: the request never left, which the retry
    /// rule needs to know.
    pub(crate) fn from_transport(operation: &'static str, source: TransportError) -> Self {
        match source.kind() {
            TransportErrorKind::Timeout => Self::Timeout { operation },
            _ => Self::Transport { operation, source },
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// What an [`Interceptor`](crate::client::Interceptor) can fail with.
pub type InterceptorError = Box<dyn std::error::Error + Send + Sync>;

/// An error body decoded with the schema the spec gives for its status.
pub type TypedBody = Arc<dyn Any + Send + Sync>;

/// Decodes an error body as `T`; generated [`Operation`](crate::Operation) statics list
/// one per error response with a schema.
pub fn decode_error_body<T: DeserializeOwned + Send + Sync + 'static>(
    body: &[u8],
) -> Option<TypedBody> {
    let value: T = serde_json::from_slice(body).ok()?;
    Some(Arc::new(value))
}

/// A non-2xx response.
#[derive(Clone)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    details: Option<ErrorBody>,
    typed: Option<TypedBody>,
    /// Fields of `details` the spec marks as personal data: kept out of `Display`/`Debug`.
    pii: &'static [&'static str],
    request_id: Option<String>,
    retry_after: Option<Duration>,
}

impl ApiError {
    /// An API error as the client would report it: the body is parsed for the vendor's
    /// error fields, the request id and `Retry-After` are read from the headers. Public so
    /// tests can fake any answer.
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: impl Into<Bytes>,
    ) -> Self {
        Self::received(
            operation,
            status,
            headers,
            body.into(),
            None,
            SystemTime::now(),
        )
    }

    pub(crate) fn received(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        request_id_header: Option<&str>,
        now: SystemTime,
    ) -> Self {
        ApiError {
            operation,
            status,
            details: ErrorBody::parse(&body),
            typed: None,
            pii: &[],
            request_id: crate::wire::request_id(&headers, request_id_header).map(str::to_owned),
            retry_after: crate::wire::retry_after(&headers, now),
            headers,
            body,
        }
    }

    /// Attaches the body decoded with the spec's schema for this status.
    pub fn with_typed_body<T: Send + Sync + 'static>(mut self, body: T) -> Self {
        self.typed = Some(Arc::new(body));
        self
    }

    pub(crate) fn set_typed(&mut self, typed: Option<TypedBody>) {
        self.typed = typed;
    }

    /// Keeps these fields of the body (wire names, as the spec's error schema marks them
    /// personal data) out of `Display` and `Debug`; [`details`](Self::details) still has them.
    pub fn with_pii_fields(mut self, fields: &'static [&'static str]) -> Self {
        self.pii = fields;
        self
    }

    pub(crate) fn set_pii(&mut self, fields: &'static [&'static str]) {
        self.pii = fields;
    }

    /// `details`, without the fields marked as personal data.
    fn shown_details(&self) -> Option<ErrorBody> {
        let mut d = self.details.clone()?;
        let hide = |field: &mut Option<String>, name: &str| {
            if self.pii.contains(&name) {
                *field = field.as_ref().map(|_| "<redacted>".to_owned());
            }
        };
        hide(&mut d.message, "message");
        hide(&mut d.more_info, "more_info");
        hide(&mut d.type_, "type");
        hide(&mut d.title, "title");
        hide(&mut d.detail, "detail");
        hide(&mut d.instance, "instance");
        if self.pii.contains(&"code") {
            d.code = None;
        }
        Some(d)
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Decodes the body as `T`, for error bodies the spec does not describe.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body parsed leniently as one of the common error shapes (Twilio, RFC 7807
    /// problem details, Front), if it is one.
    pub fn details(&self) -> Option<&ErrorBody> {
        self.details.as_ref()
    }

    /// The body decoded with the schema the spec declares for this status, if it has one
    /// and the body matches: e.g. `error.api_error()?.typed::<types::Error>()`. The
    /// operation's docs name the type.
    pub fn typed<T: 'static>(&self) -> Option<&T> {
        self.typed.as_deref()?.downcast_ref()
    }

    /// The request id the server gave this request.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How long the server asked to wait (`Retry-After`, in seconds or as a date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Debug for ApiError {
    // The body may hold personal data echoed back by the server: only its size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("details", &self.shown_details())
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        let Some(d) = self.shown_details() else {
            return Ok(());
        };
        if let Some(text) = d.text() {
            write!(f, ": {text}")?;
        }
        match (d.code, &d.more_info) {
            (Some(code), Some(info)) => write!(f, " (code {code}, {info})"),
            (Some(code), None) => write!(f, " (code {code})"),
            (None, Some(info)) => write!(f, " ({info})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// The error document many APIs return, parsed leniently.
///
/// Covers Twilio's classic shape (`code`, `message`, `more_info`, `status`),
/// RFC 7807 problem details (`type`, `title`, `detail`, `instance`), which newer
/// Twilio APIs use, and Front's `{"_error": {...}}` envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// Twilio error code, e.g. `20404`.
    pub code: Option<i64>,
    /// Human-readable message.
    pub message: Option<String>,
    /// Link to the error's documentation.
    pub more_info: Option<String>,
    /// HTTP status repeated in the body.
    pub status: Option<u16>,
    /// Problem-details type URI.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Problem-details short summary.
    pub title: Option<String>,
    /// Problem-details explanation.
    pub detail: Option<String>,
    /// Problem-details URI of this occurrence.
    pub instance: Option<String>,
}

impl ErrorBody {
    /// The most specific text the body gives: `message`, else a problem's `detail`, else
    /// its `title`.
    pub fn text(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.detail.as_deref())
            .or(self.title.as_deref())
    }

    /// Parses an error body, tolerating wrong field types (a numeric code sent as a
    /// string, ...) because a strict parse would throw away the useful fields of an
    /// error the spec did not describe exactly. Returns `None` for bodies that are not
    /// JSON objects or have none of the known fields.
    pub fn parse(body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let mut obj = value.as_object()?;
        if let Some(inner) = obj.get("_error").and_then(Value::as_object) {
            obj = inner;
        }
        let string = |k: &str| match obj.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let int = |k: &str| match obj.get(k)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let parsed = Self {
            code: int("code"),
            message: string("message"),
            more_info: string("more_info"),
            status: int("status").and_then(|s| u16::try_from(s).ok()),
            type_: string("type"),
            title: string("title"),
            detail: string("detail"),
            instance: string("instance"),
        };
        (parsed != Self::default()).then_some(parsed)
    }
}

/// Why a provider could not authenticate a request. Its message must not contain secrets.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An error with a message (never the secret itself).
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What went wrong moving bytes, by what it means for sending the request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made: the request never left, so it is safe to send again
    /// whatever its method.
    Connect,
    /// The transport's own timeout elapsed.
    Timeout,
    /// The connection failed or was cut after the request may have left.
    Io,
    /// The server's bytes were not valid HTTP (a broken status line, length or chunk).
    Protocol,
    /// Anything else: a request the transport could not build, a bad configuration.
    Other,
}

/// A failure of the [`HttpClient`](crate::transport::HttpClient). Its message and source never carry the request's
/// URL, which may hold personal data in its query.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A failure of `kind`, caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request surely never reached the server.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "the connection failed",
            TransportErrorKind::Protocol => "the response is not valid HTTP",
            TransportErrorKind::Other => "the request could not be sent",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_send_sync::<Error>();
    }

    #[test]
    fn parses_front_envelope_and_lenient_types() {
        let body =
            br#"{"_error":{"status":"404","title":"Not found","message":"Unknown conversation"}}"#;
        let d = ErrorBody::parse(body).unwrap();
        assert_eq!(d.status, Some(404));
        assert_eq!(d.title.as_deref(), Some("Not found"));
        assert!(ErrorBody::parse(b"[1,2]").is_none());
        assert!(ErrorBody::parse(b"{\"unrelated\":1}").is_none());
    }

    #[test]
    fn display_formats() {
        let e = ApiError::new(
            "FetchX",
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            Bytes::from_static(
                br#"{"code":20404,"message":"not found","more_info":"https://e/20404"}"#,
            ),
        );
        assert_eq!(
            e.to_string(),
            "FetchX: HTTP 404 Not Found: not found (code 20404, https://e/20404)"
        );
        let e = ApiError::new(
            "FetchX",
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            Bytes::new(),
        );
        assert_eq!(e.to_string(), "FetchX: HTTP 502 Bad Gateway");
    }

    #[test]
    fn helpers_read_status_code_message_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("RQ123"));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let e = Error::from(ApiError::new(
            "ListX",
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            &br#"{"code":20429,"message":"Too many requests"}"#[..],
        ));
        assert!(e.is_throttled() && !e.is_not_found() && e.is_retryable());
        assert_eq!(e.code(), Some(20429));
        assert_eq!(e.message(), Some("Too many requests"));
        assert_eq!(e.request_id(), Some("RQ123"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(e.operation(), Some("ListX"));
    }

    #[test]
    fn fields_the_spec_marks_as_personal_data_stay_out_of_display_and_debug() {
        let body = br#"{"code":21211,"message":"+15551234567 is not a valid number","more_info":"https://e/21211"}"#;
        let plain = ApiError::new(
            "Create",
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            &body[..],
        );
        assert!(plain.to_string().contains("+15551234567"));
        let marked = plain.clone().with_pii_fields(&["message"]);
        let shown = format!("{marked} {marked:?} {:?}", Error::from(marked.clone()));
        assert!(!shown.contains("+15551234567"), "{shown}");
        assert!(
            shown.contains("21211") && shown.contains("https://e/21211"),
            "{shown}"
        );
        assert_eq!(
            marked.details().unwrap().message.as_deref(),
            Some("+15551234567 is not a valid number"),
            "the caller can still read it"
        );
    }

    #[test]
    fn typed_bodies_are_found_by_type() {
        #[derive(Debug, PartialEq)]
        struct Problem(u8);
        let e = ApiError::new("X", StatusCode::BAD_REQUEST, HeaderMap::new(), Bytes::new())
            .with_typed_body(Problem(7));
        assert_eq!(e.typed::<Problem>(), Some(&Problem(7)));
        assert_eq!(e.typed::<String>(), None);
    }
}
