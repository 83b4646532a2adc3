//! OpenAPI 3.1 to the 3.0 shape `openapiv3` parses. 3.1 schemas are JSON Schema 2020-12;
//! the parts with a 3.0 equivalent are rewritten, the rest dropped with a warning.

use serde_json::{json, Map, Value};

use super::walk::{for_each_schema, for_each_schema_value};
use crate::diagnostics::{pointer_join, pointer_token, Diagnostics};
use crate::structure::WEBHOOKS_KEY;

/// Keywords with no 3.0 equivalent that we drop (with a warning) rather than misread.
/// (`$defs` is not among them: [`hoist_defs`] moves its schemas to `components.schemas`.)
const UNSUPPORTED: &[&str] = &[
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
    declare_missing_responses(root);
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
        // 3.0 has no `info.summary`: it opens the description, where the crate docs show it.
        if let Some(Value::String(summary)) = info.remove("summary") {
            let description = match info.get("description").and_then(Value::as_str) {
                Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
                _ => summary,
            };
            info.insert("description".into(), Value::String(description));
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    hoist_defs(doc);
    // Boolean schemas first, everywhere a schema may stand, so that the 3.0 parse and the
    // rewrites below only ever see objects.
    for_each_schema_value(doc, &mut |schema, pointer| match schema {
        Value::Object(schema) => {
            // Before its children are visited: `items: false` closes a tuple, and a `false`
            // property is dropped rather than typed.
            tuple_as_list(schema, pointer, diags);
            drop_never_properties(schema, pointer, diags);
        }
        // 3.0 allows booleans there (and means the same).
        _ if is_additional_properties(pointer) => {}
        _ => boolean_schema(schema, pointer, diags),
    });
    for_each_schema(doc, &mut |schema, pointer| {
        downgrade_schema(schema, pointer, diags)
    });
}

fn is_additional_properties(pointer: &str) -> bool {
    pointer.ends_with("/additionalProperties")
        && !pointer.ends_with("/properties/additionalProperties")
}

/// 3.1 schemas may be `true` (anything) or `false` (nothing), which 3.0 has only for
/// `additionalProperties`: `true` becomes `{}`; `false` too, with a warning, as Rust has no
/// type without values (a property that is `false` is dropped instead, as it never appears).
fn boolean_schema(schema: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Bool(allowed) = *schema else {
        return;
    };
    if !allowed {
        diags.warn(
            pointer,
            "a schema no value matches (`false`) is typed as any JSON value",
        );
    }
    *schema = json!({});
}

/// Properties whose schema is `false`: they never appear, so they are dropped.
fn drop_never_properties(schema: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    properties.retain(|name, value| {
        let never = *value == Value::Bool(false);
        if never {
            diags.warn(
                &pointer_join(&format!("{pointer}/properties"), name),
                format!("dropping property `{name}`: its schema is `false`, so it never appears"),
            );
        }
        !never
    });
}

/// A tuple (`prefixItems`) as the list Rust can type: of its one item schema when every
/// position (and `items`, if it allows more) has the same one, else of any JSON value.
fn tuple_as_list(schema: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(positions)) = schema.remove("prefixItems") else {
        return;
    };
    let closed = matches!(schema.get("items"), None | Some(Value::Bool(false)));
    let mut kinds: Vec<&Value> = positions.iter().collect();
    if let Some(rest) = schema.get("items").filter(|_| !closed) {
        kinds.push(rest);
    }
    kinds.dedup();
    let item = match kinds.as_slice() {
        [one] if one.is_object() => (*one).clone(),
        _ => json!({}),
    };
    let rust = if item == json!({}) {
        "any JSON value"
    } else {
        "its one item schema"
    };
    diags.warn(
        &format!("{pointer}/prefixItems"),
        format!(
            "a tuple of {} (`prefixItems`) is typed as a list of {rust}: Rust has no type for a JSON array of fixed positions",
            positions.len()
        ),
    );
    schema.insert("items".into(), item);
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

/// `responses` is optional in 3.1 and required in 3.0: an operation without it gets a `2XX`
/// response with no schema, so `send()` keeps whatever body the server sends.
fn declare_missing_responses(root: &mut Map<String, Value>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let is_operation = matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            );
            let Some(op) = op.as_object_mut().filter(|_| is_operation) else {
                continue;
            };
            if !op.contains_key("responses") {
                op.insert(
                    "responses".into(),
                    json!({"2XX": {"description": "The spec declares no responses."}}),
                );
            }
        }
    }
}

/// Moves every schema's `$defs` (3.1) to `components.schemas`, each under its own name when
/// free, else `<parent>_<name>`, and points every `$ref` to one there: `#/.../$defs/X` by its
/// place, and `#/$defs/X` (a schema's own root, as JSON Schema files write it) by its name
/// when only one `$defs` entry has it. Recursive definitions stay recursive; nested `$defs`
/// are moved in turn.
fn hoist_defs(doc: &mut Value) {
    let mut moved: Vec<(String, String)> = Vec::new();
    // Nested `$defs` come to the surface one level per round; real specs need one or two.
    for _ in 0..8 {
        let mut found: Vec<(String, String, Value)> = Vec::new();
        for_each_schema(doc, &mut |schema, pointer| {
            if let Some(Value::Object(defs)) = schema.remove("$defs") {
                for (name, def) in defs {
                    found.push((pointer.to_owned(), name, def));
                }
            }
        });
        if found.is_empty() {
            break;
        }
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        let components = root
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        let Some(schemas) = components.and_then(|c| {
            c.entry("schemas")
                .or_insert_with(|| json!({}))
                .as_object_mut()
        }) else {
            return;
        };
        for (parent, name, def) in found {
            let parent_name = parent
                .strip_prefix("/components/schemas/")
                .and_then(|rest| rest.split('/').next())
                .unwrap_or("Inline");
            let mut local = name.clone();
            let mut n = 1;
            while schemas.contains_key(&local) {
                local = if n == 1 {
                    format!("{parent_name}_{name}")
                } else {
                    format!("{parent_name}_{name}_{n}")
                };
                n += 1;
            }
            schemas.insert(local.clone(), def);
            moved.push((format!("#{}/$defs/{}", parent, pointer_token(&name)), local));
        }
    }
    if moved.is_empty() {
        return;
    }
    let mut by_name: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for (old, local) in &moved {
        let name = old.rsplit('/').next().unwrap_or_default().to_owned();
        by_name.entry(name).or_default().push(local);
    }
    let target = |reference: &str| -> Option<String> {
        if let Some((_, local)) = moved.iter().find(|(old, _)| old == reference) {
            return Some(local.clone());
        }
        let name = reference.strip_prefix("#/$defs/")?;
        match by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Some((*one).to_owned()),
            _ => None,
        }
    };
    rewrite_refs(doc, &target);
}

