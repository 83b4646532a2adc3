//! Property tests of the generated types, with inputs drawn from the specs' own schemas.
//!
//! A strategy is built from each schema the generated crates have a type for (every pointer
//! `types::__round_trip` answers): required fields always, optional ones absent, `null` (where
//! nullable) or set, enum values known or never seen, a union's variants with their tag. Then:
//!
//! - every value the spec allows decodes into its type and encodes back to equivalent JSON;
//! - a string enum keeps a value the spec does not list, unchanged (forward compatibility);
//! - an optional field decodes the same whether it is absent or `null`;
//! - Front's `CreateCall` union writes its `direction` tag exactly once, reads back to the same
//!   Rust value, and keeps an unknown tag's object as it came.

mod common;

use std::collections::BTreeSet;

use base64::Engine as _;
use codegen::pointer_token;
use common::{equivalent, normalised_spec, resolve_ref, RoundTrip, SPECS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};

/// Cases per schema. Each case is one decode and encode of a small document, so this stays
/// well under a second per spec; `PROPTEST_CASES` raises it for a longer run.
const CASES_PER_SCHEMA: u32 = 64;

/// Beyond this nesting, optional fields are left out and arrays are empty, so recursive
/// schemas make finite values.
const MAX_DEPTH: usize = 4;

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok());
    TestRunner::new(Config {
        cases: cases.unwrap_or(CASES_PER_SCHEMA),
        failure_persistence: None,
        ..Config::default()
    })
}

/// A spec with the places of its schemas.
struct Spec {
    file: &'static str,
    doc: Value,
    round_trip: RoundTrip,
}

impl Spec {
    fn all() -> Vec<Spec> {
        SPECS
            .iter()
            .map(|&(file, round_trip)| Spec {
                file,
                doc: normalised_spec(file),
                round_trip,
            })
            .collect()
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        resolve_ref(&self.doc, schema)
    }

    /// Every schema place (JSON pointer) the generated crate has a type for.
    fn typed_schemas(&self) -> Vec<(String, &Value)> {
        let mut all = Vec::new();
        if let Some(Value::Object(schemas)) = self.doc.pointer("/components/schemas") {
            for (name, s) in schemas {
                walk_schema(
                    s,
                    &format!("/components/schemas/{}", pointer_token(name)),
                    &mut all,
                );
            }
        }
        if let Some(Value::Object(paths)) = self.doc.get("paths") {
            for (path, item) in paths {
                walk_operations(item, &format!("/paths/{}", pointer_token(path)), &mut all);
            }
        }
        all.into_iter()
            .filter(|(pointer, _)| (self.round_trip)(pointer, Value::Null).is_some())
            .collect()
    }

    /// The discriminator property of the union whose `oneOf` lists the schema at `pointer`.
    fn union_tag_of_variant(&self, pointer: &str) -> Option<&str> {
        let Some(Value::Object(schemas)) = self.doc.pointer("/components/schemas") else {
            return None;
        };
        schemas.values().find_map(|union| {
            let tag = union.pointer("/discriminator/propertyName")?.as_str()?;
            let variants = union.get("oneOf")?.as_array()?;
            let target = format!("#{pointer}");
            variants
                .iter()
                .any(|v| v.get("$ref").and_then(Value::as_str) == Some(&target))
                .then_some(tag)
        })
    }

