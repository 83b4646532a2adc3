//! Properties beside `oneOf`/`anyOf` belong to every alternative (JSON Schema applies the
//! parent's keywords and one alternative's together), so each alternative becomes
//! `allOf: [<the shared properties>, <alternative>]` and the model's `allOf` merge gives
//! each variant all its fields. Intercom writes its ticket replies this way.
//!
//! A discriminated union is left as it is: its variants are found by `$ref`, which an
//! `allOf` wrapper would hide, and its shared property is the tag the model reads.

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;

/// Keywords that describe the object's fields, moved into every alternative.
const SHARED: &[&str] = &["properties", "required", "additionalProperties"];

pub(crate) fn merge_into_alternatives(doc: &mut Value) {
    for_each_schema(doc, &mut |schema, _| merge(schema));
}

fn merge(schema: &mut Map<String, Value>) {
    if schema.contains_key("discriminator") || !schema.contains_key("properties") {
        return;
    }
    let Some(key) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| schema.contains_key(*k))
    else {
        return;
    };
    let mut shared = Map::new();
    shared.insert("type".into(), json!("object"));
    for keyword in SHARED {
        if let Some(value) = schema.remove(*keyword) {
            shared.insert((*keyword).to_owned(), value);
        }
    }
    if let Some(Value::Array(alternatives)) = schema.get_mut(key) {
        for alternative in alternatives.iter_mut() {
            let own = std::mem::take(alternative);
            let mut merged = json!({"allOf": [Value::Object(shared.clone()), own]});
            // The merged type is new; its docs say which schema it extends.
            if let Some(name) = merged["allOf"][1]["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                merged["description"] = json!(format!(
                    "`{name}`, with the properties every alternative shares."
                ));
            }
            *alternative = merged;
        }
    }
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
        merge(schema.as_object_mut().unwrap());
        let shared = json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}});
        assert_eq!(
            schema,
            json!({"type": "object", "oneOf": [
                {"allOf": [shared.clone(), {"$ref": "#/components/schemas/A"}],
                 "description": "`A`, with the properties every alternative shares."},
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
        ] {
            let mut changed = schema.clone();
            merge(changed.as_object_mut().unwrap());
            assert_eq!(changed, schema);
        }
    }
}
