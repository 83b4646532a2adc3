//! `cargo xtask corpus <DIR>... [--out <DIR>] [--keep] [--deny-warnings] [--doctests]`:
//! generates every spec in the folders (in process, through codegen), writes the crates into
//! one scratch cargo workspace, runs one `cargo check --workspace` over them and prints a table
//! per spec: operations, types, generated lines, generation time, generator warnings, rustc
//! warnings and the check result. Fails if any spec does not generate or any crate has a rustc
//! warning or error. `--doctests` then compiles every generated doc example (`cargo test
//! --doc`): the examples are valued from each spec's own data, so specs we did not write find
//! the cases the four in `specs/` do not have.
//!
//! One workspace for all the folders, and with `--doctests` one `cargo build` in place of the
//! check: the doc examples need the crates built anyway, and cargo then schedules every crate
//! of every folder on both cores at once instead of idling through each folder's last crate.
//!
//! Built for the public Twilio corpus (`../shared/corpus/twilio-oai`, read in place, never
//! copied into the repository); `xtask/tests/corpus.rs` runs it on small folders of bad specs.
//!
//! Warnings are counted from `--message-format json` rather than denied with
//! `RUSTFLAGS=-Dwarnings`, which would change every dependency's fingerprint and rebuild them all.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use codegen::Options;

use crate::regen::{
    absolute, add_crate, print_warnings, relative, root, scratch_workspace, spec_files, target_dir,
    write_atomically, SpecInput,
};

const USAGE: &str =
    "usage: cargo xtask corpus <DIR>... [--out <DIR>] [--keep] [--deny-warnings] [--doctests]";

/// Marks a folder as a scratch workspace this command wrote, so `--out` never replaces
/// anything else.
const MARKER: &str = ".xtask-corpus";

/// One spec's row in the summary.
struct Row {
    spec: String,
    package: Option<String>,
    operations: usize,
    types: usize,
    lines: usize,
    generation: Duration,
    generator_warnings: usize,
    error: Option<String>,
}

/// What `cargo check` said about one package.
#[derive(Default)]
struct Checked {
    warnings: usize,
    errors: usize,
    built: bool,
}

pub(crate) fn command(args: &[String]) -> anyhow::Result<()> {
    let mut dirs = Vec::new();
    let mut out = None;
    let mut keep = false;
    let mut deny = false;
    let mut doctests = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => {
                let folder = it
                    .next()
                    .with_context(|| format!("corpus: --out needs a folder\n{USAGE}"))?;
                out = Some(PathBuf::from(folder));
            }
            "--keep" => keep = true,
            "--deny-warnings" => deny = true,
            "--doctests" => doctests = true,
            s if !s.starts_with("--") => dirs.push(PathBuf::from(s)),
            other => bail!("corpus: unexpected argument {other:?}\n{USAGE}"),
        }
    }
    if dirs.is_empty() {
        bail!("corpus: no spec folder given\n{USAGE}");
    }
    // An explicit --out is the caller's to keep; a temporary one goes unless --keep.
    let keep = keep || out.is_some();
    let out = match out {
        Some(o) => absolute(&o)?,
        None => std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id())),
    };
    if out.exists()
        && fs::read_dir(&out)
            .with_context(|| format!("corpus: cannot read {}", out.display()))?
            .next()
            .is_some()
        && !out.join(MARKER).exists()
    {
        bail!(
            "corpus: {} exists and was not written by `cargo xtask corpus`; choose another --out",
            out.display()
        );
    }

    let started = Instant::now();
    let (rows, files) = generate_all(&dirs, &out, deny)?;
    let generation_wall = started.elapsed();
    write_atomically(&out, &files)?;

    let check_started = Instant::now();
    let (checked, cargo_ok, cargo_stderr) = if rows.iter().any(|r| r.package.is_some()) {
        compile(&out, if doctests { "build" } else { "check" })?
    } else {
        (BTreeMap::new(), true, String::new())
    };
    let check_wall = check_started.elapsed();
    let checked_ok = cargo_ok && !rows.iter().any(|r| row_failed(r, &checked));
    // Doc examples of crates that do not check would only repeat the check's errors.
    let doctests_ok = (doctests && checked_ok)
        .then(|| doc_tests(&out))
        .transpose()?;

    print_table(&rows, &checked);
    println!(
        "\ngeneration: {:.1} s wall for {} specs; cargo {} --workspace: {:.1} s wall; workspace: {}{}",
        generation_wall.as_secs_f64(),
        rows.len(),
        if doctests { "build" } else { "check" },
        check_wall.as_secs_f64(),
        out.display(),
        if keep { "" } else { " (removed; --keep keeps it)" }
    );
    if !keep {
        forget_builds(&out, &rows);
        let _ = fs::remove_dir_all(&out);
    }
    if !cargo_ok && !cargo_stderr.trim().is_empty() {
        eprintln!("{}", cargo_stderr.trim_end());
    }
    let failed = rows.iter().filter(|r| row_failed(r, &checked)).count();
    match (failed, cargo_ok) {
        (0, true) if doctests_ok == Some(false) => {
            bail!("corpus: doc examples failed to compile (see cargo test --doc above)")
        }
        (0, true) => Ok(()),
        (0, false) => bail!("corpus: cargo check failed (see its output above)"),
        (n, _) => bail!(
            "corpus: {n} of {} spec(s) failed (see the table)",
            rows.len()
        ),
    }
}