    /// An object schema with `allOf` merged in: its properties, required names and
    /// `additionalProperties`.
    fn object_parts<'a>(&'a self, schema: &'a Value) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        self.collect_object_parts(schema, &mut parts);
        parts
    }

    fn collect_object_parts<'a>(&'a self, schema: &'a Value, parts: &mut ObjectParts<'a>) {
        let schema = self.resolve(schema);
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (name, s) in props {
                if !parts.properties.iter().any(|(n, _)| n == name) {
                    parts.properties.push((name.clone(), s));
                }
            }
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            parts
                .required
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        if let Some(additional) = schema.get("additionalProperties") {
            parts.additional = Some(additional);
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for s in all {
                self.collect_object_parts(s, parts);
            }
        }
    }

    /// Values the schema allows.
    fn arbitrary(&self, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
        let schema = self.resolve(schema);
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let inner = self.arbitrary_non_null(schema, depth);
        if nullable {
            prop_oneof![1 => Just(Value::Null), 4 => inner].boxed()
        } else {
            inner
        }
    }

    fn arbitrary_non_null(&self, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
        if let Some(Value::Array(variants)) = schema.get("oneOf").or_else(|| schema.get("anyOf")) {
            return self.arbitrary_variant(schema, variants, depth);
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            // `$ref` with siblings is normalised to `allOf: [$ref]`: the referenced schema,
            // which need not be an object (Twilio's nullable enums).
            if let ([only], None) = (all.as_slice(), schema.get("properties")) {
                return self.arbitrary_non_null(self.resolve(only), depth);
            }
        }
        let typ = schema.get("type").and_then(Value::as_str);
        if let Some(Value::Array(values)) = schema.get("enum") {
            let known: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            if typ == Some("string") {
                // A value the spec lists, or one it does not: the API may add values any day.
                return prop_oneof![
                    3 => proptest::sample::select(known),
                    1 => any::<String>().prop_map(Value::String),
                ]
                .boxed();
            }
            return proptest::sample::select(known).boxed();
        }
        let is_object = typ == Some("object")
            || schema.get("properties").is_some()
            || schema.get("allOf").is_some()
            || (typ.is_none() && schema.get("additionalProperties").is_some());
        match typ {
            Some("string") => self.arbitrary_string(schema),
            Some("integer") => match schema.get("format").and_then(Value::as_str) {
                Some("int32") => any::<i32>().prop_map(Value::from).boxed(),
                _ => any::<i64>().prop_map(Value::from).boxed(),
            },
            Some("number") => match schema.get("format").and_then(Value::as_str) {
                Some("float") => proptest::num::f32::NORMAL
                    .prop_map(|f| Value::from(f64::from(f)))
                    .boxed(),
                _ => proptest::num::f64::NORMAL.prop_map(Value::from).boxed(),
            },
            Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
            Some("array") => {
                let len = if depth >= MAX_DEPTH { 0..1 } else { 0..3 };
                match schema.get("items") {
                    Some(items) => proptest::collection::vec(self.arbitrary(items, depth + 1), len)
                        .prop_map(Value::Array)
                        .boxed(),
                    None => proptest::collection::vec(any_json(), len)
                        .prop_map(Value::Array)
                        .boxed(),
                }
            }
            _ if is_object => self.arbitrary_object(schema, depth),
            _ => any_json(),
        }
    }

    fn arbitrary_string(&self, schema: &Value) -> BoxedStrategy<Value> {
        let format = schema.get("format").and_then(Value::as_str);
        match format {
            Some("date-time") => (0i64..4_102_444_800)
                .prop_map(|secs| {
                    let t = chrono::DateTime::from_timestamp(secs, 0).expect("in range");
                    Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                })
                .boxed(),
            Some("date") => (0i64..4_102_444_800)
                .prop_map(|secs| {
                    let t = chrono::DateTime::from_timestamp(secs, 0).expect("in range");
                    Value::String(t.format("%Y-%m-%d").to_string())
                })
                .boxed(),
            Some("binary") => proptest::collection::vec(any::<u8>(), 0..16)
                .prop_map(|bytes| {
                    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
                })
                .boxed(),
            _ => match schema.get("pattern").and_then(Value::as_str) {
                Some(pattern) => {
                    let body = pattern.trim_start_matches('^').trim_end_matches('$');
                    proptest::string::string_regex(body)
                        .unwrap_or_else(|e| panic!("{}: pattern {pattern:?}: {e}", self.file))
                        .prop_map(Value::String)
                        .boxed()
                }
                None => any::<String>().prop_map(Value::String).boxed(),
            },
        }
    }

    fn arbitrary_object(&self, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
        let parts = self.object_parts(schema);
        let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, property) in &parts.properties {
            let value = self.arbitrary(property, depth + 1);
            let name = name.clone();
            if parts.required.contains(&name) {
                fields.push(value.prop_map(move |v| Some((name.clone(), v))).boxed());
            } else if depth < MAX_DEPTH {
                fields.push(
                    proptest::option::of(value)
                        .prop_map(move |v| v.map(|v| (name.clone(), v)))
                        .boxed(),
                );
            }
        }
        let extra = match parts.additional {
            Some(Value::Object(s)) if !s.is_empty() && depth < MAX_DEPTH => {
                let known: BTreeSet<String> =
                    parts.properties.iter().map(|(n, _)| n.clone()).collect();
                proptest::collection::btree_map(
                    "[a-z]{1,8}",
                    self.arbitrary(parts.additional.unwrap(), depth + 1),
                    0..3,
                )
                .prop_map(move |m| {
                    m.into_iter()
                        .filter(|(k, _)| !known.contains(k))
                        .collect::<Vec<_>>()
                })
                .boxed()
            }
            _ => Just(Vec::new()).boxed(),
        };
        (fields, extra)
            .prop_map(|(fields, extra)| {
                let mut map: Map<String, Value> = fields.into_iter().flatten().collect();
                map.extend(extra);
                Value::Object(map)
            })
            .boxed()
    }

    /// One of a union's variants, carrying its discriminator tag when the union has one.
    fn arbitrary_variant(
        &self,
        schema: &Value,
        variants: &[Value],
        depth: usize,
    ) -> BoxedStrategy<Value> {
        let tag = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        let mapping = schema
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object);
        let choices: Vec<BoxedStrategy<Value>> = variants
            .iter()
            .map(|variant| {
                let value = self.arbitrary(variant, depth + 1);
                let (Some(tag), Some(reference)) =
                    (tag, variant.get("$ref").and_then(Value::as_str))
                else {
                    return value;
                };
                let tag_value = mapping
                    .and_then(|m| {
                        m.iter()
                            .find(|(_, r)| r.as_str() == Some(reference))
                            .map(|(k, _)| k.clone())
                    })
                    .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or_default().to_owned());
                let tag = tag.to_owned();
                value
                    .prop_map(move |mut v| {
                        if let Value::Object(map) = &mut v {
                            map.insert(tag.clone(), Value::String(tag_value.clone()));
                        }
                        v
                    })
                    .boxed()
            })
            .collect();
        proptest::strategy::Union::new(choices).boxed()
    }
}

