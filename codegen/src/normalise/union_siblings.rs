//! Properties beside `oneOf`/`anyOf` belong to every alternative (JSON Schema applies the
//! parent's keywords and one alternative's together), so each alternative becomes
//! `allOf: [<the shared properties>, <alternative>]` and the model's `allOf` merge gives
//! each variant all its fields. Intercom writes its ticket replies this way.
//!
//! A discriminated union is left as it is: its variants are found by `$ref`, which an
//! `allOf` wrapper would hide, and its shared property is the tag the model reads. So is a
//! union with an alternative that is itself a union: `allOf` cannot merge into one, and the
//! inner union's variants matter more than the shared fields (the model warns).

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;

/// Keywords that describe the object's fields, moved into every alternative.
const SHARED: &[&str] = &["properties", "required", "additionalProperties"];

pub(crate) fn merge_into_alternatives(doc: &mut Value) {
    let source = doc.clone();
    let is_union = |alternative: &Value| {
        let target = match alternative.get("$ref").and_then(Value::as_str) {
            Some(r) => r.strip_prefix('#').and_then(|p| source.pointer(p)),
            None => Some(alternative),
        };
        target.is_some_and(|t| t.get("oneOf").is_some() || t.get("anyOf").is_some())
    };
    for_each_schema(doc, &mut |schema, _| merge(schema, &is_union));
}

fn merge(schema: &mut Map<String, Value>, is_union: &dyn Fn(&Value) -> bool) {
    if schema.contains_key("discriminator") || !schema.contains_key("properties") {
        return;
    }
    let Some(key) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| schema.contains_key(*k))
    else {
        return;
    };
    if schema[key]
        .as_array()
        .is_some_and(|a| a.iter().any(is_union))
    {
        return;
    }
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
        merge(schema.as_object_mut().unwrap(), &|_| false);
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
            json!({"properties": {"t": {}}, "oneOf": [{"oneOf": [{"type": "string"}]}]}),
        ] {
            let mut changed = schema.clone();
            let inner_union = |a: &Value| a.get("oneOf").is_some();
            merge(changed.as_object_mut().unwrap(), &inner_union);
            assert_eq!(changed, schema);
        }
    }
}
