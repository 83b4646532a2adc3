//! Properties beside `oneOf`/`anyOf` belong to every alternative (JSON Schema applies the
//! parent's keywords and one alternative's together), so each alternative becomes
//! `allOf: [<the shared properties>, <alternative>]` and the model's `allOf` merge gives
//! each variant all its fields. Intercom writes its ticket replies this way.
//!
//! An alternative that is itself a plain union (Intercom's contact reply is one of three
//! ways to name the contact) is replaced by its own alternatives first: one of (one of
//! A1, A2; B) accepts what one of A1, A2, B does, and each of those can take the shared fields.
//!
//! A discriminated union is left as it is: its variants are found by `$ref`, which an
//! `allOf` wrapper would hide, and its shared property is the tag the model reads. So is a
//! union with an alternative that is a discriminated union or has fields of its own beside
//! its alternatives (the model warns).

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;

/// Marks an alternative that is a component with the shared fields added: its name.
pub(crate) const EXTENDS_KEY: &str = "x-sdk-extends";

/// Keywords that describe the object's fields, moved into every alternative.
const SHARED: &[&str] = &["properties", "required", "additionalProperties"];

/// The alternatives one alternative stands for: itself, or a plain union's alternatives (to
/// any depth); `None` for a union that cannot be flattened.
type Expand<'a> = dyn Fn(&Value) -> Option<Vec<Value>> + 'a;

pub(crate) fn merge_into_alternatives(doc: &mut Value) {
    let source = doc.clone();
    for_each_schema(doc, &mut |schema, _| {
        merge(schema, &|alternative| expand(&source, alternative, 0))
    });
}

fn expand(source: &Value, alternative: &Value, depth: usize) -> Option<Vec<Value>> {
    let target = match alternative.get("$ref").and_then(Value::as_str) {
        Some(r) => r.strip_prefix('#').and_then(|p| source.pointer(p))?,
        None => alternative,
    };
    let Some(inner) = ["oneOf", "anyOf"].into_iter().find_map(|k| target.get(k)) else {
        return Some(vec![alternative.clone()]);
    };
    // A cycle of unions (or one absurdly deep) is left to the model, as before.
    if depth > 8 || target.get("discriminator").is_some() || target.get("properties").is_some() {
        return None;
    }
    let mut leaves = Vec::new();
    for alternative in inner.as_array()? {
        leaves.extend(expand(source, alternative, depth + 1)?);
    }
    Some(leaves)
}

fn merge(schema: &mut Map<String, Value>, expand: &Expand<'_>) {
    if schema.contains_key("discriminator") || !schema.contains_key("properties") {
        return;
    }
    let Some(key) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| schema.contains_key(*k))
    else {
        return;
    };
    let Some(Value::Array(alternatives)) = schema.get(key) else {
        return;
    };
    let mut leaves = Vec::new();
    for alternative in alternatives {
        let Some(more) = expand(alternative) else {
            return;
        };
        leaves.extend(more);
    }
    let mut shared = Map::new();
    shared.insert("type".into(), json!("object"));
    for keyword in SHARED {
        if let Some(value) = schema.remove(*keyword) {
            shared.insert((*keyword).to_owned(), value);
        }
    }
    let merged = leaves
        .into_iter()
        .map(|own| {
            let mut merged = json!({"allOf": [Value::Object(shared.clone()), own]});
            // The merged type is new; its docs say which schema it extends, and the model
            // names its variant after that schema rather than by position.
            if let Some(name) = merged["allOf"][1]["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_owned)
            {
                merged["description"] = json!(format!(
                    "`{name}`, with the properties every alternative shares."
                ));
                merged[EXTENDS_KEY] = json!(name);
            }
            merged
        })
        .collect();
    schema.insert(key.to_owned(), Value::Array(merged));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_properties_go_into_every_alternative() {
        let mut schema = json!({
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {"type": "string"}}}]
        });
        merge(schema.as_object_mut().unwrap(), &|a| Some(vec![a.clone()]));
        let shared = json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}});
        assert_eq!(
            schema,
            json!({"type": "object", "oneOf": [
                {"allOf": [shared.clone(), {"$ref": "#/components/schemas/A"}],
                 "description": "`A`, with the properties every alternative shares.",
                 "x-sdk-extends": "A"},
                {"allOf": [shared, {"type": "object", "properties": {"b": {"type": "string"}}}]}
            ]})
        );
    }

    #[test]
    fn discriminated_unions_and_plain_objects_are_left_alone() {
        for schema in [
            json!({"properties": {"t": {}}, "discriminator": {"propertyName": "t"}, "oneOf": [{"$ref": "#/x"}]}),
            json!({"properties": {"t": {}}}),
            json!({"oneOf": [{"type": "string"}]}),
            json!({"properties": {"t": {}}, "oneOf": [{"properties": {"u": {}}, "oneOf": [{"type": "string"}]}]}),
            json!({"properties": {"t": {}}, "oneOf": [{"discriminator": {"propertyName": "k"}, "oneOf": [{"type": "string"}]}]}),
        ] {
            let mut changed = schema.clone();
            let source = json!({});
            merge(changed.as_object_mut().unwrap(), &|a| expand(&source, a, 0));
            assert_eq!(changed, schema);
        }
    }

    #[test]
    fn a_plain_inner_union_gives_its_alternatives() {
        let source = json!({"components": {"schemas": {
            "Contact": {"oneOf": [{"$ref": "#/components/schemas/ById"}, {"$ref": "#/components/schemas/ByEmail"}]},
            "ById": {"type": "object"},
            "ByEmail": {"type": "object"},
            "Admin": {"type": "object"},
        }}});
        let mut schema = json!({
            "properties": {"quiet": {"type": "boolean"}},
            "oneOf": [{"$ref": "#/components/schemas/Contact"}, {"$ref": "#/components/schemas/Admin"}]
        });
        merge(schema.as_object_mut().unwrap(), &|a| expand(&source, a, 0));
        let extended: Vec<&str> = schema["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["allOf"][1]["$ref"].as_str().unwrap())
            .collect();
        assert_eq!(
            extended,
            [
                "#/components/schemas/ById",
                "#/components/schemas/ByEmail",
                "#/components/schemas/Admin"
            ]
        );
        assert!(schema.get("properties").is_none());
    }
}
