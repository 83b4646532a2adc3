//! Issue 28: a union variant whose derived name is a number (`Pet1` in the union `Pet`, a
//! title or discriminator value starting with a digit) used to panic the emitter. It now gets
//! a type name, and so does every other name a spec can give.

use std::path::Path;

use codegen::Options;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Numbers, version: "1"}
paths:
  /pets:
    get:
      operationId: "1"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      oneOf:
        - {$ref: "#/components/schemas/Pet1"}
        - {$ref: "#/components/schemas/Pet2"}
        - {title: "3", type: object, properties: {c: {type: string}}}
    Pet1: {type: object, properties: {a: {type: string}}}
    Pet2: {type: object, properties: {"1": {type: string}}}
    Tagged:
      oneOf:
        - {$ref: "#/components/schemas/Pet1"}
      discriminator: {propertyName: a, mapping: {"1": "#/components/schemas/Pet1"}}
"##;

#[test]
fn union_variants_named_by_numbers_generate() {
    let generated = codegen::generate(
        Path::new("numbers.yaml"),
        "numbers.yaml",
        SPEC.as_bytes(),
        &Options::new("../runtime"),
    )
    .unwrap_or_else(|f| panic!("{f}"));
    let types = generated.file("src/types.rs").unwrap();
    for expected in [
        "Pet1(Pet1),",
        "Pet2(Pet2),",
        "N3(N3),",
        "N1(Pet1),",
        "pub n1: Option<String>",
    ] {
        assert!(types.contains(expected), "{expected} not in:\n{types}");
    }
    let client = generated.file("src/client.rs").unwrap();
    assert!(client.contains("pub fn n1(&self)"), "{client}");
}

proptest::proptest! {
    /// Any spec file name gives a package Cargo accepts, whose crate name is an identifier.
    #[test]
    fn any_file_name_gives_a_valid_package(stem in "\\PC{0,16}|[0-9]+|self|type|core|test|gen|con") {
        let stem: String = stem.chars().filter(|c| !matches!(c, '/' | '\\' | '.')).collect();
        let package = codegen::package_name(Path::new(&format!("{stem}.yaml")));
        proptest::prop_assert!(package.starts_with(|c: char| c.is_ascii_lowercase()), "{package}");
        proptest::prop_assert!(package.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        let crate_name = package.replace('-', "_");
        proptest::prop_assert!(syn_like_ident(&crate_name), "{crate_name}");
        proptest::prop_assert!(!["self", "type", "core", "test", "gen", "con", "std"].contains(&crate_name.as_str()));
    }
}

/// An identifier (`syn` refuses keywords), not ending in `_` (so not from `api-`) and tidy.
fn syn_like_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok() && !name.ends_with('_') && !name.contains("__")
}
