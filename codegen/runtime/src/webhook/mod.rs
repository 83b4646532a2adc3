//! Receiving webhooks: proving that a request came from the vendor before anything reads it.
//!
//! Framework-neutral: an [`Inbound`] is what every HTTP server has — the method, the URL
//! the vendor called, the headers and the raw body bytes. A [`Verifier`]
//! ([`extensions::twilio::RequestValidator`](crate::extensions::twilio::RequestValidator),
//! [`extensions::front::webhook::WebhookVerifier`](crate::extensions::front::webhook::WebhookVerifier))
//! takes one
//! and gives the verified, decoded event, or a [`Rejection`] that names the check that
//! failed and never the secret. With the `axum` feature, [`axum`] turns a
//! verifier into an extractor, so a handler only ever sees verified events.
//!
//! # The URL rule
//!
//! Twilio signs the URL it called, so the verifier must see that URL exactly: scheme,
//! host, port, path and query as configured in Twilio's console, not the address a proxy
//! or load balancer forwarded to. Behind TLS termination the server sees `http://` and an
//! internal host; build the URL from the public origin you configured instead
//! ([`PublicUrl`]).

#[cfg(feature = "axum")]
pub mod axum;

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// One request as it reached the service, before anything is trusted.
#[derive(Clone, Copy)]
pub struct Inbound<'a> {
    method: &'a Method,
    url: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl<'a> Inbound<'a> {
    /// A request from its parts. `url` is the full URL the vendor called (see the module
    /// docs), `body` the bytes exactly as received.
    pub fn new(method: &'a Method, url: &'a str, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Inbound {
            method,
            url,
            headers,
            body,
        }
    }

    /// A request from an [`http::Request`] whose body is already read, with the URL the
    /// vendor called (a server's request URI is usually only the path).
    pub fn from_http<B: AsRef<[u8]>>(request: &'a http::Request<B>, url: &'a str) -> Self {
        Inbound::new(
            request.method(),
            url,
            request.headers(),
            request.body().as_ref(),
        )
    }

    /// The method.
    pub fn method(&self) -> &'a Method {
        self.method
    }

    /// The URL the vendor called.
    pub fn url(&self) -> &'a str {
        self.url
    }

    /// The headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The value of a header every request must carry, once.
    ///
    /// A repeated header is refused rather than tried value by value: Twilio and Front send
    /// each once, so a second one was added on the way, and which of them counts would
    /// otherwise depend on how each proxy and framework merges or orders repeats.
    pub(crate) fn required_header(&self, name: &'static str) -> Result<&'a str, Rejection> {
        let mut values = self.headers.get_all(name).iter();
        let value = values.next().ok_or(Rejection::MissingHeader(name))?;
        if values.next().is_some() {
            return Err(Rejection::MalformedHeader {
                header: name,
                why: "it appears more than once",
            });
        }
        value.to_str().map_err(|_| Rejection::MalformedHeader {
            header: name,
            why: "it is not visible ASCII",
        })
    }

    /// The value of a header that may be absent.
    pub(crate) fn optional_header(&self, name: &'static str) -> Result<Option<&'a str>, Rejection> {
        match self.required_header(name) {
            Err(Rejection::MissingHeader(_)) => Ok(None),
            other => other.map(Some),
        }
    }
}

impl fmt::Debug for Inbound<'_> {
    // The URL, headers and body may carry credentials or personal data: show their size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbound")
            .field("method", self.method)
            .field("headers", &self.headers.len())
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Checks that an [`Inbound`] request came from the vendor and decodes it.
pub trait Verifier: Send + Sync + 'static {
    /// What a verified request decodes to.
    type Event;

    /// The verified, decoded request, or the check it failed.
    fn verify(&self, request: &Inbound<'_>) -> Result<Self::Event, Rejection>;
}

/// How to recover the URL the vendor called from what the server received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicUrl {
    /// The origin (`https://hooks.example.com`, with a port only if the vendor's URL has
    /// one) the vendor was configured with, followed by the request's path and query.
    /// Right behind any proxy or load balancer that keeps the path.
    Origin(String),
    /// `scheme://` followed by the request's `Host` header (else, for HTTP/2, its
    /// `:authority`), path and query: only when the server is reached directly, or every
    /// proxy forwards `Host` unchanged and the scheme is fixed.
    HostHeader {
        /// `https` or `http`: what the vendor used, not what the server sees.
        scheme: &'static str,
    },
}

impl PublicUrl {
    /// The URL the vendor called, given the request's path-and-query and headers.
    pub fn resolve(&self, path_and_query: &str, headers: &HeaderMap) -> Result<String, Rejection> {
        self.resolve_with(path_and_query, headers, None)
    }

    /// The URL the vendor called, given the request's URI (as a server framework hands it)
    /// and headers. Under HTTP/2 a request may name its host only in `:authority`, which
    /// servers put in the URI rather than a `Host` header; [`PublicUrl::HostHeader`] reads it
    /// from there when `Host` is absent.
    pub fn resolve_uri(&self, uri: &http::Uri, headers: &HeaderMap) -> Result<String, Rejection> {
        let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
        self.resolve_with(path_and_query, headers, uri.authority())
    }

