//! `multipart/form-data` bodies.

use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
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

    fn to_part(&self) -> Result<reqwest::multipart::Part, String> {
        let body = reqwest::Body::from(self.bytes.clone());
        let mut part = reqwest::multipart::Part::stream_with_length(body, self.bytes.len() as u64);
        if let Some(name) = &self.file_name {
            part = part.file_name(name.clone());
        }
        let content_type = self
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        part.mime_str(content_type)
            .map_err(|_| format!("invalid content type {content_type:?}"))
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

    /// Builds the reqwest form; done per send because a `Form` can be used only once.
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.parts {
            form = match value {
                PartValue::Text(text) => form.text(name.clone(), text.clone()),
                PartValue::File(file) => form.part(
                    name.clone(),
                    file.to_part()
                        .map_err(|e| format!("multipart file `{name}`: {e}"))?,
                ),
            };
        }
        Ok(form)
    }
}
