//! Visits every schema object in a document, wherever OpenAPI allows one, without descending
//! into example data (an example may legitimately contain keys such as `$ref` or `type`) or
//! extensions we do not read (see `crate::structure`).

use serde_json::{Map, Value};

use crate::diagnostics::pointer_join;
use crate::structure::Level;

/// Calls `f` on every schema object, parents before children, with its JSON pointer.
pub(super) fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    for_each_schema_value(doc, &mut |value, pointer| {
        if let Value::Object(schema) = value {
            f(schema, pointer);
        }
    });
}

/// Calls `f` on the value at every schema position, parents before children: an object, or
/// (OpenAPI 3.1) `true` or `false`, which `f` may replace before its children are visited.
pub(super) fn for_each_schema_value(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    walk_document(doc, "", Level::Object, f);
}

fn walk_document(
    value: &mut Value,
    pointer: &str,
    level: Level,
    f: &mut dyn FnMut(&mut Value, &str),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let Some(inner) = level.enter(key) else {
                    continue;
                };
                let child_ptr = pointer_join(pointer, key);
                match key.as_str() {
                    "schema" if level == Level::Object => walk_schema(child, &child_ptr, f),
                    "schemas" if pointer == "/components" => {
                        if let Value::Object(schemas) = child {
                            for (name, schema) in schemas.iter_mut() {
                                walk_schema(schema, &pointer_join(&child_ptr, name), f);
                            }
                        }
                    }
                    _ => walk_document(child, &child_ptr, inner, f),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_document(child, &format!("{pointer}/{i}"), Level::Object, f);
            }
        }
        _ => {}
    }
}

fn walk_schema(value: &mut Value, pointer: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    f(value, pointer);
    let Value::Object(map) = value else { return };
    for (key, child) in map.iter_mut() {
        let child_ptr = pointer_join(pointer, key);
        match key.as_str() {
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties" => walk_schema(child, &child_ptr, f),
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(props) = child {
                    for (name, schema) in props.iter_mut() {
                        walk_schema(schema, &pointer_join(&child_ptr, name), f);
                    }
                }
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                if let Value::Array(items) = child {
                    for (i, schema) in items.iter_mut().enumerate() {
                        walk_schema(schema, &format!("{child_ptr}/{i}"), f);
                    }
                }
            }
            _ => {}
        }
    }
}