#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<(String, &'a Value)>,
    required: BTreeSet<String>,
    additional: Option<&'a Value>,
}

/// Small arbitrary JSON, for `{}` and free-form values.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Schema places below a component schema that may carry a generated type.
fn walk_schema<'a>(schema: &'a Value, pointer: &str, out: &mut Vec<(String, &'a Value)>) {
    let Value::Object(map) = schema else { return };
    out.push((pointer.to_owned(), schema));
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get(key) {
            walk_schema(child, &format!("{pointer}/{key}"), out);
        }
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for (name, s) in props {
            walk_schema(
                s,
                &format!("{pointer}/properties/{}", pointer_token(name)),
                out,
            );
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(items)) = map.get(key) {
            for (i, s) in items.iter().enumerate() {
                walk_schema(s, &format!("{pointer}/{key}/{i}"), out);
            }
        }
    }
}

/// Request and response body schemas of every operation.
fn walk_operations<'a>(item: &'a Value, pointer: &str, out: &mut Vec<(String, &'a Value)>) {
    let Value::Object(methods) = item else { return };
    for (method, op) in methods {
        let op_ptr = format!("{pointer}/{method}");
        if let Some(Value::Object(content)) = op.pointer("/requestBody/content") {
            for (media, body) in content {
                if let Some(s) = body.get("schema") {
                    walk_schema(
                        s,
                        &format!(
                            "{op_ptr}/requestBody/content/{}/schema",
                            pointer_token(media)
                        ),
                        out,
                    );
                }
            }
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (status, response) in responses {
                if let Some(Value::Object(content)) = response.get("content") {
                    for (media, body) in content {
                        if let Some(s) = body.get("schema") {
                            let p = format!(
                                "{op_ptr}/responses/{status}/content/{}/schema",
                                pointer_token(media)
                            );
                            walk_schema(s, &p, out);
                        }
                    }
                }
            }
        }
    }
}

