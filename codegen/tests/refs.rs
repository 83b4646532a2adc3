//! `$ref`s as real specs write them: to files beside the spec (any depth, YAML or JSON), to
//! any JSON pointer inside the document, and inside extensions we do not read. Each case is
//! a small spec of our own that did not generate before; the real specs that needed it
//! (Vonage, PagerDuty) are in `vonage_and_pagerduty_generate`.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Location, Options};

/// A scratch folder holding `files`, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("codegen-refs-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Folder(dir)
    }

    fn generate(&self, spec: &str) -> Result<codegen::Generated, Box<codegen::Failure>> {
        let path = self.0.join(spec);
        let bytes = fs::read(&path).unwrap();
        codegen::generate(&path, spec, &bytes, &Options::new("../runtime"))
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const ROOT: &str = r##"
openapi: 3.0.3
info: {title: Split, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /calls:
    get:
      operationId: ListCalls
      summary: {$ref: "shared/paths.yaml#/paths/~1calls/get/summary"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "shared/models.yaml#/components/schemas/Call"}
        "404":
          $ref: "shared/errors.json#/components/responses/NotFound"
components:
  schemas:
    Problem:
      type: object
      properties:
        mine: {type: string}
"##;

const MODELS: &str = r##"
components:
  schemas:
    Call:
      type: object
      required: [id]
      properties:
        id: {$ref: "#/components/schemas/CallId"}
        leg: {$ref: "../shared/legs.yaml#/components/schemas/Leg"}
        problem: {$ref: "errors.json#/components/schemas/Problem"}
    CallId:
      type: string
"##;

const LEGS: &str = r##"
components:
  schemas:
    Leg:
      type: object
      properties:
        number: {type: string}
        next: {$ref: "#/components/schemas/Leg"}
"##;

const ERRORS: &str = r##"{
  "components": {
    "responses": {
      "NotFound": {
        "description": "not found",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
      }
    },
    "schemas": {"Problem": {"type": "object", "properties": {"code": {"type": "integer"}}}}
  }
}"##;

#[test]
fn sibling_files_are_bundled_with_readable_names() {
    let folder = Folder::new(
        "bundle",
        &[
            ("root.yaml", ROOT),
            ("shared/models.yaml", MODELS),
            ("shared/legs.yaml", LEGS),
            ("shared/errors.json", ERRORS),
            (
                "shared/paths.yaml",
                "paths:\n  /calls:\n    get:\n      summary: Lists calls\n",
            ),
        ],
    );
    let generated = folder
        .generate("root.yaml")
        .unwrap_or_else(|f| panic!("{f}"));
    let types = generated.file("src/types.rs").unwrap();
    let client = generated.file("src/client.rs").unwrap();
    // Components keep their names; the recursive `Leg` stays one (boxed) type.
    for name in ["pub struct Call ", "pub struct Leg ", "pub type CallId"] {
        assert!(types.contains(name), "{name} in\n{types}");
    }
    assert!(types.contains("pub next: Option<Box<Leg>>"), "{types}");
    // The spec's own `Problem` keeps its name; the sibling's different one is named after
    // its file.
    assert!(types.contains("pub struct Problem "), "{types}");
    assert!(types.contains("pub struct ProblemErrors "), "{types}");
    assert!(
        types.contains("pub problem: Option<ProblemErrors>"),
        "{types}"
    );
    // A copied non-component target: the summary from paths.yaml.
    assert!(client.contains("Lists calls"), "{client}");
}

#[test]
fn a_missing_file_a_missing_pointer_a_url_and_a_cycle_are_named() {
    let cases = [
        (
            "missing-file",
            r##"{"$ref": "nowhere.yaml#/components/schemas/X"}"##,
            vec![],
            "cannot read",
        ),
        (
            "missing-pointer",
            r##"{"$ref": "other.yaml#/components/schemas/Nope"}"##,
            vec![("other.yaml", "components: {schemas: {X: {type: string}}}")],
            "has nothing at #/components/schemas/Nope",
        ),
        (
            "remote",
            r##"{"$ref": "https://example.com/spec.yaml#/components/schemas/X"}"##,
            vec![],
            "never fetched over the network",
        ),
        (
            "cycle",
            r##"{"$ref": "a.yaml#/defs/A"}"##,
            vec![
                ("a.yaml", "defs: {A: {$ref: 'b.yaml#/defs/B'}}"),
                ("b.yaml", "defs: {B: {$ref: 'a.yaml#/defs/A'}}"),
            ],
            "cyclic $ref",
        ),
    ];
    for (name, schema, mut siblings, expected) in cases {
        let root = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Root: {schema}\n"
        );
        siblings.push(("root.yaml", root.as_str()));
        let folder = Folder::new(name, &siblings);
        let failure = match folder.generate("root.yaml") {
            Ok(_) => panic!("{name}: generated"),
            Err(f) => f,
        };
        let message = failure.to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            matches!(&failure.error.location, Location::Pointer(p) if p.ends_with("/$ref")),
            "{name}: the place is named: {:?}",
            failure.error.location
        );
    }
}

