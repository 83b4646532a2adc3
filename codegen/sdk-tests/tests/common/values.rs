//! Request values synthesised from the spec, so that every contract request is
//! built from what the spec itself says is valid rather than from our reading of it.
//!
//! For a parameter or body field the value is, in order: the request example of the
//! media type, the parameter's `example`/`examples`, the schema's `example`/`examples`,
//! `default`, the first `enum` value, a value matching its `pattern`, and finally a
//! value built from its type and format (respecting lengths and bounds). Objects get
//! every property, optional ones included, so optional fields are exercised too.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::METHODS;

/// A parsed spec document (YAML specs are converted to JSON by the codegen loader).
pub(crate) struct Spec {
    pub file: &'static str,
    root: Value,
    /// Per operation, the inputs a value was asked for.
    used: RefCell<BTreeMap<String, BTreeSet<String>>>,
}

impl Spec {
    pub(crate) fn load(file: &'static str) -> Self {
        Spec {
            file,
            root: super::load_spec(file),
            used: RefCell::default(),
        }
    }

    /// The operation with this `operationId`; panics if the spec has none.
    pub(crate) fn operation(&self, id: &str) -> Operation<'_> {
        let paths = self.root["paths"].as_object().expect("spec has paths");
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                if op["operationId"] == id {
                    return Operation {
                        spec: self,
                        id: id.to_owned(),
                        method: method.to_ascii_uppercase(),
                        path_template: path.clone(),
                        parameters: self.parameters(item, op),
                        body: self.request_body(op),
                    };
                }
            }
        }
        panic!("{}: no operation {id}", self.file);
    }

    /// The first 2xx response of an operation: its status and a body built from its schema
    /// (not its example, which may contradict the schema: Front's `template_id`), or no
    /// body when it declares none.
    pub(crate) fn success_response(&self, id: &str) -> (u16, Option<Value>) {
        let paths = self.root["paths"].as_object().expect("spec has paths");
        let op = paths
            .values()
            .flat_map(|item| METHODS.iter().filter_map(move |m| item.get(*m)))
            .find(|op| op["operationId"] == id)
            .unwrap_or_else(|| panic!("{}: no operation {id}", self.file));
        let responses = op["responses"]
            .as_object()
            .expect("operation has responses");
        let (code, response) = responses
            .iter()
            .find(|(code, _)| code.starts_with('2'))
            .unwrap_or_else(|| panic!("{}: {id} declares no 2xx response", self.file));
        let status = code.replace("XX", "00").parse().unwrap_or(200);
        let response = self.resolve(response);
        let json = response["content"].as_object().and_then(|content| {
            content.iter().find(|(media, _)| {
                let m = media.split(';').next().unwrap_or("").trim();
                m == "application/json" || m.ends_with("+json") || m == "*/*"
            })
        });
        let body = json.map(|(_, media)| match media.get("schema") {
            Some(schema) => self.sample_ignoring_examples(schema),
            None => json!({}),
        });
        (status, body)
    }

    /// Path-item parameters overridden by operation parameters (same name and `in`).
    fn parameters(&self, item: &Value, op: &Value) -> Vec<Value> {
        let mut params: Vec<Value> = Vec::new();
        let declared = item["parameters"].as_array().into_iter().flatten();
        for p in declared.chain(op["parameters"].as_array().into_iter().flatten()) {
            let p = self.resolve(p);
            params.retain(|q| q["name"] != p["name"] || q["in"] != p["in"]);
            params.push(p);
        }
        params
    }

    fn request_body(&self, op: &Value) -> Option<RequestBody> {
        let body = self.resolve(op.get("requestBody")?);
        let (media_type, media) = body["content"].as_object()?.iter().next()?;
        let example = media
            .get("example")
            .cloned()
            .or_else(|| first_named_example(media.get("examples")));
        Some(RequestBody {
            media_type: media_type.clone(),
            required: body["required"] == true,
            schema: self.flatten(&media["schema"]),
            example,
        })
    }

    /// Follows a local `$ref` (siblings of the `$ref` override the target's keys).
    fn resolve(&self, value: &Value) -> Value {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value.clone();
        };
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
            panic!("{}: only local $refs are supported: {reference}", self.file)
        });
        let target = self
            .root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.file));
        let mut resolved = self.resolve(target);
        if let (Some(resolved), Some(siblings)) = (resolved.as_object_mut(), value.as_object()) {
            for (k, v) in siblings {
                if k != "$ref" {
                    resolved.insert(k.clone(), v.clone());
                }
            }
        }
        resolved
    }

    /// A schema with `$ref`s followed and `allOf` parts merged into one object schema.
    fn flatten(&self, schema: &Value) -> Value {
        let mut schema = self.resolve(schema);
        let Some(parts) = schema.as_object_mut().and_then(|s| s.remove("allOf")) else {
            return schema;
        };
        for part in parts.as_array().expect("allOf is an array") {
            let part = self.flatten(part);
            let merged = schema.as_object_mut().expect("allOf schema is an object");
            for (k, v) in part.as_object().expect("allOf part is an object") {
                match (k.as_str(), merged.get_mut(k)) {
                    ("properties", Some(Value::Object(props))) => {
                        props.extend(v.as_object().unwrap().clone());
                    }
                    ("required", Some(Value::Array(required))) => {
                        required.extend(v.as_array().unwrap().iter().cloned());
                    }
                    (_, Some(_)) => {}
                    (_, None) => {
                        merged.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        schema
    }

    /// A valid value for `schema`; `name` only makes free-form strings recognisable.
    pub(crate) fn sample(&self, schema: &Value, name: &str) -> Value {
        self.sample_with(schema, name, true)
    }

    /// A value built from the schema alone: `default`, `const` and `enum` are used,
    /// `example`s are not (a spec's example can contradict its schema).
    pub(crate) fn sample_ignoring_examples(&self, schema: &Value) -> Value {
        self.sample_with(schema, "response", false)
    }

    fn sample_with(&self, schema: &Value, name: &str, examples: bool) -> Value {
        let schema = self.flatten(schema);
        if let Some(v) = schema_example(&schema, examples) {
            return v;
        }
        if let Some(first) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| schema.get(*k)?.as_array()?.first())
        {
            return self.sample_with(first, name, examples);
        }
        match schema_type(&schema) {
            "object" => self.sample_object(&schema, examples),
            "array" => {
                let count = schema["minItems"].as_u64().unwrap_or(1).max(1);
                let item = self.sample_with(&schema["items"], name, examples);
                Value::Array(vec![item; count as usize])
            }
            "integer" => json!(sample_number(&schema, 10.0) as i64),
            "number" => json!(sample_number(&schema, 12.5)),
            "boolean" => json!(true),
            "string" => json!(sample_string(&schema, name, self.file)),
            other => panic!(
                "{}: cannot synthesise a `{other}` value for {name}",
                self.file
            ),
        }
    }

    fn sample_object(&self, schema: &Value, examples: bool) -> Value {
        match schema["properties"].as_object() {
            Some(props) if !props.is_empty() => Value::Object(
                props
                    .iter()
                    .map(|(k, s)| (k.clone(), self.sample_with(s, k, examples)))
                    .collect(),
            ),
            // A free-form object: any member is valid.
            _ => json!({"contract_test": true}),
        }
    }
}

/// `example`, the first of `examples` (3.1 array form), `default`, `const`, first `enum`;
/// without the first two when `examples` is false.
fn schema_example(schema: &Value, examples: bool) -> Option<Value> {
    let example = || {
        schema
            .get("example")
            .or_else(|| schema.get("examples")?.as_array()?.first())
    };
    examples
        .then(example)
        .flatten()
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("const"))
        .or_else(|| schema.get("enum")?.as_array()?.first())
        .cloned()
}

/// The first `value` of an OpenAPI `examples` map (`{name: {value: ...}}`).
fn first_named_example(examples: Option<&Value>) -> Option<Value> {
    examples?
        .as_object()?
        .values()
        .next()?
        .get("value")
        .cloned()
}

/// The schema's type; with a 3.1 type list, the first that is not `null`.
fn schema_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    }
}

