//! `cargo xtask semver-checks`: what a spec change does to the generated crate's API, judged
//! by cargo-semver-checks, an independent tool, rather than by our own rules.
//!
//! Two sets of pairs (old spec, new spec), each generated into a crate of the same name:
//!
//! - **Additive changes** to each spec in `specs/` (an optional property on every object, a
//!   value on every string enum, a new schema, a new operation, an optional query parameter on
//!   every operation) must not need a major release; one removed field (the negative
//!   control) must.
//! - **Every `cargo xtask diff` fixture pair** (`xtask/tests/fixtures/diff/`) and the Flex v2
//!   1.42.0 → current pair: cargo-semver-checks must agree with the crate verdict our diff
//!   rules give, major or not. A disagreement cargo-semver-checks cannot see (it has no lint
//!   for it) is listed in [`BLIND_SPOTS`] with the reason; any other fails the command.
//!
//! The old crates form one scratch cargo workspace and the new ones another, so each side is
//! documented (rustdoc JSON) by one `cargo doc`, sharing one target folder; the pairs are then
//! compared from those JSON files. cargo-semver-checks is found in `.ci/tools/cargo/bin`
//! (where `.ci/run` installs it) or on `PATH`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::diff;
use crate::regen::{add_crate, relative, root, scratch_workspace, target_dir, write_atomically};
use crate::spec_error;
use codegen::diff::rules::Semver;

/// The version `.ci/run` installs; older ones may not read this toolchain's rustdoc JSON.
const TOOL_VERSION: &str = "0.51.0";

/// Diff fixtures whose crate verdict cargo-semver-checks cannot reproduce, and why.
/// cargo-semver-checks compares the API's items and signatures' shapes, not types inside them:
/// it has no lint for a changed field, parameter or return type (as of 0.51), and it cannot
/// see behaviour at all.
const BLIND_SPOTS: &[(&str, &str)] = &[
    ("auth_changed", "the Rust API is unchanged (`ClientBuilder` offers `basic_auth`, `bearer_auth` and `auth` whatever the scheme), but code passing basic credentials now fails at run time: a behaviour change, invisible to an API-surface tool"),
    ("body_type_changed", "a builder setter's parameter type changes; cargo-semver-checks has no lint for changed parameter types"),
    ("inline_type_moved_to_component", "`Owner` stays (the request still uses it) and `PetOwner` is added; the only break is `Pet.owner`'s type, `Owner` -> `PetOwner`; cargo-semver-checks has no lint for changed field types"),
    ("param_type_changed", "a builder setter's parameter type changes; cargo-semver-checks has no lint for changed parameter types"),
    ("request_field_type_changed", "a pub field's type changes; cargo-semver-checks has no lint for changed field types"),
    ("request_free_form_narrowed", "a pub field's type changes (`serde_json::Value` -> `serde_json::Map`); cargo-semver-checks has no lint for changed field types"),
    ("request_type_widened", "pub fields' and a setter's parameter types change (`DateTime<Utc>` -> `String`, `Map` -> `Value`, `i32` -> `i64`); cargo-semver-checks has no lint for changed field or parameter types"),
    ("request_values_restricted", "a pub field's type changes (`String` -> a new enum); cargo-semver-checks has no lint for changed field types"),
    ("response_free_form_widened", "a pub field's type changes (`serde_json::Map` -> `serde_json::Value`); cargo-semver-checks has no lint for changed field types"),
    ("response_field_type_changed", "a pub field's type changes; cargo-semver-checks has no lint for changed field types"),
    ("response_type_narrowed", "pub fields' types change (`serde_json::Value` -> `serde_json::Map`, `String` -> `DateTime<Utc>`); cargo-semver-checks has no lint for changed field types"),
    ("success_status_added_other_body", "a 202 without a body beside the 201 `Pet` makes `send()` return a new per-status enum (`Created(Pet)`, `Accepted(Body)`) instead of `Pet`; cargo-semver-checks has no lint for changed return types"),
    ("success_status_changed", "a declared 204 became a 200 without a schema, so `send()` returns `sdk_runtime::Body` instead of `()`; cargo-semver-checks has no lint for changed return types"),
    ("success_type_changed", "`send()`'s return type changes; cargo-semver-checks has no lint for changed return types"),
];

/// One pair of specs and the verdict expected for the generated crate.
struct Case {
    name: String,
    old: Vec<u8>,
    new: Vec<u8>,
    expect_major: bool,
    why: String,
}

