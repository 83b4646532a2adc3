//! Specs as people write them: parts OpenAPI requires but whose absence has one sensible
//! reading load with a warning naming the file and the JSON pointer, in `generate` as in
//! `diff` (xtask/tests/diff_cli.rs). What has no sensible reading is still refused
//! (tests/bad_specs.rs).

use std::path::Path;

use codegen::{Location, Options};

/// Every sloppy part at once: a response without description, an operation without
/// `responses`, `content: null`, a null media type entry, a null path item, and an OAuth
/// flow without scopes.
const SLOPPY: &str = r#"
openapi: 3.0.3
info: {title: Sloppy, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
  /b:
    post:
      operationId: postB
      requestBody:
        content:
          application/json: null
  /c:
    delete:
      operationId: deleteC
      responses:
        '204':
          description: gone
          content: null
  /d: null
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://example.com/token'}
"#;

fn options() -> Options {
    Options {
        standalone: true,
        ..Options::new("../runtime")
    }
}

#[test]
fn a_sloppy_spec_generates_with_a_warning_per_repair() {
    let generated = codegen::generate(
        Path::new("sloppy.yaml"),
        "sloppy.yaml",
        SLOPPY.as_bytes(),
        &options(),
    )
    .unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(generated.operations, 3);
    let at = |pointer: &str| {
        generated.warnings.iter().any(|w| {
            w.file == Path::new("sloppy.yaml")
                && w.location == Location::Pointer(pointer.to_owned())
        })
    };
    for pointer in [
        "/paths/~1a/get/responses/200/description",
        "/paths/~1b/post/responses",
        "/paths/~1b/post/requestBody/content/application~1json",
        "/paths/~1c/delete/responses/204/content",
        "/paths/~1d",
        "/components/securitySchemes/oauth/flows/clientCredentials",
    ] {
        assert!(
            at(pointer),
            "no warning at {pointer}: {:#?}",
            generated.warnings
        );
    }
}

#[test]
fn denied_warnings_still_fail_on_a_sloppy_spec() {
    let strict = Options {
        deny_warnings: true,
        ..options()
    };
    let result = codegen::generate(
        Path::new("sloppy.yaml"),
        "sloppy.yaml",
        SLOPPY.as_bytes(),
        &strict,
    );
    let Err(failure) = result else {
        panic!("warnings are denied, yet the sloppy spec generated");
    };
    assert!(
        failure.error.message.contains("warnings are denied"),
        "{}",
        failure.error
    );
}
