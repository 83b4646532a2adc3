//! Bad input: each case must fail with an error that names the file and the place (line and
//! column, or JSON pointer), and must never panic.

use std::path::Path;

use codegen::{Location, Options};

fn options() -> Options {
    Options { runtime_path: "../runtime".into(), standalone: true, deny_warnings: false }
}

fn fail(name: &str, text: &[u8]) -> codegen::Error {
    match codegen::generate(Path::new(name), name, text, &options()) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(failure) => {
            assert_eq!(failure.error.file, Path::new(name), "the error names the file");
            failure.error
        }
    }
}

fn minimal(paths: &str, components: &str) -> String {
    format!(r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "paths": {paths}, "components": {components}}}"#)
}

#[test]
fn invalid_yaml_has_line_and_column() {
    let e = fail("bad.yaml", b"openapi: 3.0.0\ninfo: [unclosed\n");
    assert!(matches!(e.location, Location::LineColumn { line: 3, .. } | Location::LineColumn { line: 2, .. }), "{e}");
    assert!(e.message.contains("invalid YAML"), "{e}");
}

#[test]
fn invalid_json_has_line_and_column() {
    let e = fail("bad.json", b"{\n  \"openapi\": \"3.0.0\",\n  oops\n}");
    assert_eq!(e.location, Location::LineColumn { line: 3, column: 3 }, "{e}");
    assert!(e.message.contains("invalid JSON"), "{e}");
}

#[test]
fn empty_and_binary_files() {
    assert!(fail("empty.yaml", b"").message.contains("empty"));
    assert!(fail("blob.json", &[0xff, 0xfe, 0x00, 0x12, 0x80]).message.contains("not UTF-8"));
    assert!(fail("nul.yaml", b"a\0b").message.contains("NUL"));
}

#[test]
fn not_openapi_and_swagger() {
    let e = fail("x.yaml", b"hello: world\n");
    assert!(e.message.contains("not an OpenAPI document"), "{e}");
    let e = fail("x.yaml", b"- a list\n");
    assert!(e.message.contains("mapping at the top level"), "{e}");
    let e = fail("petstore.json", br#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#);
    assert!(e.message.contains("convert it to OpenAPI 3 first"), "{e}");
    assert_eq!(e.location, Location::Pointer("/swagger".into()));
    let e = fail("v4.json", br#"{"openapi": "4.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#);
    assert!(e.message.contains("unsupported OpenAPI version"), "{e}");
}

#[test]
fn dangling_external_and_cyclic_refs() {
    let e = fail("d.json", minimal("{}", r##"{"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}}"##).as_bytes());
    assert_eq!(e.location, Location::Pointer("/components/schemas/A/properties/b".into()), "{e}");
    assert!(e.message.contains("dangling $ref"), "{e}");

    let e = fail("x.json", minimal("{}", r##"{"schemas": {"A": {"$ref": "other.yaml#/B"}}}"##).as_bytes());
    assert_eq!(e.location, Location::Pointer("/components/schemas/A/$ref".into()), "{e}");
    assert!(e.message.contains("bundle the spec"), "{e}");

    let e = fail("c.json", minimal("{}", r##"{"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}"##).as_bytes());
    assert!(e.message.contains("cycle"), "{e}");
    assert!(matches!(e.location, Location::Pointer(ref p) if p.starts_with("/components/schemas/")), "{e}");
}

#[test]
fn duplicate_operation_ids() {
    let paths = r#"{"/a": {"get": {"operationId": "same", "responses": {"204": {"description": "x"}}}},
                    "/b": {"get": {"operationId": "same", "responses": {"204": {"description": "x"}}}}}"#;
    let e = fail("dup.json", minimal(paths, "{}").as_bytes());
    assert_eq!(e.location, Location::Pointer("/paths/~1b/get/operationId".into()), "{e}");
    assert!(e.message.contains("duplicate operationId \"same\""), "{e}");
}

#[test]
fn path_parameters_must_match_the_template() {
    let undeclared = r#"{"/a/{id}": {"get": {"operationId": "g", "responses": {"204": {"description": "x"}}}}}"#;
    let e = fail("p.json", minimal(undeclared, "{}").as_bytes());
    assert!(e.message.contains("{id}") && e.message.contains("no path parameter"), "{e}");
    let missing = r#"{"/a": {"get": {"operationId": "g", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"204": {"description": "x"}}}}}"#;
    let e = fail("p.json", minimal(missing, "{}").as_bytes());
    assert_eq!(e.location, Location::Pointer("/paths/~1a/get/parameters/0".into()), "{e}");
    assert!(e.message.contains("does not appear in the path template"), "{e}");
}

#[test]
fn unsupported_request_content_type() {
    let paths = r#"{"/a": {"post": {"operationId": "p", "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}}, "responses": {"204": {"description": "x"}}}}}"#;
    let e = fail("ct.json", minimal(paths, "{}").as_bytes());
    assert_eq!(e.location, Location::Pointer("/paths/~1a/post/requestBody/content".into()), "{e}");
    assert!(e.message.contains("application/xml"), "{e}");
}

#[test]
fn absurd_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let text = format!("{}{}", "{\"a\":".repeat(depth), "1".to_owned() + &"}".repeat(depth));
    let e = fail("deep.json", text.as_bytes());
    assert!(e.message.contains("recursion limit"), "{e}");
    let yaml = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let e = fail("deep.yaml", yaml.as_bytes());
    assert!(matches!(e.location, Location::LineColumn { .. } | Location::File), "{e}");
    // Deep but parseable schemas are refused by the lowering's own depth limit.
    let mut schema = "{\"type\": \"string\"}".to_owned();
    for _ in 0..50 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"x\": {schema}}}}}");
    }
    let e = fail("deepschema.json", minimal("{}", &format!(r#"{{"schemas": {{"A": {schema}}}}}"#)).as_bytes());
    assert!(e.message.contains("nested more than"), "{e}");
}

#[test]
fn list_valued_contact_email_is_a_warning_not_an_error() {
    let yaml = b"openapi: 3.0.1\ninfo:\n  title: T\n  version: '1'\n  contact:\n    email: [email protected]\npaths: {}\n";
    let generated = codegen::generate(Path::new("t.yaml"), "t.yaml", yaml, &options()).expect("generates");
    let about_email: Vec<_> = generated.warnings.iter().filter(|w| w.to_string().contains("info.contact.email")).collect();
    assert_eq!(about_email.len(), 1, "{:?}", generated.warnings);
    assert!(about_email[0].to_string().starts_with("warning: t.yaml at #/info/contact/email"), "{}", about_email[0]);
    let denied = codegen::generate(Path::new("t.yaml"), "t.yaml", yaml, &Options { deny_warnings: true, ..options() });
    assert!(denied.is_err(), "--deny-warnings turns the warning into an error");
}
