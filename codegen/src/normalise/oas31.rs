//! OpenAPI 3.1 to the 3.0 shape `openapiv3` parses. 3.1 schemas are JSON Schema 2020-12;
//! the parts with a 3.0 equivalent are rewritten, the rest dropped with a warning.

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;
use crate::diagnostics::{pointer_join, Diagnostics};

/// Where a 3.1 document's `webhooks` go, for the model to read (a 3.0 document can only
/// carry them in an extension). The model reports problems at `/webhooks/...`.
pub(crate) const WEBHOOKS_KEY: &str = "x-sdk-webhooks";

/// Keywords with no 3.0 equivalent that we drop (with a warning) rather than misread.
const UNSUPPORTED: &[&str] = &[
    "$defs",
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$id",
    "$schema",
];

pub(crate) fn downgrade(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), json!("3.0.3"));
    let used_path_items = carry_webhooks(root, diags);
    if root.remove("jsonSchemaDialect").is_some() {
        diags.warn(
            "/jsonSchemaDialect",
            "dropping `jsonSchemaDialect`: only the default dialect is supported",
        );
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if let Some(Value::Object(items)) = components.remove("pathItems") {
            let unused: Vec<&str> = items
                .keys()
                .map(String::as_str)
                .filter(|name| !used_path_items.contains(*name))
                .collect();
            if !unused.is_empty() {
                diags.warn(
                    "/components/pathItems",
                    format!(
                        "dropping components.pathItems no webhook refers to ({}): a 3.0 document has no place for them",
                        unused.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if info.remove("summary").is_some() {
            diags.warn("/info/summary", "dropping info.summary (3.1 only)");
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    for_each_schema(doc, &mut |schema, pointer| {
        downgrade_schema(schema, pointer, diags)
    });
}

/// Moves `webhooks` (3.1 only) to the extension `x-webhooks`, where `openapiv3` keeps it
/// and the model reads it; a webhook that refers to `components/pathItems` (also 3.1 only,
/// and dropped next) is replaced by the path item itself.
/// Returns the names of the path items the webhooks used.
fn carry_webhooks(
    root: &mut Map<String, Value>,
    diags: &mut Diagnostics,
) -> std::collections::BTreeSet<String> {
    let mut used = std::collections::BTreeSet::new();
    let Some(Value::Object(mut webhooks)) = root.remove("webhooks") else {
        return used;
    };
    let path_items = root
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .cloned()
        .unwrap_or_default();
    for (name, item) in webhooks.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let key = reference
            .strip_prefix("#/components/pathItems/")
            .map(|key| key.replace("~1", "/").replace("~0", "~"));
        match key
            .as_ref()
            .and_then(|key| Some((key, path_items.get(key)?)))
        {
            Some((key, target)) => {
                used.insert(key.clone());
                *item = target.clone();
            }
            None => diags.warn(
                &pointer_join("/webhooks", name),
                format!(
                    "webhook $ref {reference:?} does not name a path item in components/pathItems"
                ),
            ),
        }
    }
    root.insert(WEBHOOKS_KEY.into(), Value::Object(webhooks));
    used
}

/// Rewrites one schema object in place (children are visited separately).
pub(crate) fn downgrade_schema(
    schema: &mut Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        match others.as_slice() {
            [] => {
                schema.remove("type");
            }
            [one] => {
                schema.insert("type".into(), (*one).clone());
            }
            many => {
                diags.warn(
                    &format!("{pointer}/type"),
                    format!(
                        "a value of several types ({}) is approximated as any JSON value",
                        many.iter()
                            .map(|t| t.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                schema.remove("type");
            }
        }
        if nullable {
            schema.insert("nullable".into(), Value::Bool(true));
        }
    } else if schema.get("type").is_some_and(|t| t == "null") {
        schema.remove("type");
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        // 3.0 has one example per schema: the first is kept for the docs.
        let kept = usize::from(!schema.contains_key("example"));
        if examples.len() > kept {
            diags.warn(
                &format!("{pointer}/examples"),
                format!(
                    "keeping {kept} of {} examples: OpenAPI 3.0 has one per schema",
                    examples.len()
                ),
            );
        }
        if kept == 1 && !examples.is_empty() {
            schema.insert("example".into(), examples.swap_remove(0));
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(v @ Value::Number(_)) = schema.get(exclusive).cloned() {
            schema.insert(bound.into(), v);
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    let media = schema.remove("contentMediaType");
    let encoding = schema.remove("contentEncoding");
    if media.is_some() || encoding.is_some() {
        let format = if encoding.as_ref().is_some_and(|e| e == "base64") {
            "byte"
        } else {
            "binary"
        };
        schema.insert("format".into(), json!(format));
    }
    for key in UNSUPPORTED {
        if schema.remove(*key).is_some() {
            diags.warn(
                &format!("{pointer}/{key}"),
                format!("dropping JSON Schema keyword `{key}`: no OpenAPI 3.0 equivalent"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn run(mut schema: Value) -> (Value, usize) {
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        downgrade_schema(schema.as_object_mut().unwrap(), "/s", &mut diags);
        (schema, diags.into_warnings().len())
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            run(json!({"type": ["string", "null"]})),
            (json!({"type": "string", "nullable": true}), 0)
        );
        assert_eq!(run(json!({"type": "null"})), (json!({"nullable": true}), 0));
    }

    #[test]
    fn several_types_become_any_with_a_warning() {
        assert_eq!(run(json!({"type": ["string", "integer"]})), (json!({}), 1));
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds() {
        let (s, w) = run(
            json!({"const": "x", "examples": ["a"], "exclusiveMinimum": 0, "exclusiveMaximum": 10}),
        );
        assert_eq!(
            s,
            json!({"enum": ["x"], "example": "a", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        assert_eq!(w, 0);
        assert_eq!(
            run(json!({"examples": ["a", "b"]})),
            (json!({"example": "a"}), 1),
            "dropping the second example warns"
        );
    }

    #[test]
    fn content_media_type_becomes_binary_and_unsupported_keywords_warn() {
        let (s, w) =
            run(json!({"type": "string", "contentMediaType": "image/png", "prefixItems": []}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        assert_eq!(w, 1);
    }

    #[test]
    fn document_level_rewrites() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1", "summary": "s"}, "webhooks": {},
            "components": {"schemas": {"A": {"type": ["integer", "null"]}}}});
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        downgrade(&mut doc, &mut diags);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        assert!(doc.get("webhooks").is_none());
        assert_eq!(doc[WEBHOOKS_KEY], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"type": "integer", "nullable": true})
        );
        // info.summary only: webhooks are kept, not dropped.
        assert_eq!(diags.into_warnings().len(), 1);
    }

    #[test]
    fn webhooks_are_carried_with_path_item_refs_resolved() {
        let hook = json!({"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}}}});
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "webhooks": {"inline": hook.clone(), "shared": {"$ref": "#/components/pathItems/Shared"},
                "broken": {"$ref": "#/components/pathItems/Missing"}},
            "components": {"pathItems": {"Shared": hook.clone()}}});
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        downgrade(&mut doc, &mut diags);
        let carried = doc[WEBHOOKS_KEY].as_object().unwrap();
        let names: Vec<&str> = carried.keys().map(String::as_str).collect();
        assert_eq!(names, ["inline", "shared", "broken"]);
        assert_eq!(carried["shared"], hook);
        let warnings = diags.into_warnings();
        assert!(
            warnings
                .iter()
                .any(|w| w.location
                    == crate::diagnostics::Location::Pointer("/webhooks/broken".into())),
            "{warnings:?}"
        );
    }
}
