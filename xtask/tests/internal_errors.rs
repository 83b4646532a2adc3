//! A generator bug (a panic) in any stage is an error naming the spec and the JSON pointer being
//! worked on, and `cargo xtask` exits non-zero, with no panic message or backtrace. The bug is
//! simulated with `CODEGEN_PANIC_AT` (codegen/src/guard.rs).

mod common;

use std::process::Command;

use common::Scratch;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"##;

#[test]
fn a_panic_in_any_stage_is_an_error_naming_the_spec_and_pointer() {
    let dir = Scratch::new("internal-errors");
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let cases = [
        (
            "/components/schemas/Pet",
            "lower",
            "/components/schemas/Pet",
        ),
        (
            "/paths/~1pets~1{id}/get",
            "lower",
            "/paths/~1pets~1{id}/get",
        ),
        (
            "emit:/components/schemas/Pet",
            "emit",
            "/components/schemas/Pet",
        ),
        (
            "emit:/paths/~1pets~1{id}/get",
            "emit",
            "/paths/~1pets~1{id}/get",
        ),
    ];
    for (panic_at, stage, pointer) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .env("CODEGEN_PANIC_AT", panic_at)
            // A panic's backtrace would show with it set; anyhow's own backtrace would too.
            .env_remove("RUST_BACKTRACE")
            .args(["generate", spec.to_str().unwrap(), "--out"])
            .arg(dir.join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{panic_at}: {stderr}");
        let expected = format!(
            "{} at #{pointer}: internal error (a generator bug) in the {stage} stage: CODEGEN_PANIC_AT={panic_at} asked for a panic here (at codegen/src/guard.rs:",
            spec.display()
        );
        assert!(stderr.contains(&expected), "{panic_at}: {stderr}");
        assert!(
            !stderr.contains("panicked at") && !stderr.contains("stack backtrace"),
            "{panic_at}: {stderr}"
        );
    }
}
