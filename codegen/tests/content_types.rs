//! Request and response bodies of every content type: JSON, form and multipart stay as they
//! were; text (`text/*`, XML) is a `String`; anything else (`application/octet-stream`,
//! `application/pkix-cert`, images) is bytes sent as given, with its content type. A request
//! that accepts several such types takes a `Content-Type` input. Each of these specs was
//! refused, or its body dropped to untyped bytes, before.

use std::path::Path;

use codegen::Options;

fn generate(paths: &str) -> codegen::Generated {
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "servers": [{{"url": "https://api.example.com"}}], "paths": {paths}}}"#
    );
    codegen::generate(
        Path::new("ct.json"),
        "ct.json",
        spec.as_bytes(),
        &Options::new("../runtime"),
    )
    .unwrap_or_else(|f| panic!("{f}"))
}

fn upload(types: &[&str]) -> String {
    let content: Vec<String> = types
        .iter()
        .map(|t| format!(r#""{t}": {{"schema": {{"type": "string", "format": "binary"}}}}"#))
        .collect();
    format!(
        r#"{{"/upload": {{"post": {{"operationId": "upload", "requestBody": {{"required": true, "content": {{{}}}}}, "responses": {{"204": {{"description": "x"}}}}}}}}}}"#,
        content.join(", ")
    )
}

#[test]
fn raw_request_bodies_are_bytes_sent_with_their_content_type() {
    for media in [
        "application/octet-stream",
        "application/pkix-cert",
        "image/png",
        "*/*",
        "application/*",
    ] {
        let generated = generate(&upload(&[media]));
        let client = generated.file("src/client.rs").unwrap();
        let operations = generated.file("src/operations.rs").unwrap();
        assert!(
            client.contains("body: impl Into<sdk_runtime::bytes::Bytes>"),
            "{media}: {client}"
        );
        assert!(
            operations.contains(&format!("request.raw_body(\"{media}\", self.body.clone())")),
            "{media}: {operations}"
        );
        assert!(
            generated.warnings.is_empty(),
            "{media}: {:?}",
            generated.warnings
        );
    }
}

#[test]
fn text_and_xml_request_bodies_are_strings() {
    for media in [
        "text/plain",
        "text/x-markdown",
        "application/xml",
        "application/soap+xml",
    ] {
        let generated = generate(&upload(&[media]));
        let client = generated.file("src/client.rs").unwrap();
        assert!(
            client.contains("body: impl Into<String>"),
            "{media}: {client}"
        );
        assert!(
            generated
                .file("src/operations.rs")
                .unwrap()
                .contains(&format!("raw_body(\"{media}\"")),
            "{media}"
        );
    }
}

#[test]
fn several_raw_content_types_let_the_caller_choose() {
    let generated = generate(&upload(&["image/png", "image/jpeg"]));
    let operations = generated.file("src/operations.rs").unwrap();
    // The first is the default; a `Content-Type` header input picks another.
    assert!(
        operations.contains("raw_body(\"image/png\""),
        "{operations}"
    );
    assert!(
        operations.contains("pub fn content_type(mut self, value: impl Into<String>) -> Self"),
        "{operations}"
    );
    assert!(
        operations.contains("`image/png`, `image/jpeg`"),
        "{operations}"
    );
    assert!(
        operations.contains("request.header(\"Content-Type\""),
        "{operations}"
    );
}

#[test]
fn json_form_and_multipart_are_preferred_as_before() {
    let generated = generate(
        r#"{"/a": {"post": {"operationId": "a", "requestBody": {"content": {"application/octet-stream": {}, "application/json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}}, "responses": {"204": {"description": "x"}}}}}"#,
    );
    assert!(generated
        .file("src/operations.rs")
        .unwrap()
        .contains("request.json_body("));
}

/// A vendor's `+json` type is JSON; a wildcard type says nothing of the format, so its schema
/// decides (an object is JSON, a binary string is bytes: `*/*` was always read as JSON, and a
/// download failed to decode).
#[test]
fn vendor_json_is_json_and_a_wildcard_follows_its_schema() {
    let object = r#"{"type": "object", "properties": {"x": {"type": "string"}}}"#;
    let binary = r#"{"type": "string", "format": "binary"}"#;
    for (media, schema, sent, returns) in [
        (
            "application/vnd.acme.v2+json",
            object,
            "request.json_body(",
            "types::GResponse",
        ),
        ("*/*", object, "request.json_body(", "types::GResponse"),
        (
            "*/*",
            binary,
            "request.raw_body(\"*/*\"",
            "sdk_runtime::Body",
        ),
    ] {
        let paths = format!(
            r#"{{"/a": {{"post": {{"operationId": "g", "requestBody": {{"required": true, "content": {{"{media}": {{"schema": {schema}}}}}}}, "responses": {{"200": {{"description": "x", "content": {{"{media}": {{"schema": {schema}}}}}}}}}}}}}}}"#
        );
        let generated = generate(&paths);
        let operations = generated.file("src/operations.rs").unwrap();
        assert!(operations.contains(sent), "{media} {schema}: {operations}");
        assert!(
            operations.contains(&format!("Result<{returns}, sdk_runtime::Error>")),
            "{media} {schema}: {operations}"
        );
    }
}

#[test]
fn text_responses_are_strings_and_other_bodies_bytes() {
    for (media, returns) in [
        ("text/plain", "Result<String, sdk_runtime::Error>"),
        ("application/xml", "Result<String, sdk_runtime::Error>"),
        (
            "application/octet-stream",
            "Result<sdk_runtime::Body, sdk_runtime::Error>",
        ),
        (
            "application/pdf",
            "Result<sdk_runtime::Body, sdk_runtime::Error>",
        ),
    ] {
        let paths = format!(
            r#"{{"/a": {{"get": {{"operationId": "g", "responses": {{"200": {{"description": "x", "content": {{"{media}": {{"schema": {{"type": "string"}}}}}}}}}}}}}}}}"#
        );
        let generated = generate(&paths);
        assert!(
            generated.warnings.is_empty(),
            "{media}: {:?}",
            generated.warnings
        );
        let operations = generated.file("src/operations.rs").unwrap();
        assert!(operations.contains(returns), "{media}: {operations}");
    }
}
