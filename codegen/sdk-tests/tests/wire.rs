//! Wire tests of every operation of every spec: each is called through the generated driver
//! (`generated/sdk-calls`, printed from the model, so a new operation is covered without a
//! hand edit), once with every input and once with the required ones, with values taken
//! from the spec, against a mock server that answers with the spec's success response.
//!
//! The request that arrives must be what the spec and the values say, computed here from the
//! spec alone (not from the model or the driver): method; path with each value percent-encoded as one
//! segment; query pairs (arrays repeat the key); header values; the body as JSON, form
//! pairs (Twilio's conventions: arrays repeat the key, booleans `true`/`false`) or
//! multipart parts; the content type; the credentials. The answer must decode.

mod common;

use common::values::{Spec, SpecValues};
use common::{front_auth, header, multipart_parts, twilio_auth, FRONT_AUTH, TWILIO_AUTH};
use sdk_calls::{Call, Driver, Inputs};
use sdk_runtime::RetryPolicy;
use serde_json::{Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The wire strings of a parameter or form value: one per array element.
fn scalars(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(scalars).collect(),
        other => vec![other.to_string()],
    }
}

/// The base64 form of the files a value stands for (one string, or a list of them).
fn base64_files(value: &Value) -> Value {
    use base64::Engine as _;
    let encode = |s: &str| Value::String(base64::engine::general_purpose::STANDARD.encode(s));
    match value {
        Value::String(s) => encode(s),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .take(1)
                .map(|v| encode(v.as_str().unwrap_or("file")))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What the request must look like.
struct Expected {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: ExpectedBody,
}

enum ExpectedBody {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<(String, Vec<u8>)>),
}

/// The request the spec describes for `operation`, with the spec's values: nothing here
/// comes from the model or the driver, so a parameter the generator drops, misplaces or
/// gets the wrong `required` for fails the test.
fn expected(spec: &Spec, operation: &str, inputs: Inputs) -> Expected {
    let op = spec.operation(operation);
    let all = inputs == Inputs::All;
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for (name, location, required) in op.parameters() {
        if !(required || all) {
            continue;
        }
        let value = scalars(&op.param(name));
        match location {
            "query" => query.extend(value.into_iter().map(|v| (name.to_owned(), v))),
            "header" => headers.push((name.to_owned(), value.join(","))),
            _ => {}
        }
    }
    let body = if !op.has_body() {
        ExpectedBody::None
    } else if let Some(fields) = op.body_fields() {
        // A body of fields is always sent, empty when no field is set.
        let required = op.required_body_fields();
        let json = op.body_media_type() == "application/json";
        let set: Map<String, Value> = fields
            .into_iter()
            .filter(|(name, _)| all || required.contains(name))
            .map(|(name, binary)| {
                let value = op.body_field(&name);
                // A file inside a JSON body travels as base64 (FilePart's serde form).
                let value = if binary && json {
                    base64_files(&value)
                } else {
                    value
                };
                (name, value)
            })
            .collect();
        encode_body(op.body_media_type(), Value::Object(set))
    } else if all || op.body_required() {
        encode_body(op.body_media_type(), op.body())
    } else {
        ExpectedBody::None
    };
    Expected {
        method: op.method.clone(),
        path: op.path(),
        query,
        headers,
        body,
    }
}

fn encode_body(media_type: &str, value: Value) -> ExpectedBody {
    let fields = || {
        value
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(k, v)| scalars(v).into_iter().map(|s| (k.clone(), s)))
            .collect::<Vec<_>>()
    };
    match media_type {
        "application/x-www-form-urlencoded" => ExpectedBody::Form(fields()),
        "multipart/form-data" => ExpectedBody::Multipart(
            fields()
                .into_iter()
                .map(|(k, v)| (k, v.into_bytes()))
                .collect(),
        ),
        _ => ExpectedBody::Json(value),
    }
}

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort();
    items
}

