//! Bad input: each case must fail with an error that names the file and the place (line and
//! column, or JSON pointer), and must never panic. Every case runs on a thread with a 2 MiB
//! stack (a default spawned thread's), so a case that would need more fails here rather than
//! in a user's smaller thread.

use std::path::Path;

use codegen::{Location, Options};

fn options() -> Options {
    Options {
        standalone: true,
        ..Options::new("../runtime")
    }
}

const STACK: usize = 2 * 1024 * 1024;

/// Runs `generate` on a 2 MiB thread; a panic or stack overflow fails the test.
fn run(
    name: &str,
    text: &[u8],
    options: Options,
) -> Result<codegen::Generated, Box<codegen::Failure>> {
    let (name, text) = (name.to_owned(), text.to_vec());
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || codegen::generate(Path::new(&name), &name, &text, &options))
        .expect("spawn")
        .join()
        .expect("generate must not panic")
}

fn fail(name: &str, text: &[u8]) -> codegen::Error {
    match run(name, text, options()) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(failure) => {
            assert_eq!(
                failure.error.file,
                Path::new(name),
                "the error names the file"
            );
            assert!(
                failure
                    .error
                    .to_string()
                    .starts_with(&format!("error: {name}")),
                "{}",
                failure.error
            );
            failure.error
        }
    }
}

fn minimal(paths: &str, components: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "paths": {paths}, "components": {components}}}"#
    )
}

#[test]
fn invalid_yaml_has_line_and_column() {
    let e = fail("bad.yaml", b"openapi: 3.0.0\ninfo: [unclosed\n");
    assert!(
        matches!(
            e.location,
            Location::LineColumn { line: 3, .. } | Location::LineColumn { line: 2, .. }
        ),
        "{e}"
    );
    assert!(e.message.contains("invalid YAML"), "{e}");
    let e = fail("tabs.yaml", b"openapi: 3.0.0\ninfo:\n\ttitle: x\n");
    assert!(
        matches!(e.location, Location::LineColumn { line: 3, .. }),
        "{e}"
    );
    assert!(e.to_string().starts_with("error: tabs.yaml:3:"), "{e}");
}

#[test]
fn invalid_json_has_line_and_column() {
    let e = fail("bad.json", b"{\n  \"openapi\": \"3.0.0\",\n  oops\n}");
    assert_eq!(
        e.location,
        Location::LineColumn { line: 3, column: 3 },
        "{e}"
    );
    assert!(e.message.contains("invalid JSON"), "{e}");
    assert!(
        e.to_string()
            .starts_with("error: bad.json:3:3: invalid JSON"),
        "{e}"
    );
}

#[test]
fn an_empty_file_is_refused() {
    let e = fail("empty.yaml", b"");
    assert_eq!(e.location, Location::File);
    assert!(e.message.contains("empty"), "{e}");
    let e = fail("blank.json", b"  \n\t\n");
    assert!(e.message.contains("empty"), "{e}");
}

#[test]
fn binary_garbage_is_refused() {
    let e = fail("blob.json", &[0xff, 0xfe, 0x00, 0x12, 0x80]);
    assert!(
        e.message.contains("not UTF-8") && e.message.contains("offset 0"),
        "{e}"
    );
    assert!(fail("nul.yaml", b"a\0b").message.contains("NUL"));
    // Valid UTF-8 that is not a document.
    let e = fail("noise.yaml", "\u{1}\u{2}\u{7f}\u{feff}".as_bytes());
    assert!(
        matches!(
            e.location,
            Location::LineColumn { .. } | Location::Pointer(_)
        ),
        "{e}"
    );
}