fn sample_number(schema: &Value, fallback: f64) -> f64 {
    match (schema["minimum"].as_f64(), schema["maximum"].as_f64()) {
        (Some(min), Some(max)) => (min + max) / 2.0,
        (Some(min), None) => min.max(fallback),
        (None, Some(max)) => max.min(fallback),
        (None, None) => fallback,
    }
}

fn sample_string(schema: &Value, name: &str, file: &str) -> String {
    if let Some(pattern) = schema["pattern"].as_str() {
        return string_matching(pattern).unwrap_or_else(|| {
            panic!(
                "{file}: no value synthesis for {name}'s pattern {pattern:?}: \
                 give it an example in the spec or teach contract/values.rs the pattern"
            )
        });
    }
    let mut value = match schema["format"].as_str() {
        Some("date-time") => "2024-05-01T12:30:00Z".to_owned(),
        Some("date") => "2024-05-01".to_owned(),
        Some("uri" | "url") => "https://example.com/contract-test".to_owned(),
        Some("email") => "contract-test@example.com".to_owned(),
        Some("uuid") => "8f14e45f-ceea-467f-a0e6-7c4c3b8e6a7e".to_owned(),
        // A space forces every encoder (path, query, form, JSON) to do some work.
        _ => format!("{name} sample"),
    };
    if let Some(max) = schema["maxLength"].as_u64() {
        value.truncate(max as usize);
    }
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    while value.len() < min {
        value.push('x');
    }
    value
}