/// What cargo-semver-checks said about one pair.
struct Verdict {
    major: bool,
    /// The lints it reported as failing, for messages.
    failed_lints: Vec<String>,
}

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let mut work = None;
    let mut only = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--work-dir" => work = it.next().map(PathBuf::from),
            "--only" => only = it.next().cloned(),
            other => bail!("semver-checks: unexpected argument {other:?}\nusage: cargo xtask semver-checks [--only <CASE-SUBSTRING>] [--work-dir <DIR>]"),
        }
    }
    let root = root();
    let tool = find_tool(&root)?;
    let work = work.unwrap_or_else(|| target_dir().join("semver-checks"));
    let started = Instant::now();

    let mut cases = additive_cases(&root)?;
    cases.extend(fixture_cases(&root)?);
    if let Some(only) = &only {
        cases.retain(|c| c.name.contains(only.as_str()));
    }
    if cases.is_empty() {
        bail!(
            "semver-checks: no case name contains {:?} (--only)",
            only.unwrap_or_default()
        );
    }

    let old_docs = document(&root, &work, "old", &cases, |c| &c.old)?;
    let new_docs = document(&root, &work, "new", &cases, |c| &c.new)?;
    let documented = started.elapsed();

    let mut disagreements = Vec::new();
    let mut blind = Vec::new();
    println!("{:<48} {:<9} {:<9} lints", "case", "expected", "tool");
    for case in &cases {
        let verdict = compare(&tool, &old_docs[&case.name], &new_docs[&case.name])?;
        let label = |major: bool| if major { "major" } else { "not major" };
        println!(
            "{:<48} {:<9} {:<9} {}",
            case.name,
            label(case.expect_major),
            label(verdict.major),
            verdict.failed_lints.join(", ")
        );
        let known = BLIND_SPOTS
            .iter()
            .find(|(name, _)| case.name == format!("diff/{name}"));
        match (verdict.major == case.expect_major, known) {
            (true, None) => {}
            (false, Some((_, reason))) => blind.push(format!("{}: {reason}", case.name)),
            (true, Some(_)) => disagreements.push(format!(
                "{}: listed in BLIND_SPOTS, but cargo-semver-checks now agrees: remove the entry",
                case.name
            )),
            (false, None) => disagreements.push(format!(
                "{}: expected {} ({}), cargo-semver-checks says {}{}",
                case.name,
                label(case.expect_major),
                case.why,
                label(verdict.major),
                if verdict.failed_lints.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", verdict.failed_lints.join(", "))
                }
            )),
        }
    }
    for b in &blind {
        println!("known blind spot: {b}");
    }
    println!(
        "{} pairs compared in {:.1?} ({:.1?} generating and documenting both sides)",
        cases.len(),
        started.elapsed(),
        documented
    );
    if !disagreements.is_empty() {
        bail!(
            "semver-checks: cargo-semver-checks disagrees:\n  {}",
            disagreements.join("\n  ")
        );
    }
    Ok(())
}

fn find_tool(root: &Path) -> anyhow::Result<PathBuf> {
    let local = root.join(".ci/tools/cargo/bin/cargo-semver-checks");
    let tool = if local.exists() {
        local
    } else {
        PathBuf::from("cargo-semver-checks")
    };
    match Command::new(&tool).args(["semver-checks", "--version"]).output() {
        Ok(out) if out.status.success() => Ok(tool),
        _ => bail!(
            "semver-checks: cargo-semver-checks not found (looked in .ci/tools/cargo/bin and on PATH).\n\
             install it with: cargo install cargo-semver-checks --locked --version {TOOL_VERSION} --root .ci/tools/cargo"
        ),
    }
}

/// The spec as JSON, after loading (YAML becomes JSON; the generator reads both alike).
fn load(path: &Path) -> anyhow::Result<Value> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    codegen::load_spec(path, &bytes).map_err(|e| spec_error(&e))
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("JSON values serialise")
}

/// Issue 3's semver guarantee, on each spec we ship: additions are not major, a removal is.
fn additive_cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for spec in crate::regen::spec_files(&root.join("specs"))? {
        let stem = codegen::package_name(&spec);
        let doc = load(&spec)?;
        cases.push(Case {
            name: format!("additive/{stem}"),
            old: to_bytes(&doc),
            new: to_bytes(&with_additions(&doc)),
            expect_major: false,
            why: "optional properties, enum values, a schema, an operation and optional parameters were added".into(),
        });
        let (removed, field) = without_a_field(&doc).with_context(|| {
            format!(
                "semver-checks: {}: no object schema with a property to remove",
                spec.display()
            )
        })?;
        cases.push(Case {
            name: format!("removal/{stem}"),
            old: to_bytes(&doc),
            new: to_bytes(&removed),
            expect_major: true,
            why: format!("the field {field} was removed"),
        });
    }
    Ok(cases)
}