    fn resolve_with(
        &self,
        path_and_query: &str,
        headers: &HeaderMap,
        authority: Option<&http::uri::Authority>,
    ) -> Result<String, Rejection> {
        match self {
            PublicUrl::Origin(origin) => {
                Ok(format!("{}{path_and_query}", origin.trim_end_matches('/')))
            }
            PublicUrl::HostHeader { scheme } => {
                let host = match (headers.get(reqwest::header::HOST), authority) {
                    (Some(host), _) => host.to_str().map_err(|_| Rejection::MalformedHeader {
                        header: "host",
                        why: "it is not visible ASCII",
                    })?,
                    (None, Some(authority)) => authority.as_str(),
                    (None, None) => return Err(Rejection::MissingHeader("host")),
                };
                Ok(format!("{scheme}://{host}{path_and_query}"))
            }
        }
    }
}

/// Why a request was not accepted. Never contains the secret, and never echoes a
/// signature or body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A header the vendor always sends is absent.
    #[error("the request has no `{0}` header")]
    MissingHeader(&'static str),
    /// A header is present but unreadable.
    #[error("the `{header}` header is malformed: {why}")]
    MalformedHeader {
        /// The header's name.
        header: &'static str,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The signature is well-formed but was not made with this secret over this request:
    /// forged, tampered with, signed with another key, or checked against another URL.
    #[error("the `{header}` signature does not match this request ({checked})")]
    SignatureMismatch {
        /// The header the signature came in.
        header: &'static str,
        /// What the signature was checked over, for the operator.
        checked: &'static str,
    },
    /// The body is not the one whose hash the signed URL carries.
    #[error("the body does not match the `bodySHA256` hash in the signed URL")]
    BodyHashMismatch,
    /// The request has a body the signature does not cover (for Twilio: neither form data
    /// nor hashed into the URL's `bodySHA256`).
    #[error("the request has a body its signature does not cover")]
    UnsignedBody,
    /// The request was signed too long ago: possibly replayed.
    #[error("the request was signed {age:?} ago, more than the {tolerance:?} allowed")]
    Stale {
        /// How long ago.
        age: Duration,
        /// The allowed age.
        tolerance: Duration,
    },
    /// The request claims to be signed in the future, beyond the allowed clock skew.
    #[error(
        "the request claims to be signed {ahead:?} from now, more than the {tolerance:?} allowed"
    )]
    FromTheFuture {
        /// How far ahead.
        ahead: Duration,
        /// The allowed skew.
        tolerance: Duration,
    },
    /// The URL the request was checked against is not an absolute `http(s)` URL.
    #[error("the webhook URL is not an absolute http or https URL (it must be the URL the vendor called)")]
    NotAbsoluteUrl,
    /// The request is authentic but its body is not what the vendor documents.
    #[error("the verified body is not {expected}: {why}")]
    Body {
        /// What was expected (`"UTF-8 form data"`, `"JSON"`, ...).
        expected: &'static str,
        /// What the decoder said.
        why: String,
    },
}

impl Rejection {
    /// The status a receiver should answer with: 401 when the request carries no
    /// credentials, 403 when they are wrong, 400 when an authentic body cannot be decoded.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::MissingHeader(_) => StatusCode::UNAUTHORIZED,
            Rejection::Body { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::FORBIDDEN,
        }
    }
}

/// Decodes base64 (standard alphabet, padded) signature text.
pub(crate) fn base64_signature(header: &'static str, text: &str) -> Result<Vec<u8>, Rejection> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| Rejection::MalformedHeader {
            header,
            why: "it is not base64",
        })
}

/// Decodes a JSON body, saying where it failed but not echoing the value there (serde's
/// own messages quote it, and a body may hold personal data).
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| json_rejection(&e.path().to_string(), e.inner()))?;
    de.end().map_err(|e| json_rejection(".", &e))?;
    Ok(value)
}

fn json_rejection(path: &str, error: &serde_json::Error) -> Rejection {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Syntax | Category::Io => "it is not valid JSON",
        Category::Eof => "it ends early",
        Category::Data => "a value is missing or has the wrong type",
    };
    Rejection::Body {
        expected: "JSON of the documented shape",
        why: format!(
            "{what} at `{path}` (line {}, column {})",
            error.line(),
            error.column()
        ),
    }
}

/// Decodes a verified JSON body as `T`; generated `Webhook::decode` functions call it.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    json_body(body)
}

/// Decodes a verified form body (`application/x-www-form-urlencoded`) as `T`, repeated
/// names collected into sequences; generated `Webhook::decode` functions call it.
pub fn decode_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    serde_html_form::from_bytes(body).map_err(|e| Rejection::Body {
        expected: "form data of the documented shape",
        why: e.to_string(),
    })
}

/// A body kept as received: a webhook payload of a content type the SDK does not decode.
/// `Debug` shows its length only (it may hold personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(bytes::Bytes);

