//! `cargo xtask diff` as CI calls it: exit codes for `--fail-on`, and the output formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn case(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    (dir.join("old.yaml"), dir.join("new.yaml"))
}

fn diff(args: &[&str], name: &str) -> Output {
    let (old, new) = case(name);
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .arg(old)
        .arg(new)
        .output()
        .expect("xtask runs")
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
    assert_eq!(v["verdict"]["http_breaking"], 1);
    let change = &v["specs"][0]["changes"][0];
    assert_eq!(change["kind"], "ResponseEnumValueAdded");
    assert_eq!(change["subject"], "type Status");
    assert_eq!(change["context"], "response of CreatePet, GetPet");

    let md = stdout(&diff(&["--format", "markdown"], "no_changes"));
    assert!(
        md.contains("**Verdict: no API changes**") && md.contains("No API changes."),
        "{md}"
    );
}

#[test]
fn bad_arguments_are_refused() {
    let xtask = || Command::new(env!("CARGO_BIN_EXE_xtask"));
    let one = xtask()
        .args(["diff", "only-one.yaml"])
        .output()
        .expect("runs");
    assert!(!one.status.success());
    assert!(String::from_utf8_lossy(&one.stderr).contains("usage:"));
    assert!(!diff(&["--format", "html"], "no_changes").status.success());
    let missing = xtask()
        .args(["diff", "/nonexistent/a.yaml", "/nonexistent/b.yaml"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/a.yaml"));
}
