//! `multipart/form-data` bodies.

use std::fmt;

use base64::Engine as _;
use bytes::{BufMut as _, Bytes, BytesMut};
use reqwest::header::HeaderValue;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::values::to_scalars;

/// A file to upload, with optional file name and content type.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file content.
    pub bytes: Bytes,
    /// The file name sent in `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; `application/octet-stream` when absent.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file part with no file name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type, e.g. `image/png`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

// Files can be large and are often personal data: show only their size.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// Serializes the content as a standard base64 string.
///
/// Some specs declare `format: binary` inside a JSON body, where raw bytes cannot
/// appear; base64 is the conventional JSON carrier. Only the bytes round-trip: the
/// file name and content type have no place in the JSON value.
impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Self::new)
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Clone, Debug)]
enum PartValue {
    Text(String),
    File(FilePart),
}

/// A `multipart/form-data` body under construction.
///
/// Encoding problems are remembered and reported by the request's `send*` methods,
/// so generated code can add fields without handling errors at every call.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<(String, PartValue)>,
    error: Option<String>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field. Values follow the query rules: a sequence adds one part
    /// per element and `None` adds nothing.
    pub fn text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match to_scalars(value) {
            Ok(values) => self.parts.extend(
                values
                    .into_iter()
                    .map(|v| (name.to_owned(), PartValue::Text(v))),
            ),
            Err(e) => {
                self.error
                    .get_or_insert_with(|| format!("multipart field `{name}`: {e}"));
            }
        }
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, part: FilePart) {
        self.parts.push((name.to_owned(), PartValue::File(part)));
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The encoded body and its `Content-Type` (RFC 7578), with a fresh boundary each time.
    pub(crate) fn encode(&self) -> Result<(HeaderValue, Bytes), String> {
        let boundary = format!("sdk-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        let mut out = BytesMut::new();
        for (name, value) in &self.parts {
            out.put_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
            out.put_slice(disposition.as_bytes());
            match value {
                PartValue::Text(text) => {
                    out.put_slice(b"\r\n\r\n");
                    out.put_slice(text.as_bytes());
                }
                PartValue::File(file) => {
                    if let Some(file_name) = &file.file_name {
                        out.put_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
                    }
                    let content_type = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    if !is_media_type(content_type) {
                        return Err(format!(
                            "multipart file `{name}`: invalid content type {content_type:?}"
                        ));
                    }
                    out.put_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
                    out.put_slice(&file.bytes);
                }
            }
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                .map_err(|e| e.to_string())?;
        Ok((content_type, out.freeze()))
    }
}

/// A name or file name inside a quoted parameter, as browsers send it (the WHATWG HTML
/// form encoding): `"`, CR and LF percent-encoded, so no value can end the parameter.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `type/subtype` with optional parameters, in characters a header allows.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    matches!(essence.split_once('/'), Some((kind, sub)) if token(kind) && token(sub))
        && HeaderValue::from_str(text).is_ok()
}