#[test]
fn pointers_inside_the_document_are_copied() {
    let spec = r##"
openapi: 3.0.3
info: {title: Pointers, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /tags/{id}:
    put:
      operationId: PutTag
      parameters:
        - {name: id, in: path, required: true, schema: {$ref: "#/components/schemas/Base/properties/id"}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tag/allOf/0"}
      responses:
        "200":
          $ref: "#/components/requestBodies/TagBody"
    get:
      operationId: GetTag
      parameters:
        - $ref: "#/paths/~1tags~1{id}/put/parameters/0"
      responses:
        "200":
          description: The tag's first entry
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Entries/items"}
        "202":
          description: Still counting
          content:
            application/json:
              schema: {$ref: "#/paths/~1tags~1{id}/put/requestBody/content/application~1json/schema"}
components:
  requestBodies:
    TagBody:
      description: The tag
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Tag"}
  schemas:
    Base:
      type: object
      properties:
        id: {type: string, description: The id}
    Tag:
      allOf:
        - type: object
          properties:
            label: {type: string}
        - $ref: "#/components/schemas/Base"
    Entries:
      type: array
      items:
        type: object
        properties:
          entry: {type: integer}
"##;
    let folder = Folder::new(
        "pointers",
        &[
            ("spec.yaml", spec),
            // Extensions we do not read may refer to anything, even files that do not exist.
            (
                "ext.yaml",
                &spec.replace(
                    "info: {title: Pointers, version: \"1\"}",
                    "info: {title: Pointers, version: \"1\", x-docs: {$ref: 'docs/intro.md'}}",
                ),
            ),
        ],
    );
    for spec in ["spec.yaml", "ext.yaml"] {
        let generated = folder
            .generate(spec)
            .unwrap_or_else(|f| panic!("{spec}: {f}"));
        let operations = generated.file("src/operations.rs").unwrap();
        assert!(operations.contains("pub struct PutTag"), "{operations}");
        // The response that refers to a request body decodes as its schema; the body that
        // points into `Tag`'s `allOf` is that member's object.
        assert!(
            operations.contains("Result<types::Tag, sdk_runtime::Error>"),
            "{operations}"
        );
        let types = generated.file("src/types.rs").unwrap();
        assert!(types.contains("pub struct PutTagRequest"), "{types}");
        assert!(types.contains("pub label: Option<String>"), "{types}");
        // A parameter copied from another operation, a response into an array's `items`,
        // and one into another operation's request body.
        let client = generated.file("src/client.rs").unwrap();
        assert!(
            client.contains("pub fn get_tag(&self, id: impl Into<String>)"),
            "{client}"
        );
        for (variant, field) in [
            ("Ok(types::GetTagResponse200)", "GetTagResponse200 {\n"),
            (
                "Accepted(types::GetTagResponse202)",
                "GetTagResponse202 {\n",
            ),
        ] {
            assert!(operations.contains(variant), "{operations}");
            let body = types.split(field).nth(1).expect(field);
            let body = &body[..body.find('}').unwrap()];
            let expected = if variant.starts_with("Ok") {
                "pub entry: Option<i64>"
            } else {
                "pub label: Option<String>"
            };
            assert!(body.contains(expected), "{field}: {body}");
        }
    }
}

/// Names that spell a data keyword or an extension (a `default` response, a property named
/// `default` or `enum`, an `x-request-id` header) are names: their sibling-file refs are
/// resolved. Schemas inside extensions we do not read are never checked.
#[test]
fn names_that_spell_keywords_are_resolved() {
    let root = r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /settings:
    get:
      operationId: GetSettings
      x-tooling: {schema: {type: 5, properties: []}}
      responses:
        "200":
          description: ok
          headers:
            x-request-id: {$ref: "common.yaml#/components/headers/RequestId"}
          content:
            application/json:
              schema:
                type: object
                properties:
                  default: {$ref: "common.yaml#/components/schemas/Setting"}
                  enum: {$ref: "common.yaml#/components/schemas/Setting"}
        default:
          $ref: "common.yaml#/components/responses/Problem"
"##;
    let common = r##"
components:
  headers:
    RequestId:
      schema: {type: string}
  responses:
    Problem:
      description: An error
      content:
        application/json:
          schema: {type: object, properties: {message: {type: string}}}
  schemas:
    Setting:
      type: object
      properties:
        value: {type: string}
"##;
    let folder = Folder::new("names", &[("spec.yaml", root), ("common.yaml", common)]);
    let generated = folder
        .generate("spec.yaml")
        .unwrap_or_else(|f| panic!("{f}"));
    let types = generated.file("src/types.rs").unwrap();
    assert!(types.contains("pub struct Setting "), "{types}");
    assert!(types.contains("pub default: Option<Setting>"), "{types}");
    assert!(types.contains("pub r#enum: Option<Setting>"), "{types}");
}

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/contact-centre")
        .join(path)
}

/// Real specs that failed on these refs before: Vonage's sibling files and pointers into
/// schemas, PagerDuty's pointers into `allOf` and responses that refer to request bodies.
#[test]
fn vonage_and_pagerduty_generate() {
    for spec in [
        "vonage/conversation.yml",
        "vonage/voice.v2.yml",
        "vonage/application.v2.yml",
        "vonage/application.yml",
        "vonage/subaccounts.yml",
        "vonage/developer/messages.yml",
        "pagerduty/REST.json",
    ] {
        let path = corpus(spec);
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let generated = codegen::generate(&path, spec, &bytes, &Options::new("../runtime"))
            .unwrap_or_else(|f| panic!("{spec}: {f}"));
        assert!(generated.operations > 0, "{spec}");
    }
}
