//! `$ref` handling before parsing.
//!
//! OpenAPI 3.0 says keywords beside a `$ref` are ignored, and `openapiv3` drops them. Real specs
//! (Twilio's everywhere, and 3.1 legitimately) put `nullable` and `description` there, and a
//! nullable field that decodes as non-null breaks users, so the siblings are kept by rewriting
//! `{$ref, nullable, description}` into `{allOf: [{$ref}], nullable, description}`.

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;
use crate::diagnostics::{Diagnostics, Error};
use crate::structure::Level;

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

/// References to other files left after loading (which bundles them, see `load::bundle`)
/// are refused with a clear error: a document given as a value has no folder to read from.
pub(crate) fn check_external(doc: &Value, diags: &Diagnostics) -> Result<(), Error> {
    fn visit(
        value: &Value,
        pointer: &mut String,
        level: Level,
        diags: &Diagnostics,
    ) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(r)), Level::Object) = (map.get("$ref"), level) {
                    if !r.starts_with('#') {
                        return Err(diags.error(
                            &format!("{pointer}/$ref"),
                            format!("external reference {r:?} cannot be resolved here: generate from the spec's file, so that the files beside it are read"),
                        ));
                    }
                }
                for (k, v) in map {
                    let Some(inner) = level.enter(k) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&crate::diagnostics::pointer_token(k));
                    visit(v, pointer, inner, diags)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    visit(v, pointer, Level::Object, diags)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    visit(doc, &mut String::new(), Level::Object, diags)
}

// A `$ref` may name a whole entry of a component map (`crate::load::COMPONENT_KINDS`); a
// `$ref` to anything else in the document (`#/components/schemas/Tag/allOf/0`, a property
// of another schema, a parameter of an operation) is valid JSON Pointer, and is replaced by a
// copy of what it points at.

/// Replaces each `$ref` to a place inside the document other than a whole component with a
/// copy of its target (keys beside the `$ref` kept), to any depth; a cycle is an error.
pub(crate) fn inline_inner_pointers(doc: &mut Value, diags: &Diagnostics) -> Result<(), Error> {
    let source = doc.clone();
    let mut inliner = Inliner {
        source: &source,
        copying: Vec::new(),
        diags,
    };
    inliner.inline(doc, &mut String::new(), Level::Object)
}

fn is_whole_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(map, name)| {
            crate::load::COMPONENT_KINDS.contains(&map) && !name.contains('/')
        })
}

/// The component map a `$ref` at `pointer` must name for `openapiv3` to resolve it: a
/// response refers to `responses`, a parameter to `parameters`, a request body to
/// `requestBodies`. (PagerDuty's responses refer to request bodies, which have the same
/// shape; such a reference is copied in place.)
fn expected_map(pointer: &str) -> Option<&'static str> {
    let mut tokens = pointer.rsplit('/');
    let last = tokens.next()?;
    let before = tokens.next();
    if last == "requestBody" {
        return Some("requestBodies");
    }
    match before? {
        "responses" if pointer.starts_with("/paths/") => Some("responses"),
        "parameters" if pointer.starts_with("/paths/") => Some("parameters"),
        _ => None,
    }
}

/// Copies `$ref` targets into the places that refer to them, reading the document as it was
/// before any copy.
struct Inliner<'a> {
    source: &'a Value,
    /// The targets being copied, outermost first: a target met again is a cycle.
    copying: Vec<String>,
    diags: &'a Diagnostics,
}

impl Inliner<'_> {
    /// Inlines the refs in `value`, at `pointer`, and below it.
    fn inline(
        &mut self,
        value: &mut Value,
        pointer: &mut String,
        level: Level,
    ) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                let reference = match map.get("$ref") {
                    Some(Value::String(reference)) if level == Level::Object => {
                        Some(reference.clone())
                    }
                    _ => None,
                };
                let copy = match reference {
                    Some(reference) => self.target_copy(&reference, pointer)?,
                    None => None,
                };
                if let Some(copy) = copy {
                    map.remove("$ref");
                    match copy {
                        Value::Object(target) => {
                            for (k, v) in target {
                                map.entry(k).or_insert(v);
                            }
                        }
                        other if map.is_empty() => {
                            *value = other;
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                let Value::Object(map) = value else {
                    return Ok(());
                };
                for (key, child) in map.iter_mut() {
                    let Some(inner) = level.enter(key) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&crate::diagnostics::pointer_token(key));
                    self.inline(child, pointer, inner)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.inline(child, pointer, Level::Object)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A copy of what the `$ref` at `pointer` points at, its own refs inlined, if it must be
    /// copied: a place inside the document other than a whole component, or a component of
    /// another kind than `openapiv3` resolves there. `None` for refs left as they are.
    fn target_copy(&mut self, reference: &str, pointer: &str) -> Result<Option<Value>, Error> {
        let Some(target) = reference.strip_prefix('#') else {
            return Ok(None);
        };
        let other_kind = expected_map(pointer)
            .is_some_and(|map| !target.starts_with(&format!("/components/{map}/")));
        if target.is_empty() || (is_whole_component(target) && !other_kind) {
            return Ok(None);
        }
        let at = format!("{pointer}/$ref");
        if self.copying.iter().any(|t| t == target) {
            return Err(self.diags.error(
                &at,
                format!(
                    "cyclic $ref \"#{target}\": what it points at refers back to it ({})",
                    self.copying.join(" -> ")
                ),
            ));
        }
        let Some(found) = self.source.pointer(target) else {
            return Err(self.diags.error(
                &at,
                format!("dangling $ref \"#{target}\": the document has nothing there"),
            ));
        };
        let mut copy = found.clone();
        self.copying.push(target.to_owned());
        let result = self.inline(&mut copy, &mut target.to_owned(), Level::Object);
        self.copying.pop();
        result?;
        Ok(Some(copy))
    }
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