/// Points every `$ref` `target` knows to `#/components/schemas/<name>`.
fn rewrite_refs(value: &mut Value, target: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(local) = target(reference) {
                    *reference = format!("#/components/schemas/{}", pointer_token(&local));
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" {
                    rewrite_refs(child, target);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, target)),
        _ => {}
    }
}

/// Rewrites one schema object in place (children are visited separately), keyword by
/// keyword, in an order where each rewrite sees what the one before it wrote (`const` reads
/// the `type` that `type` lists leave).
pub(crate) fn downgrade_schema(
    schema: &mut Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    type_lists(schema, pointer, diags);
    const_to_enum(schema);
    first_example(schema, pointer, diags);
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        // 3.1's exclusive bound is the number; 3.0's is a flag on the bound.
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
            let what = match *key {
                // The approximations Rust's types force, said in the words a user needs.
                "propertyNames" => {
                    "map keys are `String`s; `propertyNames` does not constrain them".to_owned()
                }
                _ => format!("dropping JSON Schema keyword `{key}`: no OpenAPI 3.0 equivalent"),
            };
            diags.warn(&format!("{pointer}/{key}"), what);
        }
    }
}

/// `type: [T, "null"]` is 3.0's `type: T, nullable: true`; a list of several types has no 3.0
/// form and becomes any JSON value, with a warning.
fn type_lists(schema: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
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
}

/// `const: v` is a one-value `enum`.
fn const_to_enum(schema: &mut Map<String, Value>) {
    if let Some(value) = schema.remove("const") {
        // A `const` alone still says its type, which 3.0's `enum` needs beside it.
        let implied = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (None, Some(t)) = (schema.get("type"), implied) {
            schema.insert("type".into(), json!(t));
        }
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
}

/// 3.1's `examples` list: 3.0 has one `example` per schema, so the first is kept for the docs
/// (unless the schema has an `example` already) and a warning counts the rest.
fn first_example(schema: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
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

    /// `schema` downgraded as a component of a 3.1 document, with the passes that see more
    /// than one schema at a time (boolean schemas, tuples).
    fn run_in_document(schema: Value) -> (Value, usize) {
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {}, "components": {"schemas": {"S": schema}}});
        downgrade(&mut doc, &mut diags);
        (
            doc["components"]["schemas"]["S"].take(),
            diags.into_warnings().len(),
        )
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
            json!({"type": "string", "enum": ["x"], "example": "a", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        assert_eq!(w, 0);
        // A `const` alone says its type; one beside a `type` keeps that.
        assert_eq!(
            run(json!({"const": 3})).0,
            json!({"type": "integer", "enum": [3]})
        );
        assert_eq!(
            run(json!({"type": "number", "const": 3})).0,
            json!({"type": "number", "enum": [3]})
        );
        assert_eq!(
            run(json!({"examples": ["a", "b"]})),
            (json!({"example": "a"}), 1),
            "dropping the second example warns"
        );
    }

    #[test]
    fn content_media_type_becomes_binary_and_unsupported_keywords_warn() {
        let (s, w) = run(json!({"type": "string", "contentMediaType": "image/png", "if": {}}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        assert_eq!(w, 1);
    }

    #[test]
    fn tuples_become_lists_of_their_one_item_schema_or_of_any_value() {
        let number = json!({"type": "number"});
        for (tuple, item) in [
            (
                json!({"prefixItems": [number, number], "items": false}),
                number.clone(),
            ),
            (json!({"prefixItems": [number, number]}), number.clone()),
            (
                json!({"prefixItems": [number], "items": number}),
                number.clone(),
            ),
            (
                json!({"prefixItems": [number, {"type": "string"}]}),
                json!({}),
            ),
            (
                json!({"prefixItems": [number], "items": {"type": "string"}}),
                json!({}),
            ),
        ] {
            let (s, w) = run_in_document(tuple.clone());
            assert_eq!(s, json!({ "items": item }), "{tuple}");
            assert_eq!(w, 1, "{tuple}");
        }
    }

    #[test]
    fn boolean_subschemas() {
        let (s, w) = run_in_document(json!({
            "properties": {"any": true, "never": false},
            "required": ["any"],
            "allOf": [true],
            "not": false,
        }));
        assert_eq!(
            s,
            json!({"properties": {"any": {}}, "required": ["any"], "allOf": [{}], "not": {}})
        );
        assert_eq!(w, 2, "the dropped property and `not: false`");
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
        // Nothing dropped: webhooks are kept, info.summary joins the description.
        assert_eq!(doc["info"]["description"], "s");
        assert_eq!(diags.into_warnings().len(), 0);
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
