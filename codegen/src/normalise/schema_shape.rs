//! Checks every schema object on its own before the typed parse.
//!
//! `openapiv3` parses a schema as untagged enums over flattened structs: when something deep
//! inside a schema is invalid, every enclosing schema retries each of its alternatives on the
//! whole subtree, so parse time doubles with each level (a 2 KB spec with an invalid `type`
//! 18 levels down took minutes). Parsing each schema with its sub-schemas replaced by `{}`
//! finds the same error at its own pointer, in linear time; once every schema parses on its
//! own, the full parse never backtracks into them.

use serde_json::{Map, Value};

use super::walk::for_each_schema;
use crate::diagnostics::{pointer_token, Diagnostics, Error};

/// Keys whose value is one sub-schema, a map of them, or a list of them.
const ONE: &[&str] = &["items", "not"];
const MAP: &[&str] = &["properties"];
const LIST: &[&str] = &["allOf", "oneOf", "anyOf"];

pub(crate) fn check_each_schema(doc: &mut Value, diags: &Diagnostics) -> Result<(), Error> {
    let mut first_error = None;
    for_each_schema(doc, &mut |schema, pointer| {
        if first_error.is_none() {
            first_error = check(schema, pointer, diags).err();
        }
    });
    first_error.map_or(Ok(()), Err)
}

fn check(schema: &Map<String, Value>, pointer: &str, diags: &Diagnostics) -> Result<(), Error> {
    let shallow: Map<String, Value> = schema
        .iter()
        .map(|(k, v)| (k.clone(), hollow(k, v)))
        .collect();
    let shallow = Value::Object(shallow);
    let result: Result<openapiv3::ReferenceOr<openapiv3::Schema>, _> =
        serde_path_to_error::deserialize(&shallow);
    result.map(drop).map_err(|e| {
        let inner: String = e
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    Some(format!("/{}", pointer_token(key)))
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        diags.error(
            &format!("{pointer}{inner}"),
            format!("not a valid OpenAPI 3.0 schema here: {}", e.inner()),
        )
    })
}

/// A schema's value for `key` with sub-schemas replaced by the empty schema. Only objects
/// are sub-schemas the walk visits and checks on their own; anything else in a sub-schema's
/// place is kept, so that this parse reports it.
fn hollow(key: &str, value: &Value) -> Value {
    let hollow_one = |v: &Value| {
        if v.is_object() {
            Value::Object(Map::new())
        } else {
            v.clone()
        }
    };
    match value {
        Value::Object(_) if ONE.contains(&key) || key == "additionalProperties" => {
            hollow_one(value)
        }
        Value::Object(map) if MAP.contains(&key) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), hollow_one(v)))
                .collect(),
        ),
        Value::Array(items) if LIST.contains(&key) => {
            Value::Array(items.iter().map(hollow_one).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn an_invalid_schema_deep_down_is_found_at_its_own_pointer() {
        let mut inner = json!({"type": {"x": "array"}});
        for _ in 0..20 {
            inner = json!({"type": "array", "items": inner});
        }
        let mut doc = json!({"components": {"schemas": {"A": inner}}});
        let started = std::time::Instant::now();
        let err = check_each_schema(&mut doc, &Diagnostics::new(Path::new("t.json"))).unwrap_err();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "linear, not exponential"
        );
        let Location::Pointer(p) = err.location else {
            panic!("{err}")
        };
        assert_eq!(
            p,
            format!("/components/schemas/A{}", "/items".repeat(20)),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_sub_schema_that_is_not_an_object_is_found_by_its_parent() {
        let mut inner = json!({"allOf": [[], [1]]});
        for _ in 0..20 {
            inner = json!({"allOf": [inner]});
        }
        let mut doc = json!({"components": {"schemas": {"A": inner}}});
        let err = check_each_schema(&mut doc, &Diagnostics::new(Path::new("t.json"))).unwrap_err();
        let Location::Pointer(p) = err.location else {
            panic!("{err}")
        };
        assert!(
            p.starts_with(&format!("/components/schemas/A{}", "/allOf/0".repeat(20))),
            "{p}: {}",
            err.message
        );
    }

    #[test]
    fn valid_schemas_pass() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "array", "items": {"$ref": "#/x"}}},
            "additionalProperties": {"type": "integer"}, "allOf": [{"type": "object"}]}}}});
        check_each_schema(&mut doc, &Diagnostics::new(Path::new("t.json"))).unwrap();
    }
}
