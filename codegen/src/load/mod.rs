//! Stage 1: bytes to `serde_json::Value`, YAML or JSON, with errors that carry a line and column;
//! a spec split over several files is bundled into one value ([`bundle`]).

mod bundle;

pub(crate) use bundle::COMPONENT_KINDS;

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Error, Location};

/// Reads a spec: parses it, then brings in what it refers to in files beside it.
pub(crate) fn document(file: &Path, bytes: &[u8]) -> Result<Value, Error> {
    let mut value = parse(file, bytes)?;
    bundle::bundle(file, &mut value)?;
    Ok(value)
}

/// Parses a spec. JSON is tried when the file name says so or the text starts with `{`;
/// everything else is read as YAML (a superset of JSON).
pub(crate) fn parse(file: &Path, bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(
            file,
            Location::File,
            format!(
                "not UTF-8 text (invalid byte at offset {}): is this a spec file?",
                e.valid_up_to()
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(Error::new(file, Location::File, "the file is empty"));
    }
    if text.contains('\0') {
        return Err(Error::new(
            file,
            Location::File,
            "the file contains NUL bytes: is this a spec file?",
        ));
    }
    let is_json = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let value = if is_json {
        serde_json::from_str::<Value>(text).map_err(|e| {
            Error::new(
                file,
                Location::LineColumn {
                    line: e.line(),
                    column: e.column(),
                },
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
        })?
    } else {
        parse_yaml(file, text)?
    };
    if !value.is_object() {
        return Err(Error::new(
            file,
            Location::Pointer(String::new()),
            "expected a mapping at the top level (an OpenAPI document)",
        ));
    }
    check_nesting(&value, 0, &mut String::new()).map_err(|pointer| {
        Error::new(
            file,
            Location::Pointer(pointer),
            format!("the document is nested more than {MAX_NESTING} levels deep here; refusing to generate (real specs stay far below this)"),
        )
    })?;
    Ok(value)
}

/// How deep a document may nest (objects and arrays). Twilio's deepest spec nests 21 levels.
/// The parsers stop at 128, but the typed parse into `openapiv3` (untagged, flattened serde
/// types) uses far more stack per level than they do and overflows a 2 MiB thread before that,
/// so deeper documents are refused here, with the place, before any later stage recurses.
pub(crate) const MAX_NESTING: usize = 64;

/// `Err(pointer)` of the first value deeper than [`MAX_NESTING`]. The recursion is bounded by
/// the limit itself.
fn check_nesting(value: &Value, depth: usize, pointer: &mut String) -> Result<(), String> {
    if depth > MAX_NESTING {
        return Err(pointer.clone());
    }
    let mut visit = |token: &str, child: &Value| {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&crate::diagnostics::pointer_token(token));
        let result = check_nesting(child, depth + 1, pointer);
        pointer.truncate(len);
        result
    };
    match value {
        Value::Object(map) => map.iter().try_for_each(|(k, v)| visit(k, v)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| visit(&i.to_string(), v)),
        _ => Ok(()),
    }
}

fn parse_yaml(file: &Path, text: &str) -> Result<Value, Error> {
    // Deep nesting is refused by the YAML parser's own recursion limit, so an absurd document
    // is an error here rather than a stack overflow later.
    serde_yaml::from_str::<WideValue>(text)
        .map(|v| v.0)
        .map_err(|e| {
            let location = e
                .location()
                .map(|l| Location::LineColumn {
                    line: l.line(),
                    column: l.column(),
                })
                .unwrap_or(Location::File);
            Error::new(
                file,
                location,
                format!("invalid YAML: {}", strip_position(&e.to_string())),
            )
        })
}

/// A JSON value read from YAML, where an integer beyond `i64`/`u64` (a `minimum` of
/// -2^63-1, say) becomes the nearest `f64`, as JSON parsers read such numbers, instead of
/// failing the whole spec: `serde_json::Value` itself refuses 128-bit integers.
struct WideValue(Value);

impl<'de> serde::Deserialize<'de> for WideValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WideVisitor).map(WideValue)
    }
}

struct WideVisitor;

impl<'de> serde::de::Visitor<'de> for WideVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        // The nearest f64 is what the spec means by an integer this large.
        #[allow(
            clippy::cast_precision_loss,
            reason = "beyond i64, a float is the best JSON has"
        )]
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        #[allow(
            clippy::cast_precision_loss,
            reason = "beyond u64, a float is the best JSON has"
        )]
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(WideVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(WideValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, WideValue(value))) = map.next_entry::<String, WideValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A finite float as a JSON number; YAML's `.inf` and `.nan` have no JSON form and become null.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Parser messages end in "at line X column Y"; the location is already in the error.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn yaml_integers_beyond_64_bits_become_floats_not_errors() {
        let value = super::parse(
            std::path::Path::new("big.yaml"),
            b"minimum: -9223372036854775809\nmaximum: 18446744073709551616\nsmall: -3\nbig: 18446744073709551615\n",
        )
        .unwrap();
        assert_eq!(
            value["minimum"].as_f64(),
            Some(-9_223_372_036_854_775_809.0)
        );
        assert_eq!(
            value["maximum"].as_f64(),
            Some(18_446_744_073_709_551_616.0)
        );
        assert_eq!(value["small"].as_i64(), Some(-3));
        assert_eq!(value["big"].as_u64(), Some(u64::MAX));
    }
}