/// Issue 7's cross-check: every diff fixture, expected as our own rules classify it.
fn fixture_cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let dir = root.join("xtask/tests/fixtures/diff");
    let mut cases = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("old.yaml").exists())
        .collect();
    names.sort();
    let mut pairs: Vec<(String, PathBuf, PathBuf)> = names
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                p.join("old.yaml"),
                p.join("new.yaml"),
            )
        })
        .collect();
    pairs.push((
        "flex_v2_since_1_42_0".into(),
        dir.join("twilio_flex_v2@1.42.0.json"),
        root.join("specs/twilio_flex_v2.json"),
    ));
    for (name, old, new) in pairs {
        let (old, new) = (to_bytes(&load(&old)?), to_bytes(&load(&new)?));
        let report = diff::spec_bytes("old.json", &old, "new.json", &new)
            .with_context(|| format!("semver-checks: our diff of the pair {name}"))?;
        let semver = report.changes.iter().map(|c| c.semver).max();
        let kinds: Vec<&str> = report
            .changes
            .iter()
            .filter(|c| c.semver == Semver::Major)
            .map(|c| c.kind.name())
            .collect();
        cases.push(Case {
            name: format!("diff/{name}"),
            old,
            new,
            expect_major: semver == Some(Semver::Major),
            why: if kinds.is_empty() {
                "our rules find no major change".into()
            } else {
                format!("our rules say major: {}", kinds.join(", "))
            },
        });
    }
    Ok(cases)
}

/// The crate folder and package name of a case: `diff/type_renamed` → `semver-diff-type-renamed`.
fn package_of(case: &str) -> String {
    codegen::package_name(Path::new(&format!(
        "semver_{}.json",
        case.replace('/', "_")
    )))
}

/// Generates one side of every case into a scratch workspace and documents it as rustdoc
/// JSON. Returns each case's JSON file, copied out of the shared target folder.
fn document(
    root: &Path,
    work: &Path,
    side: &str,
    cases: &[Case],
    spec: impl Fn(&Case) -> &Vec<u8>,
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let workspace = work.join(side);
    let runtime = root.join("codegen/runtime");
    let mut files = BTreeMap::new();
    let mut members = Vec::new();
    for case in cases {
        let package = package_of(&case.name);
        let options = codegen::Options::new(relative(&workspace.join(&package), &runtime));
        let file = PathBuf::from(format!("{package}.json"));
        let generated = codegen::generate(
            &file,
            &format!("{} ({side})", case.name),
            spec(case),
            &options,
        )
        .map_err(|f| {
            spec_error(&f.error).context(format!(
                "semver-checks: {} ({side} side) does not generate",
                case.name
            ))
        })?;
        add_crate(&mut files, &generated);
        members.push(package);
    }
    files.extend(scratch_workspace(
        members.iter().map(String::as_str),
        "cargo xtask semver-checks",
    ));
    // Written afresh each run: new modification times also make cargo document every crate
    // again, so a JSON file left by the other side's crate of the same name is never reused.
    write_atomically(&workspace, &files)?;

    let target = work.join("target");
    let doc_dir = target.join("doc");
    for case in cases {
        let _ = fs::remove_file(
            doc_dir.join(format!("{}.json", package_of(&case.name).replace('-', "_"))),
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["doc", "--workspace", "--no-deps", "--quiet"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &target)
        // Rustdoc's JSON output is unstable; RUSTC_BOOTSTRAP is how cargo-semver-checks itself
        // gets it from a stable toolchain.
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "RUSTDOCFLAGS",
            "-Z unstable-options --output-format json --cap-lints allow",
        )
        .status()
        .with_context(|| format!("semver-checks: cannot run {cargo} doc"))?;
    if !status.success() {
        bail!(
            "semver-checks: cargo doc failed ({status}) in {}",
            workspace.display()
        );
    }
    let out = work.join(format!("{side}-json"));
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut docs = BTreeMap::new();
    for case in cases {
        let file = format!("{}.json", package_of(&case.name).replace('-', "_"));
        let (from, to) = (doc_dir.join(&file), out.join(&file));
        fs::copy(&from, &to).with_context(|| {
            format!(
                "semver-checks: no rustdoc JSON for {} ({side}) at {}",
                case.name,
                from.display()
            )
        })?;
        docs.insert(case.name.clone(), to);
    }
    Ok(docs)
}

fn compare(tool: &Path, old: &Path, new: &Path) -> anyhow::Result<Verdict> {
    let out = Command::new(tool)
        .args([
            "semver-checks",
            "--release-type",
            "minor",
            "--color",
            "never",
            "--baseline-rustdoc",
        ])
        .arg(old)
        .arg("--current-rustdoc")
        .arg(new)
        .output()
        .with_context(|| format!("semver-checks: cannot run {}", tool.display()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let failed_lints: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| l.split(':').next().unwrap_or(l).trim().to_owned())
        .collect();
    let major = text.contains("new major version");
    match (out.status.success(), major) {
        (true, false) => Ok(Verdict {
            major: false,
            failed_lints,
        }),
        (false, true) => Ok(Verdict {
            major: true,
            failed_lints,
        }),
        _ => bail!(
            "semver-checks: cargo-semver-checks gave no verdict ({}) on {} → {}:\n{text}",
            out.status,
            old.display(),
            new.display()
        ),
    }
}

/// `doc` with only additions a generated crate must absorb in a minor release.
fn with_additions(doc: &Value) -> Value {
    let mut doc = doc.clone();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            add_to_schema(schema);
        }
        schemas.insert("AddedSchema".into(), json!({"type": "object", "description": "A schema added in the new version.", "properties": {"id": {"type": "string"}}}));
    }
    let methods = ["get", "put", "post", "delete", "patch"];
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            for method in methods {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    let params = op.entry("parameters").or_insert_with(|| json!([]));
                    if let Value::Array(params) = params {
                        params.push(json!({"name": "AddedFilter", "in": "query", "required": false, "description": "A filter added in the new version.", "schema": {"type": "string"}}));
                    }
                }
            }
        }
        paths.insert(
            "/Added/{Id}".into(),
            json!({"get": {
                "operationId": "FetchAddedThing",
                "description": "An operation added in the new version.",
                "parameters": [{"name": "Id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AddedSchema"}}}}}
            }}),
        );
    }
    doc
}