/// A value for the patterns the specs use: Twilio SIDs, `^XX[0-9a-fA-F]{32}$`.
fn string_matching(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^')?;
    let prefix = &rest[..2];
    let is_sid = prefix.bytes().all(|b| b.is_ascii_uppercase()) && &rest[2..] == "[0-9a-fA-F]{32}$";
    is_sid.then(|| format!("{prefix}0123456789abcdef0123456789ABCDEF"))
}

struct RequestBody {
    media_type: String,
    /// The spec's `requestBody.required`.
    required: bool,
    /// Flattened (refs followed, allOf merged).
    schema: Value,
    /// The media type's example, when the spec gives one.
    example: Option<Value>,
}

/// One operation of the spec and the values a valid request to it carries.
///
/// Remembers which parameters and body fields the test asked for, so that
/// [`assert_every_input_used`](Self::assert_every_input_used) can catch an input
/// the spec gained but the contract test does not send.
pub(crate) struct Operation<'a> {
    spec: &'a Spec,
    pub id: String,
    pub method: String,
    pub path_template: String,
    parameters: Vec<Value>,
    body: Option<RequestBody>,
}

impl Operation<'_> {
    /// The value of the path, query or header parameter `name`.
    pub(crate) fn param(&self, name: &str) -> Value {
        let param = self
            .parameters
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{}: {} has no parameter {name}", self.spec.file, self.id));
        self.mark_used(name);
        param
            .get("example")
            .cloned()
            .or_else(|| first_named_example(param.get("examples")))
            .unwrap_or_else(|| self.spec.sample(&param["schema"], name))
    }

    /// The value of the top-level request body field `name`.
    pub(crate) fn body_field(&self, name: &str) -> Value {
        let body = self.request_body();
        let schema = body.schema["properties"].get(name).unwrap_or_else(|| {
            panic!(
                "{}: {} has no request body field {name}",
                self.spec.file, self.id
            )
        });
        self.mark_used(name);
        body.example
            .as_ref()
            .and_then(|e| e.get(name))
            .cloned()
            .unwrap_or_else(|| self.spec.sample(schema, name))
    }

    /// The whole request body: every field, as [`body_field`](Self::body_field) gives it.
    pub(crate) fn body(&self) -> Value {
        let body = self.request_body();
        match body.schema["properties"].as_object() {
            Some(props) if body.schema.get("oneOf").is_none() => {
                let fields: Map<String, Value> = props
                    .keys()
                    .map(|k| (k.clone(), self.body_field(k)))
                    .collect();
                Value::Object(fields)
            }
            // A body that is one of several alternatives: the first.
            _ => {
                self.mark_used("(body)");
                self.spec.sample(&body.schema, "body")
            }
        }
    }

    pub(crate) fn body_media_type(&self) -> &str {
        &self.request_body().media_type
    }

    /// The body's required top-level fields.
    pub(crate) fn required_body_fields(&self) -> Vec<String> {
        self.request_body().schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| f.as_str().unwrap().to_owned())
            .collect()
    }

    /// The request path with every path parameter filled in and percent-encoded.
    pub(crate) fn path(&self) -> String {
        let mut path = self.path_template.clone();
        for p in self.parameters.iter().filter(|p| p["in"] == "path") {
            let name = p["name"].as_str().unwrap();
            let value = match self.param(name) {
                Value::String(s) => s,
                other => other.to_string(),
            };
            path = path.replace(&format!("{{{name}}}"), &percent_encode(&value));
        }
        path
    }

    fn mark_used(&self, input: &str) {
        self.spec
            .used
            .borrow_mut()
            .entry(self.id.clone())
            .or_default()
            .insert(input.to_owned());
    }

    /// Whether the operation has a request body.
    pub(crate) fn has_body(&self) -> bool {
        self.body.is_some()
    }

    /// Each parameter: its name, where it goes (`path`, `query`, `header`, `cookie`) and
    /// whether it is required.
    pub(crate) fn parameters(&self) -> impl Iterator<Item = (&str, &str, bool)> {
        self.parameters.iter().map(|p| {
            (
                p["name"].as_str().expect("a parameter has a name"),
                p["in"].as_str().expect("a parameter says where it goes"),
                p["required"] == true,
            )
        })
    }

    /// Whether the spec requires the request body.
    pub(crate) fn body_required(&self) -> bool {
        self.request_body().required
    }

    /// The body's top-level fields, each with whether it holds files (`format: binary`,
    /// or a list of those), when the body is an object of fields rather than one of
    /// several alternatives ([`body`](Self::body) draws the line the same way).
    pub(crate) fn body_fields(&self) -> Option<Vec<(String, bool)>> {
        let body = self.request_body();
        if body.schema.get("oneOf").is_some() {
            return None;
        }
        let properties = body.schema["properties"].as_object()?;
        Some(
            properties
                .iter()
                .map(|(name, schema)| {
                    let schema = self.spec.resolve(schema);
                    let items = schema.get("items").map(|i| self.spec.resolve(i));
                    let binary = schema["format"] == "binary"
                        || items.is_some_and(|i| i["format"] == "binary");
                    (name.clone(), binary)
                })
                .collect(),
        )
    }

    /// Fails naming every parameter or body field no value was asked for.
    pub(crate) fn assert_every_input_used(&self) {
        let all_used = self.spec.used.borrow();
        let none = BTreeSet::new();
        let used = all_used.get(&self.id).unwrap_or(&none);
        let mut inputs: Vec<String> = self
            .parameters
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        if let Some(body) = &self.body {
            match body.schema["properties"].as_object() {
                Some(props) if body.schema.get("oneOf").is_none() => {
                    inputs.extend(props.keys().cloned())
                }
                _ => inputs.push("(body)".to_owned()),
            }
        }
        let unused: Vec<_> = inputs.iter().filter(|i| !used.contains(*i)).collect();
        assert!(
            unused.is_empty(),
            "{}: the generated driver of {} does not send {unused:?} (does the model drop them?)",
            self.spec.file,
            self.id
        );
    }

    fn request_body(&self) -> &RequestBody {
        self.body
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {} has no request body", self.spec.file, self.id))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Values for the generated driver (`sdk_calls`), taken from the spec as above.
pub(crate) struct SpecValues<'s> {
    spec: &'s Spec,
}