fn check(label: &str, req: &Request, auth: &str, expected: &Expected) {
    assert_eq!(req.method.as_str(), expected.method, "{label}: method");
    assert_eq!(req.url.path(), expected.path, "{label}: path");
    let query: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(sorted(&query), sorted(&expected.query), "{label}: query");
    for (name, value) in &expected.headers {
        assert_eq!(
            header(req, name).as_deref(),
            Some(value.as_str()),
            "{label}: header {name}"
        );
    }
    assert_eq!(
        header(req, "authorization").as_deref(),
        Some(auth),
        "{label}: credentials"
    );
    let content_type = header(req, "content-type");
    match &expected.body {
        ExpectedBody::None => {
            assert!(
                req.body.is_empty(),
                "{label}: no body expected, got {:?}",
                String::from_utf8_lossy(&req.body)
            );
            assert_eq!(content_type, None, "{label}: content type without a body");
        }
        ExpectedBody::Json(value) => {
            assert_eq!(
                content_type.as_deref(),
                Some("application/json"),
                "{label}: content type"
            );
            let sent: Value = serde_json::from_slice(&req.body)
                .unwrap_or_else(|e| panic!("{label}: body is not JSON: {e}"));
            assert!(
                common::equivalent(&sent, value),
                "{label}: JSON body\n  sent {sent}\n  want {value}"
            );
        }
        ExpectedBody::Form(pairs) => {
            assert_eq!(
                content_type.as_deref(),
                Some("application/x-www-form-urlencoded"),
                "{label}: content type"
            );
            let text = String::from_utf8(req.body.clone()).expect("form bodies are ASCII");
            let url = sdk_runtime::reqwest::Url::parse(&format!("http://form/?{text}")).unwrap();
            let sent: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(sorted(&sent), sorted(pairs), "{label}: form body");
        }
        ExpectedBody::Multipart(parts) => {
            let sent: Vec<(String, Vec<u8>)> = multipart_parts(req)
                .into_iter()
                .map(|p| (p.name, p.body))
                .collect();
            assert_eq!(sorted(&sent), sorted(parts), "{label}: multipart parts");
        }
    }
}

/// Every operation of one spec.
async fn every_operation<D: Driver>(
    spec_file: &'static str,
    calls: &'static [Call],
    client: impl Fn(&str) -> D,
    auth: &str,
) {
    let spec = Spec::load(spec_file);
    let values = SpecValues::new(&spec);
    assert_eq!(
        calls
            .iter()
            .map(|c| c.operation.to_owned())
            .collect::<std::collections::BTreeSet<_>>(),
        common::operation_ids(spec_file),
        "{spec_file}: the driver calls every operation of the spec"
    );
    for call in calls {
        for inputs in [Inputs::All, Inputs::RequiredOnly] {
            let label = format!("{spec_file} {} ({inputs:?})", call.operation);
            let server = MockServer::start().await;
            let (status, body) = spec.success_response(call.operation);
            let mut response = ResponseTemplate::new(status);
            if let Some(body) = body {
                response = response.set_body_json(body);
            }
            Mock::given(any())
                .respond_with(response)
                .mount(&server)
                .await;
            let metadata = client(&server.uri())
                .call(call, &values, inputs)
                .await
                .unwrap_or_else(|e| panic!("{label}: {e:?}"));
            assert_eq!(metadata.status().as_u16(), status, "{label}: status");
            if inputs == Inputs::All {
                // Before `expected` reads every input of the spec itself.
                spec.operation(call.operation).assert_every_input_used();
            }
            let received = server.received_requests().await.unwrap();
            assert_eq!(received.len(), 1, "{label}: one request");
            check(
                &label,
                &received[0],
                auth,
                &expected(&spec, call.operation, inputs),
            );
        }
    }
}

macro_rules! wire_test {
    ($name:ident, $krate:ident, $file:literal, $auth:expr, $header:expr) => {
        #[tokio::test]
        async fn $name() {
            let client = |url: &str| {
                $krate::Client::builder()
                    .auth($auth)
                    .server_url(url)
                    .retry_policy(RetryPolicy::disabled())
                    .build()
                    .unwrap()
            };
            every_operation($file, sdk_calls::$krate::CALLS, client, $header).await;
        }
    };
}

wire_test!(
    every_operation_of_twilio_frontline_v1,
    twilio_frontline_v1,
    "twilio_frontline_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH
);
wire_test!(
    every_operation_of_twilio_flex_v2,
    twilio_flex_v2,
    "twilio_flex_v2.json",
    twilio_auth(),
    TWILIO_AUTH
);
wire_test!(
    every_operation_of_twilio_flex_v1,
    twilio_flex_v1,
    "twilio_flex_v1.yaml",
    twilio_auth(),
    TWILIO_AUTH
);
wire_test!(
    every_operation_of_front_channel,
    front_channel,
    "front_channel.json",
    front_auth(),
    FRONT_AUTH
);
