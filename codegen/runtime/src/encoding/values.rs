//! Values on the wire: path segments, query/header/multipart scalars and form bodies.
//!
//! Query parameters, headers and multipart text fields share one rule set, so a
//! value encodes the same wherever the spec puts it: scalars become one string,
//! sequences one string per element, and `None`/unit become nothing.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::ser::{self, Impossible, Serialize};

/// Everything except RFC 3986 unreserved characters, so a value can never add a
/// segment (`/`), start a query (`?`) or fragment (`#`), or smuggle an escape (`%`).
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Serializes a query/header/multipart value into its wire strings.
pub(crate) fn to_scalars<T: Serialize + ?Sized>(value: &T) -> Result<Vec<String>, EncodeError> {
    let mut out = Vec::new();
    value.serialize(Scalars {
        out: &mut out,
        in_seq: false,
    })?;
    Ok(out)
}

/// Encodes an `application/x-www-form-urlencoded` body.
///
/// serde_html_form (unlike serde_urlencoded) repeats the key for each element of a
/// sequence, which is how Twilio takes list parameters; keys are kept as given, so
/// Twilio's dotted names (`Integration.FlowSid`) work through `#[serde(rename)]`.
pub(crate) fn form<T: Serialize + ?Sized>(body: &T) -> Result<String, serde_html_form::ser::Error> {
    serde_html_form::to_string(body)
}

/// Why a value could not be encoded.
#[derive(Debug)]
pub(crate) struct EncodeError(String);

impl EncodeError {
    pub(crate) fn new(message: String) -> Self {
        Self(message)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

fn unsupported(what: &str) -> EncodeError {
    EncodeError(format!("{what} cannot be encoded as a parameter value"))
}

struct Scalars<'a> {
    out: &'a mut Vec<String>,
    /// Set inside a sequence, where a nested sequence would have no flat encoding.
    in_seq: bool,
}

impl Scalars<'_> {
    fn push(self, s: impl ToString) -> Result<(), EncodeError> {
        self.out.push(s.to_string());
        Ok(())
    }
}

impl<'a> ser::Serializer for Scalars<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Impossible<(), EncodeError>;
    type SerializeStruct = Impossible<(), EncodeError>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.push(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        self.push(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), EncodeError> {
        Err(unsupported("a byte string"))
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.push(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), EncodeError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, EncodeError> {
        if self.in_seq {
            Err(unsupported("a nested sequence"))
        } else {
            Ok(self)
        }
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, EncodeError> {
        Err(unsupported("a nested object"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, EncodeError> {
        Err(unsupported("a nested object"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(unsupported("a nested object"))
    }
}

impl ser::SerializeSeq for Scalars<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.serialize(Scalars {
            out: &mut *self.out,
            in_seq: true,
        })
    }
    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Scalars<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Scalars<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Status {
        InProgress,
    }

    #[test]
    fn scalars() {
        assert_eq!(to_scalars(&true).unwrap(), ["true"]);
        assert_eq!(to_scalars(&-3i64).unwrap(), ["-3"]);
        assert_eq!(to_scalars(&1.5f64).unwrap(), ["1.5"]);
        assert_eq!(to_scalars("a b").unwrap(), ["a b"]);
        assert_eq!(to_scalars(&Status::InProgress).unwrap(), ["in-progress"]);
        assert!(to_scalars(&None::<u8>).unwrap().is_empty());
        assert_eq!(to_scalars(&Some(vec![1, 2])).unwrap(), ["1", "2"]);
        assert_eq!(
            to_scalars(&[Some("a"), None, Some("b")]).unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn rejects_nesting() {
        assert!(to_scalars(&vec![vec![1]]).is_err());
        let map: std::collections::BTreeMap<&str, u8> = [("a", 1)].into();
        let err = to_scalars(&map).unwrap_err().to_string();
        assert!(err.contains("nested object"), "{err}");
    }
}
