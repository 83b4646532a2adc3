//! `cargo xtask corpus <DIR>`: a table per spec, and a failing exit when any spec does not
//! generate or any crate does not check cleanly. (The whole Twilio corpus is too slow for
//! `cargo test`; it is a separate CI step.)

mod common;

use std::path::Path;

use common::{xtask, Scratch};

/// The table row of `spec` in corpus's output.
fn row<'a>(stdout: &'a str, spec: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("| {spec} |")))
        .unwrap_or_else(|| panic!("no row for {spec}:\n{stdout}"))
}

#[test]
fn a_spec_that_does_not_generate_fails_the_run_and_is_named_in_the_table() {
    let dir = Scratch::new("corpus-bad");
    std::fs::write(
        dir.join("broken.json"),
        r##"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/Nope"}}}}"##,
    )
    .unwrap();
    std::fs::write(dir.join("empty.yaml"), "").unwrap();
    let out = xtask(&["corpus", dir.path().to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("| broken.json | 0 | 0 | 0 |") && stdout.contains("| generation failed |"),
        "{stdout}"
    );
    assert!(stdout.contains("| empty.yaml |"), "{stdout}");
    assert!(stdout.contains("**total: 2 specs, 0 ok**"), "{stdout}");
    assert!(
        stderr.contains("broken.json at #/components/schemas/A")
            && stderr.contains("empty.yaml: the file is empty"),
        "{stderr}"
    );
}

#[test]
fn the_tricky_specs_generate_and_check_without_warnings() {
    let tricky = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/tricky");
    let out = xtask(&["corpus", tricky.to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    for spec in [
        "tricky_docs.yaml",
        "tricky_enums.json",
        "tricky_names.yaml",
        "tricky_oas31.yaml",
        "tricky_params.yaml",
        "tricky_webhooks.yaml",
    ] {
        let row = row(&stdout, spec);
        assert!(row.ends_with("| 0 | ok |"), "{row}");
    }
    assert!(stdout.contains("**total: 6 specs, 6 ok**"), "{stdout}");
}

#[test]
fn an_out_folder_that_is_not_ours_is_never_replaced() {
    let dir = Scratch::new("corpus-out");
    std::fs::write(dir.join("precious.txt"), "keep me").unwrap();
    let tricky = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/tricky");
    let out = xtask(&[
        "corpus",
        tricky.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was not written by `cargo xtask corpus`")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn specs_of_one_name_in_two_folders_are_two_packages_labelled_by_folder() {
    let dir = Scratch::new("corpus-folders");
    for folder in ["voice", "video"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(folder).join("account.yaml"),
            format!(
                "openapi: 3.0.3\ninfo: {{title: {folder}, version: '1'}}\npaths:\n  /{folder}:\n    get:\n      operationId: get_{folder}\n      responses:\n        '204': {{description: done}}\n"
            ),
        )
        .unwrap();
    }
    let folders = [dir.join("voice"), dir.join("video")];
    let out = xtask(&[
        "corpus",
        folders[0].to_str().unwrap(),
        folders[1].to_str().unwrap(),
    ]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    for label in ["voice/account.yaml", "video/account.yaml"] {
        let row = row(&stdout, label);
        assert!(row.ends_with("| 0 | ok |"), "{row}");
    }
    assert!(stdout.contains("**total: 2 specs, 2 ok**"), "{stdout}");
}