fn check_round_trip(spec: &Spec, pointer: &str, value: &Value) -> Result<(), TestCaseError> {
    let mut expected = value.clone();
    if let (Some(tag), Value::Object(map)) = (spec.union_tag_of_variant(pointer), &mut expected) {
        // A union's variant struct leaves the tag to the union enum, which writes it once.
        map.remove(tag);
    }
    match (spec.round_trip)(pointer, value.clone()) {
        Some(Ok(back)) if equivalent(&back, &expected) => Ok(()),
        Some(Ok(back)) => Err(TestCaseError::fail(format!("re-encoded as {back}"))),
        Some(Err(e)) => Err(TestCaseError::fail(format!("does not decode: {e}"))),
        None => Err(TestCaseError::fail("no generated type at this place")),
    }
}

#[test]
fn every_value_a_schema_allows_round_trips_through_its_type() {
    let mut failures = Vec::new();
    let mut schemas = 0;
    for spec in Spec::all() {
        for (pointer, schema) in spec.typed_schemas() {
            schemas += 1;
            let strategy = spec.arbitrary(schema, 0);
            if let Err(e) =
                runner().run(&strategy, |value| check_round_trip(&spec, &pointer, &value))
            {
                failures.push(format!("{}#{pointer}: {e}", spec.file));
            }
        }
    }
    println!("round-tripped arbitrary values of {schemas} schemas");
    assert!(
        schemas >= 40,
        "only {schemas} typed schemas found: is the walk broken?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn string_enums_keep_values_the_spec_does_not_list() {
    let mut enums = 0;
    let mut failures = Vec::new();
    for spec in Spec::all() {
        for (pointer, schema) in spec.typed_schemas() {
            let schema = spec.resolve(schema);
            let Some(Value::Array(values)) = schema.get("enum") else {
                continue;
            };
            if schema.get("type").and_then(Value::as_str) != Some("string") {
                continue;
            }
            enums += 1;
            let known: BTreeSet<&str> = values.iter().filter_map(Value::as_str).collect();
            let unknown = any::<String>()
                .prop_filter("not a listed value", move |s| !known.contains(s.as_str()));
            let result = runner().run(&unknown, |s| {
                let value = Value::String(s);
                let back = (spec.round_trip)(&pointer, value.clone())
                    .expect("typed")
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(back, value);
                Ok(())
            });
            if let Err(e) = result {
                failures.push(format!("{}#{pointer}: {e}", spec.file));
            }
        }
    }
    println!("checked {enums} string enums with unlisted values");
    assert!(
        enums >= 10,
        "only {enums} string enums found: is the walk broken?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #[test]
    fn unknown_enum_values_behave_like_known_ones_in_the_typed_api(s in any::<String>()) {
        use twilio_frontline_v1::types::UserState;
        let parsed: UserState = s.parse().expect("parsing a state never fails");
        prop_assert_eq!(parsed.as_str(), s.as_str());
        prop_assert_eq!(parsed.to_string(), s.clone());
        let listed = UserState::VALUES.contains(&s.as_str());
        prop_assert_eq!(matches!(parsed, UserState::Unknown(_)), !listed);
        let decoded: UserState = serde_json::from_value(Value::String(s.clone())).unwrap();
        prop_assert_eq!(decoded, parsed);
    }
}

#[test]
fn optional_fields_decode_alike_absent_or_null() {
    let mut fields = 0;
    let mut failures = Vec::new();
    for spec in Spec::all() {
        for (pointer, schema) in spec.typed_schemas() {
            let parts = spec.object_parts(schema);
            let optional: Vec<String> = parts
                .properties
                .iter()
                .map(|(n, _)| n.clone())
                .filter(|n| !parts.required.contains(n))
                .collect();
            let resolved = spec.resolve(schema);
            if optional.is_empty()
                || resolved.get("oneOf").is_some()
                || resolved.get("anyOf").is_some()
            {
                continue;
            }
            fields += optional.len();
            let strategy = spec.arbitrary(schema, 0);
            let result = runner().run(&strategy, |value| {
                let Value::Object(map) = value else {
                    return Ok(());
                };
                for name in &optional {
                    let mut absent = map.clone();
                    absent.remove(name);
                    let mut null = map.clone();
                    null.insert(name.clone(), Value::Null);
                    let decode = |v: Map<String, Value>| {
                        (spec.round_trip)(&pointer, Value::Object(v))
                            .expect("typed")
                            .map_err(|e| TestCaseError::fail(format!("{name}: {e}")))
                    };
                    let (from_absent, from_null) = (decode(absent)?, decode(null)?);
                    prop_assert_eq!(&from_absent, &from_null, "field {}", name);
                    // Absent stays absent: `None` is not written as `null`.
                    prop_assert!(
                        from_absent.get(name.as_str()).is_none(),
                        "field {} written when None",
                        name
                    );
                }
                Ok(())
            });
            if let Err(e) = result {
                failures.push(format!("{}#{pointer}: {e}", spec.file));
            }
        }
    }
    println!("checked {fields} optional fields absent and null");
    assert!(
        fields >= 50,
        "only {fields} optional fields found: is the walk broken?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn create_call_union_writes_its_tag_once_and_reads_back_the_same_value() {
    use front_channel::types::CreateCall;
    let spec = Spec::all()
        .into_iter()
        .find(|s| s.file == "front_channel.json")
        .unwrap();
    let schema = spec
        .doc
        .pointer("/components/schemas/CreateCall")
        .expect("CreateCall in spec")
        .clone();
    let strategy = spec.arbitrary(&schema, 0);
    let seen = std::cell::RefCell::new(BTreeSet::new());
    runner()
        .run(&strategy, |value| {
            let call: CreateCall = serde_json::from_value(value.clone())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(
                !matches!(call, CreateCall::Unknown(_)),
                "a listed variant decoded as Unknown: {}",
                value
            );
            let text = serde_json::to_string(&call).unwrap();
            prop_assert_eq!(text.matches("\"direction\"").count(), 1, "{}", text);
            let again: CreateCall = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&again, &call);
            prop_assert!(equivalent(
                &serde_json::from_str::<Value>(&text).unwrap(),
                &value
            ));
            seen.borrow_mut()
                .insert(value["direction"].as_str().unwrap_or_default().to_owned());
            Ok(())
        })
        .unwrap();
    assert_eq!(
        seen.into_inner(),
        BTreeSet::from(["inbound".to_owned(), "outbound".to_owned()]),
        "both variants drawn"
    );
}

proptest! {
    #[test]
    fn create_call_with_an_unknown_direction_is_kept_as_it_came(
        direction in "[a-z]{1,12}".prop_filter("unlisted", |d| d != "inbound" && d != "outbound"),
        extra in any_json(),
    ) {
        use front_channel::types::CreateCall;
        let value = serde_json::json!({"direction": direction, "external_call_id": "c1", "extra": extra});
        let call: CreateCall = serde_json::from_value(value.clone()).unwrap();
        prop_assert!(matches!(call, CreateCall::Unknown(_)));
        prop_assert_eq!(serde_json::to_value(&call).unwrap(), value);
    }
}