#[test]
fn a_document_that_is_not_openapi() {
    let e = fail("x.yaml", b"hello: world\n");
    assert!(e.message.contains("not an OpenAPI document"), "{e}");
    assert_eq!(e.location, Location::Pointer(String::new()));
    let e = fail("x.yaml", b"- a list\n");
    assert!(e.message.contains("mapping at the top level"), "{e}");
    let e = fail(
        "v4.json",
        br#"{"openapi": "4.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    assert!(e.message.contains("unsupported OpenAPI version"), "{e}");
    let e = fail(
        "num.json",
        br#"{"openapi": 3.0, "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    assert_eq!(e.location, Location::Pointer("/openapi".into()), "{e}");
}

#[test]
fn swagger_2_is_asked_to_convert_first() {
    let e = fail(
        "petstore.json",
        br#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    assert!(e.message.contains("convert it to OpenAPI 3 first"), "{e}");
    assert_eq!(e.location, Location::Pointer("/swagger".into()));
    assert!(
        e.to_string()
            .starts_with("error: petstore.json at #/swagger:"),
        "{e}"
    );
}

#[test]
fn a_dangling_ref_names_where_it_is() {
    let e = fail("d.json", minimal("{}", r##"{"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}}"##).as_bytes());
    assert_eq!(
        e.location,
        Location::Pointer("/components/schemas/A/properties/b".into()),
        "{e}"
    );
    assert!(e.message.contains("dangling $ref"), "{e}");
    let paths = r##"{"/a": {"get": {"operationId": "g", "parameters": [{"$ref": "#/components/parameters/Nope"}], "responses": {"204": {"description": "x"}}}}}"##;
    let e = fail("p.json", minimal(paths, "{}").as_bytes());
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1a/get/parameters/0".into()),
        "{e}"
    );
    assert!(e.message.contains("dangling $ref"), "{e}");
}

/// Files beside the spec are read (see tests/refs.rs); one that is not there is named.
#[test]
fn a_ref_to_a_missing_file_names_it() {
    let e = fail(
        "x.json",
        minimal("{}", r##"{"schemas": {"A": {"$ref": "other.yaml#/B"}}}"##).as_bytes(),
    );
    assert_eq!(
        e.location,
        Location::Pointer("/components/schemas/A/$ref".into()),
        "{e}"
    );
    assert!(
        e.message.contains("cannot read") && e.message.contains("other.yaml"),
        "{e}"
    );
}

#[test]
fn a_ref_cycle_with_no_type_in_it() {
    let e = fail("c.json", minimal("{}", r##"{"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}"##).as_bytes());
    assert!(e.message.contains("cycle"), "{e}");
    assert!(
        matches!(e.location, Location::Pointer(ref p) if p.starts_with("/components/schemas/")),
        "{e}"
    );
    // The same cycle reached through allOf must not recurse forever.
    let e = fail("c2.json", minimal("{}", r##"{"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}, "C": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]}}}"##).as_bytes());
    assert!(e.message.contains("cycle"), "{e}");
}

#[test]
fn duplicate_operation_ids() {
    let paths = r#"{"/a": {"get": {"operationId": "same", "responses": {"204": {"description": "x"}}}},
                    "/b": {"get": {"operationId": "same", "responses": {"204": {"description": "x"}}}}}"#;
    let e = fail("dup.json", minimal(paths, "{}").as_bytes());
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1b/get/operationId".into()),
        "{e}"
    );
    assert!(e.message.contains("duplicate operationId \"same\""), "{e}");
}

#[test]
fn absurdly_deep_json_is_an_error_with_a_line() {
    let depth = 10_000;
    for (open, close) in [("{\"a\":", "}"), ("[", "]")] {
        let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let e = fail("deep.json", text.as_bytes());
        assert!(e.message.contains("recursion limit"), "{e}");
        assert!(
            matches!(e.location, Location::LineColumn { line: 1, .. }),
            "{e}"
        );
    }
}

#[test]
fn absurdly_deep_yaml_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let flow = format!(
        "openapi: 3.0.3\nx: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = fail("flow.yaml", flow.as_bytes());
    assert!(
        matches!(e.location, Location::LineColumn { line: 2, .. }),
        "{e}"
    );
    let block: String = (0..depth)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let e = fail(
        "block.yaml",
        format!(
            "openapi: 3.0.3\nx:\n{}",
            block.replace("\n", "\n ").trim_start()
        )
        .as_bytes(),
    );
    assert!(matches!(e.location, Location::LineColumn { .. }), "{e}");
}

#[test]
fn nesting_the_parsers_accept_is_refused_before_later_stages_recurse() {
    // 100 levels: under the parsers' limit of 128, over what the typed parse can take on a
    // small stack.
    let mut schema = "{\"type\": \"string\"}".to_owned();
    for _ in 0..50 {
        schema = format!("{{\"allOf\": [{schema}]}}");
    }
    let e = fail(
        "deep.json",
        minimal("{}", &format!(r#"{{"schemas": {{"A": {schema}}}}}"#)).as_bytes(),
    );
    assert!(e.message.contains("nested more than 64 levels"), "{e}");
    assert!(
        matches!(e.location, Location::Pointer(ref p) if p.starts_with("/components/schemas/A/allOf/0/allOf/0/")),
        "{e}"
    );
}

#[test]
fn deep_schemas_within_the_nesting_limit_still_generate() {
    // 30 levels of `items` (61 levels of JSON) is as deep as a document may be, and must
    // get through every later stage on a small stack.
    let mut schema = "{\"type\": \"string\"}".to_owned();
    for _ in 0..30 {
        schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
    }
    let generated = run(
        "deep.json",
        minimal("{}", &format!(r#"{{"schemas": {{"A": {schema}}}}}"#)).as_bytes(),
        options(),
    )
    .expect("generates");
    let types = generated.file("src/types.rs").unwrap();
    let compact: String = types
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    assert!(
        compact.contains(&format!(
            "pubtypeA={}String{};",
            "Vec<".repeat(30),
            ">".repeat(30)
        )),
        "{types}"
    );
}

#[test]
fn list_valued_contact_email_is_a_warning_not_an_error() {
    let yaml = b"openapi: 3.0.1\ninfo:\n  title: T\n  version: '1'\n  contact:\n    email: [email protected]\npaths: {}\n";
    let generated = run("t.yaml", yaml, options()).expect("generates");
    let about_email: Vec<_> = generated
        .warnings
        .iter()
        .filter(|w| w.to_string().contains("info.contact.email"))
        .collect();
    assert_eq!(about_email.len(), 1, "{:?}", generated.warnings);
    assert!(
        about_email[0]
            .to_string()
            .starts_with("warning: t.yaml at #/info/contact/email"),
        "{}",
        about_email[0]
    );
    let denied = run(
        "t.yaml",
        yaml,
        Options {
            deny_warnings: true,
            ..options()
        },
    );
    assert!(
        denied.is_err(),
        "--deny-warnings turns the warning into an error"
    );
}

#[test]
fn an_example_that_contradicts_its_type_is_a_warning_and_stays_out_of_the_docs() {
    // Front's ApplicationMessageTemplateResponse: `type: number`, example "msg_777". Prism's
    // static mock serves that example, and the generated f64 field cannot decode it.
    let schemas = r#"{"schemas": {"R": {"type": "object", "properties": {
        "id": {"type": "number", "example": "msg_777"},
        "count": {"type": "integer", "example": 7}}}}}"#;
    let generated =
        run("ex.json", minimal("{}", schemas).as_bytes(), options()).expect("generates");
    let about_example: Vec<_> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("example"))
        .collect();
    assert_eq!(about_example.len(), 1, "{:?}", generated.warnings);
    assert_eq!(
        about_example[0].location,
        Location::Pointer("/components/schemas/R/properties/id/example".into())
    );
    assert!(
        about_example[0].message.contains("\"msg_777\""),
        "{}",
        about_example[0]
    );
    let types = generated.file("src/types.rs").unwrap();
    assert!(!types.contains("msg_777"), "{types}");
    assert!(
        types.contains("Example: `7`"),
        "an example of the right type is still documented: {types}"
    );
}

#[test]
fn approximations_warn_with_their_place() {
    let schemas = r#"{"schemas": {"A": {"type": "object", "properties": {
        "not_text": {"not": {"type": "string"}},
        "items": {"type": "array", "items": {"type": "string", "nullable": true}}}}}}"#;
    let generated =
        run("approx.json", minimal("{}", schemas).as_bytes(), options()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "warning: approx.json at #/components/schemas/A/properties/not_text: a `not` schema"
        )),
        "{warnings:#?}"
    );
    // Nullable list items are typed faithfully now (`Vec<Option<String>>`): no warning.
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let types = generated.file("src/types.rs").unwrap();
    assert!(
        types.contains("pub items: Option<Vec<Option<String>>>"),
        "{types}"
    );
}

