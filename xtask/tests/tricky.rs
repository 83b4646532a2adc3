//! The tricky but valid specs in `codegen/tests/tricky/` (awkward names, keywords, collisions,
//! recursion, odd enum values, hostile prose) generate crates that build, pass clippy and
//! rustdoc with warnings denied, and whose doctests pass; and their names come out readable
//! and deterministic.
//!
//! The crates are generated into one scratch workspace with a `tricky-checks` crate whose unit
//! tests use them (decode and encode through the generated types); those tests are
//! `tests/tricky/checks.rs`. The workspace shares our target folder and lock file, so the
//! dependencies are built once, not per run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Options;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn tricky_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = fs::read_dir(root().join("codegen/tests/tricky"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    specs.sort();
    specs
}

/// Tests of the generated crates: the `src/lib.rs` of the `tricky-checks` crate in the scratch
/// workspace (see the file's own doc comment).
const CHECKS: &str = include_str!("tricky/checks.rs");

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Runs cargo in the scratch workspace; fails on an error or any warning. Returns stdout and
/// stderr (cargo reports which doctests ran on stderr).
fn cargo(workspace: &Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .envs(envs.iter().copied())
        .args(args)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo {} failed:\n{stdout}\n{stderr}",
        args.join(" ")
    );
    // A warning from cargo or rustc about the generated crates fails the test too.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "cargo {} warned:\n{stderr}",
        args.join(" ")
    );
    format!("{stdout}\n{stderr}")
}

#[test]
fn tricky_specs_build_lint_document_and_doctest_cleanly() {
    let workspace = std::env::temp_dir().join(format!("xtask-tricky-{}", std::process::id()));
    let _ = fs::remove_dir_all(&workspace);
    let runtime = root().join("codegen/runtime");
    let mut members = Vec::new();
    let mut sources = String::new();
    let mut operations = 0;
    for spec in tricky_specs() {
        let name = spec.file_name().unwrap().to_str().unwrap().to_owned();
        let package = codegen::package_name(&spec);
        let options = Options {
            deny_warnings: true,
            ..Options::new(runtime.display().to_string())
        };
        let generated = codegen::generate(&spec, &name, &fs::read(&spec).unwrap(), &options)
            .unwrap_or_else(|f| panic!("{f}"));
        operations += generated.operations;
        for (path, text) in &generated.files {
            write(&workspace.join(&package).join(path), text);
            if path.ends_with(".rs") {
                sources.push_str(text);
            }
        }
        members.push(package);
    }
    assert_eq!(
        members,
        [
            "tricky-docs",
            "tricky-enums",
            "tricky-names",
            "tricky-oas31",
            "tricky-params",
            "tricky-webhooks"
        ]
    );
    let deps: String = members
        .iter()
        .map(|m| format!("{m} = {{ path = \"../{m}\" }}\n"))
        .collect();
    write(
        &workspace.join("tricky-checks/Cargo.toml"),
        &format!("[package]\nname = \"tricky-checks\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\nwiremock = \"0.6\"\n{deps}"),
    );
    write(&workspace.join("tricky-checks/src/lib.rs"), CHECKS);
    members.push("tricky-checks".into());
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    write(
        &workspace.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    );
    fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();

    assert_readable_names(&sources);

    cargo(&workspace, &["build", "--workspace"], &[]);
    cargo(
        &workspace,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            // The typed mocks (`mock.rs`) are linted too.
            "--features",
            "test-util",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
    cargo(
        &workspace,
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-Dwarnings")],
    );
    let tests = cargo(&workspace, &["test", "--workspace"], &[]);
    for krate in [
        "tricky_docs",
        "tricky_enums",
        "tricky_names",
        "tricky_oas31",
        "tricky_params",
        "tricky_webhooks",
    ] {
        assert!(
            tests.contains(&format!("Doc-tests {krate}")),
            "doctests of {krate} ran:\n{tests}"
        );
    }
    // The only doctests are the crates' own `no_run` examples: one in the lib.rs of each crate
    // with operations, one per operation on its `Client` method, and one in the webhooks
    // crate's `webhooks` module. Spec code blocks never compile or run.
    let doctests: Vec<&str> = tests.lines().filter(|l| l.contains(".rs - ")).collect();
    let in_lib = doctests
        .iter()
        .filter(|l| l.contains("/src/lib.rs - (line "))
        .count();
    let on_methods = doctests
        .iter()
        .filter(|l| l.contains("/src/client.rs - client::Client::"))
        .count();
    let on_webhooks = doctests
        .iter()
        .filter(|l| l.contains("/src/webhooks.rs - webhooks (line "))
        .count();
    assert_eq!(
        (in_lib, on_methods, on_webhooks, doctests.len()),
        (5, operations, 1, 6 + operations),
        "{doctests:#?}"
    );
    assert!(
        doctests.iter().all(|l| l.contains(" - compile ... ok")),
        "{doctests:#?}"
    );
    let checks = check_names();
    assert!(
        checks.contains(&"the_empty_enum_value_decodes_and_encodes"),
        "{checks:?}"
    );
    for check in checks {
        assert!(
            tests.contains(&format!("test tests::{check} ... ok")),
            "{check} did not pass:\n{tests}"
        );
    }
    // Left in place when an assertion fails, for a look at the generated crates.
    let _ = fs::remove_dir_all(&workspace);
}

/// The names of the `#[test]` functions in [`CHECKS`], each of which must be seen to pass.
fn check_names() -> Vec<&'static str> {
    let lines: Vec<&str> = CHECKS.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|pair| pair[0] == "#[test]")
        .map(|pair| {
            pair[1]
                .strip_prefix("fn ")
                .and_then(|rest| rest.split('(').next())
                .unwrap_or_else(|| panic!("a #[test] is followed by its fn: {:?}", pair[1]))
        })
        .collect()
}