/// A spec to generate: its row's label, its file, and its package's name.
struct CorpusSpec {
    label: String,
    path: PathBuf,
    package: String,
}

/// Every spec of every folder. With one folder, a spec's label and package come from its file
/// name; with several, from its folder and file name, since folders of one vendor hold specs
/// of the same name (Vonage's `account.yml` and Vonage Business Cloud's).
fn specs_of(dirs: &[PathBuf]) -> anyhow::Result<Vec<CorpusSpec>> {
    let mut all = Vec::new();
    for dir in dirs {
        let specs = spec_files(dir)
            .with_context(|| format!("corpus: cannot list the specs in {}", dir.display()))?;
        if specs.is_empty() {
            bail!("corpus: no .json, .yaml or .yml specs in {}", dir.display());
        }
        let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned());
        for spec in specs {
            let file = spec.file_name().map(|f| f.to_string_lossy().into_owned());
            let label = match (dirs.len(), folder.as_deref(), file) {
                (1, _, Some(file)) | (_, None, Some(file)) => file,
                (_, Some(folder), Some(file)) => format!("{folder}/{file}"),
                (_, _, None) => spec.display().to_string(),
            };
            let package = match dirs.len() {
                1 => codegen::package_name(&spec),
                _ => codegen::package_name(Path::new(&label.replace('/', "-"))),
            };
            all.push(CorpusSpec {
                label,
                path: spec,
                package,
            });
        }
    }
    Ok(all)
}

/// Generates every spec in memory: the rows, and the scratch workspace's files.
fn generate_all(
    dirs: &[PathBuf],
    out: &Path,
    deny: bool,
) -> anyhow::Result<(Vec<Row>, BTreeMap<PathBuf, String>)> {
    let specs = specs_of(dirs)?;
    let runtime = root().join("codegen").join("runtime");
    let mut rows = Vec::new();
    let mut files = BTreeMap::new();
    let mut members = BTreeSet::new();
    for CorpusSpec {
        label,
        path: spec,
        package,
    } in specs
    {
        let SpecInput {
            name,
            bytes,
            overlays,
            ..
        } = SpecInput::read(&spec, "")?;
        let mut options = Options {
            deny_warnings: deny,
            overlays,
            ..Options::new(relative(&out.join(&package), &runtime))
        };
        options.package.name = Some(package);
        let started = Instant::now();
        let result = codegen::generate(&spec, &name, &bytes, &options);
        let generation = started.elapsed();
        let mut row = Row {
            spec: label,
            package: None,
            operations: 0,
            types: 0,
            lines: 0,
            generation,
            generator_warnings: 0,
            error: None,
        };
        match result {
            Ok(generated) => {
                print_warnings(&generated.warnings);
                if !members.insert(generated.package_name.clone()) {
                    row.error = Some(format!(
                        "a second spec makes the package name {}",
                        generated.package_name
                    ));
                } else {
                    row.operations = generated.operations;
                    row.types = generated.types;
                    row.generator_warnings = generated.warnings.len();
                    row.lines = generated
                        .files
                        .iter()
                        .map(|(_, text)| text.lines().count())
                        .sum();
                    add_crate(&mut files, &generated);
                    row.package = Some(generated.package_name);
                }
            }
            Err(failure) => {
                print_warnings(&failure.warnings);
                eprintln!("{}", failure.error);
                row.error = Some(failure.error.to_string());
            }
        }
        rows.push(row);
    }
    files.extend(scratch_workspace(
        members.iter().map(String::as_str),
        "cargo xtask corpus",
    ));
    files.insert(PathBuf::from(MARKER), String::new());
    Ok((rows, files))
}

