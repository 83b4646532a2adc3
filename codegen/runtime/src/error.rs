//! The single error type returned by every SDK call.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything that can go wrong when calling an API.
///
/// `Display` never includes credentials, request URLs or request bodies.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read.
    #[error("{operation}: transport error")]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// The underlying error (its URL is stripped, as it may carry personal data in the query).
        #[source]
        source: reqwest::Error,
    },
    /// The per-attempt timeout elapsed (after any retries).
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
        /// The start of the body (lossy UTF-8), kept out of `Display` because it may hold personal data.
        excerpt: String,
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
    /// The server returned a next-page link that cannot be followed.
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// What was wrong.
        message: String,
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
            Self::Decode { status, .. } => StatusCode::from_u16(*status).ok(),
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

    /// Whether trying the same request again may succeed: throttling (429),
    /// unavailability (503), connection failures and timeouts.
    ///
    /// This ignores idempotency; the automatic retry loop only retries idempotent
    /// methods, since a POST that timed out may already have taken effect.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => matches!(
                e.status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ),
            Self::Timeout { .. } => true,
            Self::Transport { source, .. } => source.is_connect() || source.is_timeout(),
            _ => false,
        }
    }

    pub(crate) fn invalid_input(operation: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            operation,
            message: message.into(),
        }
    }

    /// Maps a reqwest failure, separating timeouts so callers can match on them.
    pub(crate) fn from_reqwest(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Self::Timeout { operation }
        } else {
            Self::Transport {
                operation,
                source: source.without_url(),
            }
        }
    }
}

/// A non-2xx response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation id.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (e.g. `Retry-After`, request ids).
    pub headers: HeaderMap,
    /// The raw response body.
    pub body: Bytes,
    /// The body parsed as a known error shape, if it was one.
    pub details: Option<ErrorBody>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let details = ErrorBody::parse(&body);
        Self {
            operation,
            status,
            headers,
            body,
            details,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        let Some(d) = &self.details else {
            return Ok(());
        };
        if let Some(text) = d
            .message
            .as_ref()
            .or(d.title.as_ref())
            .or(d.detail.as_ref())
        {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