impl<'s> SpecValues<'s> {
    pub(crate) fn new(spec: &'s Spec) -> Self {
        SpecValues { spec }
    }

    /// The JSON value an input gets (before conversion to the builder's type).
    pub(crate) fn json(&self, call: &sdk_calls::Call, input: &sdk_calls::Input) -> Value {
        let op = self.spec.operation(call.operation);
        match input.place {
            sdk_calls::Place::Path | sdk_calls::Place::Query | sdk_calls::Place::Header => {
                op.param(input.wire)
            }
            sdk_calls::Place::BodyField => op.body_field(input.wire),
            sdk_calls::Place::Body => op.body(),
        }
    }
}

impl sdk_calls::Values for SpecValues<'_> {
    fn value<T: DeserializeOwned>(&self, call: &sdk_calls::Call, input: &sdk_calls::Input) -> T {
        let value = self.json(call, input);
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            panic!(
                "{}: {} input {}: the spec's value {value} does not deserialise: {e}",
                self.spec.file, call.operation, input.name
            )
        })
    }

    fn file(&self, call: &sdk_calls::Call, input: &sdk_calls::Input) -> sdk_runtime::FilePart {
        let content = match self.json(call, input) {
            Value::String(s) => s.into_bytes(),
            Value::Array(items) => items
                .first()
                .and_then(Value::as_str)
                .unwrap_or("file")
                .as_bytes()
                .to_vec(),
            other => other.to_string().into_bytes(),
        };
        sdk_runtime::FilePart::new(content)
            .file_name(format!("{}.bin", input.wire))
            .content_type("application/octet-stream")
    }
}
