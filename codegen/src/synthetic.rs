//! Deterministic synthetic specs for the scaling benchmarks: an OpenAPI 3.0 JSON document
//! with any number of operations, so generation time can be measured against size.
//!
//! Every operation looks like a typical real one: a path parameter, query parameters (one an
//! enum, one an array), a request body (JSON for even operations, form for odd ones) and a
//! JSON response whose schema has an enum, nested objects, an array of `$ref`'d items and a
//! `$ref` to a schema every operation shares. Two enums per operation, not more: each becomes
//! about 70 lines of Rust, and more would make the output far larger per operation than the
//! real specs' (see BENCHMARKS.md for lines per operation). The output depends only on
//! `operations`.

use serde_json::{json, Map, Value};

/// A spec with `operations` operations, as JSON bytes.
pub fn spec(operations: usize) -> Vec<u8> {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert("Owner".into(), owner_schema());
    for i in 0..operations {
        paths.insert(
            format!("/things{i}/{{thing_id}}"),
            json!({ "post": operation(i) }),
        );
        schemas.insert(format!("Thing{i}"), response_schema(i));
        schemas.insert(format!("Thing{i}Item"), item_schema(i));
        schemas.insert(format!("Thing{i}Input"), request_schema(i));
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "Synthetic", "version": "1.0.0", "description": format!("{operations} generated operations.") },
        "servers": [{ "url": "https://api.example.com/v1" }],
        "security": [{ "basic": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "basic": { "type": "http", "scheme": "basic" } },
            "schemas": schemas,
        },
    });
    serde_json::to_vec_pretty(&doc).expect("a JSON value always serialises")
}

fn operation(i: usize) -> Value {
    let media = if i % 2 == 0 {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    json!({
        "operationId": format!("updateThing{i}"),
        "summary": format!("Updates thing {i}."),
        "parameters": [
            { "name": "thing_id", "in": "path", "required": true, "description": "The thing.", "schema": { "type": "string" } },
            { "name": "limit", "in": "query", "description": "Most items to return.", "schema": { "type": "integer", "format": "int32", "minimum": 1 } },
            { "name": "order", "in": "query", "schema": { "type": "string", "enum": ["asc", "desc"] } },
            { "name": "tag", "in": "query", "schema": { "type": "array", "items": { "type": "string" } } },
        ],
        "requestBody": {
            "required": true,
            "content": { media: { "schema": { "$ref": format!("#/components/schemas/Thing{i}Input") } } },
        },
        "responses": {
            "200": {
                "description": "The updated thing.",
                "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/Thing{i}") } } },
            },
            "404": { "description": "No such thing." },
        },
    })
}

fn request_schema(i: usize) -> Value {
    json!({
        "type": "object",
        "required": ["name", "kind"],
        "properties": {
            "name": { "type": "string", "description": format!("Name of thing {i}.") },
            "kind": { "type": "string", "description": "One of `small`, `medium` or `large`." },
            "count": { "type": "integer", "format": "int64" },
            "enabled": { "type": "boolean" },
            "labels": { "type": "array", "items": { "type": "string" } },
        },
    })
}

fn response_schema(i: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("Thing {i}."),
        "required": ["id"],
        "properties": {
            "id": { "type": "string" },
            "status": { "type": "string", "enum": ["active", "suspended", "closed"] },
            "created_at": { "type": "string", "format": "date-time" },
            "score": { "type": "number", "format": "double" },
            "owner": { "$ref": "#/components/schemas/Owner" },
            "settings": {
                "type": "object",
                "properties": {
                    "colour": { "type": "string" },
                    "retries": { "type": "integer" },
                    "limits": { "type": "object", "properties": { "daily": { "type": "integer" }, "monthly": { "type": "integer" } } },
                },
            },
            "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/Thing{i}Item") } },
            "metadata": { "type": "object", "additionalProperties": { "type": "string" } },
        },
    })
}

fn item_schema(i: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("One item of thing {i}."),
        "properties": {
            "position": { "type": "integer" },
            "label": { "type": "string" },
            "state": { "type": "string" },
        },
    })
}

fn owner_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": { "type": "string" },
            "email": { "type": "string", "format": "email" },
            "role": { "type": "string", "enum": ["admin", "member"] },
        },
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{generate, Options};

    #[test]
    fn synthetic_specs_generate_cleanly_with_every_operation() {
        let options = Options {
            standalone: true,
            deny_warnings: true,
            ..Options::new("../runtime")
        };
        for n in [0, 1, 7] {
            let bytes = super::spec(n);
            assert_eq!(bytes, super::spec(n), "deterministic");
            let generated = generate(
                Path::new("synthetic.json"),
                "synthetic.json",
                &bytes,
                &options,
            )
            .unwrap_or_else(|f| panic!("{f}"));
            assert_eq!(generated.operations, n);
        }
    }
}