/// Adds an optional property to an object schema and a value to string enums, recursively.
fn add_to_schema(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    if map.get("type").and_then(Value::as_str) == Some("string") {
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            // A single-value enum is a union's tag, not an open set of values.
            if values.len() > 1 {
                values.push(json!("added_value"));
            }
        }
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for p in props.values_mut() {
            add_to_schema(p);
        }
        props.insert(
            "added_field".into(),
            json!({"type": "string", "description": "A field added in the new version."}),
        );
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get_mut(key) {
            add_to_schema(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            items.iter_mut().for_each(add_to_schema);
        }
    }
}

/// `doc` with the last property removed from the first component schema that has several
/// (with only one, the struct itself would go, which is a different change).
fn without_a_field(doc: &Value) -> Option<(Value, String)> {
    let mut doc = doc.clone();
    let schemas = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
    for (name, schema) in schemas.iter_mut() {
        let Some(Value::Object(props)) = schema.get_mut("properties") else {
            continue;
        };
        if props.len() < 2 {
            continue;
        }
        let field = props.keys().next_back().cloned()?;
        props.remove(&field);
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            required.retain(|r| r.as_str() != Some(&field));
        }
        let removed = format!("{name}.{field}");
        return Some((doc, removed));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<(PathBuf, Value)> {
        crate::regen::spec_files(&root().join("specs"))
            .unwrap()
            .into_iter()
            .map(|p| {
                let v = load(&p).unwrap();
                (p, v)
            })
            .collect()
    }

    fn verdict(old: &Value, new: &Value) -> (Option<Semver>, Vec<String>) {
        let report =
            diff::spec_bytes("old.json", &to_bytes(old), "new.json", &to_bytes(new)).unwrap();
        (
            report.changes.iter().map(|c| c.semver).max(),
            report
                .changes
                .iter()
                .map(|c| c.kind.name().to_owned())
                .collect(),
        )
    }

    #[test]
    fn the_additive_copy_adds_every_kind_of_thing_and_our_rules_call_it_minor() {
        for (path, doc) in specs() {
            let (semver, kinds) = verdict(&doc, &with_additions(&doc));
            assert_eq!(semver, Some(Semver::Minor), "{}: {kinds:?}", path.display());
            for kind in ["OperationAdded", "TypeAdded", "OptionalParamAdded"] {
                assert!(
                    kinds.iter().any(|k| k == kind),
                    "{}: no {kind} in {kinds:?}",
                    path.display()
                );
            }
            let field_added = |k: &String| {
                matches!(
                    k.as_str(),
                    "OptionalRequestFieldAdded" | "OptionalResponseFieldAdded"
                )
            };
            assert!(
                kinds.iter().any(field_added),
                "{}: no field added in {kinds:?}",
                path.display()
            );
        }
    }

    #[test]
    fn the_removal_copy_removes_one_field_and_our_rules_call_it_major() {
        for (path, doc) in specs() {
            let (removed, field) = without_a_field(&doc).unwrap();
            let (semver, kinds) = verdict(&doc, &removed);
            assert_eq!(
                semver,
                Some(Semver::Major),
                "{}: {field}: {kinds:?}",
                path.display()
            );
            assert!(
                kinds.iter().all(|k| k.ends_with("FieldRemoved")),
                "{}: {kinds:?}",
                path.display()
            );
        }
    }

    #[test]
    fn package_names_are_distinct_per_case() {
        assert_eq!(package_of("diff/type_renamed"), "semver-diff-type-renamed");
        assert_ne!(package_of("additive/a-b"), package_of("removal/a-b"));
    }
}
