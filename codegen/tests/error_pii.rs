//! An error response whose schema marks fields as personal data: the generated operation
//! tells the runtime which, so that `ApiError`'s `Display` and `Debug` leave them out.

use std::path::Path;

use codegen::Options;

fn operations_rs(problem_properties: &str) -> String {
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}},
        "servers": [{{"url": "https://api.twilio.com"}}],
        "paths": {{"/Things": {{"get": {{"operationId": "ListThings", "responses": {{
            "200": {{"description": "ok"}},
            "400": {{"description": "bad", "content": {{"application/json": {{"schema": {{
                "type": "object", "properties": {problem_properties}}}}}}}}}
        }}}}}}}}}}"#
    );
    let generated = codegen::generate(
        Path::new("pii.json"),
        "pii.json",
        spec.as_bytes(),
        &Options::new("../runtime"),
    )
    .unwrap_or_else(|f| panic!("{f}"));
    generated.file("src/operations.rs").unwrap().to_owned()
}

#[test]
fn pii_fields_of_an_error_schema_reach_its_error_schema_static() {
    let marked = operations_rs(
        r#"{"code": {"type": "integer"},
            "message": {"type": "string", "x-twilio": {"pii": {"handling": "standard"}}}}"#,
    );
    assert!(marked.contains(r#"pii: &["message"]"#), "{marked}");
    let unmarked = operations_rs(r#"{"code": {"type": "integer"}, "message": {"type": "string"}}"#);
    assert!(unmarked.contains("pii: &[]"), "{unmarked}");
}