/// OpenAPI 3.1 keywords Rust has no type for are approximated, each with a warning at its
/// place that says the Rust type; boolean schemas (3.1 only: a property, a parameter's
/// schema, a `$defs` entry) generate, where they failed the parse before.
#[test]
fn oas31_approximations_say_the_rust_type() {
    let spec = br##"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
      "servers": [{"url": "https://api.example.com"}],
      "paths": {"/p": {"get": {"operationId": "getP",
        "parameters": [{"name": "q", "in": "query", "schema": true}],
        "responses": {"204": {"description": "ok"}}}}},
      "components": {"schemas": {"Point": {"type": "object",
        "$defs": {"Free": true},
        "properties": {
        "free": {"$ref": "#/components/schemas/Point/$defs/Free"},
        "position": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false},
        "mixed": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]},
        "labels": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "additionalProperties": {"type": "string"}},
        "notes": true,
        "retired": false}}}}}"##;
    let generated = run("oas31.json", spec, options()).unwrap_or_else(|f| panic!("{f}"));
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let at = "warning: oas31.json at #/components/schemas/Point/properties";
    for expected in [
        format!("{at}/position/prefixItems: a tuple of 2 (`prefixItems`) is typed as a list of its one item schema"),
        format!("{at}/mixed/prefixItems: a tuple of 2 (`prefixItems`) is typed as a list of any JSON value"),
        format!("{at}/labels/propertyNames: map keys are `String`s"),
        format!("{at}/retired: dropping property `retired`: its schema is `false`"),
    ] {
        assert!(
            warnings.iter().any(|w| w.starts_with(&expected)),
            "{expected}\nin {warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    let types = generated.file("src/types.rs").unwrap();
    for field in [
        "pub position: Option<Vec<f64>>",
        "pub mixed: Option<Vec<serde_json::Value>>",
        "pub labels: Option<std::collections::BTreeMap<String, String>>",
        "pub notes: Option<serde_json::Value>",
    ] {
        assert!(types.contains(field), "{field} in\n{types}");
    }
    assert!(!types.contains("retired"), "{types}");
}

/// YAML integers beyond 64 bits (bounds written as -2^63-1 or 2^64) used to fail the load
/// with "number out of range"; they are read as the nearest float.
#[test]
fn integers_beyond_64_bits_generate() {
    let spec = b"openapi: 3.0.3\ninfo: {title: Big, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /n:\n    get:\n      operationId: GetN\n      parameters:\n        - {name: n, in: query, schema: {type: integer, minimum: -9223372036854775809, maximum: 18446744073709551616}}\n      responses:\n        '204': {description: ok}\n";
    let generated = run("big.yaml", spec, options()).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(generated.operations, 1);
}
