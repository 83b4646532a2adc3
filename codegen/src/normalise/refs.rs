//! `$ref` handling before parsing.
//!
//! OpenAPI 3.0 says keywords beside a `$ref` are ignored, and `openapiv3` drops them. Real specs
//! (Twilio's everywhere, and 3.1 legitimately) put `nullable` and `description` there, and a
//! nullable field that decodes as non-null breaks users, so the siblings are kept by rewriting
//! `{$ref, nullable, description}` into `{allOf: [{$ref}], nullable, description}`.

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;
use crate::diagnostics::{Diagnostics, Error};

/// Keywords that only restate the type the reference already gives.
const REDUNDANT: &[&str] = &["type"];

pub(crate) fn lift_sibling_keywords(doc: &mut Value, _diags: &mut Diagnostics) {
    for_each_schema(doc, &mut |schema, _| lift(schema));
}

pub(crate) fn lift(schema: &mut Map<String, Value>) {
    if !schema.contains_key("$ref") || schema.len() == 1 {
        return;
    }
    let reference = schema.remove("$ref").expect("checked above");
    for key in REDUNDANT {
        schema.remove(*key);
    }
    let target = json!({ "$ref": reference });
    match schema.get_mut("allOf") {
        Some(Value::Array(all_of)) => all_of.insert(0, target),
        _ => {
            schema.insert("allOf".into(), Value::Array(vec![target]));
        }
    }
}

/// References to other files are refused with a clear error: resolving them would make
/// generation depend on files the spec's reader never handed us.
pub(crate) fn check_external(doc: &Value, diags: &Diagnostics) -> Result<(), Error> {
    fn visit(value: &Value, pointer: &mut String, diags: &Diagnostics) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if !r.starts_with('#') {
                        return Err(diags.error(
                            &format!("{pointer}/$ref"),
                            format!("external reference {r:?} is not supported: bundle the spec into one file first (e.g. `redocly bundle`)"),
                        ));
                    }
                }
                for (k, v) in map {
                    if k == "example" || k == "examples" {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&crate::diagnostics::pointer_token(k));
                    visit(v, pointer, diags)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    visit(v, pointer, diags)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    visit(doc, &mut String::new(), diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn twilio_nullable_ref_keeps_its_siblings() {
        let mut s = json!({"type": "string", "$ref": "#/components/schemas/user_enum_state_type", "nullable": true, "description": "d"});
        lift(s.as_object_mut().unwrap());
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/user_enum_state_type"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn a_bare_ref_is_untouched() {
        let mut s = json!({"$ref": "#/components/schemas/A"});
        lift(s.as_object_mut().unwrap());
        assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn refs_inside_examples_are_data() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object", "example": {"$ref": "x", "nullable": true}}}}});
        let before = doc.clone();
        lift_sibling_keywords(&mut doc, &mut Diagnostics::new(Path::new("t")));
        assert_eq!(doc, before);
    }

    #[test]
    fn external_refs_are_refused_with_their_pointer() {
        let doc =
            json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "other.yaml#/x"}}}}}});
        let err = check_external(&doc, &Diagnostics::new(Path::new("t.yaml"))).unwrap_err();
        assert_eq!(
            err.location,
            crate::diagnostics::Location::Pointer("/paths/~1a/get/responses/200/$ref".into())
        );
        assert!(err.message.contains("external reference"));
    }
}