/// One `cargo <check|build> --workspace --keep-going`, read as JSON: findings per package,
/// whether cargo succeeded, and its stderr.
fn compile(
    workspace: &Path,
    subcommand: &str,
) -> anyhow::Result<(BTreeMap<String, Checked>, bool, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(&cargo)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir())
        .args([
            subcommand,
            "--workspace",
            // The typed mocks are generated code too: checked like the rest.
            "--features",
            "test-util",
            "--keep-going",
            "--message-format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("corpus: cannot run {cargo} {subcommand}"))?;
    let stderr = child.stderr.take().expect("piped");
    let stderr_reader =
        std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let mut checked: BTreeMap<String, Checked> = BTreeMap::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line =
            line.with_context(|| format!("corpus: cannot read the output of cargo {subcommand}"))?;
        if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) {
            if let Some(rendered) = record(&mut checked, &message, workspace) {
                eprint!("{rendered}");
            }
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("corpus: cannot wait for cargo {subcommand} to finish"))?;
    Ok((
        checked,
        status.success(),
        stderr_reader.join().unwrap_or_default(),
    ))
}

/// `cargo test --doc --workspace`, its output shown as it runs: whether every example compiled.
/// With the features of the build before it, whose libraries it then links instead of
/// building them again.
fn doc_tests(workspace: &Path) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let status = Command::new(&cargo)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir())
        .args(["test", "--doc", "--workspace", "--features", "test-util"])
        .args(["--no-fail-fast", "-q"])
        .status()
        .with_context(|| format!("corpus: cannot run {cargo} test --doc"))?;
    eprintln!(
        "cargo test --doc --workspace: {:.1} s wall, {}",
        started.elapsed().as_secs_f64(),
        if status.success() { "ok" } else { "FAILED" }
    );
    Ok(status.success())
}

/// Removes what the generated crates left in the shared target folder. They are built once and
/// never again, and 136 corpus crates with their incremental caches fill gigabytes of disk that
/// a CI machine may not have; the dependencies they share with the workspace stay built.
fn forget_builds(workspace: &Path, rows: &[Row]) {
    let packages: Vec<&str> = rows.iter().filter_map(|r| r.package.as_deref()).collect();
    if packages.is_empty() {
        return;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut clean = Command::new(&cargo);
    clean
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir())
        .args(["clean", "--quiet"]);
    for package in packages {
        clean.args(["-p", package]);
    }
    // Failing to tidy up is not a corpus failure: say so and go on.
    match clean.status() {
        Ok(status) if status.success() => {}
        outcome => eprintln!("warning: corpus: cannot remove the crates' builds: {outcome:?}"),
    }
}

