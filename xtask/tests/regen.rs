//! The checked-in `generated/` must be exactly what the generator makes from `specs/` (the
//! rust-analyzer pattern), and a bad spec must leave an existing output untouched.

mod common;

use std::path::Path;

use common::{assert_success, generate, xtask, xtask_in, Scratch};

#[test]
fn generated_is_up_to_date() {
    let out = xtask(&["regen", "--check"]);
    assert!(
        out.status.success(),
        "generated/ does not match the specs. Run `cargo xtask regen` and commit the result.\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_bad_spec_fails_cleanly_and_writes_nothing() {
    let dir = Scratch::new("bad");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out/keep.txt"), "previous output").unwrap();
    let spec = dir.join("broken.json");
    std::fs::write(
        &spec,
        r##"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/Nope"}}}}"##,
    )
    .unwrap();
    let out = generate(&spec, &dir.join("out"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a clean failure, not a panic (101): {stderr}"
    );
    assert!(
        stderr.contains("broken.json") && stderr.contains("#/components/schemas/A"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/keep.txt")).unwrap(),
        "previous output"
    );
    assert_eq!(
        std::fs::read_dir(dir.join("out")).unwrap().count(),
        1,
        "nothing half-written"
    );
}

#[test]
fn generate_writes_a_crate_whose_runtime_path_resolves_from_where_it_is() {
    let dir = Scratch::new("gen");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/twilio_flex_v2.json");
    assert_success(&generate(&spec, &dir.join("sdk"), &[]));
    let manifest = std::fs::read_to_string(dir.join("sdk/Cargo.toml")).unwrap();
    let path = manifest
        .lines()
        .find_map(|l| l.strip_prefix("contact-centre-sdk-runtime = { path = \""))
        .expect("runtime dependency")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        dir.join("sdk").join(&path).join("Cargo.toml").exists(),
        "runtime path {path} does not resolve from the crate"
    );
    assert!(
        manifest.contains("[workspace]"),
        "a crate outside our workspace is its own workspace"
    );
    assert!(
        !manifest.contains("repository"),
        "a crate written elsewhere names no repository unless asked:\n{manifest}"
    );

    let url = "https://git.example.com/sdks/flex-v2";
    assert_success(&generate(
        &spec,
        &dir.join("published"),
        &["--repository", url],
    ));
    let manifest = std::fs::read_to_string(dir.join("published/Cargo.toml")).unwrap();
    assert!(
        manifest
            .lines()
            .any(|l| l == format!("repository = \"{url}\"")),
        "{manifest}"
    );
}

/// A multi-file spec in another folder, named by a `./` path from yet another working
/// folder: its siblings are read beside it, and a sibling's ref back into the spec is the
/// spec's own component (not a second copy of it under another name).
#[test]
fn generate_reads_a_multi_file_spec_beside_it_from_anywhere() {
    let dir = Scratch::new("multi-file");
    let api = "openapi: 3.0.3\ninfo: {title: Split, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /calls/{id}:\n    get:\n      operationId: GetCall\n      parameters:\n        - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/CallId'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'models/calls.yaml#/components/schemas/Call'}\ncomponents:\n  schemas:\n    CallId: {type: string, pattern: '^CA'}\n";
    let calls = "components:\n  schemas:\n    Call:\n      type: object\n      properties:\n        id: {$ref: '../api.yaml#/components/schemas/CallId'}\n";
    std::fs::create_dir_all(dir.join("specs/models")).unwrap();
    std::fs::write(dir.join("specs/api.yaml"), api).unwrap();
    std::fs::write(dir.join("specs/models/calls.yaml"), calls).unwrap();
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    assert_success(&xtask_in(
        &dir.join("elsewhere"),
        &["generate", "./../specs/api.yaml", "--out", "./sdk"],
    ));
    let types = std::fs::read_to_string(dir.join("elsewhere/sdk/src/types.rs")).unwrap();
    assert!(types.contains("pub struct Call "), "{types}");
    assert!(types.contains("pub id: Option<CallId>"), "{types}");
    assert_eq!(types.matches("pub type CallId").count(), 1, "{types}");
    assert!(!types.contains("CallIdApi"), "{types}");
}

#[test]
fn warnings_are_printed_with_their_place_and_deny_warnings_makes_them_errors() {
    let dir = Scratch::new("deny");
    // A list-valued contact e-mail is dropped with a warning (as in Twilio's published YAML).
    let spec = dir.join("warned.yaml");
    std::fs::write(&spec, "openapi: 3.0.1\ninfo:\n  title: T\n  version: '1'\n  contact:\n    email: [x]\nservers: [{url: 'https://x.example'}]\npaths: {}\n").unwrap();
    let allowed = generate(&spec, &dir.join("allowed"), &[]);
    let stderr = String::from_utf8_lossy(&allowed.stderr);
    assert!(allowed.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(lines.len(), 1, "one line per warning: {stderr}");
    assert!(
        lines[0].contains("warned.yaml at #/info/contact/email"),
        "{stderr}"
    );

    let denied = generate(&spec, &dir.join("denied"), &["--deny-warnings"]);
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert_eq!(denied.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: ")
            && stderr.contains("#/info/contact/email")
            && stderr.contains("warnings are denied"),
        "{stderr}"
    );
    assert!(
        !dir.join("denied").exists(),
        "nothing is written when warnings are denied"
    );
}

/// `generate` applies the overlay beside a spec, and `--overlay` others; an action that selects
/// nothing fails cleanly, naming the overlay and the action, and writes nothing.
#[test]
fn generate_applies_overlays_and_a_stale_overlay_fails_cleanly() {
    let dir = Scratch::new("overlay");
    std::fs::write(
        dir.join("api.yaml"),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok}\n",
    )
    .unwrap();
    let fix = "overlay: 1.0.0\ninfo: {title: fix, version: '1'}\nactions:\n  - target: $.paths['/a'].get.responses['200']\n    update: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}\n";
    std::fs::write(dir.join("api.overlay.yaml"), fix).unwrap();
    std::fs::write(dir.join("stale.yaml"), fix.replace("'/a'", "'/gone'")).unwrap();
    let spec = dir.join("api.yaml");
    assert_success(&generate(&spec, &dir.join("out"), &[]));
    let operations = std::fs::read_to_string(dir.join("out/src/operations.rs")).unwrap();
    assert!(
        operations.contains("with overlay api.overlay.yaml (sha256 "),
        "{operations}"
    );
    assert!(
        operations.contains("Result<types::GetAResponse, sdk_runtime::Error>"),
        "{operations}"
    );

    let stale = dir.join("stale.yaml");
    let out = generate(
        &spec,
        &dir.join("out2"),
        &["--overlay", stale.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stale.yaml")
            && stderr.contains("#/actions/0/target")
            && stderr.contains("selects nothing"),
        "{stderr}"
    );
    assert!(!dir.join("out2").exists(), "nothing written");
}
