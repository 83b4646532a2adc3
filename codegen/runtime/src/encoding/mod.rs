//! Building requests: generated code fills a [`Request`] from an operation's inputs
//! (path, query and header parameters, a JSON, form or multipart body); the transport sends
//! it. Nothing here does I/O, so a request can be inspected, cloned and sent again.

mod multipart;
mod styles;
mod values;

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

pub use multipart::{FilePart, Multipart};
pub use styles::ParamStyle;

use crate::error::Error;
use crate::operation::Operation;

/// A request being assembled for one operation.
///
/// Setters never fail: the first problem (a value that cannot be encoded, an unsafe path
/// segment or header value) is remembered and returned as [`Error::InvalidInput`] when the
/// request is sent, before anything goes on the wire.
#[derive(Clone)]
pub struct Request {
    op: &'static Operation,
    path: String,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(Cow<'static, str>, String)>,
    headers: HeaderMap,
    body: Body,
    error: Option<String>,
}

/// A request body, encoded.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: HeaderValue,
        bytes: Bytes,
    },
    Multipart(Multipart),
}

/// A request ready for the transport: everything encoded, nothing left to fail but the
/// server's URL.
#[derive(Clone, Debug)]
pub(crate) struct Encoded {
    pub(crate) op: &'static Operation,
    /// The path with every parameter filled in and percent-encoded.
    pub(crate) path: String,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
}

impl Request {
    /// An empty request for `op`.
    pub fn new(op: &'static Operation) -> Self {
        Self {
            op,
            path: op.path.to_owned(),
            path_params: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            error: None,
        }
    }

    /// The operation this request is for.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Fills `{name}` in the path with `value`, percent-encoded as one segment, in the
    /// `simple` style: a list as `a,b`, an object as `k,v`, a union as its active variant.
    ///
    /// Everything but RFC 3986 unreserved characters is encoded, so no value can
    /// change which resource is addressed; `""`, `"."` and `".."` are rejected.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.path_param_styled(name, value, ParamStyle::Simple { explode: false });
    }

    /// [`path_param`](Self::path_param) in another style (`label`, `matrix`, exploded).
    pub fn path_param_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ParamStyle,
    ) {
        let Some(first) = placeholder(&self.path, name) else {
            return self.fail(format!("the path has no parameter `{name}`"));
        };
        let encoded = styles::shape(value).and_then(|shape| {
            let raw = match &shape {
                styles::Shape::Scalar(v) => Some(v.clone()),
                _ => None,
            };
            Ok((styles::path(name, shape, style)?, raw))
        });
        let (segment, raw) = match encoded {
            Ok((segment, _)) if matches!(segment.as_str(), "" | "." | "..") => {
                return self.fail(format!(
                    "path parameter `{name}` must not be empty, \".\" or \"..\""
                ))
            }
            Ok(ok) => ok,
            Err(e) => return self.fail(format!("path parameter `{name}` {e}")),
        };
        // In place, every occurrence, left to right; a segment holds no `{`.
        let mut at = Some(first);
        while let Some(start) = at {
            self.path
                .replace_range(start..start + name.len() + 2, &segment);
            let resume = start + segment.len();
            at = placeholder(&self.path[resume..], name).map(|i| resume + i);
        }
        self.path_params.push((name, raw.unwrap_or(segment)));
    }

    /// Adds a query parameter (`form`, exploded): a scalar gives one pair, a sequence
    /// repeats the key per element, an object gives one pair per property, `None` adds
    /// nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match values::to_scalars(value) {
            Ok(values) => self
                .query
                .extend(values.into_iter().map(|v| (Cow::Borrowed(name), v))),
            Err(_) => self.query_styled(name, value, ParamStyle::Form { explode: true }),
        }
    }

    /// A query parameter in the style the spec gives it (`form` unexploded,
    /// `spaceDelimited`, `pipeDelimited`, `deepObject`).
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ParamStyle,
    ) {
        match styles::shape(value).and_then(|shape| styles::query(name, shape, style)) {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
    }

    /// Adds a header parameter, with the query rules; sequence elements are
    /// comma-separated, an object's properties `k,v` (`simple`). Values with CR, LF or other
    /// bytes not allowed in a header are rejected, so they can never inject headers.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header_styled(name, value, false);
    }

    /// [`header`](Self::header), with `explode` writing an object's properties as `k=v`.
    pub fn header_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) {
        let values = match values::to_scalars(value) {
            Ok(values) if values.is_empty() => return,
            Ok(values) => values.join(","),
            Err(e) => match styles::shape(value).and_then(|s| styles::header(s, explode)) {
                Ok(Some(text)) => text,
                Ok(None) => return,
                Err(_) => return self.fail(format!("header `{name}`: {e}")),
            },
        };
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(format!("`{name}` is not a valid header name"));
        };
        self.append_header(header, name, &values);
    }

    /// Adds a cookie parameter to the `Cookie` header (`form`: `name=value`, values
    /// percent-encoded; `explode` makes each element or property a cookie of its own).
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool) {
        match styles::shape(value).and_then(|shape| styles::cookie(name, shape, explode)) {
            Ok(pairs) if pairs.is_empty() => {}
            Ok(pairs) => {
                let mut text = pairs.join("; ");
                if let Some(before) = self.headers.remove(reqwest::header::COOKIE) {
                    text = format!("{}; {text}", before.to_str().unwrap_or_default());
                }
                self.append_header(reqwest::header::COOKIE, name, &text);
            }
            Err(e) => self.fail(format!("cookie `{name}`: {e}")),
        }
    }

    fn append_header(&mut self, header: HeaderName, name: &str, values: &str) {
        match HeaderValue::from_str(values) {
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
                    content_type: HeaderValue::from_static("application/json"),
                    bytes: bytes.into(),
                }
            }
            Err(e) => self.fail(format!("JSON body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body: sequences repeat the key,
    /// `None` fields are left out, keys are used exactly as serialized.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match values::form(body) {
            Ok(text) => {
                self.body = Body::Bytes {
                    content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                    bytes: text.into(),
                }
            }
            Err(e) => self.fail(format!("form body: {e}")),
        }
    }

    /// Sets a body sent as these bytes with this `Content-Type`: uploads, text, XML, any body
    /// that is not JSON, form data or multipart. The bytes are sent as given, not copied.
    pub fn raw_body(&mut self, content_type: &str, bytes: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Body::Bytes {
                    content_type,
                    bytes: bytes.into(),
                }
            }
            // The value is left out of the message, as for other header values.
            Err(_) => self.fail("the body's content type is not a valid header value".to_owned()),
        }
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, form: Multipart) {
        if let Some(e) = form.error() {
            self.fail(e.to_owned());
        }
        self.body = Body::Multipart(form);
    }

    /// The request with every value encoded, or the first problem met while encoding.
    pub(crate) fn encode(self) -> Result<Encoded, Error> {
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
        Ok(Encoded {
            op,
            path: self.path,
            path_params: self.path_params,
            query: self.query,
            headers: self.headers,
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

impl fmt::Debug for Request {
    // Parameter values may be personal data; show only what identifies the call.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("path", &self.op.path)
            .finish_non_exhaustive()
    }
}
