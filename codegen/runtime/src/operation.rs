//! One API operation as a generated crate declares it: method, path template, server and
//! the typed error bodies of its responses. Plain data, below everything that sends.

use std::fmt;

use reqwest::Method;

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
    /// Error responses the spec gives a body schema, decoded into [`ApiError::typed`](crate::ApiError::typed).
    pub errors: &'static [ErrorSchema],
}

/// An error response with a typed body: the status (or range, such as `4XX`) and how to
/// decode it.
pub struct ErrorSchema {
    /// A status code, a range like `4XX`, or `default`.
    pub status: &'static str,
    /// Decodes the body; `None` when it does not match the schema.
    pub decode: fn(&[u8]) -> Option<crate::error::TypedBody>,
    /// The schema's fields the spec marks as personal data (wire names, at the top level
    /// or inside an `_error` envelope): [`ApiError`](crate::ApiError)'s `Display` and
    /// `Debug` leave them out.
    pub pii: &'static [&'static str],
}

impl fmt::Debug for ErrorSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorSchema")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl ErrorSchema {
    /// Whether this entry covers `status`: an exact code beats a range, which beats `default`.
    pub(crate) fn rank(&self, status: u16) -> Option<u8> {
        let s = self.status;
        if s == "default" {
            return Some(0);
        }
        if s.len() == 3 && s.ends_with("XX") {
            let class = s.as_bytes()[0];
            return (u16::from(class.wrapping_sub(b'0')) == status / 100).then_some(1);
        }
        (s.parse::<u16>().ok()? == status).then_some(2)
    }
}

impl Operation {
    /// Whether repeating the request cannot change the outcome (RFC 9110, 9.2.2).
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(status: &'static str) -> ErrorSchema {
        ErrorSchema {
            status,
            decode: |_| None,
            pii: &[],
        }
    }

    #[test]
    fn exact_status_beats_range_beats_default() {
        assert_eq!(schema("404").rank(404), Some(2));
        assert_eq!(schema("4XX").rank(404), Some(1));
        assert_eq!(schema("default").rank(404), Some(0));
        assert_eq!(schema("5XX").rank(404), None);
        assert_eq!(schema("400").rank(404), None);
    }
}
