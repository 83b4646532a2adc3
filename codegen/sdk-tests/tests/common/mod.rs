//! Helpers shared by the wire tests: spec loading, request capture and checks.
//!
//! Every expected value in the tests comes from reading the spec; these helpers
//! only fetch what the mock server received and take spec files apart.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;
use wiremock::{MockServer, Request};

pub(crate) mod values;

/// `Authorization` for `Basic::new("ACxxx", "secret")`: base64("ACxxx:secret").
pub(crate) const TWILIO_AUTH: &str = "Basic QUN4eHg6c2VjcmV0";
/// `Authorization` for `Bearer::new("token")`.
pub(crate) const FRONT_AUTH: &str = "Bearer token";

pub(crate) fn twilio_auth() -> sdk_runtime::auth::Basic {
    sdk_runtime::auth::Basic::new("ACxxx", "secret")
}

pub(crate) fn front_auth() -> sdk_runtime::auth::Bearer {
    sdk_runtime::auth::Bearer::new("token")
}

pub(crate) fn spec_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(file)
}

/// The overlays the generator applies to `specs/<file>` (the one beside it, if any).
pub(crate) fn overlays(file: &str) -> Vec<codegen::Overlay> {
    codegen::Overlay::path_beside(&spec_path(file))
        .map(|p| codegen::Overlay::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display())))
        .into_iter()
        .collect()
}

/// The spec document as JSON, as the generator reads it: YAML converted, files beside it
/// bundled in, its overlay applied.
pub(crate) fn load_spec(file: &str) -> Value {
    let path = spec_path(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    codegen::overlaid_spec(&path, &bytes, &overlays(file))
        .unwrap_or_else(|e| panic!("parse {}: {e:?}", path.display()))
}

/// The spec after the generator's normalisation (3.1 downgraded, `$ref` siblings lifted into
/// `allOf`): the shape whose JSON pointers the generated `types::__round_trip` knows.
pub(crate) fn normalised_spec(file: &str) -> Value {
    let path = spec_path(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    codegen::normalised_spec(&path, &bytes, &overlays(file)).unwrap_or_else(|f| panic!("{f}"))
}

/// Answers "which generated type is at this JSON pointer of the spec" by decoding a value as
/// that type and encoding it again (`types::__round_trip`); `None` where there is no type.
pub(crate) type RoundTrip = fn(&str, Value) -> Option<Result<Value, serde_json::Error>>;

/// Each spec with its generated crate's round trip.
pub(crate) const SPECS: &[(&str, RoundTrip)] = &[
    ("front_channel.json", front_channel::types::__round_trip),
    ("twilio_flex_v1.yaml", twilio_flex_v1::types::__round_trip),
    ("twilio_flex_v2.json", twilio_flex_v2::types::__round_trip),
    (
        "twilio_frontline_v1.yaml",
        twilio_frontline_v1::types::__round_trip,
    ),
];

/// Mounts a mock that answers `method path` with `response` and expects exactly one call.
pub(crate) async fn mount_once(
    server: &MockServer,
    m: &str,
    p: impl Into<String>,
    response: wiremock::ResponseTemplate,
) {
    wiremock::Mock::given(wiremock::matchers::method(m))
        .and(wiremock::matchers::path(p))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The schema a local `$ref` chain leads to (the schema itself when it is not a `$ref`).
pub(crate) fn resolve_ref<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        schema = doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    panic!("$ref chain longer than 32 links")
}

/// JSON equality where an absent field equals `null` and `1` equals `1.0`: what a round trip
/// through a generated type may change without changing meaning.
pub(crate) fn equivalent(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| {
                equivalent(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equivalent(a, b))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The operation keys of an OpenAPI path item.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every `operationId` of the spec, from `paths` -> method -> `operationId`.
pub(crate) fn operation_ids(file: &str) -> BTreeSet<String> {
    let spec = load_spec(file);
    let paths = spec["paths"].as_object().expect("spec has paths");
    let mut ids = BTreeSet::new();
    for item in paths.values() {
        for m in METHODS {
            if let Some(op) = item.get(*m) {
                let id = op["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("an operation in {file} has no operationId"));
                assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            }
        }
    }
    ids
}

/// The one request the server received (fails if there were more or none).
pub(crate) async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {:?}",
        requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    requests.pop().unwrap()
}

pub(crate) async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

pub(crate) fn header(req: &Request, name: &str) -> Option<String> {
    let mut values = req.headers.get_all(name).iter();
    let first = values.next()?;
    assert!(values.next().is_none(), "header {name} sent more than once");
    Some(first.to_str().expect("ASCII header").to_owned())
}

/// Method, raw path and raw query (None when the URL has no `?`).
pub(crate) fn assert_target(req: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(req.method.as_str(), method, "method");
    assert_eq!(req.url.path(), path, "path");
    assert_eq!(req.url.query(), query, "query string");
}

pub(crate) fn assert_auth(req: &Request, expected: &str) {
    assert_eq!(
        header(req, "authorization").as_deref(),
        Some(expected),
        "Authorization"
    );
}

pub(crate) fn assert_form_body(req: &Request, expected: &str) {
    assert_eq!(
        header(req, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded"),
        "Content-Type"
    );
    assert_eq!(
        std::str::from_utf8(&req.body).expect("UTF-8 form"),
        expected,
        "form body"
    );
}

/// One part of a multipart/form-data body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

fn param(disposition: &str, key: &str) -> Option<String> {
    disposition.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Parses a multipart/form-data request body (RFC 7578), checking the Content-Type.
pub(crate) fn multipart_parts(req: &Request) -> Vec<Part> {
    let ct = header(req, "content-type").expect("Content-Type");
    assert!(ct.starts_with("multipart/form-data;"), "Content-Type {ct}");
    let boundary = param(&ct, "boundary").expect("boundary");
    let delim = format!("--{boundary}").into_bytes();
    let body = &req.body;
    let mut parts = Vec::new();
    let mut pos = find(body, &delim, 0).expect("first boundary");
    loop {
        pos += delim.len();
        if body[pos..].starts_with(b"--") {
            break;
        }
        assert!(body[pos..].starts_with(b"\r\n"), "CRLF after boundary");
        pos += 2;
        let head_end = find(body, b"\r\n\r\n", pos).expect("end of part headers");
        let head = std::str::from_utf8(&body[pos..head_end]).expect("ASCII headers");
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let (k, v) = line.split_once(':').expect("header line");
            if k.eq_ignore_ascii_case("content-disposition") {
                assert!(v.trim().starts_with("form-data"), "disposition {v}");
                name = param(v, "name");
                filename = param(v, "filename");
            } else if k.eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_owned());
            }
        }
        let data_start = head_end + 4;
        let mut end_delim = b"\r\n".to_vec();
        end_delim.extend_from_slice(&delim);
        let next = find(body, &end_delim, data_start).expect("closing boundary");
        parts.push(Part {
            name: name.expect("part name"),
            filename,
            content_type,
            body: body[data_start..next].to_vec(),
        });
        pos = next + 2;
    }
    parts
}