impl RawBody {
    /// The bytes.
    pub fn bytes(&self) -> &bytes::Bytes {
        &self.0
    }
}

impl From<&[u8]> for RawBody {
    fn from(body: &[u8]) -> Self {
        RawBody(bytes::Bytes::copy_from_slice(body))
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBody({} bytes)", self.0.len())
    }
}

/// A delivery of a webhook the generated crate does not know (newer than its spec), kept
/// as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownWebhook {
    name: String,
    body: RawBody,
}

impl UnknownWebhook {
    /// The webhook `name`'s body.
    pub fn new(name: &str, body: &[u8]) -> Self {
        UnknownWebhook {
            name: name.to_owned(),
            body: RawBody::from(body),
        }
    }

    /// The name it was decoded under.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The body as received.
    pub fn body(&self) -> &bytes::Bytes {
        self.body.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_public_url_is_rebuilt_from_the_configured_origin_or_the_host_header() {
        let mut headers = HeaderMap::new();
        let origin = PublicUrl::Origin("https://hooks.example.com/".into());
        assert_eq!(
            origin.resolve("/twilio/status?x=1", &headers).unwrap(),
            "https://hooks.example.com/twilio/status?x=1"
        );
        let host = PublicUrl::HostHeader { scheme: "https" };
        assert_eq!(
            host.resolve("/a", &headers),
            Err(Rejection::MissingHeader("host"))
        );
        headers.insert("host", HeaderValue::from_static("internal:8080"));
        assert_eq!(
            host.resolve("/a", &headers).unwrap(),
            "https://internal:8080/a"
        );
        // HTTP/2: no `Host`, the authority in the URI; `Host` wins when both are there.
        let h2: http::Uri = "https://hooks.example.com:8443/a?b=1".parse().unwrap();
        assert_eq!(
            host.resolve_uri(&h2, &HeaderMap::new()).unwrap(),
            "https://hooks.example.com:8443/a?b=1"
        );
        assert_eq!(
            host.resolve_uri(&h2, &headers).unwrap(),
            "https://internal:8080/a?b=1"
        );
        let relative: http::Uri = "/a".parse().unwrap();
        assert_eq!(
            host.resolve_uri(&relative, &HeaderMap::new()),
            Err(Rejection::MissingHeader("host"))
        );
        // Behind a proxy that strips `/hooks`, the prefix goes in the origin.
        let prefixed = PublicUrl::Origin("https://example.com/hooks".into());
        assert_eq!(
            prefixed.resolve("/twilio/status?x=1", &headers).unwrap(),
            "https://example.com/hooks/twilio/status?x=1"
        );
    }

    #[test]
    fn an_http_request_gives_the_same_inbound_as_its_parts() {
        use crate::extensions::twilio::RequestValidator;
        let url = "https://hooks.example.com/twilio/status";
        let validator = RequestValidator::new("token");
        let signature = validator.signature(url, [("MessageStatus", "sent")]);
        let request = http::Request::builder()
            .method(Method::POST)
            .uri("/twilio/status")
            .header("x-twilio-signature", &signature)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"MessageStatus=sent".to_vec())
            .unwrap();
        let inbound = Inbound::from_http(&request, url);
        assert_eq!(inbound.method(), Method::POST);
        assert_eq!(inbound.url(), url, "the URL given, not the request's URI");
        assert_eq!(inbound.headers(), request.headers());
        assert_eq!(inbound.body(), b"MessageStatus=sent");
        let callback = validator.validate(&inbound).unwrap();
        assert_eq!(callback.param("MessageStatus"), Some("sent"));
        // Its URI alone is not what Twilio signed.
        let uri = request.uri().to_string();
        assert_eq!(
            validator.validate(&Inbound::from_http(&request, &uri)),
            Err(Rejection::NotAbsoluteUrl)
        );
    }

    #[test]
    fn bodies_are_kept_but_never_shown() {
        let raw = RawBody::from(&b"+15551234567"[..]);
        assert_eq!(format!("{raw:?}"), "RawBody(12 bytes)");
        let unknown = UnknownWebhook::new("call.ended", b"secret transcript");
        assert_eq!(unknown.name(), "call.ended");
        assert_eq!(&unknown.body()[..], b"secret transcript");
        assert!(!format!("{unknown:?}").contains("secret"));
    }

    #[test]
    fn decoders_name_the_place_but_not_the_value() {
        #[derive(Debug, serde::Deserialize)]
        struct Status {
            #[allow(dead_code, reason = "only decoding is tested")]
            code: u32,
        }
        let err = decode_json::<Status>(br#"{"code": "PRIVATE"}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("code") && !text.contains("PRIVATE"), "{text}");
        assert_eq!(err.status().as_u16(), 400);
        assert!(matches!(
            decode_json::<Status>(b"{} trailing"),
            Err(Rejection::Body { .. })
        ));
        let form: Status = decode_form(b"code=7").unwrap();
        assert_eq!(form.code, 7);
        assert!(decode_form::<Status>(b"code=x").is_err());
    }
}
