//! `cargo xtask diff` as CI calls it: exit codes for `--fail-on`, and the output formats.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_success, xtask, Scratch};

fn case(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    (dir.join("old.yaml"), dir.join("new.yaml"))
}

fn diff(args: &[&str], name: &str) -> Output {
    let (old, new) = case(name);
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend([old.to_str().unwrap(), new.to_str().unwrap()]);
    xtask(&all)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn fail_on_breaking_fails_only_for_http_breaking_changes() {
    // Patch for the crate but breaking for HTTP callers.
    let out = diff(&["--fail-on", "breaking"], "method_changed");
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("Verdict: patch (1 breaking change for HTTP callers)"),
        "{}",
        stdout(&out)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fail-on breaking"));
    // Major for the crate, harmless over HTTP.
    assert!(diff(&["--fail-on", "breaking"], "param_now_optional")
        .status
        .success());
}

#[test]
fn fail_on_major_fails_only_for_a_major_verdict() {
    assert!(!diff(&["--fail-on", "major"], "param_now_optional")
        .status
        .success());
    assert!(diff(&["--fail-on", "major"], "method_changed")
        .status
        .success());
    assert!(diff(&["--fail-on", "major"], "optional_param_added")
        .status
        .success());
    // Without --fail-on the report is all there is.
    assert!(diff(&[], "operation_removed").status.success());
}

#[test]
fn json_and_markdown_formats() {
    let out = diff(&["--format", "json"], "response_enum_value_added");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(v["verdict"]["semver"], "minor");
    // The crate decodes unlisted values as Unknown: compatible for its callers.
    assert_eq!(v["verdict"]["http_breaking"], 0);
    let change = &v["specs"][0]["changes"][0];
    assert_eq!(change["kind"], "ResponseEnumValueAdded");
    assert_eq!(change["http"], "compatible");
    assert_eq!(change["http_breaking"], false);
    assert_eq!(change["subject"], "type Status");
    assert_eq!(change["context"], "response of CreatePet, GetPet");

    // Tightened request limits: their own verdict, counted apart from breaking changes.
    let out = diff(&["--format", "json"], "request_constraint_tightened");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(v["verdict"]["http_breaking"], 0);
    assert_eq!(v["verdict"]["http_potentially_breaking"], 3);
    let change = &v["specs"][0]["changes"][0];
    assert_eq!(change["http"], "potentially breaking");
    assert_eq!(change["http_breaking"], false);

    let md = stdout(&diff(&["--format", "markdown"], "no_changes"));
    assert!(
        md.contains("**Verdict: no API changes**") && md.contains("No API changes."),
        "{md}"
    );
}

#[test]
fn bad_arguments_are_refused() {
    let one = xtask(&["diff", "only-one.yaml"]);
    assert!(!one.status.success());
    assert!(String::from_utf8_lossy(&one.stderr).contains("usage:"));
    assert!(!diff(&["--format", "html"], "no_changes").status.success());
    let missing = xtask(&["diff", "/nonexistent/a.yaml", "/nonexistent/b.yaml"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/a.yaml"));
}

/// `diff` compares specs as the generator reads them: the overlay beside a spec applies, so
/// an overlay that types a response shows as that change, and identical specs with the same
/// overlay show none.
#[test]
fn overlays_beside_the_specs_are_applied_before_comparing() {
    let dir = Scratch::new("diff-overlay");
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok}\n";
    std::fs::write(dir.join("old.yaml"), spec).unwrap();
    std::fs::write(dir.join("new.yaml"), spec).unwrap();
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    let run = || {
        xtask(&[
            "diff",
            "--format",
            "json",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
        ])
    };
    let same = run();
    assert_success(&same);
    assert!(!stdout(&same).contains("getA"), "{}", stdout(&same));

    std::fs::write(
        dir.join("new.overlay.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/a'].get.responses['200']\n    update: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}\n",
    )
    .unwrap();
    let typed = run();
    assert_success(&typed);
    let report = stdout(&typed);
    assert!(
        report.contains("getA") && report.contains("sdk_runtime::Body"),
        "{report}"
    );
}

/// A spec that leaves out a response's description loads with a warning on stderr (naming the
/// file and the JSON pointer), and the report on stdout is as for a tidy spec.
#[test]
fn sloppy_specs_are_compared_with_warnings() {
    let dir = Scratch::new("diff-sloppy");
    let spec = |extra: &str| {
        format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {{type: object, properties: {{n: {{type: integer}}}}}}\n{extra}")
    };
    std::fs::write(dir.join("old.yaml"), spec("")).unwrap();
    std::fs::write(
        dir.join("new.yaml"),
        spec("  /b:\n    get:\n      operationId: getB\n"),
    )
    .unwrap();
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    let out = xtask(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("warning: {}", old.display()))
            && stderr.contains("/paths/~1a/get/responses/200/description"),
        "{stderr}"
    );
    assert!(stderr.contains("/paths/~1b/get/responses"), "{stderr}");
    assert!(
        stdout(&out).contains("getB: operation added"),
        "{}",
        stdout(&out)
    );
}
