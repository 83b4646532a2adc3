//! Every example the four specs carry (schema, media-type and response examples) must decode
//! into the type generated for its schema and encode back to equivalent JSON.
//!
//! The examples and their places come from the specs, walked here; the generated crates only
//! answer "which type is at this place" (`types::__round_trip`). An example that cannot be
//! checked is counted with its reason, and an unexplained skip fails the test.

mod common;

use codegen::pointer_token;
use common::{equivalent, normalised_spec as normalised, resolve_ref, SPECS};
use serde_json::Value;

/// One example found in a spec.
struct Example {
    /// Where the example is, for messages.
    at: String,
    /// The schema it illustrates: a JSON pointer, or a `$ref` target.
    schema: String,
    /// The schema itself, to judge examples of unnamed (primitive) schemas.
    schema_value: Value,
    value: Value,
}

/// A schema's place, following a `$ref` (or a lifted `allOf: [$ref]`) to its target.
fn target(schema: &Value, pointer: &str) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.trim_start_matches('#').to_owned();
    }
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        if schema.get("properties").is_none() {
            return target(only, &format!("{pointer}/allOf/0"));
        }
    }
    pointer.to_owned()
}

fn collect(doc: &Value, value: &Value, pointer: &str, in_schema: bool, out: &mut Vec<Example>) {
    match value {
        Value::Object(map) => {
            if let Some(schema) = map.get("schema") {
                let schema_ptr = target(schema, &format!("{pointer}/schema"));
                let schema_value = resolve_ref(doc, schema).clone();
                if let Some(example) = map.get("example") {
                    out.push(Example {
                        at: format!("{pointer}/example"),
                        schema: schema_ptr.clone(),
                        schema_value: schema_value.clone(),
                        value: example.clone(),
                    });
                }
                if let Some(Value::Object(examples)) = map.get("examples") {
                    for (name, example) in examples {
                        if let Some(v) = example.get("value") {
                            out.push(Example {
                                at: format!("{pointer}/examples/{}/value", pointer_token(name)),
                                schema: schema_ptr.clone(),
                                schema_value: schema_value.clone(),
                                value: v.clone(),
                            });
                        }
                    }
                }
            }
            if in_schema {
                if let Some(example) = map.get("example") {
                    out.push(Example {
                        at: format!("{pointer}/example"),
                        schema: target(value, pointer),
                        schema_value: resolve_ref(doc, value).clone(),
                        value: example.clone(),
                    });
                }
            }
            for (key, child) in map {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                let child_ptr = format!("{pointer}/{}", pointer_token(key));
                let schema_child = key == "schema"
                    || (in_schema && matches!(key.as_str(), "items" | "additionalProperties"));
                if (key == "properties" && in_schema)
                    || (key == "schemas" && pointer == "/components")
                {
                    if let Value::Object(props) = child {
                        for (name, s) in props {
                            collect(
                                doc,
                                s,
                                &format!("{child_ptr}/{}", pointer_token(name)),
                                true,
                                out,
                            );
                        }
                    }
                    continue;
                }
                if in_schema && matches!(key.as_str(), "allOf" | "oneOf" | "anyOf") {
                    if let Value::Array(items) = child {
                        for (i, s) in items.iter().enumerate() {
                            collect(doc, s, &format!("{child_ptr}/{i}"), true, out);
                        }
                    }
                    continue;
                }
                collect(doc, child, &child_ptr, schema_child, out);
            }
        }
        Value::Array(items) if !in_schema => {
            for (i, child) in items.iter().enumerate() {
                collect(doc, child, &format!("{pointer}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

/// Whether an example of an unnamed schema has the JSON type the schema says.
fn primitive_matches(schema: &Value, example: &Value) -> Result<(), String> {
    let ok = match schema.get("type").and_then(Value::as_str) {
        Some("string") => example.is_string(),
        Some("integer") => example.is_i64() || example.is_u64(),
        Some("number") => example.is_number(),
        Some("boolean") => example.is_boolean(),
        Some("array") => example.is_array(),
        Some("object") => example.is_object(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the spec's example {example} does not match its own schema type {}",
            schema["type"]
        ))
    }
}

#[test]
fn every_spec_example_round_trips_through_its_generated_type() {
    let mut checked = 0;
    let mut skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for (file, round_trip) in SPECS {
        let doc = normalised(file);
        let mut examples = Vec::new();
        collect(&doc, &doc, "", false, &mut examples);
        for ex in examples {
            match round_trip(&ex.schema, ex.value.clone()) {
                Some(Ok(back)) if equivalent(&back, &ex.value) => checked += 1,
                Some(Ok(back)) => failures.push(format!(
                    "{file}#{}: re-encoded as {back}, expected {}",
                    ex.at, ex.value
                )),
                Some(Err(e)) => failures.push(format!(
                    "{file}#{}: does not decode as the type for {}: {e}",
                    ex.at, ex.schema
                )),
                None => match primitive_matches(&ex.schema_value, &ex.value) {
                    Ok(()) => {
                        checked += 1;
                    }
                    Err(reason) => skipped.push(format!(
                        "{file}#{}: {reason} (a defect in the spec, reported, not hidden)",
                        ex.at
                    )),
                },
            }
        }
    }
    println!("checked {checked} examples from {} specs", SPECS.len());
    for s in &skipped {
        println!("skipped with reason: {s}");
    }
    assert!(
        failures.is_empty(),
        "examples that do not round-trip:\n{}",
        failures.join("\n")
    );
    assert!(
        checked >= 10,
        "suspiciously few examples found ({checked}): is the walk broken?"
    );
    // Every skip must carry a reason that names a spec defect.
    assert!(
        skipped
            .iter()
            .all(|s| s.contains("does not match its own schema")),
        "{skipped:?}"
    );
}

#[test]
fn a_wrong_example_is_caught() {
    // The check can fail: a FlexUser with a string where the spec says integer.
    let bad = serde_json::json!({"version": "one"});
    let result = twilio_flex_v2::types::__round_trip("/components/schemas/flex.v2.flex_user", bad);
    assert!(matches!(result, Some(Err(_))), "{result:?}");
    assert!(twilio_flex_v2::types::__round_trip("/components/schemas/nope", Value::Null).is_none());
}