/// Naming outcomes, asserted on the source so that a change shows up as a readable diff.
fn assert_readable_names(source: &str) {
    let expected = [
        // fooBar / foo_bar / FooBar: distinct snake_case names, wire names kept. `foo_bar` is
        // already snake_case and keeps it; the others are numbered in wire-name order, never
        // in the order the spec lists them (codegen/tests/naming_order.rs).
        "#[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub foo_bar: Option<String>,",
        "#[serde(rename = \"FooBar\")]\n    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub foo_bar_2: Option<i64>,",
        "#[serde(rename = \"fooBar\")]\n    pub foo_bar_3: String,",
        // Keywords: raw identifiers where Rust allows them, a suffix where it does not.
        "pub r#type: String,",
        "pub self_: Option<String>,",
        "pub self_2: Option<String>,",
        "pub crate_: Option<String>,",
        "pub r#async: Option<bool>,",
        "pub r#match: Option<String>,",
        "pub fn r#type(mut self, value: impl Into<String>) -> Self",
        "pub fn crate_(mut self, value: impl Into<String>) -> Self",
        // Digits, symbols and non-ASCII.
        "pub n1st: Option<String>,",
        "pub n2nd_place: Option<i64>,",
        "#[serde(rename = \"@id\")]",
        "pub x_y: Option<String>,",
        "pub a_b: Option<String>,",
        "pub grosse: Option<f64>,",
        "pub u540d_u524d: Option<String>,",
        "pub fn n2fa(mut self, value: bool) -> Self",
        "pub fn filter_name(mut self, value: impl Into<String>) -> Self",
        // Parameter names the builder uses itself get a suffix (`body` is a builder field);
        // `limit` is not the builder's (it is `Items::limit` in the runtime), so it stays.
        "pub fn body_2(mut self, value: impl Into<String>) -> Self",
        "pub fn limit(mut self, value: i64) -> Self",
        // No operationId: named from method and path; an operationId that is a keyword.
        "pub fn get_widgets_id_parts_json(",
        "pub fn delete_trees_tree_id(&self, tree_id: i64)",
        "pub fn r#type(&self) -> operations::Type",
        // Schema names that differ only in case, or shadow a prelude name, are numbered: the
        // one already spelled as its type name first, then by schema name (`WIDGET`, `widget`).
        "pub struct Widget {",
        "pub type Widget2 = String;",
        "pub struct Widget3 {",
        "pub struct Option2 {",
        "pub enum From2 {",
        // Recursion is boxed where it is direct, not through Vec or a map.
        "pub parent: Option<Box<Node>>,",
        "pub children: Option<Vec<Node>>,",
        "pub ping: Box<Ping>,",
        // Enum values: symbols spelled, case pairs numbered, the fallback moved aside.
        "Empty,", "Minus,", "Plus1,", "Minus1,", "AB,", "AB2,", "InProgress2,", "SelfValue2,", "Unknown2(sdk_runtime::UnknownValue),",
        "Fast3,",
        // Union variants whose derived names are numbers (issue 28) get type names.
        "Shape1(Shape1),", "N1(N1),", "N2nd(N2nd),", "N1(Shape1),", "N2(Shape2),",
        // Integer enums are integers, with the allowed values documented.
        "pub type Level = i64;",
        // Spec code blocks never run or compile.
        "//! ```text\n//! fn main() { panic!(\"spec code must never run as a doctest\") }",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !source.contains(e))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the generated source:\n{}",
        missing.join("\n---\n")
    );
    assert!(
        !source.contains("```rust\n") && !source.contains("/// ```\n/// assert!(false);"),
        "a spec code block would be compiled"
    );
}