/// Counts one `cargo --message-format json` message against its generated package. Returns
/// the rendered diagnostic of a warning or error, to show it.
fn record(
    checked: &mut BTreeMap<String, Checked>,
    message: &serde_json::Value,
    workspace: &Path,
) -> Option<String> {
    let package = package_of(message, workspace)?;
    let entry = checked.entry(package).or_default();
    match message["reason"].as_str()? {
        "compiler-artifact" => entry.built = true,
        "compiler-message" => {
            let diagnostic = &message["message"];
            // rustc's closing "N warnings emitted" and "aborting due to" notes have no span
            // and are summaries, not findings.
            let has_span = diagnostic["spans"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            let counter = match diagnostic["level"].as_str()? {
                "warning" if has_span => &mut entry.warnings,
                "error"
                    if has_span
                        || !diagnostic["message"]
                            .as_str()
                            .unwrap_or("")
                            .starts_with("aborting") =>
                {
                    &mut entry.errors
                }
                _ => return None,
            };
            *counter += 1;
            return Some(
                diagnostic["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        _ => {}
    }
    None
}

/// The generated package a cargo message is about, by its manifest's folder; `None` for
/// dependencies (the runtime included: it is checked by the main workspace).
fn package_of(message: &serde_json::Value, workspace: &Path) -> Option<String> {
    let manifest = Path::new(message["manifest_path"].as_str()?);
    let folder = manifest.parent()?;
    (folder.parent()? == workspace)
        .then(|| folder.file_name()?.to_str().map(str::to_owned))
        .flatten()
}

fn row_failed(row: &Row, checked: &BTreeMap<String, Checked>) -> bool {
    match &row.package {
        None => true,
        Some(p) => checked
            .get(p)
            .is_none_or(|c| c.warnings > 0 || c.errors > 0 || !c.built),
    }
}

fn print_table(rows: &[Row], checked: &BTreeMap<String, Checked>) {
    println!("| spec | operations | types | lines | generation ms | generator warnings | rustc warnings | check |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let (rustc_warnings, result) = match (&row.package, &row.error) {
            (_, Some(_)) | (None, _) => ("-".to_owned(), "generation failed".to_owned()),
            (Some(p), None) => match checked.get(p) {
                Some(c) if c.errors > 0 => {
                    (c.warnings.to_string(), format!("{} error(s)", c.errors))
                }
                Some(c) if !c.built => (c.warnings.to_string(), "not checked".to_owned()),
                Some(c) if c.warnings > 0 => (c.warnings.to_string(), "warnings".to_owned()),
                Some(c) => (c.warnings.to_string(), "ok".to_owned()),
                None => ("-".to_owned(), "not checked".to_owned()),
            },
        };
        println!(
            "| {} | {} | {} | {} | {:.1} | {} | {rustc_warnings} | {result} |",
            row.spec,
            row.operations,
            row.types,
            row.lines,
            row.generation.as_secs_f64() * 1000.0,
            row.generator_warnings
        );
    }
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let rustc_total: usize = checked.values().map(|c| c.warnings).sum();
    let ok = rows.iter().filter(|r| !row_failed(r, checked)).count();
    println!(
        "| **total: {} specs, {ok} ok** | {} | {} | {} | {:.1} | {} | {rustc_total} | |",
        rows.len(),
        sum(|r| r.operations),
        sum(|r| r.types),
        sum(|r| r.lines),
        rows.iter()
            .map(|r| r.generation.as_secs_f64() * 1000.0)
            .sum::<f64>(),
        sum(|r| r.generator_warnings)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(
        manifest: &str,
        reason: &str,
        level: &str,
        spans: usize,
        text: &str,
    ) -> serde_json::Value {
        json!({"reason": reason, "manifest_path": manifest, "message": {"level": level, "message": text, "spans": vec![json!({}); spans], "rendered": text}})
    }

    #[test]
    fn warnings_and_errors_are_counted_per_generated_package() {
        let workspace = Path::new("/tmp/ws");
        let mut checked = BTreeMap::new();
        let ours = "/tmp/ws/twilio-chat-v1/Cargo.toml";
        assert!(record(
            &mut checked,
            &message(ours, "compiler-message", "warning", 1, "unused import"),
            workspace
        )
        .is_some());
        assert!(record(
            &mut checked,
            &message(ours, "compiler-message", "warning", 0, "1 warning emitted"),
            workspace
        )
        .is_none());
        assert!(record(
            &mut checked,
            &message(ours, "compiler-message", "error", 1, "mismatched types"),
            workspace
        )
        .is_some());
        assert!(record(
            &mut checked,
            &message(
                ours,
                "compiler-message",
                "error",
                0,
                "aborting due to 1 previous error"
            ),
            workspace
        )
        .is_none());
        record(
            &mut checked,
            &json!({"reason": "compiler-artifact", "manifest_path": ours}),
            workspace,
        );
        // Dependencies (the runtime included) are not ours to count.
        assert!(record(
            &mut checked,
            &message(
                "/work/main/codegen/runtime/Cargo.toml",
                "compiler-message",
                "warning",
                1,
                "x"
            ),
            workspace
        )
        .is_none());
        assert_eq!(checked.len(), 1);
        let c = &checked["twilio-chat-v1"];
        assert_eq!((c.warnings, c.errors, c.built), (1, 1, true));
    }
}
